//! The client-side share of Paymob's throttle: transaction inquiries, budget inquiries and
//! Aman cancels share one bucket of N requests per rolling minute per user. A call that
//! would exceed it resolves `RateLimited` at once instead of spending a request on a 429.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::failure::{Failure, FailureKind};

const WINDOW: Duration = Duration::from_secs(60);

pub(crate) struct InquiryBucket {
    limit: usize,
    sent: Mutex<VecDeque<Instant>>,
}

impl InquiryBucket {
    pub fn new(per_minute: u32) -> Self {
        InquiryBucket {
            limit: per_minute.max(1) as usize,
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// How long until the bucket has room for one more request (zero when it has now).
    pub fn wait(&self) -> Duration {
        let now = Instant::now();
        let mut sent = self.sent.lock();
        Self::room(&mut sent, now, self.limit)
    }

    /// Drops the requests older than the window; the wait for a free place.
    fn room(sent: &mut VecDeque<Instant>, now: Instant, limit: usize) -> Duration {
        while sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            sent.pop_front();
        }
        if sent.len() < limit {
            return Duration::ZERO;
        }
        sent.front()
            .map_or(WINDOW, |t| WINDOW.saturating_sub(now.duration_since(*t)))
    }

    /// Take one request from the bucket, or say how long to wait for one.
    pub fn take(&self) -> Result<(), Failure> {
        let now = Instant::now();
        let mut sent = self.sent.lock();
        let wait = Self::room(&mut sent, now, self.limit);
        if wait.is_zero() {
            sent.push_back(now);
            return Ok(());
        }
        let seconds = wait.as_secs_f64().ceil().max(1.0);
        Err(Failure::new(
            FailureKind::RateLimited,
            format!(
                "Paymob allows {} inquiries a minute (transaction inquiries, budget inquiries and Aman cancels together); try again in {seconds} seconds",
                self.limit
            ),
        )
        .retryable(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_beyond_the_limit() {
        let b = InquiryBucket::new(2);
        assert!(b.take().is_ok());
        assert_eq!(b.wait(), Duration::ZERO);
        assert!(b.take().is_ok());
        assert!(b.wait() > Duration::from_secs(59));
        let f = b.take().unwrap_err();
        assert_eq!(f.kind, FailureKind::RateLimited);
        assert!(f.retryable);
        assert!(
            f.message.contains("try again in 60 seconds"),
            "{}",
            f.message
        );
    }
}
