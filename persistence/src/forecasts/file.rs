//! Filing a forecast (SPEC §4.1, §11): what the use case checks in the
//! database first, and the insert of the forecast, its lines and history.

use super::{activity_section, append_history, file_pg, foreigners_total, insert_line_rows, line_count};
use super::{lines_search_text, section_values};
use super::{Actor, ForecastRecord, ForecastRow, LineRow};
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::idempotency::{IdempotencyScope, StoredResponse};
use crate::new_id;
use crate::schema::forecasts as f;
use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;
use domain::forecast::{EmployerSection, ForecastLine};
use domain::status::ForecastStatus;
use domain::text::fold;

/// A forecast to insert, validated by the use case.
pub struct NewForecast<'a> {
    pub tin: &'a str,
    pub target_year: i32,
    pub status: ForecastStatus,
    pub section: &'a EmployerSection,
    pub lines: &'a [ForecastLine],
    pub created_by: &'a str,
    pub submitted: bool,
}

/// The forecast of `tin` for `year` that counts as the employer's (not
/// withdrawn or rejected: [`ForecastStatus::is_live`]), other than
/// `except`: an employer has at most one (SPEC §15.2, §16.3.1), and the
/// database holds it to that (a partial unique index).
pub fn live_for(
    conn: &mut DbConnection,
    tin: &str,
    year: i32,
    except: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let mut q = f::table
        .filter(f::tin.eq(tin))
        .filter(f::target_year.eq(year))
        .filter(f::status.ne_all(not_live()))
        .select(f::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(f::id.ne(id.to_owned()));
    }
    Ok(q.first(conn).optional()?)
}

/// The statuses of forecasts that do not count as the employer's forecast
/// of their year ([`ForecastStatus::NOT_LIVE`]), as stored.
pub(super) fn not_live() -> Vec<&'static str> {
    ForecastStatus::NOT_LIVE.iter().map(|s| s.as_str()).collect()
}

/// What filing a forecast checks in the database, read in one statement
/// (SPEC §11: the deadline-day write path has few round trips).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingFacts {
    /// The classification's version (`reference_versions`), to tell whether
    /// the copy held in memory is current.
    pub occupations_version: i64,
    /// The campaigns' version, likewise.
    pub campaigns_version: i64,
    /// Whether the employer has a confirmed e-mail address (SPEC §3).
    pub email_confirmed: bool,
    /// The employer's live forecast of the year asked, if any (SPEC §15.2).
    pub live_forecast: Option<String>,
}

/// The [`FilingFacts`] of employer `tin` for target year `year` (`None`:
/// no year to look at).
pub fn filing_facts(conn: &mut DbConnection, tin: &str, year: Option<i32>) -> Result<FilingFacts, StoreError> {
    use crate::schema::employer_contacts as ec;
    use crate::schema::reference_versions as rv;
    let version = |name: &'static str| rv::table.filter(rv::name.eq(name)).select(rv::version).single_value();
    let live = f::table
        .filter(f::tin.eq(tin))
        .filter(f::target_year.eq(year.unwrap_or(i32::MIN)))
        .filter(f::status.ne_all(not_live()))
        .select(f::id)
        .limit(1)
        .single_value();
    let confirmed = ec::table
        .filter(ec::tin.eq(tin))
        .filter(ec::confirmed_at.is_not_null())
        .filter(ec::email.is_not_null())
        .select(ec::tin)
        .single_value();
    let (occupations, campaigns, email, live): (Option<i64>, Option<i64>, Option<String>, Option<String>) =
        diesel::select((version("occupations"), version("campaigns"), confirmed, live)).get_result(conn)?;
    Ok(FilingFacts {
        occupations_version: occupations.unwrap_or(0),
        campaigns_version: campaigns.unwrap_or(0),
        email_confirmed: email.is_some(),
        live_forecast: live,
    })
}

/// Inserts a forecast (version 1), its lines and its history `steps`, and
/// returns it as stored, built from what was written: no read-back (SPEC
/// §11). The database gives the number. On PostgreSQL this is one prepared
/// statement ([`file_pg`]).
pub fn insert(
    conn: &mut DbConnection,
    new: &NewForecast<'_>,
    steps: &[(Option<ForecastStatus>, ForecastStatus)],
    actor: Actor<'_>,
    at: NaiveDateTime,
) -> Result<ForecastRecord, StoreError> {
    let mut filing = Filing::new(new, None, steps, actor, at);
    let number = match conn {
        DbConnection::Pg(c) => file_pg::run(c, &filing).map_err(crate::error::lost_a_race)?,
        DbConnection::Sqlite(_) => {
            let rec = &filing.record;
            let at = rec.row.created_at;
            let number = diesel::insert_into(f::table)
                .values((
                    f::id.eq(&rec.row.id),
                    f::tin.eq(new.tin),
                    f::target_year.eq(new.target_year),
                    f::status.eq(new.status.as_str()),
                    f::version.eq(1_i64),
                    f::created_at.eq(at),
                    f::updated_at.eq(at),
                    f::submitted_at.eq(new.submitted.then_some(at)),
                    f::created_by.eq(new.created_by),
                    section_values(new.section),
                    f::activity_section.eq(&filing.derived.activity_section),
                    f::line_count.eq(rec.row.line_count),
                    f::foreigners_total.eq(rec.row.foreigners_total),
                    f::search_text.eq(&filing.derived.search_text),
                ))
                .returning(f::number)
                .get_result(conn)
                .map_err(crate::error::lost_a_race)?;
            let ids: Vec<String> = rec.lines.iter().map(|l| l.id.clone()).collect();
            insert_line_rows(conn, &rec.row.id, new.lines, &ids, 1)?;
            append_history(conn, &rec.row.id, steps, actor, None, at)?;
            number
        }
    };
    filing.record.row.number = number;
    Ok(filing.record)
}

/// A forecast ready to be written in one statement, its number and ids
/// given: the record it will be (what the answer shows), the columns
/// derived from it and its history.
pub struct Filing {
    pub record: ForecastRecord,
    pub(super) derived: file_pg::Derived,
    pub(super) steps: Vec<(Option<ForecastStatus>, ForecastStatus)>,
    pub(super) actor_sub: String,
    pub(super) actor_role: String,
}

impl Filing {
    /// The record of `new` as it will be stored with `number` (`None`: the
    /// database gives it), and the columns derived from it. `at` is kept to
    /// the microsecond, the precision both databases store, so the answer is
    /// what a later read returns.
    pub fn new(
        new: &NewForecast<'_>,
        number: Option<i64>,
        steps: &[(Option<ForecastStatus>, ForecastStatus)],
        actor: Actor<'_>,
        at: NaiveDateTime,
    ) -> Filing {
        let at = at.with_nanosecond(at.nanosecond() / 1_000 * 1_000).unwrap_or(at);
        let line_ids: Vec<String> = new.lines.iter().map(|_| new_id()).collect();
        let record = record(new, new_id(), number.unwrap_or(0), line_ids, at);
        let derived = file_pg::Derived {
            created_by: new.created_by.to_owned(),
            employer_search: fold(&new.section.display_name()),
            activity_section: activity_section(new.section),
            search_text: lines_search_text(new.lines),
        };
        Filing {
            record,
            derived,
            steps: steps.to_vec(),
            actor_sub: actor.sub.to_owned(),
            actor_role: actor.role.to_owned(),
        }
    }
}

/// Numbers for forecasts filed in one statement, reserved from the same
/// sequence the database numbers the others from (PostgreSQL only): each
/// is unique; numbers reserved and not used leave gaps.
pub fn reserve_numbers(conn: &mut DbConnection, count: i64) -> Result<Vec<i64>, StoreError> {
    match conn {
        DbConnection::Pg(c) => Ok(file_pg::reserve_numbers(c, count)?),
        DbConnection::Sqlite(_) => Err(StoreError::Internal("numbers are reserved on PostgreSQL only".into())),
    }
}

/// What the filing in one statement took as given; the statement checks it
/// again as it writes.
#[derive(Debug, Clone, Copy)]
pub struct Guards {
    /// The classification's version the lines were checked against.
    pub occupations_version: i64,
    /// The campaigns' version the dates were checked against.
    pub campaigns_version: i64,
    /// Whether the employer must have a confirmed e-mail (a submission).
    pub email_required: bool,
    /// Whether no webhook endpoint of the employer may exist (a
    /// submission: its `forecast.submitted` event is written by the
    /// transaction path, beside the filing, SPEC §17).
    pub no_listeners: bool,
}

/// An idempotency key and the finished answer to store under it.
pub struct KeyedAnswer<'a> {
    pub(super) scope: &'a IdempotencyScope<'a>,
    pub(super) answer: &'a StoredResponse,
    pub(super) status: i32,
}

impl<'a> KeyedAnswer<'a> {
    pub fn new(scope: &'a IdempotencyScope<'a>, answer: &'a StoredResponse) -> KeyedAnswer<'a> {
        KeyedAnswer { scope, answer, status: i32::from(answer.status) }
    }
}

/// Writes `filing` on PostgreSQL in one statement, which is its own
/// transaction (SPEC §11: the deadline day's write path): the forecast, its
/// lines, its history and, under `key`, the finished answer, all or nothing.
///
/// Nothing is written and `false` comes back when what the filing took as
/// given may not hold: the data of `guards` changed, no confirmed e-mail
/// where one is needed, the employer has a live forecast of the year, the
/// key has a row already, or a concurrent filing won a race. The caller
/// then files again in a transaction, on the facts read again.
pub fn insert_at_once(
    conn: &mut DbConnection,
    filing: &Filing,
    guards: Guards,
    key: Option<KeyedAnswer<'_>>,
) -> Result<bool, StoreError> {
    let DbConnection::Pg(c) = conn else {
        return Err(StoreError::Internal("one-statement filing is for PostgreSQL".into()));
    };
    match file_pg::run_at_once(c, filing, guards, key) {
        Ok(written) => Ok(written),
        Err(e) if crate::error::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The record of a forecast just inserted, from what was written.
fn record(new: &NewForecast<'_>, id: String, number: i64, line_ids: Vec<String>, at: NaiveDateTime) -> ForecastRecord {
    let s = new.section;
    let row = ForecastRow {
        number,
        id,
        tin: new.tin.to_owned(),
        target_year: new.target_year,
        status: new.status,
        version: 1,
        created_at: at,
        updated_at: at,
        submitted_at: new.submitted.then_some(at),
        notification: None,
        person_type: s.person_type,
        organization_name: s.organization_name.clone(),
        legal_form: s.legal_form.clone(),
        name: s.name.clone(),
        surname: s.surname.clone(),
        patronymic: s.patronymic.clone(),
        legal_address: s.legal_address.clone(),
        current_address: s.current_address.clone(),
        workplace_address: s.workplace_address.clone(),
        tin_issued_on: s.tin_issued_on,
        employees_total: s.employees_total,
        foreign_workers: s.foreign_workers,
        economic_activity: s.economic_activity.clone(),
        line_count: line_count(new.lines),
        foreigners_total: foreigners_total(new.lines),
        correction_due: None,
        other_notification: None,
    };
    let lines = new
        .lines
        .iter()
        .zip(line_ids)
        .zip(1..)
        .map(|((l, id), position)| LineRow {
            id,
            position,
            occupation_code: l.occupation_code.to_string(),
            occupation_title: l.occupation_title.clone(),
            demand_total: l.demand_total,
            demand_foreigners: l.demand_foreigners,
            justification: l.justification.clone(),
            quota_usage: l.quota_usage,
            note: l.note.clone(),
        })
        .collect();
    ForecastRecord { row, lines }
}
