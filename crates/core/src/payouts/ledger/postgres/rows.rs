//! Rows read into the ledger's types.

use deadpool_postgres::Object;
use tokio_postgres::Row;

use super::error::Error;
use super::sql::Sql;
use crate::payouts::ledger::item::ItemRow;
use crate::payouts::ledger::rows::Columns;
use crate::payouts::rail::RailId;

pub(super) use crate::payouts::ledger::rows::{read_batch, read_item, to_i64, to_u64};

impl Columns for Row {
    type Error = tokio_postgres::Error;
    fn text(&self, i: usize) -> Result<String, Self::Error> {
        self.try_get(i)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, Self::Error> {
        self.try_get(i)
    }
    fn int(&self, i: usize) -> Result<i64, Self::Error> {
        self.try_get(i)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>, Self::Error> {
        self.try_get(i)
    }
    fn flag(&self, i: usize) -> Result<bool, Self::Error> {
        self.try_get(i)
    }
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
