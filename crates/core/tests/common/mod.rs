//! What the MoMo and sandbox test crates share (`mod common;` in each).

// Test code: failing loudly is the point (clippy.toml allows this only inside #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

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
