//! Submissions in PostgreSQL: items staged with INSERT … UNNEST a chunk at a time, then
//! made a batch in one transaction that first claims the batch's row.

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;

use super::call::PostgresLedger;
use super::error::Error;
use super::rows::{read_batch, to_i64, to_u64};
use super::sql::Sql;
use crate::failure::Failure;
use crate::payouts::ledger::item::NewItem;
use crate::payouts::ledger::submit::{all_staged, Created, NewBatch, StagedBatch, Submissions};

/// A stage left this long (its process died while submitting) is dropped.
const FORGET_STAGE_MS: i64 = 86_400_000;

/// A new batch of at least this many items gets the items' statistics refreshed.
const ANALYZE_AT: u64 = 10_000;

/// Items written per INSERT.
const INSERT_CHUNK: usize = 2_000;

/// Writes the batch's row unless a batch with its id exists: `None` when written, else
/// whether the one there has the same items. Two producers at once: the second waits on
/// the first's row, then finds it and writes nothing.
async fn claim(
    tx: &tokio_postgres::Transaction<'_>,
    sql: &Sql,
    batch: &StagedBatch,
) -> Result<Option<Created>, Error> {
    let total = to_i64(batch.total);
    let claimed = tx
        .query_opt(
            &sql.claim_batch,
            &[
                &batch.batch_id,
                &batch.fingerprint,
                &total,
                &batch.now_ms,
                &batch.secret_check,
            ],
        )
        .await?;
    if claimed.is_some() {
        return Ok(None);
    }
    Ok(Some(
        match tx.query_opt(&sql.batch, &[&batch.batch_id]).await? {
            Some(r) => Created::over(&read_batch(&r)?, &batch.fingerprint),
            None => Created::Conflict,
        },
    ))
}

/// The column arrays of items written with one INSERT … UNNEST.
struct Columns<'a> {
    seqs: Vec<i64>,
    keys: Vec<&'a str>,
    providers: Vec<&'a str>,
    amounts: Vec<&'a str>,
    currencies: Vec<&'a str>,
    specs: Vec<String>,
}

impl<'a> Columns<'a> {
    fn of(items: impl Iterator<Item = (&'a NewItem, u64)>) -> Columns<'a> {
        let mut c = Columns {
            seqs: Vec::new(),
            keys: Vec::new(),
            providers: Vec::new(),
            amounts: Vec::new(),
            currencies: Vec::new(),
            specs: Vec::new(),
        };
        for (item, seq) in items {
            c.seqs.push(to_i64(seq));
            c.keys.push(&item.key);
            c.providers.push(item.provider.as_str());
            c.amounts.push(&item.amount);
            c.currencies.push(&item.currency);
            c.specs.push(item.spec.to_string());
        }
        c
    }
}

#[async_trait]
impl Submissions for PostgresLedger {
    async fn create_batch(&self, batch: NewBatch) -> Result<Created, Failure> {
        let batch = Arc::new(batch);
        self.call(move |mut c, sql| {
            let batch = batch.clone();
            Box::pin(async move {
                let tx = c.transaction().await?;
                if let Some(found) = claim(&tx, &sql, &batch.head()).await? {
                    return Ok(found);
                }
                let stmt = tx.prepare_cached(&sql.insert_items).await?;
                for (n, chunk) in batch.items.chunks(INSERT_CHUNK).enumerate() {
                    let first = (n * INSERT_CHUNK) as u64;
                    let c = Columns::of(chunk.iter().zip(first..));
                    tx.execute(
                        &stmt,
                        &[
                            &batch.batch_id,
                            &batch.now_ms,
                            &c.seqs,
                            &c.keys,
                            &c.providers,
                            &c.amounts,
                            &c.currencies,
                            &c.specs,
                        ],
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(Created::New)
            })
        })
        .await
    }

    async fn stage(&self, stage: &str, items: Vec<(u64, NewItem)>) -> Result<Vec<u64>, Failure> {
        let stage = stage.to_owned();
        let items = Arc::new(items);
        self.call(move |c, sql| {
            let (stage, items) = (stage.clone(), items.clone());
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.stage).await?;
                let mut written = HashSet::new();
                for chunk in items.chunks(INSERT_CHUNK) {
                    let cols = Columns::of(chunk.iter().map(|(s, i)| (i, *s)));
                    let rows = c
                        .query(
                            &stmt,
                            &[
                                &stage,
                                &cols.seqs,
                                &cols.keys,
                                &cols.providers,
                                &cols.amounts,
                                &cols.currencies,
                                &cols.specs,
                            ],
                        )
                        .await?;
                    for r in rows {
                        written.insert(to_u64(r.try_get::<_, i64>(0)?));
                    }
                }
                Ok(items
                    .iter()
                    .map(|(s, _)| *s)
                    .filter(|s| !written.contains(s))
                    .collect())
            })
        })
        .await
    }

    async fn commit_stage(&self, stage: &str, batch: StagedBatch) -> Result<Created, Failure> {
        let stage = stage.to_owned();
        let batch = Arc::new(batch);
        self.call(move |mut c, sql| {
            let (stage, batch) = (stage.clone(), batch.clone());
            Box::pin(async move {
                let tx = c.transaction().await?;
                let created = match claim(&tx, &sql, &batch).await? {
                    Some(found) => found,
                    None => {
                        let written = tx
                            .execute(
                                &sql.insert_staged,
                                &[&batch.batch_id, &batch.now_ms, &stage],
                            )
                            .await?;
                        // A stage that lost items (dropped as abandoned) is not a batch:
                        // the transaction is rolled back when `tx` is dropped.
                        all_staged(written, batch.total).map_err(Error::Corrupt)?;
                        Created::New
                    }
                };
                tx.execute(&sql.unstage, &[&stage, &FORGET_STAGE_MS])
                    .await?;
                tx.commit().await?;
                // A large batch arrives in one go, before autovacuum has looked at it:
                // without statistics the planner guesses a few rows and a page of a million
                // items sorts half of them. Statistics only: a failure changes nothing.
                if created == Created::New
                    && batch.total >= ANALYZE_AT
                    && c.batch_execute(&sql.analyze).await.is_err()
                {
                    // Never hand the pool a connection inside an aborted transaction.
                    let _ignored = c.batch_execute("ROLLBACK").await;
                }
                Ok(created)
            })
        })
        .await
    }

    async fn drop_stage(&self, stage: &str) -> Result<(), Failure> {
        let stage = stage.to_owned();
        self.call(move |c, sql| {
            let stage = stage.clone();
            Box::pin(async move {
                c.execute(&sql.unstage, &[&stage, &FORGET_STAGE_MS]).await?;
                Ok(())
            })
        })
        .await
    }
}
