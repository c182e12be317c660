//! Validation, duplicates, callbacks, settlement, balance and the ledger.

use super::*;

const TRANSFER: &str = "/disbursement/v1_0/transfer";

#[tokio::test]
async fn validation_and_duplicates() {
    let env = Env::start(opts()).await;
    let reference = env.pay(TRANSFER, &msisdn(99), "1").await;
    let (code, text) = env
        .post_money(TRANSFER, &reference, &payout(&msisdn(99), "1"), None)
        .await;
    assert_eq!(code, StatusCode::CONFLICT);
    assert_eq!(code_of(&text), "RESOURCE_ALREADY_EXIST");
    // Duplicates are per resource: the same id may name a deposit.
    let body = payout(&msisdn(99), "1");
    post_accepted(&env, "/disbursement/v2_0/deposit", &reference, &body, None).await;

    let mut bad = vec![
        json!({"amount": 5, "currency": "EUR", "payee": {"partyIdType": "MSISDN", "partyId": "1"}}),
        json!({"amount": "-5", "currency": "EUR", "payee": {"partyIdType": "MSISDN", "partyId": "1"}}),
        json!({"amount": "5", "payee": {"partyIdType": "MSISDN", "partyId": "1"}}),
        json!({"amount": "5", "currency": "EUR", "payee": {"partyIdType": "PHONE", "partyId": "1"}}),
        json!({"amount": "5", "currency": "EUR"}),
        json!("not an object"),
    ];
    let mut long = payout(&msisdn(99), "5");
    long["payerMessage"] = json!("x".repeat(161));
    bad.push(long);
    for body in &bad {
        let (code, text) = env.post_money(TRANSFER, &id(), body, None).await;
        assert_eq!(code, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(code_of(&text), "BAD_REQUEST");
    }
    let mut usd = payout(&msisdn(99), "5");
    usd["currency"] = json!("USD");
    let (code, text) = env.post_money(TRANSFER, &id(), &usd, None).await;
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"code":"INVALID_CURRENCY","message":"Currency not supported."})
    );
    let (code, _) = env.get_json(&format!("{TRANSFER}/not-a-uuid")).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let (code, v) = env.get_json(&format!("{TRANSFER}/{}", id())).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert_eq!(
        v,
        json!({"code":"RESOURCE_NOT_FOUND","message":"Requested resource was not found."})
    );
    // Only the two accepted POSTs were recorded.
    assert_eq!(env.ledger().len(), 2);
}

#[tokio::test]
async fn callbacks_follow_the_spec() {
    let env = Env::start(opts()).await;
    let (url, mut rx) = listener().await;

    let reference = id();
    let body = payout(&msisdn(99), "7");
    post_accepted(&env, TRANSFER, &reference, &body, Some(&url)).await;
    let got = next_callback(&mut rx).await;
    assert_eq!(got.method, Method::PUT);
    assert_eq!(got.reference, reference);
    assert!(got.content_type.starts_with("application/json"));
    assert_eq!(got.body["status"], "SUCCESSFUL");
    assert!(got.body.get("referenceId").is_none());
    let (_, status) = env.get_json(&format!("{TRANSFER}/{reference}")).await;
    assert_eq!(got.body, status);
    assert_quiet(&mut rx, 300).await;

    // V1 deposit: POST; a failure carries its reason.
    let reference = id();
    let body = payout(&msisdn(57), "1");
    post_accepted(
        &env,
        "/disbursement/v1_0/deposit",
        &reference,
        &body,
        Some(&url),
    )
    .await;
    let got = next_callback(&mut rx).await;
    assert_eq!(
        (got.method, got.reference.as_str()),
        (Method::POST, reference.as_str())
    );
    assert_eq!(got.body["reason"], "NOT_ALLOWED");
    assert_eq!(got.body["payee"]["partyId"], msisdn(57));

    // V2 refund: PUT. V1 refund: POST.
    for (path, method) in [
        ("/disbursement/v2_0/refund", Method::PUT),
        ("/disbursement/v1_0/refund", Method::POST),
    ] {
        post_accepted(&env, path, &id(), &refund_body(Some("x"), "1"), Some(&url)).await;
        assert_eq!(next_callback(&mut rx).await.method, method, "{path}");
    }

    // Delayed payouts never call back; nor do payouts posted without a URL.
    post_accepted(&env, TRANSFER, &id(), &payout(&msisdn(54), "1"), Some(&url)).await;
    env.pay(TRANSFER, &msisdn(98), "1").await;
    assert_quiet(&mut rx, 400).await;
    assert_eq!(env.sb.state().stats_json()["callbacksSent"], 4);

    // A host other than the API user's is refused, and nothing is recorded.
    let before = env.ledger().len();
    for wrong in ["http://example.com/cb", "not a url"] {
        let (code, text) = env
            .post_money(TRANSFER, &id(), &payout(&msisdn(99), "1"), Some(wrong))
            .await;
        assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            json!({"message":"Callback URL does not match the configured value.","code":"INVALID_CALLBACK_URL_HOST"})
        );
    }
    assert_eq!(env.ledger().len(), before);
}

#[tokio::test]
async fn callback_options_and_hostless_users() {
    let mut options = opts();
    options.momo.callback_method = Some("post".into());
    options.momo.duplicate_callbacks = true;
    options.momo.reason_shape = ReasonShape::Object;
    let env = Env::start(options).await;
    let (url, mut rx) = listener().await;
    let reference = id();
    let body = payout(&msisdn(56), "1");
    post_accepted(&env, TRANSFER, &reference, &body, Some(&url)).await;
    for _ in 0..2 {
        let got = next_callback(&mut rx).await;
        assert_eq!(got.method, Method::POST);
        assert_eq!(
            got.body["reason"],
            json!({"code":"PAYER_LIMIT_REACHED","message":"The payer's limit has been breached."})
        );
    }
    assert_quiet(&mut rx, 300).await;
    let (_, v) = env.get_json(&format!("{TRANSFER}/{reference}")).await;
    assert_eq!(v["reason"]["code"], "PAYER_LIMIT_REACHED");

    // An API user created without providerCallbackHost matches no callback URL.
    let hostless = Env::with_host(opts(), None).await;
    let (code, text) = hostless
        .post_money(TRANSFER, &id(), &payout(&msisdn(99), "1"), Some(&url))
        .await;
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(code_of(&text), "INVALID_CALLBACK_URL_HOST");
}

#[tokio::test]
async fn settlement_after_a_delay() {
    let mut options = opts();
    // Long enough that the three POSTs and the first GET come before it on a loaded machine.
    options.settle_after_ms = 1500;
    options.ongoing_ms = 3000;
    let env = Env::start(options).await;
    let (url, mut rx) = listener().await;
    let normal = id();
    let body = payout(&msisdn(99), "2");
    post_accepted(&env, TRANSFER, &normal, &body, Some(&url)).await;
    let ongoing = env.pay(TRANSFER, &msisdn(53), "2").await;
    let failing = env
        .pay("/disbursement/v2_0/deposit", &msisdn(52), "2")
        .await;
    let start = Instant::now();

    let (_, v) = env.get_json(&format!("{TRANSFER}/{normal}")).await;
    assert_eq!(v["status"], "PENDING");
    assert!(v.get("financialTransactionId").is_none());
    assert_eq!(env.ledger_entry(&normal)["status"], "PENDING");

    let got = next_callback(&mut rx).await;
    assert!(start.elapsed() >= Duration::from_millis(250));
    assert_eq!(got.body["status"], "SUCCESSFUL");
    let v = env.final_status("transfer", &normal).await;
    assert_eq!(v["status"], "SUCCESSFUL");
    assert!(v["financialTransactionId"]
        .as_str()
        .unwrap()
        .bytes()
        .all(|b| b.is_ascii_digit()));
    assert_eq!(env.ledger_entry(&normal)["status"], "SUCCESSFUL");
    let v = env.final_status("deposit", &failing).await;
    assert_eq!(
        (v["status"].clone(), v["reason"].clone()),
        (json!("FAILED"), json!("EXPIRED"))
    );

    // Ongoing: still PENDING after the others settled, SUCCESSFUL after `ongoingMs` (3 s).
    tokio::time::sleep(Duration::from_millis(1000).saturating_sub(start.elapsed())).await;
    let (_, v) = env.get_json(&format!("{TRANSFER}/{ongoing}")).await;
    assert_eq!(v["status"], "PENDING");
    let v = env.final_status("transfer", &ongoing).await;
    assert_eq!(v["status"], "SUCCESSFUL");
    assert!(start.elapsed() >= Duration::from_millis(2900));
    assert_eq!(env.ledger_entry(&ongoing)["status"], "SUCCESSFUL");
}

#[tokio::test]
async fn balance_draws_down_and_runs_out() {
    let mut options = opts();
    options.momo.balance = 100.0;
    let env = Env::start(options).await;
    let balance = || async {
        let (_, v) = env.get_json("/disbursement/v1_0/account/balance").await;
        v["availableBalance"].as_str().unwrap().to_owned()
    };
    assert_eq!(balance().await, "100");
    let first = env.pay(TRANSFER, &msisdn(99), "60.25").await;
    assert_eq!(
        env.final_status("transfer", &first).await["status"],
        "SUCCESSFUL"
    );
    assert_eq!(balance().await, "39.75");

    // A failing test number draws nothing.
    env.pay(TRANSFER, &msisdn(57), "10").await;
    assert_eq!(balance().await, "39.75");

    let short = env
        .pay("/disbursement/v1_0/deposit", &msisdn(99), "50")
        .await;
    let v = env.final_status("deposit", &short).await;
    assert_eq!(
        (v["status"].clone(), v["reason"].clone()),
        (json!("FAILED"), json!("NOT_ENOUGH_FUNDS"))
    );
    assert_eq!(env.ledger_entry(&short)["status"], "FAILED");
    assert_eq!(balance().await, "39.75");

    let refund = id();
    let body = refund_body(None, "9.75");
    post_accepted(&env, "/disbursement/v2_0/refund", &refund, &body, None).await;
    assert_eq!(balance().await, "30");
    let (_, v) = env.get_json("/disbursement/v1_0/account/balance/EUR").await;
    assert_eq!(v, json!({"availableBalance":"30","currency":"EUR"}));
}
