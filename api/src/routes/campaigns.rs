//! The campaign calendar of each target year (SPEC §4.4).

use crate::auth::Caller;
use crate::dto::Campaign;
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use domain::role::Role;
use persistence::campaigns;

/// Read a campaign
///
/// The dates of target year `year`: the defaults of the amended calendar
/// (Decision No. 489, 2024) until `admin` sets others.
#[utoipa::path(
    get, path = "/api/v1/campaigns/{year}", operation_id = "get_campaign", tag = "campaigns",
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "The calendar", body = Campaign)),
    security(("bearer" = []))
)]
pub async fn get(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let y = crate::extract::path_year(&path)?;
    let (c, custom) = state.read(move |conn| campaigns::get(conn, y)).await?;
    Ok(HttpResponse::Ok().json(Campaign::from_domain(&c, custom)))
}

/// Set a campaign
///
/// Admin: sets the dates of target year `year`; they must be in order.
#[utoipa::path(
    put, path = "/api/v1/campaigns/{year}", operation_id = "set_campaign", tag = "campaigns",
    request_body = Campaign,
    params(("year" = i32, Path, description = "Target year", minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "The calendar as stored", body = Campaign)),
    security(("bearer" = []))
)]
pub async fn put(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<Campaign>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let y = crate::extract::path_year(&path)?;
    let c = body.value.to_domain();
    if c.target_year != y {
        return Err(ApiError::invalid("target_year", "path_mismatch"));
    }
    c.validate()?;
    let actor = caller.sub.clone();
    let now = state.now().naive_utc();
    let stored = c.clone();
    state.write(move |conn| campaigns::put(conn, &stored, &actor, now)).await?;
    Ok(HttpResponse::Ok().json(Campaign::from_domain(&c, true)))
}
