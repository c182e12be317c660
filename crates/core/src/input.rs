//! Loosely typed arguments as they arrive from JavaScript.
//!
//! The binding never rejects a call because of a wrong type: it converts whatever it was
//! given into an [`Arg`], and validation in each provider module turns a bad one into an
//! `InvalidData` failure before any request is built.

use serde_json::Value;

use crate::failure::Failure;

/// One argument of a call, owned and detached from the JavaScript heap.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// A plain object or array, converted to JSON.
    Json(Value),
    /// A value with no JSON form (function, symbol, bigint, a too deep object…), by kind.
    Other(&'static str),
}

impl Arg {
    /// `undefined` and `null` both mean "not given".
    pub fn is_absent(&self) -> bool {
        matches!(self, Arg::Undefined | Arg::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Arg::String(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the JavaScript type, for messages ("got a number").
    pub fn type_name(&self) -> &'static str {
        match self {
            Arg::Undefined => "undefined",
            Arg::Null => "null",
            Arg::Bool(_) => "boolean",
            Arg::Number(_) => "number",
            Arg::String(_) => "string",
            Arg::Json(Value::Array(_)) => "array",
            Arg::Json(_) => "object",
            Arg::Other(kind) => kind,
        }
    }

    /// The JSON form of the argument, where it has one.
    pub fn to_json(&self) -> Option<Value> {
        match self {
            Arg::Undefined | Arg::Other(_) => None,
            Arg::Null => Some(Value::Null),
            Arg::Bool(b) => Some(Value::Bool(*b)),
            Arg::Number(n) => serde_json::Number::from_f64(*n).map(Value::Number),
            Arg::String(s) => Some(Value::String(s.clone())),
            Arg::Json(v) => Some(v.clone()),
        }
    }
}

/// [`Arg::type_name`] of a JSON value: the same word for the same JavaScript value.
pub fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `{what} must be an object, got …`: an options argument of another type.
fn not_an_object(what: &str, got: &str) -> Failure {
    Failure::invalid(what, format!("{what} must be an object, got {got}"))
}

/// An options argument as JSON for a typed call: `undefined` and `null` are `null` (no
/// options), an object is itself, anything else fails as [`OptionsReader::new`] does.
pub fn options_json(arg: Arg, what: &str) -> Result<Value, Failure> {
    match arg {
        Arg::Undefined | Arg::Null => Ok(Value::Null),
        Arg::Json(v @ Value::Object(_)) => Ok(v),
        other => Err(not_an_object(what, other.type_name())),
    }
}

/// An argument as JSON for a typed call that checks its type itself: a value without a
/// JSON form (`undefined`, a function, …) is `null`, which such a call refuses with its
/// own message as it refuses any other value of the wrong type.
pub fn json(arg: Arg) -> Value {
    match arg {
        Arg::Json(v) => v,
        other => other.to_json().unwrap_or(Value::Null),
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::String(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::String(s)
    }
}

impl From<Option<&str>> for Arg {
    fn from(s: Option<&str>) -> Self {
        s.map_or(Arg::Undefined, Arg::from)
    }
}

impl From<Value> for Arg {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => Arg::Null,
            Value::Bool(b) => Arg::Bool(b),
            Value::Number(n) => n.as_f64().map_or(Arg::Other("number"), Arg::Number),
            Value::String(s) => Arg::String(s),
            other => Arg::Json(other),
        }
    }
}

/// Reads named options out of an options object, with type checks that name the option.
pub struct OptionsReader<'a> {
    obj: Option<&'a serde_json::Map<String, Value>>,
}

impl<'a> OptionsReader<'a> {
    /// `undefined`/`null` read as an empty object; anything else must be an object.
    pub fn new(arg: &'a Arg, what: &str) -> Result<Self, Failure> {
        match arg {
            Arg::Undefined | Arg::Null => Ok(OptionsReader { obj: None }),
            Arg::Json(v @ Value::Object(_)) => OptionsReader::of(v, what),
            other => Err(not_an_object(what, other.type_name())),
        }
    }

    /// [`OptionsReader::new`] over JSON: `null` reads as an empty object.
    pub fn of(value: &'a Value, what: &str) -> Result<Self, Failure> {
        match value {
            Value::Null => Ok(OptionsReader { obj: None }),
            Value::Object(obj) => Ok(OptionsReader { obj: Some(obj) }),
            other => Err(not_an_object(what, json_type_name(other))),
        }
    }

    /// The option as given, `None` when absent or `null`.
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        self.obj.and_then(|o| o.get(name)).filter(|v| !v.is_null())
    }

    /// The raw option as an [`Arg`] (absent → `Undefined`).
    pub fn arg(&self, name: &str) -> Arg {
        self.value(name).cloned().map_or(Arg::Undefined, Arg::from)
    }

    pub fn string(&self, name: &str) -> Result<Option<String>, Failure> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Failure::invalid(
                name,
                format!("options.{name} must be a string"),
            )),
        }
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, Failure> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Failure::invalid(
                name,
                format!("options.{name} must be a boolean"),
            )),
        }
    }

    /// A finite number within `[min, max]`.
    pub fn number(&self, name: &str, min: f64, max: f64) -> Result<Option<f64>, Failure> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                in_range(n, name, &format!("options.{name}"), min, max).map(Some)
            }
            Some(_) => Err(Failure::invalid(
                name,
                format!("options.{name} must be a number"),
            )),
        }
    }
}

/// Transport settings every client reads the same way: `timeoutMs`, `maxRetries`,
/// `retryBackoffMs`.
pub fn transport_settings(
    reader: &OptionsReader<'_>,
) -> Result<crate::transport::TransportSettings, Failure> {
    use std::time::Duration;
    let mut settings = crate::transport::TransportSettings::default();
    if let Some(ms) = reader.number("timeoutMs", 1.0, 3_600_000.0)? {
        settings.timeout = Duration::from_millis(ms as u64);
    }
    let whole = |name: &str, min: f64, max: f64| -> Result<Option<f64>, Failure> {
        match reader.number(name, min, max)? {
            Some(n) if n.fract() != 0.0 => Err(Failure::invalid(
                name,
                format!("options.{name} must be a whole number from {min} to {max}"),
            )),
            other => Ok(other),
        }
    };
    if let Some(n) = whole("maxRetries", 0.0, 10.0)? {
        settings.retry.max_retries = n as u32;
    }
    if let Some(ms) = reader.number("retryBackoffMs", 0.0, 60_000.0)? {
        settings.retry.base_delay = Duration::from_millis(ms as u64);
    }
    if let Some(n) = whole("maxConcurrentRequests", 1.0, 65_536.0)? {
        settings.max_concurrent_requests = n as usize;
    }
    Ok(settings)
}

/// `n` if it is finite and within `min..=max`; otherwise the failure of `field`, shown to
/// the user as `shown`.
pub(crate) fn in_range(
    n: &serde_json::Number,
    field: &str,
    shown: &str,
    min: f64,
    max: f64,
) -> Result<f64, Failure> {
    n.as_f64()
        .filter(|x| x.is_finite() && *x >= min && *x <= max)
        .ok_or_else(|| {
            Failure::invalid(
                field,
                format!("{shown} must be a number from {min} to {max}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message<T>(r: Result<T, Failure>) -> String {
        r.err().map(|f| f.message).unwrap_or_default()
    }

    #[test]
    fn an_options_argument_fails_the_same_way_as_an_arg_or_as_json() {
        for (arg, json) in [
            (Arg::Number(4.0), json!(4)),
            (Arg::from("x"), json!("x")),
            (Arg::Bool(true), json!(true)),
            (Arg::Json(json!([1])), json!([1])),
        ] {
            let told = message(OptionsReader::new(&arg, "query"));
            assert!(told.starts_with("query must be an object, got "), "{told}");
            assert_eq!(message(OptionsReader::of(&json, "query")), told);
            assert_eq!(message(options_json(arg, "query")), told);
        }
        assert_eq!(
            message(options_json(Arg::Other("function"), "query")),
            "query must be an object, got function"
        );
        for absent in [Arg::Undefined, Arg::Null] {
            assert_eq!(options_json(absent, "query").ok(), Some(Value::Null));
        }
        assert!(OptionsReader::of(&Value::Null, "query").is_ok());
    }

    #[test]
    fn json_of_an_argument_without_a_json_form_is_null() {
        assert_eq!(json(Arg::Undefined), Value::Null);
        assert_eq!(json(Arg::Other("symbol")), Value::Null);
        assert_eq!(json(Arg::from("k")), json!("k"));
        assert_eq!(json(Arg::Json(json!([1, 2]))), json!([1, 2]));
    }
}
