//! What `summary` and `items` resolve, read from the ledger.

use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::ledger::{BatchRow, ItemRow, Status, Totals};

pub fn iso(ms: i64) -> Value {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .map_or(Value::Null, Value::from)
}

fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn summary(batch: &BatchRow, totals: &Totals) -> Value {
    let mut by_status = Map::new();
    for s in Status::ALL {
        let n = totals
            .by_status
            .iter()
            .find(|(x, _)| *x == s)
            .map_or(0, |(_, n)| *n);
        by_status.insert(s.as_str().into(), n.into());
    }
    let mut amounts = Map::new();
    for (currency, requested, paid) in &totals.amounts {
        amounts.insert(
            currency.clone(),
            json!({ "requested": cents(*requested), "paid": cents(*paid) }),
        );
    }
    let mut out = json!({
        "batchId": batch.batch_id,
        "total": batch.total,
        "byStatus": by_status,
        "amounts": amounts,
        "startedAt": iso(batch.started_at_ms),
    });
    if let Value::Object(m) = &mut out {
        if let Some(p) = &batch.paused {
            m.insert("paused".into(), Value::from(p.as_str()));
        }
        if let Some(f) = batch.finished_at_ms {
            m.insert("finishedAt".into(), iso(f));
        }
    }
    out
}

/// Whether every item of the batch is final.
pub fn all_final(batch: &BatchRow, totals: &Totals) -> bool {
    let finals: u64 = totals
        .by_status
        .iter()
        .filter(|(s, _)| s.is_final())
        .map(|(_, n)| n)
        .sum();
    finals == batch.total
}

/// An item as `items()` lists it: what was submitted, then its state.
pub fn item(row: &ItemRow) -> Value {
    let mut m = match &row.item.spec {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let s = &row.state;
    m.insert("status".into(), s.status.as_str().into());
    m.insert("generation".into(), s.generation.into());
    m.insert(
        "referenceId".into(),
        s.reference.clone().map_or(Value::Null, Value::from),
    );
    if let Some(r) = &s.reason {
        m.insert("reason".into(), r.clone());
    }
    if let Some(r) = &s.resolution {
        m.insert("resolution".into(), r.clone());
    }
    if super::decide::needs_operator(s) {
        m.insert("awaitingOperator".into(), true.into());
    }
    if let Some(id) = &s.provider_id {
        m.insert("transactionId".into(), Value::from(id.as_str()));
    }
    m.insert("sends".into(), s.sends.into());
    m.insert("lookups".into(), s.lookups.into());
    m.insert("updatedAt".into(), iso(s.updated_ms));
    Value::Object(m)
}
