//! `Payouts`: bulk payouts on a durable ledger, each method resolving
//! `[ok, data]`. `Payouts.open(options)` (index.js) constructs the instance and calls
//! `ready()`, which opens the ledger once; the other methods need it open.

mod args;
mod instance;
pub mod lists;
mod submission;

use std::sync::Arc;

use futures::future::FutureExt;
use napi::bindgen_prelude::{Function, Object};
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::Value;
use tokio::sync::OnceCell;

use mobilemoney_core::callback::not_a_body;
use mobilemoney_core::input::{json, options_json};
use mobilemoney_core::payouts::operator::Resolution;
use mobilemoney_core::payouts::report::ItemsQuery;
use mobilemoney_core::payouts::verify::VerifyOptions;
use mobilemoney_core::payouts::{Payouts as Core, Progress, Stop};
use mobilemoney_core::Arg;

use crate::convert::{arg, batch_arg, opt_arg};
use crate::events;
use crate::spawn::spawn;
use args::{batch_id_of, item, key_of, open_options};
use instance::{lock, Payouts, Pending, Registered, Runs, Submissions};

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
                .get_or_try_init(
                    || async move { Core::open(open_options(&options)?, observer).await },
                )
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
    pub fn submit<'env>(&self, env: &'env Env, b: Unknown, i: Unknown) -> Pending<'env> {
        let (b, i) = (arg(env, b), batch_arg(env, i));
        let args = batch_id_of(&b).map(|b| (b, json(i)));
        self.call(env, args, |core, (b, i)| core.submit(b, i).boxed())
    }

    #[napi(
        ts_args_type = "batchId: string, options?: RunOptions",
        ts_return_type = "Promise<Result<BatchSummary>>"
    )]
    pub fn run<'env>(&mut self, env: &'env Env, b: Unknown, o: Option<Unknown>) -> Pending<'env> {
        let b = arg(env, b);
        let on_progress = progress(o.as_ref());
        let o = opt_arg(env, o);
        let args = batch_id_of(&b).and_then(|b| Ok((b, options_json(o, "options")?)));
        // Registered before the call returns: a `stop` right after it reaches this run.
        let stop = Stop::default();
        let id = self.next_run;
        self.next_run += 1;
        if let Arg::String(batch) = &b {
            lock(&self.runs).push((id, batch.clone(), stop.clone()));
        }
        let registered = Registered(self.runs.clone(), id);
        self.call(env, args, move |core, (b, o)| {
            async move {
                let _registered = registered;
                core.run_until(b, o, on_progress, stop).await
            }
            .boxed()
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
    pub fn items<'env>(&self, env: &'env Env, b: Unknown, q: Option<Unknown>) -> Pending<'env> {
        let (b, q) = (arg(env, b), opt_arg(env, q));
        let args = batch_id_of(&b)
            .and_then(|b| Ok((b, ItemsQuery::from_json(&options_json(q, "query")?)?)));
        self.call(env, args, |core, (b, q)| core.items(b, q).boxed())
    }

    #[napi(
        ts_args_type = "batchId: string",
        ts_return_type = "Promise<Result<RetryResult>>"
    )]
    pub fn retry_failed<'env>(&self, env: &'env Env, b: Unknown) -> Pending<'env> {
        let args = batch_id_of(&arg(env, b));
        self.call(env, args, |core, b| core.retry_failed(b).boxed())
    }

    /// Verifies every queued item not verified yet (MoMo: the account is active and, with
    /// `name`, registered under that name); holds those found wanting.
    #[napi(
        ts_args_type = "batchId: string, options?: VerifyOptions",
        ts_return_type = "Promise<Result<VerifyResult>>"
    )]
    pub fn verify<'env>(&self, env: &'env Env, b: Unknown, o: Unknown) -> Pending<'env> {
        let (b, o) = (arg(env, b), arg(env, o));
        let args = batch_id_of(&b)
            .and_then(|b| Ok((b, VerifyOptions::from_json(&options_json(o, "options")?)?)));
        self.call(env, args, |core, (b, o)| core.verify(b, o).boxed())
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
        let (b, k, o) = (arg(env, b), arg(env, k), arg(env, o));
        let args = batch_id_of(&b).and_then(|b| Ok((b, json(k), options_json(o, "options")?)));
        self.call(env, args, |core, (b, k, o)| core.approve(b, k, o).boxed())
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
        let (b, k, n) = (arg(env, b), arg(env, k), arg(env, n));
        let note = n.as_str().map(str::to_owned);
        let args = batch_id_of(&b).map(|b| (b, json(k), note));
        self.call(env, args, |core, (b, k, n)| {
            core.reject(b, k, n.as_deref()).boxed()
        })
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
        b: Unknown,
        k: Unknown,
        r: Unknown,
    ) -> Pending<'env> {
        let (b, k, r) = (arg(env, b), arg(env, k), arg(env, r));
        let args = batch_id_of(&b).and_then(|b| {
            let k = key_of(&k)?;
            Ok((
                b,
                k,
                Resolution::from_json(&options_json(r, "resolution")?)?,
            ))
        });
        self.call(env, args, |core, (b, k, r)| core.resolve(b, k, r).boxed())
    }

    #[napi(
        ts_args_type = "batchId: string",
        ts_return_type = "Promise<Result<BatchSummary>>"
    )]
    pub fn summary<'env>(&self, env: &'env Env, b: Unknown) -> Pending<'env> {
        let args = batch_id_of(&arg(env, b));
        self.call(env, args, |core, b| core.summary(b).boxed())
    }

    /// One item's step (claim, look up if interrupted, send, record), for job queues.
    #[napi(
        ts_args_type = "batchId: string, key: string",
        ts_return_type = "Promise<Result<PayoutStep>>"
    )]
    pub fn process<'env>(&self, env: &'env Env, b: Unknown, k: Unknown) -> Pending<'env> {
        let args = item(arg(env, b), arg(env, k));
        self.call(env, args, |core, (b, k)| core.process(b, k).boxed())
    }

    /// One item's lookup (pending, unknown or interrupted items), for job queues.
    #[napi(
        ts_args_type = "batchId: string, key: string",
        ts_return_type = "Promise<Result<PayoutStep>>"
    )]
    pub fn reconcile<'env>(&self, env: &'env Env, b: Unknown, k: Unknown) -> Pending<'env> {
        let args = item(arg(env, b), arg(env, k));
        self.call(env, args, |core, (b, k)| core.reconcile(b, k).boxed())
    }

    /// Several items' lookups in as few provider requests as the provider allows (Paymob:
    /// 50 references a request), for job queues that gather the keys due a lookup.
    #[napi(
        ts_args_type = "batchId: string, keys: string[]",
        ts_return_type = "Promise<Result<ReconcileManyResult>>"
    )]
    pub fn reconcile_many<'env>(&self, env: &'env Env, b: Unknown, k: Unknown) -> Pending<'env> {
        let (b, k) = (arg(env, b), arg(env, k));
        let args = batch_id_of(&b).map(|b| (b, json(k)));
        self.call(env, args, |core, (b, k)| core.reconcile_many(b, k).boxed())
    }

    /// A provider callback (parseCallback's result or the raw body) for an item of the
    /// batch: the item is looked up and the answer recorded.
    #[napi(
        ts_args_type = "batchId: string, callback: Result<ParsedCallback> | ParsedCallback | Record<string, unknown> | string",
        ts_return_type = "Promise<Result<PayoutStep>>"
    )]
    pub fn callback<'env>(&self, env: &'env Env, b: Unknown, c: Unknown) -> Pending<'env> {
        let (b, c) = (arg(env, b), arg(env, c));
        let body = c.to_json().ok_or_else(|| not_a_body(c.type_name()));
        let args = batch_id_of(&b).and_then(|b| Ok((b, body?)));
        self.call(env, args, |core, (b, c)| core.callback(b, c).boxed())
    }

    #[napi(ts_return_type = "Promise<Result<null>>")]
    pub fn close<'env>(&self, env: &'env Env) -> Pending<'env> {
        self.call(env, Ok(()), |core, ()| core.close().boxed())
    }
}
