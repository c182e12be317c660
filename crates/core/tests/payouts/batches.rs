//! Submitting, running, retrying and pausing batches.

use mobilemoney_core::{Failure, FailureKind};
use serde_json::{json, Value};

use super::support::*;

#[tokio::test]
async fn a_mixed_batch_runs_to_final_states_and_matches_the_sandbox() {
    // Payouts stay pending a while: each is followed by lookups (a bank card by a
    // `bank: true` inquiry).
    let w = world(|o| o.settle_after_ms = 150).await;
    let p = w.payouts().await;
    let items = json!([
        momo("m1", "46733123401"),
        momo("m2", "46733123402"),
        momo("m-fail", "46733123457"),
        paymob("p1", "01023456789"),
        paymob("p-fail", "01000000618"),
        json!({ "key": "card", "provider": "paymob", "issuer": "bank_card", "bankCardNumber": "1111222233334444",
                "bankCode": "CIB", "bankTransactionType": "salary", "fullName": "Mona Ali", "amount": 60 }),
    ]);
    let sub = p.submit("b1", &items).await.unwrap();
    assert_eq!(sub["created"], true);
    assert_eq!(sub["byStatus"]["queued"], 6);
    // The same items again: nothing; other items under the same id: Conflict.
    let again = p.submit("b1", &items).await.unwrap();
    assert_eq!(again["created"], false);
    let f = p
        .submit("b1", &json!([momo("m1", "46733123409")]))
        .await
        .unwrap_err();
    assert_eq!(f.kind, FailureKind::Conflict);

    let summary = p
        .run("b1", &json!({ "concurrency": 4 }), None)
        .await
        .unwrap();
    let dbg = p.items("b1", &ItemsQuery::default()).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 4, "{summary} {dbg}");
    assert_eq!(summary["byStatus"]["failed"], 2, "{summary}");
    assert_eq!(summary["amounts"]["EUR"]["requested"], 300.0);
    assert_eq!(summary["amounts"]["EUR"]["paid"], 200.0);
    assert_eq!(summary["amounts"]["EGP"]["paid"], 70.0);
    let card = dbg
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "card")
        .unwrap();
    assert!(card["lookups"].as_u64().unwrap() >= 1, "{card}");
    assert!(summary["finishedAt"].is_string());
    let rows = p.items("b1", &ItemsQuery::default()).await.unwrap();
    assert_ledgers_agree(&w, &rows);
    let failed = p
        .items("b1", &query(json!({ "status": "failed" })))
        .await
        .unwrap();
    let keys: Vec<&str> = failed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["m-fail", "p-fail"]);
    assert_eq!(failed[0]["reason"]["code"], "PAYEE_NOT_FOUND");

    // A second run sends nothing.
    let before = w.sb.state().ledger_json().as_array().unwrap().len();
    p.run("b1", &Value::Null, None).await.unwrap();
    assert_eq!(w.sb.state().ledger_json().as_array().unwrap().len(), before);

    // retryFailed: a new reference for the two failed items only.
    let old: Vec<Value> = rows.as_array().unwrap().clone();
    let again = p.retry_failed("b1").await.unwrap();
    assert_eq!(again["retried"], 2);
    p.run("b1", &Value::Null, None).await.unwrap();
    let rows2 = p.items("b1", &ItemsQuery::default()).await.unwrap();
    for (a, b) in old.iter().zip(rows2.as_array().unwrap()) {
        if a["status"] == "failed" {
            assert_ne!(a["referenceId"], b["referenceId"]);
            assert_eq!(b["generation"], 1);
        } else {
            assert_eq!(a["referenceId"], b["referenceId"]);
            assert_eq!(b["generation"], 0);
        }
    }
    assert_ledgers_agree(&w, &rows2);
    assert_eq!(
        w.sb.state().ledger_json().as_array().unwrap().len(),
        before + 2
    );
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let w = world(|_| {}).await;
    let p = w.payouts().await;
    let f = p
        .submit("b", &json!([momo("a", "46733123401"), json!({"key": "b", "provider": "momo", "amount": "-1", "currency": "EUR", "party": "1"})]))
        .await
        .unwrap_err();
    assert_eq!(f.field.as_deref(), Some("items[1].amount"));
    let f = p
        .submit(
            "b",
            &json!([momo("a", "46733123401"), momo("a", "46733123402")]),
        )
        .await
        .unwrap_err();
    assert_eq!(f.field.as_deref(), Some("items[1].key"));
    let f = p.submit("", &json!([])).await.unwrap_err();
    assert_eq!(f.field.as_deref(), Some("batchId"));
    assert_eq!(
        p.summary("b").await.unwrap_err().kind,
        FailureKind::NotFound
    );
    assert!(w.sb.state().ledger_json().as_array().unwrap().is_empty());
    let f = open_failure(&w, "ledger", "postgres://u:pw@127.0.0.1/db").await;
    assert_eq!(f.field.as_deref(), Some("ledger"));
    assert!(!f.message.contains("pw"));
    let f = open_failure(&w, "secret", "short").await;
    assert_eq!(f.field.as_deref(), Some("secret"));
}

/// Why `Payouts` would not open on the world's options with `key` set to `value`.
async fn open_failure(w: &World, key: &str, value: &str) -> Failure {
    let mut o = w.options();
    o[key] = json!(value);
    // Refused when the options are read, or when they are opened.
    match Options::from_json(&o) {
        Err(f) => f,
        Ok(options) => mobilemoney_core::payouts::Payouts::open(options, None)
            .await
            .err()
            .unwrap(),
    }
}

#[tokio::test]
async fn running_out_of_budget_pauses_and_a_top_up_resumes() {
    let w = world(|o| o.paymob.budget = 25.0).await;
    let items: Vec<Value> = (0..5)
        .map(|i| paymob(&format!("p{i}"), "01023456789"))
        .collect();
    let p = w.submitted("budget", json!(items)).await;
    let summary = p
        .run("budget", &json!({ "concurrency": 1 }), None)
        .await
        .unwrap();
    assert_eq!(summary["paused"], "insufficient_funds", "{summary}");
    assert_eq!(summary["byStatus"]["successful"], 2);
    assert_eq!(summary["byStatus"]["queued"], 3);
    assert_eq!(summary["byStatus"]["failed"], 0);
    w.sb.state().paymob.store.lock().budget_cents += 10_000;
    let summary = p.run("budget", &Value::Null, None).await.unwrap();
    assert!(summary.get("paused").is_none(), "{summary}");
    assert_eq!(summary["byStatus"]["successful"], 5);
    let rows = p.items("budget", &ItemsQuery::default()).await.unwrap();
    assert_ledgers_agree(&w, &rows);
}

#[tokio::test]
async fn a_429_storm_holds_sends_and_fails_nothing() {
    let w = world(|_| {}).await;
    let p = w.payouts().await;
    w.sb.state().faults.add(
        serde_json::from_value(json!({
            "kind": "status_429", "path": "/disbursement/v1_0/transfer", "method": "POST",
            "times": 40, "retryAfterSeconds": 0
        }))
        .unwrap(),
    );
    let items: Vec<Value> = (0..20)
        .map(|i| momo(&format!("m{i}"), &format!("4673312{i:04}")))
        .collect();
    p.submit("storm", &json!(items)).await.unwrap();
    let summary = p
        .run("storm", &json!({ "concurrency": 8 }), None)
        .await
        .unwrap();
    assert_eq!(summary["byStatus"]["successful"], 20, "{summary}");
    let rows = p.items("storm", &ItemsQuery::default()).await.unwrap();
    assert_ledgers_agree(&w, &rows);
    assert_eq!(w.sb.state().faults.pending(), 0);
}

#[tokio::test]
async fn a_refused_account_stops_the_run_and_leaves_the_items_queued() {
    let w = world(|_| {}).await;
    let mut o = w.options();
    o["momo"]["apiKey"] = json!("not-the-key");
    let p = w.payouts_with(o).await;
    let items: Vec<Value> = (0..4)
        .map(|i| momo(&format!("m{i}"), "46733120001"))
        .collect();
    p.submit("auth", &json!(items)).await.unwrap();
    let f = p.run("auth", &Value::Null, None).await.unwrap_err();
    assert_eq!(f.kind, FailureKind::Unauthorized, "{f}");
    assert!(!f.message.contains("not-the-key"));
    let summary = p.summary("auth").await.unwrap();
    assert_eq!(summary["byStatus"]["queued"], 4, "{summary}");
    assert!(w.paid().is_empty());
    // With the right key, the same batch pays.
    let p = w.payouts().await;
    let summary = p.run("auth", &Value::Null, None).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 4, "{summary}");
}

#[tokio::test]
async fn a_stopped_run_leaves_nothing_sending_and_the_next_run_finishes_it() {
    let w = world(|o| o.latency_ms = 5).await;
    let p = w.payouts().await;
    let items: Vec<Value> = (0..120)
        .map(|i| momo(&format!("m{i}"), &format!("4673313{i:04}")))
        .collect();
    p.submit("stop", &json!(items)).await.unwrap();
    let stop = mobilemoney_core::payouts::Stop::default();
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (asked, count) = (stop.clone(), seen.clone());
    let progress: mobilemoney_core::payouts::Progress = std::sync::Arc::new(move |_| {
        if count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 20 {
            asked.stop();
        }
    });
    let options = json!({ "concurrency": 6 });
    let summary = p
        .run_until("stop", &options, Some(progress), stop)
        .await
        .unwrap();
    assert_eq!(summary["stopped"], true, "{summary}");
    assert_eq!(summary["byStatus"]["sending"], 0, "{summary}");
    assert!(
        summary["byStatus"]["queued"].as_u64().unwrap() > 0,
        "{summary}"
    );
    // Every send that left was recorded: the sandbox has exactly the ledger's sent items.
    let sent = p
        .items(
            "stop",
            &query(json!({ "status": ["pending", "successful"] })),
        )
        .await
        .unwrap();
    assert_eq!(w.paid().len(), sent.as_array().unwrap().len());

    let summary = p.run("stop", &Value::Null, None).await.unwrap();
    assert!(summary.get("stopped").is_none(), "{summary}");
    assert_eq!(summary["byStatus"]["successful"], 120, "{summary}");
    let rows = p.items("stop", &ItemsQuery::default()).await.unwrap();
    assert_ledgers_agree(&w, &rows);
    assert_eq!(w.paid().len(), 120);
}

/// A key given as a number is the same key as its digits, however the number arrives
/// (JSON text gives an integer, a JavaScript argument a float).
#[test]
fn a_whole_number_key_is_its_digits() {
    use mobilemoney_core::payouts::items::key;
    assert_eq!(key(Some(&json!(7)), "key").unwrap(), "7");
    assert_eq!(key(Some(&json!(7.0)), "key").unwrap(), "7");
    assert!(key(Some(&json!(1.5)), "key").is_err());
    assert!(key(Some(&json!(1e300)), "key").is_err());
}
