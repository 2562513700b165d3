//! The campaign calendar of each target year (SPEC §4.4).

use crate::auth::Caller;
use crate::dto::Campaign;
use crate::extract::{JsonBody, Year};
use crate::handler::{Reply, State};
use actix_web::HttpResponse;
use application::campaigns;

/// Read a campaign
///
/// The dates of target year `year`: the defaults of the amended calendar
/// (Decision No. 489, 2024) until `admin` sets others.
#[utoipa::path(
    get, path = "/api/v1/campaigns/{year}", operation_id = "get_campaign", tag = "campaigns",
    params(Year),
    responses((status = 200, description = "The calendar", body = Campaign)),
)]
pub async fn get(state: State, _caller: Caller, Year(y): Year) -> Reply {
    let (c, custom) = state.read_one(move |conn| campaigns::read(conn, y)).await?;
    Ok(HttpResponse::Ok().json(Campaign::from_domain(&c, custom)))
}

/// Set a campaign
///
/// Admin: sets the dates of target year `year`; they must be in order.
#[utoipa::path(
    put, path = "/api/v1/campaigns/{year}", operation_id = "set_campaign", tag = "campaigns",
    request_body = Campaign,
    params(Year),
    responses((status = 200, description = "The calendar as stored", body = Campaign)),
)]
pub async fn put(state: State, caller: Caller, Year(y): Year, body: JsonBody<Campaign>) -> Reply {
    let campaign = body.value.to_domain();
    let now = state.now();
    let c = state.write(move |conn| campaigns::set(conn, &caller, y, &campaign, now)).await?;
    crate::state::refreshed(&state).await;
    Ok(HttpResponse::Ok().json(Campaign::from_domain(&c, true)))
}
