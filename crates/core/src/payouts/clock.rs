//! The engine's time. Every time the engine writes to the ledger or compares with what
//! another runner wrote (heartbeats, leases, due lookups) is on the ledger's clock: each
//! instance measures how far its own clock is from the ledger's ([`Clock::sync`]) when it
//! starts work and at every heartbeat, so clock skew between machines changes nothing
//! (guarantee 5 of docs/bulk-payouts.md).

use std::sync::atomic::{AtomicI64, Ordering};

use tokio::time::Instant;

use super::ledger::Ledger;
use crate::failure::Failure;

pub use super::wall::system_ms;

pub struct Clock {
    /// This machine's clock when the instance started, and the monotonic instant then:
    /// the local time is their sum with the time elapsed (tokio's instant, so a test's
    /// paused runtime moves it too).
    origin_ms: i64,
    origin: Instant,
    /// The ledger's clock minus this machine's, as last measured.
    offset_ms: AtomicI64,
}

impl Clock {
    /// This machine's clock, not yet synced with a ledger.
    pub fn system() -> Clock {
        Clock::starting_at(system_ms())
    }

    /// A clock that reads `origin_ms` now (a simulated machine's, possibly skewed).
    pub fn starting_at(origin_ms: i64) -> Clock {
        Clock {
            origin_ms,
            origin: Instant::now(),
            offset_ms: AtomicI64::new(0),
        }
    }

    /// This machine's own time.
    pub fn local_ms(&self) -> i64 {
        let elapsed = i64::try_from(self.origin.elapsed().as_millis()).unwrap_or(i64::MAX);
        self.origin_ms.saturating_add(elapsed)
    }

    /// The ledger's time, as this machine best knows it.
    pub fn now_ms(&self) -> i64 {
        self.local_ms()
            .saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Measures the ledger's clock against this machine's (half the round trip is
    /// assumed each way).
    pub async fn sync(&self, ledger: &dyn Ledger) -> Result<(), Failure> {
        let before = self.local_ms();
        let at = ledger.clock_ms().await?;
        let after = self.local_ms();
        let mid = before.saturating_add(after.saturating_sub(before) / 2);
        self.offset_ms
            .store(at.saturating_sub(mid), Ordering::Relaxed);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn local_time_moves_with_the_runtime() {
        let c = Clock::starting_at(1_000);
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        assert_eq!(c.local_ms(), 1_250);
        c.offset_ms.store(-50, Ordering::Relaxed);
        assert_eq!(c.now_ms(), 1_200);
    }
}
