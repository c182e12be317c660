//! Runner liveness: a `sending` item whose claimer stopped heartbeating is looked up at
//! once (not after the whole lease), one whose claimer is alive is left to it.

use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{ItemState, Ledger};
use serde_json::{json, Value};

use super::recovery::deliver;
use super::support::*;

/// Requests the sandbox received about `reference` (its POST or its lookups).
fn requests_about(w: &World, reference: &str) -> usize {
    w.sb.state()
        .requests_json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.to_string().contains(reference))
        .count()
}

#[tokio::test]
async fn a_dead_runners_item_is_looked_up_at_once_a_live_runners_is_not() {
    let w = world(|_| {}).await;
    // Default transport settings: a lease of about 19 minutes.
    let p = w.payouts().await;
    let items = json!([
        momo("dead", "46733129905"),
        momo("never", "46733129906"),
        momo("live", "46733129907"),
    ]);
    p.submit("rn", &items).await.unwrap();
    let ledger = SqliteLedger::open(&w.db).unwrap();
    let now = now_ms();
    // "runner-dead" last heartbeat a minute ago; "runner-live" 5 s ago (fresh for 5 s
    // more); "runner-never" has no heartbeat at all.
    ledger.heartbeat("runner-dead", now - 60_000).await.unwrap();
    ledger.heartbeat("runner-live", now - 5_000).await.unwrap();
    let mut refs = Vec::new();
    for key in ["dead", "never", "live"] {
        let row = ledger.item("rn", key).await.unwrap().unwrap();
        let r = first_reference("rn", &row);
        // Claimed just now: well within the lease.
        let claim = ItemState {
            runner: Some(format!("runner-{key}")),
            ..sending(&row, &r, now)
        };
        ledger.transition(&row, claim).await.unwrap().unwrap();
        refs.push(r);
    }
    // The dead runner's request had reached the provider before it died.
    let dead = ledger.item("rn", "dead").await.unwrap().unwrap();
    deliver(&w, &dead.item, &refs[0]).await;
    w.sb.state().clear_requests();

    // Dead: looked up at once, found, recorded; never sent again.
    let step = p.process("rn", "dead").await.unwrap();
    assert_eq!(step["status"], "successful", "{step}");
    assert_eq!(step["lookups"], 1, "{step}");
    assert_eq!(step["sends"], 1, "{step}");
    // Never heartbeat: looked up at once; the provider never saw it, so it is sent (once,
    // under the same reference).
    let step = p.process("rn", "never").await.unwrap();
    assert!(
        step["status"] == "pending" || step["status"] == "successful",
        "{step}"
    );
    assert_eq!(step["referenceId"], refs[1].as_str());
    assert_eq!(step["sends"], 2, "{step}");

    // Live and within its lease: neither looked up nor sent; come back when its
    // heartbeat may have gone stale (seconds), not at the lease's end.
    let step = p.reconcile("rn", "live").await.unwrap();
    assert_eq!(step["status"], "sending", "{step}");
    assert_eq!(step["lookups"], 0, "{step}");
    assert!(step["nextCheckAt"].is_string(), "{step}");
    let step = p.process("rn", "live").await.unwrap();
    assert_eq!(step["status"], "sending", "{step}");
    assert_eq!(requests_about(&w, &refs[2]), 0);

    // It stops heartbeating: `run` looks it up within seconds, then sends it once.
    let summary = p.run("rn", &Value::Null, None).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 3, "{summary}");
    let rows = p.items("rn", &ItemsQuery::default()).await.unwrap();
    assert_ledgers_agree(&w, &rows);
    assert_eq!(w.paid().len(), 3);
    assert!(now_ms() - now < 60_000, "waited for the lease");
}

#[tokio::test]
async fn a_running_instance_heartbeats_and_claims_under_its_runner_id() {
    let w = world(|o| o.settle_after_ms = 20).await;
    let p = w.submitted("hb", json!([momo("m0", "46733129908")])).await;
    p.run("hb", &Value::Null, None).await.unwrap();
    let ledger = SqliteLedger::open(&w.db).unwrap();
    let row = ledger.item("hb", "m0").await.unwrap().unwrap();
    let runner = row
        .state
        .runner
        .clone()
        .expect("the claim names its runner");
    let seen = ledger
        .runners_seen(&[runner.clone(), "nobody".into()])
        .await
        .unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, runner);
    assert!(now_ms() - seen[0].1 < 60_000);
}
