//! `/_sandbox/` control endpoints: the same operations as the `Sandbox` class, for any
//! HTTP client (and for the CLI's sandbox). Not subject to faults, not logged.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::faults::{FaultRate, FaultRule};
use super::momo::holders::AccountHolder;
use super::momo::Product;
use super::state::SandboxState;

type Shared = State<Arc<SandboxState>>;

pub fn routes() -> Router<Arc<SandboxState>> {
    Router::new()
        .route("/ledger", get(ledger))
        .route("/stats", get(stats))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/faults", post(add_fault).delete(clear_faults))
        .route("/fault-rate", post(set_rate))
        .route("/latency", get(latency).post(set_latency))
        .route("/momo/balance", get(momo_balance).post(set_momo_balance))
        .route("/momo/balances", get(momo_balances))
        .route(
            "/momo/{product}/balance",
            get(product_balance).post(set_product_balance),
        )
        .route("/momo/accountholders/{msisdn}", post(set_by_control))
        .route("/paymob/budget", get(paymob_budget).post(set_paymob_budget))
}

fn bad_request(message: impl std::fmt::Display) -> (StatusCode, Json<Value>) {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "message": message.to_string() })),
    )
}

/// `{"ms": n}` of `POST /latency`.
#[derive(Deserialize)]
struct Latency {
    ms: u64,
}

/// `{"amount": x}` of the balance and budget setters.
#[derive(Deserialize)]
struct Amount {
    amount: f64,
}

/// A balance or budget: finite and not negative.
pub fn valid_amount(amount: f64) -> Result<f64, &'static str> {
    if amount.is_finite() && amount >= 0.0 {
        Ok(amount)
    } else {
        Err("the amount must be a finite number, zero or more")
    }
}

fn parse_amount(body: &[u8]) -> Result<f64, (StatusCode, Json<Value>)> {
    let Amount { amount } = serde_json::from_slice(body).map_err(bad_request)?;
    valid_amount(amount).map_err(bad_request)
}

async fn latency(State(s): Shared) -> Json<Value> {
    Json(json!({ "ms": s.latency().as_millis() as u64 }))
}

async fn set_latency(State(s): Shared, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    match serde_json::from_slice::<Latency>(&body) {
        Ok(Latency { ms }) => {
            s.set_latency(ms);
            (StatusCode::OK, Json(json!({ "ms": ms })))
        }
        Err(e) => bad_request(e),
    }
}

fn momo_balance_body(s: &SandboxState, product: Product) -> Json<Value> {
    Json(
        json!({ "amount": s.momo.balance(product), "currency": s.options.market.primary().currency() }),
    )
}

/// The single balance of earlier versions: Disbursement's account, the one payouts draw on.
async fn momo_balance(State(s): Shared) -> Json<Value> {
    momo_balance_body(&s, Product::Disbursement)
}

/// Sets every product's account, as the single balance did.
async fn set_momo_balance(State(s): Shared, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    match parse_amount(&body) {
        Ok(amount) => {
            s.momo.set_all_balances(amount);
            (StatusCode::OK, momo_balance_body(&s, Product::Disbursement))
        }
        Err(e) => e,
    }
}

async fn momo_balances(State(s): Shared) -> Json<Value> {
    Json(
        json!({ "balances": s.momo.balances(), "currency": s.options.market.primary().currency() }),
    )
}

fn product_of(name: &str) -> Result<Product, (StatusCode, Json<Value>)> {
    Product::ALL
        .into_iter()
        .find(|p| p.as_str() == name)
        .ok_or_else(|| bad_request("the product must be collection, disbursement or remittance"))
}

async fn product_balance(
    State(s): Shared,
    Path(product): Path<String>,
) -> (StatusCode, Json<Value>) {
    match product_of(&product) {
        Ok(p) => (StatusCode::OK, momo_balance_body(&s, p)),
        Err(e) => e,
    }
}

async fn set_product_balance(
    State(s): Shared,
    Path(product): Path<String>,
    body: axum::body::Bytes,
) -> (StatusCode, Json<Value>) {
    match product_of(&product).and_then(|p| Ok((p, parse_amount(&body)?))) {
        Ok((p, amount)) => {
            s.momo.set_balance(p, amount);
            (StatusCode::OK, momo_balance_body(&s, p))
        }
        Err(e) => e,
    }
}

fn paymob_budget_body(s: &SandboxState) -> Json<Value> {
    Json(json!({ "amount": s.paymob.budget(), "currency": "EGP" }))
}

async fn paymob_budget(State(s): Shared) -> Json<Value> {
    paymob_budget_body(&s)
}

async fn set_paymob_budget(State(s): Shared, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    match parse_amount(&body) {
        Ok(amount) => {
            s.paymob.set_budget(amount);
            (StatusCode::OK, paymob_budget_body(&s))
        }
        Err(e) => e,
    }
}

async fn ledger(State(s): Shared) -> Json<Value> {
    Json(s.ledger_json())
}

async fn stats(State(s): Shared) -> Json<Value> {
    Json(s.stats_json())
}

async fn requests(State(s): Shared) -> Json<Value> {
    Json(s.requests_json())
}

async fn clear_requests(State(s): Shared) -> StatusCode {
    s.clear_requests();
    StatusCode::NO_CONTENT
}

async fn add_fault(State(s): Shared, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    match serde_json::from_slice::<FaultRule>(&body) {
        Ok(rule) => {
            s.faults.add(rule);
            (
                StatusCode::CREATED,
                Json(json!({ "pending": s.faults.pending() })),
            )
        }
        Err(e) => bad_request(e),
    }
}

async fn clear_faults(State(s): Shared) -> StatusCode {
    s.faults.clear();
    StatusCode::NO_CONTENT
}

async fn set_rate(State(s): Shared, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    match serde_json::from_slice::<FaultRate>(&body) {
        Ok(rate) => {
            s.faults.set_rate(Some(rate));
            (StatusCode::OK, Json(json!({ "ok": true })))
        }
        Err(e) => bad_request(e),
    }
}

/// `POST /_sandbox/momo/accountholders/{msisdn}` with `{ givenName, familyName, active? }`.
async fn set_by_control(
    State(s): State<Arc<SandboxState>>,
    Path(msisdn): Path<String>,
    body: axum::body::Bytes,
) -> (StatusCode, Json<Value>) {
    let bad = |m: String| (StatusCode::BAD_REQUEST, Json(json!({ "message": m })));
    match serde_json::from_slice::<AccountHolder>(&body) {
        Ok(h) => match s.momo.holders.set(&msisdn, h.clone()) {
            Ok(()) => (StatusCode::OK, Json(json!(h))),
            Err(e) => bad(e.to_owned()),
        },
        Err(e) => bad(e.to_string()),
    }
}
