//! Who is asking: the subject and claims of a verified token (SPEC §3,
//! §14.1, §16.2), as the use cases see them.

use crate::AppError;
use domain::hqm::criteria::Authority;
use domain::policy::Permission;
use domain::role::Role;

/// The subject of tokens minted for API clients: `client:` and the client id.
pub const CLIENT_SUBJECT_PREFIX: &str = "client:";

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub sub: String,
    pub roles: Vec<Role>,
    pub tin: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    /// The scoring authority of an assessor (SPEC §14.1).
    pub authority: Option<Authority>,
    /// The body a contributor sends the Commission's input for (SPEC §16.2).
    pub body: Option<domain::commission_inputs::Body>,
    /// The sectoral body of a `sectoral` assessor, from the token's
    /// `sector` claim (SPEC §16.4.5); none: the default body.
    pub sector: Option<String>,
}

impl Caller {
    /// 403 unless the caller holds `permission` (the table of `domain::policy`).
    pub fn may(&self, permission: Permission) -> Result<(), AppError> {
        if permission.granted_to(&self.roles) {
            Ok(())
        } else {
            Err(AppError::Forbidden { needs: permission.roles().to_vec() })
        }
    }
}
