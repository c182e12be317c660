//! Fault injection: rules that make chosen requests fail, and a random fault rate for
//! soak runs. The middleware that applies them is in middleware.rs; this file is a leaf
//! the shared state holds.

use std::time::Duration;

use parking_lot::Mutex;
use rand::Rng;
use serde::{Deserialize, Serialize};

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
pub(super) struct Chosen {
    pub(super) kind: FaultKind,
    pub(super) delay: Duration,
    pub(super) retry_after: u64,
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

    pub(super) fn choose(&self, provider: &str, method: &str, path: &str) -> Option<Chosen> {
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
