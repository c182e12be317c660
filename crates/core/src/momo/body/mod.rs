//! The JSON bodies of the money endpoints: checked field by field and rebuilt from the
//! known fields only, in the form the API wants (amounts as strings). Disbursement's here,
//! Collection's in [`collection`], Remittance's cash transfer in [`remittance`].

mod collection;
mod remittance;

use serde_json::{Map, Value};

use super::validate;
use crate::failure::Failure;
use crate::input::Arg;

/// A body is checked as the kind of resource its endpoint creates: transfers, deposits
/// and refunds `{ amount, currency, externalId, payee | referenceIdToRefund, payerMessage,
/// payeeNote }`; requests to pay and to withdraw the same with a `payer`.
pub use super::api::Kind as BodyKind;

const MAX_NOTE: usize = 160;
const MAX_EXTERNAL_ID: usize = 128;

fn field_name(prefix: &str, name: &str) -> String {
    format!("{prefix}.{name}")
}

/// The amount as the API's string: digits with at most two decimals, above zero.
fn amount(value: Option<&Value>) -> Result<String, Failure> {
    amount_at(value, "body.amount")
}

fn amount_at(value: Option<&Value>, field: &str) -> Result<String, Failure> {
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

fn optional_text(
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
fn currency_of(obj: &Map<String, Value>, name: &str, field: &str) -> Result<String, Failure> {
    let arg = obj.get(name).cloned().map_or(Arg::Undefined, Arg::from);
    validate::currency(&arg, field)
}

/// The body as an object, or the failure that says it is not one.
fn object(body: &Arg) -> Result<&Map<String, Value>, Failure> {
    match body {
        Arg::Json(Value::Object(obj)) => Ok(obj),
        _ => Err(Failure::invalid(
            "body",
            format!("body must be an object, got {}", body.type_name()),
        )),
    }
}

fn encode(out: Map<String, Value>) -> Result<Vec<u8>, Failure> {
    serde_json::to_vec(&Value::Object(out))
        .map_err(|e| Failure::invalid("body", format!("body could not be encoded: {e}")))
}

fn party(value: Option<&Value>, field: &str) -> Result<Value, Failure> {
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

/// [`build`] of a body made in Rust (the payouts engine's transfers).
pub fn build_json(kind: BodyKind, body: Value) -> Result<Vec<u8>, Failure> {
    build(kind, &Arg::Json(body))
}

/// Validate `body` for `kind` and return the JSON to send.
pub fn build(kind: BodyKind, body: &Arg) -> Result<Vec<u8>, Failure> {
    let obj = object(body)?;
    match kind {
        BodyKind::Invoice => return encode(collection::invoice(obj)?),
        BodyKind::PreApproval => return encode(collection::pre_approval(obj)?),
        BodyKind::Payment => return encode(collection::payment(obj)?),
        BodyKind::CashTransfer => return encode(remittance::cash_transfer(obj)?),
        _ => {}
    }
    encode(money_body(kind, obj)?)
}

/// `{ amount, currency, externalId, <party or referenceIdToRefund>, payerMessage,
/// payeeNote }`, the body of transfer, deposit, refund, request to pay and withdraw.
fn money_body(kind: BodyKind, obj: &Map<String, Value>) -> Result<Map<String, Value>, Failure> {
    let mut out = Map::new();
    out.insert("amount".into(), Value::String(amount(obj.get("amount"))?));
    out.insert(
        "currency".into(),
        Value::String(currency_of(obj, "currency", "body.currency")?),
    );
    if let Some(id) = optional_text(obj, "externalId", MAX_EXTERNAL_ID, false)? {
        out.insert("externalId".into(), Value::String(id));
    }
    match kind {
        BodyKind::Transfer | BodyKind::Deposit => {
            // The old library's documentation shows `payer` for deposits; the API wants `payee`.
            let value = obj.get("payee").or_else(|| match kind {
                BodyKind::Deposit => obj.get("payer"),
                _ => None,
            });
            out.insert("payee".into(), party(value, "body.payee")?);
        }
        BodyKind::RequestToPay | BodyKind::Withdraw => {
            out.insert("payer".into(), party(obj.get("payer"), "body.payer")?);
        }
        BodyKind::CashTransfer => {
            out.insert("payee".into(), party(obj.get("payee"), "body.payee")?);
        }
        BodyKind::Invoice | BodyKind::PreApproval | BodyKind::Payment => {}
        BodyKind::Refund => {
            let arg = obj
                .get("referenceIdToRefund")
                .cloned()
                .map_or(Arg::Undefined, Arg::from);
            let id = arg
                .as_str()
                .filter(|s| s.len() == 36 && uuid::Uuid::try_parse(s).is_ok())
                .ok_or_else(|| {
                    Failure::invalid(
                        "body.referenceIdToRefund",
                        "body.referenceIdToRefund must be the UUID of the transaction to refund",
                    )
                })?;
            out.insert("referenceIdToRefund".into(), Value::String(id.to_owned()));
        }
    }
    for name in ["payerMessage", "payeeNote"] {
        if let Some(text) = optional_text(obj, name, MAX_NOTE, true)? {
            out.insert(name.into(), Value::String(text));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(v: Value) -> Value {
        serde_json::from_slice(&build(BodyKind::Transfer, &Arg::Json(v)).unwrap()).unwrap()
    }

    #[test]
    fn normalises_a_transfer() {
        let v = ok(json!({"amount": 100, "currency": "EUR", "externalId": 7,
            "payee": {"partyIdType": "msisdn", "partyId": "46733123450"}, "extra": 1}));
        assert_eq!(
            v,
            json!({"amount": "100", "currency": "EUR", "externalId": "7",
            "payee": {"partyIdType": "MSISDN", "partyId": "46733123450"}})
        );
    }

    #[test]
    fn rejects_bad_fields() {
        let bad = |v: Value| build(BodyKind::Transfer, &Arg::Json(v)).unwrap_err().field;
        let payee = json!({"partyIdType": "MSISDN", "partyId": "46733123450"});
        let with = |amount: &str, currency: &str| json!({"amount": amount, "currency": currency, "payee": payee});
        let mut note = with("1", "EUR");
        note["payeeNote"] = json!("a&b");
        let cases = [
            (with("-1", "EUR"), "body.amount"),
            (with("0", "EUR"), "body.amount"),
            (with("1.234", "EUR"), "body.amount"),
            (with("1", "eur"), "body.currency"),
            (json!({"amount": "1", "currency": "EUR"}), "body.payee"),
            (note, "body.payeeNote"),
        ];
        for (body, field) in cases {
            assert_eq!(bad(body.clone()).as_deref(), Some(field), "{body}");
        }
    }
}
