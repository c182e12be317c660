//! Collection's own bodies: invoice, pre-approval and payment (request to pay and
//! withdraw share the transfer body with a `payer`, in `transfer.rs`).

use serde_json::{Map, Value};

use super::fields::{amount_at, currency_of, optional_text, party, MAX_EXTERNAL_ID, MAX_NOTE};
use crate::failure::Failure;

/// A whole number of seconds (or retries) in `0..=max`, as a JSON number, or absent.
pub(super) fn optional_count(
    obj: &Map<String, Value>,
    name: &str,
    max: u64,
) -> Result<Option<u64>, Failure> {
    let field = format!("body.{name}");
    let n = match obj.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) => {
            s.parse().ok()
        }
        Some(_) => None,
    };
    match n {
        Some(n) if n <= max => Ok(Some(n)),
        _ => Err(Failure::invalid(
            &field,
            format!("{field} must be a whole number from 0 to {max}"),
        )),
    }
}

fn required<T>(value: Option<T>, name: &str) -> Result<T, Failure> {
    let field = format!("body.{name}");
    value.ok_or_else(|| Failure::invalid(&field, format!("{field} is required")))
}

/// Copy the optional text fields `names` (each at most `max` characters).
pub(super) fn copy_texts(
    obj: &Map<String, Value>,
    out: &mut Map<String, Value>,
    names: &[&str],
    max: usize,
) -> Result<(), Failure> {
    for name in names {
        if let Some(text) = optional_text(obj, name, max, false)? {
            out.insert((*name).into(), Value::String(text));
        }
    }
    Ok(())
}

/// `POST /v2_0/invoice`: `{ externalId, amount, currency, validityDuration,
/// intendedPayer, payee, description }`.
pub(super) fn invoice(obj: &Map<String, Value>) -> Result<Map<String, Value>, Failure> {
    let mut out = Map::new();
    copy_texts(obj, &mut out, &["externalId"], MAX_EXTERNAL_ID)?;
    out.insert(
        "amount".into(),
        Value::String(amount_at(obj.get("amount"), "body.amount")?),
    );
    out.insert(
        "currency".into(),
        Value::String(currency_of(obj, "currency", "body.currency")?),
    );
    // Seconds, sent as the string the export declares.
    let validity = required(
        optional_count(obj, "validityDuration", 31_536_000)?,
        "validityDuration",
    )?;
    out.insert(
        "validityDuration".into(),
        Value::String(validity.to_string()),
    );
    out.insert(
        "intendedPayer".into(),
        party(obj.get("intendedPayer"), "body.intendedPayer")?,
    );
    if obj.get("payee").is_some_and(|v| !v.is_null()) {
        out.insert("payee".into(), party(obj.get("payee"), "body.payee")?);
    }
    if let Some(text) = optional_text(obj, "description", MAX_NOTE, true)? {
        out.insert("description".into(), Value::String(text));
    }
    Ok(out)
}

/// `POST /v2_0/preapproval`: `{ payer, payerCurrency, payerMessage, validityTime }`.
pub(super) fn pre_approval(obj: &Map<String, Value>) -> Result<Map<String, Value>, Failure> {
    let mut out = Map::new();
    out.insert("payer".into(), party(obj.get("payer"), "body.payer")?);
    out.insert(
        "payerCurrency".into(),
        Value::String(currency_of(obj, "payerCurrency", "body.payerCurrency")?),
    );
    if let Some(text) = optional_text(obj, "payerMessage", MAX_NOTE, true)? {
        out.insert("payerMessage".into(), Value::String(text));
    }
    if let Some(seconds) = optional_count(obj, "validityTime", 31_536_000)? {
        out.insert("validityTime".into(), Value::from(seconds));
    }
    Ok(out)
}

/// `POST /v2_0/payment`: `{ externalTransactionId, money: { amount, currency },
/// customerReference, serviceProviderUserName, couponId, productId, productOfferingId,
/// receiverMessage, senderNote, maxNumberOfRetries, includeSenderCharges }`.
pub(super) fn payment(obj: &Map<String, Value>) -> Result<Map<String, Value>, Failure> {
    let mut out = Map::new();
    copy_texts(obj, &mut out, &["externalTransactionId"], MAX_EXTERNAL_ID)?;
    let Some(Value::Object(money)) = obj.get("money") else {
        return Err(Failure::invalid(
            "body.money",
            "body.money must be an object { amount, currency }",
        ));
    };
    let mut m = Map::new();
    m.insert(
        "amount".into(),
        Value::String(amount_at(money.get("amount"), "body.money.amount")?),
    );
    m.insert(
        "currency".into(),
        Value::String(currency_of(money, "currency", "body.money.currency")?),
    );
    out.insert("money".into(), Value::Object(m));
    let customer = required(
        optional_text(obj, "customerReference", MAX_EXTERNAL_ID, false)?,
        "customerReference",
    )?;
    out.insert("customerReference".into(), Value::String(customer));
    let provider = required(
        optional_text(obj, "serviceProviderUserName", MAX_EXTERNAL_ID, false)?,
        "serviceProviderUserName",
    )?;
    out.insert("serviceProviderUserName".into(), Value::String(provider));
    copy_texts(
        obj,
        &mut out,
        &["couponId", "productId", "productOfferingId"],
        MAX_EXTERNAL_ID,
    )?;
    for name in ["receiverMessage", "senderNote"] {
        if let Some(text) = optional_text(obj, name, MAX_NOTE, true)? {
            out.insert(name.into(), Value::String(text));
        }
    }
    if let Some(n) = optional_count(obj, "maxNumberOfRetries", 100)? {
        out.insert("maxNumberOfRetries".into(), Value::from(n));
    }
    match obj.get("includeSenderCharges") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => {
            out.insert("includeSenderCharges".into(), Value::Bool(*b));
        }
        Some(_) => {
            return Err(Failure::invalid(
                "body.includeSenderCharges",
                "body.includeSenderCharges must be true or false",
            ))
        }
    }
    Ok(out)
}
