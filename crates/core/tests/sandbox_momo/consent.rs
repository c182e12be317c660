//! The consent flow of each product: bc-authorize, the OAuth2 token, userinfo.

use super::*;

async fn bc_authorize(env: &Env, product: &str, msisdn: &str) -> (StatusCode, Value) {
    let hint = format!("ID:{msisdn}/MSISDN");
    let form = [
        ("scope", "profile"),
        ("login_hint", hint.as_str()),
        ("access_type", "offline"),
    ];
    post_form(env, &format!("/{product}/v1_0/bc-authorize"), &form).await
}

async fn oauth2_token(env: &Env, product: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    post_form(env, &format!("/{product}/oauth2/token/"), form).await
}

/// POSTs `form` to `path` as the provisioned API user: the status, and the JSON answer
/// (null when it is not JSON).
async fn post_form(env: &Env, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let r = env
        .http
        .post(env.url(path))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .header("X-Target-Environment", "sandbox")
        .basic_auth(&env.user, Some(&env.key))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

const CIBA: &str = "urn:openid:params:grant-type:ciba";

#[tokio::test]
async fn consent_gives_a_token_for_userinfo_in_every_product() {
    let env = Env::start(opts()).await;
    for product in ["collection", "disbursement", "remittance"] {
        let (code, auth) = bc_authorize(&env, product, &msisdn(99)).await;
        assert_eq!(code, StatusCode::OK, "{product}: {auth}");
        let auth_req_id = auth["auth_req_id"].as_str().unwrap().to_owned();
        assert!(auth["interval"].is_number() && auth["expires_in"].is_number());
        let (code, token) = oauth2_token(
            &env,
            product,
            &[("grant_type", CIBA), ("auth_req_id", &auth_req_id)],
        )
        .await;
        assert_eq!(code, StatusCode::OK, "{token}");
        assert_eq!(
            (token["token_type"].as_str(), token["scope"].as_str()),
            (Some("Bearer"), Some("profile"))
        );
        let access = token["access_token"].as_str().unwrap();
        let (code, info) = env
            .get_json_as(access, &format!("/{product}/oauth2/v1_0/userinfo"))
            .await;
        assert_eq!(
            (code, info["given_name"].as_str()),
            (StatusCode::OK, Some("Sand"))
        );
        let refresh = token["refresh_token"].as_str().unwrap();
        let (code, again) = oauth2_token(
            &env,
            product,
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
        )
        .await;
        assert_eq!(code, StatusCode::OK);
        assert_ne!(again["access_token"], token["access_token"]);
        // The request belongs to its product.
        let other = if product == "collection" {
            "remittance"
        } else {
            "collection"
        };
        let (code, v) = oauth2_token(
            &env,
            other,
            &[("grant_type", CIBA), ("auth_req_id", &auth_req_id)],
        )
        .await;
        assert_eq!(
            (code, v["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_grant"))
        );
    }
}

#[tokio::test]
async fn consent_test_numbers() {
    let env = Env::start(opts()).await;
    assert_eq!(
        bc_authorize(&env, "collection", &msisdn(50)).await.0,
        StatusCode::NOT_FOUND
    );
    for (n, error) in [
        (51, "access_denied"),
        (52, "authorization_pending"),
        (53, "expired_token"),
    ] {
        let (_, auth) = bc_authorize(&env, "collection", &msisdn(n)).await;
        let id = auth["auth_req_id"].as_str().unwrap();
        let (code, v) = oauth2_token(
            &env,
            "collection",
            &[("grant_type", CIBA), ("auth_req_id", id)],
        )
        .await;
        assert_eq!(
            (code, v["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some(error))
        );
    }
    let (code, v) = oauth2_token(&env, "collection", &[("grant_type", "password")]).await;
    assert_eq!(
        (code, v["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_grant_type"))
    );
    // bc-authorize also takes a bearer token (as in MTN's notebook); no login hint is a 400.
    let token = env.token_for("collection").await;
    let r = env
        .request_as(&token, Method::POST, "/collection/v1_0/bc-authorize")
        .form(&[
            ("scope", "profile"),
            ("login_hint", "ID:46733123499/MSISDN"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = env
        .request_as(&token, Method::POST, "/collection/v1_0/bc-authorize")
        .form(&[("scope", "profile")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}
