//! The book of payouts and the balance: how an accepted payout is recorded, drawn from
//! the balance, and later made final (with its callback).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::callbacks::{self, Callback};
use super::errors::{conflict, reason_value};
use super::request::PayoutRequest;
use super::test_numbers::Outcome;
use super::Kind;
use crate::sandbox::options::ReasonShape;
use crate::sandbox::state::{LedgerEntry, SandboxState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Successful,
    Failed(&'static str),
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "PENDING",
            Status::Successful => "SUCCESSFUL",
            Status::Failed(_) => "FAILED",
        }
    }
}

pub struct Payout {
    pub request: PayoutRequest,
    pub status: Status,
    /// The final status it will reach; `None` for a Delayed payout, which never settles.
    pub eventual: Option<Status>,
    pub financial_transaction_id: Option<String>,
    pub callback: Option<Callback>,
}

pub struct Book {
    payouts: HashMap<(Kind, String), Payout>,
    balance: f64,
    next_financial_id: u64,
}

/// First `financialTransactionId`: a short numeric string like the live sandbox's.
const FIRST_FINANCIAL_ID: u64 = 1_573_250_710;

/// Keeps decimal sums exact enough that the balance prints as people expect
/// (`99.7`, not `99.69999999999999`).
fn round_micro(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Book {
    pub fn new(balance: f64) -> Self {
        Book {
            payouts: HashMap::new(),
            balance,
            next_financial_id: FIRST_FINANCIAL_ID,
        }
    }

    pub fn balance(&self) -> f64 {
        self.balance
    }

    pub fn set_balance(&mut self, amount: f64) {
        self.balance = round_micro(amount);
    }

    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        self.payouts.contains_key(&(kind, id.to_owned()))
    }

    pub fn result(&self, kind: Kind, id: &str, shape: ReasonShape) -> Option<Value> {
        self.payouts
            .get(&(kind, id.to_owned()))
            .map(|p| result_json(p, shape))
    }
}

/// The `TransferResult` / `RefundResult` body of the status GET and of the callback.
pub fn result_json(p: &Payout, shape: ReasonShape) -> Value {
    let r = &p.request;
    let mut m = Map::new();
    m.insert("amount".into(), json!(r.amount));
    m.insert("currency".into(), json!(r.currency));
    if let Some(id) = &p.financial_transaction_id {
        m.insert("financialTransactionId".into(), json!(id));
    }
    if let Some(e) = &r.external_id {
        m.insert("externalId".into(), json!(e));
    }
    if let Some(payee) = &r.payee {
        m.insert(
            "payee".into(),
            json!({ "partyIdType": payee.party_id_type, "partyId": payee.party_id }),
        );
    }
    if let Some(msg) = &r.payer_message {
        m.insert("payerMessage".into(), json!(msg));
    }
    if let Some(note) = &r.payee_note {
        m.insert("payeeNote".into(), json!(note));
    }
    m.insert("status".into(), json!(p.status.as_str()));
    if let Status::Failed(code) = p.status {
        m.insert(
            "reason".into(),
            reason_value(code, shape == ReasonShape::Object),
        );
    }
    Value::Object(m)
}

/// A concurrent POST took the reference id first.
#[derive(Debug)]
pub struct Duplicate;

impl IntoResponse for Duplicate {
    fn into_response(self) -> Response {
        conflict()
    }
}

/// Record an accepted payout (the POST answers 202 after this) and arrange its settlement.
pub fn accept(
    s: &Arc<SandboxState>,
    kind: Kind,
    id: String,
    request: PayoutRequest,
    outcome: Outcome,
    callback: Option<Callback>,
) -> Result<(), Duplicate> {
    let settle_after = s.options.settle_after();
    let delay = {
        let mut book = s.momo.book.lock();
        if book.contains(kind, &id) {
            return Err(Duplicate);
        }
        let eventual = match outcome {
            Outcome::Success | Outcome::Ongoing => {
                // Only a payout that would succeed draws; short of funds it fails instead.
                if book.balance >= request.value {
                    book.balance = round_micro(book.balance - request.value);
                    Some(Status::Successful)
                } else {
                    Some(Status::Failed("NOT_ENOUGH_FUNDS"))
                }
            }
            Outcome::Failed(reason) => Some(Status::Failed(reason)),
            Outcome::Delayed | Outcome::Reject(_) => None,
        };
        let delay = match (outcome, eventual) {
            (_, None) => None,
            (Outcome::Ongoing, Some(Status::Successful)) => {
                Some(settle_after.saturating_mul(5).max(Duration::from_secs(1)))
            }
            _ => Some(settle_after),
        };
        // The ledger is written under the book's lock so the two never disagree.
        s.record_payout(LedgerEntry {
            provider: "momo",
            kind: kind.as_str().to_owned(),
            reference_id: id.clone(),
            external_id: request.external_id.clone(),
            amount: request.value,
            currency: request.currency.clone(),
            party: request.party(),
            status: Status::Pending.as_str().to_owned(),
        });
        book.payouts.insert(
            (kind, id.clone()),
            Payout {
                request,
                status: Status::Pending,
                eventual,
                financial_transaction_id: None,
                callback,
            },
        );
        delay
    };
    match delay {
        None => {}
        Some(d) if d.is_zero() => settle(s, kind, &id),
        Some(d) => {
            let s = s.clone();
            tokio::spawn(async move {
                tokio::time::sleep(d).await;
                settle(&s, kind, &id);
            });
        }
    }
    Ok(())
}

/// Make a pending payout final, then send its callback if it asked for one.
pub fn settle(s: &Arc<SandboxState>, kind: Kind, id: &str) {
    let shape = s.options.momo.reason_shape;
    let delivery = {
        let mut guard = s.momo.book.lock();
        let book = &mut *guard;
        let Some(p) = book.payouts.get_mut(&(kind, id.to_owned())) else {
            return;
        };
        let Some(last) = p.eventual.filter(|_| p.status == Status::Pending) else {
            return;
        };
        p.status = last;
        if last == Status::Successful {
            p.financial_transaction_id = Some(book.next_financial_id.to_string());
            book.next_financial_id = book.next_financial_id.saturating_add(1);
        }
        s.set_payout_status("momo", kind.as_str(), id, last.as_str());
        p.callback.clone().map(|cb| (cb, result_json(p, shape)))
    };
    if let Some((cb, body)) = delivery {
        callbacks::deliver(s.clone(), cb, id.to_owned(), body);
    }
}
