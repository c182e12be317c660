//! The per-item steps of `Payouts` for schedulers of their own (a job queue runs one
//! item a job): `process`, `reconcile`, `callback`, and what each resolves.

use serde_json::Value;

use super::engine::RunState;
use super::ledger::{self, Status};
use super::{decide, items, report, Payouts};
use crate::failure::{Failure, FailureKind};
use crate::input::json_type_name;
use crate::CallResult;

/// The most keys one `reconcile_many` takes (a queue's drain takes far fewer).
const MAX_MANY: usize = 1_000;

impl Payouts {
    pub(super) async fn row(&self, batch_id: &str, key: &str) -> Result<ledger::ItemRow, Failure> {
        self.writable()?;
        let batch_id = items::batch_id(batch_id)?;
        let key = items::key_str(key, "key")?;
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
    /// claimed and sent; one found `unknown`, or `sending` for longer than its lease
    /// (its worker died), is looked up first. Resolves the item, with `needsLookup` when
    /// it is not final yet, and `throttled` with `retryAfterMs` when a 429 left it queued.
    pub async fn process(&self, batch_id: &str, key: &str) -> CallResult {
        let row = self.row(batch_id, key).await?;
        let paused = self.batch_to_work(&row.batch_id).await?.paused.is_some();
        let _active = self.engine.liveness.enter().await?;
        let run = RunState::default();
        run.paused
            .store(paused, std::sync::atomic::Ordering::Relaxed);
        let row = self.engine.advance(row, &run).await?;
        let mut v = self.step(&row).await?;
        // Only a 429 says so: a queue then holds every worker of the account that long,
        // while an item left queued for another reason (a lost claim) is simply tried again.
        let throttled = run.throttled_ms.load(std::sync::atomic::Ordering::Relaxed);
        if let (Value::Object(m), true) = (&mut v, throttled > 0) {
            m.insert("throttled".into(), true.into());
            m.insert("retryAfterMs".into(), throttled.into());
        }
        Ok(v)
    }

    /// One item's lookup: records what the provider holds for a `pending`, `unknown` or
    /// interrupted (`sending` past its lease) item; other items are returned as they are.
    pub async fn reconcile(&self, batch_id: &str, key: &str) -> CallResult {
        let row = self.row(batch_id, key).await?;
        self.look_up(row).await
    }

    /// Several items' lookups at once, in requests as large as the provider takes (Paymob:
    /// up to 50 references, bank rails and wallets apart), for a queue that gathers the
    /// keys due a lookup and spends a per-minute inquiry budget on them. Items that need
    /// no lookup are returned as they are. Resolves `{ items, requests }`: each key's step,
    /// in the order given, and how many lookup requests were sent. `keys`: an array of
    /// item keys.
    pub async fn reconcile_many(&self, batch_id: &str, keys: &Value) -> CallResult {
        let keys = match keys {
            Value::Array(list) if !list.is_empty() && list.len() <= MAX_MANY => list
                .iter()
                .map(|k| items::key(Some(k), "keys"))
                .collect::<Result<Vec<_>, _>>()?,
            _ => {
                return Err(Failure::invalid(
                    "keys",
                    format!("keys must be an array of 1 to {MAX_MANY} item keys"),
                ))
            }
        };
        let mut rows = Vec::with_capacity(keys.len());
        let mut seen = std::collections::HashSet::new();
        for key in &keys {
            if seen.insert(key.as_str()) {
                rows.push(self.row(batch_id, key).await?);
            }
        }
        let (open, rest): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| {
            matches!(
                r.state.status,
                Status::Pending | Status::Unknown | Status::Sending
            )
        });
        let run = RunState::default();
        let looked = if open.is_empty() {
            open
        } else {
            self.engine.lookup(open, &run).await?
        };
        let by_key: std::collections::HashMap<String, ledger::ItemRow> = looked
            .into_iter()
            .chain(rest)
            .map(|r| (r.item.key.clone(), r))
            .collect();
        let mut steps = Vec::with_capacity(keys.len());
        for key in &keys {
            if let Some(row) = by_key.get(key) {
                steps.push(self.step(row).await?);
            }
        }
        let requests = run.lookups.load(std::sync::atomic::Ordering::Relaxed);
        Ok(serde_json::json!({ "items": steps, "requests": requests }))
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
        self.step(&row).await
    }

    /// An item after a step, and whether it still needs a lookup. A `sending` item whose
    /// request may be on the wire answers `nextCheckAt` when that may have changed (a job
    /// that finds it should come back then, not sooner); one that is not, now.
    async fn step(&self, row: &ledger::ItemRow) -> CallResult {
        let hold = self.engine.holds(std::slice::from_ref(row)).await?;
        let mut v = report::item(row);
        if let Value::Object(m) = &mut v {
            // An item waiting on an operator is not looked up again by a job queue.
            let needs = matches!(
                row.state.status,
                Status::Pending | Status::Unknown | Status::Sending
            ) && !decide::needs_operator(&row.state);
            m.insert("needsLookup".into(), needs.into());
            let next = match row.state.status {
                Status::Sending => Some(
                    hold.first()
                        .copied()
                        .flatten()
                        .unwrap_or_else(|| self.engine.clock.now_ms()),
                ),
                _ => row.state.next_check_ms,
            };
            if let Some(t) = next.filter(|_| needs) {
                m.insert("nextCheckAt".into(), report::iso(t));
            }
        }
        Ok(v)
    }

    /// A provider's callback for an item of the batch: `parseCallback`'s result (the pair or its
    /// data) or the raw body. Callbacks are not signed, so it is taken as a hint: the item (found by its
    /// reference, or by the key MoMo echoes as `externalId`) is looked up and what the
    /// provider holds is recorded. `callback`: the pair, an object, or the body's text.
    pub async fn callback(&self, batch_id: &str, callback: &Value) -> CallResult {
        self.writable()?;
        let batch_id = items::batch_id(batch_id)?;
        // parseCallback's `[true, parsed]` pair, its `parsed`, or the body itself.
        let known = |v: &Value| -> Result<Value, Failure> {
            if v.get("provider").is_some() && v.get("status").is_some() {
                Ok(v.clone())
            } else {
                crate::callback::parse_value(v)
            }
        };
        let parsed = match callback {
            Value::String(text) => crate::callback::parse_text(text)?,
            Value::Array(pair) => match pair.as_slice() {
                [Value::Bool(true), parsed] => known(parsed)?,
                _ => return Err(crate::callback::not_a_body("array")),
            },
            Value::Object(_) => known(callback)?,
            other => return Err(crate::callback::not_a_body(json_type_name(other))),
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
}
