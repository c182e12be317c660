//! Account endpoints: balance, account-holder status, and the
//! sandbox's fixed "Sand Box" user information.

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::errors::{bad_request, not_found, server_error};
pub use super::samples::{basic_user_info, user_info};
use super::test_numbers::{self, Holder};
use crate::momo::api::Product;
use crate::momo::market::Market;
use crate::sandbox::state::SandboxState;

fn balance_body(s: &SandboxState, product: Product, market: Market) -> Response {
    // `Display` of f64 prints `10000000`, `99.5`: the plain decimal MoMo uses.
    let available = s.momo.balance(product).to_string();
    Json(json!({ "availableBalance": available, "currency": market.currency() })).into_response()
}

/// The balance of the calling product's own account, in the caller's market's currency.
pub fn balance(s: &SandboxState, product: Product, market: Market) -> Response {
    balance_body(s, product, market)
}

pub fn balance_in(s: &SandboxState, product: Product, market: Market, currency: &str) -> Response {
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return bad_request("currency must be an ISO 4217 code.");
    }
    if currency.eq_ignore_ascii_case(market.currency()) {
        balance_body(s, product, market)
    } else {
        server_error("INVALID_CURRENCY")
    }
}

pub fn active(id_type: &str, id: &str) -> Response {
    const TYPES: [&str; 3] = ["msisdn", "email", "party_code"];
    if !TYPES.contains(&id_type) {
        // The spec wants the type "explicitly in small letters": MTN answers `MSISDN`
        // with 404, so code that passes here passes live.
        if TYPES.contains(&id_type.to_ascii_lowercase().as_str()) {
            return not_found();
        }
        return bad_request("accountHolderIdType must be msisdn, email or party_code.");
    }
    match test_numbers::holder(id_type, id.trim()) {
        Holder::Active => Json(json!({ "result": true })).into_response(),
        Holder::NotActive => Json(json!({ "result": false })).into_response(),
        Holder::NotFound => not_found(),
        Holder::Error(code) => server_error(code),
    }
}
