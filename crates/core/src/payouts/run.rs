//! `run`: the embedded scheduler over the per-item steps. Each round looks up what is
//! due (items interrupted in `sending`, `unknown` ones, `pending` ones whose next check
//! has come; `sending` ones unless a live runner's request may be on the wire), then sends every queued item,
//! `concurrency` at a time, until every item is final, the batch pauses, the run is
//! stopped ([`super::stop::Stop`]), or the settle deadline (none by default) passes.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use futures::stream::{self, StreamExt};

use super::decide::needs_operator;
use super::engine::{Engine, RunState};
use super::ledger::{ItemRow, Status};
use crate::failure::Failure;

const PAGE: u32 = 1_000;
/// How long the scheduler sleeps at most between rounds while items settle.
const MAX_NAP: Duration = Duration::from_millis(500);
/// How often the follower looks for items due a lookup while sends go on.
const FOLLOW_NAP: Duration = Duration::from_millis(100);

/// A row and when it is due a lookup (ms).
type Timed = (ItemRow, i64);

pub struct RunOptions {
    pub concurrency: usize,
    /// Give up following pending and unknown items after this long (they stay in the
    /// ledger; a later `run` picks them up again). `None`: until every item is final.
    pub settle_timeout: Option<Duration>,
}

impl Engine {
    /// Every row of the batch with one of `statuses`.
    pub async fn all(&self, batch_id: &str, statuses: &[Status]) -> Result<Vec<ItemRow>, Failure> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = self.ledger.items(batch_id, statuses, after, PAGE).await?;
            let Some(last) = page.last() else {
                return Ok(out);
            };
            after = Some(last.seq);
            out.extend(page);
        }
    }

    pub async fn run_batch(
        &self,
        batch_id: &str,
        options: &RunOptions,
        run: &RunState,
    ) -> Result<(), Failure> {
        let concurrency = options.concurrency.max(1);
        let deadline = options
            .settle_timeout
            .map(|t| tokio::time::Instant::now() + t);
        // Items waiting on an operator are looked up once a run (the provider may know
        // more by now), then left to the operator.
        let mut first_round = true;
        loop {
            if run.halted() {
                return Ok(());
            }
            let open: Vec<ItemRow> = self
                .all(
                    batch_id,
                    &[Status::Sending, Status::Unknown, Status::Pending],
                )
                .await?
                .into_iter()
                .filter(|r| first_round || !needs_operator(&r.state))
                .collect();
            first_round = false;
            // A `sending` item is due unless its request may be on the wire (a live runner's
            // within its lease, or this run's own); a crashed runner's is due at once.
            let holds = self.holds(&open).await?;
            let now = self.clock.now_ms();
            let (due, waiting): (Vec<Timed>, Vec<Timed>) = open
                .into_iter()
                .zip(holds)
                .map(|(r, hold)| {
                    let at = hold.unwrap_or_else(|| match r.state.status {
                        Status::Sending => 0,
                        _ => r.state.next_check_ms.unwrap_or(0),
                    });
                    (r, at)
                })
                .partition(|(_, at)| *at <= now);
            let due: Vec<ItemRow> = due.into_iter().map(|(r, _)| r).collect();
            self.lookup_all(due, concurrency, run).await?;
            if run.halted() {
                return Ok(());
            }
            // Sends, while pending items of this round are followed alongside (never the
            // `sending` ones: their requests are in flight here).
            let sending_done = AtomicBool::new(false);
            let (sent, followed) = futures::join!(
                async {
                    let r = self.send_queued(batch_id, concurrency, run).await;
                    sending_done.store(true, Ordering::Relaxed);
                    r
                },
                self.follow(batch_id, concurrency, run, &sending_done)
            );
            followed?;
            let sent = sent?;
            if sent == 0 {
                if waiting.is_empty() && self.is_settled(batch_id).await? {
                    return Ok(());
                }
                if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                    return Ok(());
                }
                let next = waiting
                    .iter()
                    .map(|(_, at)| *at)
                    .min()
                    .map_or(MAX_NAP, |t| {
                        Duration::from_millis(u64::try_from(t - self.clock.now_ms()).unwrap_or(0))
                    });
                run.stop.sleep(next.min(MAX_NAP)).await;
            }
        }
    }

    /// Looks up `pending` and `unknown` items as they come due, until `stop` is set.
    async fn follow(
        &self,
        batch_id: &str,
        concurrency: usize,
        run: &RunState,
        stop: &AtomicBool,
    ) -> Result<(), Failure> {
        while !stop.load(Ordering::Relaxed) && !run.stop.is_stopped() {
            let now = self.clock.now_ms();
            let due: Vec<ItemRow> = self
                .all(batch_id, &[Status::Unknown, Status::Pending])
                .await?
                .into_iter()
                .filter(|r| !needs_operator(&r.state))
                .filter(|r| r.state.next_check_ms.unwrap_or(0) <= now)
                .collect();
            if due.is_empty() {
                run.stop.sleep(FOLLOW_NAP).await;
            } else {
                self.lookup_all(due, concurrency, run).await?;
            }
        }
        Ok(())
    }

    /// Every item is final or waits on an operator.
    async fn is_settled(&self, batch_id: &str) -> Result<bool, Failure> {
        let open = self
            .ledger
            .items(
                batch_id,
                &[Status::Queued, Status::Sending, Status::Pending],
                None,
                1,
            )
            .await?;
        if !open.is_empty() {
            return Ok(false);
        }
        let unknown = self.all(batch_id, &[Status::Unknown]).await?;
        Ok(unknown.iter().all(|r| needs_operator(&r.state)))
    }

    /// How many `unknown` items wait on an operator (`payouts.resolve`).
    pub async fn awaiting_operator(&self, batch_id: &str) -> Result<u64, Failure> {
        let unknown = self.all(batch_id, &[Status::Unknown]).await?;
        Ok(unknown.iter().filter(|r| needs_operator(&r.state)).count() as u64)
    }

    /// Lookups of each provider in requests as large as it takes, `concurrency` at a time.
    async fn lookup_all(
        &self,
        due: Vec<ItemRow>,
        concurrency: usize,
        run: &RunState,
    ) -> Result<(), Failure> {
        let groups = self.lookup_requests(due)?;
        all_settled(stream::iter(groups), concurrency, |rows| {
            self.lookup(rows, run)
        })
        .await
    }

    /// Sends every queued item once, `concurrency` at a time, reading the queue page by
    /// page while the sends go on (no pause at the end of a page); returns how many were
    /// taken.
    async fn send_queued(
        &self,
        batch_id: &str,
        concurrency: usize,
        run: &RunState,
    ) -> Result<usize, Failure> {
        let taken = AtomicUsize::new(0);
        let (tx, rx) = tokio::sync::mpsc::channel::<ItemRow>(PAGE as usize);
        // Owns the sender: the channel closes when the queue is read or the batch pauses.
        let pages = async move {
            let mut after = None;
            while !run.halted() {
                let page = self
                    .ledger
                    .items(batch_id, &[Status::Queued], after, PAGE)
                    .await?;
                let Some(last) = page.last() else {
                    break;
                };
                after = Some(last.seq);
                for row in page {
                    if tx.send(row).await.is_err() {
                        return Ok(());
                    }
                }
            }
            Ok::<(), Failure>(())
        };
        let rows = stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|r| (r, rx)) });
        let sends = all_settled(rows, concurrency, |row| async {
            if run.halted() {
                return Ok(());
            }
            taken.fetch_add(1, Ordering::Relaxed);
            self.send(row, run).await.map(drop)
        });
        let (read, sent) = futures::join!(pages, sends);
        read?;
        sent?;
        Ok(taken.into_inner())
    }
}

/// Runs `step` over `work`, `concurrency` at a time. After a failure no new step starts,
/// but those under way finish (a send dropped halfway would leave its item `sending`
/// until the next run looks it up); the first failure is returned.
async fn all_settled<T, F, Fut, R>(
    work: impl futures::Stream<Item = T>,
    concurrency: usize,
    step: F,
) -> Result<(), Failure>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<R, Failure>>,
{
    let first = parking_lot::Mutex::new(None::<Failure>);
    let failed = AtomicBool::new(false);
    work.for_each_concurrent(concurrency, |item| {
        let (first, failed, step) = (&first, &failed, &step);
        async move {
            if failed.load(Ordering::Relaxed) {
                return;
            }
            if let Err(f) = step(item).await {
                failed.store(true, Ordering::Relaxed);
                first.lock().get_or_insert(f);
            }
        }
    })
    .await;
    match first.into_inner() {
        Some(f) => Err(f),
        None => Ok(()),
    }
}
