//! The "Sand Box" person of MTN's samples, as the live sandbox answers for any account
//! holder. A leaf: the account endpoints and the holders both answer with it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

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
