//! `POST transaction/aman/cancel/`: void an unpaid Aman bill and return its amount to the
//! budget. Throttled with the inquiries.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use uuid::Uuid;

use super::auth;
use super::errors::{self, FieldErrors};
use crate::sandbox::state::SandboxState;

pub async fn cancel_aman(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let user = match auth::throttled_user(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return errors::parse_error();
    };
    let id = match body.get("transaction_id").and_then(Value::as_str) {
        Some(raw) => match Uuid::try_parse(raw.trim()) {
            Ok(u) => u.hyphenated().to_string(),
            Err(_) => return field_error("Must be a valid UUID."),
        },
        None => return field_error("This field is required."),
    };
    let cancelled = {
        let mut store = state.paymob.store.lock();
        let index = store.by_id.get(&id).copied().filter(|i| {
            store
                .txns
                .get(*i)
                .is_some_and(|t| t.user == user && t.issuer == "aman")
        });
        let Some(txn) = index.and_then(|i| store.txns.get_mut(i)) else {
            return errors::json(
                StatusCode::NOT_FOUND,
                json!({ "transaction_id": "Not found" }),
            );
        };
        let Some(aman) = txn.aman.as_mut().filter(|a| !a.is_paid && !a.is_cancelled) else {
            // The key is misspelt by the real server too.
            return errors::json(StatusCode::BAD_REQUEST, json!({ "is_canelled": false }));
        };
        aman.is_cancelled = true;
        txn.updated_at = crate::sandbox::clock::paymob_now();
        let refund = if txn.drawn { txn.amount_cents } else { 0 };
        txn.drawn = false;
        let txn = txn.clone();
        store.budget_cents += refund;
        txn
    };
    state.set_payout_status(
        "paymob",
        None,
        "cashin",
        &cancelled.ledger_reference(),
        "cancelled",
    );
    errors::json(StatusCode::OK, cancelled.to_json())
}

fn field_error(message: &str) -> Response {
    let mut e = FieldErrors::new();
    e.insert("transaction_id".into(), vec![message.into()]);
    errors::validation(e)
}
