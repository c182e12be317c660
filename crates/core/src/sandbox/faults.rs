//! Fault injection: rules that make chosen requests fail, and a random fault rate for
//! soak runs. The middleware here also logs every provider request before routing it, and
//! holds it back by the sandbox's latency.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::server::ConnKill;
use super::state::{LoggedRequest, SandboxState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Drop the connection before the request is processed: nothing is recorded.
    ResetBefore,
    /// Process the request (the payout is recorded), then drop the connection.
    ResetAfter,
    /// Wait `delayMs` (default 30 s), then process and answer.
    Stall,
    /// Process at once, then wait `delayMs` before answering.
    StallAfter,
    /// Hold the request `delayMs` (default 30 s), then process it whether or not the
    /// client is still there: the request a provider books after the client gave up.
    LandLate,
    #[serde(rename = "status_500")]
    Status500,
    #[serde(rename = "status_503")]
    Status503,
    /// 429 with `Retry-After: retryAfterSeconds`.
    #[serde(rename = "status_429")]
    Status429,
    /// Process, then answer with a body that is not JSON.
    MalformedJson,
    /// Process, then send half the body and drop the connection.
    TruncatedJson,
    /// Process, then label the body `text/html`.
    WrongContentType,
}

impl FaultKind {
    pub const ALL: [FaultKind; 11] = [
        FaultKind::ResetBefore,
        FaultKind::ResetAfter,
        FaultKind::Stall,
        FaultKind::StallAfter,
        FaultKind::LandLate,
        FaultKind::Status500,
        FaultKind::Status503,
        FaultKind::Status429,
        FaultKind::MalformedJson,
        FaultKind::TruncatedJson,
        FaultKind::WrongContentType,
    ];
}

/// A fault for the next `times` requests that match.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    pub kind: FaultKind,
    /// `momo` or `paymob`; any when absent.
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
    /// Matches when the request path contains this text.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default = "one")]
    pub times: u32,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub retry_after_seconds: Option<u64>,
}

fn one() -> u32 {
    1
}

/// Random faults: each matching request fails with probability `rate`, with a kind drawn
/// from `kinds` (all kinds when empty).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct FaultRate {
    pub rate: f64,
    #[serde(default)]
    pub kinds: Vec<FaultKind>,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

#[derive(Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
    rate: Mutex<Option<FaultRate>>,
}

/// The fault chosen for one request.
#[derive(Debug, Clone, Copy)]
struct Chosen {
    kind: FaultKind,
    delay: Duration,
    retry_after: u64,
}

const DEFAULT_STALL: Duration = Duration::from_secs(30);

impl Faults {
    pub fn add(&self, rule: FaultRule) {
        if rule.times > 0 {
            self.rules.lock().push(rule);
        }
    }

    pub fn set_rate(&self, rate: Option<FaultRate>) {
        *self.rate.lock() = rate.filter(|r| r.rate > 0.0);
    }

    pub fn clear(&self) {
        self.rules.lock().clear();
        *self.rate.lock() = None;
    }

    pub fn pending(&self) -> usize {
        self.rules.lock().iter().map(|r| r.times as usize).sum()
    }

    fn choose(&self, provider: &str, method: &str, path: &str) -> Option<Chosen> {
        {
            let mut rules = self.rules.lock();
            let hit = rules.iter().position(|r| {
                r.provider.as_deref().is_none_or(|p| p == provider)
                    && r.method
                        .as_deref()
                        .is_none_or(|m| m.eq_ignore_ascii_case(method))
                    && r.path.as_deref().is_none_or(|p| path.contains(p))
            });
            if let Some(i) = hit {
                let rule = rules.get_mut(i)?;
                let chosen = Chosen {
                    kind: rule.kind,
                    delay: rule.delay_ms.map_or(DEFAULT_STALL, Duration::from_millis),
                    retry_after: rule.retry_after_seconds.unwrap_or(1),
                };
                rule.times = rule.times.saturating_sub(1);
                if rule.times == 0 {
                    rules.remove(i);
                }
                return Some(chosen);
            }
        }
        let rate = self.rate.lock().clone()?;
        if rate.provider.as_deref().is_some_and(|p| p != provider) {
            return None;
        }
        let mut rng = rand::rng();
        if !rng.random_bool(rate.rate.clamp(0.0, 1.0)) {
            return None;
        }
        let kinds: &[FaultKind] = if rate.kinds.is_empty() {
            &FaultKind::ALL
        } else {
            &rate.kinds
        };
        let kind = *kinds.get(rng.random_range(0..kinds.len()))?;
        Some(Chosen {
            kind,
            delay: rate.delay_ms.map_or(DEFAULT_STALL, Duration::from_millis),
            retry_after: 1,
        })
    }
}

pub fn provider_of(path: &str) -> &'static str {
    if path.starts_with("/_sandbox") {
        "control"
    } else if path.starts_with("/api/secure/") {
        "paymob"
    } else {
        "momo"
    }
}

const MAX_BODY: usize = 16 * 1024 * 1024;

/// Logs the request, then applies a fault if one is due.
pub async fn middleware(
    State(state): State<Arc<SandboxState>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    let provider = provider_of(&path);
    if provider == "control" {
        return next.run(req).await;
    }
    let kill = req.extensions().get::<ConnKill>().cloned();
    let method = req.method().as_str().to_owned();
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    state.log_request(LoggedRequest {
        provider,
        method: method.clone(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_owned),
        headers: masked_headers(&parts.headers),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    });
    let req = Request::from_parts(parts, Body::from(bytes));
    let latency = state.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let Some(fault) = state.faults.choose(provider, &method, &path) else {
        return next.run(req).await;
    };
    state.stats.lock().faults_injected += 1;
    match fault.kind {
        FaultKind::ResetBefore => drop_connection(kill),
        FaultKind::Status500 => error_status(provider, StatusCode::INTERNAL_SERVER_ERROR, None),
        FaultKind::Status503 => error_status(provider, StatusCode::SERVICE_UNAVAILABLE, None),
        FaultKind::Status429 => error_status(
            provider,
            StatusCode::TOO_MANY_REQUESTS,
            Some(fault.retry_after),
        ),
        // Both run to the end once received (see `server`): a client that hangs up
        // meanwhile does not stop them.
        FaultKind::Stall | FaultKind::LandLate => {
            tokio::time::sleep(fault.delay).await;
            next.run(req).await
        }
        FaultKind::ResetAfter => {
            let _processed = next.run(req).await;
            drop_connection(kill)
        }
        FaultKind::StallAfter => {
            let response = next.run(req).await;
            tokio::time::sleep(fault.delay).await;
            response
        }
        FaultKind::MalformedJson => {
            let (mut parts, _) = next.run(req).await.into_parts();
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from("{\"status\": SUCCESSFUL, <html>"))
        }
        FaultKind::TruncatedJson => {
            let (mut parts, body) = next.run(req).await.into_parts();
            let full = axum::body::to_bytes(body, MAX_BODY)
                .await
                .unwrap_or_default();
            let full = if full.is_empty() {
                Bytes::from_static(b"{\"truncated\":true}")
            } else {
                full
            };
            let half = full.slice(..full.len() / 2);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            let stream = futures::stream::iter(vec![
                Ok::<Bytes, std::io::Error>(half),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "truncated by fault injection",
                )),
            ]);
            Response::from_parts(parts, Body::from_stream(stream))
        }
        FaultKind::WrongContentType => {
            let (mut parts, body) = next.run(req).await.into_parts();
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            Response::from_parts(parts, body)
        }
    }
}

/// Tell the connection task to drop the socket (with RST). The answer returned here is
/// never sent on that connection (see `server`); the handling ends, nothing lingers.
fn drop_connection(kill: Option<ConnKill>) -> Response {
    if let Some(k) = kill {
        k.fire();
    }
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn error_status(provider: &str, status: StatusCode, retry_after: Option<u64>) -> Response {
    let body: Value = if provider == "paymob" {
        serde_json::json!({
            "disbursement_status": "failed",
            "status_code": status.as_u16().to_string(),
            "status_description": "Injected fault",
        })
    } else {
        serde_json::json!({ "code": "SERVICE_UNAVAILABLE", "message": "Injected fault" })
    };
    let mut resp = (status, axum::Json(body)).into_response();
    if provider == "paymob" && status == StatusCode::INTERNAL_SERVER_ERROR {
        // A bare 500 page, as a crashed gateway gives, so the client cannot mistake it
        // for a processed business failure.
        resp = (status, "Internal Server Error").into_response();
    }
    if let Some(s) = retry_after {
        if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    resp
}

fn masked_headers(headers: &axum::http::HeaderMap) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    for (name, value) in headers {
        let v = value.to_str().unwrap_or("<binary>");
        let shown = match name.as_str() {
            "authorization" => match v.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} [redacted]"),
                None => "[redacted]".into(),
            },
            "ocp-apim-subscription-key" => "[redacted]".into(),
            _ => v.to_owned(),
        };
        out.insert(name.as_str().to_owned(), Value::String(shown));
    }
    out
}
