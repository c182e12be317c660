//! Callbacks: the `X-Callback-Url` host check done when a payout is
//! posted, and the one request (two when duplicates are on) sent when it becomes final.

use std::sync::Arc;

use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use url::Url;

use super::book::Callback;
use super::errors::server_error;
use super::headers::header;
use crate::momo::api::{CallbackMethod, Endpoint};
use crate::sandbox::state::SandboxState;

/// The configured method, else the endpoint's (the API table's).
fn method_for(s: &SandboxState, endpoint: &Endpoint) -> Method {
    let configured = s.options.momo.callback_method.as_deref().map(str::trim);
    if let Some(m) = configured {
        if m.eq_ignore_ascii_case("PUT") {
            return Method::PUT;
        }
        if m.eq_ignore_ascii_case("POST") {
            return Method::POST;
        }
    }
    match endpoint.callback {
        CallbackMethod::Post => Method::POST,
        CallbackMethod::Put => Method::PUT,
    }
}

/// The host part of a configured `providerCallbackHost`, which people give as a bare
/// host, `host:port`, or sometimes a whole URL.
fn configured_host(configured: &str) -> Option<String> {
    let configured = configured.trim();
    if configured.is_empty() {
        return None;
    }
    let url = if configured.contains("://") {
        Url::parse(configured)
    } else {
        Url::parse(&format!("http://{configured}"))
    };
    url.ok()?.host_str().map(str::to_ascii_lowercase)
}

/// The `X-Callback-Url` is no http(s) URL, or its host is not the API user's.
#[derive(Debug)]
pub struct HostMismatch;

impl IntoResponse for HostMismatch {
    fn into_response(self) -> Response {
        server_error("INVALID_CALLBACK_URL_HOST")
    }
}

/// Where and how to call back, from the POST's `X-Callback-Url`: `None` when absent.
pub fn target(
    s: &SandboxState,
    api_user: &str,
    headers: &HeaderMap,
    endpoint: &Endpoint,
) -> Result<Option<Callback>, HostMismatch> {
    let Some(value) = headers.get("x-callback-url") else {
        return Ok(None);
    };
    // An empty header is how some clients say "no callback".
    if value.is_empty() {
        return Ok(None);
    }
    let raw = header(headers, "x-callback-url")
        .map(str::trim)
        .ok_or(HostMismatch)?;
    let url = Url::parse(raw).map_err(|_| HostMismatch)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(HostMismatch);
    }
    let host = url
        .host_str()
        .map(str::to_ascii_lowercase)
        .ok_or(HostMismatch)?;
    let configured = s
        .momo
        .users
        .lock()
        .get(api_user)
        .and_then(|u| configured_host(&u.callback_host));
    if configured.as_deref() != Some(host.as_str()) {
        return Err(HostMismatch);
    }
    Ok(Some(Callback {
        url: raw.to_owned(),
        method: method_for(s, endpoint),
    }))
}

/// Send the final result in the background; the listener's answer is ignored.
pub fn deliver(s: Arc<SandboxState>, cb: Callback, reference_id: String, body: Value) {
    let times = if s.options.momo.duplicate_callbacks {
        2
    } else {
        1
    };
    tokio::spawn(async move {
        for _ in 0..times {
            s.stats.lock().callbacks_sent += 1;
            let _ = s
                .callback_client
                .request(cb.method.clone(), &cb.url)
                .header("X-Reference-Id", &reference_id)
                .json(&body)
                .send()
                .await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_hosts() {
        assert_eq!(
            configured_host("webhook.site").as_deref(),
            Some("webhook.site")
        );
        assert_eq!(
            configured_host("Example.com:8080").as_deref(),
            Some("example.com")
        );
        assert_eq!(configured_host("https://a.b/c").as_deref(), Some("a.b"));
        assert_eq!(configured_host("  "), None);
    }
}
