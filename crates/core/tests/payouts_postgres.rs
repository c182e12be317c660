//! The PostgreSQL ledger against a real server (`DATABASE_URL`, by default
//! postgres://postgres@127.0.0.1:5432/test): each test in a schema of its own, dropped at
//! the end. Without a server the tests say so and pass, unless MMN_REQUIRE_SERVICES=1.

#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]
#[path = "payouts/support.rs"]
mod support;

// The checks every Ledger must pass (its own SQLite tests run here too).
#[path = "payouts/ledger.rs"]
mod conformance;

#[path = "payouts/paging.rs"]
mod paging;

#[path = "payouts_postgres/db.rs"]
mod db;

#[path = "payouts_postgres/ledger.rs"]
mod ledger;

#[path = "payouts_postgres/totals.rs"]
mod totals;

#[path = "payouts_postgres/secrets.rs"]
mod secrets;

#[path = "payouts_postgres/proxy.rs"]
mod proxy;

#[path = "payouts_postgres/engine.rs"]
mod engine;
