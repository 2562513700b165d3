//! Values that carry their limits: a text of at most `MAX` characters, a
//! whole number from `MIN` to `MAX`. The limit is written once, as the
//! type's parameter (a constant of the rule it comes from); the type checks
//! it with `validator` and writes it into its OpenAPI schema (behind the
//! `openapi` feature), so the document and the check cannot disagree.

use serde::{Deserialize, Serialize};
use validator::{ValidateLength, ValidateRange, ValidationError, ValidationErrors};

/// The key under which a value type reports its own error: the caller's
/// field path names it ([`crate::ValidationErrors::extend_from_validator`]).
pub const OWN: &str = "__all__";

/// Text as a request sends it: at most `MAX` characters (counted as
/// characters, not bytes); `MIN` is what the document asks of a required
/// text (1), the rules decide what blank means. Forbidden control
/// characters are refused at the boundary for every string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text<const MIN: u64, const MAX: u64>(String);

impl<const MIN: u64, const MAX: u64> Text<MIN, MAX> {
    /// The longest text the type admits.
    pub const MAX: u64 = MAX;

    pub fn new(s: impl Into<String>) -> Self {
        Text(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<const MIN: u64, const MAX: u64> std::ops::Deref for Text<MIN, MAX> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<const MIN: u64, const MAX: u64> From<&str> for Text<MIN, MAX> {
    fn from(s: &str) -> Self {
        Text(s.to_owned())
    }
}

impl<const MIN: u64, const MAX: u64> From<String> for Text<MIN, MAX> {
    fn from(s: String) -> Self {
        Text(s)
    }
}

impl<const MIN: u64, const MAX: u64> validator::Validate for Text<MIN, MAX> {
    /// Too long is `length` with `max`; too short (blank) is the rules'
    /// `required`, not checked here.
    fn validate(&self) -> Result<(), ValidationErrors> {
        if self.0.validate_length(None, Some(MAX), None) {
            return Ok(());
        }
        let mut e = ValidationError::new("length");
        e.add_param("max".into(), &MAX);
        let mut errs = ValidationErrors::new();
        errs.add(OWN, e);
        Err(errs)
    }
}

/// A whole number from `MIN` to `MAX`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Number<const MIN: i64, const MAX: i64>(i64);

impl<const MIN: i64, const MAX: i64> Number<MIN, MAX> {
    pub const MIN: i64 = MIN;
    pub const MAX: i64 = MAX;

    pub fn new(n: i64) -> Self {
        Number(n)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl<const MIN: i64, const MAX: i64> From<i64> for Number<MIN, MAX> {
    fn from(n: i64) -> Self {
        Number(n)
    }
}

impl<const MIN: i64, const MAX: i64> validator::Validate for Number<MIN, MAX> {
    fn validate(&self) -> Result<(), ValidationErrors> {
        if self.0.validate_range(Some(MIN), Some(MAX), None, None) {
            return Ok(());
        }
        let mut e = ValidationError::new("range");
        e.add_param("min".into(), &MIN);
        e.add_param("max".into(), &MAX);
        let mut errs = ValidationErrors::new();
        errs.add(OWN, e);
        Err(errs)
    }
}

/// A date as every request writes it: `YYYY-MM-DD` exactly, a real day in
/// [`crate::time::DATE_YEARS`] (`0000-01-01` or `+2015-03-02` is refused
/// naming the field, rather than read as a date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Date(chrono::NaiveDate);

impl Date {
    pub fn new(d: chrono::NaiveDate) -> Self {
        Date(d)
    }

    pub fn get(self) -> chrono::NaiveDate {
        self.0
    }
}

impl From<chrono::NaiveDate> for Date {
    fn from(d: chrono::NaiveDate) -> Self {
        Date(d)
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Date, String> {
        crate::time::parse_date(s).map(Date).ok_or_else(|| format!("not a date: {s:?}"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        crate::time::parse_date(&s).map(Date).ok_or_else(|| {
            let (min, max) = (crate::time::DATE_YEARS.start(), crate::time::DATE_YEARS.end());
            serde::de::Error::custom(format!("expected a date from {min}-01-01 to {max}-12-31 written YYYY-MM-DD"))
        })
    }
}

/// Text that must match a shape as well as a length: a TIN, an occupation
/// code. `P` names the shape ([`Shape`]); the rules check it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Shaped<P: Shape>(String, #[serde(skip)] std::marker::PhantomData<P>);

/// The shape of a [`Shaped`] text: its pattern and length, from the rule
/// that defines it.
pub trait Shape: Clone + Default + PartialEq + Eq + std::hash::Hash + std::fmt::Debug {
    /// The regular expression of the OpenAPI schema.
    fn pattern() -> std::borrow::Cow<'static, str>;
    fn min() -> u64;
    fn max() -> u64;
    /// The OpenAPI `format` the text has, if any (`email`).
    fn format() -> Option<&'static str> {
        None
    }
}

/// The shape of a text that should be one of the values of code `T` (a
/// language, a level): the rules read it and name what is wrong, rather
/// than refusing the body's type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OneOf<T>(std::marker::PhantomData<T>);

impl<T> Default for OneOf<T> {
    fn default() -> Self {
        OneOf(std::marker::PhantomData)
    }
}

impl<T: crate::code::Code + std::hash::Hash> Shape for OneOf<T> {
    fn pattern() -> std::borrow::Cow<'static, str> {
        let values: Vec<&str> = T::ALL.iter().map(|c| c.as_str()).collect();
        format!("^({})$", values.join("|")).into()
    }

    fn min() -> u64 {
        T::ALL.iter().map(|c| c.as_str().chars().count() as u64).min().unwrap_or(0)
    }

    fn max() -> u64 {
        T::ALL.iter().map(|c| c.as_str().chars().count() as u64).max().unwrap_or(0)
    }
}

impl<P: Shape> Shaped<P> {
    pub fn new(s: impl Into<String>) -> Self {
        Shaped(s.into(), std::marker::PhantomData)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<P: Shape> std::ops::Deref for Shaped<P> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<P: Shape> From<&str> for Shaped<P> {
    fn from(s: &str) -> Self {
        Shaped::new(s)
    }
}

/// A list of at most `MAX` items (its length is the rules' to check, with
/// the error they name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct List<T, const MAX: usize>(Vec<T>);

impl<T, const MAX: usize> Default for List<T, MAX> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<T, const MAX: usize> List<T, MAX> {
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }
}

impl<T, const MAX: usize> std::ops::Deref for List<T, MAX> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T, const MAX: usize> std::ops::DerefMut for List<T, MAX> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T, const MAX: usize> From<Vec<T>> for List<T, MAX> {
    fn from(v: Vec<T>) -> Self {
        List(v)
    }
}

#[cfg(feature = "openapi")]
mod schema {
    use super::{Date, List, Number, Shape, Shaped, Text};
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::RefOr;

    impl<const MIN: u64, const MAX: u64> utoipa::PartialSchema for Text<MIN, MAX> {
        fn schema() -> RefOr<Schema> {
            let min = (MIN > 0).then(|| usize::try_from(MIN).unwrap_or(usize::MAX));
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(min)
                .max_length(Some(usize::try_from(MAX).unwrap_or(usize::MAX)))
                .into()
        }
    }

    impl<const MIN: u64, const MAX: u64> utoipa::ToSchema for Text<MIN, MAX> {}

    impl<const MIN: i64, const MAX: i64> utoipa::PartialSchema for Number<MIN, MAX> {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Int64)))
                .minimum(Some(MIN))
                .maximum(Some(MAX))
                .into()
        }
    }

    impl<const MIN: i64, const MAX: i64> utoipa::ToSchema for Number<MIN, MAX> {}

    impl utoipa::PartialSchema for Date {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Date)))
                .into()
        }
    }

    impl utoipa::ToSchema for Date {}

    impl<P: Shape> utoipa::PartialSchema for Shaped<P> {
        fn schema() -> RefOr<Schema> {
            let len = |n: u64| Some(usize::try_from(n).unwrap_or(usize::MAX));
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(P::pattern()))
                .min_length(len(P::min()))
                .max_length(len(P::max()))
                .format(P::format().map(|f| utoipa::openapi::SchemaFormat::Custom(f.into())))
                .into()
        }
    }

    impl<P: Shape> utoipa::ToSchema for Shaped<P> {}

    impl<T: utoipa::ToSchema, const MAX: usize> utoipa::PartialSchema for List<T, MAX> {
        fn schema() -> RefOr<Schema> {
            // A `Shaped<P>` has no name of its own (every shape would be one
            // component "Shaped"): its schema stands in the list itself.
            let items = if is_unnamed::<T>() {
                T::schema()
            } else {
                RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
            };
            utoipa::openapi::schema::ArrayBuilder::new().items(items).max_items(Some(MAX)).into()
        }
    }

    /// Whether `T`'s component name is the generic `Shaped`, shared by all shapes.
    fn is_unnamed<T: utoipa::ToSchema>() -> bool {
        T::name() == "Shaped"
    }

    impl<T: utoipa::ToSchema, const MAX: usize> utoipa::ToSchema for List<T, MAX> {
        fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            if !is_unnamed::<T>() {
                schemas.push((T::name().into_owned(), T::schema()));
            }
            T::schemas(schemas);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use validator::Validate;

    #[test]
    fn a_text_is_counted_in_characters_and_refused_beyond_its_max() {
        assert!(Text::<1, 5>::from("Bənna").validate().is_ok());
        let e = Text::<1, 4>::from("Bənna").validate().unwrap_err();
        let own = &e.field_errors()[OWN][0];
        assert_eq!((own.code.as_ref(), own.params["max"].as_u64()), ("length", Some(4)));
    }

    #[test]
    fn a_number_is_refused_outside_its_range() {
        assert!(Number::<1, 10>::new(10).validate().is_ok());
        assert!(Number::<1, 10>::new(0).validate().is_err());
        assert!(Number::<1, 10>::new(11).validate().is_err());
    }
}
