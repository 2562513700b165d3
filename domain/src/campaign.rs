//! The yearly campaign calendar (SPEC §4.4).
//!
//! Decision No. 489 of the Cabinet of Ministers (2024) amended the 2016
//! calendar of Decision No. 124 (seed 004: forecasts by 1 May, approval three
//! months before the year): forecasts by 1 August, inputs to the Commission
//! by 15 September, approval one month before the year (SPEC §1).

use crate::error::{FieldError, ValidationErrors};
use crate::status::ForecastStatus;
use chrono::NaiveDate;

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
    /// A returned forecast after the correction deadline (SPEC §4.4).
    CorrectionDeadlinePassed { deadline: NaiveDate },
    /// The Commission proposes the plan by the proposal deadline (SPEC §5.2).
    ProposalDeadlinePassed { deadline: NaiveDate },
    /// The plan is approved by the approval deadline (SPEC §5.2).
    ApprovalDeadlinePassed { deadline: NaiveDate },
}

/// Target years the product accepts: wide enough for any real campaign,
/// narrow enough that a typo is caught.
pub const MIN_TARGET_YEAR: i32 = 2000;
pub const MAX_TARGET_YEAR: i32 = 2100;

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
                FieldError::new("target_year", "out_of_range")
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
                errs.push(FieldError::new(name, "date_order").with("after", prev_name));
            }
        }
        if self.approval_deadline >= ymd(self.target_year, 1, 1) {
            errs.push(FieldError::new("approval_deadline", "before_target_year").with("year", self.target_year));
        }
        errs.into_result(())
    }

    /// May a forecast in `from` be submitted on `today` (a Baku date)?
    /// A returned forecast may be resubmitted until the correction deadline;
    /// anything else only until the submission deadline (SPEC §4.4).
    pub fn check_submission(&self, today: NaiveDate, from: ForecastStatus) -> Result<(), CalendarRefusal> {
        if today < self.opens_on {
            return Err(CalendarRefusal::NotOpen { opens_on: self.opens_on });
        }
        if from == ForecastStatus::Returned {
            if today > self.correction_deadline {
                return Err(CalendarRefusal::CorrectionDeadlinePassed { deadline: self.correction_deadline });
            }
            return Ok(());
        }
        if today > self.submission_deadline {
            return Err(CalendarRefusal::SubmissionDeadlinePassed { deadline: self.submission_deadline });
        }
        Ok(())
    }
}

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
        assert_eq!(c.check_submission(d("2026-08-01"), ForecastStatus::Draft), Ok(()));
        assert_eq!(
            c.check_submission(d("2026-08-02"), ForecastStatus::Draft),
            Err(CalendarRefusal::SubmissionDeadlinePassed { deadline: d("2026-08-01") })
        );
        assert_eq!(c.check_submission(d("2026-08-31"), ForecastStatus::Returned), Ok(()));
        assert_eq!(
            c.check_submission(d("2026-09-01"), ForecastStatus::Returned),
            Err(CalendarRefusal::CorrectionDeadlinePassed { deadline: d("2026-08-31") })
        );
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
            c.check_submission(d("2026-02-28"), ForecastStatus::Draft),
            Err(CalendarRefusal::NotOpen { opens_on: d("2026-03-01") })
        );
    }

    #[test]
    fn dates_out_of_order_are_named() {
        let mut c = Campaign::default_for(2027);
        c.correction_deadline = d("2026-07-01");
        c.approval_deadline = d("2027-01-05");
        let errs = c.validate().unwrap_err().0;
        let fields: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(fields.contains(&("correction_deadline", "date_order")));
        assert!(fields.contains(&("approval_deadline", "before_target_year")));
    }
}
