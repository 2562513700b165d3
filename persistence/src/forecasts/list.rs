//! The applications list (SPEC §4.5): filters, sort orders, pages.

use super::ForecastRow;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{economic_activities as ea, forecasts as f};
use crate::Page;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::status::ForecastStatus;

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// Sort orders of the applications list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    CreatedDesc,
    CreatedAsc,
    SubmittedAsc,
    SubmittedDesc,
    UpdatedDesc,
    UpdatedAsc,
    NumberAsc,
    NumberDesc,
}

/// Filters of the applications list (SPEC §4.5). Bounds are instants:
/// `*_from` inclusive, `*_before` exclusive.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub statuses: Vec<ForecastStatus>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub submitted_from: Option<DateTime<Utc>>,
    pub submitted_before: Option<DateTime<Utc>>,
    pub keyword: Option<String>,
    pub target_year: Option<i32>,
    /// A section also matches forecasts that name one of its divisions.
    pub economic_activity: Option<String>,
    pub tin: Option<String>,
    pub employer: Option<String>,
    pub sort: SortKey,
}

/// The applications list within `tin` (`None`: every employer's, and the
/// keyword also matches TINs and employer names), filtered, sorted, paged.
pub fn list(
    conn: &mut DbConnection,
    tin: Option<&str>,
    filter: &ListFilter,
    page: Page,
) -> Result<(Vec<ForecastRow>, i64), StoreError> {
    let staff = tin.is_none();
    let build = || {
        let mut q = f::table.into_boxed();
        if let Some(t) = tin {
            q = q.filter(f::tin.eq(t.to_owned()));
        }
        if !filter.statuses.is_empty() {
            q = q.filter(f::status.eq_any(filter.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
        }
        if let Some(t) = filter.created_from {
            q = q.filter(f::created_at.ge(naive(t)));
        }
        if let Some(t) = filter.created_before {
            q = q.filter(f::created_at.lt(naive(t)));
        }
        if let Some(t) = filter.submitted_from {
            q = q.filter(f::submitted_at.ge(naive(t)));
        }
        if let Some(t) = filter.submitted_before {
            q = q.filter(f::submitted_at.lt(naive(t)));
        }
        if let Some(y) = filter.target_year {
            q = q.filter(f::target_year.eq(y));
        }
        if let Some(a) = filter.economic_activity.clone() {
            let divisions = ea::table.filter(ea::parent.eq(a.clone())).select(ea::code);
            q = q.filter(f::economic_activity.eq(a).or(f::economic_activity.eq_any(divisions)));
        }
        if let Some(t) = filter.tin.clone() {
            q = q.filter(f::tin.eq(t));
        }
        for w in filter.employer.as_deref().map(domain::text::fold_words).unwrap_or_default() {
            q = q.filter(f::employer_search.like(format!("%{w}%")));
        }
        for w in filter.keyword.as_deref().map(domain::text::fold_words).unwrap_or_default() {
            let pattern = format!("%{w}%");
            if staff {
                q = q.filter(
                    f::search_text
                        .like(pattern.clone())
                        .or(f::employer_search.like(pattern.clone()))
                        .or(f::tin.like(pattern)),
                );
            } else {
                q = q.filter(f::search_text.like(pattern));
            }
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = build();
    let q = match filter.sort {
        SortKey::CreatedDesc => q.order((f::created_at.desc(), f::number.desc())),
        SortKey::CreatedAsc => q.order((f::created_at.asc(), f::number.asc())),
        SortKey::SubmittedAsc => q.order((f::submitted_at.asc(), f::number.asc())),
        SortKey::SubmittedDesc => q.order((f::submitted_at.desc(), f::number.desc())),
        SortKey::UpdatedDesc => q.order((f::updated_at.desc(), f::number.desc())),
        SortKey::UpdatedAsc => q.order((f::updated_at.asc(), f::number.asc())),
        SortKey::NumberAsc => q.order(f::number.asc()),
        SortKey::NumberDesc => q.order(f::number.desc()),
    };
    let rows = q.limit(page.limit()).offset(page.offset()).select(ForecastRow::as_select()).load(conn)?;
    Ok((rows, total))
}
