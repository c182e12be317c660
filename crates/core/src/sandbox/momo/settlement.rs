//! Settlement: how an accepted POST is recorded in the book (book.rs), drawn from its
//! product's account (money out) and later made final, crediting that account (money
//! in), with its callback; and how a restored book resumes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::balances::Direction;
use super::book::{Book, Callback, Key, Payout};
use super::callbacks;
use super::errors::conflict;
pub use super::payout_status::Status;
use super::request::PayoutRequest;
use super::result::result_json;
use super::state::Stored;
use super::test_numbers::Outcome;
use crate::momo::api::{Kind, Product};
use crate::sandbox::clock::momo_after;
use crate::sandbox::ledger::LedgerEntry;
use crate::sandbox::state::SandboxState;

/// A concurrent POST took the reference id first.
#[derive(Debug)]
pub struct Duplicate;

impl IntoResponse for Duplicate {
    fn into_response(self) -> Response {
        conflict()
    }
}

/// The final status an accepted resource will reach, drawing a payout from its product's
/// account now: short of funds it fails instead.
fn eventual(
    book: &mut Book,
    product: Product,
    kind: Kind,
    value: f64,
    outcome: Outcome,
) -> Option<Status> {
    match outcome {
        Outcome::Success | Outcome::Ongoing if kind.direction() == Direction::Out => {
            if book.draw(product, value) {
                Some(Status::Successful)
            } else {
                Some(Status::Failed("NOT_ENOUGH_FUNDS"))
            }
        }
        Outcome::Success | Outcome::Ongoing => Some(Status::Successful),
        Outcome::Failed(reason) => Some(Status::Failed(reason)),
        Outcome::Delayed | Outcome::Reject(_) => None,
    }
}

/// Record an accepted resource (the POST answers 202 after this) and arrange its
/// settlement after `settleAfterMs` (the payer's approval window for Collection), or
/// `ongoingMs` for the ongoing test number.
pub fn accept(
    s: &Arc<SandboxState>,
    key: Key,
    mut request: PayoutRequest,
    outcome: Outcome,
    callback: Option<Callback>,
    owner: String,
) -> Result<(), Duplicate> {
    let settle_after = s.options.settle_after();
    let (product, kind, id) = &key;
    let validity = request.validity_seconds.map(Duration::from_secs);
    let delay = {
        let mut book = s.momo.book.lock();
        if book.contains(&key) {
            return Err(Duplicate);
        }
        let mut eventual = eventual(&mut book, *product, *kind, request.value, outcome);
        let mut delay = match (outcome, eventual) {
            (_, None) => None,
            (Outcome::Ongoing, Some(Status::Successful)) => Some(s.options.ongoing()),
            _ => Some(settle_after),
        };
        // A Delayed invoice is never paid: it expires when its validity ends.
        if let (Kind::Invoice, Outcome::Delayed, Some(v)) = (kind, outcome, validity) {
            eventual = Some(Status::Failed("EXPIRED"));
            delay = Some(v);
        }
        describe(&mut book, &key, &mut request, validity);
        if kind.direction() != Direction::None {
            // Written under the book's lock so the two never disagree.
            s.record_payout(LedgerEntry {
                provider: "momo",
                product: Some(product.as_str()),
                kind: kind.as_str().to_owned(),
                reference_id: id.clone(),
                external_id: request.external_id.clone(),
                amount: request.value,
                currency: request.currency.clone(),
                party: request.party(),
                status: Status::Pending.as_str().to_owned(),
            });
        }
        book.payouts.insert(
            key.clone(),
            Payout {
                request,
                status: Status::Pending,
                eventual,
                financial_transaction_id: None,
                callback,
                owner,
                created_at: momo_after(Duration::ZERO),
                settled_at: None,
                settled: None,
                due_unix_ms: delay.map(crate::sandbox::clock::unix_ms_after),
            },
        );
        delay
    };
    schedule(s, key, delay);
    Ok(())
}

/// Settle `key` after `delay` (at once when zero; never when `None`).
pub fn schedule(s: &Arc<SandboxState>, key: Key, delay: Option<Duration>) {
    match delay {
        None => {}
        Some(d) if d.is_zero() => {
            settle(s, &key, None);
        }
        Some(d) => {
            let s = s.clone();
            tokio::spawn(async move {
                tokio::time::sleep(d).await;
                settle(&s, &key, None);
            });
        }
    }
}

/// Takes over a stored MoMo state and resumes the settlements it was waiting for.
pub fn restore(s: &Arc<SandboxState>, stored: Stored) {
    for (key, wait) in s.momo.take_over(stored) {
        schedule(s, key, Some(wait));
    }
}

/// The fields a resource's result shows beyond its request: an invoice's ids and
/// expiry, a pre-approval's expiry, the reference id of invoices and payments.
fn describe(book: &mut Book, key: &Key, request: &mut PayoutRequest, validity: Option<Duration>) {
    let (_, kind, id) = key;
    let echo = &mut request.echo;
    let expiry = validity.map(momo_after);
    match kind {
        Kind::Invoice => {
            let n = book.next_id();
            echo.insert("referenceId".into(), json!(id));
            echo.insert("invoiceId".into(), json!(n.to_string()));
            echo.insert(
                "paymentReference".into(),
                json!(format!("{:08}", n % 100_000_000)),
            );
            echo.insert("payeeFirstName".into(), json!("Sand"));
            echo.insert("payeeLastName".into(), json!("Box"));
            if let Some(e) = expiry {
                echo.insert("expiryDateTime".into(), json!(e));
            }
        }
        Kind::Payment => {
            echo.insert("referenceId".into(), json!(id));
        }
        Kind::PreApproval => {
            if let Some(e) = expiry {
                echo.insert("expirationDateTime".into(), json!(e));
            }
        }
        _ => {}
    }
}

/// Make a pending resource final: as planned (`to: None`) or as told (a cancel). Credits
/// the balance when money comes in, tells the ledger, sends the callback. False when it
/// was not pending.
pub fn settle(s: &Arc<SandboxState>, key: &Key, to: Option<Status>) -> bool {
    let (product, kind, id) = key;
    let delivery = {
        let mut guard = s.momo.book.lock();
        let book = &mut *guard;
        let Some(p) = book.payouts.get(key) else {
            return false;
        };
        let Some(last) = to.or(p.eventual).filter(|_| p.status == Status::Pending) else {
            return false;
        };
        let value = p.request.value;
        let drawn = p.eventual == Some(Status::Successful) && kind.direction() == Direction::Out;
        let financial = (last == Status::Successful).then(|| book.next_id().to_string());
        if last == Status::Successful && kind.direction() == Direction::In {
            book.credit(*product, value);
        }
        // A payout drawn at acceptance and then cancelled gives the money back.
        if drawn && last != Status::Successful {
            book.credit(*product, value);
        }
        let Some(p) = book.payouts.get_mut(key) else {
            return false;
        };
        p.status = last;
        p.financial_transaction_id = financial;
        p.settled_at = Some(momo_after(Duration::ZERO));
        p.settled = Some(Instant::now());
        s.changed();
        if kind.direction() != Direction::None {
            s.set_payout_status(
                "momo",
                Some(product.as_str()),
                kind.as_str(),
                id,
                last.as_str(),
            );
        }
        let p = &*p;
        p.callback.clone().map(|cb| (cb, result_json(key, p, s)))
    };
    if let Some((cb, body)) = delivery {
        callbacks::deliver(s.clone(), cb, id.to_owned(), body);
    }
    true
}
