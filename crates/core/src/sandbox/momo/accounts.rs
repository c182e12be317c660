//! Account endpoints: balance, account-holder status, and the
//! sandbox's fixed "Sand Box" user information.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::errors::{bad_request, not_found, server_error};
use super::test_numbers::{self, Holder};
use super::Product;
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

/// The person both of MTN's samples describe, with what the sample adds in `extra`.
fn sand_box(extra: Value) -> Value {
    let mut person = json!({
        "sub": "0",
        "name": "Sand Box",
        "given_name": "Sand",
        "family_name": "Box",
        "birthdate": "1976-08-13",
        "locale": "sv_SE",
        "gender": "MALE",
    });
    if let (Some(fields), Value::Object(more)) = (person.as_object_mut(), extra) {
        fields.extend(more);
    }
    person
}

/// The live sandbox's answer for any account holder (MTN SDK docs).
fn basic_sample() -> Value {
    sand_box(json!({ "updated_at": 1_676_609_351u64 }))
}

/// Remittance's MSISDN-only variant has no `gender` in its export.
pub fn basic_user_info(with_gender: bool) -> Response {
    let mut body = basic_sample();
    if !with_gender {
        if let Some(m) = body.as_object_mut() {
            m.remove("gender");
        }
    }
    (StatusCode::OK, Json(body)).into_response()
}

/// The consent KYC sample of MTN's sandbox notebook (outputs of 2024-11-10).
fn consent_sample() -> Value {
    sand_box(json!({
        "status": "ACTIVE",
        "email": "email@domain.test",
        "email_verified": true,
        "phone_number": "46123456789",
        "phone_number_verified": true,
        "address": {
            "formatted": "Street 17\n123 45 Karlskrona\nBlekinge\nSweden",
            "street_address": "Street 17",
            "postal_code": "123 45",
            "locality": "Karlskrona",
            "region": "Blekinge",
            "country": "Sweden",
        },
        "updated_at": 1_731_242_938u64,
        "credit_score": 123,
        "active": true,
        "country_of_birth": "Sweden",
        "region_of_birth": "Blekinge",
        "city_of_birth": "Karlskrona",
        "occupation": "Manager",
        "employer_name": "Ericsson",
        "identification_type": "PASS",
        "identification_value": "S1234567",
    }))
}

pub fn user_info() -> Response {
    Json(consent_sample()).into_response()
}
