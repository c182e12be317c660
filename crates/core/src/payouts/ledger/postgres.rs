//! The shared ledger: PostgreSQL, for workers in many processes and on many machines.
//!
//! The same tables as the SQLite ledger, in the schema the URL names, created by the
//! package's own migrations ([`connect::migrate`]). Every transition is one `UPDATE …
//! WHERE` on the row's status, generation and version: PostgreSQL's row lock makes it a
//! compare-and-set across every process, so two workers never both claim an item.
//! A call that loses its connection (a restarted server, `pg_terminate_backend`) is made
//! again on a fresh one; that is safe because every write is either a compare-and-set or
//! a transaction that checks what is already there. A transition made again after its
//! reply was lost finds by its write id whether the first attempt committed.

mod connect;
mod sql;
mod verify;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{Object, Pool, PoolError};
use serde_json::Value;
use tokio_postgres::error::SqlState;
use tokio_postgres::Row;

use super::{
    BatchRow, Created, Due, DuePage, ItemRow, ItemState, ItemsPage, Ledger, NewBatch, NewItem,
    RailId, StagedBatch, Status, Totals,
};
use crate::failure::{Failure, FailureKind};
use sql::Sql;

/// Attempts of one call when its connection was lost.
const ATTEMPTS: u32 = 4;
const RETRY_GAP: Duration = Duration::from_millis(200);
/// Items written per INSERT when a batch is created.
const INSERT_CHUNK: usize = 2_000;
/// A runner's heartbeat row is dropped this long after it was last seen.
const FORGET_RUNNER_MS: i64 = 86_400_000;
/// A stage left this long (its process died while submitting) is dropped.
const FORGET_STAGE_MS: i64 = 86_400_000;

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
    let same = match tx.query_opt(&sql.batch, &[&batch.batch_id]).await? {
        Some(r) => read_batch(&r)?.fingerprint == batch.fingerprint,
        None => false,
    };
    Ok(Some(if same {
        Created::Existing
    } else {
        Created::Conflict
    }))
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

/// A failed call: whether making it again on a new connection may succeed.
enum Error {
    Pool(PoolError),
    Db(tokio_postgres::Error),
    /// What the ledger holds is not what this package writes.
    Corrupt(String),
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        Error::Db(e)
    }
}

impl Error {
    fn is_transient(&self) -> bool {
        const AGAIN: [SqlState; 5] = [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
        ];
        match self {
            Error::Pool(PoolError::Closed) | Error::Corrupt(_) => false,
            Error::Pool(_) => true,
            Error::Db(e) if e.is_closed() => true,
            Error::Db(e) => match e.code() {
                // No SQL state: the connection itself failed (I/O, TLS, a lost server).
                None => e.as_db_error().is_none(),
                Some(code) => code.code().starts_with("08") || AGAIN.contains(code),
            },
        }
    }

    fn describe(&self) -> String {
        let db_error = |e: &tokio_postgres::Error| match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        };
        match self {
            // The server's own words (a refused password, say), not just "db error".
            Error::Pool(PoolError::Backend(e)) => {
                format!("a connection could not be made: {}", db_error(e))
            }
            Error::Pool(e) => e.to_string(),
            Error::Corrupt(what) => what.clone(),
            Error::Db(e) => db_error(e),
        }
    }
}

type Call<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

pub struct PostgresLedger {
    pool: Pool,
    sql: Arc<Sql>,
    secrets: Vec<String>,
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn to_u32(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn read_item(r: &Row) -> Result<ItemRow, tokio_postgres::Error> {
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

fn read_batch(r: &Row) -> Result<BatchRow, tokio_postgres::Error> {
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

async fn select_item(
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
async fn select_account(
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

impl PostgresLedger {
    /// Connects (checking the server is there) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<PostgresLedger, Failure> {
        let target = connect::parse(url)?;
        let pool = connect::pool(&target)?;
        let ledger = PostgresLedger {
            pool,
            sql: Arc::new(Sql::new(&target.schema)),
            secrets: target.secrets,
        };
        let schema = target.schema;
        // A ledger that cannot be opened is a matter of options.ledger.
        ledger
            .call_for("opened", move |mut c, _| {
                let schema = schema.clone();
                Box::pin(async move { Ok(connect::migrate(&mut c, &schema).await?) })
            })
            .await
            .map_err(|f| f.with_field("ledger"))?;
        Ok(ledger)
    }

    fn failure(&self, what: &str, e: &Error) -> Failure {
        Failure::new(
            FailureKind::NetworkError,
            connect::redact(
                &format!(
                    "the PostgreSQL payouts ledger could not be {what} ({})",
                    e.describe()
                ),
                &self.secrets,
            ),
        )
    }

    /// Runs `f` on a pooled connection, again on a new one while the failure is a lost
    /// connection.
    async fn call<T, F>(&self, f: F) -> Result<T, Failure>
    where
        F: Fn(Object, Arc<Sql>) -> Call<T>,
    {
        self.call_for("read or written", f).await
    }

    async fn call_for<T, F>(&self, what: &str, f: F) -> Result<T, Failure>
    where
        F: Fn(Object, Arc<Sql>) -> Call<T>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = match self.pool.get().await {
                Ok(c) => f(c, self.sql.clone()).await,
                Err(e) => Err(Error::Pool(e)),
            };
            match result {
                Ok(v) => return Ok(v),
                Err(e) if attempt < ATTEMPTS && e.is_transient() => {
                    tokio::time::sleep(RETRY_GAP * attempt).await;
                }
                Err(e) => return Err(self.failure(what, &e)),
            }
        }
    }
}

#[async_trait]
impl Ledger for PostgresLedger {
    async fn create_batch(&self, batch: NewBatch) -> Result<Created, Failure> {
        let batch = Arc::new(batch);
        self.call(move |mut c, sql| {
            let batch = batch.clone();
            Box::pin(async move {
                let tx = c.transaction().await?;
                let head = StagedBatch {
                    batch_id: batch.batch_id.clone(),
                    fingerprint: batch.fingerprint.clone(),
                    total: batch.items.len() as u64,
                    secret_check: batch.secret_check.clone(),
                    now_ms: batch.now_ms,
                };
                if let Some(found) = claim(&tx, &sql, &head).await? {
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
                let mut written = std::collections::HashSet::new();
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
                        if written != batch.total {
                            return Err(Error::Corrupt(super::lost_stage(written, batch.total)));
                        }
                        Created::New
                    }
                };
                tx.execute(&sql.unstage, &[&stage, &FORGET_STAGE_MS])
                    .await?;
                tx.commit().await?;
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

    async fn batch(&self, batch_id: &str) -> Result<Option<BatchRow>, Failure> {
        let batch_id = batch_id.to_owned();
        self.call(move |c, sql| {
            let batch_id = batch_id.clone();
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.batch).await?;
                match c.query_opt(&stmt, &[&batch_id]).await? {
                    Some(r) => Ok(Some(read_batch(&r)?)),
                    None => Ok(None),
                }
            })
        })
        .await
    }

    async fn item(&self, batch_id: &str, key: &str) -> Result<Option<ItemRow>, Failure> {
        let (batch_id, key) = (batch_id.to_owned(), key.to_owned());
        self.call(move |c, sql| {
            let (batch_id, key) = (batch_id.clone(), key.clone());
            Box::pin(async move { select_item(&c, &sql, &batch_id, &key).await })
        })
        .await
    }

    async fn items(&self, batch_id: &str, page: ItemsPage<'_>) -> Result<Vec<ItemRow>, Failure> {
        let (statuses, after_seq, limit) = (page.statuses, page.after_seq, page.limit);
        let batch_id = batch_id.to_owned();
        let wanted = if statuses.is_empty() {
            &Status::ALL[..]
        } else {
            statuses
        };
        let statuses: Vec<&'static str> = wanted.iter().map(|s| s.as_str()).collect();
        let after = after_seq.map_or(-1, to_i64);
        let limit = i64::from(limit);
        self.call(move |c, sql| {
            let (batch_id, statuses) = (batch_id.clone(), statuses.clone());
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.items).await?;
                let rows = c
                    .query(&stmt, &[&batch_id, &statuses, &after, &limit])
                    .await?;
                Ok(rows.iter().map(read_item).collect::<Result<Vec<_>, _>>()?)
            })
        })
        .await
    }

    async fn due(&self, batch_id: &str, page: DuePage) -> Result<Vec<ItemRow>, Failure> {
        let (status, due, after, limit) = (page.status, page.due, page.after, page.limit);
        let batch_id = batch_id.to_owned();
        let status = status.as_str();
        let limit = i64::from(limit);
        self.call(move |c, sql| {
            let batch_id = batch_id.clone();
            Box::pin(async move {
                let rows = match due {
                    Due::By(now) => {
                        let (at, seq) = after.map_or((i64::MIN, -1), |(at, seq)| (at, to_i64(seq)));
                        let stmt = c.prepare_cached(&sql.due_by).await?;
                        c.query(&stmt, &[&batch_id, &status, &now, &at, &seq, &limit])
                            .await?
                    }
                    Due::Unset => {
                        let seq = after.map_or(-1, |(_, seq)| to_i64(seq));
                        let stmt = c.prepare_cached(&sql.due_unset).await?;
                        c.query(&stmt, &[&batch_id, &status, &seq, &limit]).await?
                    }
                };
                Ok(rows.iter().map(read_item).collect::<Result<Vec<_>, _>>()?)
            })
        })
        .await
    }

    async fn transition(&self, from: &ItemRow, to: ItemState) -> Result<Option<ItemRow>, Failure> {
        let from = Arc::new(from.clone());
        let to = Arc::new(to);
        // One id for every attempt of this call: an attempt after a lost reply finds it
        // on the row if an earlier one committed.
        let write_id = Arc::new(uuid::Uuid::new_v4().to_string());
        let attempts = Arc::new(AtomicU32::new(0));
        self.call(move |c, sql| {
            let (from, to, write_id) = (from.clone(), to.clone(), write_id.clone());
            let retry = attempts.fetch_add(1, Ordering::Relaxed) > 0;
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.transition).await?;
                let reason = to.reason.as_ref().map(serde_json::Value::to_string);
                let resolution = to.resolution.as_ref().map(serde_json::Value::to_string);
                let changed = c
                    .execute(
                        &stmt,
                        &[
                            &to.status.as_str(),
                            &i64::from(to.generation),
                            &to.reference,
                            &reason,
                            &to.provider_id,
                            &i64::from(to.sends),
                            &i64::from(to.lookups),
                            &to.next_check_ms,
                            &to.updated_ms,
                            &from.batch_id,
                            &from.item.key,
                            &from.state.status.as_str(),
                            &i64::from(from.state.generation),
                            &to_i64(from.version),
                            &to.acknowledged,
                            &to.runner,
                            &to.sent_ms,
                            &resolution,
                            &*write_id,
                        ],
                    )
                    .await?;
                let version = if changed == 1 {
                    Some(to_i64(from.version + 1))
                } else if retry {
                    // 0 rows on a later attempt: either another writer changed the row
                    // first, or an earlier attempt of ours committed and its reply was
                    // lost; only ours carries this write id.
                    let stmt = c.prepare_cached(&sql.written).await?;
                    let mine = c
                        .query_opt(
                            &stmt,
                            &[
                                &from.batch_id,
                                &from.item.key,
                                &*write_id,
                                &to_i64(from.version + 1),
                            ],
                        )
                        .await?;
                    mine.map(|r| r.try_get::<_, i64>(0)).transpose()?
                } else {
                    None
                };
                Ok(version.map(|v| ItemRow {
                    state: (*to).clone(),
                    version: to_u64(v),
                    ..(*from).clone()
                }))
            })
        })
        .await
    }

    async fn set_paused(&self, batch_id: &str, paused: Option<&str>) -> Result<(), Failure> {
        let (batch_id, paused) = (batch_id.to_owned(), paused.map(str::to_owned));
        self.call(move |c, sql| {
            let (batch_id, paused) = (batch_id.clone(), paused.clone());
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.paused).await?;
                c.execute(&stmt, &[&batch_id, &paused]).await?;
                Ok(())
            })
        })
        .await
    }

    async fn set_finished(&self, batch_id: &str, at_ms: Option<i64>) -> Result<(), Failure> {
        let batch_id = batch_id.to_owned();
        self.call(move |c, sql| {
            let batch_id = batch_id.clone();
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.finished).await?;
                c.execute(&stmt, &[&batch_id, &at_ms]).await?;
                Ok(())
            })
        })
        .await
    }

    async fn totals(&self, batch_id: &str) -> Result<Totals, Failure> {
        let batch_id = batch_id.to_owned();
        self.call(move |c, sql| {
            let batch_id = batch_id.clone();
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.by_status).await?;
                let mut by_status = Vec::new();
                for r in c.query(&stmt, &[&batch_id]).await? {
                    let status: String = r.try_get(0)?;
                    let n: i64 = r.try_get(1)?;
                    if let Some(s) = Status::parse(&status) {
                        by_status.push((s, to_u64(n)));
                    }
                }
                let stmt = c.prepare_cached(&sql.amounts).await?;
                let mut amounts = Vec::new();
                for r in c.query(&stmt, &[&batch_id]).await? {
                    amounts.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
                }
                Ok(Totals { by_status, amounts })
            })
        })
        .await
    }

    async fn bind_account(
        &self,
        batch_id: &str,
        provider: &RailId,
        environment: &serde_json::Value,
    ) -> Result<serde_json::Value, Failure> {
        let provider = provider.clone();
        let (batch_id, environment) = (batch_id.to_owned(), environment.to_string());
        let bound = self
            .call(move |c, sql| {
                let (batch_id, environment) = (batch_id.clone(), environment.clone());
                let provider = provider.clone();
                Box::pin(async move {
                    // Two statements, not one: a binder that waited on a rival's insert
                    // sees the rival's row only from a statement begun after it
                    // committed.
                    let stmt = c.prepare_cached(&sql.bind).await?;
                    c.execute(&stmt, &[&batch_id, &provider.as_str(), &environment])
                        .await?;
                    select_account(&c, &sql, &batch_id, &provider).await
                })
            })
            .await?;
        bound.ok_or_else(|| {
            Failure::new(
                FailureKind::NetworkError,
                "the PostgreSQL payouts ledger lost the account binding it just wrote",
            )
        })
    }

    async fn bound_account(
        &self,
        batch_id: &str,
        provider: &RailId,
    ) -> Result<Option<serde_json::Value>, Failure> {
        let provider = provider.clone();
        let batch_id = batch_id.to_owned();
        self.call(move |c, sql| {
            let (batch_id, provider) = (batch_id.clone(), provider.clone());
            Box::pin(async move { select_account(&c, &sql, &batch_id, &provider).await })
        })
        .await
    }

    async fn record_verification(&self, b: &str, k: &str, r: &Value) -> Result<(), Failure> {
        verify::record(self, b, k, r).await
    }

    async fn verifications(&self, batch_id: &str) -> Result<Vec<(String, Value)>, Failure> {
        verify::all(self, batch_id).await
    }

    async fn clock_ms(&self) -> Result<i64, Failure> {
        self.call(move |c, sql| {
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.clock).await?;
                Ok(c.query_one(&stmt, &[]).await?.try_get(0)?)
            })
        })
        .await
    }

    async fn close(&self) -> Result<(), Failure> {
        self.pool.close();
        Ok(())
    }

    async fn heartbeat(&self, runner: &str, now_ms: i64) -> Result<(), Failure> {
        let runner = runner.to_owned();
        self.call(move |c, sql| {
            let runner = runner.clone();
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.heartbeat).await?;
                c.execute(&stmt, &[&runner, &now_ms]).await?;
                let stmt = c.prepare_cached(&sql.forget_runners).await?;
                c.execute(&stmt, &[&(now_ms - FORGET_RUNNER_MS)]).await?;
                Ok(())
            })
        })
        .await
    }

    async fn runners_seen(&self, runners: &[String]) -> Result<Vec<(String, i64)>, Failure> {
        let runners = runners.to_vec();
        self.call(move |c, sql| {
            let runners = runners.clone();
            Box::pin(async move {
                let stmt = c.prepare_cached(&sql.runners_seen).await?;
                let mut seen = Vec::new();
                for r in c.query(&stmt, &[&runners]).await? {
                    seen.push((r.try_get(0)?, r.try_get(1)?));
                }
                Ok(seen)
            })
        })
        .await
    }
}
