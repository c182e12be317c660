//! Submissions in the SQLite file: items staged in a TEMP table of the one connection (no
//! log, no syncs), then copied into the batch in submission order in one transaction.

use async_trait::async_trait;
use rusqlite::{params, Connection, Statement};

use super::call::SqliteLedger;
use super::error::storage;
use super::rows::{select_batch, to_i64};
use super::schema::{ADD_UP, ITEM_COLUMNS};
use crate::failure::Failure;
use crate::payouts::ledger::item::NewItem;
use crate::payouts::ledger::submit::{all_staged, Created, NewBatch, StagedBatch, Submissions};

/// A stage left this long (its process died while submitting) is dropped.
const FORGET_STAGE_MS: i64 = 86_400_000;

/// Writes the batch's row unless a batch with its id exists: `None` when written, else
/// whether the one there has the same items. The caller's transaction holds the write
/// lock, so a second producer waits, then finds the row.
fn claim(tx: &Connection, batch: &StagedBatch) -> Result<Option<Created>, Failure> {
    if let Some(existing) = select_batch(tx, &batch.batch_id)? {
        return Ok(Some(Created::over(&existing, &batch.fingerprint)));
    }
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
    Ok(None)
}

/// Runs `insert`, whose parameters are (batch or stage, seq, key, provider, amount,
/// currency, spec, time), once an item; returns the seqs it wrote no row for.
fn insert_items<'a>(
    insert: &mut Statement<'_>,
    owner: &str,
    items: impl Iterator<Item = (u64, &'a NewItem)>,
    at: i64,
) -> Result<Vec<u64>, Failure> {
    let mut unwritten = Vec::new();
    for (seq, item) in items {
        let written = insert
            .execute(params![
                owner,
                to_i64(seq),
                item.key,
                item.provider.as_str(),
                item.amount,
                item.currency,
                item.spec.to_string(),
                at
            ])
            .map_err(storage)?;
        if written == 0 {
            unwritten.push(seq);
        }
    }
    Ok(unwritten)
}

#[async_trait]
impl Submissions for SqliteLedger {
    async fn create_batch(&self, batch: NewBatch) -> Result<Created, Failure> {
        self.with(move |c| {
            let tx = c.savepoint().map_err(storage)?;
            if let Some(found) = claim(&tx, &batch.head())? {
                return Ok(found);
            }
            {
                let mut insert = tx
                    .prepare(&format!(
                        "INSERT INTO payout_items ({ITEM_COLUMNS}) VALUES \
                         (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', 0, NULL, NULL, NULL, 0, 0, NULL, ?8, 0, 0, NULL, NULL, NULL)"
                    ))
                    .map_err(storage)?;
                let items = batch.items.iter().enumerate();
                let items = items.map(|(seq, item)| (seq as u64, item));
                insert_items(&mut insert, &batch.batch_id, items, batch.now_ms)?;
            }
            tx.execute(ADD_UP, params![batch.batch_id])
                .map_err(storage)?;
            tx.commit().map_err(storage)?;
            Ok(Created::New)
        })
        .await
    }

    async fn stage(&self, stage: &str, items: Vec<(u64, NewItem)>) -> Result<Vec<u64>, Failure> {
        let stage = stage.to_owned();
        // Only the connection's TEMP stage is written: no lock on the file is needed.
        self.read(move |c| {
            let tx = c.savepoint().map_err(storage)?;
            let now = crate::payouts::wall::system_ms();
            let repeated = {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO payout_stage \
                         (stage, seq, key, provider, amount, currency, spec, staged_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )
                    .map_err(storage)?;
                let items = items.iter().map(|(seq, item)| (*seq, item));
                insert_items(&mut insert, &stage, items, now)?
            };
            tx.commit().map_err(storage)?;
            Ok(repeated)
        })
        .await
    }

    async fn commit_stage(&self, stage: &str, batch: StagedBatch) -> Result<Created, Failure> {
        let stage = stage.to_owned();
        self.with(move |c| {
            let tx = c.savepoint().map_err(storage)?;
            let created = match claim(&tx, &batch)? {
                Some(found) => found,
                None => {
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
                    let written = u64::try_from(written).unwrap_or(u64::MAX);
                    all_staged(written, batch.total).map_err(storage)?;
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

    async fn drop_stage(&self, stage: &str) -> Result<(), Failure> {
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
