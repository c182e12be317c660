//! Remittance's cash transfer: the transfer body plus the foreign sender's details.

use serde_json::{Map, Value};

use super::collection::copy_texts;
use super::fields::{amount_at, currency_of, optional_text, MAX_NOTE};
use super::transfer::money_body;
use crate::failure::Failure;
use crate::input::Arg;
use crate::momo::api::cash_transfer::{PAYER_ID_TYPES, PAYER_TEXTS};
use crate::momo::api::Kind as BodyKind;
use crate::momo::validate;

/// `POST /v2_0/cashtransfer`. The export spells the country field `orginatingCountry`;
/// that is what is sent, and `originatingCountry` is accepted for it.
pub(super) fn cash_transfer(obj: &Map<String, Value>) -> Result<Map<String, Value>, Failure> {
    let mut out = money_body(BodyKind::CashTransfer, obj)?;
    let country = obj
        .get("orginatingCountry")
        .or_else(|| obj.get("originatingCountry"));
    match country {
        None | Some(Value::Null) => {}
        Some(Value::String(c)) if c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()) => {
            out.insert("orginatingCountry".into(), Value::String(c.clone()));
        }
        Some(_) => {
            return Err(Failure::invalid(
                "body.orginatingCountry",
                "body.orginatingCountry must be a two-letter country code such as \"GH\"",
            ))
        }
    }
    if obj.get("originalAmount").is_some_and(|v| !v.is_null()) {
        let a = amount_at(obj.get("originalAmount"), "body.originalAmount")?;
        out.insert("originalAmount".into(), Value::String(a));
    }
    if obj.get("originalCurrency").is_some_and(|v| !v.is_null()) {
        let c = currency_of(obj, "originalCurrency", "body.originalCurrency")?;
        out.insert("originalCurrency".into(), Value::String(c));
    }
    match obj.get("payerIdentificationType") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if PAYER_ID_TYPES.contains(&t.to_ascii_uppercase().as_str()) => {
            out.insert(
                "payerIdentificationType".into(),
                Value::String(t.to_ascii_uppercase()),
            );
        }
        Some(_) => {
            return Err(Failure::invalid(
                "body.payerIdentificationType",
                format!(
                    "body.payerIdentificationType must be one of {}",
                    PAYER_ID_TYPES.join(", ")
                ),
            ))
        }
    }
    copy_texts(obj, &mut out, &PAYER_TEXTS, MAX_NOTE)?;
    if let Some(msisdn) = optional_text(obj, "payerMsisdn", 20, false)? {
        // The sender's number, in the same international form as every MSISDN.
        let msisdn = validate::msisdn(&Arg::from(msisdn), "body.payerMsisdn")?;
        out.insert("payerMsisdn".into(), Value::String(msisdn));
    }
    Ok(out)
}
