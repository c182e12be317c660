//! `Payouts`: bulk payouts on a durable ledger, each method resolving
//! `[ok, data]`. `Payouts.open(options)` (index.js) constructs the instance and calls
//! `ready()`, which opens the ledger once; the other methods need it open.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use napi::bindgen_prelude::{Function, Object, PromiseRaw};
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::Value;
use tokio::sync::OnceCell;

use mobilemoney_core::payouts::{Payouts as Core, Progress, Stop};
use mobilemoney_core::transport::Observer;
use mobilemoney_core::{Arg, Failure, FailureKind};

use crate::convert::{arg, batch_arg, opt_arg};
use crate::events;
use crate::outcome::{spawn, Outcome};

type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

/// The runs under way in one instance, by batch id, so that `stop(batchId)` reaches them.
type Runs = Arc<Mutex<Vec<(u64, String, Stop)>>>;

fn lock(runs: &Runs) -> MutexGuard<'_, Vec<(u64, String, Stop)>> {
    // A panic while holding it cannot leave the list half-written: take it as it is.
    runs.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Takes a run out of the list when its call ends, however it ends.
struct Registered(Runs, u64);

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&self.0).retain(|(i, _, _)| *i != self.1);
    }
}

#[napi]
pub struct Payouts {
    options: Arc<Arg>,
    observer: Option<Observer>,
    inner: Arc<OnceCell<Core>>,
    runs: Runs,
    next_run: u64,
    submissions: Submissions,
}

fn not_open() -> Failure {
    Failure::new(
        FailureKind::InvalidData,
        "this Payouts is not open: create it with Payouts.open(options)",
    )
}

/// `options.onProgress`, when it is a function, as a callback any thread may call.
fn progress(options: Option<&Unknown<'_>>) -> Option<Progress> {
    let options = options?;
    if options.get_type().ok()? != ValueType::Object {
        return None;
    }
    let object = unsafe { options.cast::<Object>() }.ok()?;
    let callback: Function<'_, Value, ()> = object.get("onProgress").ok()??;
    let tsfn = callback
        .build_threadsafe_function::<Value>()
        .callee_handled::<false>()
        .weak::<true>()
        .build()
        .ok()?;
    let tsfn = Arc::new(tsfn);
    Some(Arc::new(move |event: Value| {
        tsfn.call(event, ThreadsafeFunctionCallMode::NonBlocking);
    }))
}

impl Payouts {
    /// Runs `f` with the open instance on napi's runtime.
    fn with<'env, F, Fut>(&self, env: &'env Env, f: F) -> Pending<'env>
    where
        F: FnOnce(Arc<OnceCell<Core>>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = mobilemoney_core::CallResult> + Send + 'static,
    {
        let inner = self.inner.clone();
        spawn(env, async move {
            if inner.get().is_none() {
                return Err(not_open());
            }
            f(inner).await
        })
    }
}

macro_rules! open_core {
    ($cell:expr) => {
        match $cell.get() {
            Some(core) => core,
            None => return Err(not_open()),
        }
    };
}

pub mod lists;
mod submission;
use submission::Submissions;

impl Payouts {
    /// `approve(batchId, keys, options)` or `reject(batchId, keys, note)`.
    fn decide<'env>(&self, env: &'env Env, approve: bool, args: [Unknown; 3]) -> Pending<'env> {
        let [b, k, x] = args.map(|a| arg(env, a));
        self.with(env, move |cell| async move {
            let core = open_core!(cell);
            if approve {
                core.approve(&b, &k, &x).await
            } else {
                core.reject(&b, &k, &x).await
            }
        })
    }
}

#[napi]
impl Payouts {
    #[napi(constructor, ts_args_type = "options: PayoutsOptions")]
    pub fn new(env: Env, options: Option<Unknown>) -> Self {
        let observer = events::observer(&env, options.as_ref());
        Payouts {
            // Read key by key: a `logger` (pino) has no JSON form to speak of.
            options: Arc::new(crate::convert::options(&env, options.as_ref()).arg),
            observer,
            inner: Arc::new(OnceCell::new()),
            runs: Runs::default(),
            next_run: 0,
            submissions: Submissions::default(),
        }
    }

    /// Opens the ledger (once); resolves the configuration without secrets.
    /// `Payouts.open(options)` calls it.
    #[napi(ts_return_type = "Promise<Result<Record<string, unknown>>>")]
    pub fn ready<'env>(&self, env: &'env Env) -> Pending<'env> {
        let (inner, options, observer) = (
            self.inner.clone(),
            self.options.clone(),
            self.observer.clone(),
        );
        spawn(env, async move {
            let core = inner
                .get_or_try_init(|| Core::open(&options, observer))
                .await?;
            Ok(core.describe())
        })
    }

    /// The configuration, without secrets (also what `util.inspect` shows).
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> Value {
        match self.inner.get() {
            Some(core) => core.describe(),
            None => serde_json::json!({ "open": false, "secret": "[redacted]" }),
        }
    }

    #[napi(
        ts_args_type = "batchId: string, items: PayoutItem[]",
        ts_return_type = "Promise<Result<BatchSummary & { created: boolean }>>"
    )]
    pub fn submit<'env>(&self, env: &'env Env, batch_id: Unknown, items: Unknown) -> Pending<'env> {
        let (b, i) = (arg(env, batch_id), batch_arg(env, items));
        self.with(env, move |cell| async move {
            open_core!(cell).submit(&b, &i).await
        })
    }

    #[napi(
        ts_args_type = "batchId: string, options?: RunOptions",
        ts_return_type = "Promise<Result<BatchSummary>>"
    )]
    pub fn run<'env>(
        &mut self,
        env: &'env Env,
        batch_id: Unknown,
        options: Option<Unknown>,
    ) -> Pending<'env> {
        let b = arg(env, batch_id);
        let on_progress = progress(options.as_ref());
        let o = opt_arg(env, options);
        // Registered before the call returns: a `stop` right after it reaches this run.
        let stop = Stop::default();
        let id = self.next_run;
        self.next_run += 1;
        if let Arg::String(batch) = &b {
            lock(&self.runs).push((id, batch.clone(), stop.clone()));
        }
        let registered = Registered(self.runs.clone(), id);
        self.with(env, move |cell| async move {
            let _registered = registered;
            open_core!(cell).run_until(&b, &o, on_progress, stop).await
        })
    }

    /// Stops this instance's runs of `batchId` (every run when it is left out) gracefully:
    /// nothing more is claimed, the sends under way are recorded, and each `run` resolves
    /// its summary with `stopped: true`. Returns how many runs were asked to stop.
    /// `run(batchId, { signal })` calls it when the signal aborts.
    #[napi(ts_args_type = "batchId?: string")]
    pub fn stop(&self, batch_id: Option<String>) -> u32 {
        let runs = lock(&self.runs);
        let mut n = 0;
        for (_, batch, stop) in runs.iter() {
            if batch_id.as_ref().is_none_or(|b| b == batch) {
                stop.stop();
                n += 1;
            }
        }
        n
    }

    #[napi(
        ts_args_type = "batchId: string, query?: { status?: PayoutStatus | PayoutStatus[]; after?: string; limit?: number }",
        ts_return_type = "Promise<Result<PayoutItemState[]>>"
    )]
    pub fn items<'env>(
        &self,
        env: &'env Env,
        batch_id: Unknown,
        query: Option<Unknown>,
    ) -> Pending<'env> {
        let (b, q) = (arg(env, batch_id), opt_arg(env, query));
        self.with(env, move |cell| async move {
            open_core!(cell).items(&b, &q).await
        })
    }

    #[napi(
        ts_args_type = "batchId: string",
        ts_return_type = "Promise<Result<RetryResult>>"
    )]
    pub fn retry_failed<'env>(&self, env: &'env Env, batch_id: Unknown) -> Pending<'env> {
        let b = arg(env, batch_id);
        self.with(env, move |cell| async move {
            open_core!(cell).retry_failed(&b).await
        })
    }

    /// Verifies every queued item not verified yet (MoMo: the account is active and, with
    /// `name`, registered under that name); holds those found wanting.
    #[napi(
        ts_args_type = "batchId: string, options?: VerifyOptions",
        ts_return_type = "Promise<Result<VerifyResult>>"
    )]
    pub fn verify<'env>(
        &self,
        env: &'env Env,
        batch_id: Unknown,
        options: Unknown,
    ) -> Pending<'env> {
        let (b, o) = (arg(env, batch_id), arg(env, options));
        self.with(env, move |cell| async move {
            open_core!(cell).verify(&b, &o).await
        })
    }

    /// Releases held items to be paid (`queued`), the decision kept with its time.
    #[napi(
        ts_args_type = "batchId: string, keys: string | string[], options?: { note?: string; actor?: string }",
        ts_return_type = "Promise<Result<DecisionResult>>"
    )]
    pub fn approve<'env>(
        &self,
        env: &'env Env,
        b: Unknown,
        k: Unknown,
        o: Unknown,
    ) -> Pending<'env> {
        self.decide(env, true, [b, k, o])
    }

    /// Refuses held items for good (`refused`, never sent), with the note.
    #[napi(
        ts_args_type = "batchId: string, keys: string | string[], note: string",
        ts_return_type = "Promise<Result<DecisionResult>>"
    )]
    pub fn reject<'env>(
        &self,
        env: &'env Env,
        b: Unknown,
        k: Unknown,
        n: Unknown,
    ) -> Pending<'env> {
        self.decide(env, false, [b, k, n])
    }

    /// An operator settles an `unknown` item: `{ status: 'successful' | 'failed', note,
    /// actor? }`, kept in the ledger with its time.
    #[napi(
        ts_args_type = "batchId: string, key: string, resolution: PayoutResolutionInput",
        ts_return_type = "Promise<Result<PayoutItemState>>"
    )]
    pub fn resolve<'env>(
        &self,
        env: &'env Env,
        batch_id: Unknown,
        key: Unknown,
        resolution: Unknown,
    ) -> Pending<'env> {
        let (b, k, r) = (arg(env, batch_id), arg(env, key), arg(env, resolution));
        self.with(env, move |cell| async move {
            open_core!(cell).resolve(&b, &k, &r).await
        })
    }

    #[napi(
        ts_args_type = "batchId: string",
        ts_return_type = "Promise<Result<BatchSummary>>"
    )]
    pub fn summary<'env>(&self, env: &'env Env, batch_id: Unknown) -> Pending<'env> {
        let b = arg(env, batch_id);
        self.with(env, move |cell| async move {
            open_core!(cell).summary(&b).await
        })
    }

    /// One item's step (claim, look up if interrupted, send, record), for job queues.
    #[napi(
        ts_args_type = "batchId: string, key: string",
        ts_return_type = "Promise<Result<PayoutStep>>"
    )]
    pub fn process<'env>(&self, env: &'env Env, batch_id: Unknown, key: Unknown) -> Pending<'env> {
        let (b, k) = (arg(env, batch_id), arg(env, key));
        self.with(env, move |cell| async move {
            open_core!(cell).process(&b, &k).await
        })
    }

    /// One item's lookup (pending, unknown or interrupted items), for job queues.
    #[napi(
        ts_args_type = "batchId: string, key: string",
        ts_return_type = "Promise<Result<PayoutStep>>"
    )]
    pub fn reconcile<'env>(
        &self,
        env: &'env Env,
        batch_id: Unknown,
        key: Unknown,
    ) -> Pending<'env> {
        let (b, k) = (arg(env, batch_id), arg(env, key));
        self.with(env, move |cell| async move {
            open_core!(cell).reconcile(&b, &k).await
        })
    }

    /// Several items' lookups in as few provider requests as the provider allows (Paymob:
    /// 50 references a request), for job queues that gather the keys due a lookup.
    #[napi(
        ts_args_type = "batchId: string, keys: string[]",
        ts_return_type = "Promise<Result<ReconcileManyResult>>"
    )]
    pub fn reconcile_many<'env>(
        &self,
        env: &'env Env,
        batch_id: Unknown,
        keys: Unknown,
    ) -> Pending<'env> {
        let (b, k) = (arg(env, batch_id), arg(env, keys));
        self.with(env, move |cell| async move {
            open_core!(cell).reconcile_many(&b, &k).await
        })
    }

    /// A provider callback (parseCallback's result or the raw body) for an item of the
    /// batch: the item is looked up and the answer recorded.
    #[napi(
        ts_args_type = "batchId: string, callback: Result<ParsedCallback> | ParsedCallback | Record<string, unknown> | string",
        ts_return_type = "Promise<Result<PayoutStep>>"
    )]
    pub fn callback<'env>(
        &self,
        env: &'env Env,
        batch_id: Unknown,
        callback: Unknown,
    ) -> Pending<'env> {
        let (b, c) = (arg(env, batch_id), arg(env, callback));
        self.with(env, move |cell| async move {
            open_core!(cell).callback(&b, &c).await
        })
    }

    #[napi(ts_return_type = "Promise<Result<null>>")]
    pub fn close<'env>(&self, env: &'env Env) -> Pending<'env> {
        self.with(
            env,
            move |cell| async move { open_core!(cell).close().await },
        )
    }
}
