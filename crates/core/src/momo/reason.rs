//! `reason` on transaction results: the live sandbox sends a bare string, the spec an
//! object. Callers always get `{ code, message }`.

use serde_json::{json, Value};

/// MTN's documented wording for each reason code.
pub fn message_for(code: &str) -> &'static str {
    match code {
        "PAYEE_NOT_FOUND" => "Payee does not exist.",
        "PAYER_NOT_FOUND" => "Payer does not exist.",
        "NOT_ALLOWED" => "Authorization failed. Insufficient permissions.",
        "NOT_ALLOWED_TARGET_ENVIRONMENT" => "Access to target environment is forbidden.",
        "INVALID_CALLBACK_URL_HOST" => "Callback URL does not match the configured value.",
        "INVALID_CURRENCY" => "Currency not supported.",
        "SERVICE_UNAVAILABLE" => "Service temporarily unavailable.",
        "INTERNAL_PROCESSING_ERROR" => "An internal error occurred while processing.",
        "NOT_ENOUGH_FUNDS" => "The payer does not have enough funds.",
        "PAYER_LIMIT_REACHED" => "The payer's limit has been breached.",
        "PAYEE_NOT_ALLOWED_TO_RECEIVE" => "The payee is not allowed to receive funds.",
        "PAYMENT_NOT_APPROVED" => "The payment was not approved.",
        "RESOURCE_NOT_FOUND" => "Requested resource was not found.",
        "APPROVAL_REJECTED" => "The approval was rejected.",
        "EXPIRED" => "The request expired.",
        "TRANSACTION_CANCELED" => "The transaction was canceled.",
        "RESOURCE_ALREADY_EXIST" => "Duplicated reference id. Creation of resource failed.",
        "COULD_NOT_PERFORM_TRANSACTION" => "The transaction could not be performed.",
        "SENDER_ACCOUNT_NOT_ACTIVE" => "The sender account is not active.",
        "TRANSACTION_NOT_FOUND" => "The transaction was not found.",
        _ => "The transaction failed.",
    }
}

/// Rewrite `result.reason` in place as `{ code, message }`.
pub fn normalise(result: &mut Value) {
    let Some(obj) = result.as_object_mut() else {
        return;
    };
    let normalised = match obj.get("reason") {
        Some(Value::String(code)) => Some(json!({ "code": code, "message": message_for(code) })),
        Some(Value::Object(r)) => {
            let code = r
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or("UNKNOWN")
                .to_owned();
            let message = r
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| message_for(&code).to_owned());
            Some(json!({ "code": code, "message": message }))
        }
        _ => None,
    };
    if let Some(r) = normalised {
        obj.insert("reason".into(), r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_become_objects() {
        let mut a = json!({"status": "FAILED", "reason": "APPROVAL_REJECTED"});
        normalise(&mut a);
        assert_eq!(
            a["reason"],
            json!({"code": "APPROVAL_REJECTED", "message": "The approval was rejected."})
        );
        let mut b = json!({"status": "FAILED", "reason": {"code": "EXPIRED"}});
        normalise(&mut b);
        assert_eq!(b["reason"]["message"], "The request expired.");
        let mut c = json!({"status": "SUCCESSFUL"});
        normalise(&mut c);
        assert!(c.get("reason").is_none());
    }
}
