//! A submission a chunk at a time (`submitBegin`, `submitChunk`, `submitCommit`,
//! `submitAbort`): lib/payouts-submit.js feeds arrays, iterables and streams through it,
//! so that a batch of a million is never one array.

use std::sync::PoisonError;

use futures::future::FutureExt;
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::Value;

use mobilemoney_core::input::json;
use mobilemoney_core::payouts::submit::Submission;
use mobilemoney_core::Failure;

use super::args::batch_id_of;
use super::instance::{Payouts, Pending, Submissions};
use crate::convert::{arg, batch_arg};

fn unknown_submission() -> Failure {
    Failure::invalid(
        "submission",
        "this submission is not under way (it was committed, aborted or refused): begin another",
    )
}

fn take(submissions: &Submissions, id: u32) -> Option<Submission> {
    let mut all = submissions.lock().unwrap_or_else(PoisonError::into_inner);
    all.1.remove(&id)
}

fn put(submissions: &Submissions, id: u32, s: Submission) {
    let mut all = submissions.lock().unwrap_or_else(PoisonError::into_inner);
    all.1.insert(id, s);
}

#[napi]
impl Payouts {
    /// Starts a submission a chunk at a time (lib/payouts.js feeds iterables and streams
    /// through it); resolves its id.
    #[napi(
        ts_args_type = "batchId: string",
        ts_return_type = "Promise<Result<number>>"
    )]
    pub fn submit_begin<'env>(&self, env: &'env Env, batch_id: Unknown) -> Pending<'env> {
        let args = batch_id_of(&arg(env, batch_id));
        let submissions = self.submissions.clone();
        self.call(env, args, move |core, b| {
            async move {
                let s = core.begin(b).await?;
                let mut all = submissions.lock().unwrap_or_else(PoisonError::into_inner);
                all.0 = all.0.wrapping_add(1);
                let id = all.0;
                all.1.insert(id, s);
                Ok(Value::from(id))
            }
            .boxed()
        })
    }

    /// Checks and stages a chunk (an array) of the submission's items.
    #[napi(
        ts_args_type = "id: number, items: PayoutItem[]",
        ts_return_type = "Promise<Result<null>>"
    )]
    pub fn submit_chunk<'env>(&self, env: &'env Env, id: u32, items: Unknown) -> Pending<'env> {
        let i = json(batch_arg(env, items));
        let submissions = self.submissions.clone();
        self.call(env, Ok(i), move |core, i| {
            async move {
                let taken = take(&submissions, id);
                let mut s = taken.ok_or_else(unknown_submission)?;
                match core.add(&mut s, i).await {
                    Ok(()) => {
                        put(&submissions, id, s);
                        Ok(Value::Null)
                    }
                    Err(f) => {
                        core.abort(s).await?;
                        Err(f)
                    }
                }
            }
            .boxed()
        })
    }

    /// Makes the batch from the submission's items in one transaction (or reports every
    /// bad item); resolves what `submit` does.
    #[napi(
        ts_args_type = "id: number",
        ts_return_type = "Promise<Result<BatchSummary & { created: boolean }>>"
    )]
    pub fn submit_commit<'env>(&self, env: &'env Env, id: u32) -> Pending<'env> {
        let submissions = self.submissions.clone();
        self.call(env, Ok(()), move |core, ()| {
            async move {
                let s = take(&submissions, id).ok_or_else(unknown_submission)?;
                core.commit(s).await
            }
            .boxed()
        })
    }

    /// Lets a submission go without making its batch (its source failed).
    #[napi(ts_args_type = "id: number", ts_return_type = "Promise<Result<null>>")]
    pub fn submit_abort<'env>(&self, env: &'env Env, id: u32) -> Pending<'env> {
        let submissions = self.submissions.clone();
        self.call(env, Ok(()), move |core, ()| {
            async move {
                if let Some(s) = take(&submissions, id) {
                    core.abort(s).await?;
                }
                Ok(Value::Null)
            }
            .boxed()
        })
    }
}
