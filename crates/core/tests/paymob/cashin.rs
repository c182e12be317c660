//! Cash-ins: every issuer's happy path, local validation (nothing sent), the ledger, and
//! fifty concurrent cash-ins sharing one token.

use std::sync::Arc;

use mobilemoney_core::{Arg, FailureKind};
use serde_json::{json, Value};
use uuid::Uuid;

use super::support::*;

#[tokio::test]
async fn every_issuer_pays_out_and_the_ledger_records_it() {
    let sb = sandbox(|o| o.settle_after_ms = 60_000).await;
    let p = client(&sb, json!({}));
    let given = "5F0E1A52-8A43-4A2B-9A57-3D1C5C4A9B10";
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"issuer": "vodafone", "msisdn": "01023456789", "amount": 10, "clientReferenceId": given}),
            "successful",
            "200",
        ),
        (
            json!({"issuer": "Etisalat", "msisdn": "01123456789", "amount": "20.50", "pin": "123456", "fees": "No"}),
            "successful",
            "200",
        ),
        (
            json!({"issuer": "aman", "msisdn": "01012345678", "amount": 30, "first_name": "Mona", "last_name": "Ali", "email": "mona@example.com"}),
            "successful",
            "200",
        ),
        (
            json!({"issuer": "orange", "msisdn": "01223456789", "amount": 40, "fullName": "Mona Ali"}),
            "pending",
            "8000",
        ),
        (
            json!({"issuer": "bank_wallet", "msisdn": "01123416789", "amount": 50}),
            "pending",
            "8000",
        ),
        (
            json!({"issuer": "bank_card", "bankCardNumber": "1111-2222-3333-4444", "bankCode": "CIB", "bankTransactionType": "salary", "fullName": "Mona Ali", "amount": 60, "comment": "salary may"}),
            "pending",
            "8000",
        ),
        (
            json!({"issuer": "instant_bank", "bank_card_number": "EG829299835722904511873050307", "bank_code": "NBE", "full_name": "Mona Ali", "amount": 150, "customerBearsFees": true}),
            "pending",
            "8000",
        ),
    ];
    let mut references = Vec::new();
    for (request, status, code) in cases {
        let data = ok(p.instant_cashin(req(request.clone())).await);
        assert_eq!(data["disbursement_status"], status, "{data}");
        assert_eq!(data["status_code"], code, "{data}");
        let reference = data["clientReferenceId"].as_str().unwrap().to_owned();
        assert!(Uuid::try_parse(&reference).is_ok());
        assert_eq!(data["client_transaction_reference"], reference.as_str());
        assert!(Uuid::try_parse(data["transaction_id"].as_str().unwrap()).is_ok());
        references.push((reference, request, status, data));
    }
    assert_eq!(references[0].0, given.to_ascii_lowercase());
    let aman = &references[2].3["aman_cashing_details"];
    assert_eq!(
        (aman["is_paid"].as_bool(), aman["is_cancelled"].as_bool()),
        (Some(false), Some(false))
    );
    assert!(aman["bill_reference"].is_u64());
    assert_eq!(references[5].3["bank_card_number"], "1111222233334444");
    assert_eq!(references[5].3["amount"], "60.00");

    // What was sent: snake_case, both references, "No fees" for No.
    let sent: Vec<Value> = requests_to(&sb, "/disburse/")
        .iter()
        .map(|r| serde_json::from_str(r["body"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(sent[1]["fees"], "No fees");
    assert_eq!(sent[1]["issuer"], "etisalat");
    assert_eq!(sent[2]["first_name"], "Mona");
    assert_eq!(sent[5]["bank_transaction_type"], "salary");
    assert_eq!(sent[6]["customer_bears_fees"], true);
    for s in &sent {
        assert_eq!(s["client_reference_id"], s["client_reference"]);
    }

    let entries = ledger(&sb);
    assert_eq!(entries.len(), 7);
    for (entry, (reference, request, status, data)) in entries.iter().zip(&references) {
        assert_eq!(entry["provider"], "paymob");
        assert_eq!(entry["kind"], "cashin");
        assert_eq!(entry["currency"], "EGP");
        assert_eq!(entry["referenceId"], reference.as_str());
        assert_eq!(entry["externalId"], data["transaction_id"]);
        assert_eq!(entry["status"], *status);
        let amount = match &request["amount"] {
            Value::String(s) => s.parse::<f64>().unwrap(),
            v => v.as_f64().unwrap(),
        };
        assert_eq!(entry["amount"].as_f64().unwrap(), amount);
    }
    assert_eq!(entries[0]["party"], "01023456789");
    assert_eq!(entries[5]["party"], "1111222233334444");
    let spent = 10.0 + 20.5 + 30.0 + 40.0 + 50.0 + 60.0 + 150.0;
    assert_eq!(balance(&p).await, 10_000_000.0 - spent);
}

#[tokio::test]
async fn invalid_requests_fail_locally_and_send_nothing() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({}));
    let reference = "0b6f1c39-2a53-4a8e-9b1e-3f3d6a0f4c21";
    let card = json!({"issuer": "bank_card", "bankCardNumber": "1111222233334444", "bankCode": "CIB",
                      "bankTransactionType": "salary", "fullName": "Mona Ali", "amount": 5});
    let with = |base: &Value, k: &str, v: Value| {
        let mut b = base.clone();
        if v.is_null() {
            b.as_object_mut().unwrap().remove(k);
        } else {
            b[k] = v;
        }
        b
    };
    let wallet = json!({"issuer": "vodafone", "msisdn": "01023456789", "amount": 5, "clientReferenceId": reference});
    let cases: Vec<(Value, &str)> = vec![
        (with(&wallet, "issuer", json!("fawry")), "issuer"),
        (with(&wallet, "issuer", Value::Null), "issuer"),
        (with(&wallet, "issuer", json!(7)), "issuer"),
        (with(&wallet, "msisdn", Value::Null), "msisdn"),
        (with(&wallet, "msisdn", json!("0102345678")), "msisdn"),
        (with(&wallet, "msisdn", json!("03023456789")), "msisdn"),
        (with(&wallet, "msisdn", json!(1023456789)), "msisdn"),
        (with(&wallet, "amount", Value::Null), "amount"),
        (with(&wallet, "amount", json!(0)), "amount"),
        (with(&wallet, "amount", json!(-3)), "amount"),
        (with(&wallet, "amount", json!("12.345")), "amount"),
        (with(&wallet, "amount", json!("ten")), "amount"),
        (with(&wallet, "amount", json!([1])), "amount"),
        (with(&wallet, "pin", json!("12345")), "pin"),
        (with(&wallet, "fees", json!("Some")), "fees"),
        (with(&wallet, "comment", json!("x".repeat(37))), "comment"),
        (with(&wallet, "nationalId", json!("123")), "nationalId"),
        (
            with(&wallet, "customerBearsFees", json!("yes")),
            "customerBearsFees",
        ),
        (with(&wallet, "fullName", json!("Mona <Ali>")), "fullName"),
        (
            json!({"issuer": "aman", "msisdn": "01023456789", "amount": 5, "firstName": "M", "lastName": "A"}),
            "email",
        ),
        (
            json!({"issuer": "aman", "msisdn": "01023456789", "amount": 5, "firstName": "M", "email": "m@x.eg"}),
            "lastName",
        ),
        (
            json!({"issuer": "aman", "msisdn": "01023456789", "amount": 5, "firstName": "M", "lastName": "A", "email": "nope"}),
            "email",
        ),
        (
            with(&card, "bankCardNumber", json!("12345")),
            "bankCardNumber",
        ),
        (with(&card, "bankCardNumber", Value::Null), "bankCardNumber"),
        (with(&card, "bankCode", json!("ZZZ")), "bankCode"),
        (
            with(&card, "bankTransactionType", json!("gift")),
            "bankTransactionType",
        ),
        (
            with(&card, "bankTransactionType", Value::Null),
            "bankTransactionType",
        ),
        (with(&card, "fullName", Value::Null), "fullName"),
        (with(&card, "fullName", json!("x".repeat(71))), "fullName"),
        (with(&card, "fullName", json!("Mona, Ali")), "fullName"),
        (
            json!({"issuer": "instant_bank", "bankCardNumber": "123456789", "bankCode": "NBE", "fullName": "M A", "amount": 100}),
            "amount",
        ),
        (
            json!({"issuer": "instant_bank", "bankCardNumber": "123456789", "bankCode": "N-B", "fullName": "M A", "amount": 200}),
            "bankCode",
        ),
        (
            json!({"issuer": "instant_bank", "bankCardNumber": "123456789", "amount": 200, "fullName": "M A"}),
            "bankCode",
        ),
        (
            with(&wallet, "clientReferenceId", json!("not-a-uuid")),
            "clientReferenceId",
        ),
    ];
    for (request, field) in cases {
        let f = err(
            p.instant_cashin(req(request.clone())).await,
            FailureKind::InvalidData,
        );
        assert_eq!(
            f.field.as_deref(),
            Some(field),
            "{request} -> {}",
            f.to_json()
        );
        assert!(!f.retryable);
        let r = f.reference_id.as_deref();
        if request.get("clientReferenceId") == Some(&json!(reference)) {
            assert_eq!(r, Some(reference), "{request}");
        } else if field != "clientReferenceId" {
            assert!(Uuid::try_parse(r.unwrap()).is_ok(), "{request}");
        }
    }
    for bad in [
        Arg::Undefined,
        Arg::Null,
        Arg::from("x"),
        Arg::Number(1.0),
        req(json!([1])),
    ] {
        let f = err(p.instant_cashin(bad).await, FailureKind::InvalidData);
        assert_eq!(f.field.as_deref(), Some("request"));
        assert!(f.reference_id.is_some());
    }
    assert_eq!(stat(&sb, "paymobRequests"), 0);
    assert!(ledger(&sb).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_cashins_share_one_token_request() {
    let sb = sandbox(|_| {}).await;
    let p = Arc::new(client(&sb, json!({})));
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let p = p.clone();
            tokio::spawn(async move {
                p.instant_cashin(wallet("vodafone", VODAFONE_OK, f64::from(i) + 1.0))
                    .await
            })
        })
        .collect();
    let mut references = std::collections::HashSet::new();
    for t in tasks {
        let data = ok(t.await.unwrap());
        assert_eq!(data["disbursement_status"], "successful");
        references.insert(data["clientReferenceId"].as_str().unwrap().to_owned());
    }
    assert_eq!(references.len(), 50);
    assert_eq!(stat(&sb, "paymobTokenRequests"), 1);
    assert_eq!(requests_to(&sb, "/disburse/").len(), 50);
    let entries = ledger(&sb);
    assert_eq!(entries.len(), 50);
    let total: f64 = entries.iter().map(|e| e["amount"].as_f64().unwrap()).sum();
    assert_eq!(total, (1..=50).sum::<u32>() as f64);
    assert!(entries
        .iter()
        .all(|e| references.contains(e["referenceId"].as_str().unwrap())));
}
