//! Highly Qualified Migrant applications (SPEC §14): what each request
//! means. Every function runs inside the one write (or read) transaction its
//! handler opens — under the request's `Idempotency-Key` for the `POST`s —
//! so a use case's refusal rolls back everything, and the e-mails it queues
//! are committed with the change or not at all.
//!
//! Order of checks, as for forecasts: 403 (role) → 404 (not visible) →
//! 409 (status) → 422 (input) → 412 (`If-Match`).

use crate::signing::{canonical_json, Signer};
use crate::{AppError, Caller};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::hqm::application::{
    self as app, validate_application, ApplicationInput, DataContext, HqmAction, HqmStatus, APPLICATIONS,
};
use domain::hqm::business_days::{CalendarError, HolidayCalendar};
use domain::hqm::criteria::{Authority, Criterion, Score, ScoreSheet, MAX_TOTAL, THRESHOLD};
use domain::hqm::decision as dec;
use domain::hqm::documents::{self as docs, DocumentError, DocumentKind};
use domain::lang::Lang;
use domain::lifecycle::Effect;
use domain::policy::{self, Permission};
use domain::role::Role;
use domain::time::baku_date;
use domain::FieldCode;
use domain::{FieldError, ValidationErrors};
use persistence::hqm::{self as store, ApplicationRecord, ApplicationRow, DecisionRow, NewHistory, StatusChange};
use persistence::{DbConnection, Page};
use sha2::{Digest, Sha256};

/// The application `id` if the caller may read it; another's is not found.
fn visible(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ApplicationRow, AppError> {
    let row = store::find(conn, id)?.ok_or(AppError::NotFound)?;
    if !policy::sees_hqm_application(&caller.roles, &caller.sub, &row.owner, row.submitted_at.is_some()) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// The status machine's answer to `action` by the caller (SPEC §14.2).
fn allowed(row: &ApplicationRow, caller: &Caller, action: HqmAction) -> Result<Effect<HqmStatus>, AppError> {
    let roles = policy::hqm_roles_toward(&caller.roles, &caller.sub, &row.owner);
    Ok(APPLICATIONS.check(row.status, action, &roles)?)
}

/// One request to act on an application: who acts, on which, the version
/// they read (`If-Match`) and when.
#[derive(Clone, Copy)]
pub struct Act<'a> {
    pub caller: &'a Caller,
    pub id: &'a str,
    pub if_match: Option<i64>,
    pub now: DateTime<Utc>,
}

impl<'a> Act<'a> {
    /// The application, if the caller holds `permission` (403), sees it
    /// (404) and the status machine lets them take `action` (409), in that
    /// order; the version is checked after the request's own input.
    fn target(
        &self,
        conn: &mut DbConnection,
        permission: Permission,
        action: HqmAction,
    ) -> Result<ApplicationRow, AppError> {
        self.caller.may(permission)?;
        let row = visible(conn, self.caller, self.id)?;
        allowed(&row, self.caller, action)?;
        Ok(row)
    }

    /// A history entry of this caller's, acting as `role`.
    fn entry(&self, action: &'a str, role: Role) -> NewHistory<'a> {
        NewHistory { action, actor: &self.caller.sub, role: role.as_str(), ..Default::default() }
    }
}

fn check_version(row: &ApplicationRow, if_match: Option<i64>) -> Result<(), AppError> {
    match if_match {
        Some(v) if v != row.version => Err(AppError::PreconditionFailed { current: row.version }),
        _ => Ok(()),
    }
}

/// A count of business days fails only past the last date chrono knows, or
/// on a stored list that is not of its year: neither is the caller's doing.
pub(crate) fn calendar_error(e: CalendarError) -> AppError {
    AppError::bug(format!("business days: {e:?}"))
}

/// The holiday calendar a count from `start` may need: the published lists
/// of that year and the two after (a year without one is counted
/// provisionally, SPEC §16.4.4).
fn calendar(conn: &mut DbConnection, start: NaiveDate) -> Result<HolidayCalendar, AppError> {
    Ok(persistence::holidays::calendar(conn, start.year(), start.year() + 2)?)
}

fn language(row: &ApplicationRow) -> Lang {
    row.language
}

fn reload(conn: &mut DbConnection, id: &str) -> Result<ApplicationRecord, AppError> {
    let row = store::find(conn, id)?.ok_or(AppError::NotFound)?;
    Ok(store::record(conn, row)?)
}

/// Checks the data of a create or replace against the rules and the
/// classification (SPEC §14.2).
fn validate(
    conn: &mut DbConnection,
    input: &ApplicationInput,
    now: DateTime<Utc>,
) -> Result<domain::hqm::application::ApplicationData, AppError> {
    let code = input.field.occupation_code.as_deref().unwrap_or("");
    let known = persistence::reference::load_known(conn, [code], None)?;
    let ctx = DataContext { today: baku_date(now), occupations: &known.occupations };
    validate_application(input, &ctx).map_err(AppError::Validation)
}

/// An applicant files a draft (SPEC §14.2).
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &ApplicationInput,
    now: DateTime<Utc>,
) -> Result<ApplicationRecord, AppError> {
    caller.may(Permission::FileHqmApplications)?;
    let data = validate(conn, input, now)?;
    let id = persistence::new_id();
    let at = now.naive_utc();
    store::insert(conn, &id, &caller.sub, &data, at)?;
    let entry = NewHistory {
        action: "create",
        actor: &caller.sub,
        role: Role::Applicant.as_str(),
        after: Some(HqmStatus::Draft.as_str().to_owned()),
        ..Default::default()
    };
    store::append_history(conn, &id, &entry, at)?;
    reload(conn, &id)
}

/// The application with everything its JSON shows.
pub fn get(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ApplicationRecord, AppError> {
    let row = visible(conn, caller, id)?;
    Ok(store::record(conn, row)?)
}

/// The owner replaces the data of a draft (SPEC §14.2: edit).
pub fn replace(conn: &mut DbConnection, act: Act<'_>, input: &ApplicationInput) -> Result<ApplicationRecord, AppError> {
    let row = act.target(conn, Permission::FileHqmApplications, HqmAction::Edit)?;
    let data = validate(conn, input, act.now)?;
    check_version(&row, act.if_match)?;
    let at = act.now.naive_utc();
    store::replace(conn, act.id, row.version, &data, at)?;
    store::append_history(conn, act.id, &act.entry("edit", Role::Applicant), at)?;
    reload(conn, act.id)
}

/// The owner deletes a draft with its documents; the trail stays.
pub fn delete(conn: &mut DbConnection, act: Act<'_>) -> Result<(), AppError> {
    let row = act.target(conn, Permission::FileHqmApplications, HqmAction::Delete)?;
    check_version(&row, act.if_match)?;
    store::delete(conn, act.id, row.version)?;
    let entry =
        NewHistory { before: Some(HqmStatus::Draft.as_str().to_owned()), ..act.entry("delete", Role::Applicant) };
    store::append_history(conn, act.id, &entry, act.now.naive_utc())?;
    Ok(())
}

/// An upload as received.
pub struct Upload<'a> {
    pub kind: &'a str,
    pub filename: &'a str,
    pub declared: Option<&'a str>,
    pub bytes: &'a [u8],
}

fn document_error(e: DocumentError) -> AppError {
    match e {
        DocumentError::Empty => FieldError::new("file", FieldCode::DocumentEmpty).into(),
        DocumentError::TooLarge { max } => AppError::PayloadTooLarge { limit: max },
        DocumentError::UnsupportedType { .. } | DocumentError::UnrecognisedContent => AppError::UnsupportedFileType,
        DocumentError::ContentMismatch { declared, found } => FieldError::new("file", FieldCode::ContentMismatch)
            .with("declared", declared.mime())
            .with("found", found.mime())
            .into(),
        DocumentError::TooMany { .. } => AppError::TooManyDocuments,
    }
}

/// The owner uploads a document (SPEC §14.2): PDF, JPEG or PNG by its bytes,
/// at most 10 MiB and 20 a application, kept with its SHA-256. To a draft any
/// kind; under review only a kind an officer asked for, until the end of the
/// review deadline's day, marked as added after submission (SPEC §16.4.1).
/// Returns the application and the new document's id.
pub fn upload(conn: &mut DbConnection, act: Act<'_>, up: &Upload<'_>) -> Result<(ApplicationRecord, String), AppError> {
    let Act { caller, id, now, .. } = act;
    let row = act.target(conn, Permission::FileHqmApplications, HqmAction::UploadDocument)?;
    let after_submission = row.status == HqmStatus::UnderReview;
    let deadline = if after_submission {
        let deadline = row.review_deadline.ok_or_else(|| AppError::bug("under review without a deadline"))?;
        if baku_date(now) > deadline {
            return Err(AppError::ReviewDeadlinePassed { deadline });
        }
        Some(deadline)
    } else {
        None
    };
    let mut errs = ValidationErrors::default();
    let kind = DocumentKind::parse(up.kind);
    if up.kind.trim().is_empty() {
        errs.push(FieldError::new("kind", FieldCode::Required));
    } else if kind.is_none() {
        errs.push(FieldError::new("kind", FieldCode::KindUnknown));
    }
    let filename = docs::check_filename(up.filename).map_err(|e| errs.push(e)).ok();
    let (Some(kind), Some(filename)) = (kind, filename) else { return Err(AppError::Validation(errs)) };
    if let Some(deadline) = deadline {
        let mut requested = Vec::new();
        for r in store::document_requests(conn, id)? {
            for k in r.kinds {
                if !requested.contains(&k) {
                    requested.push(k);
                }
            }
        }
        docs::check_requested(kind, &requested, deadline, baku_date(now)).map_err(|e| match e {
            docs::EvidenceRefusal::DeadlinePassed { deadline } => AppError::ReviewDeadlinePassed { deadline },
            docs::EvidenceRefusal::NotRequested { kind, requested } => {
                AppError::DocumentsNotRequested { kind, requested }
            }
        })?;
    }
    let content_type = docs::check_upload(up.declared, up.bytes).map_err(document_error)?;
    docs::check_extension(&filename, content_type.extensions(), content_type.mime())?;
    docs::check_count(store::documents(conn, id)?.len()).map_err(document_error)?;
    let sha256 = hex::encode(Sha256::digest(up.bytes));
    let at = now.naive_utc();
    let new = store::NewDocument {
        kind: kind.as_str(),
        content_type: content_type.mime(),
        filename: &filename,
        sha256: &sha256,
        bytes: up.bytes,
        added_after_submission: after_submission,
    };
    let doc_id = store::insert_document(conn, id, &new, &caller.sub, at)?;
    store::touch(conn, id, row.version, at)?;
    let mark = if after_submission { " added_after_submission" } else { "" };
    let entry = NewHistory {
        after: Some(format!("{doc_id} {} {} sha256:{sha256}{mark}", kind.as_str(), content_type.mime())),
        ..act.entry("upload_document", Role::Applicant)
    };
    store::append_history(conn, id, &entry, at)?;
    Ok((reload(conn, id)?, doc_id))
}

/// A document's description and bytes, for its readers (SPEC §14.2).
pub fn document(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    doc_id: &str,
) -> Result<(store::DocumentRow, Vec<u8>), AppError> {
    visible(conn, caller, id)?;
    store::document_bytes(conn, id, doc_id)?.ok_or(AppError::NotFound)
}

/// The owner removes a document from a draft.
pub fn delete_document(conn: &mut DbConnection, act: Act<'_>, doc_id: &str) -> Result<ApplicationRecord, AppError> {
    let Act { id, now, .. } = act;
    let row = act.target(conn, Permission::FileHqmApplications, HqmAction::DeleteDocument)?;
    if !store::delete_document(conn, id, doc_id)? {
        return Err(AppError::NotFound);
    }
    let at = now.naive_utc();
    store::touch(conn, id, row.version, at)?;
    let entry = NewHistory { before: Some(doc_id.to_owned()), ..act.entry("delete_document", Role::Applicant) };
    store::append_history(conn, id, &entry, at)?;
    reload(conn, id)
}

/// Moves `row` to `to` and writes the move to its history as `entry` (its
/// action, actor, role and reason), from the status it was read in (SPEC
/// §14.5: the trail holds every transition, with before and after).
pub(super) fn move_to(
    conn: &mut DbConnection,
    row: &ApplicationRow,
    to: HqmStatus,
    change: StatusChange,
    entry: NewHistory<'_>,
    at: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    store::set_status(conn, &row.id, row.version, to, change, at)?;
    let entry =
        NewHistory { before: Some(row.status.as_str().to_owned()), after: Some(to.as_str().to_owned()), ..entry };
    store::append_history(conn, &row.id, &entry, at)?;
    Ok(())
}

/// The owner submits a draft (SPEC §14.2): it needs a passport copy and a
/// proof of qualifications; the review deadline is the 20th business day
/// after the day of submission (SPEC §14.4), provisional when it reaches a
/// year whose holidays are not published (SPEC §16.4.4). The applicant is
/// told by e-mail.
pub fn submit(conn: &mut DbConnection, act: Act<'_>) -> Result<ApplicationRecord, AppError> {
    let row = act.target(conn, Permission::FileHqmApplications, HqmAction::Submit)?;
    let kinds: Vec<DocumentKind> = store::documents(conn, act.id)?.iter().map(|d| d.kind).collect();
    docs::check_submittable(kinds).map_err(AppError::Validation)?;
    check_version(&row, act.if_match)?;
    let cal = calendar(conn, baku_date(act.now))?;
    let deadline = app::review_deadline(act.now, &cal).map_err(calendar_error)?;
    let at = act.now.naive_utc();
    let change = StatusChange {
        submitted_at: Some(at),
        review_deadline: Some((deadline.date, deadline.provisional)),
        decided_at: None,
    };
    move_to(conn, &row, HqmStatus::UnderReview, change, act.entry("submit", Role::Applicant), at)?;
    let m = domain::messages::mail::hqm_submitted(language(&row), row.number, deadline.date, deadline.provisional);
    persistence::identity::enqueue(conn, None, "hqm_submitted", &row.email, &m, at)?;
    authorities::tell_queue(conn, &row, deadline.date, at)?;
    reload(conn, act.id)
}

/// The owner withdraws a draft or an application under review (SPEC §14.2).
pub fn withdraw(conn: &mut DbConnection, act: Act<'_>) -> Result<ApplicationRecord, AppError> {
    let row = act.target(conn, Permission::FileHqmApplications, HqmAction::Withdraw)?;
    check_version(&row, act.if_match)?;
    let entry = act.entry("withdraw", Role::Applicant);
    move_to(conn, &row, HqmStatus::Withdrawn, StatusChange::default(), entry, act.now.naive_utc())?;
    reload(conn, act.id)
}

/// The caller's authority, for an assessor's action.
fn authority(caller: &Caller) -> Result<Authority, AppError> {
    caller.may(Permission::AssessHqmApplications)?;
    caller.authority.ok_or(AppError::Forbidden { needs: vec![Role::Assessor] })
}

mod authorities;
mod review;
pub use authorities::*;
pub use review::*;
