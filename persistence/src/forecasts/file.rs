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

/// The forecast of `tin` for `year` that is not withdrawn, other than
/// `except`: an employer has at most one (SPEC §15.2), and the database
/// holds it to that (a partial unique index).
pub fn live_for(
    conn: &mut DbConnection,
    tin: &str,
    year: i32,
    except: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let mut q = f::table
        .filter(f::tin.eq(tin))
        .filter(f::target_year.eq(year))
        .filter(f::status.ne(ForecastStatus::Withdrawn.as_str()))
        .select(f::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(f::id.ne(id.to_owned()));
    }
    Ok(q.first(conn).optional()?)
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
        .filter(f::status.ne(ForecastStatus::Withdrawn.as_str()))
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
/// §11). On PostgreSQL this is one prepared statement ([`file_pg`]).
pub fn insert(
    conn: &mut DbConnection,
    new: &NewForecast<'_>,
    steps: &[(Option<ForecastStatus>, ForecastStatus)],
    actor: Actor<'_>,
    at: NaiveDateTime,
) -> Result<ForecastRecord, StoreError> {
    let (mut rec, derived) = prepare(new, at);
    let at = rec.row.created_at;
    rec.row.number = match conn {
        DbConnection::Pg(c) => file_pg::run(c, &rec, derived, steps, actor).map_err(crate::error::lost_a_race)?,
        DbConnection::Sqlite(_) => {
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
                    f::created_by.eq(derived.created_by),
                    section_values(new.section),
                    f::activity_section.eq(&derived.activity_section),
                    f::line_count.eq(rec.row.line_count),
                    f::foreigners_total.eq(rec.row.foreigners_total),
                    f::search_text.eq(&derived.search_text),
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
    Ok(rec)
}

/// The record of `new` as it will be stored, its number to come, and the
/// columns derived from it. `at` is kept to the microsecond, the precision
/// both databases store, so the answer is what a later read returns.
fn prepare<'a>(new: &NewForecast<'a>, at: NaiveDateTime) -> (ForecastRecord, file_pg::Derived<'a>) {
    let at = at.with_nanosecond(at.nanosecond() / 1_000 * 1_000).unwrap_or(at);
    let line_ids: Vec<String> = new.lines.iter().map(|_| new_id()).collect();
    let rec = record(new, new_id(), NUMBER_TO_COME, line_ids, at);
    let derived = file_pg::Derived {
        created_by: new.created_by,
        employer_search: fold(&new.section.display_name()),
        activity_section: activity_section(new.section),
        search_text: lines_search_text(new.lines),
    };
    (rec, derived)
}

/// The number a record carries until the database gives it one.
pub const NUMBER_TO_COME: i64 = i64::MIN;

/// What the caller of [`insert_at_once`] checked in memory and the statement
/// checks again as it writes.
#[derive(Debug, Clone, Copy)]
pub struct Assumed {
    /// The classification's version the lines were checked against.
    pub occupations_version: i64,
    /// The campaigns' version the dates were checked against.
    pub campaigns_version: i64,
    /// Whether the employer must have a confirmed e-mail (a submission).
    pub email_required: bool,
}

/// Files `new` on PostgreSQL in one statement, which is its own transaction
/// (SPEC §11: the deadline day's write path): the forecast, its lines, its
/// history `steps` and, under `key`, the answer that `answer` makes of the
/// record, all or nothing. The answer is made before the number is known:
/// its `"number"` is filled in by the statement and here alike.
///
/// Nothing is written and `None` comes back when what the caller took as
/// given may not hold: the data of `assumed` changed, no confirmed e-mail
/// where one is needed, the employer has a live forecast of the year, the
/// key has a row already, or a concurrent filing won a race; and always on
/// SQLite. The caller then files through [`insert`] in a transaction, which
/// finds the exact answer.
#[allow(clippy::too_many_arguments)]
pub fn insert_at_once<E: From<StoreError>>(
    conn: &mut DbConnection,
    new: &NewForecast<'_>,
    steps: &[(Option<ForecastStatus>, ForecastStatus)],
    actor: Actor<'_>,
    at: NaiveDateTime,
    assumed: Assumed,
    key: Option<&IdempotencyScope<'_>>,
    answer: impl FnOnce(&ForecastRecord) -> Result<StoredResponse, E>,
) -> Result<Option<(ForecastRecord, StoredResponse)>, E> {
    let DbConnection::Pg(c) = conn else { return Ok(None) };
    let (mut rec, derived) = prepare(new, at);
    let mut resp = answer(&rec)?;
    let to_come = format!("\"number\":{NUMBER_TO_COME}");
    // A JSON string holds `"` escaped, so the first match is the field.
    let Some(at_byte) = resp.body.find(&to_come) else { return Ok(None) };
    let char_index = |s: &str| i32::try_from(s.chars().count()).unwrap_or(i32::MAX);
    let key = key.map(|k| file_pg::KeyedAnswer {
        caller: k.caller,
        key: k.key,
        request_hash: k.request_hash,
        now: k.now,
        status: i32::from(resp.status),
        body: &resp.body,
        number_at: char_index(&resp.body[..at_byte]) + char_index("\"number\":") + 1,
        number_len: char_index(&NUMBER_TO_COME.to_string()),
        location: resp.location.as_deref(),
        etag: resp.etag.as_deref(),
    });
    let guards = file_pg::Guards {
        occupations_version: assumed.occupations_version,
        campaigns_version: assumed.campaigns_version,
        email_required: assumed.email_required,
        key,
    };
    let number = match file_pg::run_at_once(c, &rec, derived, steps, actor, guards) {
        Ok(Some(n)) => n,
        Ok(None) => return Ok(None),
        Err(e) if crate::error::is_unique_violation(&e) => return Ok(None),
        Err(e) => return Err(StoreError::from(e).into()),
    };
    rec.row.number = number;
    resp.body = resp.body.replacen(&to_come, &format!("\"number\":{number}"), 1);
    Ok(Some((rec, resp)))
}

/// The record of a forecast just inserted, from what was written.
fn record(new: &NewForecast<'_>, id: String, number: i64, line_ids: Vec<String>, at: NaiveDateTime) -> ForecastRecord {
    let s = new.section;
    let row = ForecastRow {
        number,
        id,
        tin: new.tin.to_owned(),
        target_year: new.target_year,
        status: new.status.as_str().to_owned(),
        version: 1,
        created_at: at,
        updated_at: at,
        submitted_at: new.submitted.then_some(at),
        notification: None,
        person_type: s.person_type.as_str().to_owned(),
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
            quota_usage: l.quota_usage.as_str().to_owned(),
            note: l.note.clone(),
        })
        .collect();
    ForecastRecord { row, lines }
}
