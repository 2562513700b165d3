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

impl<'b> FileForecast<'b> {
    /// The forecast's values, in the order of [`INSERT_FORECAST`].
    fn push_values(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
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
        out.push_sql(") WITH ORDINALITY AS s(from_status, to_status, k) ORDER BY s.k)");
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
    filing(rec, derived, steps, actor).get_result(conn)
}

/// What filing in one statement takes as given and checks as it writes:
/// the data's versions that the checks in memory used, a confirmed e-mail
/// where one is needed, no live forecast of the employer's for the year,
/// and the idempotency key unused.
pub(super) struct Guards<'a> {
    pub occupations_version: i64,
    pub campaigns_version: i64,
    pub email_required: bool,
    pub key: Option<KeyedAnswer<'a>>,
}

/// The idempotency key and the answer stored with it; the answer's body
/// has the number to come at character `number_at` (1-based), standing in
/// for `number_len` characters.
pub(super) struct KeyedAnswer<'a> {
    pub caller: &'a str,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub now: chrono::NaiveDateTime,
    pub status: i32,
    pub body: &'a str,
    pub number_at: i32,
    pub number_len: i32,
    pub location: Option<&'a str>,
    pub etag: Option<&'a str>,
}

/// [`FileForecast`] under [`Guards`]: nothing is written unless they hold.
struct FileAtOnce<'a> {
    filing: FileForecast<'a>,
    guards: Guards<'a>,
}

crate::raw::fixed_pg_statement!(FileAtOnce, FileAtOnceQuery);

impl Query for FileAtOnce<'_> {
    /// The new forecast's number.
    type SqlType = BigInt;
}

impl QueryFragment<Pg> for FileAtOnce<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let g = &self.guards;
        let key = g.key.as_ref();
        let has_key: &'static bool = if key.is_some() { &true } else { &false };
        let text = |f: fn(&KeyedAnswer<'b>) -> &'b str| key.map_or("", f);
        out.push_sql(INSERT_FORECAST);
        out.push_sql("SELECT ");
        self.filing.push_values(out.reborrow())?;
        out.push_sql(" WHERE COALESCE((SELECT version FROM reference_versions WHERE name = 'occupations'), 0) = ");
        out.push_bind_param::<BigInt, _>(&g.occupations_version)?;
        out.push_sql(" AND COALESCE((SELECT version FROM reference_versions WHERE name = 'campaigns'), 0) = ");
        out.push_bind_param::<BigInt, _>(&g.campaigns_version)?;
        out.push_sql(" AND (NOT ");
        out.push_bind_param::<diesel::sql_types::Bool, _>(&g.email_required)?;
        out.push_sql(" OR EXISTS (SELECT 1 FROM employer_contacts WHERE tin = ");
        out.push_bind_param::<Text, _>(&self.filing.row.tin)?;
        out.push_sql(" AND confirmed_at IS NOT NULL AND email IS NOT NULL)) AND NOT EXISTS (SELECT 1 FROM forecasts WHERE tin = ");
        out.push_bind_param::<Text, _>(&self.filing.row.tin)?;
        out.push_sql(" AND target_year = ");
        out.push_bind_param::<Integer, _>(&self.filing.row.target_year)?;
        out.push_sql(" AND status <> 'withdrawn') AND NOT (");
        out.push_bind_param::<diesel::sql_types::Bool, _>(has_key)?;
        // Any row of the key, live or expired: the full path takes over an
        // expired one; a concurrent filing under the same key makes the key's
        // insert below fail, and with it the whole statement.
        out.push_sql(" AND EXISTS (SELECT 1 FROM idempotency_keys WHERE caller = ");
        out.push_bind_param::<Text, _>(text(|k| k.caller))?;
        out.push_sql(" AND idem_key = ");
        out.push_bind_param::<Text, _>(text(|k| k.key))?;
        out.push_sql("))");
        self.filing.push_lines_and_history(out.reborrow())?;
        out.push_sql(
            ", k AS (INSERT INTO idempotency_keys (caller, idem_key, request_hash, status_code, response_body, \
             location, etag, created_at) SELECT ",
        );
        out.push_bind_param::<Text, _>(text(|k| k.caller))?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(text(|k| k.key))?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(text(|k| k.request_hash))?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(key.map_or(&0, |k| &k.status))?;
        out.push_sql(", overlay(");
        out.push_bind_param::<Text, _>(text(|k| k.body))?;
        out.push_sql(" placing f.number::text from ");
        out.push_bind_param::<Integer, _>(key.map_or(&1, |k| &k.number_at))?;
        out.push_sql(" for ");
        out.push_bind_param::<Integer, _>(key.map_or(&0, |k| &k.number_len))?;
        out.push_sql("), ");
        out.push_bind_param::<Nullable<Text>, _>(key.map_or(&None, |k| &k.location))?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(key.map_or(&None, |k| &k.etag))?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(key.map_or(&self.filing.row.created_at, |k| &k.now))?;
        out.push_sql(" FROM f WHERE ");
        out.push_bind_param::<diesel::sql_types::Bool, _>(has_key)?;
        out.push_sql(") SELECT number FROM f");
        Ok(())
    }
}

/// [`run`] under `guards`: the number, or `None` when a guard did not
/// hold and nothing was written. One statement, so one transaction.
pub(super) fn run_at_once(
    conn: &mut PgConnection,
    rec: &ForecastRecord,
    derived: Derived<'_>,
    steps: &[(Option<ForecastStatus>, ForecastStatus)],
    actor: Actor<'_>,
    guards: Guards<'_>,
) -> QueryResult<Option<i64>> {
    use diesel::OptionalExtension;
    FileAtOnce { filing: filing(rec, derived, steps, actor), guards }.get_result(conn).optional()
}

/// The statement's values for `rec`.
fn filing<'a>(
    rec: &'a ForecastRecord,
    derived: Derived<'a>,
    steps: &[(Option<ForecastStatus>, ForecastStatus)],
    actor: Actor<'a>,
) -> FileForecast<'a> {
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
}
