//! Everything the MoMo half remembers between requests, as the shared state holds it: API
//! users, tokens, the book, consents and account holders. The handlers import this; it
//! imports none of them (nor the shared state), so the state has no cycle.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::balances::Accounts;
use super::book::{still_due, Book, Key};
use super::holders::Holders;
use crate::momo::api::Product;
use crate::sandbox::clock::unix_ms_after;
use crate::sandbox::ledger::Ledger;
use crate::sandbox::options::SandboxOptions;

/// An API user (`/v1_0/apiuser`).
#[derive(Serialize, Deserialize)]
pub struct ApiUser {
    /// As given at creation; empty when none was, which then matches no callback URL.
    pub callback_host: String,
    /// Only the latest key is valid.
    pub api_key: Option<String>,
}

/// An issued access token.
pub struct IssuedToken {
    pub(super) api_user: String,
    /// A token is good for the product that issued it (unless `momo.shareTokens`).
    pub(super) product: Product,
    pub(super) expires_at: Instant,
}

/// What bc-authorize asked, for the token request that follows.
pub struct AuthRequest {
    pub(super) api_user: String,
    pub(super) product: Product,
    pub(super) msisdn: String,
    pub(super) scope: String,
}

#[derive(Default)]
pub struct Consents {
    pub(super) requests: HashMap<String, AuthRequest>,
    /// Refresh token → the request it renews.
    pub(super) refresh: HashMap<String, String>,
}

/// The MoMo half as a state file keeps it.
#[derive(Deserialize)]
pub struct Stored {
    users: HashMap<String, ApiUser>,
    tokens: Vec<StoredToken>,
    book: Book,
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
    pub(super) users: Mutex<HashMap<String, ApiUser>>,
    /// Issued access tokens by their value.
    pub(super) tokens: Mutex<HashMap<String, IssuedToken>>,
    /// Payouts and the balance. Lock order: `book`, then the state's `ledger`.
    pub(super) book: Mutex<Book>,
    /// Consent requests and their refresh tokens.
    pub(super) consent: Mutex<Consents>,
    /// Account holders a test set (`setAccountHolder`).
    pub holders: Holders,
}

impl MomoState {
    pub fn new(options: &SandboxOptions) -> Self {
        MomoState {
            users: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            book: Mutex::new(Book::new(options.momo.accounts())),
            consent: Mutex::new(Consents::default()),
            holders: Holders::default(),
        }
    }

    /// The available balance (EUR) of `product`'s account.
    pub fn balance(&self, product: Product) -> f64 {
        self.book.lock().accounts().of(product)
    }

    pub fn balances(&self) -> Accounts {
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

    /// Takes over a stored state; returns the resources still due to settle and how
    /// long each has left (settlement::restore schedules them).
    pub(super) fn take_over(&self, stored: Stored) -> Vec<(Key, Duration)> {
        let now = Instant::now();
        let now_ms = unix_ms_after(Duration::ZERO);
        *self.users.lock() = stored.users;
        *self.tokens.lock() = stored
            .tokens
            .into_iter()
            .filter(|t| t.expires_unix_ms > now_ms)
            .map(|t| {
                let left = Duration::from_millis(t.expires_unix_ms - now_ms);
                let issued = IssuedToken {
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
        let due = still_due(&book);
        *self.book.lock() = book;
        due
    }

    /// Every product's account to `amount` (the single `balance` of earlier versions).
    pub fn set_all_balances(&self, amount: f64) {
        let mut book = self.book.lock();
        for p in Product::ALL {
            book.set_balance(p, amount);
        }
    }
}
