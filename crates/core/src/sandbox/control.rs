//! `/_sandbox/` control endpoints: the same operations as the `Sandbox` class, for any
//! HTTP client (and for the CLI's sandbox). Not subject to faults, not logged.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::faults::{FaultRate, FaultRule};
use super::state::SandboxState;

type Shared = State<Arc<SandboxState>>;

pub fn routes() -> Router<Arc<SandboxState>> {
    Router::new()
        .route("/ledger", get(ledger))
        .route("/stats", get(stats))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/faults", post(add_fault).delete(clear_faults))
        .route("/fault-rate", post(set_rate))
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
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": e.to_string() })),
        ),
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
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": e.to_string() })),
        ),
    }
}
