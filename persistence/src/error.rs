//! What can go wrong in a store operation: the statement found nothing, lost
//! a race, could not reach the database, or failed. The rules' refusals are
//! the use cases' errors, not these.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such resource, or not one the caller may see.
    #[error("not found")]
    NotFound,
    /// The same idempotency key came with another request.
    #[error("idempotency key reused with another request")]
    IdempotencyMismatch,
    /// The transaction lost a race and should run again.
    #[error("transaction lost a race")]
    Retry,
    /// The database cannot be reached or is too busy (HTTP 503).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored value is none of its column's values (a status, role or
    /// kind the CHECK constraints admit, or a number out of its range): the
    /// data is corrupt or was written by another release. Never read as a
    /// default; a 500 whose cause is logged.
    #[error("stored {column} {value:?} is not a value it may hold")]
    Corrupt { column: &'static str, value: String },
    /// A setting is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// Anything else: a bug or a broken database; logged, never shown.
    #[error("internal: {0}")]
    Internal(String),
    /// A statement failed for a reason no rule names; the database's own
    /// error is kept as the source, for the log.
    #[error("the database refused a statement")]
    Database(#[source] DieselError),
}

/// The error a transaction ends with: a store error, or a use case's own
/// error built from one. It says whether the transaction lost a race (and
/// runs again) and whether the connection's link is gone (and is discarded).
pub trait TxError: From<StoreError> {
    fn is_retryable(&self) -> bool;
    fn breaks_connection(&self) -> bool;
}

impl TxError for StoreError {
    fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Retry)
    }

    fn breaks_connection(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Internal(_) | StoreError::Database(_))
    }
}

/// Parses a value read from `column`; one that does not parse is
/// [`StoreError::Corrupt`], never a default.
pub fn stored<T>(column: &'static str, value: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(value).ok_or_else(|| StoreError::Corrupt { column, value: value.to_owned() })
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match &e {
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DeserializationError(cause) => match crate::codes::CorruptValue::of(cause.as_ref()) {
                Some(c) => StoreError::Corrupt { column: c.what, value: c.value.clone() },
                None => StoreError::Database(e),
            },
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
                    StoreError::Database(e)
                }
            }
            _ => StoreError::Database(e),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

/// A unique violation of an insert: another transaction wrote the same key
/// since this one looked, so this one runs again and finds it
/// ([`StoreError::Retry`]); any other error as it is.
pub fn lost_a_race(e: DieselError) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Retry
    } else {
        e.into()
    }
}

/// An update guarded by what was read (a version, a state) that changed no
/// row: another transaction changed it first, so this one runs again
/// ([`StoreError::Retry`]).
pub fn one_changed(rows: usize) -> Result<(), StoreError> {
    if rows == 0 {
        Err(StoreError::Retry)
    } else {
        Ok(())
    }
}

/// Whether a diesel error is a unique-constraint violation.
pub fn is_unique_violation(e: &DieselError) -> bool {
    matches!(e, DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
}
