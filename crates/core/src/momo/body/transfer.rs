//! The transfer body: Disbursement's transfer, deposit and refund, Collection's request
//! to pay and withdraw (with a `payer`), and the base of Remittance's cash transfer.

use serde_json::{Map, Value};

use super::fields::{amount, currency_of, optional_text, party, MAX_EXTERNAL_ID, MAX_NOTE};
use crate::failure::Failure;
use crate::input::Arg;
use crate::momo::api::Kind as BodyKind;

/// `{ amount, currency, externalId, <party or referenceIdToRefund>, payerMessage,
/// payeeNote }`, the body of transfer, deposit, refund, request to pay and withdraw.
pub(super) fn money_body(
    kind: BodyKind,
    obj: &Map<String, Value>,
) -> Result<Map<String, Value>, Failure> {
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
