//! Forecasts: rows and the statements that read and write them. Functions
//! run inside the caller's transaction ([`crate::Db::write`]), except
//! `insert_at_once` (one statement, its own transaction) and
//! `reserve_numbers` (a sequence, outside any); the rules (who may, which
//! transition, validation) are the use case's. A
//! `tin` scope limits what is found to one employer's forecasts (`None`: all).

mod file;
mod file_pg;
mod list;

pub use file::{
    filing_facts, insert, insert_at_once, live_for, reserve_numbers, Filing, FilingFacts, Guards, KeyedAnswer,
    NewForecast,
};
pub use list::{list, ListFilter, SortKey};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{forecast_history as h, forecast_lines as fl, forecasts as f};
use crate::{new_id, Page};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::forecast::{EmployerSection, ForecastLine, QuotaUsage};
use domain::occupation::OccupationCode;
use domain::role::Role;
use domain::status::ForecastStatus;
use domain::text::fold;
use domain::tin::PersonType;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = f)]
pub struct ForecastRow {
    pub number: i64,
    pub id: String,
    pub tin: String,
    pub target_year: i32,
    pub status: ForecastStatus,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub notification: Option<String>,
    pub person_type: PersonType,
    pub organization_name: Option<String>,
    pub legal_form: Option<String>,
    pub name: Option<String>,
    pub surname: Option<String>,
    pub patronymic: Option<String>,
    pub legal_address: String,
    pub current_address: String,
    pub workplace_address: String,
    pub tin_issued_on: chrono::NaiveDate,
    pub employees_total: i64,
    pub foreign_workers: i64,
    pub economic_activity: String,
    pub line_count: i32,
    pub foreigners_total: i64,
    /// While returned: the last day to correct and resubmit (SPEC §15.3).
    pub correction_due: Option<chrono::NaiveDate>,
    /// The officer's note on acceptance (SPEC §15.4).
    pub other_notification: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = fl)]
pub struct LineRow {
    pub id: String,
    pub position: i32,
    pub occupation_code: String,
    pub occupation_title: String,
    pub demand_total: i64,
    pub demand_foreigners: i64,
    pub justification: String,
    pub quota_usage: QuotaUsage,
    pub note: Option<String>,
}

impl LineRow {
    pub fn to_domain(&self) -> Result<ForecastLine, StoreError> {
        Ok(ForecastLine {
            occupation_code: crate::stored(
                "forecast_lines.occupation_code",
                &self.occupation_code,
                OccupationCode::parse,
            )?,
            occupation_title: self.occupation_title.clone(),
            demand_total: self.demand_total,
            demand_foreigners: self.demand_foreigners,
            justification: self.justification.clone(),
            quota_usage: self.quota_usage,
            note: self.note.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = h)]
pub struct HistoryRow {
    pub from_status: Option<ForecastStatus>,
    pub to_status: ForecastStatus,
    pub actor: String,
    pub role: Role,
    pub reason: Option<String>,
    pub at: NaiveDateTime,
}

/// A forecast with its lines, in order.
#[derive(Debug, Clone)]
pub struct ForecastRecord {
    pub row: ForecastRow,
    pub lines: Vec<LineRow>,
}

/// Reads the forecast `id` within `tin` (another employer's forecast is
/// "not found", never "forbidden": SPEC §10).
pub fn find(conn: &mut DbConnection, id: &str, tin: Option<&str>) -> Result<ForecastRow, StoreError> {
    let mut q = f::table.filter(f::id.eq(id)).into_boxed();
    if let Some(t) = tin {
        q = q.filter(f::tin.eq(t.to_owned()));
    }
    Ok(q.select(ForecastRow::as_select()).first(conn)?)
}

/// The lines of forecast `id`, in order.
pub fn lines_of(conn: &mut DbConnection, id: &str) -> Result<Vec<LineRow>, StoreError> {
    Ok(fl::table.filter(fl::forecast_id.eq(id)).order(fl::position.asc()).select(LineRow::as_select()).load(conn)?)
}

/// The forecast `id` with its lines, within `tin`.
/// One statement (a join), so the forecast and its lines come from one
/// snapshot without a transaction around two reads.
pub fn get(conn: &mut DbConnection, id: &str, tin: Option<&str>) -> Result<ForecastRecord, StoreError> {
    let q = f::table
        .left_join(fl::table.on(fl::forecast_id.eq(f::id)))
        .filter(f::id.eq(id))
        .order(fl::position.asc())
        .select((ForecastRow::as_select(), Option::<LineRow>::as_select()));
    // Not boxed: a query of fixed shape is kept prepared per connection.
    let rows: Vec<(ForecastRow, Option<LineRow>)> = match tin {
        Some(t) => q.filter(f::tin.eq(t)).load(conn)?,
        None => q.load(conn)?,
    };
    let mut it = rows.into_iter();
    let (row, first) = it.next().ok_or(StoreError::NotFound)?;
    let lines = first.into_iter().chain(it.filter_map(|(_, l)| l)).collect();
    Ok(ForecastRecord { row, lines })
}

/// What list search matches on the lines: codes, titles, justifications, notes, folded.
fn lines_search_text(lines: &[ForecastLine]) -> String {
    let mut s = String::new();
    for l in lines {
        for part in [l.occupation_code.as_str(), &l.occupation_title, &l.justification, l.note.as_deref().unwrap_or("")]
        {
            s.push(' ');
            s.push_str(&fold(part));
        }
    }
    s
}

fn foreigners_total(lines: &[ForecastLine]) -> i64 {
    lines.iter().map(|l| l.demand_foreigners).sum()
}

fn line_count(lines: &[ForecastLine]) -> i32 {
    i32::try_from(lines.len()).unwrap_or(i32::MAX)
}

/// Inserts `lines` of `forecast_id` from `first_position` on; their new ids.
pub fn insert_lines(
    conn: &mut DbConnection,
    forecast_id: &str,
    lines: &[ForecastLine],
    first_position: i32,
) -> Result<Vec<String>, StoreError> {
    let ids: Vec<String> = lines.iter().map(|_| new_id()).collect();
    insert_line_rows(conn, forecast_id, lines, &ids, first_position)?;
    Ok(ids)
}

/// Inserts `lines` with the given ids, in one statement.
fn insert_line_rows(
    conn: &mut DbConnection,
    forecast_id: &str,
    lines: &[ForecastLine],
    ids: &[String],
    first_position: i32,
) -> Result<(), StoreError> {
    let rows: Vec<_> = lines
        .iter()
        .zip(ids)
        .enumerate()
        .map(|(i, (l, id))| {
            (
                fl::id.eq(id.as_str()),
                fl::forecast_id.eq(forecast_id),
                fl::position.eq(first_position + i32::try_from(i).unwrap_or(0)),
                fl::occupation_code.eq(l.occupation_code.as_str()),
                fl::occupation_title.eq(l.occupation_title.as_str()),
                fl::demand_total.eq(l.demand_total),
                fl::demand_foreigners.eq(l.demand_foreigners),
                fl::justification.eq(l.justification.as_str()),
                fl::quota_usage.eq(l.quota_usage.as_str()),
                fl::note.eq(l.note.as_deref()),
            )
        })
        .collect();
    if !rows.is_empty() {
        // One statement for all lines (a forecast may hold 200). Multi-row
        // inserts are per backend in diesel, so the variant is matched.
        crate::raw::per_backend!(conn, |c| diesel::insert_into(fl::table).values(rows).execute(c)?);
    }
    Ok(())
}

/// Who made a change, as the history records it.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub sub: &'a str,
    pub role: &'a str,
}

/// Appends one entry per step to the history of `forecast_id` (SPEC §4.3).
pub fn append_history(
    conn: &mut DbConnection,
    forecast_id: &str,
    steps: &[(Option<ForecastStatus>, ForecastStatus)],
    actor: Actor<'_>,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let rows: Vec<_> = steps
        .iter()
        .map(|(from, to)| {
            (
                h::forecast_id.eq(forecast_id),
                h::from_status.eq(from.map(ForecastStatus::as_str)),
                h::to_status.eq(to.as_str()),
                h::actor.eq(actor.sub),
                h::role.eq(actor.role),
                h::reason.eq(reason),
                h::at.eq(at),
            )
        })
        .collect();
    // One statement for every step (multi-row inserts are per backend in diesel).
    crate::raw::per_backend!(conn, |c| diesel::insert_into(h::table).values(rows).execute(c)?);
    Ok(())
}

#[allow(clippy::type_complexity)]
fn section_values(
    s: &EmployerSection,
) -> (
    diesel::dsl::Eq<f::person_type, &'static str>,
    diesel::dsl::Eq<f::organization_name, Option<String>>,
    diesel::dsl::Eq<f::legal_form, Option<String>>,
    diesel::dsl::Eq<f::name, Option<String>>,
    diesel::dsl::Eq<f::surname, Option<String>>,
    diesel::dsl::Eq<f::patronymic, Option<String>>,
    diesel::dsl::Eq<f::legal_address, String>,
    diesel::dsl::Eq<f::current_address, String>,
    diesel::dsl::Eq<f::workplace_address, String>,
    diesel::dsl::Eq<f::tin_issued_on, chrono::NaiveDate>,
    diesel::dsl::Eq<f::employees_total, i64>,
    diesel::dsl::Eq<f::foreign_workers, i64>,
    diesel::dsl::Eq<f::economic_activity, String>,
    diesel::dsl::Eq<f::employer_search, String>,
) {
    (
        f::person_type.eq(s.person_type.as_str()),
        f::organization_name.eq(s.organization_name.clone()),
        f::legal_form.eq(s.legal_form.clone()),
        f::name.eq(s.name.clone()),
        f::surname.eq(s.surname.clone()),
        f::patronymic.eq(s.patronymic.clone()),
        f::legal_address.eq(s.legal_address.clone()),
        f::current_address.eq(s.current_address.clone()),
        f::workplace_address.eq(s.workplace_address.clone()),
        f::tin_issued_on.eq(s.tin_issued_on),
        f::employees_total.eq(s.employees_total),
        f::foreign_workers.eq(s.foreign_workers),
        f::economic_activity.eq(s.economic_activity.clone()),
        f::employer_search.eq(fold(&s.display_name())),
    )
}

/// The section the employer's economic activity counts under.
fn activity_section(s: &EmployerSection) -> String {
    domain::reference::section_of(&s.economic_activity).unwrap_or(&s.economic_activity).to_owned()
}

/// Bumps the version of `row` from what was read, or reports a lost race.
pub fn bump(conn: &mut DbConnection, row: &ForecastRow, now: NaiveDateTime) -> Result<i64, StoreError> {
    let next = row.version + 1;
    let n = diesel::update(f::table.filter(f::id.eq(&row.id)).filter(f::version.eq(row.version)))
        .set((f::version.eq(next), f::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        return Err(StoreError::Retry);
    }
    Ok(next)
}

/// Rewrites the derived columns from the lines as they now stand.
pub fn refresh_lines_summary(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    let lines: Vec<ForecastLine> = lines_of(conn, id)?.iter().map(LineRow::to_domain).collect::<Result<_, _>>()?;
    diesel::update(f::table.filter(f::id.eq(id)))
        .set((
            f::line_count.eq(line_count(&lines)),
            f::foreigners_total.eq(foreigners_total(&lines)),
            f::search_text.eq(lines_search_text(&lines)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the target year, the employer section and all lines of `row`
/// (SPEC §13 `PUT`, §15.1).
pub fn replace_content(
    conn: &mut DbConnection,
    row: &ForecastRow,
    target_year: i32,
    section: &EmployerSection,
    lines: &[ForecastLine],
    kept: &[Option<String>],
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    bump(conn, row, at)?;
    diesel::update(f::table.filter(f::id.eq(&row.id)))
        .set((
            f::target_year.eq(target_year),
            section_values(section),
            f::activity_section.eq(activity_section(section)),
        ))
        .execute(conn)
        .map_err(crate::error::lost_a_race)?;
    diesel::delete(fl::table.filter(fl::forecast_id.eq(&row.id))).execute(conn)?;
    // Written anew in their new order, a kept line under the id it had.
    let ids: Vec<String> = kept.iter().map(|k| k.clone().unwrap_or_else(new_id)).collect();
    insert_line_rows(conn, &row.id, lines, &ids, 1)?;
    refresh_lines_summary(conn, &row.id)
}

/// Adds `line` after the last one of `row`; the new line's id.
pub fn add_line(
    conn: &mut DbConnection,
    row: &ForecastRow,
    line: &ForecastLine,
    position: i32,
    at: NaiveDateTime,
) -> Result<String, StoreError> {
    bump(conn, row, at)?;
    let id = insert_lines(conn, &row.id, std::slice::from_ref(line), position)?.remove(0);
    refresh_lines_summary(conn, &row.id)?;
    Ok(id)
}

/// Changes line `line_id` of `row`.
pub fn update_line(
    conn: &mut DbConnection,
    row: &ForecastRow,
    line_id: &str,
    line: &ForecastLine,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    bump(conn, row, at)?;
    diesel::update(fl::table.filter(fl::id.eq(line_id)))
        .set((
            fl::occupation_code.eq(line.occupation_code.as_str()),
            fl::occupation_title.eq(&line.occupation_title),
            fl::demand_total.eq(line.demand_total),
            fl::demand_foreigners.eq(line.demand_foreigners),
            fl::justification.eq(&line.justification),
            fl::quota_usage.eq(line.quota_usage.as_str()),
            fl::note.eq(&line.note),
        ))
        .execute(conn)?;
    refresh_lines_summary(conn, &row.id)
}

/// Removes line `line_id` of `row`; not found if it has no such line.
pub fn delete_line(
    conn: &mut DbConnection,
    row: &ForecastRow,
    line_id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let n = diesel::delete(fl::table.filter(fl::forecast_id.eq(&row.id)).filter(fl::id.eq(line_id))).execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    bump(conn, row, at)?;
    refresh_lines_summary(conn, &row.id)
}

/// Deletes `row` and its lines; its history stays (append-only).
pub fn delete(conn: &mut DbConnection, row: &ForecastRow) -> Result<(), StoreError> {
    let n = diesel::delete(f::table.filter(f::id.eq(&row.id)).filter(f::version.eq(row.version))).execute(conn)?;
    crate::error::one_changed(n)
}

/// What a status change also writes.
#[derive(Debug, Clone, Copy)]
pub enum StatusChange<'a> {
    /// A submission: `submitted_at` is set; a correction is over.
    Submitted,
    /// A return: the reason becomes the notification, with the day until
    /// which the forecast may be corrected (SPEC §15.3).
    Returned { reason: &'a str, correction_due: chrono::NaiveDate },
    /// An acceptance, with the officer's note if any (SPEC §15.4).
    Accepted { note: Option<&'a str> },
    /// A rejection (SPEC §16.3.1): the reason becomes the notification the
    /// employer sees; a correction is over.
    Rejected { reason: &'a str },
    /// An accepted forecast back in review (SPEC §16.3.2); the reason is
    /// the history's and the e-mail's, the notifications stay.
    Reopened { reason: &'a str },
    /// Withdrawn: a correction is over.
    Withdrawn,
    /// Nothing else changes.
    Plain,
}

/// Moves `row` to `to` and bumps its version from what was read, or reports
/// a lost race.
pub fn set_status(
    conn: &mut DbConnection,
    row: &ForecastRow,
    to: ForecastStatus,
    change: StatusChange<'_>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let next = row.version + 1;
    let target = f::table.filter(f::id.eq(&row.id)).filter(f::version.eq(row.version));
    let base = (f::status.eq(to.as_str()), f::version.eq(next), f::updated_at.eq(at));
    let no_due = f::correction_due.eq(None::<chrono::NaiveDate>);
    let n = match change {
        StatusChange::Submitted => {
            diesel::update(target).set((base, f::submitted_at.eq(Some(at)), no_due)).execute(conn)?
        }
        StatusChange::Returned { reason, correction_due } => diesel::update(target)
            .set((base, f::notification.eq(Some(reason)), f::correction_due.eq(Some(correction_due))))
            .execute(conn)?,
        StatusChange::Accepted { note } => {
            diesel::update(target).set((base, f::other_notification.eq(note))).execute(conn)?
        }
        StatusChange::Rejected { reason } => {
            diesel::update(target).set((base, f::notification.eq(Some(reason)), no_due)).execute(conn)?
        }
        StatusChange::Withdrawn => diesel::update(target).set((base, no_due)).execute(conn)?,
        StatusChange::Reopened { .. } | StatusChange::Plain => diesel::update(target).set(base).execute(conn)?,
    };
    crate::error::one_changed(n)
}

/// The history of forecast `id` within `tin`, oldest first.
pub fn history(
    conn: &mut DbConnection,
    id: &str,
    tin: Option<&str>,
    page: Page,
) -> Result<(Vec<HistoryRow>, i64), StoreError> {
    let row = find(conn, id, tin)?;
    crate::page_of!(conn, h::table.filter(h::forecast_id.eq(&row.id)), h::seq.asc(), HistoryRow, page)
}
