//! JavaScript values in: any value becomes an owned [`Arg`], never an exception.
//!
//! Objects go through `JSON.stringify`, with a size limit, so a cyclic, huge or hostile
//! object (a throwing getter, a Proxy) ends as `Arg::Other` instead of a crash or a throw.

use napi::{Env, JsValue, Unknown, ValueType};
use serde_json::Value;

use crate::json;

use mobilemoney_core::Arg;

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
