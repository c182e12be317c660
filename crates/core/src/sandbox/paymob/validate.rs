//! The server-side validation of `POST disburse/` (the portal's serializer and its
//! per-issuer `validate()`), with Django REST framework's messages.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::errors::FieldErrors;
use crate::paymob::bank_codes::{is_bank_card_code, BANK_TRANSACTION_TYPES};

const ISSUERS: [&str; 7] = [
    "vodafone",
    "etisalat",
    "orange",
    "aman",
    "bank_wallet",
    "bank_card",
    "instant_bank",
];
const REQUIRED: &str = "This field is required.";

/// A disbursement request that passed validation.
#[derive(Debug, Clone, Default)]
pub struct Validated {
    pub issuer: &'static str,
    pub amount_cents: i64,
    pub msisdn: Option<String>,
    pub full_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub bank_card_number: Option<String>,
    pub bank_code: Option<String>,
    pub bank_transaction_type: Option<String>,
    pub client_reference_id: Option<String>,
    pub client_reference: Option<String>,
}

struct Checker<'a> {
    body: &'a Map<String, Value>,
    errors: FieldErrors,
}

impl Checker<'_> {
    fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// A `CharField`: strings (trimmed) and numbers; `None` when absent.
    fn text(&mut self, field: &str) -> Option<String> {
        let v = match self.body.get(field) {
            None => return None,
            Some(Value::Null) => {
                self.error(field, "This field may not be null.");
                return None;
            }
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => {
                self.error(field, "Not a valid string.");
                return None;
            }
        };
        if v.is_empty() {
            self.error(field, "This field may not be blank.");
            return None;
        }
        Some(v)
    }

    fn require(&mut self, field: &str, value: &Option<String>) {
        if value.is_none() && !self.errors.contains_key(field) {
            self.error(field, REQUIRED);
        }
    }

    fn max_len(&mut self, field: &str, value: &Option<String>, max: usize) {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            self.error(
                field,
                format!("Ensure this field has no more than {max} characters."),
            );
        }
    }

    fn name(&mut self, field: &str) -> Option<String> {
        let v = self.text(field);
        self.max_len(field, &v, 70);
        if v.as_ref()
            .is_some_and(|s| s.chars().any(|c| "!%*+&,<=>".contains(c)))
        {
            self.error(
                field,
                "Symbols like !%*+&,<=> are not allowed in this field.",
            );
        }
        v
    }

    /// A `DecimalField(max_digits=9, decimal_places=2)`, in cents.
    fn amount(&mut self, minimum_cents: i64) -> i64 {
        let text = match self.body.get("amount") {
            None => return self.fail_amount(REQUIRED),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(_) => return self.fail_amount("A valid number is required."),
        };
        let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
        let (negative, int) = int.strip_prefix('-').map_or((false, int), |i| (true, i));
        let numeric = !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit());
        if !numeric {
            return self.fail_amount("A valid number is required.");
        }
        let frac = frac.trim_end_matches('0');
        let int = int.trim_start_matches('0');
        if int.len() + frac.len() > 9 {
            return self.fail_amount("Ensure that there are no more than 9 digits in total.");
        }
        if frac.len() > 2 {
            return self.fail_amount("Ensure that there are no more than 2 decimal places.");
        }
        let whole: i64 = int.parse().unwrap_or(0);
        let cents: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let value = whole * 100 + cents;
        let value = if negative { -value } else { value };
        if value < minimum_cents {
            let min = minimum_cents / 100;
            return self.fail_amount(&format!(
                "Ensure this value is greater than or equal to {min}."
            ));
        }
        value
    }

    fn fail_amount(&mut self, message: &str) -> i64 {
        self.error("amount", message);
        0
    }
}

pub fn disbursement(body: &Map<String, Value>) -> Result<Validated, FieldErrors> {
    let mut c = Checker {
        body,
        errors: FieldErrors::new(),
    };
    let issuer = c.text("issuer").map(|s| s.to_ascii_lowercase());
    let issuer = match issuer {
        Some(i) => match ISSUERS.iter().find(|known| **known == i) {
            Some(known) => *known,
            None => {
                c.error("issuer", format!("\"{i}\" is not a valid choice."));
                ""
            }
        },
        None => {
            c.require("issuer", &None);
            ""
        }
    };
    let minimum = if issuer == "instant_bank" {
        11_200
    } else {
        100
    };
    let mut v = Validated {
        issuer,
        amount_cents: c.amount(minimum),
        msisdn: c.text("msisdn"),
        full_name: c.name("full_name"),
        first_name: c.name("first_name"),
        last_name: c.name("last_name"),
        email: c.text("email"),
        bank_card_number: c.text("bank_card_number"),
        bank_code: c.text("bank_code").map(|s| s.to_ascii_uppercase()),
        bank_transaction_type: c
            .text("bank_transaction_type")
            .map(|s| s.to_ascii_lowercase()),
        client_reference_id: None,
        client_reference: c.text("client_reference"),
    };
    if let Some(raw) = c.text("client_reference_id") {
        match Uuid::try_parse(&raw) {
            Ok(u) => v.client_reference_id = Some(u.hyphenated().to_string()),
            Err(_) => c.error("client_reference_id", "Must be a valid UUID."),
        }
    }
    c.max_len("client_reference", &v.client_reference, 140);
    let comment = c.text("comment");
    c.max_len("comment", &comment, 140);
    if let Some(m) = &v.msisdn {
        let ok = m.len() == 11 && m.starts_with("01") && m.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            c.error(
                "msisdn",
                "Phone number must be 11 digits and start with 01.",
            );
        }
    }
    if let Some(e) = &v.email {
        let ok = e
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.ends_with('.'));
        if !ok {
            c.error("email", "Enter a valid email address.");
        }
    }
    if let Some(n) = &v.bank_card_number {
        let digits = n.bytes().filter(u8::is_ascii_digit).count();
        if !(6..=29).contains(&digits) || n.len() > 34 {
            c.error("bank_card_number", "Invalid bank card number.");
        }
    }
    if let Some(code) = &v.bank_code {
        let ok = if issuer == "bank_card" {
            is_bank_card_code(code)
        } else {
            code.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        if !ok {
            c.error("bank_code", "Invalid bank code.");
        }
    }
    if let Some(t) = &v.bank_transaction_type {
        if !BANK_TRANSACTION_TYPES.contains(&t.as_str()) {
            c.error(
                "bank_transaction_type",
                format!("\"{t}\" is not a valid choice."),
            );
        }
    }
    if let Some(f) = c.text("fees") {
        if !["Full", "Half", "No fees"].contains(&f.as_str()) {
            c.error("fees", format!("\"{f}\" is not a valid choice."));
        }
    }
    if let Some(p) = c.text("pin") {
        if p.len() != 6 || !p.bytes().all(|b| b.is_ascii_digit()) {
            c.error("pin", "Ensure this field has exactly 6 digits.");
        }
    }
    match body.get("customer_bears_fees") {
        None | Some(Value::Null | Value::Bool(_)) => {}
        Some(_) => c.error("customer_bears_fees", "Must be a valid boolean."),
    }
    let required: &[(&str, &Option<String>)] = match issuer {
        "vodafone" | "etisalat" | "orange" | "bank_wallet" => &[("msisdn", &v.msisdn)],
        "aman" => &[
            ("msisdn", &v.msisdn),
            ("first_name", &v.first_name),
            ("last_name", &v.last_name),
            ("email", &v.email),
        ],
        "bank_card" => &[
            ("bank_card_number", &v.bank_card_number),
            ("bank_code", &v.bank_code),
            ("bank_transaction_type", &v.bank_transaction_type),
            ("full_name", &v.full_name),
        ],
        "instant_bank" => &[
            ("bank_card_number", &v.bank_card_number),
            ("bank_code", &v.bank_code),
            ("full_name", &v.full_name),
        ],
        _ => &[],
    };
    for (field, value) in required {
        c.require(field, value);
    }
    if c.errors.is_empty() {
        Ok(v)
    } else {
        Err(c.errors)
    }
}
