//! The holiday calendar per year (SPEC §14.4).

use crate::auth::Caller;
use crate::dto::{HolidayDay, HolidayYear, HolidayYearInput};
use crate::extract::{JsonBody, Year};
use crate::handler::{Reply, State};
use actix_web::HttpResponse;
use application::holidays as uc;
use persistence::holidays::HolidayYearRow;

fn body(row: HolidayYearRow, days: Vec<(chrono::NaiveDate, String)>) -> HolidayYear {
    HolidayYear {
        year: row.year,
        days: days.into_iter().map(|(date, name)| HolidayDay { date, name: name.into() }).collect(),
        source: row.source,
        updated_at: row.updated_at.and_utc(),
    }
}

/// Read a year's holidays
///
/// The non-working days of `year` other than Saturday and Sunday, transfers
/// included (Labour Code Art. 105), over which review deadlines are counted.
/// Shipped for the current and next year; a year not published is not found
/// (deadlines reaching it are counted provisionally, over the fixed-date
/// holidays of Labour Code Art. 105, and marked `review_deadline_provisional`).
#[utoipa::path(
    get, path = "/api/v1/holidays/{year}", operation_id = "get_holidays", tag = "hqm",
    params(Year),
    responses((status = 200, description = "The year's list", body = HolidayYear)),
)]
pub async fn get(state: State, _caller: Caller, Year(year): Year) -> Reply {
    let (row, days) = state.read(move |conn| uc::get(conn, year)).await?;
    Ok(HttpResponse::Ok().json(body(row, days)))
}

/// Set a year's holidays
///
/// Admin: replaces the whole list of `year` (as the Cabinet publishes the
/// feasts and transfers each December). The review deadline of every
/// application under review is counted again over the calendar as it now
/// stands; one that moves (or stops being provisional) gets a
/// `recount_deadline` history entry, and its applicant an e-mail when the
/// day moves.
#[utoipa::path(
    put, path = "/api/v1/holidays/{year}", operation_id = "set_holidays", tag = "hqm",
    request_body = HolidayYearInput,
    params(Year),
    responses((status = 200, description = "The list as kept", body = HolidayYear)),
)]
pub async fn put(state: State, caller: Caller, Year(year): Year, input: JsonBody<HolidayYearInput>) -> Reply {
    let value = input.value;
    let days: Vec<(chrono::NaiveDate, String)> = value.days.iter().map(|d| (d.date, d.name.to_string())).collect();
    let now = state.now();
    let (row, days) = state.write(move |conn| uc::put(conn, &caller, year, value.year.get(), &days, now)).await?;
    Ok(HttpResponse::Ok().json(body(row, days)))
}
