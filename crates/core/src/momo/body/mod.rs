//! The JSON bodies of the money endpoints: checked field by field and rebuilt from the
//! known fields only, in the form the API wants (amounts as strings).
//! The transfer body is in [`transfer`], Collection's own in [`collection`], Remittance's
//! cash transfer in [`remittance`]; the field checks they share in [`fields`].

mod collection;
mod fields;
mod remittance;
mod transfer;

use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::input::Arg;

/// A body is checked as the kind of resource its endpoint creates: transfers, deposits
/// and refunds `{ amount, currency, externalId, payee | referenceIdToRefund, payerMessage,
/// payeeNote }`; requests to pay and to withdraw the same with a `payer`.
pub use super::api::Kind as BodyKind;

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
    encode(transfer::money_body(kind, obj)?)
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
