//! Bulk payouts against the embedded sandbox, over real HTTP, with a real SQLite ledger.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

#[path = "payouts/support.rs"]
mod support;

#[path = "payouts/batches.rs"]
mod batches;

#[path = "payouts/recovery.rs"]
mod recovery;

#[path = "payouts/ledger.rs"]
mod ledger;

#[path = "payouts/paging.rs"]
mod paging;

#[path = "payouts/safety.rs"]
mod safety;

#[path = "payouts/liveness.rs"]
mod liveness;

#[path = "payouts/invariants.rs"]
mod invariants;

#[path = "payouts/rails.rs"]
mod rails;
