//! What an item becomes after a send or a lookup: the money-safety guarantees of docs/bulk-payouts.md
//! in one pure function, so that each is read (and tested) in one place.
//!
//! - A new generation (a new reference) only when the provider's lookup says the current
//!   reference failed, or the item was refused on the only send of its reference.
//! - A refusal, failure or error answered to a *resend* proves nothing about an earlier
//!   send that may still land: the item is `unknown` until a lookup settles it.
//! - A transaction that is not the item's (another amount, currency or payee) is never
//!   its outcome: `unknown`, for an operator.
//! - The account's own failures (its token, its credentials) leave the item as it was.

use std::time::Duration;

use serde_json::{json, Value};

use super::ledger::{ItemRow, ItemState, Status};
use super::provider::Found;
use crate::failure::Failure;

/// A reference the provider never recorded is sent again (with the same reference) at
/// most this many times in all; then the item is `unknown` for an operator to look into.
pub const MAX_SENDS: u32 = 5;
const FIRST_LOOKUP_MS: i64 = 250;
const MAX_LOOKUP_GAP_MS: i64 = 30_000;

/// What to write, and what the run must do besides.
#[derive(Debug)]
pub struct Decision {
    pub state: ItemState,
    /// Out of balance or budget: the batch pauses.
    pub pause: bool,
    /// The account failed: the run stops with this failure.
    pub account_failure: Option<Failure>,
    /// A 429: hold the account's sends (or lookups, after a lookup) this long (`None`:
    /// the default hold).
    pub throttled: Option<Option<Duration>>,
}

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The answer to a send; `only` when it was the only send of this reference (so
    /// nothing else under it can be on its way).
    Send {
        only: bool,
    },
    Lookup,
}

/// When to look again after `lookups` lookups: 250 ms, doubling, at most 30 s apart.
pub fn next_check(now: i64, lookups: u32) -> i64 {
    let gap = FIRST_LOOKUP_MS.saturating_mul(1 << lookups.min(10));
    now + gap.min(MAX_LOOKUP_GAP_MS)
}

/// Whether an `unknown` item waits on an operator (`payouts.resolve`): the run no longer
/// follows it.
pub fn needs_operator(state: &ItemState) -> bool {
    state.status == Status::Unknown
        && state
            .reason
            .as_ref()
            .and_then(|r| r.get("operator"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
}

fn unknown(message: impl Into<String>) -> Value {
    json!({ "error": "UnknownOutcome", "message": message.into() })
}

/// `reason` marked as waiting on an operator.
fn for_operator(mut reason: Value) -> Value {
    if let Value::Object(m) = &mut reason {
        m.insert("operator".into(), true.into());
    }
    reason
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

/// The state after `found`, answered from `source` about `row` (as it was when the send
/// was claimed or the lookup made). `sent_this_run`: the reference was sent since the
/// current run started (a lack of funds found for an older send may predate a top-up).
pub fn decide(
    row: &ItemRow,
    found: Found,
    source: Source,
    now: i64,
    sent_this_run: bool,
) -> Decision {
    let mut s = row.state.clone();
    s.updated_ms = now;
    let by_lookup = source == Source::Lookup;
    if by_lookup {
        s.lookups += 1;
    }
    let resend = source == Source::Send { only: false };
    let mut d = Decision {
        state: s,
        pause: false,
        account_failure: None,
        throttled: None,
    };
    let s = &mut d.state;
    // An answer about a resend: an earlier send of this reference may still land, so
    // only a lookup can settle the item (refusals and failures here prove nothing).
    let settle_by_lookup = |s: &mut ItemState, what: &str, reason: Option<Value>| {
        s.status = Status::Unknown;
        s.reason = Some(json!({
            "error": "UnknownOutcome",
            "message": format!("a resend was {what}; an earlier send of the same reference may still land, so the reference is looked up"),
            "answer": reason,
        }));
        s.next_check_ms = Some(next_check(now, s.lookups));
    };
    match found {
        Found::Successful { provider_id } => {
            s.acknowledged = true;
            s.status = Status::Successful;
            s.provider_id = provider_id.or(s.provider_id.take());
            s.reason = None;
            s.next_check_ms = None;
        }
        Found::Pending { provider_id } => {
            s.acknowledged = true;
            s.status = Status::Pending;
            s.provider_id = provider_id.or(s.provider_id.take());
            s.next_check_ms = Some(next_check(now, s.lookups));
        }
        Found::Failed { reason, .. } if resend => {
            settle_by_lookup(s, "answered failed", Some(reason))
        }
        Found::Failed {
            reason,
            no_funds: true,
        } => {
            // The provider says this reference failed: nothing moved and it never will,
            // so the next attempt is a new generation, made when the batch is resumed
            // (or at once when it was sent before this run: the account may have been
            // topped up since).
            d.pause = sent_this_run;
            *s = ItemState {
                status: Status::Queued,
                generation: s.generation + 1,
                reference: None,
                reason: Some(reason),
                provider_id: None,
                sends: 0,
                lookups: 0,
                next_check_ms: None,
                updated_ms: now,
                acknowledged: false,
                runner: s.runner.take(),
                sent_ms: None,
                resolution: None,
            };
        }
        Found::Failed { reason, .. } => {
            s.acknowledged = true;
            s.status = Status::Failed;
            s.reason = Some(reason);
            s.next_check_ms = None;
        }
        Found::Refused {
            reason,
            no_funds: true,
        } => {
            // Refused before it was recorded: the same reference goes out on resume. When
            // this was its only send, nothing of it exists anywhere: its next send is
            // again the only one.
            d.pause = true;
            s.status = Status::Queued;
            s.reason = Some(reason);
            s.next_check_ms = None;
            if !resend {
                s.sends = 0;
            }
        }
        Found::Refused { reason, .. } if resend => settle_by_lookup(s, "refused", Some(reason)),
        Found::Refused { reason, .. } => {
            s.status = Status::Refused;
            s.reason = Some(reason);
            s.next_check_ms = None;
        }
        Found::Mismatch { reason } => {
            s.status = Status::Unknown;
            s.reason = Some(for_operator(reason));
            s.next_check_ms = None;
        }
        // The provider took this reference before (accepted it, or refused it as used):
        // finding nothing now is no proof it was never seen. Look again later.
        Found::NotFound if s.acknowledged || row.state.status == Status::Pending => {
            s.status = open_status(row.state.status);
            if s.status == Status::Unknown {
                s.reason = Some(unknown(
                    "the provider took this reference but its lookup finds nothing yet; it is looked up again",
                ));
            }
            s.next_check_ms = Some(next_check(now, s.lookups));
        }
        Found::NotFound if s.sends >= MAX_SENDS => {
            s.status = Status::Unknown;
            s.reason = Some(for_operator(unknown(format!(
                "the provider has not recorded this payout after {} sends with its reference; it is not sent again and needs an operator",
                s.sends
            ))));
            s.next_check_ms = None;
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
            s.next_check_ms = Some(next_check(now, s.lookups));
        }
        Found::AccountRefused { failure } => {
            // Nothing was done for this item: it stays as it was (a send goes back to
            // the queue, uncounted); the run stops with the account's failure.
            if by_lookup {
                s.lookups = s.lookups.saturating_sub(1);
            } else {
                s.status = Status::Queued;
                s.sends = s.sends.saturating_sub(1);
            }
            d.account_failure = Some(failure);
        }
        Found::Throttled { wait } => {
            // A 429 means it was not taken: as it was, same reference.
            if by_lookup {
                s.lookups = s.lookups.saturating_sub(1);
                // An item that waits on an operator keeps no next check: the scheduler
                // finds those by its absence, and would otherwise wait on it for ever.
                if !needs_operator(&row.state) {
                    let ms = wait.map_or(1_000, |w| i64::try_from(w.as_millis()).unwrap_or(0));
                    s.next_check_ms = Some(now.saturating_add(ms));
                }
            } else {
                s.status = Status::Queued;
                s.sends = s.sends.saturating_sub(1);
            }
            d.throttled = Some(wait);
        }
        Found::Unknown { reason, .. } => {
            s.status = open_status(row.state.status);
            if s.status == Status::Unknown {
                s.reason = Some(reason);
            }
            s.next_check_ms = Some(next_check(now, s.lookups));
        }
    }
    d
}

/// Whether `retryFailed` may give the item a new generation: its current reference is
/// known never to pay. `failed` as the provider reported it (an operator's `failed` is
/// the operator's word, not the provider's) and confirmed by a lookup just before (see
/// `Engine::retry_failed`), or `refused` on its only send.
pub fn may_retry(row: &ItemRow) -> bool {
    match row.state.status {
        Status::Failed => row.state.resolution.is_none(),
        Status::Refused => row.state.sends == 1,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
