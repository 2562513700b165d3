//! Summary snapshots: what the Commission was given, frozen (SPEC §15.5).
//! A snapshot is written by the database from the forecasts as they stand
//! (INSERT … SELECT with the summary's own GROUP BY), numbered per target
//! year, and never changed (triggers refuse it).

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::raw::{raw_execute, raw_load};
use crate::schema::{summary_snapshot_activities as sa, summary_snapshots as ss};
use crate::summaries::{ActivityFigures, LineFigures, FIGURES, OCCUPATIONS};
use crate::Page;
use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
use diesel::QueryableByName;

/// A snapshot as listed: its number, when and by whom it was taken, and
/// its totals over all activities.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SnapshotRow {
    #[diesel(sql_type = Integer)]
    pub target_year: i32,
    #[diesel(sql_type = Integer)]
    pub number: i32,
    #[diesel(sql_type = Timestamp)]
    pub taken_at: NaiveDateTime,
    #[diesel(sql_type = Text)]
    pub taken_by: String,
    #[diesel(embed)]
    pub totals: ActivityFigures,
}

/// One economic activity (a section) of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SnapshotActivityRow {
    #[diesel(sql_type = Text)]
    pub economic_activity: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(embed)]
    pub figures: ActivityFigures,
}

/// One occupation within an activity of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SnapshotOccupationRow {
    #[diesel(sql_type = Text)]
    pub economic_activity: String,
    #[diesel(sql_type = Text)]
    pub occupation_code: String,
    #[diesel(sql_type = Text)]
    pub occupation_title: String,
    #[diesel(embed)]
    pub figures: LineFigures,
}

/// A whole snapshot.
#[derive(Debug, Clone)]
pub struct SnapshotRecord {
    pub header: SnapshotRow,
    pub activities: Vec<SnapshotActivityRow>,
    pub occupations: Vec<SnapshotOccupationRow>,
    /// The Commission's inputs as they stood when it was taken (SPEC §16.2).
    pub inputs: Vec<crate::commission_inputs::FrozenInput>,
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

/// The columns every snapshot table holds: the figures of [`LineFigures`]
/// and, but for occupations, of [`ActivityFigures`].
const LINE_FIGURES: &str = "employers, demand_total, quota_foreigners, exempt_foreigners";
const ACTIVITY_FIGURES: &str = "employers, demand_total, quota_foreigners, exempt_foreigners, forecasts, occupations";

/// The snapshots of `year`, newest first.
pub fn list(conn: &mut DbConnection, year: i32, page: Page) -> Result<(Vec<SnapshotRow>, i64), StoreError> {
    let total = ss::table.filter(ss::target_year.eq(year)).count().get_result(conn)?;
    let sql = format!(
        "SELECT target_year, number, taken_at, taken_by, {ACTIVITY_FIGURES} FROM summary_snapshots \
         WHERE target_year = ? ORDER BY number DESC LIMIT ? OFFSET ?"
    );
    let rows = raw_load!(conn, &sql, SnapshotRow, [(Integer, year), (BigInt, page.limit()), (BigInt, page.offset())])?;
    Ok((rows, total))
}

/// Snapshot `number` of `year`, with its activities and occupations in order.
pub fn get(conn: &mut DbConnection, year: i32, number: i32) -> Result<SnapshotRecord, StoreError> {
    let key = "WHERE target_year = ? AND number = ?";
    let header =
        format!("SELECT target_year, number, taken_at, taken_by, {ACTIVITY_FIGURES} FROM summary_snapshots {key}");
    let header = raw_load!(conn, &header, SnapshotRow, [(Integer, year), (Integer, number)])?
        .pop()
        .ok_or(StoreError::NotFound)?;
    let activities = format!(
        "SELECT economic_activity, title, {ACTIVITY_FIGURES} FROM summary_snapshot_activities {key} \
         ORDER BY economic_activity"
    );
    let activities = raw_load!(conn, &activities, SnapshotActivityRow, [(Integer, year), (Integer, number)])?;
    let occupations = format!(
        "SELECT economic_activity, occupation_code, occupation_title, {LINE_FIGURES} \
         FROM summary_snapshot_occupations {key} ORDER BY economic_activity, occupation_code, occupation_title"
    );
    let occupations = raw_load!(conn, &occupations, SnapshotOccupationRow, [(Integer, year), (Integer, number)])?;
    let inputs = crate::commission_inputs::frozen(conn, year, number)?;
    Ok(SnapshotRecord { header, activities, occupations, inputs })
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
