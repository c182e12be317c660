//! The verification records and the `held` status in both ledgers: a record written,
//! replaced and read back per batch; a held item read back as held and listed by status;
//! PostgreSQL's migration 6 applied once, however often the ledger is opened.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

// Shared with payouts_postgres.rs, whose other helpers this file does not use.
#[allow(dead_code)]
#[path = "payouts_postgres/db.rs"]
mod db;

use mobilemoney_core::payouts::ledger::{
    postgres::PostgresLedger, sqlite::SqliteLedger, ItemState, ItemsPage, Ledger, NewBatch,
    NewItem, RailId, Status,
};
use serde_json::json;

use db::TestResult;

fn batch(id: &str) -> NewBatch {
    NewBatch {
        batch_id: id.into(),
        fingerprint: "f".into(),
        items: ["a", "b"]
            .iter()
            .map(|k| NewItem {
                key: (*k).into(),
                provider: RailId::from("momo"),
                amount: "10".into(),
                currency: "EUR".into(),
                spec: json!({ "key": k, "party": "46733120001", "name": "John Okafor" }),
            })
            .collect(),
        secret_check: "check".into(),
        now_ms: 1_000,
    }
}

async fn exercise(ledger: &dyn Ledger) -> TestResult {
    ledger.create_batch(batch("v")).await?;
    ledger.create_batch(batch("other")).await?;
    assert!(ledger.verifications("v").await?.is_empty());
    let held = json!({ "outcome": "held", "reason": { "error": "name_mismatch", "registeredName": "J*** O*****" } });
    ledger
        .record_verification("v", "a", &json!({ "outcome": "verified" }))
        .await?;
    ledger.record_verification("v", "a", &held).await?;
    ledger
        .record_verification("other", "b", &json!({ "outcome": "verified" }))
        .await?;
    assert_eq!(
        ledger.verifications("v").await?,
        vec![("a".to_owned(), held.clone())]
    );

    let row = ledger.item("v", "a").await?.expect("item a");
    let next = ItemState {
        status: Status::Held,
        reason: Some(held["reason"].clone()),
        ..row.state.clone()
    };
    let moved = ledger
        .transition(&row, next.clone())
        .await?
        .expect("the hold applies");
    assert_eq!(moved.state.status, Status::Held);
    // A second hold from the same read is refused: the row changed.
    assert!(ledger.transition(&row, next).await?.is_none());
    let listed = ledger
        .items("v", ItemsPage::new(&[Status::Held], None, 100))
        .await?;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].item.key, "a");
    assert_eq!(listed[0].state.reason, Some(held["reason"].clone()));
    let totals = ledger.totals("v").await?;
    assert!(totals.by_status.contains(&(Status::Held, 1)));
    Ok(())
}

#[tokio::test]
async fn sqlite_keeps_verifications_and_held_items() -> TestResult {
    let dir = std::env::temp_dir().join(format!("mmn-verify-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("ledger.db");
    exercise(&SqliteLedger::open(&path)?).await?;
    // Opened again (a file of this version): the table is there, the records kept.
    let again = SqliteLedger::open(&path)?;
    assert_eq!(again.verifications("v").await?.len(), 1);
    again.close().await?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test]
async fn postgres_keeps_verifications_and_held_items() -> TestResult {
    let Some(db) = db::db("postgres_keeps_verifications_and_held_items").await? else {
        return Ok(());
    };
    let ledger = PostgresLedger::open(&db.url).await?;
    exercise(&ledger).await?;
    let again = PostgresLedger::open(&db.url).await?;
    assert_eq!(again.verifications("v").await?.len(), 1);
    let applied = db
        .count(&format!(
            "SELECT COUNT(*) FROM {}.payout_migrations WHERE version = 6",
            db.schema
        ))
        .await?;
    assert_eq!(applied, 1);
    ledger.close().await?;
    again.close().await?;
    db.drop_schema().await
}
