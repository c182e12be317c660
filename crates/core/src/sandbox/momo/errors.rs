//! Error bodies, shaped as the MoMo gateway and backend send them: `{"code","message"}`
//! from the backend, `{"statusCode","message"}` from the APIM gateway.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::sandbox::faults::provider_of;

/// The message MoMo pairs with each error or reason code.
pub fn message_of(code: &str) -> &'static str {
    match code {
        "RESOURCE_NOT_FOUND" => "Requested resource was not found.",
        "RESOURCE_ALREADY_EXIST" => "Duplicated reference id. Creation of resource failed.",
        "NOT_ALLOWED" => "Authorization failed. Insufficient permissions.",
        "NOT_ALLOWED_TARGET_ENVIRONMENT" => "Access to target environment is forbidden.",
        "INVALID_CALLBACK_URL_HOST" => "Callback URL does not match the configured value.",
        "INVALID_CURRENCY" => "Currency not supported.",
        "INTERNAL_PROCESSING_ERROR" => "An internal error occurred while processing.",
        "SERVICE_UNAVAILABLE" => "Service is unavailable.",
        "NOT_ENOUGH_FUNDS" => "The payer does not have enough funds.",
        "PAYER_LIMIT_REACHED" => "The payer's limit has been breached.",
        "PAYEE_NOT_FOUND" => "The payee could not be found.",
        "PAYEE_NOT_ALLOWED_TO_RECEIVE" => "The payee is not allowed to receive funds.",
        "APPROVAL_REJECTED" => "The approval was rejected.",
        "EXPIRED" => "The request expired before it was approved.",
        "COULD_NOT_PERFORM_TRANSACTION" => "The transaction could not be performed.",
        "TRANSACTION_NOT_FOUND" => "The transaction to refund was not found.",
        _ => "The request failed.",
    }
}

/// A backend error: `{"code","message"}` with the code's usual message.
pub fn coded(status: StatusCode, code: &str) -> Response {
    with_message(status, code, message_of(code))
}

pub fn with_message(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

/// Every 500 of the test-number tables and of the header checks.
pub fn server_error(code: &str) -> Response {
    coded(StatusCode::INTERNAL_SERVER_ERROR, code)
}

pub fn not_found() -> Response {
    coded(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND")
}

pub fn conflict() -> Response {
    coded(StatusCode::CONFLICT, "RESOURCE_ALREADY_EXIST")
}

/// A 400 naming what is wrong; the live body is unconfirmed, so this one
/// is chosen to help the developer.
pub fn bad_request(message: &str) -> Response {
    with_message(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

/// The APIM gateway's 401 shape.
pub fn gateway_unauthorized(message: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({ "statusCode": 401, "message": message })),
    )
        .into_response()
}

/// `reason` of a failed transaction: a bare string (live sandbox) or the spec's object.
pub fn reason_value(code: &str, as_object: bool) -> Value {
    if as_object {
        json!({ "code": code, "message": message_of(code) })
    } else {
        Value::String(code.to_owned())
    }
}

/// Unknown routes. The MoMo routes sit at the root, so this fallback also sees unknown
/// paths of the nested Paymob and control routers: those get a bare 404, not MoMo's body.
pub async fn fallback(uri: Uri) -> Response {
    if provider_of(uri.path()) == "momo" {
        not_found()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}
