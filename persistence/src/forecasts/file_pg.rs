//! Filing a forecast on PostgreSQL in one prepared statement (SPEC §11: the
//! deadline day's write path): the forecast, its lines and its history rows
//! in one `WITH … INSERT`, the lines and history passed as arrays so the SQL
//! text is the same for every forecast and PostgreSQL plans it once per
//! connection. Diesel caches a statement only when its text cannot vary,
//! which a multi-row `VALUES` list does, hence this hand-written query.

use super::file::{Filing, Guards, KeyedAnswer};
use super::ForecastRow;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment};
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text, Timestamp};
use diesel::{PgConnection, QueryResult, RunQueryDsl};
use domain::status::ForecastStatus;

/// The columns of a forecast that its record does not carry.
pub(super) struct Derived {
    pub created_by: String,
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
    derived: &'a Derived,
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
    actor_sub: &'a str,
    actor_role: &'a str,
}

crate::raw::fixed_pg_statement!(FileForecast, FileForecastQuery);

impl Query for FileForecast<'_> {
    /// The new forecast's number.
    type SqlType = BigInt;
}

impl QueryFragment<Pg> for FileForecast<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(INSERT_FORECAST);
        out.push_sql("VALUES (");
        self.push_values(out.reborrow())?;
        out.push_sql(")");
        self.push_lines_and_history(out.reborrow())?;
        out.push_sql(" SELECT number FROM f");
        Ok(())
    }
}

/// The head of the statement, up to the forecast's values.
const INSERT_FORECAST: &str = "WITH f AS (INSERT INTO forecasts (id, tin, target_year, status, version, created_at, \
     updated_at, submitted_at, created_by, person_type, organization_name, legal_form, name, surname, patronymic, \
     legal_address, current_address, workplace_address, tin_issued_on, employees_total, foreign_workers, \
     economic_activity, employer_search, activity_section, line_count, foreigners_total, search_text) ";

/// [`INSERT_FORECAST`] with the number given first.
const INSERT_FORECAST_NUMBERED: &str =
    "WITH f AS (INSERT INTO forecasts (number, id, tin, target_year, status, version, \
     created_at, updated_at, submitted_at, created_by, person_type, organization_name, legal_form, name, surname, \
     patronymic, legal_address, current_address, workplace_address, tin_issued_on, employees_total, foreign_workers, \
     economic_activity, employer_search, activity_section, line_count, foreigners_total, search_text) ";

impl<'b> FileForecast<'b> {
    /// The forecast's values, in the order of [`INSERT_FORECAST`].
    fn push_values(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_bind_param::<Text, _>(&self.row.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.row.tin)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&self.row.target_year)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(self.row.status.as_str())?;
        out.push_sql(", 1, ");
        out.push_bind_param::<Timestamp, _>(&self.row.created_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&self.row.created_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&self.row.submitted_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.derived.created_by)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(self.row.person_type.as_str())?;
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
        out.push_bind_param::<Text, _>(&self.derived.search_text)
    }

    /// The rest of the `WITH`: the forecast's id and number, its lines and
    /// its history.
    fn push_lines_and_history(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            " RETURNING id, number), \
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
        out.push_bind_param::<Text, _>(&self.actor_sub)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.actor_role)?;
        out.push_sql(", NULL, ");
        out.push_bind_param::<Timestamp, _>(&self.row.created_at)?;
        out.push_sql(" FROM f, unnest(");
        out.push_bind_param::<Array<Nullable<Text>>, _>(&self.history_from)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.history_to)?;
        // In step order, so the history's sequence numbers follow the steps.
        out.push_sql(") WITH ORDINALITY AS s(from_status, to_status, k) ORDER BY s.k)");
        Ok(())
    }
}

/// Writes `filing` (its number given by the database); the new forecast's
/// number.
pub(super) fn run(conn: &mut PgConnection, filing: &Filing) -> QueryResult<i64> {
    values(filing).get_result(conn)
}

/// `count` numbers of the forecasts' own sequence, in one round trip.
pub(super) fn reserve_numbers(conn: &mut PgConnection, count: i64) -> QueryResult<Vec<i64>> {
    diesel::sql_query("SELECT nextval('forecasts_number_seq') AS n FROM generate_series(1, $1)")
        .bind::<BigInt, _>(count)
        .load::<Reserved>(conn)
        .map(|rows| rows.into_iter().map(|r| r.n).collect())
}

#[derive(diesel::QueryableByName)]
struct Reserved {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// [`FileForecast`] with its number, under [`Guards`] and with the key's
/// answer: nothing is written unless the guards hold.
struct FileAtOnce<'a> {
    filing: FileForecast<'a>,
    guards: Guards,
    key: Option<KeyedAnswer<'a>>,
}

crate::raw::fixed_pg_statement!(FileAtOnce, FileAtOnceQuery);

impl Query for FileAtOnce<'_> {
    /// The new forecast's number.
    type SqlType = BigInt;
}

impl QueryFragment<Pg> for FileAtOnce<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let g = &self.guards;
        let key = self.key.as_ref();
        let has_key: &'static bool = if key.is_some() { &true } else { &false };
        let text = |f: fn(&KeyedAnswer<'b>) -> &'b str| key.map_or("", f);
        out.push_sql(INSERT_FORECAST_NUMBERED);
        out.push_sql("SELECT ");
        out.push_bind_param::<BigInt, _>(&self.filing.row.number)?;
        out.push_sql(", ");
        self.filing.push_values(out.reborrow())?;
        out.push_sql(" WHERE COALESCE((SELECT version FROM reference_versions WHERE name = 'occupations'), 0) = ");
        out.push_bind_param::<BigInt, _>(&g.occupations_version)?;
        out.push_sql(" AND COALESCE((SELECT version FROM reference_versions WHERE name = 'campaigns'), 0) = ");
        out.push_bind_param::<BigInt, _>(&g.campaigns_version)?;
        out.push_sql(" AND (NOT ");
        out.push_bind_param::<diesel::sql_types::Bool, _>(&g.email_required)?;
        out.push_sql(" OR EXISTS (SELECT 1 FROM employer_contacts WHERE tin = ");
        out.push_bind_param::<Text, _>(&self.filing.row.tin)?;
        out.push_sql(" AND confirmed_at IS NOT NULL AND email IS NOT NULL)) AND (NOT ");
        out.push_bind_param::<diesel::sql_types::Bool, _>(&g.no_listeners)?;
        out.push_sql(" OR NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE tin = ");
        out.push_bind_param::<Text, _>(&self.filing.row.tin)?;
        out.push_sql(")) AND NOT EXISTS (SELECT 1 FROM forecasts WHERE tin = ");
        out.push_bind_param::<Text, _>(&self.filing.row.tin)?;
        out.push_sql(" AND target_year = ");
        out.push_bind_param::<Integer, _>(&self.filing.row.target_year)?;
        // The statuses that free a year, written out as the partial unique
        // index names them (the same text on every call of this build).
        out.push_sql(" AND status NOT IN (");
        out.push_sql(&super::file::not_live().iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", "));
        out.push_sql(")) AND NOT (");
        out.push_bind_param::<diesel::sql_types::Bool, _>(has_key)?;
        // Any row of the key, live or expired: the full path takes over an
        // expired one; a concurrent filing under the same key makes the key's
        // insert below fail, and with it the whole statement.
        out.push_sql(" AND EXISTS (SELECT 1 FROM idempotency_keys WHERE caller = ");
        out.push_bind_param::<Text, _>(text(|k| k.scope.caller))?;
        out.push_sql(" AND idem_key = ");
        out.push_bind_param::<Text, _>(text(|k| k.scope.key))?;
        out.push_sql("))");
        self.filing.push_lines_and_history(out.reborrow())?;
        out.push_sql(
            ", k AS (INSERT INTO idempotency_keys (caller, idem_key, request_hash, status_code, response_body, \
             location, etag, created_at) SELECT ",
        );
        out.push_bind_param::<Text, _>(text(|k| k.scope.caller))?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(text(|k| k.scope.key))?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(text(|k| k.scope.request_hash))?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(key.map_or(&0, |k| &k.status))?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(text(|k| &k.answer.body))?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(key.map_or(&None, |k| &k.answer.location))?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(key.map_or(&None, |k| &k.answer.etag))?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(key.map_or(&self.filing.row.created_at, |k| &k.scope.now))?;
        out.push_sql(" FROM f WHERE ");
        out.push_bind_param::<diesel::sql_types::Bool, _>(has_key)?;
        out.push_sql(") SELECT number FROM f");
        Ok(())
    }
}

/// [`run`] with the filing's own number under `guards`: whether it was
/// written (`false`: a guard did not hold and nothing was). One statement,
/// so one transaction.
pub(super) fn run_at_once(
    conn: &mut PgConnection,
    filing: &Filing,
    guards: Guards,
    key: Option<KeyedAnswer<'_>>,
) -> QueryResult<bool> {
    use diesel::OptionalExtension;
    let statement = FileAtOnce { filing: values(filing), guards, key };
    Ok(statement.get_result::<i64>(conn).optional()?.is_some())
}

/// The statement's values for `filing`.
fn values(filing: &Filing) -> FileForecast<'_> {
    let lines = &filing.record.lines;
    FileForecast {
        row: &filing.record.row,
        derived: &filing.derived,
        line_ids: lines.iter().map(|l| l.id.as_str()).collect(),
        positions: lines.iter().map(|l| l.position).collect(),
        codes: lines.iter().map(|l| l.occupation_code.as_str()).collect(),
        titles: lines.iter().map(|l| l.occupation_title.as_str()).collect(),
        totals: lines.iter().map(|l| l.demand_total).collect(),
        foreigners: lines.iter().map(|l| l.demand_foreigners).collect(),
        justifications: lines.iter().map(|l| l.justification.as_str()).collect(),
        usages: lines.iter().map(|l| l.quota_usage.as_str()).collect(),
        notes: lines.iter().map(|l| l.note.as_deref()).collect(),
        history_from: filing.steps.iter().map(|(f, _)| f.map(ForecastStatus::as_str)).collect(),
        history_to: filing.steps.iter().map(|(_, t)| t.as_str()).collect(),
        actor_sub: &filing.actor_sub,
        actor_role: &filing.actor_role,
    }
}
