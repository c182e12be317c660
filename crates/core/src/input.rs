//! Loosely typed arguments as they arrive from JavaScript.
//!
//! The binding never rejects a call because of a wrong type: it converts whatever it was
//! given into an [`Arg`], and validation in each provider module turns a bad one into an
//! `InvalidData` failure before any request is built.

use serde_json::Value;

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
