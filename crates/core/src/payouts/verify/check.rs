//! One item's verification: the lookups (each on a turn of the account's lookup pacing),
//! the comparison of names, the record, and the hold.

use std::time::Duration;

use serde_json::{json, Map, Value};

use super::names::{self, Verdict};
use crate::failure::Failure;
use crate::payouts::engine::Engine;
use crate::payouts::ledger::{ItemRow, ItemState, Status};
use crate::payouts::provider::Found;
use crate::payouts::provider::Holder;
use crate::payouts::report;

/// A `429` without `Retry-After` holds the account's lookups this long.
const DEFAULT_HOLD: Duration = Duration::from_secs(1);

/// What checking one item did.
pub struct Checked {
    pub key: String,
    /// Why it could not be verified this time (it stays `queued`, unrecorded).
    pub unverified: Option<Value>,
}

/// Whether a record holds its item: found wanting, and no operator decided since.
pub fn holds(record: &Value) -> bool {
    record.get("outcome").and_then(Value::as_str) == Some("held")
        && record.get("decision").is_none()
}

/// Whether an operator approved the item (its state carries the decision, written by the
/// same transition that released it).
pub fn approved(row: &ItemRow) -> bool {
    row.state
        .reason
        .as_ref()
        .and_then(|r| r.get("decision"))
        .and_then(Value::as_str)
        == Some("approved")
}

/// The item's `name`, when it gives one.
fn expected_name(row: &ItemRow) -> Option<&str> {
    row.item
        .spec
        .get("name")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// `(outcome record, held reason)` of what the lookups found.
fn conclude(holder: &Holder, expected: Option<&str>) -> (Map<String, Value>, Option<Value>) {
    let mut record = Map::new();
    let held = |code: &str, message: String| Some(json!({ "error": code, "message": message }));
    let reason = match holder {
        Holder::Inactive => held(
            "inactive",
            "the MoMo account of this number is not active: approve to pay it anyway, or reject it"
                .into(),
        ),
        Holder::NotFound => held(
            "not_found",
            "MTN knows no account holder with this number: approve to pay it anyway, or reject it"
                .into(),
        ),
        Holder::FormatOnly => {
            record.insert("rule".into(), "format_only".into());
            None
        }
        Holder::Active { name } => match (expected, name) {
            (Some(expected), Some((given, family))) => {
                let Verdict {
                    matches,
                    score,
                    rule,
                } = names::compare(expected, given, family);
                let masked = names::mask(&format!("{given} {family}"));
                let score = (score * 1000.0).round() / 1000.0;
                record.insert("score".into(), score.into());
                record.insert("rule".into(), rule.as_str().into());
                record.insert("registeredName".into(), masked.as_str().into());
                (!matches).then(|| {
                    json!({
                        "error": "name_mismatch",
                        "message": format!("the name registered for this number ({masked}) does not match the expected name (rule {}, score {score}): approve to pay it anyway, or reject it", rule.as_str()),
                        "score": score,
                        "rule": rule.as_str(),
                        "registeredName": masked,
                    })
                })
            }
            _ => {
                record.insert("rule".into(), "active".into());
                None
            }
        },
        // Not concluded: the caller keeps no record.
        Holder::Unsure(_) => None,
    };
    let outcome = if reason.is_some() { "held" } else { "verified" };
    record.insert("outcome".into(), outcome.into());
    if let Some(r) = &reason {
        record.insert("reason".into(), r.clone());
    }
    (record, reason)
}

impl Engine {
    /// Looks the item's holder up and records what was found; holds it when found wanting.
    /// `Err` only for what stops the verification (the account's own failure, the ledger).
    pub(super) async fn check_item(&self, row: ItemRow) -> Result<Checked, Failure> {
        let account = self.account(&row.item.provider)?;
        let expected = expected_name(&row);
        let holder = account
            .provider
            .holder(&row.item, expected.is_some(), &account.lookups)
            .await;
        let key = row.item.key.clone();
        if let Holder::Unsure(found) = &holder {
            let reason = match found {
                Found::AccountRefused { failure } => return Err(failure.clone()),
                Found::Throttled { wait } => {
                    account.lookups.hold(wait.unwrap_or(DEFAULT_HOLD));
                    json!({ "error": "RateLimited", "message": "the provider throttled the lookup; verify again" })
                }
                Found::Unknown { reason, .. } => reason.clone(),
                other => json!({ "error": "Unknown", "message": format!("{other:?}") }),
            };
            return Ok(Checked {
                key,
                unverified: Some(reason),
            });
        }
        let (mut record, held) = conclude(&holder, expected);
        record.insert("generation".into(), row.state.generation.into());
        record.insert("at".into(), report::iso(self.clock.now_ms()));
        let record = Value::Object(record);
        // Recorded first: a crash before the hold leaves a record the next verification
        // applies without looking the item up again.
        self.ledger
            .record_verification(&row.batch_id, &key, &record)
            .await?;
        if held.is_some() {
            self.hold(&row, &record).await?;
        }
        Ok(Checked {
            key,
            unverified: None,
        })
    }

    /// `queued` → `held` with the record's reason, a compare-and-set: an item another
    /// step moved meanwhile is left as it is.
    pub(super) async fn hold(&self, row: &ItemRow, record: &Value) -> Result<(), Failure> {
        // Only an item never sent under its reference: a send may still pay.
        if row.state.sends > 0 || row.state.status != Status::Queued {
            return Ok(());
        }
        let next = ItemState {
            status: Status::Held,
            reason: record.get("reason").cloned(),
            updated_ms: self.clock.now_ms(),
            ..row.state.clone()
        };
        self.ledger.transition(row, next).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conclusions_keep_no_registered_name() {
        let holder = Holder::Active {
            name: Some(("Kwame".into(), "Mensah".into())),
        };
        let (record, held) = conclude(&holder, Some("Kofi Boateng"));
        let text = Value::Object(record.clone()).to_string();
        assert!(
            !text.contains("Kwame") && !text.contains("Mensah"),
            "{text}"
        );
        assert_eq!(record.get("registeredName"), Some(&json!("K**** M*****")));
        assert_eq!(
            held.as_ref().and_then(|h| h.get("error")),
            Some(&json!("name_mismatch"))
        );
        let (ok, none) = conclude(&holder, Some("mensah KWAME"));
        assert_eq!(ok.get("outcome"), Some(&json!("verified")));
        assert_eq!(none, None);
        let (inactive, held) = conclude(&Holder::Inactive, None);
        assert_eq!(inactive.get("outcome"), Some(&json!("held")));
        assert_eq!(
            held.and_then(|h| h.get("error").cloned()),
            Some(json!("inactive"))
        );
        let (paymob, _) = conclude(&Holder::FormatOnly, Some("Any Name"));
        assert_eq!(paymob.get("rule"), Some(&json!("format_only")));
    }
}
