//! Remittance: transfers with the Disbursement transfer numbers, cash transfers with the
//! sender's details, the MSISDN-only basicuserinfo; the balance and the ledger.

use super::*;

const TRANSFER: &str = "/remittance/v1_0/transfer";
const CASH: &str = "/remittance/v2_0/cashtransfer";

fn cash_body(external_id: &str, amount: &str) -> Value {
    json!({
        "amount": amount,
        "currency": "EUR",
        "payee": { "partyIdType": "MSISDN", "partyId": "46733123499" },
        "externalId": external_id,
        "orginatingCountry": "SE",
        "originalAmount": "110",
        "originalCurrency": "SEK",
        "payerMessage": "family support",
        "payeeNote": "from Anna",
        "payerIdentificationType": "PASS",
        "payerIdentificationNumber": "S1234567",
        "payerFirstName": "Anna",
        "payerSurName": "Svensson",
        "payerMsisdn": "46700000000",
    })
}

#[tokio::test]
async fn transfers_use_the_disbursement_numbers_and_debit_the_merchant() {
    let env = Env::start(opts()).await;
    let token = env.token_for("remittance").await;
    let before = env.balance(Product::Remittance);
    let paid = id();
    accepted(
        env.post_as(&token, TRANSFER, &paid, &payout(&msisdn(99), "30"), None)
            .await,
    );
    let v = env.final_as(&token, &format!("{TRANSFER}/{paid}")).await;
    assert_eq!(
        (v["status"].as_str(), v["payee"]["partyId"].as_str()),
        (Some("SUCCESSFUL"), Some("46733123499"))
    );
    for (n, reason) in [(55, "NOT_ENOUGH_FUNDS"), (57, "PAYEE_NOT_FOUND")] {
        let r = id();
        env.post_as(&token, TRANSFER, &r, &payout(&msisdn(n), "1"), None)
            .await;
        assert_eq!(
            env.final_as(&token, &format!("{TRANSFER}/{r}")).await["reason"],
            reason
        );
    }
    let (code, text) = env
        .post_as(&token, TRANSFER, &id(), &payout(&msisdn(61), "1"), None)
        .await;
    assert_eq!(
        (code, code_of(&text)),
        (StatusCode::INTERNAL_SERVER_ERROR, "INVALID_CURRENCY".into())
    );
    assert_eq!(env.balance(Product::Remittance), before - 30.0);
    let entry = env.ledger_entry(&paid);
    assert_eq!(
        (entry["product"].as_str(), entry["kind"].as_str()),
        (Some("remittance"), Some("transfer"))
    );

    // A reference is unique per product: the same one may name a Disbursement transfer,
    // and the two are told apart in the ledger.
    let (code, _) = env
        .post_as(&token, TRANSFER, &paid, &payout(&msisdn(99), "1"), None)
        .await;
    assert_eq!(code, StatusCode::CONFLICT);
    let body = payout(&msisdn(57), "1");
    post_accepted(&env, "/disbursement/v1_0/transfer", &paid, &body, None).await;
    let both: Vec<_> = env
        .ledger()
        .into_iter()
        .filter(|e| e["referenceId"] == paid.as_str())
        .map(|e| (e["product"].clone(), e["status"].clone()))
        .collect();
    assert_eq!(
        both,
        [
            (json!("remittance"), json!("SUCCESSFUL")),
            (json!("disbursement"), json!("FAILED"))
        ]
    );
    assert_eq!(
        env.final_status("transfer", &paid).await["reason"],
        "PAYEE_NOT_FOUND"
    );
}

#[tokio::test]
async fn cash_transfers_echo_the_sender_and_fail_by_external_id() {
    let (cb, mut rx) = listener().await;
    let env = Env::with_momo(|m| m.reason_shape = ReasonShape::Object).await;
    let token = env.token_for("remittance").await;
    let paid = id();
    let (code, text) = env
        .post_as(&token, CASH, &paid, &cash_body("remit-1", "100"), Some(&cb))
        .await;
    assert_eq!(code, StatusCode::ACCEPTED, "{text}");
    let c = next_callback(&mut rx).await;
    assert_eq!(
        (c.method, c.reference.as_str()),
        (Method::PUT, paid.as_str())
    );
    let v = env.final_as(&token, &format!("{CASH}/{paid}")).await;
    assert_eq!(v, c.body);
    assert_eq!(v["status"], "SUCCESSFUL");
    assert!(v["financialTransactionId"].is_string());
    for field in [
        "orginatingCountry",
        "originalAmount",
        "payerIdentificationType",
        "payerFirstName",
        "payerSurName",
        "payerMsisdn",
    ] {
        assert_eq!(v[field], cash_body("remit-1", "100")[field], "{field}");
    }
    // Its reason is a plain string, whatever the reason shape.
    let failed = id();
    env.post_as(&token, CASH, &failed, &cash_body("5", "1"), None)
        .await;
    let v = env.final_as(&token, &format!("{CASH}/{failed}")).await;
    assert_eq!(
        (v["status"].as_str(), v["reason"].as_str()),
        (Some("FAILED"), Some("PAYEE_NOT_FOUND"))
    );
    let (code, text) = env
        .post_as(&token, CASH, &id(), &cash_body("10", "1"), None)
        .await;
    assert_eq!(
        (code, code_of(&text)),
        (StatusCode::INTERNAL_SERVER_ERROR, "INVALID_CURRENCY".into())
    );
    let mut bad = cash_body("x", "1");
    bad["payerIdentificationType"] = json!("PASSPORT");
    assert_eq!(
        env.post_as(&token, CASH, &id(), &bad, None).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(env.ledger_entry(&paid)["kind"], "cashtransfer");
    assert_eq!(env.ledger().len(), 2);
}

#[tokio::test]
async fn basic_user_info_takes_an_msisdn_and_has_no_gender() {
    let env = Env::start(opts()).await;
    let token = env.token_for("remittance").await;
    let (code, v) = env
        .get_json_as(
            &token,
            "/remittance/v1_0/accountholder/msisdn/46733123499/basicuserinfo",
        )
        .await;
    assert_eq!(
        (code, v["family_name"].as_str()),
        (StatusCode::OK, Some("Box"))
    );
    assert!(v.get("gender").is_none());
    let (code, _) = env
        .get_json_as(
            &token,
            "/remittance/v1_0/accountholder/email/a@b.c/basicuserinfo",
        )
        .await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let (code, v) = env
        .get_json_as(
            &token,
            "/remittance/v1_0/accountholder/msisdn/46733123451/active",
        )
        .await;
    assert_eq!((code, v), (StatusCode::OK, json!({ "result": false })));
}
