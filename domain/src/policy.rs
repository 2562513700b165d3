//! Who may do what: the one permission table of the product (SPEC §3, §4.3,
//! §4.5, §5, §14.1, §15.5, §16.2). Use cases ask it before they touch anything; nothing
//! else in the code base decides a role question.

use crate::role::Role;

/// An operation that only some roles may perform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// File forecasts for the token's TIN (SPEC §3, §4.3).
    FileForecasts,
    /// Read every employer's forecasts, filter by TIN and employer (SPEC §4.5).
    ReadAllForecasts,
    /// Start review, return, accept (SPEC §4.3).
    ReviewForecasts,
    /// Keep the contact e-mail of the token's TIN (SPEC §3).
    KeepContactEmail,
    /// Read summaries, their snapshots and the forecast-accuracy report
    /// (SPEC §5.1, §13, §15.5).
    ReadSummaries,
    /// Freeze the summary the Commission receives as a snapshot (SPEC §15.5:
    /// "(officer)").
    FreezeSummaries,
    /// Create the quota plan and propose it (SPEC §5.2).
    ProposeQuota,
    /// Read the quota plan and its history (SPEC §5.2).
    ReadQuotaPlan,
    /// Edit a plan's numbers: proposed by the Commission, approved by admin (SPEC §5.2).
    EditQuotaPlan,
    /// Approve the quota for the Cabinet (SPEC §5.2).
    ApproveQuota,
    /// Record and cancel work permits against the quota (SPEC §5.3).
    RecordPermits,
    /// Set a campaign's dates (SPEC §4.4).
    SetCampaigns,
    /// Import the classification, manage exemption categories (SPEC §6).
    ManageReferenceData,
    /// Register, rotate and revoke ERP systems' API clients (SPEC §3).
    ManageApiClients,
    /// File HQM applications of one's own: create, edit, upload, submit,
    /// withdraw (SPEC §14.1, §14.2).
    FileHqmApplications,
    /// Read every HQM application, its history and decision (SPEC §14.6:
    /// "staff").
    ReadAllHqmApplications,
    /// Score the criteria of one's authority, object, withdraw one's
    /// objection, read the authority's queue (SPEC §14.1, §14.3).
    AssessHqmApplications,
    /// Extend the review and decide (SPEC §14.1, §14.4, §14.5).
    DecideHqmApplications,
    /// Keep the holiday calendar per year (SPEC §14.1, §14.4).
    ManageHolidays,
    /// Send one body's input to the Commission (SPEC §16.2: "that body's
    /// contributor"); which body is the token's `body` claim.
    SendCommissionInputs,
    /// Read every body's input and the SMS's computed one (SPEC §16.2:
    /// "staff, Commission, contributors").
    ReadCommissionInputs,
}

impl Permission {
    pub const ALL: [Permission; 21] = [
        Permission::FileForecasts,
        Permission::ReadAllForecasts,
        Permission::ReviewForecasts,
        Permission::KeepContactEmail,
        Permission::ReadSummaries,
        Permission::FreezeSummaries,
        Permission::ProposeQuota,
        Permission::ReadQuotaPlan,
        Permission::EditQuotaPlan,
        Permission::ApproveQuota,
        Permission::RecordPermits,
        Permission::SetCampaigns,
        Permission::ManageReferenceData,
        Permission::ManageApiClients,
        Permission::FileHqmApplications,
        Permission::ReadAllHqmApplications,
        Permission::AssessHqmApplications,
        Permission::DecideHqmApplications,
        Permission::ManageHolidays,
        Permission::SendCommissionInputs,
        Permission::ReadCommissionInputs,
    ];

    /// The roles that hold this permission: the table itself.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::FileForecasts | Permission::KeepContactEmail => &[Employer],
            Permission::ReadAllForecasts | Permission::ReadSummaries | Permission::ReadAllHqmApplications => {
                &[Officer, Commission, Admin]
            }
            Permission::ReviewForecasts
            | Permission::RecordPermits
            | Permission::DecideHqmApplications
            | Permission::FreezeSummaries => &[Officer],
            Permission::FileHqmApplications => &[Applicant],
            Permission::AssessHqmApplications => &[Assessor],
            Permission::ProposeQuota => &[Commission],
            Permission::ReadQuotaPlan | Permission::EditQuotaPlan => &[Commission, Admin],
            Permission::SendCommissionInputs => &[Contributor],
            Permission::ReadCommissionInputs => &[Officer, Commission, Admin, Contributor],
            Permission::ApproveQuota
            | Permission::SetCampaigns
            | Permission::ManageReferenceData
            | Permission::ManageApiClients
            | Permission::ManageHolidays => &[Admin],
        }
    }

    /// Whether a caller holding `roles` has this permission.
    pub fn granted_to(self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.roles().contains(r))
    }
}

/// The roles a caller holds toward one forecast of `forecast_tin`: an
/// employer role counts only for its own TIN (SPEC §4.5: employers see and
/// act on their TIN's forecasts only); staff roles count everywhere. The
/// status machine (SPEC §4.3) is asked with these.
pub fn roles_toward_forecast(roles: &[Role], caller_tin: Option<&str>, forecast_tin: &str) -> Vec<Role> {
    roles.iter().copied().filter(|r| *r != Role::Employer || caller_tin == Some(forecast_tin)).collect()
}

/// Whether a caller may see a forecast of `forecast_tin` at all; one it may
/// not see is answered as not found (SPEC §10).
pub fn sees_forecast(roles: &[Role], caller_tin: Option<&str>, forecast_tin: &str) -> bool {
    Permission::ReadAllForecasts.granted_to(roles) || !roles_toward_forecast(roles, caller_tin, forecast_tin).is_empty()
}

/// The one TIN an employer files for; staff (without the employer role)
/// file for none (SPEC §3: `tin` is the employer's).
pub fn filing_tin<'a>(roles: &[Role], caller_tin: Option<&'a str>) -> Option<&'a str> {
    roles.contains(&Role::Employer).then_some(caller_tin).flatten()
}

/// The roles a caller holds toward one HQM application owned by
/// `owner_sub` (SPEC §14.1): the applicant role counts only for the owner
/// (the token's `sub`); every other role counts everywhere. The status
/// machine of SPEC §14.2 is asked with these.
pub fn hqm_roles_toward(roles: &[Role], caller_sub: &str, owner_sub: &str) -> Vec<Role> {
    roles.iter().copied().filter(|r| *r != Role::Applicant || caller_sub == owner_sub).collect()
}

/// Whether a caller may read an HQM application of `owner_sub` at all
/// (SPEC §14.6: the owner, staff, and assessors once it was submitted); one
/// it may not read is answered as not found (SPEC §10).
pub fn sees_hqm_application(roles: &[Role], caller_sub: &str, owner_sub: &str, submitted: bool) -> bool {
    Permission::ReadAllHqmApplications.granted_to(roles)
        || (roles.contains(&Role::Applicant) && caller_sub == owner_sub)
        || (submitted && Permission::AssessHqmApplications.granted_to(roles))
}

/// Whether a caller may download the decision document of an application
/// of `owner_sub` (SPEC §14.6: owner and staff).
pub fn reads_hqm_decision(roles: &[Role], caller_sub: &str, owner_sub: &str) -> bool {
    Permission::ReadAllHqmApplications.granted_to(roles)
        || (roles.contains(&Role::Applicant) && caller_sub == owner_sub)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    /// The table as SPEC §3, §4.3, §5 write it, row by row.
    #[test]
    fn the_table_is_the_specification() {
        let expect: [(Permission, &[Role]); 21] = [
            (Permission::FileForecasts, &[Employer]),
            (Permission::ReadAllForecasts, &[Officer, Commission, Admin]),
            (Permission::ReviewForecasts, &[Officer]),
            (Permission::KeepContactEmail, &[Employer]),
            (Permission::ReadSummaries, &[Officer, Commission, Admin]),
            (Permission::FreezeSummaries, &[Officer]),
            (Permission::ProposeQuota, &[Commission]),
            (Permission::ReadQuotaPlan, &[Commission, Admin]),
            (Permission::EditQuotaPlan, &[Commission, Admin]),
            (Permission::ApproveQuota, &[Admin]),
            (Permission::RecordPermits, &[Officer]),
            (Permission::SetCampaigns, &[Admin]),
            (Permission::ManageReferenceData, &[Admin]),
            (Permission::ManageApiClients, &[Admin]),
            (Permission::FileHqmApplications, &[Applicant]),
            (Permission::ReadAllHqmApplications, &[Officer, Commission, Admin]),
            (Permission::AssessHqmApplications, &[Assessor]),
            (Permission::DecideHqmApplications, &[Officer]),
            (Permission::ManageHolidays, &[Admin]),
            (Permission::SendCommissionInputs, &[Contributor]),
            (Permission::ReadCommissionInputs, &[Officer, Commission, Admin, Contributor]),
        ];
        for (p, roles) in expect {
            assert_eq!(p.roles(), roles, "{p:?}");
            for &r in Role::ALL {
                assert_eq!(p.granted_to(&[r]), roles.contains(&r), "{p:?} for {r:?}");
            }
        }
        assert_eq!(Permission::ALL.len(), expect.len());
    }

    #[test]
    fn an_employer_counts_only_toward_its_own_tin() {
        let own = roles_toward_forecast(&[Employer], Some("1012345061"), "1012345061");
        assert_eq!(own, vec![Employer]);
        assert!(roles_toward_forecast(&[Employer], Some("1012345062"), "1012345061").is_empty());
        assert!(!sees_forecast(&[Employer], Some("1012345062"), "1012345061"));
        assert!(sees_forecast(&[Officer], None, "1012345061"));
        // A token with both keeps the staff role everywhere, the employer role at home.
        assert_eq!(roles_toward_forecast(&[Employer, Officer], Some("1012345062"), "1012345061"), vec![Officer]);
    }

    #[test]
    fn only_an_employer_files_and_for_its_tin() {
        assert_eq!(filing_tin(&[Employer], Some("1012345061")), Some("1012345061"));
        assert_eq!(filing_tin(&[Officer], Some("1012345061")), None);
        assert_eq!(filing_tin(&[Employer, Admin], Some("1012345061")), Some("1012345061"));
    }

    #[test]
    fn an_applicant_counts_only_toward_their_own_application() {
        assert_eq!(hqm_roles_toward(&[Applicant], "ayse", "ayse"), vec![Applicant]);
        assert!(hqm_roles_toward(&[Applicant], "ivan", "ayse").is_empty());
        assert_eq!(hqm_roles_toward(&[Assessor, Officer], "x", "ayse"), vec![Assessor, Officer]);
        assert!(sees_hqm_application(&[Applicant], "ayse", "ayse", false));
        assert!(!sees_hqm_application(&[Applicant], "ivan", "ayse", true));
        assert!(!sees_hqm_application(&[Assessor], "x", "ayse", false), "a draft is nobody's queue");
        assert!(sees_hqm_application(&[Assessor], "x", "ayse", true));
        assert!(sees_hqm_application(&[Commission], "x", "ayse", false));
        assert!(!sees_hqm_application(&[Employer], "ayse", "ayse", true));
        assert!(reads_hqm_decision(&[Officer], "x", "ayse"));
        assert!(reads_hqm_decision(&[Applicant], "ayse", "ayse"));
        assert!(!reads_hqm_decision(&[Assessor], "x", "ayse"));
    }
}
