//! Access tokens: `POST /{product}/token/` with Basic credentials, and the bearer and
//! target-environment checks every product call goes through. A token is good for the
//! product that issued it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::json;

use super::errors::{bad_request, gateway_unauthorized, server_error};
use super::headers::header;
use super::provisioning::user_key;
use super::state::IssuedToken;
use crate::momo::api::Product;
use crate::momo::market::Market;
use crate::sandbox::state::SandboxState;

/// The API user whose current key the Basic credentials carry.
pub fn basic_user(state: &SandboxState, headers: &HeaderMap) -> Option<String> {
    let value = header(headers, "authorization")?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, key) = decoded.split_once(':')?;
    let user = user_key(user);
    let users = state.momo.users.lock();
    let current = users.get(&user)?.api_key.as_deref()?;
    (current == key).then_some(user)
}

/// 401 `login_failed`: Basic credentials of no API user (or not its current key).
pub fn login_failed() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({ "error": "login_failed" })),
    )
        .into_response()
}

/// `POST /{product}/token/`, after the gateway's key check.
pub fn token(s: &SandboxState, product: Product, headers: &HeaderMap, body: &[u8]) -> Response {
    let Some(api_user) = basic_user(s, headers) else {
        return login_failed();
    };
    if !token_body_accepted(body) {
        return bad_request("The token request takes no body.");
    }
    let ttl = s.options.token_ttl_seconds;
    let access_token = issue(s, api_user, product);
    Json(json!({
        "access_token": access_token,
        "token_type": "access_token",
        "expires_in": ttl,
    }))
    .into_response()
}

/// MTN's common-errors page calls a body on /token/ a 400, yet its live sandbox takes the
/// `{}` and `{"grant_type":"client_credentials"}` that widely used clients send: those pass,
/// anything else is refused.
fn token_body_accepted(body: &[u8]) -> bool {
    if body.iter().all(u8::is_ascii_whitespace) {
        return true;
    }
    let form = body == b"grant_type=client_credentials";
    let json = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
        .is_ok_and(|m| {
            m.iter()
                .all(|(k, v)| k == "grant_type" && v == "client_credentials")
        });
    form || json
}

/// A new bearer token of `api_user` for `product`, valid `tokenTtlSeconds`.
pub fn issue(s: &SandboxState, api_user: String, product: Product) -> String {
    let ttl = s.options.token_ttl_seconds;
    let access_token = new_token(&api_user, ttl);
    let now = Instant::now();
    let mut tokens = s.momo.tokens.lock();
    tokens.retain(|_, t| t.expires_at > now);
    tokens.insert(
        access_token.clone(),
        IssuedToken {
            api_user,
            product,
            expires_at: now + Duration::from_secs(ttl),
        },
    );
    access_token
}

/// A JWT-shaped token like the live sandbox's (header and payload as decoded from a real
/// one), with a random signature: only this sandbox's table makes it valid.
fn new_token(api_user: &str, ttl: u64) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"R256"}"#);
    let payload = json!({
        "clientId": api_user,
        "expires": crate::sandbox::clock::momo_after(Duration::from_secs(ttl)),
        "sessionId": uuid::Uuid::new_v4().to_string(),
    });
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    let signature: [u8; 32] = rand::random();
    let more: [u8; 32] = rand::random();
    let signature = URL_SAFE_NO_PAD.encode([signature, more].concat());
    format!("{header}.{payload}.{signature}")
}

const BAD_TOKEN: &str = "Access token is missing, invalid or expired.";

/// The caller of a product call: a live bearer token of this sandbox, and the `sandbox`
/// target environment. Knows the API user, whose callback host the callbacks must match.
pub struct Caller {
    pub api_user: String,
    /// The market its `X-Target-Environment` names (one of the sandbox's).
    pub market: Market,
}

impl FromRequestParts<Arc<SandboxState>> for Caller {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<SandboxState>,
    ) -> Result<Self, Self::Rejection> {
        let token = header(&parts.headers, "authorization")
            .map(str::trim)
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        let now = Instant::now();
        let product = Product::of_path(parts.uri.path());
        let shared = state.options.momo.share_tokens;
        let api_user = token.and_then(|t| {
            let tokens = state.momo.tokens.lock();
            tokens
                .get(t)
                .filter(|issued| issued.expires_at > now)
                .filter(|issued| shared || Some(issued.product) == product)
                .map(|issued| issued.api_user.clone())
        });
        let Some(api_user) = api_user else {
            return Err(gateway_unauthorized(BAD_TOKEN));
        };
        let target = header(&parts.headers, "x-target-environment").map(str::trim);
        let Some(market) = target.and_then(|t| state.options.market.find(t)) else {
            return Err(server_error("NOT_ALLOWED_TARGET_ENVIRONMENT"));
        };
        Ok(Caller { api_user, market })
    }
}
