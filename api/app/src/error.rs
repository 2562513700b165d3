//! The one vocabulary of refusals: each variant of [`AppError`] is a wire
//! code (`/problems/<code>`, the variant's name in kebab-case), carries what
//! its problem document says, and has one HTTP status and one text per
//! language, looked up by that code. The rules' own refusals (field errors,
//! the status machines, the calendar, the store) convert once, here.

use chrono::NaiveDate;
use domain::campaign::CalendarRefusal;
use domain::hqm::criteria::{Authority, Criterion};
use domain::hqm::documents::DocumentKind;
use domain::lifecycle::{Machine, Refusal};
use domain::role::Role;
use domain::{FieldCode, FieldError, ValidationErrors};
use persistence::StoreError;

/// Everything a use case can refuse or fail with.
#[derive(Debug, thiserror::Error, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum AppError {
    /// The caller holds none of the roles the action needs (403).
    #[error("forbidden")]
    Forbidden { needs: Vec<Role> },
    /// An assessor acting on a criterion of another authority, or a
    /// sectoral body on another body's field, named in `sector` (403,
    /// SPEC §16.4.5).
    #[error("another authority's criterion")]
    WrongAuthority { needs: Authority, sector: Option<String> },
    /// A contributor sending another body's input (403, SPEC §16.2).
    #[error("another body's input")]
    WrongBody { needs: domain::commission_inputs::Body, yours: Option<domain::commission_inputs::Body> },
    /// Webhooks belong to API clients (client credentials, SPEC §17): a
    /// person's token is refused (403).
    #[error("API clients only")]
    ApiClientOnly,
    /// No such resource, or none the caller may see (404).
    #[error("not found")]
    NotFound,
    /// A status machine refuses the action in the current status (409). A
    /// forecast answers `transition-not-allowed`; an HQM application
    /// `application-action-not-allowed` and a quota plan
    /// `plan-action-not-allowed` (see [`AppError::code`]).
    #[error("{machine:?} action not allowed in {current}")]
    TransitionNotAllowed { machine: Machine, current: &'static str, allowed: Vec<&'static str> },
    /// The employer has a forecast for that year already (SPEC §15.2).
    #[error("forecast exists")]
    ForecastExists { id: String },
    /// The year has a quota plan already.
    #[error("plan exists")]
    PlanExists,
    /// No approved quota for the year (permits are recorded against one).
    #[error("quota not approved")]
    QuotaNotApproved,
    /// No unit of the activity's quota remains (SPEC §5.3).
    #[error("quota exhausted")]
    QuotaExhausted { activity: String },
    /// The quota names no number for the activity: only exempt permits
    /// (SPEC §16.1.5); an amendment may add it.
    #[error("activity not in quota")]
    ActivityNotInQuota { activity: String },
    /// The permit ended already, for another reason or on another day (SPEC §16.1.6).
    #[error("permit ended")]
    PermitEnded { reason: domain::quota::PermitEnd },
    /// The permit reference was recorded with other data.
    #[error("permit conflict")]
    PermitConflict,
    /// A decision before all six criteria are scored and with no objection (409).
    #[error("scores incomplete")]
    ScoresIncomplete { missing: Vec<Criterion> },
    /// An HQM application or a Commission input holds its 20 documents
    /// already (409).
    #[error("too many documents")]
    TooManyDocuments,
    /// Under review, a document of a kind no officer asked for (409, SPEC §16.4.1).
    #[error("documents not requested")]
    DocumentsNotRequested { kind: DocumentKind, requested: Vec<DocumentKind> },
    /// Under review, a document after the review deadline (409, SPEC §16.4.1).
    #[error("review deadline passed")]
    ReviewDeadlinePassed { deadline: NaiveDate },
    /// The Commission has its inputs already (409, SPEC §15.3, §16.2).
    #[error("commission inputs deadline passed")]
    CommissionInputsDeadlinePassed { deadline: NaiveDate },
    /// Points above 0 on a criterion whose evidence the application lacks
    /// (422, SPEC §16.4.6); `missing` names the evidence, any one of which
    /// would do.
    #[error("criterion evidence missing")]
    CriterionEvidenceMissing { criterion: Criterion, missing: Vec<&'static str> },
    /// A webhook URL the server may not call (422, SPEC §17): not `https`
    /// in production, or its host is or resolves to a private address.
    #[error("webhook URL not allowed")]
    WebhookUrlNotAllowed { reason: domain::webhook::UrlRefusal },
    /// `If-Match` names another version (412).
    #[error("precondition failed")]
    PreconditionFailed { current: i64 },
    /// A body or file over its limit (413).
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    /// An upload that is not PDF, JPEG or PNG (415).
    #[error("unsupported file type")]
    UnsupportedFileType,
    /// Fields that break the rules, all of them (422).
    #[error("validation failed")]
    Validation(ValidationErrors),
    /// The same `Idempotency-Key` with another request (422).
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    /// Submission needs a confirmed contact e-mail (422, SPEC §3).
    #[error("e-mail not confirmed")]
    EmailNotConfirmed,
    /// The request cannot be read (400): malformed JSON, a broken upload or
    /// file, or a path or query holding what no parameter may (each named
    /// in `errors`).
    #[error("bad request: {detail}")]
    BadRequest { detail: String, errors: ValidationErrors },
    /// The campaign does not take forecasts yet (422, SPEC §15.1).
    #[error("campaign not open")]
    CampaignNotOpen { opens_on: NaiveDate },
    #[error("submission deadline passed")]
    SubmissionDeadlinePassed { deadline: NaiveDate },
    #[error("correction deadline passed")]
    CorrectionDeadlinePassed { deadline: NaiveDate },
    #[error("proposal deadline passed")]
    ProposalDeadlinePassed { deadline: NaiveDate },
    #[error("approval deadline passed")]
    ApprovalDeadlinePassed { deadline: NaiveDate },
    /// The database cannot be reached, or the transaction kept losing races (503).
    #[error("service unavailable")]
    ServiceUnavailable(#[source] Unavailable),
    /// A bug or a broken database: 500, the cause logged, never shown.
    #[error("internal error")]
    InternalError(#[source] Internal),
}

/// Why the service cannot answer now (503).
#[derive(Debug, thiserror::Error)]
pub enum Unavailable {
    #[error("database unavailable: {0}")]
    Database(String),
    /// The transaction lost a race: [`persistence::Db::write`] runs it
    /// again, and only when it keeps losing does this reach the caller.
    #[error("the transaction kept losing races")]
    LostRaces,
}

/// The cause of an internal error, for the log.
#[derive(Debug, thiserror::Error)]
pub enum Internal {
    #[error("{0}")]
    Bug(String),
    /// A store failure no rule names (a refused statement, a corrupt value,
    /// a broken setting).
    #[error("store failure")]
    Store(#[source] StoreError),
}

impl AppError {
    /// The wire code: the variant's name in kebab-case, except that a
    /// refused transition names its machine.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::TransitionNotAllowed { machine, .. } => machine_code(*machine),
            other => other.into(),
        }
    }

    /// The HTTP status of every problem of this variant.
    pub fn status(&self) -> u16 {
        use AppError::*;
        match self {
            Forbidden { .. } | WrongAuthority { .. } | WrongBody { .. } | ApiClientOnly => 403,
            NotFound => 404,
            TransitionNotAllowed { .. }
            | ForecastExists { .. }
            | PlanExists
            | QuotaNotApproved
            | QuotaExhausted { .. }
            | ActivityNotInQuota { .. }
            | PermitEnded { .. }
            | PermitConflict
            | ScoresIncomplete { .. }
            | TooManyDocuments
            | DocumentsNotRequested { .. }
            | ReviewDeadlinePassed { .. }
            | CommissionInputsDeadlinePassed { .. } => 409,
            PreconditionFailed { .. } => 412,
            PayloadTooLarge { .. } => 413,
            UnsupportedFileType => 415,
            Validation(_)
            | CriterionEvidenceMissing { .. }
            | WebhookUrlNotAllowed { .. }
            | IdempotencyKeyReused
            | EmailNotConfirmed
            | CampaignNotOpen { .. }
            | SubmissionDeadlinePassed { .. }
            | CorrectionDeadlinePassed { .. }
            | ProposalDeadlinePassed { .. }
            | ApprovalDeadlinePassed { .. } => 422,
            BadRequest { .. } => 400,
            ServiceUnavailable(_) => 503,
            InternalError(_) => 500,
        }
    }

    /// Every wire code an [`AppError`] can have, for the catalogue's tests.
    pub fn codes() -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = <AppError as strum::VariantNames>::VARIANTS
            .iter()
            .copied()
            .filter(|v| *v != "transition-not-allowed")
            .collect();
        codes.extend([Machine::Forecast, Machine::Application, Machine::Plan].map(machine_code));
        codes
    }

    /// One field error as a 422.
    pub fn invalid(field: impl Into<String>, code: FieldCode) -> AppError {
        AppError::Validation(ValidationErrors(vec![FieldError::new(field, code)]))
    }

    /// A request that cannot be read, for the reason `detail`.
    pub fn unreadable(detail: impl Into<String>) -> AppError {
        AppError::BadRequest { detail: detail.into(), errors: ValidationErrors::default() }
    }

    /// An internal error with a message for the log.
    pub fn bug(message: impl Into<String>) -> AppError {
        AppError::InternalError(Internal::Bug(message.into()))
    }
}

/// The wire code of a refused transition of `machine`.
fn machine_code(machine: Machine) -> &'static str {
    match machine {
        Machine::Forecast => "transition-not-allowed",
        Machine::Application => "application-action-not-allowed",
        Machine::Plan => "plan-action-not-allowed",
    }
}

impl persistence::TxError for AppError {
    fn is_retryable(&self) -> bool {
        matches!(self, AppError::ServiceUnavailable(Unavailable::LostRaces))
    }

    fn breaks_connection(&self) -> bool {
        matches!(self, AppError::ServiceUnavailable(Unavailable::Database(_)) | AppError::InternalError(_))
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Forbidden { needs } => AppError::Forbidden { needs: needs.to_vec() },
            Refusal::NotAllowed { machine, current, allowed } => {
                AppError::TransitionNotAllowed { machine, current, allowed }
            }
        }
    }
}

impl From<CalendarRefusal> for AppError {
    fn from(r: CalendarRefusal) -> Self {
        match r {
            CalendarRefusal::NotOpen { opens_on } => AppError::CampaignNotOpen { opens_on },
            CalendarRefusal::SubmissionDeadlinePassed { deadline } => AppError::SubmissionDeadlinePassed { deadline },
            CalendarRefusal::CorrectionDeadlinePassed { deadline } => AppError::CorrectionDeadlinePassed { deadline },
            CalendarRefusal::CommissionInputsDeadlinePassed { deadline } => {
                AppError::CommissionInputsDeadlinePassed { deadline }
            }
            CalendarRefusal::ProposalDeadlinePassed { deadline } => AppError::ProposalDeadlinePassed { deadline },
            CalendarRefusal::ApprovalDeadlinePassed { deadline } => AppError::ApprovalDeadlinePassed { deadline },
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Validation(ValidationErrors(vec![e]))
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Validation(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::IdempotencyMismatch => AppError::IdempotencyKeyReused,
            StoreError::Unavailable(m) => AppError::ServiceUnavailable(Unavailable::Database(m)),
            StoreError::Retry => AppError::ServiceUnavailable(Unavailable::LostRaces),
            e @ (StoreError::Corrupt { .. }
            | StoreError::Database(_)
            | StoreError::Config(_)
            | StoreError::Internal(_)) => AppError::InternalError(Internal::Store(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_each_has_an_error_status() {
        let codes = AppError::codes();
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
        for c in &codes {
            assert!(
                c.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') && !c.starts_with('-') && !c.contains("--"),
                "{c}"
            );
        }
        assert_eq!(AppError::NotFound.code(), "not-found");
        assert_eq!(AppError::IdempotencyKeyReused.code(), "idempotency-key-reused");
        let plan = AppError::from(Refusal::NotAllowed { machine: Machine::Plan, current: "approved", allowed: vec![] });
        assert_eq!((plan.code(), plan.status()), ("plan-action-not-allowed", 409));
    }

    #[test]
    fn a_lost_race_is_retried_and_a_store_failure_drops_the_connection() {
        use persistence::TxError;
        assert!(AppError::from(StoreError::Retry).is_retryable());
        let corrupt = AppError::from(StoreError::Corrupt { column: "forecasts.status", value: "lost".into() });
        assert!(corrupt.breaks_connection() && !corrupt.is_retryable());
        assert_eq!(corrupt.status(), 500);
    }
}
