//! The options of the provider clients and of `Payouts` (its accounts, queue, `run`,
//! `verify` and `work`). The constructors read them as any JS value (`options.rs` and the
//! core's option readers, whose lists of names tests.rs ties these to); function-typed
//! members are `ts_type`s.

use napi_derive::napi;
use serde::Deserialize;
use serde_json::Value;

sharing! {
    {
        #[doc = " Whole-request timeout in milliseconds (default 80000)."]
        pub timeout_ms: Option<f64>,
        #[doc = " Automatic retries of safe requests (default 2)."]
        pub max_retries: Option<f64>,
        #[doc = " Base delay of the exponential backoff in milliseconds (default 500, capped at 8 s)."]
        pub retry_backoff_ms: Option<f64>,
        #[doc = " Requests this client has on the wire at once (default 256); its connections stay near"]
        #[doc = " this number. More calls wait for a turn; the wait counts against `timeoutMs`."]
        pub max_concurrent_requests: Option<f64>,
        #[doc = " Allow plain http:// base URLs on hosts other than loopback."]
        pub allow_insecure_http: Option<bool>,
        #[doc = " Called once per HTTP attempt, secrets redacted."]
        #[napi(ts_type = "(event: RequestEvent) => void")]
        pub on_event: Option<Value>,
        #[doc = " Any object with debug/info/warn/error (pino, winston, console): each attempt as"]
        #[doc = " `logger.debug(event, line)`, or `logger.warn` when no answer or a 5xx came back."]
        #[napi(ts_type = "Logger")]
        pub logger: Option<Value>,
    }

    #[doc = " Options shared by the provider clients."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct TransportOptions {}

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DisbursementsOptions {
        #[doc = " Default https://sandbox.momodeveloper.mtn.com; https://proxy.momoapi.mtn.com in production."]
        pub base_url: Option<String>,
        #[napi(ts_type = "'sandbox' | 'production'")]
        pub environment: Option<String>,
        #[doc = " Used when a call's `target` is undefined (\"sandbox\" by default in the sandbox environment)."]
        pub target_environment: Option<String>,
        #[doc = " With apiKey: tokens are fetched, cached and renewed for you; pass `authorization` as null/undefined."]
        pub api_user: Option<String>,
        pub api_key: Option<String>,
        #[doc = " Default X-Callback-Url of transfer, deposit and refund."]
        pub callback_url: Option<String>,
        #[doc = " The first argument again, if at all: an account object can be passed whole."]
        pub subscription_key: Option<String>,
    }

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ClientOptions {
        pub base_url: Option<String>,
        #[napi(ts_type = "'sandbox' | 'production'")]
        pub environment: Option<String>,
    }

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PaymobOptions {
        pub client_id: String,
        pub client_secret: String,
        pub username: String,
        pub password: String,
        #[napi(ts_type = "'staging' | 'production'")]
        pub environment: Option<String>,
        #[doc = " Overrides the host, e.g. sandbox.url + '/api/secure/'."]
        pub base_url: Option<String>,
        #[doc = " Client-side budget of inquiry, budget and Aman-cancel requests per minute (default 5)."]
        pub inquiries_per_minute: Option<f64>,
    }
}

/// Pacing of one provider account inside `Payouts` (docs/bulk-payouts.md).
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutsPacing {
    /// Sends a second for this account (unlimited by default).
    pub rate_per_second: Option<f64>,
    /// Status lookups a second: MoMo's default 10; Paymob's inquiries default to 5 a minute.
    pub lookups_per_second: Option<f64>,
    /// How long the provider may answer nothing at all before `run` stops with that failure
    /// (default 60000).
    pub unreachable_after_ms: Option<f64>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutsOptions {
    /// `sqlite:PATH` (the embedded default, `sqlite:./payouts.db`) or `postgres://…` (with
    /// optional `schema`, `pool_size`, `sslmode`, `sslrootcert` parameters) to share it.
    pub ledger: Option<String>,
    /// Keys the deterministic references (at least 16 characters); never shown.
    pub secret: String,
    #[napi(ts_type = "DisbursementsOptions & PayoutsPacing & { subscriptionKey: string }")]
    pub momo: Option<Value>,
    #[napi(ts_type = "PaymobOptions & PayoutsPacing")]
    pub paymob: Option<Value>,
    /// Called once per HTTP attempt of either account, secrets redacted.
    #[napi(ts_type = "(event: RequestEvent) => void")]
    pub on_event: Option<Value>,
    /// Any object with debug/info/warn/error (pino, winston, console): each attempt of either account.
    #[napi(ts_type = "Logger")]
    pub logger: Option<Value>,
    /// BullMQ on Redis: `submit` enqueues, `work()` pays, in any number of processes. Needs
    /// the optional peer dependencies: `npm install bullmq ioredis`.
    pub queue: Option<PayoutsQueueOptions>,
}

/// ioredis options (host, port, password, tls, …), passed to `new IORedis(options)`.
// Its index signature (any other ioredis option) is in types/header.d.ts.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct PayoutsRedisOptions {
    pub host: Option<String>,
    pub port: Option<f64>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub db: Option<f64>,
}

/// `options.queue` of `Payouts.open` (needs the optional packages bullmq and ioredis).
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutsQueueOptions {
    #[napi(ts_type = "PayoutsRedisConnection")]
    pub redis: Value,
    /// Queues are `NAME-<rail>` (`NAME-momo`, `NAME-paymob`) and `NAME-batches` (default `payouts`).
    pub name: Option<String>,
    /// BullMQ's key prefix (default `bull`).
    pub prefix: Option<String>,
    /// How long `submit` waits for Redis before it resolves a `NetworkError` (default 10000).
    pub timeout_ms: Option<f64>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkOptions {
    /// Jobs at a time per provider queue (default 16).
    pub concurrency: Option<f64>,
    /// The workers' own Redis connection (default: the queue's, `options.queue.redis`).
    #[napi(ts_type = "PayoutsRedisConnection")]
    pub connection: Option<Value>,
    pub lock_duration: Option<f64>,
    pub stalled_interval: Option<f64>,
    pub max_stalled_count: Option<f64>,
}

/// The job of a `failed` event: which item, and how many attempts it has had.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutJob {
    pub batch_id: String,
    pub key: String,
    pub attempts_made: f64,
}

/// Events of a `PayoutsWorker` and their listeners (BullMQ's Worker events).
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct PayoutsWorkerEvents {
    /// A job ended: the item is final, or waits on an operator (`resolve`).
    #[napi(ts_type = "(item: PayoutStep) => void")]
    pub completed: Value,
    /// An attempt of a job failed (the ledger or Redis, not the payment); BullMQ retries it.
    #[napi(ts_type = "(job: PayoutJob, error: Error) => void")]
    pub failed: Value,
    /// The ledger recorded a send or an answer (the same event as `run`'s `onProgress`).
    #[napi(ts_type = "(event: PayoutProgress) => void")]
    pub progress: Value,
    /// A worker's own error (a lost Redis, which BullMQ reconnects).
    #[napi(ts_type = "(error: Error) => void")]
    pub error: Value,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct VerifyOptions {
    /// Items looked up at once (default 16); the account's lookup pacing sets the rate.
    pub concurrency: Option<f64>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunOptions {
    /// Items in flight at once (default 16).
    pub concurrency: Option<f64>,
    /// Verify the batch first (`payouts.verify`): held items are not sent, and nothing is
    /// sent while an item could not be verified.
    pub verify: Option<bool>,
    /// Opt-in deadline: stop following pending and unknown items after this long and resolve
    /// with them still open (run again later). By default there is none: `run` resolves when
    /// every item is final or the batch is paused.
    pub settle_timeout_ms: Option<f64>,
    #[napi(ts_type = "(event: PayoutProgress) => void")]
    pub on_progress: Option<Value>,
    /// Aborting it stops the run gracefully: nothing more is claimed or looked up, the sends
    /// under way finish and are recorded (no item is left `sending`), and `run` resolves
    /// `[true, summary]` with `stopped: true`.
    #[napi(ts_type = "PayoutsAbortSignal")]
    pub signal: Option<Value>,
}
