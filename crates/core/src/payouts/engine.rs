//! The per-item steps, shared by `run` (the embedded scheduler) and by callers that
//! schedule items themselves (one job per item): send a queued item, look up a pending,
//! unknown or interrupted one, and record what was found — each change a compare-and-set
//! on the item's row, so that a step that lost a race writes nothing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::ledger::{ItemRow, ItemState, Ledger, ProviderKind, Status};
use super::pace::Pace;
use super::provider::{Found, Provider};
use super::reference::reference;
use crate::failure::{Failure, FailureKind};

/// A reference the provider never recorded is sent again (with the same reference) at
/// most this many times in all; then the item is `refused`.
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
    /// left to [`Engine::lookup`].
    ///
    /// `lease_ms`: a `sending` item changed more recently than this is taken to be in
    /// flight in another worker and left alone (a lookup then could race its send).
    pub async fn advance(
        &self,
        row: ItemRow,
        run: &RunState,
        lease_ms: Option<i64>,
    ) -> Result<ItemRow, Failure> {
        if let (Status::Sending, Some(lease)) = (row.state.status, lease_ms) {
            if now_ms() - row.state.updated_ms < lease {
                return Ok(row);
            }
        }
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

    /// Claims a queued item (`queued` → `sending`, its reference written), sends it and
    /// records the answer. Another worker's claim wins silently: the row is returned as
    /// it now stands.
    pub async fn send(&self, row: ItemRow, run: &RunState) -> Result<ItemRow, Failure> {
        let account = self.account(row.item.provider)?;
        account.sends.turn().await;
        let reference = self.reference(&row, row.state.generation);
        let claim = ItemState {
            status: Status::Sending,
            reference: Some(reference.clone()),
            sends: row.state.sends + 1,
            next_check_ms: None,
            updated_ms: now_ms(),
            ..row.state.clone()
        };
        let Some(claimed) = self.ledger.transition(&row, claim).await? else {
            return self.reread(&row).await;
        };
        let found = account.provider.send(&claimed.item, &reference).await;
        self.record(claimed, found, false, run).await
    }

    /// Looks the rows' references up (by as many a request as the provider takes) and
    /// records what was found.
    pub async fn lookup(
        &self,
        rows: Vec<ItemRow>,
        run: &RunState,
    ) -> Result<Vec<ItemRow>, Failure> {
        let mut out = Vec::with_capacity(rows.len());
        let Some(first) = rows.first() else {
            return Ok(out);
        };
        let account = self.account(first.item.provider)?;
        for chunk in rows.chunks(account.provider.lookup_batch().max(1)) {
            account.lookups.turn().await;
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
        let sent_this_run = row.state.updated_ms >= run.started_ms;
        match found {
            Found::Successful { provider_id } => {
                s.status = Status::Successful;
                s.provider_id = provider_id.or(s.provider_id);
                s.reason = None;
                s.next_check_ms = None;
            }
            Found::Pending { provider_id } => {
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
                s.status = Status::Failed;
                s.reason = Some(reason);
                s.next_check_ms = None;
            }
            Found::Refused { reason, .. } => {
                s.status = Status::Refused;
                s.reason = Some(reason);
                s.next_check_ms = None;
            }
            Found::NotFound if s.sends >= MAX_SENDS => {
                s.status = Status::Refused;
                s.reason = Some(json!({
                    "error": "NotFound",
                    "message": format!("the provider never recorded this payout after {} sends with its reference", s.sends),
                }));
                s.next_check_ms = None;
            }
            // Never seen: safe to send again, with the same reference.
            Found::NotFound => {
                s.status = Status::Queued;
                s.next_check_ms = None;
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
                    s.status = Status::Queued;
                    s.sends = s.sends.saturating_sub(1);
                }
            }
            Found::Unknown { reason } => {
                s.status = if row.state.status == Status::Pending {
                    Status::Pending
                } else {
                    Status::Unknown
                };
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
