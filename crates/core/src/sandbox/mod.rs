//! The embedded sandbox: one HTTP server that imitates the MTN MoMo sandbox and Paymob's
//! payouts API, with a ledger of every payout and injectable faults.
//!
//! - [`server`]: the accept loop (hyper + axum); [`conn_kill`]: its per-connection kill
//!   switch;
//! - [`state`]: the shared state (each provider's, the ledger, the request log);
//! - [`faults`]: fault rules; [`middleware`]: what applies them, and logs each request;
//! - [`ledger`]: the payouts either provider accepted;
//! - [`control`]: the `/_sandbox/` control endpoints;
//! - [`momo`] and [`paymob`]: each provider's routes and behaviour.

pub mod clock;
pub mod conn_kill;
pub mod control;
pub mod faults;
pub mod ledger;
pub mod middleware;
pub mod momo;
pub mod options;
pub mod paymob;
pub mod persist;
pub mod server;
pub mod state;

pub use faults::{FaultKind, FaultRate, FaultRule};
pub use ledger::LedgerEntry;
pub use options::SandboxOptions;
pub use server::Sandbox;
pub use state::SandboxState;
