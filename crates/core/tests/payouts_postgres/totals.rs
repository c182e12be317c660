//! The PostgreSQL ledger's running totals (migration 8): added up for a ledger written
//! before they were kept, and kept from then on.

use mobilemoney_core::payouts::ledger::postgres::PostgresLedger;
use mobilemoney_core::payouts::ledger::{Ledger, Status, Submissions};

use super::db::{db, TestResult};
use super::ledger::{batch, claim};

#[tokio::test]
async fn totals_are_added_up_for_a_ledger_written_before_they_were_kept() -> TestResult {
    let Some(db) = db("totals_added_up_for_an_older_ledger").await? else {
        return Ok(());
    };
    let ledger = PostgresLedger::open(&db.url).await?;
    ledger.create_batch(batch("old", 40, "f")).await?;
    let first = ledger.item("old", "k0").await?.ok_or("no item")?;
    ledger
        .transition(&first, claim(&first))
        .await?
        .ok_or("lost")?;
    ledger.close().await?;
    // As a ledger of an older release: no totals, migration 8 not applied.
    db.execute(
        "DROP TABLE {s}.payout_totals; DROP FUNCTION {s}.payout_totals_add() CASCADE; \
         DELETE FROM {s}.payout_migrations WHERE version = 8",
    )
    .await?;
    let ledger = PostgresLedger::open(&db.url).await?;
    let totals = ledger.totals("old").await?;
    let mut by_status = totals.by_status.clone();
    by_status.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(by_status, vec![(Status::Queued, 39), (Status::Sending, 1)]);
    assert_eq!(
        totals.amounts,
        vec![
            ("EGP".to_owned(), 250.0, 0.0),
            ("EUR".to_owned(), 250.0, 0.0)
        ]
    );
    // And kept from then on.
    let second = ledger.item("old", "k1").await?.ok_or("no item")?;
    ledger
        .transition(&second, claim(&second))
        .await?
        .ok_or("lost")?;
    assert!(ledger
        .totals("old")
        .await?
        .by_status
        .contains(&(Status::Sending, 2)));
    ledger.close().await?;
    db.drop_schema().await
}
