//! What the engine needs from a store ([`Ledger`]), and the pages and totals it asks for.
//! Kept apart from mod.rs (which opens the stores) so that the stores import it without
//! importing their parent.

use async_trait::async_trait;
use serde_json::Value;

use super::item::{BatchRow, ItemRow, ItemState, Status};
use super::submit::Submissions;
use crate::failure::Failure;
use crate::payouts::rail::RailId;

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
        Ok(crate::payouts::wall::system_ms())
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
