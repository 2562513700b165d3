//! Filing a forecast on PostgreSQL in one prepared statement (SPEC §11: the
//! deadline day's write path): the forecast, its lines and its history rows
//! in one `WITH … INSERT`, the lines and history passed as arrays so the SQL
//! text is the same for every forecast and PostgreSQL plans it once per
//! connection. Diesel caches a statement only when its text cannot vary,
//! which a multi-row `VALUES` list does, hence this hand-written query.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text, Timestamp};
use diesel::{PgConnection, QueryResult, RunQueryDsl};

/// Everything one filing writes, in column order.
pub(super) struct FileForecast {
    pub id: String,
    pub tin: String,
    pub target_year: i32,
    pub status: String,
    pub at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub person_type: String,
    pub organization_name: Option<String>,
    pub legal_form: Option<String>,
    pub name: Option<String>,
    pub surname: Option<String>,
    pub patronymic: Option<String>,
    pub legal_address: String,
    pub current_address: String,
    pub workplace_address: String,
    pub tin_issued_on: NaiveDate,
    pub employees_total: i64,
    pub foreign_workers: i64,
    pub economic_activity: String,
    pub employer_search: String,
    pub activity_section: String,
    pub line_count: i32,
    pub foreigners_total: i64,
    pub search_text: String,
    pub line_ids: Vec<String>,
    pub positions: Vec<i32>,
    pub codes: Vec<String>,
    pub titles: Vec<String>,
    pub totals: Vec<i64>,
    pub foreigners: Vec<i64>,
    pub justifications: Vec<String>,
    pub usages: Vec<String>,
    pub notes: Vec<Option<String>>,
    pub history_from: Vec<Option<String>>,
    pub history_to: Vec<String>,
    pub actor: String,
    pub role: String,
}

impl QueryId for FileForecast {
    type QueryId = FileForecast;
    // The text never varies (see the module's comment), so it is cached.
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for FileForecast {
    /// The new forecast's number.
    type SqlType = BigInt;
}

impl RunQueryDsl<PgConnection> for FileForecast {}

impl QueryFragment<Pg> for FileForecast {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "WITH f AS (INSERT INTO forecasts (id, tin, target_year, status, version, created_at, updated_at, \
             submitted_at, created_by, person_type, organization_name, legal_form, name, surname, patronymic, \
             legal_address, current_address, workplace_address, tin_issued_on, employees_total, foreign_workers, \
             economic_activity, employer_search, activity_section, line_count, foreigners_total, search_text) \
             VALUES (",
        );
        out.push_bind_param::<Text, _>(&self.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.tin)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&self.target_year)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.status)?;
        out.push_sql(", 1, ");
        out.push_bind_param::<Timestamp, _>(&self.at)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&self.at)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&self.submitted_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.created_by)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.person_type)?;
        for v in [&self.organization_name, &self.legal_form, &self.name, &self.surname, &self.patronymic] {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(v)?;
        }
        for v in [&self.legal_address, &self.current_address, &self.workplace_address] {
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(v)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Date, _>(&self.tin_issued_on)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.employees_total)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.foreign_workers)?;
        for v in [&self.economic_activity, &self.employer_search, &self.activity_section] {
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(v)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&self.line_count)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.foreigners_total)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.search_text)?;
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
        out.push_bind_param::<Text, _>(&self.actor)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.role)?;
        out.push_sql(", NULL, ");
        out.push_bind_param::<Timestamp, _>(&self.at)?;
        out.push_sql(" FROM f, unnest(");
        out.push_bind_param::<Array<Nullable<Text>>, _>(&self.history_from)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.history_to)?;
        // In step order, so the history's sequence numbers follow the steps.
        out.push_sql(") WITH ORDINALITY AS s(from_status, to_status, k) ORDER BY s.k) SELECT number FROM f");
        Ok(())
    }
}

/// Runs the filing; the new forecast's number.
pub(super) fn run(conn: &mut PgConnection, q: FileForecast) -> QueryResult<i64> {
    q.get_result(conn)
}
