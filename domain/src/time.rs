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

/// An instant as every answer writes it (SPEC §7: RFC 3339 UTC): always
/// six fractional digits, microseconds, which is what PostgreSQL keeps.
/// chrono's own form drops zeros (`09:00:00Z`) or shows nine digits when a
/// clock gives nanoseconds, so one field would change length between calls.
pub fn instant_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Serialises an instant as [`instant_text`]
/// (`#[serde(serialize_with = "domain::time::instant")]`).
pub fn instant<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&instant_text(t))
}

/// [`instant`] of an optional instant.
pub fn optional_instant<S: serde::Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&instant_text(t)),
        None => s.serialize_none(),
    }
}

/// The years a date anywhere in the product may fall in: TIN certificates
/// (the oldest dates it holds) are from the 1990s, and target years end at
/// 2100 (`campaign::MAX_TARGET_YEAR`). `0000-01-01` is a typing error, not a
/// date anyone means.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// A date as every request writes it: `YYYY-MM-DD` exactly (four-digit year,
/// no sign, two-digit month and day), a real day, in [`DATE_YEARS`].
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().filter(|d| DATE_YEARS.contains(&d.year()))
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
        let early_utc: DateTime<Utc> = "2026-12-31T19:59:59Z".parse().unwrap();
        assert_eq!(baku_date(early_utc), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    }

    #[test]
    fn a_baku_day_starts_at_20_utc_the_day_before() {
        let (start, next) = baku_day_bounds(NaiveDate::from_ymd_opt(2026, 8, 1).unwrap());
        assert_eq!(start.to_rfc3339(), "2026-07-31T20:00:00+00:00");
        assert_eq!(next.to_rfc3339(), "2026-08-01T20:00:00+00:00");
    }

    #[test]
    fn dates_are_canonical_and_within_the_years_the_product_knows() {
        assert_eq!(parse_date("2015-03-02"), NaiveDate::from_ymd_opt(2015, 3, 2));
        assert_eq!(parse_date("1900-01-01"), NaiveDate::from_ymd_opt(1900, 1, 1));
        for bad in [
            "0000-01-01",
            "1899-12-31",
            "2101-01-01",
            "+2015-03-02",
            "2015-3-2",
            "02015-03-02",
            "2015-02-30",
            " 2015-03-02",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
