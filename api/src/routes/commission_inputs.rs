//! What the Commission receives besides the summary (SPEC §16.2): each
//! body's input for a target year, and the SMS's computed one.

use crate::auth::Caller;
use crate::dto::{CommissionInput, CommissionInputChange, CommissionInputInput, CommissionInputs, Paged};
use crate::extract::{ChangeHeaders, IfMatch, IfNoneMatch, JsonBody, PageParams, Query, Year};
use crate::handler::{Id, Reply, State, TwoSegments};
use crate::respond::json_with_etag;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
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
    get, path = "/api/v1/commission-inputs/{year}/{body}", tag = "quota", operation_id = "get_commission_input",
    params(Year, ("body" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
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
    put, path = "/api/v1/commission-inputs/{year}/{body}", tag = "quota", operation_id = "put_commission_input",
    request_body = CommissionInputInput,
    params(Year, ("body" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
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
    get, path = "/api/v1/commission-inputs/{year}/{body}/history", tag = "quota",
    operation_id = "get_commission_input_history",
    params(Year, ("body" = inline(BodyText), Path, description = "The body: labour, economy, education or socar"),
        PageParams),
    responses((status = 200, description = "Every change, oldest first", body = Paged<CommissionInputChange>)),
)]
pub async fn history(state: State, caller: Caller, path: TwoSegments, q: Query<PageParams>) -> Reply {
    let (year, body) = path.into_inner();
    let (rows, total, page) = state.read(move |c| uc::history(c, &caller, &year, &body, &q.0)).await?;
    let items: Vec<CommissionInputChange> = rows.iter().map(CommissionInputChange::from).collect();
    Ok(HttpResponse::Ok().json(Paged::new(items, page, total)))
}
