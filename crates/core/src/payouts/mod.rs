//! Bulk payouts (CONTRACT §8): batches paid durably, never twice.
//!
//! - [`ledger`]: the store of batches and items, and its embedded SQLite implementation;
//! - [`provider`]: the small trait the engine pays through, with one adapter per client;
//! - [`reference`]: the deterministic reference of an item's generation;
//! - [`engine`]: the per-item steps (send, look up, record), each a compare-and-set;
//! - [`run`]: the embedded scheduler over those steps, with [`pace`] per account;
//! - [`options`], [`items`] and [`report`]: what goes in and what comes out.

pub mod engine;
pub mod items;
pub mod ledger;
pub mod options;
pub mod pace;
pub mod provider;
pub mod reference;
pub mod report;
pub mod run;

use std::time::Duration;

use serde_json::{json, Value};

use crate::failure::{Failure, FailureKind};
use crate::input::{Arg, OptionsReader};
use crate::transport::Observer;
use crate::CallResult;
pub use engine::Progress;
use engine::{now_ms, Account, Engine, RunState};
use ledger::{Created, ItemState, NewBatch, Status};
use pace::Pace;
use provider::Provider;
use run::RunOptions;

const DEFAULT_CONCURRENCY: usize = 16;
const DEFAULT_SETTLE_TIMEOUT: Duration = Duration::from_secs(300);
/// `process` leaves an item another worker wrote `sending` this recently to that worker
/// (its request may be on the wire); `run`, alone on its batch, looks such items up at once.
const SENDING_LEASE_MS: i64 = 120_000;

/// A `Payouts` instance: an open ledger and the provider accounts that pay.
pub struct Payouts {
    engine: Engine,
    ledger_kind: &'static str,
}

fn account(provider: Box<dyn Provider>, opts: &options::Account) -> Account {
    Account {
        provider,
        sends: Pace::new(opts.sends_per_second),
        lookups: Pace::new(Some(opts.lookups_per_second)),
    }
}

fn no_batch(batch_id: &str) -> Failure {
    Failure::new(
        FailureKind::NotFound,
        format!("there is no batch {batch_id} in this ledger (submit it first)"),
    )
}

impl Payouts {
    /// Reads the options and opens the ledger.
    pub async fn open(options: &Arg, observer: Option<Observer>) -> Result<Payouts, Failure> {
        let opts = options::parse(options)?;
        let momo = match &opts.momo {
            Some(a) => Some(account(
                Box::new(provider::momo::Momo::new(&a.client, observer.clone())?),
                a,
            )),
            None => None,
        };
        let paymob = match &opts.paymob {
            Some(a) => Some(account(
                Box::new(provider::paymob::Paymob::new(&a.client, observer.clone())?),
                a,
            )),
            None => None,
        };
        let (ledger, ledger_kind) = ledger::open(&opts.ledger).await?;
        Ok(Payouts {
            engine: Engine {
                ledger,
                secret: opts.secret,
                momo,
                paymob,
            },
            ledger_kind,
        })
    }

    fn providers(&self) -> Vec<&dyn Provider> {
        [&self.engine.momo, &self.engine.paymob]
            .into_iter()
            .flatten()
            .map(|a| a.provider.as_ref())
            .collect()
    }

    /// Creates the batch, or does nothing when it exists with the same items.
    pub async fn submit(&self, batch_id: &Arg, items: &Arg) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        let list = items::read(items, &self.providers())?;
        let batch = NewBatch {
            batch_id: batch_id.clone(),
            fingerprint: items::fingerprint(&list),
            items: list,
            now_ms: now_ms(),
        };
        let created = self.engine.ledger.create_batch(batch).await?;
        if created == Created::Conflict {
            return Err(Failure::new(
                FailureKind::Conflict,
                format!("batch {batch_id} was already submitted with other items; give the new items a new batch id"),
            ));
        }
        let mut summary = self.summary_of(&batch_id).await?;
        if let Value::Object(m) = &mut summary {
            m.insert("created".into(), (created == Created::New).into());
        }
        Ok(summary)
    }

    async fn summary_of(&self, batch_id: &str) -> CallResult {
        let ledger = &self.engine.ledger;
        let mut batch = ledger
            .batch(batch_id)
            .await?
            .ok_or_else(|| no_batch(batch_id))?;
        let totals = ledger.totals(batch_id).await?;
        if batch.finished_at_ms.is_none() && report::all_final(&batch, &totals) {
            let at = now_ms();
            ledger.set_finished(batch_id, Some(at)).await?;
            batch.finished_at_ms = Some(at);
        }
        Ok(report::summary(&batch, &totals))
    }

    pub async fn summary(&self, batch_id: &Arg) -> CallResult {
        self.summary_of(&items::batch_id(batch_id)?).await
    }

    /// Pays the batch until every item is final or the batch pauses; resumes a batch
    /// that was interrupted or paused.
    pub async fn run(
        &self,
        batch_id: &Arg,
        options: &Arg,
        progress: Option<Progress>,
    ) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        let reader = OptionsReader::new(options, "options")?;
        let concurrency = reader
            .number("concurrency", 1.0, 10_000.0)?
            .map_or(DEFAULT_CONCURRENCY, |n| n as usize);
        let settle_timeout = reader
            .number("settleTimeoutMs", 0.0, 86_400_000.0)?
            .map_or(DEFAULT_SETTLE_TIMEOUT, |ms| {
                Duration::from_millis(ms as u64)
            });
        let ledger = &self.engine.ledger;
        let batch = ledger
            .batch(&batch_id)
            .await?
            .ok_or_else(|| no_batch(&batch_id))?;
        let totals = ledger.totals(&batch_id).await?;
        ledger.set_paused(&batch_id, None).await?;
        let finals: u64 = totals
            .by_status
            .iter()
            .filter(|(s, _)| s.is_final())
            .map(|(_, n)| n)
            .sum();
        let run = RunState {
            started_ms: now_ms(),
            finals: finals.into(),
            total: batch.total,
            progress,
            ..RunState::default()
        };
        self.engine
            .run_batch(
                &batch_id,
                &RunOptions {
                    concurrency,
                    settle_timeout,
                },
                &run,
            )
            .await?;
        self.summary_of(&batch_id).await
    }

    /// The items of a batch in submission order, `{ status }` filtering them.
    pub async fn items(&self, batch_id: &Arg, query: &Arg) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        let reader = OptionsReader::new(query, "query")?;
        let statuses = match reader.arg("status") {
            Arg::Undefined | Arg::Null => Vec::new(),
            Arg::String(s) => vec![s],
            Arg::Json(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
            _ => vec![String::new()],
        };
        let statuses = statuses
            .iter()
            .map(|s| {
                Status::parse(s).ok_or_else(|| {
                    Failure::invalid(
                        "status",
                        "query.status must be a status (queued, sending, pending, successful, failed, refused, unknown) or a list of them",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if self.engine.ledger.batch(&batch_id).await?.is_none() {
            return Err(no_batch(&batch_id));
        }
        let rows = self.engine.all(&batch_id, &statuses).await?;
        Ok(Value::Array(rows.iter().map(report::item).collect()))
    }

    /// A new generation (a new reference) for every `failed` or `refused` item; never
    /// for an `unknown` one, whose first reference may still be paid.
    pub async fn retry_failed(&self, batch_id: &Arg) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        let ledger = &self.engine.ledger;
        if ledger.batch(&batch_id).await?.is_none() {
            return Err(no_batch(&batch_id));
        }
        let rows = self
            .engine
            .all(&batch_id, &[Status::Failed, Status::Refused])
            .await?;
        let mut retried = Vec::new();
        for row in rows {
            let generation = row.state.generation + 1;
            let next = ItemState {
                status: Status::Queued,
                generation,
                reference: Some(self.engine.reference(&row, generation)),
                reason: None,
                provider_id: None,
                sends: 0,
                lookups: 0,
                next_check_ms: None,
                updated_ms: now_ms(),
            };
            if let Some(new) = ledger.transition(&row, next).await? {
                retried.push(json!({
                    "key": new.item.key,
                    "generation": generation,
                    "referenceId": new.state.reference,
                    "previousReferenceId": row.state.reference,
                }));
            }
        }
        if !retried.is_empty() {
            ledger.set_finished(&batch_id, None).await?;
        }
        Ok(json!({ "batchId": batch_id, "retried": retried.len(), "items": retried }))
    }

    async fn row(&self, batch_id: &Arg, key: &Arg) -> Result<ledger::ItemRow, Failure> {
        let batch_id = items::batch_id(batch_id)?;
        let key = items::key(key.to_json().as_ref(), "key")?;
        self.engine
            .ledger
            .item(&batch_id, &key)
            .await?
            .ok_or_else(|| {
                Failure::new(
                    FailureKind::NotFound,
                    format!("batch {batch_id} has no item with key {key}"),
                )
            })
    }

    /// One item's step, for schedulers of their own (a job per item): a queued item is
    /// claimed and sent; one found `unknown`, or `sending` for longer than two minutes
    /// (its worker died), is looked up first. Resolves the item, with `needsLookup` when
    /// it is not final yet.
    pub async fn process(&self, batch_id: &Arg, key: &Arg) -> CallResult {
        let row = self.row(batch_id, key).await?;
        let paused = self
            .engine
            .ledger
            .batch(&row.batch_id)
            .await?
            .and_then(|b| b.paused)
            .is_some();
        let run = RunState::default();
        run.paused
            .store(paused, std::sync::atomic::Ordering::Relaxed);
        let row = self
            .engine
            .advance(row, &run, Some(SENDING_LEASE_MS))
            .await?;
        Ok(step(&row))
    }

    /// One item's lookup: records what the provider holds for a `pending`, `unknown` or
    /// interrupted (`sending`) item; other items are returned as they are.
    pub async fn reconcile(&self, batch_id: &Arg, key: &Arg) -> CallResult {
        let row = self.row(batch_id, key).await?;
        self.look_up(row).await
    }

    /// Looks a not-final item up and records the answer; resolves it as a step.
    async fn look_up(&self, row: ledger::ItemRow) -> CallResult {
        let row = match row.state.status {
            Status::Pending | Status::Unknown | Status::Sending => {
                let run = RunState::default();
                self.engine
                    .lookup(vec![row.clone()], &run)
                    .await?
                    .pop()
                    .unwrap_or(row)
            }
            _ => row,
        };
        Ok(step(&row))
    }

    /// A provider's callback for an item of the batch: `parseCallback`'s result (the pair or its
    /// data) or the raw body. Callbacks are not signed, so it is taken as a hint: the item (found by its
    /// reference, or by the key MoMo echoes as `externalId`) is looked up and what the
    /// provider holds is recorded.
    pub async fn callback(&self, batch_id: &Arg, callback: &Arg) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        // parseCallback's `[true, parsed]` pair, its `parsed`, or the body itself.
        let callback = match callback {
            Arg::Json(Value::Array(pair)) => match pair.as_slice() {
                [Value::Bool(true), parsed] => Arg::Json(parsed.clone()),
                _ => Arg::Other("array"),
            },
            other => other.clone(),
        };
        let parsed = match &callback {
            Arg::Json(v) if v.get("provider").is_some() && v.get("status").is_some() => v.clone(),
            other => crate::callback::parse(other, &Arg::Undefined)?,
        };
        let reference = parsed.get("referenceId").and_then(Value::as_str);
        let key = parsed
            .get("body")
            .and_then(|b| b.get("externalId"))
            .and_then(Value::as_str);
        let open = [Status::Pending, Status::Unknown, Status::Sending];
        let row = match (key, reference) {
            (Some(k), _) => self.engine.ledger.item(&batch_id, k).await?,
            (None, Some(r)) => self
                .engine
                .all(&batch_id, &open)
                .await?
                .into_iter()
                .find(|row| row.state.reference.as_deref() == Some(r)),
            (None, None) => None,
        }
        .ok_or_else(|| {
            Failure::new(
                FailureKind::NotFound,
                format!("no item of batch {batch_id} waits for this callback"),
            )
        })?;
        self.look_up(row).await
    }

    pub async fn close(&self) -> CallResult {
        self.engine.ledger.close().await?;
        Ok(Value::Null)
    }

    /// The configuration without secrets (what `util.inspect` shows).
    pub fn describe(&self) -> Value {
        json!({
            "ledger": self.ledger_kind,
            "secret": "[redacted]",
            "momo": self.engine.momo.is_some(),
            "paymob": self.engine.paymob.is_some(),
        })
    }
}

/// An item after a step, and whether it still needs a lookup.
fn step(row: &ledger::ItemRow) -> Value {
    let mut v = report::item(row);
    if let Value::Object(m) = &mut v {
        let needs = matches!(
            row.state.status,
            Status::Pending | Status::Unknown | Status::Sending
        );
        m.insert("needsLookup".into(), needs.into());
        if let Some(t) = row.state.next_check_ms.filter(|_| needs) {
            m.insert("nextCheckAt".into(), report::iso(t));
        }
    }
    v
}
