//! The actors of a schedule: token outages, machines that run the batch (and crash and
//! stall), job-queue workers, the operator who retries and tops up, and now and then a
//! foreign transaction under an item's reference.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mobilemoney_core::payouts::ledger::ItemRow;
use mobilemoney_core::payouts::verify::VerifyOptions;
use mobilemoney_core::payouts::{Payouts, Stop};
use serde_json::{json, Value};

use super::provider::{Outcome, Txn};
use super::sim::Machine;
use super::world::{World, BATCH};

impl World {
    /// Now and then the token endpoint goes down for a while, for every caller at once.
    pub async fn outages(self: Arc<Self>, done: Arc<AtomicBool>) {
        while !done.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(self.sim.rand(2_000, 60_000))).await;
            if self.sim.chance(0.3) {
                let until =
                    self.sim.true_ms() + i64::try_from(self.sim.rand(500, 15_000)).unwrap_or(0);
                self.sim.token_outage_until.store(until, Ordering::Relaxed);
                self.note("token endpoint down".into());
            }
        }
    }

    /// A machine's life: open, run, crash or stall now and then, open again.
    pub async fn machine_life(self: Arc<Self>, index: usize, done: Arc<AtomicBool>) {
        let sim = &self.sim;
        let skew = i64::try_from(sim.rand(0, 60_000)).unwrap_or(0) - 30_000;
        let machine = Arc::new(Machine {
            sim: sim.clone(),
            skew_ms: skew,
            stalled_until: AtomicI64::new(0),
        });
        let mut incarnation = 0;
        while !done.load(Ordering::Relaxed) {
            incarnation += 1;
            let payouts = self.open(&machine, format!("m{index}.{incarnation}")).await;
            let crash_in = if sim.chance(0.5) {
                sim.rand(0, 20_000)
            } else {
                u64::MAX / 4
            };
            if sim.chance(0.3) {
                // SIGSTOP for a while, from some point on: every I/O of this machine waits.
                let from = sim.true_ms() + i64::try_from(sim.rand(0, 10_000)).unwrap_or(0);
                let until = from + i64::try_from(sim.rand(1_000, 40_000)).unwrap_or(0);
                let m = machine.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(
                        u64::try_from(from - m.sim.true_ms()).unwrap_or(0),
                    ))
                    .await;
                    m.stalled_until.store(until, Ordering::Relaxed);
                });
            }
            let options = json!({ "concurrency": 1 + sim.rand(0, 15) });
            // Half the time the process is a job-queue worker: one step per item (`process`,
            // `reconcile`), in an order of its own, as BullMQ's jobs would run them.
            let worker = sim.chance(0.5);
            let run = async {
                if worker {
                    self.work(&payouts, BATCH).await
                } else {
                    payouts
                        .run_until(BATCH, &options, None, Stop::default())
                        .await
                }
            };
            tokio::select! {
                biased;
                () = tokio::time::sleep(Duration::from_millis(crash_in)) => {
                    self.note(format!("m{index}.{incarnation} crashed"));
                }
                r = run => {
                    match r {
                        Ok(s) => self.note(format!("m{index}.{incarnation} ran: {}", s["byStatus"])),
                        Err(f) => self.note(format!("m{index}.{incarnation} stopped: {}", f.message)),
                    }
                    tokio::time::sleep(Duration::from_millis(sim.rand(100, 5_000))).await;
                }
            }
            drop(payouts);
            tokio::time::sleep(Duration::from_millis(sim.rand(0, 3_000))).await;
        }
    }

    /// A job-queue worker's steps: a random item at a time, `process`ed (claim, look up
    /// if interrupted, send) or `reconcile`d (looked up), until every item is final or
    /// waits on an operator.
    pub async fn work(
        &self,
        payouts: &Payouts,
        batch: &str,
    ) -> Result<Value, mobilemoney_core::Failure> {
        let keys: Vec<String> = self
            .items
            .iter()
            .map(|i| i["key"].as_str().unwrap().to_owned())
            .collect();
        while !self.settled() {
            let key = keys[self.sim.rand(0, keys.len() as u64 - 1) as usize].clone();
            match self.sim.rand(0, 9) {
                0..=4 => drop(payouts.process(batch, &key).await?),
                5..=8 => drop(payouts.reconcile(batch, &key).await?),
                // A callback (unsigned, possibly stale or forged): only a hint, which the
                // engine confirms by a lookup; an item not waiting for one is a NotFound.
                _ => {
                    let status = if self.sim.chance(0.5) {
                        "SUCCESSFUL"
                    } else {
                        "FAILED"
                    };
                    let callback = json!({ "provider": "momo", "status": status, "body": { "externalId": key } });
                    let _ = payouts.callback(batch, &callback).await;
                }
            }
            // Jobs come back later: a delayed re-check, or the next job of the queue.
            tokio::time::sleep(Duration::from_millis(self.sim.rand(10, 500))).await;
        }
        payouts.summary(batch).await
    }

    /// The operator: retries failed items, tops the account up.
    pub async fn operator(self: Arc<Self>, done: Arc<AtomicBool>) {
        let machine = Arc::new(Machine {
            sim: self.sim.clone(),
            skew_ms: 0,
            stalled_until: AtomicI64::new(0),
        });
        let payouts = self.open(&machine, "operator".into()).await;
        while !done.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(self.sim.rand(1_000, 30_000))).await;
            if self.sim.chance(0.5) {
                if let Ok(r) = payouts.retry_failed(BATCH).await {
                    if r["retried"].as_u64().unwrap_or(0) > 0 {
                        self.note(format!("operator retried {}", r["items"]));
                    }
                }
            }
            if self.sim.chance(0.3) {
                *self.bank.balance.lock() += 100_000;
                self.note("operator topped up".into());
            }
            if self.verifying {
                // Verified again mid-run: items sent once and back in the queue (a lookup
                // found nothing) must not be held, since their send may still land.
                if self.sim.chance(0.3) {
                    let options = VerifyOptions { concurrency: 4 };
                    let _ = payouts.verify(BATCH, &options).await;
                }
                self.decide(&payouts).await;
            }
        }
    }

    /// A foreign transaction under an item's first reference, now and then: what a second
    /// ledger with the same secret and batch id would have booked, for another payment.
    pub async fn plant_foreign(&self) {
        if !self.sim.chance(0.15) {
            return;
        }
        let rows = self.ledger.rows(BATCH);
        let Some(row) = rows.first() else { return };
        let machine = Arc::new(Machine {
            sim: self.sim.clone(),
            skew_ms: 0,
            stalled_until: AtomicI64::new(0),
        });
        let p = self.open(&machine, "probe".into()).await;
        let reference = p_reference(&p, row);
        self.bank.book.lock().insert(
            reference,
            Txn {
                key: row.item.key.clone(),
                amount: "9999".into(),
                payee: "0000000".into(),
                foreign: true,
                outcome: Outcome::Successful,
                settle_at: 0,
                visible_at: 0,
            },
        );
        self.note(format!(
            "foreign transaction under {}'s reference",
            row.item.key
        ));
    }
}

/// The reference a `Payouts` instance makes for a row's current generation.
fn p_reference(p: &Payouts, row: &ItemRow) -> String {
    p.engine().reference(row, row.state.generation)
}
