//! What the transport tells observers about each attempt: an `onEvent` callback or a
//! `logger` given in the options, and a line on stderr when `DEBUG` names
//! `mobilemoney-native`. Events carry no headers and no bodies, so they cannot carry a
//! credential; the provider's request id of the attempt is copied, for a support ticket.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct Event {
    pub provider: &'static str,
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
    pub elapsed_ms: f64,
    pub attempt: u32,
    pub reference_id: Option<String>,
    /// The provider's id of this attempt (an `X-Request-Id` answer header), when it sent one.
    pub request_id: Option<String>,
    pub error: Option<String>,
}

impl Event {
    pub fn to_json(&self) -> Value {
        json!({
            "provider": self.provider,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "elapsedMs": (self.elapsed_ms * 1000.0).round() / 1000.0,
            "attempt": self.attempt,
            "referenceId": self.reference_id,
            "requestId": self.request_id,
            "error": self.error,
        })
    }

    /// One line for people: `momo GET /path -> 200 12.3ms attempt=1 ref=… id=…`.
    pub fn line(&self) -> String {
        let extra = |name: &str, v: &Option<String>| {
            v.as_deref()
                .map(|v| format!(" {name}={v}"))
                .unwrap_or_default()
        };
        format!(
            "{} {} {} -> {} {:.1}ms attempt={}{}{}",
            self.provider,
            self.method,
            self.path,
            self.status
                .map_or_else(|| self.error.clone().unwrap_or_default(), |s| s.to_string()),
            self.elapsed_ms,
            self.attempt,
            extra("ref", &self.reference_id),
            extra("id", &self.request_id),
        )
    }

    /// Worth a warning rather than a debug line: no answer, or a server error.
    pub fn is_trouble(&self) -> bool {
        self.error.is_some() || self.status.is_some_and(|s| s >= 500)
    }
}

pub type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// 0: not decided by the embedder (the binding decides with the `debug` package's rules);
/// 1: off; 2: on.
static DEBUG: AtomicU8 = AtomicU8::new(0);

/// Turn the stderr lines on or off, whatever `DEBUG` says (the binding matches `DEBUG`
/// with the `debug` package itself: wildcards, `-` exclusions, lists).
pub fn set_debug(on: bool) {
    DEBUG.store(if on { 2 } else { 1 }, Ordering::Relaxed);
}

fn debug_enabled() -> bool {
    match DEBUG.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => debug_from_env(),
    }
}

/// Without an embedder's decision (Rust users): `DEBUG=mobilemoney-native`, `…:*` or `*`.
fn debug_from_env() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var("DEBUG")
            .map(|v| {
                v.split([',', ' '])
                    .any(|p| p == "*" || p == "mobilemoney-native" || p == "mobilemoney-native:*")
            })
            .unwrap_or(false)
    })
}

/// Whether anyone would see an event: building one costs a few allocations per attempt.
pub fn wanted(observer: Option<&Observer>) -> bool {
    observer.is_some() || debug_enabled()
}

pub fn publish(observer: Option<&Observer>, event: &Event) {
    if let Some(o) = observer {
        o(event);
    }
    if debug_enabled() {
        eprintln!("mobilemoney-native {}", event.line());
    }
}
