//! What the transport tells observers about each attempt: an `onEvent` callback given in
//! the options, and a line on stderr when `DEBUG` names `mobilemoney-native`.
//! Events carry no headers and no bodies, so they cannot carry a credential.

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
            "error": self.error,
        })
    }
}

pub type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

fn debug_enabled() -> bool {
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
        eprintln!(
            "mobilemoney-native {} {} {} -> {} {:.1}ms attempt={}{}",
            event.provider,
            event.method,
            event.path,
            event.status.map_or_else(
                || event.error.clone().unwrap_or_default(),
                |s| s.to_string()
            ),
            event.elapsed_ms,
            event.attempt,
            event
                .reference_id
                .as_deref()
                .map(|r| format!(" ref={r}"))
                .unwrap_or_default()
        );
    }
}
