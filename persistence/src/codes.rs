//! The domain's codes in text columns (statuses, actions, roles,
//! authorities, criteria, kinds, languages): one `FromSql`/`ToSql` pair for
//! every [`Code`] (vaultwarden's `impl_FromToSqlText!`), so a row holds the
//! domain value, never a string. A stored value that is none of its code's
//! values is refused where the row is read ([`CorruptValue`], then
//! [`crate::StoreError::Corrupt`]): never a default, never dropped.

use crate::db::DbConnection;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use domain::Code;

/// The backend of [`DbConnection`] (either database).
type Backend = <DbConnection as diesel::Connection>::Backend;

/// A stored text that is none of its code's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorruptValue {
    /// What the column holds (the code's name, e.g. "forecast status").
    pub what: &'static str,
    pub value: String,
}

impl std::fmt::Display for CorruptValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stored {} {:?} is not one of its values", self.what, self.value)
    }
}

impl std::error::Error for CorruptValue {}

impl CorruptValue {
    /// The corrupt value a row's deserialization failed on, if that is why
    /// it failed (diesel wraps the field's error with the field's name).
    pub fn of<'a>(cause: &'a (dyn std::error::Error + Send + Sync + 'static)) -> Option<&'a CorruptValue> {
        let mut at: Option<&'a (dyn std::error::Error + 'static)> = Some(cause);
        while let Some(e) = at {
            if let Some(c) = e.downcast_ref::<CorruptValue>() {
                return Some(c);
            }
            at = e.source();
        }
        None
    }
}

/// Reads code `T` from a text value.
fn decode<T: Code>(bytes: <Backend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<T> {
    let text = <String as FromSql<Text, Backend>>::from_sql(bytes)?;
    match T::parse(&text) {
        Some(code) => Ok(code),
        // Boxed as the error itself (`.into()` would box the box).
        None => Err(Box::new(CorruptValue { what: T::NAME, value: text })),
    }
}

/// Lets each of these codes be a text column's value, read and written.
macro_rules! text_codes {
    ($($code:ty),* $(,)?) => {$(
        impl FromSql<Text, Backend> for $code {
            fn from_sql(bytes: <Backend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                decode(bytes)
            }
        }

        impl diesel::Queryable<Text, Backend> for $code {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl ToSql<Text, Backend> for $code {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Backend>) -> serialize::Result {
                <str as ToSql<Text, Backend>>::to_sql(Code::as_str(*self), out)
            }
        }
    )*};
}

use domain::commission_inputs::Body;
use domain::forecast::QuotaUsage;
use domain::hqm::applicant::{CefrLevel, EducationLevel};
use domain::hqm::application::{HqmStatus, Outcome};
use domain::hqm::criteria::{Authority, Criterion};
use domain::hqm::documents::{ContentType, DocumentKind};
use domain::quota::{PermitEnd, PlanStatus};
use domain::reference::ActivityLevel;
use domain::role::Role;
use domain::status::ForecastStatus;
use domain::tin::PersonType;
use domain::Lang;

text_codes!(
    ForecastStatus,
    HqmStatus,
    PlanStatus,
    PermitEnd,
    Role,
    PersonType,
    QuotaUsage,
    Authority,
    Criterion,
    DocumentKind,
    ContentType,
    EducationLevel,
    CefrLevel,
    Outcome,
    ActivityLevel,
    Lang,
    Body,
);

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that wraps another, as diesel wraps a field's.
    #[derive(Debug)]
    struct Field(Box<dyn std::error::Error + Send + Sync>);

    impl std::fmt::Display for Field {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field")
        }
    }

    impl std::error::Error for Field {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&*self.0)
        }
    }

    #[test]
    fn a_corrupt_value_is_found_under_the_field_error() {
        let corrupt = CorruptValue { what: "role", value: "emperor".into() };
        let cause: Box<dyn std::error::Error + Send + Sync> = Box::new(Field(Box::new(corrupt.clone())));
        assert_eq!(CorruptValue::of(cause.as_ref()), Some(&corrupt));
        let other: Box<dyn std::error::Error + Send + Sync> = Box::new(Field("no".into()));
        assert_eq!(CorruptValue::of(other.as_ref()), None);
    }
}
