//! What can go wrong in a store operation, in terms the API maps to HTTP.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use domain::campaign::CalendarRefusal;
use domain::status::TransitionError;
use domain::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such resource, or not one the caller may see.
    #[error("not found")]
    NotFound,
    /// The input breaks domain rules.
    #[error("validation failed")]
    Validation(ValidationErrors),
    /// The status machine refuses the action.
    #[error("transition refused: {0:?}")]
    Transition(TransitionError),
    /// The campaign calendar refuses the submission.
    #[error("calendar refuses: {0:?}")]
    Calendar(CalendarRefusal),
    /// `If-Match` named another version than the current one.
    #[error("precondition failed; current version {current}")]
    PreconditionFailed { current: i64 },
    /// The same idempotency key came with another request.
    #[error("idempotency key reused with another request")]
    IdempotencyMismatch,
    /// Submission needs the employer's confirmed contact e-mail (422).
    #[error("contact e-mail not confirmed")]
    EmailNotConfirmed,
    /// The quota plan's status does not allow the action (409).
    #[error("plan action not allowed in {current:?}")]
    PlanNotAllowed { current: domain::quota::PlanStatus, allowed: Vec<domain::quota::PlanAction> },
    /// The plan of the year exists already (409).
    #[error("plan exists")]
    PlanExists { current: domain::quota::PlanStatus },
    /// No approved quota for the year yet (409).
    #[error("quota not approved")]
    QuotaNotApproved,
    /// No unit of the activity's quota remains (409 `quota-exhausted`).
    #[error("quota exhausted for {activity}")]
    QuotaExhausted { activity: String },
    /// The permit reference was recorded with other details (409).
    #[error("permit recorded with other details")]
    PermitConflict,
    /// The transaction lost a race and should run again.
    #[error("transaction lost a race")]
    Retry,
    /// The database cannot be reached or is too busy (HTTP 503).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A setting is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// Anything else: a bug or a broken database; logged, never shown.
    #[error("internal: {0}")]
    Internal(String),
}

impl StoreError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Retry)
    }
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match &e {
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => StoreError::Retry,
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                StoreError::Unavailable(e.to_string())
            }
            DieselError::DatabaseError(_, info) => {
                let m = info.message();
                // PostgreSQL deadlocks and statement timeouts, SQLite's
                // "database is locked" after the busy timeout: the database
                // is overloaded, not the request wrong.
                if m.contains("deadlock") {
                    StoreError::Retry
                } else if m.contains("database is locked")
                    || m.contains("statement timeout")
                    || m.contains("lock timeout")
                {
                    StoreError::Unavailable(m.to_owned())
                } else {
                    StoreError::Internal(e.to_string())
                }
            }
            _ => StoreError::Internal(e.to_string()),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

/// Whether a diesel error is a unique-constraint violation.
pub fn is_unique_violation(e: &DieselError) -> bool {
    matches!(e, DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
}
