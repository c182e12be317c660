//! Pacing of one provider account: at most N requests a second, spaced evenly, and a
//! hold after a `429` that delays every later request of that kind.

use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

pub struct Pace {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl Pace {
    /// `per_second`: `None` for no limit (holds still apply).
    pub fn new(per_second: Option<f64>) -> Pace {
        Pace {
            interval: per_second
                .filter(|r| *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this request's turn.
    pub async fn turn(&self) {
        let at = {
            let mut next = self.next.lock();
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + self.interval.unwrap_or_default();
            at
        };
        tokio::time::sleep_until(at).await;
    }

    /// No request before `wait` has passed (a `Retry-After`).
    pub fn hold(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut next = self.next.lock();
        *next = (*next).max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_and_holds() {
        let p = Pace::new(Some(10.0));
        let t0 = Instant::now();
        for _ in 0..5 {
            p.turn().await;
        }
        assert_eq!(Instant::now() - t0, Duration::from_millis(400));
        p.hold(Duration::from_secs(2));
        p.turn().await;
        assert!(Instant::now() - t0 >= Duration::from_millis(2400));
        let free = Pace::new(None);
        let t1 = Instant::now();
        free.turn().await;
        free.turn().await;
        assert_eq!(Instant::now(), t1);
    }
}
