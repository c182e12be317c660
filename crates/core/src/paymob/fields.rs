//! Reading loosely typed fields out of a JSON object given by JavaScript: camelCase and
//! snake_case names, `null` meaning "not given", and type errors as `InvalidData`.

use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::input::{in_range, json_type_name as type_name};

/// The first of `names` present with a value other than `null`.
pub(crate) fn get<'a>(m: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|n| m.get(*n).filter(|v| !v.is_null()))
}

pub(crate) fn wrong_type(field: &str, expected: &str, got: &Value) -> Failure {
    Failure::invalid(
        field,
        format!("{field} must be {expected}, got {}", type_name(got)),
    )
}

/// An optional string field; `field` names it in failures. Blank strings count as absent.
pub(crate) fn opt_str<'a>(
    m: &'a Map<String, Value>,
    names: &[&str],
    field: &str,
) -> Result<Option<&'a str>, Failure> {
    match get(m, names) {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim())),
        Some(other) => Err(wrong_type(field, "a string", other)),
    }
}

/// A required, non-empty string field.
pub(crate) fn req_str<'a>(
    m: &'a Map<String, Value>,
    names: &[&str],
    field: &str,
) -> Result<&'a str, Failure> {
    opt_str(m, names, field)?.ok_or_else(|| Failure::invalid(field, format!("{field} is required")))
}

pub(crate) fn opt_bool(
    m: &Map<String, Value>,
    names: &[&str],
    field: &str,
) -> Result<Option<bool>, Failure> {
    match get(m, names) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(wrong_type(field, "a boolean", other)),
    }
}

/// An optional finite number within `min..=max`.
pub(crate) fn opt_number(
    m: &Map<String, Value>,
    names: &[&str],
    field: &str,
    min: f64,
    max: f64,
) -> Result<Option<f64>, Failure> {
    match get(m, names) {
        None => Ok(None),
        Some(Value::Number(n)) => in_range(n, field, field, min, max).map(Some),
        Some(other) => Err(wrong_type(field, "a number", other)),
    }
}

/// An optional whole number within `min..=max`.
pub(crate) fn opt_integer(
    m: &Map<String, Value>,
    names: &[&str],
    field: &str,
    min: u32,
    max: u32,
) -> Result<Option<u32>, Failure> {
    let n = opt_number(m, names, field, f64::from(min), f64::from(max))?;
    match n {
        Some(x) if x.fract() != 0.0 => Err(Failure::invalid(
            field,
            format!("{field} must be a whole number"),
        )),
        // In range and whole, so the conversion is exact.
        Some(x) => Ok(Some(x as u32)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_both_spellings_and_rejects_wrong_types() {
        let v = json!({"full_name": "A B", "n": 3, "b": "x", "blank": "  "});
        let m = v.as_object().unwrap();
        assert_eq!(
            opt_str(m, &["fullName", "full_name"], "fullName").unwrap(),
            Some("A B")
        );
        assert_eq!(opt_str(m, &["blank"], "blank").unwrap(), None);
        assert!(opt_str(m, &["n"], "n").is_err());
        assert_eq!(opt_integer(m, &["n"], "n", 0, 5).unwrap(), Some(3));
        assert!(opt_integer(m, &["n"], "n", 4, 5).is_err());
        assert!(opt_bool(m, &["b"], "b").is_err());
        assert_eq!(
            req_str(m, &["zz"], "zz").unwrap_err().field.as_deref(),
            Some("zz")
        );
    }
}
