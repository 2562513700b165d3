//! The application layer: what each request means, between HTTP and SQL
//! (SPEC §2). Nothing here knows HTTP; the web framework is not among this
//! crate's dependencies, and a test of the API crate fails if its sources
//! name one.
//!
//! Every use case has one shape: a connection (the transaction its caller
//! opened, or a plain connection for a one-statement read), the
//! [`Caller`], the input, and `now`; it returns domain values or read
//! models, or an [`AppError`]. A use case authorises through the one
//! permission table (`domain::policy`) and the status machines
//! (`domain::lifecycle`), applies the rules of `domain`, runs the
//! persistence calls of its transaction and queues the e-mails that belong
//! to it. The HTTP handlers and the CLI call use cases; persistence knows
//! nothing of callers or roles. See docs/ARCHITECTURE.md.

mod caller;
pub mod campaigns;
mod error;
pub mod forecasts;
pub mod holidays;
pub mod hqm;
pub mod identity;
pub mod import;
pub mod memory;
pub mod quota;
pub mod reference;
pub mod signing;
pub mod snapshots;
pub mod summaries;

pub use caller::Caller;
pub use error::{AppError, Internal, Unavailable};
pub use memory::Memo;
pub use persistence::{DbConnection, Page};

/// What a use case answers.
pub type AppResult<T> = Result<T, AppError>;

/// `page` and `per_page` of every list as asked (SPEC §7), checked into a
/// [`Page`] by the use case after its permission.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PageParams {
    /// Page number, from 1.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000, example = 1))]
    pub page: Option<i64>,
    /// Items a page, 1 to 100 (default 10).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100, example = 10))]
    pub per_page: Option<i64>,
}

impl PageParams {
    /// The highest page number asked for.
    pub const MAX_PAGE: i64 = 1_000_000;

    /// The page asked for, or 422 naming each bad parameter.
    pub fn page(&self) -> Result<Page, AppError> {
        use domain::{FieldCode, FieldError, ValidationErrors};
        let mut errs = ValidationErrors::default();
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(i64::from(Page::DEFAULT_PER_PAGE));
        if !(1..=Self::MAX_PAGE).contains(&page) {
            errs.push(FieldError::new("page", FieldCode::OutOfRange).with("min", 1).with("max", Self::MAX_PAGE));
        }
        if !(1..=i64::from(Page::MAX_PER_PAGE)).contains(&per_page) {
            errs.push(
                FieldError::new("per_page", FieldCode::OutOfRange).with("min", 1).with("max", Page::MAX_PER_PAGE),
            );
        }
        errs.into_result(())?;
        Ok(Page { page: u32::try_from(page).unwrap_or(1), per_page: u32::try_from(per_page).unwrap_or(10) })
    }
}
