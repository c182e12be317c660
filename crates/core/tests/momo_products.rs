//! The Collection and Remittance clients (`MomoClient` with their product) against the
//! embedded sandbox over real HTTP: every operation's result, the request it sent, the
//! ledger, and the money-safety paths of the new money calls.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mobilemoney_core::momo::endpoints::{self, Endpoint};
use mobilemoney_core::momo::MomoClient;
use mobilemoney_core::momo::Product;
use mobilemoney_core::sandbox::faults::FaultKind;
use mobilemoney_core::sandbox::{Sandbox, SandboxOptions};
use mobilemoney_core::{Arg, FailureKind};
use serde_json::{json, Value};
use uuid::Uuid;

mod common;
use common::KEY;

struct World {
    sb: Sandbox,
    user: String,
    key: String,
}

impl World {
    async fn start() -> World {
        let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
        let http = reqwest::Client::new();
        let (user, key) = common::provision(&http, &sb.url(), Some("127.0.0.1")).await;
        World { sb, user, key }
    }

    fn client(&self, product: Product) -> MomoClient {
        let options = json!({
            "baseUrl": self.sb.url(),
            "apiUser": self.user,
            "apiKey": self.key,
            "retryBackoffMs": 10,
            "timeoutMs": 2000,
            "callbackUrl": "http://127.0.0.1:9/cb",
        });
        MomoClient::new(product, &Arg::String(KEY.into()), &Arg::Json(options), None)
    }

    fn requests(&self, method: &str, path: &str) -> Vec<Value> {
        let all = self.sb.state().requests_json();
        all.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["method"] == method && r["path"].as_str().unwrap().contains(path))
            .cloned()
            .collect()
    }

    fn ledger(&self, reference: &str) -> Vec<Value> {
        let all = self.sb.state().ledger_json();
        all.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["referenceId"] == reference)
            .cloned()
            .collect()
    }

    fn fault(&self, kind: FaultKind, method: &str, path: &str, times: u32) {
        let rule = common::fault_rule(kind, Some(method), path, times);
        self.sb.state().faults.add(rule);
    }
}

fn party(id: &str) -> Value {
    json!({ "partyIdType": "MSISDN", "partyId": id })
}

fn body_for(endpoint: &Endpoint, msisdn: &str) -> Value {
    match endpoint.noun {
        "request to pay" | "request to withdraw" => {
            json!({ "amount": "6", "currency": "EUR", "externalId": "e", "payer": party(msisdn) })
        }
        "invoice" => json!({ "amount": "6", "currency": "EUR", "validityDuration": "3600",
            "intendedPayer": party(msisdn), "payee": party("46733123498") }),
        "pre-approval" => {
            json!({ "payer": party(msisdn), "payerCurrency": "EUR", "validityTime": 600 })
        }
        "payment" => json!({ "money": { "amount": "6", "currency": "EUR" },
            "customerReference": "c", "serviceProviderUserName": "s" }),
        "cash transfer" => json!({ "amount": "6", "currency": "EUR", "payee": party(msisdn),
            "orginatingCountry": "GH", "payerIdentificationType": "PASS" }),
        _ => json!({ "amount": "6", "currency": "EUR", "payee": party(msisdn) }),
    }
}

async fn pay(
    client: &MomoClient,
    endpoint: &'static Endpoint,
    reference: &str,
    body: Value,
) -> Result<Value, mobilemoney_core::Failure> {
    client.pay_with_reference(endpoint, reference, body).await
}

async fn status(client: &MomoClient, endpoint: &'static Endpoint, reference: &str) -> Value {
    client
        .status_of_reference(endpoint, reference)
        .await
        .unwrap()
}

/// `endpoint` under `reference` with a body to a number that succeeds.
async fn send(
    client: &MomoClient,
    endpoint: &'static Endpoint,
    reference: &str,
) -> Result<Value, mobilemoney_core::Failure> {
    pay(
        client,
        endpoint,
        reference,
        body_for(endpoint, "46733123499"),
    )
    .await
}

const COLLECTION_MONEY: [&Endpoint; 6] = [
    &endpoints::REQUEST_TO_PAY,
    &endpoints::REQUEST_TO_WITHDRAW,
    &endpoints::WITHDRAW,
    &endpoints::INVOICE,
    &endpoints::PRE_APPROVAL,
    &endpoints::PAYMENT,
];
const REMITTANCE_MONEY: [&Endpoint; 2] =
    [&endpoints::REMITTANCE_TRANSFER, &endpoints::CASH_TRANSFER];

#[tokio::test]
async fn every_money_endpoint_is_accepted_read_back_and_sent_as_the_table_says() {
    let w = World::start().await;
    for (product, table) in [
        (Product::Collection, &COLLECTION_MONEY[..]),
        (Product::Remittance, &REMITTANCE_MONEY[..]),
    ] {
        let client = w.client(product);
        for endpoint in table {
            let reference = Uuid::new_v4().to_string();
            let accepted = send(&client, endpoint, &reference).await;
            assert_eq!(
                accepted.unwrap(),
                json!({ "referenceId": reference }),
                "{}",
                endpoint.noun
            );
            let path = format!("{}{}", product.base(), endpoint.path);
            let posts: Vec<Value> = w
                .requests("POST", &path)
                .into_iter()
                .filter(|r| r["headers"]["x-reference-id"] == reference.as_str())
                .collect();
            assert_eq!(posts.len(), 1, "{}", endpoint.noun);
            assert_eq!(posts[0]["path"], path);
            assert_eq!(
                posts[0]["headers"]["x-callback-url"],
                "http://127.0.0.1:9/cb"
            );
            let result = status(&client, endpoint, &reference).await;
            assert!(
                result.get("status").is_some(),
                "{}: {result}",
                endpoint.noun
            );
            let gets = w.requests("GET", &reference);
            assert!(!gets.is_empty());
            for g in gets {
                assert!(
                    g["headers"].get("x-reference-id").is_none(),
                    "a status GET sent X-Reference-Id"
                );
            }
            if endpoint.noun != "pre-approval" {
                assert_eq!(
                    w.ledger(&reference).len(),
                    1,
                    "{} in the ledger",
                    endpoint.noun
                );
            }
        }
    }
}

#[tokio::test]
async fn the_shared_calls_go_under_each_product() {
    let w = World::start().await;
    for product in [Product::Collection, Product::Remittance] {
        let client = w.client(product);
        let balance = client
            .get_account_balance(&Arg::Undefined, &Arg::Undefined)
            .await
            .unwrap();
        assert_eq!(balance["currency"], "EUR");
        client
            .get_basic_user_info(
                &Arg::String("46733123499".into()),
                &Arg::Undefined,
                &Arg::Undefined,
            )
            .await
            .unwrap();
        let active = client
            .is_active(
                &Arg::String("46733123499".into()),
                &Arg::Undefined,
                &Arg::Undefined,
                &Arg::Undefined,
            )
            .await
            .unwrap();
        assert_eq!(active, json!({ "result": true }));
        assert_eq!(
            w.requests("POST", &format!("{}/token/", product.base()))
                .len(),
            1
        );
        assert_eq!(
            w.requests("GET", &format!("{}/v1_0/account/balance", product.base()))
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn uncertain_sends_are_reconciled_or_unknown_for_each_new_money_call() {
    let w = World::start().await;
    let cases: [(Product, &'static Endpoint); 5] = [
        (Product::Collection, &endpoints::REQUEST_TO_PAY),
        (Product::Collection, &endpoints::WITHDRAW),
        (Product::Collection, &endpoints::PAYMENT),
        (Product::Remittance, &endpoints::REMITTANCE_TRANSFER),
        (Product::Remittance, &endpoints::CASH_TRANSFER),
    ];
    for (product, endpoint) in cases {
        let client = w.client(product);
        client
            .get_account_balance(&Arg::Undefined, &Arg::Undefined)
            .await
            .unwrap();
        let post = format!("{}{}", product.base(), endpoint.path);
        let get = format!("{}{}/", product.base(), endpoint.status_path);

        // Recorded, then the answer lost: the retry meets 409 for our own reference and the
        // lookup tells the truth.
        w.fault(FaultKind::ResetAfter, "POST", &post, 1);
        let reference = Uuid::new_v4().to_string();
        let recovered = send(&client, endpoint, &reference).await.unwrap();
        assert_eq!(recovered["recovered"], true, "{}", endpoint.noun);
        assert_eq!(recovered["referenceId"], reference.as_str());
        assert_eq!(w.ledger(&reference).len(), 1);

        // Lost answers and a lookup that fails: UnknownOutcome, the same reference throughout.
        w.fault(FaultKind::ResetAfter, "POST", &post, 10);
        w.fault(FaultKind::Status500, "GET", &get, 100);
        let reference = Uuid::new_v4().to_string();
        let unknown = send(&client, endpoint, &reference).await.unwrap_err();
        assert_eq!(
            unknown.kind,
            FailureKind::UnknownOutcome,
            "{}",
            endpoint.noun
        );
        assert_eq!(unknown.reference_id.as_deref(), Some(reference.as_str()));
        assert_eq!(w.ledger(&reference).len(), 1);
        w.sb.state().faults.clear();

        // The caller reusing a reference: Conflict, no second payment.
        let reference = Uuid::new_v4().to_string();
        send(&client, endpoint, &reference).await.unwrap();
        let again = send(&client, endpoint, &reference).await.unwrap_err();
        assert_eq!(again.kind, FailureKind::Conflict);
        assert_eq!(w.ledger(&reference).len(), 1);
    }
}

#[tokio::test]
async fn an_endpoint_of_another_product_is_refused_before_sending() {
    let w = World::start().await;
    let remittance = w.client(Product::Remittance);
    let reference = Uuid::new_v4().to_string();
    let f = pay(
        &remittance,
        &endpoints::REQUEST_TO_PAY,
        &reference,
        body_for(&endpoints::REQUEST_TO_PAY, "46733123499"),
    )
    .await
    .unwrap_err();
    assert_eq!(f.kind, FailureKind::InvalidData);
    assert!(w.requests("POST", "requesttopay").is_empty());
}
