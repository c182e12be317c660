//! The one place an outcome becomes JavaScript: `[true, data]` or `[false, failure]`.
//!
//! Every async method builds its future with [`spawn`], which also turns a panic into a
//! failure, so no call can reject or take the process down; [`crate::completion`] carries
//! the outcome back to the JavaScript thread.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::{sys, Env};
use serde_json::Value;

use mobilemoney_core::{CallResult, Failure, FailureKind};

use crate::completion;

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
            Prepared::Text(text) => match unsafe { json_parsed(env, &text) } {
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

thread_local! {
    /// `JSON.parse` of the environment on this thread, taken once.
    static JSON_PARSE: std::cell::Cell<Option<(sys::napi_env, sys::napi_ref)>> =
        const { std::cell::Cell::new(None) };
}

/// `JSON.parse` of `env`, looked up on first use and kept in a reference.
unsafe fn json_parse_fn(env: sys::napi_env) -> Option<sys::napi_value> {
    let ok = |status: sys::napi_status| status == sys::Status::napi_ok;
    let mut func = std::ptr::null_mut();
    if let Some((cached_env, reference)) = JSON_PARSE.with(std::cell::Cell::get) {
        if cached_env == env
            && ok(unsafe { sys::napi_get_reference_value(env, reference, &mut func) })
            && !func.is_null()
        {
            return Some(func);
        }
    }
    let (mut global, mut json) = (std::ptr::null_mut(), std::ptr::null_mut());
    let mut reference = std::ptr::null_mut();
    // SAFETY: plain N-API calls on the env of the current call, with NUL-terminated names.
    unsafe {
        if !(ok(sys::napi_get_global(env, &mut global))
            && ok(sys::napi_get_named_property(
                env,
                global,
                c"JSON".as_ptr(),
                &mut json,
            ))
            && ok(sys::napi_get_named_property(
                env,
                json,
                c"parse".as_ptr(),
                &mut func,
            ))
            && ok(sys::napi_create_reference(env, func, 1, &mut reference)))
        {
            return None;
        }
    }
    JSON_PARSE.with(|cell| cell.set(Some((env, reference))));
    Some(func)
}

/// The outcome built by V8's `JSON.parse` from its JSON text: one N-API call instead of
/// two per property. `None` (nothing built, no exception left) means: convert the usual way.
unsafe fn json_parsed(env: sys::napi_env, text: &str) -> Option<sys::napi_value> {
    let ok = |status: sys::napi_status| status == sys::Status::napi_ok;
    // SAFETY: N-API calls on the env of the current call; `text` outlives them.
    unsafe {
        let parse = json_parse_fn(env)?;
        let (mut this, mut arg, mut result) = (
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        if !(ok(sys::napi_get_undefined(env, &mut this))
            && ok(sys::napi_create_string_utf8(
                env,
                text.as_ptr().cast(),
                text.len() as isize,
                &mut arg,
            )))
        {
            return None;
        }
        if ok(sys::napi_call_function(
            env,
            this,
            parse,
            1,
            &arg,
            &mut result,
        )) {
            return Some(result);
        }
        let mut pending = false;
        if ok(sys::napi_is_exception_pending(env, &mut pending)) && pending {
            let mut exception = std::ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut exception);
        }
        None
    }
}

fn panicked() -> Failure {
    Failure::new(
        FailureKind::NetworkError,
        "internal error in mobilemoney-native (a bug: please report it); nothing more is known about this call",
    )
}

/// What a call whose task was dropped before it finished resolves (the runtime shutting
/// down with the environment, say). Whether its request was sent is not known.
pub fn cancelled() -> Failure {
    Failure::new(
        FailureKind::NetworkError,
        "the call was cancelled before it finished (the runtime is shutting down); whether its request reached the server is not known",
    )
}

/// Run `fut` on napi's tokio runtime and resolve its outcome; never rejects.
pub fn spawn<'env, F>(env: &'env Env, fut: F) -> napi::Result<PromiseRaw<'env, Outcome>>
where
    F: Future<Output = CallResult> + Send + 'static,
{
    let (ticket, promise) = completion::start(env)?;
    // Boxed once here: a call's state machine is kilobytes, and tokio moves the spawned
    // future by value before it runs; a box moves as a pointer.
    let fut = Box::pin(fut);
    let task = async move {
        let result = AssertUnwindSafe(fut)
            .catch_unwind()
            .await
            .unwrap_or_else(|_| Err(panicked()));
        ticket.finish(Outcome::new(result));
    };
    // napi's `spawn` panics when its runtime is gone; the task (and so the ticket) is then
    // dropped, which resolves the promise with `cancelled()`.
    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
        napi::bindgen_prelude::spawn(task);
    }));
    Ok(PromiseRaw::new(env.raw(), promise))
}
