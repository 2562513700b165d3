//! Snapshots of the summary: what the Commission was given, frozen and
//! numbered (SPEC §15.5), read as JSON, CSV and XLSX.

use crate::auth::Caller;
use crate::dto::{Paged, SnapshotInfo, SummarySnapshot};
use crate::export;
use crate::extract::Year;
use crate::extract::{IdempotencyKey, PageParams, Query, YearAndNumber};
use crate::handler::{Reply, State};
use crate::i18n::{AcceptLanguage, Lang};
use crate::problem::HttpError;
use crate::respond::stored;
use crate::routes::summaries::download;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use application::snapshots as uc;

/// Where snapshot `number` of `year` is: the path of [`get`].
fn location(year: i32, number: i32) -> String {
    crate::handler::location::<__path_get>(&[("year", &year.to_string()), ("number", &number.to_string())])
}

/// Freeze the summary for the Commission
///
/// Officer: freezes the summary of the year as it stands — accepted forecasts,
/// per economic activity and per occupation within each activity, with the
/// totals — as the next numbered snapshot, which never changes. A quota plan
/// created afterwards is pre-filled from the latest snapshot.
#[utoipa::path(
    post, path = "/api/v1/summaries/{year}/snapshots", tag = "quota", operation_id = "create_summary_snapshot",
    params(Year,
        IdempotencyKey),
    responses((status = 201, description = "Frozen; `Location` names the snapshot", body = SummarySnapshot,
        headers(("Location" = String, description = "The snapshot")))),
)]
pub async fn create(state: State, req: HttpRequest, caller: Caller, key: IdempotencyKey, Year(y): Year) -> Reply {
    state
        .idempotent(&req, &caller.clone(), key, b"", move |c, now| {
            let s = SummarySnapshot::from(&uc::take(c, &caller, y, now.naive_utc())?);
            stored(StatusCode::CREATED, &s, Some(location(y, s.name.number)), None)
        })
        .await
}

/// List the snapshots of a year
///
/// Officer, commission, admin: the frozen summaries of the year, newest first,
/// each with its totals.
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}/snapshots", tag = "quota", operation_id = "list_summary_snapshots",
    params(Year, PageParams),
    responses((status = 200, description = "A page of snapshots", body = Paged<SnapshotInfo>)),
)]
pub async fn list(state: State, caller: Caller, Year(y): Year, q: Query<PageParams>) -> Reply {
    let show = |r: &_| Ok::<_, HttpError>(SnapshotInfo::from(r));
    crate::handler::paged(&state, q, move |c, page| uc::list(c, &caller, y, page), show).await
}

/// The snapshot of the path, as taken.
async fn snapshot_of(state: &AppState, caller: Caller, path: YearAndNumber) -> Result<SummarySnapshot, HttpError> {
    let YearAndNumber { year: y, number: n } = path;
    let rec = state.read(move |c| uc::get(c, &caller, y, n)).await?;
    Ok(SummarySnapshot::from(&rec))
}

/// The snapshot of the path as a file in `lang`.
async fn export(state: &AppState, caller: Caller, path: YearAndNumber, lang: Lang, xlsx: bool) -> Reply {
    let s = snapshot_of(state, caller, path).await?;
    let (activities, totals, occupations) = s.as_summary();
    let table = export::Table { activities: &activities, totals: &totals, occupations: &occupations };
    let name = format!("summary-{}-snapshot-{}", s.name.target_year, s.name.number);
    Ok(if xlsx {
        download(export::XLSX, format!("{name}.xlsx"), export::xlsx(&table, lang)?, lang)
    } else {
        download("text/csv; charset=utf-8", format!("{name}.csv"), export::csv(&table, lang)?, lang)
    })
}

/// Read a snapshot
///
/// Officer, commission, admin: the summary as it was frozen — per economic
/// activity, with each activity's occupations, and the totals.
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}/snapshots/{number}", tag = "quota", operation_id = "get_summary_snapshot",
    params(YearAndNumber),
    responses((status = 200, description = "The snapshot", body = SummarySnapshot)),
)]
pub async fn get(state: State, caller: Caller, path: YearAndNumber) -> Reply {
    Ok(HttpResponse::Ok().json(snapshot_of(&state, caller, path).await?))
}

/// Download a snapshot as CSV
///
/// The snapshot as one UTF-8 CSV table, laid out as the summary's CSV: each
/// activity's row, then its occupations' rows, the total row last; headers
/// in the request's language.
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}/snapshots/{number}/csv", tag = "quota",
    operation_id = "download_summary_snapshot_csv",
    params(YearAndNumber),
    responses((status = 200, description = "The snapshot as CSV", content_type = "text/csv", body = String)),
)]
pub async fn csv(state: State, caller: Caller, AcceptLanguage(lang): AcceptLanguage, path: YearAndNumber) -> Reply {
    export(&state, caller, path, lang, false).await
}

/// Download a snapshot as XLSX
///
/// The snapshot as an Excel workbook with a sheet of economic activities and
/// one of occupations by activity; headers and sheet names in the request's
/// language.
#[utoipa::path(
    get, path = "/api/v1/summaries/{year}/snapshots/{number}/xlsx", tag = "quota",
    operation_id = "download_summary_snapshot_xlsx",
    params(YearAndNumber),
    responses((status = 200, description = "The snapshot as XLSX",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = crate::dto::BinaryFile)),
)]
pub async fn xlsx(state: State, caller: Caller, AcceptLanguage(lang): AcceptLanguage, path: YearAndNumber) -> Reply {
    export(&state, caller, path, lang, true).await
}
