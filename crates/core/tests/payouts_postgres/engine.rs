//! The whole engine on the PostgreSQL ledger, against the sandbox with random faults,
//! while the ledger's connections are cut.

use std::collections::HashMap;
use std::time::Duration;

use mobilemoney_core::payouts::options::Options;
use mobilemoney_core::payouts::report::ItemsQuery;
use mobilemoney_core::payouts::Payouts;
use mobilemoney_core::sandbox::{FaultKind, FaultRate};
use serde_json::{json, Value};

use super::db::{db, TestResult};
use super::support::{momo, paymob, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_faulty_batch_completes_while_connections_are_cut() -> TestResult {
    let Some(db) = db("a_faulty_batch_completes_while_connections_are_cut").await? else {
        return Ok(());
    };
    let w = world(|_| {}).await;
    w.sb.state().faults.set_rate(Some(FaultRate {
        rate: 0.05,
        kinds: FaultKind::ALL.to_vec(),
        provider: None,
        delay_ms: Some(300),
    }));
    let mut options = w.options();
    options["ledger"] = json!(db.url);
    options["momo"]["timeoutMs"] = json!(2_000);
    options["paymob"]["timeoutMs"] = json!(2_000);
    let p = Payouts::open(Options::from_json(&options)?, None).await?;
    let items: Vec<Value> = (0..300)
        .map(|i| {
            if i % 2 == 0 {
                momo(&format!("m{i}"), &format!("4673300{i:04}"))
            } else {
                paymob(&format!("p{i}"), "01023456789")
            }
        })
        .collect();
    p.submit("pg", &json!(items)).await?;
    let run_options = json!({ "concurrency": 16 });
    let run = p.run("pg", &run_options, None);
    let cut = async {
        let mut dropped = 0;
        for _ in 0..5 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            dropped += db.terminate().await?;
        }
        Ok::<_, tokio_postgres::Error>(dropped)
    };
    let (summary, dropped) = tokio::join!(run, cut);
    let first = summary?;
    assert!(dropped? > 0, "no connection was cut");
    assert_eq!(first["total"], 300);
    w.sb.state().faults.clear();
    // What faults left unknown is settled by a second run, as an operator would.
    let summary = p.run("pg", &Value::Null, None).await?;
    let rows = p.items("pg", &ItemsQuery::default()).await?;
    assert!(summary["finishedAt"].is_string(), "{summary} {rows}");
    let mut paid: HashMap<String, (usize, String)> = HashMap::new();
    for e in w.sb.state().ledger_json().as_array().into_iter().flatten() {
        let r = e["referenceId"].as_str().unwrap_or_default().to_owned();
        let status = e["status"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        paid.entry(r).or_insert((0, status)).0 += 1;
    }
    // Item by item: a successful item is paid once under its reference; any other was
    // not paid at all (a fault may have refused one before the provider recorded it).
    for row in rows.as_array().into_iter().flatten() {
        let r = row["referenceId"].as_str().unwrap_or_default();
        match row["status"].as_str() {
            Some("successful") => {
                let (n, status) = paid.get(r).ok_or_else(|| format!("{row} not paid"))?;
                assert_eq!(*n, 1, "{row}");
                assert!(status.starts_with("success"), "{row} {status}");
            }
            _ => assert!(!paid.contains_key(r), "{row} recorded by the sandbox"),
        }
    }
    assert!(
        summary["byStatus"]["successful"].as_u64() >= Some(290),
        "{summary}"
    );
    p.close().await?;
    db.drop_schema().await
}
