//! The yearly campaign calendar (SPEC §4.4).
//!
//! Decision No. 489 of the Cabinet of Ministers (2024) amended the 2016
//! calendar of Decision No. 124 (seed 004: forecasts by 1 May, approval three
//! months before the year): forecasts by 1 August, inputs to the Commission
//! by 15 September, approval one month before the year (SPEC §1).

use crate::error::{FieldCode, FieldError, ValidationErrors};
use chrono::{Datelike, Days, NaiveDate};

/// The dates of the campaign for target year `target_year`. Every date is
/// inclusive: the whole day, Asia/Baku time, still counts (SPEC §4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub target_year: i32,
    pub opens_on: NaiveDate,
    pub submission_deadline: NaiveDate,
    pub correction_deadline: NaiveDate,
    pub commission_inputs_deadline: NaiveDate,
    pub proposal_deadline: NaiveDate,
    pub approval_deadline: NaiveDate,
}

/// Why a submission is refused by the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarRefusal {
    /// Before `opens_on`: drafts may be saved, not submitted (issue on review).
    NotOpen { opens_on: NaiveDate },
    /// After the submission deadline (SPEC §4.4).
    SubmissionDeadlinePassed { deadline: NaiveDate },
    /// A returned forecast after its `correction_due` (SPEC §15.3).
    CorrectionDeadlinePassed { deadline: NaiveDate },
    /// A return on or after the Commission inputs deadline (SPEC §15.3):
    /// there would be no time left to correct.
    CommissionInputsDeadlinePassed { deadline: NaiveDate },
    /// The Commission proposes the plan by the proposal deadline (SPEC §5.2).
    ProposalDeadlinePassed { deadline: NaiveDate },
    /// The plan is approved by the approval deadline (SPEC §5.2).
    ApprovalDeadlinePassed { deadline: NaiveDate },
}

/// Target years the product accepts: wide enough for any real campaign,
/// narrow enough that a typo is caught.
pub const MIN_TARGET_YEAR: i32 = 2000;
pub const MAX_TARGET_YEAR: i32 = 2100;

/// A target year as a path names it: four digits from [`MIN_TARGET_YEAR`] to
/// [`MAX_TARGET_YEAR`]. `+2027` and `02027` would parse to 2027 as well,
/// making aliases of one resource (for caches, logs, metrics): they are no
/// year.
pub fn year_named(s: &str) -> Option<i32> {
    Some(s)
        .filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse::<i32>().ok())
        .filter(|y| (MIN_TARGET_YEAR..=MAX_TARGET_YEAR).contains(y))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with fixed month/day pairs that exist in every year.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl Campaign {
    /// The defaults of the amended calendar for target year `y` (SPEC §4.4):
    /// opens 1 January of Y−1, submission 1 August, corrections 31 August,
    /// Commission inputs 15 September, proposal 15 October (the Labour
    /// Ministry's summary date; the amended rules name none), Cabinet
    /// approval 1 December (one month before Y).
    pub fn default_for(y: i32) -> Campaign {
        let p = y - 1;
        Campaign {
            target_year: y,
            opens_on: ymd(p, 1, 1),
            submission_deadline: ymd(p, 8, 1),
            correction_deadline: ymd(p, 8, 31),
            commission_inputs_deadline: ymd(p, 9, 15),
            proposal_deadline: ymd(p, 10, 15),
            approval_deadline: ymd(p, 12, 1),
        }
    }

    /// The dates must follow each other: opening ≤ submission ≤ correction ≤
    /// Commission inputs ≤ proposal ≤ approval, and approval before the
    /// target year starts (SPEC §1: approved before the year starts).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        if !(MIN_TARGET_YEAR..=MAX_TARGET_YEAR).contains(&self.target_year) {
            errs.push(
                FieldError::new("target_year", FieldCode::OutOfRange)
                    .with("min", MIN_TARGET_YEAR)
                    .with("max", MAX_TARGET_YEAR),
            );
        }
        let seq = [
            ("opens_on", self.opens_on),
            ("submission_deadline", self.submission_deadline),
            ("correction_deadline", self.correction_deadline),
            ("commission_inputs_deadline", self.commission_inputs_deadline),
            ("proposal_deadline", self.proposal_deadline),
            ("approval_deadline", self.approval_deadline),
        ];
        for w in seq.windows(2) {
            let ((prev_name, prev), (name, date)) = (w[0], w[1]);
            if date < prev {
                errs.push(FieldError::new(name, FieldCode::DateOrder).with("after", prev_name));
            }
        }
        if self.approval_deadline >= ymd(self.target_year, 1, 1) {
            errs.push(FieldError::new("approval_deadline", FieldCode::BeforeTargetYear).with("year", self.target_year));
        }
        errs.into_result(())
    }

    /// May a forecast be submitted on `today` (a Baku date)? Not before the
    /// campaign opens (SPEC §15.1). A returned forecast, which carries its
    /// `correction_due`, until that day (SPEC §15.3); any other until the
    /// submission deadline (SPEC §4.4).
    pub fn check_submission(&self, today: NaiveDate, correction_due: Option<NaiveDate>) -> Result<(), CalendarRefusal> {
        if today < self.opens_on {
            return Err(CalendarRefusal::NotOpen { opens_on: self.opens_on });
        }
        if let Some(due) = correction_due {
            if today > due {
                return Err(CalendarRefusal::CorrectionDeadlinePassed { deadline: due });
            }
            return Ok(());
        }
        if today > self.submission_deadline {
            return Err(CalendarRefusal::SubmissionDeadlinePassed { deadline: self.submission_deadline });
        }
        Ok(())
    }

    /// The day until which a forecast returned on `returned_on` (a Baku date)
    /// may be corrected and resubmitted (SPEC §15.3): the later of the
    /// correction deadline and [`CORRECTION_DAYS`] after the return, but
    /// never after the Commission inputs deadline. A return on or after that
    /// deadline is refused: the Commission has been given the figures.
    pub fn correction_due(&self, returned_on: NaiveDate) -> Result<NaiveDate, CalendarRefusal> {
        self.check_before_commission_inputs(returned_on)?;
        let inputs = self.commission_inputs_deadline;
        let ten_days = returned_on.checked_add_days(Days::new(CORRECTION_DAYS)).unwrap_or(NaiveDate::MAX);
        Ok(self.correction_deadline.max(ten_days).min(inputs))
    }
}

impl Campaign {
    /// May an officer change on `today` (a Baku date) what the Commission
    /// receives: return a forecast (SPEC §15.3) or reopen an accepted one
    /// (SPEC §16.3.2: "until the Commission inputs deadline")? Only before
    /// that deadline's day: from it on the Commission has the figures, and a
    /// forecast reopened on it could not be returned any more. A rejection
    /// is not asked here: it is allowed at any time (SPEC §16.3.1).
    pub fn check_before_commission_inputs(&self, today: NaiveDate) -> Result<(), CalendarRefusal> {
        let inputs = self.commission_inputs_deadline;
        if today >= inputs {
            return Err(CalendarRefusal::CommissionInputsDeadlinePassed { deadline: inputs });
        }
        Ok(())
    }
}

/// Days an employer has at least after a return, within the Commission
/// inputs deadline (SPEC §15.3).
pub const CORRECTION_DAYS: u64 = 10;

impl Campaign {
    /// The plan moves draft → proposed by the proposal deadline and
    /// proposed → approved by the approval deadline (SPEC §5.2); `approve`
    /// says which step is asked on `today` (a Baku date).
    pub fn check_plan_step(&self, today: NaiveDate, approve: bool) -> Result<(), CalendarRefusal> {
        if approve {
            if today > self.approval_deadline {
                return Err(CalendarRefusal::ApprovalDeadlinePassed { deadline: self.approval_deadline });
            }
        } else if today > self.proposal_deadline {
            return Err(CalendarRefusal::ProposalDeadlinePassed { deadline: self.proposal_deadline });
        }
        Ok(())
    }
}

/// The campaign of target year `year`: the one `admin` set, when `stored`
/// holds it, else the defaults of the amended calendar (SPEC §4.4).
pub fn campaign_of(year: i32, stored: &[Campaign]) -> Campaign {
    stored.iter().find(|c| c.target_year == year).cloned().unwrap_or_else(|| Campaign::default_for(year))
}

impl Campaign {
    /// Whether a new forecast may be for this campaign's year on `today` (a
    /// Baku date): a year after the current one whose submission deadline has
    /// not passed (SPEC §15.1). It may be filed before the campaign opens, as
    /// a draft; it is submitted from `opens_on` on.
    pub fn takes_new_forecasts(&self, today: NaiveDate) -> bool {
        self.target_year > today.year() && today <= self.submission_deadline
    }

    /// The last day a new forecast for this year may be filed and submitted
    /// as seen on `today`, if it still may be: what an employer whose
    /// forecast was rejected is told (SPEC §16.3.1: "may file anew while
    /// the campaign allows").
    pub fn new_forecasts_until(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.takes_new_forecasts(today).then_some(self.submission_deadline)
    }
}

/// The earliest year a forecast filed on `today` may be for (SPEC §15.1):
/// a forecast started on 31 December is for the year whose campaign opens
/// the next morning, not for one already closed. `stored` holds the
/// campaigns `admin` set; other years have the default dates. `None` only
/// when no year up to [`MAX_TARGET_YEAR`] takes forecasts.
pub fn earliest_target_year(today: NaiveDate, stored: &[Campaign]) -> Option<i32> {
    (today.year() + 1..=MAX_TARGET_YEAR).find(|&y| campaign_of(y, stored).takes_new_forecasts(today))
}

/// The target year of a new forecast, or of a draft whose year is changed
/// (SPEC §15.1, §13): the one given if its campaign takes forecasts on
/// `today`, else 422 naming the earliest that does; omitted, the earliest.
pub fn check_target_year(given: Option<i64>, today: NaiveDate, stored: &[Campaign]) -> Result<i32, ValidationErrors> {
    let earliest = earliest_target_year(today, stored);
    let refuse = |code: FieldCode| {
        let e = FieldError::new("target_year", code);
        let e = match earliest {
            Some(y) => e.with("year", y),
            None => e,
        };
        ValidationErrors(vec![e])
    };
    match given {
        None => earliest.ok_or_else(|| refuse(FieldCode::TargetYearUnavailable)),
        Some(y) if !(i64::from(MIN_TARGET_YEAR)..=i64::from(MAX_TARGET_YEAR)).contains(&y) => {
            Err(ValidationErrors(vec![FieldError::new("target_year", FieldCode::OutOfRange)
                .with("min", MIN_TARGET_YEAR)
                .with("max", MAX_TARGET_YEAR)]))
        }
        Some(y) => {
            let y = i32::try_from(y).unwrap_or(MIN_TARGET_YEAR);
            if campaign_of(y, stored).takes_new_forecasts(today) {
                Ok(y)
            } else {
                Err(refuse(FieldCode::TargetYearUnavailable))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn defaults_follow_the_amended_calendar() {
        let c = Campaign::default_for(2027);
        assert_eq!(c.opens_on, d("2026-01-01"));
        assert_eq!(c.submission_deadline, d("2026-08-01"));
        assert_eq!(c.correction_deadline, d("2026-08-31"));
        assert_eq!(c.commission_inputs_deadline, d("2026-09-15"));
        assert_eq!(c.proposal_deadline, d("2026-10-15"));
        assert_eq!(c.approval_deadline, d("2026-12-01"));
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn the_last_day_counts_and_the_next_does_not() {
        let c = Campaign::default_for(2027);
        assert_eq!(c.check_submission(d("2026-08-01"), None), Ok(()));
        assert_eq!(
            c.check_submission(d("2026-08-02"), None),
            Err(CalendarRefusal::SubmissionDeadlinePassed { deadline: d("2026-08-01") })
        );
        let due = Some(d("2026-09-10"));
        assert_eq!(c.check_submission(d("2026-09-10"), due), Ok(()), "a returned forecast until its due day");
        assert_eq!(
            c.check_submission(d("2026-09-11"), due),
            Err(CalendarRefusal::CorrectionDeadlinePassed { deadline: d("2026-09-10") })
        );
    }

    #[test]
    fn a_return_leaves_ten_days_or_the_correction_deadline_within_the_inputs_deadline() {
        let c = Campaign::default_for(2027);
        // Early in the campaign: the correction deadline is later.
        assert_eq!(c.correction_due(d("2026-05-20")), Ok(d("2026-08-31")));
        assert_eq!(c.correction_due(d("2026-08-21")), Ok(d("2026-08-31")));
        // Late returns still leave ten days…
        assert_eq!(c.correction_due(d("2026-08-22")), Ok(d("2026-09-01")));
        assert_eq!(c.correction_due(d("2026-09-02")), Ok(d("2026-09-12")));
        // …but never beyond the Commission inputs deadline.
        assert_eq!(c.correction_due(d("2026-09-10")), Ok(d("2026-09-15")));
        assert_eq!(c.correction_due(d("2026-09-14")), Ok(d("2026-09-15")));
        for on_or_after in ["2026-09-15", "2026-09-16", "2026-12-31"] {
            assert_eq!(
                c.correction_due(d(on_or_after)),
                Err(CalendarRefusal::CommissionInputsDeadlinePassed { deadline: d("2026-09-15") }),
                "{on_or_after}"
            );
        }
    }

    #[test]
    fn a_year_is_filed_anew_until_its_submission_deadline() {
        let c = Campaign::default_for(2027);
        assert_eq!(c.new_forecasts_until(d("2026-05-15")), Some(d("2026-08-01")));
        assert_eq!(c.new_forecasts_until(d("2026-08-01")), Some(d("2026-08-01")));
        assert_eq!(c.new_forecasts_until(d("2026-08-02")), None);
        assert_eq!(c.new_forecasts_until(d("2027-01-01")), None, "the year itself has begun");
    }

    #[test]
    fn a_reopening_is_refused_from_the_inputs_deadline_on_like_a_return() {
        let c = Campaign::default_for(2027);
        assert_eq!(c.check_before_commission_inputs(d("2026-09-14")), Ok(()));
        for on_or_after in ["2026-09-15", "2026-09-16", "2027-03-01"] {
            let refusal = Err(CalendarRefusal::CommissionInputsDeadlinePassed { deadline: d("2026-09-15") });
            assert_eq!(c.check_before_commission_inputs(d(on_or_after)), refusal, "{on_or_after}");
            assert_eq!(c.correction_due(d(on_or_after)).map(drop), refusal, "a return on {on_or_after}");
        }
    }

    #[test]
    fn the_plan_is_proposed_and_approved_by_their_deadlines() {
        let c = Campaign::default_for(2027);
        assert_eq!(c.check_plan_step(d("2026-10-15"), false), Ok(()));
        assert_eq!(
            c.check_plan_step(d("2026-10-16"), false),
            Err(CalendarRefusal::ProposalDeadlinePassed { deadline: d("2026-10-15") })
        );
        assert_eq!(c.check_plan_step(d("2026-12-01"), true), Ok(()));
        assert_eq!(
            c.check_plan_step(d("2026-12-02"), true),
            Err(CalendarRefusal::ApprovalDeadlinePassed { deadline: d("2026-12-01") })
        );
    }

    #[test]
    fn nothing_is_submitted_before_opening() {
        let mut c = Campaign::default_for(2027);
        c.opens_on = d("2026-03-01");
        assert_eq!(
            c.check_submission(d("2026-02-28"), None),
            Err(CalendarRefusal::NotOpen { opens_on: d("2026-03-01") })
        );
    }

    #[test]
    fn dates_out_of_order_are_named() {
        let mut c = Campaign::default_for(2027);
        c.correction_deadline = d("2026-07-01");
        c.approval_deadline = d("2027-01-05");
        let errs = c.validate().unwrap_err().0;
        let fields: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert!(fields.contains(&("correction_deadline", "date_order")));
        assert!(fields.contains(&("approval_deadline", "before_target_year")));
    }

    fn codes(r: Result<i32, ValidationErrors>) -> Vec<(String, &'static str, Option<String>)> {
        r.unwrap_err().0.into_iter().map(|e| (e.field, e.code.as_str(), e.params.get("year").cloned())).collect()
    }

    #[test]
    fn the_target_year_is_any_later_year_whose_submission_is_open() {
        let may = d("2026-05-15");
        assert_eq!(check_target_year(None, may, &[]), Ok(2027));
        assert_eq!(check_target_year(Some(2027), may, &[]), Ok(2027));
        assert_eq!(check_target_year(Some(2028), may, &[]), Ok(2028), "a draft may wait for its campaign");
        assert_eq!(
            codes(check_target_year(Some(2026), may, &[])),
            vec![("target_year".into(), "target_year_unavailable", Some("2027".into()))]
        );
        assert_eq!(codes(check_target_year(Some(1999), may, &[]))[0].1, "out_of_range");
        assert_eq!(codes(check_target_year(Some(i64::MAX), may, &[]))[0].1, "out_of_range");
    }

    #[test]
    fn after_the_submission_deadline_the_next_campaign_is_the_default() {
        assert_eq!(check_target_year(None, d("2026-08-01"), &[]), Ok(2027), "the deadline's own day counts");
        assert_eq!(check_target_year(None, d("2026-08-02"), &[]), Ok(2028));
        assert_eq!(codes(check_target_year(Some(2027), d("2026-08-02"), &[]))[0].1, "target_year_unavailable");
    }

    #[test]
    fn on_31_december_the_default_is_the_campaign_that_opens_next_morning() {
        let eve = d("2026-12-31");
        assert_eq!(check_target_year(None, eve, &[]), Ok(2028));
        assert_eq!(Campaign::default_for(2028).opens_on, d("2027-01-01"));
        assert_eq!(check_target_year(None, d("2027-01-01"), &[]), Ok(2028));
    }

    #[test]
    fn the_calendar_admin_set_decides_not_the_calendar_year() {
        // Admin keeps the 2027 campaign open until 20 December 2026.
        let mut late = Campaign::default_for(2027);
        late.submission_deadline = d("2026-12-20");
        late.correction_deadline = d("2026-12-21");
        late.commission_inputs_deadline = d("2026-12-22");
        late.proposal_deadline = d("2026-12-23");
        late.approval_deadline = d("2026-12-24");
        let stored = [late];
        assert_eq!(check_target_year(None, d("2026-09-01"), &stored), Ok(2027));
        assert_eq!(check_target_year(None, d("2026-12-21"), &stored), Ok(2028));
        assert_eq!(campaign_of(2027, &stored).submission_deadline, d("2026-12-20"));
        assert_eq!(campaign_of(2029, &stored), Campaign::default_for(2029));
    }
}
