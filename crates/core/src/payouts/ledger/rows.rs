//! An item's or a batch's row read into the ledger's types, the same way in both stores:
//! each implements [`Columns`] for its own row type, in the column order of
//! `ITEM_COLUMNS` (`payout_items`) and of the batch reads (`payout_batches`).

use super::item::{BatchRow, ItemRow, ItemState, NewItem, Status};
use crate::payouts::rail::RailId;

/// One row's columns by position, as the store's driver reads them.
pub(super) trait Columns {
    type Error;
    fn text(&self, i: usize) -> Result<String, Self::Error>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, Self::Error>;
    fn int(&self, i: usize) -> Result<i64, Self::Error>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>, Self::Error>;
    fn flag(&self, i: usize) -> Result<bool, Self::Error>;
}

pub(super) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub(super) fn to_u32(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

pub(super) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A JSON column: a row written by this crate always parses; `None` if it does not.
fn json(text: Option<String>) -> Option<serde_json::Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

pub(super) fn read_item<C: Columns>(r: &C) -> Result<ItemRow, C::Error> {
    let status = r.text(7)?;
    Ok(ItemRow {
        batch_id: r.text(0)?,
        seq: to_u64(r.int(1)?),
        item: NewItem {
            key: r.text(2)?,
            provider: RailId::from(r.text(3)?.as_str()),
            amount: r.text(4)?,
            currency: r.text(5)?,
            spec: json(Some(r.text(6)?)).unwrap_or(serde_json::Value::Null),
        },
        state: ItemState {
            status: Status::parse(&status).unwrap_or(Status::Unknown),
            generation: to_u32(r.int(8)?),
            reference: r.opt_text(9)?,
            reason: json(r.opt_text(10)?),
            provider_id: r.opt_text(11)?,
            sends: to_u32(r.int(12)?),
            lookups: to_u32(r.int(13)?),
            next_check_ms: r.opt_int(14)?,
            updated_ms: r.int(15)?,
            acknowledged: r.flag(17)?,
            runner: r.opt_text(18)?,
            sent_ms: r.opt_int(19)?,
            resolution: json(r.opt_text(20)?),
        },
        version: to_u64(r.int(16)?),
    })
}

pub(super) fn read_batch<C: Columns>(r: &C) -> Result<BatchRow, C::Error> {
    Ok(BatchRow {
        batch_id: r.text(0)?,
        fingerprint: r.text(1)?,
        total: to_u64(r.int(2)?),
        paused: r.opt_text(3)?,
        started_at_ms: r.int(4)?,
        finished_at_ms: r.opt_int(5)?,
        secret_check: r.opt_text(6)?,
    })
}
