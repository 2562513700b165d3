//! What every body module shares: the imports it is written with, lists,
//! files and the enums the document names.

pub(super) use chrono::{DateTime, NaiveDate, Utc};
pub(super) use persistence::forecasts::{ForecastRecord, ForecastRow, HistoryRow, LineRow};
pub(super) use persistence::{stored, StoreError};
pub(super) use serde::{Deserialize, Serialize};
pub(super) use utoipa::ToSchema;

/// Declares a schema enum that mirrors a domain enum, with conversions both ways.
macro_rules! mirror_enum {
    ($(#[$m:meta])* $name:ident => $domain:path { $($variant:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<$name> for $domain {
            fn from(v: $name) -> Self {
                match v { $($name::$variant => <$domain>::$variant),+ }
            }
        }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                match v { $(<$domain>::$variant => $name::$variant),+ }
            }
        }
    };
}

mirror_enum!(
    /// `physical` (natural person) or `legal` (legal person); must agree with the TIN's last digit.
    PersonType => domain::tin::PersonType { Physical, Legal }
);
mirror_enum!(
    /// Use of the current year's quota: `liberated_territories` (work on territories freed from occupation, exempt from the quota) or `other`.
    QuotaUsage => domain::forecast::QuotaUsage { LiberatedTerritories, Other }
);
mirror_enum!(
    /// Status of a forecast (SPEC §4.3).
    ForecastStatus => domain::status::ForecastStatus { Draft, Submitted, InReview, Returned, Accepted, Withdrawn }
);
mirror_enum!(
    /// A role carried by a token.
    Role => domain::role::Role { Employer, Officer, Commission, Admin, Applicant, Assessor }
);

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
}
