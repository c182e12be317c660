//! The simulation's ledger: every `Ledger` call on an in-memory store, after a few
//! virtual milliseconds of latency (an await point where a runner may crash), each write
//! atomic once reached. Its clock is the true (virtual) time. A runner reaches it through
//! a `RunnerLedger` (runner_ledger.rs), which freezes while that runner's machine is stalled.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use async_trait::async_trait;
use mobilemoney_core::payouts::ledger::{
    BatchRow, Created, Due, DuePage, ItemRow, ItemState, ItemsPage, Ledger, NewBatch, NewItem,
    RailId, StagedBatch, Status, Submissions, Totals,
};
use mobilemoney_core::Failure;
use parking_lot::Mutex;
use serde_json::Value;

use super::sim::Sim;

#[derive(Default)]
struct Store {
    batches: HashMap<String, BatchRow>,
    /// (batch, seq) -> row
    items: BTreeMap<(String, u64), ItemRow>,
    seq_of: HashMap<(String, String), u64>,
    runners: HashMap<String, i64>,
    accounts: HashMap<(String, RailId), Value>,
    /// (batch, key) -> verification record
    verifications: BTreeMap<(String, String), Value>,
    /// stage -> seq -> item
    stages: HashMap<String, BTreeMap<u64, NewItem>>,
}

pub struct MemoryLedger {
    sim: Arc<Sim>,
    store: Mutex<Store>,
}

impl MemoryLedger {
    pub fn new(sim: Arc<Sim>) -> MemoryLedger {
        MemoryLedger {
            sim,
            store: Mutex::new(Store::default()),
        }
    }

    /// Every row of a batch, in order (for the invariants).
    pub fn rows(&self, batch_id: &str) -> Vec<ItemRow> {
        self.store
            .lock()
            .items
            .values()
            .filter(|r| r.batch_id == batch_id)
            .cloned()
            .collect()
    }

    /// The verification record of an item (for the invariants).
    pub fn verification(&self, batch_id: &str, key: &str) -> Option<Value> {
        self.store
            .lock()
            .verifications
            .get(&(batch_id.to_owned(), key.to_owned()))
            .cloned()
    }

    async fn latency(&self) {
        let ms = self.sim.rand(0, 3);
        if ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
    }
}

#[async_trait]
impl Submissions for MemoryLedger {
    async fn create_batch(&self, batch: NewBatch) -> Result<Created, Failure> {
        self.latency().await;
        let mut st = self.store.lock();
        if let Some(b) = st.batches.get(&batch.batch_id) {
            return Ok(if b.fingerprint == batch.fingerprint {
                Created::Existing
            } else {
                Created::Conflict
            });
        }
        st.batches.insert(
            batch.batch_id.clone(),
            BatchRow {
                batch_id: batch.batch_id.clone(),
                fingerprint: batch.fingerprint.clone(),
                secret_check: Some(batch.secret_check.clone()),
                total: batch.items.len() as u64,
                paused: None,
                started_at_ms: batch.now_ms,
                finished_at_ms: None,
            },
        );
        for (seq, item) in batch.items.into_iter().enumerate() {
            let seq = seq as u64;
            st.seq_of
                .insert((batch.batch_id.clone(), item.key.clone()), seq);
            st.items.insert(
                (batch.batch_id.clone(), seq),
                ItemRow {
                    batch_id: batch.batch_id.clone(),
                    seq,
                    item,
                    state: ItemState::fresh(Status::Queued, batch.now_ms),
                    version: 0,
                },
            );
        }
        Ok(Created::New)
    }

    async fn stage(&self, stage: &str, items: Vec<(u64, NewItem)>) -> Result<Vec<u64>, Failure> {
        self.latency().await;
        let mut st = self.store.lock();
        let staged = st.stages.entry(stage.to_owned()).or_default();
        let mut repeated = Vec::new();
        for (seq, item) in items {
            if staged.values().any(|i| i.key == item.key) {
                repeated.push(seq);
            } else {
                staged.insert(seq, item);
            }
        }
        Ok(repeated)
    }

    async fn commit_stage(&self, stage: &str, batch: StagedBatch) -> Result<Created, Failure> {
        let items = self.store.lock().stages.remove(stage).unwrap_or_default();
        self.create_batch(NewBatch {
            batch_id: batch.batch_id,
            fingerprint: batch.fingerprint,
            items: items.into_values().collect(),
            secret_check: batch.secret_check,
            now_ms: batch.now_ms,
        })
        .await
    }

    async fn drop_stage(&self, stage: &str) -> Result<(), Failure> {
        self.store.lock().stages.remove(stage);
        Ok(())
    }
}

#[async_trait]
impl Ledger for MemoryLedger {
    async fn batch(&self, batch_id: &str) -> Result<Option<BatchRow>, Failure> {
        self.latency().await;
        Ok(self.store.lock().batches.get(batch_id).cloned())
    }

    async fn item(&self, batch_id: &str, key: &str) -> Result<Option<ItemRow>, Failure> {
        self.latency().await;
        let st = self.store.lock();
        let seq = st.seq_of.get(&(batch_id.to_owned(), key.to_owned()));
        Ok(seq.and_then(|s| st.items.get(&(batch_id.to_owned(), *s)).cloned()))
    }

    async fn items(&self, batch_id: &str, page: ItemsPage<'_>) -> Result<Vec<ItemRow>, Failure> {
        let (statuses, after_seq, limit) = (page.statuses, page.after_seq, page.limit);
        self.latency().await;
        let st = self.store.lock();
        let from = after_seq.map_or(0, |s| s + 1);
        Ok(st
            .items
            .range((batch_id.to_owned(), from)..)
            .map(|(_, r)| r)
            .take_while(|r| r.batch_id == batch_id)
            .filter(|r| statuses.is_empty() || statuses.contains(&r.state.status))
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn due(&self, batch_id: &str, page: DuePage) -> Result<Vec<ItemRow>, Failure> {
        let (status, due, after, limit) = (page.status, page.due, page.after, page.limit);
        self.latency().await;
        let st = self.store.lock();
        // The stores' index order: (next check, seq), or seq for the unset ones.
        let mut rows: Vec<(i64, u64, &ItemRow)> = st
            .items
            .range((batch_id.to_owned(), 0)..)
            .map(|(_, r)| r)
            .take_while(|r| r.batch_id == batch_id)
            .filter(|r| r.state.status == status)
            .filter_map(|r| match (due, r.state.next_check_ms) {
                (Due::By(now), Some(at)) if at <= now => Some((at, r.seq, r)),
                (Due::Unset, None) => Some((0, r.seq, r)),
                _ => None,
            })
            .filter(|(at, seq, _)| after.is_none_or(|a| (*at, *seq) > a))
            .collect();
        rows.sort_by_key(|(at, seq, _)| (*at, *seq));
        Ok(rows
            .into_iter()
            .take(limit as usize)
            .map(|(_, _, r)| r.clone())
            .collect())
    }

    async fn transition(&self, from: &ItemRow, to: ItemState) -> Result<Option<ItemRow>, Failure> {
        self.latency().await;
        let mut st = self.store.lock();
        let Some(row) = st.items.get_mut(&(from.batch_id.clone(), from.seq)) else {
            return Ok(None);
        };
        if row.state.status != from.state.status
            || row.state.generation != from.state.generation
            || row.version != from.version
        {
            return Ok(None);
        }
        row.state = to;
        row.version += 1;
        Ok(Some(row.clone()))
    }

    async fn set_paused(&self, batch_id: &str, paused: Option<&str>) -> Result<(), Failure> {
        self.latency().await;
        if let Some(b) = self.store.lock().batches.get_mut(batch_id) {
            b.paused = paused.map(str::to_owned);
        }
        Ok(())
    }

    async fn set_finished(&self, batch_id: &str, at_ms: Option<i64>) -> Result<(), Failure> {
        self.latency().await;
        if let Some(b) = self.store.lock().batches.get_mut(batch_id) {
            b.finished_at_ms = at_ms;
        }
        Ok(())
    }

    async fn totals(&self, batch_id: &str) -> Result<Totals, Failure> {
        self.latency().await;
        let st = self.store.lock();
        let mut by: HashMap<Status, u64> = HashMap::new();
        let mut amounts: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        for r in st.items.values().filter(|r| r.batch_id == batch_id) {
            *by.entry(r.state.status).or_default() += 1;
            let a = r.item.amount.parse::<f64>().unwrap_or(0.0);
            let e = amounts.entry(r.item.currency.clone()).or_default();
            e.0 += a;
            if r.state.status == Status::Successful {
                e.1 += a;
            }
        }
        Ok(Totals {
            by_status: Status::ALL
                .into_iter()
                .filter_map(|s| by.get(&s).map(|n| (s, *n)))
                .collect(),
            amounts: amounts.into_iter().map(|(c, (r, p))| (c, r, p)).collect(),
        })
    }

    async fn close(&self) -> Result<(), Failure> {
        Ok(())
    }

    async fn heartbeat(&self, runner: &str, now_ms: i64) -> Result<(), Failure> {
        self.latency().await;
        let mut st = self.store.lock();
        let seen = st.runners.entry(runner.to_owned()).or_insert(now_ms);
        *seen = (*seen).max(now_ms);
        Ok(())
    }

    async fn runners_seen(&self, runners: &[String]) -> Result<Vec<(String, i64)>, Failure> {
        self.latency().await;
        let st = self.store.lock();
        let mut out: Vec<(String, i64)> = runners
            .iter()
            .filter_map(|r| st.runners.get(r).map(|at| (r.clone(), *at)))
            .collect();
        out.sort();
        Ok(out)
    }

    async fn bind_account(&self, batch: &str, rail: &RailId, to: &Value) -> Result<Value, Failure> {
        self.latency().await;
        let mut st = self.store.lock();
        let account = (batch.to_owned(), rail.clone());
        Ok(st
            .accounts
            .entry(account)
            .or_insert_with(|| to.clone())
            .clone())
    }

    async fn bound_account(&self, batch: &str, rail: &RailId) -> Result<Option<Value>, Failure> {
        self.latency().await;
        let st = self.store.lock();
        Ok(st.accounts.get(&(batch.to_owned(), rail.clone())).cloned())
    }

    async fn verifications(&self, batch_id: &str) -> Result<Vec<(String, Value)>, Failure> {
        self.latency().await;
        Ok(self
            .store
            .lock()
            .verifications
            .iter()
            .filter(|((b, _), _)| b == batch_id)
            .map(|((_, k), v)| (k.clone(), v.clone()))
            .collect())
    }

    async fn record_verification(
        &self,
        batch_id: &str,
        key: &str,
        record: &Value,
    ) -> Result<(), Failure> {
        self.latency().await;
        self.store
            .lock()
            .verifications
            .insert((batch_id.to_owned(), key.to_owned()), record.clone());
        Ok(())
    }

    async fn clock_ms(&self) -> Result<i64, Failure> {
        self.latency().await;
        Ok(self.sim.true_ms())
    }
}
