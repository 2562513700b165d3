//! Problem details (RFC 9457) for every error the API gives (SPEC §7).
//!
//! Handlers and extractors return [`ApiError`]; the [`crate::middleware`]
//! layer renders it with the request's language, path and request id, and
//! turns any other error response (the framework's own) into a problem too.

use crate::i18n::{self, Lang};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use domain::campaign::CalendarRefusal;
use domain::role::Role;
use domain::status::{ForecastAction, ForecastStatus};
use domain::{FieldCode, FieldError, ValidationErrors};
use persistence::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One broken rule of a request (`errors[]` of a problem).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemFieldError {
    /// JSON path of the field, e.g. `lines[0].demand_foreigners`; a query
    /// parameter or header name for those.
    #[schema(example = "lines[0].demand_foreigners")]
    pub field: String,
    /// Stable machine code of the rule.
    #[schema(example = "exceeds_total")]
    pub code: String,
    /// The rule in the caller's language (`Accept-Language`: az, en, ru, tr).
    #[schema(example = "Must not exceed 3.")]
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[schema(example = "/problems/validation")]
    pub r#type: String,
    #[schema(example = "The request has invalid fields")]
    pub title: String,
    #[schema(example = 422, minimum = 400, maximum = 599)]
    pub status: u16,
    #[schema(example = "2 fields are invalid.")]
    pub detail: String,
    /// The path of the request.
    #[schema(example = "/api/v1/forecasts")]
    pub instance: String,
    /// The request id, also sent as `X-Request-Id`; quote it when reporting a problem.
    pub request_id: String,
    /// The rules the request broke (validation problems).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemFieldError>>,
    /// For transitions the status machine refuses: the forecast's status.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "submitted")]
    pub current_status: Option<String>,
    /// For transitions the status machine refuses: what the caller may do
    /// instead (`submit`, `start_review`, `return`, `accept`, `withdraw`,
    /// `edit`, `delete`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<String>>,
    /// For calendar refusals: the date that passed (or has not come).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<chrono::NaiveDate>,
    /// For stale `If-Match`: the current version (ETag without quotes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// For `forecast-exists`: the id of the employer's forecast for that year.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "0195a0c4-8f4e-7b1a-9c1e-2f0d3c4b5a69")]
    pub forecast_id: Option<String>,
    /// For `forecast-exists`: where that forecast is (also sent as `Location`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "/api/v1/forecasts/0195a0c4-8f4e-7b1a-9c1e-2f0d3c4b5a69")]
    pub location: Option<String>,
}

domain::wire_codes! {
    /// The kind of a problem: its `type` is `/problems/<slug>`. Each has one
    /// HTTP status ([`ProblemType::status`]) and its own title and detail in
    /// every language of the API ([`crate::i18n`]).
    pub enum ProblemType {
        Unauthorized => "unauthorized",
        Forbidden => "forbidden",
        NotFound => "not-found",
        MethodNotAllowed => "method-not-allowed",
        NotAcceptable => "not-acceptable",
        RequestTimeout => "request-timeout",
        TransitionNotAllowed => "transition-not-allowed",
        PlanActionNotAllowed => "plan-action-not-allowed",
        ApplicationActionNotAllowed => "application-action-not-allowed",
        WrongAuthority => "wrong-authority",
        UnsupportedFileType => "unsupported-file-type",
        ScoresIncomplete => "scores-incomplete",
        HolidayYearMissing => "holiday-year-missing",
        TooManyDocuments => "too-many-documents",
        PlanExists => "plan-exists",
        ForecastExists => "forecast-exists",
        QuotaNotApproved => "quota-not-approved",
        QuotaExhausted => "quota-exhausted",
        PermitConflict => "permit-conflict",
        PreconditionFailed => "precondition-failed",
        PayloadTooLarge => "payload-too-large",
        UnsupportedMediaType => "unsupported-media-type",
        BadRequest => "bad-request",
        Validation => "validation",
        IdempotencyKeyReused => "idempotency-key-reused",
        EmailNotConfirmed => "email-not-confirmed",
        CampaignNotOpen => "campaign-not-open",
        SubmissionDeadlinePassed => "submission-deadline-passed",
        CorrectionDeadlinePassed => "correction-deadline-passed",
        CommissionInputsDeadlinePassed => "commission-inputs-deadline-passed",
        ProposalDeadlinePassed => "proposal-deadline-passed",
        ApprovalDeadlinePassed => "approval-deadline-passed",
        PreconditionRequired => "precondition-required",
        RateLimited => "rate-limited",
        InternalError => "internal-error",
        ServiceUnavailable => "service-unavailable",
    }
}

impl ProblemType {
    /// The HTTP status every problem of this type has.
    pub fn status(self) -> StatusCode {
        match self {
            ProblemType::Unauthorized => StatusCode::UNAUTHORIZED,
            ProblemType::Forbidden | ProblemType::WrongAuthority => StatusCode::FORBIDDEN,
            ProblemType::NotFound => StatusCode::NOT_FOUND,
            ProblemType::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ProblemType::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            ProblemType::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ProblemType::TransitionNotAllowed
            | ProblemType::PlanActionNotAllowed
            | ProblemType::PlanExists
            | ProblemType::ForecastExists
            | ProblemType::CommissionInputsDeadlinePassed
            | ProblemType::QuotaNotApproved
            | ProblemType::QuotaExhausted
            | ProblemType::PermitConflict
            | ProblemType::ApplicationActionNotAllowed
            | ProblemType::ScoresIncomplete
            | ProblemType::HolidayYearMissing
            | ProblemType::TooManyDocuments => StatusCode::CONFLICT,
            ProblemType::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ProblemType::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ProblemType::UnsupportedMediaType | ProblemType::UnsupportedFileType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ProblemType::BadRequest => StatusCode::BAD_REQUEST,
            ProblemType::Validation
            | ProblemType::IdempotencyKeyReused
            | ProblemType::EmailNotConfirmed
            | ProblemType::CampaignNotOpen
            | ProblemType::SubmissionDeadlinePassed
            | ProblemType::CorrectionDeadlinePassed
            | ProblemType::ProposalDeadlinePassed
            | ProblemType::ApprovalDeadlinePassed => StatusCode::UNPROCESSABLE_ENTITY,
            ProblemType::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ProblemType::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ProblemType::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            ProblemType::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The `type` member of the problem document.
    pub fn uri(self) -> String {
        format!("/problems/{}", self.as_str())
    }
}

domain::wire_codes! {
    /// Why a bearer token is refused (401): named in the detail, e.g.
    /// "… (token_expired)", so the caller knows what to fix.
    pub enum AuthFailure {
        MissingToken => "missing_token",
        MalformedToken => "malformed_token",
        MissingClaim => "missing_claim",
        TokenExpired => "token_expired",
        TokenNotYetValid => "token_not_yet_valid",
        BadSignature => "bad_signature",
        WrongAlgorithm => "wrong_algorithm",
        WrongAudience => "wrong_audience",
        WrongIssuer => "wrong_issuer",
        EmployerWithoutValidTin => "employer_without_valid_tin",
        AssessorWithoutValidAuthority => "assessor_without_valid_authority",
    }
}

domain::wire_codes! {
    /// What could not be read of a malformed request (400); for the log,
    /// the detail says it to the caller.
    pub enum BadRequestKind {
        MalformedJson => "malformed_json",
        Payload => "payload",
        Multipart => "multipart",
        File => "file",
        Unreadable => "bad_request",
    }
}

/// The states of stored data that refuse a request with 409, beyond the
/// status machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    PlanExists,
    QuotaNotApproved,
    PermitConflict,
    /// An HQM application holds its 20 documents already.
    TooManyDocuments,
}

impl From<ConflictKind> for ProblemType {
    fn from(c: ConflictKind) -> ProblemType {
        match c {
            ConflictKind::PlanExists => ProblemType::PlanExists,
            ConflictKind::QuotaNotApproved => ProblemType::QuotaNotApproved,
            ConflictKind::PermitConflict => ProblemType::PermitConflict,
            ConflictKind::TooManyDocuments => ProblemType::TooManyDocuments,
        }
    }
}

/// The rules of a request's context that refuse it with 422, beyond its
/// fields and the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnprocessableKind {
    EmailNotConfirmed,
}

impl From<UnprocessableKind> for ProblemType {
    fn from(u: UnprocessableKind) -> ProblemType {
        match u {
            UnprocessableKind::EmailNotConfirmed => ProblemType::EmailNotConfirmed,
        }
    }
}

/// Where forecast `id` is.
pub fn forecast_location(id: &str) -> String {
    format!("/api/v1/forecasts/{id}")
}

/// Everything that can go wrong in a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized: {0}")]
    Unauthorized(AuthFailure),
    #[error("forbidden")]
    Forbidden { needs: Vec<Role> },
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("not acceptable")]
    NotAcceptable,
    #[error("transition not allowed")]
    Transition { current: ForecastStatus, allowed: Vec<ForecastAction> },
    #[error("HQM action not allowed")]
    HqmTransition { current: domain::hqm::application::HqmStatus, allowed: Vec<domain::hqm::application::HqmAction> },
    /// An assessor acting on a criterion of another authority (403).
    #[error("another authority's criterion")]
    WrongAuthority { needs: domain::hqm::criteria::Authority },
    /// An upload that is not PDF, JPEG or PNG (415).
    #[error("unsupported file type")]
    UnsupportedFileType,
    /// A decision before all six criteria are scored and with no objection (409).
    #[error("scores incomplete")]
    ScoresIncomplete { missing: Vec<domain::hqm::criteria::Criterion> },
    /// A count of business days needs a year whose holidays are unknown (409).
    #[error("holiday list of {year} missing")]
    HolidayYearMissing { year: i32 },
    #[error("plan action not allowed")]
    PlanTransition { current: domain::quota::PlanStatus, allowed: Vec<domain::quota::PlanAction> },
    #[error("conflict: {}", ProblemType::from(*.0))]
    Conflict(ConflictKind),
    /// A rule of the request's context refuses it (422).
    #[error("unprocessable: {}", ProblemType::from(*.0))]
    Unprocessable(UnprocessableKind),
    #[error("quota exhausted")]
    QuotaExhausted { activity: String },
    /// The employer has a forecast for that year already (SPEC §15.2).
    #[error("forecast exists")]
    ForecastExists { id: String },
    #[error("precondition required")]
    PreconditionRequired,
    #[error("precondition failed")]
    PreconditionFailed { current: i64 },
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    /// The body did not arrive within `BODY_TIMEOUT_SECS` (408).
    #[error("request body timed out")]
    RequestTimeout { seconds: u64 },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("bad request: {code}")]
    BadRequest { code: BadRequestKind, detail: String },
    #[error("validation failed")]
    Validation(ValidationErrors),
    /// The path or query string holds what no parameter may (400, naming
    /// each parameter in `errors`).
    #[error("bad request target")]
    BadTarget(ValidationErrors),
    #[error("idempotency key reused")]
    IdempotencyMismatch,
    #[error("calendar refusal")]
    Calendar(CalendarRefusal),
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// A store failure no rule names (a refused statement, a corrupt value, a
    /// broken setting): 500, with the store error as the source for the log.
    #[error("store failure")]
    Store(#[source] StoreError),
    /// The transaction lost a race: [`persistence::Db::write`] runs it again,
    /// and only when it keeps losing does this reach the caller (503).
    #[error("the transaction kept losing races")]
    Retry,
}

impl persistence::TxError for ApiError {
    fn is_retryable(&self) -> bool {
        matches!(self, ApiError::Retry)
    }

    fn breaks_connection(&self) -> bool {
        matches!(self, ApiError::Unavailable(_) | ApiError::Internal(_) | ApiError::Store(_))
    }
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, code: FieldCode) -> ApiError {
        ApiError::Validation(ValidationErrors(vec![FieldError::new(field, code)]))
    }

    /// The type of the problem this error is.
    pub fn problem_type(&self) -> ProblemType {
        match self {
            ApiError::Unauthorized(_) => ProblemType::Unauthorized,
            ApiError::Forbidden { .. } => ProblemType::Forbidden,
            ApiError::NotFound => ProblemType::NotFound,
            ApiError::MethodNotAllowed { .. } => ProblemType::MethodNotAllowed,
            ApiError::NotAcceptable => ProblemType::NotAcceptable,
            ApiError::Transition { .. } => ProblemType::TransitionNotAllowed,
            ApiError::PlanTransition { .. } => ProblemType::PlanActionNotAllowed,
            ApiError::HqmTransition { .. } => ProblemType::ApplicationActionNotAllowed,
            ApiError::WrongAuthority { .. } => ProblemType::WrongAuthority,
            ApiError::UnsupportedFileType => ProblemType::UnsupportedFileType,
            ApiError::ScoresIncomplete { .. } => ProblemType::ScoresIncomplete,
            ApiError::HolidayYearMissing { .. } => ProblemType::HolidayYearMissing,
            ApiError::PreconditionRequired => ProblemType::PreconditionRequired,
            ApiError::Conflict(c) => (*c).into(),
            ApiError::Unprocessable(u) => (*u).into(),
            ApiError::QuotaExhausted { .. } => ProblemType::QuotaExhausted,
            ApiError::ForecastExists { .. } => ProblemType::ForecastExists,
            ApiError::PreconditionFailed { .. } => ProblemType::PreconditionFailed,
            ApiError::PayloadTooLarge { .. } => ProblemType::PayloadTooLarge,
            ApiError::RequestTimeout { .. } => ProblemType::RequestTimeout,
            ApiError::UnsupportedMediaType => ProblemType::UnsupportedMediaType,
            ApiError::BadRequest { .. } | ApiError::BadTarget(_) => ProblemType::BadRequest,
            ApiError::Validation(_) => ProblemType::Validation,
            ApiError::IdempotencyMismatch => ProblemType::IdempotencyKeyReused,
            ApiError::Calendar(CalendarRefusal::NotOpen { .. }) => ProblemType::CampaignNotOpen,
            ApiError::Calendar(CalendarRefusal::SubmissionDeadlinePassed { .. }) => {
                ProblemType::SubmissionDeadlinePassed
            }
            ApiError::Calendar(CalendarRefusal::CorrectionDeadlinePassed { .. }) => {
                ProblemType::CorrectionDeadlinePassed
            }
            ApiError::Calendar(CalendarRefusal::CommissionInputsDeadlinePassed { .. }) => {
                ProblemType::CommissionInputsDeadlinePassed
            }
            ApiError::Calendar(CalendarRefusal::ProposalDeadlinePassed { .. }) => ProblemType::ProposalDeadlinePassed,
            ApiError::Calendar(CalendarRefusal::ApprovalDeadlinePassed { .. }) => ProblemType::ApprovalDeadlinePassed,
            ApiError::TooManyRequests { .. } => ProblemType::RateLimited,
            ApiError::Unavailable(_) | ApiError::Retry => ProblemType::ServiceUnavailable,
            ApiError::Internal(_) | ApiError::Store(_) => ProblemType::InternalError,
        }
    }

    /// The problem document of this error, in `lang`.
    pub fn to_problem(&self, lang: Lang, instance: &str, request_id: &str) -> Problem {
        let kind = self.problem_type();
        let mut p = Problem {
            r#type: kind.uri(),
            title: i18n::title(kind, lang).to_owned(),
            status: kind.status().as_u16(),
            detail: String::new(),
            instance: instance.to_owned(),
            request_id: request_id.to_owned(),
            errors: None,
            current_status: None,
            allowed_actions: None,
            deadline: None,
            current_version: None,
            forecast_id: None,
            location: None,
        };
        let detail = i18n::detail(kind, lang);
        p.detail = match self {
            ApiError::Validation(errs) | ApiError::BadTarget(errs) => {
                let list: Vec<ProblemFieldError> = errs
                    .0
                    .iter()
                    .map(|e| ProblemFieldError {
                        field: e.field.clone(),
                        code: e.code.as_str().to_owned(),
                        message: i18n::field_message(e, lang),
                    })
                    .collect();
                let d = i18n::count_detail(list.len(), lang);
                p.errors = Some(list);
                d
            }
            ApiError::Transition { current, allowed } => {
                let actions: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
                p.current_status = Some(current.as_str().to_owned());
                p.allowed_actions = Some(actions.iter().map(|a| (*a).to_owned()).collect());
                i18n::status_detail(detail, current.as_str(), &actions)
            }
            ApiError::PlanTransition { current, allowed } => {
                let actions: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
                p.current_status = Some(current.as_str().to_owned());
                p.allowed_actions = Some(actions.iter().map(|a| (*a).to_owned()).collect());
                i18n::status_detail(detail, current.as_str(), &actions)
            }
            ApiError::Calendar(r) => {
                let (CalendarRefusal::NotOpen { opens_on: d }
                | CalendarRefusal::SubmissionDeadlinePassed { deadline: d }
                | CalendarRefusal::CorrectionDeadlinePassed { deadline: d }
                | CalendarRefusal::CommissionInputsDeadlinePassed { deadline: d }
                | CalendarRefusal::ProposalDeadlinePassed { deadline: d }
                | CalendarRefusal::ApprovalDeadlinePassed { deadline: d }) = *r;
                p.deadline = Some(d);
                detail.replace("{date}", &d.to_string())
            }
            ApiError::QuotaExhausted { activity } => detail.replace("{activity}", activity),
            ApiError::HqmTransition { current, allowed } => {
                let actions: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
                p.current_status = Some(current.as_str().to_owned());
                p.allowed_actions = Some(actions.iter().map(|a| (*a).to_owned()).collect());
                i18n::status_detail(detail, current.as_str(), &actions)
            }
            ApiError::WrongAuthority { needs } => detail.replace("{authority}", needs.as_str()),
            ApiError::ScoresIncomplete { missing } => {
                let list: Vec<&str> = missing.iter().map(|c| c.as_str()).collect();
                detail.replace("{missing}", &list.join(", "))
            }
            ApiError::HolidayYearMissing { year } => detail.replace("{year}", &year.to_string()),
            ApiError::ForecastExists { id } => {
                p.forecast_id = Some(id.clone());
                p.location = Some(forecast_location(id));
                detail.replace("{id}", id)
            }
            ApiError::PreconditionFailed { current } => {
                p.current_version = Some(*current);
                detail.replace("{version}", &current.to_string())
            }
            ApiError::Forbidden { needs } => {
                let roles: Vec<&str> = needs.iter().map(|r| r.as_str()).collect();
                detail.replace("{roles}", &roles.join(", "))
            }
            ApiError::MethodNotAllowed { allow } => detail.replace("{allow}", allow),
            ApiError::PayloadTooLarge { limit } => detail.replace("{limit}", &limit.to_string()),
            ApiError::RequestTimeout { seconds } => detail.replace("{seconds}", &seconds.to_string()),
            ApiError::TooManyRequests { retry_after } => detail.replace("{seconds}", &retry_after.to_string()),
            ApiError::BadRequest { detail, .. } => detail.clone(),
            ApiError::Unauthorized(reason) => format!("{detail} ({reason})"),
            ApiError::Internal(_) | ApiError::Store(_) | ApiError::Unavailable(_) | ApiError::Retry => {
                detail.replace("{request_id}", request_id)
            }
            ApiError::NotFound
            | ApiError::NotAcceptable
            | ApiError::Conflict(_)
            | ApiError::Unprocessable(_)
            | ApiError::PreconditionRequired
            | ApiError::UnsupportedMediaType
            | ApiError::UnsupportedFileType
            | ApiError::IdempotencyMismatch => detail.to_owned(),
        };
        p
    }

    /// Renders the full response: problem body plus the headers the status needs.
    pub fn render(&self, lang: Lang, instance: &str, request_id: &str) -> HttpResponse {
        let problem = self.to_problem(lang, instance, request_id);
        let mut b = HttpResponse::build(self.status_code());
        b.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        b.insert_header((header::CONTENT_LANGUAGE, lang.as_str()));
        match self {
            ApiError::Unauthorized(_) => {
                b.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"quota-api\", error=\"invalid_token\""));
            }
            ApiError::MethodNotAllowed { allow } => {
                b.insert_header((header::ALLOW, allow.clone()));
            }
            ApiError::ForecastExists { id } => {
                b.insert_header((header::LOCATION, forecast_location(id)));
            }
            ApiError::TooManyRequests { retry_after } => {
                b.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unavailable(_) | ApiError::Retry => {
                b.insert_header((header::RETRY_AFTER, "2"));
            }
            // The rest of the body is not read: the connection cannot carry
            // another request.
            ApiError::RequestTimeout { .. } => {
                b.insert_header((header::CONNECTION, "close"));
            }
            _ => {}
        }
        // A problem document is plain data; should it ever fail to serialise,
        // the client still gets a problem document, not an empty body.
        b.body(serde_json::to_string(&problem).unwrap_or_else(|e| {
            tracing::error!(error = %e, "problem document not serialisable");
            r#"{"type":"about:blank","title":"Internal Server Error","status":500}"#.to_owned()
        }))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.problem_type().status()
    }

    /// A plain rendering; the middleware replaces it with the localized one
    /// that carries the request's path and id.
    fn error_response(&self) -> HttpResponse {
        self.render(Lang::En, "", "")
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Validation(ValidationErrors(vec![e]))
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        ApiError::Validation(e)
    }
}

impl From<domain::status::TransitionError> for ApiError {
    fn from(e: domain::status::TransitionError) -> Self {
        match e {
            domain::status::TransitionError::Forbidden { needs } => ApiError::Forbidden { needs: vec![needs] },
            domain::status::TransitionError::NotAllowed { current, allowed } => {
                ApiError::Transition { current, allowed }
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::IdempotencyMismatch => ApiError::IdempotencyMismatch,
            StoreError::Unavailable(m) => ApiError::Unavailable(m),
            StoreError::Retry => ApiError::Retry,
            e @ (StoreError::Corrupt { .. }
            | StoreError::Database(_)
            | StoreError::Config(_)
            | StoreError::Internal(_)) => ApiError::Store(e),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn problem_slugs_are_unique_kebab_case_and_each_is_an_error_status() {
        let mut seen = HashSet::new();
        for t in ProblemType::ALL {
            let s = t.as_str();
            assert!(seen.insert(s), "{s} is the slug of two problem types");
            assert!(
                !s.is_empty()
                    && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    && !s.starts_with('-')
                    && !s.ends_with('-')
                    && !s.contains("--"),
                "{s} is not kebab-case"
            );
            assert!(t.status().is_client_error() || t.status().is_server_error(), "{s}");
        }
    }

    #[test]
    fn auth_failures_are_unique_snake_case() {
        let all: HashSet<&str> = AuthFailure::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(all.len(), AuthFailure::ALL.len());
        assert!(all.iter().all(|a| a.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
    }

    #[test]
    fn a_refused_plan_action_speaks_of_the_plan_in_every_language() {
        let e = ApiError::PlanTransition {
            current: domain::quota::PlanStatus::Approved,
            allowed: vec![domain::quota::PlanAction::EditApproved],
        };
        for lang in Lang::ALL {
            let p = e.to_problem(*lang, "/api/v1/quota-plans/2027/propose", "r");
            assert_eq!(p.r#type, "/problems/plan-action-not-allowed");
            assert_eq!(p.status, 409);
            assert!(p.detail.contains("approved") && p.detail.contains("edit_approved"), "{}", p.detail);
            let lower = p.detail.to_lowercase();
            for forecast in ["forecast", "proqnoz", "прогноз"] {
                assert!(!lower.contains(forecast), "{lang:?}: {}", p.detail);
            }
        }
    }
}
