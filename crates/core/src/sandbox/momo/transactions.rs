//! The POSTs that create a resource (transfers, deposits, refunds, requests to pay and
//! to withdraw, invoices, pre-approvals, payments, cash transfers) and their status GETs.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::auth::Caller;
use super::errors::{bad_request, conflict, not_found, server_error};
use super::ids::any_uuid;
use super::test_numbers::{self, Outcome};
use super::{callbacks, request, result, settlement};
use crate::momo::api::{Endpoint, Kind, Product};
use crate::sandbox::state::SandboxState;

/// Checks in the live order, after the gateway's key, the reference id and the token:
/// duplicate, body, currency, callback host, test number.
pub fn create(
    s: Arc<SandboxState>,
    endpoint: &'static Endpoint,
    id: String,
    caller: Caller,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let kind = endpoint.kind;
    let key = (endpoint.product, kind, id);
    if s.momo.book.lock().contains(&key) {
        return conflict();
    }
    let req = match request::parse(kind, &body) {
        Ok(r) => r,
        Err(message) => return bad_request(&message),
    };
    if req.currency != caller.market.currency() {
        return server_error("INVALID_CURRENCY");
    }
    let callback = match callbacks::target(&s, &caller.api_user, headers, endpoint) {
        Ok(c) => c,
        Err(mismatch) => return mismatch.into_response(),
    };
    let party = req
        .party
        .as_ref()
        .map(|p| p.party_id.as_str())
        .unwrap_or("");
    let outcome = match req.party.as_ref() {
        // A production market knows only its own country's numbers: MTN's reason for an
        // unknown number is PAYEE_NOT_FOUND (PAYER_NOT_FOUND for a payer), on a 202.
        Some(p)
            if p.party_id_type.eq_ignore_ascii_case("MSISDN")
                && !caller.market.accepts_msisdn(&p.party_id) =>
        {
            Outcome::Failed(unknown_party(kind))
        }
        _ => test_numbers::outcome(kind, party, req.external_id.as_deref()),
    };
    if let Outcome::Reject(code) = outcome {
        return server_error(code);
    }
    match settlement::accept(&s, key, req, outcome, callback, caller.api_user) {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(duplicate) => duplicate.into_response(),
    }
}

/// The reason a market gives for a party that is not one of its subscribers.
fn unknown_party(kind: Kind) -> &'static str {
    match kind {
        Kind::RequestToPay | Kind::Withdraw | Kind::Invoice | Kind::PreApproval => {
            "PAYER_NOT_FOUND"
        }
        _ => "PAYEE_NOT_FOUND",
    }
}

/// The status GET of a resource: its result body, or 404.
pub fn status(s: &SandboxState, product: Product, kind: Kind, id: &str) -> Response {
    let Some(id) = any_uuid(id.trim()) else {
        return bad_request("The reference id must be a UUID.");
    };
    let result = result::in_book(&s.momo.book.lock(), &(product, kind, id), s);
    match result {
        Some(body) => Json(body).into_response(),
        None => not_found(),
    }
}
