//! What an operator does to a batch, as `Payouts` methods over engine steps:
//! `retryFailed` (a new generation where the current reference is known never to pay)
//! and `resolve` (settling an `unknown` item by hand). Both are compare-and-set
//! transitions, safe beside runs.

use serde_json::{json, Map, Value};

use super::decide::may_retry;
use super::engine::Engine;
use super::ledger::{ItemRow, ItemState, Status};
use super::provider::Found;
use super::{items, report, Payouts};
use crate::failure::{Failure, FailureKind};
use crate::input::OptionsReader;
use crate::CallResult;

/// An operator's word on an `unknown` item: `{ status: 'successful' | 'failed', note,
/// actor? }`. Made only checked ([`Resolution::new`], [`Resolution::from_json`]): any other
/// status would send an item whose reference may still be paid back to the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    status: Status,
    note: String,
    actor: Option<String>,
}

const NOTE_MAX: usize = 2_000;
const ACTOR_MAX: usize = 200;

fn not_settled() -> Failure {
    Failure::invalid(
        "status",
        "resolution.status must be 'successful' or 'failed'",
    )
}

fn note_required() -> Failure {
    Failure::invalid(
        "note",
        "resolution.note is required: what the operator found, for whoever reads the ledger next",
    )
}

fn checked(name: &str, text: Option<String>, max: usize) -> Result<Option<String>, Failure> {
    items::short_text(text, name, &format!("resolution.{name}"), max)
}

impl Resolution {
    /// An item settled as `status` (successful or failed) by an operator who found `note`.
    pub fn new(status: Status, note: &str, actor: Option<&str>) -> Result<Resolution, Failure> {
        if !matches!(status, Status::Successful | Status::Failed) {
            return Err(not_settled());
        }
        let note = checked("note", Some(note.to_owned()), NOTE_MAX)?.ok_or_else(note_required)?;
        let actor = checked("actor", actor.map(str::to_owned), ACTOR_MAX)?;
        Ok(Resolution {
            status,
            note,
            actor,
        })
    }

    /// Reads and checks `resolve`'s third argument.
    pub fn from_json(resolution: &Value) -> Result<Resolution, Failure> {
        let reader = OptionsReader::of(resolution, "resolution")?;
        let status = match reader.string("status")?.as_deref() {
            Some("successful") => Status::Successful,
            Some("failed") => Status::Failed,
            _ => return Err(not_settled()),
        };
        let note = checked("note", reader.string("note")?, NOTE_MAX)?.ok_or_else(note_required)?;
        let actor = checked("actor", reader.string("actor")?, ACTOR_MAX)?;
        Ok(Resolution {
            status,
            note,
            actor,
        })
    }
}

impl Payouts {
    /// A new generation (a new reference) for every item whose current reference is
    /// known never to pay (guarantee 1 of docs/bulk-payouts.md): `failed` as the provider reported it, or
    /// `refused` on the only send of its reference. Never for an `unknown` one, whose
    /// reference may still be paid, nor for one an operator closed.
    pub async fn retry_failed(&self, batch_id: &str) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        self.batch_to_work(&batch_id).await?;
        self.engine.retry_failed(&batch_id).await
    }

    /// An operator settles an `unknown` item (guarantee 6 of docs/bulk-payouts.md) as
    /// `resolution` says, kept with its time and shown by `items`. Only an `unknown`
    /// item: any other was settled by the provider's own answer.
    pub async fn resolve(&self, batch_id: &str, key: &str, resolution: &Resolution) -> CallResult {
        let row = self.row(batch_id, key).await?;
        let Resolution {
            status,
            note,
            actor,
        } = resolution.clone();
        let new = self.engine.resolve(row, status, note, actor).await?;
        self.summary_of(&new.batch_id).await?;
        Ok(report::item(&new))
    }
}

impl Engine {
    /// A new generation (a new reference) for every item [`may_retry`] allows (guarantee 1
    /// of docs/bulk-payouts.md); never for an `unknown` one, whose reference may still be paid. A `failed`
    /// item is looked up first and re-referenced only when the provider's lookup says its
    /// reference failed (a row written by an earlier version, or by an answer now known to
    /// be unsure, may be wrong); one found paid or pending is corrected instead, and one
    /// the lookup cannot settle is left for later (`skipped`).
    pub async fn retry_failed(&self, batch_id: &str) -> CallResult {
        let rows: Vec<ItemRow> = self
            .all(batch_id, &[Status::Failed, Status::Refused])
            .await?
            .into_iter()
            .filter(may_retry)
            .collect();
        if rows.is_empty() {
            return Ok(json!({ "batchId": batch_id, "retried": 0, "items": [], "skipped": [] }));
        }
        // Cleared first: a crash halfway must not leave a finished batch with queued items.
        self.ledger.set_finished(batch_id, None).await?;
        let (failed, refused): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .partition(|r| r.state.status == Status::Failed);
        let mut eligible = refused;
        let mut skipped = Vec::new();
        for (row, found) in self.confirm(failed).await? {
            match found {
                Found::Failed { .. } => eligible.push(row),
                Found::Successful { .. } | Found::Pending { .. } => {
                    let status = if matches!(found, Found::Successful { .. }) {
                        Status::Successful
                    } else {
                        Status::Pending
                    };
                    let next = ItemState {
                        status,
                        reason: None,
                        next_check_ms: (status == Status::Pending).then(|| self.clock.now_ms()),
                        updated_ms: self.clock.now_ms(),
                        ..row.state.clone()
                    };
                    self.ledger.transition(&row, next).await?;
                    skipped.push(json!({ "key": row.item.key, "why": format!("the provider reports it {}", status.as_str()) }));
                }
                _ => skipped.push(json!({ "key": row.item.key, "why": "the provider's lookup did not confirm the failure; try again later" })),
            }
        }
        let mut retried = Vec::new();
        for row in eligible {
            let generation = row.state.generation + 1;
            let next = ItemState {
                status: Status::Queued,
                generation,
                reference: Some(self.reference(&row, generation)),
                reason: None,
                provider_id: None,
                sends: 0,
                lookups: 0,
                next_check_ms: None,
                updated_ms: self.clock.now_ms(),
                acknowledged: false,
                runner: None,
                sent_ms: None,
                resolution: None,
            };
            if let Some(new) = self.ledger.transition(&row, next).await? {
                retried.push(json!({
                    "key": new.item.key,
                    "generation": generation,
                    "referenceId": new.state.reference,
                    "previousReferenceId": row.state.reference,
                }));
            }
        }
        Ok(
            json!({ "batchId": batch_id, "retried": retried.len(), "items": retried, "skipped": skipped }),
        )
    }

    /// What the provider's own lookup says of each row's current reference, one pacing
    /// turn a request (nothing is recorded here).
    async fn confirm(&self, rows: Vec<ItemRow>) -> Result<Vec<(ItemRow, Found)>, Failure> {
        let mut out = Vec::with_capacity(rows.len());
        for chunk in self.lookup_requests(rows)? {
            let Some(first) = chunk.first() else { continue };
            let account = self.account(&first.item.provider)?;
            account.lookups.turn().await;
            let references: Vec<String> = chunk
                .iter()
                .map(|r| r.state.reference.clone().unwrap_or_default())
                .collect();
            let pairs: Vec<_> = chunk
                .iter()
                .zip(references.iter())
                .map(|(r, reference)| (&r.item, reference.as_str()))
                .collect();
            let found = account.provider.lookup(&pairs).await;
            out.extend(chunk.iter().cloned().zip(found));
        }
        Ok(out)
    }

    /// Settles an `unknown` item as `status` (`successful` or `failed`) on an operator's
    /// word, keeping the note, the actor and the time (guarantee 6 of docs/bulk-payouts.md).
    pub async fn resolve(
        &self,
        row: ItemRow,
        status: Status,
        note: String,
        actor: Option<String>,
    ) -> Result<ItemRow, Failure> {
        let conflict = |why: String| Failure::new(FailureKind::Conflict, why).with_field("key");
        if row.state.status != Status::Unknown {
            return Err(conflict(format!(
                "item {} is {}, not unknown: only an unknown item is resolved by an operator",
                row.item.key,
                row.state.status.as_str()
            )));
        }
        let now = self.clock.now_ms();
        let mut record = Map::new();
        record.insert("status".into(), status.as_str().into());
        record.insert("note".into(), note.into());
        if let Some(a) = actor {
            record.insert("actor".into(), a.into());
        }
        record.insert("at".into(), report::iso(now));
        let next = ItemState {
            status,
            next_check_ms: None,
            updated_ms: now,
            resolution: Some(Value::Object(record)),
            ..row.state.clone()
        };
        self.ledger.transition(&row, next).await?.ok_or_else(|| {
            conflict(format!(
                "item {} changed while it was being resolved; look at it again",
                row.item.key
            ))
        })
    }
}
