//! Collection's operations beyond create and status: the delivery notification of a
//! request to pay, cancelling an invoice or a pre-approval, and the list of a payer's
//! approved pre-approvals.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::auth::Caller;
use super::book::Key;
use super::errors::{bad_request, conflict, not_found, with_message};
use super::headers::header;
use super::ids::any_uuid;
use super::settlement::{self, Status};
use crate::momo::api::{Kind, Product};
use crate::sandbox::state::SandboxState;

const MAX_NOTIFICATION_CHARS: usize = 160;

/// The resource `id` names, as a key; 400 when `id` is not a UUID.
fn key(kind: Kind, id: &str) -> Result<Key, Response> {
    any_uuid(id.trim())
        .map(|id| (Product::Collection, kind, id))
        .ok_or_else(|| bad_request("The reference id must be a UUID."))
}

/// `POST …/requesttopay/{id}/deliverynotification`: 200 once the request to pay
/// succeeded, 409 before, 410 once the notification window after success has passed.
pub fn delivery_notification(
    s: &SandboxState,
    caller: &Caller,
    id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let key = match key(Kind::RequestToPay, id) {
        Ok(k) => k,
        Err(r) => return r,
    };
    // The export puts the message in a header (required) and in the body.
    let in_body = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("notificationMessage")?.as_str().map(str::to_owned));
    let message = header(headers, "notificationmessage")
        .map(str::to_owned)
        .or(in_body);
    match message {
        Some(m) if !m.trim().is_empty() && m.chars().count() <= MAX_NOTIFICATION_CHARS => {}
        _ => {
            return bad_request("notificationMessage must be 1 to 160 characters.");
        }
    }
    let window = Duration::from_millis(s.options.momo.delivery_notification_window_ms);
    let book = s.momo.book.lock();
    let Some(p) = book
        .payouts
        .get(&key)
        .filter(|p| p.owner == caller.api_user)
    else {
        return not_found();
    };
    match (p.status, p.settled) {
        (Status::Successful, Some(at)) if at.elapsed() > window => with_message(
            StatusCode::GONE,
            "NOT_ALLOWED",
            "The delivery notification opportunity has expired.",
        ),
        (Status::Successful, _) => StatusCode::OK.into_response(),
        _ => with_message(
            StatusCode::CONFLICT,
            "TRANSACTION_NOT_COMPLETED",
            "The transaction is not successfully completed.",
        ),
    }
}

/// `DELETE …/v2_0/invoice/{id}` with its own `X-Reference-Id`: an open invoice ends
/// FAILED with `TRANSACTION_CANCELED` (its callback says so); 404 for an unknown one.
pub fn cancel_invoice(
    s: &Arc<SandboxState>,
    caller: &Caller,
    cancel_id: String,
    id: &str,
    body: &[u8],
) -> Response {
    let key = match key(Kind::Invoice, id) {
        Ok(k) => k,
        Err(r) => return r,
    };
    if !body.iter().all(u8::is_ascii_whitespace)
        && !matches!(serde_json::from_slice::<Value>(body), Ok(Value::Object(_)))
    {
        return bad_request("The body must be a JSON object.");
    }
    {
        let mut book = s.momo.book.lock();
        if book
            .payouts
            .get(&key)
            .is_none_or(|p| p.owner != caller.api_user)
        {
            return not_found();
        }
        if !book.cancels.insert(cancel_id) {
            return conflict();
        }
    }
    if settlement::settle(s, &key, Some(Status::Failed("TRANSACTION_CANCELED"))) {
        StatusCode::OK.into_response()
    } else {
        with_message(
            StatusCode::CONFLICT,
            "NOT_ALLOWED",
            "The invoice is no longer open and cannot be cancelled.",
        )
    }
}

/// `GET …/v1_0/preapprovals/{type}/{id}`: the payer's approved, uncancelled
/// pre-approvals, as `PreApprovalDetails`.
pub fn approved_pre_approvals(s: &SandboxState, id_type: &str, id: &str) -> Response {
    let id_type = id_type.to_ascii_uppercase();
    if !matches!(id_type.as_str(), "MSISDN" | "EMAIL" | "PARTY_CODE") {
        return bad_request("accountHolderIdType must be msisdn, email or party_code.");
    }
    let book = s.momo.book.lock();
    let mut list: Vec<(String, Value)> = book
        .payouts
        .iter()
        .filter(|((product, kind, _), p)| {
            *product == Product::Collection
                && *kind == Kind::PreApproval
                && p.status == Status::Successful
                && p.request.party.as_ref().is_some_and(|party| {
                    party.party_id_type == id_type && party.party_id == id.trim()
                })
        })
        .map(|((_, _, reference), p)| {
            let echo = &p.request.echo;
            let details = json!({
                "preApprovalId": reference,
                "toFri": format!("FRI:{}/API", p.owner),
                "fromFri": format!("FRI:{}/{}", id.trim(), id_type),
                "fromCurrency": p.request.currency,
                "createdTime": p.created_at,
                "approvedTime": p.settled_at,
                "expiryTime": echo.get("expirationDateTime"),
                "status": "APPROVED",
                "message": echo.get("payerMessage").cloned().unwrap_or(json!("")),
            });
            (p.created_at.clone(), details)
        })
        .collect();
    list.sort_by(|a, b| a.0.cmp(&b.0));
    Json(list.into_iter().map(|(_, d)| d).collect::<Vec<_>>()).into_response()
}

/// `DELETE …/v1_0/preapproval/{id}`: an approved pre-approval is cancelled (it leaves the
/// list); 404 for one that is unknown or not approved.
pub fn cancel_pre_approval(s: &SandboxState, caller: &Caller, id: &str) -> Response {
    let key = match key(Kind::PreApproval, id) {
        Ok(k) => k,
        Err(r) => return r,
    };
    let mut book = s.momo.book.lock();
    match book.payouts.get_mut(&key) {
        Some(p) if p.status == Status::Successful && p.owner == caller.api_user => {
            p.status = Status::Failed("TRANSACTION_CANCELED");
            StatusCode::OK.into_response()
        }
        _ => not_found(),
    }
}
