//! Rows of the SQLite ledger read into the ledger's types, and the reads several calls share.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::error::storage;
use super::schema::ITEM_COLUMNS;
use crate::failure::Failure;
use crate::payouts::ledger::item::{BatchRow, ItemRow};
use crate::payouts::ledger::rows::{self, Columns};
use crate::payouts::rail::RailId;

pub(super) use crate::payouts::ledger::rows::{to_i64, to_u64};

pub(super) fn json_text(v: &Option<serde_json::Value>) -> Option<String> {
    v.as_ref().map(serde_json::Value::to_string)
}

impl Columns for Row<'_> {
    type Error = rusqlite::Error;
    fn text(&self, i: usize) -> rusqlite::Result<String> {
        self.get(i)
    }
    fn opt_text(&self, i: usize) -> rusqlite::Result<Option<String>> {
        self.get(i)
    }
    fn int(&self, i: usize) -> rusqlite::Result<i64> {
        self.get(i)
    }
    fn opt_int(&self, i: usize) -> rusqlite::Result<Option<i64>> {
        self.get(i)
    }
    fn flag(&self, i: usize) -> rusqlite::Result<bool> {
        Ok(self.get::<_, i64>(i)? != 0)
    }
}

/// [`rows::read_item`] as rusqlite's row callbacks take it.
pub(super) fn read_item(row: &Row<'_>) -> rusqlite::Result<ItemRow> {
    rows::read_item(row)
}

pub(super) fn read_batch(row: &Row<'_>) -> rusqlite::Result<BatchRow> {
    rows::read_batch(row)
}

pub(super) fn select_batch(c: &Connection, batch_id: &str) -> Result<Option<BatchRow>, Failure> {
    c.query_row(
        "SELECT batch_id, fingerprint, total, paused, started_at, finished_at, secret_check \
         FROM payout_batches WHERE batch_id = ?1",
        params![batch_id],
        read_batch,
    )
    .optional()
    .map_err(storage)
}

pub(super) fn select_item(
    c: &Connection,
    batch_id: &str,
    key: &str,
) -> Result<Option<ItemRow>, Failure> {
    c.query_row(
        &format!("SELECT {ITEM_COLUMNS} FROM payout_items WHERE batch_id = ?1 AND key = ?2"),
        params![batch_id, key],
        read_item,
    )
    .optional()
    .map_err(storage)
}

pub(super) fn select_account(
    c: &Connection,
    batch_id: &str,
    provider: &RailId,
) -> Result<Option<serde_json::Value>, Failure> {
    let text: Option<String> = c
        .query_row(
            "SELECT environment FROM payout_accounts WHERE batch_id = ?1 AND provider = ?2",
            params![batch_id, provider.as_str()],
            |r| r.get(0),
        )
        .optional()
        .map_err(storage)?;
    text.map(|t| serde_json::from_str(&t).map_err(storage))
        .transpose()
}
