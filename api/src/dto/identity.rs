//! Bodies of the caller, its contact e-mail and API clients (SPEC §3).

use super::common::*;

/// The caller, as its token says.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Me {
    pub sub: String,
    pub roles: Vec<Role>,
    /// The TIN an employer acts for.
    pub tin: Option<String>,
    pub name: Option<String>,
    /// For employers: the TIN's contact e-mail.
    pub contact: Option<Contact>,
}

/// An employer's contact e-mail (shared by every user and ERP client of the TIN).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contact {
    /// The confirmed address, if any.
    #[schema(example = "hr@absheron.az")]
    pub email: Option<String>,
    /// Submission needs a confirmed address.
    pub email_confirmed: bool,
    /// An address waiting for its code.
    pub pending_email: Option<String>,
    /// When the pending code expires.
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub code_expires_at: Option<DateTime<Utc>>,
}

/// The contact e-mail to set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "hr@absheron.az"}))]
pub struct EmailInput {
    #[schema(inline)]
    pub email: domain::contact::EmailText,
}

/// The code received by e-mail.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "042917"}))]
pub struct EmailConfirmInput {
    #[schema(inline)]
    pub code: domain::contact::CodeText,
}

/// An API client (an employer's ERP system).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiClient {
    #[schema(example = "qc_5f2a9c0e1b7d4a36")]
    pub client_id: String,
    pub name: String,
    pub tin: String,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::instant")]
    pub secret_rotated_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A client with its secret: shown only when created or rotated.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiClientCreated {
    pub client: ApiClient,
    /// Keep it now: it is stored only as a hash and never shown again.
    pub client_secret: String,
}

/// An ERP system to register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Abşeron Tikinti — 1C ERP", "tin": "1012345061"}))]
pub struct ApiClientInput {
    #[schema(inline)]
    pub name: Text<1, { domain::contact::MAX_CLIENT_NAME as u64 }>,
    /// The TIN the client acts for.
    #[schema(inline)]
    pub tin: domain::tin::TinText,
}

/// An OAuth 2.0 access token (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds.
    #[schema(example = 300)]
    pub expires_in: i64,
}

/// An OAuth 2.0 error (RFC 6749 §5.2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OAuthError {
    #[schema(example = "invalid_client")]
    pub error: String,
    pub error_description: Option<String>,
}
