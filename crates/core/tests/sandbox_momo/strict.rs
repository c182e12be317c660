//! Where MTN is strict or lenient, the sandbox is too (issue 17): a token body that
//! clients send, upper-case id types, unsupported characters in notes, the ongoing number.

use super::*;

const TRANSFER: &str = "/disbursement/v1_0/transfer";

async fn token_with(env: &Env, product: &str, body: Option<(&str, &str)>) -> StatusCode {
    let mut req = env
        .http
        .post(env.url(&format!("/{product}/token/")))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .basic_auth(&env.user, Some(&env.key));
    if let Some((content_type, text)) = body {
        req = req
            .header("Content-Type", content_type)
            .body(text.to_owned());
    }
    req.send().await.unwrap().status()
}

#[tokio::test]
async fn token_takes_the_bodies_clients_send() {
    let env = Env::start(opts()).await;
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    for product in ["collection", "disbursement", "remittance"] {
        for body in [
            None,
            Some((json, "{}")),
            Some((json, r#"{"grant_type":"client_credentials"}"#)),
            Some((form, "grant_type=client_credentials")),
        ] {
            assert_eq!(
                token_with(&env, product, body).await,
                StatusCode::OK,
                "{product} {body:?}"
            );
        }
        for body in [
            (json, r#"{"grant_type":"password"}"#),
            (json, r#"{"scope":"all"}"#),
            (json, "[]"),
            (form, "grant_type=password"),
        ] {
            assert_eq!(
                token_with(&env, product, Some(body)).await,
                StatusCode::BAD_REQUEST,
                "{product} {body:?}"
            );
        }
    }
}

#[tokio::test]
async fn account_holder_types_are_lower_case_where_mtn_says_so() {
    let env = Env::start(opts()).await;
    for product in ["collection", "disbursement", "remittance"] {
        let token = env.token_for(product).await;
        let active = |t: &str| format!("/{product}/v1_0/accountholder/{t}/{}/active", msisdn(99));
        let (code, v) = env.get_json_as(&token, &active("msisdn")).await;
        assert_eq!((code, v), (StatusCode::OK, json!({ "result": true })));
        for upper in ["MSISDN", "Msisdn", "EMAIL"] {
            let (code, v) = env.get_json_as(&token, &active(upper)).await;
            assert_eq!(code, StatusCode::NOT_FOUND, "{product} {upper}");
            assert_eq!(v["code"], "RESOURCE_NOT_FOUND");
        }
        let (code, _) = env.get_json_as(&token, &active("phone")).await;
        assert_eq!(code, StatusCode::BAD_REQUEST);
    }
    // basicuserinfo's spec enum is upper-case `MSISDN`; MTN's notebook sends `msisdn`.
    for t in ["MSISDN", "msisdn"] {
        let path = format!(
            "/disbursement/v1_0/accountholder/{t}/{}/basicuserinfo",
            msisdn(99)
        );
        let (code, v) = env.get_json(&path).await;
        assert_eq!(
            (code, v["name"].clone()),
            (StatusCode::OK, json!("Sand Box"))
        );
    }
}

#[tokio::test]
async fn notes_with_unsupported_characters_are_refused() {
    let env = Env::start(opts()).await;
    for (field, text) in [
        ("payerMessage", "it's paid"),
        ("payeeNote", "salt & pepper"),
    ] {
        let mut body = payout(&msisdn(99), "5");
        body[field] = json!(text);
        let reference = id();
        let (code, message) = env.post_money(TRANSFER, &reference, &body, None).await;
        assert_eq!(code, StatusCode::BAD_REQUEST, "{field}");
        assert!(message.contains(field), "{message}");
        // Refused, not booked: the reference is unknown and the ledger has no entry.
        let (code, _) = env.get_json(&format!("{TRANSFER}/{reference}")).await;
        assert_eq!(code, StatusCode::NOT_FOUND);
        assert_eq!(env.ledger_entry(&reference), Value::Null);
    }
    let token = env.token_for("collection").await;
    let (code, _) = env
        .post_as(
            &token,
            "/collection/v1_0/requesttopay",
            &id(),
            &json!({
                "amount": "5", "currency": "EUR", "externalId": "o-1",
                "payer": { "partyIdType": "MSISDN", "partyId": msisdn(99) },
                "payerMessage": "Tom & Jerry",
            }),
            None,
        )
        .await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    // Other punctuation passes, as it does at MTN.
    let ok = env.pay(TRANSFER, &msisdn(99), "5").await;
    assert_eq!(
        env.final_status("transfer", &ok).await["status"],
        "SUCCESSFUL"
    );
}

#[tokio::test]
async fn the_ongoing_number_is_pending_for_ongoing_ms_alone() {
    assert_eq!(opts().ongoing_ms, 30_000);
    let env = Env::with(|o| o.ongoing_ms = 1200).await;
    let start = Instant::now();
    let ongoing = env.pay(TRANSFER, &msisdn(53), "2").await;
    let normal = env.pay(TRANSFER, &msisdn(99), "2").await;
    // settleAfterMs is 0: the other payout is final at once, the ongoing one is not.
    let (_, v) = env.get_json(&format!("{TRANSFER}/{normal}")).await;
    assert_eq!(v["status"], "SUCCESSFUL");
    let (_, v) = env.get_json(&format!("{TRANSFER}/{ongoing}")).await;
    assert_eq!(v["status"], "PENDING");
    assert_eq!(env.ledger_entry(&ongoing)["status"], "PENDING");
    let v = env.final_status("transfer", &ongoing).await;
    assert_eq!(v["status"], "SUCCESSFUL");
    assert!(start.elapsed() >= Duration::from_millis(1200));
    assert_eq!(env.ledger_entry(&ongoing)["status"], "SUCCESSFUL");

    // With the default, still PENDING long after settleAfterMs.
    let env = Env::with(|o| o.settle_after_ms = 100).await;
    let ongoing = env.pay(TRANSFER, &msisdn(53), "2").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (_, v) = env.get_json(&format!("{TRANSFER}/{ongoing}")).await;
    assert_eq!(v["status"], "PENDING");
}
