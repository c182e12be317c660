//! Inquiries by id and by reference, the client-side bucket, the server's throttle, and
//! the Aman cancel.

use mobilemoney_core::{Arg, FailureKind};
use serde_json::json;
use uuid::Uuid;

use super::support::*;

#[tokio::test]
async fn transactions_are_found_by_id_by_client_reference_id_and_by_reference() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({}));
    let one = ok(p
        .instant_cashin(wallet("vodafone", VODAFONE_OK, 11.0))
        .await);
    let two = ok(p
        .instant_cashin(wallet("etisalat", "01123456789", 22.0))
        .await);

    let by_ids = ok(p
        .transaction_inquiry(req(
            json!({"transactionIds": [one["transaction_id"], two["clientReferenceId"]]}),
        ))
        .await);
    assert_eq!(
        (
            by_ids["count"].as_u64(),
            by_ids["next"].is_null(),
            by_ids["previous"].is_null()
        ),
        (Some(2), true, true)
    );
    assert_eq!(
        by_ids["results"][0]["transaction_id"],
        one["transaction_id"]
    );
    assert_eq!(by_ids["results"][1]["amount"], 22.0);

    let by_ref = ok(p
        .transaction_inquiry(req(
            json!({"client_references": [two["clientReferenceId"]]}),
        ))
        .await);
    assert_eq!(by_ref["count"], 1);
    assert_eq!(
        by_ref["results"][0]["transaction_id"],
        two["transaction_id"]
    );
    assert_eq!(by_ref["results"][0]["disbursement_status"], "successful");

    // Wallet payouts are not in the bank store; an unknown id finds nothing.
    let bank = ok(p
        .transaction_inquiry(req(
            json!({"transactionIds": [one["transaction_id"]], "bank": true}),
        ))
        .await);
    assert_eq!(bank["count"], 0);
    let none = ok(p
        .transaction_inquiry(req(json!({"transactionIds": [Uuid::new_v4().to_string()]})))
        .await);
    assert_eq!(none["results"], json!([]));

    let sent_before = stat(&sb, "paymobRequests");
    for bad in [
        json!({}),
        json!({"transactionIds": []}),
        json!({"transactionIds": ["nope"]}),
        json!({"transactionIds": [one["transaction_id"]], "clientReferences": ["x"]}),
        json!({"clientReferences": vec!["x"; 51]}),
        json!({"clientReferences": ["x"], "bank": "yes"}),
    ] {
        err(
            p.transaction_inquiry(req(bad)).await,
            FailureKind::InvalidData,
        );
    }
    err(
        p.transaction_inquiry(Arg::from("x")).await,
        FailureKind::InvalidData,
    );
    assert_eq!(stat(&sb, "paymobRequests"), sent_before);
}

#[tokio::test]
async fn the_client_side_bucket_refuses_without_sending() {
    let sb = sandbox(|o| o.paymob.inquiry_limit_per_minute = 100).await;
    let p = client(&sb, json!({ "inquiriesPerMinute": 2 }));
    ok(p.budget_inquiry().await);
    ok(
        p.transaction_inquiry(req(json!({"clientReferences": ["a"]})))
            .await,
    );
    let sent = stat(&sb, "paymobRequests");
    for f in [
        p.budget_inquiry().await.unwrap_err(),
        p.transaction_inquiry(req(json!({"clientReferences": ["a"]})))
            .await
            .unwrap_err(),
        p.cancel_aman_transaction(Arg::from(Uuid::new_v4().to_string()))
            .await
            .unwrap_err(),
    ] {
        assert_eq!(f.kind, FailureKind::RateLimited);
        assert!(f.retryable);
        assert!(f.status.is_none());
        assert!(f.message.contains("try again in"), "{}", f.message);
    }
    assert_eq!(stat(&sb, "paymobRequests"), sent);
    // Cash-ins are not throttled.
    ok(p.instant_cashin(wallet("vodafone", VODAFONE_OK, 1.0)).await);
}

#[tokio::test]
async fn the_server_throttles_one_user_across_instances() {
    let sb = sandbox(|o| o.paymob.inquiry_limit_per_minute = 5).await;
    let a = client(&sb, json!({ "maxRetries": 0 }));
    let b = client(&sb, json!({ "maxRetries": 0 }));
    for _ in 0..3 {
        ok(a.budget_inquiry().await);
    }
    ok(b.budget_inquiry().await);
    ok(b.budget_inquiry().await);
    let f = err(b.budget_inquiry().await, FailureKind::RateLimited);
    assert_eq!((f.status, f.code.as_deref()), (Some(429), Some("429")));
    assert!(f.retryable);
    assert!(f.message.contains("Request was throttled"), "{}", f.message);
    assert_eq!(requests_to(&sb, "/budget/inquire/").len(), 6);
}

#[tokio::test]
async fn an_unpaid_aman_payout_can_be_cancelled_once() {
    let sb = sandbox(|o| {
        o.paymob.budget = 1000.0;
        o.paymob.inquiry_limit_per_minute = 20;
    })
    .await;
    let p = client(&sb, json!({ "inquiriesPerMinute": 20 }));
    let aman = ok(p
        .instant_cashin(req(
            json!({"issuer": "aman", "msisdn": "01023456789", "amount": 100,
            "firstName": "Mona", "lastName": "Ali", "email": "mona@example.com"}),
        ))
        .await);
    assert_eq!(balance(&p).await, 900.0);
    let id = aman["transaction_id"].as_str().unwrap().to_owned();

    let cancelled = ok(p.cancel_aman_transaction(Arg::from(id.as_str())).await);
    assert_eq!(cancelled["aman_cashing_details"]["is_cancelled"], true);
    assert_eq!(cancelled["transaction_id"], id.as_str());
    assert_eq!(balance(&p).await, 1000.0);
    assert_eq!(ledger(&sb)[0]["status"], "cancelled");

    let again = err(
        p.cancel_aman_transaction(Arg::from(id.as_str())).await,
        FailureKind::InvalidData,
    );
    assert_eq!(again.body.unwrap(), json!({"is_canelled": false}));
    let missing = err(
        p.cancel_aman_transaction(Arg::from(Uuid::new_v4().to_string()))
            .await,
        FailureKind::NotFound,
    );
    assert_eq!(
        missing.body.unwrap(),
        json!({"transaction_id": "Not found"})
    );
    // A wallet payout is not an Aman transaction.
    let wallet_payout = ok(p.instant_cashin(wallet("vodafone", VODAFONE_OK, 5.0)).await);
    err(
        p.cancel_aman_transaction(Arg::from(wallet_payout["transaction_id"].as_str().unwrap()))
            .await,
        FailureKind::NotFound,
    );
    let sent = stat(&sb, "paymobRequests");
    for bad in [Arg::Undefined, Arg::from("not-a-uuid"), Arg::Number(3.0)] {
        let f = err(
            p.cancel_aman_transaction(bad).await,
            FailureKind::InvalidData,
        );
        assert_eq!(f.field.as_deref(), Some("transactionId"));
    }
    assert_eq!(stat(&sb, "paymobRequests"), sent);
    assert_eq!(requests_to(&sb, "/transaction/aman/cancel/").len(), 4);
}
