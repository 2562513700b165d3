//! Campaign calendars (SPEC §4.4): stored when `admin` sets them, otherwise
//! the defaults of the amended calendar.

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::campaigns as c;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::campaign::Campaign;

/// A stored campaign: the columns its calendar is read from.
#[derive(Queryable, Selectable)]
#[diesel(table_name = c)]
struct Row {
    target_year: i32,
    opens_on: chrono::NaiveDate,
    submission_deadline: chrono::NaiveDate,
    correction_deadline: chrono::NaiveDate,
    commission_inputs_deadline: chrono::NaiveDate,
    proposal_deadline: chrono::NaiveDate,
    approval_deadline: chrono::NaiveDate,
}

fn campaign(r: Row) -> Campaign {
    Campaign {
        target_year: r.target_year,
        opens_on: r.opens_on,
        submission_deadline: r.submission_deadline,
        correction_deadline: r.correction_deadline,
        commission_inputs_deadline: r.commission_inputs_deadline,
        proposal_deadline: r.proposal_deadline,
        approval_deadline: r.approval_deadline,
    }
}

/// The campaign of `year`, and whether it was set by `admin` (`false`: defaults).
pub fn get(conn: &mut DbConnection, year: i32) -> Result<(Campaign, bool), StoreError> {
    let row: Option<Row> = c::table.filter(c::target_year.eq(year)).select(Row::as_select()).first(conn).optional()?;
    Ok(match row {
        Some(row) => (campaign(row), true),
        None => (Campaign::default_for(year), false),
    })
}

/// The campaigns `admin` set for target years after `year`, in order; the
/// other years have the defaults (`domain::campaign::campaign_of`).
pub fn stored_after(conn: &mut DbConnection, year: i32) -> Result<Vec<Campaign>, StoreError> {
    let rows: Vec<Row> =
        c::table.filter(c::target_year.gt(year)).order(c::target_year.asc()).select(Row::as_select()).load(conn)?;
    Ok(rows.into_iter().map(campaign).collect())
}

/// Every campaign `admin` set, with the campaigns' version (bumped by a
/// trigger on every change). The version is read first: a change committed
/// between the two reads leaves an older version beside newer rows, which
/// the next check sees as stale, never the reverse.
pub fn all_stored(conn: &mut DbConnection) -> Result<(i64, Vec<Campaign>), StoreError> {
    let version = crate::reference::version_of(conn, "campaigns")?;
    let rows: Vec<Row> = c::table.order(c::target_year.asc()).select(Row::as_select()).load(conn)?;
    Ok((version, rows.into_iter().map(campaign).collect()))
}

/// Stores `campaign` (validated by the caller) as set by `actor` at `now`.
pub fn put(conn: &mut DbConnection, campaign: &Campaign, actor: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    let values = (
        c::opens_on.eq(campaign.opens_on),
        c::submission_deadline.eq(campaign.submission_deadline),
        c::correction_deadline.eq(campaign.correction_deadline),
        c::commission_inputs_deadline.eq(campaign.commission_inputs_deadline),
        c::proposal_deadline.eq(campaign.proposal_deadline),
        c::approval_deadline.eq(campaign.approval_deadline),
        c::updated_at.eq(now),
        c::updated_by.eq(actor),
    );
    let updated = diesel::update(c::table.filter(c::target_year.eq(campaign.target_year))).set(values).execute(conn)?;
    if updated == 0 {
        // Two first settings of one year at once: the loser runs again and updates.
        diesel::insert_into(c::table)
            .values((c::target_year.eq(campaign.target_year), values))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    Ok(())
}
