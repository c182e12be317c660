//! The one place an outcome becomes JavaScript: `[true, data]` or `[false, failure]`.
//!
//! Every async method builds its future with [`spawn`], which also turns a panic into a
//! failure, so no call can reject or take the process down.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::{sys, Env};
use serde_json::Value;

use mobilemoney_core::{CallResult, Failure, FailureKind};

/// A finished call, on its way to JavaScript.
pub struct Outcome(pub CallResult);

/// `[true, data]` or `[false, failure]`.
pub fn pair(result: CallResult) -> Value {
    match result {
        Ok(data) => Value::Array(vec![Value::Bool(true), data]),
        Err(failure) => Value::Array(vec![Value::Bool(false), failure.to_json()]),
    }
}

impl ToNapiValue for Outcome {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe { Value::to_napi_value(env, pair(val.0)) }
    }
}

fn panicked() -> Failure {
    Failure::new(
        FailureKind::NetworkError,
        "internal error in mobilemoney-native (a bug: please report it); nothing more is known about this call",
    )
}

/// Run `fut` on napi's tokio runtime and resolve its outcome; never rejects.
pub fn spawn<'env, F>(env: &'env Env, fut: F) -> napi::Result<PromiseRaw<'env, Outcome>>
where
    F: Future<Output = CallResult> + Send + 'static,
{
    // Boxed once here: a call's state machine is kilobytes, and napi and tokio move the
    // spawned future by value several times before and while it runs; a box moves as a pointer.
    let fut = Box::pin(fut);
    env.spawn_future(async move {
        let result = AssertUnwindSafe(fut)
            .catch_unwind()
            .await
            .unwrap_or_else(|_| Err(panicked()));
        Ok(Outcome(result))
    })
}
