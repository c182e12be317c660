//! The MoMo half of the embedded sandbox, driven over real HTTP.

// Test code: failing loudly is the point (clippy.toml allows this only inside #[test] fns).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, Method};
use axum::Router;
use mobilemoney_core::sandbox::momo::Product;
use mobilemoney_core::sandbox::options::{
    MomoSandboxOptions, ProductBalances, ProductKeys, ReasonShape,
};
use mobilemoney_core::sandbox::{Sandbox, SandboxOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use uuid::Uuid;

mod common;
use common::KEY;

fn opts() -> SandboxOptions {
    SandboxOptions::default()
}

/// The body of a money request's answer, which must be 202 Accepted.
fn accepted((status, text): (StatusCode, String)) -> String {
    assert_eq!(status, StatusCode::ACCEPTED, "{text}");
    text
}

/// POSTs `body` with the Disbursement token; the answer's body, which must be 202 Accepted.
async fn post_accepted(
    env: &Env,
    path: &str,
    reference: &str,
    body: &Value,
    callback: Option<&str>,
) -> String {
    accepted(env.post_money(path, reference, body, callback).await)
}

fn id() -> String {
    Uuid::new_v4().to_string()
}

fn msisdn(n: u32) -> String {
    format!("467331234{n}")
}

struct Env {
    sb: Sandbox,
    http: reqwest::Client,
    /// The provisioned API user and key.
    user: String,
    key: String,
    /// A Disbursement token (what `get` and `post_money` send).
    token: String,
}

impl Env {
    async fn start(options: SandboxOptions) -> Env {
        Env::with_host(options, Some("127.0.0.1")).await
    }

    /// `start` with the test options as `set` changes them.
    async fn with(set: impl FnOnce(&mut SandboxOptions)) -> Env {
        let mut options = opts();
        set(&mut options);
        Env::start(options).await
    }

    /// `start` with the test options' MoMo part as `set` changes it.
    async fn with_momo(set: impl FnOnce(&mut MomoSandboxOptions)) -> Env {
        Env::with(|o| set(&mut o.momo)).await
    }

    /// A sandbox with one provisioned API user (callback host `host`) and its token.
    async fn with_host(options: SandboxOptions, host: Option<&str>) -> Env {
        let sb = Sandbox::start(options).await.unwrap();
        let http = reqwest::Client::new();
        let mut env = Env {
            sb,
            http,
            user: String::new(),
            key: String::new(),
            token: String::new(),
        };
        let (user, key) = env.provision(host).await;
        env.token = env.get_token(&user, &key).await;
        env.user = user;
        env.key = key;
        env
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.sb.url(), path)
    }

    async fn provision(&self, host: Option<&str>) -> (String, String) {
        common::provision(&self.http, &self.url(""), host).await
    }

    async fn token_response(&self, user: &str, key: &str) -> reqwest::Response {
        self.product_token_response("disbursement", user, key).await
    }

    async fn product_token_response(
        &self,
        product: &str,
        user: &str,
        key: &str,
    ) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/{product}/token/")))
            .header("Ocp-Apim-Subscription-Key", KEY)
            .basic_auth(user, Some(key))
            .send()
            .await
            .unwrap()
    }

    async fn get_token(&self, user: &str, key: &str) -> String {
        let r = self.token_response(user, key).await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_owned()
    }

    /// The provisioned user's token for `product`.
    async fn token_for(&self, product: &str) -> String {
        let r = self
            .product_token_response(product, &self.user, &self.key)
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_owned()
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.request_as(&self.token, Method::GET, path)
    }

    /// A product call with `token`, the subscription key and the target environment.
    fn request_as(&self, token: &str, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("Ocp-Apim-Subscription-Key", KEY)
            .header("X-Target-Environment", "sandbox")
            .bearer_auth(token)
    }

    async fn get_json_as(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let r = self
            .request_as(token, Method::GET, path)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POST `body` to `path` with `token` and `X-Reference-Id: reference`.
    async fn post_as(
        &self,
        token: &str,
        path: &str,
        reference: &str,
        body: &Value,
        callback: Option<&str>,
    ) -> (StatusCode, String) {
        let mut req = self
            .request_as(token, Method::POST, path)
            .header("X-Reference-Id", reference)
            .json(body);
        if let Some(cb) = callback {
            req = req.header("X-Callback-Url", cb);
        }
        let r = req.send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// Poll a status GET with `token` until it is neither PENDING nor CREATED.
    /// A product account's balance in the sandbox's state.
    fn balance(&self, product: Product) -> f64 {
        self.sb.state().momo.balance(product)
    }

    async fn final_as(&self, token: &str, path: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (code, v) = self.get_json_as(token, path).await;
            assert_eq!(code, StatusCode::OK, "{v}");
            let open = v["status"] == "PENDING" || v["status"] == "CREATED";
            if !open || Instant::now() > deadline {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        self.get_json_as(&self.token, path).await
    }

    async fn post_money(
        &self,
        path: &str,
        reference: &str,
        body: &Value,
        callback: Option<&str>,
    ) -> (StatusCode, String) {
        self.post_as(&self.token, path, reference, body, callback)
            .await
    }

    /// POST a transfer-shaped body to `path`, expecting 202; returns the reference id.
    async fn pay(&self, path: &str, party: &str, amount: &str) -> String {
        let reference = id();
        let text = accepted(
            self.post_money(path, &reference, &payout(party, amount), None)
                .await,
        );
        assert_eq!(text, "");
        reference
    }

    /// Poll a Disbursement status GET until it is no longer PENDING.
    async fn final_status(&self, resource: &str, reference: &str) -> Value {
        let path = format!("/disbursement/v1_0/{resource}/{reference}");
        self.final_as(&self.token, &path).await
    }

    fn ledger(&self) -> Vec<Value> {
        self.sb.state().ledger_json().as_array().unwrap().clone()
    }

    fn ledger_entry(&self, reference: &str) -> Value {
        self.ledger()
            .into_iter()
            .find(|e| e["referenceId"] == reference)
            .unwrap_or(Value::Null)
    }
}

/// A money request in EUR with `party` as its `side` ("payee" or "payer"), and the
/// external id and (payer message, payee note) given.
fn money_body(side: &str, party: &str, amount: &str, external_id: &str, notes: [&str; 2]) -> Value {
    let [payer_message, payee_note] = notes;
    json!({
        "amount": amount,
        "currency": "EUR",
        "externalId": external_id,
        side: { "partyIdType": "MSISDN", "partyId": party },
        "payerMessage": payer_message,
        "payeeNote": payee_note,
    })
}

fn payout(party: &str, amount: &str) -> Value {
    money_body("payee", party, amount, "ext-1", ["salary", "thanks"])
}

fn refund_body(external_id: Option<&str>, amount: &str) -> Value {
    let mut b = json!({
        "amount": amount,
        "currency": "EUR",
        "referenceIdToRefund": id(),
        "payerMessage": "refund",
        "payeeNote": "refund",
    });
    if let Some(e) = external_id {
        b["externalId"] = json!(e);
    }
    b
}

fn code_of(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    v["code"].as_str().unwrap_or("").to_owned()
}

/// One callback as a local listener received it.
#[derive(Debug)]
struct Received {
    method: Method,
    reference: String,
    content_type: String,
    body: Value,
}

/// A callback listener on 127.0.0.1; returns its base URL and what it receives.
async fn listener() -> (String, mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new()
        .fallback(
            |State(tx): State<mpsc::UnboundedSender<Received>>,
             method: Method,
             headers: HeaderMap,
             body: axum::body::Bytes| async move {
                let h = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                let _ = tx.send(Received {
                    method,
                    reference: h("x-reference-id"),
                    content_type: h("content-type"),
                    body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                });
                "ok"
            },
        )
        .with_state(tx);
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(socket, app).await;
    });
    (format!("http://127.0.0.1:{}/momo/cb", addr.port()), rx)
}

async fn next_callback(rx: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("no callback within 5 s")
        .unwrap()
}

/// Nothing more arrives within `ms`.
async fn assert_quiet(rx: &mut mpsc::UnboundedReceiver<Received>, ms: u64) {
    let more = tokio::time::timeout(Duration::from_millis(ms), rx.recv()).await;
    assert!(more.is_err(), "unexpected callback: {more:?}");
}

// The cases, by theme, in `tests/sandbox_momo/`.
#[path = "sandbox_momo/access.rs"]
mod access;
#[path = "sandbox_momo/collection.rs"]
mod collection;
#[path = "sandbox_momo/collection_v2.rs"]
mod collection_v2;
#[path = "sandbox_momo/consent.rs"]
mod consent;
#[path = "sandbox_momo/controls.rs"]
mod controls;
#[path = "sandbox_momo/flows.rs"]
mod flows;
#[path = "sandbox_momo/persist.rs"]
mod persist;
#[path = "sandbox_momo/remittance.rs"]
mod remittance;
#[path = "sandbox_momo/strict.rs"]
mod strict;
#[path = "sandbox_momo/tables.rs"]
mod tables;
