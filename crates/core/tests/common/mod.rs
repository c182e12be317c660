//! What the MoMo and sandbox test crates share (`mod common;` in each).

// Test code: failing loudly is the point (clippy.toml allows this only inside #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Each test crate uses its own part of this module.
#![allow(dead_code)]

use mobilemoney_core::sandbox::faults::{FaultKind, FaultRule};
use mobilemoney_core::sandbox::Sandbox;
use serde_json::{json, Value};

/// The subscription key the sandbox accepts by default.
pub const KEY: &str = "test-subscription-key";

/// A new sandbox API user (`POST /v1_0/apiuser`, with `providerCallbackHost` when given)
/// and its key: `(user, key)`. Both requests must answer 201.
pub async fn provision(http: &reqwest::Client, base: &str, host: Option<&str>) -> (String, String) {
    let user = uuid::Uuid::new_v4().to_string();
    let body = match host {
        Some(h) => json!({ "providerCallbackHost": h }),
        None => json!({}),
    };
    let r = http
        .post(format!("{base}/v1_0/apiuser"))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .header("X-Reference-Id", &user)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r = http
        .post(format!("{base}/v1_0/apiuser/{user}/apikey"))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let key = r.json::<Value>().await.unwrap()["apiKey"]
        .as_str()
        .unwrap()
        .to_owned();
    (user, key)
}

/// A Paymob password grant, the credentials as form fields, with the sandbox's own
/// credentials: the token endpoint's JSON answer.
pub async fn paymob_password_grant(http: &reqwest::Client, sb: &Sandbox) -> Value {
    let o = &sb.state().options.paymob;
    let grant = http
        .post(format!("{}/api/secure/o/token/", sb.url()))
        .form(&[
            ("grant_type", "password"),
            ("username", o.username.as_str()),
            ("password", o.password.as_str()),
            ("client_id", o.client_id.as_str()),
            ("client_secret", o.client_secret.as_str()),
        ]);
    send_json(grant).await
}

/// Sends `request`; the JSON of its answer, whatever the status.
pub async fn send_json(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// A fault for the next `times` requests whose path contains `path` (of any provider; of
/// any method unless `method` names one), answered at once.
pub fn fault_rule(kind: FaultKind, method: Option<&str>, path: &str, times: u32) -> FaultRule {
    FaultRule {
        kind,
        provider: None,
        method: method.map(Into::into),
        path: Some(path.into()),
        times,
        delay_ms: None,
        retry_after_seconds: None,
    }
}
