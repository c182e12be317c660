//! Sandboxes and clients for the Paymob tests.

use mobilemoney_core::paymob::PaymobPayouts;
use mobilemoney_core::sandbox::options::PaymobSandboxOptions;
use mobilemoney_core::sandbox::{Sandbox, SandboxOptions};
use mobilemoney_core::{Arg, CallResult, Failure, FailureKind};
use serde_json::{json, Value};

pub const VODAFONE_OK: &str = "01023456789";

/// A sandbox with its defaults changed by `tune`.
pub async fn sandbox(tune: impl FnOnce(&mut SandboxOptions)) -> Sandbox {
    let mut o = SandboxOptions {
        paymob: PaymobSandboxOptions {
            inquiry_limit_per_minute: 5,
            ..PaymobSandboxOptions::default()
        },
        ..SandboxOptions::default()
    };
    tune(&mut o);
    Sandbox::start(o).await.unwrap()
}

/// A client of `sb` with the sandbox's credentials, `extra` options merged over them.
pub fn client(sb: &Sandbox, extra: Value) -> PaymobPayouts {
    let d = &sb.state().options.paymob;
    let mut o = json!({
        "clientId": d.client_id,
        "clientSecret": d.client_secret,
        "username": d.username,
        "password": d.password,
        "baseUrl": format!("{}/api/secure/", sb.url()),
        "retryBackoffMs": 10,
    });
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    PaymobPayouts::new(&Arg::Json(o), None)
}

pub fn req(v: Value) -> Arg {
    Arg::Json(v)
}

pub fn wallet(issuer: &str, msisdn: &str, amount: f64) -> Arg {
    req(json!({ "issuer": issuer, "msisdn": msisdn, "amount": amount }))
}

pub fn stat(sb: &Sandbox, name: &str) -> u64 {
    sb.state().stats_json()[name].as_u64().unwrap()
}

/// Requests the sandbox logged whose path ends with `suffix`.
pub fn requests_to(sb: &Sandbox, suffix: &str) -> Vec<Value> {
    sb.state()
        .requests_json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with(suffix))
        .cloned()
        .collect()
}

/// The `grant_type` of each token request the sandbox saw, in order.
pub fn grant_types(sb: &Sandbox) -> Vec<String> {
    requests_to(sb, "/o/token/")
        .iter()
        .map(|g| {
            let body = g["body"].as_str().unwrap();
            let grant = body
                .split('&')
                .find_map(|kv| kv.strip_prefix("grant_type="));
            grant.unwrap().to_owned()
        })
        .collect()
}

pub fn ledger(sb: &Sandbox) -> Vec<Value> {
    sb.state().ledger_json().as_array().unwrap().clone()
}

pub fn ok(r: CallResult) -> Value {
    match r {
        Ok(v) => v,
        Err(f) => panic!("expected success, got {}", f.to_json()),
    }
}

pub fn err(r: CallResult, kind: FailureKind) -> Failure {
    match r {
        Ok(v) => panic!("expected {kind}, got success {v}"),
        Err(f) => {
            assert_eq!(f.kind, kind, "{}", f.to_json());
            f
        }
    }
}

pub async fn balance(p: &PaymobPayouts) -> f64 {
    ok(p.budget_inquiry().await)["current_balance"]
        .as_f64()
        .unwrap()
}
