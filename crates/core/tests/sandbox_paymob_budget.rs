//! The Paymob budget set at run time, through `/_sandbox/` and through the state the addon
//! uses (the MoMo controls are in `sandbox_momo/controls.rs`).

// Test code: failing loudly is the point (clippy.toml allows this only inside #[test] fns).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mobilemoney_core::sandbox::{Sandbox, SandboxOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

mod common;

async fn control(sb: &Sandbox, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let http = reqwest::Client::new();
    let url = format!("{}/_sandbox{path}", sb.url());
    let req = match body {
        Some(b) => http.post(url).json(&b),
        None => http.get(url),
    };
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn paymob_token(sb: &Sandbox, http: &reqwest::Client) -> String {
    let v = common::paymob_password_grant(http, sb).await;
    v["access_token"].as_str().unwrap().to_owned()
}

async fn cashin(sb: &Sandbox, http: &reqwest::Client, token: &str, amount: f64) -> Value {
    let request = http
        .post(format!("{}/api/secure/disburse/", sb.url()))
        .bearer_auth(token)
        .json(&json!({ "issuer": "vodafone", "msisdn": "01023456789", "amount": amount }));
    common::send_json(request).await
}

#[tokio::test]
async fn paymob_budget_runs_out_and_is_topped_up() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let http = reqwest::Client::new();
    let token = paymob_token(&sb, &http).await;

    let (status, v) = control(&sb, "/paymob/budget", Some(json!({ "amount": 100.5 }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, json!({ "amount": 100.5, "currency": "EGP" }));
    assert_eq!(cashin(&sb, &http, &token, 60.0).await["status_code"], "200");
    // Short: Paymob's budget refusal (HTTP 400, its English sentence), nothing recorded.
    let refused = cashin(&sb, &http, &token, 60.0).await;
    assert_eq!(refused["status_code"], "400");
    assert_eq!(refused["disbursement_status"], "failed");
    assert!(refused["status_description"]
        .as_str()
        .unwrap()
        .contains("exceeds you budget"));
    assert_eq!(sb.state().ledger_json().as_array().unwrap().len(), 1);

    sb.state().paymob.set_budget(500.0);
    assert_eq!(cashin(&sb, &http, &token, 60.0).await["status_code"], "200");
    assert_eq!(
        control(&sb, "/paymob/budget", None).await.1,
        json!({ "amount": 440.0, "currency": "EGP" })
    );
    let (status, _) = control(&sb, "/paymob/budget", Some(json!({ "amount": -5 }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
