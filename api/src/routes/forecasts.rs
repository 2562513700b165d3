//! The forecast: the employer's lifecycle and the officers' actions (SPEC §4, §13).

use crate::auth::Caller;
use crate::dto::{
    Forecast, ForecastCreate, ForecastReplace, ForecastStatus, ForecastSummary, HistoryEntry, LineInput, Paged,
    ReturnInput,
};
use crate::extract::{IdempotencyKey, IfMatch, JsonBody, PageParams, Query};
use crate::problem::ApiError;
use crate::state::{json_with_etag, stored, AppState};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use domain::role::Role;
use domain::status::ForecastAction;
use domain::time::baku_day_bounds;
use domain::{FieldError, ValidationErrors};
use persistence::forecasts::{self as store, ListFilter, NewForecast, SortKey};
use serde::Deserialize;
use utoipa::IntoParams;

fn location(id: &str) -> String {
    format!("/api/v1/forecasts/{id}")
}

/// Create a forecast
///
/// Creates a draft with the employer section and any lines; with
/// `"submit": true` it is created and submitted in one step (for ERP systems).
/// Send an `Idempotency-Key` so a retry never creates a second forecast.
#[utoipa::path(
    post, path = "/api/v1/forecasts", operation_id = "create_forecast", tag = "forecasts",
    request_body = ForecastCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the first answer is replayed (1–255 characters).", max_length = 255)),
    responses(
        (status = 201, description = "Created; `Location` and `ETag` are set", body = Forecast,
            headers(("Location" = String, description = "The new forecast"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "A transition the status machine refuses", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: JsonBody<ForecastCreate>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Employer])?;
    let input = body.value;
    let target_year = domain::forecast::check_target_year(input.target_year, state.now())?;
    let employer = input.employer.to_domain();
    let lines: Vec<_> = input.lines.iter().map(LineInput::to_domain).collect();
    let submit = input.submit;
    let viewer = caller.viewer();
    state
        .idempotent(&req, &caller, key, &body.raw, move |conn, now| {
            let new = NewForecast { target_year, employer: &employer, lines: &lines, submit };
            let rec = store::create(conn, &viewer, &new, now)?;
            Ok(stored(StatusCode::CREATED, &Forecast::from(&rec), Some(location(&rec.row.id)), Some(rec.row.version)))
        })
        .await
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        ApiError::Validation(e)
    }
}

/// Sort orders of the list.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
pub enum Sort {
    #[serde(rename = "-created_at")]
    CreatedDesc,
    #[serde(rename = "created_at")]
    CreatedAsc,
    #[serde(rename = "submitted_at")]
    SubmittedAsc,
    #[serde(rename = "-submitted_at")]
    SubmittedDesc,
    #[serde(rename = "-updated_at")]
    UpdatedDesc,
    #[serde(rename = "updated_at")]
    UpdatedAsc,
    #[serde(rename = "number")]
    NumberAsc,
    #[serde(rename = "-number")]
    NumberDesc,
}

impl From<Sort> for SortKey {
    fn from(s: Sort) -> Self {
        match s {
            Sort::CreatedDesc => SortKey::CreatedDesc,
            Sort::CreatedAsc => SortKey::CreatedAsc,
            Sort::SubmittedAsc => SortKey::SubmittedAsc,
            Sort::SubmittedDesc => SortKey::SubmittedDesc,
            Sort::UpdatedDesc => SortKey::UpdatedDesc,
            Sort::UpdatedAsc => SortKey::UpdatedAsc,
            Sort::NumberAsc => SortKey::NumberAsc,
            Sort::NumberDesc => SortKey::NumberDesc,
        }
    }
}

/// Filters of the applications list (SPEC §4.5). Dates are whole days in Baku.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<i64>,
    /// Items a page, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
    pub status: Option<ForecastStatus>,
    /// Created on or after this date.
    pub created_from: Option<chrono::NaiveDate>,
    /// Created on or before this date.
    pub created_until: Option<chrono::NaiveDate>,
    /// Submitted on or after this date.
    pub submitted_from: Option<chrono::NaiveDate>,
    /// Submitted on or before this date.
    pub submitted_until: Option<chrono::NaiveDate>,
    /// Words in occupation codes and titles, justifications and notes (staff: also TIN and employer name).
    #[param(max_length = 200)]
    pub keyword: Option<String>,
    #[param(minimum = 2000, maximum = 2100)]
    pub target_year: Option<i32>,
    /// A section code also lists forecasts that name one of its divisions.
    #[param(max_length = 10)]
    pub economic_activity: Option<String>,
    /// Staff: the employer's TIN.
    #[param(max_length = 10)]
    pub tin: Option<String>,
    /// Staff: words of the employer's name.
    #[param(max_length = 200)]
    pub employer: Option<String>,
    /// Default `-created_at` (newest first); the officers' queue uses `submitted_at`.
    pub sort: Option<Sort>,
}

impl ListParams {
    fn filter(&self) -> Result<ListFilter, ApiError> {
        let mut errs = ValidationErrors::default();
        for (name, v, max) in [
            ("keyword", &self.keyword, 200),
            ("economic_activity", &self.economic_activity, 10),
            ("tin", &self.tin, 10),
            ("employer", &self.employer, 200),
        ] {
            if v.as_ref().is_some_and(|s| s.chars().count() > max) {
                errs.push(FieldError::new(name, "length").with("max", max));
            }
        }
        if let Some(y) = self.target_year {
            if !(2000..=2100).contains(&y) {
                errs.push(FieldError::new("target_year", "out_of_range").with("min", 2000).with("max", 2100));
            }
        }
        if !errs.is_empty() {
            return Err(ApiError::Validation(errs));
        }
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok(ListFilter {
            statuses: self.status.map(|s| vec![s.into()]).unwrap_or_default(),
            created_from: self.created_from.map(|d| baku_day_bounds(d).0),
            created_before: self.created_until.map(|d| baku_day_bounds(d).1),
            submitted_from: self.submitted_from.map(|d| baku_day_bounds(d).0),
            submitted_before: self.submitted_until.map(|d| baku_day_bounds(d).1),
            keyword: text(&self.keyword),
            target_year: self.target_year,
            economic_activity: text(&self.economic_activity),
            tin: text(&self.tin),
            employer: text(&self.employer),
            sort: self.sort.map(SortKey::from).unwrap_or_default(),
        })
    }
}

/// List forecasts
///
/// The applications list: an employer sees its TIN's forecasts, staff see all.
#[utoipa::path(
    get, path = "/api/v1/forecasts", operation_id = "list_forecasts", tag = "forecasts",
    params(ListParams),
    responses((status = 200, description = "A page of forecasts", body = Paged<ForecastSummary>)),
    security(("bearer" = []))
)]
pub async fn list(state: web::Data<AppState>, caller: Caller, q: Query<ListParams>) -> Result<HttpResponse, ApiError> {
    let q = q.0;
    let page = PageParams { page: q.page, per_page: q.per_page }.page()?;
    let filter = q.filter()?;
    let viewer = caller.viewer();
    let (rows, total) = state.read(move |c| store::list(c, &viewer, &filter, page)).await?;
    let items = rows.iter().map(ForecastSummary::from).collect();
    Ok(HttpResponse::Ok().json(Paged::new(items, page, total)))
}

/// Read a forecast
///
/// The forecast with its lines; the `ETag` is its version, for `If-Match`.
#[utoipa::path(
    get, path = "/api/v1/forecasts/{id}", operation_id = "get_forecast", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id")),
    responses((status = 200, description = "The forecast", body = Forecast, headers(("ETag" = String, description = "The version")))),
    security(("bearer" = []))
)]
pub async fn get(state: web::Data<AppState>, caller: Caller, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let viewer = caller.viewer();
    let id = id.into_inner();
    let rec = state.read_one(move |c| store::get(c, &id, &viewer)).await?;
    Ok(json_with_etag(StatusCode::OK, &Forecast::from(&rec), rec.row.version))
}

/// Replace a forecast
///
/// Replaces the employer section and all lines of a draft or returned forecast.
#[utoipa::path(
    put, path = "/api/v1/forecasts/{id}", operation_id = "replace_forecast", tag = "forecasts",
    request_body = ForecastReplace,
    params(("id" = String, Path, description = "Forecast id"), ("If-Match" = Option<String>, Header, description = "The ETag last read; a stale one answers 412", max_length = 255)),
    responses(
        (status = 200, description = "Replaced", body = Forecast, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not editable in its status", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn replace(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<ForecastReplace>,
) -> Result<HttpResponse, ApiError> {
    let viewer = caller.viewer();
    let id = id.into_inner();
    let employer = body.value.employer.to_domain();
    let lines: Vec<_> = body.value.lines.iter().map(LineInput::to_domain).collect();
    let now = state.now();
    let rec = state.write(move |c| store::replace(c, &id, &viewer, if_match.0, &employer, &lines, now)).await?;
    Ok(json_with_etag(StatusCode::OK, &Forecast::from(&rec), rec.row.version))
}

/// Delete a draft
#[utoipa::path(
    delete, path = "/api/v1/forecasts/{id}", operation_id = "delete_forecast", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Not a draft", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let viewer = caller.viewer();
    let id = id.into_inner();
    state.write(move |c| store::delete(c, &id, &viewer, if_match.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a line
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/lines", tag = "forecasts",
    request_body = LineInput,
    params(("id" = String, Path, description = "Forecast id"), ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe", max_length = 255)),
    responses(
        (status = 201, description = "Added; `Location` names the line; the body is the whole forecast", body = Forecast,
            headers(("Location" = String, description = "The new line"), ("ETag" = String, description = "The forecast's new version"))),
        (status = 409, description = "Not editable in its status", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn add_line(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    key: IdempotencyKey,
    body: JsonBody<LineInput>,
) -> Result<HttpResponse, ApiError> {
    let viewer = caller.viewer();
    let id = id.into_inner();
    let line = body.value.to_domain();
    state
        .idempotent(&req, &caller, key, &body.raw, move |c, now| {
            let (rec, line_id) = store::add_line(c, &id, &viewer, if_match.0, &line, now)?;
            let loc = format!("{}/lines/{line_id}", location(&id));
            Ok(stored(StatusCode::CREATED, &Forecast::from(&rec), Some(loc), Some(rec.row.version)))
        })
        .await
}

/// Change a line
#[utoipa::path(
    put, path = "/api/v1/forecasts/{id}/lines/{line_id}", tag = "forecasts",
    request_body = LineInput,
    params(("id" = String, Path, description = "Forecast id"), ("line_id" = String, Path, description = "Line id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255)),
    responses(
        (status = 200, description = "Changed; the whole forecast", body = Forecast, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not editable in its status", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn update_line(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: JsonBody<LineInput>,
) -> Result<HttpResponse, ApiError> {
    let viewer = caller.viewer();
    let (id, line_id) = path.into_inner();
    let line = body.value.to_domain();
    let now = state.now();
    let rec = state.write(move |c| store::update_line(c, &id, &line_id, &viewer, if_match.0, &line, now)).await?;
    Ok(json_with_etag(StatusCode::OK, &Forecast::from(&rec), rec.row.version))
}

/// Remove a line
#[utoipa::path(
    delete, path = "/api/v1/forecasts/{id}/lines/{line_id}", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), ("line_id" = String, Path, description = "Line id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255)),
    responses(
        (status = 200, description = "Removed; the whole forecast", body = Forecast, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not editable in its status", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn delete_line(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let viewer = caller.viewer();
    let (id, line_id) = path.into_inner();
    let now = state.now();
    let rec = state.write(move |c| store::delete_line(c, &id, &line_id, &viewer, if_match.0, now)).await?;
    Ok(json_with_etag(StatusCode::OK, &Forecast::from(&rec), rec.row.version))
}

#[allow(clippy::too_many_arguments)] // the extractors of the action handlers, passed through
async fn act(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: String,
    if_match: IfMatch,
    key: IdempotencyKey,
    action: ForecastAction,
    reason: Option<String>,
    raw: &[u8],
) -> Result<HttpResponse, ApiError> {
    let viewer = caller.viewer();
    state
        .idempotent(&req, &caller, key, raw, move |c, now| {
            let rec = store::act(c, &id, &viewer, action, reason.as_deref(), if_match.0, now)?;
            Ok(stored(StatusCode::OK, &Forecast::from(&rec), None, Some(rec.row.version)))
        })
        .await
}

macro_rules! action_handler {
    ($(#[$doc:meta])* $fn:ident, $path:literal, $action:expr) => {
        $(#[$doc])*
        #[utoipa::path(
            post, path = $path, tag = "forecasts",
            params(("id" = String, Path, description = "Forecast id"),
                ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255),
                ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe", max_length = 255)),
            responses(
                (status = 200, description = "Done; the forecast in its new status", body = Forecast, headers(("ETag" = String, description = "The new version"))),
                (status = 409, description = "Not allowed from the current status; the problem names it and the allowed actions", body = crate::problem::Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        pub async fn $fn(
            state: web::Data<AppState>,
            req: HttpRequest,
            caller: Caller,
            id: web::Path<String>,
            if_match: IfMatch,
            key: IdempotencyKey,
        ) -> Result<HttpResponse, ApiError> {
            act(state, req, caller, id.into_inner(), if_match, key, $action, None, b"").await
        }
    };
}

action_handler!(
    /// Submit a forecast
    ///
    /// Employer: draft or returned → submitted, within the campaign's deadlines.
    submit, "/api/v1/forecasts/{id}/submit", ForecastAction::Submit
);
action_handler!(
    /// Withdraw a forecast
    ///
    /// Employer: draft, submitted or returned → withdrawn (final).
    withdraw, "/api/v1/forecasts/{id}/withdraw", ForecastAction::Withdraw
);
action_handler!(
    /// Start the review
    ///
    /// Officer: submitted → in_review.
    start_review, "/api/v1/forecasts/{id}/start-review", ForecastAction::StartReview
);
action_handler!(
    /// Accept a forecast
    ///
    /// Officer: submitted or in_review → accepted (final).
    accept, "/api/v1/forecasts/{id}/accept", ForecastAction::Accept
);

/// Return a forecast
///
/// Officer: submitted or in_review → returned, with a reason the employer sees
/// as the forecast's notification.
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/return", operation_id = "return_forecast", tag = "forecasts",
    request_body = ReturnInput,
    params(("id" = String, Path, description = "Forecast id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe", max_length = 255)),
    responses(
        (status = 200, description = "Returned", body = Forecast, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not allowed from the current status", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn return_(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    key: IdempotencyKey,
    body: JsonBody<ReturnInput>,
) -> Result<HttpResponse, ApiError> {
    let reason = domain::forecast::check_return_reason(&body.value.reason)?;
    act(state, req, caller, id.into_inner(), if_match, key, ForecastAction::Return, Some(reason), &body.raw).await
}

/// Read the history
///
/// Every transition of the forecast, oldest first.
#[utoipa::path(
    get, path = "/api/v1/forecasts/{id}/history", operation_id = "get_forecast_history", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), PageParams),
    responses((status = 200, description = "The transitions", body = Paged<HistoryEntry>)),
    security(("bearer" = []))
)]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    q: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = q.0.page()?;
    let viewer = caller.viewer();
    let id = id.into_inner();
    let (rows, total) = state.read(move |c| store::history(c, &id, &viewer, page)).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows.iter().map(HistoryEntry::from).collect(), page, total)))
}
