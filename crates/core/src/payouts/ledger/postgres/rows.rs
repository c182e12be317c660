//! Rows read into the ledger's types.

use deadpool_postgres::Object;
use tokio_postgres::Row;

use super::error::Error;
use super::sql::Sql;
use crate::payouts::ledger::{BatchRow, ItemRow, ItemState, NewItem, RailId, Status};

pub(super) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub(super) fn to_u32(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

pub(super) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn read_item(r: &Row) -> Result<ItemRow, tokio_postgres::Error> {
    let provider: String = r.try_get(3)?;
    let spec: String = r.try_get(6)?;
    let status: String = r.try_get(7)?;
    let reason: Option<String> = r.try_get(10)?;
    let resolution: Option<String> = r.try_get(20)?;
    Ok(ItemRow {
        batch_id: r.try_get(0)?,
        seq: to_u64(r.try_get(1)?),
        item: NewItem {
            key: r.try_get(2)?,
            provider: RailId::from(provider.as_str()),
            amount: r.try_get(4)?,
            currency: r.try_get(5)?,
            spec: serde_json::from_str(&spec).unwrap_or(serde_json::Value::Null),
        },
        state: ItemState {
            status: Status::parse(&status).unwrap_or(Status::Unknown),
            generation: to_u32(r.try_get(8)?),
            reference: r.try_get(9)?,
            reason: reason.and_then(|t| serde_json::from_str(&t).ok()),
            provider_id: r.try_get(11)?,
            sends: to_u32(r.try_get(12)?),
            lookups: to_u32(r.try_get(13)?),
            next_check_ms: r.try_get(14)?,
            updated_ms: r.try_get(15)?,
            acknowledged: r.try_get(17)?,
            runner: r.try_get(18)?,
            sent_ms: r.try_get(19)?,
            resolution: resolution.and_then(|t| serde_json::from_str(&t).ok()),
        },
        version: to_u64(r.try_get(16)?),
    })
}

pub(super) fn read_batch(r: &Row) -> Result<BatchRow, tokio_postgres::Error> {
    Ok(BatchRow {
        batch_id: r.try_get(0)?,
        fingerprint: r.try_get(1)?,
        total: to_u64(r.try_get(2)?),
        paused: r.try_get(3)?,
        started_at_ms: r.try_get(4)?,
        finished_at_ms: r.try_get(5)?,
        secret_check: r.try_get(6)?,
    })
}

pub(super) async fn select_item(
    c: &Object,
    sql: &Sql,
    batch_id: &str,
    key: &str,
) -> Result<Option<ItemRow>, Error> {
    let stmt = c.prepare_cached(&sql.item).await?;
    match c.query_opt(&stmt, &[&batch_id, &key]).await? {
        Some(r) => Ok(Some(read_item(&r)?)),
        None => Ok(None),
    }
}

/// The environment a batch is bound to for `provider`; text that is not JSON (written by
/// hand) is a failure, not an unbound batch.
pub(super) async fn select_account(
    c: &Object,
    sql: &Sql,
    batch_id: &str,
    provider: &RailId,
) -> Result<Option<serde_json::Value>, Error> {
    let stmt = c.prepare_cached(&sql.bound).await?;
    let Some(row) = c.query_opt(&stmt, &[&batch_id, &provider.as_str()]).await? else {
        return Ok(None);
    };
    let text: String = row.try_get(0)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Corrupt(format!("an account binding is not JSON ({e})")))
}
