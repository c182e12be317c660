//! JavaScript values in: any value becomes an owned [`Arg`], never an exception.
//!
//! Objects are walked with limits on depth and size, so a cyclic, huge or hostile object
//! (a throwing getter, a Proxy) ends as `Arg::Other` instead of a crash or a throw.

use napi::bindgen_prelude::{Array, JsObjectValue, Object};
use napi::{sys, Env, JsValue, Unknown, ValueType};
use serde_json::{Map, Number, Value};

use mobilemoney_core::Arg;

const MAX_DEPTH: usize = 32;
const MAX_NODES: usize = 100_000;

/// Convert one argument; an exception raised while reading it is cleared.
pub fn arg(env: &Env, value: Unknown<'_>) -> Arg {
    let mut budget = MAX_NODES;
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
        Ok(ValueType::Object) => json(value, 0, &mut budget).map_or(
            Arg::Other("unreadable object (cyclic, too deep or too large, or a getter threw)"),
            Arg::Json,
        ),
        Ok(ValueType::Function) => Arg::Other("function"),
        Ok(ValueType::Symbol) => Arg::Other("symbol"),
        Ok(ValueType::BigInt) => Arg::Other("bigint"),
        _ => Arg::Other("unknown"),
    };
    clear_pending_exception(env);
    converted
}

/// An optional argument given as `Option<Unknown>` by napi.
pub fn opt_arg(env: &Env, value: Option<Unknown<'_>>) -> Arg {
    value.map_or(Arg::Undefined, |v| arg(env, v))
}

fn clear_pending_exception(env: &Env) {
    let mut pending = false;
    // SAFETY: plain N-API calls on the env of the current call.
    unsafe {
        if sys::napi_is_exception_pending(env.raw(), &mut pending) == sys::Status::napi_ok
            && pending
        {
            let mut exception = std::ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env.raw(), &mut exception);
        }
    }
}

fn json(value: Unknown<'_>, depth: usize, budget: &mut usize) -> Option<Value> {
    if *budget == 0 {
        return None;
    }
    *budget -= 1;
    match value.get_type().ok()? {
        ValueType::Undefined | ValueType::Null => Some(Value::Null),
        ValueType::Boolean => unsafe { value.cast::<bool>() }.ok().map(Value::Bool),
        ValueType::Number => {
            let n = unsafe { value.cast::<f64>() }.ok()?;
            // NaN and ±Infinity have no JSON form: they read as "not given".
            Some(Number::from_f64(n).map_or(Value::Null, Value::Number))
        }
        ValueType::String => unsafe { value.cast::<String>() }.ok().map(Value::String),
        ValueType::Object if depth < MAX_DEPTH => {
            if value.is_array().ok()? {
                let array = unsafe { value.cast::<Array>() }.ok()?;
                let mut items = Vec::new();
                for i in 0..array.len() {
                    let item = array.get::<Unknown>(i).ok()??;
                    items.push(json(item, depth + 1, budget)?);
                }
                Some(Value::Array(items))
            } else {
                let object = unsafe { value.cast::<Object>() }.ok()?;
                let mut map = Map::new();
                for key in Object::keys(&object).ok()? {
                    let item = object.get_named_property::<Unknown>(&key).ok()?;
                    // Functions and symbols are dropped, as JSON.stringify does.
                    if matches!(
                        item.get_type().ok()?,
                        ValueType::Function | ValueType::Symbol | ValueType::Undefined
                    ) {
                        continue;
                    }
                    map.insert(key, json(item, depth + 1, budget)?);
                }
                Some(Value::Object(map))
            }
        }
        _ => None,
    }
}
