//! The Paymob payouts client against the embedded sandbox, over real HTTP.
//!
//! Each area lives in its own file under `tests/paymob/`; `support` starts sandboxes and
//! builds clients.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

#[path = "paymob/support.rs"]
mod support;

#[path = "paymob/tokens.rs"]
mod tokens;

#[path = "paymob/cashin.rs"]
mod cashin;

#[path = "paymob/outcomes.rs"]
mod outcomes;

#[path = "paymob/inquiries.rs"]
mod inquiries;

#[path = "paymob/safety.rs"]
mod safety;
