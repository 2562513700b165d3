//! The forecast's status machine: the whole table of SPEC §4.3, with the
//! officers' rejection and reopening of SPEC §16.3, in one place.

use crate::lifecycle::{Effect, Lifecycle, Machine, Rule};
use crate::policy::Permission;
use crate::wire_codes;

wire_codes! {
    /// Where a forecast stands (SPEC §4.3; `rejected`: SPEC §16.3.1).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum ForecastStatus("forecast status") {
        Draft => "draft",
        Submitted => "submitted",
        InReview => "in_review",
        Returned => "returned",
        Accepted => "accepted",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
    }
}

wire_codes! {
    /// Something a caller does to a forecast (SPEC §4.3, §16.3).
    pub enum ForecastAction("forecast action") {
        Submit => "submit",
        StartReview => "start_review",
        Return => "return",
        Accept => "accept",
        /// Found wrong late: final, out of the summary (SPEC §16.3.1).
        Reject => "reject",
        /// An accepted forecast back in review (SPEC §16.3.2).
        Reopen => "reopen",
        Withdraw => "withdraw",
        /// Edit the employer section or the lines.
        Edit => "edit",
        Delete => "delete",
    }
}

use ForecastAction as A;
use ForecastStatus as S;

/// The forecast's table: SPEC §4.3 and §16.3, row by row, one rule per
/// action in the order of [`ForecastAction::ALL`]. The employer's actions
/// need [`Permission::FileForecasts`], the officer's
/// [`Permission::ReviewForecasts`]. The calendar adds its own limits apart
/// (a return and a reopening only before the Commission inputs deadline,
/// SPEC §15.3, §16.3.2); a rejection has none (SPEC §16.3.1: "at any time").
pub const FORECASTS: Lifecycle<ForecastStatus, ForecastAction> = Lifecycle {
    machine: Machine::Forecast,
    rules: &[
        Rule {
            action: A::Submit,
            permission: Permission::FileForecasts,
            from: &[S::Draft, S::Returned],
            effect: Effect::Becomes(S::Submitted),
        },
        Rule {
            action: A::StartReview,
            permission: Permission::ReviewForecasts,
            from: &[S::Submitted],
            effect: Effect::Becomes(S::InReview),
        },
        Rule {
            action: A::Return,
            permission: Permission::ReviewForecasts,
            from: &[S::Submitted, S::InReview],
            effect: Effect::Becomes(S::Returned),
        },
        Rule {
            action: A::Accept,
            permission: Permission::ReviewForecasts,
            from: &[S::Submitted, S::InReview],
            effect: Effect::Becomes(S::Accepted),
        },
        Rule {
            action: A::Reject,
            permission: Permission::ReviewForecasts,
            from: &[S::Submitted, S::InReview],
            effect: Effect::Becomes(S::Rejected),
        },
        Rule {
            action: A::Reopen,
            permission: Permission::ReviewForecasts,
            from: &[S::Accepted],
            effect: Effect::Becomes(S::InReview),
        },
        Rule {
            action: A::Withdraw,
            permission: Permission::FileForecasts,
            from: &[S::Draft, S::Submitted, S::Returned],
            effect: Effect::Becomes(S::Withdrawn),
        },
        Rule {
            action: A::Edit,
            permission: Permission::FileForecasts,
            from: &[S::Draft, S::Returned],
            effect: Effect::Stays,
        },
        Rule { action: A::Delete, permission: Permission::FileForecasts, from: &[S::Draft], effect: Effect::Stays },
    ],
};

impl ForecastStatus {
    /// No rule of [`FORECASTS`] leaves it (SPEC §4.3: `withdrawn` is final;
    /// §16.3: so is `rejected`, while `accepted` may be reopened).
    pub fn is_final(self) -> bool {
        FORECASTS.is_final(self)
    }

    /// Whether the forecast counts as the employer's forecast of its year
    /// (SPEC §15.2: "not withdrawn"; §16.3.1: a rejected one does not
    /// count, so the employer may file anew). The one-per-year checks, the
    /// one-statement filing's guard and the database's partial unique index
    /// all leave out exactly [`ForecastStatus::NOT_LIVE`].
    pub fn is_live(self) -> bool {
        !Self::NOT_LIVE.contains(&self)
    }

    /// The statuses that free the employer's year (see [`Self::is_live`]).
    pub const NOT_LIVE: &'static [ForecastStatus] = &[ForecastStatus::Rejected, ForecastStatus::Withdrawn];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{one_rule_per_action, Refusal};
    use crate::role::Role;

    const EMP: &[Role] = &[Role::Employer];
    const OFF: &[Role] = &[Role::Officer];

    fn go(from: S, a: A, roles: &[Role]) -> Option<S> {
        FORECASTS.next(from, a, roles).ok()
    }

    #[test]
    fn one_rule_per_action_in_order() {
        assert!(one_rule_per_action(&FORECASTS));
    }

    #[test]
    fn every_cell_of_the_table() {
        // (action, roles, from, expected to) for every status: None = refused.
        for &s in ForecastStatus::ALL {
            let submit = matches!(s, S::Draft | S::Returned).then_some(S::Submitted);
            assert_eq!(go(s, A::Submit, EMP), submit, "submit from {s:?}");
            let review = (s == S::Submitted).then_some(S::InReview);
            assert_eq!(go(s, A::StartReview, OFF), review, "start review from {s:?}");
            let ret = matches!(s, S::Submitted | S::InReview).then_some(S::Returned);
            assert_eq!(go(s, A::Return, OFF), ret, "return from {s:?}");
            let acc = matches!(s, S::Submitted | S::InReview).then_some(S::Accepted);
            assert_eq!(go(s, A::Accept, OFF), acc, "accept from {s:?}");
            let rej = matches!(s, S::Submitted | S::InReview).then_some(S::Rejected);
            assert_eq!(go(s, A::Reject, OFF), rej, "reject from {s:?}");
            let reopen = (s == S::Accepted).then_some(S::InReview);
            assert_eq!(go(s, A::Reopen, OFF), reopen, "reopen from {s:?}");
            let wd = matches!(s, S::Draft | S::Submitted | S::Returned).then_some(S::Withdrawn);
            assert_eq!(go(s, A::Withdraw, EMP), wd, "withdraw from {s:?}");
            let edit = matches!(s, S::Draft | S::Returned).then_some(s);
            assert_eq!(go(s, A::Edit, EMP), edit, "edit in {s:?}");
            let del = (s == S::Draft).then_some(s);
            assert_eq!(go(s, A::Delete, EMP), del, "delete in {s:?}");
        }
    }

    #[test]
    fn final_statuses_allow_nothing() {
        for s in [S::Rejected, S::Withdrawn] {
            assert!(s.is_final());
            assert!(FORECASTS.allowed(s, Role::ALL).is_empty());
        }
        assert!(!S::Returned.is_final());
        assert!(!S::Accepted.is_final(), "an accepted forecast may be reopened (SPEC §16.3.2)");
        assert_eq!(FORECASTS.allowed(S::Accepted, Role::ALL), vec![A::Reopen]);
    }

    #[test]
    fn the_employer_cannot_reject_or_reopen() {
        for (s, a) in [(S::Submitted, A::Reject), (S::InReview, A::Reject), (S::Accepted, A::Reopen)] {
            assert_eq!(FORECASTS.check(s, a, EMP), Err(Refusal::Forbidden { needs: &[Role::Officer] }), "{a:?}");
        }
    }

    #[test]
    fn a_rejected_or_withdrawn_forecast_frees_the_year() {
        let live: Vec<S> = ForecastStatus::ALL.iter().copied().filter(|s| s.is_live()).collect();
        assert_eq!(live, vec![S::Draft, S::Submitted, S::InReview, S::Returned, S::Accepted]);
        // Exactly the final statuses free it: one that may move on still counts.
        for &s in ForecastStatus::ALL {
            assert_eq!(s.is_live(), !s.is_final(), "{s:?}");
        }
    }

    #[test]
    fn the_wrong_role_is_forbidden_before_the_status_is_looked_at() {
        assert_eq!(FORECASTS.check(S::Submitted, A::Accept, EMP), Err(Refusal::Forbidden { needs: &[Role::Officer] }));
        assert_eq!(
            FORECASTS.check(S::Draft, A::Submit, &[Role::Admin, Role::Officer]),
            Err(Refusal::Forbidden { needs: &[Role::Employer] })
        );
    }

    #[test]
    fn a_refusal_names_the_status_and_what_is_allowed() {
        assert_eq!(
            FORECASTS.check(S::Submitted, A::Submit, EMP),
            Err(Refusal::NotAllowed { machine: Machine::Forecast, current: "submitted", allowed: vec!["withdraw"] })
        );
        assert_eq!(
            FORECASTS.check(S::Accepted, A::Return, OFF),
            Err(Refusal::NotAllowed { machine: Machine::Forecast, current: "accepted", allowed: vec!["reopen"] })
        );
        assert_eq!(
            FORECASTS.check(S::Rejected, A::Reopen, OFF),
            Err(Refusal::NotAllowed { machine: Machine::Forecast, current: "rejected", allowed: vec![] })
        );
        assert_eq!(
            FORECASTS.check(S::InReview, A::Reopen, OFF),
            Err(Refusal::NotAllowed {
                machine: Machine::Forecast,
                current: "in_review",
                allowed: vec!["return", "accept", "reject"]
            })
        );
    }

    #[test]
    fn the_acting_role_is_the_one_holding_the_permission() {
        assert_eq!(FORECASTS.acting_role(A::Accept, &[Role::Employer, Role::Officer]), Some(Role::Officer));
        assert_eq!(FORECASTS.acting_role(A::Submit, &[Role::Officer]), None);
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for &s in ForecastStatus::ALL {
            assert_eq!(ForecastStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ForecastStatus::parse("deleted"), None);
    }
}
