//! `run`: the embedded scheduler over the per-item steps. Each round looks up what is
//! due (items interrupted in `sending`, `unknown` ones, `pending` ones whose next check
//! has come; `sending` ones unless a live runner's request may be on the wire), then sends every queued item,
//! `concurrency` at a time, until every item is final, the batch pauses, the run is
//! stopped (`Stop`), or the settle deadline (none by default) passes.
//!
//! Every read is a page from an index ([`Ledger::due`], the queue by status and seq), so a
//! round costs what it reads, not the batch, and the scheduler holds a window of items,
//! never the batch.
//!
//! `Payouts::run` itself (its options, the batch made ready, the summary it resolves) is
//! in start.rs.
//!
//! [`Ledger::due`]: super::ledger::Ledger::due

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use futures::stream::{self, StreamExt};

use super::decide::needs_operator;
use super::engine::{Engine, RunState};
use super::ledger::{Due, DuePage, ItemRow, ItemsPage, Pages, Status};
use crate::failure::Failure;

mod start;

pub use start::RunOptions;

const PAGE: u32 = 1_000;
/// How long the scheduler sleeps at most between rounds while items settle.
const MAX_NAP: Duration = Duration::from_millis(500);
/// How often the follower looks for items due a lookup while sends go on.
const FOLLOW_NAP: Duration = Duration::from_millis(100);
/// The statuses whose items are looked up when their next check comes.
const FOLLOWED: [Status; 2] = [Status::Unknown, Status::Pending];

impl Engine {
    /// Every row of the batch with one of `statuses` (for callers that want them all;
    /// the scheduler reads pages).
    pub async fn all(&self, batch_id: &str, statuses: &[Status]) -> Result<Vec<ItemRow>, Failure> {
        self.pages(batch_id, statuses).rest().await
    }

    /// The rows of the batch with one of `statuses`, `PAGE` at a time.
    fn pages<'a>(&'a self, batch_id: &'a str, statuses: &'a [Status]) -> Pages<'a> {
        Pages::new(
            &*self.ledger,
            batch_id,
            ItemsPage::new(statuses, None, PAGE),
        )
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
            self.look_up_open(batch_id, first_round, concurrency, run)
                .await?;
            first_round = false;
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
                if self.is_settled(batch_id).await? {
                    return Ok(());
                }
                if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                    return Ok(());
                }
                let next = self.next_due(batch_id).await?.map_or(MAX_NAP, |t| {
                    Duration::from_millis(u64::try_from(t - self.clock.now_ms()).unwrap_or(0))
                });
                run.stop.sleep(next.min(MAX_NAP)).await;
            }
        }
    }

    /// One round's lookups, a page at a time: `sending` items no request of which may be
    /// on the wire, then `unknown` and `pending` ones due now (and, with `operator`,
    /// those waiting on an operator).
    async fn look_up_open(
        &self,
        batch_id: &str,
        operator: bool,
        concurrency: usize,
        run: &RunState,
    ) -> Result<(), Failure> {
        let now = self.clock.now_ms();
        let mut pages = self.pages(batch_id, &[Status::Sending]);
        while !run.halted() {
            let Some(page) = pages.next().await? else {
                break;
            };
            let holds = self.holds(&page).await?;
            let due = page
                .into_iter()
                .zip(holds)
                .filter(|(_, hold)| hold.is_none_or(|at| at <= now))
                .map(|(r, _)| r)
                .collect();
            self.lookup_all(due, concurrency, run).await?;
        }
        for status in FOLLOWED {
            for due in [Due::Unset, Due::By(now)] {
                self.look_up_due(batch_id, status, due, operator, concurrency, run)
                    .await?;
            }
        }
        Ok(())
    }

    /// Looks up the items of `status` that `due` selects, a page at a time; returns how
    /// many were looked up.
    async fn look_up_due(
        &self,
        batch_id: &str,
        status: Status,
        due: Due,
        operator: bool,
        concurrency: usize,
        run: &RunState,
    ) -> Result<usize, Failure> {
        let mut after = None;
        let mut seen = 0;
        while !run.stop.is_stopped() {
            let page = self
                .ledger
                .due(batch_id, DuePage::new(status, due, after, PAGE))
                .await?;
            let Some(last) = page.last() else {
                break;
            };
            after = Some((last.state.next_check_ms.unwrap_or(0), last.seq));
            let page: Vec<ItemRow> = page
                .into_iter()
                .filter(|r| operator || !needs_operator(&r.state))
                .collect();
            seen += page.len();
            self.lookup_all(page, concurrency, run).await?;
        }
        Ok(seen)
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
            let mut seen = 0;
            for status in FOLLOWED {
                seen += self
                    .look_up_due(batch_id, status, Due::By(now), false, concurrency, run)
                    .await?;
            }
            if seen == 0 {
                run.stop.sleep(FOLLOW_NAP).await;
            }
        }
        Ok(())
    }

    /// When the next lookup is due (ms, ledger time): the earliest next check of the
    /// followed items, or the end of a `sending` item's hold. `None` when nothing waits.
    async fn next_due(&self, batch_id: &str) -> Result<Option<i64>, Failure> {
        let mut next: Option<i64> = None;
        for status in FOLLOWED {
            let first = self
                .ledger
                .due(batch_id, DuePage::new(status, Due::By(i64::MAX), None, 1))
                .await?;
            if let Some(at) = first.first().and_then(|r| r.state.next_check_ms) {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
        }
        let mut pages = self.pages(batch_id, &[Status::Sending]);
        while let Some(page) = pages.next().await? {
            let held = self.holds(&page).await?.into_iter().flatten().min();
            next = match (next, held) {
                (Some(n), Some(h)) => Some(n.min(h)),
                (n, h) => n.or(h),
            };
        }
        Ok(next)
    }

    /// Every item is final or waits on an operator. Each status is one indexed read.
    async fn is_settled(&self, batch_id: &str) -> Result<bool, Failure> {
        for status in [Status::Queued, Status::Sending, Status::Pending] {
            if !self
                .ledger
                .items(batch_id, ItemsPage::new(&[status], None, 1))
                .await?
                .is_empty()
            {
                return Ok(false);
            }
        }
        let followed = self
            .ledger
            .due(
                batch_id,
                DuePage::new(Status::Unknown, Due::By(i64::MAX), None, 1),
            )
            .await?;
        if !followed.is_empty() {
            return Ok(false);
        }
        Ok(self.awaiting_operator_or_not(batch_id).await?.1 == 0)
    }

    /// How many `unknown` items wait on an operator (`payouts.resolve`).
    pub async fn awaiting_operator(&self, batch_id: &str) -> Result<u64, Failure> {
        Ok(self.awaiting_operator_or_not(batch_id).await?.0)
    }

    /// The `unknown` items without a next check (those an operator is asked to close,
    /// the only ones written so): how many wait on an operator, and how many do not.
    async fn awaiting_operator_or_not(&self, batch_id: &str) -> Result<(u64, u64), Failure> {
        let (mut waiting, mut not) = (0, 0);
        let mut after = None;
        loop {
            let page = self
                .ledger
                .due(
                    batch_id,
                    DuePage::new(Status::Unknown, Due::Unset, after, PAGE),
                )
                .await?;
            let Some(last) = page.last() else {
                return Ok((waiting, not));
            };
            after = Some((0, last.seq));
            for row in &page {
                if needs_operator(&row.state) {
                    waiting += 1;
                } else {
                    not += 1;
                }
            }
        }
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
            let mut pages = self.pages(batch_id, &[Status::Queued]);
            while !run.halted() {
                let Some(page) = pages.next().await? else {
                    break;
                };
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
