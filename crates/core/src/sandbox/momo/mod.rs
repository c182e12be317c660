//! The MTN MoMo half of the sandbox: provisioning, tokens, and the Collection,
//! Disbursement and Remittance APIs, with the official test numbers, settlement, one
//! merchant balance and callbacks.
//!
//! - [`headers`] — the gateway's subscription-key check and the `X-Reference-Id` header;
//! - [`auth`] — API-user credentials, token issue and the bearer check of product calls;
//! - [`provisioning`] — `/v1_0/apiuser`;
//! - [`routes`] — the route table of every product, and the one dispatcher;
//! - [`transactions`] — the POSTs that create a resource, and their status GETs;
//! - [`collection`] — delivery notifications, invoice and pre-approval cancels, the list
//!   of approved pre-approvals;
//! - [`consent`] — bc-authorize and the OAuth2 token of the consent flow;
//! - [`request`] — validation of the POST bodies;
//! - [`result`] — the status and callback bodies;
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
pub mod collection;
pub mod consent;
pub mod errors;
pub mod headers;
pub mod product;
pub mod provisioning;
pub mod request;
pub mod result;
pub mod routes;
pub mod settlement;
pub mod test_numbers;
pub mod transactions;

pub use product::Product;
pub use routes::routes;

/// The resources a POST creates; a reference id is unique within each (and product).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Transfer,
    Deposit,
    Refund,
    RequestToPay,
    Withdraw,
    Invoice,
    PreApproval,
    Payment,
    CashTransfer,
}

/// Which way money moves when a resource succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Collection: the payer approves, the merchant is credited when it succeeds.
    In,
    /// Disbursement, Remittance and Collection payments: drawn from the merchant at once.
    Out,
    /// A pre-approval: a mandate, no money.
    None,
}

impl Kind {
    /// As in the paths and the ledger's `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Transfer => "transfer",
            Kind::Deposit => "deposit",
            Kind::Refund => "refund",
            Kind::RequestToPay => "requesttopay",
            Kind::Withdraw => "requesttowithdraw",
            Kind::Invoice => "invoice",
            Kind::PreApproval => "preapproval",
            Kind::Payment => "payment",
            Kind::CashTransfer => "cashtransfer",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Kind::RequestToPay | Kind::Withdraw | Kind::Invoice => Direction::In,
            Kind::PreApproval => Direction::None,
            _ => Direction::Out,
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
    /// Consent requests and their refresh tokens.
    consent: Mutex<consent::Consents>,
}

impl MomoState {
    pub fn new(options: &SandboxOptions) -> Self {
        MomoState {
            users: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            book: Mutex::new(settlement::Book::new(options.momo.balance)),
            consent: Mutex::new(consent::Consents::default()),
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
