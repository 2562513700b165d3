//! The employer's forecast and its review (SPEC §4, §13). Each function is
//! the body of one transaction: the handler runs it inside `state.write`,
//! `state.read` or `state.idempotent`.

use super::Memo;
use crate::auth::Caller;
use crate::problem::{ApiError, UnprocessableKind};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use domain::campaign::{check_target_year, earliest_target_year, Campaign};
use domain::forecast::{
    check_line_set, check_submittable, validate_forecast, validate_line, Context, EmployerInput, EmployerSection,
    ForecastLine, KnownEntries, LineInput,
};
use domain::policy::{self, Permission};
use domain::role::Role;
use domain::status::{transition, ForecastAction, ForecastStatus};
use domain::time::baku_date;
use domain::FieldCode;
use domain::{FieldError, ValidationErrors};
use persistence::forecasts::{
    self as store, Actor, ForecastRecord, ForecastRow, HistoryRow, LineRow, ListFilter, NewForecast, StatusChange,
};
use persistence::idempotency::{IdempotencyScope, StoredResponse};
use persistence::{DbConnection, Page, StoreError};

/// The employer whose forecasts `caller` is limited to; `None`: every
/// employer's (staff, SPEC §4.5). A caller that is neither sees nothing.
pub fn scope(caller: &Caller) -> Option<String> {
    if Permission::ReadAllForecasts.granted_to(&caller.roles) {
        None
    } else {
        Some(caller.tin.clone().unwrap_or_default())
    }
}

fn find(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ForecastRow, ApiError> {
    Ok(store::find(conn, id, scope(caller).as_deref())?)
}

/// The status machine asked with the caller's roles toward this forecast.
fn allowed(caller: &Caller, row: &ForecastRow, action: ForecastAction) -> Result<ForecastStatus, ApiError> {
    let roles = policy::roles_toward_forecast(&caller.roles, caller.tin.as_deref(), &row.tin);
    Ok(transition(status_of(row)?, action, &roles)?)
}

/// The stored status; one the database should never hold is an internal error.
fn status_of(row: &ForecastRow) -> Result<ForecastStatus, ApiError> {
    Ok(row.status()?)
}

fn check_version(row: &ForecastRow, expected: Option<i64>) -> Result<(), ApiError> {
    match expected {
        Some(v) if v != row.version => Err(ApiError::PreconditionFailed { current: row.version }),
        _ => Ok(()),
    }
}

fn context<'a>(caller: &'a Caller, now: DateTime<Utc>, known: &'a KnownEntries) -> Context<'a> {
    Context { today: baku_date(now), caller_tin: policy::filing_tin(&caller.roles, caller.tin.as_deref()), known }
}

fn validate_all(
    conn: &mut DbConnection,
    caller: &Caller,
    now: DateTime<Utc>,
    employer: &EmployerInput,
    lines: &[LineInput],
) -> Result<(EmployerSection, Vec<ForecastLine>), ApiError> {
    let codes = lines.iter().map(|l| l.occupation_code.as_str());
    let known = persistence::reference::load_known(conn, codes, employer.economic_activity.as_deref())?;
    Ok(validate_forecast(employer, lines, &context(caller, now, &known))?)
}

fn validate_one_line(
    conn: &mut DbConnection,
    caller: &Caller,
    now: DateTime<Utc>,
    input: &LineInput,
) -> Result<ForecastLine, ApiError> {
    let known = persistence::reference::load_known(conn, [input.occupation_code.as_str()], None)?;
    Ok(validate_line(input, &context(caller, now, &known), "")?)
}

/// The stored lines as domain lines; one that no longer parses is an
/// internal error, never silently left out of the checks.
fn stored_lines(rows: &[LineRow]) -> Result<Vec<ForecastLine>, ApiError> {
    Ok(rows.iter().map(LineRow::to_domain).collect::<Result<_, _>>()?)
}

/// A line-set error reported against the single line being written.
fn set_error(all: &[ForecastLine]) -> ApiError {
    if all.len() > domain::forecast::MAX_LINES {
        FieldError::new("lines", FieldCode::TooManyLines).with("max", domain::forecast::MAX_LINES).into()
    } else {
        FieldError::new("occupation_title", FieldCode::DuplicateLine).into()
    }
}

/// Checks that a forecast may be submitted now: the employer's confirmed
/// e-mail (SPEC §3), a line at least (§4.2) and the campaign calendar of its
/// target year (§4.4, §15.1); a returned forecast until its
/// `correction_due` (§15.3).
fn check_submission(
    conn: &mut DbConnection,
    tin: &str,
    target_year: i32,
    correction_due: Option<NaiveDate>,
    lines: usize,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let confirmed = persistence::identity::confirmed_email(conn, tin)?.is_some();
    let (campaign, _) = persistence::campaigns::get(conn, target_year)?;
    submission_allowed(confirmed, lines, &campaign, baku_date(now), correction_due)
}

/// The rules of [`check_submission`] on facts already read.
fn submission_allowed(
    email_confirmed: bool,
    lines: usize,
    campaign: &Campaign,
    today: NaiveDate,
    correction_due: Option<NaiveDate>,
) -> Result<(), ApiError> {
    if !email_confirmed {
        return Err(ApiError::Unprocessable(UnprocessableKind::EmailNotConfirmed));
    }
    check_submittable(lines)?;
    campaign.check_submission(today, correction_due).map_err(ApiError::Calendar)
}

/// The `correction_due` of a forecast being submitted from `from`: a
/// returned forecast always has one (set by its return).
fn due_of(row: &ForecastRow, from: ForecastStatus) -> Result<Option<NaiveDate>, ApiError> {
    if from != ForecastStatus::Returned {
        return Ok(None);
    }
    row.correction_due.map(Some).ok_or_else(|| {
        StoreError::Corrupt { column: "forecasts.correction_due", value: "NULL for a returned forecast".into() }.into()
    })
}

/// Checks that `caller` may edit forecast `id` now (owner; draft or
/// returned). Callers validate the input next and check `If-Match` last, so
/// invalid input is a 422 whatever version it names.
fn editable(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ForecastRow, ApiError> {
    let row = find(conn, caller, id)?;
    allowed(caller, &row, ForecastAction::Edit)?;
    Ok(row)
}

fn actor<'a>(caller: &'a Caller, role: Role) -> Actor<'a> {
    Actor { sub: &caller.sub, role: role.as_str() }
}

/// The campaigns that decide which target years are open on `today`
/// (SPEC §15.1): those `admin` set after the current year.
fn stored_campaigns(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<Vec<Campaign>, ApiError> {
    Ok(persistence::campaigns::stored_after(conn, baku_date(now).year())?)
}

/// 409 `forecast-exists` when `tin` has a live forecast for `year` other
/// than `except` (SPEC §15.2).
fn check_one_per_year(conn: &mut DbConnection, tin: &str, year: i32, except: Option<&str>) -> Result<(), ApiError> {
    match store::live_for(conn, tin, year, except)? {
        Some(id) => Err(ApiError::ForecastExists { id }),
        None => Ok(()),
    }
}

/// Both results of checking a request's input, every field error of both
/// collected.
fn both<A, B>(a: Result<A, ValidationErrors>, b: Result<B, ApiError>) -> Result<(A, B), ApiError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut e), Err(ApiError::Validation(more))) => {
            e.0.extend(more.0);
            Err(e.into())
        }
        (Err(e), Ok(_)) => Err(e.into()),
        (_, Err(e)) => Err(e),
    }
}

/// A new forecast as the employer sends it.
pub struct NewInput {
    pub target_year: Option<i64>,
    pub employer: EmployerInput,
    pub lines: Vec<LineInput>,
    /// Create and submit in one step (SPEC §13).
    pub submit: bool,
}

/// Creates a draft for the caller's TIN, and submits it when asked.
///
/// The deadline day is when every employer files at once (SPEC §11), so the
/// checks read the database once ([`store::filing_facts`]: the reference
/// versions, the e-mail, a forecast of that year) and take the calendar and
/// the classification from `memo` when its versions are the current ones;
/// otherwise from the database, with the same answer.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewInput,
    now: DateTime<Utc>,
    memo: &Memo,
) -> Result<ForecastRecord, ApiError> {
    caller.may(Permission::FileForecasts)?;
    let today = baku_date(now);
    let filing_tin = policy::filing_tin(&caller.roles, caller.tin.as_deref());
    let year_asked = |stored: &[Campaign]| match input.target_year {
        Some(y) => i32::try_from(y).ok(),
        None => earliest_target_year(today, stored),
    };
    let facts = match filing_tin {
        Some(tin) => Some(store::filing_facts(conn, tin, year_asked(&memo.campaigns.after(today.year())))?),
        None => None,
    };
    let calendar_current = facts.as_ref().is_some_and(|f| f.campaigns_version == memo.campaigns.version);
    let stored = if calendar_current { memo.campaigns.after(today.year()) } else { stored_campaigns(conn, now)? };
    // The state of stored data (409) before the input (422): the year asked,
    // or the one it defaults to, may hold the employer's forecast already.
    if let (Some(tin), Some(year)) = (filing_tin, year_asked(&stored)) {
        let live = match &facts {
            Some(f) if calendar_current => f.live_forecast.clone(),
            _ => store::live_for(conn, tin, year, None)?,
        };
        if let Some(id) = live {
            return Err(ApiError::ForecastExists { id });
        }
    }
    let codes = input.lines.iter().map(|l| l.occupation_code.as_str());
    let activity = input.employer.economic_activity.as_deref();
    let known = match &facts {
        Some(f) if f.occupations_version == memo.occupations.version => {
            KnownEntries::from_index(&memo.occupations.index, codes, activity)
        }
        _ => persistence::reference::load_known(conn, codes, activity)?,
    };
    let (target_year, (section, lines)) = checked_input(caller, input, now, &stored, &known)?;
    let status = if input.submit {
        let confirmed = match &facts {
            Some(f) if filing_tin == Some(section.tin.as_str()) => f.email_confirmed,
            _ => persistence::identity::confirmed_email(conn, section.tin.as_str())?.is_some(),
        };
        let campaign = if calendar_current {
            memo.campaigns.of(target_year)
        } else {
            persistence::campaigns::get(conn, target_year)?.0
        };
        submitted_status(caller, confirmed, lines.len(), &campaign, today)?
    } else {
        ForecastStatus::Draft
    };
    let at = now.naive_utc();
    let new = new_forecast(caller, &section, &lines, target_year, status);
    Ok(store::insert(conn, &new, &creation_steps(status), actor(caller, Role::Employer), at)?)
}

/// The input of a new forecast checked against the campaigns `stored` (its
/// target year) and the classification entries `known`: the year, the
/// section and the lines, with every invalid field named at once (422).
fn checked_input(
    caller: &Caller,
    input: &NewInput,
    now: DateTime<Utc>,
    stored: &[Campaign],
    known: &KnownEntries,
) -> Result<(i32, (EmployerSection, Vec<ForecastLine>)), ApiError> {
    both(
        check_target_year(input.target_year, baku_date(now), stored),
        validate_forecast(&input.employer, &input.lines, &context(caller, now, known)).map_err(ApiError::from),
    )
}

/// The status of a forecast submitted as it is filed: the status machine's
/// for the caller, then the submission rules ([`submission_allowed`]).
fn submitted_status(
    caller: &Caller,
    email_confirmed: bool,
    lines: usize,
    campaign: &Campaign,
    today: NaiveDate,
) -> Result<ForecastStatus, ApiError> {
    let status = transition(ForecastStatus::Draft, ForecastAction::Submit, &caller.roles)?;
    submission_allowed(email_confirmed, lines, campaign, today, None)?;
    Ok(status)
}

/// A new forecast of `section` and `lines` as validated, filed by `caller`
/// in `status` (a draft, or submitted with its filing).
fn new_forecast<'a>(
    caller: &'a Caller,
    section: &'a EmployerSection,
    lines: &'a [ForecastLine],
    target_year: i32,
    status: ForecastStatus,
) -> NewForecast<'a> {
    NewForecast {
        tin: section.tin.as_str(),
        target_year,
        status,
        section,
        lines,
        created_by: &caller.sub,
        submitted: status != ForecastStatus::Draft,
    }
}

/// The history of a new forecast: created, then moved to `status` if that
/// is not a draft (a submission).
fn creation_steps(status: ForecastStatus) -> Vec<(Option<ForecastStatus>, ForecastStatus)> {
    let mut steps = vec![(None, ForecastStatus::Draft)];
    if status != ForecastStatus::Draft {
        steps.push((Some(ForecastStatus::Draft), status));
    }
    steps
}

/// An employer's filing in one statement (SPEC §11: the deadline day, when
/// every ERP files at once): the input is checked against the reference data
/// held in memory, and the statement writes the forecast, its history and
/// the idempotency answer only if what memory cannot know holds (the data's
/// versions, a confirmed e-mail, no forecast of the year yet, the key
/// unused). `None`: the filing was not for this path, or a check did not
/// pass; nothing was written and [`create`] files it in a transaction, which
/// gives the exact answer (a problem, or the key's replay). Runs outside a
/// transaction.
pub fn create_at_once(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewInput,
    now: DateTime<Utc>,
    memo: &Memo,
    key: Option<&IdempotencyScope<'_>>,
    answer: impl FnOnce(&ForecastRecord) -> Result<StoredResponse, ApiError>,
) -> Result<Option<StoredResponse>, ApiError> {
    let today = baku_date(now);
    if policy::filing_tin(&caller.roles, caller.tin.as_deref()).is_none() {
        return Ok(None);
    }
    if caller.may(Permission::FileForecasts).is_err() {
        return Ok(None);
    }
    let stored = memo.campaigns.after(today.year());
    let codes = input.lines.iter().map(|l| l.occupation_code.as_str());
    let known = KnownEntries::from_index(&memo.occupations.index, codes, input.employer.economic_activity.as_deref());
    // The same rules as `create`; what they refuse, `create` answers.
    // (Validation holds the section's TIN to the caller's.)
    let Ok((target_year, (section, lines))) = checked_input(caller, input, now, &stored, &known) else {
        return Ok(None);
    };
    let status = if input.submit {
        // The e-mail is checked by the statement.
        match submitted_status(caller, true, lines.len(), &memo.campaigns.of(target_year), today) {
            Ok(s) => s,
            Err(_) => return Ok(None),
        }
    } else {
        ForecastStatus::Draft
    };
    let new = new_forecast(caller, &section, &lines, target_year, status);
    let assumed = store::Assumed {
        occupations_version: memo.occupations.version,
        campaigns_version: memo.campaigns.version,
        email_required: input.submit,
    };
    let steps = creation_steps(status);
    let filed = store::insert_at_once(
        conn,
        &new,
        &steps,
        actor(caller, Role::Employer),
        now.naive_utc(),
        assumed,
        key,
        answer,
    )?;
    Ok(filed.map(|(_, resp)| resp))
}

/// The forecast `id` with its lines, if `caller` may see it.
pub fn get(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ForecastRecord, ApiError> {
    Ok(store::get(conn, id, scope(caller).as_deref())?)
}

/// The applications list `caller` may see (SPEC §4.5).
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    filter: &ListFilter,
    page: Page,
) -> Result<(Vec<ForecastRow>, i64), ApiError> {
    Ok(store::list(conn, scope(caller).as_deref(), filter, page)?)
}

/// The history of forecast `id`, if `caller` may see it.
pub fn history(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    page: Page,
) -> Result<(Vec<HistoryRow>, i64), ApiError> {
    Ok(store::history(conn, id, scope(caller).as_deref(), page)?)
}

/// The target year a `PUT` leaves a forecast with: unchanged when omitted or
/// the same; another one only while it is a draft, and one whose campaign
/// takes forecasts (SPEC §15.1).
fn new_target_year(
    conn: &mut DbConnection,
    row: &ForecastRow,
    given: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Result<i32, ValidationErrors>, ApiError> {
    let Some(y) = given.filter(|y| *y != i64::from(row.target_year)) else {
        return Ok(Ok(row.target_year));
    };
    if status_of(row)? != ForecastStatus::Draft {
        return Ok(Err(ValidationErrors(vec![FieldError::new("target_year", FieldCode::TargetYearImmutable)])));
    }
    if let Ok(year) = i32::try_from(y) {
        check_one_per_year(conn, &row.tin, year, Some(&row.id))?;
    }
    Ok(check_target_year(Some(y), baku_date(now), &stored_campaigns(conn, now)?))
}

/// What a `PUT` sends: the target year (optional), the employer section and
/// every line.
pub struct Replacement<'a> {
    pub target_year: Option<i64>,
    pub employer: &'a EmployerInput,
    pub lines: &'a [LineInput],
}

/// Replaces the employer section and all lines, and while a draft, the
/// target year (SPEC §13 `PUT`, §15.1).
pub fn replace(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    expected: Option<i64>,
    input: &Replacement<'_>,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, ApiError> {
    let row = editable(conn, caller, id)?;
    let year = new_target_year(conn, &row, input.target_year, now)?;
    let (target_year, (section, valid)) = both(year, validate_all(conn, caller, now, input.employer, input.lines))?;
    if section.tin.as_str() != row.tin {
        return Err(ValidationErrors(vec![FieldError::new("employer.tin", FieldCode::TinImmutable)]).into());
    }
    check_version(&row, expected)?;
    store::replace_content(conn, &row, target_year, &section, &valid, now.naive_utc())?;
    Ok(store::get(conn, id, None)?)
}

/// Adds one line; returns the forecast and the new line's id.
pub fn add_line(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    expected: Option<i64>,
    input: &LineInput,
    now: DateTime<Utc>,
) -> Result<(ForecastRecord, String), ApiError> {
    let row = editable(conn, caller, id)?;
    let line = validate_one_line(conn, caller, now, input)?;
    let existing = store::lines_of(conn, id)?;
    let mut all = stored_lines(&existing)?;
    all.push(line.clone());
    check_line_set(&all, "lines").map_err(|_| set_error(&all))?;
    check_version(&row, expected)?;
    let position = existing.iter().map(|l| l.position).max().unwrap_or(0) + 1;
    let line_id = store::add_line(conn, &row, &line, position, now.naive_utc())?;
    Ok((store::get(conn, id, None)?, line_id))
}

/// Changes one line.
pub fn update_line(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    line_id: &str,
    expected: Option<i64>,
    input: &LineInput,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, ApiError> {
    let row = editable(conn, caller, id)?;
    let existing = store::lines_of(conn, id)?;
    if !existing.iter().any(|l| l.id == line_id) {
        return Err(ApiError::NotFound);
    }
    let line = validate_one_line(conn, caller, now, input)?;
    let mut all = stored_lines(&existing)?;
    for (stored, slot) in existing.iter().zip(all.iter_mut()) {
        if stored.id == line_id {
            *slot = line.clone();
        }
    }
    check_line_set(&all, "lines").map_err(|_| set_error(&all))?;
    check_version(&row, expected)?;
    store::update_line(conn, &row, line_id, &line, now.naive_utc())?;
    Ok(store::get(conn, id, None)?)
}

/// Removes one line.
pub fn delete_line(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    line_id: &str,
    expected: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, ApiError> {
    let row = editable(conn, caller, id)?;
    check_version(&row, expected)?;
    store::delete_line(conn, &row, line_id, now.naive_utc())?;
    Ok(store::get(conn, id, None)?)
}

/// Deletes a draft and its lines. Its history stays (append-only).
pub fn delete(conn: &mut DbConnection, caller: &Caller, id: &str, expected: Option<i64>) -> Result<(), ApiError> {
    let row = find(conn, caller, id)?;
    allowed(caller, &row, ForecastAction::Delete)?;
    check_version(&row, expected)?;
    Ok(store::delete(conn, &row)?)
}

/// Takes a status-changing action (SPEC §4.3) as one transaction with its
/// history entry and the e-mail it causes. `text` is what the action's body
/// sent: the reason of a return (required), the note of an acceptance
/// (optional, SPEC §15.4), checked here after the caller's role and the
/// forecast's status (SPEC §7's order of checks).
pub fn act(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: ForecastAction,
    text: Option<&str>,
    expected: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, ApiError> {
    let row = find(conn, caller, id)?;
    let from = status_of(&row)?;
    let to = allowed(caller, &row, action)?;
    let (reason, due, note) = match action {
        ForecastAction::Return => {
            // 409 when the Commission has the figures already, then 422.
            let (campaign, _) = persistence::campaigns::get(conn, row.target_year)?;
            let due = campaign.correction_due(baku_date(now)).map_err(ApiError::Calendar)?;
            (Some(domain::forecast::check_return_reason(text.unwrap_or(""))?), Some(due), None)
        }
        ForecastAction::Accept => (None, None, domain::forecast::check_acceptance_note(text)?),
        _ => (None, None, None),
    };
    check_version(&row, expected)?;
    if action == ForecastAction::Submit {
        let lines = usize::try_from(row.line_count).unwrap_or(0);
        check_submission(conn, &row.tin, row.target_year, due_of(&row, from)?, lines, now)?;
    }
    let at = now.naive_utc();
    let change = match (action, reason.as_deref(), due) {
        (ForecastAction::Submit, _, _) => StatusChange::Submitted,
        (ForecastAction::Return, Some(reason), Some(correction_due)) => {
            StatusChange::Returned { reason, correction_due }
        }
        (ForecastAction::Accept, _, _) => StatusChange::Accepted { note: note.as_deref() },
        (ForecastAction::Withdraw, _, _) => StatusChange::Withdrawn,
        _ => StatusChange::Plain,
    };
    store::set_status(conn, &row, to, change, at)?;
    store::append_history(conn, id, &[(Some(from), to)], actor(caller, action.role()), reason.as_deref(), at)?;
    notify(conn, &row, action, change, at)?;
    Ok(store::get(conn, id, None)?)
}

/// The employer hears of a return or an acceptance by e-mail, queued in the
/// action's own transaction so it is never lost.
fn notify(
    conn: &mut DbConnection,
    row: &ForecastRow,
    action: ForecastAction,
    change: StatusChange<'_>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let message = match (action, change) {
        (ForecastAction::Return, StatusChange::Returned { reason, correction_due }) => {
            domain::notify::forecast_returned(row.number, row.target_year, reason, correction_due)
        }
        (ForecastAction::Accept, StatusChange::Accepted { note }) => {
            domain::notify::forecast_accepted(row.number, row.target_year, note)
        }
        _ => return Ok(()),
    };
    if let Some(to) = persistence::identity::confirmed_email(conn, &row.tin)? {
        persistence::identity::enqueue(conn, None, action.as_str(), &to, &message, at)?;
    }
    Ok(())
}
