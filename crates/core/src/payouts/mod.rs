//! Bulk payouts: batches paid durably, never twice.
//!
//! - [`ledger`]: the store of batches and items, and its SQLite and PostgreSQL stores;
//! - [`rail`], [`rails`] and [`provider`]: a rail's id, the table of the rails, and the
//!   small trait the engine pays through, with one adapter per rail;
//! - [`reference`]: the deterministic reference of an item's generation and content;
//! - [`decide`]: the money-safety rules, what an answer does to an item;
//! - [`engine`]: the per-item steps (send, look up, record), each a compare-and-set, and
//!   the batch's binding to its account; [`account`]: each provider account it pays
//!   through, with its pacing, its silences and its token failures;
//! - [`liveness`] and [`clock`]: each instance a runner with a heartbeat, on the ledger's
//!   clock, so that a crashed runner's `sending` items are looked up in seconds and a live
//!   one's are left alone;
//! - [`run`]: the embedded scheduler over those steps, with [`pace`] per account, and
//!   [`stop`], its graceful stop; [`steps`]: the same steps for schedulers of their own;
//! - [`operator`]: `retryFailed` and `resolve`;
//! - [`verify`]: recipients checked before anything is sent, `approve` and `reject`;
//! - [`options`], [`items`], [`submit`] and [`report`]: what goes in (a chunk at a
//!   time) and what comes out.

pub mod account;
pub mod clock;
pub mod decide;
pub mod engine;
pub mod items;
pub mod ledger;
pub mod liveness;
pub mod operator;
pub mod options;
pub mod pace;
pub mod provider;
pub mod rail;
pub mod rails;
pub mod reference;
pub mod report;
pub mod run;
pub mod steps;
pub mod stop;
pub mod submit;
pub mod verify;
pub mod wall;

use serde_json::{json, Value};

use crate::failure::{Failure, FailureKind};
use crate::transport::Observer;
use crate::CallResult;
use clock::Clock;
pub use engine::Progress;
pub use engine::{Account, Engine};
use pace::Pace;
use provider::Provider;
pub use stop::Stop;

const DEFAULT_CONCURRENCY: usize = 16;

/// A `Payouts` instance: an open ledger and the provider accounts that pay.
pub struct Payouts {
    engine: Engine,
    ledger_kind: &'static str,
    /// [`reference::secret_check`] of this instance's secret.
    secret_check: String,
    /// Opened with a ledger alone: it reads, and refuses every step that sends or writes.
    read_only: bool,
}

/// What a read-only instance resolves to a step that sends or writes.
fn read_only() -> Failure {
    Failure::invalid(
        "options",
        "this Payouts was opened read-only (a ledger without secret or accounts), so it can only read batches (summary, items, iterate); open it with secret and momo or paymob options to submit, send or settle",
    )
}

fn account(provider: Box<dyn Provider>, opts: &options::Account) -> Account {
    Account::new(
        provider,
        Pace::new(opts.sends_per_second),
        Pace::new(Some(opts.lookups_per_second)),
        opts.unreachable_ms,
    )
}

fn no_batch(batch_id: &str) -> Failure {
    Failure::new(
        FailureKind::NotFound,
        format!("there is no batch {batch_id} in this ledger (submit it first)"),
    )
}

impl Payouts {
    /// Opens the ledger and the accounts of `opts` ([`options::parse`] reads them).
    pub async fn open(
        opts: options::Options,
        observer: Option<Observer>,
    ) -> Result<Payouts, Failure> {
        let mut accounts = Vec::with_capacity(opts.accounts.len());
        for (rail, a) in &opts.accounts {
            accounts.push(account((rail.open)(&a.client, observer.clone())?, a));
        }
        let lease_ms = opts
            .accounts
            .iter()
            .map(|(_, a)| a.lease_ms)
            .max()
            .unwrap_or(0);
        let (ledger, ledger_kind) = ledger::open(&opts.ledger).await?;
        let clock = std::sync::Arc::new(Clock::system());
        clock.sync(ledger.as_ref()).await?;
        let read_only = opts.secret.is_none();
        let secret = opts.secret.unwrap_or_default();
        Ok(Payouts {
            secret_check: reference::secret_check(&secret),
            read_only,
            engine: Engine {
                liveness: liveness::Liveness::new(ledger.clone(), clock.clone()),
                clock,
                ledger,
                secret,
                lease_ms,
                accounts,
            },
            ledger_kind,
        })
    }

    /// A `Payouts` over an engine built by hand: a ledger and providers of the caller's
    /// own (a simulation's, or a rail this crate does not ship). The engine's clock should
    /// be synced with its ledger first ([`clock::Clock::sync`]).
    pub fn with_engine(engine: Engine) -> Payouts {
        Payouts {
            secret_check: reference::secret_check(&engine.secret),
            engine,
            ledger_kind: "custom",
            read_only: false,
        }
    }

    /// Refuses a step that sends or writes on a read-only instance.
    pub(crate) fn writable(&self) -> Result<(), Failure> {
        if self.read_only {
            return Err(read_only());
        }
        Ok(())
    }

    /// The engine under this instance.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    fn providers(&self) -> Vec<&dyn Provider> {
        self.engine
            .accounts
            .iter()
            .map(|a| a.provider.as_ref())
            .collect()
    }

    /// The batch, for a step that sends or makes references: refused when it was
    /// submitted with another secret (every reference made now would differ from those
    /// the provider holds), or first sent to another account than this instance's
    /// (guarantee 3 of docs/bulk-payouts.md; the binding itself is made at the first send).
    async fn batch_to_work(&self, batch_id: &str) -> Result<ledger::BatchRow, Failure> {
        self.writable()?;
        let ledger = &self.engine.ledger;
        let batch = ledger
            .batch(batch_id)
            .await?
            .ok_or_else(|| no_batch(batch_id))?;
        if let Some(check) = &batch.secret_check {
            if *check != self.secret_check {
                return Err(Failure::invalid(
                    "secret",
                    format!("batch {batch_id} was submitted with another secret; open Payouts with that secret to run, process or retry it"),
                ));
            }
        }
        for account in &self.engine.accounts {
            if let Some(bound) = ledger.bound_account(batch_id, &account.rail).await? {
                if bound != account.provider.environment() {
                    return Err(engine::other_account(batch_id, &account.rail, &bound));
                }
            }
        }
        Ok(batch)
    }

    pub async fn close(&self) -> CallResult {
        self.engine.ledger.close().await?;
        Ok(Value::Null)
    }

    /// The configuration without secrets (what `util.inspect` shows).
    pub fn describe(&self) -> Value {
        json!({
            "ledger": self.ledger_kind,
            "secret": if self.read_only { Value::Null } else { "[redacted]".into() },
            "readOnly": self.read_only,
            "rails": self.engine.accounts.iter().map(|a| a.rail.as_str()).collect::<Vec<_>>(),
        })
    }
}
