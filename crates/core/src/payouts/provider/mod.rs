//! What the engine needs from a provider: send an item under a reference, and look
//! references up. Each provider client is wrapped by one adapter ([`momo`], [`paymob`]).

pub mod momo;
pub mod paymob;

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{json, Value};

use super::ledger::{NewItem, ProviderKind};
use crate::failure::{Failure, FailureKind};

/// What a send or a lookup established about a reference.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Paid; final.
    Successful { provider_id: Option<String> },
    /// Accepted and not final yet.
    Pending { provider_id: Option<String> },
    /// The provider took the payout and confirms it failed: no money moved.
    Failed { reason: Value, no_funds: bool },
    /// Refused before any money moved (validation, a business refusal, no funds for
    /// Paymob); `no_funds` marks a refusal for lack of balance or budget.
    Refused { reason: Value, no_funds: bool },
    /// Lookup only: the provider has never seen this reference.
    NotFound,
    /// The provider holds this reference (it answered that it was used before) but what
    /// became of it could not be read: not established, and never to be sent as new.
    Acknowledged { reason: Value },
    /// The account itself was refused (401, 403: credentials, permissions): nothing was
    /// done for this item, and nothing will be for the others until it is fixed.
    AccountRefused { failure: Failure },
    /// The provider throttled us: nothing was done; try again after the wait.
    Throttled { wait: Option<Duration> },
    /// Not established either way.
    Unknown { reason: Value },
}

/// `{ error, message, code? }`: the part of a failure kept in the ledger (never a body,
/// which might echo a secret back).
pub fn reason_of(f: &Failure) -> Value {
    let mut r = json!({ "error": f.kind.as_str(), "message": f.message });
    if let (Some(code), Value::Object(m)) = (&f.code, &mut r) {
        m.insert("code".into(), Value::from(code.as_str()));
    }
    r
}

/// A failure that tells us only that the provider throttled, that the account's
/// credentials were refused, or that the outcome is unknown.
pub fn found_for_unsure(f: &Failure) -> Found {
    match f.kind {
        FailureKind::RateLimited => Found::Throttled {
            wait: f.retry_after,
        },
        // A credential refused is the account's, not the item's: every other item would
        // be refused the same way.
        FailureKind::Unauthorized
        | FailureKind::Forbidden
        | FailureKind::InvalidBearerToken
        | FailureKind::InvalidBasicToken => Found::AccountRefused { failure: f.clone() },
        _ => Found::Unknown {
            reason: reason_of(f),
        },
    }
}

#[async_trait]
pub trait Provider: Send + Sync {
    fn kind(&self) -> ProviderKind;

    /// Validates an item's provider-specific fields at submit, before anything is sent.
    fn check(&self, item: &NewItem) -> Result<(), Failure>;

    /// Sends the item once (the client may repeat it, with the same reference).
    async fn send(&self, item: &NewItem, reference: &str) -> Found;

    /// How many references one lookup request may carry.
    fn lookup_batch(&self) -> usize;

    /// Items of different groups are never looked up in one request (Paymob inquires
    /// bank rails and wallets apart), so each request gets its own pacing turn.
    fn lookup_group(&self, _item: &NewItem) -> u8 {
        0
    }

    /// Looks references up: one answer per reference, in order.
    async fn lookup(&self, items: &[(&NewItem, &str)]) -> Vec<Found>;
}
