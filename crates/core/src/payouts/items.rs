//! The items of `submit(batchId, items)`: each read and checked (a bad item names its
//! index and field); [`super::submit`] stages them and fingerprints the batch.

use serde_json::{Map, Value};

use super::ledger::NewItem;
use super::provider::Provider;
use super::rails;
use crate::failure::Failure;

const MAX_KEY: usize = 128;
const MAX_BATCH_ID: usize = 200;

/// What a batch id that is not one (not a string, empty, too long) fails with.
pub fn not_a_batch_id() -> Failure {
    Failure::invalid(
        "batchId",
        format!("batchId must be a non-empty string of at most {MAX_BATCH_ID} characters"),
    )
}

/// A batch id: a non-empty string of at most 200 characters.
pub fn batch_id(s: &str) -> Result<String, Failure> {
    if s.trim().is_empty() || s.chars().count() > MAX_BATCH_ID {
        return Err(not_a_batch_id());
    }
    Ok(s.to_owned())
}

/// JavaScript's largest integer a float holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// An item key: a non-empty string (or a whole number) of at most 128 characters.
pub fn key(v: Option<&Value>, field: &str) -> Result<String, Failure> {
    let k = match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        // A JavaScript number reaches the core as a float: 7 is 7.0 here.
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER)
            .map_or_else(String::new, |f| format!("{f:.0}")),
        _ => String::new(),
    };
    key_str(&k, field)
}

/// [`key`] of a string.
pub fn key_str(k: &str, field: &str) -> Result<String, Failure> {
    if k.trim().is_empty() || k.chars().count() > MAX_KEY {
        return Err(Failure::invalid(
            field,
            format!("{field} must be a non-empty string of at most {MAX_KEY} characters"),
        ));
    }
    Ok(k.to_owned())
}

/// `text` if it is a non-empty string of at most `max` characters (a note, an actor):
/// otherwise a failure on `field`, naming it as `shown`.
pub(crate) fn short_text(
    text: Option<String>,
    field: &str,
    shown: &str,
    max: usize,
) -> Result<Option<String>, Failure> {
    match text {
        Some(t) if !t.trim().is_empty() && t.chars().count() <= max => Ok(Some(t)),
        None => Ok(None),
        Some(_) => Err(Failure::invalid(
            field,
            format!("{shown} must be a non-empty string of at most {max} characters"),
        )),
    }
}

/// A positive amount with at most two decimals, as a decimal string.
fn amount(v: Option<&Value>, field: &str) -> Result<String, Failure> {
    let text = match v {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => {
            let s = n.to_string();
            s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
        }
        _ => String::new(),
    };
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let ok = !int.is_empty()
        && int.len() <= 15
        && digits(int)
        && digits(frac)
        && frac.len() <= 2
        && (text.contains('.') != frac.is_empty())
        && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    if ok {
        Ok(text)
    } else {
        Err(Failure::invalid(
            field,
            format!("{field} must be a positive amount with at most two decimals, such as \"100\" or \"12.50\""),
        ))
    }
}

fn currency(v: Option<&Value>, field: &str, default: Option<&str>) -> Result<String, Failure> {
    match (v, default) {
        (Some(Value::String(s)), _)
            if s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            Ok(s.to_ascii_uppercase())
        }
        (None | Some(Value::Null), Some(d)) => Ok(d.to_owned()),
        _ => Err(Failure::invalid(
            field,
            format!("{field} must be a three-letter currency code such as \"EUR\""),
        )),
    }
}

/// Reads one item; `providers` are the configured accounts.
pub(super) fn item(v: &Value, at: usize, providers: &[&dyn Provider]) -> Result<NewItem, Failure> {
    let name = |f: &str| format!("items[{at}].{f}");
    let Value::Object(map) = v else {
        return Err(Failure::invalid(
            &format!("items[{at}]"),
            format!("items[{at}] must be an object with key, provider and amount"),
        ));
    };
    let key = key(map.get("key"), &name("key"))?;
    let rail = map
        .get("provider")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let provider = providers
        .iter()
        .find(|p| p.rail().as_str() == rail)
        .ok_or_else(|| {
            let field = name("provider");
            let known: Vec<&str> = rails::ids();
            let message = if known.contains(&rail) {
                format!("{field} is \"{rail}\" but Payouts was opened without {rail} options")
            } else {
                let open: Vec<String> = providers
                    .iter()
                    .map(|p| format!("\"{}\"", p.rail()))
                    .collect();
                format!("{field} must be {}", open.join(" or "))
            };
            Failure::invalid(&field, message)
        })?;
    // A wallet PIN is a secret: the ledger keeps every field of an item and `items()`
    // shows them, so an item never carries one.
    if let Some(field) = map.keys().find(|k| k.eq_ignore_ascii_case("pin")) {
        return Err(Failure::invalid(
            &name(field),
            format!(
                "{} is not accepted: a PIN is a secret and payout items are stored and listed as given",
                name(field)
            ),
        ));
    }
    let amount = amount(map.get("amount"), &name("amount"))?;
    let currency = currency(
        map.get("currency"),
        &name("currency"),
        provider.default_currency(),
    )?;
    let mut spec: Map<String, Value> = map.clone();
    spec.insert("key".into(), Value::from(key.as_str()));
    spec.insert("amount".into(), Value::from(amount.as_str()));
    spec.insert("currency".into(), Value::from(currency.as_str()));
    let new = NewItem {
        key,
        provider: provider.rail(),
        amount,
        currency,
        spec: Value::Object(spec),
    };
    provider.check(&new).map_err(|f| {
        let field = name(
            f.field
                .as_deref()
                .unwrap_or("item")
                .trim_start_matches("body."),
        );
        Failure::invalid(&field, format!("items[{at}]: {}", f.message))
    })?;
    Ok(new)
}
