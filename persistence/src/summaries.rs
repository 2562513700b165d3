//! The summary the Service hands the Commission (SPEC §5.1) and the
//! forecast-accuracy report: grouped by the database, never in memory.

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::raw::raw_load;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::QueryableByName;

/// Which forecasts a summary counts: `accepted` only, or also those still
/// under review (`submitted`, `in_review`), reported apart (SPEC §5.1).
fn status_list(include_pending: bool) -> &'static str {
    if include_pending {
        "('accepted', 'submitted', 'in_review')"
    } else {
        "('accepted')"
    }
}

/// What a summary counts over a set of forecast lines (SPEC §5.1): the
/// distinct employers (TINs), the total additional demand, the foreigners
/// demanded in lines that count toward the quota and those in exempt lines
/// (liberated territories). Read by column name from any query that
/// selects them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, QueryableByName)]
pub struct LineFigures {
    #[diesel(sql_type = BigInt)]
    pub employers: i64,
    #[diesel(sql_type = BigInt)]
    pub demand_total: i64,
    #[diesel(sql_type = BigInt)]
    pub quota_foreigners: i64,
    #[diesel(sql_type = BigInt)]
    pub exempt_foreigners: i64,
}

/// What a summary counts for an economic activity (or all of them): the
/// [`LineFigures`], the forecasts, and the distinct occupations (code and
/// title) demanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, QueryableByName)]
pub struct ActivityFigures {
    #[diesel(embed)]
    pub lines: LineFigures,
    #[diesel(sql_type = BigInt)]
    pub forecasts: i64,
    #[diesel(sql_type = BigInt)]
    pub occupations: i64,
}

/// One economic activity (section) of the summary, for one bucket:
/// `accepted`, or `pending` (submitted or in review).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SummaryRow {
    #[diesel(sql_type = Text)]
    pub activity: String,
    #[diesel(sql_type = Text)]
    pub bucket: String,
    #[diesel(embed)]
    pub figures: ActivityFigures,
}

pub(crate) const BUCKET: &str = "CASE WHEN f.status = 'accepted' THEN 'accepted' ELSE 'pending' END";

/// Distinct occupations of the lines grouped: an occupation is a code with
/// one of its titles (SPEC §6), and codes are always four digits, so code
/// and title joined cannot collide.
pub(crate) const OCCUPATIONS: &str = "COUNT(DISTINCT l.occupation_code || '|' || l.occupation_title) AS occupations";

/// The figures of a summary row: total demand, foreigners counting toward
/// the quota, foreigners in exempt lines (SPEC §5.1).
pub(crate) const FIGURES: &str = "CAST(COALESCE(SUM(l.demand_total), 0) AS BIGINT) AS demand_total, \
     CAST(COALESCE(SUM(CASE WHEN l.quota_usage = 'other' THEN l.demand_foreigners ELSE 0 END), 0) AS BIGINT) AS quota_foreigners, \
     CAST(COALESCE(SUM(CASE WHEN l.quota_usage = 'liberated_territories' THEN l.demand_foreigners ELSE 0 END), 0) AS BIGINT) AS exempt_foreigners";

/// The summary of target year `year` per economic activity, computed by the
/// database in one GROUP BY (SPEC §5.1).
pub fn summary(conn: &mut DbConnection, year: i32, include_pending: bool) -> Result<Vec<SummaryRow>, StoreError> {
    let sql = format!(
        "SELECT f.activity_section AS activity, {BUCKET} AS bucket, \
         COUNT(DISTINCT f.tin) AS employers, COUNT(DISTINCT f.id) AS forecasts, {OCCUPATIONS}, \
         {FIGURES} \
         FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
         WHERE f.target_year = ? AND f.status IN {} \
         GROUP BY f.activity_section, {BUCKET} ORDER BY f.activity_section, {BUCKET}",
        status_list(include_pending)
    );
    Ok(raw_load!(conn, &sql, SummaryRow, [(Integer, year)])?)
}

/// Distinct employers and occupations over all activities, per bucket.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct TotalsRow {
    #[diesel(sql_type = Text)]
    pub bucket: String,
    #[diesel(sql_type = BigInt)]
    pub employers: i64,
    #[diesel(sql_type = BigInt)]
    pub occupations: i64,
}

/// The distinct employers (TINs) and occupations of the summary, all
/// activities together: the occupations are not derivable from the
/// per-activity counts, as one occupation is demanded under several.
pub fn summary_totals(conn: &mut DbConnection, year: i32, include_pending: bool) -> Result<Vec<TotalsRow>, StoreError> {
    let sql = format!(
        "SELECT {BUCKET} AS bucket, COUNT(DISTINCT f.tin) AS employers, {OCCUPATIONS} \
         FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
         WHERE f.target_year = ? AND f.status IN {} GROUP BY {BUCKET}",
        status_list(include_pending)
    );
    Ok(raw_load!(conn, &sql, TotalsRow, [(Integer, year)])?)
}

/// One occupation of an activity's drill-down, for one bucket; `activity`
/// is the section the occupation is demanded under.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct OccupationSummaryRow {
    #[diesel(sql_type = Text)]
    pub activity: String,
    #[diesel(sql_type = Text)]
    pub occupation_code: String,
    #[diesel(sql_type = Text)]
    pub occupation_title: String,
    #[diesel(sql_type = Text)]
    pub bucket: String,
    #[diesel(embed)]
    pub figures: LineFigures,
}

/// The drill-down per occupation of one economic activity (a section), or
/// of every activity (`None`), in activity and occupation order.
pub fn summary_by_occupation(
    conn: &mut DbConnection,
    year: i32,
    section: Option<&str>,
    include_pending: bool,
) -> Result<Vec<OccupationSummaryRow>, StoreError> {
    let sql = format!(
        "SELECT f.activity_section AS activity, l.occupation_code AS occupation_code, \
         l.occupation_title AS occupation_title, {BUCKET} AS bucket, \
         COUNT(DISTINCT f.tin) AS employers, \
         {FIGURES} \
         FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
         WHERE f.target_year = ? AND f.status IN {} {} \
         GROUP BY f.activity_section, l.occupation_code, l.occupation_title, {BUCKET} \
         ORDER BY f.activity_section, l.occupation_code, l.occupation_title, {BUCKET}",
        status_list(include_pending),
        if section.is_some() { "AND f.activity_section = ?" } else { "" },
    );
    Ok(match section {
        Some(s) => raw_load!(conn, &sql, OccupationSummaryRow, [(Integer, year), (Text, s)])?,
        None => raw_load!(conn, &sql, OccupationSummaryRow, [(Integer, year)])?,
    })
}

/// Forecast foreigners against permits recorded, for one key (an economic
/// activity or an employer's TIN).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct AccuracyRow {
    #[diesel(sql_type = Text)]
    pub key: String,
    /// Foreigners in accepted forecasts' lines that count toward the quota.
    #[diesel(sql_type = BigInt)]
    pub forecast: i64,
    /// Non-exempt permits recorded and not cancelled.
    #[diesel(sql_type = BigInt)]
    pub permits: i64,
}

/// How well forecasts for `year` predicted the permits actually recorded,
/// per economic activity (`by_employer` false) or per employer.
pub fn accuracy(conn: &mut DbConnection, year: i32, by_employer: bool) -> Result<Vec<AccuracyRow>, StoreError> {
    let (fk, ak, extra) = if by_employer {
        ("f.tin", "a.tin", "AND a.tin IS NOT NULL")
    } else {
        ("f.activity_section", "a.activity_section", "")
    };
    let sql = format!(
        "SELECT k AS key, CAST(SUM(fc) AS BIGINT) AS forecast, CAST(SUM(pc) AS BIGINT) AS permits FROM ( \
           SELECT {fk} AS k, SUM(l.demand_foreigners) AS fc, 0 AS pc \
           FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
           WHERE f.target_year = ? AND f.status = 'accepted' AND l.quota_usage = 'other' GROUP BY {fk} \
           UNION ALL \
           SELECT {ak} AS k, 0 AS fc, COUNT(*) AS pc FROM quota_allocations a \
           WHERE a.target_year = ? AND a.exemption IS NULL AND a.cancelled_at IS NULL {extra} GROUP BY {ak} \
         ) t GROUP BY k ORDER BY k"
    );
    Ok(raw_load!(conn, &sql, AccuracyRow, [(Integer, year), (Integer, year)])?)
}
