//! Summary snapshots: what the Commission was given, frozen (SPEC §15.5).
//! A snapshot is written by the database from the forecasts as they stand
//! (INSERT … SELECT with the summary's own GROUP BY), numbered per target
//! year, and never changed (triggers refuse it).

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::raw::raw_execute;
use crate::schema::{summary_snapshot_activities as sa, summary_snapshot_occupations as so, summary_snapshots as ss};
use crate::summaries::{FIGURES, OCCUPATIONS};
use crate::Page;
use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

crate::figures_row! {
    /// A snapshot as listed: its number, when and by whom it was taken, and
    /// its totals over all activities.
    #[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
    #[diesel(table_name = ss)]
    pub struct SnapshotRow { pub target_year: i32, pub number: i32, pub taken_at: NaiveDateTime, pub taken_by: String, }
    counts(employers, forecasts, occupations, demand_total, quota_foreigners, exempt_foreigners)
}

crate::figures_row! {
    /// One economic activity (a section) of a snapshot.
    #[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
    #[diesel(table_name = sa)]
    pub struct SnapshotActivityRow { pub economic_activity: String, pub title: String, }
    counts(employers, forecasts, occupations, demand_total, quota_foreigners, exempt_foreigners)
}

crate::figures_row! {
    /// One occupation within an activity of a snapshot.
    #[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
    #[diesel(table_name = so)]
    pub struct SnapshotOccupationRow {
        pub economic_activity: String,
        pub occupation_code: String,
        pub occupation_title: String,
    }
    counts(employers, demand_total, quota_foreigners, exempt_foreigners)
}

/// A whole snapshot.
#[derive(Debug, Clone)]
pub struct SnapshotRecord {
    pub header: SnapshotRow,
    pub activities: Vec<SnapshotActivityRow>,
    pub occupations: Vec<SnapshotOccupationRow>,
}

const ACCEPTED: &str = "FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
     WHERE f.target_year = ? AND f.status = 'accepted'";

/// Freezes the summary of `year` over accepted forecasts as its next
/// snapshot; returns its number. The three statements read one state of the
/// forecasts: SQLite's write transaction holds the database; on PostgreSQL
/// the forecasts are locked against changes (not against reads) until the
/// transaction ends. Two snapshots taken at once: the loser runs again.
pub fn take(conn: &mut DbConnection, year: i32, by: &str, at: NaiveDateTime) -> Result<i32, StoreError> {
    if let DbConnection::Pg(_) = conn {
        conn.batch_execute("LOCK TABLE forecasts IN SHARE MODE")?;
    }
    let last: Option<i32> =
        ss::table.filter(ss::target_year.eq(year)).select(diesel::dsl::max(ss::number)).first(conn)?;
    let number = last.unwrap_or(0) + 1;
    let taken = crate::error::lost_a_race;
    let header = format!(
        "INSERT INTO summary_snapshots (target_year, number, taken_at, taken_by, employers, forecasts, \
         occupations, demand_total, quota_foreigners, exempt_foreigners) \
         SELECT ?, ?, ?, ?, COUNT(DISTINCT f.tin), COUNT(DISTINCT f.id), {OCCUPATIONS}, {FIGURES} {ACCEPTED}"
    );
    raw_execute!(conn, &header, [(Integer, year), (Integer, number), (Timestamp, at), (Text, by), (Integer, year)])
        .map_err(taken)?;
    let activities = format!(
        "INSERT INTO summary_snapshot_activities (target_year, number, economic_activity, title, employers, \
         forecasts, occupations, demand_total, quota_foreigners, exempt_foreigners) \
         SELECT ?, ?, f.activity_section, COALESCE(MAX(a.title), f.activity_section), COUNT(DISTINCT f.tin), \
         COUNT(DISTINCT f.id), {OCCUPATIONS}, {FIGURES} \
         FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
         LEFT JOIN economic_activities a ON a.code = f.activity_section \
         WHERE f.target_year = ? AND f.status = 'accepted' GROUP BY f.activity_section"
    );
    raw_execute!(conn, &activities, [(Integer, year), (Integer, number), (Integer, year)])?;
    let occupations = format!(
        "INSERT INTO summary_snapshot_occupations (target_year, number, economic_activity, occupation_code, \
         occupation_title, employers, demand_total, quota_foreigners, exempt_foreigners) \
         SELECT ?, ?, f.activity_section, l.occupation_code, l.occupation_title, COUNT(DISTINCT f.tin), {FIGURES} \
         {ACCEPTED} GROUP BY f.activity_section, l.occupation_code, l.occupation_title"
    );
    raw_execute!(conn, &occupations, [(Integer, year), (Integer, number), (Integer, year)])?;
    Ok(number)
}

/// The snapshots of `year`, newest first.
pub fn list(conn: &mut DbConnection, year: i32, page: Page) -> Result<(Vec<SnapshotRow>, i64), StoreError> {
    crate::page_of!(conn, ss::table.filter(ss::target_year.eq(year)), ss::number.desc(), SnapshotRow, page)
}

/// Snapshot `number` of `year`, with its activities and occupations in order.
pub fn get(conn: &mut DbConnection, year: i32, number: i32) -> Result<SnapshotRecord, StoreError> {
    let header = ss::table
        .filter(ss::target_year.eq(year))
        .filter(ss::number.eq(number))
        .select(SnapshotRow::as_select())
        .first(conn)?;
    let activities = sa::table
        .filter(sa::target_year.eq(year))
        .filter(sa::number.eq(number))
        .order(sa::economic_activity.asc())
        .select(SnapshotActivityRow::as_select())
        .load(conn)?;
    let occupations = so::table
        .filter(so::target_year.eq(year))
        .filter(so::number.eq(number))
        .order((so::economic_activity.asc(), so::occupation_code.asc(), so::occupation_title.asc()))
        .select(SnapshotOccupationRow::as_select())
        .load(conn)?;
    Ok(SnapshotRecord { header, activities, occupations })
}

/// The foreigners counting toward the quota per activity in the latest
/// snapshot of `year`, if it has one: what a quota plan is pre-filled with.
pub fn latest_quota_foreigners(conn: &mut DbConnection, year: i32) -> Result<Option<Vec<(String, i64)>>, StoreError> {
    let last: Option<i32> =
        ss::table.filter(ss::target_year.eq(year)).select(diesel::dsl::max(ss::number)).first(conn)?;
    let Some(number) = last else { return Ok(None) };
    let rows = sa::table
        .filter(sa::target_year.eq(year))
        .filter(sa::number.eq(number))
        .order(sa::economic_activity.asc())
        .select((sa::economic_activity, sa::quota_foreigners))
        .load(conn)?;
    Ok(Some(rows))
}
