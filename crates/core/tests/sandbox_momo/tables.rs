//! The official sandbox test numbers, and what the ledger keeps of them.

use super::*;

/// What a test number should produce: `Ok(final status, reason)` or `Err(POST 500 code)`.
type Expect = Result<(&'static str, Option<&'static str>), &'static str>;

async fn check(env: &Env, path: &str, resource: &str, body: Value, expect: Expect, label: &str) {
    let reference = id();
    let before = env.ledger().len();
    let (code, text) = env.post_money(path, &reference, &body, None).await;
    match expect {
        Err(error) => {
            assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR, "{label}: {text}");
            assert_eq!(code_of(&text), error, "{label}");
            assert_eq!(
                env.ledger().len(),
                before,
                "{label}: a rejected POST is not recorded"
            );
            let (code, _) = env
                .get_json(&format!("/disbursement/v1_0/{resource}/{reference}"))
                .await;
            assert_eq!(code, StatusCode::NOT_FOUND, "{label}");
        }
        Ok((status, reason)) => {
            assert_eq!(code, StatusCode::ACCEPTED, "{label}: {text}");
            // Settlement is immediate here, except for Delayed, which stays PENDING.
            let (_, v) = env
                .get_json(&format!("/disbursement/v1_0/{resource}/{reference}"))
                .await;
            assert_eq!(v["status"], status, "{label}: {v}");
            assert_eq!(v["reason"].as_str(), reason, "{label}: {v}");
            assert_eq!(
                v.get("financialTransactionId").is_some(),
                status == "SUCCESSFUL",
                "{label}: {v}"
            );
            assert_eq!(env.ledger_entry(&reference)["status"], status, "{label}");
        }
    }
}

const PENDING: Expect = Ok(("PENDING", None));
const OK: Expect = Ok(("SUCCESSFUL", None));

fn failed(reason: &'static str) -> Expect {
    Ok(("FAILED", Some(reason)))
}

#[tokio::test]
async fn transfer_table() {
    let env = Env::start(opts()).await;
    let table: [(u32, Expect); 15] = [
        (50, failed("INTERNAL_PROCESSING_ERROR")),
        (51, failed("APPROVAL_REJECTED")),
        (52, failed("EXPIRED")),
        (54, PENDING),
        (55, failed("NOT_ENOUGH_FUNDS")),
        (56, failed("PAYER_LIMIT_REACHED")),
        (57, failed("PAYEE_NOT_FOUND")),
        (58, failed("NOT_ALLOWED")),
        (59, Err("NOT_ALLOWED_TARGET_ENVIRONMENT")),
        (60, Err("INVALID_CALLBACK_URL_HOST")),
        (61, Err("INVALID_CURRENCY")),
        (62, Err("INTERNAL_PROCESSING_ERROR")),
        (63, Err("SERVICE_UNAVAILABLE")),
        (64, OK),
        (99, OK),
    ];
    for (n, expect) in table {
        let body = payout(&msisdn(n), "10");
        check(
            &env,
            "/disbursement/v1_0/transfer",
            "transfer",
            body,
            expect,
            &msisdn(n),
        )
        .await;
    }
    // …53 (Ongoing) is PENDING first; its later success is covered in `flows`.
    let reference = env
        .pay("/disbursement/v1_0/transfer", &msisdn(53), "10")
        .await;
    let (_, v) = env
        .get_json(&format!("/disbursement/v1_0/transfer/{reference}"))
        .await;
    assert_eq!(v["status"], "PENDING");
    assert!(v.get("financialTransactionId").is_none() && v.get("reason").is_none());
}

#[tokio::test]
async fn deposit_table() {
    let env = Env::start(opts()).await;
    let table: [(u32, Expect); 9] = [
        (50, failed("INTERNAL_PROCESSING_ERROR")),
        (54, PENDING),
        (55, failed("PAYEE_NOT_FOUND")),
        (56, failed("PAYEE_NOT_ALLOWED_TO_RECEIVE")),
        (57, failed("NOT_ALLOWED")),
        (58, Err("NOT_ALLOWED_TARGET_ENVIRONMENT")),
        (62, Err("SERVICE_UNAVAILABLE")),
        (63, failed("COULD_NOT_PERFORM_TRANSACTION")),
        (10, OK),
    ];
    for (i, (n, expect)) in table.into_iter().enumerate() {
        // V1 and V2 share the resource, so alternate.
        let path = if i % 2 == 0 {
            "/disbursement/v2_0/deposit"
        } else {
            "/disbursement/v1_0/deposit"
        };
        check(
            &env,
            path,
            "deposit",
            payout(&msisdn(n), "3.5"),
            expect,
            &msisdn(n),
        )
        .await;
    }
}

#[tokio::test]
async fn refund_table() {
    let env = Env::start(opts()).await;
    let table: [(Option<&str>, Expect); 8] = [
        (Some("1"), failed("TRANSACTION_NOT_FOUND")),
        (Some("3"), failed("APPROVAL_REJECTED")),
        (Some("6"), PENDING),
        (Some("8"), Err("NOT_ALLOWED_TARGET_ENVIRONMENT")),
        (Some("10"), Err("INVALID_CURRENCY")),
        (Some("13"), failed("COULD_NOT_PERFORM_TRANSACTION")),
        (Some("14"), OK),
        (None, OK),
    ];
    for (i, (external, expect)) in table.into_iter().enumerate() {
        let path = if i % 2 == 0 {
            "/disbursement/v1_0/refund"
        } else {
            "/disbursement/v2_0/refund"
        };
        let label = format!("refund {external:?}");
        check(
            &env,
            path,
            "refund",
            refund_body(external, "2"),
            expect,
            &label,
        )
        .await;
    }
    // A refund result has no payee.
    let reference = id();
    let body = refund_body(Some("14"), "2");
    post_accepted(&env, "/disbursement/v2_0/refund", &reference, &body, None).await;
    let v = env.final_status("refund", &reference).await;
    assert!(v.get("payee").is_none(), "{v}");
    assert_eq!(v["externalId"], "14");
    assert_eq!(
        env.ledger_entry(&reference)["party"],
        body["referenceIdToRefund"]
    );
}

#[tokio::test]
async fn account_holder_active() {
    let env = Env::start(opts()).await;
    let cases: [(&str, String, u16, Value); 11] = [
        ("msisdn", msisdn(50), 404, json!("RESOURCE_NOT_FOUND")),
        ("msisdn", msisdn(51), 200, json!(false)),
        ("msisdn", msisdn(52), 500, json!("NOT_ALLOWED")),
        // Upper case: 404, as MTN ("explicitly in small letters").
        ("MSISDN", msisdn(52), 404, json!("RESOURCE_NOT_FOUND")),
        (
            "msisdn",
            msisdn(53),
            500,
            json!("NOT_ALLOWED_TARGET_ENVIRONMENT"),
        ),
        ("msisdn", msisdn(55), 500, json!("SERVICE_UNAVAILABLE")),
        ("msisdn", msisdn(56), 200, json!(true)),
        ("email", "notactive@email.com".into(), 200, json!(false)),
        ("email", "someone@email.com".into(), 200, json!(true)),
        (
            "party_code",
            "8f548a78-ceb8-4d12-a243-5640b91e91a4".into(),
            500,
            json!("INTERNAL_PROCESSING_ERROR"),
        ),
        (
            "party_code",
            "5cecb5a7-8bd0-4f49-87b1-8eb9ecc7b7bc".into(),
            404,
            json!("RESOURCE_NOT_FOUND"),
        ),
    ];
    for (kind, account, status, want) in cases {
        let path = format!("/disbursement/v1_0/accountholder/{kind}/{account}/active");
        let (code, v) = env.get_json(&path).await;
        assert_eq!(code.as_u16(), status, "{path}");
        let got = if status == 200 {
            &v["result"]
        } else {
            &v["code"]
        };
        assert_eq!(*got, want, "{path}: {v}");
    }
    let (code, _) = env
        .get_json("/disbursement/v1_0/accountholder/alias/x/active")
        .await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn ledger_records_every_accepted_payout() {
    let env = Env::start(opts()).await;
    let transfer = env
        .pay("/disbursement/v1_0/transfer", &msisdn(99), "12.5")
        .await;
    let deposit = env
        .pay("/disbursement/v2_0/deposit", &msisdn(51), "3")
        .await;
    let delayed = env
        .pay("/disbursement/v1_0/deposit", &msisdn(54), "4")
        .await;
    let refund = id();
    let body = refund_body(Some("r-1"), "1");
    post_accepted(&env, "/disbursement/v1_0/refund", &refund, &body, None).await;
    let (code, _) = env
        .post_money(
            "/disbursement/v1_0/transfer",
            &id(),
            &payout(&msisdn(63), "1"),
            None,
        )
        .await;
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);

    let ledger = env.ledger();
    assert_eq!(ledger.len(), 4);
    assert_eq!(
        ledger[0],
        json!({"provider":"momo","product":"disbursement","kind":"transfer","referenceId":transfer,"externalId":"ext-1",
               "amount":12.5,"currency":"EUR","party":msisdn(99),"status":"SUCCESSFUL"})
    );
    assert_eq!(
        (
            ledger[1]["referenceId"].clone(),
            ledger[1]["kind"].clone(),
            ledger[1]["status"].clone()
        ),
        (json!(deposit), json!("deposit"), json!("FAILED"))
    );
    assert_eq!(
        (
            ledger[2]["referenceId"].clone(),
            ledger[2]["status"].clone(),
            ledger[2]["amount"].clone()
        ),
        (json!(delayed), json!("PENDING"), json!(4.0))
    );
    assert_eq!(
        ledger[3],
        json!({"provider":"momo","product":"disbursement","kind":"refund","referenceId":refund,"externalId":"r-1",
               "amount":1.0,"currency":"EUR","party":body["referenceIdToRefund"],"status":"SUCCESSFUL"})
    );
}
