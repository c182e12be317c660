//! State shared by every route of the sandbox: options, the ledger of payouts, the log and
//! counters of requests, the fault rules, and each provider's own state.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use serde::Serialize;
use serde_json::Value;

use super::faults::Faults;
use super::ledger::{Ledger, LedgerEntry};
use super::momo::state::MomoState;
use super::options::SandboxOptions;
use super::paymob::store::PaymobState;

/// One request as the sandbox received it; credential values are masked.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub provider: &'static str,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: serde_json::Map<String, Value>,
    pub body: String,
}

const REQUEST_LOG_CAPACITY: usize = 5000;

#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub requests: u64,
    pub momo_requests: u64,
    pub paymob_requests: u64,
    pub momo_token_requests: u64,
    pub paymob_token_requests: u64,
    pub callbacks_sent: u64,
    pub faults_injected: u64,
    /// Connections accepted, and the most open at once: a client's pooling and its
    /// `maxConcurrentRequests` as the server sees them.
    pub connections: u64,
    pub peak_open_connections: u64,
    #[serde(skip)]
    pub open_connections: u64,
}

pub struct SandboxState {
    pub options: SandboxOptions,
    pub ledger: Mutex<Ledger>,
    pub requests: Mutex<VecDeque<LoggedRequest>>,
    pub stats: Mutex<Stats>,
    pub faults: Faults,
    /// `latencyMs`, settable while running.
    latency_ms: AtomicU64,
    /// Counts changes worth saving to `stateFile`.
    generation: AtomicU64,
    pub momo: MomoState,
    pub paymob: PaymobState,
    /// Sends MoMo callbacks (plain http allowed: callbacks go to the user's listener).
    pub callback_client: reqwest::Client,
}

impl SandboxState {
    pub fn new(options: SandboxOptions) -> Arc<Self> {
        let momo = MomoState::new(&options);
        let paymob = PaymobState::new(&options);
        let latency_ms = AtomicU64::new(options.latency_ms);
        Arc::new(SandboxState {
            options,
            ledger: Mutex::new(Ledger::default()),
            requests: Mutex::new(VecDeque::new()),
            stats: Mutex::new(Stats::default()),
            faults: Faults::default(),
            latency_ms,
            generation: AtomicU64::new(0),
            momo,
            paymob,
            // No idle connections kept: a pooled one (or one the pool opened and did not
            // use) would stay open on the application's listener and keep its
            // `server.close()` waiting for ever. Callbacks are few; each gets its own.
            callback_client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .pool_max_idle_per_host(0)
                .build()
                .unwrap_or_default(),
        })
    }

    pub fn log_request(&self, entry: LoggedRequest) {
        {
            let mut stats = self.stats.lock();
            stats.requests += 1;
            match entry.provider {
                "momo" => {
                    stats.momo_requests += 1;
                    if entry.path.ends_with("/token/") {
                        stats.momo_token_requests += 1;
                    }
                }
                "paymob" => {
                    stats.paymob_requests += 1;
                    if entry.path.ends_with("/o/token/") {
                        stats.paymob_token_requests += 1;
                    }
                }
                _ => {}
            }
        }
        if self.options.log_requests {
            eprintln!(
                "sandbox {:<6} {:<6} {}",
                entry.provider, entry.method, entry.path
            );
        }
        let mut log = self.requests.lock();
        if log.len() >= REQUEST_LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(entry);
    }

    pub fn record_payout(&self, entry: LedgerEntry) {
        self.ledger.lock().record(entry);
        self.changed();
    }

    /// Something a state file keeps has changed.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    pub fn set_payout_status(
        &self,
        provider: &'static str,
        product: Option<&'static str>,
        kind: &str,
        reference_id: &str,
        status: &str,
    ) {
        self.ledger
            .lock()
            .set_status(provider, product, kind, reference_id, status);
        self.changed();
    }

    pub fn ledger_json(&self) -> Value {
        serde_json::to_value(self.ledger.lock().entries()).unwrap_or(Value::Null)
    }

    pub fn stats_json(&self) -> Value {
        serde_json::to_value(&*self.stats.lock()).unwrap_or(Value::Null)
    }

    pub fn requests_json(&self) -> Value {
        serde_json::to_value(&*self.requests.lock()).unwrap_or(Value::Null)
    }

    /// How long each provider answer is held back.
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    pub fn set_latency(&self, ms: u64) {
        self.latency_ms.store(ms, Ordering::Relaxed);
    }

    /// Forget logged requests and counters (not the ledger), between test cases.
    pub fn clear_requests(&self) {
        self.requests.lock().clear();
        *self.stats.lock() = Stats::default();
    }
}
