//! Submissions in the SQLite file: items staged in a TEMP table of the one connection (no
//! log, no syncs), then copied into the batch in submission order in one transaction.

use rusqlite::params;

use super::rows::{select_batch, to_i64};
use super::schema::{ADD_UP, ITEM_COLUMNS};
use super::{storage, SqliteLedger, FORGET_STAGE_MS};
use crate::failure::Failure;
use crate::payouts::ledger::{Created, NewBatch, NewItem, StagedBatch};

impl SqliteLedger {
    pub(super) async fn write_batch(&self, batch: NewBatch) -> Result<Created, Failure> {
        self.with(move |c| {
            let tx = c.savepoint().map_err(storage)?;
            if let Some(existing) = select_batch(&tx, &batch.batch_id)? {
                return Ok(if existing.fingerprint == batch.fingerprint {
                    Created::Existing
                } else {
                    Created::Conflict
                });
            }
            tx.execute(
                "INSERT INTO payout_batches (batch_id, fingerprint, total, started_at, secret_check) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    batch.batch_id,
                    batch.fingerprint,
                    to_i64(batch.items.len() as u64),
                    batch.now_ms,
                    batch.secret_check
                ],
            )
            .map_err(storage)?;
            {
                let mut insert = tx
                    .prepare(&format!(
                        "INSERT INTO payout_items ({ITEM_COLUMNS}) VALUES \
                         (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', 0, NULL, NULL, NULL, 0, 0, NULL, ?8, 0, 0, NULL, NULL, NULL)"
                    ))
                    .map_err(storage)?;
                for (seq, item) in batch.items.iter().enumerate() {
                    insert
                        .execute(params![
                            batch.batch_id,
                            to_i64(seq as u64),
                            item.key,
                            item.provider.as_str(),
                            item.amount,
                            item.currency,
                            item.spec.to_string(),
                            batch.now_ms
                        ])
                        .map_err(storage)?;
                }
            }
            tx.execute(ADD_UP, params![batch.batch_id])
                .map_err(storage)?;
            tx.commit().map_err(storage)?;
            Ok(Created::New)
        })
        .await
    }

    pub(super) async fn write_stage(
        &self,
        stage: &str,
        items: Vec<(u64, NewItem)>,
    ) -> Result<Vec<u64>, Failure> {
        let stage = stage.to_owned();
        // Only the connection's TEMP stage is written: no lock on the file is needed.
        self.read(move |c| {
            let tx = c.savepoint().map_err(storage)?;
            let now = crate::payouts::wall::system_ms();
            let mut repeated = Vec::new();
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO payout_stage \
                         (stage, seq, key, provider, amount, currency, spec, staged_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )
                    .map_err(storage)?;
                for (seq, item) in &items {
                    let written = insert
                        .execute(params![
                            stage,
                            to_i64(*seq),
                            item.key,
                            item.provider.as_str(),
                            item.amount,
                            item.currency,
                            item.spec.to_string(),
                            now
                        ])
                        .map_err(storage)?;
                    if written == 0 {
                        repeated.push(*seq);
                    }
                }
            }
            tx.commit().map_err(storage)?;
            Ok(repeated)
        })
        .await
    }

    pub(super) async fn write_staged_batch(
        &self,
        stage: &str,
        batch: StagedBatch,
    ) -> Result<Created, Failure> {
        let stage = stage.to_owned();
        self.with(move |c| {
            let tx = c.savepoint().map_err(storage)?;
            let created = match select_batch(&tx, &batch.batch_id)? {
                Some(existing) if existing.fingerprint == batch.fingerprint => Created::Existing,
                Some(_) => Created::Conflict,
                None => {
                    tx.execute(
                        "INSERT INTO payout_batches (batch_id, fingerprint, total, started_at, secret_check) \
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![
                            batch.batch_id,
                            batch.fingerprint,
                            to_i64(batch.total),
                            batch.now_ms,
                            batch.secret_check
                        ],
                    )
                    .map_err(storage)?;
                    let written = tx
                        .execute(
                            &format!(
                                "INSERT INTO payout_items ({ITEM_COLUMNS}) \
                                 SELECT ?1, seq, key, provider, amount, currency, spec, 'queued', 0, NULL, \
                                 NULL, NULL, 0, 0, NULL, ?2, 0, 0, NULL, NULL, NULL \
                                 FROM payout_stage WHERE stage = ?3 ORDER BY seq"
                            ),
                            params![batch.batch_id, batch.now_ms, stage],
                        )
                        .map_err(storage)?;
                    // A stage that lost items (dropped as abandoned) is not a batch: the
                    // transaction is rolled back when `tx` is dropped.
                    if u64::try_from(written).ok() != Some(batch.total) {
                        return Err(storage(crate::payouts::ledger::lost_stage(
                            u64::try_from(written).unwrap_or(0),
                            batch.total,
                        )));
                    }
                    tx.execute(ADD_UP, params![batch.batch_id])
                        .map_err(storage)?;
                    Created::New
                }
            };
            tx.execute("DELETE FROM payout_stage WHERE stage = ?1", params![stage])
                .map_err(storage)?;
            tx.commit().map_err(storage)?;
            Ok(created)
        })
        .await
    }

    pub(super) async fn forget_stage(&self, stage: &str) -> Result<(), Failure> {
        let stage = stage.to_owned();
        self.with(move |c| {
            let old = crate::payouts::wall::system_ms() - FORGET_STAGE_MS;
            c.execute(
                "DELETE FROM payout_stage WHERE stage = ?1 OR staged_at < ?2",
                params![stage, old],
            )
            .map(drop)
            .map_err(storage)
        })
        .await
    }
}
