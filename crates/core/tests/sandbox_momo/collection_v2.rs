//! Collection's v2 resources: invoices (paid, cancelled, expired), pre-approvals (listed,
//! cancelled) and payments; the balance and the ledger.

use super::collection::create;
use super::*;

const INVOICE: &str = "/collection/v2_0/invoice";
const PREAPPROVAL: &str = "/collection/v2_0/preapproval";
const PAYMENT: &str = "/collection/v2_0/payment";

fn invoice_body(payer: &str, amount: &str, validity: &str) -> Value {
    json!({
        "externalId": "inv-1",
        "amount": amount,
        "currency": "EUR",
        "validityDuration": validity,
        "intendedPayer": { "partyIdType": "MSISDN", "partyId": payer },
        "payee": { "partyIdType": "MSISDN", "partyId": "46733000000" },
        "description": "March rent",
    })
}

async fn cancel_invoice(env: &Env, token: &str, invoice: &str, cancel: &str) -> StatusCode {
    env.request_as(token, Method::DELETE, &format!("{INVOICE}/{invoice}"))
        .header("X-Reference-Id", cancel)
        .json(&json!({ "externalId": "inv-1" }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn invoices_are_created_then_paid_cancelled_or_expired() {
    let (cb, mut rx) = listener().await;
    let env = Env::with(|o| o.settle_after_ms = 1500).await;
    let token = env.token_for("collection").await;
    let before = env.balance(Product::Collection);
    let body = invoice_body(&msisdn(99), "40", "3600");
    let open = create(&env, &token, INVOICE, &body, Some(&cb)).await;
    let (_, v) = env.get_json_as(&token, &format!("{INVOICE}/{open}")).await;
    assert_eq!(v["status"], "CREATED");
    assert_eq!(
        (v["referenceId"].as_str(), v["description"].as_str()),
        (Some(open.as_str()), Some("March rent"))
    );
    assert!(v["invoiceId"].is_string() && v["paymentReference"].is_string());
    assert!(v["expiryDateTime"].is_string());

    // Cancelled with a reference of its own: FAILED / TRANSACTION_CANCELED, and the
    // invoice's callback says so.
    let cancel = id();
    assert_eq!(
        cancel_invoice(&env, &token, &open, &cancel).await,
        StatusCode::OK
    );
    let v = env
        .get_json_as(&token, &format!("{INVOICE}/{open}"))
        .await
        .1;
    assert_eq!(
        (v["status"].as_str(), v["errorReason"].as_str()),
        (Some("FAILED"), Some("TRANSACTION_CANCELED"))
    );
    let c = next_callback(&mut rx).await;
    assert_eq!(
        (c.method, c.reference, c.body["status"].clone()),
        (Method::PUT, open.clone(), json!("FAILED"))
    );
    assert_eq!(
        cancel_invoice(&env, &token, &open, &cancel).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        cancel_invoice(&env, &token, &open, &id()).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        cancel_invoice(&env, &token, &id(), &id()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(env.ledger_entry(&open)["status"], "FAILED");

    // Paid by the intended payer after the window: the merchant is credited.
    let paid = create(&env, &token, INVOICE, &body, None).await;
    assert_eq!(
        env.final_as(&token, &format!("{INVOICE}/{paid}")).await["status"],
        "SUCCESSFUL"
    );
    assert_eq!(env.balance(Product::Collection), before + 40.0);
    assert_eq!(env.ledger_entry(&paid)["kind"], "invoice");
    // Never paid (…54): it expires when its validity ends.
    let body = invoice_body(&msisdn(54), "40", "1");
    let expiring = create(&env, &token, INVOICE, &body, None).await;
    let v = env.final_as(&token, &format!("{INVOICE}/{expiring}")).await;
    assert_eq!(
        (v["status"].as_str(), v["errorReason"].as_str()),
        (Some("FAILED"), Some("EXPIRED"))
    );
    assert_eq!(env.balance(Product::Collection), before + 40.0);
    let (code, _) = env
        .post_as(&token, INVOICE, &paid, &invoice_body("1", "1", "60"), None)
        .await;
    assert_eq!(code, StatusCode::CONFLICT);
}

fn preapproval_body(payer: &str) -> Value {
    json!({
        "payer": { "partyIdType": "MSISDN", "partyId": payer },
        "payerCurrency": "EUR",
        "payerMessage": "monthly subscription",
        "validityTime": 3600,
    })
}

#[tokio::test]
async fn pre_approvals_are_listed_once_approved_and_can_be_cancelled() {
    let env = Env::start(opts()).await;
    let token = env.token_for("collection").await;
    let (yes, no) = (preapproval_body(&msisdn(99)), preapproval_body(&msisdn(51)));
    let approved = create(&env, &token, PREAPPROVAL, &yes, None).await;
    let rejected = create(&env, &token, PREAPPROVAL, &no, None).await;
    let v = env
        .final_as(&token, &format!("{PREAPPROVAL}/{approved}"))
        .await;
    assert_eq!(v["status"], "SUCCESSFUL");
    assert_eq!(v["payerCurrency"], "EUR");
    assert!(v["expirationDateTime"].is_string());
    let v = env
        .final_as(&token, &format!("{PREAPPROVAL}/{rejected}"))
        .await;
    assert_eq!(v["reason"], "APPROVAL_REJECTED");
    let (code, _) = env
        .post_as(
            &token,
            PREAPPROVAL,
            &id(),
            &preapproval_body(&msisdn(57)),
            None,
        )
        .await;
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);

    let list_path = format!("/collection/v1_0/preapprovals/msisdn/{}", msisdn(99));
    let (code, list) = env.get_json_as(&token, &list_path).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let entry = &list[0];
    assert_eq!(
        (entry["preApprovalId"].as_str(), entry["status"].as_str()),
        (Some(approved.as_str()), Some("APPROVED"))
    );
    assert_eq!(
        (entry["fromCurrency"].as_str(), entry["message"].as_str()),
        (Some("EUR"), Some("monthly subscription"))
    );
    assert_eq!(
        env.get_json_as(&token, "/collection/v1_0/preapprovals/msisdn/1")
            .await
            .1,
        json!([])
    );

    let cancel = |reference: String| {
        let req = env.request_as(
            &token,
            Method::DELETE,
            &format!("/collection/v1_0/preapproval/{reference}"),
        );
        async move { req.send().await.unwrap().status() }
    };
    assert_eq!(cancel(approved.clone()).await, StatusCode::OK);
    assert_eq!(env.get_json_as(&token, &list_path).await.1, json!([]));
    assert_eq!(cancel(approved).await, StatusCode::NOT_FOUND);
    assert_eq!(cancel(rejected).await, StatusCode::NOT_FOUND);
    // A mandate moves no money: nothing in the ledger.
    assert!(env.ledger().is_empty());
}

fn payment_body(amount: &str) -> Value {
    json!({
        "externalTransactionId": "bill-7",
        "money": { "amount": amount, "currency": "EUR" },
        "customerReference": "46070911111",
        "serviceProviderUserName": "Electricity Inc.",
        "receiverMessage": "March",
        "includeSenderCharges": false,
    })
}

#[tokio::test]
async fn payments_draw_from_the_merchant() {
    let env = Env::with_momo(|m| m.balance = 100.0).await;
    let token = env.token_for("collection").await;
    let paid = create(&env, &token, PAYMENT, &payment_body("60"), None).await;
    let short = create(&env, &token, PAYMENT, &payment_body("60"), None).await;
    let v = env.final_as(&token, &format!("{PAYMENT}/{paid}")).await;
    assert_eq!(
        (v["status"].as_str(), v["referenceId"].as_str()),
        (Some("SUCCESSFUL"), Some(paid.as_str()))
    );
    assert!(v["financialTransactionId"].is_string());
    let v = env.final_as(&token, &format!("{PAYMENT}/{short}")).await;
    assert_eq!(
        (v["status"].as_str(), v["reason"].as_str()),
        (Some("FAILED"), Some("NOT_ENOUGH_FUNDS"))
    );
    assert_eq!(env.balance(Product::Collection), 40.0);
    let entry = env.ledger_entry(&paid);
    assert_eq!(
        (
            entry["kind"].as_str(),
            entry["party"].as_str(),
            entry["externalId"].as_str(),
            entry["amount"].as_f64()
        ),
        (
            Some("payment"),
            Some("46070911111"),
            Some("bill-7"),
            Some(60.0)
        )
    );
    let mut bad = payment_body("1");
    bad["money"] = json!({ "amount": 1, "currency": "EUR" });
    let (code, text) = env.post_as(&token, PAYMENT, &id(), &bad, None).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("money.amount"));
}
