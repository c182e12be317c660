//! A graceful stop of `run`: once asked, no item is claimed and no lookup starts, while
//! sends already under way finish and are recorded (a send dropped halfway would leave
//! its item `sending` for the next run to look up).

use std::time::Duration;

use tokio::sync::watch;

/// Shared by whoever may stop a run and the run itself; clones are the same switch.
#[derive(Clone)]
pub struct Stop {
    tx: std::sync::Arc<watch::Sender<bool>>,
}

impl Default for Stop {
    fn default() -> Self {
        Stop {
            tx: std::sync::Arc::new(watch::Sender::new(false)),
        }
    }
}

impl Stop {
    /// Asks the run to stop; later calls do nothing more.
    pub fn stop(&self) {
        self.tx.send_replace(true);
    }

    pub fn is_stopped(&self) -> bool {
        *self.tx.borrow()
    }

    /// Resolves once the stop is asked (at once if it was).
    pub async fn stopped(&self) {
        let mut rx = self.tx.subscribe();
        // The sender lives as long as `self`: the wait ends only by a stop.
        let _ = rx.wait_for(|s| *s).await;
    }

    /// Waits `wait`, or less if the stop is asked meanwhile.
    pub async fn sleep(&self, wait: Duration) {
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = self.stopped() => {}
        }
    }

    /// Runs `f` unless the stop is asked first; `None` when it was.
    pub async fn unless<F: std::future::Future>(&self, f: F) -> Option<F::Output> {
        if self.is_stopped() {
            return None;
        }
        tokio::select! {
            biased;
            () = self.stopped() => None,
            out = f => Some(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_stop_cuts_waits_short() {
        let stop = Stop::default();
        let other = stop.clone();
        let t0 = tokio::time::Instant::now();
        let (slept, ()) = tokio::join!(stop.sleep(Duration::from_secs(60)), async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            other.stop();
        });
        let () = slept;
        assert_eq!(tokio::time::Instant::now() - t0, Duration::from_secs(1));
        assert!(stop.is_stopped());
        assert_eq!(stop.unless(async { 1 }).await, None);
        assert!(Stop::default().unless(async { 1 }).await == Some(1));
    }
}
