//! What the Commission receives besides the summary (SPEC §16.2): each
//! body's contributor sends its input until the Commission inputs deadline;
//! staff, the Commission and contributors read every input with the SMS's,
//! which is counted from the permits recorded. Each function is the body of
//! one transaction.

use crate::{AppError, Caller};
use chrono::{NaiveDate, NaiveDateTime};
use domain::commission_inputs::{self as rules, Body};
use domain::policy::Permission;
use persistence::commission_inputs::{
    self as store, Figure, FileRow, HistoryRow, InputRecord, NewFile, Sender, SourcedFigure,
};
use persistence::DbConnection;

/// The year a path names, else not found.
fn year_of(year: &str) -> Result<i32, AppError> {
    domain::campaign::year_named(year).ok_or(AppError::NotFound)
}

/// The body a path names, else not found (`sms` too: its input is computed
/// and read with the list).
fn body_of(body: &str) -> Result<Body, AppError> {
    Body::parse(body).ok_or(AppError::NotFound)
}

/// The SMS's own input for a target year (SPEC §16.2): the work permits of
/// the previous year and of the current one, per section, counted against
/// the quota and exempt, recorded up to `counted_until`.
#[derive(Debug, Clone)]
pub struct SmsInput {
    pub previous_year: i32,
    pub current_year: i32,
    pub counted_until: NaiveDateTime,
    pub entries: Vec<Figure>,
}

/// Every input of a target year: the deadline, whether it has passed, the
/// bodies' inputs that were sent and the SMS's computed one.
#[derive(Debug, Clone)]
pub struct YearInputs {
    pub target_year: i32,
    pub deadline: NaiveDate,
    pub open: bool,
    pub bodies: Vec<InputRecord>,
    pub sms: SmsInput,
}

/// The SMS's input for `year` at `now` (SPEC §16.2), counted by the
/// database: `work_permits_<year>` and `exempt_work_permits_<year>` per
/// section, for the previous and the current year.
pub fn sms_input(conn: &mut DbConnection, year: i32, now: NaiveDateTime) -> Result<SmsInput, AppError> {
    let (campaign, _) = persistence::campaigns::get(conn, year)?;
    let (previous_year, current_year) = rules::sms_years(year);
    let counted_until = rules::sms_cutoff(&campaign, now);
    let tallies = store::permit_tallies(conn, (previous_year, current_year), counted_until)?;
    let mut entries = Vec::with_capacity(tallies.len() * 2);
    for t in tallies {
        let (counted, exempt) = rules::sms_measures(t.target_year);
        for (measure, n) in [(counted, t.counted), (exempt, t.exempt)] {
            entries.push(Figure {
                economic_activity: t.section.clone(),
                section: t.section.clone(),
                measure,
                // A count of permits is far below 2^53: exact as a double.
                value: n as f64,
            });
        }
    }
    Ok(SmsInput { previous_year, current_year, counted_until, entries })
}

/// Every body's input for the year a path names, with the SMS's (SPEC
/// §16.2: "staff, Commission, contributors").
pub fn list(conn: &mut DbConnection, caller: &Caller, year: &str, now: NaiveDateTime) -> Result<YearInputs, AppError> {
    caller.may(Permission::ReadCommissionInputs)?;
    let year = year_of(year)?;
    let (campaign, _) = persistence::campaigns::get(conn, year)?;
    let open = rules::check_inputs_open(&campaign, domain::time::baku_date(now.and_utc())).is_ok();
    let bodies = store::list(conn, year)?;
    let sms = sms_input(conn, year, now)?;
    Ok(YearInputs { target_year: year, deadline: campaign.commission_inputs_deadline, open, bodies, sms })
}

/// The input of one body for the year a path names; not found until sent.
pub fn get(conn: &mut DbConnection, caller: &Caller, year: &str, body: &str) -> Result<InputRecord, AppError> {
    caller.may(Permission::ReadCommissionInputs)?;
    let year = year_of(year)?;
    let body = body_of(body)?;
    store::get(conn, year, body)?.ok_or(AppError::NotFound)
}

/// One page of the changes of one body's input, oldest first; not found
/// until the body sends one (the page asked for is checked last).
pub fn history(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    body: &str,
    page: &crate::PageParams,
) -> Result<(Vec<HistoryRow>, i64, persistence::Page), AppError> {
    caller.may(Permission::ReadCommissionInputs)?;
    let year = year_of(year)?;
    let body = body_of(body)?;
    store::get(conn, year, body)?.ok_or(AppError::NotFound)?;
    let page = page.page()?;
    let (rows, total) = store::history(conn, year, body, page)?;
    Ok((rows, total, page))
}

/// One figure as sent: economic activity, measure, value.
pub type SentFigure = (String, String, f64);

/// A body's contributor sends its input for the year (SPEC §16.2): until
/// the Commission inputs deadline, end of day in Baku (then 409
/// `commission-inputs-deadline-passed`); only the contributor of that body
/// (else 403 `wrong-body`). Checks in the order 403 → 404 → 409 → 422 →
/// 412. The same input sent again changes nothing (no new version).
pub fn put(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    body: &str,
    expected: Option<i64>,
    sent: (&[SentFigure], Option<&str>),
    now: NaiveDateTime,
) -> Result<InputRecord, AppError> {
    let (year, body) = may_change(conn, caller, year, body, now)?;
    let figures: Vec<(&str, &str, f64)> = sent.0.iter().map(|(a, m, v)| (a.as_str(), m.as_str(), *v)).collect();
    let input = rules::check_input(&figures, sent.1)?;
    let prior = store::get(conn, year, body)?;
    match (&prior, expected) {
        (Some(p), Some(v)) if p.row.version != v => {
            return Err(AppError::PreconditionFailed { current: p.row.version })
        }
        (None, Some(_)) => return Err(AppError::PreconditionFailed { current: 0 }),
        _ => {}
    }
    if let Some(p) = &prior {
        let same = p.row.note == input.note
            && p.entries.len() == input.entries.len()
            && p.entries.iter().zip(&input.entries).all(|(a, b)| {
                a.economic_activity == b.economic_activity && a.measure == b.measure && a.value == b.value
            });
        if same {
            return Ok(p.clone());
        }
    }
    let sender = Sender { sub: &caller.sub, role: domain::role::Role::Contributor.as_str() };
    store::save(conn, year, body, prior.as_ref().map(|p| &p.row), &input, sender, now)?;
    store::get(conn, year, body)?.ok_or_else(|| AppError::bug("an input just saved is missing"))
}

/// Every figure the plan of `year` shows beside its entries (SPEC §16.2):
/// the bodies' and the SMS's, each named by its source.
pub fn plan_figures(conn: &mut DbConnection, year: i32, now: NaiveDateTime) -> Result<Vec<SourcedFigure>, AppError> {
    let mut figures = store::figures_of_year(conn, year)?;
    let sms = sms_input(conn, year, now)?;
    figures.extend(sms.entries.into_iter().map(|figure| SourcedFigure { body: rules::SMS.to_owned(), figure }));
    Ok(figures)
}

/// Freezes the inputs of `year` into snapshot `number` (SPEC §15.5: the
/// snapshot taken after them includes them), the SMS's as counted at `at`.
pub fn freeze(conn: &mut DbConnection, year: i32, number: i32, at: NaiveDateTime) -> Result<(), AppError> {
    let sms = sms_input(conn, year, at)?;
    Ok(store::freeze(conn, year, number, &sms.entries, at)?)
}

/// A contributor may change its body's input now (SPEC §16.2): the role,
/// the year and body the path names, the body of the token, the deadline,
/// in the order 403 → 404 → 409. Returns the year and the body.
fn may_change(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    body: &str,
    now: NaiveDateTime,
) -> Result<(i32, Body), AppError> {
    caller.may(Permission::SendCommissionInputs)?;
    let year = year_of(year)?;
    let body = body_of(body)?;
    if caller.body != Some(body) {
        return Err(AppError::WrongBody { needs: body, yours: caller.body });
    }
    let (campaign, _) = persistence::campaigns::get(conn, year)?;
    rules::check_inputs_open(&campaign, domain::time::baku_date(now.and_utc()))?;
    Ok((year, body))
}

fn file_error(e: rules::InputFileError) -> AppError {
    use rules::InputFileError as E;
    match e {
        E::Empty => domain::FieldError::new("file", domain::FieldCode::DocumentEmpty).into(),
        E::TooLarge { max } => AppError::PayloadTooLarge { limit: max },
        E::UnsupportedType => AppError::UnsupportedFileType,
        E::ContentMismatch { declared, found } => domain::FieldError::new("file", domain::FieldCode::ContentMismatch)
            .with("declared", declared.as_str())
            .with("found", found.as_str())
            .into(),
    }
}

/// A file as uploaded: its name, declared `Content-Type` and bytes.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub filename: &'a str,
    pub declared: Option<&'a str>,
    pub bytes: &'a [u8],
}

/// The contributor of a body attaches a PDF or XLSX file to its input
/// (SPEC §16.2: "optional attached files (PDF/XLSX, as HQM documents)"),
/// until the deadline, once the input was sent (404 before), at most
/// [`rules::MAX_INPUT_FILES`] (409). Checked by its bytes; kept with its
/// size and SHA-256, never altered.
pub fn add_file(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    body: &str,
    up: &Upload<'_>,
    now: NaiveDateTime,
) -> Result<(InputRecord, String), AppError> {
    use sha2::Digest;
    let (year, body) = may_change(conn, caller, year, body, now)?;
    let input = store::get(conn, year, body)?.ok_or(AppError::NotFound)?;
    if input.files.len() >= rules::MAX_INPUT_FILES {
        return Err(AppError::TooManyDocuments);
    }
    let kind = rules::check_input_file(up.declared, up.bytes).map_err(file_error)?;
    let filename = domain::text::required("filename", up.filename, domain::hqm::documents::MAX_FILENAME)?;
    domain::hqm::documents::check_extension(&filename, kind.extensions(), kind.as_str())?;
    let id = persistence::new_id();
    let sha256 = hex::encode(sha2::Sha256::digest(up.bytes));
    let file = NewFile { id: &id, content_type: kind.as_str(), filename: &filename, sha256: &sha256, bytes: up.bytes };
    store::add_file(conn, year, body, file, &caller.sub, now)?;
    Ok((store::get(conn, year, body)?.ok_or(AppError::NotFound)?, id))
}

/// File `id` of a body's input, with its bytes, for the input's readers.
pub fn file(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    body: &str,
    id: &str,
) -> Result<(FileRow, Vec<u8>), AppError> {
    caller.may(Permission::ReadCommissionInputs)?;
    let year = year_of(year)?;
    let body = body_of(body)?;
    Ok(store::file(conn, year, body, id)?)
}

/// The contributor of a body removes a file from its input, until the
/// deadline.
pub fn delete_file(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    body: &str,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let (year, body) = may_change(conn, caller, year, body, now)?;
    Ok(store::delete_file(conn, year, body, id)?)
}
