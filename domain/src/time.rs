//! Calendar time in Baku. Deadlines are "end of day, Asia/Baku" (SPEC §4.4).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// Azerbaijan has kept UTC+4 all year since it abolished daylight saving in
/// 2016, so a fixed offset is exact for every date the product handles.
pub fn baku_offset() -> FixedOffset {
    #[allow(clippy::expect_used)] // a constant well inside ±24 h
    FixedOffset::east_opt(4 * 3600).expect("UTC+4 is a valid offset")
}

/// The calendar date in Baku at instant `now`.
pub fn baku_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&baku_offset()).date_naive()
}

/// The default target year of a forecast filed at `now`: the year after the
/// one it is filed in, in Baku (SPEC §4, §13).
pub fn default_target_year(now: DateTime<Utc>) -> i32 {
    baku_date(now).year() + 1
}

/// The instants at which Baku date `d` starts and the next one starts, in
/// UTC: a filter "from `d`" is `>= start`, "until `d`" is `< next` (dates in
/// filters are inclusive whole days, SPEC §4.5).
pub fn baku_day_bounds(d: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = d.and_hms_opt(0, 0, 0).unwrap_or_default() - chrono::Duration::hours(4);
    let start = start.and_utc();
    (start, start + chrono::Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baku_is_four_hours_ahead_of_utc() {
        let late_utc: DateTime<Utc> = "2026-12-31T20:30:00Z".parse().unwrap();
        assert_eq!(baku_date(late_utc), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(default_target_year(late_utc), 2028);
        let early_utc: DateTime<Utc> = "2026-12-31T19:59:59Z".parse().unwrap();
        assert_eq!(default_target_year(early_utc), 2027);
    }

    #[test]
    fn a_baku_day_starts_at_20_utc_the_day_before() {
        let (start, next) = baku_day_bounds(NaiveDate::from_ymd_opt(2026, 8, 1).unwrap());
        assert_eq!(start.to_rfc3339(), "2026-07-31T20:00:00+00:00");
        assert_eq!(next.to_rfc3339(), "2026-08-01T20:00:00+00:00");
    }
}
