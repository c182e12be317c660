//! The verifying worlds' own steps: a verification before the run (cut short by crashes,
//! resumed) and an operator who approves and rejects held items.

use std::sync::Arc;
use std::time::Duration;

use mobilemoney_core::payouts::ledger::Status;
use mobilemoney_core::payouts::verify::VerifyOptions;
use mobilemoney_core::payouts::Payouts;
use serde_json::{json, Value};

use super::sim::Machine;
use super::world::{World, BATCH};

impl World {
    /// The operator approves or rejects a held item now and then, sometimes twice at
    /// once (two operators): only one decision may win, each a compare-and-set.
    pub async fn decide(&self, payouts: &Payouts) {
        let held: Vec<String> = self
            .ledger
            .rows(BATCH)
            .iter()
            .filter(|r| r.state.status == Status::Held)
            .map(|r| r.item.key.clone())
            .collect();
        let Some(key) = held.first().cloned() else {
            return;
        };
        let keys = Value::from(key.as_str());
        let by = json!({ "actor": "sim" });
        let approve = || payouts.approve(BATCH, &keys, &by);
        let reject = || payouts.reject(BATCH, &keys, Some("not our employee"));
        let (a, b) = match self.sim.rand(0, 3) {
            0 => (approve().await.is_ok(), false),
            1 => (reject().await.is_ok(), false),
            2 => {
                let (x, y) = tokio::join!(approve(), reject());
                (x.is_ok(), y.is_ok())
            }
            _ => {
                let (x, y) = tokio::join!(approve(), approve());
                (x.is_ok(), y.is_ok())
            }
        };
        if a && b {
            self.violations
                .lock()
                .push(format!("two decisions on held item {key} both succeeded"));
        }
        self.note(format!("operator decided on {key}: {a} {b}"));
    }

    /// Verification before the run: cut short by a crash now and then, resumed.
    pub async fn verify(&self, machine: &Arc<Machine>) {
        for attempt in 0..10 {
            let payouts = self.open(machine, format!("verify{attempt}")).await;
            let options = VerifyOptions {
                concurrency: 1 + self.sim.rand(0, 7) as usize,
            };
            tokio::select! {
                biased;
                () = tokio::time::sleep(Duration::from_millis(self.sim.rand(0, 400))) => {
                    self.note(format!("verify{attempt} crashed"));
                }
                r = payouts.verify(BATCH, &options) => match r {
                    Ok(v) if v["unverified"].as_array().is_some_and(Vec::is_empty) => {
                        self.note(format!("verified: {} held", v["held"]));
                        return;
                    }
                    Ok(v) => self.note(format!("verify left {}", v["unverified"])),
                    Err(f) => self.note(format!("verify stopped: {}", f.message)),
                },
            }
        }
    }
}
