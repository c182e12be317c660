//! Reading a disbursement body. Paymob reports business failures with HTTP 200, so the
//! result is decided by `disbursement_status`, never by the HTTP status alone.

use serde_json::Value;

use crate::failure::{Failure, FailureKind};
use crate::secrets::Secrets;
use crate::CallResult;

/// The provider's `status_code`, a string in practice (a number is accepted too).
pub(crate) fn status_code(body: &Value) -> Option<String> {
    match body.get("status_code") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// `status_description` when it is text (it is an object for validation errors).
fn description(body: &Value) -> Option<String> {
    body.get("status_description")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(200).collect())
}

/// A transaction object (from `disburse/` or an inquiry) as the call's result.
/// `successful`/`success` and `pending` are results; `failed`, `rejected` and `returned`
/// are `ProviderError`s; `unknown` (and anything unrecognised) is `UnknownOutcome`.
pub(crate) fn classify(
    mut body: Value,
    reference: &str,
    http_status: u16,
    attempts: u32,
    secrets: &Secrets,
) -> CallResult {
    let status = body
        .get("disbursement_status")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let code = status_code(&body);
    let detail = {
        let mut d = status.clone();
        if let Some(c) = &code {
            d.push_str(&format!(" {c}"));
        }
        if let Some(text) = description(&body) {
            d.push_str(&format!(": {text}"));
        }
        d
    };
    let (kind, message, retryable) = match status.as_str() {
        "successful" | "success" | "pending" => {
            if let Value::Object(m) = &mut body {
                m.insert("clientReferenceId".into(), reference.into());
            }
            return Ok(body);
        }
        // Newer servers are said to answer the budget error with HTTP 200.
        "failed" if code.as_deref() == Some("400") => (
            FailureKind::InvalidData,
            format!("Paymob refused the payout ({detail})"),
            false,
        ),
        "failed" | "rejected" | "returned" => (
            FailureKind::ProviderError,
            format!("Paymob did not pay out ({detail})"),
            false,
        ),
        _ => (
            FailureKind::UnknownOutcome,
            format!(
                "Paymob has not established the payout's outcome ({}); look the reference up later with transactionInquiry — repeating the call with the same clientReferenceId cannot pay twice",
                if detail.is_empty() { "no disbursement_status" } else { detail.as_str() }
            ),
            true,
        ),
    };
    secrets.redact_json(&mut body);
    let mut f = Failure::new(kind, secrets.redact_str(&message))
        .with_status(http_status)
        .with_body(body)
        .with_reference(Some(reference))
        .retryable(retryable);
    f.code = code;
    f.attempts = attempts;
    Err(f)
}

/// The transaction for `reference` in an inquiry answer (`{count, results: [...]}`).
pub(crate) fn find_transaction(answer: &Value, reference: &str) -> Option<Value> {
    let matches = |t: &&Value| {
        [
            "client_transaction_reference",
            "client_reference_id",
            "transaction_id",
        ]
        .iter()
        .any(|k| {
            t.get(*k)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(reference))
        })
    };
    answer
        .get("results")
        .and_then(Value::as_array)
        .and_then(|r| r.iter().find(matches))
        .cloned()
}

/// The first field error of a validation body (`status_description: {field: [msg]}`), with
/// the field in the caller's camelCase.
pub(crate) fn first_field_error(body: &Value) -> Option<(String, String)> {
    let errors = body.get("status_description")?.as_object()?;
    let (field, messages) = errors.iter().next()?;
    let message = match messages {
        Value::Array(a) => a.first()?.as_str()?.to_owned(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    Some((camel_case(field), message))
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statuses() {
        let s = Secrets::default();
        // An HTTP 200 answer to the first attempt, reference "r", with these two statuses.
        let answer = |status: &str, code: &str| {
            let body = json!({"disbursement_status": status, "status_code": code});
            classify(body, "r", 200, 1, &s)
        };
        let ok = answer("success", "200").unwrap();
        assert_eq!(ok["clientReferenceId"], "r");
        let f = answer("failed", "618").unwrap_err();
        assert_eq!(
            (f.kind, f.code.as_deref(), f.retryable),
            (FailureKind::ProviderError, Some("618"), false)
        );
        let f = answer("unknown", "408").unwrap_err();
        assert_eq!((f.kind, f.retryable), (FailureKind::UnknownOutcome, true));
        assert_eq!(f.reference_id.as_deref(), Some("r"));
        let f = answer("failed", "400").unwrap_err();
        assert_eq!(f.kind, FailureKind::InvalidData);
    }

    #[test]
    fn field_errors() {
        let b = json!({"status_description": {"bank_card_number": ["Invalid."]}});
        assert_eq!(
            first_field_error(&b),
            Some(("bankCardNumber".to_owned(), "Invalid.".to_owned()))
        );
    }
}
