//! The one place an outcome becomes JavaScript: `[true, data]` or `[false, failure]`.
//!
//! Every async method builds its future with [`crate::spawn::spawn`], which also turns a panic
//! into a failure, so no call can reject or take the process down; [`crate::completion`]
//! carries the outcome back to the JavaScript thread.

use napi::bindgen_prelude::ToNapiValue;
use napi::sys;
use serde_json::Value;

use mobilemoney_core::{CallResult, Failure, FailureKind};

use crate::json;

/// A finished call, on its way to JavaScript: made ready on the tokio thread that finished
/// it (as the JSON text of the pair when `JSON.parse` builds the same thing), so that the
/// JavaScript thread neither serialises nor frees the many small allocations of a `Value`.
pub struct Outcome(Prepared);

enum Prepared {
    Text(String),
    Value(Value),
}

impl Outcome {
    pub fn new(result: CallResult) -> Self {
        let pair = pair(result);
        if same_through_json_parse(&pair, 0) {
            if let Ok(text) = serde_json::to_string(&pair) {
                return Outcome(Prepared::Text(text));
            }
        }
        Outcome(Prepared::Value(pair))
    }
}

/// `[true, data]` or `[false, failure]`.
pub fn pair(result: CallResult) -> Value {
    match result {
        Ok(data) => Value::Array(vec![Value::Bool(true), data]),
        Err(failure) => Value::Array(vec![Value::Bool(false), failure.to_json()]),
    }
}

impl ToNapiValue for Outcome {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        match val.0 {
            // SAFETY: called by napi on the JavaScript thread of `env`.
            Prepared::Text(text) => match unsafe { json::parse(env, &text) } {
                Some(js) => Ok(js),
                // Not reached in practice (JSON.parse of our own text); the usual way then.
                None => {
                    let pair = serde_json::from_str::<Value>(&text).unwrap_or(Value::Null);
                    unsafe { Value::to_napi_value(env, pair) }
                }
            },
            Prepared::Value(pair) => unsafe { Value::to_napi_value(env, pair) },
        }
    }
}

/// Integers beyond this become BigInt in napi's `Value` conversion, numbers in JSON.parse.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// True when `JSON.parse` of this value's text builds exactly what napi's property-by-property
/// conversion would: no integer napi would make a BigInt, no `__proto__` key (set through
/// the prototype setter by napi, defined as an own property by JSON.parse), no extreme depth.
fn same_through_json_parse(value: &Value, depth: usize) -> bool {
    match value {
        Value::Null | Value::Bool(_) | Value::String(_) => true,
        Value::Number(n) => match n.as_i64() {
            Some(i) => (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i),
            None => n.is_f64(),
        },
        Value::Array(items) => {
            depth < 64 && items.iter().all(|v| same_through_json_parse(v, depth + 1))
        }
        Value::Object(map) => {
            depth < 64
                && map
                    .iter()
                    .all(|(k, v)| k != "__proto__" && same_through_json_parse(v, depth + 1))
        }
    }
}

/// What a call whose task was dropped before it finished resolves (the runtime shutting
/// down with the environment, say). Whether its request was sent is not known.
pub fn cancelled() -> Failure {
    Failure::new(
        FailureKind::NetworkError,
        "the call was cancelled before it finished (the runtime is shutting down); whether its request reached the server is not known",
    )
}
