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
pub mod commission_inputs;
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
pub mod webhooks;

pub use caller::{Caller, CLIENT_SUBJECT_PREFIX};
pub use error::{AppError, Internal, Unavailable};
pub use memory::Memo;
pub use persistence::{DbConnection, Page};
use validator::Validate;

/// What a use case answers.
pub type AppResult<T> = Result<T, AppError>;

/// The longest search text of a list's query (`keyword`, `q`, `employer`).
pub const MAX_QUERY_TEXT: u64 = 200;

/// A search text of a list's query: at most [`MAX_QUERY_TEXT`] characters.
pub type QueryText = domain::value::Text<0, MAX_QUERY_TEXT>;

/// The highest page number asked for.
pub const MAX_PAGE: i64 = 1_000_000;

/// A page number as asked: from 1 to [`MAX_PAGE`].
pub type PageNumber = domain::value::Number<1, MAX_PAGE>;

/// A page's length as asked: from 1 to [`Page::MAX_PER_PAGE`].
pub type PerPage = domain::value::Number<1, { Page::MAX_PER_PAGE as i64 }>;

/// `page` and `per_page` of every list as asked (SPEC §7), checked into a
/// [`Page`] by the use case after its permission.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PageParams {
    /// Page number, from 1.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", param(inline, example = 1))]
    pub page: Option<PageNumber>,
    /// Items a page, 1 to 100 (default 10).
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", param(inline, example = 10))]
    pub per_page: Option<PerPage>,
}

impl PageParams {
    /// The page asked for, or 422 naming each bad parameter.
    pub fn page(&self) -> Result<Page, AppError> {
        if let Err(e) = Validate::validate(self) {
            let mut errs = domain::ValidationErrors::default();
            errs.extend_from_validator("", &e);
            return Err(errs.into());
        }
        let page = self.page.map_or(1, PageNumber::get);
        let per_page = self.per_page.map_or(i64::from(Page::DEFAULT_PER_PAGE), PerPage::get);
        Ok(Page { page: u32::try_from(page).unwrap_or(1), per_page: u32::try_from(per_page).unwrap_or(10) })
    }
}
