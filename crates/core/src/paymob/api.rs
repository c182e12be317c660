//! Authorised requests to Paymob's API: the Bearer token from the cache, one repeat with a
//! fresh token after a 401 (a 401 means the request was not processed), and the plain
//! reading of JSON answers shared by the read endpoints.

use std::sync::Arc;

use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::Method;
use serde_json::Value;

use super::inner::Inner;
use super::token;
use crate::failure::Failure;
use crate::transport::classify::{
    failure_from_response, failure_from_send_error, malformed_answer,
};
use crate::transport::{Body, Provider, Request, Response, Safety, SendError};
use crate::CallResult;

/// One API call, described once and sent once or twice.
pub(crate) struct ApiCall<'a> {
    pub method: Method,
    pub path: &'static str,
    pub body: Option<bytes::Bytes>,
    pub safety: Safety,
    pub reference: Option<&'a str>,
}

impl ApiCall<'_> {
    pub fn new(method: Method, path: &'static str, body: Option<Value>, safety: Safety) -> Self {
        ApiCall {
            method,
            path,
            // Serialising a `Value` cannot fail.
            body: body.map(|b| serde_json::to_vec(&b).unwrap_or_default().into()),
            safety,
            reference: None,
        }
    }
}

/// What happened to a call.
pub(crate) enum Outcome {
    Answer(Response),
    NoAnswer(SendError),
    /// No token could be had (after a 401, possibly with an earlier attempt delivered).
    NoToken(Failure),
}

pub(crate) struct Exchange {
    pub outcome: Outcome,
    pub attempts: u32,
    /// Some attempt before the last one may have been processed by Paymob.
    pub earlier_maybe_delivered: bool,
}

fn request(inner: &Inner, call: &ApiCall<'_>, token: &str) -> Result<Request, Failure> {
    let mut auth = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
        Failure::new(
            crate::failure::FailureKind::HttpError,
            "Paymob issued an access token that cannot be sent in a header",
        )
    })?;
    auth.set_sensitive(true);
    Ok(Request {
        method: call.method.clone(),
        url: inner.opts.base_url.join(call.path),
        path: call.path.to_owned(),
        headers: vec![(AUTHORIZATION, auth)],
        body: match &call.body {
            Some(b) => Body::Json(b.clone()),
            None => Body::Empty,
        },
        safety: call.safety,
        reference_id: call.reference.map(str::to_owned),
        expect_json: true,
    })
}

/// The exchange of a call that was never sent: it had no token or no request to send.
fn unsent(f: Failure, call: &ApiCall<'_>) -> Exchange {
    Exchange {
        outcome: Outcome::NoToken(f.with_reference(call.reference).for_account()),
        attempts: 0,
        earlier_maybe_delivered: false,
    }
}

async fn send_with(inner: &Inner, call: &ApiCall<'_>, token: &Arc<str>) -> Exchange {
    let req = match request(inner, call, token) {
        Ok(r) => r,
        Err(f) => return unsent(f, call),
    };
    let sent = inner.transport.send(req, &inner.secrets).await;
    let attempts = sent.attempts;
    let earlier_maybe_delivered = sent.retried_after_uncertainty();
    Exchange {
        outcome: match sent.result {
            Ok(r) => Outcome::Answer(r),
            Err(e) => Outcome::NoAnswer(e),
        },
        attempts,
        earlier_maybe_delivered,
    }
}

/// Send `call` with a Bearer token; after a 401, renew the token and send it once more.
pub(crate) async fn send_authorized(inner: &Inner, call: &ApiCall<'_>) -> Exchange {
    let token = match token::access_token(inner).await {
        Ok(t) => t,
        Err(f) => return unsent(f, call),
    };
    let first = send_with(inner, call, &token).await;
    if !matches!(&first.outcome, Outcome::Answer(r) if r.status == 401) {
        return first;
    }
    inner.tokens.invalidate(&token);
    let token = match token::access_token(inner).await {
        Ok(t) => t,
        Err(f) => {
            return Exchange {
                outcome: Outcome::NoToken(f.with_reference(call.reference).for_account()),
                ..first
            }
        }
    };
    let second = send_with(inner, call, &token).await;
    Exchange {
        outcome: second.outcome,
        attempts: first.attempts + second.attempts,
        earlier_maybe_delivered: first.earlier_maybe_delivered || second.earlier_maybe_delivered,
    }
}

/// A 2xx JSON answer as the result; anything else as the failure it is.
pub(crate) fn json_result(inner: &Inner, ex: Exchange, reference: Option<&str>) -> CallResult {
    match ex.outcome {
        Outcome::Answer(mut r) if (200..300).contains(&r.status) => r
            .take_json()
            .ok_or_else(|| malformed_answer(Provider::Paymob, &r, reference, ex.attempts)),
        Outcome::Answer(r) => Err(failure_from_response(
            Provider::Paymob,
            &r,
            reference,
            &inner.secrets,
            ex.attempts,
        )),
        Outcome::NoAnswer(e) => Err(failure_from_send_error(
            Provider::Paymob,
            &e,
            reference,
            ex.attempts,
            false,
        )),
        Outcome::NoToken(f) => Err(f),
    }
}

/// Send a read (or the Aman cancel) and return its JSON answer.
pub(crate) async fn read_json(inner: &Inner, call: &ApiCall<'_>) -> CallResult {
    let ex = send_authorized(inner, call).await;
    let mut result = json_result(inner, ex, call.reference);
    if let Err(f) = &mut result {
        // Reads are safe to repeat; the Aman cancel only if nothing may have arrived.
        f.retryable |= call.safety == Safety::Read
            && matches!(
                f.kind,
                crate::failure::FailureKind::Timeout | crate::failure::FailureKind::NetworkError
            );
    }
    result
}
