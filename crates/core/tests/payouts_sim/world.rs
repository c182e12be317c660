//! One schedule: a batch, a provider, machines that run it (and crash, stall and run on
//! skewed clocks), an operator who retries and tops up; then the invariants.
//!
//! Everything runs on one paused tokio runtime, so the schedule is a function of its seed:
//! time only moves when every task waits, and every random choice comes from one seeded
//! generator, drawn in the order the tasks run.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mobilemoney_core::payouts::clock::Clock;
use mobilemoney_core::payouts::engine::{Account, Engine};
use mobilemoney_core::payouts::ledger::{Ledger, RailId, Status};
use mobilemoney_core::payouts::liveness::Liveness;
use mobilemoney_core::payouts::operator::Resolution;
use mobilemoney_core::payouts::pace::Pace;
use mobilemoney_core::payouts::Payouts;
use mobilemoney_core::payouts::Stop;
use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use tokio::time::Instant;

use super::ledger::MemoryLedger;
use super::provider::{Bank, SimProvider, Style, TIMEOUT_MS};
use super::runner_ledger::RunnerLedger;
use super::sim::{Faults, Machine, Sim, EPOCH_MS};

pub const BATCH: &str = "sim";
const SECRET: &str = "a-simulation-secret-of-enough-length";
/// The adversarial part of a schedule lasts at most this long (virtual).
const CHAOS_MS: u64 = 240_000;

/// One schedule's world.
pub struct World {
    pub sim: Arc<Sim>,
    pub ledger: Arc<MemoryLedger>,
    pub bank: Arc<Bank>,
    pub kind: RailId,
    pub environment: Value,
    pub items: Vec<Value>,
    pub log: Mutex<Vec<String>>,
    /// Whether the batch is verified before it runs, and an operator approves and
    /// rejects what was held.
    pub verifying: bool,
    /// Keys the provider reports inactive.
    pub doubtful: Arc<HashSet<String>>,
    /// What an operator's step did that it must not (two decisions on one held item).
    pub violations: Mutex<Vec<String>>,
}

impl World {
    pub fn new(seed: u64) -> World {
        let mut rng = StdRng::seed_from_u64(seed);
        let f = |rng: &mut StdRng, max: f64| {
            if rng.random_bool(0.3) {
                0.0
            } else {
                rng.random_range(0.0..max)
            }
        };
        let faults = Faults {
            token: f(&mut rng, 0.05),
            throttle: f(&mut rng, 0.1),
            unreachable: f(&mut rng, 0.1),
            refuse: f(&mut rng, 0.3),
            fail: f(&mut rng, 0.2),
            lag: f(&mut rng, 0.5),
            answer_5xx: f(&mut rng, 0.2),
            land_late: f(&mut rng, 0.3),
            lose_answer: f(&mut rng, 0.3),
        };
        let kind = RailId::from(if rng.random_bool(0.5) {
            "momo"
        } else {
            "paymob"
        });
        let n = rng.random_range(1..=6);
        let items: Vec<Value> = (0..n)
            .map(|i| {
                let amount = format!("{}", rng.random_range(1..=50) * 10);
                match kind.as_str() {
                    "momo" => json!({
                        "key": format!("k{i}"), "provider": "momo", "amount": amount,
                        "currency": "EUR", "party": format!("4673312{:04}", 3450 + i),
                    }),
                    _ => json!({
                        "key": format!("k{i}"), "provider": "paymob", "amount": amount,
                        "issuer": "vodafone", "msisdn": format!("0100000{:04}", 1000 + i),
                    }),
                }
            })
            .collect();
        let total: i64 = items
            .iter()
            .map(|i| i["amount"].as_str().unwrap().parse::<i64>().unwrap() * 100)
            .sum();
        // Sometimes not enough for the whole batch: the operator tops up later.
        let balance = if rng.random_bool(0.3) {
            total / 2
        } else {
            total * 3
        };
        let style = if rng.random_bool(0.5) {
            Style::Momo
        } else {
            Style::Paymob
        };
        let sim = Arc::new(Sim::new(rng, faults));
        let bank = Arc::new(Bank {
            sim: sim.clone(),
            style,
            book: Mutex::new(Default::default()),
            balance: Mutex::new(balance),
        });
        World {
            ledger: Arc::new(MemoryLedger::new(sim.clone())),
            sim,
            bank,
            kind,
            environment: json!({ "baseUrl": "http://provider.sim/", "account": "sim" }),
            items,
            log: Mutex::new(Vec::new()),
            verifying: false,
            doubtful: Arc::new(HashSet::new()),
            violations: Mutex::new(Vec::new()),
        }
    }

    /// A world whose batch is verified first. Its own generator picks the doubtful
    /// payees, so the schedules of [`World::new`] stay what they were.
    pub fn verifying(seed: u64) -> World {
        let mut w = World::new(seed);
        let mut rng = StdRng::seed_from_u64(seed ^ 0x7665_7269_6679);
        w.doubtful = Arc::new(
            w.items
                .iter()
                .filter(|_| rng.random_bool(0.4))
                .map(|i| i["key"].as_str().unwrap().to_owned())
                .collect(),
        );
        w.verifying = true;
        w
    }

    pub fn note(&self, what: String) {
        self.log
            .lock()
            .push(format!("{:>7} {what}", self.sim.true_ms() - EPOCH_MS));
    }

    /// A `Payouts` instance on `machine`, as a process would open one.
    pub async fn open(&self, machine: &Arc<Machine>, runner: String) -> Payouts {
        let ledger: Arc<dyn Ledger> = Arc::new(RunnerLedger {
            inner: self.ledger.clone(),
            machine: machine.clone(),
        });
        let clock = Arc::new(Clock::starting_at(self.sim.true_ms() + machine.skew_ms));
        let _ = clock.sync(ledger.as_ref()).await;
        let provider = SimProvider {
            bank: self.bank.clone(),
            machine: machine.clone(),
            kind: self.kind.clone(),
            environment: self.environment.clone(),
            doubtful: self.doubtful.clone(),
        };
        let account = Account::new(
            Box::new(provider),
            Pace::new(None),
            Pace::new(Some(50.0)),
            // Silent this long: the run stops and the process runs it again later.
            30_000,
        );

        Payouts::with_engine(Engine {
            liveness: Liveness::with_id(ledger.clone(), clock.clone(), runner),
            ledger,
            secret: SECRET.as_bytes().to_vec(),
            lease_ms: i64::try_from(TIMEOUT_MS * 4).unwrap_or(0),
            clock,
            accounts: vec![account],
        })
    }

    /// Runs the schedule, then checks every invariant; `Err` describes the first broken.
    pub async fn play(self: Arc<Self>) -> Result<String, String> {
        let machine = Arc::new(Machine {
            sim: self.sim.clone(),
            skew_ms: 0,
            stalled_until: AtomicI64::new(0),
        });
        let submitter = self.open(&machine, "submit".into()).await;
        submitter
            .submit(BATCH, &Value::Array(self.items.clone()))
            .await
            .map_err(|f| format!("submit failed: {}", f.message))?;
        self.plant_foreign().await;
        if self.verifying {
            self.verify(&machine).await;
        }
        let done = Arc::new(AtomicBool::new(false));
        let machines = 1 + self.sim.rand(0, 2) as usize;
        let mut tasks = Vec::new();
        for i in 0..machines {
            tasks.push(tokio::spawn(self.clone().machine_life(i, done.clone())));
        }
        tasks.push(tokio::spawn(self.clone().operator(done.clone())));
        tasks.push(tokio::spawn(self.clone().outages(done.clone())));
        // The chaos lasts until the batch looks settled or its time is up.
        let deadline = Instant::now() + Duration::from_millis(CHAOS_MS);
        while Instant::now() < deadline && !self.settled() {
            tokio::time::sleep(Duration::from_millis(1_000)).await;
        }
        done.store(true, Ordering::Relaxed);
        for t in tasks {
            t.abort();
        }
        // Calm: what is on its way lands, what is pending settles; then one well-behaved
        // run finishes the batch.
        self.sim.calm();
        *self.bank.balance.lock() += 10_000_000;
        tokio::time::sleep(Duration::from_secs(120)).await;
        let last = self.open(&machine, "calm".into()).await;
        let finished = tokio::time::timeout(
            Duration::from_secs(3_600),
            last.run_until(BATCH, &Value::Null, None, Stop::default()),
        )
        .await;
        match finished {
            Err(_) => return Err("the calm run did not finish within an hour".into()),
            Ok(Err(f)) => return Err(format!("the calm run failed: {}", f.message)),
            Ok(Ok(_)) => {}
        }
        tokio::time::sleep(Duration::from_secs(120)).await;
        self.check()?;
        // The operator settles what only an operator can, from the provider's book, and
        // `resolve` refuses anything that is not unknown.
        for row in self.ledger.rows(BATCH) {
            let status = match self.paid(&row.item.key).len() {
                0 => Status::Failed,
                _ => Status::Successful,
            };
            let resolution = Resolution::new(status, "checked the provider's portal", None)
                .map_err(|f| f.to_string())?;
            let r = last.resolve(BATCH, &row.item.key, &resolution).await;
            if (row.state.status == Status::Unknown) != r.is_ok() {
                return Err(format!(
                    "resolve of a {} item answered {r:?}",
                    row.state.status.as_str()
                ));
            }
        }
        self.check()?;
        Ok(self.summary())
    }
}

/// Plays the schedule of `seed` on a fresh paused runtime.
pub fn play(seed: u64) -> Result<String, String> {
    play_world(seed, false)
}

/// Plays the schedule of `seed` with verification first (held items, approvals and
/// rejections) on a fresh paused runtime.
pub fn play_verifying(seed: u64) -> Result<String, String> {
    play_world(seed, true)
}

fn play_world(seed: u64, verifying: bool) -> Result<String, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let world = Arc::new(if verifying {
            World::verifying(seed)
        } else {
            World::new(seed)
        });
        let out = world.clone().play().await;
        out.map_err(|e| {
            let log = world.log.lock().join("\n  ");
            format!("seed {seed}: {e}\n  {log}")
        })
    })
}
