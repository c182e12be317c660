//! JavaScript values in: any value becomes an owned [`Arg`], never an exception.
//!
//! Objects go through `JSON.stringify`, with a size limit, so a cyclic, huge or hostile
//! object (a throwing getter, a Proxy) ends as `Arg::Other` instead of a crash or a throw.

use napi::bindgen_prelude::{JsObjectValue, Object};
use napi::{Env, JsValue, Unknown, ValueType};
use serde_json::{Map, Value};

use crate::json;

use mobilemoney_core::{Arg, Failure};

/// Objects larger than this as JSON text are refused (no request body comes near it).
const MAX_JSON_BYTES: usize = 1 << 20;
/// A batch's items (`Payouts.submit`) may be far larger: 20 000 items are about 2 MB.
const MAX_BATCH_JSON_BYTES: usize = 256 << 20;

/// Convert one argument; an exception raised while reading it is cleared.
pub fn arg(env: &Env, value: Unknown<'_>) -> Arg {
    arg_up_to(env, value, MAX_JSON_BYTES)
}

/// [`arg`] for a batch of items, with room for hundreds of thousands of them.
pub fn batch_arg(env: &Env, value: Unknown<'_>) -> Arg {
    arg_up_to(env, value, MAX_BATCH_JSON_BYTES)
}

fn arg_up_to(env: &Env, value: Unknown<'_>, max: usize) -> Arg {
    let converted = match value.get_type() {
        Ok(ValueType::Undefined) => Arg::Undefined,
        Ok(ValueType::Null) => Arg::Null,
        Ok(ValueType::Boolean) => {
            unsafe { value.cast::<bool>() }.map_or(Arg::Other("boolean"), Arg::Bool)
        }
        Ok(ValueType::Number) => {
            unsafe { value.cast::<f64>() }.map_or(Arg::Other("number"), Arg::Number)
        }
        Ok(ValueType::String) => {
            unsafe { value.cast::<String>() }.map_or(Arg::Other("string"), Arg::String)
        }
        Ok(ValueType::Object) => object(env, &value, max),
        Ok(ValueType::Function) => Arg::Other("function"),
        Ok(ValueType::Symbol) => Arg::Other("symbol"),
        Ok(ValueType::BigInt) => Arg::Other("bigint"),
        _ => Arg::Other("unknown"),
    };
    // SAFETY: the env of the current call, on its JavaScript thread.
    unsafe { json::clear_exception(env.raw()) };
    converted
}

/// An optional argument given as `Option<Unknown>` by napi.
pub fn opt_arg(env: &Env, value: Option<Unknown<'_>>) -> Arg {
    value.map_or(Arg::Undefined, |v| arg(env, v))
}

/// An object or array as the JSON `JSON.stringify` makes of it (what `mobilemoney.js` sent):
/// one call into V8 instead of several N-API calls per property. `toJSON` is honoured,
/// functions, symbols and `undefined` are dropped, NaN and ±Infinity become null. `None`
/// when it throws (a cycle, a BigInt, a throwing getter), is too large or too deep.
fn object(env: &Env, value: &Unknown<'_>, max: usize) -> Arg {
    // SAFETY: `value` belongs to the current call of `env`, on its JavaScript thread.
    let text = unsafe { json::stringify(env.raw(), value.raw()) };
    // serde_json refuses nesting deeper than 128.
    let parsed = text
        .filter(|t| t.len() <= max)
        .and_then(|t| serde_json::from_str::<Value>(&t).ok());
    match parsed {
        Some(v @ (Value::Object(_) | Value::Array(_))) => Arg::Json(v),
        // A Date, a boxed primitive, a `toJSON` that gives a primitive.
        Some(_) => Arg::Other("object whose JSON form is not an object"),
        None => Arg::Other("unreadable object (cyclic, too deep or too large, or a getter threw)"),
    }
}

/// A constructor's options object, read key by key: JSON drops `undefined` and functions,
/// and `baseUrl: undefined` (a sandbox's `url` read before it started) must not quietly
/// become the default host.
pub struct Options {
    /// The values with a JSON form; `onEvent` and `logger` are read by `events`.
    pub arg: Arg,
    /// The first problem found while reading: `baseUrl: undefined`, a function or a value
    /// that has no JSON form where a plain value belongs, an `onEvent` that is no function.
    pub problem: Option<Failure>,
}

pub fn options(env: &Env, value: Option<&Unknown<'_>>) -> Options {
    let whole = |v: Option<&Unknown<'_>>| Options {
        arg: v.map_or(Arg::Undefined, |v| arg(env, *v)),
        problem: None,
    };
    let Some(v) = value else {
        return whole(None);
    };
    if v.get_type().ok() != Some(ValueType::Object) || v.is_array().unwrap_or(true) {
        return whole(Some(v));
    }
    let Ok(object) = (unsafe { v.cast::<Object>() }) else {
        return whole(Some(v));
    };
    match read_keys(env, &object) {
        Some(read) => read,
        None => {
            // SAFETY: the env of the current call, on its JavaScript thread.
            unsafe { json::clear_exception(env.raw()) };
            whole(Some(v))
        }
    }
}

fn read_keys(env: &Env, object: &Object<'_>) -> Option<Options> {
    let names = object.get_property_names().ok()?;
    let mut map = Map::new();
    let mut problem = None;
    for i in 0..names.get_array_length().ok()? {
        let key: String = names.get_element(i).ok()?;
        let value: Unknown<'_> = object.get_named_property(&key).ok()?;
        let kind = value.get_type().ok()?;
        let found = match (key.as_str(), kind) {
            ("baseUrl", ValueType::Undefined) => Some(Failure::invalid(
                "baseUrl",
                "options.baseUrl is undefined: give the URL, or leave the option out for the default host",
            )),
            (_, ValueType::Undefined)
            | ("onEvent", ValueType::Function)
            | ("onEvent" | "logger", ValueType::Null) => None,
            ("logger", _) => crate::events::check_logger(&value),
            ("onEvent", _) => Some(Failure::invalid(
                "onEvent",
                "options.onEvent must be a function",
            )),
            _ => match arg(env, value).to_json() {
                Some(json) => {
                    map.insert(key.clone(), json);
                    None
                }
                None => Some(Failure::invalid(
                    &key,
                    format!(
                        "options.{key} must be a plain value, got {}",
                        arg(env, value).type_name()
                    ),
                )),
            },
        };
        problem = problem.or(found);
    }
    Some(Options {
        arg: Arg::Json(Value::Object(map)),
        problem,
    })
}

/// A programming error in a constructor's arguments, thrown as a `TypeError` (as
/// stripe-node does for its configuration): the message names the option.
pub fn type_error(env: &Env, failure: &Failure) -> napi::Error {
    let message = &failure.message;
    match env.throw_type_error(message, Some("ERR_INVALID_ARG_VALUE")) {
        Ok(()) => napi::Error::new(napi::Status::PendingException, message.clone()),
        Err(e) => e,
    }
}
