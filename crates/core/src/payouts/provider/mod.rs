//! What the engine needs from a provider: send an item under a reference, and look
//! references up. Each provider client is wrapped by one adapter ([`momo`], [`paymob`]).

pub mod momo;
pub mod paymob;

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{json, Value};

use super::ledger::{NewItem, RailId};
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
    /// The account itself failed (its token could not be had; 401, 403: credentials,
    /// permissions): nothing was done for this item, and nothing will be for the others
    /// until it is fixed.
    AccountRefused { failure: Failure },
    /// The provider holds a transaction under this reference whose amount, currency or
    /// payee is not the item's: never taken as the item's outcome (guarantee 2 of docs/bulk-payouts.md).
    Mismatch { reason: Value },
    /// The provider throttled us: nothing was done; try again after the wait.
    Throttled { wait: Option<Duration> },
    /// Not established either way; `answered` when the provider answered at all (an
    /// error status), not when nothing came back.
    Unknown { reason: Value, answered: bool },
}

impl Found {
    /// Whether the provider was heard from: anything but silence (no connection, no
    /// answer in time).
    pub fn answered(&self) -> bool {
        match self {
            Found::Unknown { answered, .. } => *answered,
            Found::AccountRefused { failure } => failure.status.is_some(),
            _ => true,
        }
    }
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
    if f.account {
        return Found::AccountRefused { failure: f.clone() };
    }
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
            answered: f.status.is_some(),
        },
    }
}

/// A short one-way digest of an account's identifying options (tells two accounts apart
/// without revealing either).
pub fn fingerprint(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"mobilemoney-native payouts: the account of a batch");
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    h.finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether two amounts are the same sum (`"100"`, `"100.00"` and `100` are).
pub fn same_amount(item: &str, found: &Value) -> bool {
    let found = match found {
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    match (item.parse::<f64>(), found) {
        (Ok(a), Some(b)) => (a - b).abs() < 0.005,
        _ => false,
    }
}

/// The digits of a phone number (`+256 77…` and `25677…` are the same payee).
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Found::Mismatch for a transaction whose `what` differs from the item's.
pub fn mismatch(what: &str, expected: &str, found: &Value) -> Found {
    Found::Mismatch {
        reason: json!({
            "error": "Mismatch",
            "message": format!("the provider holds a transaction under this reference with another {what} ({found}, not {expected}); it is not taken as this item's outcome and needs an operator"),
        }),
    }
}

/// What a rail's account-holder lookups found for an item (see `Provider::holder`).
#[derive(Debug, Clone, PartialEq)]
pub enum Holder {
    /// Active; with the registered (given, family) names when they were asked for. They
    /// live only until compared.
    Active {
        name: Option<(String, String)>,
    },
    Inactive,
    NotFound,
    /// The rail cannot look holders up: only the item's own fields were checked (at submit).
    FormatOnly,
    /// Not established (a timeout, a 5xx, throttling, the account's own failure).
    Unsure(Found),
}

#[async_trait]
pub trait Provider: Send + Sync {
    /// The rail it pays on: what an item's `provider` names.
    fn rail(&self) -> RailId;

    /// The currency of an item that gives none (Paymob pays in EGP only).
    fn default_currency(&self) -> Option<&'static str> {
        None
    }

    /// Where this account pays (guarantee 3 of docs/bulk-payouts.md): its base URL, target environment and a
    /// fingerprint of the account's identity; never a secret. A batch sent to one
    /// environment is never run against another.
    fn environment(&self) -> Value;

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

    /// Whether the account an item pays is active and, with `with_name`, the name it is
    /// registered under (`payouts.verify`), each request on a turn of `pace` (the account's
    /// lookup pacing). A rail that cannot say checked the item's format at submit, and
    /// answers so.
    async fn holder(
        &self,
        _item: &NewItem,
        _with_name: bool,
        _pace: &crate::payouts::pace::Pace,
    ) -> Holder {
        Holder::FormatOnly
    }
}
