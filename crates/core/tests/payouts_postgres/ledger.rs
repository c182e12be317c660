//! The ledger's own contract on PostgreSQL: migrations, batches, compare-and-set claims
//! across pools, lost connections, TLS and secrets.

use std::collections::HashSet;
use std::sync::Arc;

use mobilemoney_core::payouts::ledger::postgres::PostgresLedger;
use mobilemoney_core::payouts::ledger::{
    Created, ItemRow, ItemState, Ledger, NewBatch, NewItem, ProviderKind, Status,
};
use serde_json::json;

use super::db::{base_url, db, TestResult};

fn batch(id: &str, n: usize, fingerprint: &str) -> NewBatch {
    NewBatch {
        batch_id: id.to_owned(),
        fingerprint: fingerprint.to_owned(),
        items: (0..n)
            .map(|i| NewItem {
                key: format!("k{i}"),
                provider: if i % 2 == 0 {
                    ProviderKind::Momo
                } else {
                    ProviderKind::Paymob
                },
                amount: "12.50".to_owned(),
                currency: if i % 2 == 0 { "EUR" } else { "EGP" }.to_owned(),
                spec: json!({ "key": format!("k{i}"), "note": "it's \"quoted\"" }),
            })
            .collect(),
        now_ms: 1_700_000_000_000,
        secret_check: format!("check-{fingerprint}"),
    }
}

fn claim(row: &ItemRow) -> ItemState {
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
    assert_eq!(
        ledger.create_batch(batch("b", 2_500, "f1")).await?,
        Created::New
    );
    assert_eq!(
        ledger.create_batch(batch("b", 2_500, "f1")).await?,
        Created::Existing
    );
    assert_eq!(
        ledger.create_batch(batch("b", 3, "f2")).await?,
        Created::Conflict
    );
    let b = ledger.batch("b").await?.ok_or("no batch")?;
    assert_eq!((b.total, b.paused, b.finished_at_ms), (2_500, None, None));
    assert!(ledger.batch("nope").await?.is_none());

    let first = ledger.item("b", "k0").await?.ok_or("no item")?;
    assert_eq!(first.state.status, Status::Queued);
    assert_eq!(first.item.spec["note"], "it's \"quoted\"");
    // Paging in submission order, across the chunks the batch was inserted in.
    let page = ledger.items("b", &[], Some(1_998), 5).await?;
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
    let sending = ledger.items("b", &[Status::Successful], None, 10).await?;
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
    super::conformance::conformance(Arc::new(PostgresLedger::open(&db.url).await?)).await;
    // Reopened (as another process would): everything committed is there.
    let again = PostgresLedger::open(&db.url).await?;
    let row = again.item("b", "k0").await?.ok_or("no item")?;
    assert_eq!((row.state.status, row.version), (Status::Successful, 2));
    again.close().await?;
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
    // Each migration applied once, however many processes raced to apply it.
    assert_eq!(
        db.count("SELECT COUNT(*) FROM {s}.payout_migrations")
            .await?,
        3
    );
    let first = ledgers.first().ok_or("no ledger")?;
    first.create_batch(batch("race", 300, "f")).await?;
    let rows = first.items("race", &[], None, 1_000).await?;
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

#[tokio::test]
async fn secrets_stay_out_of_failures_and_tls_checks_certificates() -> TestResult {
    // A closed port, a password in the URL: the failure names neither the password nor
    // anything past the host.
    let f = match PostgresLedger::open(
        "postgres://someone:Sup3rSecretPw@127.0.0.1:1/test?connect_timeout=2",
    )
    .await
    {
        Ok(_) => return Err("a closed port opened".into()),
        Err(f) => f,
    };
    assert!(!f.message.contains("Sup3rSecretPw"), "{}", f.message);
    assert!(!format!("{f:?}").contains("Sup3rSecretPw"));

    let bad = PostgresLedger::open("postgres://u:Sup3rSecretPw@127.0.0.1/test?sslmode=bogus").await;
    let f = bad.err().ok_or("a bad sslmode was accepted")?;
    assert_eq!(f.field.as_deref(), Some("ledger"));
    assert!(!f.message.contains("Sup3rSecretPw"));
    let bad = PostgresLedger::open("postgres://127.0.0.1/test?schema=a;drop").await;
    assert!(bad.is_err());

    // The local server's certificate (if it speaks TLS at all) is not one a public
    // authority signed for 127.0.0.1: with sslmode=require the connection is refused.
    let Some(db) = db("secrets_stay_out_of_failures_and_tls_checks_certificates").await? else {
        return Ok(());
    };
    let tls = PostgresLedger::open(&db.url_with("sslmode=require")).await;
    let f = tls
        .err()
        .ok_or("TLS to an unverifiable server was accepted")?;
    assert!(f.message.contains("PostgreSQL"), "{}", f.message);
    let _ = base_url();
    db.drop_schema().await
}
