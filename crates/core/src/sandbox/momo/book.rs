//! The book: every resource a MoMo POST created (its request, status and callback) and
//! the merchant's accounts, as the MoMo state holds it and a state file keeps it. Apart
//! from settlement.rs (how a resource becomes final) so that the state imports no handler.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use axum::http::Method;
use serde::{Deserialize, Serialize};

use super::balances::Accounts;
use super::payout_status::Status;
use super::request::PayoutRequest;
use crate::momo::api::{Kind, Product};

/// Where and how a resource's callback goes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(into = "(String, String)", try_from = "(String, String)")]
pub struct Callback {
    pub url: String,
    pub method: Method,
}

/// Stored as `[url, method]` in the state file.
impl From<Callback> for (String, String) {
    fn from(c: Callback) -> Self {
        (c.url, c.method.to_string())
    }
}

impl TryFrom<(String, String)> for Callback {
    type Error = String;

    fn try_from((url, method): (String, String)) -> Result<Self, String> {
        let method = Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
        Ok(Callback { url, method })
    }
}

/// A resource: which product and kind, and its reference id.
pub type Key = (Product, Kind, String);

#[derive(Serialize, Deserialize)]
pub struct Payout {
    pub request: PayoutRequest,
    pub status: Status,
    /// The final status it will reach; `None` for a Delayed one, which never settles.
    pub eventual: Option<Status>,
    pub financial_transaction_id: Option<String>,
    pub callback: Option<Callback>,
    /// The API user that created it.
    pub owner: String,
    /// MoMo's timestamps: created, and made final.
    pub created_at: String,
    pub settled_at: Option<String>,
    /// When it became final, for the delivery-notification window (a restored one
    /// counts from its restoring).
    #[serde(skip)]
    pub settled: Option<Instant>,
    /// When it is due to settle (Unix ms): a restored sandbox resumes the wait.
    #[serde(default)]
    pub due_unix_ms: Option<u64>,
}

#[derive(Serialize, Deserialize)]
pub struct Book {
    #[serde(with = "pairs")]
    pub payouts: HashMap<Key, Payout>,
    /// The `X-Reference-Id`s of invoice cancels: unique like any other.
    pub cancels: HashSet<String>,
    accounts: Accounts,
    next_financial_id: u64,
}

/// A map with tuple keys, as a list of pairs in the state file (JSON keys are strings).
mod pairs {
    use std::collections::HashMap;
    use std::hash::Hash;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &HashMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<HashMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

/// First `financialTransactionId`: a short numeric string like the live sandbox's.
const FIRST_FINANCIAL_ID: u64 = 1_573_250_710;

impl Book {
    pub fn new(accounts: Accounts) -> Self {
        Book {
            payouts: HashMap::new(),
            cancels: HashSet::new(),
            accounts,
            next_financial_id: FIRST_FINANCIAL_ID,
        }
    }

    pub fn accounts(&self) -> Accounts {
        self.accounts
    }

    pub fn set_balance(&mut self, product: Product, amount: f64) {
        self.accounts.set(product, amount);
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.payouts.contains_key(key)
    }

    /// Takes `value` from `product`'s account if it holds that much; false (nothing
    /// taken) otherwise.
    pub(super) fn draw(&mut self, product: Product, value: f64) -> bool {
        if self.accounts.of(product) < value {
            return false;
        }
        self.accounts.add(product, -value);
        true
    }

    /// Puts `value` into `product`'s account (money collected, or a cancelled draw).
    pub(super) fn credit(&mut self, product: Product, value: f64) {
        self.accounts.add(product, value);
    }

    pub(super) fn next_id(&mut self) -> u64 {
        let id = self.next_financial_id;
        self.next_financial_id = id.saturating_add(1);
        id
    }
}

/// The pending resources of a restored book and how long each has left to wait.
pub fn still_due(book: &Book) -> Vec<(Key, Duration)> {
    let now = crate::sandbox::clock::unix_ms_after(Duration::ZERO);
    book.payouts
        .iter()
        .filter(|(_, p)| p.status == Status::Pending && p.eventual.is_some())
        .filter_map(|(k, p)| {
            let due = p.due_unix_ms?;
            Some((k.clone(), Duration::from_millis(due.saturating_sub(now))))
        })
        .collect()
}
