//! Interrupted sends: items left `sending` are looked up before anything is sent again.

use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{ItemState, Ledger, NewItem, ProviderKind, Status};
use mobilemoney_core::payouts::provider::momo::Momo;
use mobilemoney_core::payouts::provider::paymob::Paymob;
use mobilemoney_core::payouts::provider::{Found, Provider};
use mobilemoney_core::payouts::reference::reference;
use mobilemoney_core::Arg;
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
    p.submit(&s("crash"), &arg(json!(items))).await.unwrap();
    // As if a process died after writing `sending`: half the items had their request
    // delivered (sent here by hand with the same reference), half had not.
    let ledger = SqliteLedger::open(&w.db).unwrap();
    for (i, key) in ["m0", "m1", "m2", "p0", "p1"].iter().enumerate() {
        let row = ledger.item("crash", key).await.unwrap().unwrap();
        let r = reference(SECRET.as_bytes(), "crash", key, 0);
        let next = ItemState {
            status: Status::Sending,
            reference: Some(r.clone()),
            sends: 1,
            ..row.state.clone()
        };
        ledger.transition(&row, next).await.unwrap().unwrap();
        if i % 2 == 0 {
            deliver(&w, &row.item, &r).await;
        }
    }
    let summary = p.run(&s("crash"), &Arg::Undefined, None).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 10, "{summary}");
    let rows = p.items(&s("crash"), &Arg::Undefined).await.unwrap();
    assert_ledgers_agree(&w, &rows);
    assert_eq!(w.paid().len(), 10);
}

/// Sends the item's payout straight to the sandbox under `reference`, through the same
/// provider adapter the engine uses, as the crashed process would have.
async fn deliver(w: &World, item: &NewItem, reference: &str) {
    let o = w.options();
    let found = match item.provider {
        ProviderKind::Momo => {
            Momo::new(&o["momo"], None)
                .unwrap()
                .send(item, reference)
                .await
        }
        ProviderKind::Paymob => {
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
    a.submit(&s("race"), &arg(json!(items))).await.unwrap();
    let keys: Vec<String> = (0..30).map(|i| format!("m{i}")).collect();
    let work = |p: &'static mobilemoney_core::payouts::Payouts, key: String| async move {
        p.process(&s("race"), &Arg::from(key.as_str()))
            .await
            .unwrap()
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
    let rows = a.items(&s("race"), &Arg::Undefined).await.unwrap();
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
