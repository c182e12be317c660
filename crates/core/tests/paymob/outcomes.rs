//! Business outcomes: the chosen failure numbers, running out of budget, and bank rails
//! that answer `pending` and settle later.

use std::time::Duration;

use mobilemoney_core::FailureKind;
use serde_json::json;

use super::support::*;

#[tokio::test]
async fn chosen_numbers_fail_or_stay_unknown() {
    let sb = sandbox(|o| o.paymob.budget = 1000.0).await;
    let p = client(&sb, json!({}));
    let cases = [
        (
            "vodafone",
            "01000000618",
            FailureKind::ProviderError,
            "618",
            "failed",
        ),
        (
            "vodafone",
            "01000006061",
            FailureKind::ProviderError,
            "6061",
            "failed",
        ),
        (
            "vodafone",
            "01000006065",
            FailureKind::ProviderError,
            "6065",
            "failed",
        ),
        (
            "vodafone",
            "01000000424",
            FailureKind::ProviderError,
            "424",
            "failed",
        ),
        (
            "etisalat",
            "01100090040",
            FailureKind::ProviderError,
            "90040",
            "failed",
        ),
        (
            "vodafone",
            "01000000408",
            FailureKind::UnknownOutcome,
            "408",
            "unknown",
        ),
        (
            "etisalat",
            "01000000501",
            FailureKind::UnknownOutcome,
            "501",
            "unknown",
        ),
    ];
    for (issuer, msisdn, kind, code, status) in cases {
        let f = err(p.instant_cashin(wallet(issuer, msisdn, 10.0)).await, kind);
        assert_eq!(f.code.as_deref(), Some(code));
        assert_eq!(f.status, Some(200));
        assert_eq!(f.retryable, kind == FailureKind::UnknownOutcome);
        let body = f.body.as_ref().unwrap();
        assert_eq!(body["disbursement_status"], status);
        assert_eq!(body["status_code"], code);
        assert_eq!(
            f.reference_id.as_ref(),
            body["client_transaction_reference"]
                .as_str()
                .map(str::to_owned)
                .as_ref()
        );
        assert!(f.message.contains(code), "{}", f.message);
    }
    let f = err(
        p.instant_cashin(wallet("vodafone", "01000000408", 10.0))
            .await,
        FailureKind::UnknownOutcome,
    );
    assert_eq!(
        f.body.as_ref().unwrap()["status_description"],
        "Request timeout error"
    );

    let statuses: Vec<String> = ledger(&sb)
        .iter()
        .map(|e| e["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        statuses,
        ["failed", "failed", "failed", "failed", "failed", "unknown", "unknown", "unknown"]
    );
    // Failed payouts draw nothing; unknown ones hold their amount.
    assert_eq!(balance(&p).await, 970.0);
}

#[tokio::test]
async fn running_out_of_budget_is_invalid_data_with_the_servers_sentence() {
    let sb = sandbox(|o| o.paymob.budget = 100.0).await;
    let p = client(&sb, json!({}));
    ok(p.instant_cashin(wallet("vodafone", VODAFONE_OK, 60.0))
        .await);
    let f = err(
        p.instant_cashin(wallet("vodafone", VODAFONE_OK, 60.0))
            .await,
        FailureKind::InvalidData,
    );
    assert_eq!((f.status, f.code.as_deref()), (Some(400), Some("400")));
    assert!(
        f.message.contains("exceeds you budget limit"),
        "{}",
        f.message
    );
    assert!(f.reference_id.is_some());
    assert!(!f.retryable);
    let budget = ok(p.budget_inquiry().await);
    assert_eq!(budget["current_balance"], 40.0);
    assert_eq!(budget["current_budget"], "Your current budget is 40.00 LE");
    assert_eq!(budget["currency"], "EGP");
    ok(p.instant_cashin(wallet("etisalat", "01123456789", 40.0))
        .await);
    assert_eq!(balance(&p).await, 0.0);
    assert_eq!(ledger(&sb).len(), 2);
}

#[tokio::test]
async fn bank_rails_settle_and_a_rejected_card_returns_the_budget() {
    let sb = sandbox(|o| {
        o.settle_after_ms = 300;
        o.paymob.budget = 1000.0;
    })
    .await;
    let p = client(&sb, json!({}));
    let card = |number: &str, amount: f64| {
        req(
            json!({"issuer": "bank_card", "bankCardNumber": number, "bankCode": "QNB",
                   "bankTransactionType": "cash_transfer", "fullName": "Mona Ali", "amount": amount}),
        )
    };
    let good = ok(p.instant_cashin(card("1111222233334444", 100.0)).await);
    let rejected = ok(p.instant_cashin(card("1111222233330000", 200.0)).await);
    let orange = ok(p
        .instant_cashin(wallet("orange", "01223456789", 50.0))
        .await);
    for d in [&good, &rejected, &orange] {
        assert_eq!(
            (d["disbursement_status"].as_str(), d["status_code"].as_str()),
            (Some("pending"), Some("8000"))
        );
    }
    assert_eq!(balance(&p).await, 650.0);

    tokio::time::sleep(Duration::from_millis(600)).await;
    let found = ok(p
        .transaction_inquiry(req(json!({
            "transactionIds": [good["transaction_id"], rejected["clientReferenceId"]],
            "bank": true,
        })))
        .await);
    assert_eq!(found["count"], 2);
    let results = found["results"].as_array().unwrap();
    assert_eq!(results[0]["disbursement_status"], "successful");
    assert_eq!(results[0]["status_code"], "8333");
    assert_eq!(results[1]["disbursement_status"], "rejected");
    assert_eq!(results[1]["status_code"], "000001");
    // orange is kept with the instant transactions, not the bank ones.
    let instant = ok(p
        .transaction_inquiry(req(
            json!({"clientReferences": [orange["clientReferenceId"]], "bank": false}),
        ))
        .await);
    assert_eq!(instant["results"][0]["disbursement_status"], "successful");
    assert_eq!(balance(&p).await, 850.0);
    let statuses: Vec<&str> = ledger(&sb)
        .iter()
        .map(|e| match e["status"].as_str().unwrap() {
            "successful" => "successful",
            "rejected" => "rejected",
            _ => "other",
        })
        .collect();
    assert_eq!(statuses, ["successful", "rejected", "successful"]);
}
