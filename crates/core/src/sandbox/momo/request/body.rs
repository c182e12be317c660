//! A POST body being read: its fields checked one by one and the echo the results show
//! built up, and the request it becomes. Apart from mod.rs so that the per-kind readers
//! (collection.rs) import it, not their parent.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

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
pub(super) fn amount(text: &str) -> Option<f64> {
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
pub(super) struct Body {
    pub(super) map: Map<String, Value>,
    pub(super) echo: Map<String, Value>,
}

impl Body {
    /// An optional string field; present but not a string is an error. Echoed.
    pub(super) fn text(&mut self, field: &str) -> Result<Option<String>, String> {
        match self.map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => {
                self.echo.insert(field.into(), json!(s));
                Ok(Some(s.clone()))
            }
            Some(_) => Err(format!("{field} must be a string.")),
        }
    }

    pub(super) fn required_text(&mut self, field: &str) -> Result<String, String> {
        match self.text(field)? {
            Some(t) if !t.trim().is_empty() => Ok(t),
            _ => Err(format!("{field} must be a non-empty string.")),
        }
    }

    /// `payerMessage` / `payeeNote` (and an invoice's `description`): at most 160
    /// characters, none of those MTN's common-errors page says it refuses with 400.
    pub(super) fn note(&mut self, field: &str) -> Result<Option<String>, String> {
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
    pub(super) fn amount(&mut self, field: &str) -> Result<(String, f64), String> {
        let bad = || format!("{field} must be a string holding a positive decimal number.");
        let Some(Value::String(a)) = self.map.get(field) else {
            return Err(bad());
        };
        let value = amount(a).ok_or_else(bad)?;
        let a = a.clone();
        self.echo.insert(field.into(), json!(a));
        Ok((a, value))
    }

    pub(super) fn currency(&mut self, field: &str) -> Result<String, String> {
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
    pub(super) fn party(&mut self, field: &str) -> Result<Party, String> {
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
