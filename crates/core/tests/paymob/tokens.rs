//! Tokens: generate, refresh with rotation, renewal before expiry, the repeat after a
//! 401, the stop after a refused login, and the lockout.

use std::time::Duration;

use mobilemoney_core::{Arg, FailureKind};
use serde_json::json;

use super::support::*;

#[tokio::test]
async fn generate_then_refresh_rotates_the_refresh_token() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({}));
    let first = ok(p.generate_token().await);
    assert_eq!(first["token_type"], "Bearer");
    assert_eq!(first["expires_in"], 3600);
    assert_eq!(first["scope"], "read write");
    let old_refresh = first["refresh_token"].as_str().unwrap().to_owned();
    let old_access = first["access_token"].as_str().unwrap().to_owned();

    let second = ok(p.refresh_token(Arg::Undefined).await);
    assert_ne!(second["access_token"].as_str().unwrap(), old_access);
    assert_ne!(second["refresh_token"].as_str().unwrap(), old_refresh);

    // The old refresh token was revoked by the rotation; the failure never shows it.
    let f = err(
        p.refresh_token(Arg::from(old_refresh.as_str())).await,
        FailureKind::InvalidData,
    );
    assert_eq!(
        (f.status, f.code.as_deref()),
        (Some(400), Some("invalid_grant"))
    );
    let shown = f.to_json().to_string();
    assert!(
        !shown.contains(&old_refresh) && !shown.contains(&old_access),
        "{shown}"
    );

    // The rotated token is the cached one: the next call needs no new grant.
    assert!(balance(&p).await > 0.0);
    assert_eq!(stat(&sb, "paymobTokenRequests"), 3);

    let refreshed_with_given = ok(p
        .refresh_token(Arg::from(second["refresh_token"].as_str().unwrap()))
        .await);
    assert!(refreshed_with_given["access_token"].is_string());
    let f = err(
        p.refresh_token(Arg::Number(5.0)).await,
        FailureKind::InvalidData,
    );
    assert_eq!(f.field.as_deref(), Some("refreshToken"));
}

#[tokio::test]
async fn refresh_without_any_token_is_refused_locally() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({}));
    let f = err(p.refresh_token(Arg::Null).await, FailureKind::InvalidData);
    assert_eq!(f.field.as_deref(), Some("refreshToken"));
    assert_eq!(stat(&sb, "paymobRequests"), 0);
}

#[tokio::test]
async fn a_token_near_expiry_is_renewed_with_the_refresh_grant() {
    let sb = sandbox(|o| o.token_ttl_seconds = 2).await;
    let p = client(&sb, json!({}));
    ok(p.instant_cashin(wallet("vodafone", VODAFONE_OK, 10.0))
        .await);
    // Renewed a fifth of its life early: at 1.6 s.
    tokio::time::sleep(Duration::from_millis(1700)).await;
    ok(p.instant_cashin(wallet("vodafone", VODAFONE_OK, 10.0))
        .await);
    assert_eq!(grant_types(&sb), ["password", "refresh_token"]);
    let grants = requests_to(&sb, "/o/token/");
    // Sent with HTTP Basic client authentication, as a form.
    assert_eq!(grants[0]["headers"]["authorization"], "Basic [redacted]");
    assert_eq!(
        grants[0]["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(ledger(&sb).len(), 2);
}

#[tokio::test]
async fn the_sandbox_refuses_expired_tokens_and_json_token_requests() {
    let sb = sandbox(|o| o.token_ttl_seconds = 1).await;
    let d = sb.state().options.paymob.clone();
    let http = reqwest::Client::new();
    let token_url = format!("{}/api/secure/o/token/", sb.url());
    // Client credentials as form fields work too (the official Postman collection).
    let t = crate::common::paymob_password_grant(&http, &sb).await;
    assert_eq!(t["expires_in"], 1);
    let access = t["access_token"].as_str().unwrap();
    let budget_url = format!("{}/api/secure/budget/inquire/", sb.url());
    let budget = || http.get(&budget_url).bearer_auth(access).send();
    assert_eq!(budget().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = budget().await.unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"disbursement_status": "failed", "status_code": "401",
               "status_description": "Authentication credentials were not provided."})
    );
    let r = http
        .post(&token_url)
        .basic_auth(&d.client_id, Some(&d.client_secret))
        .json(&json!({"grant_type": "password", "username": d.username, "password": d.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn a_revoked_token_is_renewed_once_after_a_401_falling_back_to_the_password() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({}));
    let t = ok(p.generate_token().await);
    // Someone else uses the instance's refresh token: its access and refresh tokens die.
    let d = &sb.state().options.paymob;
    let resp = reqwest::Client::new()
        .post(format!("{}/api/secure/o/token/", sb.url()))
        .basic_auth(&d.client_id, Some(&d.client_secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", t["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    assert!(balance(&p).await > 0.0);
    // 401, then: refresh refused (invalid_grant), password grant, and the repeat.
    let budget_calls = requests_to(&sb, "/budget/inquire/");
    assert_eq!(budget_calls.len(), 2);
    let grants = grant_types(&sb);
    assert_eq!(grants.len(), 4);
    assert_eq!(grants[2..], ["refresh_token", "password"]);
}

#[tokio::test]
async fn a_refused_login_stops_automatic_logins_and_five_failures_lock_the_user() {
    let sb = sandbox(|_| {}).await;
    let secret_password = "wrong-password-1234";
    let bad = client(&sb, json!({ "password": secret_password }));

    let f = err(
        bad.instant_cashin(wallet("vodafone", VODAFONE_OK, 10.0))
            .await,
        FailureKind::Unauthorized,
    );
    assert_eq!(f.code.as_deref(), Some("invalid_grant"));
    assert!(f.reference_id.is_some());
    assert!(!f.to_json().to_string().contains(secret_password));
    assert_eq!(stat(&sb, "paymobRequests"), 1);

    // No more login attempts on their own: nothing is sent.
    for _ in 0..3 {
        let f = err(bad.budget_inquiry().await, FailureKind::Unauthorized);
        assert!(f.message.contains("generateToken()"), "{}", f.message);
    }
    assert_eq!(stat(&sb, "paymobRequests"), 1);

    // Explicit attempts are the caller's choice; the fifth failure locks the user.
    for _ in 0..4 {
        let f = err(bad.generate_token().await, FailureKind::InvalidData);
        assert_eq!(f.code.as_deref(), Some("invalid_grant"));
    }
    assert_eq!(stat(&sb, "paymobTokenRequests"), 5);
    let good = client(&sb, json!({}));
    let f = err(good.generate_token().await, FailureKind::Forbidden);
    assert_eq!(f.status, Some(403));
    assert!(f.message.contains("Account locked"), "{}", f.message);

    let d = bad.describe().to_string();
    assert!(
        !d.contains(secret_password) && !d.contains("sandbox-client-secret"),
        "{d}"
    );
    assert!(d.contains("*************t-id"), "{d}");
}

#[tokio::test]
async fn a_wrong_client_secret_is_unauthorized() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({ "clientSecret": "not-the-secret" }));
    let f = err(p.generate_token().await, FailureKind::Unauthorized);
    assert_eq!(
        (f.status, f.code.as_deref()),
        (Some(401), Some("invalid_client"))
    );
    assert!(!f.to_json().to_string().contains("not-the-secret"));
}

#[tokio::test]
async fn invalid_options_resolve_every_call_with_the_failure() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({ "baseUrl": "http://example.com/api/secure/" }));
    for f in [
        p.generate_token().await.unwrap_err(),
        p.budget_inquiry().await.unwrap_err(),
        p.instant_cashin(wallet("vodafone", VODAFONE_OK, 1.0))
            .await
            .unwrap_err(),
        p.transaction_inquiry(Arg::Null).await.unwrap_err(),
        p.cancel_aman_transaction(Arg::Null).await.unwrap_err(),
        p.refresh_token(Arg::Null).await.unwrap_err(),
    ] {
        assert_eq!(f.kind, FailureKind::InvalidData);
        assert_eq!(f.field.as_deref(), Some("baseUrl"));
    }
    assert!(p.describe()["invalidOptions"].is_string());
    let missing =
        mobilemoney_core::paymob::PaymobPayouts::new(&req(json!({"clientId": "x"})), None);
    let f = missing.generate_token().await.unwrap_err();
    assert_eq!(f.field.as_deref(), Some("clientSecret"));
    assert_eq!(stat(&sb, "paymobRequests"), 0);
}
