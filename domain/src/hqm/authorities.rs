//! The scoring authorities as the Service reaches them (SPEC §16.4.2): a
//! contact address and a title in each language per authority, kept by
//! `admin`; each is told when an application enters its queue and reminded
//! 5 business days before the review deadline while any of its criteria is
//! unscored.

use super::business_days::{is_business_day, HolidayCalendar};
use crate::error::{FieldError, ValidationErrors};
use chrono::NaiveDate;

/// Longest title of an authority, per language (SPEC §16.4.2 names no limit).
pub const MAX_TITLE: usize = 300;
/// An authority is reminded this many business days before the review
/// deadline (SPEC §16.4.2).
pub const REMINDER_BUSINESS_DAYS: u32 = 5;

/// An authority's title in the four languages of the service (SPEC §15.6).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmTitles))]
pub struct Titles {
    pub az: String,
    pub en: String,
    pub ru: String,
    pub tr: String,
}

/// An authority's contact as `admin` sends it, checked (SPEC §16.4.2:
/// `{"email", "titles"}`): the address as for any contact e-mail
/// (`email_format`, `length`), and a title in each of az, en, ru and tr,
/// non-blank and at most [`MAX_TITLE`] characters. Errors name `email` and
/// `titles.<lang>`, all at once.
pub fn check_contact(email: &str, titles: &Titles) -> Result<(String, Titles), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let email = crate::contact::check_email(email)
        .map_err(|e| errs.push(FieldError { field: "email".into(), code: e.code, params: e.params }))
        .ok();
    let titles = check_titles(&mut errs, titles);
    match (email, titles) {
        (Some(email), Some(titles)) if errs.is_empty() => Ok((email, titles)),
        _ => Err(errs),
    }
}

/// A title in each of az, en, ru and tr, non-blank and at most
/// [`MAX_TITLE`] characters, tidied; errors (on `titles.<lang>`) go to `errs`.
pub fn check_titles(errs: &mut ValidationErrors, titles: &Titles) -> Option<Titles> {
    let mut title = |lang: &str, raw: &str| {
        crate::text::required(&format!("titles.{lang}"), raw, MAX_TITLE).map_err(|e| errs.push(e)).ok()
    };
    let (az, en, ru, tr) =
        (title("az", &titles.az), title("en", &titles.en), title("ru", &titles.ru), title("tr", &titles.tr));
    Some(Titles { az: az?, en: en?, ru: ru?, tr: tr? })
}

/// The `n`-th business day before `date` (the count backwards of
/// [`super::business_days::add_business_days`]); a year without a published
/// list is counted provisionally, as forwards.
pub fn business_days_before(date: NaiveDate, n: u32, calendar: &HolidayCalendar) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        match day.pred_opt() {
            Some(prev) => day = prev,
            None => return day,
        }
        if is_business_day(day, calendar).yes {
            left -= 1;
        }
    }
    day
}

/// Whether an authority with criteria still unscored is to be reminded on
/// `today` of an application due on `deadline` (SPEC §16.4.2): from the
/// 5th business day before the deadline until the deadline itself (a
/// reminder the worker could not send on its day goes on a later one; it
/// is sent once per deadline).
pub fn reminder_due(deadline: NaiveDate, today: NaiveDate, calendar: &HolidayCalendar) -> bool {
    let from = business_days_before(deadline, REMINDER_BUSINESS_DAYS, calendar);
    from <= today && today <= deadline
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_contact_has_an_address_and_four_titles() {
        let titles = Titles {
            az: " İqtisadiyyat Nazirliyi ".into(),
            en: "Ministry of Economy".into(),
            ru: "Министерство экономики".into(),
            tr: "Ekonomi Bakanlığı".into(),
        };
        let (email, t) = check_contact(" hqm@economy.gov.az ", &titles).unwrap();
        assert_eq!((email.as_str(), t.az.as_str()), ("hqm@economy.gov.az", "İqtisadiyyat Nazirliyi"));
        let errs = check_contact("not an address", &Titles { tr: " ".into(), ..titles }).unwrap_err();
        let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("email", "email_format"), ("titles.tr", "required")]);
    }

    #[test]
    fn the_reminder_is_due_from_five_business_days_before_the_deadline() {
        let mut cal = HolidayCalendar::new();
        cal.set_year(2026, [d("2026-06-15")]).unwrap();
        // Due Thursday 18 June 2026; Monday 15 June is a holiday: 17, 16, 12,
        // 11, 10 June are the five business days before.
        assert_eq!(business_days_before(d("2026-06-18"), 5, &cal), d("2026-06-10"));
        assert!(!reminder_due(d("2026-06-18"), d("2026-06-09"), &cal));
        assert!(reminder_due(d("2026-06-18"), d("2026-06-10"), &cal));
        assert!(reminder_due(d("2026-06-18"), d("2026-06-18"), &cal));
        assert!(!reminder_due(d("2026-06-18"), d("2026-06-19"), &cal), "overdue: no longer a reminder");
    }
}
