//! The Paymob half of the sandbox, nested under `/api/secure`:
//!
//! - [`auth`] answers `o/token/` (password and refresh grants, lockout) and checks Bearer
//!   tokens;
//! - [`disburse`] answers `disburse/`, with [`validate`] (the server's checks) and
//!   [`test_numbers`] (what each issuer and number answers);
//! - [`inquiry`] answers `budget/inquire/`, `transaction/inquire/` and `…/by-reference/`;
//! - [`cancel`] answers `transaction/aman/cancel/`;
//! - [`store`] holds tokens, budget, transactions and the throttle; [`errors`] shapes the
//!   error bodies.

// Handlers' helpers return the early answer (`Response`) as their error.

pub mod auth;
pub mod cancel;
pub mod disburse;
pub mod errors;
pub mod inquiry;
pub mod store;
pub mod test_numbers;
pub mod validate;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use parking_lot::Mutex;

use super::options::SandboxOptions;
use super::state::SandboxState;
use store::Store;

pub struct PaymobState {
    pub store: Mutex<Store>,
}

impl PaymobState {
    pub fn new(options: &SandboxOptions) -> Self {
        PaymobState {
            store: Mutex::new(Store::new(options.paymob.budget)),
        }
    }

    /// The budget left, in EGP.
    pub fn budget(&self) -> f64 {
        self.store.lock().budget_cents as f64 / 100.0
    }

    /// Top up or drain the budget at run time; pending payouts keep their draw.
    pub fn set_budget(&self, amount: f64) {
        self.store.lock().budget_cents = store::cents(amount);
    }
}

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

/// Settle the pending payouts that are due, and tell the ledger.
pub(crate) fn settle(state: &SandboxState) {
    let settled = state.paymob.store.lock().settle_due();
    for s in settled {
        state.set_payout_status("paymob", None, "cashin", &s.reference, s.status);
    }
}
