//! The ledger of bulk payouts: batches and their items, the only memory of the engine.
//!
//! [`Ledger`] is what the engine needs from a store, and [`Submissions`] how the store
//! takes a batch in; [`sqlite::SqliteLedger`] is the embedded one. Every change of an item is a compare-and-set on its row
//! ([`Ledger::transition`]): it applies only if the row still has the status, generation
//! and version the caller read, inside one transaction. Claiming an item for sending is
//! such a transition (`queued` → `sending`, with the reference written), so two workers,
//! in one process or in many, can never both send an item.

mod item;
mod pages;
pub mod postgres;
mod rows;
pub mod sqlite;
mod store;
mod submit;

use crate::failure::Failure;
pub use item::{BatchRow, ItemRow, ItemState, NewItem, Status};
pub(crate) use pages::Pages;
pub use store::{Due, DueCursor, DuePage, ItemsPage, Ledger, Totals};
pub use submit::{Created, NewBatch, StagedBatch, Submissions};

pub use super::rail::RailId;

/// Opens the ledger a URL names — the one place a URL becomes a store: `sqlite:PATH`
/// (or a bare path) for the embedded file, `postgres://…` for a shared PostgreSQL.
/// Returns the store and its kind.
pub async fn open(url: &str) -> Result<(std::sync::Arc<dyn Ledger>, &'static str), Failure> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let ledger = postgres::PostgresLedger::open(url).await?;
        return Ok((std::sync::Arc::new(ledger), "postgres"));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
        .to_owned();
    if path.is_empty() || url.contains("://") && !url.starts_with("sqlite://") {
        return Err(Failure::invalid(
            "ledger",
            "options.ledger must be 'sqlite:PATH' (or a postgres:// URL)",
        ));
    }
    let ledger = tokio::task::spawn_blocking(move || {
        sqlite::SqliteLedger::open(std::path::Path::new(&path))
    })
    .await
    .map_err(|e| {
        Failure::new(
            crate::failure::FailureKind::NetworkError,
            format!("the payouts ledger could not be opened ({e})"),
        )
    })??;
    Ok((std::sync::Arc::new(ledger), "sqlite"))
}
