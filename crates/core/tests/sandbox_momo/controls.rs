//! Run-time controls: latency, and the balance running out and topped up.

use super::*;

const TRANSFER: &str = "/disbursement/v1_0/transfer";

async fn control(env: &Env, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let url = env.url(&format!("/_sandbox{path}"));
    let req = match body {
        Some(b) => env.http.post(url).json(&b),
        None => env.http.get(url),
    };
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(start_paused = true)]
async fn latency_holds_back_every_provider_answer() {
    let env = Env::with(|o| o.latency_ms = 40_000).await;
    let (status, v) = control(&env, "/latency", None).await;
    assert_eq!((status, v), (StatusCode::OK, json!({ "ms": 40_000 })));

    // The clock is tokio's paused one: the 40 s pass as soon as nothing else can run.
    let started = tokio::time::Instant::now();
    let (code, _) = env.get_json("/disbursement/v1_0/account/balance").await;
    assert_eq!(code, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_secs(40));

    let (status, v) = control(&env, "/latency", Some(json!({ "ms": 90_000 }))).await;
    assert_eq!((status, v), (StatusCode::OK, json!({ "ms": 90_000 })));
    assert_eq!(env.sb.state().latency(), Duration::from_secs(90));
    let started = tokio::time::Instant::now();
    env.pay(TRANSFER, &msisdn(99), "1").await;
    assert!(started.elapsed() >= Duration::from_secs(90));

    for bad in [json!({ "ms": -1 }), json!({ "ms": "5" }), json!({})] {
        let (status, _) = control(&env, "/latency", Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    env.sb.state().set_latency(0);
    assert_eq!(control(&env, "/latency", None).await.1, json!({ "ms": 0 }));
}

#[tokio::test]
async fn balance_runs_out_and_is_topped_up() {
    let env = Env::start(opts()).await;
    let (status, v) = control(&env, "/momo/balance", Some(json!({ "amount": 150 }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, json!({ "amount": 150.0, "currency": "EUR" }));
    let (_, balance) = env.get_json("/disbursement/v1_0/account/balance").await;
    assert_eq!(balance["availableBalance"], "150");

    let paid = env.pay(TRANSFER, &msisdn(99), "100").await;
    let short = env.pay(TRANSFER, &msisdn(99), "100").await;
    assert_eq!(
        env.final_status("transfer", &paid).await["status"],
        "SUCCESSFUL"
    );
    let failed = env.final_status("transfer", &short).await;
    assert_eq!(failed["status"], "FAILED");
    assert_eq!(failed["reason"], "NOT_ENOUGH_FUNDS");
    assert_eq!(env.balance(Product::Disbursement), 50.0);

    // Topped up through the state (as `sb.setMomoBalance`), the next transfer is paid.
    env.sb.state().momo.set_all_balances(1000.0);
    let after = env.pay(TRANSFER, &msisdn(99), "100").await;
    assert_eq!(
        env.final_status("transfer", &after).await["status"],
        "SUCCESSFUL"
    );
    assert_eq!(
        control(&env, "/momo/balance", None).await.1,
        json!({ "amount": 900.0, "currency": "EUR" })
    );
    let statuses: Vec<_> = [&paid, &short, &after]
        .iter()
        .map(|r| env.ledger_entry(r)["status"].clone())
        .collect();
    assert_eq!(statuses, ["SUCCESSFUL", "FAILED", "SUCCESSFUL"]);

    for bad in [json!({ "amount": -1 }), json!({ "amount": "x" }), json!([])] {
        let (status, v) = control(&env, "/momo/balance", Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    }
    assert_eq!(env.balance(Product::Disbursement), 900.0);
}

#[tokio::test]
async fn each_product_is_its_own_account() {
    let env = Env::start(SandboxOptions {
        momo: MomoSandboxOptions {
            balance: 500.0,
            balances: ProductBalances {
                remittance: Some(100.0),
                ..ProductBalances::default()
            },
            ..MomoSandboxOptions::default()
        },
        ..opts()
    })
    .await;
    let (_, v) = control(&env, "/momo/balances", None).await;
    assert_eq!(
        v,
        json!({ "balances": { "collection": 500.0, "disbursement": 500.0, "remittance": 100.0 }, "currency": "EUR" })
    );

    // Collected money lands in Collection's account only.
    let collection = env.token_for("collection").await;
    let rtp = id();
    let body = json!({
        "amount": "75", "currency": "EUR", "externalId": "o-1",
        "payer": { "partyIdType": "MSISDN", "partyId": msisdn(99) },
    });
    accepted(
        env.post_as(
            &collection,
            "/collection/v1_0/requesttopay",
            &rtp,
            &body,
            None,
        )
        .await,
    );
    let path = format!("/collection/v1_0/requesttopay/{rtp}");
    assert_eq!(
        env.final_as(&collection, &path).await["status"],
        "SUCCESSFUL"
    );

    // A Remittance transfer draws on Remittance's account, not on what was collected.
    let remittance = env.token_for("remittance").await;
    let transfer = "/remittance/v1_0/transfer";
    let (paid, short) = (id(), id());
    let body = |amount| payout(&msisdn(99), amount);
    accepted(
        env.post_as(&remittance, transfer, &paid, &body("25"), None)
            .await,
    );
    env.post_as(&remittance, transfer, &short, &body("80"), None)
        .await;
    let status = |r: &str| format!("{transfer}/{r}");
    assert_eq!(
        env.final_as(&remittance, &status(&paid)).await["status"],
        "SUCCESSFUL"
    );
    assert_eq!(
        env.final_as(&remittance, &status(&short)).await["reason"],
        "NOT_ENOUGH_FUNDS"
    );
    let disbursed = env.pay(TRANSFER, &msisdn(99), "10").await;
    assert_eq!(
        env.final_status("transfer", &disbursed).await["status"],
        "SUCCESSFUL"
    );

    let state = env.sb.state();
    assert_eq!(state.momo.balance(Product::Collection), 575.0);
    assert_eq!(state.momo.balance(Product::Remittance), 75.0);
    assert_eq!(state.momo.balance(Product::Disbursement), 490.0);
    // Each product's balance endpoint answers its own account.
    for (product, amount) in [
        ("collection", "575"),
        ("disbursement", "490"),
        ("remittance", "75"),
    ] {
        let token = env.token_for(product).await;
        let (_, v) = env
            .get_json_as(&token, &format!("/{product}/v1_0/account/balance"))
            .await;
        assert_eq!(v["availableBalance"], amount, "{product}");
    }

    // The control API sets one product's account, or (the old single balance) all three.
    let (code, v) = control(
        &env,
        "/momo/remittance/balance",
        Some(json!({ "amount": 5 })),
    )
    .await;
    assert_eq!(
        (code, v),
        (StatusCode::OK, json!({ "amount": 5.0, "currency": "EUR" }))
    );
    assert_eq!(
        control(&env, "/momo/collection/balance", None).await.1,
        json!({ "amount": 575.0, "currency": "EUR" })
    );
    let (code, _) = control(&env, "/momo/wallet/balance", Some(json!({ "amount": 5 }))).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    control(&env, "/momo/balance", Some(json!({ "amount": 7 }))).await;
    let all = state.momo.balances();
    assert_eq!(
        (all.collection, all.disbursement, all.remittance),
        (7.0, 7.0, 7.0)
    );
}
