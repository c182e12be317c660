//! `Payouts::run`: its options read, the batch made ready (verified if asked, this
//! instance a live runner, unpaused), the scheduler of `run/mod.rs` started, and the
//! summary it resolves.

use std::time::Duration;

use serde_json::Value;

use crate::input::OptionsReader;
use crate::payouts::engine::{Progress, RunState};
use crate::payouts::stop::Stop;
use crate::payouts::{items, report, Payouts, DEFAULT_CONCURRENCY};
use crate::CallResult;

pub struct RunOptions {
    pub concurrency: usize,
    /// Give up following pending and unknown items after this long (they stay in the
    /// ledger; a later `run` picks them up again). `None`: until every item is final.
    pub settle_timeout: Option<Duration>,
}

impl Payouts {
    /// Pays the batch until every item is final or the batch pauses; resumes a batch
    /// that was interrupted or paused.
    /// `options`: `{ concurrency?, settleTimeoutMs?, verify? }` or `null`.
    pub async fn run(
        &self,
        batch_id: &str,
        options: &Value,
        progress: Option<Progress>,
    ) -> CallResult {
        self.run_until(batch_id, options, progress, Stop::default())
            .await
    }

    /// [`Payouts::run`] until `stop` is asked: then nothing more is claimed or looked up,
    /// the sends under way are recorded, and the summary says `stopped: true`.
    pub async fn run_until(
        &self,
        batch_id: &str,
        options: &Value,
        progress: Option<Progress>,
        stop: Stop,
    ) -> CallResult {
        let batch_id = items::batch_id(batch_id)?;
        let reader = OptionsReader::of(options, "options")?;
        let concurrency = reader
            .number("concurrency", 1.0, 10_000.0)?
            .map_or(DEFAULT_CONCURRENCY, |n| n as usize);
        // Unlimited unless asked: `run` resolves when every item is final or the batch
        // pauses.
        let settle_timeout = reader
            .number("settleTimeoutMs", 0.0, 86_400_000.0)?
            .map(|ms| Duration::from_millis(ms as u64));
        let ledger = &self.engine.ledger;
        let batch = self.batch_to_work(&batch_id).await?;
        if reader.bool("verify")?.unwrap_or(false) {
            self.verify_before_run(&batch_id, concurrency).await?;
        }
        let _active = self.engine.liveness.enter().await?;
        let totals = ledger.totals(&batch_id).await?;
        ledger.set_paused(&batch_id, None).await?;
        let finals = report::finals(&totals);
        for account in &self.engine.accounts {
            account.start_run();
        }
        let run = RunState {
            started_ms: self.engine.clock.now_ms(),
            finals: finals.into(),
            total: batch.total,
            progress,
            stop,
            ..RunState::default()
        };
        self.engine
            .run_batch(
                &batch_id,
                &RunOptions {
                    concurrency,
                    settle_timeout,
                },
                &run,
            )
            .await?;
        let mut summary = self.summary_of(&batch_id).await?;
        let waiting = self.engine.awaiting_operator(&batch_id).await?;
        if let Value::Object(m) = &mut summary {
            if run.stop.is_stopped() {
                m.insert("stopped".into(), true.into());
            }
            // `run` also ends when all that is left waits on an operator: say so.
            if waiting > 0 {
                m.insert("awaitingOperator".into(), waiting.into());
            }
        }
        Ok(summary)
    }
}
