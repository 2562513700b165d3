//! The forecast's status machine: the whole table of SPEC §4.3 in one place.

use crate::role::Role;
use serde::{Deserialize, Serialize};

/// Where a forecast stands (SPEC §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastStatus {
    Draft,
    Submitted,
    InReview,
    Returned,
    Accepted,
    Withdrawn,
}

impl ForecastStatus {
    pub const ALL: [ForecastStatus; 6] = [
        ForecastStatus::Draft,
        ForecastStatus::Submitted,
        ForecastStatus::InReview,
        ForecastStatus::Returned,
        ForecastStatus::Accepted,
        ForecastStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ForecastStatus::Draft => "draft",
            ForecastStatus::Submitted => "submitted",
            ForecastStatus::InReview => "in_review",
            ForecastStatus::Returned => "returned",
            ForecastStatus::Accepted => "accepted",
            ForecastStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ForecastStatus> {
        ForecastStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// `accepted` and `withdrawn` are final (SPEC §4.3).
    pub fn is_final(self) -> bool {
        matches!(self, ForecastStatus::Accepted | ForecastStatus::Withdrawn)
    }
}

/// Something a caller does to a forecast (SPEC §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastAction {
    Submit,
    StartReview,
    Return,
    Accept,
    Withdraw,
    /// Edit the employer section or the lines.
    Edit,
    Delete,
}

use ForecastStatus as S;

/// One row of the table: the action, who may take it, from which statuses,
/// and the status it leads to (`None`: the status is unchanged, or the
/// forecast is gone).
struct Rule {
    action: ForecastAction,
    role: Role,
    from: &'static [ForecastStatus],
    to: Option<ForecastStatus>,
}

/// SPEC §4.3, row by row.
const TABLE: [Rule; 7] = [
    Rule {
        action: ForecastAction::Submit,
        role: Role::Employer,
        from: &[S::Draft, S::Returned],
        to: Some(S::Submitted),
    },
    Rule { action: ForecastAction::StartReview, role: Role::Officer, from: &[S::Submitted], to: Some(S::InReview) },
    Rule {
        action: ForecastAction::Return,
        role: Role::Officer,
        from: &[S::Submitted, S::InReview],
        to: Some(S::Returned),
    },
    Rule {
        action: ForecastAction::Accept,
        role: Role::Officer,
        from: &[S::Submitted, S::InReview],
        to: Some(S::Accepted),
    },
    Rule {
        action: ForecastAction::Withdraw,
        role: Role::Employer,
        from: &[S::Draft, S::Submitted, S::Returned],
        to: Some(S::Withdrawn),
    },
    Rule { action: ForecastAction::Edit, role: Role::Employer, from: &[S::Draft, S::Returned], to: None },
    Rule { action: ForecastAction::Delete, role: Role::Employer, from: &[S::Draft], to: None },
];

impl ForecastAction {
    pub const ALL: [ForecastAction; 7] = [
        ForecastAction::Submit,
        ForecastAction::StartReview,
        ForecastAction::Return,
        ForecastAction::Accept,
        ForecastAction::Withdraw,
        ForecastAction::Edit,
        ForecastAction::Delete,
    ];

    fn rule(self) -> &'static Rule {
        // TABLE holds one rule per action, in the order of ALL.
        &TABLE[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ForecastAction::Submit => "submit",
            ForecastAction::StartReview => "start_review",
            ForecastAction::Return => "return",
            ForecastAction::Accept => "accept",
            ForecastAction::Withdraw => "withdraw",
            ForecastAction::Edit => "edit",
            ForecastAction::Delete => "delete",
        }
    }

    /// The one role that may take this action.
    pub fn role(self) -> Role {
        self.rule().role
    }

    /// Whether this action moves the forecast to another status and so
    /// appends to its history.
    pub fn is_transition(self) -> bool {
        self.rule().to.is_some()
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// The caller's roles do not include the one the action needs (HTTP 403).
    Forbidden { needs: Role },
    /// The action is not allowed from the current status (HTTP 409); names
    /// the status and what the caller could do instead.
    NotAllowed { current: ForecastStatus, allowed: Vec<ForecastAction> },
}

/// The actions that `roles` may take on a forecast in `status`.
pub fn allowed_actions(status: ForecastStatus, roles: &[Role]) -> Vec<ForecastAction> {
    TABLE.iter().filter(|r| r.from.contains(&status) && roles.contains(&r.role)).map(|r| r.action).collect()
}

/// Checks `action` by a caller with `roles` on a forecast in `current` and
/// returns the status it leads to (`current` for edits and deletes).
pub fn transition(
    current: ForecastStatus,
    action: ForecastAction,
    roles: &[Role],
) -> Result<ForecastStatus, TransitionError> {
    let rule = action.rule();
    if !roles.contains(&rule.role) {
        return Err(TransitionError::Forbidden { needs: rule.role });
    }
    if !rule.from.contains(&current) {
        return Err(TransitionError::NotAllowed { current, allowed: allowed_actions(current, roles) });
    }
    Ok(rule.to.unwrap_or(current))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ForecastAction as A;

    const EMP: &[Role] = &[Role::Employer];
    const OFF: &[Role] = &[Role::Officer];

    #[test]
    fn table_is_indexed_by_action() {
        for a in ForecastAction::ALL {
            assert_eq!(a.rule().action, a);
        }
    }

    #[test]
    fn every_cell_of_the_table() {
        // (action, roles, from, expected to) for every status: None = refused.
        let expect = |a: ForecastAction, roles: &[Role], from: S| transition(from, a, roles).ok();
        for s in ForecastStatus::ALL {
            let submit = matches!(s, S::Draft | S::Returned).then_some(S::Submitted);
            assert_eq!(expect(A::Submit, EMP, s), submit, "submit from {s:?}");
            let review = (s == S::Submitted).then_some(S::InReview);
            assert_eq!(expect(A::StartReview, OFF, s), review, "start review from {s:?}");
            let ret = matches!(s, S::Submitted | S::InReview).then_some(S::Returned);
            assert_eq!(expect(A::Return, OFF, s), ret, "return from {s:?}");
            let acc = matches!(s, S::Submitted | S::InReview).then_some(S::Accepted);
            assert_eq!(expect(A::Accept, OFF, s), acc, "accept from {s:?}");
            let wd = matches!(s, S::Draft | S::Submitted | S::Returned).then_some(S::Withdrawn);
            assert_eq!(expect(A::Withdraw, EMP, s), wd, "withdraw from {s:?}");
            let edit = matches!(s, S::Draft | S::Returned).then_some(s);
            assert_eq!(expect(A::Edit, EMP, s), edit, "edit in {s:?}");
            let del = (s == S::Draft).then_some(s);
            assert_eq!(expect(A::Delete, EMP, s), del, "delete in {s:?}");
        }
    }

    #[test]
    fn final_statuses_allow_nothing() {
        for s in [S::Accepted, S::Withdrawn] {
            assert!(s.is_final());
            assert!(allowed_actions(s, &Role::ALL).is_empty());
        }
    }

    #[test]
    fn the_wrong_role_is_forbidden_before_the_status_is_looked_at() {
        assert_eq!(transition(S::Submitted, A::Accept, EMP), Err(TransitionError::Forbidden { needs: Role::Officer }));
        assert_eq!(
            transition(S::Draft, A::Submit, &[Role::Admin, Role::Officer]),
            Err(TransitionError::Forbidden { needs: Role::Employer })
        );
    }

    #[test]
    fn a_refusal_names_the_status_and_what_is_allowed() {
        assert_eq!(
            transition(S::Submitted, A::Submit, EMP),
            Err(TransitionError::NotAllowed { current: S::Submitted, allowed: vec![A::Withdraw] })
        );
        assert_eq!(
            transition(S::Accepted, A::Return, OFF),
            Err(TransitionError::NotAllowed { current: S::Accepted, allowed: vec![] })
        );
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for s in ForecastStatus::ALL {
            assert_eq!(ForecastStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ForecastStatus::parse("deleted"), None);
    }
}
