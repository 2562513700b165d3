//! Reference data: occupations and economic activities (SPEC §6).

use crate::auth::Caller;
use crate::dto::{EconomicActivity, Me, Occupation, Paged};
use crate::extract::{PageParams, Query};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use domain::FieldError;
use persistence::reference;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OccupationParams {
    /// Code prefix: `7`, `71`, `712`, `7123`; `110` also finds `0110`.
    #[param(max_length = 4, pattern = "^[0-9]{1,4}$", example = "712")]
    pub code: Option<String>,
    /// Words of the title, any order, insensitive to case and Azerbaijani marks.
    #[param(max_length = 200, example = "xarici suvaq")]
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// Search occupations
///
/// Entries `{code, title}` of the Occupational Classification.
#[utoipa::path(
    get, path = "/api/v1/occupations", tag = "reference",
    params(OccupationParams),
    responses((status = 200, description = "Matching entries", body = Paged<Occupation>)),
    security(("bearer" = []))
)]
pub async fn occupations(
    state: web::Data<AppState>,
    _caller: Caller,
    q: Query<OccupationParams>,
) -> Result<HttpResponse, ApiError> {
    let q = q.0;
    let page = PageParams {
        page: q.page,
        per_page: q.per_page,
    }
    .page()?;
    if let Some(code) = q.code.as_deref().map(str::trim) {
        if code.is_empty() || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::Validation(domain::ValidationErrors(vec![
                FieldError::new("code", "occupation_code_format"),
            ])));
        }
    }
    if q.q.as_ref().is_some_and(|s| s.chars().count() > 200) {
        return Err(ApiError::Validation(domain::ValidationErrors(vec![
            FieldError::new("q", "length").with("max", 200),
        ])));
    }
    let (rows, total) = state
        .read(move |c| reference::search_occupations(c, q.code.as_deref(), q.q.as_deref(), page))
        .await?;
    let items = rows
        .into_iter()
        .map(|r| Occupation {
            code: r.code,
            title: r.title,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Paged::new(items, page, total)))
}

/// List economic activities
///
/// NACE Rev. 2 sections (A–U), each followed by its divisions.
#[utoipa::path(
    get, path = "/api/v1/economic-activities", tag = "reference",
    params(PageParams),
    responses((status = 200, description = "Economic activities", body = Paged<EconomicActivity>)),
    security(("bearer" = []))
)]
pub async fn economic_activities(
    state: web::Data<AppState>,
    _caller: Caller,
    q: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = q.0.page()?;
    let (rows, total) = state
        .read(move |c| reference::list_activities(c, page))
        .await?;
    let items = rows
        .into_iter()
        .map(|r| EconomicActivity {
            code: r.code,
            title: r.title,
            level: r.level,
            parent: r.parent,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Paged::new(items, page, total)))
}

/// Who am I
///
/// The caller as its token says: roles, the TIN an employer acts for.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "identity",
    responses((status = 200, description = "The caller", body = Me)),
    security(("bearer" = []))
)]
pub async fn me(caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(Me {
        sub: caller.sub,
        roles: caller.roles.into_iter().map(Into::into).collect(),
        tin: caller.tin,
        name: caller.name,
        email: caller.email,
    })
}
