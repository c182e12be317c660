//! Timestamps as Paymob prints them: `YYYY-MM-DD HH:MM:SS.ffffff`, Cairo time (UTC+2,
//! daylight saving time ignored), no offset.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const CAIRO_OFFSET: Duration = Duration::from_secs(2 * 3600);

pub fn now() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        + CAIRO_OFFSET;
    format_since_epoch(since)
}

fn format_since_epoch(since: Duration) -> String {
    let secs = since.as_secs();
    let (y, m, d) = civil_from_days(secs / 86_400);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:06}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_micros()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        assert_eq!(
            format_since_epoch(Duration::from_secs(0)),
            "1970-01-01 00:00:00.000000"
        );
        // 2024-02-29 13:05:09.5
        assert_eq!(
            format_since_epoch(Duration::from_millis(1_709_211_909_500)),
            "2024-02-29 13:05:09.500000"
        );
    }
}
