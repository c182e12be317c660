//! This machine's wall clock: a leaf the ledger and the engine's [`super::clock`] both
//! read, so that neither depends on the other for it.

/// This machine's wall clock, ms since the Unix epoch.
pub fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
