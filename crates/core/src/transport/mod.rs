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
pub mod retry;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::Method;
use serde_json::Value;
use tokio::sync::Semaphore;

pub use base_url::BaseUrl;
pub use classify::Provider;
pub use events::{set_debug, Event, Observer};
pub use retry::{RetryPolicy, Safety};

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

/// A complete HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The body as JSON, parsed once by the transport when the answer must carry JSON (it
    /// has to look anyway, to decide whether to retry), and taken by the caller.
    parsed: Option<Value>,
}

impl Response {
    pub fn new(status: u16, headers: HeaderMap, body: Bytes) -> Self {
        Response {
            status,
            headers,
            body,
            parsed: None,
        }
    }

    /// The body parsed as JSON whatever the content type (Paymob's Aman callbacks and some
    /// gateways mislabel it); text that is not JSON becomes a JSON string; empty is null.
    pub fn json(&self) -> Option<Value> {
        if let Some(parsed) = &self.parsed {
            return Some(parsed.clone());
        }
        if self.body.is_empty() {
            return Some(Value::Null);
        }
        serde_json::from_slice(&self.body).ok()
    }

    /// [`Response::json`], taking the value the transport already parsed rather than
    /// parsing again.
    pub fn take_json(&mut self) -> Option<Value> {
        self.parsed.take().or_else(|| self.json())
    }

    /// Parse the body now and keep the value for [`Response::take_json`].
    fn parse_json(&mut self) {
        if !self.body.is_empty() {
            self.parsed = serde_json::from_slice(&self.body).ok();
        }
    }

    /// Whether [`Response::json`] would give a value, found without building it when the
    /// body was not parsed already: the retry policy asks this of every 2xx answer that must
    /// carry JSON.
    pub fn is_json(&self) -> bool {
        self.parsed.is_some()
            || self.body.is_empty()
            || serde_json::from_slice::<JsonCheck>(&self.body).is_ok()
    }

    pub fn body_value(&self) -> Value {
        self.json()
            .unwrap_or_else(|| Value::String(String::from_utf8_lossy(&self.body).into_owned()))
    }

    pub fn request_id(&self) -> Option<String> {
        ["x-request-id", "request-id", "x-correlation-id"]
            .iter()
            .find_map(|h| self.headers.get(*h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// Accepts exactly the JSON texts `serde_json::Value` accepts (the same parser reads the
/// same tokens: numbers, strings as UTF-8, keys as strings, nesting limit) and keeps nothing.
struct JsonCheck;

impl<'de> serde::Deserialize<'de> for JsonCheck {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonCheck)
    }
}

impl<'de> serde::de::Visitor<'de> for JsonCheck {
    type Value = JsonCheck;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_i64<E>(self, _: i64) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_u64<E>(self, _: u64) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_f64<E>(self, _: f64) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_str<E>(self, _: &str) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_unit<E>(self) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsonCheck, A::Error> {
        while seq.next_element::<JsonCheck>()?.is_some() {}
        Ok(JsonCheck)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonCheck, A::Error> {
        while map.next_key::<JsonCheck>()?.is_some() {
            map.next_value::<JsonCheck>()?;
        }
        Ok(JsonCheck)
    }
}

/// Why no complete answer came back.
#[derive(Debug, Clone)]
pub enum SendError {
    Timeout {
        maybe_delivered: bool,
    },
    Network {
        maybe_delivered: bool,
        detail: String,
    },
}

impl SendError {
    pub fn maybe_delivered(&self) -> bool {
        match self {
            SendError::Timeout { maybe_delivered } => *maybe_delivered,
            SendError::Network {
                maybe_delivered, ..
            } => *maybe_delivered,
        }
    }
}

/// What `send` reports: the last answer (or error), how many attempts it took, and whether
/// any attempt may have reached the server without its answer reaching us.
pub struct Sent {
    pub result: Result<Response, SendError>,
    pub attempts: u32,
    pub earlier_attempt_maybe_delivered: bool,
}

impl Sent {
    /// True when some attempt before the last one may have been processed.
    pub fn retried_after_uncertainty(&self) -> bool {
        self.earlier_attempt_maybe_delivered
    }
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
            if e.is_timeout() {
                SendError::Timeout {
                    maybe_delivered: true,
                }
            } else {
                SendError::Network {
                    maybe_delivered: true,
                    detail: "the connection broke while the answer was being read".into(),
                }
            }
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

fn classify_error(e: reqwest::Error) -> SendError {
    if e.is_connect() {
        // Nothing reached the server: safe to repeat whatever the request was.
        return if e.is_timeout() {
            SendError::Timeout {
                maybe_delivered: false,
            }
        } else {
            SendError::Network {
                maybe_delivered: false,
                detail: "the connection could not be made".into(),
            }
        };
    }
    if e.is_timeout() {
        SendError::Timeout {
            maybe_delivered: true,
        }
    } else {
        SendError::Network {
            maybe_delivered: true,
            detail: "the connection broke before an answer came back".into(),
        }
    }
}

#[cfg(test)]
mod json_check_tests {
    use super::*;
    use proptest::prelude::*;

    fn answer(body: &[u8]) -> Response {
        Response::new(200, HeaderMap::new(), Bytes::copy_from_slice(body))
    }

    fn agrees(body: &[u8]) -> bool {
        let r = answer(body);
        let mut parsed = answer(body);
        parsed.parse_json();
        r.is_json() == r.json().is_some()
            && parsed.is_json() == r.is_json()
            && parsed.take_json() == r.json()
    }

    #[test]
    fn is_json_agrees_with_json_on_edge_cases() {
        let deep_ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let too_deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let cases: Vec<Vec<u8>> = [
            "",
            "null",
            "1",
            "-0",
            "1e400",
            "-1e400",
            "1e-400",
            "18446744073709551616",
            "123456789012345678901234567890",
            "\"a\"",
            "\"\\ud800\"",
            "\"\\u00e9\"",
            "{}",
            "[]",
            "{\"a\":1,\"a\":2}",
            "{1:2}",
            "{\"a\" 1}",
            "[1,]",
            "[1 2]",
            "{\"a\":1} x",
            " 1 ",
            "tru",
            "nul",
            "\"\t\"",
            "\"\\x\"",
            "NaN",
            "Infinity",
            "01",
            "1.",
            ".5",
            "+1",
            deep_ok.as_str(),
            too_deep.as_str(),
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain([
            b"\"\xff\"".to_vec(),
            b"{\"\xc3\":1}".to_vec(),
            b"\xef\xbb\xbf{}".to_vec(),
        ])
        .collect();
        for body in cases {
            assert!(agrees(&body), "{}", String::from_utf8_lossy(&body));
        }
    }

    proptest! {
        #[test]
        fn is_json_agrees_with_json(body in "[ \\[\\]{}:,\"\\\\a-e0-9.+eE\\-tnrulfsu\u{e9}]{0,24}") {
            prop_assert!(agrees(body.as_bytes()));
        }

        #[test]
        fn is_json_agrees_on_bytes(body in proptest::collection::vec(any::<u8>(), 0..16)) {
            prop_assert!(agrees(&body));
        }
    }
}
