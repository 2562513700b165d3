//! Filing a forecast on PostgreSQL in one prepared statement (SPEC §11: the
//! deadline day's write path): the forecast, its lines and its history rows
//! in one `WITH … INSERT`, the lines and history passed as arrays so the SQL
//! text is the same for every forecast and PostgreSQL plans it once per
//! connection. Diesel caches a statement only when its text cannot vary,
//! which a multi-row `VALUES` list does, hence this hand-written query.

use super::{Actor, ForecastRecord, ForecastRow};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment};
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text, Timestamp};
use diesel::{PgConnection, QueryResult, RunQueryDsl};
use domain::status::ForecastStatus;

/// The columns of a forecast that its record does not carry.
pub(super) struct Derived<'a> {
    pub created_by: &'a str,
    /// The folded display name of the employer, for staff search.
    pub employer_search: String,
    pub activity_section: String,
    /// What list search matches on the lines.
    pub search_text: String,
}

/// One filing: the record to write (its number aside), the lines and the
/// history as one array per column.
struct FileForecast<'a> {
    row: &'a ForecastRow,
    derived: Derived<'a>,
    line_ids: Vec<&'a str>,
    positions: Vec<i32>,
    codes: Vec<&'a str>,
    titles: Vec<&'a str>,
    totals: Vec<i64>,
    foreigners: Vec<i64>,
    justifications: Vec<&'a str>,
    usages: Vec<&'a str>,
    notes: Vec<Option<&'a str>>,
    history_from: Vec<Option<&'static str>>,
    history_to: Vec<&'static str>,
    actor: Actor<'a>,
}

crate::raw::fixed_pg_statement!(FileForecast, FileForecastQuery);

impl Query for FileForecast<'_> {
    /// The new forecast's number.
    type SqlType = BigInt;
}

impl QueryFragment<Pg> for FileForecast<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "WITH f AS (INSERT INTO forecasts (id, tin, target_year, status, version, created_at, updated_at, \
             submitted_at, created_by, person_type, organization_name, legal_form, name, surname, patronymic, \
             legal_address, current_address, workplace_address, tin_issued_on, employees_total, foreign_workers, \
             economic_activity, employer_search, activity_section, line_count, foreigners_total, search_text) \
             VALUES (",
        );
        out.push_bind_param::<Text, _>(&self.row.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.row.tin)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&self.row.target_year)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.row.status)?;
        out.push_sql(", 1, ");
        out.push_bind_param::<Timestamp, _>(&self.row.created_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&self.row.created_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&self.row.submitted_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.derived.created_by)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.row.person_type)?;
        for v in
            [&self.row.organization_name, &self.row.legal_form, &self.row.name, &self.row.surname, &self.row.patronymic]
        {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(v)?;
        }
        for v in [&self.row.legal_address, &self.row.current_address, &self.row.workplace_address] {
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(v)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Date, _>(&self.row.tin_issued_on)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.row.employees_total)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.row.foreign_workers)?;
        for v in [&self.row.economic_activity, &self.derived.employer_search, &self.derived.activity_section] {
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(v)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&self.row.line_count)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.row.foreigners_total)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.derived.search_text)?;
        out.push_sql(
            ") RETURNING id, number), \
             l AS (INSERT INTO forecast_lines (id, forecast_id, position, occupation_code, occupation_title, \
             demand_total, demand_foreigners, justification, quota_usage, note) \
             SELECT u.id, f.id, u.position, u.code, u.title, u.total, u.foreigners, u.justification, u.usage, \
             u.note FROM f, unnest(",
        );
        out.push_bind_param::<Array<Text>, _>(&self.line_ids)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Integer>, _>(&self.positions)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.codes)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.titles)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.totals)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.foreigners)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.justifications)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.usages)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<Text>>, _>(&self.notes)?;
        out.push_sql(
            ") AS u(id, position, code, title, total, foreigners, justification, usage, note)), \
             h AS (INSERT INTO forecast_history (forecast_id, from_status, to_status, actor, role, reason, at) \
             SELECT f.id, s.from_status, s.to_status, ",
        );
        out.push_bind_param::<Text, _>(&self.actor.sub)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.actor.role)?;
        out.push_sql(", NULL, ");
        out.push_bind_param::<Timestamp, _>(&self.row.created_at)?;
        out.push_sql(" FROM f, unnest(");
        out.push_bind_param::<Array<Nullable<Text>>, _>(&self.history_from)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.history_to)?;
        // In step order, so the history's sequence numbers follow the steps.
        out.push_sql(") WITH ORDINALITY AS s(from_status, to_status, k) ORDER BY s.k) SELECT number FROM f");
        Ok(())
    }
}

/// Writes `rec` (its number aside) with its history `steps`; the new
/// forecast's number.
pub(super) fn run(
    conn: &mut PgConnection,
    rec: &ForecastRecord,
    derived: Derived<'_>,
    steps: &[(Option<ForecastStatus>, ForecastStatus)],
    actor: Actor<'_>,
) -> QueryResult<i64> {
    let lines = &rec.lines;
    FileForecast {
        row: &rec.row,
        derived,
        line_ids: lines.iter().map(|l| l.id.as_str()).collect(),
        positions: lines.iter().map(|l| l.position).collect(),
        codes: lines.iter().map(|l| l.occupation_code.as_str()).collect(),
        titles: lines.iter().map(|l| l.occupation_title.as_str()).collect(),
        totals: lines.iter().map(|l| l.demand_total).collect(),
        foreigners: lines.iter().map(|l| l.demand_foreigners).collect(),
        justifications: lines.iter().map(|l| l.justification.as_str()).collect(),
        usages: lines.iter().map(|l| l.quota_usage.as_str()).collect(),
        notes: lines.iter().map(|l| l.note.as_deref()).collect(),
        history_from: steps.iter().map(|(f, _)| f.map(ForecastStatus::as_str)).collect(),
        history_to: steps.iter().map(|(_, t)| t.as_str()).collect(),
        actor,
    }
    .get_result(conn)
}
