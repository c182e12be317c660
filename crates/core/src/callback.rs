//! Callback bodies, parsed and normalised: MoMo's (either `reason` shape) and Paymob's.
//!
//! Neither provider signs its callbacks, so a callback is a hint: confirm it by looking
//! the reference up before changing state (docs/momo.md's listener example does).

use serde_json::{json, Map, Value};

use crate::failure::Failure;
use crate::input::Arg;
use crate::momo::reason;

fn header(headers: &Arg, name: &str) -> Option<String> {
    let Arg::Json(Value::Object(map)) = headers else {
        return None;
    };
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned)
}

fn body_object(body: &Arg) -> Result<Map<String, Value>, Failure> {
    let value = match body {
        Arg::String(s) => serde_json::from_str::<Value>(s)
            .map_err(|_| Failure::invalid("body", "the callback body is not JSON"))?,
        Arg::Json(v) => v.clone(),
        other => return Err(not_a_body(other.type_name())),
    };
    match value {
        Value::Object(m) => Ok(m),
        _ => Err(Failure::invalid(
            "body",
            "the callback body must be a JSON object",
        )),
    }
}

/// What a callback body that is neither a JSON string nor an object fails with; `got`
/// names its type.
pub fn not_a_body(got: &str) -> Failure {
    Failure::invalid(
        "body",
        format!("the callback body must be a JSON string or an object, got {got}"),
    )
}

/// [`parse`] of a body's raw text, without headers.
pub fn parse_text(text: &str) -> Result<Value, Failure> {
    parse(&Arg::from(text), &Arg::Undefined)
}

/// [`parse`] of a body already parsed (it must be an object), without headers.
pub fn parse_value(body: &Value) -> Result<Value, Failure> {
    parse(&Arg::Json(body.clone()), &Arg::Undefined)
}

/// `{ provider, status, referenceId?, reason?, body }` from a callback body and,
/// optionally, its headers (MoMo's reference travels in `X-Reference-Id`).
pub fn parse(body: &Arg, headers: &Arg) -> Result<Value, Failure> {
    let obj = body_object(body)?;
    if let Some(status) = obj.get("disbursement_status").and_then(Value::as_str) {
        let reference = obj
            .get("client_transaction_reference")
            .or_else(|| obj.get("client_reference_id"))
            .and_then(Value::as_str);
        let code = obj.get("status_code").map(|c| match c {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let message = match obj.get("status_description") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let mut out = Map::new();
        out.insert("provider".into(), json!("paymob"));
        out.insert("status".into(), json!(status.to_ascii_lowercase()));
        if let Some(r) = reference {
            out.insert("referenceId".into(), json!(r));
        }
        if let Some(c) = code {
            out.insert("reason".into(), json!({ "code": c, "message": message }));
        }
        out.insert("body".into(), Value::Object(obj.clone()));
        return Ok(Value::Object(out));
    }
    let status = obj
        .get("status")
        .and_then(Value::as_str)
        .ok_or_else(|| Failure::invalid("body.status", "not a MoMo or Paymob callback: no status"))?
        .to_ascii_uppercase();
    let mut normalised = Value::Object(obj);
    reason::normalise(&mut normalised);
    let mut out = Map::new();
    out.insert("provider".into(), json!("momo"));
    out.insert("status".into(), json!(status));
    if let Some(r) = normalised.get("reason") {
        out.insert("reason".into(), r.clone());
    }
    // Invoice and payment callbacks carry their reference in the body too.
    let reference = header(headers, "x-reference-id").or_else(|| {
        normalised
            .get("referenceId")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    if let Some(r) = reference {
        out.insert("referenceId".into(), json!(r));
    }
    out.insert("body".into(), normalised);
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn momo_string_reason() {
        let body =
            Arg::String(r#"{"status":"FAILED","reason":"APPROVAL_REJECTED","amount":"5"}"#.into());
        let headers = Arg::Json(json!({"X-Reference-Id": "abc"}));
        let v = parse(&body, &headers).unwrap();
        assert_eq!(v["provider"], "momo");
        assert_eq!(v["reason"]["code"], "APPROVAL_REJECTED");
        assert_eq!(v["referenceId"], "abc");
    }

    #[test]
    fn collection_and_remittance_bodies() {
        let cases = [
            // requesttopay / withdraw: a payer instead of a payee.
            json!({"financialTransactionId":"1","externalId":"e","amount":"5","currency":"EUR",
                "payer":{"partyIdType":"MSISDN","partyId":"46733123451"},"status":"FAILED",
                "reason":{"code":"APPROVAL_REJECTED","message":"rejected"}}),
            // invoice and payment: the reference in the body.
            json!({"referenceId":"r-inv","externalId":"e","amount":"5","currency":"EUR",
                "status":"SUCCESSFUL","invoiceId":"i","paymentReference":"p"}),
            json!({"referenceId":"r-pay","status":"FAILED","financialTransactionId":"f",
                "reason":{"code":"PAYER_NOT_FOUND","message":"m"}}),
            // pre-approval.
            json!({"payer":{"partyIdType":"MSISDN","partyId":"1"},"payerCurrency":"EUR",
                "status":"successful","expirationDateTime":"2026-01-01T00:00:00Z"}),
            // cash transfer: reason is a plain string.
            json!({"amount":"5","currency":"EUR","payee":{"partyIdType":"MSISDN","partyId":"1"},
                "status":"FAILED","reason":"PAYEE_NOT_FOUND","orginatingCountry":"GH"}),
        ];
        let statuses = ["FAILED", "SUCCESSFUL", "FAILED", "SUCCESSFUL", "FAILED"];
        for (body, status) in cases.into_iter().zip(statuses) {
            let v = parse(&Arg::Json(body), &Arg::Undefined).unwrap();
            assert_eq!(v["provider"], "momo");
            assert_eq!(v["status"], status);
        }
        let inv = json!({"referenceId":"r-inv","status":"CREATED"});
        assert_eq!(
            parse(&Arg::Json(inv), &Arg::Undefined).unwrap()["referenceId"],
            "r-inv"
        );
        let cash = json!({"status":"FAILED","reason":"PAYEE_NOT_FOUND"});
        let v = parse(&Arg::Json(cash), &Arg::Undefined).unwrap();
        assert_eq!(v["reason"]["code"], "PAYEE_NOT_FOUND");
    }

    #[test]
    fn paymob_body() {
        let body = Arg::Json(
            json!({"disbursement_status":"pending","status_code":"8000","status_description":"x","client_transaction_reference":"r1"}),
        );
        let v = parse(&body, &Arg::Undefined).unwrap();
        assert_eq!(v["provider"], "paymob");
        assert_eq!(v["status"], "pending");
        assert_eq!(v["reason"]["code"], "8000");
        assert_eq!(v["referenceId"], "r1");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse(&Arg::String("nope".into()), &Arg::Undefined).is_err());
        assert!(parse(&Arg::Number(1.0), &Arg::Undefined).is_err());
    }
}
