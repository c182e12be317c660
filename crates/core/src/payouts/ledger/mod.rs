//! The ledger of bulk payouts: batches and their items, the only memory of the engine.
//!
//! [`Ledger`] is what the engine needs from a store, and [`Submissions`] how the store
//! takes a batch in; [`sqlite::SqliteLedger`] is the embedded one. Every change of an item is a compare-and-set on its row
//! ([`Ledger::transition`]): it applies only if the row still has the status, generation
//! and version the caller read, inside one transaction. Claiming an item for sending is
//! such a transition (`queued` → `sending`, with the reference written), so two workers,
//! in one process or in many, can never both send an item.

mod pages;
pub mod postgres;
mod rows;
pub mod sqlite;
mod submit;

use async_trait::async_trait;
use serde_json::Value;

use crate::failure::Failure;
pub use pages::Pages;
pub(crate) use submit::all_staged;
pub use submit::{Created, NewBatch, StagedBatch, Submissions};

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

pub use super::rail::RailId;

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
    /// [`NewBatch::secret_check`]; `None` for a batch written before it was kept.
    pub secret_check: Option<String>,
    pub total: u64,
    /// Why the batch is paused (`insufficient_funds`), if it is.
    pub paused: Option<String>,
    pub started_at_ms: i64,
    pub finished_at_ms: Option<i64>,
}

/// The part of an item that changes, written by a [`Ledger::transition`].
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
    /// sending: while it heartbeats ([`Ledger::heartbeat`]) a `sending` row of its own may
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

/// Which `pending` or `unknown` rows of a batch [`Ledger::due`] returns: what the
/// scheduler looks up, found through an index on (batch, status, next check) so that a
/// round costs the page it reads, not the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Rows whose next check is set and at most this (ms since the epoch), in (next
    /// check, seq) order.
    By(i64),
    /// Rows whose next check is not set (an `unknown` one waiting on an operator, or a
    /// row written so), in seq order.
    Unset,
}

/// Where a page of [`Ledger::due`] starts: after the row with this next check (0 for
/// [`Due::Unset`]) and seq.
pub type DueCursor = (i64, u64);

/// Which of a batch's rows a page of [`Ledger::items`] holds: those with one of `statuses`
/// (every row when it is empty), in submission order after `after_seq`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct ItemsPage<'a> {
    pub statuses: &'a [Status],
    pub after_seq: Option<u64>,
    pub limit: u32,
}

impl<'a> ItemsPage<'a> {
    pub fn new(statuses: &'a [Status], after_seq: Option<u64>, limit: u32) -> ItemsPage<'a> {
        ItemsPage {
            statuses,
            after_seq,
            limit,
        }
    }
}

/// Which rows a page of [`Ledger::due`] holds: those with `status` that `due` selects,
/// after `after`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct DuePage {
    pub status: Status,
    pub due: Due,
    pub after: Option<DueCursor>,
    pub limit: u32,
}

impl DuePage {
    pub fn new(status: Status, due: Due, after: Option<DueCursor>, limit: u32) -> DuePage {
        DuePage {
            status,
            due,
            after,
            limit,
        }
    }
}

/// Totals of a batch, computed by the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// (status, count) for every status with at least one item.
    pub by_status: Vec<(Status, u64)>,
    /// (currency, requested, paid): paid is the sum over `successful` items.
    pub amounts: Vec<(String, f64, f64)>,
}

/// The store of batches and items, which takes them in as [`Submissions`].
/// Implementations must make `transition` atomic across every process sharing the store.
#[async_trait]
pub trait Ledger: Submissions {
    async fn batch(&self, batch_id: &str) -> Result<Option<BatchRow>, Failure>;

    async fn item(&self, batch_id: &str, key: &str) -> Result<Option<ItemRow>, Failure>;

    /// The batch's items in submission order, a page of them (see [`ItemsPage`]).
    async fn items(&self, batch_id: &str, page: ItemsPage<'_>) -> Result<Vec<ItemRow>, Failure>;

    /// A page of the batch's due rows (see [`DuePage`]). A store answers from an index:
    /// the cost is the page, not the batch.
    async fn due(&self, batch_id: &str, page: DuePage) -> Result<Vec<ItemRow>, Failure>;

    /// Writes `to` over the item if its row still has `from`'s status, generation and
    /// version, and increments the version; one transaction. `Ok(None)` when the row had
    /// changed (another worker won): nothing was written.
    async fn transition(&self, from: &ItemRow, to: ItemState) -> Result<Option<ItemRow>, Failure>;

    /// The verification records of the batch's items (`verify`): `(key, record)`, one per
    /// item verified. Never a registered name, only what was concluded.
    async fn verifications(&self, _batch_id: &str) -> Result<Vec<(String, Value)>, Failure> {
        Ok(Vec::new())
    }

    /// Writes (replaces) an item's verification record. The default store keeps none, so
    /// `verify` is refused on it.
    async fn record_verification(
        &self,
        _batch_id: &str,
        _key: &str,
        _record: &Value,
    ) -> Result<(), Failure> {
        Err(Failure::invalid(
            "ledger",
            "this ledger keeps no verifications: verify needs the SQLite or PostgreSQL ledger",
        ))
    }

    /// Sets or clears the batch's pause reason.
    async fn set_paused(&self, batch_id: &str, paused: Option<&str>) -> Result<(), Failure>;

    /// Sets (or clears, with `None`) when the batch finished.
    async fn set_finished(&self, batch_id: &str, at_ms: Option<i64>) -> Result<(), Failure>;

    async fn totals(&self, batch_id: &str) -> Result<Totals, Failure>;

    /// Lets go of the store (connections, files). Later calls may fail.
    async fn close(&self) -> Result<(), Failure>;

    /// Binds the batch to the rail's environment it is sent `to` (base URL, target, a
    /// fingerprint of the account; never a secret) unless it is bound already, in one
    /// atomic step; returns the environment the batch is bound to, which differs from
    /// `to` when another account sent it first (guarantee 3 of docs/bulk-payouts.md).
    async fn bind_account(&self, batch: &str, rail: &RailId, to: &Value) -> Result<Value, Failure>;

    /// The environment the batch is bound to on `rail`, if it was sent to one.
    async fn bound_account(&self, batch: &str, rail: &RailId) -> Result<Option<Value>, Failure>;

    /// The ledger's own clock (ms since the epoch): runners on machines whose clocks
    /// disagree compare liveness on this one (guarantee 5 of docs/bulk-payouts.md). The default, for a store
    /// on this machine, is this machine's clock.
    async fn clock_ms(&self) -> Result<i64, Failure> {
        Ok(super::wall::system_ms())
    }

    /// Records that `runner` is alive at `now_ms` (every couple of seconds while it runs or
    /// processes items). The default keeps nothing: see [`Ledger::runners_seen`].
    async fn heartbeat(&self, _runner: &str, _now_ms: i64) -> Result<(), Failure> {
        Ok(())
    }

    /// When each of `runners` last heartbeat (ms since the epoch); a runner never seen is
    /// left out (it is dead: its `sending` rows are looked up at once). The default, for a
    /// store that keeps no heartbeats, says every runner was seen just now, so that only
    /// the lease decides (as before runners were tracked).
    async fn runners_seen(&self, runners: &[String]) -> Result<Vec<(String, i64)>, Failure> {
        let now = self.clock_ms().await?;
        Ok(runners.iter().map(|r| (r.clone(), now)).collect())
    }
}

/// Opens the ledger a URL names — the one place a URL becomes a store: `sqlite:PATH`
/// (or a bare path) for the embedded file, `postgres://…` for a shared PostgreSQL.
/// Returns the store and its kind.
pub async fn open(url: &str) -> Result<(std::sync::Arc<dyn Ledger>, &'static str), Failure> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let ledger = postgres::PostgresLedger::open(url).await?;
        return Ok((std::sync::Arc::new(ledger), "postgres"));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
        .to_owned();
    if path.is_empty() || url.contains("://") && !url.starts_with("sqlite://") {
        return Err(Failure::invalid(
            "ledger",
            "options.ledger must be 'sqlite:PATH' (or a postgres:// URL)",
        ));
    }
    let ledger = tokio::task::spawn_blocking(move || {
        sqlite::SqliteLedger::open(std::path::Path::new(&path))
    })
    .await
    .map_err(|e| {
        Failure::new(
            crate::failure::FailureKind::NetworkError,
            format!("the payouts ledger could not be opened ({e})"),
        )
    })??;
    Ok((std::sync::Arc::new(ledger), "sqlite"))
}
