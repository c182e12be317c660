//! The MTN MoMo half of the sandbox: provisioning, tokens, and the Collection,
//! Disbursement and Remittance APIs, with the official test numbers, settlement, one
//! account per product and callbacks.
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
//!   [`payout_status`]: a payout's status and its stored form;
//! - [`callbacks`] — the callback target check and delivery;
//! - [`accounts`] — balance, account holders, user info;
//! - [`test_numbers`] — the tables; [`errors`]: the error bodies.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::clock::unix_ms_after;
use super::options::SandboxOptions;
use super::state::{Ledger, SandboxState};

pub mod accounts;
pub mod auth;
pub mod callbacks;
pub mod collection;
pub mod consent;
pub mod errors;
pub mod headers;
pub mod holders;
pub mod payout_status;
pub mod provisioning;
pub mod request;
pub mod result;
pub mod routes;
pub mod settlement;
pub mod test_numbers;
pub mod transactions;

pub use crate::momo::api::{Kind, Product};
pub use routes::routes;

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
    /// Which way the sandbox's book moves money when a resource of this kind succeeds.
    pub fn direction(self) -> Direction {
        match self {
            Kind::RequestToPay | Kind::Withdraw | Kind::Invoice => Direction::In,
            Kind::PreApproval => Direction::None,
            _ => Direction::Out,
        }
    }
}

/// The MoMo half as a state file keeps it.
#[derive(Deserialize)]
pub struct Stored {
    users: HashMap<String, provisioning::ApiUser>,
    tokens: Vec<StoredToken>,
    book: settlement::Book,
}

/// An issued token with its expiry as a wall-clock time.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredToken {
    token: String,
    api_user: String,
    product: Product,
    expires_unix_ms: u64,
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
    /// Account holders a test set (`setAccountHolder`).
    pub holders: holders::Holders,
}

impl MomoState {
    pub fn new(options: &SandboxOptions) -> Self {
        MomoState {
            users: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            book: Mutex::new(settlement::Book::new(options.momo.accounts())),
            consent: Mutex::new(consent::Consents::default()),
            holders: holders::Holders::default(),
        }
    }

    /// The available balance (EUR) of `product`'s account.
    pub fn balance(&self, product: Product) -> f64 {
        self.book.lock().accounts().of(product)
    }

    pub fn balances(&self) -> settlement::Accounts {
        self.book.lock().accounts()
    }

    /// Top up or drain one account at run time; payouts already accepted keep their draw.
    pub fn set_balance(&self, product: Product, amount: f64) {
        self.book.lock().set_balance(product, amount);
    }

    /// The users, live tokens and book, with the ledger read under the book's lock so
    /// that the two agree (lock order: book, then ledger).
    pub fn snapshot(&self, ledger: &Mutex<Ledger>) -> serde_json::Result<(Value, Value)> {
        let users = serde_json::to_value(&*self.users.lock())?;
        let now = Instant::now();
        let tokens: Vec<StoredToken> = self
            .tokens
            .lock()
            .iter()
            .filter_map(|(token, t)| {
                let left = t.expires_at.checked_duration_since(now)?;
                Some(StoredToken {
                    token: token.clone(),
                    api_user: t.api_user.clone(),
                    product: t.product,
                    expires_unix_ms: unix_ms_after(left),
                })
            })
            .collect();
        let book = self.book.lock();
        let momo = json!({
            "users": users,
            "tokens": tokens,
            "book": serde_json::to_value(&*book)?,
        });
        let entries = serde_json::to_value(ledger.lock().entries())?;
        Ok((momo, entries))
    }

    /// Take over a stored state and resume the settlements it was waiting for.
    pub fn restore(s: &Arc<SandboxState>, stored: Stored) {
        let now = Instant::now();
        let now_ms = unix_ms_after(Duration::ZERO);
        *s.momo.users.lock() = stored.users;
        *s.momo.tokens.lock() = stored
            .tokens
            .into_iter()
            .filter(|t| t.expires_unix_ms > now_ms)
            .map(|t| {
                let left = Duration::from_millis(t.expires_unix_ms - now_ms);
                let issued = auth::IssuedToken {
                    api_user: t.api_user,
                    product: t.product,
                    expires_at: now + left,
                };
                (t.token, issued)
            })
            .collect();
        let mut book = stored.book;
        for p in book.payouts.values_mut() {
            if p.settled_at.is_some() {
                p.settled = Some(now);
            }
        }
        let due = settlement::still_due(&book);
        *s.momo.book.lock() = book;
        for (key, wait) in due {
            settlement::schedule(s, key, Some(wait));
        }
    }

    /// Every product's account to `amount` (the single `balance` of earlier versions).
    pub fn set_all_balances(&self, amount: f64) {
        let mut book = self.book.lock();
        for p in Product::ALL {
            book.set_balance(p, amount);
        }
    }
}
