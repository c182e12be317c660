//! Provisioning, subscription keys, tokens, and the gates of product calls.

use super::*;

#[tokio::test]
async fn provisioning() {
    let env = Env::start(opts()).await;
    let http = &env.http;
    let user = id();
    let create = |reference: String, body: Value| {
        http.post(env.url("/v1_0/apiuser"))
            .header("Ocp-Apim-Subscription-Key", KEY)
            .header("X-Reference-Id", reference)
            .json(&body)
            .send()
    };
    let r = create(
        user.clone(),
        json!({ "providerCallbackHost": "clinic.com" }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.text().await.unwrap(), "");

    let r = create(user.clone(), json!({ "providerCallbackHost": "x.com" }))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"code":"RESOURCE_ALREADY_EXIST","message":"Duplicated reference id. Creation of resource failed."})
    );

    // A version-1 UUID, and a bad body.
    let v1 = "a8098c1a-f86e-11da-bd1a-00112444be1e".to_owned();
    let r = create(v1, json!({})).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = create(id(), json!({ "providerCallbackHost": 5 }))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let (code, v) = env.get_json(&format!("/v1_0/apiuser/{user}")).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        v,
        json!({"providerCallbackHost":"clinic.com","targetEnvironment":"sandbox"})
    );
    let (code, v) = env.get_json(&format!("/v1_0/apiuser/{}", id())).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert_eq!(v["code"], "RESOURCE_NOT_FOUND");

    let key_of = |u: String| {
        http.post(env.url(&format!("/v1_0/apiuser/{u}/apikey")))
            .header("Ocp-Apim-Subscription-Key", KEY)
            .send()
    };
    let r = key_of(id()).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "RESOURCE_NOT_FOUND"
    );

    let first: Value = key_of(user.clone()).await.unwrap().json().await.unwrap();
    let first = first["apiKey"].as_str().unwrap().to_owned();
    assert_eq!(first.len(), 32);
    assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
    let second: Value = key_of(user.clone()).await.unwrap().json().await.unwrap();
    let second = second["apiKey"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    // The new key replaces the old one.
    let r = env.token_response(&user, &first).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        env.token_response(&user, &second).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn subscription_keys() {
    let mut options = opts();
    options.momo = MomoSandboxOptions {
        subscription_keys: Some(vec![KEY.to_owned()]),
        ..MomoSandboxOptions::default()
    };
    let env = Env::start(options).await;
    let path = "/disbursement/v1_0/account/balance";

    let r = env
        .http
        .get(env.url(path))
        .header("X-Target-Environment", "sandbox")
        .bearer_auth(&env.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["statusCode"], 401);
    assert!(v["message"]
        .as_str()
        .unwrap()
        .contains("missing subscription key"));

    let r = env
        .http
        .get(env.url(path))
        .header("Ocp-Apim-Subscription-Key", "someone-else")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["message"], "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.");

    // Provisioning is behind the gateway too.
    let r = env
        .http
        .post(env.url("/v1_0/apiuser"))
        .header("X-Reference-Id", id())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let (code, _) = env.get_json(path).await;
    assert_eq!(code, StatusCode::OK);
}

#[tokio::test]
async fn tokens() {
    let env = Env::start(opts()).await;
    let (user, key) = env.provision(None).await;
    let r = env.token_response(&user, &key).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "access_token");
    assert_eq!(v["expires_in"], 3600);
    assert_eq!(v["access_token"].as_str().unwrap().split('.').count(), 3);

    for (u, k) in [(user.as_str(), "wrong"), (id().as_str(), key.as_str())] {
        let r = env.token_response(u, k).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            json!({"error":"login_failed"})
        );
    }
    let r = env
        .http
        .post(env.url("/disbursement/token/"))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let r = env
        .http
        .post(env.url("/disbursement/token/"))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .basic_auth(&user, Some(&key))
        .json(&json!({"grant_type": "password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let stats = env.sb.state().stats_json();
    assert_eq!(stats["momoTokenRequests"], 6);
}

#[tokio::test]
async fn bearer_and_target_environment() {
    let mut options = opts();
    options.token_ttl_seconds = 1;
    let env = Env::start(options).await;
    let path = "/disbursement/v1_0/account/balance";
    let with = |auth: Option<&str>, target: &str| {
        let mut r = env
            .http
            .get(env.url(path))
            .header("Ocp-Apim-Subscription-Key", KEY)
            .header("X-Target-Environment", target);
        if let Some(a) = auth {
            r = r.header("Authorization", a.to_owned());
        }
        r.send()
    };
    let bearer = format!("Bearer {}", env.token);
    assert_eq!(
        with(Some(&bearer), "sandbox").await.unwrap().status(),
        StatusCode::OK
    );

    let r = with(Some(&bearer), "mtnuganda").await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"code":"NOT_ALLOWED_TARGET_ENVIRONMENT","message":"Access to target environment is forbidden."})
    );
    for auth in [None, Some("Bearer forged.token.value"), Some("Basic abc")] {
        let r = with(auth, "sandbox").await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(r.json::<Value>().await.unwrap()["statusCode"], 401);
    }
    // token_ttl_seconds: 1.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let r = with(Some(&bearer), "sandbox").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Money POSTs check the reference id before the token.
    let (code, _) = env
        .post_money(
            "/disbursement/v1_0/transfer",
            "not-a-uuid",
            &json!({}),
            None,
        )
        .await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let (code, _) = env
        .post_money("/disbursement/v1_0/transfer", &id(), &json!({}), None)
        .await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn accounts_and_unknown_routes() {
    let env = Env::start(opts()).await;
    let (code, v) = env.get_json("/disbursement/v1_0/account/balance").await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(v, json!({"availableBalance":"10000000","currency":"EUR"}));
    let (code, v) = env.get_json("/disbursement/v1_0/account/balance/EUR").await;
    assert_eq!(
        (code, v["availableBalance"].clone()),
        (StatusCode::OK, json!("10000000"))
    );
    let (code, v) = env.get_json("/disbursement/v1_0/account/balance/USD").await;
    assert_eq!(
        (code, v["code"].clone()),
        (StatusCode::INTERNAL_SERVER_ERROR, json!("INVALID_CURRENCY"))
    );
    let (code, _) = env
        .get_json("/disbursement/v1_0/account/balance/EURO")
        .await;
    assert_eq!(code, StatusCode::BAD_REQUEST);

    let (code, v) = env
        .get_json(&format!(
            "/disbursement/v1_0/accountholder/MSISDN/{}/basicuserinfo",
            msisdn(99)
        ))
        .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        (v["given_name"].clone(), v["family_name"].clone()),
        (json!("Sand"), json!("Box"))
    );
    let (code, v) = env.get_json("/disbursement/oauth2/v1_0/userinfo").await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(v["name"], "Sand Box");
    assert_eq!(v["identification_value"], "S1234567");

    for path in [
        "/disbursement/v1_0/nothing",
        "/disbursement/v9_0/transfer",
        "/nope",
    ] {
        let (code, v) = env.get_json(path).await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(v["code"], "RESOURCE_NOT_FOUND");
    }
    let r = env
        .http
        .delete(env.url("/disbursement/v1_0/transfer"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The fallback at the root leaves the other routers alone.
    let (code, v) = env.get_json("/_sandbox/ledger").await;
    assert_eq!((code, v), (StatusCode::OK, json!([])));
    for path in ["/_sandbox/nothing", "/api/secure/nothing/"] {
        let r = env.get(path).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.text().await.unwrap(), "", "{path}");
    }
}
