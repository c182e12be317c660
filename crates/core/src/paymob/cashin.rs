//! `instantCashin`: `POST disburse/`, and its money safety: an uncertain send is looked up, never sent
//! under a new reference.
//!
//! The call is repeated automatically only with the same `client_reference_id`, which
//! Paymob refuses to use twice. When an attempt may have reached Paymob and the final
//! answer does not tell what happened (a timeout, a broken connection, a 5xx, a body that
//! is not JSON, or "client_reference_id is used before", which proves it arrived), the reference
//! is looked up with the inquiry endpoint and the transaction found decides the result.
//! When even that cannot tell, the call resolves `UnknownOutcome` with the reference.

use reqwest::Method;
use serde_json::{json, Value};

use super::api::{self, ApiCall, Exchange, Outcome};
use super::inner::Inner;
use super::outcome::{classify, find_transaction, first_field_error};
use super::request::{self, CashinRequest};
use crate::failure::{Failure, FailureKind};
use crate::input::Arg;
use crate::transport::classify::{failure_from_response, failure_from_send_error};
use crate::transport::{Provider, Response, Safety};
use crate::CallResult;

pub(crate) async fn instant_cashin(inner: &Inner, arg: &Arg) -> CallResult {
    let req = request::parse(arg)?;
    let reference = req.reference.as_str();
    let mut call = ApiCall::new(
        Method::POST,
        "/disburse/",
        Some(req.body.clone()),
        Safety::Deduplicated,
    );
    call.reference = Some(reference);
    let ex = api::send_authorized(inner, &call).await;
    let Exchange {
        outcome,
        attempts,
        earlier_maybe_delivered: uncertain,
    } = ex;
    match outcome {
        Outcome::Answer(mut r) if (200..300).contains(&r.status) => match r.take_json() {
            Some(body @ Value::Object(_)) => {
                classify(body, reference, r.status, attempts, &inner.secrets)
            }
            _ => reconcile(inner, &req, attempts, "its answer was not readable JSON").await,
        },
        // Paymob keeps every reference it has taken: "used before" is proof that this one
        // reached it (sent earlier by this call, or by an earlier process), never a refusal
        // of this payout. Only the lookup can say what became of it.
        Outcome::Answer(r) if r.status == 400 && used_before(&r) => {
            let why = if uncertain {
                "a repeat after an unanswered attempt found the reference already used"
            } else {
                "Paymob answered that the reference was used before"
            };
            reconcile(inner, &req, attempts, why)
                .await
                .map_err(|f| match f.kind {
                    FailureKind::UnknownOutcome => f.with_code(REFERENCE_USED),
                    _ => f,
                })
        }
        Outcome::Answer(r) if r.status >= 500 => {
            let why = format!("Paymob answered HTTP {}", r.status);
            reconcile(inner, &req, attempts, &why).await
        }
        // After an attempt that may have landed, a later attempt's refusal is no proof
        // that nothing was paid: ask.
        Outcome::Answer(r) if uncertain => {
            let why = format!(
                "a repeat after an unanswered attempt was answered HTTP {}",
                r.status
            );
            reconcile(inner, &req, attempts, &why).await
        }
        Outcome::Answer(r) => Err(refusal(inner, &r, reference, attempts)),
        Outcome::NoAnswer(e) if e.maybe_delivered() || uncertain => {
            let why = match e {
                crate::transport::SendError::Timeout { .. } => "no answer came within the timeout",
                crate::transport::SendError::Network { .. } => "the connection broke",
            };
            reconcile(inner, &req, attempts, why).await
        }
        Outcome::NoAnswer(e) => Err(failure_from_send_error(
            Provider::Paymob,
            &e,
            Some(reference),
            attempts,
            true,
        )),
        Outcome::NoToken(_) if uncertain => {
            reconcile(inner, &req, attempts, "the connection broke").await
        }
        Outcome::NoToken(f) => Err(f),
    }
}

/// The code of an `UnknownOutcome` after "client_reference_id is used before": Paymob holds
/// the reference, so it must never be taken for a payout that was not made.
pub const REFERENCE_USED: &str = "REFERENCE_USED_BEFORE";

/// Whether a 400 is Paymob's "client_reference_id is used before.".
fn used_before(r: &Response) -> bool {
    String::from_utf8_lossy(&r.body)
        .to_ascii_lowercase()
        .contains("is used before")
}

/// A non-2xx answer that Paymob gave without processing the payout.
fn refusal(inner: &Inner, r: &Response, reference: &str, attempts: u32) -> Failure {
    let mut f = failure_from_response(
        Provider::Paymob,
        r,
        Some(reference),
        &inner.secrets,
        attempts,
    );
    if let Some((field, message)) = f.body.as_ref().and_then(first_field_error) {
        f.message = inner
            .secrets
            .redact_str(&format!("{}: {field}: {message}", f.message));
        f.field = Some(field);
    }
    f
}

/// Look the reference up and report the transaction found, or `UnknownOutcome`.
async fn reconcile(inner: &Inner, req: &CashinRequest, attempts: u32, why: &str) -> CallResult {
    let reference = req.reference.as_str();
    let lookup = async {
        if inner.bucket.take().is_err() {
            return Err(
                "the inquiry that would tell was not sent: the inquiries-per-minute limit is used up"
                    .to_owned(),
            );
        }
        let body = json!({
            "transactions_ids_list": [reference],
            "bank_transactions": req.issuer.in_bank_store(),
        });
        let mut call = ApiCall::new(
            Method::POST,
            "/transaction/inquire/",
            Some(body),
            Safety::Read,
        );
        call.reference = Some(reference);
        let ex = api::send_authorized(inner, &call).await;
        match api::json_result(inner, ex, Some(reference)) {
            Ok(answer) => match find_transaction(&answer, reference) {
                Some(t) => Ok(classify(t, reference, 200, attempts, &inner.secrets)),
                None => Err("an inquiry found no transaction with this reference yet".to_owned()),
            },
            Err(f) => Err(format!("the inquiry that would tell failed ({})", f.kind)),
        }
    };
    crate::reconcile::reconcile(reference, attempts, lookup, |detail| {
        format!(
            "the Paymob payout {reference} may or may not have been made ({why}) and {detail}; look it up later with transactionInquiry — repeating the call with the same clientReferenceId cannot pay twice"
        )
    })
    .await
}
