//! Highly Qualified Migrant applications (SPEC §14.6): the applicant's
//! filing, the authorities' scores and objections, the officer's extension
//! and decision, the signed decision document and its public check.

use crate::auth::Caller;
use crate::dto::{
    BinaryFile, FileUpload, HqmApplication, HqmApplicationInput, HqmApplicationSummary, HqmCriteria, HqmCriterion,
    HqmDecisionCheck, HqmDecisionDocument, HqmDocument, HqmDocumentRequestInput, HqmHistoryEntry, HqmJwk, HqmPublicKey,
    HqmReasonInput, HqmScoreInput, Paged,
};
use crate::extract::{ActionHeaders, ChangeHeaders, FileBody, IdempotencyKey, IfMatch, JsonBody, PageParams, Query};
use crate::handler::{Action, Id, Reply, State, Stepped, TwoSegments};
use crate::problem::HttpError;
use crate::respond::{json_with_etag, stored};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use application::hqm::{self as uc, ListQuery, Upload};
use application::AppError;
use domain::hqm::application::{HqmStatus, HqmStatusText};
use domain::hqm::criteria::{Authority, AuthorityText, Criterion, CriterionText, MAX_TOTAL, THRESHOLD};
use domain::hqm::documents::DocumentKindText;
use domain::lang::Lang;
use domain::FieldCode;
use serde::Deserialize;
use utoipa::IntoParams;

/// Where application `id` is: the path of [`get`].
fn location(id: &str) -> String {
    crate::handler::location::<__path_get>(&[("id", id)])
}

/// The `ETag` and body of an application answered from a transaction.
fn answer(
    status: StatusCode,
    rec: &persistence::hqm::ApplicationRecord,
    now: chrono::DateTime<chrono::Utc>,
    location: Option<String>,
) -> Result<persistence::idempotency::StoredResponse, AppError> {
    stored(status, &HqmApplication::new(rec, now), location, Some(rec.row.version))
}

/// File an application
///
/// Applicant: creates a draft with the personal data, the field of expertise
/// (an occupation of the classification, code and title), experience,
/// education and language certificates, in `az`, `tr`, `en` or `ru`. Send an
/// `Idempotency-Key` so a retry never files twice.
#[utoipa::path(
    post, path = "/api/v1/hqm-applications", operation_id = "create_hqm_application", tag = "hqm",
    request_body = HqmApplicationInput,
    params(IdempotencyKey),
    responses((status = 201, description = "Created; `Location` and `ETag` are set", body = HqmApplication,
        headers(("Location" = String, description = "The new application"), ("ETag" = String, description = "Its version")))),
)]
pub async fn create(
    state: State,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: JsonBody<HqmApplicationInput>,
) -> Reply {
    let input = body.value;
    let c = caller.clone();
    state
        .idempotent(&req, &caller, key, &body.raw, move |conn, now| {
            let rec = uc::create(conn, &c, &input, now)?;
            answer(StatusCode::CREATED, &rec, now, Some(location(&rec.row.id)))
        })
        .await
}

/// Filters of the list (SPEC §14.6).
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HqmListParams {
    /// `draft`, `under_review`, `recognised`, `refused` or `withdrawn`.
    #[param(inline)]
    pub status: Option<HqmStatusText>,
    /// An authority's queue: applications under review with a criterion of
    /// that authority not scored yet (`sectoral`, `economy`, `education`, `sms`, `labour`).
    #[param(inline)]
    pub authority: Option<AuthorityText>,
    /// What waits for an authority (SPEC §16.4.2): the same queue as
    /// `authority`, oldest deadline first.
    #[param(inline)]
    pub pending_authority: Option<AuthorityText>,
    /// `true`: under review past the deadline; `false`: all others.
    pub overdue: Option<bool>,
}

/// List applications
///
/// The applications list, sorted by review deadline (soonest first; drafts
/// last): an applicant sees their own; an assessor the applications under
/// review (its queue); officers, the Commission and admin all.
#[utoipa::path(
    get, path = "/api/v1/hqm-applications", operation_id = "list_hqm_applications", tag = "hqm",
    params(PageParams, HqmListParams),
    responses((status = 200, description = "A page of applications", body = Paged<HqmApplicationSummary>)),
)]
pub async fn list(state: State, caller: Caller, page: Query<PageParams>, q: Query<HqmListParams>) -> Reply {
    let (q, page) = (q.0, page.0.page()?);
    let mut errs = domain::ValidationErrors::default();
    let status = q.status.as_deref().and_then(|s| {
        let p = HqmStatus::parse(s);
        if p.is_none() {
            errs.push(domain::FieldError::new("status", FieldCode::Invalid).with("detail", s));
        }
        p
    });
    let mut authority_of = |field: &'static str, value: Option<&str>| {
        value.and_then(|s| {
            let p = Authority::parse(s);
            if p.is_none() {
                errs.push(domain::FieldError::new(field, FieldCode::Invalid).with("detail", s));
            }
            p
        })
    };
    let authority = authority_of("authority", q.authority.as_deref());
    let pending = authority_of("pending_authority", q.pending_authority.as_deref());
    if let (Some(a), Some(p)) = (authority, pending) {
        if a != p {
            errs.push(domain::FieldError::new("pending_authority", FieldCode::Invalid).with("detail", p.as_str()));
        }
    }
    let authority = authority.or(pending);
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let query = ListQuery { status, authority, overdue: q.overdue };
    let now = state.now();
    let (rows, total, extra) = state.read(move |conn| uc::list(conn, &caller, &query, page, now)).await?;
    let items = rows.iter().map(|r| HqmApplicationSummary::new(r, &extra.points, &extra.objections, now)).collect();
    Ok(HttpResponse::Ok().json(Paged::new(items, page, total)))
}

/// Read an application
///
/// The application with its scores, standing objections, documents and
/// decision; the `ETag` is its version. Owner, staff, and assessors once it
/// is submitted; another applicant's application is not found.
#[utoipa::path(
    get, path = "/api/v1/hqm-applications/{id}", operation_id = "get_hqm_application", tag = "hqm",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, description = "The application", body = HqmApplication, headers(("ETag" = String, description = "The version")))),
)]
pub async fn get(state: State, caller: Caller, id: Id) -> Reply {
    let id = id.into_inner();
    let rec = state.read(move |conn| uc::get(conn, &caller, &id)).await?;
    Ok(json_with_etag(StatusCode::OK, &HqmApplication::new(&rec, state.now()), rec.row.version))
}

/// Replace an application
///
/// Owner: replaces the data of a draft.
#[utoipa::path(
    put, path = "/api/v1/hqm-applications/{id}", operation_id = "replace_hqm_application", tag = "hqm",
    request_body = HqmApplicationInput,
    params(("id" = String, Path, description = "Application id"), ChangeHeaders),
    responses((status = 200, description = "Replaced", body = HqmApplication, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not a draft", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn replace(
    state: State,
    caller: Caller,
    id: Id,
    if_match: IfMatch,
    body: JsonBody<HqmApplicationInput>,
) -> Reply {
    let id = id.into_inner();
    let input = body.value;
    let now = state.now();
    let rec = state
        .write(move |conn| uc::replace(conn, uc::Act { caller: &caller, id: &id, if_match: if_match.0, now }, &input))
        .await?;
    Ok(json_with_etag(StatusCode::OK, &HqmApplication::new(&rec, now), rec.row.version))
}

/// Delete a draft
///
/// Owner: removes a draft with its documents (its history stays).
#[utoipa::path(
    delete, path = "/api/v1/hqm-applications/{id}", operation_id = "delete_hqm_application", tag = "hqm",
    params(("id" = String, Path, description = "Application id"), ChangeHeaders),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Not a draft", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn delete(state: State, caller: Caller, id: Id, if_match: IfMatch) -> Reply {
    let id = id.into_inner();
    let now = state.now();
    state.write(move |conn| uc::delete(conn, uc::Act { caller: &caller, id: &id, if_match: if_match.0, now })).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Where and what an upload is.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// `passport`, `qualification`, `income_statement`, `bank_statement` or `other`.
    #[param(value_type = DocumentKindText, inline)]
    pub kind: Option<String>,
    /// The file's name, kept for display (default: the kind).
    #[param(inline)]
    pub filename: Option<domain::hqm::documents::FilenameText>,
}

/// Upload a document
///
/// Owner: a passport copy, proof of qualifications or another document, as
/// PDF, JPEG or PNG (recognised by its bytes, which must be the declared
/// `Content-Type`), at most 10 MiB, 20 per application. Send it as the raw
/// body with its `Content-Type`, or as the part `file` of a form. Kept with
/// its size and SHA-256, never altered. Any kind to a draft; under review
/// only a kind an officer has requested (`request-documents`), until the end
/// of the review deadline's day, marked `added_after_submission`.
#[utoipa::path(
    post, path = "/api/v1/hqm-applications/{id}/documents", operation_id = "upload_hqm_document", tag = "hqm",
    params(("id" = String, Path, description = "Application id"), UploadParams,
        IdempotencyKey),
    request_body(content(
        (BinaryFile = "application/pdf"), (BinaryFile = "image/jpeg"), (BinaryFile = "image/png"),
        (FileUpload = "multipart/form-data")
    ), description = "The file (at most 10 MiB)"),
    responses(
        (status = 201, description = "Stored; `Location` names the document", body = HqmDocument,
            headers(("Location" = String, description = "The document"), ("ETag" = String, description = "The application's new version"))),
        (status = 409, description = "Neither a draft nor under review; under review, a kind not requested or the review deadline passed; or 20 documents already", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 10 MiB", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not PDF, JPEG or PNG", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn upload_document(
    state: State,
    req: HttpRequest,
    caller: Caller,
    id: Id,
    q: Query<UploadParams>,
    key: IdempotencyKey,
    body: FileBody,
) -> Reply {
    let id = id.into_inner();
    let q = q.0;
    let kind = q.kind.unwrap_or_default();
    // The query's name, else the multipart part's; without either the
    // kind stands in.
    let filename = body.name(q.filename.map(domain::value::Shaped::into_string), || {
        if kind.is_empty() {
            "document".into()
        } else {
            kind.clone()
        }
    });
    let declared = body.content_type.clone();
    let bytes = body.bytes.clone();
    let c = caller.clone();
    state
        .idempotent(&req, &caller, key, &body.bytes, move |conn, now| {
            let up = Upload { kind: &kind, filename: &filename, declared: declared.as_deref(), bytes: &bytes };
            let (rec, doc_id) = uc::upload(conn, uc::Act { caller: &c, id: &id, if_match: None, now }, &up)?;
            let doc = rec.documents.iter().find(|d| d.id == doc_id).map(HqmDocument::from);
            let at = crate::handler::location::<__path_get_document>(&[("id", &id), ("doc_id", &doc_id)]);
            stored(StatusCode::CREATED, &doc, Some(at), Some(rec.row.version))
        })
        .await
}

/// Download a document
///
/// The file as uploaded, with its media type; owner, staff, and assessors
/// once the application is submitted.
#[utoipa::path(
    get, path = "/api/v1/hqm-applications/{id}/documents/{doc_id}", operation_id = "get_hqm_document", tag = "hqm",
    params(("id" = String, Path, description = "Application id"), ("doc_id" = String, Path, description = "Document id")),
    responses((status = 200, description = "The file", content(
        (BinaryFile = "application/pdf"), (BinaryFile = "image/jpeg"), (BinaryFile = "image/png")),
        headers(("ETag" = String, description = "The SHA-256 of the bytes"), ("Content-Disposition" = String, description = "The file name")))),
)]
pub async fn get_document(state: State, caller: Caller, path: TwoSegments) -> Reply {
    let (id, doc_id) = path.into_inner();
    let (d, bytes) = state.read(move |conn| uc::document(conn, &caller, &id, &doc_id)).await?;
    Ok(crate::respond::stored_file(&d.filename, d.content_type.as_str(), &d.sha256, bytes))
}

/// Delete a document
///
/// Owner, draft only.
#[utoipa::path(
    delete, path = "/api/v1/hqm-applications/{id}/documents/{doc_id}", operation_id = "delete_hqm_document", tag = "hqm",
    params(("id" = String, Path, description = "Application id"), ("doc_id" = String, Path, description = "Document id")),
    responses((status = 200, description = "Deleted; the application", body = HqmApplication, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not a draft", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn delete_document(state: State, caller: Caller, path: TwoSegments) -> Reply {
    let (id, doc_id) = path.into_inner();
    let now = state.now();
    let rec = state
        .write(move |conn| {
            uc::delete_document(conn, uc::Act { caller: &caller, id: &id, if_match: None, now }, &doc_id)
        })
        .await?;
    Ok(json_with_etag(StatusCode::OK, &HqmApplication::new(&rec, now), rec.row.version))
}

/// Runs an applicant's step (`step`, a use case of one [`uc::Act`]) as one
/// transaction under the request's `Idempotency-Key`.
async fn applicant_step(
    action: Action,
    step: fn(&mut persistence::DbConnection, uc::Act<'_>) -> Result<persistence::hqm::ApplicationRecord, AppError>,
) -> Reply {
    action
        .run(b"", move |conn, caller, id, if_match, now| {
            let rec = step(conn, uc::Act { caller, id, if_match, now })?;
            answer(StatusCode::OK, &rec, now, None)
        })
        .await
}

/// Submit an application
///
/// Owner: draft → under_review, with a passport copy and a proof of
/// qualifications uploaded. The review deadline is the 20th business day
/// after the day of submission (Baku), counted over the holiday calendar.
#[utoipa::path(
    post, path = "/api/v1/hqm-applications/{id}/submit", operation_id = "submit_hqm_application", tag = "hqm",
    params(("id" = String, Path, description = "Application id"),
        ActionHeaders),
    responses(Stepped<HqmApplication>),
)]
pub async fn submit(action: Action) -> Reply {
    applicant_step(action, uc::submit).await
}

/// Withdraw an application
///
/// Owner: draft or under_review → withdrawn (final).
#[utoipa::path(
    post, path = "/api/v1/hqm-applications/{id}/withdraw", operation_id = "withdraw_hqm_application", tag = "hqm",
    params(("id" = String, Path, description = "Application id"),
        ActionHeaders),
    responses(Stepped<HqmApplication>),
)]
pub async fn withdraw(action: Action) -> Reply {
    applicant_step(action, uc::withdraw).await
}

/// Score a criterion
///
/// Assessor of the criterion's authority (token claim `authority`), while
/// the application is under review: a whole number within the criterion's
/// range (work_experience 0–35, national_priorities 0–20, education 0–15,
/// financial_stability 0–15, labour_market_impact 0–10, language_skills 0–5)
/// with a justification. Scoring again replaces the score, until the decision.
#[utoipa::path(
    put, path = "/api/v1/hqm-applications/{id}/scores/{criterion}", operation_id = "score_hqm_criterion", tag = "hqm",
    request_body = HqmScoreInput,
    params(("id" = String, Path, description = "Application id"),
        ("criterion" = inline(CriterionText), Path, description = "The criterion"),
        ChangeHeaders),
    responses((status = 200, description = "Scored; the application", body = HqmApplication, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not under review", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn score(
    state: State,
    caller: Caller,
    path: TwoSegments,
    if_match: IfMatch,
    body: JsonBody<HqmScoreInput>,
) -> Reply {
    let (id, criterion) = path.into_inner();
    let now = state.now();
    let input = body.value;
    let rec = state
        .write(move |conn| {
            let score = uc::ScoreInput {
                criterion: &criterion,
                points: input.points.get(),
                justification: &input.justification,
            };
            uc::score(conn, &caller, &id, &score, if_match.0, now)
        })
        .await?;
    Ok(json_with_etag(StatusCode::OK, &HqmApplication::new(&rec, now), rec.row.version))
}

/// Object
///
/// Assessor, while the application is under review: an objection of its
/// authority, with a reason. While it stands the applicant cannot be
/// recognised, and the officer may decide at once.
#[utoipa::path(
    post, path = "/api/v1/hqm-applications/{id}/objections", operation_id = "object_to_hqm_application", tag = "hqm",
    request_body = HqmReasonInput,
    params(("id" = String, Path, description = "Application id"),
        IdempotencyKey),
    responses((status = 201, description = "Raised; `Location` names the objection", body = HqmApplication,
            headers(("Location" = String, description = "The objection"), ("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not under review", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn object(
    state: State,
    req: HttpRequest,
    caller: Caller,
    id: Id,
    key: IdempotencyKey,
    body: JsonBody<HqmReasonInput>,
) -> Reply {
    let id = id.into_inner();
    let reason = body.value.reason;
    let c = caller.clone();
    state
        .idempotent(&req, &caller, key, &body.raw, move |conn, now| {
            let (rec, objection) = uc::object(conn, &c, &id, &reason, now)?;
            let at =
                crate::handler::location::<__path_withdraw_objection>(&[("id", &id), ("objection_id", &objection)]);
            answer(StatusCode::CREATED, &rec, now, Some(at))
        })
        .await
}

/// Withdraw an objection
///
/// Assessor of the authority that raised it, while the application is under review.
#[utoipa::path(
    delete, path = "/api/v1/hqm-applications/{id}/objections/{objection_id}", operation_id = "withdraw_hqm_objection", tag = "hqm",
    params(("id" = String, Path, description = "Application id"), ("objection_id" = String, Path, description = "Objection id")),
    responses((status = 200, description = "Withdrawn; the application", body = HqmApplication, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not under review", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn withdraw_objection(state: State, caller: Caller, path: TwoSegments) -> Reply {
    let (id, objection) = path.into_inner();
    let now = state.now();
    let rec = state.write(move |conn| uc::withdraw_objection(conn, &caller, &id, &objection, now)).await?;
    Ok(json_with_etag(StatusCode::OK, &HqmApplication::new(&rec, now), rec.row.version))
}

/// Extend the review
///
/// Officer: moves the review deadline to the 10th business day after the
/// later of the current deadline and today (Baku), for additional
/// investigation, with a reason; may be repeated. An overdue review is thus
/// extended from today, never to a day already past.
#[utoipa::path(
    post, path = "/api/v1/hqm-applications/{id}/extend", operation_id = "extend_hqm_review", tag = "hqm",
    request_body = HqmReasonInput,
    params(("id" = String, Path, description = "Application id"),
        ActionHeaders),
    responses((status = 200, description = "Extended; the application", body = HqmApplication, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not under review, or the holiday calendar of a year it needs is missing", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn extend(action: Action, body: JsonBody<HqmReasonInput>) -> Reply {
    let reason = body.value.reason;
    action
        .run(&body.raw, move |conn, caller, id, if_match, now| {
            let rec = uc::extend(conn, uc::Act { caller, id, if_match, now }, &reason)?;
            answer(StatusCode::OK, &rec, now, None)
        })
        .await
}

/// Ask for documents
///
/// Officer, while the application is under review: asks the applicant for
/// documents of the kinds named, with a reason (for additional
/// investigation). The applicant may then upload documents of those kinds
/// until the end of the review deadline's day (Baku); each is marked
/// `added_after_submission`. The request is in the history and the
/// applicant is told by e-mail in the application's language. May be repeated.
#[utoipa::path(
    post, path = "/api/v1/hqm-applications/{id}/request-documents", operation_id = "request_hqm_documents", tag = "hqm",
    request_body = HqmDocumentRequestInput,
    params(("id" = String, Path, description = "Application id"),
        ActionHeaders),
    responses(Stepped<HqmApplication>),
)]
pub async fn request_documents(action: Action, body: JsonBody<HqmDocumentRequestInput>) -> Reply {
    let value = body.value;
    let reason = value.reason.into_string();
    let kinds: Vec<String> = value.kinds.into_vec().into_iter().map(|k| k.into_string()).collect();
    action
        .run(&body.raw, move |conn, caller, id, if_match, now| {
            let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
            let rec = uc::request_documents(conn, uc::Act { caller, id, if_match, now }, &reason, &kinds)?;
            answer(StatusCode::OK, &rec, now, None)
        })
        .await
}

/// Decide
///
/// Officer, once all six criteria are scored or an objection stands:
/// `recognised` at 70 points or more with no objection, otherwise `refused`.
/// Produces the signed decision document and tells the applicant by e-mail
/// in the application's language. A decision after the deadline is flagged `late`.
#[utoipa::path(
    post, path = "/api/v1/hqm-applications/{id}/decide", operation_id = "decide_hqm_application", tag = "hqm",
    params(("id" = String, Path, description = "Application id"),
        ActionHeaders),
    responses((status = 200, description = "Decided; the application", body = HqmApplication, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not under review, or criteria not scored and no objection", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn decide(action: Action) -> Reply {
    let shared = action.state.clone();
    action
        .run(b"", move |conn, caller, id, if_match, now| {
            let rec = uc::decide(conn, uc::Act { caller, id, if_match, now }, &shared.signer)?;
            answer(StatusCode::OK, &rec, now, None)
        })
        .await
}

/// Read the history
///
/// Every transition, score, objection and extension, oldest first: actor,
/// role, authority, before and after, reason, time.
#[utoipa::path(
    get, path = "/api/v1/hqm-applications/{id}/history", operation_id = "get_hqm_history", tag = "hqm",
    params(("id" = String, Path, description = "Application id"), PageParams),
    responses((status = 200, description = "The trail", body = Paged<HqmHistoryEntry>)),
)]
pub async fn history(state: State, caller: Caller, id: Id, q: Query<PageParams>) -> Reply {
    let id = id.into_inner();
    let show = |r: &_| Ok::<_, HttpError>(HqmHistoryEntry::from(r));
    crate::handler::paged(&state, q, move |c, page| uc::history(c, &caller, &id, page), show).await
}

/// Whether `Accept` asks for the PDF rather than JSON.
fn wants_pdf(req: &HttpRequest) -> bool {
    let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else { return false };
    let q_of = |want: &str| {
        accept
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let range = it.next()?.trim().to_ascii_lowercase();
                (range == want).then(|| {
                    it.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0)
                })
            })
            .fold(0.0_f32, f32::max)
    };
    let pdf = q_of("application/pdf");
    pdf > 0.0 && pdf >= q_of("application/json")
}

mod authorities;
mod decision;
pub use authorities::*;
pub use decision::*;
