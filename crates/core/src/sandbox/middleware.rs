//! What every request goes through before its route: logged (credentials masked), held
//! back by the sandbox's latency, and failed instead when a fault rule is due.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::conn_kill::ConnKill;
use super::faults::{provider_of, FaultKind};
use super::state::{LoggedRequest, SandboxState};

const MAX_BODY: usize = 16 * 1024 * 1024;

/// Logs the request, then applies a fault if one is due.
pub async fn apply(State(state): State<Arc<SandboxState>>, req: Request, next: Next) -> Response {
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
