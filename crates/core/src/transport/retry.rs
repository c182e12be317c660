//! When to send a request again, and how long to wait first.
//!
//! The backoff is `backon`'s exponential builder with jitter; the transport drives the
//! loop itself because it must also honour `Retry-After` and track whether an attempt may
//! have been delivered.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use super::response::Response;
use super::sent::SendError;

/// How safe a request is to repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// A read: repeat on any transient failure.
    Read,
    /// Moves money or creates a resource, but carries a reference the provider
    /// deduplicates on (MoMo `X-Reference-Id`, Paymob `client_reference_id`).
    Deduplicated,
    /// Must not be repeated once it may have arrived (Paymob's password grant: five
    /// failures lock the account; a MoMo API key request mints a new key).
    Once,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

/// Why a retry was chosen; a `Retry-After` wait overrides the backoff.
#[derive(Debug, Clone, Copy)]
pub enum RetryHint {
    Backoff,
    After(Duration),
}

impl RetryPolicy {
    pub fn backoff(&self) -> impl Iterator<Item = Duration> {
        ExponentialBuilder::default()
            .with_min_delay(self.base_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(self.max_retries as usize)
            .build()
    }

    /// Whether to try again after this result, for a request of this safety.
    pub fn decide(
        &self,
        safety: Safety,
        expect_json: bool,
        result: &Result<Response, SendError>,
    ) -> Option<RetryHint> {
        match result {
            Ok(r) if expect_json && (200..300).contains(&r.status) && !r.is_json() => {
                (safety != Safety::Once).then_some(RetryHint::Backoff)
            }
            Err(e) if !e.maybe_delivered() => Some(RetryHint::Backoff),
            Err(_) => (safety != Safety::Once).then_some(RetryHint::Backoff),
            Ok(r) if r.status == 429 => (safety != Safety::Once).then(|| match retry_after(r) {
                Some(d) => RetryHint::After(d),
                None => RetryHint::Backoff,
            }),
            Ok(r) if is_transient_status(r) => {
                (safety != Safety::Once).then(|| match retry_after(r) {
                    Some(d) => RetryHint::After(d),
                    None => RetryHint::Backoff,
                })
            }
            Ok(_) => None,
        }
    }

    pub fn delay(&self, backoff: Option<Duration>, hint: RetryHint) -> Duration {
        match hint {
            RetryHint::After(d) => d.min(self.max_delay),
            RetryHint::Backoff => backoff.unwrap_or(self.base_delay).min(self.max_delay),
        }
    }
}

/// 502, 503 and 504 are transient; so is a 500 that names no business reason, or names
/// `SERVICE_UNAVAILABLE`. A 500 with `INVALID_CURRENCY` or `NOT_ALLOWED` is an answer.
pub fn is_transient_status(r: &Response) -> bool {
    match r.status {
        502..=504 => true,
        500 => match r
            .json()
            .as_ref()
            .and_then(|b| b.get("code"))
            .and_then(|c| c.as_str())
        {
            Some(code) => code == "SERVICE_UNAVAILABLE",
            None => !body_names_business_failure(r),
        },
        _ => false,
    }
}

/// A Paymob 500 carries `status_code`/`disbursement_status`: the server processed it.
fn body_names_business_failure(r: &Response) -> bool {
    r.json()
        .map(|b| b.get("disbursement_status").is_some() || b.get("status_code").is_some())
        .unwrap_or(false)
}

/// MoMo's API (not a gateway) saying it did not process the request.
pub fn refused_unprocessed(r: &Response) -> bool {
    matches!(r.status, 500 | 503)
        && r.json()
            .as_ref()
            .and_then(|b| b.get("code"))
            .and_then(|c| c.as_str())
            == Some("SERVICE_UNAVAILABLE")
}

/// `Retry-After` in seconds (the HTTP-date form is rare from these providers; ignored).
pub fn retry_after(r: &Response) -> Option<Duration> {
    r.headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        // Capped before converting: a huge value would overflow a Duration.
        .map(|s| Duration::from_secs_f64(s.min(86_400.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use reqwest::header::HeaderMap;

    fn resp(status: u16, body: &str) -> Result<Response, SendError> {
        Ok(Response::new(
            status,
            HeaderMap::new(),
            Bytes::from(body.to_owned()),
        ))
    }

    #[test]
    fn business_500_is_not_retried() {
        let p = RetryPolicy::default();
        let r = resp(500, r#"{"code":"INVALID_CURRENCY","message":"x"}"#);
        assert!(p.decide(Safety::Read, false, &r).is_none());
        let r = resp(500, r#"{"code":"SERVICE_UNAVAILABLE","message":"x"}"#);
        assert!(p.decide(Safety::Deduplicated, false, &r).is_some());
    }

    #[test]
    fn once_is_only_retried_when_nothing_was_delivered() {
        let p = RetryPolicy::default();
        let delivered = Err(SendError::Timeout {
            maybe_delivered: true,
        });
        let refused = Err(SendError::Network {
            maybe_delivered: false,
            detail: String::new(),
        });
        assert!(p.decide(Safety::Once, false, &delivered).is_none());
        assert!(p.decide(Safety::Once, false, &refused).is_some());
        assert!(p.decide(Safety::Deduplicated, false, &delivered).is_some());
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
        };
        assert!(p.backoff().all(|d| d <= Duration::from_millis(800)));
        let d = p.delay(None, RetryHint::After(Duration::from_secs(60)));
        assert_eq!(d, Duration::from_millis(400));
    }
}
