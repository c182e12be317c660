//! The per-item steps, shared by `run` (the embedded scheduler) and by callers that
//! schedule items themselves (one job per item): send a queued item, look up a pending,
//! unknown or interrupted one, and record what was found — each change a compare-and-set
//! on the item's row, so that a step that lost a race writes nothing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

pub use super::account::Account;
use super::clock::Clock;
use super::decide::{decide, Source};
use super::ledger::{ItemRow, ItemState, Ledger, RailId, Status};
use super::liveness::Liveness;
use super::provider::Found;
use super::reference::reference;
use super::stop::Stop;
use crate::failure::{Failure, FailureKind};

/// A `429` without `Retry-After` holds that account's requests this long.
const DEFAULT_HOLD: Duration = Duration::from_secs(1);

pub const NO_FUNDS: &str = "insufficient_funds";

/// Called with each change of an item during `run`.
pub type Progress = Arc<dyn Fn(Value) + Send + Sync>;

pub struct Engine {
    pub ledger: Arc<dyn Ledger>,
    pub secret: Vec<u8>,
    /// An item written `sending` less than this long ago by a live runner may have its
    /// request on the wire: it is not looked up, so never sent again, until then.
    pub lease_ms: i64,
    /// This instance as a runner: its id on the rows it claims, its heartbeat, and its
    /// sends under way ([`Liveness::holds`] decides which `sending` rows are left alone).
    pub liveness: Liveness,
    /// The ledger's time as this instance knows it: every time written or compared.
    pub clock: Arc<Clock>,
    /// One account a rail, for the rails this instance was opened with.
    pub accounts: Vec<Account>,
}

/// What a run shares among its steps; a lone step uses a fresh one.
#[derive(Default)]
pub struct RunState {
    pub paused: AtomicBool,
    pub finals: AtomicU64,
    pub total: u64,
    pub progress: Option<Progress>,
    /// When this run started (ms): a lack of funds found now for a payout sent before it
    /// may predate a top-up, so it requeues the item without pausing the batch.
    pub started_ms: i64,
    /// Asked to stop: no new claim or lookup; sends under way are recorded.
    pub stop: Stop,
    /// The longest wait (ms) a provider's 429 asked of a send in this run; 0 for none.
    pub throttled_ms: AtomicU64,
    /// Lookup requests sent to providers (a queue counts them against a per-minute budget).
    pub lookups: AtomicU64,
}

impl RunState {
    /// Paused or stopped: nothing new is claimed.
    pub fn halted(&self) -> bool {
        self.paused.load(Ordering::Relaxed) || self.stop.is_stopped()
    }
}

fn missing(batch_id: &str, key: &str) -> Failure {
    Failure::new(
        FailureKind::NotFound,
        format!("batch {batch_id} has no item with key {key}"),
    )
}

/// A batch bound to another environment than this instance's account.
pub fn other_account(batch_id: &str, rail: &RailId, bound: &Value) -> Failure {
    let name = rail.as_str();
    let url = bound.get("baseUrl").and_then(Value::as_str).unwrap_or("?");
    Failure::new(
        FailureKind::Conflict,
        format!("batch {batch_id} was first sent to another {name} account or environment ({url}); open Payouts with that account to go on with it, or give these payouts a new batch id"),
    )
    .with_field(name)
}

impl Engine {
    pub fn account(&self, rail: &RailId) -> Result<&Account, Failure> {
        self.accounts
            .iter()
            .find(|a| a.rail == *rail)
            .ok_or_else(|| {
                Failure::invalid(
                    rail.as_str(),
                    format!(
                        "this batch has {rail} items but Payouts was opened without {rail} options"
                    ),
                )
            })
    }

    pub fn reference(&self, row: &ItemRow, generation: u32) -> String {
        reference(&self.secret, &row.batch_id, &row.item, generation)
    }

    /// The reference written for the row's generation (whatever the secret now: a
    /// resend under any other reference could pay twice), or the one it will get.
    fn current_reference(&self, row: &ItemRow) -> String {
        row.state
            .reference
            .clone()
            .unwrap_or_else(|| self.reference(row, row.state.generation))
    }

    /// Binds the batch to this instance's account of `kind` (once per instance and
    /// batch), or fails with `Conflict` when it was sent to another one.
    pub async fn ensure_bound(&self, batch_id: &str, rail: &RailId) -> Result<(), Failure> {
        let account = self.account(rail)?;
        if account.bound.lock().contains(batch_id) {
            return Ok(());
        }
        let mine = account.provider.environment();
        let bound = self.ledger.bind_account(batch_id, rail, &mine).await?;
        if bound != mine {
            return Err(other_account(batch_id, rail, &bound));
        }
        account.bound.lock().insert(batch_id.to_owned());
        Ok(())
    }

    async fn reread(&self, row: &ItemRow) -> Result<ItemRow, Failure> {
        self.ledger
            .item(&row.batch_id, &row.item.key)
            .await?
            .ok_or_else(|| missing(&row.batch_id, &row.item.key))
    }

    /// One step for an item as it stands: a queued item is sent; one found `sending` or
    /// `unknown` (interrupted, or not established) is looked up first and sent again,
    /// with the same reference, only when the provider never saw it. A `pending` item is
    /// left to [`Engine::lookup`]; a `sending` one within its lease is left as it is.
    pub async fn advance(&self, row: ItemRow, run: &RunState) -> Result<ItemRow, Failure> {
        let row = match row.state.status {
            Status::Sending | Status::Unknown => {
                let (batch_id, key) = (row.batch_id.clone(), row.item.key.clone());
                self.lookup(vec![row], run)
                    .await?
                    .pop()
                    .ok_or_else(|| missing(&batch_id, &key))?
            }
            _ => row,
        };
        if row.state.status == Status::Queued && !run.paused.load(Ordering::Relaxed) {
            return self.send(row, run).await;
        }
        Ok(row)
    }

    /// For each row, until when it is left alone (a `sending` row whose request may be on
    /// the wire), or `None` when it may be looked up now.
    pub async fn holds(&self, rows: &[ItemRow]) -> Result<Vec<Option<i64>>, Failure> {
        self.liveness.holds(rows, self.lease_ms).await
    }

    /// Claims a queued item (`queued` → `sending`, its reference written), sends it and
    /// records the answer. Another worker's claim wins silently: the row is returned as
    /// it now stands.
    pub async fn send(&self, row: ItemRow, run: &RunState) -> Result<ItemRow, Failure> {
        let account = self.account(&row.item.provider)?;
        // The pacing wait may be long (a Retry-After): a stop or pause during it claims nothing.
        if run.stop.unless(account.sends.turn()).await.is_none() || run.halted() {
            return Ok(row);
        }
        self.ensure_bound(&row.batch_id, &row.item.provider).await?;
        let reference = self.current_reference(&row);
        // Marked under way before the claim, so that this instance's own lookups leave the
        // row alone until the answer is recorded.
        let _sending = self.liveness.sending(&row);
        let now = self.clock.now_ms();
        let claim = ItemState {
            status: Status::Sending,
            reference: Some(reference.clone()),
            runner: Some(self.liveness.id().to_owned()),
            sends: row.state.sends + 1,
            next_check_ms: None,
            updated_ms: now,
            // The generation's first send: a lack of funds found for a reference first sent
            // before a run may predate a top-up, however often it was resent since.
            sent_ms: row.state.sent_ms.or(Some(now)),
            ..row.state.clone()
        };
        let Some(claimed) = self.ledger.transition(&row, claim).await? else {
            return self.reread(&row).await;
        };
        let found = account.provider.send(&claimed.item, &reference).await;
        let only = claimed.state.sends <= 1;
        self.record(claimed, found, Source::Send { only }, run)
            .await
    }

    /// The rows in lookup requests: by provider and by what one request may mix
    /// ([`Provider::lookup_group`](super::provider::Provider::lookup_group)), as many a
    /// request as the provider takes.
    pub fn lookup_requests(&self, rows: Vec<ItemRow>) -> Result<Vec<Vec<ItemRow>>, Failure> {
        let mut groups: Vec<((RailId, u8), Vec<ItemRow>)> = Vec::new();
        for row in rows {
            let provider = &self.account(&row.item.provider)?.provider;
            let id = (row.item.provider.clone(), provider.lookup_group(&row.item));
            match groups.iter_mut().find(|(g, _)| *g == id) {
                Some((_, list)) => list.push(row),
                None => groups.push((id, vec![row])),
            }
        }
        let mut out = Vec::new();
        for ((kind, _), list) in groups {
            let size = self.account(&kind)?.provider.lookup_batch().max(1);
            out.extend(list.chunks(size).map(<[ItemRow]>::to_vec));
        }
        Ok(out)
    }

    /// Looks the rows' references up (one pacing turn a request) and records what was
    /// found. `sending` rows whose request may be on the wire are returned as they are.
    pub async fn lookup(
        &self,
        rows: Vec<ItemRow>,
        run: &RunState,
    ) -> Result<Vec<ItemRow>, Failure> {
        let holds = self.holds(&rows).await?;
        let (held, rows): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .zip(holds)
            .partition(|(_, hold)| hold.is_some());
        let mut out: Vec<ItemRow> = held.into_iter().map(|(r, _)| r).collect();
        let rows: Vec<ItemRow> = rows.into_iter().map(|(r, _)| r).collect();
        for chunk in self.lookup_requests(rows)? {
            let Some(first) = chunk.first() else {
                continue;
            };
            let account = self.account(&first.item.provider)?;
            // A lookup at another account finds nothing, and nothing found means "send".
            self.ensure_bound(&first.batch_id, &first.item.provider)
                .await?;
            if run.stop.unless(account.lookups.turn()).await.is_none() {
                out.extend(chunk);
                continue;
            }
            let references: Vec<String> = chunk.iter().map(|r| self.current_reference(r)).collect();
            let pairs: Vec<_> = chunk
                .iter()
                .zip(references.iter())
                .map(|(r, reference)| (&r.item, reference.as_str()))
                .collect();
            run.lookups.fetch_add(1, Ordering::Relaxed);
            let found = account.provider.lookup(&pairs).await;
            for (row, f) in chunk.iter().zip(found) {
                out.push(self.record(row.clone(), f, Source::Lookup, run).await?);
            }
        }
        Ok(out)
    }

    /// Writes what a send or lookup found over the row it was made from ([`decide`]).
    async fn record(
        &self,
        row: ItemRow,
        found: Found,
        source: Source,
        run: &RunState,
    ) -> Result<ItemRow, Failure> {
        let account = self.account(&row.item.provider)?;
        let now = self.clock.now_ms();
        let unreachable = account.heard(&found, now);
        // Lookups since the send move `updated_ms`, not `sent_ms`.
        let sent_this_run = row.state.sent_ms.unwrap_or(row.state.updated_ms) >= run.started_ms;
        let decision = decide(&row, found, source, now, sent_this_run);
        if let Some(wait) = decision.throttled {
            let wait = wait.unwrap_or(DEFAULT_HOLD);
            if source == Source::Lookup {
                account.lookups.hold(wait);
            } else {
                account.sends.hold(wait);
                let ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
                run.throttled_ms.fetch_max(ms, Ordering::Relaxed);
            }
        }
        let pause = decision.pause;
        let account_failure = decision
            .account_failure
            .filter(|f| account.stops_run(f, now))
            .or(unreachable);
        let s: ItemState = decision.state;
        let was_final = row.state.status.is_final();
        let written = self.ledger.transition(&row, s).await?;
        // Only a winning write pauses: a lost claim's stale "no funds" says nothing now.
        if pause && written.is_some() {
            run.paused.store(true, Ordering::Relaxed);
            self.ledger
                .set_paused(&row.batch_id, Some(NO_FUNDS))
                .await?;
        }
        if let Some(f) = account_failure {
            return Err(f);
        }
        match written {
            Some(new) => {
                if new.state.status.is_final() && !was_final {
                    run.finals.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(progress) = &run.progress {
                    progress(json!({
                        "batchId": new.batch_id,
                        "key": new.item.key,
                        "status": new.state.status.as_str(),
                        "referenceId": new.state.reference,
                        "done": run.finals.load(Ordering::Relaxed),
                        "total": run.total,
                    }));
                }
                Ok(new)
            }
            None => self.reread(&row).await,
        }
    }
}
