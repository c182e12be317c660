//! Options of `Sandbox.start()`, with the defaults docs/sandbox-and-testing.md documents.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::momo::balances::Accounts;
use crate::momo::api::Product;
use crate::momo::market::Markets;

/// Shape of `reason` on failed MoMo transactions: the live sandbox sends a bare string,
/// the OpenAPI spec an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ReasonShape {
    #[default]
    String,
    Object,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MomoSandboxOptions {
    /// Accepted subscription keys; `None` accepts any non-empty key.
    pub subscription_keys: Option<Vec<String>>,
    /// Keys of one product only (each product has its own key); a product without its
    /// list takes `subscription_keys`.
    pub product_keys: ProductKeys,
    /// Accept a token of any product on every product, as the live sandbox does.
    pub share_tokens: bool,
    /// How long after a request to pay succeeded a delivery notification is accepted
    /// (410 after).
    pub delivery_notification_window_ms: u64,
    /// Every product account's opening balance, unless `balances` names its own.
    pub balance: f64,
    /// Opening balances per product (each product is its own account at MTN).
    pub balances: ProductBalances,
    /// `PUT` or `POST` for every callback; `None` follows the spec (V1 POST, V2 PUT,
    /// transfer PUT).
    pub callback_method: Option<String>,
    pub reason_shape: ReasonShape,
    /// Deliver every callback twice, as has been observed live.
    pub duplicate_callbacks: bool,
}

impl Default for MomoSandboxOptions {
    fn default() -> Self {
        MomoSandboxOptions {
            subscription_keys: None,
            product_keys: ProductKeys::default(),
            share_tokens: false,
            delivery_notification_window_ms: 5 * 60 * 1000,
            balance: 10_000_000.0,
            balances: ProductBalances::default(),
            callback_method: None,
            reason_shape: ReasonShape::String,
            duplicate_callbacks: false,
        }
    }
}

/// Opening balances per MoMo product; a product without one takes `balance`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct ProductBalances {
    pub collection: Option<f64>,
    pub disbursement: Option<f64>,
    pub remittance: Option<f64>,
}

/// Subscription keys per MoMo product.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct ProductKeys {
    pub collection: Option<Vec<String>>,
    pub disbursement: Option<Vec<String>>,
    pub remittance: Option<Vec<String>>,
}

impl ProductKeys {
    fn of(&self, product: Product) -> Option<&Vec<String>> {
        match product {
            Product::Collection => self.collection.as_ref(),
            Product::Disbursement => self.disbursement.as_ref(),
            Product::Remittance => self.remittance.as_ref(),
        }
    }
}

impl MomoSandboxOptions {
    pub fn accounts(&self) -> Accounts {
        let b = &self.balances;
        Accounts {
            collection: b.collection.unwrap_or(self.balance),
            disbursement: b.disbursement.unwrap_or(self.balance),
            remittance: b.remittance.unwrap_or(self.balance),
        }
    }

    /// Whether the gateway lets `key` through to `product` (`None`: provisioning, which
    /// any product's key opens).
    pub fn accepts_key(&self, product: Option<Product>, key: &str) -> bool {
        let has = |keys: &Vec<String>| keys.iter().any(|k| k == key);
        let shared = self.subscription_keys.as_ref();
        match product {
            Some(p) => self.product_keys.of(p).or(shared).is_none_or(has),
            None => Product::ALL
                .into_iter()
                .any(|p| self.accepts_key(Some(p), key)),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymobSandboxOptions {
    pub client_id: String,
    pub client_secret: String,
    pub username: String,
    pub password: String,
    pub budget: f64,
    /// Shared limit of inquiry, budget and Aman-cancel requests per user and minute.
    pub inquiry_limit_per_minute: u32,
}

impl Default for PaymobSandboxOptions {
    fn default() -> Self {
        PaymobSandboxOptions {
            client_id: "sandbox-client-id".into(),
            client_secret: "sandbox-client-secret".into(),
            username: "sandbox-user".into(),
            password: "sandbox-password".into(),
            budget: 10_000_000.0,
            inquiry_limit_per_minute: 5,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SandboxOptions {
    pub port: u16,
    pub host: String,
    /// How long a payout stays `PENDING` (MoMo) or `pending` (Paymob bank rails).
    pub settle_after_ms: u64,
    /// How long MoMo's "ongoing" test number (…53) stays `PENDING` before it succeeds:
    /// about 30 s at MTN, and apart from `settleAfterMs` so that tests can shorten it alone.
    pub ongoing_ms: u64,
    /// Lifetime of the tokens it issues, both providers.
    pub token_ttl_seconds: u64,
    pub momo: MomoSandboxOptions,
    pub paymob: PaymobSandboxOptions,
    /// Print one line per request on stderr (the CLI's request log).
    pub log_requests: bool,
    /// Every provider answer is delayed by this much, like a real network's round trip.
    pub latency_ms: u64,
    /// Keep the ledger, accounts and users in this file across restarts (`None`: in
    /// memory only).
    pub state_file: Option<std::path::PathBuf>,
    /// The target environments it answers as (one name or a list): `sandbox` (EUR, any
    /// number) or production markets such as `mtnghana` (GHS, Ghanaian numbers).
    pub market: Markets,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            port: 0,
            host: "127.0.0.1".into(),
            settle_after_ms: 0,
            ongoing_ms: 30_000,
            token_ttl_seconds: 3600,
            momo: MomoSandboxOptions::default(),
            paymob: PaymobSandboxOptions::default(),
            log_requests: false,
            latency_ms: 0,
            state_file: None,
            market: Markets::default(),
        }
    }
}

impl SandboxOptions {
    pub fn settle_after(&self) -> Duration {
        Duration::from_millis(self.settle_after_ms)
    }

    pub fn ongoing(&self) -> Duration {
        Duration::from_millis(self.ongoing_ms)
    }

    pub fn token_ttl(&self) -> Duration {
        Duration::from_secs(self.token_ttl_seconds)
    }
}
