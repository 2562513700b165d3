//! One status machine for everything that moves through statuses: a table
//! of rules, each naming the action, the [`Permission`] it needs (the
//! permission table of [`crate::policy`] is the only source of roles), the
//! statuses it may be taken from and what it does to the status. The
//! forecast (SPEC §4.3, §16.3), the HQM application (SPEC §14.2, §16.4) and
//! the quota plan (SPEC §5.2, §16.1) are three tables of it.

use crate::code::Code;
use crate::policy::Permission;
use crate::role::Role;

/// What an allowed action does to the status (the column "to" of a table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect<S> {
    /// The status stays (an edit, a score; a deleted draft is gone rather
    /// than moved).
    Stays,
    /// The status becomes this one.
    Becomes(S),
    /// The status becomes the outcome of a decision the rules compute
    /// (the HQM decision: recognised or refused, SPEC §14.2).
    Decided,
}

/// One row of a table: the action, the permission it needs, the statuses it
/// may be taken from, and its effect.
#[derive(Debug)]
pub struct Rule<S: 'static, A> {
    pub action: A,
    pub permission: Permission,
    pub from: &'static [S],
    pub effect: Effect<S>,
}

/// Which of the product's machines a table is; refusals name it, so the
/// caller is told of a forecast's, an application's or a plan's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Machine {
    Forecast,
    Application,
    Plan,
}

/// A status machine: its table, one rule per action.
#[derive(Debug)]
pub struct Lifecycle<S: 'static, A: 'static> {
    pub machine: Machine,
    pub rules: &'static [Rule<S, A>],
}

/// Why a table refuses an action: the caller holds no role that has the
/// rule's permission (403), or the status does not allow the action (409,
/// naming the status and what the caller may do instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Forbidden { needs: &'static [Role] },
    NotAllowed { machine: Machine, current: &'static str, allowed: Vec<&'static str> },
}

impl<S: Code, A: Code> Lifecycle<S, A> {
    /// The rule of `action`. Every table has one rule per action (a test of
    /// each table checks it), so none missing is a bug in the table.
    pub fn rule(&self, action: A) -> &'static Rule<S, A> {
        match self.rules.iter().find(|r| r.action == action) {
            Some(rule) => rule,
            None => unreachable!("the table of {:?} has no rule for {}", self.machine, action.as_str()),
        }
    }

    /// The actions a caller holding `roles` toward the resource may take
    /// from `status`, in the table's order.
    pub fn allowed(&self, status: S, roles: &[Role]) -> Vec<A> {
        self.rules
            .iter()
            .filter(|r| r.from.contains(&status) && r.permission.granted_to(roles))
            .map(|r| r.action)
            .collect()
    }

    /// Checks `action` by a caller holding `roles` toward the resource
    /// (ownership already applied by the policy) on one in `current`: the
    /// permission first (403), then the status (409). Returns the effect.
    pub fn check(&self, current: S, action: A, roles: &[Role]) -> Result<Effect<S>, Refusal> {
        let rule = self.rule(action);
        if !rule.permission.granted_to(roles) {
            return Err(Refusal::Forbidden { needs: rule.permission.roles() });
        }
        if !rule.from.contains(&current) {
            return Err(Refusal::NotAllowed {
                machine: self.machine,
                current: current.as_str(),
                allowed: self.allowed(current, roles).into_iter().map(Code::as_str).collect(),
            });
        }
        Ok(rule.effect)
    }

    /// [`Self::check`], and the status the action leads to (`current` when
    /// it stays). A decided effect is not known here: a table whose rules
    /// decide asks [`Self::check`].
    pub fn next(&self, current: S, action: A, roles: &[Role]) -> Result<S, Refusal> {
        match self.check(current, action, roles)? {
            Effect::Becomes(to) => Ok(to),
            Effect::Stays | Effect::Decided => Ok(current),
        }
    }

    /// The role a caller with `roles` takes `action` in: the first of its
    /// roles that has the rule's permission (for the history).
    pub fn acting_role(&self, action: A, roles: &[Role]) -> Option<Role> {
        let needs = self.rule(action).permission.roles();
        roles.iter().copied().find(|r| needs.contains(r))
    }

    /// The statuses no rule leaves: nothing more happens to a resource in one.
    pub fn is_final(&self, status: S) -> bool {
        !self.rules.iter().any(|r| r.from.contains(&status))
    }
}

/// Checks that `table` has exactly one rule per action of `A`, in the
/// order of `A::ALL` (for the tables' own tests).
pub fn one_rule_per_action<S: Code, A: Code>(table: &Lifecycle<S, A>) -> bool {
    table.rules.len() == A::ALL.len() && table.rules.iter().zip(A::ALL).all(|(r, a)| r.action == *a)
}
