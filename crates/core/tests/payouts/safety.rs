//! The money-safety rules of the engine: a reference the provider took is never sent as
//! new, a resend keeps the stored reference, an item on the wire is left to its sender,
//! a final 5xx is looked up, credentials refused stop the run, no secret is stored.

use mobilemoney_core::momo::endpoints::TRANSFER;
use mobilemoney_core::momo::MomoClient;
use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{ItemRow, ItemState, Ledger, Status};
use mobilemoney_core::payouts::provider::paymob::Paymob;
use mobilemoney_core::payouts::provider::{found_for_unsure, Found, Provider};
use mobilemoney_core::sandbox::faults::{FaultKind, FaultRule};
use mobilemoney_core::{Arg, Failure, FailureKind};
use serde_json::{json, Value};
use uuid::Uuid;

use super::support::*;

fn fault(kind: FaultKind, method: &str, path: &str, times: u32) -> FaultRule {
    crate::common::fault_rule(kind, Some(method), path, times)
}

/// Writes `state` over the item's row, as an earlier step (or a crashed process) left it.
async fn leave(w: &World, batch: &str, key: &str, f: impl FnOnce(&ItemRow) -> ItemState) {
    let ledger = SqliteLedger::open(&w.db).unwrap();
    let row = ledger.item(batch, key).await.unwrap().unwrap();
    let next = f(&row);
    ledger.transition(&row, next).await.unwrap().unwrap();
    ledger.close().await.unwrap();
}

fn posts(w: &World, path: &str) -> usize {
    w.sb.state()
        .requests_json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"].as_str().unwrap().ends_with(path))
        .count()
}

const AN_HOUR_MS: i64 = 3_600_000;

#[tokio::test]
async fn a_paymob_reference_used_before_is_looked_up_not_refused() {
    let w = world(|_| {}).await;
    let o = w.options();
    let _p = w
        .submitted("used", json!([paymob("p0", "01023456789")]))
        .await;
    let row = w.row("used", "p0").await;
    let r = first_reference("used", &row);
    let adapter = Paymob::new(&o["paymob"], None).unwrap();
    // Paid once; the same reference again is "used before": the inquiry tells the truth.
    assert!(matches!(
        adapter.send(&row.item, &r).await,
        Found::Successful { .. }
    ));
    assert!(matches!(
        adapter.send(&row.item, &r).await,
        Found::Successful { .. }
    ));
    // When the inquiry cannot tell, the reference is still known to be taken.
    w.sb.state().faults.add(fault(
        FaultKind::Status500,
        "POST",
        "/transaction/inquire/",
        100,
    ));
    let found = adapter.send(&row.item, &r).await;
    assert!(matches!(found, Found::Acknowledged { .. }), "{found:?}");
    assert_eq!(w.paid().len(), 1);
}

#[tokio::test]
async fn a_lookup_finding_nothing_after_acceptance_never_requeues() {
    let w = world(|_| {}).await;
    let p = w.payouts().await;
    let items: Vec<Value> = (0..3)
        .map(|i| momo(&format!("m{i}"), &format!("467331299{i:02}")))
        .collect();
    p.submit("acc", &json!(items)).await.unwrap();
    let stale = now_ms() - AN_HOUR_MS;
    // m0 accepted (pending), m1 answered 409 (acknowledged), m2 sent five times unseen:
    // the provider has none of their references.
    for (key, status, acknowledged, sends) in [
        ("m0", Status::Pending, true, 1),
        ("m1", Status::Unknown, true, 1),
        ("m2", Status::Unknown, false, 5),
    ] {
        leave(&w, "acc", key, |row| ItemState {
            status,
            reference: Some(first_reference("acc", row)),
            sends,
            acknowledged,
            updated_ms: stale,
            ..row.state.clone()
        })
        .await;
    }
    for key in ["m0", "m1", "m2"] {
        let step = p.reconcile("acc", key).await.unwrap();
        let want = if key == "m0" { "pending" } else { "unknown" };
        assert_eq!(step["status"], want, "{step}");
        // Five sends never recorded: only an operator settles it now, and a job queue
        // stops following it.
        assert_eq!(step["needsLookup"], key != "m2", "{step}");
        assert_eq!(
            step["awaitingOperator"].as_bool(),
            (key == "m2").then_some(true)
        );
        assert_eq!(step["lookups"], 1, "{step}");
    }
    assert_eq!(posts(&w, "/transfer"), 0);
    assert!(w.paid().is_empty());
    // A run bounded by settleTimeoutMs looks them up again, and still sends nothing.
    let summary = p
        .run("acc", &json!({ "settleTimeoutMs": 300 }), None)
        .await
        .unwrap();
    assert_eq!(summary["byStatus"]["refused"], 0, "{summary}");
    assert_eq!(summary["byStatus"]["queued"], 0, "{summary}");
    assert_eq!(posts(&w, "/transfer"), 0);
}

#[tokio::test]
async fn a_resend_keeps_the_stored_reference_and_another_secret_is_refused() {
    let w = world(|_| {}).await;
    let p = w
        .submitted(
            "keep",
            json!([momo("m0", "46733129901"), momo("m1", "46733129902")]),
        )
        .await;
    // The stored reference is not the one this secret makes (written by another
    // version, say): the resend after a lookup found nothing must use it all the same.
    let stored = Uuid::new_v4().to_string();
    leave(&w, "keep", "m0", |row| ItemState {
        status: Status::Unknown,
        reference: Some(stored.clone()),
        sends: 1,
        updated_ms: now_ms() - AN_HOUR_MS,
        ..row.state.clone()
    })
    .await;
    let step = p.process("keep", "m0").await.unwrap();
    assert_eq!(step["referenceId"], stored.as_str(), "{step}");
    assert!(w.paid().contains_key(&stored));

    let mut other = w.options();
    other["secret"] = json!("another-secret-of-enough-length");
    let q = w.payouts_with(other).await;
    for f in [
        q.run("keep", &Value::Null, None).await.unwrap_err(),
        q.process("keep", "m1").await.unwrap_err(),
        q.retry_failed("keep").await.unwrap_err(),
    ] {
        assert_eq!(f.kind, FailureKind::InvalidData, "{f}");
        assert_eq!(f.field.as_deref(), Some("secret"));
        assert!(f.message.contains("another secret"), "{}", f.message);
    }
    assert_eq!(w.paid().len(), 1);
    // The summary and the items are still readable with any secret.
    assert!(q.summary("keep").await.is_ok());
}

#[tokio::test]
async fn an_item_sending_within_its_lease_is_not_looked_up() {
    let w = world(|_| {}).await;
    let mut o = w.options();
    // A short lease: 3 × 200 ms × 1.5 with no retries.
    for p in ["momo", "paymob"] {
        o[p]["timeoutMs"] = json!(200);
        o[p]["maxRetries"] = json!(0);
    }
    let p = w.payouts_with(o).await;
    p.submit("lease", &json!([momo("m0", "46733129903")]))
        .await
        .unwrap();
    leave(&w, "lease", "m0", |row| {
        sending(row, &first_reference("lease", row), now_ms())
    })
    .await;
    w.sb.state().clear_requests();
    // Another worker's request may be on the wire: no lookup, no send.
    let step = p.reconcile("lease", "m0").await.unwrap();
    assert_eq!(step["status"], "sending");
    // Come back when the lease is over.
    assert!(step["nextCheckAt"].is_string(), "{step}");
    let step = p.process("lease", "m0").await.unwrap();
    assert_eq!(step["status"], "sending");
    assert!(w.sb.state().requests_json().as_array().unwrap().is_empty());
    // `run` waits the lease out, then looks it up (nothing there) and sends it once.
    let summary = p.run("lease", &Value::Null, None).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 1, "{summary}");
    assert_eq!(posts(&w, "/transfer"), 1);
    assert_eq!(w.paid().len(), 1);
}

#[tokio::test]
async fn a_final_5xx_on_a_momo_transfer_is_looked_up() {
    let w = world(|_| {}).await;
    let mut o = w.options()["momo"].clone();
    o.as_object_mut().unwrap().remove("lookupsPerSecond");
    let key = Arg::from(KEY);
    let client = MomoClient::disbursements(&key, &Arg::Json(o), None);
    // Every attempt answered 503: the request may have been taken, so it is looked up.
    w.sb.state()
        .faults
        .add(fault(FaultKind::Status503, "POST", "/v1_0/transfer", 3));
    let r = Uuid::new_v4().to_string();
    let body = json!({ "amount": "5", "currency": "EUR", "externalId": "x",
        "payee": { "partyIdType": "MSISDN", "partyId": "46733129904" } });
    let f = client
        .pay_with_reference(&TRANSFER, &r, body)
        .await
        .unwrap_err();
    assert_eq!(f.kind, FailureKind::UnknownOutcome, "{f}");
    assert_eq!(f.reference_id.as_deref(), Some(r.as_str()));
    let lookups =
        w.sb.state()
            .requests_json()
            .as_array()
            .unwrap()
            .iter()
            .filter(|q| q["method"] == "GET" && q["path"].as_str().unwrap().ends_with(&r))
            .count();
    assert_eq!(lookups, 1);
}

#[test]
fn every_refused_credential_is_the_accounts_not_the_items() {
    // A wrong key is a 401 (the run stops: see batches); a token MoMo would not take or
    // a managed token that could not be made are the account's too.
    for kind in [
        FailureKind::Unauthorized,
        FailureKind::Forbidden,
        FailureKind::InvalidBearerToken,
        FailureKind::InvalidBasicToken,
    ] {
        let found = found_for_unsure(&Failure::new(kind, "refused"));
        assert!(matches!(found, Found::AccountRefused { .. }), "{kind}");
    }
}

#[tokio::test]
async fn no_secret_reaches_the_ledger_file_and_items_carry_no_pin() {
    let w = world(|_| {}).await;
    let o = w.options();
    let p = w.payouts().await;
    let mut with_pin = paymob("p1", "01023456789");
    with_pin["pin"] = json!("123456");
    let f = p.submit("pin", &json!([with_pin])).await.unwrap_err();
    assert_eq!(f.field.as_deref(), Some("items[0].pin"), "{f}");
    assert!(!f.message.contains("123456"), "{}", f.message);
    p.submit(
        "pin",
        &json!([paymob("p0", "01023456789"), momo("m0", "46733129905")]),
    )
    .await
    .unwrap();
    let summary = p.run("pin", &Value::Null, None).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 2, "{summary}");
    p.close().await.unwrap();
    let mut bytes = Vec::new();
    for suffix in ["", "-wal"] {
        let mut path = w.db.clone().into_os_string();
        path.push(suffix);
        bytes.extend(std::fs::read(path).unwrap_or_default());
    }
    let text = String::from_utf8_lossy(&bytes);
    for secret in [
        SECRET,
        w.api_key.as_str(),
        o["paymob"]["password"].as_str().unwrap(),
        o["paymob"]["clientSecret"].as_str().unwrap(),
    ] {
        assert!(!text.contains(secret), "a secret is in the ledger file");
    }
}

#[tokio::test]
async fn paymob_lookups_are_one_request_a_group_and_hold_for_the_buckets_real_wait() {
    let w = world(|_| {}).await;
    let mut o = w.options()["paymob"].clone();
    o.as_object_mut().unwrap().remove("lookupsPerSecond");
    o["inquiriesPerMinute"] = json!(1);
    let adapter = Paymob::new(&o, None).unwrap();
    let p = w.payouts().await;
    let bank = json!({ "key": "b0", "provider": "paymob", "issuer": "bank_card",
        "bankCardNumber": "1111222233334444", "bankCode": "CIB",
        "bankTransactionType": "salary", "fullName": "Mona Ali", "amount": 60 });
    p.submit("groups", &json!([paymob("p0", "01023456789"), bank]))
        .await
        .unwrap();
    let ledger = SqliteLedger::open(&w.db).unwrap();
    let wallet = ledger.item("groups", "p0").await.unwrap().unwrap().item;
    let bank = ledger.item("groups", "b0").await.unwrap().unwrap().item;
    // Wallets and bank rails are inquired apart: two requests, two pacing turns.
    assert_ne!(adapter.lookup_group(&wallet), adapter.lookup_group(&bank));
    let r = Uuid::new_v4().to_string();
    assert_eq!(
        adapter.lookup(&[(&wallet, r.as_str())]).await,
        [Found::NotFound]
    );
    // The client's bucket (one a minute) is spent: the hold is its real wait, not 1 s.
    match adapter.lookup(&[(&wallet, r.as_str())]).await.as_slice() {
        [Found::Throttled { wait: Some(wait) }] => {
            assert!(wait.as_secs() >= 50, "{wait:?}")
        }
        other => panic!("{other:?}"),
    }
}
