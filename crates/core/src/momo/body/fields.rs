//! The field checks every body shares: amounts, free texts, currencies and parties.

use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::input::Arg;
use crate::momo::validate;

pub(super) const MAX_NOTE: usize = 160;
pub(super) const MAX_EXTERNAL_ID: usize = 128;

fn field_name(prefix: &str, name: &str) -> String {
    format!("{prefix}.{name}")
}

/// The amount as the API's string: digits with at most two decimals, above zero.
pub(super) fn amount(value: Option<&Value>) -> Result<String, Failure> {
    amount_at(value, "body.amount")
}

pub(super) fn amount_at(value: Option<&Value>, field: &str) -> Result<String, Failure> {
    let text = match value {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.is_finite() => {
                let s = format!("{f}");
                s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
            }
            _ => String::new(),
        },
        // JSON has no NaN or Infinity: JSON.stringify sends them as null.
        Some(Value::Null) => {
            return Err(Failure::invalid(
                field,
                format!("{field} must be a number or a string such as \"100\", got null or a number that is not finite (NaN, Infinity)"),
            ))
        }
        Some(_) => {
            return Err(Failure::invalid(
                field,
                format!("{field} must be a number or a string such as \"100\""),
            ))
        }
        None => return Err(Failure::invalid(field, format!("{field} is required"))),
    };
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let well_formed = !int.is_empty()
        && int.len() <= 15
        && digits(int)
        && digits(frac)
        && frac.len() <= 2
        && (text.contains('.') != frac.is_empty());
    let positive = text.chars().any(|c| c.is_ascii_digit() && c != '0');
    if well_formed && positive {
        Ok(text)
    } else {
        Err(Failure::invalid(
            field,
            format!("{field} must be a positive amount with at most two decimals, such as \"100\" or \"12.50\""),
        ))
    }
}

pub(super) fn optional_text(
    obj: &Map<String, Value>,
    name: &str,
    max: usize,
    reject_quotes: bool,
) -> Result<Option<String>, Failure> {
    let field = field_name("body", name);
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            if s.chars().count() > max {
                return Err(Failure::invalid(
                    &field,
                    format!("{field} must be at most {max} characters"),
                ));
            }
            if s.chars().any(char::is_control) {
                return Err(Failure::invalid(
                    &field,
                    format!("{field} must not contain control characters"),
                ));
            }
            if reject_quotes && s.contains(['\'', '&']) {
                // MTN answers 400 for these characters in messages and notes.
                return Err(Failure::invalid(
                    &field,
                    format!("{field} must not contain ' or &"),
                ));
            }
            Ok(Some(s.clone()))
        }
        Some(Value::Number(n)) if name == "externalId" => Ok(Some(n.to_string())),
        Some(_) => Err(Failure::invalid(
            &field,
            format!("{field} must be a string"),
        )),
    }
}

/// A required currency code at `obj[name]`.
pub(super) fn currency_of(
    obj: &Map<String, Value>,
    name: &str,
    field: &str,
) -> Result<String, Failure> {
    let arg = obj.get(name).cloned().map_or(Arg::Undefined, Arg::from);
    validate::currency(&arg, field)
}

pub(super) fn party(value: Option<&Value>, field: &str) -> Result<Value, Failure> {
    let Some(Value::Object(p)) = value else {
        return Err(Failure::invalid(
            field,
            format!("{field} must be an object {{ partyIdType, partyId }}"),
        ));
    };
    let id_type = match p.get("partyIdType") {
        None | Some(Value::Null) => "MSISDN".to_owned(),
        Some(Value::String(s)) => s.to_ascii_uppercase(),
        Some(_) => String::new(),
    };
    let kind = match id_type.as_str() {
        "MSISDN" => "msisdn",
        "EMAIL" => "email",
        "PARTY_CODE" => "party_code",
        _ => {
            return Err(Failure::invalid(
                &field_name(field, "partyIdType"),
                format!("{field}.partyIdType must be MSISDN, EMAIL or PARTY_CODE"),
            ))
        }
    };
    let id_arg = p.get("partyId").cloned().map_or(Arg::Undefined, Arg::from);
    let id = validate::account(&id_arg, kind, &field_name(field, "partyId"))?;
    Ok(serde_json::json!({ "partyIdType": id_type, "partyId": id }))
}
