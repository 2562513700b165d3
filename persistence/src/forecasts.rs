//! Forecasts: create, read, replace, lines, transitions, listing, history.
//! Every function runs inside the caller's transaction ([`crate::Db::write`]);
//! each state change also bumps the version (the `ETag`) and appends history.

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::reference::load_known;
use crate::schema::{economic_activities as ea, forecast_history as h, forecast_lines as fl, forecasts as f};
use crate::{campaigns, new_id, Page};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::forecast::{
    check_line_set, check_submittable, validate_forecast, validate_line, Context, EmployerInput, EmployerSection,
    ForecastLine, LineInput, QuotaUsage,
};
use domain::occupation::OccupationCode;
use domain::role::Role;
use domain::status::{transition, ForecastAction, ForecastStatus};
use domain::text::fold;
use domain::time::baku_date;
use domain::{FieldError, ValidationErrors};

/// Who is asking: the token's subject, roles and (for employers) TIN.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub sub: String,
    pub roles: Vec<Role>,
    pub tin: Option<String>,
}

impl Viewer {
    /// Staff see every forecast; an employer only its TIN's (SPEC §4.5).
    pub fn sees_all(&self) -> bool {
        self.roles.iter().any(|r| r.is_staff())
    }

    /// The TIN an employer files for; `None` for staff.
    fn employer_tin(&self) -> Option<&str> {
        if self.roles.contains(&Role::Employer) && !self.sees_all() {
            self.tin.as_deref()
        } else if self.roles.contains(&Role::Employer) {
            // An employer token that also carries a staff role still files
            // only for its own TIN.
            self.tin.as_deref()
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = f)]
pub struct ForecastRow {
    pub number: i64,
    pub id: String,
    pub tin: String,
    pub target_year: i32,
    pub status: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub notification: Option<String>,
    pub person_type: String,
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
}

impl ForecastRow {
    pub fn status(&self) -> ForecastStatus {
        // The CHECK constraint admits only known statuses.
        ForecastStatus::parse(&self.status).unwrap_or(ForecastStatus::Draft)
    }
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
    pub quota_usage: String,
    pub note: Option<String>,
}

impl LineRow {
    fn to_domain(&self) -> Option<ForecastLine> {
        Some(ForecastLine {
            occupation_code: OccupationCode::parse(&self.occupation_code)?,
            occupation_title: self.occupation_title.clone(),
            demand_total: self.demand_total,
            demand_foreigners: self.demand_foreigners,
            justification: self.justification.clone(),
            quota_usage: QuotaUsage::parse(&self.quota_usage)?,
            note: self.note.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = h)]
pub struct HistoryRow {
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor: String,
    pub role: String,
    pub reason: Option<String>,
    pub at: NaiveDateTime,
}

/// A forecast with its lines, in order.
#[derive(Debug, Clone)]
pub struct ForecastRecord {
    pub row: ForecastRow,
    pub lines: Vec<LineRow>,
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// Reads the forecast `id` if `viewer` may see it; another employer's
/// forecast is "not found", never "forbidden" (SPEC §10).
pub fn find(conn: &mut DbConnection, id: &str, viewer: &Viewer) -> Result<ForecastRow, StoreError> {
    let mut q = f::table.filter(f::id.eq(id)).into_boxed();
    if !viewer.sees_all() {
        q = q.filter(f::tin.eq(viewer.tin.clone().unwrap_or_default()));
    }
    Ok(q.select(ForecastRow::as_select()).first(conn)?)
}

fn lines_of(conn: &mut DbConnection, id: &str) -> Result<Vec<LineRow>, StoreError> {
    Ok(fl::table.filter(fl::forecast_id.eq(id)).order(fl::position.asc()).select(LineRow::as_select()).load(conn)?)
}

/// The forecast `id` with its lines, if `viewer` may see it.
/// One statement (a join), so the forecast and its lines come from one
/// snapshot without a transaction around two reads.
pub fn get(conn: &mut DbConnection, id: &str, viewer: &Viewer) -> Result<ForecastRecord, StoreError> {
    let mut q = f::table
        .left_join(fl::table.on(fl::forecast_id.eq(f::id)))
        .filter(f::id.eq(id))
        .order(fl::position.asc())
        .select((ForecastRow::as_select(), Option::<LineRow>::as_select()))
        .into_boxed();
    if !viewer.sees_all() {
        q = q.filter(f::tin.eq(viewer.tin.clone().unwrap_or_default()));
    }
    let rows: Vec<(ForecastRow, Option<LineRow>)> = q.load(conn)?;
    let mut it = rows.into_iter();
    let (row, first) = it.next().ok_or(StoreError::NotFound)?;
    let lines = first.into_iter().chain(it.filter_map(|(_, l)| l)).collect();
    Ok(ForecastRecord { row, lines })
}

fn check_version(row: &ForecastRow, expected: Option<i64>) -> Result<(), StoreError> {
    match expected {
        Some(v) if v != row.version => Err(StoreError::PreconditionFailed { current: row.version }),
        _ => Ok(()),
    }
}

fn validation(errs: ValidationErrors) -> StoreError {
    StoreError::Validation(errs)
}

fn context<'a>(viewer: &'a Viewer, now: DateTime<Utc>, known: &'a domain::forecast::KnownEntries) -> Context<'a> {
    Context { today: baku_date(now), caller_tin: viewer.employer_tin(), known }
}

fn validate_all(
    conn: &mut DbConnection,
    viewer: &Viewer,
    now: DateTime<Utc>,
    employer: &EmployerInput,
    lines: &[LineInput],
) -> Result<(EmployerSection, Vec<ForecastLine>), StoreError> {
    let known =
        load_known(conn, lines.iter().map(|l| l.occupation_code.as_str()), employer.economic_activity.as_deref())?;
    validate_forecast(employer, lines, &context(viewer, now, &known)).map_err(validation)
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

fn insert_lines(
    conn: &mut DbConnection,
    forecast_id: &str,
    lines: &[ForecastLine],
    first_position: i32,
) -> Result<Vec<String>, StoreError> {
    let ids: Vec<String> = lines.iter().map(|_| new_id()).collect();
    let rows: Vec<_> = lines
        .iter()
        .zip(&ids)
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
        match conn {
            DbConnection::Pg(c) => diesel::insert_into(fl::table).values(rows).execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(fl::table).values(rows).execute(c)?,
        };
    }
    Ok(ids)
}

/// Appends one entry to the history of `forecast_id` (SPEC §4.3).
#[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
fn append_history(
    conn: &mut DbConnection,
    forecast_id: &str,
    steps: &[(Option<ForecastStatus>, ForecastStatus)],
    viewer: &Viewer,
    role: Role,
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
                h::actor.eq(viewer.sub.as_str()),
                h::role.eq(role.as_str()),
                h::reason.eq(reason),
                h::at.eq(at),
            )
        })
        .collect();
    // One statement for every step (multi-row inserts are per backend in diesel).
    match conn {
        DbConnection::Pg(c) => diesel::insert_into(h::table).values(rows).execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(h::table).values(rows).execute(c)?,
    };
    Ok(())
}

/// Checks that a forecast in `from` may be submitted now: a line at least and
/// the campaign calendar of its target year (SPEC §4.2, §4.4).
fn check_submission(
    conn: &mut DbConnection,
    tin: &str,
    target_year: i32,
    from: ForecastStatus,
    lines: usize,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    // SPEC §3: no submission before the employer's e-mail is confirmed.
    if crate::identity::confirmed_email(conn, tin)?.is_none() {
        return Err(StoreError::EmailNotConfirmed);
    }
    check_submittable(lines).map_err(validation)?;
    let (campaign, _) = campaigns::get(conn, target_year)?;
    campaign.check_submission(baku_date(now), from).map_err(StoreError::Calendar)
}

/// A new forecast.
pub struct NewForecast<'a> {
    pub target_year: i32,
    pub employer: &'a EmployerInput,
    pub lines: &'a [LineInput],
    /// Create and submit in one step (SPEC §13).
    pub submit: bool,
}

/// Creates a draft (and submits it when asked) for an employer.
pub fn create(
    conn: &mut DbConnection,
    viewer: &Viewer,
    new: &NewForecast<'_>,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, StoreError> {
    let (section, lines) = validate_all(conn, viewer, now, new.employer, new.lines)?;
    let mut status = ForecastStatus::Draft;
    if new.submit {
        status = transition(status, ForecastAction::Submit, &viewer.roles).map_err(StoreError::Transition)?;
        check_submission(conn, section.tin.as_str(), new.target_year, ForecastStatus::Draft, lines.len(), now)?;
    }
    let id = new_id();
    let at = naive(now);
    diesel::insert_into(f::table)
        .values((
            f::id.eq(&id),
            f::tin.eq(section.tin.as_str()),
            f::target_year.eq(new.target_year),
            f::status.eq(status.as_str()),
            f::version.eq(1_i64),
            f::created_at.eq(at),
            f::updated_at.eq(at),
            f::submitted_at.eq(new.submit.then_some(at)),
            f::created_by.eq(&viewer.sub),
            section_values(&section),
            f::activity_section.eq(activity_section(&section)),
            f::line_count.eq(line_count(&lines)),
            f::foreigners_total.eq(foreigners_total(&lines)),
            f::search_text.eq(lines_search_text(&lines)),
        ))
        .execute(conn)?;
    insert_lines(conn, &id, &lines, 1)?;
    let created = (None, ForecastStatus::Draft);
    let steps: &[(Option<ForecastStatus>, ForecastStatus)] =
        if new.submit { &[created, (Some(ForecastStatus::Draft), status)] } else { &[created] };
    append_history(conn, &id, steps, viewer, Role::Employer, None, at)?;
    get(conn, &id, viewer)
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
fn bump(conn: &mut DbConnection, row: &ForecastRow, now: NaiveDateTime) -> Result<i64, StoreError> {
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
fn refresh_lines_summary(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    let lines: Vec<ForecastLine> = lines_of(conn, id)?.iter().filter_map(LineRow::to_domain).collect();
    diesel::update(f::table.filter(f::id.eq(id)))
        .set((
            f::line_count.eq(line_count(&lines)),
            f::foreigners_total.eq(foreigners_total(&lines)),
            f::search_text.eq(lines_search_text(&lines)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Checks that `viewer` may edit the forecast now (owner, draft or returned).
/// Callers validate the input next and check `If-Match` last, so invalid
/// input is a 422 whatever version it names.
fn editable(conn: &mut DbConnection, id: &str, viewer: &Viewer) -> Result<ForecastRow, StoreError> {
    let row = find(conn, id, viewer)?;
    transition(row.status(), ForecastAction::Edit, &owner_roles(&row, viewer)).map_err(StoreError::Transition)?;
    Ok(row)
}

/// The roles under which `viewer` acts on `row`: the employer role counts
/// only on its own TIN's forecasts (staff read them but never edit them).
fn owner_roles(row: &ForecastRow, viewer: &Viewer) -> Vec<Role> {
    viewer
        .roles
        .iter()
        .copied()
        .filter(|r| *r != Role::Employer || viewer.tin.as_deref() == Some(row.tin.as_str()))
        .collect()
}

/// Replaces the employer section and all lines (SPEC §13 `PUT`).
pub fn replace(
    conn: &mut DbConnection,
    id: &str,
    viewer: &Viewer,
    expected: Option<i64>,
    employer: &EmployerInput,
    lines: &[LineInput],
    now: DateTime<Utc>,
) -> Result<ForecastRecord, StoreError> {
    let row = editable(conn, id, viewer)?;
    let (section, valid) = validate_all(conn, viewer, now, employer, lines)?;
    if section.tin.as_str() != row.tin {
        return Err(validation(ValidationErrors(vec![FieldError::new("employer.tin", "tin_immutable")])));
    }
    check_version(&row, expected)?;
    let at = naive(now);
    bump(conn, &row, at)?;
    diesel::update(f::table.filter(f::id.eq(id)))
        .set((section_values(&section), f::activity_section.eq(activity_section(&section))))
        .execute(conn)?;
    diesel::delete(fl::table.filter(fl::forecast_id.eq(id))).execute(conn)?;
    insert_lines(conn, id, &valid, 1)?;
    refresh_lines_summary(conn, id)?;
    get(conn, id, viewer)
}

fn validate_one_line(
    conn: &mut DbConnection,
    viewer: &Viewer,
    now: DateTime<Utc>,
    input: &LineInput,
) -> Result<ForecastLine, StoreError> {
    let known = load_known(conn, [input.occupation_code.as_str()], None)?;
    validate_line(input, &context(viewer, now, &known), "").map_err(validation)
}

/// Adds one line; returns the forecast and the new line's id.
pub fn add_line(
    conn: &mut DbConnection,
    id: &str,
    viewer: &Viewer,
    expected: Option<i64>,
    input: &LineInput,
    now: DateTime<Utc>,
) -> Result<(ForecastRecord, String), StoreError> {
    let row = editable(conn, id, viewer)?;
    let line = validate_one_line(conn, viewer, now, input)?;
    let existing = lines_of(conn, id)?;
    let mut all: Vec<ForecastLine> = existing.iter().filter_map(LineRow::to_domain).collect();
    all.push(line.clone());
    check_line_set(&all, "lines").map_err(|_| set_error(&all))?;
    check_version(&row, expected)?;
    let position = existing.iter().map(|l| l.position).max().unwrap_or(0) + 1;
    bump(conn, &row, naive(now))?;
    let new_id = insert_lines(conn, id, std::slice::from_ref(&line), position)?.remove(0);
    refresh_lines_summary(conn, id)?;
    Ok((get(conn, id, viewer)?, new_id))
}

/// A line-set error reported against the single line being written.
fn set_error(all: &[ForecastLine]) -> StoreError {
    let code = if all.len() > domain::forecast::MAX_LINES { "too_many_lines" } else { "duplicate_line" };
    let mut e = FieldError::new(if code == "too_many_lines" { "lines" } else { "occupation_title" }, code);
    if code == "too_many_lines" {
        e = e.with("max", domain::forecast::MAX_LINES);
    }
    validation(ValidationErrors(vec![e]))
}

/// Changes one line.
pub fn update_line(
    conn: &mut DbConnection,
    id: &str,
    line_id: &str,
    viewer: &Viewer,
    expected: Option<i64>,
    input: &LineInput,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, StoreError> {
    let row = editable(conn, id, viewer)?;
    let existing = lines_of(conn, id)?;
    if !existing.iter().any(|l| l.id == line_id) {
        return Err(StoreError::NotFound);
    }
    let line = validate_one_line(conn, viewer, now, input)?;
    let all: Vec<ForecastLine> = existing
        .iter()
        .map(|l| if l.id == line_id { Some(line.clone()) } else { l.to_domain() })
        .collect::<Option<_>>()
        .unwrap_or_default();
    check_line_set(&all, "lines").map_err(|_| set_error(&all))?;
    check_version(&row, expected)?;
    bump(conn, &row, naive(now))?;
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
    refresh_lines_summary(conn, id)?;
    get(conn, id, viewer)
}

/// Removes one line.
pub fn delete_line(
    conn: &mut DbConnection,
    id: &str,
    line_id: &str,
    viewer: &Viewer,
    expected: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, StoreError> {
    let row = editable(conn, id, viewer)?;
    check_version(&row, expected)?;
    let n = diesel::delete(fl::table.filter(fl::forecast_id.eq(id)).filter(fl::id.eq(line_id))).execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    bump(conn, &row, naive(now))?;
    refresh_lines_summary(conn, id)?;
    get(conn, id, viewer)
}

/// Deletes a draft and its lines. Its history stays (append-only).
pub fn delete(conn: &mut DbConnection, id: &str, viewer: &Viewer, expected: Option<i64>) -> Result<(), StoreError> {
    let row = find(conn, id, viewer)?;
    transition(row.status(), ForecastAction::Delete, &owner_roles(&row, viewer)).map_err(StoreError::Transition)?;
    check_version(&row, expected)?;
    let n = diesel::delete(f::table.filter(f::id.eq(id)).filter(f::version.eq(row.version))).execute(conn)?;
    if n == 0 {
        return Err(StoreError::Retry);
    }
    Ok(())
}

/// Takes a status-changing action (SPEC §4.3) as one transaction with its
/// history entry. `reason` is required for `return` (checked by the caller's
/// domain rule) and becomes the forecast's notification.
pub fn act(
    conn: &mut DbConnection,
    id: &str,
    viewer: &Viewer,
    action: ForecastAction,
    reason: Option<&str>,
    expected: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, StoreError> {
    let row = find(conn, id, viewer)?;
    let from = row.status();
    let to = transition(from, action, &owner_roles(&row, viewer)).map_err(StoreError::Transition)?;
    check_version(&row, expected)?;
    if action == ForecastAction::Submit {
        check_submission(conn, &row.tin, row.target_year, from, usize::try_from(row.line_count).unwrap_or(0), now)?;
    }
    let at = naive(now);
    let next = row.version + 1;
    let target = f::table.filter(f::id.eq(id)).filter(f::version.eq(row.version));
    let n = match action {
        ForecastAction::Submit => diesel::update(target)
            .set((f::status.eq(to.as_str()), f::version.eq(next), f::updated_at.eq(at), f::submitted_at.eq(Some(at))))
            .execute(conn)?,
        ForecastAction::Return => diesel::update(target)
            .set((f::status.eq(to.as_str()), f::version.eq(next), f::updated_at.eq(at), f::notification.eq(reason)))
            .execute(conn)?,
        _ => diesel::update(target)
            .set((f::status.eq(to.as_str()), f::version.eq(next), f::updated_at.eq(at)))
            .execute(conn)?,
    };
    if n == 0 {
        return Err(StoreError::Retry);
    }
    append_history(conn, id, &[(Some(from), to)], viewer, action.role(), reason, at)?;
    // The employer hears of a return or an acceptance by e-mail, queued in
    // this same transaction so it is never lost.
    let message = match action {
        ForecastAction::Return => {
            Some(domain::notify::forecast_returned(row.number, row.target_year, reason.unwrap_or("")))
        }
        ForecastAction::Accept => Some(domain::notify::forecast_accepted(row.number, row.target_year)),
        _ => None,
    };
    if let Some(m) = message {
        if let Some(to) = crate::identity::confirmed_email(conn, &row.tin)? {
            crate::identity::enqueue(conn, None, action.as_str(), &to, &m, at)?;
        }
    }
    get(conn, id, viewer)
}

/// The history of a forecast the viewer may see, oldest first.
pub fn history(
    conn: &mut DbConnection,
    id: &str,
    viewer: &Viewer,
    page: Page,
) -> Result<(Vec<HistoryRow>, i64), StoreError> {
    let row = find(conn, id, viewer)?;
    let total: i64 = h::table.filter(h::forecast_id.eq(&row.id)).count().get_result(conn)?;
    let rows = h::table
        .filter(h::forecast_id.eq(&row.id))
        .order(h::seq.asc())
        .limit(page.limit())
        .offset(page.offset())
        .select(HistoryRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Sort orders of the applications list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    CreatedDesc,
    CreatedAsc,
    SubmittedAsc,
    SubmittedDesc,
    UpdatedDesc,
    UpdatedAsc,
    NumberAsc,
    NumberDesc,
}

/// Filters of the applications list (SPEC §4.5). Bounds are instants:
/// `*_from` inclusive, `*_before` exclusive.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub statuses: Vec<ForecastStatus>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub submitted_from: Option<DateTime<Utc>>,
    pub submitted_before: Option<DateTime<Utc>>,
    pub keyword: Option<String>,
    pub target_year: Option<i32>,
    /// A section also matches forecasts that name one of its divisions.
    pub economic_activity: Option<String>,
    pub tin: Option<String>,
    pub employer: Option<String>,
    pub sort: SortKey,
}

/// The applications list: rows the viewer may see, filtered, sorted and paged.
pub fn list(
    conn: &mut DbConnection,
    viewer: &Viewer,
    filter: &ListFilter,
    page: Page,
) -> Result<(Vec<ForecastRow>, i64), StoreError> {
    let staff = viewer.sees_all();
    let build = || {
        let mut q = f::table.into_boxed();
        if !staff {
            q = q.filter(f::tin.eq(viewer.tin.clone().unwrap_or_default()));
        }
        if !filter.statuses.is_empty() {
            q = q.filter(f::status.eq_any(filter.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
        }
        if let Some(t) = filter.created_from {
            q = q.filter(f::created_at.ge(naive(t)));
        }
        if let Some(t) = filter.created_before {
            q = q.filter(f::created_at.lt(naive(t)));
        }
        if let Some(t) = filter.submitted_from {
            q = q.filter(f::submitted_at.ge(naive(t)));
        }
        if let Some(t) = filter.submitted_before {
            q = q.filter(f::submitted_at.lt(naive(t)));
        }
        if let Some(y) = filter.target_year {
            q = q.filter(f::target_year.eq(y));
        }
        if let Some(a) = filter.economic_activity.clone() {
            let divisions = ea::table.filter(ea::parent.eq(a.clone())).select(ea::code);
            q = q.filter(f::economic_activity.eq(a).or(f::economic_activity.eq_any(divisions)));
        }
        if let Some(t) = filter.tin.clone() {
            q = q.filter(f::tin.eq(t));
        }
        for w in filter.employer.as_deref().map(domain::text::fold_words).unwrap_or_default() {
            q = q.filter(f::employer_search.like(format!("%{w}%")));
        }
        for w in filter.keyword.as_deref().map(domain::text::fold_words).unwrap_or_default() {
            let pattern = format!("%{w}%");
            if staff {
                q = q.filter(
                    f::search_text
                        .like(pattern.clone())
                        .or(f::employer_search.like(pattern.clone()))
                        .or(f::tin.like(pattern)),
                );
            } else {
                q = q.filter(f::search_text.like(pattern));
            }
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = build();
    let q = match filter.sort {
        SortKey::CreatedDesc => q.order((f::created_at.desc(), f::number.desc())),
        SortKey::CreatedAsc => q.order((f::created_at.asc(), f::number.asc())),
        SortKey::SubmittedAsc => q.order((f::submitted_at.asc(), f::number.asc())),
        SortKey::SubmittedDesc => q.order((f::submitted_at.desc(), f::number.desc())),
        SortKey::UpdatedDesc => q.order((f::updated_at.desc(), f::number.desc())),
        SortKey::UpdatedAsc => q.order((f::updated_at.asc(), f::number.asc())),
        SortKey::NumberAsc => q.order(f::number.asc()),
        SortKey::NumberDesc => q.order(f::number.desc()),
    };
    let rows = q.limit(page.limit()).offset(page.offset()).select(ForecastRow::as_select()).load(conn)?;
    Ok((rows, total))
}
