//! Validation of the `Transfer` and `Refund` bodies (reference §4.1). The live 400 body
//! is unconfirmed, so each message names the field at fault.

use serde_json::{Map, Value};

use super::headers::any_uuid;
use super::Kind;

/// Longest `payerMessage` / `payeeNote` MoMo accepts.
const MAX_NOTE_CHARS: usize = 160;

#[derive(Debug, Clone)]
pub struct Party {
    pub party_id_type: String,
    pub party_id: String,
}

/// A validated money POST body.
#[derive(Debug, Clone)]
pub struct PayoutRequest {
    /// As sent: status results echo it unchanged.
    pub amount: String,
    pub value: f64,
    pub currency: String,
    pub external_id: Option<String>,
    /// Transfers and deposits.
    pub payee: Option<Party>,
    /// Refunds.
    pub reference_id_to_refund: Option<String>,
    pub payer_message: Option<String>,
    pub payee_note: Option<String>,
}

impl PayoutRequest {
    /// The ledger's `party`: the payee, or the refunded transaction.
    pub fn party(&self) -> String {
        match (&self.payee, &self.reference_id_to_refund) {
            (Some(p), _) => p.party_id.clone(),
            (None, Some(r)) => r.clone(),
            (None, None) => String::new(),
        }
    }
}

/// A string of a positive decimal number: digits, optionally `.` and digits.
fn amount(text: &str) -> Option<f64> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !fraction.is_none_or(digits) {
        return None;
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
}

/// An optional string field; present but not a string is an error.
fn optional_string(map: &Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{field} must be a string.")),
    }
}

fn note(map: &Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    let text = optional_string(map, field)?;
    if text
        .as_deref()
        .is_some_and(|t| t.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(format!(
            "{field} must be at most {MAX_NOTE_CHARS} characters."
        ));
    }
    Ok(text)
}

fn payee(map: &Map<String, Value>) -> Result<Party, String> {
    let Some(Value::Object(payee)) = map.get("payee") else {
        return Err("payee must be an object with partyIdType and partyId.".into());
    };
    let id_type = match payee.get("partyIdType") {
        Some(Value::String(t)) => t.to_ascii_uppercase(),
        _ => String::new(),
    };
    if !matches!(id_type.as_str(), "MSISDN" | "EMAIL" | "PARTY_CODE") {
        return Err("payee.partyIdType must be MSISDN, EMAIL or PARTY_CODE.".into());
    }
    match payee.get("partyId") {
        Some(Value::String(id)) if !id.trim().is_empty() => Ok(Party {
            party_id_type: id_type,
            party_id: id.trim().to_owned(),
        }),
        _ => Err("payee.partyId must be a non-empty string.".into()),
    }
}

/// Parse and check a body; `Err` carries the 400 message.
pub fn parse(kind: Kind, body: &[u8]) -> Result<PayoutRequest, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "The body must be valid JSON.".to_owned())?;
    let Value::Object(map) = value else {
        return Err("The body must be a JSON object.".into());
    };
    let (amount_text, value) = match map.get("amount") {
        Some(Value::String(a)) => match amount(a) {
            Some(v) => (a.clone(), v),
            None => return Err("amount must be a string holding a positive decimal number.".into()),
        },
        _ => return Err("amount must be a string holding a positive decimal number.".into()),
    };
    let currency = match map.get("currency") {
        Some(Value::String(c)) if !c.is_empty() => c.clone(),
        _ => return Err("currency must be a non-empty string.".into()),
    };
    let external_id = optional_string(&map, "externalId")?;
    let payer_message = note(&map, "payerMessage")?;
    let payee_note = note(&map, "payeeNote")?;
    let (payee, reference_id_to_refund) = match kind {
        Kind::Transfer | Kind::Deposit => (Some(payee(&map)?), None),
        Kind::Refund => match map.get("referenceIdToRefund") {
            Some(Value::String(r)) => match any_uuid(r.trim()) {
                Some(id) => (None, Some(id)),
                None => return Err("referenceIdToRefund must be a UUID.".into()),
            },
            _ => return Err("referenceIdToRefund must be a UUID string.".into()),
        },
    };
    Ok(PayoutRequest {
        amount: amount_text,
        value,
        currency,
        external_id,
        payee,
        reference_id_to_refund,
        payer_message,
        payee_note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(amount("100"), Some(100.0));
        assert_eq!(amount("0.5"), Some(0.5));
        for bad in ["0", "0.00", "-1", "1e3", ".5", "5.", "", " 1", "1,5", "abc"] {
            assert_eq!(amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn bodies() {
        let ok = br#"{"amount":"5","currency":"EUR","externalId":"x","payee":{"partyIdType":"msisdn","partyId":"467"}}"#;
        let r = parse(Kind::Transfer, ok).unwrap();
        assert_eq!(r.payee.unwrap().party_id_type, "MSISDN");
        assert!(parse(Kind::Refund, ok)
            .unwrap_err()
            .contains("referenceIdToRefund"));
        let long = format!(
            r#"{{"amount":"5","currency":"EUR","payee":{{"partyIdType":"MSISDN","partyId":"1"}},"payeeNote":"{}"}}"#,
            "a".repeat(161)
        );
        assert!(parse(Kind::Deposit, long.as_bytes())
            .unwrap_err()
            .contains("payeeNote"));
        assert!(parse(Kind::Deposit, br#"{"amount":5}"#)
            .unwrap_err()
            .contains("amount"));
    }
}
