//! A rail added from outside the engine: a provider of this test's own, handed to
//! `Payouts::with_engine`, pays a batch with the engine's guarantees (one reference an
//! item, looked up before any resend), with no change to the engine's files.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use mobilemoney_core::payouts::clock::Clock;
use mobilemoney_core::payouts::engine::{Account, Engine};
use mobilemoney_core::payouts::ledger::sqlite::SqliteLedger;
use mobilemoney_core::payouts::ledger::{Ledger, NewItem, RailId};
use mobilemoney_core::payouts::liveness::Liveness;
use mobilemoney_core::payouts::pace::Pace;
use mobilemoney_core::payouts::provider::{Found, Provider};
use mobilemoney_core::payouts::Payouts;
use mobilemoney_core::Failure;
use parking_lot::Mutex;
use serde_json::{json, Value};

use crate::support::SECRET;

/// A cash box that pays by reference, once, and answers every second send as lost (so
/// the engine must look the reference up instead of paying again).
#[derive(Default)]
struct CashBox {
    paid: Mutex<HashMap<String, String>>,
    sends: Mutex<u32>,
}

/// The rail's provider: the engine's way to the cash box.
struct Teller(Arc<CashBox>);

#[async_trait]
impl Provider for Teller {
    fn rail(&self) -> RailId {
        RailId::from("cashbox")
    }

    fn environment(&self) -> Value {
        json!({ "baseUrl": "memory://cashbox" })
    }

    fn check(&self, item: &NewItem) -> Result<(), Failure> {
        match item.spec.get("box").and_then(Value::as_str) {
            Some(_) => Ok(()),
            None => Err(Failure::invalid("box", "box must name the cash box")),
        }
    }

    async fn send(&self, item: &NewItem, reference: &str) -> Found {
        let mut sends = self.0.sends.lock();
        *sends += 1;
        self.0
            .paid
            .lock()
            .entry(reference.to_owned())
            .or_insert_with(|| item.key.clone());
        if sends.is_multiple_of(2) {
            return Found::Unknown {
                reason: json!({ "error": "Timeout", "message": "the answer was lost" }),
                answered: false,
            };
        }
        Found::Successful { provider_id: None }
    }

    fn lookup_batch(&self) -> usize {
        10
    }

    async fn lookup(&self, items: &[(&NewItem, &str)]) -> Vec<Found> {
        let paid = self.0.paid.lock();
        items
            .iter()
            .map(|(_, r)| match paid.get(*r) {
                Some(_) => Found::Successful { provider_id: None },
                None => Found::NotFound,
            })
            .collect()
    }
}

#[tokio::test]
async fn a_rail_of_the_callers_own_pays_a_batch_once() {
    let db = std::env::temp_dir().join(format!("payouts-rail-{}.db", uuid::Uuid::new_v4()));
    let ledger: Arc<dyn Ledger> = Arc::new(SqliteLedger::open(&db).unwrap());
    let clock = Arc::new(Clock::system());
    let cashbox = Arc::new(CashBox::default());
    let p = Payouts::with_engine(Engine {
        liveness: Liveness::new(ledger.clone(), clock.clone()),
        ledger,
        secret: SECRET.as_bytes().to_vec(),
        lease_ms: 1_000,
        clock,
        accounts: vec![Account::new(
            Box::new(Teller(cashbox.clone())),
            Pace::new(None),
            Pace::new(None),
            60_000,
        )],
    });
    let items: Vec<Value> = (0..6)
        .map(|i| json!({ "key": format!("c{i}"), "provider": "cashbox", "amount": "5", "currency": "KES", "box": "front" }))
        .collect();
    // The rail's own check runs at submit, and the item names the rails there are.
    let bad = p
        .submit(
            "r",
            &json!([{ "key": "x", "provider": "cashbox", "amount": "5", "currency": "KES" }]),
        )
        .await
        .unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("items[0].box"), "{bad}");
    let bad = p
        .submit("r", &json!([{ "key": "x", "provider": "momo", "amount": "5", "currency": "EUR", "party": "1" }]))
        .await
        .unwrap_err();
    assert!(bad.message.contains("without momo options"), "{bad}");
    p.submit("r", &json!(items)).await.unwrap();
    let summary = p.run("r", &Value::Null, None).await.unwrap();
    assert_eq!(summary["byStatus"]["successful"], 6, "{summary}");
    // Every item paid under exactly one reference, though half the answers were lost.
    let paid = cashbox.paid.lock().clone();
    assert_eq!(paid.len(), 6, "{paid:?}");
    let mut keys: Vec<_> = paid.values().cloned().collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 6);
    assert_eq!(p.describe()["rails"], json!(["cashbox"]));
    drop(p);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}
