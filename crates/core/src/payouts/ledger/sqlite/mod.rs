//! The embedded ledger: one SQLite file in WAL mode. Its work is blocking, so one thread
//! of its own owns the connection and runs the calls in turn (SQLite has one writer
//! anyway), and every transition is a single `UPDATE … WHERE`
//! on the row's status, generation and version, atomic across processes by SQLite's lock.

mod verify;

use std::path::Path;

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::item::{BatchRow, ItemRow, ItemState, Status};
use super::store::{Due, DuePage, ItemsPage, Ledger, Totals};
use crate::failure::Failure;
use crate::payouts::rail::RailId;
use rows::{json_text, read_item, select_account, select_batch, select_item, to_i64, to_u64};
use schema::{add_columns, add_totals, ITEM_COLUMNS, SCHEMA, STAGE};

mod call;
mod error;
mod rows;
mod schema;
mod submit;
mod thread;

pub use call::SqliteLedger;
use error::{closed, storage};
use thread::Job;

/// A runner's heartbeat row is dropped this long after it was last seen.
const FORGET_RUNNER_MS: i64 = 86_400_000;

impl SqliteLedger {
    /// Opens (creating if needed) the ledger file. Blocking: call it off the async threads.
    pub fn open(path: &Path) -> Result<SqliteLedger, Failure> {
        let mut conn = Connection::open(path).map_err(storage)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(storage)?;
        // WAL lets readers go on while one writer commits; synchronous=FULL syncs the log at
        // every commit, so a reference written before its request left survives a power
        // loss too. journal_mode answers the mode it got: a file system without shared
        // memory would silently stay in a rollback journal.
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(storage)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(storage(format!(
                "it could not be put in WAL mode (journal_mode is {mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(storage)?;
        // A batch of a million items has indexes far larger than SQLite's 2 MB default
        // cache: 32 MB keeps a submit's and a run's index pages in memory.
        conn.pragma_update(None, "cache_size", -32_768)
            .map_err(storage)?;
        conn.execute_batch(SCHEMA).map_err(storage)?;
        add_columns(&conn)?;
        add_totals(&mut conn)?;
        conn.execute_batch(STAGE).map_err(storage)?;
        verify::create(&conn)?;
        Ok(SqliteLedger {
            jobs: thread::spawn(conn)?,
        })
    }

    /// Sets one column of the batch's row.
    async fn set_batch<V>(&self, column: &'static str, batch_id: &str, v: V) -> Result<(), Failure>
    where
        V: rusqlite::ToSql + Send + 'static,
    {
        let batch_id = batch_id.to_owned();
        self.with(move |c| {
            let sql = format!("UPDATE payout_batches SET {column} = ?1 WHERE batch_id = ?2");
            c.execute(&sql, params![v, batch_id])
                .map(drop)
                .map_err(storage)
        })
        .await
    }
}

#[async_trait]
impl Ledger for SqliteLedger {
    async fn batch(&self, batch_id: &str) -> Result<Option<BatchRow>, Failure> {
        let batch_id = batch_id.to_owned();
        self.read(move |c| select_batch(c, &batch_id)).await
    }

    async fn item(&self, batch_id: &str, key: &str) -> Result<Option<ItemRow>, Failure> {
        let (batch_id, key) = (batch_id.to_owned(), key.to_owned());
        self.read(move |c| select_item(c, &batch_id, &key)).await
    }

    async fn items(&self, batch_id: &str, page: ItemsPage<'_>) -> Result<Vec<ItemRow>, Failure> {
        let (statuses, after_seq, limit) = (page.statuses, page.after_seq, page.limit);
        let batch_id = batch_id.to_owned();
        let statuses: Vec<&'static str> = statuses.iter().map(|s| s.as_str()).collect();
        self.read(move |c| {
            let filter = if statuses.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = statuses.iter().map(|s| format!("'{s}'")).collect();
                format!(" AND status IN ({})", list.join(","))
            };
            let sql = format!(
                "SELECT {ITEM_COLUMNS} FROM payout_items WHERE batch_id = ?1 AND seq > ?2{filter} \
                 ORDER BY seq LIMIT ?3"
            );
            let mut stmt = c.prepare_cached(&sql).map_err(storage)?;
            let after = after_seq.map_or(-1, to_i64);
            let rows = stmt
                .query_map(params![batch_id, after, i64::from(limit)], read_item)
                .map_err(storage)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(storage)
        })
        .await
    }

    async fn due(&self, batch_id: &str, page: DuePage) -> Result<Vec<ItemRow>, Failure> {
        let (status, due, after, limit) = (page.status, page.due, page.after, page.limit);
        let batch_id = batch_id.to_owned();
        self.read(move |c| {
            let status = status.as_str();
            let limit = i64::from(limit);
            // Both read the (batch, status, next_check, seq) index in its order; one statement
            // shape binds the same six parameters (`?3 = ?3` names one the unset form needs
            // not, as SQLite refuses a parameter the statement lacks).
            let (sql, at, seq, now) = match due {
                Due::By(now) => (
                    "next_check <= ?6 AND (next_check, seq) > (?3, ?4) ORDER BY next_check, seq",
                    after.map_or(i64::MIN, |(at, _)| at),
                    after.map_or(-1, |(_, seq)| to_i64(seq)),
                    now,
                ),
                Due::Unset => (
                    "next_check IS NULL AND seq > ?4 AND ?3 = ?3 AND ?6 = ?6 ORDER BY seq",
                    0,
                    after.map_or(-1, |(_, seq)| to_i64(seq)),
                    0,
                ),
            };
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {ITEM_COLUMNS} FROM payout_items WHERE batch_id = ?1 \
                     AND status = ?2 AND {sql} LIMIT ?5"
                ))
                .map_err(storage)?;
            let rows = stmt
                .query_map(params![batch_id, status, at, seq, limit, now], read_item)
                .map_err(storage)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(storage)
        })
        .await
    }

    async fn transition(&self, from: &ItemRow, to: ItemState) -> Result<Option<ItemRow>, Failure> {
        let from = from.clone();
        self.with(move |c| {
            let reason = json_text(&to.reason);
            let resolution = json_text(&to.resolution);
            let changed = c
                .prepare_cached(
                    "UPDATE payout_items SET status = ?1, generation = ?2, reference = ?3, \
                     reason = ?4, provider_id = ?5, sends = ?6, lookups = ?7, next_check = ?8, \
                     updated_at = ?9, acknowledged = ?15, runner = ?16, sent_at = ?17, \
                     resolution = ?18, version = version + 1 \
                     WHERE batch_id = ?10 AND key = ?11 AND status = ?12 AND generation = ?13 \
                     AND version = ?14",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        to.status.as_str(),
                        i64::from(to.generation),
                        to.reference,
                        reason,
                        to.provider_id,
                        i64::from(to.sends),
                        i64::from(to.lookups),
                        to.next_check_ms,
                        to.updated_ms,
                        from.batch_id,
                        from.item.key,
                        from.state.status.as_str(),
                        i64::from(from.state.generation),
                        to_i64(from.version),
                        i64::from(to.acknowledged),
                        to.runner,
                        to.sent_ms,
                        resolution,
                    ])
                })
                .map_err(storage)?;
            Ok((changed == 1).then(|| ItemRow {
                state: to,
                version: from.version + 1,
                ..from
            }))
        })
        .await
    }

    async fn set_paused(&self, batch_id: &str, paused: Option<&str>) -> Result<(), Failure> {
        self.set_batch("paused", batch_id, paused.map(str::to_owned))
            .await
    }

    async fn set_finished(&self, batch_id: &str, at_ms: Option<i64>) -> Result<(), Failure> {
        self.set_batch("finished_at", batch_id, at_ms).await
    }

    async fn totals(&self, batch_id: &str) -> Result<Totals, Failure> {
        let batch_id = batch_id.to_owned();
        self.read(move |c| {
            // Both sums from one snapshot: a transition committed between them would
            // otherwise make the counts and the amounts disagree.
            let tx = c.savepoint().map_err(storage)?;
            let mut by_status = Vec::new();
            let mut stmt = tx
                .prepare_cached(
                    "SELECT status, SUM(n) FROM payout_totals WHERE batch_id = ?1 GROUP BY status \
                     HAVING SUM(n) > 0",
                )
                .map_err(storage)?;
            let rows = stmt
                .query_map(params![batch_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
                })
                .map_err(storage)?;
            for row in rows {
                let (status, n) = row.map_err(storage)?;
                if let Some(s) = Status::parse(&status) {
                    by_status.push((s, to_u64(n)));
                }
            }
            drop(stmt);
            let mut stmt = tx
                .prepare_cached(
                    "SELECT currency, SUM(amount), \
                     SUM(CASE WHEN status = 'successful' THEN amount ELSE 0 END) \
                     FROM payout_totals WHERE batch_id = ?1 GROUP BY currency \
                     HAVING SUM(n) > 0 ORDER BY currency",
                )
                .map_err(storage)?;
            let amounts = stmt
                .query_map(params![batch_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(storage)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(storage)?;
            drop(stmt);
            tx.commit().map_err(storage)?;
            Ok(Totals { by_status, amounts })
        })
        .await
    }

    async fn verifications(&self, batch_id: &str) -> Result<Vec<(String, Value)>, Failure> {
        verify::all(self, batch_id).await
    }

    async fn record_verification(&self, b: &str, k: &str, r: &Value) -> Result<(), Failure> {
        verify::record(self, (b, k), r).await
    }

    async fn heartbeat(&self, runner: &str, now_ms: i64) -> Result<(), Failure> {
        let runner = runner.to_owned();
        self.with(move |c| {
            c.prepare_cached(
                "INSERT INTO payout_runners (runner, seen_at) VALUES (?1, ?2) \
                 ON CONFLICT (runner) DO UPDATE SET seen_at = MAX(seen_at, excluded.seen_at)",
            )
            .and_then(|mut stmt| stmt.execute(params![runner, now_ms]))
            .map_err(storage)?;
            c.prepare_cached("DELETE FROM payout_runners WHERE seen_at < ?1")
                .and_then(|mut stmt| stmt.execute(params![now_ms - FORGET_RUNNER_MS]))
                .map(drop)
                .map_err(storage)
        })
        .await
    }

    async fn runners_seen(&self, runners: &[String]) -> Result<Vec<(String, i64)>, Failure> {
        let runners = runners.to_vec();
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached("SELECT seen_at FROM payout_runners WHERE runner = ?1")
                .map_err(storage)?;
            let mut out = Vec::new();
            for runner in runners {
                let seen: Option<i64> = stmt
                    .query_row(params![runner], |r| r.get(0))
                    .optional()
                    .map_err(storage)?;
                if let Some(at) = seen {
                    out.push((runner, at));
                }
            }
            Ok(out)
        })
        .await
    }

    async fn bind_account(&self, batch: &str, rail: &RailId, to: &Value) -> Result<Value, Failure> {
        let (batch, rail, env) = (batch.to_owned(), rail.clone(), to.to_string());
        self.with(move |c| {
            // The group's IMMEDIATE transaction holds the write lock: a process binding the
            // batch at the same moment waits, then reads the winner's environment.
            let tx = c.savepoint().map_err(storage)?;
            tx.execute(
                "INSERT INTO payout_accounts (batch_id, provider, environment, bound_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (batch_id, provider) DO NOTHING",
                params![batch, rail.as_str(), env, crate::payouts::wall::system_ms()],
            )
            .map_err(storage)?;
            let bound = select_account(&tx, &batch, &rail)?;
            tx.commit().map_err(storage)?;
            bound.ok_or_else(|| storage("the account binding just written is missing"))
        })
        .await
    }

    async fn bound_account(&self, batch: &str, rail: &RailId) -> Result<Option<Value>, Failure> {
        let (batch, rail) = (batch.to_owned(), rail.clone());
        self.read(move |c| select_account(c, &batch, &rail)).await
    }

    async fn close(&self) -> Result<(), Failure> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job::Close(Box::new(move |conn: &mut Option<Connection>| {
            let closed = match conn.take() {
                Some(c) => c.close().map_err(|(_, e)| storage(e)),
                None => Ok(()),
            };
            let _ignored = reply.send(closed);
        }));
        self.jobs.send(job).map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }
}
