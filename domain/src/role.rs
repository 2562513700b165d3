//! Roles of the people and systems that call the API (SPEC §3).

use serde::{Deserialize, Serialize};

/// A role carried in a token's `roles` claim (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Acts for one TIN: files forecasts.
    Employer,
    /// State Migration Service reviewer.
    Officer,
    /// Commission on Establishment of Labour Quotas: summaries and proposals.
    Commission,
    /// Reference data, campaigns, quota approval, API clients.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Employer, Role::Officer, Role::Commission, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employer => "employer",
            Role::Officer => "officer",
            Role::Commission => "commission",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Staff see every employer's forecasts (SPEC §4.5).
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Employer)
    }
}
