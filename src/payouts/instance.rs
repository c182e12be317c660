//! The `Payouts` class's state and the one way its methods call the core: the struct napi
//! wraps, the runs and submissions under way, and [`Payouts::call`]. Not in `mod.rs`, so
//! that `submission.rs`, which adds methods to the class, does not import its parent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures::future::BoxFuture;
use napi::bindgen_prelude::PromiseRaw;
use napi::Env;
use napi_derive::napi;
use tokio::sync::OnceCell;

use mobilemoney_core::payouts::submit::Submission;
use mobilemoney_core::payouts::{Payouts as Core, Stop};
use mobilemoney_core::transport::Observer;
use mobilemoney_core::{Arg, Failure, FailureKind};

use crate::outcome::Outcome;
use crate::spawn::spawn;

pub(super) type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

/// The runs under way in one instance, by batch id, so that `stop(batchId)` reaches them.
pub(super) type Runs = Arc<Mutex<Vec<(u64, String, Stop)>>>;

pub(super) fn lock(runs: &Runs) -> MutexGuard<'_, Vec<(u64, String, Stop)>> {
    // A panic while holding it cannot leave the list half-written: take it as it is.
    runs.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Takes a run out of the list when its call ends, however it ends.
pub(super) struct Registered(pub(super) Runs, pub(super) u64);

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&self.0).retain(|(i, _, _)| *i != self.1);
    }
}

/// The submissions under way (`submitBegin` … `submitCommit`), by id; the last id given.
pub(super) type Submissions = Arc<Mutex<(u32, HashMap<u32, Submission>)>>;

#[napi]
pub struct Payouts {
    pub(super) options: Arc<Arg>,
    pub(super) observer: Option<Observer>,
    pub(super) inner: Arc<OnceCell<Core>>,
    pub(super) runs: Runs,
    pub(super) next_run: u64,
    pub(super) submissions: Submissions,
}

fn not_open() -> Failure {
    Failure::new(
        FailureKind::InvalidData,
        "this Payouts is not open: create it with Payouts.open(options)",
    )
}

impl Payouts {
    /// One call of the open instance: `args`, the call's arguments already read into the
    /// core's types (a bad one is the call's failure, after "not open"), lent to `call`,
    /// the core's method, on napi's runtime.
    pub(super) fn call<'env, A, F>(
        &self,
        env: &'env Env,
        args: Result<A, Failure>,
        call: F,
    ) -> Pending<'env>
    where
        A: Send + Sync + 'static,
        F: for<'c> FnOnce(&'c Core, &'c A) -> BoxFuture<'c, mobilemoney_core::CallResult>
            + Send
            + 'static,
    {
        let inner = self.inner.clone();
        spawn(env, async move {
            let core = inner.get().ok_or_else(not_open)?;
            let args = args?;
            call(core, &args).await
        })
    }
}
