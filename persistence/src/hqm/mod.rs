//! Highly Qualified Migrant applications (SPEC §14): rows and queries for the
//! applications, their documents, scores, objections, history and decision.
//! Every function runs inside the caller's transaction; who may call it is
//! the use case's question, never asked here.

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{
    hqm_applications as a, hqm_decisions as dc, hqm_document_requests as rq, hqm_documents as doc, hqm_history as h,
    hqm_objections as o, hqm_scores as s,
};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::hqm::applicant::{CefrLevel, EducationLevel};
use domain::hqm::application::{ApplicationData, HqmStatus, Outcome};
use domain::hqm::criteria::{Authority, Criterion};
use domain::hqm::documents::{ContentType, DocumentKind};
use domain::role::Role;
use domain::Lang;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = a)]
pub struct ApplicationRow {
    pub number: i64,
    pub id: String,
    pub owner: String,
    pub status: HqmStatus,
    pub version: i64,
    pub language: Lang,
    pub given_name: String,
    pub surname: String,
    pub citizenship: String,
    pub date_of_birth: NaiveDate,
    pub passport_number: String,
    pub email: String,
    pub occupation_code: String,
    pub occupation_title: String,
    pub experience_years: Option<i32>,
    pub experience_summary: Option<String>,
    pub education_level: Option<EducationLevel>,
    pub education_institution: Option<String>,
    pub language_certificates: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub review_deadline: Option<NaiveDate>,
    pub decided_at: Option<NaiveDateTime>,
    /// The deadline was counted into a year without a published holiday
    /// list (SPEC §16.4.4).
    pub review_deadline_provisional: bool,
    /// ISO 639-1 (SPEC §16.4.6).
    pub education_study_language: Option<String>,
    pub education_degree: Option<String>,
    /// ISO 3166-1 alpha-2 (SPEC §16.4.6).
    pub education_country: Option<String>,
    pub education_accredited: Option<bool>,
}

impl ApplicationRow {
    /// The language certificates as stored: `[{name, level, expires_on}]`.
    /// Stored text that is not that is [`StoreError::Corrupt`], never read
    /// as no certificates.
    pub fn certificates(&self) -> Result<Vec<CertificateRow>, StoreError> {
        let corrupt = || StoreError::Corrupt {
            column: "hqm_applications.language_certificates",
            value: self.language_certificates.clone(),
        };
        serde_json::from_str::<Vec<CertificateRow>>(&self.language_certificates).map_err(|_| corrupt())
    }
}

/// One language certificate as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct CertificateRow {
    pub name: String,
    pub level: CefrLevel,
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
}

/// A document's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = doc)]
pub struct DocumentRow {
    pub id: String,
    pub kind: DocumentKind,
    pub content_type: ContentType,
    pub filename: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: NaiveDateTime,
    /// Added while the application was under review, on an officer's
    /// request (SPEC §16.4.1).
    pub added_after_submission: bool,
}

/// An officer's request for documents (SPEC §16.4.1), as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRequest {
    pub id: String,
    /// The kinds asked for, in the order named.
    pub kinds: Vec<DocumentKind>,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = s)]
pub struct ScoreRow {
    pub criterion: Criterion,
    pub authority: Authority,
    pub points: i32,
    pub justification: String,
    pub scored_by: String,
    pub scored_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = o)]
pub struct ObjectionRow {
    pub id: String,
    pub authority: Authority,
    pub reason: String,
    pub raised_by: String,
    pub raised_at: NaiveDateTime,
    pub withdrawn_by: Option<String>,
    pub withdrawn_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = h)]
pub struct HistoryRow {
    pub action: String,
    pub actor: String,
    pub role: Role,
    pub authority: Option<Authority>,
    pub criterion: Option<Criterion>,
    pub value_before: Option<String>,
    pub value_after: Option<String>,
    pub reason: Option<String>,
    pub at: NaiveDateTime,
}

/// An entry to append to an application's history.
#[derive(Debug, Clone, Default, Insertable)]
#[diesel(table_name = h)]
pub struct NewHistory<'a> {
    pub action: &'a str,
    pub actor: &'a str,
    pub role: &'a str,
    pub authority: Option<&'a str>,
    pub criterion: Option<&'a str>,
    #[diesel(column_name = value_before)]
    pub before: Option<String>,
    #[diesel(column_name = value_after)]
    pub after: Option<String>,
    pub reason: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = dc)]
pub struct DecisionRow {
    pub number: String,
    pub application_id: String,
    pub outcome: Outcome,
    pub total: i32,
    pub decided_at: NaiveDateTime,
    pub late: bool,
    pub verification_code: String,
    pub content: String,
    pub signature: String,
    pub key_id: String,
}

/// An application with everything its JSON shows.
#[derive(Debug, Clone)]
pub struct ApplicationRecord {
    pub row: ApplicationRow,
    /// The language certificates, read from the row.
    pub certificates: Vec<CertificateRow>,
    pub documents: Vec<DocumentRow>,
    /// The officers' requests for documents, oldest first (SPEC §16.4.1).
    pub requests: Vec<DocumentRequest>,
    pub scores: Vec<ScoreRow>,
    /// Objections standing (not withdrawn), oldest first.
    pub objections: Vec<ObjectionRow>,
    pub decision: Option<DecisionRow>,
}

/// The columns of an application that its applicant writes (SPEC §14.2):
/// the same for a new draft and for every replacement.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = a)]
#[diesel(treat_none_as_null = true)]
struct DataColumns<'a> {
    language: &'a str,
    given_name: &'a str,
    surname: &'a str,
    citizenship: &'a str,
    date_of_birth: NaiveDate,
    passport_number: &'a str,
    email: &'a str,
    occupation_code: &'a str,
    occupation_title: &'a str,
    experience_years: Option<i32>,
    experience_summary: Option<&'a str>,
    education_level: Option<&'a str>,
    education_institution: Option<&'a str>,
    education_study_language: Option<&'a str>,
    education_degree: Option<&'a str>,
    education_country: Option<&'a str>,
    education_accredited: Option<bool>,
    language_certificates: String,
}

impl<'a> DataColumns<'a> {
    fn of(d: &'a ApplicationData) -> Self {
        DataColumns {
            language: d.language.as_str(),
            given_name: &d.applicant.given_name,
            surname: &d.applicant.surname,
            citizenship: d.applicant.citizenship.as_str(),
            date_of_birth: d.applicant.date_of_birth,
            passport_number: d.applicant.passport_number.as_str(),
            email: &d.applicant.email,
            occupation_code: d.field.occupation_code.as_str(),
            occupation_title: &d.field.occupation_title,
            experience_years: d.experience_years.map(i32::from),
            experience_summary: d.experience_summary.as_deref(),
            education_level: d.education.as_ref().map(|e| e.level.as_str()),
            education_institution: d.education.as_ref().map(|e| e.institution.as_str()),
            education_study_language: d.education.as_ref().and_then(|e| e.study_language.as_deref()),
            education_degree: d.education.as_ref().and_then(|e| e.degree.as_deref()),
            education_country: d.education.as_ref().and_then(|e| e.country.as_deref()),
            education_accredited: d.education.as_ref().and_then(|e| e.accredited),
            language_certificates: certificates_json(d),
        }
    }
}

fn certificates_json(data: &ApplicationData) -> String {
    let list: Vec<serde_json::Value> = data
        .language_certificates
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name, "level": c.level.as_str(),
                "expires_on": c.expires_on.map(|d| d.to_string()),
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// A new draft owned by `owner` (the applicant's `sub`).
pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    owner: &str,
    d: &ApplicationData,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(a::table)
        .values((
            (
                a::id.eq(id),
                a::owner.eq(owner),
                a::status.eq(HqmStatus::Draft.as_str()),
                a::version.eq(1_i64),
                a::created_at.eq(now),
                a::updated_at.eq(now),
            ),
            DataColumns::of(d),
        ))
        .execute(conn)
        .map_err(crate::error::lost_a_race)?;
    Ok(())
}

fn write_data(conn: &mut DbConnection, id: &str, d: &ApplicationData) -> Result<(), StoreError> {
    diesel::update(a::table.filter(a::id.eq(id))).set(DataColumns::of(d)).execute(conn)?;
    Ok(())
}

/// The application `id`, whoever owns it.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<ApplicationRow>, StoreError> {
    Ok(a::table.filter(a::id.eq(id)).select(ApplicationRow::as_select()).first(conn).optional()?)
}

/// The application with its documents, scores, standing objections and decision.
pub fn record(conn: &mut DbConnection, row: ApplicationRow) -> Result<ApplicationRecord, StoreError> {
    let id = row.id.clone();
    Ok(ApplicationRecord {
        certificates: row.certificates()?,
        documents: documents(conn, &id)?,
        requests: document_requests(conn, &id)?,
        scores: scores(conn, &id)?,
        objections: standing_objections(conn, &id)?,
        decision: decision_of(conn, &id)?,
        row,
    })
}

/// Bumps the version of an application read at `version` (its `ETag`); a
/// concurrent change in between makes the transaction run again.
pub fn touch(conn: &mut DbConnection, id: &str, version: i64, now: NaiveDateTime) -> Result<(), StoreError> {
    let n = diesel::update(a::table.filter(a::id.eq(id)).filter(a::version.eq(version)))
        .set((a::version.eq(version + 1), a::updated_at.eq(now)))
        .execute(conn)?;
    crate::error::one_changed(n)
}

/// Replaces the data of a draft read at `version`.
pub fn replace(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    data: &ApplicationData,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    touch(conn, id, version, now)?;
    write_data(conn, id, data)
}

/// Deletes a draft read at `version`, with its documents; its history stays.
pub fn delete(conn: &mut DbConnection, id: &str, version: i64) -> Result<(), StoreError> {
    let n = diesel::delete(a::table.filter(a::id.eq(id)).filter(a::version.eq(version))).execute(conn)?;
    crate::error::one_changed(n)
}

/// What a status change sets besides the status.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusChange {
    pub submitted_at: Option<NaiveDateTime>,
    /// The review deadline, and whether it is provisional (SPEC §16.4.4).
    pub review_deadline: Option<(NaiveDate, bool)>,
    pub decided_at: Option<NaiveDateTime>,
}

/// Moves an application read at `version` to `to`, in one statement (the
/// table's checks tie the status to the submission and decision times).
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    to: HqmStatus,
    change: StatusChange,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let row = find(conn, id)?.ok_or(StoreError::NotFound)?;
    let n = diesel::update(a::table.filter(a::id.eq(id)).filter(a::version.eq(version)))
        .set((
            a::status.eq(to.as_str()),
            a::version.eq(version + 1),
            a::updated_at.eq(now),
            a::submitted_at.eq(change.submitted_at.or(row.submitted_at)),
            a::review_deadline.eq(change.review_deadline.map(|d| d.0).or(row.review_deadline)),
            a::review_deadline_provisional.eq(change.review_deadline.map_or(row.review_deadline_provisional, |d| d.1)),
            a::decided_at.eq(change.decided_at.or(row.decided_at)),
        ))
        .execute(conn)?;
    crate::error::one_changed(n)
}

/// Sets the review deadline of an application read at `version`, and
/// whether it is provisional (SPEC §14.4, §16.4.4).
pub fn set_deadline(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    deadline: NaiveDate,
    provisional: bool,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    touch(conn, id, version, now)?;
    diesel::update(a::table.filter(a::id.eq(id)))
        .set((a::review_deadline.eq(Some(deadline)), a::review_deadline_provisional.eq(provisional)))
        .execute(conn)?;
    Ok(())
}

/// Every application under review, oldest first: those whose deadline a
/// change of the holiday calendar may move (SPEC §16.4.4).
pub fn under_review(conn: &mut DbConnection) -> Result<Vec<ApplicationRow>, StoreError> {
    Ok(a::table
        .filter(a::status.eq(HqmStatus::UnderReview.as_str()))
        .order(a::number.asc())
        .select(ApplicationRow::as_select())
        .load(conn)?)
}

/// When the review of an application was extended, in order (its history's
/// `extend` entries): what a recount replays (SPEC §16.4.4).
pub fn extension_times(conn: &mut DbConnection, application_id: &str) -> Result<Vec<NaiveDateTime>, StoreError> {
    Ok(h::table
        .filter(h::application_id.eq(application_id))
        .filter(h::action.eq("extend"))
        .order(h::seq.asc())
        .select(h::at)
        .load(conn)?)
}

/// The documents of an application, oldest first, without their bytes.
pub fn documents(conn: &mut DbConnection, application_id: &str) -> Result<Vec<DocumentRow>, StoreError> {
    Ok(doc::table
        .filter(doc::application_id.eq(application_id))
        .order((doc::uploaded_at.asc(), doc::id.asc()))
        .select(DocumentRow::as_select())
        .load(conn)?)
}

/// A new document, as checked by the domain.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub kind: &'a str,
    pub content_type: &'a str,
    pub filename: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
    /// Added under review, on request (SPEC §16.4.1).
    pub added_after_submission: bool,
}

/// Stores a document of an application; returns its id.
pub fn insert_document(
    conn: &mut DbConnection,
    application_id: &str,
    d: &NewDocument<'_>,
    by: &str,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let id = crate::new_id();
    diesel::insert_into(doc::table)
        .values((
            doc::id.eq(&id),
            doc::application_id.eq(application_id),
            doc::kind.eq(d.kind),
            doc::content_type.eq(d.content_type),
            doc::filename.eq(d.filename),
            doc::size.eq(i64::try_from(d.bytes.len()).unwrap_or(i64::MAX)),
            doc::sha256.eq(d.sha256),
            doc::bytes.eq(d.bytes),
            doc::uploaded_at.eq(now),
            doc::uploaded_by.eq(by),
            doc::added_after_submission.eq(d.added_after_submission),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The requests for documents of an application, oldest first (SPEC §16.4.1).
/// A stored code that is no kind is [`StoreError::Corrupt`].
pub fn document_requests(conn: &mut DbConnection, application_id: &str) -> Result<Vec<DocumentRequest>, StoreError> {
    let rows: Vec<(String, String, String, String, NaiveDateTime)> = rq::table
        .filter(rq::application_id.eq(application_id))
        .order((rq::requested_at.asc(), rq::id.asc()))
        .select((rq::id, rq::kinds, rq::reason, rq::requested_by, rq::requested_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, kinds, reason, requested_by, requested_at)| {
            let kinds = kinds
                .split(',')
                .map(|k| crate::error::stored("hqm_document_requests.kinds", k, DocumentKind::parse))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(DocumentRequest { id, kinds, reason, requested_by, requested_at })
        })
        .collect()
}

/// Records an officer's request for documents of `kinds`; returns its id.
pub fn insert_document_request(
    conn: &mut DbConnection,
    application_id: &str,
    kinds: &[DocumentKind],
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let id = crate::new_id();
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    diesel::insert_into(rq::table)
        .values((
            rq::id.eq(&id),
            rq::application_id.eq(application_id),
            rq::kinds.eq(kinds.join(",")),
            rq::reason.eq(reason),
            rq::requested_by.eq(by),
            rq::requested_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// One document's description and bytes.
pub fn document_bytes(
    conn: &mut DbConnection,
    application_id: &str,
    doc_id: &str,
) -> Result<Option<(DocumentRow, Vec<u8>)>, StoreError> {
    let found: Option<(DocumentRow, Vec<u8>)> = doc::table
        .filter(doc::application_id.eq(application_id))
        .filter(doc::id.eq(doc_id))
        .select((DocumentRow::as_select(), doc::bytes))
        .first(conn)
        .optional()?;
    Ok(found)
}

/// Deletes one document; false when the application has no such document.
pub fn delete_document(conn: &mut DbConnection, application_id: &str, doc_id: &str) -> Result<bool, StoreError> {
    let n = diesel::delete(doc::table.filter(doc::application_id.eq(application_id)).filter(doc::id.eq(doc_id)))
        .execute(conn)?;
    Ok(n > 0)
}

mod authorities;
mod review;
pub use authorities::*;
pub use review::*;
