//! Reference data: occupations and economic activities (SPEC §6).

use crate::auth::Caller;
use crate::dto::{EconomicActivity, ExemptionCategory, ExemptionInput, ImportReport, Occupation, Paged};
use crate::extract::{FileBody, IfNoneMatch, JsonBody, PageParams, Query};
use crate::handler::{Id, Reply, State};
use crate::respond::cached_json;
use actix_web::HttpResponse;
use domain::occupation::ImportMode;

use application::reference as uc;
use application::reference::OccupationSearch;
use domain::reference::ExemptionCodeText;
use serde::Deserialize;
use utoipa::IntoParams;

/// Search occupations
///
/// Entries `{code, title}` of the Occupational Classification.
#[utoipa::path(
    get, path = "/api/v1/occupations", tag = "reference",
    params(OccupationSearch, PageParams, IfNoneMatch),
    responses((status = 200, description = "Matching entries, best first; `ETag` and `Cache-Control` set", body = Paged<Occupation>),
        (status = 304, description = "Your copy is current")),
)]
pub async fn occupations(state: State, _caller: Caller, q: Query<OccupationSearch>, page: Query<PageParams>) -> Reply {
    let (q, page) = (q.0, page.0.page()?);
    // Searched in memory: the classification is small and read far more
    // often than it changes (see application::memory).
    let snapshot = state.reference.occupations();
    let (hits, total) = uc::search(&snapshot, &q, page)?;
    let items: Vec<Occupation> = hits
        .into_iter()
        .map(|r| Occupation {
            major_group: r.code.get(..1).unwrap_or("").to_owned(),
            major_group_title: r.major_group_title.to_owned(),
            code: r.code.clone(),
            title: r.title.clone(),
        })
        .collect();
    cached_json(&Paged::new(items, page, total))
}

/// List economic activities
///
/// NACE Rev. 2 sections (A–U), each followed by its divisions.
#[utoipa::path(
    get, path = "/api/v1/economic-activities", tag = "reference",
    params(PageParams, IfNoneMatch),
    responses((status = 200, description = "Economic activities; `ETag` and `Cache-Control` set", body = Paged<EconomicActivity>),
        (status = 304, description = "Your copy is current")),
)]
pub async fn economic_activities(state: State, _caller: Caller, q: Query<PageParams>) -> Reply {
    let page = q.0.page()?;
    let (rows, total) = state.read(move |c| uc::activities(c, page)).await?;
    let items = rows
        .into_iter()
        .map(|r| EconomicActivity { code: r.code, title: r.title, level: r.level, parent: r.parent })
        .collect();
    cached_json(&Paged::new(items, page, total))
}

#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Entries not in the file are retired.
    Replace,
    /// Entries not in the file stay.
    Extend,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `extend` (the default) adds and keeps; `replace` also retires what the file lacks.
    pub mode: Option<Mode>,
}

/// Import occupations
///
/// Admin: replaces or extends the Occupational Classification from the
/// statistics committee's CSV (UTF-8) or XLSX export: a header row naming a
/// code column (`code`/`Kod`) and a title column (`title`/`Ad`). All or
/// nothing: one bad row refuses the file, and the problem lists every bad row
/// by line. Entries that forecasts name are retired, never deleted. A file
/// holds at most 200,000 data rows (422 `too_many_rows`, field `file`, with
/// the limit as `max`); an XLSX workbook may reach row 200,000 and column 100
/// and hold 100 MiB once decompressed; a larger one is refused (422, field
/// `file`) before it is read. The file is read whole before anything is done:
/// a client that disconnects during the upload changes nothing.
#[utoipa::path(
    post, path = "/api/v1/occupations/imports", tag = "reference", operation_id = "import_occupations",
    params(ImportParams),
    request_body(content(
        (crate::dto::FileUpload = "multipart/form-data"),
        (crate::dto::CsvFile = "text/csv"),
        (crate::dto::BinaryFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ), description = "The file, as exported (at most 10 MiB): as the raw body with its `Content-Type`, or as the part `file` of a form"),
    responses((status = 200, description = "Imported", body = ImportReport)),
)]
pub async fn import_occupations(state: State, caller: Caller, q: Query<ImportParams>, body: FileBody) -> Reply {
    let mode = match q.0.mode.unwrap_or(Mode::Extend) {
        Mode::Replace => ImportMode::Replace,
        Mode::Extend => ImportMode::Extend,
    };
    let report = state
        .blocking(move |db| {
            let entries = uc::check_file(&caller, &body.bytes)?;
            db.write(|c| uc::import(c, &caller, &entries, mode))
        })
        .await?;
    crate::state::refreshed(&state).await;
    Ok(HttpResponse::Ok().json(ImportReport { added: report.added, kept: report.kept, retired: report.retired }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExemptionParams {
    /// Also list retired categories.
    pub include_retired: Option<bool>,
}

fn exemption_dto(r: persistence::reference::ExemptionRow) -> ExemptionCategory {
    ExemptionCategory {
        code: r.code,
        title_az: r.title_az,
        title_en: r.title_en,
        title_ru: r.title_ru,
        retired: r.retired,
    }
}

/// List exemption categories
///
/// The categories of work permits exempt from the quota: Article 64 of the
/// Migration Code and work in the liberated territories.
#[utoipa::path(
    get, path = "/api/v1/exemption-categories", tag = "reference", operation_id = "list_exemption_categories",
    params(PageParams, ExemptionParams, IfNoneMatch),
    responses((status = 200, description = "Categories; `ETag` and `Cache-Control` set", body = Paged<ExemptionCategory>),
        (status = 304, description = "Your copy is current")),
)]
pub async fn exemption_categories(
    state: State,
    _caller: Caller,
    page: Query<PageParams>,
    q: Query<ExemptionParams>,
) -> Reply {
    let page = page.0.page()?;
    let all = q.0.include_retired.unwrap_or(false);
    let (rows, total) = state.read(move |c| uc::exemptions(c, all, page)).await?;
    cached_json(&Paged::new(rows.into_iter().map(exemption_dto).collect(), page, total))
}

/// Set an exemption category
///
/// Admin: creates or changes a category (code: lower-case letters, digits, `_`).
#[utoipa::path(
    put, path = "/api/v1/exemption-categories/{code}", tag = "reference", operation_id = "set_exemption_category",
    params(("code" = inline(ExemptionCodeText), Path, description = "Category code")),
    request_body = ExemptionInput,
    responses((status = 200, description = "The category", body = ExemptionCategory)),
)]
pub async fn put_exemption(state: State, caller: Caller, path: Id, body: JsonBody<ExemptionInput>) -> Reply {
    let b = &body.value;
    let titles = [b.title_az.as_str(), b.title_en.as_str(), b.title_ru.as_str()];
    let (code, titles) = (path.into_inner(), titles.map(str::to_owned));
    let row = state
        .write(move |c| {
            let titles = [titles[0].as_str(), titles[1].as_str(), titles[2].as_str()];
            uc::set_exemption(c, &caller, &code, titles)
        })
        .await?;
    Ok(HttpResponse::Ok().json(exemption_dto(row)))
}

/// Retire an exemption category
///
/// Admin: the category stays for the permits that name it, but is no longer listed.
#[utoipa::path(
    delete, path = "/api/v1/exemption-categories/{code}", tag = "reference", operation_id = "retire_exemption_category",
    params(("code" = inline(ExemptionCodeText), Path, description = "Category code")),
    responses((status = 204, description = "Retired")),
)]
pub async fn retire_exemption(state: State, caller: Caller, path: Id) -> Reply {
    let code = path.into_inner();
    state.write(move |c| uc::retire_exemption(c, &caller, &code)).await?;
    Ok(HttpResponse::NoContent().finish())
}
