//! `POST o/token/` (django-oauth-toolkit behind django-axes) and the Bearer check of the
//! API routes.
//!
//! - Client authentication: HTTP Basic or the form fields `client_id`/`client_secret`;
//!   a wrong client is 401 `invalid_client`.
//! - Password grant: wrong credentials are 400 `invalid_grant` and count a failure; after
//!   five consecutive failures the user is locked out for 15 minutes (403, even with the
//!   right password). A success resets the count.
//! - Refresh grant: rotates, the old refresh token (and its access token) is revoked.
//! - A JSON body is not read (DOT reads the form): 400 `unsupported_grant_type`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use rand::distr::{Alphanumeric, SampleString};
use serde_json::json;

use super::errors;
use super::store::{Access, Store};
use crate::sandbox::state::SandboxState;

const FAILURE_LIMIT: u32 = 5;
const LOCKOUT: Duration = Duration::from_secs(15 * 60);

fn oauth_error(status: StatusCode, error: &str, description: Option<&str>) -> Response {
    let body = match description {
        Some(d) => json!({ "error": error, "error_description": d }),
        None => json!({ "error": error }),
    };
    errors::json(status, body)
}

/// The client id and secret from HTTP Basic (form-decoded) or the form.
fn client_credentials(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Option<(String, String)> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|raw| String::from_utf8(raw).ok());
    if let Some(pair) = basic {
        let (id, secret) = pair.split_once(':')?;
        let dec = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        return Some((dec(id), dec(secret)));
    }
    Some((
        form.get("client_id")?.clone(),
        form.get("client_secret")?.clone(),
    ))
}

fn new_token() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 30)
}

fn issue(store: &mut Store, user: &str, ttl: Duration) -> serde_json::Value {
    let access = new_token();
    let refresh = new_token();
    store.access.insert(
        access.clone(),
        Access {
            user: user.to_owned(),
            expires: Instant::now() + ttl,
        },
    );
    store
        .refresh
        .insert(refresh.clone(), (user.to_owned(), access.clone()));
    json!({
        "access_token": access,
        "expires_in": ttl.as_secs(),
        "refresh_token": refresh,
        "scope": "read write",
        "token_type": "Bearer",
    })
}

pub async fn token(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let form: HashMap<String, String> = if is_form {
        url::form_urlencoded::parse(&body).into_owned().collect()
    } else {
        HashMap::new()
    };
    let opts = &state.options.paymob;
    match client_credentials(&headers, &form) {
        Some((id, secret)) if id == opts.client_id && secret == opts.client_secret => {}
        _ => return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", None),
    }
    let ttl = state.options.token_ttl();
    let mut store = state.paymob.store.lock();
    match form.get("grant_type").map(String::as_str) {
        Some("password") => {
            let (Some(user), Some(password)) = (form.get("username"), form.get("password")) else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    Some("Request is missing username parameter."),
                );
            };
            let now = Instant::now();
            let login = store.logins.entry(user.clone()).or_default();
            if login.locked_until.is_some_and(|t| t > now) {
                return errors::json(
                    StatusCode::FORBIDDEN,
                    json!({ "detail": "Account locked: too many login attempts." }),
                );
            }
            if login.locked_until.is_some() {
                *login = Default::default();
            }
            if *user != opts.username || *password != opts.password {
                login.failures += 1;
                if login.failures >= FAILURE_LIMIT {
                    login.locked_until = Some(now + LOCKOUT);
                }
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    Some("Invalid credentials given."),
                );
            }
            login.failures = 0;
            errors::json(StatusCode::OK, issue(&mut store, user, ttl))
        }
        Some("refresh_token") => {
            let old = form.get("refresh_token").cloned().unwrap_or_default();
            let Some((user, old_access)) = store.refresh.remove(&old) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", None);
            };
            store.access.remove(&old_access);
            errors::json(StatusCode::OK, issue(&mut store, &user, ttl))
        }
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", None),
    }
}

/// The user of a valid Bearer token, or the 401 answer.
pub fn bearer_user(state: &SandboxState, headers: &HeaderMap) -> Result<String, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(errors::not_authenticated)?;
    let mut store = state.paymob.store.lock();
    match store.access.get(token) {
        Some(a) if a.expires > Instant::now() => Ok(a.user.clone()),
        Some(_) => {
            // Expired: DOT keeps the row, the refresh token still works; forget the access.
            store.access.remove(token);
            Err(errors::not_authenticated())
        }
        None => Err(errors::not_authenticated()),
    }
}

/// Bearer check, then one request from the user's shared throttle bucket.
pub fn throttled_user(state: &SandboxState, headers: &HeaderMap) -> Result<String, Response> {
    let user = bearer_user(state, headers)?;
    let limit = state.options.paymob.inquiry_limit_per_minute;
    state
        .paymob
        .store
        .lock()
        .throttle(&user, limit)
        .map_err(errors::throttled)?;
    Ok(user)
}
