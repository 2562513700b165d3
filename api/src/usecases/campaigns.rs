//! The campaign calendar of each target year (SPEC §4.4).

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::web;
use domain::campaign::Campaign;
use domain::policy::Permission;
use domain::FieldCode;
use persistence::campaigns;

/// The calendar of `year` and whether admin set it (`false`: the defaults of
/// the amended calendar). Any caller with a token may read it.
pub async fn read(state: &AppState, year: i32) -> Result<(Campaign, bool), ApiError> {
    state.read(move |conn| campaigns::get(conn, year)).await
}

/// Admin sets the dates of `year`; they must be in order and name that year.
pub async fn set(
    state: &web::Data<AppState>,
    caller: &Caller,
    year: i32,
    campaign: Campaign,
) -> Result<Campaign, ApiError> {
    caller.may(Permission::SetCampaigns)?;
    if campaign.target_year != year {
        return Err(ApiError::invalid("target_year", FieldCode::PathMismatch));
    }
    campaign.validate()?;
    let actor = caller.sub.clone();
    let now = state.now().naive_utc();
    let stored = campaign.clone();
    state.write(move |conn| campaigns::put(conn, &stored, &actor, now)).await?;
    // This server's copy in memory follows at once; the others within their
    // refresh period (until then they read the calendar from the database).
    // The change is committed: a failed refresh is logged, not answered.
    let fresh = state.clone();
    if let Err(e) = web::block(move || fresh.refresh_campaigns()).await.map_err(ApiError::from)? {
        tracing::warn!(error = %e, "could not refresh the campaigns");
    }
    Ok(campaign)
}
