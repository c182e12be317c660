//! The MTN MoMo half of the sandbox: provisioning, tokens and the Disbursement API, with
//! the official test numbers, settlement, a balance and callbacks (reference §1–§9).
//!
//! - [`headers`] — the gateway's subscription-key check and the `X-Reference-Id` header;
//! - [`auth`] — API-user credentials, token issue and the bearer check of product calls;
//! - [`provisioning`] — `/v1_0/apiuser`;
//! - [`transactions`] — transfer, deposit and refund POSTs and their status GETs;
//! - [`request`] — validation of the money POST bodies;
//! - [`settlement`] — the book of payouts, the balance, and how a payout becomes final;
//! - [`callbacks`] — the callback target check and delivery;
//! - [`accounts`] — balance, account holders, user info;
//! - [`test_numbers`] — the tables; [`errors`]: the error bodies.

use std::collections::HashMap;

use parking_lot::Mutex;

use super::options::SandboxOptions;

pub mod accounts;
pub mod auth;
pub mod callbacks;
pub mod errors;
pub mod headers;
pub mod product;
pub mod provisioning;
pub mod request;
pub mod routes;
pub mod settlement;
pub mod test_numbers;
pub mod transactions;

pub use product::Product;
pub use routes::routes;

/// The three resources of the Disbursement API; a reference id is unique within each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Transfer,
    Deposit,
    Refund,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Transfer => "transfer",
            Kind::Deposit => "deposit",
            Kind::Refund => "refund",
        }
    }
}

/// The API version of a money POST: it decides the spec's callback method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

/// Everything the MoMo half remembers between requests.
pub struct MomoState {
    /// API users by id.
    users: Mutex<HashMap<String, provisioning::ApiUser>>,
    /// Issued access tokens by their value.
    tokens: Mutex<HashMap<String, auth::IssuedToken>>,
    /// Payouts and the balance. Lock order: `book`, then the state's `ledger`.
    book: Mutex<settlement::Book>,
}

impl MomoState {
    pub fn new(options: &SandboxOptions) -> Self {
        MomoState {
            users: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            book: Mutex::new(settlement::Book::new(options.momo.balance)),
        }
    }

    /// The disbursement account's available balance (EUR).
    pub fn balance(&self) -> f64 {
        self.book.lock().balance()
    }

    /// Top up or drain the account at run time; payouts already accepted keep their draw.
    pub fn set_balance(&self, amount: f64) {
        self.book.lock().set_balance(amount);
    }
}
