//! What any `Ledger` must do (the SQLite one here; a PostgreSQL one can run the same
//! checks): idempotent batch creation, paging by status, compare-and-set transitions
//! that refuse a stale row, and runners' heartbeats.

use std::sync::Arc;

use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{
    Created, ItemState, Ledger, NewBatch, NewItem, ProviderKind, Status,
};
use serde_json::json;

fn batch(id: &str, n: usize, fingerprint: &str) -> NewBatch {
    NewBatch {
        batch_id: id.into(),
        fingerprint: fingerprint.into(),
        items: (0..n)
            .map(|i| NewItem {
                key: format!("k{i}"),
                provider: ProviderKind::Momo,
                amount: "10.50".into(),
                currency: "EUR".into(),
                spec: json!({ "key": format!("k{i}"), "party": "46733120001" }),
            })
            .collect(),
        secret_check: format!("check-{fingerprint}"),
        now_ms: 1_700_000_000_000,
    }
}

pub async fn conformance(l: Arc<dyn Ledger>) {
    assert_eq!(
        l.create_batch(batch("b", 5, "f1")).await.unwrap(),
        Created::New
    );
    assert_eq!(
        l.create_batch(batch("b", 5, "f1")).await.unwrap(),
        Created::Existing
    );
    assert_eq!(
        l.create_batch(batch("b", 2, "f2")).await.unwrap(),
        Created::Conflict
    );
    let b = l.batch("b").await.unwrap().unwrap();
    assert_eq!(
        (b.total, b.paused.as_deref(), b.finished_at_ms),
        (5, None, None)
    );
    assert_eq!(b.secret_check.as_deref(), Some("check-f1"));
    assert!(l.batch("nope").await.unwrap().is_none());

    let rows = l.items("b", &[], None, 2).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [0, 1]);
    let rest = l.items("b", &[Status::Queued], Some(1), 100).await.unwrap();
    assert_eq!(rest.len(), 3);
    let first = rows[0].clone();
    assert!(!first.state.acknowledged);
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
    let won = l.transition(&first, claim.clone()).await.unwrap().unwrap();
    assert_eq!((won.version, won.state.status), (1, Status::Sending));
    assert!(l.transition(&first, claim).await.unwrap().is_none());
    let stored = l.item("b", "k0").await.unwrap().unwrap();
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
    let paid = l.transition(&won, done).await.unwrap().unwrap();
    assert_eq!(l.item("b", "k0").await.unwrap().unwrap(), paid);
    let successful = l.items("b", &[Status::Successful], None, 10).await.unwrap();
    assert_eq!(successful.len(), 1);

    let totals = l.totals("b").await.unwrap();
    let mut by_status = totals.by_status.clone();
    by_status.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(by_status, [(Status::Queued, 4), (Status::Successful, 1)]);
    assert_eq!(totals.amounts, [("EUR".to_owned(), 52.5, 10.5)]);

    l.set_paused("b", Some("insufficient_funds")).await.unwrap();
    l.set_finished("b", Some(5)).await.unwrap();
    let b = l.batch("b").await.unwrap().unwrap();
    assert_eq!(
        (b.paused.as_deref(), b.finished_at_ms),
        (Some("insufficient_funds"), Some(5))
    );
    l.set_paused("b", None).await.unwrap();
    assert!(l.batch("b").await.unwrap().unwrap().paused.is_none());

    // Heartbeats: the latest time each runner was seen; one never seen is left out.
    let now = 1_800_000_000_000;
    l.heartbeat("runner-a", now).await.unwrap();
    l.heartbeat("runner-a", now - 5).await.unwrap();
    l.heartbeat("runner-b", now + 7).await.unwrap();
    let mut seen = l
        .runners_seen(&["runner-b".into(), "runner-a".into(), "runner-z".into()])
        .await
        .unwrap();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("runner-a".to_owned(), now),
            ("runner-b".to_owned(), now + 7)
        ]
    );
    l.close().await.unwrap();
    assert!(l.batch("b").await.is_err());
}

#[tokio::test]
async fn sqlite_ledger_conformance_and_a_second_process_view() {
    let path = std::env::temp_dir().join(format!("ledger-{}.db", uuid::Uuid::new_v4()));
    conformance(Arc::new(SqliteLedger::open(&path).unwrap())).await;
    // Reopened (as another process would): everything committed is there.
    let again = SqliteLedger::open(&path).unwrap();
    let row = again.item("b", "k0").await.unwrap().unwrap();
    assert_eq!((row.state.status, row.version), (Status::Successful, 2));
    again.close().await.unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

#[tokio::test]
async fn a_ledger_file_of_the_first_schema_gets_the_new_columns_in_wal_mode() {
    let path = std::env::temp_dir().join(format!("ledger-{}.db", uuid::Uuid::new_v4()));
    {
        let c = rusqlite::Connection::open(&path).unwrap();
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
        )
        .unwrap();
    }
    let l = SqliteLedger::open(&path).unwrap();
    let b = l.batch("old").await.unwrap().unwrap();
    assert_eq!(b.secret_check, None);
    let row = l.item("old", "k").await.unwrap().unwrap();
    assert_eq!(
        (
            row.state.status,
            row.state.acknowledged,
            row.state.runner,
            row.state.sent_ms
        ),
        (Status::Pending, false, None, None)
    );
    l.close().await.unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(c);
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
