//! The simulation's provider: one book of transactions by reference (what MTN or Paymob
//! holds), and each machine's client of it.
//!
//! The adversary: a request is processed by the provider when it lands, in a task of
//! its own, whatever became of the client (so it may land after the client timed out,
//! crashed or was stalled); answers are lost after booking; lookups lag behind the book;
//! any request may be refused (as a resend would be by a provider in a bad mood), throttled,
//! refused at the token endpoint, or not answered at all; funds run out. A calm provider
//! (for the end of a schedule) does none of that.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use mobilemoney_core::payouts::ledger::{NewItem, RailId};
use mobilemoney_core::payouts::pace::Pace;
use mobilemoney_core::payouts::provider::{Found, Provider};
use mobilemoney_core::payouts::verify::Holder;
use mobilemoney_core::{Failure, FailureKind};
use parking_lot::Mutex;
use serde_json::{json, Value};

use super::sim::{Machine, Sim};

/// A client's request timeout.
pub const TIMEOUT_MS: u64 = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Successful,
    Failed { no_funds: bool },
}

/// What the provider holds under one reference.
#[derive(Debug, Clone)]
pub struct Txn {
    /// The item key it pays (for a foreign transaction: the key whose reference it
    /// collides with).
    pub key: String,
    pub amount: String,
    pub payee: String,
    /// Booked by someone else under a reference this batch also makes (a second ledger
    /// with the same secret and batch id): never this item's money.
    pub foreign: bool,
    pub outcome: Outcome,
    /// When it is final (before then it is pending), and when lookups first see it.
    pub settle_at: i64,
    pub visible_at: i64,
}

impl Txn {
    pub fn settled(&self, now: i64) -> Option<Outcome> {
        (now >= self.settle_at).then_some(self.outcome)
    }
}

/// How the provider treats a lack of funds: MoMo books the transfer and fails it,
/// Paymob refuses the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Momo,
    Paymob,
}

pub struct Bank {
    pub sim: Arc<Sim>,
    pub style: Style,
    pub book: Mutex<HashMap<String, Txn>>,
    /// In cents.
    pub balance: Mutex<i64>,
}

fn cents(amount: &str) -> i64 {
    (amount.parse::<f64>().unwrap_or(0.0) * 100.0).round() as i64
}

pub fn payee(item: &NewItem) -> String {
    ["party", "msisdn"]
        .iter()
        .find_map(|k| item.spec.get(*k).and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned()
}

fn reason(error: &str, message: &str) -> Value {
    json!({ "error": error, "message": message })
}

impl Bank {
    /// A request under `reference` lands: the provider's answer to it.
    fn receive(&self, item: &NewItem, reference: &str) -> Found {
        let sim = &self.sim;
        let now = sim.true_ms();
        let mut book = self.book.lock();
        if book.contains_key(reference) {
            return Found::Acknowledged {
                reason: reason("Conflict", "the reference was used before"),
            };
        }
        if sim.chance(sim.faults().refuse) {
            return Found::Refused {
                reason: reason("InvalidData", "refused (the provider was in a bad mood)"),
                no_funds: false,
            };
        }
        let amount = cents(&item.amount);
        let mut balance = self.balance.lock();
        let outcome = if *balance < amount {
            if self.style == Style::Paymob {
                return Found::Refused {
                    reason: reason("InvalidData", "exceeds your budget limit"),
                    no_funds: true,
                };
            }
            Outcome::Failed { no_funds: true }
        } else if sim.chance(sim.faults().fail) {
            Outcome::Failed { no_funds: false }
        } else {
            *balance -= amount;
            Outcome::Successful
        };
        let settle_at = now + i64::try_from(sim.rand(0, 3_000)).unwrap_or(0);
        let lag = if sim.chance(sim.faults().lag) {
            sim.rand(1_000, 20_000)
        } else {
            0
        };
        book.insert(
            reference.to_owned(),
            Txn {
                key: item.key.clone(),
                amount: item.amount.clone(),
                payee: payee(item),
                foreign: false,
                outcome,
                settle_at,
                visible_at: now + i64::try_from(lag).unwrap_or(0),
            },
        );
        if sim.chance(sim.faults().answer_5xx) {
            return Found::Unknown {
                reason: reason("MomoServerError", "HTTP 500 after booking"),
                answered: true,
            };
        }
        Found::Pending { provider_id: None }
    }

    /// What a lookup of `reference` finds now.
    fn look(&self, item: &NewItem, reference: &str) -> Found {
        let now = self.sim.true_ms();
        let book = self.book.lock();
        let Some(t) = book.get(reference).filter(|t| t.visible_at <= now) else {
            return Found::NotFound;
        };
        // What the adapters do (provider/momo.rs, provider/paymob.rs): a transaction that
        // is not the item's is never its outcome.
        if t.amount != item.amount || t.payee != payee(item) {
            return Found::Mismatch {
                reason: reason("Mismatch", "another payment holds this reference"),
            };
        }
        match t.settled(now) {
            None => Found::Pending { provider_id: None },
            Some(Outcome::Successful) => Found::Successful { provider_id: None },
            Some(Outcome::Failed { no_funds }) => Found::Failed {
                reason: reason("ProviderError", "failed"),
                no_funds,
            },
        }
    }
}

/// One machine's client of the bank.
pub struct SimProvider {
    pub bank: Arc<Bank>,
    pub machine: Arc<Machine>,
    pub kind: RailId,
    pub environment: Value,
    /// Keys whose payee the provider reports inactive (`verify` holds them).
    pub doubtful: Arc<std::collections::HashSet<String>>,
}

impl SimProvider {
    /// Failures before anything reaches the provider: nothing was sent.
    fn before_wire(&self) -> Option<Found> {
        let sim = &self.bank.sim;
        let f = sim.faults();
        let outage = sim.true_ms()
            < sim
                .token_outage_until
                .load(std::sync::atomic::Ordering::Relaxed);
        if outage || sim.chance(f.token) {
            let failure = Failure::new(
                FailureKind::MomoServerError,
                "the token endpoint answered 503",
            )
            .with_status(503)
            .for_account();
            return Some(Found::AccountRefused { failure });
        }
        if sim.chance(f.throttle) {
            return Some(Found::Throttled {
                wait: Some(Duration::from_millis(sim.rand(100, 2_000))),
            });
        }
        if sim.chance(f.unreachable) {
            return Some(Found::Unknown {
                reason: reason("NetworkError", "connection refused"),
                answered: false,
            });
        }
        None
    }

    fn no_answer() -> Found {
        Found::Unknown {
            reason: reason("Timeout", "no answer within the timeout"),
            answered: false,
        }
    }
}

#[async_trait]
impl Provider for SimProvider {
    fn rail(&self) -> RailId {
        self.kind.clone()
    }

    fn default_currency(&self) -> Option<&'static str> {
        (self.kind.as_str() == "paymob").then_some("EGP")
    }

    fn environment(&self) -> Value {
        self.environment.clone()
    }

    fn check(&self, _item: &NewItem) -> Result<(), Failure> {
        Ok(())
    }

    async fn send(&self, item: &NewItem, reference: &str) -> Found {
        // A stalled machine's request leaves when it wakes.
        self.machine.unstalled().await;
        if let Some(f) = self.before_wire() {
            return f;
        }
        let sim = self.bank.sim.clone();
        let f = sim.faults();
        let land = if sim.chance(f.land_late) {
            sim.rand(TIMEOUT_MS, 60_000)
        } else {
            sim.rand(1, 50)
        };
        let lose = sim.chance(f.lose_answer);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (bank, item_owned, reference) = (self.bank.clone(), item.clone(), reference.to_owned());
        // The provider's side: it processes what it received, whatever the client does.
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(land)).await;
            let answer = bank.receive(&item_owned, &reference);
            if !lose {
                tokio::time::sleep(Duration::from_millis(bank.sim.rand(1, 50))).await;
                let _ = tx.send(answer);
            }
        });
        let answer = tokio::select! {
            biased;
            a = rx => a.unwrap_or_else(|_| Self::no_answer()),
            () = tokio::time::sleep(Duration::from_millis(TIMEOUT_MS)) => Self::no_answer(),
        };
        self.machine.unstalled().await;
        answer
    }

    fn lookup_batch(&self) -> usize {
        if self.kind == RailId::from("paymob") {
            50
        } else {
            1
        }
    }

    async fn holder(&self, item: &NewItem, _with_name: bool, pace: &Pace) -> Holder {
        pace.turn().await;
        self.machine.unstalled().await;
        if let Some(f) = self.before_wire() {
            return Holder::Unsure(f);
        }
        let sim = &self.bank.sim;
        tokio::time::sleep(Duration::from_millis(sim.rand(1, 50))).await;
        let out = if self.doubtful.contains(&item.key) {
            Holder::Inactive
        } else {
            Holder::Active { name: None }
        };
        self.machine.unstalled().await;
        out
    }

    async fn lookup(&self, items: &[(&NewItem, &str)]) -> Vec<Found> {
        self.machine.unstalled().await;
        if let Some(f) = self.before_wire() {
            return vec![f; items.len()];
        }
        let sim = &self.bank.sim;
        tokio::time::sleep(Duration::from_millis(sim.rand(1, 50))).await;
        let out = if sim.chance(sim.faults().answer_5xx) {
            let f = Found::Unknown {
                reason: reason("MomoServerError", "HTTP 503"),
                answered: true,
            };
            vec![f; items.len()]
        } else {
            items.iter().map(|(i, r)| self.bank.look(i, r)).collect()
        };
        self.machine.unstalled().await;
        out
    }
}
