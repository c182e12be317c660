//! One provider account of a `Payouts` instance: its client, its pacing, and what the
//! instance learns of it while it pays — whether the provider still answers, and whether
//! its token failures should stop the run.

use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::Duration;

use parking_lot::Mutex;

use super::ledger::RailId;
use super::pace::Pace;
use super::provider::{Found, Provider};
use crate::failure::{Failure, FailureKind};

/// Token failures in a row that may pass before the run stops, and the first backoff.
const TOKEN_TRIES: u32 = 5;
const TOKEN_BACKOFF: Duration = Duration::from_millis(250);

/// One provider account: its client, its pacing, and what this instance knows of it.
pub struct Account {
    /// The rail it pays on (its provider's).
    pub rail: RailId,
    pub provider: Box<dyn Provider>,
    pub sends: Pace,
    pub lookups: Pace,
    /// How long the provider may answer nothing at all before the run stops.
    unreachable_ms: i64,
    /// Since when (ledger time, ms) nothing has been heard from the provider; 0 while it
    /// answers.
    silent_since: AtomicI64,
    /// Batches this instance found bound to this account (guarantee 3 of docs/bulk-payouts.md).
    pub(super) bound: Mutex<HashSet<String>>,
    /// Token failures in a row that may pass (a timeout, a 5xx): retried after a backoff
    /// before they stop the run.
    token_failures: AtomicU32,
    /// Until when (ledger ms) the account's requests are held after the last counted token
    /// failure: the calls that shared that failed fetch count once, not once each.
    token_hold_until: AtomicI64,
}

impl Account {
    pub fn new(
        provider: Box<dyn Provider>,
        sends: Pace,
        lookups: Pace,
        unreachable_ms: i64,
    ) -> Self {
        Account {
            rail: provider.rail(),
            provider,
            sends,
            lookups,
            unreachable_ms,
            silent_since: AtomicI64::new(0),
            bound: Mutex::new(HashSet::new()),
            token_failures: AtomicU32::new(0),
            token_hold_until: AtomicI64::new(0),
        }
    }

    /// A run starts with a clean slate: silence and token failures of an earlier run of
    /// this instance do not count against it.
    pub fn start_run(&self) {
        self.silent_since.store(0, Ordering::Relaxed);
        self.token_failures.store(0, Ordering::Relaxed);
        self.token_hold_until.store(0, Ordering::Relaxed);
    }

    /// Whether an account failure stops the run now. A refused credential does at once; a
    /// token endpoint that timed out or answered 5xx is given [`TOKEN_TRIES`] tries, the
    /// account's requests held a little longer each time (the item went back to the queue
    /// as it was), before the run stops with the items left `queued`.
    pub(super) fn stops_run(&self, failure: &Failure, now: i64) -> bool {
        let passing = failure.account
            && (failure.status.is_none_or(|s| s >= 500 || s == 429)
                || matches!(
                    failure.kind,
                    FailureKind::Timeout | FailureKind::NetworkError | FailureKind::RateLimited
                ));
        if !passing {
            return true;
        }
        // Every call waiting on one token fetch shares its failure: one failed fetch.
        if now < self.token_hold_until.load(Ordering::Relaxed) {
            return false;
        }
        let n = self.token_failures.fetch_add(1, Ordering::Relaxed) + 1;
        if n >= TOKEN_TRIES {
            return true;
        }
        let wait = TOKEN_BACKOFF.saturating_mul(1 << n.min(6));
        let ms = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
        self.token_hold_until
            .store(now.saturating_add(ms), Ordering::Relaxed);
        self.sends.hold(wait);
        self.lookups.hold(wait);
        false
    }

    /// Notes whether the provider answered; after `unreachable_ms` of silence, the failure
    /// that stops the run (the items stay as they are for the next one).
    pub(super) fn heard(&self, found: &Found, now: i64) -> Option<Failure> {
        // A 429 (the provider's, or the client's own inquiry count) says nothing either way.
        if matches!(found, Found::Throttled { .. }) {
            return None;
        }
        let account = matches!(found, Found::AccountRefused { .. });
        if found.answered() && !account {
            self.token_failures.store(0, Ordering::Relaxed);
        }
        if found.answered() {
            self.silent_since.store(0, Ordering::Relaxed);
            return None;
        }
        let since =
            match self
                .silent_since
                .compare_exchange(0, now, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => now,
                Err(since) => since,
            };
        (now - since >= self.unreachable_ms).then(|| {
            Failure::new(
                FailureKind::NetworkError,
                format!(
                    "{} could not be reached for {} s, so the run stopped with its items as they are; run the batch again once it answers",
                    self.rail,
                    (now - since) / 1_000
                ),
            )
            .retryable(true)
        })
    }
}
