//! The money-safety guarantees of docs/bulk-payouts.md, each reproduced against the embedded sandbox
//! (the simulation in `payouts_sim.rs` searches the schedules; these pin the cases a
//! review found by hand).

use std::sync::Arc;

use mobilemoney_core::momo::endpoints::TRANSFER;
use mobilemoney_core::momo::MomoClient;
use mobilemoney_core::payouts::clock::Clock;
use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{Ledger, Status};
use mobilemoney_core::payouts::liveness::Liveness;
use mobilemoney_core::sandbox::faults::FaultKind;
use mobilemoney_core::Arg;
use serde_json::{json, Value};

use mobilemoney_core::payouts::operator::Resolution;

use crate::support::*;

/// A transfer booked under an item's reference for another payee and amount (what a
/// second ledger with the same secret and batch id once did) is never the item's outcome.
#[tokio::test]
async fn a_transaction_of_another_payment_is_a_mismatch_not_a_payment() {
    let w = world(|_| {}).await;
    let p = w.submitted("mm", json!([momo("m0", "46733129901")])).await;
    let r = first_reference("mm", &w.row("mm", "m0").await);
    let o = &w.options()["momo"];
    let client = MomoClient::disbursements(&Arg::from(KEY), &Arg::Json(o.clone()), None);
    let foreign = json!({ "amount": "950", "currency": "EUR", "externalId": "x",
        "payee": { "partyIdType": "MSISDN", "partyId": "46733129999" } });
    client
        .pay_with_reference(&TRANSFER, &r, foreign)
        .await
        .unwrap();
    let summary = p.run("mm", &Value::Null, None).await.unwrap();
    assert_eq!(summary["awaitingOperator"], 1, "{summary}");
    assert_eq!(summary["byStatus"]["successful"], 0, "{summary}");
    let items = p.items("mm", &ItemsQuery::default()).await.unwrap();
    assert_eq!(items[0]["status"], "unknown");
    assert_eq!(items[0]["reason"]["error"], "Mismatch", "{}", items[0]);
    assert_eq!(items[0]["awaitingOperator"], true);
    // Only the foreign transfer was ever booked: the item was not paid.
    assert_eq!(w.paid().len(), 1);
    // The operator settles it; only an unknown item can be settled.
    let note =
        json!({ "status": "failed", "note": "the 950 EUR transfer is not ours", "actor": "ops" });
    let done = p.resolve("mm", "m0", &resolution(&note)).await.unwrap();
    assert_eq!(done["status"], "failed");
    assert_eq!(done["resolution"]["actor"], "ops");
    assert!(done["resolution"]["at"].is_string());
    let again = p.resolve("mm", "m0", &resolution(&note)).await.unwrap_err();
    assert_eq!(again.kind.as_str(), "Conflict");
    // An operator's `failed` is not the provider's: retryFailed leaves it alone.
    let retried = p.retry_failed("mm").await.unwrap();
    assert_eq!(retried["retried"], 0, "{retried}");
}

/// An operator's resolution settles an item as successful or failed, never back into the
/// queue (its reference may still be paid): a Rust caller cannot make one that does.
#[test]
fn a_resolution_only_settles() {
    for status in [
        Status::Queued,
        Status::Sending,
        Status::Pending,
        Status::Unknown,
    ] {
        let refused = Resolution::new(status, "looked", None).unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("status"), "{status:?}");
    }
    assert!(Resolution::new(Status::Failed, "  ", None).is_err());
    assert!(Resolution::new(Status::Successful, "paid, per the portal", Some("ops")).is_ok());
}

/// MoMo's coded 500s answer the request: on its only send the item is refused with the
/// code (not resent five times and left unknown), and retryFailed may re-reference it.
#[tokio::test]
async fn a_coded_momo_500_on_the_only_send_is_a_refusal() {
    let w = world(|_| {}).await;
    // The sandbox's test number whose transfer POST answers 500 INVALID_CURRENCY.
    let p = w.submitted("cur", json!([momo("m0", "46733123461")])).await;
    let summary = p.run("cur", &Value::Null, None).await.unwrap();
    assert_eq!(summary["byStatus"]["refused"], 1, "{summary}");
    let items = p.items("cur", &ItemsQuery::default()).await.unwrap();
    assert_eq!(
        items[0]["reason"]["code"], "INVALID_CURRENCY",
        "{}",
        items[0]
    );
    assert_eq!(items[0]["sends"], 1);
    let retried = p.retry_failed("cur").await.unwrap();
    assert_eq!(retried["retried"], 1, "{retried}");
}

/// A provider that answers nothing (every transfer request and lookup cut before an
/// answer) stops the run after `unreachableAfterMs`, with one sentence, and leaves the
/// items for the next run, which pays each once.
#[tokio::test]
async fn an_unreachable_provider_stops_the_run() {
    let w = world(|_| {}).await;
    let mut o = w.options();
    o["momo"]["maxRetries"] = json!(0);
    o["momo"]["timeoutMs"] = json!(300);
    o["momo"]["unreachableAfterMs"] = json!(500);
    let p = w.payouts_with(o).await;
    let items: Vec<_> = (0..3)
        .map(|i| momo(&format!("m{i}"), &format!("467331299{i:02}")))
        .collect();
    p.submit("down", &json!(items)).await.unwrap();
    let transfer = "/disbursement/v1_0/transfer";
    let rule = crate::common::fault_rule(FaultKind::ResetBefore, None, transfer, 100_000);
    w.sb.state().faults.add(rule);
    let f = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        p.run("down", &Value::Null, None),
    )
    .await
    .expect("the run ends by itself")
    .unwrap_err();
    assert!(f.message.contains("could not be reached"), "{f}");
    let summary = p.summary("down").await.unwrap();
    assert_eq!(summary["byStatus"]["refused"], 0, "{summary}");
    assert_eq!(summary["byStatus"]["failed"], 0, "{summary}");
    w.sb.state().faults.clear();
    let summary = p.run("down", &Value::Null, None).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 3, "{summary}");
    let items = p.items("down", &ItemsQuery::default()).await.unwrap();
    assert_ledgers_agree(&w, &items);
}

/// Runners whose clocks are 15 s apart still see each other alive: liveness is compared
/// on the ledger's clock (here, a third machine's), never on a runner's own.
#[tokio::test]
async fn clock_skew_does_not_make_a_live_runner_look_dead() {
    let w = world(|_| {}).await;
    let _p = w
        .submitted("skew", json!([momo("m0", "46733129911")]))
        .await;
    let ledger: Arc<dyn Ledger> = Arc::new(SqliteLedger::open(&w.db).unwrap());
    let skewed = |ms: i64| {
        Arc::new(Clock::starting_at(
            Clock::system().local_ms().saturating_add(ms),
        ))
    };
    // Behind by 15 s: unsynced, its heartbeats would be 15 s stale to the other at once.
    let slow = skewed(-15_000);
    let fast = skewed(15_000);
    let a = Liveness::with_id(ledger.clone(), slow.clone(), "slow".into());
    let b = Liveness::with_id(ledger.clone(), fast.clone(), "fast".into());
    let _active = a.enter().await.unwrap();
    fast.sync(ledger.as_ref()).await.unwrap();
    let mut row = ledger.item("skew", "m0").await.unwrap().unwrap();
    row.state.status = Status::Sending;
    row.state.runner = Some("slow".into());
    row.state.updated_ms = slow.now_ms();
    let holds = b.holds(&[row], 60_000).await.unwrap();
    assert!(
        holds[0].is_some(),
        "a live runner's send was taken for dead"
    );
}
