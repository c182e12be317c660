//! Validation of the POST bodies of every product (the live 400 body is unconfirmed, so
//! each message names the field at fault), and what the results echo of them.

use serde_json::{Map, Value};

use super::ids::any_uuid;
use crate::momo::api::cash_transfer::{PAYER_ID_TYPES, PAYER_TEXTS};
use crate::momo::api::Kind;
use body::Body;
pub use body::{Party, PayoutRequest};

mod body;
mod collection;

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
    use serde_json::json;

    use super::body::amount;
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
