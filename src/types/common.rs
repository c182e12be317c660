//! What every call shares: the failure it may resolve, and the request events it reports.

use napi_derive::napi;
use serde::Deserialize;
use serde_json::Value;

/// What `data` is when `ok` is false. Never contains a credential.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    #[napi(ts_type = "FailureKind")]
    pub error: String,
    /// One human sentence.
    pub message: String,
    /// HTTP status, when a response came back. (At run time the object also carries it as
    /// `status`, for code written against mobilemoney.js; it is not declared, so that a
    /// result used without checking `ok` does not compile.)
    pub http_status: Option<f64>,
    /// The provider's reason code, e.g. "RESOURCE_ALREADY_EXIST" or "618".
    pub code: Option<String>,
    /// The provider's parsed body (or text), when one came back.
    #[napi(ts_type = "unknown")]
    pub body: Option<Value>,
    /// For input errors: which argument or body field is wrong.
    pub field: Option<String>,
    /// The X-Reference-Id / client reference of the call, when it has one.
    pub reference_id: Option<String>,
    /// True only where repeating the same call is safe and may succeed.
    pub retryable: bool,
    /// The provider's request id header, when it sent one.
    pub request_id: Option<String>,
    /// How many HTTP attempts were made.
    pub attempts: Option<f64>,
}

/// One request attempt, given to `onEvent` (and printed with DEBUG=mobilemoney-native).
// The nullable fields are `Value`s: required, and null when absent.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestEvent {
    #[napi(ts_type = "'momo' | 'paymob'")]
    pub provider: String,
    pub method: String,
    pub path: String,
    #[napi(ts_type = "number | null")]
    pub status: Value,
    pub elapsed_ms: f64,
    pub attempt: f64,
    #[napi(ts_type = "string | null")]
    pub reference_id: Value,
    /// The provider's id of this attempt (its X-Request-Id answer header), for a support ticket.
    #[napi(ts_type = "string | null")]
    pub request_id: Value,
    /// "Timeout" or a network error, when no answer came back.
    #[napi(ts_type = "string | null")]
    pub error: Value,
}
