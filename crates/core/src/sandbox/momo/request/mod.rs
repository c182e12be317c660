//! Validation of the POST bodies of every product (the live 400 body is unconfirmed, so
//! each message names the field at fault), and what the results echo of them.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::headers::any_uuid;
use super::Kind;
use crate::momo::api::cash_transfer::{PAYER_ID_TYPES, PAYER_TEXTS};

mod collection;

/// Longest `payerMessage` / `payeeNote` MoMo accepts.
const MAX_NOTE_CHARS: usize = 160;

/// The special characters MTN's common-errors page names as unsupported in notes.
const UNSUPPORTED_NOTE_CHARS: [char; 2] = ['\'', '&'];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Party {
    pub party_id_type: String,
    pub party_id: String,
}

impl Party {
    pub fn to_json(&self) -> Value {
        json!({ "partyIdType": self.party_id_type, "partyId": self.party_id })
    }
}

/// A validated POST body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PayoutRequest {
    /// As sent: results echo it unchanged (empty for a pre-approval).
    pub amount: String,
    pub value: f64,
    pub currency: String,
    pub external_id: Option<String>,
    /// The party the test numbers key on: the payee (transfers, deposits), the payer
    /// (requests to pay and withdraw, pre-approvals) or the invoice's intended payer.
    pub party: Option<Party>,
    /// Refunds: the refunded transaction.
    pub reference_id_to_refund: Option<String>,
    /// Payments: the customer's reference at the provider.
    pub customer_reference: Option<String>,
    /// Seconds an invoice or a pre-approval stays valid.
    pub validity_seconds: Option<u64>,
    /// The request's fields the status GET and the callback echo, normalised.
    pub echo: Map<String, Value>,
}

impl PayoutRequest {
    /// The ledger's `party`: the payee or payer, the refunded transaction, or the
    /// payment's customer reference.
    pub fn party(&self) -> String {
        self.party
            .as_ref()
            .map(|p| p.party_id.clone())
            .or_else(|| self.reference_id_to_refund.clone())
            .or_else(|| self.customer_reference.clone())
            .unwrap_or_default()
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

/// The body's object: fields are read from it and the echo is built up.
struct Body {
    map: Map<String, Value>,
    echo: Map<String, Value>,
}

impl Body {
    /// An optional string field; present but not a string is an error. Echoed.
    fn text(&mut self, field: &str) -> Result<Option<String>, String> {
        match self.map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => {
                self.echo.insert(field.into(), json!(s));
                Ok(Some(s.clone()))
            }
            Some(_) => Err(format!("{field} must be a string.")),
        }
    }

    fn required_text(&mut self, field: &str) -> Result<String, String> {
        match self.text(field)? {
            Some(t) if !t.trim().is_empty() => Ok(t),
            _ => Err(format!("{field} must be a non-empty string.")),
        }
    }

    /// `payerMessage` / `payeeNote` (and an invoice's `description`): at most 160
    /// characters, none of those MTN's common-errors page says it refuses with 400.
    fn note(&mut self, field: &str) -> Result<Option<String>, String> {
        let text = self.text(field)?;
        let Some(t) = text.as_deref() else {
            return Ok(None);
        };
        if t.chars().count() > MAX_NOTE_CHARS {
            return Err(format!(
                "{field} must be at most {MAX_NOTE_CHARS} characters."
            ));
        }
        if t.contains(UNSUPPORTED_NOTE_CHARS) {
            return Err(format!("{field} must not contain ' or &."));
        }
        Ok(text)
    }

    /// `amount` (a positive decimal string) of `field`, echoed as sent.
    fn amount(&mut self, field: &str) -> Result<(String, f64), String> {
        let bad = || format!("{field} must be a string holding a positive decimal number.");
        let Some(Value::String(a)) = self.map.get(field) else {
            return Err(bad());
        };
        let value = amount(a).ok_or_else(bad)?;
        let a = a.clone();
        self.echo.insert(field.into(), json!(a));
        Ok((a, value))
    }

    fn currency(&mut self, field: &str) -> Result<String, String> {
        match self.map.get(field) {
            Some(Value::String(c)) if !c.is_empty() => {
                let c = c.clone();
                self.echo.insert(field.into(), json!(c));
                Ok(c)
            }
            _ => Err(format!("{field} must be a non-empty string.")),
        }
    }

    /// A `Party` object, echoed normalised (upper-case type, trimmed id).
    fn party(&mut self, field: &str) -> Result<Party, String> {
        let Some(Value::Object(p)) = self.map.get(field) else {
            return Err(format!(
                "{field} must be an object with partyIdType and partyId."
            ));
        };
        let id_type = match p.get("partyIdType") {
            Some(Value::String(t)) => t.to_ascii_uppercase(),
            _ => String::new(),
        };
        if !matches!(id_type.as_str(), "MSISDN" | "EMAIL" | "PARTY_CODE") {
            return Err(format!(
                "{field}.partyIdType must be MSISDN, EMAIL or PARTY_CODE."
            ));
        }
        let party = match p.get("partyId") {
            Some(Value::String(id)) if !id.trim().is_empty() => Party {
                party_id_type: id_type,
                party_id: id.trim().to_owned(),
            },
            _ => return Err(format!("{field}.partyId must be a non-empty string.")),
        };
        self.echo.insert(field.into(), party.to_json());
        Ok(party)
    }
}

/// The sender's details of a cash transfer besides its free texts: all optional
/// strings, all echoed.
const SENDER_FIELDS: [&str; 4] = [
    "orginatingCountry",
    "originalAmount",
    "originalCurrency",
    "payerMsisdn",
];

/// Transfer, deposit, refund, request to pay or withdraw, cash transfer.
fn money(kind: Kind, b: &mut Body) -> Result<PayoutRequest, String> {
    let (amount, value) = b.amount("amount")?;
    let currency = b.currency("currency")?;
    let external_id = b.text("externalId")?;
    b.note("payerMessage")?;
    b.note("payeeNote")?;
    let mut r = PayoutRequest {
        amount,
        value,
        currency,
        external_id,
        ..PayoutRequest::default()
    };
    match kind {
        Kind::Refund => match b.map.get("referenceIdToRefund") {
            Some(Value::String(t)) => match any_uuid(t.trim()) {
                Some(id) => r.reference_id_to_refund = Some(id),
                None => return Err("referenceIdToRefund must be a UUID.".into()),
            },
            _ => return Err("referenceIdToRefund must be a UUID string.".into()),
        },
        Kind::RequestToPay | Kind::Withdraw => r.party = Some(b.party("payer")?),
        _ => r.party = Some(b.party("payee")?),
    }
    if kind == Kind::CashTransfer {
        for field in SENDER_FIELDS.iter().chain(&PAYER_TEXTS) {
            b.text(field)?;
        }
        if b.text("payerIdentificationType")?
            .is_some_and(|t| !PAYER_ID_TYPES.contains(&t.as_str()))
        {
            return Err(format!(
                "payerIdentificationType must be one of {}.",
                PAYER_ID_TYPES.join(", ")
            ));
        }
    }
    Ok(r)
}

/// Parse and check a body; `Err` carries the 400 message.
pub fn parse(kind: Kind, body: &[u8]) -> Result<PayoutRequest, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "The body must be valid JSON.".to_owned())?;
    let Value::Object(map) = value else {
        return Err("The body must be a JSON object.".into());
    };
    let mut b = Body {
        map,
        echo: Map::new(),
    };
    let mut request = match kind {
        Kind::Invoice => collection::invoice(&mut b)?,
        Kind::PreApproval => collection::pre_approval(&mut b)?,
        Kind::Payment => collection::payment(&mut b)?,
        _ => money(kind, &mut b)?,
    };
    request.echo = b.echo;
    Ok(request)
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
        assert_eq!(r.party.unwrap().party_id_type, "MSISDN");
        assert_eq!(r.echo["payee"]["partyIdType"], "MSISDN");
        assert!(parse(Kind::Refund, ok)
            .unwrap_err()
            .contains("referenceIdToRefund"));
        assert!(parse(Kind::RequestToPay, ok).unwrap_err().contains("payer"));
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
        for note in ["it's", "a & b"] {
            let body = json!({"amount":"5","currency":"EUR","payee":{"partyIdType":"MSISDN","partyId":"1"},"payerMessage":note});
            assert!(parse(Kind::Transfer, body.to_string().as_bytes())
                .unwrap_err()
                .contains("payerMessage"));
        }
        let cash = br#"{"amount":"5","currency":"EUR","payee":{"partyIdType":"MSISDN","partyId":"1"},"payerIdentificationType":"XX"}"#;
        assert!(parse(Kind::CashTransfer, cash)
            .unwrap_err()
            .contains("payerIdentificationType"));
    }
}
