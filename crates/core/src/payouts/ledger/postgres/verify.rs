//! The verification records of `payouts.verify` in PostgreSQL (migration 6): one row per
//! item, the record as JSONB (what was concluded, a score and a masked name; never a
//! registered name).

use serde_json::Value;

use super::call::PostgresLedger;
use super::error::Error;
use crate::failure::Failure;

pub async fn all(ledger: &PostgresLedger, batch_id: &str) -> Result<Vec<(String, Value)>, Failure> {
    let batch_id = batch_id.to_owned();
    ledger
        .call(move |c, sql| {
            let batch_id = batch_id.clone();
            Box::pin(async move {
                let text = format!(
                    "SELECT key, record::text FROM {}.payout_verifications WHERE batch_id = $1",
                    sql.schema
                );
                let stmt = c.prepare_cached(&text).await?;
                let mut out = Vec::new();
                for r in c.query(&stmt, &[&batch_id]).await? {
                    let record: String = r.try_get(1)?;
                    let record = serde_json::from_str(&record).map_err(|e| {
                        Error::Corrupt(format!("a verification record is not JSON ({e})"))
                    })?;
                    out.push((r.try_get(0)?, record));
                }
                Ok(out)
            })
        })
        .await
}

pub async fn record(
    ledger: &PostgresLedger,
    batch_id: &str,
    key: &str,
    record: &Value,
) -> Result<(), Failure> {
    let (batch_id, key, text) = (batch_id.to_owned(), key.to_owned(), record.to_string());
    ledger
        .call(move |c, sql| {
            let (batch_id, key, text) = (batch_id.clone(), key.clone(), text.clone());
            Box::pin(async move {
                let statement = format!(
                    "INSERT INTO {s}.payout_verifications (batch_id, key, record, updated_at) \
                     VALUES ($1, $2, $3::text::jsonb, {now}) ON CONFLICT (batch_id, key) \
                     DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at",
                    s = sql.schema,
                    now = super::sql::NOW_MS,
                );
                let stmt = c.prepare_cached(&statement).await?;
                c.execute(&stmt, &[&batch_id, &key, &text]).await?;
                Ok(())
            })
        })
        .await
}
