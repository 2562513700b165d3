//! From forecasts to the quota: the summary, the quota plan, the public
//! quota and the permits recorded against it (SPEC §5).

use crate::auth::Caller;
use crate::dto::{
    AccuracyReport, AccuracyRow, ActivitySummary, Allocation, AllocationInput, OccupationSummary, PlanHistoryEntry,
    PlanInput, PlanStatus, Quota, QuotaActivity, QuotaPlan, Summary, SummaryActivity, SummaryFigures,
};
use crate::extract::{IdempotencyKey, IfMatch, JsonBody, Query};
use crate::problem::ApiError;
use crate::state::{json_with_etag, stored, AppState};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use domain::quota::PlanAction;
use domain::role::Role;
use persistence::quota as store;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::IntoParams;

const STAFF: [Role; 3] = [Role::Officer, Role::Commission, Role::Admin];
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn activity_titles(state: &AppState) -> Result<HashMap<String, String>, ApiError> {
    let page = persistence::Page { page: 1, per_page: 1000 };
    let (rows, _) = state.read(move |c| persistence::reference::list_activities(c, page)).await?;
    Ok(rows.into_iter().map(|r| (r.code, r.title)).collect())
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryParams {
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<Format>,
    /// Also count forecasts still submitted or in review, shown apart as `pending`.
    pub include_pending: Option<bool>,
}

fn figures(r: &store::SummaryRow) -> SummaryFigures {
    SummaryFigures {
        employers: r.employers,
        forecasts: Some(r.forecasts),
        demand_total: r.demand_total,
        quota_foreigners: r.quota_foreigners,
        exempt_foreigners: r.exempt_foreigners,
    }
}

fn add(into: &mut SummaryFigures, f: &SummaryFigures) {
    into.demand_total += f.demand_total;
    into.quota_foreigners += f.quota_foreigners;
    into.exempt_foreigners += f.exempt_foreigners;
    into.forecasts = Some(into.forecasts.unwrap_or(0) + f.forecasts.unwrap_or(0));
}

/// Builds the summary document from the database's grouped rows.
fn build_summary(
    year: i32,
    pending: bool,
    rows: &[store::SummaryRow],
    employers: Vec<store::EmployersRow>,
    titles: &HashMap<String, String>,
) -> Summary {
    let mut by: BTreeMap<String, SummaryActivity> = BTreeMap::new();
    for r in rows {
        let a = by.entry(r.activity.clone()).or_insert_with(|| SummaryActivity {
            economic_activity: r.activity.clone(),
            title: titles.get(&r.activity).cloned().unwrap_or_default(),
            accepted: SummaryFigures { forecasts: Some(0), ..Default::default() },
            pending: pending.then(|| SummaryFigures { forecasts: Some(0), ..Default::default() }),
        });
        if r.bucket == "accepted" {
            a.accepted = figures(r);
        } else {
            a.pending = Some(figures(r));
        }
    }
    let mut totals = SummaryActivity {
        economic_activity: "total".into(),
        title: "All economic activities".into(),
        accepted: SummaryFigures { forecasts: Some(0), ..Default::default() },
        pending: pending.then(|| SummaryFigures { forecasts: Some(0), ..Default::default() }),
    };
    for a in by.values() {
        add(&mut totals.accepted, &a.accepted);
        if let (Some(t), Some(p)) = (totals.pending.as_mut(), a.pending.as_ref()) {
            add(t, p);
        }
    }
    for e in employers {
        match (e.bucket.as_str(), totals.pending.as_mut()) {
            ("accepted", _) => totals.accepted.employers = e.employers,
            (_, Some(t)) => t.employers = e.employers,
            _ => {}
        }
    }
    Summary { target_year: year, include_pending: pending, activities: by.into_values().collect(), totals }
}

const HEADERS: [&str; 8] = [
    "Economic activity code",
    "Economic activity",
    "Forecasts counted",
    "Employers",
    "Forecasts",
    "Additional demand (persons)",
    "Foreigners counting toward the quota",
    "Foreigners in exempt lines (liberated territories)",
];

fn table(s: &Summary) -> Vec<(String, String, &'static str, SummaryFigures)> {
    let mut out = Vec::new();
    for a in s.activities.iter().chain(std::iter::once(&s.totals)) {
        out.push((a.economic_activity.clone(), a.title.clone(), "accepted", a.accepted));
        if let Some(p) = a.pending {
            out.push((a.economic_activity.clone(), a.title.clone(), "submitted or in review", p));
        }
    }
    out
}

fn to_csv(s: &Summary) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADERS).map_err(|e| ApiError::Internal(e.to_string()))?;
    for (code, title, bucket, f) in table(s) {
        w.write_record([
            code,
            title,
            bucket.to_owned(),
            f.employers.to_string(),
            f.forecasts.unwrap_or(0).to_string(),
            f.demand_total.to_string(),
            f.quota_foreigners.to_string(),
            f.exempt_foreigners.to_string(),
        ])
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    w.into_inner().map_err(|e| ApiError::Internal(e.to_string()))
}

fn to_xlsx(s: &Summary) -> Result<Vec<u8>, ApiError> {
    let err = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(e.to_string());
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(format!("Summary {}", s.target_year)).map_err(err)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold).map_err(err)?;
    }
    for (i, (code, title, bucket, f)) in table(s).into_iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        ws.write_string(r, 0, code).map_err(err)?;
        ws.write_string(r, 1, title).map_err(err)?;
        ws.write_string(r, 2, bucket).map_err(err)?;
        for (c, n) in [f.employers, f.forecasts.unwrap_or(0), f.demand_total, f.quota_foreigners, f.exempt_foreigners]
            .iter()
            .enumerate()
        {
            ws.write_number(r, u16::try_from(c + 3).unwrap_or(0), *n as f64).map_err(err)?;
        }
    }
    ws.autofit();
    wb.save_to_buffer().map_err(err)
}

/// Read the summary of a year
///
/// Officer, commission, admin: per economic activity (a division counts under
/// its section), over accepted forecasts — employers, forecasts, additional
/// demand, foreigners counting toward the quota, foreigners in exempt lines.
/// `include_pending` adds forecasts still submitted or in review, apart.
/// `format=csv|xlsx` exports the same figures.
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}", tag = "quota", operation_id = "get_summary",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100), SummaryParams),
    responses((status = 200, description = "The summary", content(
        (Summary = "application/json"),
        (String = "text/csv"),
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ))),
    security(("bearer" = []))
)]
pub async fn summary(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    q: Query<SummaryParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&STAFF)?;
    let y = crate::extract::path_year(&path)?;
    let pending = q.0.include_pending.unwrap_or(false);
    // One read transaction: the rows and the total employers of one snapshot.
    let (rows, employers) =
        state.read(move |c| Ok((store::summary(c, y, pending)?, store::summary_employers(c, y, pending)?))).await?;
    let titles = activity_titles(&state).await?;
    let s = build_summary(y, pending, &rows, employers, &titles);
    Ok(match q.0.format.unwrap_or(Format::Json) {
        Format::Json => HttpResponse::Ok().json(s),
        Format::Csv => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"summary-{y}.csv\"")))
            .body(to_csv(&s)?),
        Format::Xlsx => HttpResponse::Ok()
            .content_type(XLSX)
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"summary-{y}.xlsx\"")))
            .body(to_xlsx(&s)?),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DrillParams {
    /// Also count forecasts still submitted or in review, shown apart.
    pub include_pending: Option<bool>,
}

/// Drill down into an activity
///
/// Per occupation (code and title) within one economic activity (a section).
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}/activities/{code}", tag = "quota", operation_id = "get_activity_summary",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100),
        ("code" = String, Path, description = "A NACE section (A–U)"), DrillParams),
    responses((status = 200, description = "Per occupation", body = ActivitySummary)),
    security(("bearer" = []))
)]
pub async fn activity_summary(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    q: Query<DrillParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&STAFF)?;
    let (y, code) = path.into_inner();
    let y = crate::extract::path_year(&y)?;
    let titles = activity_titles(&state).await?;
    let title = titles.get(&code).cloned().ok_or(ApiError::NotFound)?;
    let pending = q.0.include_pending.unwrap_or(false);
    let section = code.clone();
    let rows = state.read(move |c| store::summary_by_occupation(c, y, &section, pending)).await?;
    let mut by: BTreeMap<(String, String), OccupationSummary> = BTreeMap::new();
    for r in rows {
        let f = SummaryFigures {
            employers: r.employers,
            forecasts: None,
            demand_total: r.demand_total,
            quota_foreigners: r.quota_foreigners,
            exempt_foreigners: r.exempt_foreigners,
        };
        let o =
            by.entry((r.occupation_code.clone(), r.occupation_title.clone())).or_insert_with(|| OccupationSummary {
                occupation_code: r.occupation_code.clone(),
                occupation_title: r.occupation_title.clone(),
                accepted: SummaryFigures::default(),
                pending: pending.then(SummaryFigures::default),
            });
        if r.bucket == "accepted" {
            o.accepted = f;
        } else {
            o.pending = Some(f);
        }
    }
    Ok(HttpResponse::Ok().json(ActivitySummary {
        target_year: y,
        economic_activity: code,
        title,
        include_pending: pending,
        occupations: by.into_values().collect(),
    }))
}

fn plan_response(status: StatusCode, p: &store::PlanRecord) -> HttpResponse {
    json_with_etag(status, &QuotaPlan::from(p), p.version)
}

/// Read a quota plan
#[utoipa::path(
    get, path = "/api/v1/quota-plans/{year}", tag = "quota", operation_id = "get_quota_plan",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "The plan", body = QuotaPlan, headers(("ETag" = String, description = "Its version")))),
    security(("bearer" = []))
)]
pub async fn get_plan(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Commission, Role::Admin])?;
    let y = crate::extract::path_year(&path)?;
    let p = state.read(move |c| store::get_plan(c, y)).await?;
    Ok(plan_response(StatusCode::OK, &p))
}

/// Create a quota plan
///
/// Commission: creates the draft plan of the year, one entry per economic
/// activity with accepted forecasts, proposing the foreigners that count
/// toward the quota.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}", tag = "quota", operation_id = "create_quota_plan",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe", max_length = 255)),
    responses((status = 201, description = "Created, pre-filled from the summary", body = QuotaPlan,
        headers(("Location" = String, description = "The plan"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "The plan exists already", body = crate::problem::Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
pub async fn create_plan(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Commission])?;
    let y = crate::extract::path_year(&path)?;
    let viewer = caller.viewer();
    state
        .idempotent(&req, &caller, key, b"", move |c, now| {
            let p = store::create_plan(c, y, &viewer, now.naive_utc())?;
            Ok(stored(
                StatusCode::CREATED,
                &QuotaPlan::from(&p),
                Some(format!("/api/v1/quota-plans/{y}")),
                Some(p.version),
            ))
        })
        .await
}

/// Set a plan's numbers
///
/// Commission, on a draft: the proposed number of each economic activity
/// (entries not listed are removed). Admin, on a proposed plan: the approved
/// numbers. An approved plan is read-only (409).
#[utoipa::path(
    put, path = "/api/v1/quota-plans/{year}", tag = "quota", operation_id = "set_quota_plan",
    request_body = PlanInput,
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100),
        ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255)),
    responses((status = 200, description = "The plan", body = QuotaPlan, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not allowed in the plan's status", body = crate::problem::Problem, content_type = "application/problem+json"),),
    security(("bearer" = []))
)]
pub async fn put_plan(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<PlanInput>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Commission, Role::Admin])?;
    let y = crate::extract::path_year(&path)?;
    let sent: Vec<(&str, Option<i64>, Option<i64>)> =
        body.value.entries.iter().map(|e| (e.economic_activity.as_str(), e.proposed, e.approved)).collect();
    let entries = domain::quota::check_plan_entries(&sent)?;
    let viewer = caller.viewer();
    let now = state.now().naive_utc();
    let p = state.write(move |c| store::put_plan(c, y, &viewer, if_match.0, &entries, now)).await?;
    Ok(plan_response(StatusCode::OK, &p))
}

async fn plan_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    key: IdempotencyKey,
    action: PlanAction,
) -> Result<HttpResponse, ApiError> {
    let y = crate::extract::path_year(&path)?;
    let viewer = caller.viewer();
    state
        .idempotent(&req, &caller, key, b"", move |c, now| {
            let p = store::plan_act(c, y, &viewer, action, if_match.0, now.naive_utc())?;
            Ok(stored(StatusCode::OK, &QuotaPlan::from(&p), None, Some(p.version)))
        })
        .await
}

/// Propose the plan
///
/// Commission: draft → proposed.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/propose", tag = "quota", operation_id = "propose_quota_plan",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100),
        ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe", max_length = 255)),
    responses((status = 200, description = "Proposed", body = QuotaPlan),
        (status = 409, description = "Not allowed in the plan's status", body = crate::problem::Problem, content_type = "application/problem+json"),),
    security(("bearer" = []))
)]
pub async fn propose(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    plan_action(state, req, caller, path, if_match, key, PlanAction::Propose).await
}

/// Approve the plan
///
/// Admin, for the Cabinet: proposed → approved, once every entry has its
/// approved number. The approved quota is then enforced and public.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/approve", tag = "quota", operation_id = "approve_quota_plan",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100),
        ("If-Match" = Option<String>, Header, description = "The ETag last read", max_length = 255),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe", max_length = 255)),
    responses((status = 200, description = "Approved", body = QuotaPlan),
        (status = 409, description = "Not allowed in the plan's status", body = crate::problem::Problem, content_type = "application/problem+json"),),
    security(("bearer" = []))
)]
pub async fn approve(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    plan_action(state, req, caller, path, if_match, key, PlanAction::Approve).await
}

/// Read the plan's history
#[utoipa::path(
    get, path = "/api/v1/quota-plans/{year}/history", tag = "quota", operation_id = "get_quota_plan_history",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "Every step, oldest first", body = crate::dto::Paged<PlanHistoryEntry>)),
    security(("bearer" = []))
)]
pub async fn plan_history(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Commission, Role::Admin])?;
    let y = crate::extract::path_year(&path)?;
    let rows = state.read(move |c| store::plan_history_of(c, y)).await?;
    let st =
        |s: &str| PlanStatus::from(domain::quota::PlanStatus::parse(s).unwrap_or(domain::quota::PlanStatus::Draft));
    let items: Vec<PlanHistoryEntry> = rows
        .iter()
        .map(|h| PlanHistoryEntry {
            from_status: h.from_status.as_deref().map(st),
            to_status: st(&h.to_status),
            action: h.action.clone(),
            actor: h.actor.clone(),
            role: domain::role::Role::parse(&h.role).unwrap_or(Role::Admin).into(),
            at: h.at.and_utc(),
        })
        .collect();
    let n = i64::try_from(items.len()).unwrap_or(0);
    let page = persistence::Page { page: 1, per_page: u32::try_from(items.len().max(1)).unwrap_or(1) };
    Ok(HttpResponse::Ok().json(crate::dto::Paged::new(items, page, n)))
}

/// The approved quota (public)
///
/// Per economic activity: approved, used (non-exempt permits recorded) and
/// remaining. No token needed.
#[utoipa::path(
    get, path = "/api/v1/quotas/{year}", tag = "quota", operation_id = "get_quota",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "The approved quota", body = Quota))
)]
pub async fn public_quota(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let y = crate::extract::path_year(&path)?;
    let rows = state.read(move |c| store::approved_quota(c, y)).await?;
    let titles = activity_titles(&state).await?;
    let activities = rows
        .into_iter()
        .map(|(a, f)| QuotaActivity {
            title: titles.get(&a).cloned().unwrap_or_default(),
            economic_activity: a,
            approved: f.approved,
            used: f.used,
            remaining: f.remaining(),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(Quota { target_year: y, activities }))
}

fn allocation_dto(permit_ref: String, o: &store::AllocationOutcome) -> Allocation {
    Allocation {
        permit_ref,
        economic_activity: o.activity.clone(),
        exemption: o.exemption.clone(),
        approved: o.figures.approved,
        used: o.figures.used,
        remaining: o.figures.remaining(),
    }
}

/// Record a work permit
///
/// Officer: records a permit against the approved quota of its year and
/// economic activity; the quota decreases by one. Repeating a reference
/// changes nothing (200); an exempt permit consumes nothing; when no unit
/// remains the answer is 409 `quota-exhausted`.
#[utoipa::path(
    post, path = "/api/v1/quotas/{year}/allocations", tag = "quota", operation_id = "record_permit",
    request_body = AllocationInput,
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100)),
    responses((status = 201, description = "Recorded", body = Allocation),
        (status = 200, description = "Already recorded (idempotent)", body = Allocation),
        (status = 409, description = "`quota-exhausted`, `quota-not-approved` or `permit-conflict`", body = crate::problem::Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
pub async fn allocate(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<AllocationInput>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Officer])?;
    let y = crate::extract::path_year(&path)?;
    let input = body.value;
    let new = domain::quota::check_permit(
        &input.permit_ref,
        &input.economic_activity,
        input.exemption.as_deref(),
        input.tin.as_deref(),
    )?;
    let permit_ref = new.permit_ref.clone();
    let viewer = caller.viewer();
    let now = state.now().naive_utc();
    let o = state.write(move |c| store::allocate(c, y, &new, &viewer, now)).await?;
    let status = if o.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(HttpResponse::build(status).json(allocation_dto(permit_ref, &o)))
}

/// Cancel a work permit
///
/// Officer: the permit's unit goes back to the quota. Cancelling again changes nothing.
#[utoipa::path(
    delete, path = "/api/v1/quotas/{year}/allocations/{permit_ref}", tag = "quota", operation_id = "cancel_permit",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100),
        ("permit_ref" = String, Path, description = "The permit reference")),
    responses((status = 200, description = "Cancelled; the activity's figures", body = Allocation)),
    security(("bearer" = []))
)]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Officer])?;
    let (y, permit_ref) = path.into_inner();
    let y = crate::extract::path_year(&y)?;
    let viewer = caller.viewer();
    let now = state.now().naive_utc();
    let r = permit_ref.clone();
    let o = state.write(move |c| store::cancel(c, y, &r, &viewer, now)).await?;
    Ok(HttpResponse::Ok().json(allocation_dto(permit_ref, &o)))
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccuracyBy {
    Activity,
    Employer,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccuracyParams {
    /// `activity` (default) or `employer`.
    pub by: Option<AccuracyBy>,
}

/// Forecast accuracy
///
/// Commission, officer, admin: for a past year, the foreigners forecast (accepted
/// forecasts, lines counting toward the quota) against the non-exempt permits
/// actually recorded, per economic activity or per employer — whose forecasts
/// to trust.
#[utoipa::path(
    get, path = "/api/v1/reports/forecast-accuracy/{year}", tag = "quota", operation_id = "get_forecast_accuracy",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100), AccuracyParams),
    responses((status = 200, description = "The report", body = AccuracyReport)),
    security(("bearer" = []))
)]
pub async fn accuracy(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    q: Query<AccuracyParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&STAFF)?;
    let y = crate::extract::path_year(&path)?;
    let by_employer = matches!(q.0.by, Some(AccuracyBy::Employer));
    let rows = state.read(move |c| store::accuracy(c, y, by_employer)).await?;
    let rows = rows
        .into_iter()
        .map(|r| AccuracyRow {
            difference: r.permits - r.forecast,
            ratio: (r.forecast > 0).then(|| (r.permits as f64 / r.forecast as f64 * 1000.0).round() / 1000.0),
            key: r.key,
            forecast: r.forecast,
            permits: r.permits,
        })
        .collect();
    Ok(HttpResponse::Ok().json(AccuracyReport {
        target_year: y,
        by: if by_employer { "employer" } else { "activity" }.into(),
        rows,
    }))
}
