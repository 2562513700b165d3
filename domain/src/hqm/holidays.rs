//! The built-in holiday calendar of Azerbaijan: the non-working days other
//! than Saturday and Sunday that the Labour Code (Art. 105) gives a year,
//! transfers included (SPEC §14.4). It is the list the product ships for the
//! current and next year; `admin` corrects it each year when the Cabinet
//! publishes the feast dates and any further transfers (SPEC §14.4).

use super::business_days::{is_weekend, HolidayCalendar};
use crate::error::{FieldCode, FieldError, ValidationErrors};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::BTreeMap;

/// The holidays on fixed dates that are not working days (SPEC §14.4, Labour
/// Code Art. 105): month, day, name.
pub const FIXED_NON_WORKING: [(u32, u32, &str); 10] = [
    (1, 1, "Yeni il bayramı"),
    (1, 2, "Yeni il bayramı"),
    (3, 8, "Beynəlxalq Qadınlar Günü"),
    (5, 9, "Faşizm üzərində Qələbə Günü"),
    (5, 28, "Müstəqillik Günü"),
    (6, 15, "Azərbaycan xalqının Milli Qurtuluş Günü"),
    (6, 26, "Azərbaycan Respublikasının Silahlı Qüvvələri Günü"),
    (11, 8, "Zəfər Günü"),
    (11, 9, "Azərbaycan Respublikasının Dövlət Bayrağı Günü"),
    (12, 31, "Dünya Azərbaycanlılarının Həmrəyliyi Günü"),
];

/// Holidays that are working days (SPEC §14.4): month, day, name. They are
/// never in the non-working list and never transferred.
pub const WORKING_HOLIDAYS: [(u32, u32, &str); 3] =
    [(10, 18, "Müstəqilliyin Bərpası Günü"), (11, 12, "Konstitusiya Günü"), (11, 17, "Milli Dirçəliş Günü")];

/// Novruz lasts five days (SPEC §14.4, Labour Code Art. 105).
pub const NOVRUZ_DAYS: u32 = 5;
/// Novruz starts on 20 March (month, day; SPEC §14.4 gives the length only). The Cabinet's yearly decisions have
/// kept 20–24 March whatever the hour of the equinox, so no astronomical rule
/// is applied; a year that differs is corrected by `admin`.
pub const NOVRUZ_START: (u32, u32) = (3, 20);
/// Ramazan and Qurban bayramı last two days each (SPEC §14.4).
pub const FEAST_DAYS: u32 = 2;

const NOVRUZ: &str = "Novruz bayramı";
const TRANSFERRED: &str = "köçürülmüş istirahət günü";

/// A feast of the lunar calendar, whose dates the Cabinet publishes each
/// December for the next year (SPEC §14.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feast {
    /// Ramazan bayramı (Eid al-Fitr), two days.
    Ramazan,
    /// Qurban bayramı (Eid al-Adha), two days.
    Qurban,
}

impl Feast {
    /// The holiday's name as the Labour Code gives it (Art. 105).
    pub fn name(self) -> &'static str {
        match self {
            Feast::Ramazan => "Ramazan bayramı",
            Feast::Qurban => "Qurban bayramı",
        }
    }
}

/// First days of the feasts the product ships (SPEC §14.4: the current and
/// next year's list). 2025 and 2026 are the days the Cabinet set; 2027 is the
/// astronomical expectation (9 March and 16 May) and may move by a day when
/// the Cabinet publishes it in December 2026, when `admin` corrects the list.
const FEASTS: [(Feast, i32, u32, u32); 6] = [
    (Feast::Ramazan, 2025, 3, 30),
    (Feast::Qurban, 2025, 6, 6),
    (Feast::Ramazan, 2026, 3, 20),
    (Feast::Qurban, 2026, 5, 27),
    (Feast::Ramazan, 2027, 3, 9),
    (Feast::Qurban, 2027, 5, 16),
];

/// The first days of the feasts in the built-in table (SPEC §14.4: the list
/// ships for the current and next year; see [`built_in`]).
pub fn built_in_feasts() -> Vec<(Feast, NaiveDate)> {
    FEASTS.iter().filter_map(|&(f, y, m, d)| NaiveDate::from_ymd_opt(y, m, d).map(|date| (f, date))).collect()
}

/// Why a year's list could not be generated (SPEC §14.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayError {
    /// The first day of `feast` in `year` is not known: the built-in table
    /// covers 2025–2027; later years need the Cabinet's dates.
    FeastUnknown { feast: Feast, year: i32 },
}

impl HolidayError {
    /// The stable machine code (SPEC §7).
    pub fn code(self) -> &'static str {
        match self {
            HolidayError::FeastUnknown { .. } => "holiday_feast_unknown",
        }
    }
}

/// One holiday day before transfers.
struct Day {
    date: NaiveDate,
    name: &'static str,
    feast: bool,
}

fn holiday_days(year: i32, feasts: &[(Feast, NaiveDate)]) -> Vec<Day> {
    let mut days = Vec::new();
    for &(m, d, name) in &FIXED_NON_WORKING {
        if let Some(date) = NaiveDate::from_ymd_opt(year, m, d) {
            days.push(Day { date, name, feast: false });
        }
    }
    if let Some(start) = NaiveDate::from_ymd_opt(year, NOVRUZ_START.0, NOVRUZ_START.1) {
        for i in 0..NOVRUZ_DAYS {
            days.push(Day { date: start + Duration::days(i64::from(i)), name: NOVRUZ, feast: false });
        }
    }
    for &(feast, first) in feasts.iter().filter(|(_, first)| first.year() == year) {
        for i in 0..FEAST_DAYS {
            days.push(Day { date: first + Duration::days(i64::from(i)), name: feast.name(), feast: true });
        }
    }
    days
}

/// The non-working days of `year` other than Saturday and Sunday, each with
/// its name, in date order (the body of `PUT /api/v1/holidays/{year}`,
/// SPEC §14.4), from the Labour Code's rules and the feasts' first days in
/// `feasts` (any years; those of `year` and the year before are used):
///
/// - the fixed holidays of [`FIXED_NON_WORKING`], Novruz from
///   [`NOVRUZ_START`] for [`NOVRUZ_DAYS`] days, each feast for [`FEAST_DAYS`];
/// - a holiday on a Saturday or Sunday moves the day off to the next working
///   day that is not already a day off (Art. 105.5);
/// - a day of Ramazan or Qurban that falls on another non-working holiday
///   moves likewise (Art. 105.6; the Cabinet's 2026 list moved both days of
///   Ramazan, which fell on Novruz, to 27 and 30 March).
///
/// Transfers are made in date order. A transfer from the year before (31
/// December on a weekend) lands in this year's list; one from this year into
/// the next belongs to the next year's list. Two holidays on one day are one
/// entry with both names. An error when a feast of `year` is not in `feasts`.
pub fn generate(year: i32, feasts: &[(Feast, NaiveDate)]) -> Result<Vec<(NaiveDate, String)>, HolidayError> {
    for feast in [Feast::Ramazan, Feast::Qurban] {
        if !feasts.iter().any(|&(f, first)| f == feast && first.year() == year) {
            return Err(HolidayError::FeastUnknown { feast, year });
        }
    }
    let mut days = holiday_days(year - 1, feasts);
    days.extend(holiday_days(year, feasts));
    Ok(lay_out(days, year))
}

/// The days off of `year` made of `days` (holidays of `year` and the year
/// before): each on its date unless a weekend, moved by Art. 105.5 and 105.6
/// as [`generate`] describes, in date order, the names of one day joined.
fn lay_out(mut days: Vec<Day>, year: i32) -> Vec<(NaiveDate, String)> {
    // A feast given twice (an admin's list, say) is still one holiday: only
    // one day off to move.
    days.sort_by_key(|d| (d.date, d.feast, d.name));
    days.dedup_by(|a, b| a.date == b.date && a.name == b.name);

    let mut off: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
    for d in days.iter().filter(|d| !is_weekend(d.date)) {
        let names = off.entry(d.date).or_default();
        if !names.iter().any(|n| n == d.name) {
            names.push(d.name.to_owned());
        }
    }
    for (i, d) in days.iter().enumerate() {
        let shares_day = days.iter().enumerate().any(|(j, o)| j != i && o.date == d.date && o.name != d.name);
        if !(is_weekend(d.date) || (d.feast && shares_day)) {
            continue;
        }
        let mut to = d.date;
        loop {
            to = match to.succ_opt() {
                Some(next) => next,
                None => break,
            };
            if !is_weekend(to) && !off.contains_key(&to) {
                off.insert(to, vec![format!("{} ({TRANSFERRED})", d.name)]);
                break;
            }
        }
    }
    off.into_iter().filter(|(date, _)| date.year() == year).map(|(date, names)| (date, names.join(", "))).collect()
}

/// The days off of a year whose list `admin` has not published, as a count
/// of business days assumes them until it is (SPEC §16.4.4): the fixed-date
/// non-working holidays of Labour Code Art. 105 ([`FIXED_NON_WORKING`]),
/// those on a weekend moved to the next working day (Art. 105.5), in date
/// order. Novruz and the two feasts are left out: their days are the
/// Cabinet's to set each year, and the count is marked provisional.
pub fn provisional(year: i32) -> Vec<(NaiveDate, String)> {
    let fixed = |y: i32| -> Vec<Day> {
        FIXED_NON_WORKING
            .iter()
            .filter_map(|&(m, d, name)| NaiveDate::from_ymd_opt(y, m, d).map(|date| Day { date, name, feast: false }))
            .collect()
    };
    let mut days = fixed(year - 1);
    days.extend(fixed(year));
    lay_out(days, year)
}

/// The dates of [`provisional`] (SPEC §16.4.4).
pub fn provisional_days(year: i32) -> std::collections::BTreeSet<NaiveDate> {
    provisional(year).into_iter().map(|(date, _)| date).collect()
}

/// [`generate`] with the built-in feast dates ([`built_in_feasts`]): the list
/// the product ships for 2025, 2026 and 2027 until `admin` replaces it.
pub fn built_in(year: i32) -> Result<Vec<(NaiveDate, String)>, HolidayError> {
    generate(year, &built_in_feasts())
}

/// A calendar holding the built-in lists of `years` (SPEC §14.4; see
/// [`built_in`]).
pub fn built_in_calendar(years: impl IntoIterator<Item = i32>) -> Result<HolidayCalendar, HolidayError> {
    let mut calendar = HolidayCalendar::new();
    for year in years {
        let days = built_in(year)?;
        // Every generated date is in `year`, so the calendar cannot refuse it.
        let _ = calendar.set_year(year, days.into_iter().map(|(date, _)| date));
    }
    Ok(calendar)
}

/// Earliest year an `admin` may publish a list for (SPEC §14.4).
pub const MIN_YEAR: i32 = 2000;
/// Latest year an `admin` may publish a list for (SPEC §14.4).
pub const MAX_YEAR: i32 = 2100;
/// Longest name of a non-working day (SPEC §14.4 names no limit).
pub const MAX_HOLIDAY_NAME: usize = 200;
/// Most non-working days in one year's list (SPEC §14.4 names no limit; the
/// Labour Code's holidays with their transfers come to about 20, so 100
/// leaves room for any Cabinet decision while bounding a body).
pub const MAX_DAYS: usize = 100;

/// Checks a year's list as `admin` sends it (SPEC §14.4: every non-working
/// day other than Saturday and Sunday, transfers included): the year within
/// [`MIN_YEAR`]–[`MAX_YEAR`]; each date in that year (`wrong_year`), not a
/// Saturday or Sunday (`weekend`), listed once (`duplicate_date`, with the
/// index of the `first`); each name non-blank and at most
/// [`MAX_HOLIDAY_NAME`] characters; at most [`MAX_DAYS`] days (`too_many`).
/// Errors name `year`, `days`, and `days[i].date` or `days[i].name`. Returns
/// the list tidied and in date order.
pub fn validate_year(year: i64, days: &[(NaiveDate, String)]) -> Result<Vec<(NaiveDate, String)>, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    if !(i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&year) {
        errs.push(FieldError::new("year", FieldCode::OutOfRange).with("min", MIN_YEAR).with("max", MAX_YEAR));
    }
    if days.len() > MAX_DAYS {
        errs.push(FieldError::new("days", FieldCode::TooMany).with("max", MAX_DAYS));
        return Err(errs);
    }
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(days.len());
    for (i, (date, name)) in days.iter().enumerate() {
        let field = |f: &str| format!("days[{i}].{f}");
        if i64::from(date.year()) != year {
            errs.push(FieldError::new(field("date"), FieldCode::WrongYear).with("year", year));
        } else if is_weekend(*date) {
            errs.push(FieldError::new(field("date"), FieldCode::Weekend));
        }
        if let Some(first) = seen.insert(*date, i) {
            errs.push(FieldError::new(field("date"), FieldCode::DuplicateDate).with("first", first));
        }
        match crate::text::required(&field("name"), name, MAX_HOLIDAY_NAME) {
            Ok(name) => out.push((*date, name)),
            Err(e) => errs.push(e),
        }
    }
    out.sort();
    errs.into_result(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dates(list: &[(NaiveDate, String)]) -> Vec<String> {
        list.iter().map(|(date, _)| date.format("%m-%d").to_string()).collect()
    }

    fn name_of(list: &[(NaiveDate, String)], date: &str) -> String {
        list.iter().find(|(x, _)| *x == d(date)).map(|(_, n)| n.clone()).unwrap_or_default()
    }

    #[test]
    fn the_2025_list_moves_weekend_holidays_to_the_next_working_day() {
        let list = built_in(2025).unwrap();
        assert_eq!(
            dates(&list),
            [
                "01-01", "01-02", // New Year, Wed–Thu
                "03-10", // 8 March was a Saturday
                "03-20", "03-21", "03-24", "03-25", "03-26", // Novruz 20–24, 22–23 at the weekend
                "03-31", "04-01", // Ramazan 30–31, 30 a Sunday
                "05-09", "05-28", //
                "06-06", "06-09", // Qurban 6–7, 7 a Saturday
                "06-16", // 15 June was a Sunday
                "06-26", //
                "11-10", "11-11", // 8 and 9 November at the weekend
                "12-31",
            ]
        );
        assert_eq!(name_of(&list, "2025-03-10"), "Beynəlxalq Qadınlar Günü (köçürülmüş istirahət günü)");
        assert_eq!(name_of(&list, "2025-04-01"), "Ramazan bayramı (köçürülmüş istirahət günü)");
    }

    #[test]
    fn a_feast_on_another_holiday_moves_as_the_cabinet_moved_it_in_2026() {
        let list = built_in(2026).unwrap();
        assert_eq!(
            dates(&list),
            [
                "01-01", "01-02", //
                "03-09", // 8 March was a Sunday
                // Novruz 20–24 with 21–22 moved to 25–26; Ramazan 20–21 on
                // Novruz moved to 27 and 30: 20–30 March off.
                "03-20", "03-23", "03-24", "03-25", "03-26", "03-27", "03-30", //
                "05-11", // 9 May was a Saturday
                "05-27", "05-28", "05-29", // Qurban 27–28, 28 on Independence Day
                "06-15", "06-26", //
                "11-09", "11-10", // 8 November a Sunday, moved past the Flag Day
                "12-31",
            ]
        );
        assert_eq!(name_of(&list, "2026-03-20"), "Novruz bayramı, Ramazan bayramı");
        assert_eq!(name_of(&list, "2026-05-28"), "Müstəqillik Günü, Qurban bayramı");
        assert_eq!(name_of(&list, "2026-05-29"), "Qurban bayramı (köçürülmüş istirahət günü)");
    }

    #[test]
    fn the_year_boundary_carries_new_year_transfers_into_january() {
        // 2026 ends on Thursday 31 December; 2 January 2027 is a Saturday.
        assert!(built_in(2026).unwrap().iter().any(|(x, _)| *x == d("2026-12-31")));
        let y2027 = built_in(2027).unwrap();
        assert_eq!(dates(&y2027)[..3], ["01-01", "01-04", "03-08"]);
        assert_eq!(name_of(&y2027, "2027-01-04"), "Yeni il bayramı (köçürülmüş istirahət günü)");

        // Feast dates for 2028 and 2029 are approximate, for this test only.
        let feasts = [
            (Feast::Ramazan, d("2028-02-26")),
            (Feast::Qurban, d("2028-05-05")),
            (Feast::Ramazan, d("2029-02-14")),
            (Feast::Qurban, d("2029-04-24")),
        ];
        // 1–2 January 2028 are a weekend: Monday and Tuesday are off instead.
        let y2028 = generate(2028, &feasts).unwrap();
        assert_eq!(dates(&y2028)[..2], ["01-03", "01-04"]);
        // 31 December 2028 is a Sunday: its day off is not in 2028's list but
        // in 2029's, after New Year's Monday and Tuesday.
        assert!(!y2028.iter().any(|(x, _)| x.month() == 12 && x.day() >= 29));
        let y2029 = generate(2029, &feasts).unwrap();
        assert_eq!(dates(&y2029)[..3], ["01-01", "01-02", "01-03"]);
        assert_eq!(
            name_of(&y2029, "2029-01-03"),
            "Dünya Azərbaycanlılarının Həmrəyliyi Günü (köçürülmüş istirahət günü)"
        );
    }

    #[test]
    fn working_holidays_and_weekends_are_never_listed() {
        for year in [2025, 2026, 2027] {
            let list = built_in(year).unwrap();
            for &(m, day, _) in &WORKING_HOLIDAYS {
                let date = NaiveDate::from_ymd_opt(year, m, day).unwrap();
                assert!(!list.iter().any(|(x, _)| *x == date), "{date} is a working day");
            }
            assert!(list.iter().all(|(x, _)| !is_weekend(*x) && x.year() == year), "{year}");
            assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "{year}: in order, each date once");
        }
    }

    #[test]
    fn novruz_is_five_days_from_20_march_with_its_weekend_days_moved() {
        // 2027: 20–21 March are Saturday and Sunday, so 25–26 March are off.
        let list = built_in(2027).unwrap();
        let march: Vec<String> =
            dates(&list).into_iter().filter(|m| m.starts_with("03-2") || m.starts_with("03-3")).collect();
        assert_eq!(march, ["03-22", "03-23", "03-24", "03-25", "03-26"]);
    }

    /// SPEC §16.4.4: an unpublished year is assumed to have the Code's
    /// fixed-date days off, moved off weekends, and nothing else.
    #[test]
    fn an_unpublished_year_has_the_fixed_date_holidays_with_their_transfers() {
        // 2028: 1–2 January are a weekend (off on 3–4 January); 8 March a
        // Wednesday; 9 May a Tuesday; 28 May a Sunday (off on 29 May); 15 and
        // 26 June; 8–9 November; 31 December a Sunday (its day off falls in
        // 2029, after 1–2 January).
        assert_eq!(
            dates(&provisional(2028)),
            ["01-03", "01-04", "03-08", "05-09", "05-29", "06-15", "06-26", "11-08", "11-09"]
        );
        assert_eq!(dates(&provisional(2029))[..3], ["01-01", "01-02", "01-03"]);
        assert!(!provisional_days(2028).contains(&d("2028-03-20")), "no Novruz without the Cabinet");
        // Every fixed-date day of the built-in 2027 list is in the provisional one.
        let built = built_in(2027).unwrap();
        for (date, _) in provisional(2027) {
            assert!(built.iter().any(|(x, _)| *x == date), "{date}");
        }
    }

    #[test]
    fn a_feast_given_twice_moves_its_days_once() {
        let mut feasts = built_in_feasts();
        feasts.push((Feast::Qurban, d("2025-06-06")));
        assert_eq!(generate(2025, &feasts), built_in(2025));
    }

    #[test]
    fn a_year_without_feast_dates_is_an_error() {
        assert_eq!(built_in(2028), Err(HolidayError::FeastUnknown { feast: Feast::Ramazan, year: 2028 }));
        assert_eq!(
            generate(2028, &[(Feast::Ramazan, d("2028-02-26"))]),
            Err(HolidayError::FeastUnknown { feast: Feast::Qurban, year: 2028 })
        );
        assert_eq!(built_in(2024).unwrap_err().code(), "holiday_feast_unknown");
    }

    #[test]
    fn the_built_in_calendar_counts_a_review_over_novruz() {
        let cal = built_in_calendar([2026, 2027]).unwrap();
        // Submitted Thursday 19 March 2026: 20–30 March are off, so business
        // day 1 is 31 March and day 20 is 27 April.
        let deadline = super::super::business_days::add_business_days(d("2026-03-19"), 20, &cal).unwrap();
        assert_eq!((deadline.date, deadline.provisional), (d("2026-04-27"), false));
        assert!(built_in_calendar([2030]).is_err());
    }

    #[test]
    fn an_admin_list_is_checked_date_by_date() {
        let ok =
            validate_year(2026, &[(d("2026-03-20"), " Novruz  bayramı ".into()), (d("2026-01-01"), "Yeni il".into())])
                .unwrap();
        assert_eq!(ok, [(d("2026-01-01"), "Yeni il".to_string()), (d("2026-03-20"), "Novruz bayramı".to_string())]);

        let errs = validate_year(
            2026,
            &[
                (d("2027-01-01"), "Yeni il".into()),
                (d("2026-03-21"), "Novruz".into()),
                (d("2026-03-20"), "Novruz".into()),
                (d("2026-03-20"), " ".into()),
            ],
        )
        .unwrap_err();
        let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            got,
            [
                ("days[0].date", "wrong_year"),
                ("days[1].date", "weekend"),
                ("days[3].date", "duplicate_date"),
                ("days[3].name", "required"),
            ]
        );
        assert_eq!(validate_year(1999, &[]).unwrap_err().0[0].code.as_str(), "out_of_range");
        let weekdays: Vec<(NaiveDate, String)> = (0..200)
            .filter_map(|i| d("2026-01-01").checked_add_days(chrono::Days::new(i)))
            .filter(|x| !is_weekend(*x))
            .map(|x| (x, "Bayram".to_string()))
            .collect();
        assert!(validate_year(2026, &weekdays[..MAX_DAYS]).is_ok());
        assert_eq!(validate_year(2026, &weekdays[..=MAX_DAYS]).unwrap_err().0[0].code.as_str(), "too_many");
        assert_eq!(validate_year(2031, &[]), Ok(vec![]));
    }
}
