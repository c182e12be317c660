//! One machine's way to the simulation's ledger ([`MemoryLedger`]): every call waits
//! while that machine is stalled, before and after it reaches the store.

use std::sync::Arc;

use async_trait::async_trait;
use mobilemoney_core::payouts::ledger::{
    BatchRow, Created, DuePage, ItemRow, ItemState, ItemsPage, Ledger, NewBatch, NewItem, RailId,
    StagedBatch, Submissions, Totals,
};
use mobilemoney_core::Failure;
use serde_json::Value;

use super::ledger::MemoryLedger;
use super::sim::Machine;

/// A runner's ledger.
pub struct RunnerLedger {
    pub inner: Arc<MemoryLedger>,
    pub machine: Arc<Machine>,
}

macro_rules! through {
    ($self:ident . $call:ident ( $($a:expr),* )) => {{
        $self.machine.unstalled().await;
        let out = $self.inner.$call($($a),*).await;
        $self.machine.unstalled().await;
        out
    }};
}

#[async_trait]
impl Submissions for RunnerLedger {
    async fn create_batch(&self, batch: NewBatch) -> Result<Created, Failure> {
        through!(self.create_batch(batch))
    }
    async fn stage(&self, stage: &str, items: Vec<(u64, NewItem)>) -> Result<Vec<u64>, Failure> {
        through!(self.stage(stage, items))
    }
    async fn commit_stage(&self, stage: &str, batch: StagedBatch) -> Result<Created, Failure> {
        through!(self.commit_stage(stage, batch))
    }
    async fn drop_stage(&self, stage: &str) -> Result<(), Failure> {
        through!(self.drop_stage(stage))
    }
}

#[async_trait]
impl Ledger for RunnerLedger {
    async fn batch(&self, batch_id: &str) -> Result<Option<BatchRow>, Failure> {
        through!(self.batch(batch_id))
    }
    async fn item(&self, batch_id: &str, key: &str) -> Result<Option<ItemRow>, Failure> {
        through!(self.item(batch_id, key))
    }
    async fn items(&self, batch_id: &str, page: ItemsPage<'_>) -> Result<Vec<ItemRow>, Failure> {
        through!(self.items(batch_id, page))
    }
    async fn due(&self, batch_id: &str, page: DuePage) -> Result<Vec<ItemRow>, Failure> {
        through!(self.due(batch_id, page))
    }
    async fn transition(&self, from: &ItemRow, to: ItemState) -> Result<Option<ItemRow>, Failure> {
        through!(self.transition(from, to))
    }
    async fn set_paused(&self, batch_id: &str, paused: Option<&str>) -> Result<(), Failure> {
        through!(self.set_paused(batch_id, paused))
    }
    async fn set_finished(&self, batch_id: &str, at_ms: Option<i64>) -> Result<(), Failure> {
        through!(self.set_finished(batch_id, at_ms))
    }
    async fn totals(&self, batch_id: &str) -> Result<Totals, Failure> {
        through!(self.totals(batch_id))
    }
    async fn close(&self) -> Result<(), Failure> {
        Ok(())
    }
    async fn heartbeat(&self, runner: &str, now_ms: i64) -> Result<(), Failure> {
        through!(self.heartbeat(runner, now_ms))
    }
    async fn runners_seen(&self, runners: &[String]) -> Result<Vec<(String, i64)>, Failure> {
        through!(self.runners_seen(runners))
    }
    async fn bind_account(&self, batch: &str, rail: &RailId, to: &Value) -> Result<Value, Failure> {
        through!(self.bind_account(batch, rail, to))
    }
    async fn bound_account(&self, batch: &str, rail: &RailId) -> Result<Option<Value>, Failure> {
        through!(self.bound_account(batch, rail))
    }
    async fn clock_ms(&self) -> Result<i64, Failure> {
        through!(self.clock_ms())
    }
    async fn verifications(&self, batch_id: &str) -> Result<Vec<(String, Value)>, Failure> {
        through!(self.verifications(batch_id))
    }
    async fn record_verification(&self, b: &str, k: &str, r: &Value) -> Result<(), Failure> {
        through!(self.record_verification(b, k, r))
    }
}
