//! Timestamps in the forms the providers print them.

use std::time::Duration;

use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// `YYYY-MM-DDTHH:MM:SS.mmm` (UTC) `after` from now, as in a live MoMo token's payload.
pub fn momo_after(after: Duration) -> String {
    let at = OffsetDateTime::now_utc() + after;
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]"
    ))
    .unwrap_or_default()
}

/// Unix milliseconds `after` from now: deadlines a state file keeps across restarts.
pub fn unix_ms_after(after: Duration) -> u64 {
    let at = OffsetDateTime::now_utc() + after;
    u64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

/// Cairo time (UTC+2; daylight saving ignored), no offset, as Paymob prints
/// `created_at`: `YYYY-MM-DD HH:MM:SS.ffffff`.
pub fn paymob_now() -> String {
    let cairo = UtcOffset::from_hms(2, 0, 0).unwrap_or(UtcOffset::UTC);
    paymob_format(OffsetDateTime::now_utc().to_offset(cairo))
}

fn paymob_format(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]"
    ))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_709_211_909_500_000_000).unwrap();
        assert_eq!(paymob_format(at), "2024-02-29 13:05:09.500000");
        assert_eq!(momo_after(Duration::ZERO).len(), 23);
    }
}
