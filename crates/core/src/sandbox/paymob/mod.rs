//! The Paymob half of the sandbox, nested under `/api/secure`:
//!
//! - [`auth`] answers `o/token/` (password and refresh grants, lockout) and checks Bearer
//!   tokens;
//! - [`disburse`] answers `disburse/`, with [`validate`] (the server's checks) and
//!   [`test_numbers`] (what each issuer and number answers);
//! - [`inquiry`] answers `budget/inquire/`, `transaction/inquire/` and `…/by-reference/`;
//! - [`cancel`] answers `transaction/aman/cancel/`;
//! - [`store`] holds tokens, budget, transactions and the throttle, and is the Paymob
//!   state the shared state holds; [`settle`] makes due payouts final; [`errors`] shapes
//!   the error bodies.

// Handlers' helpers return the early answer (`Response`) as their error.

pub mod auth;
pub mod cancel;
pub mod disburse;
pub mod errors;
pub mod inquiry;
pub mod settle;
pub mod store;
pub mod test_numbers;
pub mod validate;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::state::SandboxState;
pub use store::PaymobState;

pub fn routes() -> Router<Arc<SandboxState>> {
    Router::new()
        .route("/o/token/", post(auth::token))
        .route("/disburse/", post(disburse::disburse))
        .route("/budget/inquire/", get(inquiry::budget))
        .route(
            "/transaction/inquire/",
            post(inquiry::by_ids).get(inquiry::by_ids),
        )
        .route(
            "/transaction/inquire/by-reference/",
            post(inquiry::by_reference).get(inquiry::by_reference),
        )
        .route("/transaction/aman/cancel/", post(cancel::cancel_aman))
}
