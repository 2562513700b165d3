//! The HQM application: its data and status machine (SPEC §14.2), the
//! decision (seed 002: 70 points or more and no objection means recognition),
//! and the review period counted in business days (seed 002; SPEC §14.4).

use super::business_days::{add_business_days, CalendarError, Counted, HolidayCalendar};
use super::criteria::{Criterion, ScoreSheet, THRESHOLD};
use crate::error::{FieldCode, FieldError, ValidationErrors};
use crate::lifecycle::{Effect, Lifecycle, Machine, Rule};
use crate::policy::Permission;
use crate::time::baku_date;
use crate::wire_codes;
use chrono::{DateTime, NaiveDate, Utc};

wire_codes! {
    /// Where an HQM application stands (SPEC §14.2).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum HqmStatus("application status") {
        Draft => "draft",
        UnderReview => "under_review",
        Recognised => "recognised",
        Refused => "refused",
        Withdrawn => "withdrawn",
    }
}

/// A status as a list's filter names it.
pub type HqmStatusText = crate::value::Shaped<crate::value::OneOf<HqmStatus>>;

impl HqmStatus {
    /// `recognised`, `refused` and `withdrawn` are final: no row of
    /// [`APPLICATIONS`] leaves them.
    pub fn is_final(self) -> bool {
        APPLICATIONS.is_final(self)
    }
}

wire_codes! {
    /// Something a caller does to an HQM application (SPEC §14.2; the history
    /// records each under this name).
    pub enum HqmAction("application action") {
        /// Replace the application's data.
        Edit => "edit",
        /// Delete the draft (SPEC §14.6: `DELETE` by the owner).
        Delete => "delete",
        UploadDocument => "upload_document",
        DeleteDocument => "delete_document",
        Submit => "submit",
        /// Score a criterion (the caller's authority must score it, see
        /// [`super::criteria::Authority::may_score`]).
        Score => "score",
        /// Raise an objection: it blocks recognition while it stands.
        Object => "object",
        /// Withdraw an objection the caller's authority raised.
        WithdrawObjection => "withdraw_objection",
        /// Extend the review, with a reason (SPEC §14.4).
        Extend => "extend",
        /// Ask the applicant for documents of named kinds, with a reason
        /// (SPEC §16.4.1).
        RequestDocuments => "request_documents",
        /// Decide: recognised or refused, by [`decide`].
        Decide => "decide",
        Withdraw => "withdraw",
    }
}

use HqmStatus as S;

const DRAFT: &[HqmStatus] = &[S::Draft];
const REVIEW: &[HqmStatus] = &[S::UnderReview];
const UPLOADS: &[HqmStatus] = &[S::Draft, S::UnderReview];

/// The application's table: SPEC §14.2, row by row, one rule per action in
/// the order of [`HqmAction::ALL`]. The applicant's actions need
/// [`Permission::FileHqmApplications`] (and ownership, from the policy), the
/// assessors' [`Permission::AssessHqmApplications`], the officer's
/// [`Permission::DecideHqmApplications`]. A decision also needs [`decide`];
/// a score also needs [`super::criteria::Authority::may_score`].
pub const APPLICATIONS: Lifecycle<HqmStatus, HqmAction> = Lifecycle {
    machine: Machine::Application,
    rules: &[
        Rule { action: HqmAction::Edit, permission: FILE, from: DRAFT, effect: Effect::Stays },
        Rule { action: HqmAction::Delete, permission: FILE, from: DRAFT, effect: Effect::Stays },
        // Under review only documents an officer asked for, until the review
        // deadline (SPEC §16.4.1; see [`super::documents::check_requested`]).
        Rule { action: HqmAction::UploadDocument, permission: FILE, from: UPLOADS, effect: Effect::Stays },
        Rule { action: HqmAction::DeleteDocument, permission: FILE, from: DRAFT, effect: Effect::Stays },
        Rule { action: HqmAction::Submit, permission: FILE, from: DRAFT, effect: Effect::Becomes(S::UnderReview) },
        Rule { action: HqmAction::Score, permission: ASSESS, from: REVIEW, effect: Effect::Stays },
        Rule { action: HqmAction::Object, permission: ASSESS, from: REVIEW, effect: Effect::Stays },
        Rule { action: HqmAction::WithdrawObjection, permission: ASSESS, from: REVIEW, effect: Effect::Stays },
        Rule { action: HqmAction::Extend, permission: DECIDE, from: REVIEW, effect: Effect::Stays },
        Rule { action: HqmAction::RequestDocuments, permission: DECIDE, from: REVIEW, effect: Effect::Stays },
        Rule { action: HqmAction::Decide, permission: DECIDE, from: REVIEW, effect: Effect::Decided },
        Rule {
            action: HqmAction::Withdraw,
            permission: FILE,
            from: &[S::Draft, S::UnderReview],
            effect: Effect::Becomes(S::Withdrawn),
        },
    ],
};

const FILE: Permission = Permission::FileHqmApplications;
const ASSESS: Permission = Permission::AssessHqmApplications;
const DECIDE: Permission = Permission::DecideHqmApplications;

wire_codes! {
    /// The outcome of a decision (seed 002; SPEC §14.2), spelt as the status
    /// it leads to.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum Outcome("decision outcome") {
        Recognised => "recognised",
        Refused => "refused",
    }
}

impl Outcome {
    /// The status the application takes with this outcome (SPEC §14.2).
    pub fn status(self) -> HqmStatus {
        match self {
            Outcome::Recognised => HqmStatus::Recognised,
            Outcome::Refused => HqmStatus::Refused,
        }
    }
}

/// Why a decision cannot be taken yet (SPEC §14.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideError {
    /// These criteria are not scored and no objection stands (SPEC §14.2:
    /// the decision waits for all six scores, unless an objection stands).
    Incomplete { missing: Vec<Criterion> },
}

impl DecideError {
    /// The stable machine code (SPEC §7).
    pub fn code(&self) -> &'static str {
        match self {
            DecideError::Incomplete { .. } => "scores_incomplete",
        }
    }
}

/// The decision on an application with `scores` and `objections_standing`
/// objections not withdrawn (seed 002; SPEC §14.2): it may be taken once all
/// six criteria are scored or as soon as any objection stands; the applicant
/// is recognised when the total reaches [`THRESHOLD`] and no objection
/// stands, and refused otherwise.
pub fn decide(scores: &ScoreSheet, objections_standing: usize) -> Result<Outcome, DecideError> {
    if objections_standing > 0 {
        return Ok(Outcome::Refused);
    }
    if !scores.is_complete() {
        return Err(DecideError::Incomplete { missing: scores.missing() });
    }
    Ok(if scores.total() >= THRESHOLD { Outcome::Recognised } else { Outcome::Refused })
}

/// The review lasts this many business days (seed 002; SPEC §14.4).
pub const REVIEW_BUSINESS_DAYS: u32 = 20;
/// Each extension adds this many business days (seed 002; SPEC §14.4).
pub const EXTENSION_BUSINESS_DAYS: u32 = 10;
/// Longest reason of an extension or an objection, in characters. SPEC §14.4
/// and §14.6 name no limit; this is the limit of a score's justification
/// (SPEC §14.3) and of a forecast's return reason.
pub const MAX_REASON: usize = 2_000;

/// The review deadline of an application submitted at `submitted_at`: the
/// 20th business day after the day of submission in Baku (SPEC §14.4). The
/// deadline is a whole day: the application is due by its end. It is
/// provisional when the count reaches a year whose holiday list is not
/// published (SPEC §16.4.4).
pub fn review_deadline(submitted_at: DateTime<Utc>, calendar: &HolidayCalendar) -> Result<Counted, CalendarError> {
    add_business_days(baku_date(submitted_at), REVIEW_BUSINESS_DAYS, calendar)
}

/// The deadline after an extension made on `today` (the Baku date): the
/// 10th business day after the later of the current deadline and today
/// (SPEC §14.4, amended by §16.4.3), so extensions stack while the review is
/// on time, and an extension of an overdue review never sets a deadline
/// that has passed already.
///
/// The new deadline is provisional when its count reaches a year without a
/// published holiday list, or when it counts from a provisional deadline
/// (SPEC §16.4.4); counted from today, an earlier provisional deadline no
/// longer matters.
pub fn extended_deadline(
    current: Counted,
    today: NaiveDate,
    calendar: &HolidayCalendar,
) -> Result<Counted, CalendarError> {
    let from_deadline = current.date >= today;
    let next = add_business_days(current.date.max(today), EXTENSION_BUSINESS_DAYS, calendar)?;
    Ok(Counted { date: next.date, provisional: next.provisional || (from_deadline && current.provisional) })
}

/// The review deadline of an application counted again from its history
/// (SPEC §16.4.4: when `admin` publishes or edits a year's list): the count
/// from the day of submission, then each extension, made at the times in
/// `extended_at`, in order, as [`extended_deadline`] counts it.
pub fn recount_deadline(
    submitted_at: DateTime<Utc>,
    extended_at: &[DateTime<Utc>],
    calendar: &HolidayCalendar,
) -> Result<Counted, CalendarError> {
    let mut deadline = review_deadline(submitted_at, calendar)?;
    for at in extended_at {
        deadline = extended_deadline(deadline, baku_date(*at), calendar)?;
    }
    Ok(deadline)
}

/// Whether an application still under review is overdue at `now`: its
/// deadline day has ended in Baku (SPEC §14.4).
pub fn is_overdue(deadline: NaiveDate, now: DateTime<Utc>) -> bool {
    baku_date(now) > deadline
}

/// Whether a decision taken at `decided_at` is late: after the end of the
/// deadline day in Baku. It is still taken, and flagged (SPEC §14.4).
pub fn is_late(deadline: NaiveDate, decided_at: DateTime<Utc>) -> bool {
    is_overdue(deadline, decided_at)
}

/// The reason of an extension (SPEC §14.4: required) or of an objection
/// (SPEC §14.6: `{"reason"}`): non-blank, at most [`MAX_REASON`] characters
/// as sent, trimmed with its line breaks kept; errors name `reason`.
pub fn check_reason(reason: &str) -> Result<String, ValidationErrors> {
    match super::text_block("reason", reason, MAX_REASON, true) {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err(ValidationErrors(vec![FieldError::new("reason", FieldCode::Required)])),
        Err(e) => Err(ValidationErrors(vec![e])),
    }
}

pub use super::applicant::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hqm::criteria::Score;
    use HqmAction as A;

    use crate::lifecycle::{one_rule_per_action, Refusal};
    use crate::role::Role;

    const APP: &[Role] = &[Role::Applicant];
    const ASSESSOR: &[Role] = &[Role::Assessor];
    const OFF: &[Role] = &[Role::Officer];

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn sure(s: &str) -> Counted {
        Counted::certain(d(s))
    }

    fn sheet(points: [i64; 6]) -> ScoreSheet {
        Criterion::ALL
            .iter()
            .zip(points)
            .map(|(c, p)| Score::new(*c, p, "Assessed on the documents").unwrap())
            .collect()
    }

    #[test]
    fn one_rule_per_action_and_names_round_trip() {
        assert!(one_rule_per_action(&APPLICATIONS));
        for &a in HqmAction::ALL {
            assert_eq!(HqmAction::parse(a.as_str()), Some(a));
        }
        for &s in HqmStatus::ALL {
            assert_eq!(HqmStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(HqmStatus::parse("submitted"), None);
    }

    #[test]
    fn every_cell_of_the_table() {
        let effect = |a: HqmAction, roles: &[Role], from: S| APPLICATIONS.check(from, a, roles).ok();
        for &s in HqmStatus::ALL {
            let draft_only = (s == S::Draft).then_some(Effect::Stays);
            for a in [A::Edit, A::Delete, A::DeleteDocument] {
                assert_eq!(effect(a, APP, s), draft_only, "{a:?} in {s:?}");
            }
            let uploads = matches!(s, S::Draft | S::UnderReview).then_some(Effect::Stays);
            assert_eq!(effect(A::UploadDocument, APP, s), uploads, "upload in {s:?}");
            let submit = (s == S::Draft).then_some(Effect::Becomes(S::UnderReview));
            assert_eq!(effect(A::Submit, APP, s), submit, "submit from {s:?}");
            let in_review = (s == S::UnderReview).then_some(Effect::Stays);
            for a in [A::Score, A::Object, A::WithdrawObjection] {
                assert_eq!(effect(a, ASSESSOR, s), in_review, "{a:?} in {s:?}");
            }
            assert_eq!(effect(A::Extend, OFF, s), in_review, "extend in {s:?}");
            assert_eq!(effect(A::RequestDocuments, OFF, s), in_review, "request documents in {s:?}");
            let decide = (s == S::UnderReview).then_some(Effect::Decided);
            assert_eq!(effect(A::Decide, OFF, s), decide, "decide in {s:?}");
            let wd = matches!(s, S::Draft | S::UnderReview).then_some(Effect::Becomes(S::Withdrawn));
            assert_eq!(effect(A::Withdraw, APP, s), wd, "withdraw from {s:?}");
        }
    }

    #[test]
    fn final_statuses_allow_nothing() {
        for s in [S::Recognised, S::Refused, S::Withdrawn] {
            assert!(s.is_final());
            assert!(APPLICATIONS.allowed(s, Role::ALL).is_empty(), "{s:?}");
        }
        assert!(!S::UnderReview.is_final());
    }

    #[test]
    fn the_wrong_role_is_forbidden_and_a_wrong_status_names_the_alternatives() {
        assert_eq!(
            APPLICATIONS.check(S::UnderReview, A::Decide, &[Role::Applicant, Role::Assessor]),
            Err(Refusal::Forbidden { needs: &[Role::Officer] })
        );
        assert_eq!(APPLICATIONS.check(S::Draft, A::Score, OFF), Err(Refusal::Forbidden { needs: &[Role::Assessor] }));
        assert_eq!(
            APPLICATIONS.check(S::UnderReview, A::Edit, APP),
            Err(Refusal::NotAllowed {
                machine: Machine::Application,
                current: "under_review",
                allowed: vec!["upload_document", "withdraw"]
            })
        );
        assert_eq!(APPLICATIONS.allowed(S::UnderReview, OFF), [A::Extend, A::RequestDocuments, A::Decide]);
    }

    #[test]
    fn seventy_points_and_no_objection_recognise() {
        assert_eq!(decide(&sheet([25, 15, 10, 10, 7, 3]), 0), Ok(Outcome::Recognised)); // exactly 70
        assert_eq!(decide(&sheet([25, 15, 10, 10, 6, 3]), 0), Ok(Outcome::Refused)); // 69
        assert_eq!(decide(&sheet([35, 20, 15, 15, 10, 5]), 1), Ok(Outcome::Refused));
        assert_eq!(Outcome::Recognised.status(), S::Recognised);
        assert_eq!(Outcome::Refused.as_str(), "refused");
    }

    #[test]
    fn a_decision_waits_for_six_scores_unless_an_objection_stands() {
        let mut partial = ScoreSheet::new();
        partial.set(Score::new(Criterion::WorkExperience, 35, "Twenty years in the field").unwrap());
        let err = decide(&partial, 0).unwrap_err();
        assert_eq!(err.code(), "scores_incomplete");
        assert_eq!(
            err,
            DecideError::Incomplete {
                missing: vec![
                    Criterion::NationalPriorities,
                    Criterion::Education,
                    Criterion::FinancialStability,
                    Criterion::LabourMarketImpact,
                    Criterion::LanguageSkills,
                ]
            }
        );
        assert_eq!(decide(&partial, 2), Ok(Outcome::Refused));
        assert_eq!(decide(&ScoreSheet::new(), 1), Ok(Outcome::Refused));
    }

    #[test]
    fn the_deadline_is_the_twentieth_business_day_after_submission_in_baku() {
        let mut cal = HolidayCalendar::new();
        cal.set_year(2026, [d("2026-06-15"), d("2026-06-26")]).unwrap();
        // Monday 1 June 2026, 23:30 in Baku is still 1 June.
        let deadline = review_deadline(at("2026-06-01T19:30:00Z"), &cal).unwrap();
        // 2–30 June has 21 weekdays; without 15 and 26 June, 19: day 20 is 1 July.
        assert_eq!(deadline, sure("2026-07-01"));
        // 00:30 in Baku on 2 June counts from 2 June.
        assert_eq!(review_deadline(at("2026-06-01T20:30:00Z"), &cal), Ok(sure("2026-07-02")));
        let today = d("2026-06-10");
        assert_eq!(extended_deadline(deadline, today, &cal), Ok(sure("2026-07-15")));
        assert_eq!(extended_deadline(sure("2026-07-15"), today, &cal), Ok(sure("2026-07-29")), "extensions stack");
        // Into 2027, whose list is not published: provisional, not refused
        // (SPEC §16.4.4). 21–31 December give 9; 1 January (New Year) and 4
        // January (in lieu of Saturday 2 January) are off; day 20 is 19 January.
        assert_eq!(
            review_deadline(at("2026-12-20T08:00:00Z"), &cal),
            Ok(Counted { date: d("2027-01-19"), provisional: true })
        );
    }

    /// SPEC §14.4 with the built-in calendar (Labour Code Art. 105): a
    /// review that runs over New Year skips 31 December, 1 January and the
    /// day off that 2 January 2027 (a Saturday) moves to Monday 4 January.
    #[test]
    fn the_deadline_crosses_new_year_and_skips_the_moved_holiday() {
        let cal = crate::hqm::holidays::built_in_calendar([2026, 2027]).unwrap();
        // Thursday 10 December 2026: 11–30 December give 14 business days,
        // 5–12 January the other 6.
        let deadline = review_deadline(at("2026-12-10T08:00:00Z"), &cal).unwrap();
        assert_eq!(deadline, sure("2027-01-12"));
        assert_eq!(extended_deadline(deadline, d("2026-12-10"), &cal), Ok(sure("2027-01-26")));
        // Without the transfer the count would end a day earlier.
        let mut unmoved = cal.clone();
        let y2027: Vec<NaiveDate> = crate::hqm::holidays::built_in(2027)
            .unwrap()
            .into_iter()
            .map(|(x, _)| x)
            .filter(|x| *x != d("2027-01-04"))
            .collect();
        unmoved.set_year(2027, y2027).unwrap();
        assert_eq!(review_deadline(at("2026-12-10T08:00:00Z"), &unmoved), Ok(sure("2027-01-11")));
    }

    /// SPEC §16.4.3: an extension of an overdue review counts from today,
    /// so the new deadline is never already past; on the deadline's own day
    /// it counts from the deadline.
    #[test]
    fn a_late_extension_counts_from_today() {
        let mut cal = HolidayCalendar::new();
        cal.set_year(2026, [d("2026-06-15"), d("2026-06-26")]).unwrap();
        // Due Wednesday 1 July, extended on Monday 20 July: ten business days
        // after the 20th is Monday 3 August (not 15 July, already past).
        assert_eq!(extended_deadline(sure("2026-07-01"), d("2026-07-20"), &cal), Ok(sure("2026-08-03")));
        assert_eq!(extended_deadline(sure("2026-07-01"), d("2026-07-01"), &cal), Ok(sure("2026-07-15")));
        // Extended on a Saturday after the deadline: from that Saturday.
        assert_eq!(extended_deadline(sure("2026-07-01"), d("2026-07-04"), &cal), Ok(sure("2026-07-17")));
        // A provisional deadline stays provisional when extended from, not
        // when the extension counts from today.
        let unsure = Counted { date: d("2026-07-01"), provisional: true };
        assert!(extended_deadline(unsure, d("2026-06-20"), &cal).unwrap().provisional);
        assert!(!extended_deadline(unsure, d("2026-07-20"), &cal).unwrap().provisional);
    }

    /// SPEC §16.4.4: a deadline counted again replays the submission and
    /// each extension, each from the later of the deadline and its day.
    #[test]
    fn a_deadline_is_recounted_from_its_history() {
        let mut cal = HolidayCalendar::new();
        cal.set_year(2026, [d("2026-06-15"), d("2026-06-26")]).unwrap();
        let submitted = at("2026-06-01T08:00:00Z");
        assert_eq!(recount_deadline(submitted, &[], &cal), Ok(sure("2026-07-01")));
        // Extended on 10 June (from 1 July) and on 20 July (late: from 20 July).
        let ext = [at("2026-06-10T08:00:00Z"), at("2026-07-20T08:00:00Z")];
        assert_eq!(recount_deadline(submitted, &ext, &cal), Ok(sure("2026-08-03")));
        // A new holiday on 2 July moves the first two counts; the late
        // extension still counts from 20 July.
        cal.set_year(2026, [d("2026-06-15"), d("2026-06-26"), d("2026-07-02")]).unwrap();
        assert_eq!(recount_deadline(submitted, &ext[..1], &cal), Ok(sure("2026-07-16")));
        assert_eq!(recount_deadline(submitted, &ext, &cal), Ok(sure("2026-08-03")));
    }

    #[test]
    fn the_deadline_day_counts_in_full_in_baku() {
        let deadline = d("2026-06-30");
        assert!(!is_overdue(deadline, at("2026-06-30T19:59:59Z")));
        assert!(is_overdue(deadline, at("2026-06-30T20:00:00Z")));
        assert!(!is_late(deadline, at("2026-06-30T12:00:00Z")));
        assert!(is_late(deadline, at("2026-07-01T06:00:00Z")));
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert_eq!(check_reason("  Diploma to be verified abroad. ").unwrap(), "Diploma to be verified abroad.");
        assert_eq!(check_reason(" ").unwrap_err().0[0].code.as_str(), "required");
        assert_eq!(check_reason(&"x".repeat(MAX_REASON + 1)).unwrap_err().0[0].code.as_str(), "length");
    }

    fn occupations() -> std::collections::HashMap<String, Vec<String>> {
        let mut m = std::collections::HashMap::new();
        m.insert(
            "2512".to_string(),
            vec!["Software developers".to_string(), "Proqram təminatı işləyiciləri".to_string()],
        );
        m
    }

    fn input() -> ApplicationInput {
        ApplicationInput {
            language: Some("en".into()),
            applicant: ApplicantInput {
                given_name: Some(" Ayşe ".into()),
                surname: Some("Yılmaz".into()),
                citizenship: Some("TR".into()),
                date_of_birth: Some(d("1985-04-02").into()),
                passport_number: Some("u 1234-5678".into()),
                email: Some("ayse@Example.COM".into()),
            },
            field: FieldInput {
                occupation_code: Some("2512".into()),
                occupation_title: Some("SOFTWARE  developers".into()),
            },
            experience_years: Some(12.into()),
            experience_summary: Some("Led the payments team.\n\nTwo patents.".into()),
            education: Some(EducationInput {
                level: Some("master".into()),
                institution: Some("METU".into()),
                study_language: Some("en".into()),
                degree: Some(" MSc  Computer Engineering ".into()),
                country: Some("TR".into()),
                accredited: Some(true),
            }),
            language_certificates: vec![CertificateInput {
                name: Some("IELTS".into()),
                level: Some("C1".into()),
                expires_on: Some(d("2027-05-01").into()),
            }]
            .into(),
        }
    }

    fn check(i: &ApplicationInput) -> Result<ApplicationData, ValidationErrors> {
        let occ = occupations();
        validate_application(i, &DataContext { today: d("2026-11-21"), occupations: &occ })
    }

    fn errors(i: &ApplicationInput) -> Vec<(String, &'static str)> {
        check(i).unwrap_err().0.into_iter().map(|e| (e.field, e.code.as_str())).collect()
    }

    #[test]
    fn a_complete_application_is_tidied_into_its_types() {
        let a = check(&input()).unwrap();
        assert_eq!(a.language, crate::lang::Lang::En);
        assert_eq!(a.applicant.given_name, "Ayşe");
        assert_eq!(a.applicant.citizenship.as_str(), "TR");
        assert_eq!(a.applicant.passport_number.as_str(), "U12345678");
        assert_eq!(a.applicant.email, "ayse@example.com");
        assert_eq!(a.field.occupation_code.as_str(), "2512");
        assert_eq!(a.field.occupation_title, "Software developers", "the classification's spelling");
        assert_eq!(a.experience_years, Some(12));
        assert_eq!(a.experience_summary.as_deref(), Some("Led the payments team.\n\nTwo patents."));
        let e = a.education.unwrap();
        assert_eq!((e.level, e.institution.as_str()), (EducationLevel::Master, "METU"));
        assert_eq!(
            (e.study_language.as_deref(), e.degree.as_deref(), e.country.as_deref(), e.accredited),
            (Some("en"), Some("MSc Computer Engineering"), Some("TR"), Some(true))
        );
        assert!(e.studied_in_a_counted_language());
        assert_eq!(a.language_certificates[0].level, CefrLevel::C1);
    }

    #[test]
    fn only_the_starred_fields_are_required() {
        let mut i = input();
        i.experience_years = None;
        i.experience_summary = Some("   ".into());
        i.education = None;
        i.language_certificates.clear();
        let a = check(&i).unwrap();
        assert_eq!((a.experience_years, a.experience_summary, a.education), (None, None, None));

        let empty = ApplicationInput::default();
        let missing: Vec<String> = errors(&empty).into_iter().filter(|e| e.1 == "required").map(|e| e.0).collect();
        assert_eq!(
            missing,
            [
                "language",
                "applicant.given_name",
                "applicant.surname",
                "applicant.citizenship",
                "applicant.date_of_birth",
                "applicant.passport_number",
                "applicant.email",
                "field.occupation_title",
                "field.occupation_code",
            ]
        );
    }

    #[test]
    fn citizenship_is_two_upper_case_letters_or_stateless_but_not_azerbaijani() {
        assert!(Citizenship::parse("stateless").is_some_and(|c| c.is_stateless()));
        assert_eq!(Citizenship::parse(" DE ").map(|c| c.as_str().to_owned()), Some("DE".into()));
        for bad in ["tr", "TUR", "T", "Stateless", "T1", "ÇA"] {
            assert_eq!(Citizenship::parse(bad), None, "{bad}");
        }
        let mut i = input();
        i.applicant.citizenship = Some("tr".into());
        assert_eq!(errors(&i), [("applicant.citizenship".into(), "citizenship_format")]);
        i.applicant.citizenship = Some("AZ".into());
        assert_eq!(errors(&i), [("applicant.citizenship".into(), "citizenship_azerbaijan")]);
        i.applicant.citizenship = Some("stateless".into());
        assert!(check(&i).is_ok());
    }

    #[test]
    fn the_applicant_is_an_adult_on_today_in_baku() {
        let born = |s: &str| {
            let mut i = input();
            i.applicant.date_of_birth = Some(d(s).into());
            check(&i).err().map(|e| e.0[0].code.as_str())
        };
        // today is 2026-11-21
        assert_eq!(born("2008-11-21"), None, "eighteen today");
        assert_eq!(born("2008-11-22"), Some("not_adult"));
        assert_eq!(born("2026-11-21"), Some("in_future"));
        assert_eq!(born("2030-01-01"), Some("in_future"));
        assert_eq!(born("1899-12-31"), Some("out_of_range"));
        // Born on 29 February: of age on 1 March of a common year.
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 17);
        assert_eq!(age_on(d("2008-02-29"), d("2026-03-01")), 18);
    }

    #[test]
    fn passport_numbers_are_letters_and_digits() {
        assert_eq!(PassportNumber::parse("c01x00t47").map(|p| p.as_str().to_owned()), Some("C01X00T47".into()));
        assert_eq!(PassportNumber::parse("75 1234567").map(|p| p.as_str().to_owned()), Some("751234567".into()));
        for bad in ["12345", "ABCDEFGH", "1234567890123", "AB/123456", "АВ1234567", ""] {
            assert_eq!(PassportNumber::parse(bad), None, "{bad}");
        }
        let mut i = input();
        i.applicant.passport_number = Some("N/A".into());
        assert_eq!(errors(&i), [("applicant.passport_number".into(), "passport_number_format")]);
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut i = input();
        i.language = Some("de".into());
        i.applicant.email = Some("not-an-address".into());
        i.field.occupation_title = Some("Bricklayers".into());
        i.experience_years = Some((61).into());
        i.experience_summary = Some("x".repeat(MAX_SUMMARY + 1).into());
        i.education = Some(EducationInput {
            level: Some("phd".into()),
            study_language: Some("EN".into()),
            country: Some("tur".into()),
            ..Default::default()
        });
        i.language_certificates =
            vec![CertificateInput { name: Some("TOEFL".into()), level: Some("b2".into()), expires_on: None }].into();
        assert_eq!(
            errors(&i),
            [
                ("language".into(), "language_unsupported"),
                ("applicant.email".into(), "email_format"),
                ("field.occupation_title".into(), "occupation_title_mismatch"),
                ("experience_years".into(), "out_of_range"),
                ("experience_summary".into(), "length"),
                ("education.level".into(), "education_level_unknown"),
                ("education.institution".into(), "required"),
                ("education.study_language".into(), "language_code_format"),
                ("education.country".into(), "country_format"),
                ("language_certificates[0].level".into(), "cefr_level_unknown"),
            ]
        );
        let mut i = input();
        i.experience_years = Some((-1).into());
        i.field.occupation_code = Some("9999".into());
        assert_eq!(
            errors(&i),
            [("field.occupation_code".into(), "occupation_unknown"), ("experience_years".into(), "out_of_range")]
        );
        i.field.occupation_code = Some("25A2".into());
        i.experience_years = Some((0).into());
        i.language_certificates = vec![CertificateInput::default(); MAX_CERTIFICATES + 1].into();
        assert_eq!(
            errors(&i),
            [("field.occupation_code".into(), "occupation_code_format"), ("language_certificates".into(), "too_many")]
        );
    }

    #[test]
    fn a_certificate_counts_for_criterion_six_when_valid_and_at_least_b2() {
        let cert = |level, expires_on| LanguageCertificate { name: "IELTS".into(), level, expires_on };
        assert!(cert(CefrLevel::B2, Some(d("2026-11-21"))).counts_on(d("2026-11-21")));
        assert!(!cert(CefrLevel::B2, Some(d("2026-11-20"))).counts_on(d("2026-11-21")));
        assert!(!cert(CefrLevel::B1, None).counts_on(d("2026-11-21")));
        assert!(cert(CefrLevel::C2, None).counts_on(d("2026-11-21")));
        for &l in CefrLevel::ALL {
            assert_eq!(CefrLevel::parse(l.as_str()), Some(l));
        }
        for &l in EducationLevel::ALL {
            assert_eq!(EducationLevel::parse(l.as_str()), Some(l));
        }
    }
}
