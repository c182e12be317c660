//! Rows of the SQLite ledger read into the ledger's types, and the reads several calls share.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::schema::ITEM_COLUMNS;
use super::storage;
use crate::failure::Failure;
use crate::payouts::ledger::{BatchRow, ItemRow, ItemState, NewItem, RailId, Status};

pub(super) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub(super) fn to_u32(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

pub(super) fn json_text(v: &Option<serde_json::Value>) -> Option<String> {
    v.as_ref().map(serde_json::Value::to_string)
}

pub(super) fn read_item(row: &Row<'_>) -> rusqlite::Result<ItemRow> {
    let provider: String = row.get(3)?;
    let spec: String = row.get(6)?;
    let status: String = row.get(7)?;
    let reason: Option<String> = row.get(10)?;
    let resolution: Option<String> = row.get(20)?;
    Ok(ItemRow {
        batch_id: row.get(0)?,
        seq: to_u64(row.get(1)?),
        item: NewItem {
            key: row.get(2)?,
            provider: RailId::from(provider.as_str()),
            amount: row.get(4)?,
            currency: row.get(5)?,
            spec: serde_json::from_str(&spec).unwrap_or(serde_json::Value::Null),
        },
        state: ItemState {
            status: Status::parse(&status).unwrap_or(Status::Unknown),
            generation: to_u32(row.get(8)?),
            reference: row.get(9)?,
            reason: reason.and_then(|r| serde_json::from_str(&r).ok()),
            provider_id: row.get(11)?,
            sends: to_u32(row.get(12)?),
            lookups: to_u32(row.get(13)?),
            next_check_ms: row.get(14)?,
            updated_ms: row.get(15)?,
            acknowledged: row.get::<_, i64>(17)? != 0,
            runner: row.get(18)?,
            sent_ms: row.get(19)?,
            resolution: resolution.and_then(|r| serde_json::from_str(&r).ok()),
        },
        version: to_u64(row.get(16)?),
    })
}

pub(super) fn read_batch(row: &Row<'_>) -> rusqlite::Result<BatchRow> {
    Ok(BatchRow {
        batch_id: row.get(0)?,
        fingerprint: row.get(1)?,
        total: to_u64(row.get(2)?),
        paused: row.get(3)?,
        started_at_ms: row.get(4)?,
        finished_at_ms: row.get(5)?,
        secret_check: row.get(6)?,
    })
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
