//! The yearly quota: the plan's status machine, its entries, and the rule
//! that enforces it when work permits are issued (SPEC §5.2–§5.3).

use crate::error::{FieldCode, FieldError, ValidationErrors};
use crate::lifecycle::{Effect, Lifecycle, Machine, Rule};
use crate::policy::Permission;
use crate::wire_codes;

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
    }
}

/// The quota plan's table (SPEC §5.2): draft → proposed → approved, the
/// Commission's steps under [`Permission::ProposeQuota`], admin's under
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
    ],
};

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
        }
        assert_eq!(PLANS.check(S::Draft, A::Approve, c), Err(Refusal::Forbidden { needs: &[Role::Admin] }));
        assert!(matches!(
            PLANS.check(S::Proposed, A::EditProposed, c),
            Err(Refusal::NotAllowed { current: "proposed", ref allowed, .. }) if allowed.is_empty()
        ));
    }

    #[test]
    fn an_approved_plan_is_read_only() {
        assert!(PLANS.is_final(PlanStatus::Approved));
        assert!(PLANS.allowed(PlanStatus::Approved, Role::ALL).is_empty());
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
