//! Runner liveness: each `Payouts` instance is a runner with a random id. A claim writes
//! that id on the item's row, and while the instance runs or processes items it
//! heartbeats the id in the ledger. A `sending` row may have its request on the wire only
//! while its claimer is this instance with that send under way, or while its claimer's
//! heartbeat is fresh and the row is within its lease; otherwise it is looked up at once
//! (after a crash, in seconds rather than a whole lease). Looking it up early is safe: a
//! resend always uses the stored reference, which both providers deduplicate.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use super::clock::Clock;
use super::ledger::{ItemRow, Ledger, Status};
use crate::failure::Failure;

/// How often a busy runner heartbeats.
const HEARTBEAT: Duration = Duration::from_secs(2);
const HEARTBEAT_MS: i64 = 2_000;
/// A heartbeat older than this is a dead runner's (five missed beats).
pub const STALE_MS: i64 = 10_000;

struct Inner {
    id: String,
    ledger: Arc<dyn Ledger>,
    /// The ledger's time, synced at every heartbeat.
    clock: Arc<Clock>,
    /// Runs and steps under way: the heartbeat goes on while there is one.
    active: AtomicUsize,
    beating: AtomicBool,
    /// When the last heartbeat was written (ms).
    last_beat: AtomicI64,
    /// (batch, key) of the sends under way in this instance, counted: two sends of one
    /// item (a run beside a queue worker) must not clear each other's mark.
    sending: Mutex<HashMap<(String, String), usize>>,
}

pub struct Liveness {
    inner: Arc<Inner>,
}

/// Held while a run or step is under way; the heartbeat stops after the last one.
pub struct Active(Arc<Inner>);

impl Drop for Active {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Held while one send is under way in this instance.
pub struct Sending(Arc<Inner>, (String, String));

impl Drop for Sending {
    fn drop(&mut self) {
        let mut sending = self.0.sending.lock();
        if let Some(n) = sending.get_mut(&self.1) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                sending.remove(&self.1);
            }
        }
    }
}

impl Liveness {
    pub fn new(ledger: Arc<dyn Ledger>, clock: Arc<Clock>) -> Liveness {
        Liveness::with_id(ledger, clock, uuid::Uuid::new_v4().to_string())
    }

    /// A runner with a given id (a simulation's, to replay exactly).
    pub fn with_id(ledger: Arc<dyn Ledger>, clock: Arc<Clock>, id: String) -> Liveness {
        Liveness {
            inner: Arc::new(Inner {
                id,
                ledger,
                clock,
                active: AtomicUsize::new(0),
                beating: AtomicBool::new(false),
                last_beat: AtomicI64::new(0),
                sending: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// Marks a run or step under way: heartbeats now (before anything is claimed) and
    /// every [`HEARTBEAT`] until the last [`Active`] is dropped.
    pub async fn enter(&self) -> Result<Active, Failure> {
        self.inner.active.fetch_add(1, Ordering::SeqCst);
        let active = Active(self.inner.clone());
        let beating = self.inner.beating.swap(true, Ordering::SeqCst);
        // A job queue calls `process` once per item: while the loop beats and the last
        // heartbeat is recent, there is no need to write another one first.
        let since = self.inner.clock.now_ms() - self.inner.last_beat.load(Ordering::SeqCst);
        if !beating || since >= HEARTBEAT_MS {
            write_beat(&self.inner).await?;
        }
        if !beating {
            tokio::spawn(beat(self.inner.clone()));
        }
        Ok(active)
    }

    /// Marks the send of an item under way in this instance.
    pub fn sending(&self, row: &ItemRow) -> Sending {
        self.mark((row.batch_id.clone(), row.item.key.clone()))
    }

    fn mark(&self, id: (String, String)) -> Sending {
        *self.inner.sending.lock().entry(id.clone()).or_insert(0) += 1;
        Sending(self.inner.clone(), id)
    }

    /// For each row, until when (ms) it must be left alone because its request may be on
    /// the wire; `None` when it may be looked up now. Only `sending` rows are ever held.
    pub async fn holds(
        &self,
        rows: &[ItemRow],
        lease_ms: i64,
    ) -> Result<Vec<Option<i64>>, Failure> {
        let others: Vec<String> = rows
            .iter()
            .filter(|r| r.state.status == Status::Sending)
            .filter_map(|r| r.state.runner.clone())
            .filter(|r| *r != self.inner.id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let seen: HashMap<String, i64> = if others.is_empty() {
            HashMap::new()
        } else {
            self.inner
                .ledger
                .runners_seen(&others)
                .await?
                .into_iter()
                .collect()
        };
        let now = self.inner.clock.now_ms();
        let sending = self.inner.sending.lock();
        Ok(rows
            .iter()
            .map(|r| {
                if r.state.status != Status::Sending {
                    return None;
                }
                let lease_end = r.state.updated_ms.saturating_add(lease_ms);
                match r.state.runner.as_deref() {
                    Some(me) if me == self.inner.id => sending
                        .contains_key(&(r.batch_id.clone(), r.item.key.clone()))
                        .then_some(lease_end),
                    Some(other) => seen
                        .get(other)
                        .map(|at| at.saturating_add(STALE_MS))
                        .filter(|stale_at| *stale_at > now && lease_end > now)
                        .map(|stale_at| stale_at.min(lease_end)),
                    None => (lease_end > now).then_some(lease_end),
                }
            })
            .collect())
    }
}

/// The heartbeat loop of one instance, while it is busy.
async fn beat(inner: Arc<Inner>) {
    loop {
        tokio::time::sleep(HEARTBEAT).await;
        if inner.active.load(Ordering::SeqCst) == 0 {
            inner.beating.store(false, Ordering::SeqCst);
            // An `enter` after the load either saw `beating` set (and counts on this loop)
            // or started another loop: go on only in the first case.
            if inner.active.load(Ordering::SeqCst) == 0
                || inner.beating.swap(true, Ordering::SeqCst)
            {
                return;
            }
        }
        // A missed heartbeat only makes this runner look dead sooner: its items are then
        // looked up by others, which is safe.
        let _ = write_beat(&inner).await;
    }
}

/// Syncs the clock with the ledger's, then heartbeats on it: liveness is compared on the
/// ledger's clock only (guarantee 5 of docs/bulk-payouts.md).
async fn write_beat(inner: &Inner) -> Result<(), Failure> {
    inner.clock.sync(inner.ledger.as_ref()).await?;
    let now = inner.clock.now_ms();
    inner.ledger.heartbeat(&inner.id, now).await?;
    inner.last_beat.fetch_max(now, Ordering::SeqCst);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn two_sends_of_one_item_keep_its_mark_until_both_end() -> Result<(), Failure> {
        let dir = std::env::temp_dir().join(format!("mmn-liveness-{}", uuid::Uuid::new_v4()));
        let path = dir.join("ledger.db");
        let _ = std::fs::create_dir_all(&dir);
        let (ledger, _) = super::super::ledger::open(&format!("sqlite:{}", path.display())).await?;
        let live = Liveness::new(ledger, Arc::new(Clock::system()));
        let id = ("batch".to_owned(), "key".to_owned());
        let first = live.mark(id.clone());
        let second = live.mark(id.clone());
        drop(first);
        assert!(live.inner.sending.lock().contains_key(&id));
        drop(second);
        assert!(!live.inner.sending.lock().contains_key(&id));
        drop(live);
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
