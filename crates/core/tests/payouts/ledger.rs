//! What any `Ledger` must do (the SQLite one here; a PostgreSQL one can run the same
//! checks): idempotent batch creation, paging by status, and compare-and-set transitions
//! that refuse a stale row.

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
    assert!(l.batch("nope").await.unwrap().is_none());

    let rows = l.items("b", &[], None, 2).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [0, 1]);
    let rest = l.items("b", &[Status::Queued], Some(1), 100).await.unwrap();
    assert_eq!(rest.len(), 3);
    let first = rows[0].clone();
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
        ..first.state.clone()
    };
    let won = l.transition(&first, claim.clone()).await.unwrap().unwrap();
    assert_eq!((won.version, won.state.status), (1, Status::Sending));
    assert!(l.transition(&first, claim).await.unwrap().is_none());
    let stored = l.item("b", "k0").await.unwrap().unwrap();
    assert_eq!(stored, won);

    let done = ItemState {
        status: Status::Successful,
        reason: Some(json!({ "error": "x", "message": "y" })),
        provider_id: Some("t1".into()),
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
