//! Collection: requests to pay and to withdraw with the payer test numbers, the approval
//! window, delivery notifications, tokens and keys per product; the balance and the
//! ledger. Invoices, pre-approvals and payments are in `collection_v2.rs`.

use super::*;

const RTP: &str = "/collection/v1_0/requesttopay";
const WITHDRAW_V1: &str = "/collection/v1_0/requesttowithdraw";
const WITHDRAW_V2: &str = "/collection/v2_0/requesttowithdraw";

fn pay_body(payer: &str, amount: &str) -> Value {
    let notes = ["pay for order 1", "order 1"];
    money_body("payer", payer, amount, "order-1", notes)
}

/// POST `body` as a new resource with `token`; returns the reference after a 202.
pub async fn create(env: &Env, token: &str, path: &str, body: &Value, cb: Option<&str>) -> String {
    let reference = id();
    let (code, text) = env.post_as(token, path, &reference, body, cb).await;
    assert_eq!(code, StatusCode::ACCEPTED, "{path} {body}: {text}");
    assert_eq!(text, "");
    reference
}

#[tokio::test]
async fn request_to_pay_follows_the_payer_numbers_and_credits_the_merchant() {
    // The ongoing payer is PENDING for `ongoingMs`, then pays: a second, not MTN's 30 s.
    let env = Env::with(|o| o.ongoing_ms = 1000).await;
    let token = env.token_for("collection").await;
    let before = env.balance(Product::Collection);
    let failed = [
        (50, "INTERNAL_PROCESSING_ERROR"),
        (51, "APPROVAL_REJECTED"),
        (52, "EXPIRED"),
        (55, "PAYER_NOT_FOUND"),
        (56, "PAYEE_NOT_ALLOWED_TO_RECEIVE"),
        (57, "NOT_ALLOWED"),
        (63, "COULD_NOT_PERFORM_TRANSACTION"),
    ];
    for (n, reason) in failed {
        let r = create(&env, &token, RTP, &pay_body(&msisdn(n), "10"), None).await;
        let v = env.final_as(&token, &format!("{RTP}/{r}")).await;
        assert_eq!(
            (v["status"].as_str(), v["reason"].as_str()),
            (Some("FAILED"), Some(reason)),
            "{n}"
        );
        assert!(v.get("financialTransactionId").is_none());
    }
    let rejected = [
        (58, "NOT_ALLOWED_TARGET_ENVIRONMENT"),
        (59, "INVALID_CALLBACK_URL_HOST"),
        (60, "INVALID_CURRENCY"),
        (61, "INTERNAL_PROCESSING_ERROR"),
        (62, "SERVICE_UNAVAILABLE"),
    ];
    for (n, code) in rejected {
        let (status, text) = env
            .post_as(&token, RTP, &id(), &pay_body(&msisdn(n), "10"), None)
            .await;
        assert_eq!(
            (status, code_of(&text)),
            (StatusCode::INTERNAL_SERVER_ERROR, code.to_owned())
        );
    }
    let delayed = create(&env, &token, RTP, &pay_body(&msisdn(54), "10"), None).await;
    let ongoing = create(&env, &token, RTP, &pay_body(&msisdn(53), "10"), None).await;
    assert_eq!(
        env.get_json_as(&token, &format!("{RTP}/{ongoing}")).await.1["status"],
        "PENDING"
    );
    let paid = create(&env, &token, RTP, &pay_body("56733123453", "25.5"), None).await;
    let v = env.final_as(&token, &format!("{RTP}/{paid}")).await;
    assert_eq!(v["status"], "SUCCESSFUL");
    assert_eq!(
        v["payer"],
        json!({ "partyIdType": "MSISDN", "partyId": "56733123453" })
    );
    assert_eq!(
        (v["amount"].as_str(), v["externalId"].as_str()),
        (Some("25.5"), Some("order-1"))
    );
    assert!(v["financialTransactionId"].is_string());
    assert_eq!(
        env.final_as(&token, &format!("{RTP}/{ongoing}")).await["status"],
        "SUCCESSFUL"
    );
    assert_eq!(
        env.get_json_as(&token, &format!("{RTP}/{delayed}")).await.1["status"],
        "PENDING"
    );

    // Money in: the merchant is credited by what succeeded (25.5 + 10), nothing else.
    assert_eq!(env.balance(Product::Collection), before + 35.5);
    let (_, balance) = env
        .get_json_as(&token, "/collection/v1_0/account/balance")
        .await;
    assert_eq!(balance["availableBalance"], (before + 35.5).to_string());
    let entry = env.ledger_entry(&paid);
    assert_eq!(
        entry,
        json!({"provider":"momo","product":"collection","kind":"requesttopay","referenceId":paid,
               "externalId":"order-1","amount":25.5,"currency":"EUR","party":"56733123453",
               "status":"SUCCESSFUL"})
    );
    assert_eq!(env.ledger().len(), failed.len() + 3);

    // 409 for a reused reference; 404 for an unknown one; 400 for a bad body.
    let (code, text) = env
        .post_as(&token, RTP, &paid, &pay_body("1", "1"), None)
        .await;
    assert_eq!(
        (code, code_of(&text)),
        (StatusCode::CONFLICT, "RESOURCE_ALREADY_EXIST".into())
    );
    assert_eq!(
        env.get_json_as(&token, &format!("{RTP}/{}", id())).await.0,
        StatusCode::NOT_FOUND
    );
    let (code, _) = env
        .post_as(&token, RTP, &id(), &payout("1", "1"), None)
        .await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_payer_has_an_approval_window() {
    let env = Env::with(|o| o.settle_after_ms = 1500).await;
    let token = env.token_for("collection").await;
    let before = env.balance(Product::Collection);
    let r = create(&env, &token, RTP, &pay_body(&msisdn(99), "5"), None).await;
    let (_, v) = env.get_json_as(&token, &format!("{RTP}/{r}")).await;
    assert_eq!(v["status"], "PENDING");
    // Not credited before the payer approves.
    assert_eq!(env.balance(Product::Collection), before);
    assert_eq!(env.ledger_entry(&r)["status"], "PENDING");
    assert_eq!(
        env.final_as(&token, &format!("{RTP}/{r}")).await["status"],
        "SUCCESSFUL"
    );
    assert_eq!(env.balance(Product::Collection), before + 5.0);
    assert_eq!(env.ledger_entry(&r)["status"], "SUCCESSFUL");
}

#[tokio::test]
async fn withdrawals_v1_and_v2_share_a_status_and_call_back_post_and_put() {
    let (cb, mut rx) = listener().await;
    let env = Env::start(opts()).await;
    let token = env.token_for("collection").await;
    let (paid, refused) = (pay_body(&msisdn(99), "3"), pay_body(&msisdn(51), "3"));
    let v1 = create(&env, &token, WITHDRAW_V1, &paid, Some(&cb)).await;
    let v2 = create(&env, &token, WITHDRAW_V2, &refused, Some(&cb)).await;
    let rtp = create(&env, &token, RTP, &pay_body(&msisdn(99), "3"), Some(&cb)).await;
    let mut got = Vec::new();
    for _ in 0..3 {
        let c = next_callback(&mut rx).await;
        got.push((
            c.reference.clone(),
            c.method.clone(),
            c.body["status"].clone(),
        ));
        assert_eq!(c.content_type, "application/json");
    }
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let mut want = vec![
        (v1.clone(), Method::POST, json!("SUCCESSFUL")),
        (v2.clone(), Method::PUT, json!("FAILED")),
        (rtp, Method::POST, json!("SUCCESSFUL")),
    ];
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, want);
    let status = |r: &str| format!("{WITHDRAW_V1}/{r}");
    assert_eq!(
        env.final_as(&token, &status(&v1)).await["status"],
        "SUCCESSFUL"
    );
    let failed = env.final_as(&token, &status(&v2)).await;
    assert_eq!(failed["reason"], "APPROVAL_REJECTED");
    assert_eq!(env.ledger_entry(&v2)["kind"], "requesttowithdraw");
    // The same reference may name a request to pay: unique per resource.
    accepted(
        env.post_as(&token, RTP, &v1, &pay_body("1", "1"), None)
            .await,
    );
}

async fn notify(env: &Env, token: &str, reference: &str, message: Option<&str>) -> StatusCode {
    let mut req = env.request_as(
        token,
        Method::POST,
        &format!("{RTP}/{reference}/deliverynotification"),
    );
    if let Some(m) = message {
        req = req
            .header("notificationMessage", m)
            .header("Language", "en")
            .json(&json!({ "notificationMessage": m }));
    }
    req.send().await.unwrap().status()
}

#[tokio::test]
async fn delivery_notifications_only_after_success_and_within_the_window() {
    let env = Env::start(opts()).await;
    let token = env.token_for("collection").await;
    let paid = create(&env, &token, RTP, &pay_body(&msisdn(99), "1"), None).await;
    let failed = create(&env, &token, RTP, &pay_body(&msisdn(51), "1"), None).await;
    let pending = create(&env, &token, RTP, &pay_body(&msisdn(54), "1"), None).await;
    assert_eq!(
        notify(&env, &token, &paid, Some("Your order shipped")).await,
        StatusCode::OK
    );
    assert_eq!(
        notify(&env, &token, &failed, Some("x")).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        notify(&env, &token, &pending, Some("x")).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        notify(&env, &token, &id(), Some("x")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        notify(&env, &token, &paid, None).await,
        StatusCode::BAD_REQUEST
    );
    let long = "x".repeat(161);
    assert_eq!(
        notify(&env, &token, &paid, Some(&long)).await,
        StatusCode::BAD_REQUEST
    );

    let closed = Env::with_momo(|m| m.delivery_notification_window_ms = 0).await;
    let token = closed.token_for("collection").await;
    let paid = create(&closed, &token, RTP, &pay_body(&msisdn(99), "1"), None).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(
        notify(&closed, &token, &paid, Some("late")).await,
        StatusCode::GONE
    );
}

#[tokio::test]
async fn tokens_and_subscription_keys_are_per_product() {
    let env = Env::start(SandboxOptions {
        momo: MomoSandboxOptions {
            product_keys: ProductKeys {
                collection: Some(vec!["collection-key".into()]),
                ..ProductKeys::default()
            },
            ..MomoSandboxOptions::default()
        },
        ..opts()
    })
    .await;
    // A Disbursement token does not open Collection (and the other way round).
    let (code, _) = env
        .get_json_as(&env.token, "/collection/v1_0/account/balance")
        .await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    // Collection takes only its own key; the other products any key.
    let token = env
        .http
        .post(env.url("/collection/token/"))
        .header("Ocp-Apim-Subscription-Key", "collection-key")
        .basic_auth(&env.user, Some(&env.key))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::OK);
    let token = token.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _) = env
        .get_json_as(&token, "/collection/v1_0/account/balance")
        .await;
    assert_eq!(
        code,
        StatusCode::UNAUTHORIZED,
        "the Disbursement key was sent"
    );
    let r = env
        .http
        .get(env.url("/collection/v1_0/account/balance"))
        .header("Ocp-Apim-Subscription-Key", "collection-key")
        .header("X-Target-Environment", "sandbox")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (code, _) = env
        .get_json_as(&token, "/disbursement/v1_0/account/balance")
        .await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    assert_eq!(
        env.product_token_response("collection", &env.user, &env.key)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // `shareTokens`: any product's token works everywhere, as on the live sandbox.
    let shared = Env::with_momo(|m| m.share_tokens = true).await;
    let (code, _) = shared
        .get_json_as(&shared.token, "/remittance/v1_0/account/balance")
        .await;
    assert_eq!(code, StatusCode::OK);
}
