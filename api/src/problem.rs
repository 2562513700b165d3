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
use domain::{FieldError, ValidationErrors};
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
    /// The rule in the caller's language (`Accept-Language`: az, en, ru).
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
}

/// Everything that can go wrong in a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
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
    #[error("plan action not allowed")]
    PlanTransition { current: domain::quota::PlanStatus, allowed: Vec<domain::quota::PlanAction> },
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A rule of the request's context refuses it (422), named by `slug`.
    #[error("unprocessable: {0}")]
    Unprocessable(&'static str),
    #[error("quota exhausted")]
    QuotaExhausted { activity: String },
    #[error("precondition required")]
    PreconditionRequired,
    #[error("precondition failed")]
    PreconditionFailed { current: i64 },
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("bad request: {code}")]
    BadRequest { code: &'static str, detail: String },
    #[error("validation failed")]
    Validation(ValidationErrors),
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
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, code: &'static str) -> ApiError {
        ApiError::Validation(ValidationErrors(vec![FieldError::new(field, code)]))
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::NotFound => "not-found",
            ApiError::MethodNotAllowed { .. } => "method-not-allowed",
            ApiError::NotAcceptable => "not-acceptable",
            ApiError::Transition { .. } => "transition-not-allowed",
            ApiError::PlanTransition { .. } => "plan-action-not-allowed",
            ApiError::PreconditionRequired => "precondition-required",
            ApiError::Conflict(slug) | ApiError::Unprocessable(slug) => slug,
            ApiError::QuotaExhausted { .. } => "quota-exhausted",
            ApiError::PreconditionFailed { .. } => "precondition-failed",
            ApiError::PayloadTooLarge { .. } => "payload-too-large",
            ApiError::UnsupportedMediaType => "unsupported-media-type",
            ApiError::BadRequest { .. } => "bad-request",
            ApiError::Validation(_) => "validation",
            ApiError::IdempotencyMismatch => "idempotency-key-reused",
            ApiError::Calendar(CalendarRefusal::NotOpen { .. }) => "campaign-not-open",
            ApiError::Calendar(CalendarRefusal::SubmissionDeadlinePassed { .. }) => "submission-deadline-passed",
            ApiError::Calendar(CalendarRefusal::CorrectionDeadlinePassed { .. }) => "correction-deadline-passed",
            ApiError::Calendar(CalendarRefusal::ProposalDeadlinePassed { .. }) => "proposal-deadline-passed",
            ApiError::Calendar(CalendarRefusal::ApprovalDeadlinePassed { .. }) => "approval-deadline-passed",
            ApiError::TooManyRequests { .. } => "rate-limited",
            ApiError::Unavailable(_) => "service-unavailable",
            ApiError::Internal(_) => "internal-error",
        }
    }

    /// The problem document of this error, in `lang`.
    pub fn to_problem(&self, lang: Lang, instance: &str, request_id: &str) -> Problem {
        let slug = self.slug();
        let status = self.status_code().as_u16();
        let mut p = Problem {
            r#type: format!("/problems/{slug}"),
            title: i18n::title(slug, lang).to_owned(),
            status,
            detail: String::new(),
            instance: instance.to_owned(),
            request_id: request_id.to_owned(),
            errors: None,
            current_status: None,
            allowed_actions: None,
            deadline: None,
            current_version: None,
        };
        p.detail = match self {
            ApiError::Validation(errs) => {
                let list: Vec<ProblemFieldError> = errs
                    .0
                    .iter()
                    .map(|e| ProblemFieldError {
                        field: e.field.clone(),
                        code: e.code.to_owned(),
                        message: i18n::field_message(e, lang),
                    })
                    .collect();
                let d = i18n::count_detail(list.len(), lang);
                p.errors = Some(list);
                d
            }
            ApiError::Transition { current, allowed } => {
                p.current_status = Some(current.as_str().to_owned());
                p.allowed_actions = Some(allowed.iter().map(|a| a.as_str().to_owned()).collect());
                i18n::transition_detail(current.as_str(), &allowed.iter().map(|a| a.as_str()).collect::<Vec<_>>(), lang)
            }
            ApiError::Calendar(r) => {
                let (CalendarRefusal::NotOpen { opens_on: d }
                | CalendarRefusal::SubmissionDeadlinePassed { deadline: d }
                | CalendarRefusal::CorrectionDeadlinePassed { deadline: d }
                | CalendarRefusal::ProposalDeadlinePassed { deadline: d }
                | CalendarRefusal::ApprovalDeadlinePassed { deadline: d }) = *r;
                p.deadline = Some(d);
                i18n::detail(slug, lang).replace("{date}", &d.to_string())
            }
            ApiError::PlanTransition { current, allowed } => {
                p.current_status = Some(current.as_str().to_owned());
                p.allowed_actions = Some(allowed.iter().map(|a| a.as_str().to_owned()).collect());
                i18n::transition_detail(current.as_str(), &allowed.iter().map(|a| a.as_str()).collect::<Vec<_>>(), lang)
                    .replace("forecast", "plan")
            }
            ApiError::QuotaExhausted { activity } => i18n::detail(slug, lang).replace("{activity}", activity),
            ApiError::PreconditionFailed { current } => {
                p.current_version = Some(*current);
                i18n::detail(slug, lang).replace("{version}", &current.to_string())
            }
            ApiError::Forbidden { needs } => {
                let roles: Vec<&str> = needs.iter().map(|r| r.as_str()).collect();
                i18n::detail(slug, lang).replace("{roles}", &roles.join(", "))
            }
            ApiError::MethodNotAllowed { allow } => i18n::detail(slug, lang).replace("{allow}", allow),
            ApiError::PayloadTooLarge { limit } => i18n::detail(slug, lang).replace("{limit}", &limit.to_string()),
            ApiError::TooManyRequests { retry_after } => {
                i18n::detail(slug, lang).replace("{seconds}", &retry_after.to_string())
            }
            ApiError::BadRequest { detail, .. } => detail.clone(),
            ApiError::Unauthorized(reason) => format!("{} ({reason})", i18n::detail(slug, lang)),
            ApiError::Internal(_) | ApiError::Unavailable(_) => {
                i18n::detail(slug, lang).replace("{request_id}", request_id)
            }
            _ => i18n::detail(slug, lang).to_owned(),
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
            ApiError::TooManyRequests { retry_after } => {
                b.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unavailable(_) => {
                b.insert_header((header::RETRY_AFTER, "2"));
            }
            _ => {}
        }
        b.body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            ApiError::Transition { .. }
            | ApiError::PlanTransition { .. }
            | ApiError::Conflict(_)
            | ApiError::QuotaExhausted { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation(_)
            | ApiError::IdempotencyMismatch
            | ApiError::Calendar(_)
            | ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
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

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Validation(v) => ApiError::Validation(v),
            StoreError::Transition(domain::status::TransitionError::Forbidden { needs }) => {
                ApiError::Forbidden { needs: vec![needs] }
            }
            StoreError::Transition(domain::status::TransitionError::NotAllowed { current, allowed }) => {
                ApiError::Transition { current, allowed }
            }
            StoreError::Calendar(r) => ApiError::Calendar(r),
            StoreError::PreconditionFailed { current } => ApiError::PreconditionFailed { current },
            StoreError::IdempotencyMismatch => ApiError::IdempotencyMismatch,
            StoreError::Unavailable(m) => ApiError::Unavailable(m),
            StoreError::Retry => ApiError::Unavailable("transaction kept losing races".into()),
            StoreError::PlanNotAllowed { current, allowed } => ApiError::PlanTransition { current, allowed },
            StoreError::PlanExists { .. } => ApiError::Conflict("plan-exists"),
            StoreError::QuotaNotApproved => ApiError::Conflict("quota-not-approved"),
            StoreError::QuotaExhausted { activity } => ApiError::QuotaExhausted { activity },
            StoreError::PermitConflict => ApiError::Conflict("permit-conflict"),
            StoreError::EmailNotConfirmed => ApiError::Unprocessable("email-not-confirmed"),
            StoreError::Config(m) | StoreError::Internal(m) => ApiError::Internal(m),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.to_string())
    }
}
