//! The per-item steps, shared by `run` (the embedded scheduler) and by callers that
//! schedule items themselves (one job per item): send a queued item, look up a pending,
//! unknown or interrupted one, and record what was found — each change a compare-and-set
//! on the item's row, so that a step that lost a race writes nothing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::ledger::{ItemRow, ItemState, Ledger, ProviderKind, Status};
use super::liveness::Liveness;
use super::pace::Pace;
use super::provider::{Found, Provider};
use super::reference::reference;
use super::stop::Stop;
use crate::failure::{Failure, FailureKind};

/// A reference the provider never recorded is sent again (with the same reference) at
/// most this many times in all; then the item is `unknown` for an operator to look into
/// (a reference the provider may yet record is never called refused).
const MAX_SENDS: u32 = 5;
/// A `429` without `Retry-After` holds that account's requests this long.
const DEFAULT_HOLD: Duration = Duration::from_secs(1);
const FIRST_LOOKUP_MS: i64 = 250;
const MAX_LOOKUP_GAP_MS: i64 = 30_000;

pub const NO_FUNDS: &str = "insufficient_funds";

/// Called with each change of an item during `run`.
pub type Progress = Arc<dyn Fn(Value) + Send + Sync>;

/// One provider account: its client and its pacing.
pub struct Account {
    pub provider: Box<dyn Provider>,
    pub sends: Pace,
    pub lookups: Pace,
}

pub struct Engine {
    pub ledger: Arc<dyn Ledger>,
    pub secret: Vec<u8>,
    /// An item written `sending` less than this long ago by a live runner may have its
    /// request on the wire: it is not looked up, so never sent again, until then.
    pub lease_ms: i64,
    /// This instance as a runner: its id on the rows it claims, its heartbeat, and its
    /// sends under way ([`Liveness::holds`] decides which `sending` rows are left alone).
    pub liveness: Liveness,
    pub momo: Option<Account>,
    pub paymob: Option<Account>,
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
}

impl RunState {
    /// Paused or stopped: nothing new is claimed.
    pub fn halted(&self) -> bool {
        self.paused.load(Ordering::Relaxed) || self.stop.is_stopped()
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// When to look again after `lookups` lookups: 250 ms, doubling, at most 30 s apart.
fn next_check(lookups: u32) -> i64 {
    let gap = FIRST_LOOKUP_MS.saturating_mul(1 << lookups.min(10));
    now_ms() + gap.min(MAX_LOOKUP_GAP_MS)
}

/// What a not-final item becomes when its outcome is not established: a `pending` one
/// stays `pending` (it was accepted), any other is `unknown`.
fn open_status(was: Status) -> Status {
    if was == Status::Pending {
        Status::Pending
    } else {
        Status::Unknown
    }
}

fn missing(batch_id: &str, key: &str) -> Failure {
    Failure::new(
        FailureKind::NotFound,
        format!("batch {batch_id} has no item with key {key}"),
    )
}

impl Engine {
    pub fn account(&self, kind: ProviderKind) -> Result<&Account, Failure> {
        match kind {
            ProviderKind::Momo => self.momo.as_ref(),
            ProviderKind::Paymob => self.paymob.as_ref(),
        }
        .ok_or_else(|| {
            Failure::invalid(
                kind.as_str(),
                format!(
                    "this batch has {} items but Payouts was opened without {} options",
                    kind.as_str(),
                    kind.as_str()
                ),
            )
        })
    }

    pub fn reference(&self, row: &ItemRow, generation: u32) -> String {
        reference(&self.secret, &row.batch_id, &row.item.key, generation)
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
        let account = self.account(row.item.provider)?;
        // The pacing wait may be long (a Retry-After): a stop or pause during it claims nothing.
        if run.stop.unless(account.sends.turn()).await.is_none() || run.halted() {
            return Ok(row);
        }
        // The reference written for this generation, whatever the secret now: a resend
        // under any other reference could pay twice.
        let reference = row
            .state
            .reference
            .clone()
            .unwrap_or_else(|| self.reference(&row, row.state.generation));
        // Marked under way before the claim, so that this instance's own lookups leave the
        // row alone until the answer is recorded.
        let _sending = self.liveness.sending(&row);
        let now = now_ms();
        let claim = ItemState {
            status: Status::Sending,
            reference: Some(reference.clone()),
            runner: Some(self.liveness.id().to_owned()),
            sends: row.state.sends + 1,
            next_check_ms: None,
            updated_ms: now,
            sent_ms: Some(now),
            ..row.state.clone()
        };
        let Some(claimed) = self.ledger.transition(&row, claim).await? else {
            return self.reread(&row).await;
        };
        let found = account.provider.send(&claimed.item, &reference).await;
        self.record(claimed, found, false, run).await
    }

    /// The rows in lookup requests: by provider and by what one request may mix
    /// ([`Provider::lookup_group`]), as many a request as the provider takes.
    pub fn lookup_requests(&self, rows: Vec<ItemRow>) -> Result<Vec<Vec<ItemRow>>, Failure> {
        let mut groups: Vec<((ProviderKind, u8), Vec<ItemRow>)> = Vec::new();
        for row in rows {
            let provider = &self.account(row.item.provider)?.provider;
            let id = (row.item.provider, provider.lookup_group(&row.item));
            match groups.iter_mut().find(|(g, _)| *g == id) {
                Some((_, list)) => list.push(row),
                None => groups.push((id, vec![row])),
            }
        }
        let mut out = Vec::new();
        for ((kind, _), list) in groups {
            let size = self.account(kind)?.provider.lookup_batch().max(1);
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
            let account = self.account(first.item.provider)?;
            if run.stop.unless(account.lookups.turn()).await.is_none() {
                out.extend(chunk);
                continue;
            }
            let references: Vec<String> = chunk
                .iter()
                .map(|r| {
                    r.state
                        .reference
                        .clone()
                        .unwrap_or_else(|| self.reference(r, r.state.generation))
                })
                .collect();
            let pairs: Vec<_> = chunk
                .iter()
                .zip(references.iter())
                .map(|(r, reference)| (&r.item, reference.as_str()))
                .collect();
            let found = account.provider.lookup(&pairs).await;
            for (row, f) in chunk.iter().zip(found) {
                out.push(self.record(row.clone(), f, true, run).await?);
            }
        }
        Ok(out)
    }

    /// Writes what a send or lookup found over the row it was made from.
    async fn record(
        &self,
        row: ItemRow,
        found: Found,
        by_lookup: bool,
        run: &RunState,
    ) -> Result<ItemRow, Failure> {
        let account = self.account(row.item.provider)?;
        let mut s = row.state.clone();
        s.updated_ms = now_ms();
        if by_lookup {
            s.lookups += 1;
        }
        let mut pause = false;
        let mut account_failure = None;
        // Lookups since the send move `updated_ms`, not `sent_ms`.
        let sent_this_run = row.state.sent_ms.unwrap_or(row.state.updated_ms) >= run.started_ms;
        match found {
            Found::Successful { provider_id } => {
                s.acknowledged = true;
                s.status = Status::Successful;
                s.provider_id = provider_id.or(s.provider_id);
                s.reason = None;
                s.next_check_ms = None;
            }
            Found::Pending { provider_id } => {
                s.acknowledged = true;
                s.status = Status::Pending;
                s.provider_id = provider_id.or(s.provider_id);
                s.next_check_ms = Some(next_check(s.lookups));
            }
            Found::Failed {
                reason,
                no_funds: true,
            } => {
                // Nothing moved, but the reference is spent: the next attempt needs a new
                // generation, made when the batch is resumed (or at once when it was sent
                // before this run: the account may have been topped up since).
                pause = sent_this_run;
                s = ItemState {
                    status: Status::Queued,
                    generation: s.generation + 1,
                    reference: None,
                    reason: Some(reason),
                    provider_id: None,
                    sends: 0,
                    lookups: 0,
                    next_check_ms: None,
                    updated_ms: s.updated_ms,
                    acknowledged: false,
                    runner: s.runner,
                    sent_ms: None,
                    resolution: None,
                };
            }
            Found::Refused {
                reason,
                no_funds: true,
            } => {
                // Refused before it was recorded: the same reference is sent on resume.
                pause = true;
                s.status = Status::Queued;
                s.reason = Some(reason);
                s.next_check_ms = None;
            }
            Found::Failed { reason, .. } => {
                s.acknowledged = true;
                s.status = Status::Failed;
                s.reason = Some(reason);
                s.next_check_ms = None;
            }
            Found::Refused { reason, .. } => {
                s.status = Status::Refused;
                s.reason = Some(reason);
                s.next_check_ms = None;
            }
            // The provider took this reference before (accepted it, or refused it as used):
            // finding nothing now is no proof it was never seen. Look again later.
            Found::NotFound if s.acknowledged || row.state.status == Status::Pending => {
                s.status = open_status(row.state.status);
                if s.status == Status::Unknown {
                    s.reason = Some(json!({
                        "error": "UnknownOutcome",
                        "message": "the provider took this reference but its lookup finds nothing yet; it is looked up again",
                    }));
                }
                s.next_check_ms = Some(next_check(s.lookups));
            }
            Found::NotFound if s.sends >= MAX_SENDS => {
                s.status = Status::Unknown;
                s.reason = Some(json!({
                    "error": "UnknownOutcome",
                    "message": format!("the provider has not recorded this payout after {} sends with its reference; it is not sent again and needs an operator", s.sends),
                }));
                s.next_check_ms = Some(next_check(s.lookups));
            }
            // Never seen: safe to send again, with the same reference.
            Found::NotFound => {
                s.status = Status::Queued;
                s.next_check_ms = None;
            }
            Found::Acknowledged { reason } => {
                s.acknowledged = true;
                s.status = open_status(row.state.status);
                if s.status == Status::Unknown {
                    s.reason = Some(reason);
                }
                s.next_check_ms = Some(next_check(s.lookups));
            }
            Found::AccountRefused { failure } => {
                // Back in the queue as it was; the run stops with the account's failure.
                if !by_lookup {
                    s.status = Status::Queued;
                    s.sends = s.sends.saturating_sub(1);
                } else {
                    s.lookups = s.lookups.saturating_sub(1);
                }
                account_failure = Some(failure);
            }
            Found::Throttled { wait } => {
                let wait = wait.unwrap_or(DEFAULT_HOLD);
                if by_lookup {
                    account.lookups.hold(wait);
                    s.lookups = s.lookups.saturating_sub(1);
                    s.next_check_ms = Some(now_ms() + i64::try_from(wait.as_millis()).unwrap_or(0));
                } else {
                    // A 429 means it was not taken: back in the queue, same reference.
                    account.sends.hold(wait);
                    let ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
                    run.throttled_ms.fetch_max(ms, Ordering::Relaxed);
                    s.status = Status::Queued;
                    s.sends = s.sends.saturating_sub(1);
                }
            }
            Found::Unknown { reason } => {
                s.status = open_status(row.state.status);
                if s.status == Status::Unknown {
                    s.reason = Some(reason);
                }
                s.next_check_ms = Some(next_check(s.lookups));
            }
        }
        if pause {
            run.paused.store(true, Ordering::Relaxed);
            self.ledger
                .set_paused(&row.batch_id, Some(NO_FUNDS))
                .await?;
        }
        let was_final = row.state.status.is_final();
        let written = self.ledger.transition(&row, s).await?;
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
