//! Business days in Azerbaijan: every day but Saturday, Sunday and the
//! non-working days of the holiday calendar (SPEC §14.4). The review period of
//! an HQM application is counted in them (seed 002: 20 business days, with
//! extensions for additional investigation). A year whose list `admin` has
//! not published is counted provisionally, over the fixed-date holidays of
//! Labour Code Art. 105, and never refused (SPEC §16.4.4).

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};

/// Why a count of business days could not be made (SPEC §14.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarError {
    /// A non-working day given for `year` falls in another year.
    DateOutsideYear { date: NaiveDate, year: i32 },
    /// The count ran past the last date the calendar can represent.
    OutOfRange,
}

impl CalendarError {
    /// The stable machine code (SPEC §7).
    pub fn code(self) -> &'static str {
        match self {
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

    /// Whether `date` is a non-working day other than a weekend, and whether
    /// the answer is provisional (SPEC §16.4.4): a published year answers
    /// from its list; a year without one from the fixed-date holidays of
    /// Labour Code Art. 105 with their transfers
    /// ([`super::holidays::provisional`]), provisionally.
    pub fn is_holiday(&self, date: NaiveDate) -> Answer {
        match self.years.get(&date.year()) {
            Some(days) => Answer { yes: days.contains(&date), provisional: false },
            None => Answer { yes: super::holidays::provisional_days(date.year()).contains(&date), provisional: true },
        }
    }
}

/// A yes or no about a day, and whether it was given without the year's
/// published list (SPEC §16.4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub yes: bool,
    pub provisional: bool,
}

/// A day counted in business days, and whether the count went through a
/// year whose holiday list is not published, so that the day may move when
/// it is (SPEC §16.4.4: the deadline is marked `provisional`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub date: NaiveDate,
    pub provisional: bool,
}

impl Counted {
    /// A day known for certain.
    pub fn certain(date: NaiveDate) -> Counted {
        Counted { date, provisional: false }
    }
}

/// Saturday and Sunday are the weekly days off (SPEC §14.4).
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whether `date` is a business day: not a Saturday or Sunday, and not in the
/// calendar (SPEC §14.4). Saturdays and Sundays are answered without the
/// calendar, for certain; a Monday–Friday of a year without a published list
/// is answered provisionally (SPEC §16.4.4).
pub fn is_business_day(date: NaiveDate, calendar: &HolidayCalendar) -> Answer {
    if is_weekend(date) {
        return Answer { yes: false, provisional: false };
    }
    let off = calendar.is_holiday(date);
    Answer { yes: !off.yes, provisional: off.provisional }
}

/// The `n`-th business day after `start` (SPEC §14.4: the review deadline is
/// the 20th business day after the day of submission; an extension moves it to
/// the 10th business day after the current deadline). `start` itself is never
/// counted, business day or not; `n = 0` gives `start` back. The count crosses
/// year boundaries; it is provisional when any weekday it passes or ends on
/// lies in a year without a published list (SPEC §16.4.4), and is never
/// refused for one.
pub fn add_business_days(start: NaiveDate, n: u32, calendar: &HolidayCalendar) -> Result<Counted, CalendarError> {
    let mut date = start;
    let mut left = n;
    let mut provisional = false;
    while left > 0 {
        date = date.succ_opt().ok_or(CalendarError::OutOfRange)?;
        let day = is_business_day(date, calendar);
        provisional |= day.provisional;
        if day.yes {
            left -= 1;
        }
    }
    Ok(Counted { date, provisional })
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

    fn yes(date: &str, c: &HolidayCalendar) -> bool {
        let a = is_business_day(d(date), c);
        assert!(!a.provisional, "{date} is of a published year or a weekend");
        a.yes
    }

    fn day(date: &str) -> Result<Counted, CalendarError> {
        Ok(Counted::certain(d(date)))
    }

    #[test]
    fn weekends_and_listed_days_are_not_business_days() {
        let c = calendar();
        assert!(yes("2026-03-19", &c)); // Thursday
        assert!(!yes("2026-03-20", &c)); // listed Friday
        assert!(!yes("2026-03-21", &c)); // Saturday
        assert!(!yes("2026-03-22", &c)); // Sunday
        assert!(is_weekend(d("2026-03-22")) && !is_weekend(d("2026-03-23")));
    }

    #[test]
    fn the_count_starts_the_day_after_and_skips_days_off() {
        let c = calendar();
        // Thursday 19 March: Fri 20 listed, weekend, Mon 23 listed → Tue 24 is the first.
        assert_eq!(add_business_days(d("2026-03-19"), 1, &c), day("2026-03-24"));
        assert_eq!(add_business_days(d("2026-03-19"), 2, &c), day("2026-03-25"));
        // Submitted on a Saturday: the Monday after is business day 1.
        assert_eq!(add_business_days(d("2026-03-07"), 1, &c), day("2026-03-09"));
        // No days: the start itself, even when it is not a business day.
        assert_eq!(add_business_days(d("2026-03-21"), 0, &c), day("2026-03-21"));
    }

    #[test]
    fn twenty_business_days_are_four_weeks_without_holidays() {
        let c = calendar();
        assert_eq!(add_business_days(d("2026-06-01"), 20, &c), day("2026-06-29"));
        // A review deadline of 29 June extended by 10 business days.
        assert_eq!(add_business_days(d("2026-06-29"), 10, &c), day("2026-07-13"));
    }

    #[test]
    fn the_count_crosses_the_year_boundary() {
        let c = calendar();
        // Tue 30 Dec 2025; 31 Dec, 1 and 2 Jan are listed, 3–4 Jan a weekend.
        assert_eq!(add_business_days(d("2025-12-30"), 1, &c), day("2026-01-05"));
        // Mon 15 Dec 2025 + 20: 16–30 Dec give 11, 5–15 Jan the other 9.
        assert_eq!(add_business_days(d("2025-12-15"), 20, &c), day("2026-01-15"));
    }

    /// SPEC §16.4.4: a count into a year without a published list goes on
    /// over the weekends and the fixed-date holidays of Labour Code Art. 105
    /// (with the transfer of those on a weekend, Art. 105.5), and says so.
    #[test]
    fn a_count_into_an_unpublished_year_is_provisional_not_refused() {
        let c = calendar();
        // Wed 30 Dec 2026 + 1: Thu 31 Dec, of published 2026 (not listed here).
        assert_eq!(add_business_days(d("2026-12-30"), 1, &c), day("2026-12-31"));
        // + 2: Fri 1 Jan 2027 is New Year, Sat 2 Jan's day off moves to Mon 4
        // Jan (Art. 105.5), so Tue 5 Jan, provisionally.
        assert_eq!(add_business_days(d("2026-12-30"), 2, &c), Ok(Counted { date: d("2027-01-05"), provisional: true }));
        let a = is_business_day(d("2027-01-04"), &c);
        assert_eq!((a.yes, a.provisional), (false, true));
        let a = is_business_day(d("2027-03-08"), &c);
        assert_eq!((a.yes, a.provisional), (false, true), "8 March, a Monday in 2027");
        // Novruz and the feasts are not fixed by the Code: counted as working
        // days until the year is published.
        let a = is_business_day(d("2027-03-22"), &c);
        assert_eq!((a.yes, a.provisional), (true, true));
        // Weekends need no list, so a count that ends before the year's
        // first weekday is certain.
        assert_eq!(is_business_day(d("2027-01-02"), &c), Answer { yes: false, provisional: false });
        // 20 business days from Mon 7 Dec 2026 (2026 as listed above): 8–31
        // December give 18, then 1 Jan (off), 4 Jan (off in lieu of 2 Jan),
        // 5 and 6 January.
        assert_eq!(
            add_business_days(d("2026-12-07"), 20, &c),
            Ok(Counted { date: d("2027-01-06"), provisional: true })
        );
        // Once 2027 is published, the same count is certain, over its list.
        let mut published = c.clone();
        published.set_year(2027, [d("2027-01-01"), d("2027-01-04"), d("2027-01-05")]).unwrap();
        assert_eq!(add_business_days(d("2026-12-07"), 20, &published), day("2027-01-07"));
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
        assert!(yes("2026-03-20", &c));
        assert_eq!(c.years().collect::<Vec<_>>(), [2025, 2026]);
    }

    #[test]
    fn the_end_of_the_calendar_is_an_error() {
        let mut c = HolidayCalendar::new();
        c.set_year(NaiveDate::MAX.year(), []).unwrap();
        assert_eq!(add_business_days(NaiveDate::MAX, 1, &c), Err(CalendarError::OutOfRange));
    }
}
