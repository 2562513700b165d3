//! The forecast: the employer's lifecycle and the officers' actions (SPEC §4, §13).

use crate::auth::Caller;
use crate::dto::{
    AcceptInput, Forecast, ForecastCreate, ForecastReplace, ForecastStatus, ForecastSummary, HistoryEntry, LineInput,
    Paged, RejectInput, ReopenInput, ReturnInput,
};
use crate::extract::{ActionHeaders, ChangeHeaders, IfNoneMatch};
use crate::extract::{IdempotencyKey, IfMatch, JsonBody, OptionalJsonBody, PageParams, Query};
use crate::handler::{Action, Id, Reply, State, Stepped, TwoSegments};
use crate::problem::HttpError;
use crate::respond::{json_with_etag, replay, stored};
use crate::state::Keyed;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use application::AppError;
use domain::value::Text;
use domain::webhook::EventType;

use application::forecasts as uc;
use domain::status::ForecastAction;
use domain::time::baku_day_bounds;
use domain::ValidationErrors;
use persistence::forecasts::{ListFilter, SortKey};
use serde::Deserialize;
use utoipa::IntoParams;
use validator::Validate;

/// Where forecast `id` is: the path of [`get`].
pub fn location(id: &str) -> String {
    crate::handler::location::<__path_get>(&[("id", id)])
}

/// Create a forecast
///
/// Creates a draft with the employer section and any lines; with
/// `"submit": true` it is created and submitted in one step (for ERP systems).
/// An employer has one forecast a year: a second for the same target year
/// answers 409 `forecast-exists`, naming the first in `forecast_id` and
/// `location` (also the `Location` header), so a retry never files twice.
/// An `Idempotency-Key` makes a retry answer as the first request did.
#[utoipa::path(
    post, path = "/api/v1/forecasts", operation_id = "create_forecast", tag = "forecasts",
    request_body = ForecastCreate,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "Created; `Location` and `ETag` are set", body = Forecast,
            headers(("Location" = String, description = "The new forecast"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "`forecast-exists`: the employer has a forecast for that year (`forecast_id`, `location`)", body = crate::problem::Problem, content_type = "application/problem+json",
            headers(("Location" = String, description = "The existing forecast"))),
    ),
)]
pub async fn create(
    state: State,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: JsonBody<ForecastCreate>,
) -> Reply {
    let input = body.value;
    let answer = |rec: &persistence::forecasts::ForecastRecord| {
        stored(StatusCode::CREATED, &Forecast::from(rec), Some(location(&rec.row.id)), Some(rec.row.version))
    };
    let now = state.now();
    let keyed = Keyed::new(&req, &caller, key, &body.raw, now);
    let (memo, shared) = (state.memo(), state.clone());
    let stored = state
        .blocking(move |db| {
            // PostgreSQL files in one statement when the facts held in memory
            // decide it (SPEC §11); otherwise, or when a guard fails, the
            // filing runs in a transaction on the facts read again.
            if db.writes_at_once() {
                let written = db.autocommit(|c| -> Result<_, AppError> {
                    let Some(at_once) = uc::prepare_at_once(c, &caller, &input, now, &memo, &shared.numbers)? else {
                        return Ok(None);
                    };
                    let filed = answer(&at_once.filing.record)?;
                    let done = uc::write_at_once(c, &at_once, keyed.scope().as_ref(), &filed)?;
                    shared.metrics.at_once(done);
                    Ok(done.then_some(filed))
                })?;
                if let Some(filed) = written {
                    return Ok(filed);
                }
            }
            db.write(|conn| {
                keyed.run(conn, |c| {
                    let rec = uc::create(c, &caller, &input, now, &memo)?;
                    if rec.row.status == domain::status::ForecastStatus::Submitted {
                        tell(c, EventType::ForecastSubmitted, &rec, now)?;
                    }
                    answer(&rec)
                })
            })
        })
        .await?;
    replay(&stored)
}

/// Tells the employer's webhook endpoints of `rec` in its new status, in
/// the transaction of the change (SPEC §17): `data` is the forecast as
/// `GET` returns it.
fn tell(
    c: &mut persistence::DbConnection,
    event: EventType,
    rec: &persistence::forecasts::ForecastRecord,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let data = serde_json::to_value(Forecast::from(rec)).map_err(|e| AppError::bug(e.to_string()))?;
    application::webhooks::publish(c, event, Some(&rec.row.tin), &format!("forecast:{}", rec.row.id), &data, now)?;
    Ok(())
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
#[derive(Debug, Clone, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub status: Option<ForecastStatus>,
    /// Created on or after this date.
    #[serde(default, deserialize_with = "crate::extract::optional_date")]
    pub created_from: Option<chrono::NaiveDate>,
    /// Created on or before this date.
    #[serde(default, deserialize_with = "crate::extract::optional_date")]
    pub created_until: Option<chrono::NaiveDate>,
    /// Submitted on or after this date.
    #[serde(default, deserialize_with = "crate::extract::optional_date")]
    pub submitted_from: Option<chrono::NaiveDate>,
    /// Submitted on or before this date.
    #[serde(default, deserialize_with = "crate::extract::optional_date")]
    pub submitted_until: Option<chrono::NaiveDate>,
    /// Words in occupation codes and titles, justifications and notes (staff: also TIN and employer name).
    #[validate(nested)]
    #[param(inline)]
    pub keyword: Option<application::QueryText>,
    #[validate(nested)]
    #[param(inline)]
    pub target_year: Option<domain::filing::TargetYear>,
    /// A section code also lists forecasts that name one of its divisions.
    #[validate(nested)]
    #[param(inline)]
    pub economic_activity: Option<Text<0, { domain::forecast::MAX_ACTIVITY_CODE }>>,
    /// Staff: the employer's TIN.
    #[validate(nested)]
    #[param(inline)]
    pub tin: Option<Text<0, { domain::tin::TIN_LENGTH }>>,
    /// Staff: words of the employer's name.
    #[validate(nested)]
    #[param(inline)]
    pub employer: Option<application::QueryText>,
    /// Default `-created_at` (newest first); the officers' queue uses `submitted_at`.
    pub sort: Option<Sort>,
}

impl ListParams {
    fn filter(&self) -> Result<ListFilter, HttpError> {
        if let Err(e) = Validate::validate(self) {
            let mut errs = ValidationErrors::default();
            errs.extend_from_validator("", &e);
            return Err(errs.into());
        }
        let text = |v: Option<&str>| v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok(ListFilter {
            statuses: self.status.map(|s| vec![s]).unwrap_or_default(),
            created_from: self.created_from.map(|d| baku_day_bounds(d).0),
            created_before: self.created_until.map(|d| baku_day_bounds(d).1),
            submitted_from: self.submitted_from.map(|d| baku_day_bounds(d).0),
            submitted_before: self.submitted_until.map(|d| baku_day_bounds(d).1),
            keyword: text(self.keyword.as_deref()),
            target_year: self.target_year.and_then(|y| i32::try_from(y.get()).ok()),
            economic_activity: text(self.economic_activity.as_deref()),
            tin: text(self.tin.as_deref()),
            employer: text(self.employer.as_deref()),
            sort: self.sort.map(SortKey::from).unwrap_or_default(),
        })
    }
}

/// List forecasts
///
/// The applications list: an employer sees its TIN's forecasts, staff see all.
#[utoipa::path(
    get, path = "/api/v1/forecasts", operation_id = "list_forecasts", tag = "forecasts",
    params(PageParams, ListParams),
    responses((status = 200, description = "A page of forecasts", body = Paged<ForecastSummary>)),
)]
pub async fn list(state: State, caller: Caller, page: Query<PageParams>, q: Query<ListParams>) -> Reply {
    let page = page.0.page()?;
    let filter = q.0.filter()?;
    let (rows, total) = state.read(move |c| uc::list(c, &caller, &filter, page)).await?;
    let items = rows.iter().map(ForecastSummary::from).collect();
    Ok(HttpResponse::Ok().json(Paged::new(items, page, total)))
}

/// Read a forecast
///
/// The forecast with its lines; the `ETag` is its version, for `If-Match`.
/// To poll for a change, send the `ETag` last read as `If-None-Match`: the
/// answer is 304 with no body until the forecast changes.
#[utoipa::path(
    get, path = "/api/v1/forecasts/{id}", operation_id = "get_forecast", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"),
        IfNoneMatch),
    responses((status = 200, description = "The forecast", body = Forecast, headers(("ETag" = String, description = "The version"))),
        (status = 304, description = "Your copy is current", headers(("ETag" = String, description = "The version")))),
)]
pub async fn get(state: State, caller: Caller, id: Id) -> Reply {
    let id = id.into_inner();
    let rec = state.read_one(move |c| uc::get(c, &caller, &id)).await?;
    Ok(json_with_etag(StatusCode::OK, &Forecast::from(&rec), rec.row.version))
}

/// Replace a forecast
///
/// Replaces the employer section and all lines of a draft or returned forecast;
/// `target_year` (optional) moves a draft to another year whose campaign takes
/// forecasts.
#[utoipa::path(
    put, path = "/api/v1/forecasts/{id}", operation_id = "replace_forecast", tag = "forecasts",
    request_body = ForecastReplace,
    params(("id" = String, Path, description = "Forecast id"), ChangeHeaders),
    responses(
        (status = 200, description = "Replaced", body = Forecast, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not editable in its status, or `forecast-exists` for the new target year", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn replace(
    state: State,
    caller: Caller,
    id: Id,
    if_match: IfMatch,
    body: JsonBody<ForecastReplace>,
) -> Reply {
    let id = id.into_inner();
    let input = body.value;
    let now = state.now();
    let rec = state.write(move |c| uc::replace(c, &caller, &id, if_match.0, &input, now)).await?;
    Ok(json_with_etag(StatusCode::OK, &Forecast::from(&rec), rec.row.version))
}

/// Delete a draft
///
/// Removes a forecast that is still a draft, with its lines; other statuses answer 409
/// (withdraw a submitted forecast instead). Send the `ETag` last read as `If-Match`.
#[utoipa::path(
    delete, path = "/api/v1/forecasts/{id}", operation_id = "delete_forecast", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), ChangeHeaders),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Not a draft", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn delete(state: State, caller: Caller, id: Id, if_match: IfMatch) -> Reply {
    let id = id.into_inner();
    state.write(move |c| uc::delete(c, &caller, &id, if_match.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a line
///
/// Adds one occupation line to a draft or returned forecast and answers with the whole
/// forecast; `Location` names the new line. The occupation code and title must belong
/// together in the classification, and a forecast holds at most 200 distinct lines.
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/lines", tag = "forecasts",
    request_body = LineInput,
    params(("id" = String, Path, description = "Forecast id"), ActionHeaders),
    responses(
        (status = 201, description = "Added; `Location` names the line; the body is the whole forecast", body = Forecast,
            headers(("Location" = String, description = "The new line"), ("ETag" = String, description = "The forecast's new version"))),
        (status = 409, description = "Not editable in its status", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn add_line(action: Action, body: JsonBody<LineInput>) -> Reply {
    let line = body.value;
    action
        .run(&body.raw, move |c, caller, id, if_match, now| {
            let (rec, line_id) = uc::add_line(c, caller, id, if_match, &line, now)?;
            let loc = crate::handler::location::<__path_update_line>(&[("id", id), ("line_id", &line_id)]);
            stored(StatusCode::CREATED, &Forecast::from(&rec), Some(loc), Some(rec.row.version))
        })
        .await
}

/// Change a line
///
/// Replaces one line of a draft or returned forecast and answers with the whole forecast.
#[utoipa::path(
    put, path = "/api/v1/forecasts/{id}/lines/{line_id}", tag = "forecasts",
    request_body = LineInput,
    params(("id" = String, Path, description = "Forecast id"), ("line_id" = String, Path, description = "Line id"),
        ChangeHeaders),
    responses(
        (status = 200, description = "Changed; the whole forecast", body = Forecast, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not editable in its status", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn update_line(
    state: State,
    caller: Caller,
    path: TwoSegments,
    if_match: IfMatch,
    body: JsonBody<LineInput>,
) -> Reply {
    let (id, line_id) = path.into_inner();
    let line = body.value;
    let now = state.now();
    let rec = state.write(move |c| uc::update_line(c, &caller, &id, &line_id, if_match.0, &line, now)).await?;
    Ok(json_with_etag(StatusCode::OK, &Forecast::from(&rec), rec.row.version))
}

/// Remove a line
///
/// Removes one line of a draft or returned forecast and answers with the whole forecast.
#[utoipa::path(
    delete, path = "/api/v1/forecasts/{id}/lines/{line_id}", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), ("line_id" = String, Path, description = "Line id"),
        ChangeHeaders),
    responses(
        (status = 200, description = "Removed; the whole forecast", body = Forecast, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not editable in its status", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn delete_line(state: State, caller: Caller, path: TwoSegments, if_match: IfMatch) -> Reply {
    let (id, line_id) = path.into_inner();
    let now = state.now();
    let rec = state.write(move |c| uc::delete_line(c, &caller, &id, &line_id, if_match.0, now)).await?;
    Ok(json_with_etag(StatusCode::OK, &Forecast::from(&rec), rec.row.version))
}

/// Takes a step of the forecast's status machine (SPEC §4.3, §16.3) as one
/// transaction under the request's `Idempotency-Key`; `text` is what the
/// body sent (a return's, rejection's or reopening's reason, an
/// acceptance's note), `raw` the body.
async fn act(action: Action, step: ForecastAction, text: Option<String>, raw: &[u8]) -> Reply {
    action
        .run(raw, move |c, caller, id, if_match, now| {
            let rec = uc::act(c, caller, id, step, text.as_deref(), if_match, now)?;
            if let Some(event) = EventType::of_forecast_step(step) {
                tell(c, event, &rec, now)?;
            }
            stored(StatusCode::OK, &Forecast::from(&rec), None, Some(rec.row.version))
        })
        .await
}

/// Submit a forecast
///
/// Employer: draft or returned → submitted, from the campaign's opening;
/// a draft until the submission deadline, a returned forecast until its
/// `correction_due`.
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/submit", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), ActionHeaders),
    responses(Stepped<Forecast>),
)]
pub async fn submit(action: Action) -> Reply {
    act(action, ForecastAction::Submit, None, b"").await
}

/// Withdraw a forecast
///
/// Employer: draft, submitted or returned → withdrawn (final).
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/withdraw", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), ActionHeaders),
    responses(Stepped<Forecast>),
)]
pub async fn withdraw(action: Action) -> Reply {
    act(action, ForecastAction::Withdraw, None, b"").await
}

/// Start the review
///
/// Officer: submitted → in_review.
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/start-review", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), ActionHeaders),
    responses(Stepped<Forecast>),
)]
pub async fn start_review(action: Action) -> Reply {
    act(action, ForecastAction::StartReview, None, b"").await
}

/// Accept a forecast
///
/// Officer: submitted or in_review → accepted (until the Commission inputs
/// deadline it may be reopened). The body is optional:
/// `{"note"}` becomes the forecast's `other_notification`, shown to the
/// employer beside `notification` and sent with the e-mail.
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/accept", operation_id = "accept", tag = "forecasts",
    request_body(content = Option<AcceptInput>, description = "Optional: the officer's note"),
    params(("id" = String, Path, description = "Forecast id"),
        ActionHeaders),
    responses(Stepped<Forecast>),
)]
pub async fn accept(action: Action, body: OptionalJsonBody<Option<AcceptInput>>) -> Reply {
    let note = body.value.flatten().and_then(|b| b.note);
    act(action, ForecastAction::Accept, note.map(Text::into_string), &body.raw).await
}

/// Return a forecast
///
/// Officer: submitted or in_review → returned, with a reason the employer sees
/// as the forecast's notification. The forecast's `correction_due` is the
/// later of the campaign's correction deadline and 10 days after the return,
/// never after the Commission inputs deadline; from that deadline on a return
/// answers 409 `commission-inputs-deadline-passed`.
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/return", operation_id = "return_forecast", tag = "forecasts",
    request_body = ReturnInput,
    params(("id" = String, Path, description = "Forecast id"),
        ActionHeaders),
    responses(
        (status = 200, description = "Returned", body = Forecast, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not allowed from the current status, or `commission-inputs-deadline-passed`", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn return_(action: Action, body: JsonBody<ReturnInput>) -> Reply {
    let reason = body.value.reason;
    act(action, ForecastAction::Return, Some(reason.into_string()), &body.raw).await
}

/// Reject a forecast
///
/// Officer: submitted or in_review → rejected (final), with a reason the
/// employer sees as the forecast's notification and receives by e-mail.
/// Allowed at any time, also after the Commission inputs deadline. A
/// rejected forecast is left out of the summary and no longer counts as the
/// employer's forecast of its year: the employer may file a new one while
/// the campaign takes forecasts.
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/reject", operation_id = "reject_forecast", tag = "forecasts",
    request_body = RejectInput,
    params(("id" = String, Path, description = "Forecast id"),
        ActionHeaders),
    responses(Stepped<Forecast>),
)]
pub async fn reject(action: Action, body: JsonBody<RejectInput>) -> Reply {
    let reason = body.value.reason;
    act(action, ForecastAction::Reject, Some(reason.into_string()), &body.raw).await
}

/// Reopen an accepted forecast
///
/// Officer: accepted → in_review, with a reason in the history and the
/// employer's e-mail; the forecast may then be accepted again, returned or
/// rejected. Only before the Commission inputs deadline: from that day on a
/// reopening answers 409 `commission-inputs-deadline-passed`. Snapshots
/// already taken of the summary do not change.
#[utoipa::path(
    post, path = "/api/v1/forecasts/{id}/reopen", operation_id = "reopen_forecast", tag = "forecasts",
    request_body = ReopenInput,
    params(("id" = String, Path, description = "Forecast id"),
        ActionHeaders),
    responses(Stepped<Forecast>,
        (status = 409, description = "Not allowed from the current status (the problem names it and the allowed actions), or `commission-inputs-deadline-passed`", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reopen(action: Action, body: JsonBody<ReopenInput>) -> Reply {
    let reason = body.value.reason;
    act(action, ForecastAction::Reopen, Some(reason.into_string()), &body.raw).await
}

/// Read the history
///
/// Every transition of the forecast, oldest first.
#[utoipa::path(
    get, path = "/api/v1/forecasts/{id}/history", operation_id = "get_forecast_history", tag = "forecasts",
    params(("id" = String, Path, description = "Forecast id"), PageParams),
    responses((status = 200, description = "The transitions", body = Paged<HistoryEntry>)),
)]
pub async fn history(state: State, caller: Caller, id: Id, q: Query<PageParams>) -> Reply {
    let id = id.into_inner();
    let show = |r: &persistence::forecasts::HistoryRow| Ok::<_, HttpError>(HistoryEntry::from(r));
    crate::handler::paged(&state, q, move |c, page| uc::history(c, &caller, &id, page), show).await
}
