//! What `summary` and `items` resolve, read from the ledger.

use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::ledger::{BatchRow, ItemRow, ItemsPage, Pages, Status, Totals};
use super::{items, no_batch, Payouts};
use crate::failure::Failure;
use crate::input::OptionsReader;
use crate::CallResult;

/// The largest page `items` reads at once.
const MAX_PAGE: u32 = 10_000;

/// What `items` lists: `{ status?, after?, limit? }`. The default lists every item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemsQuery {
    /// Only items in one of these statuses; empty: all.
    pub statuses: Vec<Status>,
    /// The key of the last item of the page before.
    pub after: Option<String>,
    /// At most so many items (1 to 10 000); `None`: every one.
    pub limit: Option<u32>,
}

impl ItemsQuery {
    /// Reads and checks `items`' query (`null`: the default).
    pub fn from_json(query: &Value) -> Result<ItemsQuery, Failure> {
        let reader = OptionsReader::of(query, "query")?;
        let statuses = match reader.value("status") {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
            Some(_) => vec![String::new()],
        };
        let statuses = statuses
            .iter()
            .map(|s| {
                Status::parse(s).ok_or_else(|| {
                    Failure::invalid(
                        "status",
                        "query.status must be a status (queued, sending, pending, successful, failed, refused, unknown, held) or a list of them",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let limit = reader
            .number("limit", 1.0, f64::from(MAX_PAGE))?
            .map(|n| n as u32);
        let after = reader.string("after")?;
        Ok(ItemsQuery {
            statuses,
            after,
            limit,
        })
    }
}

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

/// How many of the batch's items are final.
pub fn finals(totals: &Totals) -> u64 {
    totals
        .by_status
        .iter()
        .filter(|(s, _)| s.is_final())
        .map(|(_, n)| n)
        .sum()
}

/// Whether every item of the batch is final.
pub fn all_final(batch: &BatchRow, totals: &Totals) -> bool {
    finals(totals) == batch.total
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

impl Payouts {
    pub(super) async fn summary_of(&self, batch_id: &str) -> CallResult {
        let ledger = &self.engine.ledger;
        let mut batch = ledger
            .batch(batch_id)
            .await?
            .ok_or_else(|| no_batch(batch_id))?;
        let totals = ledger.totals(batch_id).await?;
        if batch.finished_at_ms.is_none() && all_final(&batch, &totals) {
            let at = self.engine.clock.now_ms();
            ledger.set_finished(batch_id, Some(at)).await?;
            batch.finished_at_ms = Some(at);
        }
        Ok(summary(&batch, &totals))
    }

    pub async fn summary(&self, batch_id: &str) -> CallResult {
        self.summary_of(&items::batch_id(batch_id)?).await
    }

    /// The items of a batch in submission order, `statuses` filtering them; `after` and
    /// `limit` page through them (`after` the key of the last item of the page before).
    /// Without `limit`, every row.
    pub async fn items(&self, batch_id: &str, query: &ItemsQuery) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        let ItemsQuery {
            statuses,
            after,
            limit,
        } = query;
        let ledger = &self.engine.ledger;
        if ledger.batch(&batch_id).await?.is_none() {
            return Err(no_batch(&batch_id));
        }
        let after_seq = match after {
            None => None,
            Some(key) => Some(
                ledger
                    .item(&batch_id, key)
                    .await?
                    .ok_or_else(|| {
                        Failure::invalid(
                            "after",
                            format!("query.after must be the key of an item of batch {batch_id} (the last key of the page before)"),
                        )
                    })?
                    .seq,
            ),
        };
        let rows = match *limit {
            Some(n) => {
                ledger
                    .items(&batch_id, ItemsPage::new(statuses, after_seq, n))
                    .await?
            }
            None => {
                let page = ItemsPage::new(statuses, after_seq, MAX_PAGE);
                Pages::new(&**ledger, &batch_id, page).rest().await?
            }
        };
        Ok(Value::Array(rows.iter().map(item).collect()))
    }
}
