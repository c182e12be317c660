//! The consent flow (CIBA) of every product: `POST …/v1_0/bc-authorize` asks the account
//! holder, `POST …/oauth2/token/` turns the answer into a token for
//! `…/oauth2/v1_0/userinfo`. The consent test numbers of the login hint's MSISDN:
//! `…50` account holder not found (404), `…51` rejected, `…52` still pending, `…53`
//! expired (the token request answers the CIBA error); any other is approved.

use std::collections::HashMap;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::auth::{basic_user, issue, login_failed};
use super::errors::{bad_request, not_found};
use super::state::AuthRequest;
use super::test_numbers::suffix;
use crate::momo::api::Product;
use crate::sandbox::state::SandboxState;

/// Seconds the auth request is valid and the consent can be refreshed.
const EXPIRES_IN: u64 = 300;
const REFRESH_EXPIRES_IN: u64 = 3600;

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// `ID:46733123450/MSISDN` → `46733123450`.
fn msisdn_of(login_hint: &str) -> Option<String> {
    let rest = login_hint.trim().strip_prefix("ID:")?;
    let (id, kind) = rest.split_once('/').unwrap_or((rest, "MSISDN"));
    (kind.eq_ignore_ascii_case("MSISDN") && !id.is_empty()).then(|| id.to_owned())
}

/// `POST …/v1_0/bc-authorize`, form-encoded; authorised by the API user's Basic
/// credentials or a bearer token (both are seen in MTN's material).
pub fn bc_authorize(s: &SandboxState, product: Product, api_user: String, body: &[u8]) -> Response {
    let f = form(body);
    let Some(msisdn) = f.get("login_hint").and_then(|h| msisdn_of(h)) else {
        return bad_request("login_hint must be ID:{msisdn}/MSISDN.");
    };
    let Some(scope) = f.get("scope").filter(|s| !s.trim().is_empty()) else {
        return bad_request("scope is required.");
    };
    if f.get("access_type")
        .is_some_and(|a| a != "online" && a != "offline")
    {
        return bad_request("access_type must be online or offline.");
    }
    if suffix(&msisdn) == Some(50) {
        return not_found();
    }
    let id = uuid::Uuid::new_v4().to_string();
    s.momo.consent.lock().requests.insert(
        id.clone(),
        AuthRequest {
            api_user,
            product,
            msisdn,
            scope: scope.clone(),
        },
    );
    Json(json!({ "auth_req_id": id, "interval": 5, "expires_in": EXPIRES_IN })).into_response()
}

fn oauth_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response()
}

/// `POST …/oauth2/token/`, form-encoded, with the API user's Basic credentials: the CIBA
/// grant (`auth_req_id`) or `refresh_token`.
pub fn oauth2_token(
    s: &SandboxState,
    product: Product,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let Some(api_user) = basic_user(s, headers) else {
        return login_failed();
    };
    let f = form(body);
    let mut consent = s.momo.consent.lock();
    let request_id = match f.get("grant_type").map(String::as_str) {
        Some("urn:openid:params:grant-type:ciba") => f.get("auth_req_id").cloned(),
        Some("refresh_token") => f
            .get("refresh_token")
            .and_then(|r| consent.refresh.get(r).cloned()),
        _ => return oauth_error("unsupported_grant_type"),
    };
    let Some((request_id, request)) = request_id.and_then(|id| {
        let r = consent.requests.get(&id)?;
        (r.api_user == api_user && r.product == product).then_some((id, r))
    }) else {
        return oauth_error("invalid_grant");
    };
    let refused = match suffix(&request.msisdn) {
        Some(51) => Some("access_denied"),
        Some(52) => Some("authorization_pending"),
        Some(53) => Some("expired_token"),
        _ => None,
    };
    if let Some(error) = refused {
        return oauth_error(error);
    }
    let scope = request.scope.clone();
    let refresh = uuid::Uuid::new_v4().to_string();
    consent.refresh.insert(refresh.clone(), request_id);
    drop(consent);
    let access_token = issue(s, api_user, product);
    Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": s.options.token_ttl_seconds,
        "scope": scope,
        "refresh_token": refresh,
        "refresh_token_expired_in": REFRESH_EXPIRES_IN,
    }))
    .into_response()
}
