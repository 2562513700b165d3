//! The campaign calendar of each target year (SPEC §4.4).

use crate::{AppError, Caller};
use chrono::{DateTime, Utc};
use domain::campaign::Campaign;
use domain::policy::Permission;
use domain::FieldCode;
use persistence::{campaigns, DbConnection};

/// The calendar of `year` and whether admin set it (`false`: the defaults of
/// the amended calendar). Any caller with a token may read it.
pub fn read(conn: &mut DbConnection, year: i32) -> Result<(Campaign, bool), AppError> {
    Ok(campaigns::get(conn, year)?)
}

/// Admin sets the dates of `year`; they must be in order and name that
/// year. The copies of the calendar held in memory follow when the caller
/// refreshes them (`memory::Reference::refresh`) after the commit.
pub fn set(
    conn: &mut DbConnection,
    caller: &Caller,
    year: i32,
    campaign: &Campaign,
    now: DateTime<Utc>,
) -> Result<Campaign, AppError> {
    caller.may(Permission::SetCampaigns)?;
    if campaign.target_year != year {
        return Err(AppError::invalid("target_year", FieldCode::PathMismatch));
    }
    campaign.validate()?;
    campaigns::put(conn, campaign, &caller.sub, now.naive_utc())?;
    Ok(campaign.clone())
}
