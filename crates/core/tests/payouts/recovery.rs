//! Interrupted sends: items left `sending` are looked up before anything is sent again.

use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{ItemState, Ledger, NewItem, Status};
use mobilemoney_core::payouts::provider::momo::Momo;
use mobilemoney_core::payouts::provider::paymob::Paymob;
use mobilemoney_core::payouts::provider::{Found, Provider};
use serde_json::{json, Value};

use super::support::*;

#[tokio::test]
async fn items_left_sending_are_looked_up_and_never_paid_twice() {
    let w = world(|_| {}).await;
    let p = w.payouts().await;
    let items: Vec<Value> = (0..6)
        .map(|i| momo(&format!("m{i}"), &format!("467331234{:02}", i + 10)))
        .chain((0..4).map(|i| paymob(&format!("p{i}"), "01023456789")))
        .collect();
    p.submit("crash", &json!(items)).await.unwrap();
    // As if a process died after writing `sending`: half the items had their request
    // delivered (sent here by hand with the same reference), half had not.
    let ledger = SqliteLedger::open(&w.db).unwrap();
    for (i, key) in ["m0", "m1", "m2", "p0", "p1"].iter().enumerate() {
        let row = ledger.item("crash", key).await.unwrap().unwrap();
        let r = first_reference("crash", &row);
        // Written an hour ago: the dead process's lease is long over.
        let next = sending(&row, &r, row.state.updated_ms - 3_600_000);
        ledger.transition(&row, next).await.unwrap().unwrap();
        if i % 2 == 0 {
            deliver(&w, &row.item, &r).await;
        }
    }
    let summary = p.run("crash", &Value::Null, None).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 10, "{summary}");
    let rows = p.items("crash", &ItemsQuery::default()).await.unwrap();
    assert_ledgers_agree(&w, &rows);
    assert_eq!(w.paid().len(), 10);
}

/// Sends the item's payout straight to the sandbox under `reference`, through the same
/// provider adapter the engine uses, as the crashed process would have.
pub async fn deliver(w: &World, item: &NewItem, reference: &str) {
    let o = w.options();
    let found = match item.provider.as_str() {
        "momo" => {
            Momo::new(&o["momo"], None)
                .unwrap()
                .send(item, reference)
                .await
        }
        _ => {
            Paymob::new(&o["paymob"], None)
                .unwrap()
                .send(item, reference)
                .await
        }
    };
    assert!(
        matches!(found, Found::Pending { .. } | Found::Successful { .. }),
        "{found:?}"
    );
}

#[tokio::test]
async fn two_workers_processing_the_same_items_send_each_once() {
    let w = world(|o| o.settle_after_ms = 50).await;
    let a = w.payouts().await;
    let b = w.payouts().await;
    let items: Vec<Value> = (0..30)
        .map(|i| momo(&format!("m{i}"), &format!("467331200{i:02}")))
        .collect();
    a.submit("race", &json!(items)).await.unwrap();
    let keys: Vec<String> = (0..30).map(|i| format!("m{i}")).collect();
    let work = |p: &'static mobilemoney_core::payouts::Payouts, key: String| async move {
        p.process("race", key.as_str()).await.unwrap()
    };
    let (a, b): (&'static _, &'static _) = (Box::leak(Box::new(a)), Box::leak(Box::new(b)));
    let jobs = keys.iter().flat_map(|k| {
        [
            tokio::spawn(work(a, k.clone())),
            tokio::spawn(work(b, k.clone())),
        ]
    });
    for j in futures::future::join_all(jobs).await {
        j.unwrap();
    }
    let rows = a.items("race", &ItemsQuery::default()).await.unwrap();
    for r in rows.as_array().unwrap() {
        assert_eq!(r["sends"], 1, "{r}");
    }
    let posts =
        w.sb.state()
            .requests_json()
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["method"] == "POST" && r["path"] == "/disbursement/v1_0/transfer")
            .count();
    assert_eq!(posts, 30);
    assert_eq!(w.paid().len(), 30);
}

#[tokio::test]
async fn a_lack_of_funds_for_a_send_before_the_top_up_does_not_pause_the_resumed_run() {
    // Payouts stay PENDING for 600 ms: the resumed run's first lookup still finds the one
    // sent before the top-up pending, and the next one finds it FAILED for lack of funds.
    let w = world(|o| (o.settle_after_ms, o.momo.balance) = (600, 0.0)).await;
    let items = json!([momo("before", "46733129911"), momo("after", "46733129912")]);
    let p = w.submitted("topup", items).await;
    // "before" was sent (and accepted) by an earlier run, when the account was empty.
    let ledger = SqliteLedger::open(&w.db).unwrap();
    let row = ledger.item("topup", "before").await.unwrap().unwrap();
    let r = first_reference("topup", &row);
    deliver(&w, &row.item, &r).await;
    let sent = now_ms() - 60_000;
    let pending = ItemState {
        status: Status::Pending,
        reference: Some(r.clone()),
        sends: 1,
        acknowledged: true,
        updated_ms: sent,
        sent_ms: Some(sent),
        next_check_ms: Some(0),
        ..row.state.clone()
    };
    ledger.transition(&row, pending).await.unwrap().unwrap();
    ledger.close().await.unwrap();
    // The top-up; then one run pays both without pausing.
    w.sb.state().momo.set_all_balances(1_000.0);
    let summary = p.run("topup", &Value::Null, None).await.unwrap();
    assert!(summary.get("paused").is_none(), "{summary}");
    assert_eq!(summary["byStatus"]["successful"], 2, "{summary}");
    let rows = p.items("topup", &ItemsQuery::default()).await.unwrap();
    let before = &rows.as_array().unwrap()[0];
    // Its first reference failed for lack of funds: paid under the next generation.
    assert_eq!(before["generation"], 1, "{before}");
    assert_ne!(before["referenceId"], r.as_str());
    assert_eq!(w.paid()[&r].0, "failed");
    assert_ledgers_agree(&w, &rows);
}
