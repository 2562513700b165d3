//! The employer's forecast and its review (SPEC §4, §13). Most functions
//! are the body of one transaction that the handler opens (`state.write`,
//! `state.read`, `state.idempotent`); filing runs in `Db::write` under its
//! key, and on PostgreSQL `prepare_at_once`/`write_at_once` run outside a
//! transaction around the one statement that files (see docs/ARCHITECTURE.md).

use crate::{AppError, Caller, Memo};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::campaign::{check_target_year, Campaign};
use domain::filing::{self, FilingFacts, FilingRefusal, ForecastReplace, NewForecastInput, TargetYear};
use domain::forecast::{
    check_line_set, check_submittable, validate_forecast, validate_line, Context, EmployerInput, EmployerSection,
    ForecastLine, KnownEntries, LineInput,
};
use domain::policy::{self, Permission};
use domain::status::{ForecastAction, ForecastStatus, FORECASTS};
use domain::time::baku_date;
use domain::FieldCode;
use domain::{FieldError, ValidationErrors};
use persistence::forecasts::{
    self as store, Actor, ForecastRecord, ForecastRow, HistoryRow, LineRow, ListFilter, NewForecast, StatusChange,
};
use persistence::idempotency::{IdempotencyScope, StoredResponse};
use persistence::{DbConnection, Page, StoreError};
use std::sync::Mutex;

/// The employer whose forecasts `caller` is limited to; `None`: every
/// employer's (staff, SPEC §4.5). A caller that is neither sees nothing.
pub fn scope(caller: &Caller) -> Option<String> {
    if Permission::ReadAllForecasts.granted_to(&caller.roles) {
        None
    } else {
        Some(caller.tin.clone().unwrap_or_default())
    }
}

fn find(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ForecastRow, AppError> {
    Ok(store::find(conn, id, scope(caller).as_deref())?)
}

/// The status machine asked with the caller's roles toward this forecast.
fn allowed(caller: &Caller, row: &ForecastRow, action: ForecastAction) -> Result<ForecastStatus, AppError> {
    let roles = policy::roles_toward_forecast(&caller.roles, caller.tin.as_deref(), &row.tin);
    Ok(FORECASTS.next(row.status, action, &roles)?)
}

fn check_version(row: &ForecastRow, expected: Option<i64>) -> Result<(), AppError> {
    match expected {
        Some(v) if v != row.version => Err(AppError::PreconditionFailed { current: row.version }),
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
) -> Result<(EmployerSection, Vec<ForecastLine>), AppError> {
    let codes = lines.iter().map(|l| l.occupation_code.as_str());
    let known = persistence::reference::load_known(conn, codes, Some(employer.economic_activity.as_str()))?;
    Ok(validate_forecast(employer, lines, &context(caller, now, &known))?)
}

fn validate_one_line(
    conn: &mut DbConnection,
    caller: &Caller,
    now: DateTime<Utc>,
    input: &LineInput,
) -> Result<ForecastLine, AppError> {
    let known = persistence::reference::load_known(conn, [input.occupation_code.as_str()], None)?;
    Ok(validate_line(input, &context(caller, now, &known), "")?)
}

/// The stored lines as domain lines; one that no longer parses is an
/// internal error, never silently left out of the checks.
fn stored_lines(rows: &[LineRow]) -> Result<Vec<ForecastLine>, AppError> {
    Ok(rows.iter().map(LineRow::to_domain).collect::<Result<_, _>>()?)
}

/// A line-set error reported against the single line being written.
fn set_error(all: &[ForecastLine]) -> AppError {
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
) -> Result<(), AppError> {
    if persistence::identity::confirmed_email(conn, tin)?.is_none() {
        return Err(AppError::EmailNotConfirmed);
    }
    check_submittable(lines)?;
    let (campaign, _) = persistence::campaigns::get(conn, target_year)?;
    Ok(campaign.check_submission(baku_date(now), correction_due)?)
}

/// The `correction_due` of a forecast being submitted from `from`: a
/// returned forecast always has one (set by its return).
fn due_of(row: &ForecastRow, from: ForecastStatus) -> Result<Option<NaiveDate>, AppError> {
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
fn editable(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ForecastRow, AppError> {
    let row = find(conn, caller, id)?;
    allowed(caller, &row, ForecastAction::Edit)?;
    Ok(row)
}

/// The caller as the history names it, acting as the role that holds the
/// permission of `action`.
fn actor(caller: &Caller, action: ForecastAction) -> Actor<'_> {
    let role = FORECASTS.acting_role(action, &caller.roles).map_or("", |r| r.as_str());
    Actor { sub: &caller.sub, role }
}

/// The campaigns that decide which target years are open on `today`
/// (SPEC §15.1): those `admin` set after the current year.
fn stored_campaigns(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<Vec<Campaign>, AppError> {
    Ok(persistence::campaigns::stored_after(conn, baku_date(now).year())?)
}

/// 409 `forecast-exists` when `tin` has a live forecast for `year` other
/// than `except` (SPEC §15.2).
fn check_one_per_year(conn: &mut DbConnection, tin: &str, year: i32, except: Option<&str>) -> Result<(), AppError> {
    match store::live_for(conn, tin, year, except)? {
        Some(id) => Err(AppError::ForecastExists { id }),
        None => Ok(()),
    }
}

/// Both results of checking a request's input, every field error of both
/// collected.
fn both<A, B>(a: Result<A, ValidationErrors>, b: Result<B, AppError>) -> Result<(A, B), AppError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut e), Err(AppError::Validation(more))) => {
            e.0.extend(more.0);
            Err(e.into())
        }
        (Err(e), Ok(_)) => Err(e.into()),
        (_, Err(e)) => Err(e),
    }
}

impl From<FilingRefusal> for AppError {
    fn from(r: FilingRefusal) -> AppError {
        match r {
            FilingRefusal::Exists { id } => AppError::ForecastExists { id },
            FilingRefusal::Invalid(errs) => AppError::Validation(errs),
            FilingRefusal::Refused(r) => r.into(),
            FilingRefusal::EmailNotConfirmed => AppError::EmailNotConfirmed,
            FilingRefusal::Calendar(c) => c.into(),
        }
    }
}

/// The new forecast a decided filing writes, filed by `caller`.
fn new_forecast<'a>(caller: &'a Caller, f: &'a filing::Filing) -> NewForecast<'a> {
    NewForecast {
        tin: f.section.tin.as_str(),
        target_year: f.target_year,
        status: f.status,
        section: &f.section,
        lines: &f.lines,
        created_by: &caller.sub,
        submitted: f.status != ForecastStatus::Draft,
    }
}

/// An employer files a forecast (SPEC §4, §13: `"submit": true` files and
/// submits it at once), in the caller's transaction.
///
/// The deadline day is when every employer files at once (SPEC §11), so
/// the facts are read in one statement ([`store::filing_facts`]: the
/// reference versions, the e-mail, a forecast of that year), the calendar
/// and the classification taken from `memo` when its versions are the
/// current ones, otherwise from the database; [`filing::decide`] decides.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewForecastInput,
    now: DateTime<Utc>,
    memo: &Memo,
) -> Result<ForecastRecord, AppError> {
    caller.may(Permission::FileForecasts)?;
    let today = baku_date(now);
    let caller_tin = policy::filing_tin(&caller.roles, caller.tin.as_deref());
    let year = |stored: &[Campaign]| filing::year_asked(input.target_year, today, stored);
    let facts = match caller_tin {
        Some(tin) => Some(store::filing_facts(conn, tin, year(&memo.campaigns.after(today.year())))?),
        None => None,
    };
    let calendar_current = facts.as_ref().is_some_and(|f| f.campaigns_version == memo.campaigns.version);
    let campaigns = if calendar_current { memo.campaigns.after(today.year()) } else { stored_campaigns(conn, now)? };
    let live = match (caller_tin, year(&campaigns), &facts) {
        (Some(_), _, Some(f)) if calendar_current => f.live_forecast.clone(),
        (Some(tin), Some(y), _) => store::live_for(conn, tin, y, None)?,
        _ => None,
    };
    let codes = input.lines.iter().map(|l| l.occupation_code.as_str());
    let activity = Some(input.employer.economic_activity.as_str());
    let known = match &facts {
        Some(f) if f.occupations_version == memo.occupations.version => {
            KnownEntries::from_index(&memo.occupations.index, codes, activity)
        }
        _ => persistence::reference::load_known(conn, codes, activity)?,
    };
    let email_confirmed = match (&facts, input.submit) {
        (_, false) => false,
        (Some(f), true) if caller_tin == Some(input.employer.tin.as_str()) => f.email_confirmed,
        (_, true) => persistence::identity::confirmed_email(conn, input.employer.tin.trim())?.is_some(),
    };
    let facts = FilingFacts {
        today,
        roles: &caller.roles,
        caller_tin,
        campaigns: &campaigns,
        known: &known,
        email_confirmed,
        live_forecast: live.as_deref(),
    };
    let decided = filing::decide(input, &facts)?;
    let actor = actor(caller, ForecastAction::Submit);
    Ok(store::insert(conn, &new_forecast(caller, &decided), &decided.steps(), actor, now.naive_utc())?)
}

/// Numbers for the filings written in one statement (PostgreSQL), reserved
/// a block at a time from the forecasts' own sequence: the number is known
/// before the statement, so the answer stored with the key is finished.
#[derive(Default)]
pub struct Numbers(Mutex<Vec<i64>>);

impl Numbers {
    const BLOCK: i64 = 64;

    fn next(&self, conn: &mut DbConnection) -> Result<i64, AppError> {
        if let Some(n) = self.0.lock().map_err(|_| AppError::bug("forecast numbers poisoned"))?.pop() {
            return Ok(n);
        }
        let mut block = store::reserve_numbers(conn, Self::BLOCK)?;
        block.reverse();
        let n = block.pop().ok_or_else(|| AppError::bug("no forecast number reserved"))?;
        if let Ok(mut held) = self.0.lock() {
            held.extend(block);
        }
        Ok(n)
    }
}

/// A filing decided on the facts held in memory and numbered, ready for
/// [`write_at_once`]; its record is what the answer shows.
pub struct AtOnce {
    pub filing: store::Filing,
    guards: store::Guards,
}

/// The fast path of [`create`] on PostgreSQL (SPEC §11: the deadline day,
/// when every ERP files at once): [`filing::decide`] on the reference data
/// held in memory, assuming a confirmed e-mail and no forecast of the year;
/// the statement of [`write_at_once`] holds those assumptions and the
/// data's versions as guards. `None`: not a filing this path takes (a
/// refusal, or not an employer) — [`create`] gives the exact answer.
/// Runs outside a transaction.
pub fn prepare_at_once(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewForecastInput,
    now: DateTime<Utc>,
    memo: &Memo,
    numbers: &Numbers,
) -> Result<Option<AtOnce>, AppError> {
    let Some(caller_tin) = policy::filing_tin(&caller.roles, caller.tin.as_deref()) else { return Ok(None) };
    if caller.may(Permission::FileForecasts).is_err() {
        return Ok(None);
    }
    let today = baku_date(now);
    let campaigns = memo.campaigns.after(today.year());
    let codes = input.lines.iter().map(|l| l.occupation_code.as_str());
    let known =
        KnownEntries::from_index(&memo.occupations.index, codes, Some(input.employer.economic_activity.as_str()));
    let facts = FilingFacts {
        today,
        roles: &caller.roles,
        caller_tin: Some(caller_tin),
        campaigns: &campaigns,
        known: &known,
        email_confirmed: true,
        live_forecast: None,
    };
    let Ok(decided) = filing::decide(input, &facts) else { return Ok(None) };
    let guards = store::Guards {
        occupations_version: memo.occupations.version,
        campaigns_version: memo.campaigns.version,
        email_required: decided.status != ForecastStatus::Draft,
        no_listeners: decided.status != ForecastStatus::Draft,
    };
    let number = numbers.next(conn)?;
    let actor = actor(caller, ForecastAction::Submit);
    let new = new_forecast(caller, &decided);
    Ok(Some(AtOnce {
        filing: store::Filing::new(&new, Some(number), &decided.steps(), actor, now.naive_utc()),
        guards,
    }))
}

/// Writes a filing of [`prepare_at_once`] in one statement with `answer`,
/// the finished answer to keep under the request's key; `false` when a
/// guard did not hold and nothing was written.
pub fn write_at_once(
    conn: &mut DbConnection,
    at_once: &AtOnce,
    key: Option<&IdempotencyScope<'_>>,
    answer: &StoredResponse,
) -> Result<bool, AppError> {
    let key = key.map(|scope| store::KeyedAnswer::new(scope, answer));
    Ok(store::insert_at_once(conn, &at_once.filing, at_once.guards, key)?)
}

/// The forecast `id` with its lines, if `caller` may see it.
pub fn get(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ForecastRecord, AppError> {
    Ok(store::get(conn, id, scope(caller).as_deref())?)
}

/// The applications list `caller` may see (SPEC §4.5).
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    filter: &ListFilter,
    page: Page,
) -> Result<(Vec<ForecastRow>, i64), AppError> {
    Ok(store::list(conn, scope(caller).as_deref(), filter, page)?)
}

/// The history of forecast `id`, if `caller` may see it.
pub fn history(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    page: Page,
) -> Result<(Vec<HistoryRow>, i64), AppError> {
    Ok(store::history(conn, id, scope(caller).as_deref(), page)?)
}

/// The target year a `PUT` leaves a forecast with: unchanged when omitted or
/// the same; another one only while it is a draft, and one whose campaign
/// takes forecasts (SPEC §15.1).
fn new_target_year(
    conn: &mut DbConnection,
    row: &ForecastRow,
    given: Option<TargetYear>,
    now: DateTime<Utc>,
) -> Result<Result<i32, ValidationErrors>, AppError> {
    let Some(y) = given.map(TargetYear::get).filter(|y| *y != i64::from(row.target_year)) else {
        return Ok(Ok(row.target_year));
    };
    if row.status != ForecastStatus::Draft {
        return Ok(Err(ValidationErrors(vec![FieldError::new("target_year", FieldCode::TargetYearImmutable)])));
    }
    if let Ok(year) = i32::try_from(y) {
        check_one_per_year(conn, &row.tin, year, Some(&row.id))?;
    }
    Ok(check_target_year(Some(y), baku_date(now), &stored_campaigns(conn, now)?))
}

/// Replaces the employer section and all lines, and while a draft, the
/// target year (SPEC §13 `PUT`, §15.1).
pub fn replace(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    expected: Option<i64>,
    input: &ForecastReplace,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, AppError> {
    let row = editable(conn, caller, id)?;
    let year = new_target_year(conn, &row, input.target_year, now)?;
    let (target_year, (section, valid)) = both(year, validate_all(conn, caller, now, &input.employer, &input.lines))?;
    if section.tin.as_str() != row.tin {
        return Err(ValidationErrors(vec![FieldError::new("employer.tin", FieldCode::TinImmutable)]).into());
    }
    check_version(&row, expected)?;
    let stored: Vec<(String, String, String)> =
        store::lines_of(conn, id)?.into_iter().map(|l| (l.id, l.occupation_code, l.occupation_title)).collect();
    let kept = domain::forecast::kept_line_ids(&stored, &valid);
    store::replace_content(conn, &row, target_year, &section, &valid, &kept, now.naive_utc())?;
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
) -> Result<(ForecastRecord, String), AppError> {
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
) -> Result<ForecastRecord, AppError> {
    let row = editable(conn, caller, id)?;
    let existing = store::lines_of(conn, id)?;
    if !existing.iter().any(|l| l.id == line_id) {
        return Err(AppError::NotFound);
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
) -> Result<ForecastRecord, AppError> {
    let row = editable(conn, caller, id)?;
    check_version(&row, expected)?;
    store::delete_line(conn, &row, line_id, now.naive_utc())?;
    Ok(store::get(conn, id, None)?)
}

/// Deletes a draft and its lines. Its history stays (append-only).
pub fn delete(conn: &mut DbConnection, caller: &Caller, id: &str, expected: Option<i64>) -> Result<(), AppError> {
    let row = find(conn, caller, id)?;
    allowed(caller, &row, ForecastAction::Delete)?;
    check_version(&row, expected)?;
    Ok(store::delete(conn, &row)?)
}

/// Takes a status-changing action (SPEC §4.3, §16.3) as one transaction
/// with its history entry and the e-mail it causes. `text` is what the
/// action's body sent: the reason of a return, a rejection or a reopening
/// (required), the note of an acceptance (optional, SPEC §15.4), checked
/// here after the caller's role, the forecast's status and the calendar
/// (SPEC §7's order of checks). A return and a reopening are refused from
/// the Commission inputs deadline on (409, SPEC §15.3, §16.3.2); a
/// rejection is allowed at any time (SPEC §16.3.1).
pub fn act(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: ForecastAction,
    text: Option<&str>,
    expected: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ForecastRecord, AppError> {
    let row = find(conn, caller, id)?;
    let from = row.status;
    let to = allowed(caller, &row, action)?;
    let reason = || domain::forecast::check_reason(text.unwrap_or(""));
    let (reason, due, note) = match action {
        ForecastAction::Return => {
            // 409 when the Commission has the figures already, then 422.
            let (campaign, _) = persistence::campaigns::get(conn, row.target_year)?;
            let due = campaign.correction_due(baku_date(now))?;
            (Some(reason()?), Some(due), None)
        }
        ForecastAction::Reopen => {
            let (campaign, _) = persistence::campaigns::get(conn, row.target_year)?;
            campaign.check_before_commission_inputs(baku_date(now))?;
            (Some(reason()?), None, None)
        }
        ForecastAction::Reject => (Some(reason()?), None, None),
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
        (ForecastAction::Reject, Some(reason), _) => StatusChange::Rejected { reason },
        (ForecastAction::Reopen, Some(reason), _) => StatusChange::Reopened { reason },
        (ForecastAction::Withdraw, _, _) => StatusChange::Withdrawn,
        _ => StatusChange::Plain,
    };
    store::set_status(conn, &row, to, change, at)?;
    store::append_history(conn, id, &[(Some(from), to)], actor(caller, action), reason.as_deref(), at)?;
    notify(conn, &row, change, now)?;
    Ok(store::get(conn, id, None)?)
}

/// The employer hears of a return, an acceptance, a rejection or a
/// reopening by e-mail, queued in the action's own transaction so it is
/// never lost. A rejection tells until when the year may be filed anew
/// (SPEC §16.3.1).
fn notify(
    conn: &mut DbConnection,
    row: &ForecastRow,
    change: StatusChange<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use domain::messages::mail;
    let (kind, message) = match change {
        StatusChange::Returned { reason, correction_due } => {
            (ForecastAction::Return, mail::forecast_returned(row.number, row.target_year, reason, correction_due))
        }
        StatusChange::Accepted { note } => {
            (ForecastAction::Accept, mail::forecast_accepted(row.number, row.target_year, note))
        }
        StatusChange::Rejected { reason } => {
            let (campaign, _) = persistence::campaigns::get(conn, row.target_year)?;
            let until = campaign.new_forecasts_until(baku_date(now));
            (ForecastAction::Reject, mail::forecast_rejected(row.number, row.target_year, reason, until))
        }
        StatusChange::Reopened { reason } => {
            (ForecastAction::Reopen, mail::forecast_reopened(row.number, row.target_year, reason))
        }
        StatusChange::Submitted | StatusChange::Withdrawn | StatusChange::Plain => return Ok(()),
    };
    let at = now.naive_utc();
    if let Some(to) = persistence::identity::confirmed_email(conn, &row.tin)? {
        persistence::identity::enqueue(conn, None, kind.as_str(), &to, &message, at)?;
    }
    Ok(())
}
