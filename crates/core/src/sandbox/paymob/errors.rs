//! The error bodies of Paymob's API, as its exception handler shapes them.

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// The budget sentence, typo included ("exceeds you budget").
pub const BUDGET_EXCEEDED: &str =
    "Sorry, the amount to be disbursed exceeds you budget limit, please contact your support team";

pub fn json(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// 401 for a missing, unknown or expired Bearer token.
pub fn not_authenticated() -> Response {
    json(
        StatusCode::UNAUTHORIZED,
        json!({
            "disbursement_status": "failed",
            "status_description": "Authentication credentials were not provided.",
            "status_code": "401",
        }),
    )
}

/// Field errors of a serializer, `{field: [messages]}`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

pub fn validation(errors: FieldErrors) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        json!({
            "disbursement_status": "failed",
            "status_description": errors,
            "status_code": "400",
        }),
    )
}

pub fn non_field(message: &str) -> Response {
    let mut errors = FieldErrors::new();
    errors.insert("non_field_errors".into(), vec![message.to_owned()]);
    validation(errors)
}

pub fn budget_exceeded() -> Response {
    json(
        StatusCode::BAD_REQUEST,
        json!({
            "disbursement_status": "failed",
            "status_description": BUDGET_EXCEEDED,
            "status_code": "400",
        }),
    )
}

/// 429 from the shared per-user throttle, with `Retry-After`.
pub fn throttled(wait_seconds: u64) -> Response {
    let mut resp = json(
        StatusCode::TOO_MANY_REQUESTS,
        json!({
            "status_description": format!("Request was throttled. Expected available in {wait_seconds} seconds."),
            "status_code": "429",
        }),
    );
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait_seconds));
    resp
}

/// A body that is not the JSON object the endpoint reads.
pub fn parse_error() -> Response {
    json(
        StatusCode::BAD_REQUEST,
        json!({
            "disbursement_status": "failed",
            "status_description": "JSON parse error - the request body must be a JSON object.",
            "status_code": "400",
        }),
    )
}
