//! The summary the Service hands the Commission, its exports and the
//! forecast-accuracy report (SPEC §5.1).

use crate::auth::Caller;
use crate::dto::{AccuracyReport, ActivitySummary};
use crate::export;
use crate::extract::{Query, Year};
use crate::handler::{Reply, State, TwoSegments};
use crate::i18n::{AcceptLanguage, Lang};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::HttpResponse;
use application::summaries as uc;
use serde::Deserialize;
use utoipa::IntoParams;

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
    /// Undocumented: the exports have their own operations.
    #[param(ignore)]
    pub format: Option<Format>,
    /// Also count forecasts still submitted or in review, shown apart as `pending`.
    pub include_pending: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// Also count forecasts still submitted or in review, shown apart as `pending`.
    pub include_pending: Option<bool>,
}

/// The summary of year `y` with its occupations, as a file in `lang` (CSV
/// or XLSX).
async fn export(state: &AppState, caller: &Caller, y: i32, pending: bool, lang: Lang, xlsx: bool) -> Reply {
    let caller = caller.clone();
    let s = state.read(move |c| uc::summary_with_occupations(c, &caller, y, pending)).await?;
    let table =
        export::Table { activities: &s.summary.activities, totals: &s.summary.totals, occupations: &s.occupations };
    Ok(if xlsx {
        download(export::XLSX, format!("summary-{y}.xlsx"), export::xlsx(&table, lang)?, lang)
    } else {
        download("text/csv; charset=utf-8", format!("summary-{y}.csv"), export::csv(&table, lang)?, lang)
    })
}

/// A file to save, its headers in `lang`.
pub(crate) fn download(content_type: &str, filename: String, body: Vec<u8>, lang: Lang) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, crate::respond::attachment(&filename)))
        .insert_header((header::CONTENT_LANGUAGE, lang.as_str()))
        .body(body)
}

/// Read the summary of a year
///
/// Officer, commission, admin: per economic activity (a division counts under
/// its section), over accepted forecasts — employers, forecasts, additional
/// demand, foreigners counting toward the quota, foreigners in exempt lines.
/// `include_pending` adds forecasts still submitted or in review, apart.
/// The same figures download as CSV from `…/csv` and as XLSX from `…/xlsx`.
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}", tag = "quota", operation_id = "get_summary",
    params(Year, SummaryParams),
    responses((status = 200, description = "The summary", body = crate::dto::Summary)),
)]
pub async fn summary(
    state: State,
    caller: Caller,
    AcceptLanguage(lang): AcceptLanguage,
    q: Query<SummaryParams>,
    Year(y): Year,
) -> Reply {
    let pending = q.0.include_pending.unwrap_or(false);
    // `?format=` is how exports were first served; kept for callers of that
    // time, undocumented, now that each export has its own operation.
    match q.0.format.unwrap_or(Format::Json) {
        Format::Json => {
            let summary = state.read(move |c| uc::summary(c, &caller, y, pending)).await?;
            Ok(HttpResponse::Ok().json(summary))
        }
        Format::Csv => export(&state, &caller, y, pending, lang, false).await,
        Format::Xlsx => export(&state, &caller, y, pending, lang, true).await,
    }
}

/// Download the summary as CSV
///
/// The figures of `GET /api/v1/summaries/{year}` with the occupations of each
/// economic activity, as UTF-8 CSV (`Content-Disposition: attachment`),
/// headers in the request's language (`Accept-Language`: az, en, ru, tr).
/// One table: each activity's row (per bucket), then its occupations' rows
/// (occupation code and title in the last two columns; no forecasts or
/// occupations counted there), and the total row last.
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}/csv", tag = "quota", operation_id = "download_summary_csv",
    params(Year, ExportParams),
    responses((status = 200, description = "The summary as CSV", content_type = "text/csv", body = String)),
)]
pub async fn summary_csv(
    state: State,
    caller: Caller,
    AcceptLanguage(lang): AcceptLanguage,
    q: Query<ExportParams>,
    Year(y): Year,
) -> Reply {
    export(&state, &caller, y, q.0.include_pending.unwrap_or(false), lang, false).await
}

/// Download the summary as XLSX
///
/// The figures of `GET /api/v1/summaries/{year}` as an Excel workbook
/// (`Content-Disposition: attachment`) with a sheet per level: economic
/// activities with the total, and occupations by economic activity; headers
/// and sheet names in the request's language.
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}/xlsx", tag = "quota", operation_id = "download_summary_xlsx",
    params(Year, ExportParams),
    responses((status = 200, description = "The summary as XLSX",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = crate::dto::BinaryFile)),
)]
pub async fn summary_xlsx(
    state: State,
    caller: Caller,
    AcceptLanguage(lang): AcceptLanguage,
    q: Query<ExportParams>,
    Year(y): Year,
) -> Reply {
    export(&state, &caller, y, q.0.include_pending.unwrap_or(false), lang, true).await
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
    params(Year,
        ("code" = String, Path, description = "A NACE section (A–U)"), DrillParams),
    responses((status = 200, description = "Per occupation", body = ActivitySummary)),
)]
pub async fn activity_summary(state: State, caller: Caller, path: TwoSegments, q: Query<DrillParams>) -> Reply {
    let (y, code) = path.into_inner();
    let y = crate::extract::path_year(&y)?;
    let pending = q.0.include_pending.unwrap_or(false);
    Ok(HttpResponse::Ok().json(state.read(move |c| uc::activity(c, &caller, y, code, pending)).await?))
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
    params(Year, AccuracyParams),
    responses((status = 200, description = "The report", body = AccuracyReport)),
)]
pub async fn accuracy(state: State, caller: Caller, Year(y): Year, q: Query<AccuracyParams>) -> Reply {
    let by_employer = matches!(q.0.by, Some(AccuracyBy::Employer));
    Ok(HttpResponse::Ok().json(state.read(move |c| uc::accuracy(c, &caller, y, by_employer)).await?))
}
