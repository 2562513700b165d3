//! Roles of the people and systems that call the API (SPEC §3, §14.1, §16.2).

crate::wire_codes! {
    /// A role carried in a token's `roles` claim (SPEC §3, §14.1).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum Role("role") {
        /// Acts for one TIN: files forecasts.
        Employer => "employer",
        /// State Migration Service reviewer; in the HQM service it extends the
        /// review and issues the decision (SPEC §14.1).
        Officer => "officer",
        /// Commission on Establishment of Labour Quotas: summaries and proposals.
        Commission => "commission",
        /// Reference data, campaigns, quota approval, API clients, the holiday
        /// calendar (SPEC §14.1).
        Admin => "admin",
        /// A foreigner or stateless person applying to be recognised as a Highly
        /// Qualified Migrant, identified by the token's `sub` (SPEC §14.1).
        Applicant => "applicant",
        /// An official of one scoring authority, named by the token's `authority`
        /// claim (SPEC §14.1).
        Assessor => "assessor",
        /// An official of one body that feeds the Commission (labour,
        /// economy, education, SOCAR), named by the token's `body` claim; sends
        /// that body's input for a target year (SPEC §16.2).
        Contributor => "contributor",
    }
}

impl Role {
    /// Staff see every employer's forecasts (SPEC §4.5): the officer, the
    /// Commission and admin. Applicants and assessors are not staff of the
    /// quota service (SPEC §14.1).
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Officer | Role::Commission | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_only_three_roles_are_staff() {
        for &r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        let staff: Vec<Role> = Role::ALL.iter().copied().filter(|r| r.is_staff()).collect();
        assert_eq!(staff, [Role::Officer, Role::Commission, Role::Admin]);
    }
}
