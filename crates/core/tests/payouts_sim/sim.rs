//! What every part of a schedule shares (the random generator, the true time, the
//! faults in force) and the machines that run it. Apart from `world.rs` so that the
//! ledger and provider the world holds import these without importing the world.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::Rng;
use tokio::time::Instant;

pub const EPOCH_MS: i64 = 1_800_000_000_000;

/// Fault probabilities (per request).
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    pub token: f64,
    pub throttle: f64,
    pub unreachable: f64,
    pub refuse: f64,
    pub fail: f64,
    pub lag: f64,
    pub answer_5xx: f64,
    pub land_late: f64,
    pub lose_answer: f64,
}

/// What every part of a schedule shares: the random generator, the true time, the
/// faults in force.
pub struct Sim {
    rng: Mutex<StdRng>,
    origin: Instant,
    faults: Mutex<Faults>,
    /// Until when (true ms) the token endpoint is down for everyone: an outage every
    /// waiting call shares, unlike the per-request token faults.
    pub token_outage_until: AtomicI64,
}

impl Sim {
    /// A schedule's shared state, its true time starting now and no token outage.
    pub fn new(rng: StdRng, faults: Faults) -> Sim {
        Sim {
            rng: Mutex::new(rng),
            origin: Instant::now(),
            faults: Mutex::new(faults),
            token_outage_until: AtomicI64::new(0),
        }
    }

    pub fn rand(&self, lo: u64, hi: u64) -> u64 {
        self.rng.lock().random_range(lo..=hi)
    }

    pub fn chance(&self, p: f64) -> bool {
        p > 0.0 && self.rng.lock().random_bool(p.min(1.0))
    }

    /// The true (virtual) time, ms since the epoch.
    pub fn true_ms(&self) -> i64 {
        EPOCH_MS + i64::try_from(self.origin.elapsed().as_millis()).unwrap_or(0)
    }

    pub fn faults(&self) -> Faults {
        *self.faults.lock()
    }

    /// No faults and no outage from now on: the schedule's calm end.
    pub fn calm(&self) {
        *self.faults.lock() = Faults::default();
        self.token_outage_until.store(0, Ordering::Relaxed);
    }
}

/// A machine: its clock's skew, and whether it is stalled (SIGSTOP) until some time.
pub struct Machine {
    pub sim: Arc<Sim>,
    pub skew_ms: i64,
    pub stalled_until: AtomicI64,
}

impl Machine {
    /// Waits while the machine is stalled.
    pub async fn unstalled(&self) {
        loop {
            let until = self.stalled_until.load(Ordering::Relaxed);
            let now = self.sim.true_ms();
            if now >= until {
                return;
            }
            tokio::time::sleep(Duration::from_millis(
                u64::try_from(until - now).unwrap_or(0),
            ))
            .await;
        }
    }
}
