//! The verification records of `payouts.verify` in the SQLite file: one row per item, the
//! record as JSON text (what was concluded, a score and a masked name; never a registered
//! name).

use rusqlite::{params, Connection};
use serde_json::Value;

use super::call::SqliteLedger;
use super::error::storage;
use crate::failure::Failure;

const SCHEMA: &str = "\
CREATE TABLE IF NOT EXISTS payout_verifications (
  batch_id TEXT NOT NULL,
  key TEXT NOT NULL,
  record TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (batch_id, key)
);";

/// Creates the table a file written by an earlier version lacks.
pub fn create(conn: &Connection) -> Result<(), Failure> {
    conn.execute_batch(SCHEMA).map_err(storage)
}

pub async fn all(ledger: &SqliteLedger, batch_id: &str) -> Result<Vec<(String, Value)>, Failure> {
    let batch_id = batch_id.to_owned();
    ledger
        .read(move |c| {
            let mut stmt = c
                .prepare_cached("SELECT key, record FROM payout_verifications WHERE batch_id = ?1")
                .map_err(storage)?;
            let rows = stmt
                .query_map(params![batch_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(storage)?;
            let mut out = Vec::new();
            for row in rows {
                let (key, text) = row.map_err(storage)?;
                out.push((key, serde_json::from_str(&text).map_err(storage)?));
            }
            Ok(out)
        })
        .await
}

/// Writes the record of the item `(batch_id, key)`.
pub async fn record(
    ledger: &SqliteLedger,
    item: (&str, &str),
    record: &Value,
) -> Result<(), Failure> {
    let (batch_id, key, text) = (item.0.to_owned(), item.1.to_owned(), record.to_string());
    let now = crate::payouts::wall::system_ms();
    ledger
        .with(move |c| {
            c.prepare_cached(
                "INSERT INTO payout_verifications (batch_id, key, record, updated_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (batch_id, key) \
                 DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at",
            )
            .and_then(|mut stmt| stmt.execute(params![batch_id, key, text, now]))
            .map(drop)
            .map_err(storage)
        })
        .await
}
