//! What an operator does to a batch, as engine steps: `retryFailed` (a new generation
//! where the current reference is known never to pay) and `resolve` (settling an
//! `unknown` item by hand). Both are compare-and-set transitions, safe beside runs.

use serde_json::{json, Map, Value};

use super::decide::may_retry;
use super::engine::Engine;
use super::ledger::{ItemRow, ItemState, Status};
use super::report;
use crate::failure::{Failure, FailureKind};
use crate::CallResult;

impl Engine {
    /// A new generation (a new reference) for every item [`may_retry`] allows (CONTRACT
    /// §8, 1); never for an `unknown` one, whose reference may still be paid.
    pub async fn retry_failed(&self, batch_id: &str) -> CallResult {
        let rows = self
            .all(batch_id, &[Status::Failed, Status::Refused])
            .await?;
        let mut retried = Vec::new();
        for row in rows.into_iter().filter(may_retry) {
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
        if !retried.is_empty() {
            self.ledger.set_finished(batch_id, None).await?;
        }
        Ok(json!({ "batchId": batch_id, "retried": retried.len(), "items": retried }))
    }

    /// Settles an `unknown` item as `status` (`successful` or `failed`) on an operator's
    /// word, keeping the note, the actor and the time (CONTRACT §8, 6).
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
