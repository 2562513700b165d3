//! Business days in Azerbaijan: every day but Saturday, Sunday and the
//! non-working days of the holiday calendar (SPEC §14.4). The review period of
//! an HQM application is counted in them (seed 002: 20 business days, with
//! extensions for additional investigation).

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};

/// Why a count of business days could not be made (SPEC §14.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarError {
    /// The count reached a Monday–Friday of `year`, and the calendar has no
    /// list for that year: `admin` must publish it (SPEC §14.4:
    /// `PUT /api/v1/holidays/{year}`). A deadline counted without the
    /// year's holidays could fall too early, so none is guessed.
    YearMissing { year: i32 },
    /// A non-working day given for `year` falls in another year.
    DateOutsideYear { date: NaiveDate, year: i32 },
    /// The count ran past the last date the calendar can represent.
    OutOfRange,
}

impl CalendarError {
    /// The stable machine code (SPEC §7).
    pub fn code(self) -> &'static str {
        match self {
            CalendarError::YearMissing { .. } => "holiday_year_missing",
            CalendarError::DateOutsideYear { .. } => "holiday_outside_year",
            CalendarError::OutOfRange => "date_out_of_range",
        }
    }
}

/// The non-working days other than Saturday and Sunday, year by year, as
/// `admin` keeps them (SPEC §14.4: holidays with their transfers). A year is
/// either known, with its whole list (possibly empty), or unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    years: BTreeMap<i32, BTreeSet<NaiveDate>>,
}

impl HolidayCalendar {
    /// A calendar that knows no year yet: each year is published by `admin`
    /// (SPEC §14.4).
    pub fn new() -> HolidayCalendar {
        HolidayCalendar::default()
    }

    /// Sets the whole list of `year`, replacing any earlier one (SPEC §14.4:
    /// `PUT /api/v1/holidays/{year}` replaces the year). Every date must be
    /// in `year`; a Saturday or Sunday in the list changes nothing.
    pub fn set_year(&mut self, year: i32, days: impl IntoIterator<Item = NaiveDate>) -> Result<(), CalendarError> {
        let mut set = BTreeSet::new();
        for date in days {
            if date.year() != year {
                return Err(CalendarError::DateOutsideYear { date, year });
            }
            set.insert(date);
        }
        self.years.insert(year, set);
        Ok(())
    }

    /// Whether the list of `year` is known (SPEC §14.4: kept per year).
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The years whose lists are known, in order (SPEC §14.4).
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Whether `date` is in its year's list of non-working days (SPEC §14.4);
    /// an error when that year's list is unknown.
    pub fn is_holiday(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        match self.years.get(&date.year()) {
            Some(days) => Ok(days.contains(&date)),
            None => Err(CalendarError::YearMissing { year: date.year() }),
        }
    }
}

/// Saturday and Sunday are the weekly days off (SPEC §14.4).
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whether `date` is a business day: not a Saturday or Sunday, and not in the
/// calendar (SPEC §14.4). Saturdays and Sundays are answered without the
/// calendar; a Monday–Friday of a year the calendar does not know is an error
/// ([`CalendarError::YearMissing`]).
pub fn is_business_day(date: NaiveDate, calendar: &HolidayCalendar) -> Result<bool, CalendarError> {
    if is_weekend(date) {
        return Ok(false);
    }
    Ok(!calendar.is_holiday(date)?)
}

/// The `n`-th business day after `start` (SPEC §14.4: the review deadline is
/// the 20th business day after the day of submission; an extension moves it to
/// the 10th business day after the current deadline). `start` itself is never
/// counted, business day or not; `n = 0` gives `start` back. The count crosses
/// year boundaries, and fails with [`CalendarError::YearMissing`] as soon as
/// it needs a year the calendar does not know.
pub fn add_business_days(start: NaiveDate, n: u32, calendar: &HolidayCalendar) -> Result<NaiveDate, CalendarError> {
    let mut date = start;
    let mut left = n;
    while left > 0 {
        date = date.succ_opt().ok_or(CalendarError::OutOfRange)?;
        if is_business_day(date, calendar)? {
            left -= 1;
        }
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Two years with a few non-working days, enough to see them skipped.
    fn calendar() -> HolidayCalendar {
        let mut c = HolidayCalendar::new();
        c.set_year(2025, [d("2025-12-31")]).unwrap();
        c.set_year(2026, [d("2026-01-01"), d("2026-01-02"), d("2026-03-20"), d("2026-03-23")]).unwrap();
        c
    }

    #[test]
    fn weekends_and_listed_days_are_not_business_days() {
        let c = calendar();
        assert_eq!(is_business_day(d("2026-03-19"), &c), Ok(true)); // Thursday
        assert_eq!(is_business_day(d("2026-03-20"), &c), Ok(false)); // listed Friday
        assert_eq!(is_business_day(d("2026-03-21"), &c), Ok(false)); // Saturday
        assert_eq!(is_business_day(d("2026-03-22"), &c), Ok(false)); // Sunday
        assert!(is_weekend(d("2026-03-22")) && !is_weekend(d("2026-03-23")));
    }

    #[test]
    fn the_count_starts_the_day_after_and_skips_days_off() {
        let c = calendar();
        // Thursday 19 March: Fri 20 listed, weekend, Mon 23 listed → Tue 24 is the first.
        assert_eq!(add_business_days(d("2026-03-19"), 1, &c), Ok(d("2026-03-24")));
        assert_eq!(add_business_days(d("2026-03-19"), 2, &c), Ok(d("2026-03-25")));
        // Submitted on a Saturday: the Monday after is business day 1.
        assert_eq!(add_business_days(d("2026-03-07"), 1, &c), Ok(d("2026-03-09")));
        // No days: the start itself, even when it is not a business day.
        assert_eq!(add_business_days(d("2026-03-21"), 0, &c), Ok(d("2026-03-21")));
    }

    #[test]
    fn twenty_business_days_are_four_weeks_without_holidays() {
        let c = calendar();
        assert_eq!(add_business_days(d("2026-06-01"), 20, &c), Ok(d("2026-06-29")));
        // A review deadline of 29 June extended by 10 business days.
        assert_eq!(add_business_days(d("2026-06-29"), 10, &c), Ok(d("2026-07-13")));
    }

    #[test]
    fn the_count_crosses_the_year_boundary() {
        let c = calendar();
        // Tue 30 Dec 2025; 31 Dec, 1 and 2 Jan are listed, 3–4 Jan a weekend.
        assert_eq!(add_business_days(d("2025-12-30"), 1, &c), Ok(d("2026-01-05")));
        // Mon 15 Dec 2025 + 20: 16–30 Dec give 11, 5–15 Jan the other 9.
        assert_eq!(add_business_days(d("2025-12-15"), 20, &c), Ok(d("2026-01-15")));
    }

    #[test]
    fn a_missing_year_is_an_error_not_a_guess() {
        let c = calendar();
        // Wed 30 Dec 2026 + 2 needs Fri 1 Jan 2027, of a year with no list.
        assert_eq!(add_business_days(d("2026-12-30"), 1, &c), Ok(d("2026-12-31")));
        assert_eq!(add_business_days(d("2026-12-30"), 2, &c), Err(CalendarError::YearMissing { year: 2027 }));
        assert_eq!(is_business_day(d("2027-01-04"), &c), Err(CalendarError::YearMissing { year: 2027 }));
        // Weekends need no list.
        assert_eq!(is_business_day(d("2027-01-02"), &c), Ok(false));
        assert_eq!(CalendarError::YearMissing { year: 2027 }.code(), "holiday_year_missing");
    }

    #[test]
    fn a_year_holds_only_its_own_dates_and_is_replaced_whole() {
        let mut c = calendar();
        assert_eq!(
            c.set_year(2027, [d("2027-01-01"), d("2026-12-31")]),
            Err(CalendarError::DateOutsideYear { date: d("2026-12-31"), year: 2027 })
        );
        assert!(!c.has_year(2027), "a refused list leaves the year unknown");
        c.set_year(2026, []).unwrap();
        assert_eq!(is_business_day(d("2026-03-20"), &c), Ok(true));
        assert_eq!(c.years().collect::<Vec<_>>(), [2025, 2026]);
    }

    #[test]
    fn the_end_of_the_calendar_is_an_error() {
        let mut c = HolidayCalendar::new();
        c.set_year(NaiveDate::MAX.year(), []).unwrap();
        assert_eq!(add_business_days(NaiveDate::MAX, 1, &c), Err(CalendarError::OutOfRange));
    }
}
