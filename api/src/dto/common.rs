//! What every body module shares: the imports it is written with, lists,
//! files and the enums the document names.

pub(super) use chrono::{DateTime, NaiveDate, Utc};
pub(super) use domain::value::{List, Number, Text};
pub(super) use persistence::forecasts::{ForecastRecord, ForecastRow, HistoryRow, LineRow};
pub(super) use serde::{Deserialize, Serialize};
pub(super) use utoipa::ToSchema;

/// The codes the bodies name are the domain's, with their schemas.
pub use domain::forecast::QuotaUsage;
pub use domain::quota::PlanStatus;
pub use domain::role::Role;
pub use domain::status::ForecastStatus;
pub use domain::tin::PersonType;

/// A file (an export, or an upload of at most 10 MiB).
#[derive(Debug, Clone, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct BinaryFile(pub Vec<u8>);

/// A CSV file sent as the body (UTF-8, at most 10 MiB).
#[derive(Debug, Clone, ToSchema)]
#[schema(value_type = String)]
pub struct CsvFile(pub String);

/// A file sent as `multipart/form-data`: the part named `file`.
#[derive(Debug, Clone, ToSchema)]
pub struct FileUpload {
    /// The file, with its media type on the part.
    pub file: BinaryFile,
}

/// A page of a list (SPEC §7).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    pub items: Vec<T>,
    #[schema(example = 1)]
    pub page: u32,
    #[schema(example = 10)]
    pub per_page: u32,
    #[schema(example = 0)]
    pub total: i64,
}

impl<T: ToSchema> Paged<T> {
    pub fn new(items: Vec<T>, page: persistence::Page, total: i64) -> Self {
        Paged { items, page: page.page, per_page: page.per_page, total }
    }
}

/// Health of the process and its database.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
    /// Readiness only: seconds since the oldest e-mail not yet sent was
    /// queued (absent when none waits). A growing age means the mail relay
    /// is not taking messages (SPEC §16.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 4)]
    pub outbox_oldest_unsent_seconds: Option<i64>,
    /// Readiness only: e-mails waiting to be sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 0)]
    pub outbox_depth: Option<i64>,
}
