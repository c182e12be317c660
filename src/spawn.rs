//! Where every async method's future runs: on napi's tokio runtime, with a panic turned
//! into a failure, its outcome carried back by [`crate::completion`]. Not in `outcome.rs`:
//! it calls `completion`, which imports `outcome`.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use napi::bindgen_prelude::PromiseRaw;
use napi::Env;

use mobilemoney_core::{CallResult, Failure, FailureKind};

use crate::completion;
use crate::outcome::Outcome;

fn panicked() -> Failure {
    Failure::new(
        FailureKind::NetworkError,
        "internal error in mobilemoney-native (a bug: please report it); nothing more is known about this call",
    )
}

/// Run `fut` on napi's tokio runtime and resolve its outcome; never rejects.
pub fn spawn<'env, F>(env: &'env Env, fut: F) -> napi::Result<PromiseRaw<'env, Outcome>>
where
    F: Future<Output = CallResult> + Send + 'static,
{
    let (ticket, promise) = completion::start(env)?;
    // Boxed once here: a call's state machine is kilobytes, and tokio moves the spawned
    // future by value before it runs; a box moves as a pointer.
    let fut = Box::pin(fut);
    let task = async move {
        let result = AssertUnwindSafe(fut)
            .catch_unwind()
            .await
            .unwrap_or_else(|_| Err(panicked()));
        ticket.finish(Outcome::new(result));
    };
    // napi's `spawn` panics when its runtime is gone; the task (and so the ticket) is then
    // dropped, which resolves the promise with `cancelled()`.
    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
        napi::bindgen_prelude::spawn(task);
    }));
    Ok(PromiseRaw::new(env.raw(), promise))
}
