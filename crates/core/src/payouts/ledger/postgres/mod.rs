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

mod call;
mod connect;
mod error;
mod rows;
mod sql;
mod submit;
mod verify;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

use super::item::{BatchRow, ItemRow, ItemState, Status};
use super::store::{Due, DuePage, ItemsPage, Ledger, Totals};
use crate::failure::{Failure, FailureKind};
use crate::payouts::rail::RailId;
pub use call::PostgresLedger;
use rows::{read_batch, read_item, select_account, select_item, to_i64, to_u64};
use sql::Sql;

/// A runner's heartbeat row is dropped this long after it was last seen.
const FORGET_RUNNER_MS: i64 = 86_400_000;

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
}

#[async_trait]
impl Ledger for PostgresLedger {
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
        let statuses: Vec<&'static str> = statuses.iter().map(|s| s.as_str()).collect();
        let after = after_seq.map_or(-1, to_i64);
        let limit = i64::from(limit);
        self.call(move |c, sql| {
            let (batch_id, statuses) = (batch_id.clone(), statuses.clone());
            Box::pin(async move {
                let rows = if statuses.is_empty() {
                    let stmt = c.prepare_cached(&sql.items_all).await?;
                    c.query(&stmt, &[&batch_id, &after, &limit]).await?
                } else {
                    let stmt = c.prepare_cached(&sql.items).await?;
                    c.query(&stmt, &[&batch_id, &statuses, &after, &limit])
                        .await?
                };
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
                let stmt = c.prepare_cached(&sql.totals).await?;
                let (mut by_status, mut amounts) = (Vec::new(), Vec::new());
                for r in c.query(&stmt, &[&batch_id]).await? {
                    let kind: &str = r.try_get(0)?;
                    let name: String = r.try_get(1)?;
                    if kind == "c" {
                        amounts.push((name, r.try_get(3)?, r.try_get(4)?));
                    } else if let Some(s) = Status::parse(&name) {
                        by_status.push((s, to_u64(r.try_get::<_, i64>(2)?)));
                    }
                }
                Ok(Totals { by_status, amounts })
            })
        })
        .await
    }

    async fn bind_account(&self, batch: &str, rail: &RailId, to: &Value) -> Result<Value, Failure> {
        let (batch, rail, env) = (batch.to_owned(), rail.clone(), to.to_string());
        let bound = self
            .call(move |c, sql| {
                let (batch, rail, env) = (batch.clone(), rail.clone(), env.clone());
                Box::pin(async move {
                    // Two statements, not one: a binder that waited on a rival's insert
                    // sees the rival's row only from a statement begun after it
                    // committed.
                    let stmt = c.prepare_cached(&sql.bind).await?;
                    c.execute(&stmt, &[&batch, &rail.as_str(), &env]).await?;
                    select_account(&c, &sql, &batch, &rail).await
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

    async fn bound_account(&self, batch: &str, rail: &RailId) -> Result<Option<Value>, Failure> {
        let rail = rail.clone();
        let batch = batch.to_owned();
        self.call(move |c, sql| {
            let (batch, rail) = (batch.clone(), rail.clone());
            Box::pin(async move { select_account(&c, &sql, &batch, &rail).await })
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
