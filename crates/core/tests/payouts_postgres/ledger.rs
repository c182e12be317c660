//! The ledger's own contract on PostgreSQL: migrations, batches, compare-and-set claims
//! across pools, account binding across pools, lost connections and lost replies (TLS
//! and secrets are in `secrets.rs`).

use std::collections::HashSet;
use std::sync::Arc;

use mobilemoney_core::payouts::ledger::postgres::PostgresLedger;
use mobilemoney_core::payouts::ledger::{
    ItemRow, ItemState, ItemsPage, Ledger, NewBatch, RailId, Status, Submissions,
};
use serde_json::json;

use super::db::{base_url, db, TestResult};
use super::proxy::{upstream, Cut, Proxy};

/// Items alternately MoMo in EUR and Paymob in EGP, with a quote in each spec.
pub(super) fn batch(id: &str, n: usize, fingerprint: &str) -> NewBatch {
    super::conformance::new_batch(id, n, fingerprint, |i| {
        let (rail, currency) = if i % 2 == 0 {
            ("momo", "EUR")
        } else {
            ("paymob", "EGP")
        };
        let spec = json!({ "key": format!("k{i}"), "note": "it's \"quoted\"" });
        (rail, "12.50", currency, spec)
    })
}

pub(super) fn claim(row: &ItemRow) -> ItemState {
    ItemState {
        status: Status::Sending,
        reference: Some(format!("ref-{}", row.item.key)),
        sends: row.state.sends + 1,
        updated_ms: row.state.updated_ms + 1,
        ..row.state.clone()
    }
}

#[tokio::test]
async fn batches_items_transitions_and_totals() -> TestResult {
    let Some(db) = db("batches_items_transitions_and_totals").await? else {
        return Ok(());
    };
    let ledger = PostgresLedger::open(&db.url).await?;
    let (first, rival) = (batch("b", 2_500, "f1"), batch("b", 3, "f2"));
    super::conformance::assert_created_once(&ledger, first, rival).await?;
    let b = ledger.batch("b").await?.ok_or("no batch")?;
    assert_eq!((b.total, b.paused, b.finished_at_ms), (2_500, None, None));
    assert!(ledger.batch("nope").await?.is_none());

    let first = ledger.item("b", "k0").await?.ok_or("no item")?;
    assert_eq!(first.state.status, Status::Queued);
    assert_eq!(first.item.spec["note"], "it's \"quoted\"");
    // Paging in submission order, across the chunks the batch was inserted in.
    let page = ledger
        .items("b", ItemsPage::new(&[], Some(1_998), 5))
        .await?;
    let seqs: Vec<u64> = page.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1_999, 2_000, 2_001, 2_002, 2_003]);

    // Compare-and-set: the second writer from the same row loses and writes nothing.
    let claimed = ledger
        .transition(&first, claim(&first))
        .await?
        .ok_or("claim lost")?;
    assert_eq!(claimed.version, 1);
    assert!(ledger.transition(&first, claim(&first)).await?.is_none());
    let done = ItemState {
        status: Status::Successful,
        reason: Some(json!({ "error": "x", "message": "y" })),
        provider_id: Some("tx-1".into()),
        ..claimed.state.clone()
    };
    let done = ledger.transition(&claimed, done).await?.ok_or("lost")?;
    assert_eq!(ledger.item("b", "k0").await?.as_ref(), Some(&done));
    let sending = ledger
        .items("b", ItemsPage::new(&[Status::Successful], None, 10))
        .await?;
    assert_eq!(sending.len(), 1);

    let totals = ledger.totals("b").await?;
    assert!(totals.by_status.contains(&(Status::Queued, 2_499)));
    assert!(totals.by_status.contains(&(Status::Successful, 1)));
    assert_eq!(totals.amounts.len(), 2);
    assert!(totals.amounts.contains(&("EUR".to_owned(), 15_625.0, 12.5)));

    ledger.set_paused("b", Some("insufficient_funds")).await?;
    ledger.set_finished("b", Some(42)).await?;
    let b = ledger.batch("b").await?.ok_or("no batch")?;
    assert_eq!(b.paused.as_deref(), Some("insufficient_funds"));
    assert_eq!(b.finished_at_ms, Some(42));
    ledger.close().await?;
    db.drop_schema().await
}

#[tokio::test]
async fn postgres_ledger_conformance() -> TestResult {
    let Some(db) = db("postgres_ledger_conformance").await? else {
        return Ok(());
    };
    super::conformance::conformance(Arc::new(PostgresLedger::open(&db.url).await?)).await?;
    // Reopened (as another process would): everything committed is there.
    let again = PostgresLedger::open(&db.url).await?;
    let row = again.item("b", "k0").await?.ok_or("no item")?;
    assert_eq!((row.state.status, row.version), (Status::Successful, 2));
    let bound = again.bound_account("b", &RailId::from("momo")).await?;
    assert_eq!(bound.ok_or("no binding")?["account"], "fp-a");
    again.close().await?;
    db.drop_schema().await
}

#[tokio::test]
async fn postgres_ledger_pages_stages_and_totals() -> TestResult {
    let Some(db) = db("postgres_ledger_paging").await? else {
        return Ok(());
    };
    let ledger = Arc::new(PostgresLedger::open(&db.url).await?);
    super::paging::paging_conformance(ledger.clone(), "p").await?;
    ledger.close().await?;
    db.drop_schema().await
}

#[tokio::test]
async fn many_processes_open_at_once_and_claim_each_item_once() -> TestResult {
    let Some(db) = db("many_processes_open_at_once_and_claim_each_item_once").await? else {
        return Ok(());
    };
    // Four pools (as four processes would have) migrate the fresh schema at once.
    let opens = (0..4).map(|_| PostgresLedger::open(&db.url));
    let ledgers: Vec<Arc<PostgresLedger>> = futures::future::try_join_all(opens)
        .await?
        .into_iter()
        .map(Arc::new)
        .collect();
    // Each migration applied once, however many processes raced to apply it (one row per
    // file in migrations/, whatever their numbers).
    let files = std::fs::read_dir("src/payouts/ledger/migrations")?.count();
    assert_eq!(
        db.count("SELECT COUNT(*) FROM {s}.payout_migrations")
            .await?,
        i64::try_from(files)?
    );
    let first = ledgers.first().ok_or("no ledger")?;
    first.create_batch(batch("race", 300, "f")).await?;
    let rows = first
        .items("race", ItemsPage::new(&[], None, 1_000))
        .await?;
    // Every ledger tries to claim every item from the same read: one wins each.
    let mut tasks = Vec::new();
    for (n, ledger) in ledgers.iter().enumerate() {
        for chunk in rows.chunks(50) {
            let (ledger, chunk) = (ledger.clone(), chunk.to_vec());
            tasks.push(tokio::spawn(async move {
                let mut won = Vec::new();
                for row in chunk {
                    if ledger.transition(&row, claim(&row)).await?.is_some() {
                        won.push((row.item.key.clone(), n));
                    }
                }
                Ok::<_, mobilemoney_core::Failure>(won)
            }));
        }
    }
    let mut winners = Vec::new();
    for t in tasks {
        winners.extend(t.await??);
    }
    let keys: HashSet<&str> = winners.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(winners.len(), 300, "each item claimed exactly once");
    assert_eq!(keys.len(), 300);
    // The running totals, written by many sessions at once (each to its own shard), agree
    // with the items.
    let totals = first.totals("race").await?;
    assert_eq!(totals.by_status, vec![(Status::Sending, 300)]);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM {s}.payout_items WHERE status = 'sending'")
            .await?,
        300
    );
    assert!(
        db.count("SELECT COUNT(DISTINCT shard) FROM {s}.payout_totals")
            .await?
            > 1
    );
    db.drop_schema().await
}

#[tokio::test]
async fn lost_connections_are_made_again() -> TestResult {
    let Some(db) = db("lost_connections_are_made_again").await? else {
        return Ok(());
    };
    let ledger = PostgresLedger::open(&db.url_with("pool_size=2")).await?;
    ledger.create_batch(batch("b", 10, "f")).await?;
    for round in 0..3 {
        let dropped = db.terminate().await?;
        assert!(dropped >= 1, "round {round}: the ledger had no connection");
        let row = ledger
            .item("b", &format!("k{round}"))
            .await?
            .ok_or("no item")?;
        assert!(ledger.transition(&row, claim(&row)).await?.is_some());
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM {s}.payout_items WHERE status = 'sending'")
            .await?,
        3
    );
    db.drop_schema().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binders_in_two_processes_agree_on_one_environment() -> TestResult {
    let Some(db) = db("binders_in_two_processes_agree_on_one_environment").await? else {
        return Ok(());
    };
    // Two pools, as two processes would have.
    let one = Arc::new(PostgresLedger::open(&db.url).await?);
    let two = Arc::new(PostgresLedger::open(&db.url).await?);
    let (x, y) = (json!({ "account": "x" }), json!({ "account": "y" }));
    let mut winners = HashSet::new();
    for n in 0..30 {
        let batch_id = format!("race-{n}");
        let bind = |l: &Arc<PostgresLedger>, env: &serde_json::Value| {
            let (l, id, env) = (l.clone(), batch_id.clone(), env.clone());
            tokio::spawn(async move { l.bind_account(&id, &RailId::from("paymob"), &env).await })
        };
        let (a, b) = tokio::join!(bind(&one, &x), bind(&two, &y));
        let (a, b) = (a??, b??);
        assert_eq!(a, b, "round {n}: both binders get the winner's environment");
        assert!(a == x || a == y, "round {n}: {a}");
        assert_eq!(
            two.bound_account(&batch_id, &RailId::from("paymob"))
                .await?,
            Some(a.clone())
        );
        winners.insert(a.to_string());
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM {s}.payout_accounts").await?,
        30
    );
    eprintln!("binders: {} distinct winners over 30 races", winners.len());
    one.close().await?;
    two.close().await?;
    db.drop_schema().await
}

#[tokio::test]
async fn a_transition_whose_reply_was_lost_knows_it_committed() -> TestResult {
    let Some(db) = db("a_transition_whose_reply_was_lost_knows_it_committed").await? else {
        return Ok(());
    };
    let proxy = Proxy::start(upstream(&base_url())?).await?;
    let ledger = Arc::new(PostgresLedger::open(&proxy.url(&db.url_with("pool_size=1"))?).await?);
    ledger.create_batch(batch("b", 3, "f")).await?;
    // A first transition prepares the statement on the one connection, so that the
    // next bytes from the server are the reply to the UPDATE alone (sent after it
    // committed).
    let row = ledger.item("b", "k0").await?.ok_or("no item")?;
    ledger.transition(&row, claim(&row)).await?.ok_or("lost")?;

    let row = ledger.item("b", "k1").await?.ok_or("no item")?;
    proxy.arm(Cut::Reply);
    let task = tokio::spawn({
        let (ledger, row) = (ledger.clone(), row.clone());
        async move { ledger.transition(&row, claim(&row)).await }
    });
    proxy.cut().await?;
    let version = "SELECT version FROM {s}.payout_items WHERE batch_id = 'b' AND key = 'k1'";
    // Committed before the reply was lost (the ledger waits before it tries again).
    assert_eq!(db.count(version).await?, 1);
    let won = task
        .await??
        .ok_or("the transition whose reply was lost was taken for a rival's")?;
    assert_eq!((won.version, won.state.status), (1, Status::Sending));
    assert_eq!(ledger.item("b", "k1").await?.as_ref(), Some(&won));
    // Written once: the second attempt changed nothing.
    assert_eq!(db.count(version).await?, 1);

    // The other way round: the request is lost before the server sees it and a rival
    // claims the row meanwhile. The second attempt finds a row it did not write.
    let rival_ledger = PostgresLedger::open(&db.url).await?;
    let row = ledger.item("b", "k2").await?.ok_or("no item")?;
    proxy.hold(true);
    proxy.arm(Cut::Request);
    let task = tokio::spawn({
        let (ledger, row) = (ledger.clone(), row.clone());
        async move { ledger.transition(&row, claim(&row)).await }
    });
    proxy.cut().await?;
    let rival = ItemState {
        runner: Some("rival".into()),
        ..claim(&row)
    };
    let rival = rival_ledger
        .transition(&row, rival)
        .await?
        .ok_or("the rival lost")?;
    proxy.hold(false);
    assert!(
        task.await??.is_none(),
        "a transition that never reached the server was taken for ours"
    );
    assert_eq!(ledger.item("b", "k2").await?.as_ref(), Some(&rival));
    rival_ledger.close().await?;
    ledger.close().await?;
    db.drop_schema().await
}
