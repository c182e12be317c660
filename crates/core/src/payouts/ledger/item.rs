//! An item's and a batch's rows and states: what a ledger keeps, in both stores. A leaf:
//! the stores, the submissions and the trait import these, never the other way.

use serde_json::Value;

use crate::payouts::rail::RailId;

/// An item's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Queued,
    Sending,
    Pending,
    Successful,
    Failed,
    Refused,
    Unknown,
    /// Verified and found wanting (inactive, unknown, another name): never sent until an
    /// operator approves it (`queued` again) or rejects it (`refused`).
    Held,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Queued,
        Status::Sending,
        Status::Pending,
        Status::Successful,
        Status::Failed,
        Status::Refused,
        Status::Unknown,
        Status::Held,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Pending => "pending",
            Status::Successful => "successful",
            Status::Failed => "failed",
            Status::Refused => "refused",
            Status::Unknown => "unknown",
            Status::Held => "held",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// `successful`, `failed` and `refused` never change again (but `retryFailed` may
    /// start a new generation of a `failed` or `refused` item).
    pub fn is_final(self) -> bool {
        matches!(self, Status::Successful | Status::Failed | Status::Refused)
    }
}

/// An item as submitted, validated: what never changes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    pub key: String,
    /// The rail that pays it (`momo`, `paymob`, or one registered by the caller).
    pub provider: RailId,
    /// The amount as a decimal string, as it is sent.
    pub amount: String,
    pub currency: String,
    /// The item as the user gave it (normalised JSON), from which the request is built.
    pub spec: Value,
}

/// A batch's own row.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    pub batch_id: String,
    pub fingerprint: String,
    /// [`super::NewBatch::secret_check`]; `None` for a batch written before it was kept.
    pub secret_check: Option<String>,
    pub total: u64,
    /// Why the batch is paused (`insufficient_funds`), if it is.
    pub paused: Option<String>,
    pub started_at_ms: i64,
    pub finished_at_ms: Option<i64>,
}

/// The part of an item that changes, written by a [`super::Ledger::transition`].
#[derive(Debug, Clone, PartialEq)]
pub struct ItemState {
    pub status: Status,
    /// 0 at submit; `retryFailed` (or a confirmed refusal for lack of funds) adds one.
    pub generation: u32,
    /// The reference of this generation, written before its request is sent.
    pub reference: Option<String>,
    /// Why it failed, was refused or is unknown: `{ error, message, code? }`.
    pub reason: Option<Value>,
    /// The provider's own id, when it gave one (Paymob's transaction id).
    pub provider_id: Option<String>,
    /// How many sends were made for this generation.
    pub sends: u32,
    /// How many lookups were made for this generation.
    pub lookups: u32,
    /// When the next lookup is due (ms since the epoch), for `pending` and `unknown`.
    pub next_check_ms: Option<i64>,
    pub updated_ms: i64,
    /// The provider answered for this generation's reference (accepted it, reported its
    /// state, or refused it as already used): a later lookup that finds nothing is then
    /// no proof that it was never seen, and the item is never sent as new again.
    pub acknowledged: bool,
    /// The runner (a `Payouts` instance's random id) that last claimed the item for
    /// sending: while it heartbeats ([`super::Ledger::heartbeat`]) a `sending` row of its own may
    /// have its request on the wire. `None` for rows written before it was kept (or by a
    /// store that does not keep it): then only the lease protects them.
    pub runner: Option<String>,
    /// When this generation was first claimed for sending (ms since the epoch): a lack of
    /// funds found for a reference first sent before a run started may predate a top-up. `None`
    /// before it was kept (then `updated_ms` stands in).
    pub sent_ms: Option<i64>,
    /// An operator's settlement of an `unknown` item (`payouts.resolve`):
    /// `{ status, note, actor?, at }`. Kept across later transitions of the generation.
    pub resolution: Option<Value>,
}

impl ItemState {
    /// An item in `status` with nothing sent or looked up yet (generation 0), as of
    /// `updated_ms`: what a submitted item starts as.
    pub fn fresh(status: Status, updated_ms: i64) -> ItemState {
        ItemState {
            status,
            generation: 0,
            reference: None,
            reason: None,
            provider_id: None,
            sends: 0,
            lookups: 0,
            next_check_ms: None,
            updated_ms,
            acknowledged: false,
            runner: None,
            sent_ms: None,
            resolution: None,
        }
    }
}

/// An item's row: what was submitted, its state, and `version`, which every transition
/// increments.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub batch_id: String,
    /// Submission order within the batch, from 0.
    pub seq: u64,
    pub item: NewItem,
    pub state: ItemState,
    pub version: u64,
}
