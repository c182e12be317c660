//! Turning what came back (or did not) into a [`Failure`], the same way for both providers.

use serde_json::Value;

use super::response::Response;
use super::retry::{is_transient_status, retry_after};
use super::sent::SendError;
use crate::failure::{Failure, FailureKind};
use crate::secrets::Secrets;

/// Which provider answered: decides the 5xx kind and the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Momo,
    Paymob,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::Momo => "MTN MoMo",
            Provider::Paymob => "Paymob",
        }
    }
}

/// The provider's reason code in any of the body shapes they use.
pub fn body_code(body: &Value) -> Option<String> {
    ["code", "status_code", "error"]
        .iter()
        .find_map(|k| match body.get(*k) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
}

/// The provider's own human text, when it sent one as a string.
fn body_message(body: &Value) -> Option<String> {
    [
        "message",
        "status_description",
        "error_description",
        "detail",
    ]
    .iter()
    .find_map(|k| body.get(*k).and_then(Value::as_str))
    .map(|s| s.chars().take(200).collect())
}

/// A non-2xx answer (or a 2xx the caller rejects) as a failure, secrets redacted.
pub fn failure_from_response(
    provider: Provider,
    resp: &Response,
    reference: Option<&str>,
    secrets: &Secrets,
    attempts: u32,
) -> Failure {
    let mut body = resp.body_value();
    secrets.redact_json(&mut body);
    let code = body_code(&body);
    let kind = FailureKind::for_status(resp.status, provider == Provider::Momo);
    let mut message = format!("{} answered HTTP {}", provider.name(), resp.status);
    if let Some(c) = &code {
        message.push_str(&format!(" ({c})"));
    }
    if let Some(m) = body_message(&body) {
        message.push_str(": ");
        message.push_str(&m);
    }
    let retryable = resp.status == 429 || is_transient_status(resp);
    let mut f = Failure::new(kind, secrets.redact_str(&message))
        .with_status(resp.status)
        .with_reference(reference)
        .retryable(retryable);
    f.code = code;
    if !body.is_null() {
        f.body = Some(body);
    }
    f.request_id = resp.request_id();
    f.attempts = attempts;
    f.retry_after = retry_after(resp);
    f
}

/// No complete answer. `repeatable` says whether sending the same call again is safe.
pub fn failure_from_send_error(
    provider: Provider,
    err: &SendError,
    reference: Option<&str>,
    attempts: u32,
    repeatable: bool,
) -> Failure {
    let (kind, message) = match err {
        SendError::Timeout { .. } => (
            FailureKind::Timeout,
            format!("{} did not answer within the timeout", provider.name()),
        ),
        SendError::Network { detail, .. } => (
            FailureKind::NetworkError,
            format!("{}: {detail}", provider.name()),
        ),
    };
    let mut f = Failure::new(kind, message)
        .with_reference(reference)
        .retryable(repeatable || !err.maybe_delivered());
    f.attempts = attempts;
    f
}

/// A 2xx whose body is not the JSON it should be.
pub fn malformed_answer(
    provider: Provider,
    resp: &Response,
    reference: Option<&str>,
    attempts: u32,
) -> Failure {
    let mut f = Failure::new(
        FailureKind::NetworkError,
        format!(
            "{} answered HTTP {} with a body that is not valid JSON",
            provider.name(),
            resp.status
        ),
    )
    .with_status(resp.status)
    .with_reference(reference)
    .retryable(true);
    f.attempts = attempts;
    f
}
