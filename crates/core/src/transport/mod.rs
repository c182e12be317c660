//! The one request sender shared by both providers.
//!
//! It owns the pooled HTTP client (reqwest on rustls), the per-request timeout, the retry
//! policy ([`retry`]) and the observer of events ([`events`]). Endpoint modules describe a
//! request and say how safe it is to repeat ([`Safety`]); the transport decides whether to
//! try again and reports what it saw, including whether an attempt may have reached the
//! server — the fact the money-moving calls need to avoid paying twice.

pub mod base_url;
pub mod classify;
pub mod events;
mod response;
pub mod retry;
mod sent;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::Method;
use tokio::sync::Semaphore;

pub use base_url::BaseUrl;
pub use classify::Provider;
pub use events::{set_debug, Event, Observer};
pub use response::Response;
pub use retry::{RetryPolicy, Safety};
use sent::{after_sending, classify_error};
pub use sent::{SendError, Sent};

use crate::failure::{Failure, FailureKind};
use crate::secrets::Secrets;

/// Default whole-request timeout (stripe-node's default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
/// Connect timeout cap: a refused or silent host fails fast even with a long timeout.
const CONNECT_TIMEOUT_CAP: Duration = Duration::from_secs(10);

/// Default cap on the requests one client has on the wire at once: more calls than this
/// wait for a turn instead of each opening a connection (10 000 calls at once would
/// otherwise open about as many connections, each with its buffers). The pool opens about
/// as many connections as there are turns, a few more while finished ones are handed back.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 256;

/// The options every client shares: `timeoutMs`, `maxRetries`, `retryBackoffMs`,
/// `maxConcurrentRequests`.
#[derive(Debug, Clone)]
pub struct TransportSettings {
    pub timeout: Duration,
    pub retry: RetryPolicy,
    pub max_concurrent_requests: usize,
}

impl Default for TransportSettings {
    fn default() -> Self {
        TransportSettings {
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
        }
    }
}

/// Settings of one transport, from the client options.
#[derive(Clone)]
pub struct TransportConfig {
    pub settings: TransportSettings,
    pub observer: Option<Observer>,
    pub provider: &'static str,
}

/// A described request: what to send and how safe it is to send again.
pub struct Request {
    pub method: Method,
    pub url: reqwest::Url,
    /// Path for events and logs (no host, no query).
    pub path: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Body,
    pub safety: Safety,
    pub reference_id: Option<String>,
    /// A 2xx answer must carry JSON; one that does not is treated as a transient fault.
    pub expect_json: bool,
}

pub enum Body {
    /// No body, sent with `Content-Length: 0` (the MoMo gateway answers 411 without it).
    Empty,
    /// Shared, not copied, by each attempt.
    Json(Bytes),
    Form(String),
}

/// One pooled HTTP client and its policy. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    config: Arc<TransportConfig>,
    /// One permit per request on the wire (see [`DEFAULT_MAX_CONCURRENT_REQUESTS`]).
    on_the_wire: Arc<Semaphore>,
}

impl Transport {
    pub fn new(config: TransportConfig) -> Result<Self, Failure> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.settings.timeout.min(CONNECT_TIMEOUT_CAP))
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(1024)
            .tcp_nodelay(true)
            .user_agent(concat!("mobilemoney-native/", env!("CARGO_PKG_VERSION")))
            .https_only(false)
            .build()
            .map_err(|e| {
                Failure::new(
                    FailureKind::NetworkError,
                    format!("could not build the HTTP client: {e}"),
                )
            })?;
        Ok(Transport {
            http,
            on_the_wire: Arc::new(Semaphore::new(
                config.settings.max_concurrent_requests.max(1),
            )),
            config: Arc::new(config),
        })
    }

    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    /// Send with the timeout and retry policy of this transport.
    pub async fn send(&self, req: Request, secrets: &Secrets) -> Sent {
        let mut backoff = self.config.settings.retry.backoff();
        let mut attempts = 0u32;
        let mut maybe_delivered = false;
        loop {
            attempts += 1;
            let started = Instant::now();
            let result = self.attempt(&req).await;
            self.emit(&req, attempts, started.elapsed(), &result, secrets);
            let decision = self
                .config
                .settings
                .retry
                .decide(req.safety, req.expect_json, &result);
            let last_attempt = attempts > self.config.settings.retry.max_retries;
            match decision {
                Some(hint) if !last_attempt => {
                    // Whether the attempt we are about to repeat may have been processed:
                    // a 429, or MoMo's own SERVICE_UNAVAILABLE reason, says it was not; any
                    // other 5xx (a gateway's, whatever its body) or an unreadable 2xx may
                    // hide that it was.
                    maybe_delivered |= match &result {
                        Err(e) => e.maybe_delivered(),
                        Ok(r) => r.status != 429 && !retry::refused_unprocessed(r),
                    };
                    let delay = self.config.settings.retry.delay(backoff.next(), hint);
                    tokio::time::sleep(delay).await;
                }
                _ => {
                    return Sent {
                        result,
                        attempts,
                        earlier_attempt_maybe_delivered: maybe_delivered,
                    }
                }
            }
        }
    }

    async fn attempt(&self, req: &Request) -> Result<Response, SendError> {
        // The timeout covers the wait for a turn on the wire too; a call that never got one
        // was never sent.
        let deadline = tokio::time::Instant::now() + self.config.settings.timeout;
        let _turn = match self.on_the_wire.try_acquire() {
            Ok(turn) => turn,
            // Only a call that has to wait pays for a timer here.
            Err(_) => tokio::time::timeout_at(deadline, self.on_the_wire.acquire())
                .await
                .ok()
                .and_then(Result::ok)
                .ok_or(SendError::Timeout {
                    maybe_delivered: false,
                })?,
        };
        let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
        let mut builder = self
            .http
            .request(req.method.clone(), req.url.clone())
            .timeout(remaining);
        for (name, value) in &req.headers {
            builder = builder.header(name, value.clone());
        }
        builder = match &req.body {
            Body::Empty if req.method == Method::POST || req.method == Method::PUT => {
                builder.header(CONTENT_LENGTH, "0").body(Vec::<u8>::new())
            }
            Body::Empty => builder,
            Body::Json(bytes) => builder
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Form(text) => builder
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(text.clone()),
        };
        let mut response = builder.send().await.map_err(classify_error)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(|e| {
            after_sending(&e, "the connection broke while the answer was being read")
        })?;
        let mut answer = Response::new(status, headers, body);
        if req.expect_json && (200..300).contains(&status) {
            answer.parse_json();
        }
        Ok(answer)
    }

    fn emit(
        &self,
        req: &Request,
        attempt: u32,
        elapsed: Duration,
        result: &Result<Response, SendError>,
        secrets: &Secrets,
    ) {
        if !events::wanted(self.config.observer.as_ref()) {
            return;
        }
        let (status, error) = match result {
            Ok(r) => (Some(r.status), None),
            Err(SendError::Timeout { .. }) => (None, Some("Timeout".to_owned())),
            Err(SendError::Network { detail, .. }) => (None, Some(secrets.redact_str(detail))),
        };
        let event = Event {
            provider: self.config.provider,
            method: req.method.as_str().to_owned(),
            path: secrets.redact_str(&req.path),
            status,
            elapsed_ms: elapsed.as_secs_f64() * 1000.0,
            attempt,
            reference_id: req.reference_id.clone(),
            request_id: result.as_ref().ok().and_then(Response::request_id),
            error,
        };
        events::publish(self.config.observer.as_ref(), &event);
    }
}
