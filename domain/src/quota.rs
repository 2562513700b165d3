//! The yearly quota: the plan's status machine, its entries, and the rule
//! that enforces it when work permits are issued (SPEC §5.2–§5.3).

use crate::campaign::{CalendarRefusal, Campaign};
use crate::error::{FieldCode, FieldError, ValidationErrors};
use crate::lifecycle::{Effect, Lifecycle, Machine, Rule};
use crate::policy::Permission;
use crate::wire_codes;
use chrono::NaiveDate;

wire_codes! {
    /// Where a quota plan stands (SPEC §5.2): `draft` (the Commission edits
    /// the proposed numbers), `proposed` (admin sets the approved numbers),
    /// `approved` (read-only, and enforced).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum PlanStatus("quota plan status") {
        Draft => "draft",
        Proposed => "proposed",
        Approved => "approved",
    }
}

wire_codes! {
    /// Something done to a quota plan.
    pub enum PlanAction("quota plan action") {
        /// `commission` changes the proposed numbers of a draft.
        EditProposed => "edit_proposed",
        /// `commission` proposes the draft.
        Propose => "propose",
        /// `admin` sets the approved numbers of a proposed plan.
        EditApproved => "edit_approved",
        /// `admin` approves the proposed plan for the Cabinet.
        Approve => "approve",
        /// `admin` sends a proposed plan back to the Commission with a
        /// reason (SPEC §16.1.3).
        Return => "return",
        /// `commission` takes its own proposal back before the approval
        /// (SPEC §16.1.3).
        WithdrawProposal => "withdraw_proposal",
        /// `admin` amends the approved quota by Cabinet order (SPEC §16.1.4).
        Amend => "amend",
    }
}

/// The quota plan's table (SPEC §5.2, §16.1): draft → proposed → approved,
/// a proposal back to draft by admin's return or the Commission's
/// withdrawal, amendments of the approved quota; the Commission's steps
/// under [`Permission::ProposeQuota`], admin's under
/// [`Permission::ApproveQuota`]; one rule per action in the order of
/// [`PlanAction::ALL`].
pub const PLANS: Lifecycle<PlanStatus, PlanAction> = Lifecycle {
    machine: Machine::Plan,
    rules: &[
        Rule {
            action: PlanAction::EditProposed,
            permission: Permission::ProposeQuota,
            from: &[PlanStatus::Draft],
            effect: Effect::Stays,
        },
        Rule {
            action: PlanAction::Propose,
            permission: Permission::ProposeQuota,
            from: &[PlanStatus::Draft],
            effect: Effect::Becomes(PlanStatus::Proposed),
        },
        Rule {
            action: PlanAction::EditApproved,
            permission: Permission::ApproveQuota,
            from: &[PlanStatus::Proposed],
            effect: Effect::Stays,
        },
        Rule {
            action: PlanAction::Approve,
            permission: Permission::ApproveQuota,
            from: &[PlanStatus::Proposed],
            effect: Effect::Becomes(PlanStatus::Approved),
        },
        Rule {
            action: PlanAction::Return,
            permission: Permission::ApproveQuota,
            from: &[PlanStatus::Proposed],
            effect: Effect::Becomes(PlanStatus::Draft),
        },
        Rule {
            action: PlanAction::WithdrawProposal,
            permission: Permission::ProposeQuota,
            from: &[PlanStatus::Proposed],
            effect: Effect::Becomes(PlanStatus::Draft),
        },
        Rule {
            action: PlanAction::Amend,
            permission: Permission::ApproveQuota,
            from: &[PlanStatus::Approved],
            effect: Effect::Stays,
        },
    ],
};

/// Longest number of a Cabinet order as written on it.
pub const MAX_ORDER_NUMBER: u64 = 100;

/// Longest reason for returning or withdrawing a proposal.
pub const MAX_PLAN_REASON: u64 = 2_000;

/// A Cabinet order: the act that approves or amends the quota (SPEC §16.1.1,
/// §16.1.4; seed 004 ¶91: "Cabinet order of 7 February 2019").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CabinetOrder {
    pub number: String,
    pub date: NaiveDate,
}

/// The last day a step of the plan of `year` may be taken: 31 December of
/// the target year (SPEC §16.1.1: the approval deadline is the plan's
/// target, not a wall).
pub fn last_plan_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// Whether proposing (`approve` false) or approving on `today` (a Baku
/// date) is late: after the campaign's proposal or approval deadline. Both
/// stay possible until [`last_plan_day`] (SPEC §16.1.1); after it, the year
/// is over and the step is refused, naming that day.
pub fn plan_step_is_late(campaign: &Campaign, today: NaiveDate, approve: bool) -> Result<bool, CalendarRefusal> {
    let last = last_plan_day(campaign.target_year);
    match (today > last, approve) {
        (true, true) => Err(CalendarRefusal::ApprovalDeadlinePassed { deadline: last }),
        (true, false) => Err(CalendarRefusal::ProposalDeadlinePassed { deadline: last }),
        (false, true) => Ok(today > campaign.approval_deadline),
        (false, false) => Ok(today > campaign.proposal_deadline),
    }
}

/// The Cabinet order sent with an approval or an amendment: both fields or
/// neither, unless `required` (a late approval, every amendment: SPEC
/// §16.1.1, §16.1.4), when each missing one is named; the date not after
/// `today` (a Baku date); the number a text of at most [`MAX_ORDER_NUMBER`].
pub fn check_order(
    number: Option<&str>,
    date: Option<NaiveDate>,
    required: bool,
    today: NaiveDate,
) -> Result<Option<CabinetOrder>, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let number = number.map(crate::text::tidy).filter(|n| !n.is_empty());
    if (required || date.is_some()) && number.is_none() {
        errs.push(FieldError::new("order_number", FieldCode::Required));
    }
    if (required || number.is_some()) && date.is_none() {
        errs.push(FieldError::new("order_date", FieldCode::Required));
    }
    if number.as_ref().is_some_and(|n| n.chars().count() as u64 > MAX_ORDER_NUMBER) {
        errs.push(FieldError::new("order_number", FieldCode::Length).with("max", MAX_ORDER_NUMBER));
    }
    if date.is_some_and(|d| d > today) {
        errs.push(FieldError::new("order_date", FieldCode::InFuture).with("today", today));
    }
    let order = number.zip(date).map(|(number, date)| CabinetOrder { number, date });
    errs.into_result(order)
}

/// A proposal needs at least one entry with a proposed number above 0
/// (SPEC §16.1.3: an empty plan cannot be approved, so it is not proposed).
pub fn check_proposable(proposed: &[Option<i64>]) -> Result<(), ValidationErrors> {
    if proposed.iter().any(|n| n.is_some_and(|n| n > 0)) {
        Ok(())
    } else {
        Err(ValidationErrors(vec![FieldError::new("entries", FieldCode::NoEntries)]))
    }
}

/// The reason for returning a proposal (required) or withdrawing one
/// (optional): trimmed, at most [`MAX_PLAN_REASON`] characters.
pub fn check_plan_reason(reason: Option<&str>, required: bool) -> Result<Option<String>, ValidationErrors> {
    let max = usize::try_from(MAX_PLAN_REASON).unwrap_or(usize::MAX);
    match reason {
        Some(r) if required || !crate::text::tidy(r).is_empty() => {
            crate::text::required("reason", r, max).map(Some).map_err(|e| ValidationErrors(vec![e]))
        }
        None if required => Err(ValidationErrors(vec![FieldError::new("reason", FieldCode::Required)])),
        _ => Ok(None),
    }
}

/// One entry of an amendment as checked: the activity (a section), the
/// approved number before (none for an activity the amendment adds) and
/// after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendedEntry {
    pub economic_activity: String,
    pub approved_before: Option<i64>,
    pub approved: i64,
}

/// One entry of the approved quota as it stands: activity, approved, used.
pub type StandingEntry = (String, Option<i64>, i64);

/// Checks an amendment's entries (SPEC §16.1.4) against the quota as it
/// stands: at least one, at most [`MAX_PLAN_ENTRIES`], each a section of the
/// classification named once, with an approved number from the activity's
/// `used` (`below_used` naming the activity and `used`) to [`MAX_QUOTA`];
/// an activity the quota does not name is added.
pub fn check_amendment(
    sent: &[(&str, Option<i64>)],
    standing: &[StandingEntry],
) -> Result<Vec<AmendedEntry>, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    if sent.is_empty() {
        errs.push(FieldError::new("entries", FieldCode::NoEntries));
    }
    if sent.len() > MAX_PLAN_ENTRIES {
        errs.push(FieldError::new("entries", FieldCode::TooManyLines).with("max", MAX_PLAN_ENTRIES));
        return Err(errs);
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(sent.len());
    for (i, (activity, approved)) in sent.iter().enumerate() {
        let activity = activity.trim();
        let at = format!("entries[{i}].economic_activity");
        match crate::reference::economic_activity(activity) {
            None => errs.push(FieldError::new(at.clone(), FieldCode::EconomicActivityUnknown).with("code", activity)),
            Some(a) if a.parent.is_some() => {
                errs.push(FieldError::new(at.clone(), FieldCode::SectionRequired).with("code", activity))
            }
            Some(_) => {}
        }
        if !seen.insert(activity.to_owned()) {
            errs.push(FieldError::new(at, FieldCode::DuplicateEntry));
        }
        let Some(n) = approved else {
            errs.push(FieldError::new(format!("entries[{i}].approved"), FieldCode::Required));
            continue;
        };
        if let Err(e) = check_quota_number(format!("entries[{i}].approved"), *n) {
            errs.push(e);
            continue;
        }
        let now = standing.iter().find(|(a, _, _)| a == activity);
        let used = now.map_or(0, |(_, _, used)| *used);
        if *n < used {
            errs.push(
                FieldError::new(format!("entries[{i}].approved"), FieldCode::BelowUsed)
                    .with("activity", activity)
                    .with("used", used),
            );
        }
        out.push(AmendedEntry {
            economic_activity: activity.to_owned(),
            approved_before: now.and_then(|(_, a, _)| *a),
            approved: *n,
        });
    }
    errs.into_result(out)
}

wire_codes! {
    /// Why a recorded permit ends (SPEC §16.1.6).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum PermitEnd("permit end reason") {
        /// Recorded by mistake: the unit goes back to the quota (the
        /// cancelling of SPEC §5.3).
        RecordedInError => "recorded_in_error",
        /// The work ended before the permit's term (seed 004 ¶7: the employer
        /// informs the SMS within 5 working days); the unit stays used.
        TerminatedEarly => "terminated_early",
        /// The permit was revoked; the unit stays used.
        Revoked => "revoked",
    }
}

impl PermitEnd {
    /// Whether ending the permit gives its unit back to the quota: only a
    /// permit recorded in error never took one (SPEC §16.1.6).
    pub fn gives_unit_back(self) -> bool {
        self == PermitEnd::RecordedInError
    }
}

/// Checks the end of a permit recorded on `recorded_on` (SPEC §16.1.6): a
/// permit that ended early or was revoked needs the day it took effect
/// (`effective_on`), not after `today` and not before the permit was
/// recorded; one recorded in error needs none (the day it is ended on is
/// kept).
pub fn check_permit_end(
    reason: PermitEnd,
    effective_on: Option<NaiveDate>,
    recorded_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, ValidationErrors> {
    let Some(day) = effective_on else {
        return if reason.gives_unit_back() {
            Ok(today)
        } else {
            Err(ValidationErrors(vec![FieldError::new("effective_on", FieldCode::Required)]))
        };
    };
    if day > today {
        return Err(ValidationErrors(vec![FieldError::new("effective_on", FieldCode::InFuture).with("today", today)]));
    }
    if day < recorded_on {
        return Err(ValidationErrors(vec![
            FieldError::new("effective_on", FieldCode::DateOrder).with("after", recorded_on)
        ]));
    }
    Ok(day)
}

/// Largest number a plan entry may hold.
pub const MAX_QUOTA: i64 = 10_000_000;

/// Checks a number of a plan entry at `field`.
pub fn check_quota_number(field: String, n: i64) -> Result<i64, FieldError> {
    if (0..=MAX_QUOTA).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(field, FieldCode::OutOfRange).with("min", 0).with("max", MAX_QUOTA))
    }
}

/// The Commission's starting point (SPEC §5.2: the proposed number is
/// pre-filled from the summary): per section, the foreigners of accepted
/// forecasts that count toward the quota. A sum above [`MAX_QUOTA`], the
/// most an entry can hold, is proposed as [`MAX_QUOTA`]; the Commission edits
/// every proposal before it proposes the plan.
pub fn proposals_from_summary(rows: &[(String, i64)]) -> Vec<(String, i64)> {
    let mut by_section: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for (section, n) in rows {
        let sum = by_section.entry(section.as_str()).or_default();
        *sum = sum.saturating_add(*n);
    }
    by_section.into_iter().map(|(s, n)| (s.to_owned(), n.clamp(0, MAX_QUOTA))).collect()
}

/// How well a forecast predicted the permits recorded: permits per
/// forecast foreigner, to three decimals; none without a forecast (a report
/// the product adds to SPEC §5.3's figures).
pub fn accuracy_ratio(forecast: i64, permits: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)] // counts of people, far below 2^52
    (forecast > 0).then(|| (permits as f64 / forecast as f64 * 1000.0).round() / 1000.0)
}

/// At most this many entries in a plan (there are 21 sections; room to spare).
pub const MAX_PLAN_ENTRIES: usize = 200;

/// One entry of a plan as sent, after [`check_plan_entries`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEntryNumbers {
    pub economic_activity: String,
    pub proposed: Option<i64>,
    pub approved: Option<i64>,
}

/// Checks the entries of a plan as sent: at most [`MAX_PLAN_ENTRIES`],
/// every number given within 0..=[`MAX_QUOTA`], no economic activity twice.
/// Which number the caller may set is the plan's status machine's to say.
pub fn check_plan_entries(
    entries: &[(&str, Option<i64>, Option<i64>)],
) -> Result<Vec<PlanEntryNumbers>, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    if entries.len() > MAX_PLAN_ENTRIES {
        errs.push(FieldError::new("entries", FieldCode::TooManyLines).with("max", MAX_PLAN_ENTRIES));
        return Err(errs);
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (i, (activity, proposed, approved)) in entries.iter().enumerate() {
        for (field, n) in [("proposed", proposed), ("approved", approved)] {
            if let Some(n) = n {
                if let Err(e) = check_quota_number(format!("entries[{i}].{field}"), *n) {
                    errs.push(e);
                }
            }
        }
        let activity = activity.trim().to_owned();
        if !seen.insert(activity.clone()) {
            errs.push(FieldError::new(format!("entries[{i}].economic_activity"), FieldCode::DuplicateEntry));
        }
        out.push(PlanEntryNumbers { economic_activity: activity, proposed: *proposed, approved: *approved });
    }
    errs.into_result(out)
}

/// Before approval every entry needs its approved number (SPEC §5.2: the
/// approved number is set by `admin` for the Cabinet).
pub fn check_approvable(approved: &[(String, Option<i64>)]) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    for (i, (activity, n)) in approved.iter().enumerate() {
        if n.is_none() {
            errs.push(
                FieldError::new(format!("entries[{i}].approved"), FieldCode::Required).with("activity", activity),
            );
        }
    }
    if approved.is_empty() {
        errs.push(FieldError::new("entries", FieldCode::NoEntries));
    }
    errs.into_result(())
}

/// Longest permit reference.
pub const MAX_PERMIT_REF: usize = 64;

/// The shape of a permit reference: 1–[`MAX_PERMIT_REF`] letters, digits,
/// `-`, `_`, `/` or `.`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PermitRefShape;

impl crate::value::Shape for PermitRefShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^[A-Za-z0-9_./-]{{1,{MAX_PERMIT_REF}}}$").into()
    }

    fn min() -> u64 {
        1
    }

    fn max() -> u64 {
        MAX_PERMIT_REF as u64
    }
}

/// A permit reference as a request sends it.
pub type PermitRefText = crate::value::Shaped<PermitRefShape>;

/// A work permit reference: 1–64 letters, digits, `-`, `_`, `/` or `.`,
/// compared as given (SPEC §5.3: recording is idempotent per reference).
pub fn check_permit_ref(s: &str) -> Result<String, FieldError> {
    let ok = !s.is_empty()
        && s.len() <= MAX_PERMIT_REF
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldError::new("permit_ref", FieldCode::PermitRefFormat).with("max", MAX_PERMIT_REF))
    }
}

/// A work permit to record against the quota, as checked (SPEC §5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitInput {
    pub permit_ref: String,
    /// A section or division code, trimmed (existence is the store's to check).
    pub economic_activity: String,
    /// An exemption category code, if the permit is exempt.
    pub exemption: Option<String>,
    /// The employer's TIN, for the accuracy report.
    pub tin: Option<String>,
}

/// Checks a permit as sent: its reference, a TIN that passes its check
/// digit, and codes of sensible length.
pub fn check_permit(
    permit_ref: &str,
    economic_activity: &str,
    exemption: Option<&str>,
    tin: Option<&str>,
) -> Result<PermitInput, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let permit_ref = check_permit_ref(permit_ref.trim()).map_err(|e| errs.push(e)).ok();
    if let Some(t) = tin {
        if let Err(e) = crate::tin::Tin::parse(t) {
            errs.push(FieldError::new("tin", e.code()));
        }
    }
    let max_activity = crate::forecast::MAX_ACTIVITY_CODE;
    if economic_activity.chars().count() as u64 > max_activity {
        errs.push(FieldError::new("economic_activity", FieldCode::Length).with("max", max_activity));
    }
    let max_exemption = crate::reference::MAX_EXEMPTION_CODE;
    if exemption.is_some_and(|x| x.chars().count() > max_exemption) {
        errs.push(FieldError::new("exemption", FieldCode::Length).with("max", max_exemption));
    }
    match permit_ref {
        Some(permit_ref) if errs.is_empty() => Ok(PermitInput {
            permit_ref,
            economic_activity: economic_activity.trim().to_owned(),
            exemption: exemption.map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned),
            tin: tin.map(|t| t.trim().to_owned()),
        }),
        _ => Err(errs),
    }
}

/// Approved, used and remaining units of one economic activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaFigures {
    pub approved: i64,
    pub used: i64,
}

impl QuotaFigures {
    pub fn remaining(self) -> i64 {
        (self.approved - self.used).max(0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_accuracy_ratio_is_permits_per_forecast_foreigner() {
        assert_eq!(super::accuracy_ratio(3, 2), Some(0.667));
        assert_eq!(super::accuracy_ratio(0, 5), None);
    }

    #[test]
    fn proposals_add_up_per_section_and_stay_within_an_entry() {
        let rows = [("F".to_owned(), 3), ("A".to_owned(), 2), ("F".to_owned(), 4), ("C".to_owned(), super::MAX_QUOTA)];
        let rows = [&rows[..], &[("C".to_owned(), 1)]].concat();
        assert_eq!(
            super::proposals_from_summary(&rows),
            vec![("A".to_owned(), 2), ("C".to_owned(), super::MAX_QUOTA), ("F".to_owned(), 7)]
        );
    }

    use super::*;

    use crate::lifecycle::{one_rule_per_action, Refusal};
    use crate::role::Role;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_deadlines_are_targets_until_the_year_ends() {
        let c = Campaign::default_for(2027);
        assert_eq!(plan_step_is_late(&c, c.proposal_deadline, false), Ok(false));
        assert_eq!(plan_step_is_late(&c, day("2026-10-16"), false), Ok(true));
        assert_eq!(plan_step_is_late(&c, c.approval_deadline, true), Ok(false));
        assert_eq!(plan_step_is_late(&c, day("2027-02-07"), true), Ok(true));
        assert_eq!(plan_step_is_late(&c, day("2027-12-31"), true), Ok(true));
        assert_eq!(
            plan_step_is_late(&c, day("2028-01-01"), true),
            Err(CalendarRefusal::ApprovalDeadlinePassed { deadline: day("2027-12-31") })
        );
        assert_eq!(
            plan_step_is_late(&c, day("2028-01-01"), false),
            Err(CalendarRefusal::ProposalDeadlinePassed { deadline: day("2027-12-31") })
        );
    }

    #[test]
    fn an_order_is_both_fields_or_none_and_required_when_late() {
        let today = day("2027-02-07");
        assert_eq!(check_order(None, None, false, today), Ok(None));
        let codes = |r: Result<Option<CabinetOrder>, ValidationErrors>| {
            r.unwrap_err().0.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>()
        };
        assert_eq!(
            codes(check_order(None, None, true, today)),
            [("order_number".into(), FieldCode::Required), ("order_date".into(), FieldCode::Required)]
        );
        assert_eq!(codes(check_order(Some("39s"), None, false, today)), [("order_date".into(), FieldCode::Required)]);
        assert_eq!(
            codes(check_order(Some(" "), Some(today), false, today)),
            [("order_number".into(), FieldCode::Required)]
        );
        assert_eq!(
            codes(check_order(Some("39s"), Some(day("2027-02-08")), true, today)),
            [("order_date".into(), FieldCode::InFuture)]
        );
        assert_eq!(
            check_order(Some(" 39s "), Some(today), true, today),
            Ok(Some(CabinetOrder { number: "39s".into(), date: today }))
        );
    }

    #[test]
    fn a_proposal_needs_a_number_above_zero() {
        assert!(check_proposable(&[]).is_err());
        assert!(check_proposable(&[Some(0), None]).is_err());
        assert!(check_proposable(&[Some(0), Some(1)]).is_ok());
    }

    #[test]
    fn an_amendment_never_goes_below_what_is_used_and_may_add_an_activity() {
        let standing = [("F".to_owned(), Some(10), 7), ("A".to_owned(), Some(3), 0)];
        let out = check_amendment(&[("F", Some(7)), ("T", Some(2))], &standing).unwrap();
        assert_eq!(
            out,
            [
                AmendedEntry { economic_activity: "F".into(), approved_before: Some(10), approved: 7 },
                AmendedEntry { economic_activity: "T".into(), approved_before: None, approved: 2 },
            ]
        );
        let e = check_amendment(&[("F", Some(6))], &standing).unwrap_err();
        assert_eq!((e.0[0].code, e.0[0].params.get("used").map(String::as_str)), (FieldCode::BelowUsed, Some("7")));
        let e = check_amendment(&[], &standing).unwrap_err();
        assert_eq!(e.0[0].code, FieldCode::NoEntries);
        let e =
            check_amendment(&[("41", Some(1)), ("F", None), ("A", Some(1)), ("A", Some(2))], &standing).unwrap_err();
        let codes: Vec<FieldCode> = e.0.iter().map(|e| e.code).collect();
        assert_eq!(codes, [FieldCode::SectionRequired, FieldCode::Required, FieldCode::DuplicateEntry]);
    }

    #[test]
    fn only_a_permit_recorded_in_error_gives_its_unit_back_and_an_end_has_its_day() {
        let (recorded, today) = (day("2027-02-01"), day("2027-03-20"));
        assert!(PermitEnd::RecordedInError.gives_unit_back());
        assert!(!PermitEnd::TerminatedEarly.gives_unit_back() && !PermitEnd::Revoked.gives_unit_back());
        assert_eq!(check_permit_end(PermitEnd::RecordedInError, None, recorded, today), Ok(today));
        assert!(check_permit_end(PermitEnd::Revoked, None, recorded, today).is_err());
        assert!(check_permit_end(PermitEnd::Revoked, Some(day("2027-03-21")), recorded, today).is_err());
        assert!(check_permit_end(PermitEnd::Revoked, Some(day("2027-01-31")), recorded, today).is_err());
        assert_eq!(check_permit_end(PermitEnd::TerminatedEarly, Some(recorded), recorded, today), Ok(recorded));
    }

    #[test]
    fn every_cell_of_the_plan_table() {
        use PlanAction as A;
        use PlanStatus as S;
        assert!(one_rule_per_action(&PLANS));
        let c: &[Role] = &[Role::Commission];
        let a: &[Role] = &[Role::Admin];
        for &s in PlanStatus::ALL {
            let go = |action, roles: &[Role]| PLANS.next(s, action, roles).ok();
            assert_eq!(go(A::EditProposed, c), (s == S::Draft).then_some(S::Draft), "edit proposed in {s:?}");
            assert_eq!(go(A::Propose, c), (s == S::Draft).then_some(S::Proposed), "propose from {s:?}");
            assert_eq!(go(A::EditApproved, a), (s == S::Proposed).then_some(S::Proposed), "edit approved in {s:?}");
            assert_eq!(go(A::Approve, a), (s == S::Proposed).then_some(S::Approved), "approve from {s:?}");
            assert_eq!(go(A::Return, a), (s == S::Proposed).then_some(S::Draft), "return from {s:?}");
            assert_eq!(go(A::WithdrawProposal, c), (s == S::Proposed).then_some(S::Draft), "withdraw from {s:?}");
            assert_eq!(go(A::Amend, a), (s == S::Approved).then_some(S::Approved), "amend in {s:?}");
            assert_eq!(go(A::Return, c), None, "the Commission does not return");
            assert_eq!(go(A::WithdrawProposal, a), None, "admin does not withdraw the Commission's proposal");
            assert_eq!(go(A::Amend, c), None, "the Commission does not amend");
        }
        assert_eq!(PLANS.check(S::Draft, A::Approve, c), Err(Refusal::Forbidden { needs: &[Role::Admin] }));
        assert!(matches!(
            PLANS.check(S::Proposed, A::EditProposed, c),
            Err(Refusal::NotAllowed { current: "proposed", ref allowed, .. }) if allowed == &["withdraw_proposal"]
        ));
    }

    #[test]
    fn an_approved_plan_changes_only_by_amendment() {
        assert!(!PLANS.is_final(PlanStatus::Approved));
        assert_eq!(PLANS.allowed(PlanStatus::Approved, Role::ALL), [PlanAction::Amend]);
    }

    #[test]
    fn plan_entries_are_bounded_whichever_number_is_sent() {
        let ok = check_plan_entries(&[("F", Some(10), None), ("A", None, Some(0))]).unwrap();
        assert_eq!(ok[1].approved, Some(0));
        let e = check_plan_entries(&[("F", Some(1), Some(-1)), ("F", Some(1), None)]).unwrap_err();
        let got: Vec<_> = e.0.iter().map(|x| (x.field.as_str(), x.code.as_str())).collect();
        assert_eq!(got, [("entries[0].approved", "out_of_range"), ("entries[1].economic_activity", "duplicate_entry")]);
    }

    #[test]
    fn approval_needs_every_approved_number() {
        assert!(check_approvable(&[("F".into(), Some(10)), ("A".into(), Some(0))]).is_ok());
        let e = check_approvable(&[("F".into(), Some(10)), ("A".into(), None)]).unwrap_err();
        assert_eq!(e.0[0].field, "entries[1].approved");
        assert!(check_approvable(&[]).is_err());
    }

    #[test]
    fn a_permit_is_checked_whole() {
        let p = check_permit(" WP-1 ", " F ", Some(" liberated_territories "), Some("1012345061")).unwrap();
        assert_eq!((p.permit_ref.as_str(), p.economic_activity.as_str()), ("WP-1", "F"));
        assert_eq!(p.exemption.as_deref(), Some("liberated_territories"));
        let e = check_permit("a b", "F", None, Some("1012345071")).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["permit_ref", "tin"]);
        assert_eq!(check_permit("WP", "F", Some(""), None).unwrap().exemption, None);
    }

    #[test]
    fn numbers_and_permit_references_are_bounded() {
        assert!(check_quota_number("x".into(), 0).is_ok());
        assert!(check_quota_number("x".into(), -1).is_err());
        assert!(check_quota_number("x".into(), MAX_QUOTA + 1).is_err());
        assert_eq!(check_permit_ref("WP-2027-000123").unwrap(), "WP-2027-000123");
        assert!(check_permit_ref("").is_err());
        assert!(check_permit_ref("a b").is_err());
        assert!(check_permit_ref(&"x".repeat(65)).is_err());
        assert_eq!(QuotaFigures { approved: 5, used: 7 }.remaining(), 0);
    }
}
