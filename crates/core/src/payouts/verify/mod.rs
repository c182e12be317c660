//! Verifying recipients before any money moves: `payouts.verify(batchId)`, and the
//! operator's `approve` and `reject` of what it held.
//!
//! Each `queued` MoMo item is looked up (`active`, and `basicuserinfo` when the item names
//! its payee) on the account's lookup pacing; one that is inactive, unknown to MTN or
//! registered under another name becomes `held`, which no step ever sends. What was
//! concluded is recorded per item before its status changes, so a verification cut short
//! resumes where it stopped and no item is looked up twice. The registered name itself is
//! never kept: only the score, the rule that decided and a masked form (`J*** O*****`).
//!
//! - [`names`]: the comparison of two names, pure;
//! - [`check`]: one item's lookups and what they make of it;
//! - [`momo`]: MoMo's account-holder requests.

pub mod check;
pub mod names;

use std::collections::HashMap;

use futures::stream::{self, StreamExt};
use serde_json::{json, Map, Value};

use super::engine::Engine;
use super::ledger::{ItemRow, ItemState, Status};
pub use super::provider::Holder;
use super::{items, report, Payouts, DEFAULT_CONCURRENCY};
use crate::failure::{Failure, FailureKind};
use crate::input::OptionsReader;
use crate::CallResult;

/// An operator's decision on held items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approved,
    Rejected,
}

impl Decision {
    fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
        }
    }
}

/// How `verify` goes: `{ concurrency? }`, items checked at once (16 by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    pub concurrency: usize,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

impl VerifyOptions {
    /// Reads and checks `verify`'s options (`null`: the default).
    pub fn from_json(options: &Value) -> Result<VerifyOptions, Failure> {
        let reader = OptionsReader::of(options, "options")?;
        let concurrency = reader
            .number("concurrency", 1.0, 10_000.0)?
            .map_or(DEFAULT_CONCURRENCY, |n| n as usize);
        Ok(VerifyOptions { concurrency })
    }
}

/// The keys of `approve` / `reject`: one key or a list of them.
fn keys(keys: &Value) -> Result<Vec<String>, Failure> {
    let list: Vec<Value> = match keys {
        Value::String(s) => vec![Value::from(s.as_str())],
        Value::Array(a) if !a.is_empty() => a.clone(),
        _ => {
            return Err(Failure::invalid(
                "keys",
                "keys must be an item key or a non-empty list of item keys",
            ))
        }
    };
    list.iter()
        .enumerate()
        .map(|(i, v)| items::key(Some(v), &format!("keys[{i}]")))
        .collect()
}

fn text(value: Option<String>, name: &str, max: usize) -> Result<Option<String>, Failure> {
    items::short_text(value, name, name, max)
}

impl Payouts {
    /// Verifies every `queued` item not verified yet; holds those found wanting.
    pub async fn verify(&self, batch_id: &str, options: &VerifyOptions) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        self.batch_to_work(&batch_id).await?;
        self.engine
            .verify_batch(&batch_id, options.concurrency)
            .await
    }

    /// `run(batchId, { verify: true })`: verification first, and no run while an item
    /// could not be verified (it would be sent unverified).
    pub(super) async fn verify_before_run(
        &self,
        batch_id: &str,
        concurrency: usize,
    ) -> Result<(), Failure> {
        let result = self.engine.verify_batch(batch_id, concurrency).await?;
        let unverified = result
            .get("unverified")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if unverified > 0 {
            return Err(Failure::new(
                FailureKind::ProviderError,
                format!("{unverified} item(s) of batch {batch_id} could not be verified (the provider did not answer for them); nothing was sent: run again with verify to finish the verification"),
            ));
        }
        Ok(())
    }

    /// Releases `held` items to be paid (`queued`), recording the decision. `keys`: an
    /// item key or a list of them; `options`: `{ note?, actor? }` or `null`.
    pub async fn approve(&self, batch_id: &str, keys: &Value, options: &Value) -> CallResult {
        let reader = OptionsReader::of(options, "options")?;
        let note = text(reader.string("note")?, "options.note", 2_000)?;
        let actor = text(reader.string("actor")?, "options.actor", 200)?;
        self.decide_held(batch_id, keys, Decision::Approved, note, actor)
            .await
    }

    /// Refuses `held` items for good (`refused`, never sent), recording the note (`None`
    /// when it was not a string: refused).
    pub async fn reject(&self, batch_id: &str, keys: &Value, note: Option<&str>) -> CallResult {
        let note = match note {
            Some(s) => text(Some(s.to_owned()), "note", 2_000)?,
            None => None,
        }
        .ok_or_else(|| {
            Failure::invalid(
                "note",
                "note is required: why the items are rejected, for whoever reads the ledger next",
            )
        })?;
        self.decide_held(batch_id, keys, Decision::Rejected, Some(note), None)
            .await
    }

    async fn decide_held(
        &self,
        batch_id: &str,
        keys_given: &Value,
        decision: Decision,
        note: Option<String>,
        actor: Option<String>,
    ) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        self.writable()?;
        let keys = keys(keys_given)?;
        let ledger = &self.engine.ledger;
        if ledger.batch(&batch_id).await?.is_none() {
            return Err(super::no_batch(&batch_id));
        }
        // Every key checked before anything is written: all or nothing of what was asked.
        let mut rows = Vec::with_capacity(keys.len());
        for key in &keys {
            let row = ledger.item(&batch_id, key).await?.ok_or_else(|| {
                Failure::new(
                    FailureKind::NotFound,
                    format!("batch {batch_id} has no item {key}"),
                )
                .with_field("keys")
            })?;
            if row.state.status != Status::Held {
                return Err(Failure::new(
                    FailureKind::Conflict,
                    format!(
                        "item {key} is {}, not held: only a held item is approved or rejected",
                        row.state.status.as_str()
                    ),
                )
                .with_field("keys"));
            }
            rows.push(row);
        }
        let records: HashMap<String, Value> =
            ledger.verifications(&batch_id).await?.into_iter().collect();
        let mut done = Vec::with_capacity(rows.len());
        for row in rows {
            let new = self
                .engine
                .decide_one(&row, records.get(&row.item.key), decision, &note, &actor)
                .await?;
            done.push(report::item(&new));
        }
        self.summary_of(&batch_id).await?;
        Ok(json!({ "batchId": batch_id, decision.as_str(): done.len(), "items": done }))
    }
}

impl Engine {
    /// Moves the item on, the decision in its new state (one compare-and-set: a decision
    /// that lost a race is not recorded anywhere): approved to `queued`, its reason the
    /// decision (a later verification leaves it queued); rejected to `refused`, its reason
    /// the note. Then the decision joins the item's verification record.
    async fn decide_one(
        &self,
        row: &ItemRow,
        record: Option<&Value>,
        decision: Decision,
        note: &Option<String>,
        actor: &Option<String>,
    ) -> Result<ItemRow, Failure> {
        let now = self.clock.now_ms();
        let held = row
            .state
            .reason
            .as_ref()
            .and_then(|r| r.get("error"))
            .cloned()
            .unwrap_or(Value::Null);
        let mut entry = Map::new();
        entry.insert("decision".into(), decision.as_str().into());
        entry.insert("held".into(), held);
        if let Some(n) = note {
            entry.insert("note".into(), n.as_str().into());
        }
        if let Some(a) = actor {
            entry.insert("actor".into(), a.as_str().into());
        }
        entry.insert("at".into(), report::iso(now));
        let entry = Value::Object(entry);
        let (status, reason) = match decision {
            Decision::Approved => (Status::Queued, entry.clone()),
            Decision::Rejected => (
                Status::Refused,
                json!({
                    "error": "Rejected",
                    "message": note.clone().unwrap_or_default(),
                    "decision": entry.clone(),
                }),
            ),
        };
        let next = ItemState {
            status,
            reason: Some(reason),
            updated_ms: now,
            ..row.state.clone()
        };
        let new = self.ledger.transition(row, next).await?.ok_or_else(|| {
            Failure::new(
                FailureKind::Conflict,
                format!(
                    "item {} changed while it was being {}; look at it again",
                    row.item.key,
                    decision.as_str()
                ),
            )
            .with_field("keys")
        })?;
        let mut record = record.cloned().unwrap_or_else(|| json!({}));
        if let Value::Object(m) = &mut record {
            m.insert("decision".into(), entry);
        }
        self.ledger
            .record_verification(&row.batch_id, &row.item.key, &record)
            .await?;
        Ok(new)
    }

    /// The verification of every `queued` item of the batch not verified yet,
    /// `concurrency` items at a time (the account's lookup pacing decides the rate).
    pub async fn verify_batch(&self, batch_id: &str, concurrency: usize) -> CallResult {
        let records: HashMap<String, Value> = self
            .ledger
            .verifications(batch_id)
            .await?
            .into_iter()
            .collect();
        let queued = self.all(batch_id, &[Status::Queued]).await?;
        let mut to_check = Vec::new();
        let mut rehold = Vec::new();
        for row in queued {
            // Sent before under its current reference (a send whose lookup found nothing
            // puts it back in the queue): that send may still pay, so it is past holding.
            if row.state.sends > 0 {
                continue;
            }
            match records.get(&row.item.key) {
                None => to_check.push(row),
                // Held by a verification that stopped before the item's status changed;
                // an item an operator approved is left queued.
                Some(r) if check::holds(r) && !check::approved(&row) => {
                    rehold.push((row, r.clone()));
                }
                Some(_) => {}
            }
        }
        for (row, record) in rehold {
            self.hold(&row, &record).await?;
        }
        let checked = to_check.len();
        let outcomes: Vec<Result<check::Checked, Failure>> = stream::iter(to_check)
            .map(|row| self.check_item(row))
            .buffer_unordered(concurrency.max(1))
            .collect()
            .await;
        let mut unverified = Vec::new();
        let mut stop = None;
        for o in outcomes {
            match o {
                Ok(c) => {
                    if let Some(reason) = c.unverified {
                        unverified.push(json!({ "key": c.key, "reason": reason }));
                    }
                }
                Err(f) => stop = Some(f),
            }
        }
        if let Some(f) = stop {
            return Err(f);
        }
        let held: Vec<Value> = self
            .all(batch_id, &[Status::Held])
            .await?
            .iter()
            .map(report::item)
            .collect();
        let verified = self
            .ledger
            .verifications(batch_id)
            .await?
            .iter()
            .filter(|(_, r)| r.get("outcome").and_then(Value::as_str) == Some("verified"))
            .count();
        Ok(json!({
            "batchId": batch_id,
            "checked": checked,
            "verified": verified,
            "held": held.len(),
            "items": held,
            "unverified": unverified,
        }))
    }
}
