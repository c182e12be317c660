//! What any `Ledger` must do (the SQLite one here; the PostgreSQL one runs the same
//! checks): idempotent batch creation, paging by status, compare-and-set transitions
//! that refuse a stale row, operators' resolutions, first-wins account binding, the
//! ledger's clock and runners' heartbeats.

use std::sync::Arc;

use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{
    Created, ItemState, ItemsPage, Ledger, NewBatch, NewItem, RailId, Status,
};
use serde_json::json;

/// Batch `id` of `n` items made by `item` from their index, keyed `k0`, `k1`, …
pub fn new_batch(
    id: &str,
    n: usize,
    fingerprint: &str,
    item: impl Fn(usize) -> (&'static str, &'static str, &'static str, serde_json::Value),
) -> NewBatch {
    NewBatch {
        batch_id: id.into(),
        fingerprint: fingerprint.into(),
        items: (0..n)
            .map(|i| {
                let (rail, amount, currency, spec) = item(i);
                NewItem {
                    key: format!("k{i}"),
                    provider: RailId::from(rail),
                    amount: amount.into(),
                    currency: currency.into(),
                    spec,
                }
            })
            .collect(),
        secret_check: format!("check-{fingerprint}"),
        now_ms: 1_700_000_000_000,
    }
}

fn batch(id: &str, n: usize, fingerprint: &str) -> NewBatch {
    new_batch(id, n, fingerprint, |i| {
        let spec = json!({ "key": format!("k{i}"), "party": "46733120001" });
        ("momo", "10.50", "EUR", spec)
    })
}

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Creating `batch` is new the first time and existing the second; `rival`, another
/// batch under its id, is a conflict.
pub async fn assert_created_once(l: &dyn Ledger, batch: NewBatch, rival: NewBatch) -> TestResult {
    assert_eq!(l.create_batch(batch.clone()).await?, Created::New);
    assert_eq!(l.create_batch(batch).await?, Created::Existing);
    assert_eq!(l.create_batch(rival).await?, Created::Conflict);
    Ok(())
}

pub async fn conformance(l: Arc<dyn Ledger>) -> TestResult {
    assert_created_once(l.as_ref(), batch("b", 5, "f1"), batch("b", 2, "f2")).await?;
    let b = l.batch("b").await?.ok_or("no batch b")?;
    assert_eq!(
        (b.total, b.paused.as_deref(), b.finished_at_ms),
        (5, None, None)
    );
    assert_eq!(b.secret_check.as_deref(), Some("check-f1"));
    assert!(l.batch("nope").await?.is_none());

    let rows = l.items("b", ItemsPage::new(&[], None, 2)).await?;
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [0, 1]);
    let rest = l
        .items("b", ItemsPage::new(&[Status::Queued], Some(1), 100))
        .await?;
    assert_eq!(rest.len(), 3);
    let first = rows.first().ok_or("no first row")?.clone();
    assert!(!first.state.acknowledged);
    assert_eq!(first.state.resolution, None);
    assert_eq!(
        (first.state.status, first.state.generation, first.version),
        (Status::Queued, 0, 0)
    );

    // The claim: one of two writers holding the same row wins.
    let claim = ItemState {
        status: Status::Sending,
        reference: Some("ref-0".into()),
        sends: 1,
        updated_ms: 1_700_000_000_001,
        runner: Some("runner-a".into()),
        sent_ms: Some(1_700_000_000_001),
        ..first.state.clone()
    };
    let won = l
        .transition(&first, claim.clone())
        .await?
        .ok_or("the claim lost")?;
    assert_eq!((won.version, won.state.status), (1, Status::Sending));
    assert!(l.transition(&first, claim).await?.is_none());
    let stored = l.item("b", "k0").await?.ok_or("no item k0")?;
    assert_eq!(stored, won);
    assert_eq!(stored.state.runner.as_deref(), Some("runner-a"));
    assert_eq!(stored.state.sent_ms, Some(1_700_000_000_001));

    let done = ItemState {
        status: Status::Successful,
        reason: Some(json!({ "error": "x", "message": "y" })),
        provider_id: Some("t1".into()),
        acknowledged: true,
        ..won.state.clone()
    };
    let paid = l.transition(&won, done).await?.ok_or("lost")?;
    assert_eq!(l.item("b", "k0").await?, Some(paid));
    let successful = l
        .items("b", ItemsPage::new(&[Status::Successful], None, 10))
        .await?;
    assert_eq!(successful.len(), 1);

    let totals = l.totals("b").await?;
    let mut by_status = totals.by_status.clone();
    by_status.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(by_status, [(Status::Queued, 4), (Status::Successful, 1)]);
    assert_eq!(totals.amounts, [("EUR".to_owned(), 52.5, 10.5)]);

    l.set_paused("b", Some("insufficient_funds")).await?;
    l.set_finished("b", Some(5)).await?;
    let b = l.batch("b").await?.ok_or("no batch b")?;
    assert_eq!(
        (b.paused.as_deref(), b.finished_at_ms),
        (Some("insufficient_funds"), Some(5))
    );
    l.set_paused("b", None).await?;
    assert!(l.batch("b").await?.ok_or("no batch b")?.paused.is_none());

    resolutions(&*l).await?;
    account_binding(&*l).await?;

    // The ledger's clock is the wall clock here (same machine, or a server's).
    let local = mobilemoney_core::payouts::wall::system_ms();
    let ledger_ms = l.clock_ms().await?;
    assert!(
        (ledger_ms - local).abs() < 5_000,
        "ledger clock {ledger_ms}, local {local}"
    );

    // Heartbeats: the latest time each runner was seen; one never seen is left out.
    let now = 1_800_000_000_000;
    l.heartbeat("runner-a", now).await?;
    l.heartbeat("runner-a", now - 5).await?;
    l.heartbeat("runner-b", now + 7).await?;
    let mut seen = l
        .runners_seen(&["runner-b".into(), "runner-a".into(), "runner-z".into()])
        .await?;
    seen.sort();
    assert_eq!(
        seen,
        [
            ("runner-a".to_owned(), now),
            ("runner-b".to_owned(), now + 7)
        ]
    );
    l.close().await?;
    assert!(l.batch("b").await.is_err());
    Ok(())
}

/// An operator's resolution is written by a transition like the other state fields and
/// read back as it was written, by `item` and by `items`.
async fn resolutions(l: &dyn Ledger) -> TestResult {
    assert_eq!(l.create_batch(batch("r", 2, "fr")).await?, Created::New);
    let row = l.item("r", "k1").await?.ok_or("no item r/k1")?;
    let unknown = ItemState {
        status: Status::Unknown,
        reference: Some("ref-r1".into()),
        reason: Some(json!({ "error": "timeout", "message": "no answer" })),
        sends: 1,
        updated_ms: 1_700_000_000_010,
        ..row.state.clone()
    };
    let unknown = l.transition(&row, unknown).await?.ok_or("lost")?;
    assert_eq!(unknown.state.resolution, None);
    let resolution = json!({
        "status": "successful",
        "note": "paid, per the provider's statement of 3 May (\"ok\")",
        "actor": "ops@example.com",
        "at": 1_700_000_000_020_i64,
    });
    let resolved = ItemState {
        status: Status::Successful,
        resolution: Some(resolution.clone()),
        updated_ms: 1_700_000_000_020,
        ..unknown.state.clone()
    };
    let resolved = l.transition(&unknown, resolved).await?.ok_or("lost")?;
    let stored = l.item("r", "k1").await?.ok_or("no item r/k1")?;
    assert_eq!(stored, resolved);
    assert_eq!(stored.state.resolution.as_ref(), Some(&resolution));
    let listed = l
        .items("r", ItemsPage::new(&[Status::Successful], None, 10))
        .await?;
    assert_eq!(listed, std::slice::from_ref(&resolved));
    // Kept by a later transition that carries it; cleared by one that does not.
    let later = ItemState {
        lookups: 1,
        ..resolved.state.clone()
    };
    let later = l.transition(&resolved, later).await?.ok_or("lost")?;
    assert_eq!(
        l.item("r", "k1").await?.ok_or("no item")?.state.resolution,
        Some(resolution)
    );
    let cleared = ItemState {
        resolution: None,
        ..later.state.clone()
    };
    l.transition(&later, cleared).await?.ok_or("lost")?;
    assert_eq!(
        l.item("r", "k1").await?.ok_or("no item")?.state.resolution,
        None
    );
    // The item beside it was never resolved.
    let other = l.item("r", "k0").await?.ok_or("no item r/k0")?;
    assert_eq!(other.state.resolution, None);
    Ok(())
}

/// The first environment a batch is bound to stays: a later binder gets it back.
async fn account_binding(l: &dyn Ledger) -> TestResult {
    let a = json!({ "baseUrl": "https://sandbox.momodeveloper.mtn.com", "target": "sandbox", "account": "fp-a" });
    let b = json!({ "baseUrl": "https://proxy.momoapi.mtn.com", "target": "mtnghana", "account": "fp-b" });
    assert_eq!(l.bound_account("b", &RailId::from("momo")).await?, None);
    assert_eq!(l.bind_account("b", &RailId::from("momo"), &a).await?, a);
    assert_eq!(l.bind_account("b", &RailId::from("momo"), &b).await?, a);
    assert_eq!(l.bind_account("b", &RailId::from("momo"), &a).await?, a);
    assert_eq!(
        l.bound_account("b", &RailId::from("momo")).await?,
        Some(a.clone())
    );
    // Each provider of a batch, and each batch, is bound on its own.
    assert_eq!(l.bound_account("b", &RailId::from("paymob")).await?, None);
    assert_eq!(l.bind_account("b", &RailId::from("paymob"), &b).await?, b);
    assert_eq!(
        l.bound_account("b", &RailId::from("paymob")).await?,
        Some(b.clone())
    );
    assert_eq!(l.bound_account("r", &RailId::from("momo")).await?, None);
    assert_eq!(l.bind_account("r", &RailId::from("momo"), &b).await?, b);
    assert_eq!(l.bound_account("b", &RailId::from("momo")).await?, Some(a));
    assert_eq!(l.bound_account("nope", &RailId::from("momo")).await?, None);
    Ok(())
}

/// A ledger file of its own, removed (with its WAL files) when dropped.
struct TempLedger(std::path::PathBuf);

impl TempLedger {
    fn new() -> TempLedger {
        TempLedger(std::env::temp_dir().join(format!("ledger-{}.db", uuid::Uuid::new_v4())))
    }
}

impl Drop for TempLedger {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

#[tokio::test]
async fn sqlite_ledger_conformance_and_a_second_process_view() -> TestResult {
    let file = TempLedger::new();
    conformance(Arc::new(SqliteLedger::open(&file.0)?)).await?;
    // Reopened (as another process would): everything committed is there.
    let again = SqliteLedger::open(&file.0)?;
    let row = again.item("b", "k0").await?.ok_or("no item")?;
    assert_eq!((row.state.status, row.version), (Status::Successful, 2));
    let bound = again.bound_account("b", &RailId::from("momo")).await?;
    assert_eq!(bound.ok_or("no binding")?["account"], "fp-a");
    again.close().await?;
    Ok(())
}

#[tokio::test]
async fn sqlite_ledger_pages_stages_and_totals() -> TestResult {
    let file = TempLedger::new();
    let ledger = Arc::new(SqliteLedger::open(&file.0)?);
    super::paging::paging_conformance(ledger.clone(), "s").await?;
    ledger.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_binders_in_two_processes_agree_on_one_environment() -> TestResult {
    let file = TempLedger::new();
    // Two connections to one file, as two processes would have.
    let one = Arc::new(SqliteLedger::open(&file.0)?);
    let two = Arc::new(SqliteLedger::open(&file.0)?);
    for n in 0..20 {
        let batch_id = format!("race-{n}");
        let (x, y) = (json!({ "account": "x" }), json!({ "account": "y" }));
        let (a, b) = tokio::join!(
            tokio::spawn({
                let (l, id, env) = (one.clone(), batch_id.clone(), x.clone());
                async move { l.bind_account(&id, &RailId::from("momo"), &env).await }
            }),
            tokio::spawn({
                let (l, id, env) = (two.clone(), batch_id.clone(), y.clone());
                async move { l.bind_account(&id, &RailId::from("momo"), &env).await }
            }),
        );
        let (a, b) = (a??, b??);
        assert_eq!(a, b, "round {n}: both binders get the winner");
        assert!(a == x || a == y);
        assert_eq!(
            one.bound_account(&batch_id, &RailId::from("momo")).await?,
            Some(a)
        );
    }
    one.close().await?;
    two.close().await?;
    Ok(())
}

#[tokio::test]
async fn a_ledger_file_of_the_first_schema_gets_the_new_columns_in_wal_mode() -> TestResult {
    let file = TempLedger::new();
    {
        let c = rusqlite::Connection::open(&file.0)?;
        c.execute_batch(
            "CREATE TABLE payout_batches (batch_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
               total INTEGER NOT NULL, paused TEXT, started_at INTEGER NOT NULL, finished_at INTEGER);
             INSERT INTO payout_batches VALUES ('old', 'f', 1, NULL, 1, NULL);
             CREATE TABLE payout_items (batch_id TEXT NOT NULL, seq INTEGER NOT NULL,
               key TEXT NOT NULL, provider TEXT NOT NULL, amount TEXT NOT NULL,
               currency TEXT NOT NULL, spec TEXT NOT NULL, status TEXT NOT NULL,
               generation INTEGER NOT NULL, reference TEXT, reason TEXT, provider_id TEXT,
               sends INTEGER NOT NULL, lookups INTEGER NOT NULL, next_check INTEGER,
               updated_at INTEGER NOT NULL, version INTEGER NOT NULL,
               PRIMARY KEY (batch_id, key));
             INSERT INTO payout_items VALUES ('old', 0, 'k', 'momo', '1', 'EUR', '{}',
               'pending', 0, 'r', NULL, NULL, 1, 0, NULL, 1, 3);",
        )?;
    }
    let l = SqliteLedger::open(&file.0)?;
    let b = l.batch("old").await?.ok_or("no batch")?;
    assert_eq!(b.secret_check, None);
    let row = l.item("old", "k").await?.ok_or("no item")?;
    assert_eq!(
        (
            row.state.status,
            row.state.acknowledged,
            row.state.runner.clone(),
            row.state.sent_ms,
            row.state.resolution.clone()
        ),
        (Status::Pending, false, None, None, None)
    );
    // The new column and table are usable on the old file.
    let resolution = json!({ "status": "failed", "note": "refunded", "at": 2 });
    let resolved = ItemState {
        status: Status::Failed,
        resolution: Some(resolution.clone()),
        ..row.state.clone()
    };
    l.transition(&row, resolved).await?.ok_or("lost")?;
    let row = l.item("old", "k").await?.ok_or("no item")?;
    assert_eq!(row.state.resolution, Some(resolution));
    let env = json!({ "account": "old" });
    assert_eq!(
        l.bind_account("old", &RailId::from("momo"), &env).await?,
        env
    );
    l.close().await?;
    let c = rusqlite::Connection::open(&file.0)?;
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    assert_eq!(mode, "wal");
    Ok(())
}
