//! Paymob's OAuth grants (`POST o/token/`, form-encoded, client credentials as HTTP Basic).
//!
//! - The password grant is sent at most once per call (`Safety::Once`): five failures lock
//!   the account for 15 minutes. After Paymob refuses it (`invalid_grant`,
//!   `invalid_client`, or a lockout), automatic logins stop until the caller runs
//!   `generateToken()` again.
//! - Renewal uses the refresh grant and stores the rotated refresh token; only when the
//!   refresh token is refused (`invalid_grant`) does it fall back to the password grant.
//! - Token values are registered as secrets of the instance: no failure shows them.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::Method;
use serde_json::Value;

use super::inner::Inner;
use crate::failure::{Failure, FailureKind};
use crate::input::Arg;
use crate::token::Token;
use crate::transport::classify::{failure_from_response, failure_from_send_error};
use crate::transport::{Body, Provider, Request, Safety};
use crate::CallResult;

const TOKEN_PATH: &str = "/o/token/";
/// Paymob's access tokens last an hour.
const DEFAULT_LIFETIME: u64 = 3600;

/// `generateToken()`: the password grant, asked for explicitly (it also lifts the stop
/// after a refused login).
pub(crate) async fn generate(inner: &Inner) -> CallResult {
    let _turn = inner.grant_lock.lock().await;
    *inner.refused.lock() = None;
    let (body, token) = password_grant(inner).await?;
    inner.tokens.store(token);
    Ok(body)
}

/// `refreshToken(refreshToken?)`: the refresh grant with the given or the cached token.
pub(crate) async fn refresh(inner: &Inner, given: &Arg) -> CallResult {
    let given = match given {
        a if a.is_absent() => None,
        Arg::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        other => {
            return Err(Failure::invalid(
                "refreshToken",
                format!(
                    "refreshToken must be a non-empty string when given, got {}",
                    other.type_name()
                ),
            ))
        }
    };
    if let Some(t) = &given {
        inner.secrets.add_token(t);
    }
    let _turn = inner.grant_lock.lock().await;
    let Some(refresh) = given.or_else(|| inner.tokens.refresh_token().map(|r| r.to_string()))
    else {
        return Err(Failure::invalid(
            "refreshToken",
            "no refreshToken was given and none is cached: call generateToken() first",
        ));
    };
    let (body, token) = refresh_grant(inner, &refresh).await?;
    inner.tokens.store(token);
    Ok(body)
}

/// A usable access token: the cached one, or one fetched or renewed by exactly one of the
/// concurrent callers.
pub(crate) async fn access_token(inner: &Inner) -> Result<Arc<str>, Failure> {
    if let Some(f) = refusal(inner) {
        return Err(f);
    }
    inner
        .tokens
        .get(|_| async {
            let _turn = inner.grant_lock.lock().await;
            if let Some(f) = refusal(inner) {
                return Err(f);
            }
            // Read it now, not before the lock: an explicit refresh may have rotated it.
            let Some(refresh) = inner.tokens.refresh_token() else {
                return password_grant(inner).await.map(|(_, t)| t);
            };
            match refresh_grant(inner, &refresh).await {
                Ok((_, t)) => Ok(t),
                Err(f) if f.status == Some(400) && f.code.as_deref() == Some("invalid_grant") => {
                    password_grant(inner).await.map(|(_, t)| t)
                }
                Err(f) => Err(f),
            }
        })
        .await
        .map_err(|mut f| {
            // A refused login makes the call unauthorised, whatever status carried it.
            if f.kind == FailureKind::InvalidData && inner.refused.lock().is_some() {
                f.kind = FailureKind::Unauthorized;
                f.message = format!(
                    "{}; automatic logins are now paused: check the credentials, then call generateToken()",
                    f.message
                );
            }
            f
        })
}

fn refusal(inner: &Inner) -> Option<Failure> {
    let code = inner.refused.lock().clone()?;
    Some(
        Failure::new(
            FailureKind::Unauthorized,
            format!(
                "Paymob refused the login earlier ({code}); automatic logins are paused so that the account is not locked: check clientId, clientSecret, username and password, then call generateToken()"
            ),
        )
        .with_code(code),
    )
}

async fn password_grant(inner: &Inner) -> Result<(Value, Token), Failure> {
    let form = form(&[
        ("grant_type", "password"),
        ("username", &inner.opts.username),
        ("password", &inner.opts.password),
    ]);
    let result = grant(inner, form).await;
    if let Err(f) = &result {
        let refused = matches!(
            (f.status, f.code.as_deref()),
            (Some(400), Some("invalid_grant")) | (Some(401), _) | (Some(403), _)
        );
        if refused {
            let code = f.code.clone().unwrap_or_else(|| {
                f.status
                    .map_or_else(|| "refused".to_owned(), |s| format!("HTTP {s}"))
            });
            *inner.refused.lock() = Some(code);
        }
    }
    result
}

async fn refresh_grant(inner: &Inner, refresh: &str) -> Result<(Value, Token), Failure> {
    inner.secrets.add_token(refresh);
    let form = form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)]);
    let result = grant(inner, form).await;
    if let Err(f) = &result {
        if f.status == Some(401) {
            // The client credentials are wrong: a password grant would fail the same way.
            *inner.refused.lock() = Some(f.code.clone().unwrap_or_else(|| "HTTP 401".into()));
        }
    }
    result
}

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// HTTP Basic with the client id and secret, form-encoded first as RFC 6749 §2.3.1 says.
fn basic(inner: &Inner) -> Result<HeaderValue, Failure> {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let pair = format!(
        "{}:{}",
        enc(&inner.opts.client_id),
        enc(&inner.opts.client_secret)
    );
    let value = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    );
    let mut header = HeaderValue::from_str(&value).map_err(|_| {
        Failure::invalid(
            "clientId",
            "clientId and clientSecret must be printable text",
        )
    })?;
    header.set_sensitive(true);
    Ok(header)
}

async fn grant(inner: &Inner, form: String) -> Result<(Value, Token), Failure> {
    let request = Request {
        method: Method::POST,
        url: inner.opts.base_url.join(TOKEN_PATH),
        path: TOKEN_PATH.to_owned(),
        headers: vec![(AUTHORIZATION, basic(inner)?)],
        body: Body::Form(form),
        safety: Safety::Once,
        reference_id: None,
        expect_json: true,
    };
    let sent = inner.transport.send(request, &inner.secrets).await;
    let response = match sent.result {
        Ok(r) => r,
        Err(e) => {
            return Err(failure_from_send_error(
                Provider::Paymob,
                &e,
                None,
                sent.attempts,
                false,
            ))
        }
    };
    if !(200..300).contains(&response.status) {
        return Err(failure_from_response(
            Provider::Paymob,
            &response,
            None,
            &inner.secrets,
            sent.attempts,
        ));
    }
    let body = response.json().unwrap_or(Value::Null);
    let Some(access) = body.get("access_token").and_then(Value::as_str) else {
        let mut f = Failure::new(
            FailureKind::HttpError,
            format!(
                "Paymob answered HTTP {} to the token request without an access_token",
                response.status
            ),
        )
        .with_status(response.status);
        f.attempts = sent.attempts;
        return Err(f);
    };
    inner.secrets.add_token(access);
    let refresh = body.get("refresh_token").and_then(Value::as_str);
    if let Some(r) = refresh {
        inner.secrets.add_token(r);
    }
    let lifetime = match body.get("expires_in") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .unwrap_or(DEFAULT_LIFETIME)
    .max(1);
    let token = Token {
        access: Arc::from(access),
        refresh: refresh.map(Arc::from),
        lifetime: Duration::from_secs(lifetime),
    };
    Ok((body, token))
}
