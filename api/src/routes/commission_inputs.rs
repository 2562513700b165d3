//! What the Commission receives besides the summary (SPEC §16.2): each
//! body's input for a target year, and the SMS's computed one.

use crate::auth::Caller;
use crate::dto::{
    BinaryFile, CommissionInput, CommissionInputChange, CommissionInputInput, CommissionInputs, FileUpload, InputFile,
    Paged,
};
use crate::extract::{
    ChangeHeaders, FileBody, IdempotencyKey, IfMatch, IfNoneMatch, JsonBody, PageParams, Query, Year,
};
use crate::handler::{Id, Reply, State, TwoSegments};
use crate::respond::{json_with_etag, stored};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use application::commission_inputs as uc;
use domain::commission_inputs::BodyText;

/// Read the Commission's inputs
///
/// Staff, the Commission and contributors: every body's input for the
/// target year with when and by whom it was sent, and the SMS's own input,
/// computed from the work permits recorded for the previous year and the
/// current year to date, per economic activity, counted against the quota
/// and exempt.
#[utoipa::path(
    get, path = "/api/v1/commission-inputs/{year}", tag = "quota", operation_id = "list_commission_inputs",
    params(Year),
    responses((status = 200, description = "The inputs", body = CommissionInputs)),
)]
pub async fn list(state: State, caller: Caller, path: Id) -> Reply {
    let year = path.into_inner();
    let now = state.now().naive_utc();
    let inputs = state.read(move |c| uc::list(c, &caller, &year, now)).await?;
    Ok(HttpResponse::Ok().json(CommissionInputs::from(&inputs)))
}

/// Read one body's input
///
/// Staff, the Commission and contributors: the input of `body` for the
/// target year; the `ETag` is its version, for `If-Match`. Not found until
/// the body sends one.
#[utoipa::path(
    get, path = "/api/v1/commission-inputs/{year}/{body_code}", tag = "quota", operation_id = "get_commission_input",
    params(Year, ("body_code" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
        IfNoneMatch),
    responses((status = 200, description = "The input", body = CommissionInput, headers(("ETag" = String, description = "Its version"))),
        (status = 304, description = "Your copy is current", headers(("ETag" = String, description = "Its version")))),
)]
pub async fn get(state: State, caller: Caller, path: TwoSegments) -> Reply {
    let (year, body) = path.into_inner();
    let rec = state.read(move |c| uc::get(c, &caller, &year, &body)).await?;
    Ok(json_with_etag(StatusCode::OK, &CommissionInput::from(&rec), rec.row.version))
}

/// Send a body's input
///
/// The contributor of `body` (token claim `body`): per economic activity a
/// figure with its meaning, and a note, replacing what the body sent
/// before. Taken until the campaign's Commission inputs deadline (end of
/// day, Baku); after it the input is read-only (409
/// `commission-inputs-deadline-passed`). Another body's contributor is
/// refused (403 `wrong-body`). Sending the same input again changes nothing.
#[utoipa::path(
    put, path = "/api/v1/commission-inputs/{year}/{body_code}", tag = "quota", operation_id = "put_commission_input",
    request_body = CommissionInputInput,
    params(Year, ("body_code" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
        ChangeHeaders),
    responses((status = 200, description = "The input as stored", body = CommissionInput, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "`commission-inputs-deadline-passed`", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn put(
    state: State,
    caller: Caller,
    path: TwoSegments,
    if_match: IfMatch,
    body: JsonBody<CommissionInputInput>,
) -> Reply {
    let (year, who) = path.into_inner();
    let input = body.value;
    let figures: Vec<uc::SentFigure> = input
        .entries
        .into_vec()
        .into_iter()
        .map(|f| (f.economic_activity.into_string(), f.measure.into_string(), f.value))
        .collect();
    let note = input.note.map(|n| n.into_string());
    let now = state.now().naive_utc();
    let rec =
        state.write(move |c| uc::put(c, &caller, &year, &who, if_match.0, (&figures, note.as_deref()), now)).await?;
    Ok(json_with_etag(StatusCode::OK, &CommissionInput::from(&rec), rec.row.version))
}

/// Read the history of a body's input
///
/// Every change of the input, oldest first: the version it made, the
/// contributor, when, and how many figures it held; paginated like every list.
#[utoipa::path(
    get, path = "/api/v1/commission-inputs/{year}/{body_code}/history", tag = "quota",
    operation_id = "get_commission_input_history",
    params(Year, ("body_code" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
        PageParams),
    responses((status = 200, description = "Every change, oldest first", body = Paged<CommissionInputChange>)),
)]
pub async fn history(state: State, caller: Caller, path: TwoSegments, q: Query<PageParams>) -> Reply {
    let (year, body) = path.into_inner();
    let (rows, total, page) = state.read(move |c| uc::history(c, &caller, &year, &body, &q.0)).await?;
    let items: Vec<CommissionInputChange> = rows.iter().map(CommissionInputChange::from).collect();
    Ok(HttpResponse::Ok().json(Paged::new(items, page, total)))
}

/// How an uploaded file is named.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileParams {
    /// The file's name, kept for display (default: `input`).
    #[param(inline)]
    pub filename: Option<domain::hqm::documents::FilenameText>,
}

/// Attach a file to a body's input
///
/// The contributor of `body`, until the Commission inputs deadline, once
/// the input was sent (404 before): a PDF or XLSX file (recognised by its
/// bytes, which must be the declared `Content-Type`), at most 10 MiB, 20
/// per input. Send it as the raw body with its `Content-Type`, or as the
/// part `file` of a form. Kept with its size and SHA-256, never altered.
#[utoipa::path(
    post, path = "/api/v1/commission-inputs/{year}/{body_code}/files", tag = "quota", operation_id = "add_commission_input_file",
    params(Year, ("body_code" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
        FileParams, IdempotencyKey),
    request_body(content(
        (BinaryFile = "application/pdf"), (BinaryFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (FileUpload = "multipart/form-data")
    ), description = "The file (at most 10 MiB)"),
    responses(
        (status = 201, description = "Stored; `Location` names the file", body = InputFile,
            headers(("Location" = String, description = "The file"))),
        (status = 409, description = "`commission-inputs-deadline-passed`, or 20 files already", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 10 MiB", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not PDF or XLSX", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn add_file(
    state: State,
    req: HttpRequest,
    caller: Caller,
    path: TwoSegments,
    q: Query<FileParams>,
    key: IdempotencyKey,
    body: FileBody,
) -> Reply {
    let (year, who) = path.into_inner();
    let filename = body.name(q.0.filename.map(|f| f.into_string()), || "input".into());
    let declared = body.content_type.clone();
    let bytes = body.bytes.clone();
    let c = caller.clone();
    state
        .idempotent(&req, &caller, key, &body.bytes, move |conn, now| {
            let up = uc::Upload { filename: &filename, declared: declared.as_deref(), bytes: &bytes };
            let (rec, id) = uc::add_file(conn, &c, &year, &who, &up, now.naive_utc())?;
            let file = rec.files.iter().find(|f| f.id == id).map(InputFile::from);
            let at =
                crate::handler::location::<__path_get_file>(&[("year", &year), ("body_code", &who), ("file_id", &id)]);
            stored(StatusCode::CREATED, &file, Some(at), None)
        })
        .await
}

/// The `{year}`, `{body_code}` and `{file_id}` of a file's path (the use cases
/// answer 404 for what names nothing).
fn file_path(req: &HttpRequest) -> (String, String, String) {
    let segment = |name: &str| req.match_info().get(name).unwrap_or_default().to_owned();
    (segment("year"), segment("body_code"), segment("file_id"))
}

/// Download a file of a body's input
///
/// The file as uploaded, with its media type; for the inputs' readers.
#[utoipa::path(
    get, path = "/api/v1/commission-inputs/{year}/{body_code}/files/{file_id}", tag = "quota", operation_id = "get_commission_input_file",
    params(Year, ("body_code" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
        ("file_id" = String, Path, description = "File id")),
    responses((status = 200, description = "The file", content(
        (BinaryFile = "application/pdf"), (BinaryFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        headers(("ETag" = String, description = "The SHA-256 of the bytes"), ("Content-Disposition" = String, description = "The file name")))),
)]
pub async fn get_file(state: State, caller: Caller, req: HttpRequest) -> Reply {
    let (year, body, id) = file_path(&req);
    let (f, bytes) = state.read(move |conn| uc::file(conn, &caller, &year, &body, &id)).await?;
    Ok(crate::respond::stored_file(&f.filename, f.content_type.as_str(), &f.sha256, bytes))
}

/// Remove a file from a body's input
///
/// The contributor of `body`, until the Commission inputs deadline.
#[utoipa::path(
    delete, path = "/api/v1/commission-inputs/{year}/{body_code}/files/{file_id}", tag = "quota", operation_id = "delete_commission_input_file",
    params(Year, ("body_code" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
        ("file_id" = String, Path, description = "File id")),
    responses((status = 204, description = "Removed"),
        (status = 409, description = "`commission-inputs-deadline-passed`", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn delete_file(state: State, caller: Caller, req: HttpRequest) -> Reply {
    let (year, body, id) = file_path(&req);
    let now = state.now().naive_utc();
    state.write(move |conn| uc::delete_file(conn, &caller, &year, &body, &id, now)).await?;
    Ok(HttpResponse::NoContent().finish())
}
