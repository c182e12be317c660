//! The body of a status GET and of a callback: the request's fields as sent, then the
//! status, the `financialTransactionId` once successful and the reason once failed.

use serde_json::{json, Value};

use super::book::{Book, Key, Payout};
use super::errors::reason_value;
use super::payout_status::Status;
use crate::momo::api::Kind;
use crate::sandbox::options::ReasonShape;
use crate::sandbox::state::SandboxState;

/// The result body of the book's resource `key`, if the book has it.
pub fn in_book(book: &Book, key: &Key, s: &SandboxState) -> Option<Value> {
    book.payouts.get(key).map(|p| result_json(key, p, s))
}

pub fn result_json(key: &Key, p: &Payout, s: &SandboxState) -> Value {
    let (_, kind, _) = key;
    let object = s.options.momo.reason_shape == ReasonShape::Object;
    let mut m = p.request.echo.clone();
    let status = match (kind, p.status) {
        // Invoices and payments start CREATED, as their result enums say.
        (Kind::Invoice | Kind::Payment, Status::Pending) => "CREATED",
        (_, status) => status.as_str(),
    };
    m.insert("status".into(), json!(status));
    if let Some(id) = &p.financial_transaction_id {
        if !matches!(kind, Kind::Invoice | Kind::PreApproval) {
            m.insert("financialTransactionId".into(), json!(id));
        }
    }
    if let Status::Failed(code) = p.status {
        let (field, value) = match kind {
            // The invoice's reason is `errorReason`; the cash transfer's a plain string.
            Kind::Invoice => ("errorReason", reason_value(code, object)),
            Kind::CashTransfer => ("reason", json!(code)),
            _ => ("reason", reason_value(code, object)),
        };
        m.insert(field.into(), value);
    }
    Value::Object(m)
}
