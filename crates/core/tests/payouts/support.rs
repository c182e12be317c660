//! A sandbox with a provisioned MoMo user, `Payouts` on a fresh ledger file, and the
//! comparisons of the two ledgers.

use std::collections::HashMap;
use std::path::PathBuf;

use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{ItemRow, ItemState, Ledger, Status};
use mobilemoney_core::payouts::operator::Resolution;
pub use mobilemoney_core::payouts::options::Options;
use mobilemoney_core::payouts::reference::reference;
pub use mobilemoney_core::payouts::report::ItemsQuery;
use mobilemoney_core::payouts::Payouts;
use mobilemoney_core::sandbox::{Sandbox, SandboxOptions};
use serde_json::{json, Value};
use uuid::Uuid;

pub const KEY: &str = "test-subscription-key";
pub const SECRET: &str = "a-test-secret-of-enough-length";

pub struct World {
    pub sb: Sandbox,
    pub db: PathBuf,
    pub api_user: String,
    pub api_key: String,
}

impl Drop for World {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.db.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

pub async fn world(tune: impl FnOnce(&mut SandboxOptions)) -> World {
    let mut o = SandboxOptions::default();
    o.paymob.inquiry_limit_per_minute = 100_000;
    tune(&mut o);
    let sb = Sandbox::start(o).await.unwrap();
    let http = reqwest::Client::new();
    let api_user = Uuid::new_v4().to_string();
    let r = http
        .post(format!("{}/v1_0/apiuser", sb.url()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .header("X-Reference-Id", &api_user)
        .json(&json!({ "providerCallbackHost": "127.0.0.1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r = http
        .post(format!("{}/v1_0/apiuser/{api_user}/apikey", sb.url()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .send()
        .await
        .unwrap();
    let api_key = r.json::<Value>().await.unwrap()["apiKey"]
        .as_str()
        .unwrap()
        .to_owned();
    let db = std::env::temp_dir().join(format!("payouts-test-{}.db", Uuid::new_v4()));
    World {
        sb,
        db,
        api_user,
        api_key,
    }
}

impl World {
    pub fn options(&self) -> Value {
        let p = &self.sb.state().options.paymob;
        json!({
            "ledger": format!("sqlite:{}", self.db.display()),
            "secret": SECRET,
            "momo": {
                "subscriptionKey": KEY,
                "apiUser": self.api_user,
                "apiKey": self.api_key,
                "baseUrl": self.sb.url(),
                "retryBackoffMs": 5,
                "lookupsPerSecond": 1000,
            },
            "paymob": {
                "clientId": p.client_id,
                "clientSecret": p.client_secret,
                "username": p.username,
                "password": p.password,
                "baseUrl": format!("{}/api/secure/", self.sb.url()),
                "retryBackoffMs": 5,
                "lookupsPerSecond": 1000,
            },
        })
    }

    pub async fn payouts(&self) -> Payouts {
        self.payouts_with(self.options()).await
    }

    pub async fn payouts_with(&self, options: Value) -> Payouts {
        let opened = match Options::from_json(&options) {
            Ok(options) => Payouts::open(options, None).await,
            Err(f) => Err(f),
        };
        match opened {
            Ok(p) => p,
            Err(f) => panic!("open failed: {f}"),
        }
    }

    /// `Payouts` on the world's options, with `items` submitted as batch `batch`.
    pub async fn submitted(&self, batch: &str, items: Value) -> Payouts {
        let p = self.payouts().await;
        p.submit(batch, &items).await.unwrap();
        p
    }

    /// Item `key` of `batch` as the ledger file holds it.
    pub async fn row(&self, batch: &str, key: &str) -> ItemRow {
        let ledger = SqliteLedger::open(&self.db).unwrap();
        ledger.item(batch, key).await.unwrap().unwrap()
    }

    /// The sandbox's ledger: reference → (status, how many entries).
    pub fn paid(&self) -> HashMap<String, (String, usize)> {
        let mut out: HashMap<String, (String, usize)> = HashMap::new();
        for e in self.sb.state().ledger_json().as_array().unwrap() {
            let r = e["referenceId"].as_str().unwrap().to_owned();
            let status = e["status"].as_str().unwrap().to_ascii_lowercase();
            let entry = out.entry(r).or_insert((status.clone(), 0));
            entry.0 = status;
            entry.1 += 1;
        }
        out
    }
}

/// Milliseconds since the Unix epoch, as the ledger keeps them.
pub fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// `items`' query from its JSON form.
pub fn query(v: Value) -> ItemsQuery {
    ItemsQuery::from_json(&v).unwrap()
}

/// `resolve`'s resolution from its JSON form.
pub fn resolution(v: &Value) -> Resolution {
    Resolution::from_json(v).unwrap()
}

/// The reference of `row`'s first send in `batch` (under the test secret).
pub fn first_reference(batch: &str, row: &ItemRow) -> String {
    reference(SECRET.as_bytes(), batch, &row.item, 0)
}

/// `row` claimed for its first send, under `reference`, at `updated_ms`.
pub fn sending(row: &ItemRow, reference: &str, updated_ms: i64) -> ItemState {
    ItemState {
        status: Status::Sending,
        reference: Some(reference.to_owned()),
        sends: 1,
        updated_ms,
        ..row.state.clone()
    }
}

pub fn momo(key: &str, party: &str) -> Value {
    json!({ "key": key, "provider": "momo", "amount": "100", "currency": "EUR", "party": party, "note": "payroll" })
}

pub fn paymob(key: &str, msisdn: &str) -> Value {
    json!({ "key": key, "provider": "paymob", "issuer": "vodafone", "amount": 10, "msisdn": msisdn })
}

/// Every item of the batch against the sandbox ledger: each reference recorded at most
/// once, and successful items paid there.
pub fn assert_ledgers_agree(w: &World, items: &Value) {
    let paid = w.paid();
    for it in items.as_array().unwrap() {
        let status = it["status"].as_str().unwrap();
        let reference = it["referenceId"].as_str();
        if let Some(r) = reference {
            if let Some((_, n)) = paid.get(r) {
                assert_eq!(*n, 1, "reference {r} recorded {n} times");
            }
        }
        if status == "successful" {
            let (st, _) = paid
                .get(reference.unwrap())
                .unwrap_or_else(|| panic!("{} successful but not in the sandbox", it["key"]));
            assert!(st == "successful" || st == "success", "{it} vs {st}");
        }
    }
}
