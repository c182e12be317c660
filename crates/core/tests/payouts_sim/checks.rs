//! What a schedule must leave behind: the guarantees of docs/bulk-payouts.md, checked
//! against the provider's book once every item has settled.

use mobilemoney_core::payouts::ledger::{ItemRow, Status};

use super::provider::{payee, Outcome, Txn};
use super::world::{World, BATCH};

impl World {
    pub fn settled(&self) -> bool {
        self.ledger.rows(BATCH).iter().all(|r| {
            r.state.status.is_final()
                || r.state.status == Status::Held
                || mobilemoney_core::payouts::decide::needs_operator(&r.state)
        })
    }

    /// The item's own transactions that paid (after everything settled).
    pub fn paid(&self, key: &str) -> Vec<String> {
        let now = self.sim.true_ms();
        self.bank
            .book
            .lock()
            .iter()
            .filter(|(_, t)| t.key == key && !t.foreign)
            .filter(|(_, t)| t.settled(now) == Some(Outcome::Successful))
            .map(|(r, _)| r.clone())
            .collect()
    }

    /// The guarantees of docs/bulk-payouts.md, against the provider's book.
    pub fn check(&self) -> Result<(), String> {
        let now = self.sim.true_ms();
        let book = self.bank.book.lock().clone();
        if let Some(v) = self.violations.lock().first() {
            return Err(v.clone());
        }
        for row in self.ledger.rows(BATCH) {
            let key = &row.item.key;
            let paid = self.paid(key);
            let here = |what: &str| format!("item {key}: {what} (row {:?})", row.state);
            // A held item is never sent: neither while held nor after a rejection; only
            // an approval releases it.
            let record = self.ledger.verification(BATCH, key);
            let decision = record
                .as_ref()
                .and_then(|r| r["decision"]["decision"].as_str().map(str::to_owned));
            let was_held = record.as_ref().is_some_and(|r| r["outcome"] == "held");
            let booked = book.values().any(|t| t.key == *key && !t.foreign);
            if was_held && decision.as_deref() != Some("approved") && booked {
                return Err(here("held and never approved, but sent"));
            }
            if decision.as_deref() == Some("rejected") && row.state.status != Status::Refused {
                return Err(here("rejected, but not refused"));
            }
            if self.doubtful.contains(key) && record.is_some() && !was_held {
                return Err(here("its payee is inactive, but verification passed it"));
            }
            // 1. Money moved at most once per item.
            if paid.len() > 1 {
                return Err(here(&format!("paid {} times: {paid:?}", paid.len())));
            }
            // Every booked transaction of the item has its amount and payee.
            for t in book.values().filter(|t| t.key == *key && !t.foreign) {
                if t.amount != row.item.amount || t.payee != payee(&row.item) {
                    return Err(here("a transaction with another amount or payee"));
                }
            }
            let current = row.state.reference.as_ref().and_then(|r| book.get(r));
            let resolved = row.state.resolution.is_some();
            let needs_operator = mobilemoney_core::payouts::decide::needs_operator(&row.state);
            let pays =
                |t: &&Txn, o: fn(Outcome) -> bool| !t.foreign && t.settled(now).is_some_and(o);
            let problem = match row.state.status {
                Status::Successful if !resolved => (!current
                    .is_some_and(|t| pays(&t, |o| o == Outcome::Successful)))
                .then_some("successful, but its reference did not pay it"),
                Status::Successful => {
                    (paid.len() != 1).then_some("resolved successful, but not paid")
                }
                Status::Failed | Status::Refused if !paid.is_empty() => {
                    Some("reported failed or refused, but paid")
                }
                Status::Failed if !resolved => (!current
                    .is_some_and(|t| pays(&t, |o| matches!(o, Outcome::Failed { .. }))))
                .then_some("failed, but the provider does not say so"),
                Status::Refused => current
                    .is_some_and(|t| !t.foreign)
                    .then_some("refused, but its reference was booked"),
                Status::Unknown => {
                    (!needs_operator).then_some("left unknown without an operator's flag")
                }
                Status::Queued | Status::Sending | Status::Pending => {
                    Some("not settled after the calm run")
                }
                Status::Failed => None,
                Status::Held => booked.then_some("held, but a transaction was booked"),
            };
            if let Some(p) = problem {
                return Err(here(p));
            }
        }
        Ok(())
    }

    pub fn summary(&self) -> String {
        let rows: Vec<ItemRow> = self.ledger.rows(BATCH);
        rows.iter()
            .map(|r| {
                format!(
                    "{}:{}/g{}",
                    r.item.key,
                    r.state.status.as_str(),
                    r.state.generation
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}
