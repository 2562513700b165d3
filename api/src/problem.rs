//! Problem details (RFC 9457) for every error the API gives (SPEC §7).
//!
//! Handlers and extractors return [`HttpError`]; the [`crate::middleware`]
//! layer renders it with the request's language, path and request id, and
//! turns any other error response (the framework's own) into a problem too.

use crate::i18n::{self, Lang};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use application::AppError;
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
    /// The rule in the caller's language (`Accept-Language`: az, en, ru, tr).
    #[schema(example = "Must not exceed 3.")]
    pub message: String,
    /// The value the field should hold, where the rule knows it: for
    /// `occupation_title_mismatch`, the classification's title of the code
    /// nearest to the one sent, to send instead (SPEC §16.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Bənna, xarici suvaq")]
    pub expected: Option<String>,
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
    /// instead (`submit`, `start_review`, `return`, `accept`, `reject`,
    /// `reopen`, `withdraw`, `edit`, `delete`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<String>>,
    /// For calendar refusals: the date that passed (or has not come).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<chrono::NaiveDate>,
    /// For `documents-not-requested`: the kinds of document an officer has
    /// asked for, which may be added while the application is under review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_kinds: Option<Vec<String>>,
    /// For `criterion-evidence-missing`: the criterion scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "language_skills")]
    pub criterion: Option<String>,
    /// For `criterion-evidence-missing`: the evidence the application lacks,
    /// any one of which would do (`language_certificate`, `study_language`;
    /// `income_statement`, `bank_statement`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_evidence: Option<Vec<String>>,
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

impl Problem {
    /// A stale `If-Match` that was a weak tag (`sent`): the detail says that
    /// a weak tag never matches a change, rather than that the version is old.
    pub fn weak_if_match(&mut self, sent: &str, lang: Lang) {
        if let Some(current) = self.current_version {
            let template = i18n::detail("precondition-failed-weak", lang);
            self.detail = i18n::fill(template, lang, &[("sent", sent.to_owned()), ("version", current.to_string())]);
        }
    }
}

domain::wire_codes! {
    /// Why a bearer token is refused (401): named in the detail, e.g.
    /// "… (token_expired)", so the caller knows what to fix.
    pub enum AuthFailure("token failure") {
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
        TokenLifetimeTooLong => "token_lifetime_too_long",
        TokenIssuedInFuture => "token_issued_in_future",
        ContributorWithoutValidBody => "contributor_without_valid_body",
    }
}

/// Where the resources a problem names are: the route table knows, the
/// renderer does not (`routes::RouteLinks`).
pub trait Links {
    /// The path of forecast `id` (the `Location` of `forecast-exists`).
    fn forecast(&self, id: &str) -> Option<String>;
}

/// For renderings that name no resource's place.
pub struct NoLinks;

impl Links for NoLinks {
    fn forecast(&self, _: &str) -> Option<String> {
        None
    }
}

/// Everything that can go wrong in a request: a use case's refusal, or one
/// the HTTP layer makes itself (the token, the method, the media types, the
/// body's time, the rate limit, a required `If-Match`, an unreadable
/// request). Each variant's name in kebab-case is its wire code.
#[derive(Debug, thiserror::Error, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum HttpError {
    /// A use case's answer, with its own code.
    #[error(transparent)]
    App(#[from] AppError),
    #[error("unauthorized: {0}")]
    Unauthorized(AuthFailure),
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("not acceptable")]
    NotAcceptable,
    /// The body did not arrive within `BODY_TIMEOUT_SECS` (408).
    #[error("request body timed out")]
    RequestTimeout { seconds: u64 },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests")]
    RateLimited { retry_after: u64 },
    /// This deployment changes resources only with `If-Match` (428).
    #[error("precondition required")]
    PreconditionRequired,
}

impl HttpError {
    /// The wire code.
    pub fn code(&self) -> &'static str {
        match self {
            HttpError::App(e) => e.code(),
            other => other.into(),
        }
    }

    /// The codes of the HTTP layer's own variants.
    pub fn codes() -> Vec<&'static str> {
        <HttpError as strum::VariantNames>::VARIANTS.iter().copied().filter(|v| *v != "app").collect()
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        let code = match self {
            HttpError::App(e) => e.status(),
            HttpError::Unauthorized(_) => 401,
            HttpError::MethodNotAllowed { .. } => 405,
            HttpError::NotAcceptable => 406,
            HttpError::RequestTimeout { .. } => 408,
            HttpError::UnsupportedMediaType => 415,
            HttpError::RateLimited { .. } => 429,
            HttpError::PreconditionRequired => 428,
        };
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// A request that cannot be read, for the reason `detail`.
    pub fn unreadable(detail: impl Into<String>) -> HttpError {
        AppError::unreadable(detail).into()
    }

    /// The problem document of this error, in `lang`.
    pub fn to_problem(&self, lang: Lang, instance: &str, request_id: &str, links: &dyn Links) -> Problem {
        let code = self.code();
        let mut p = Problem {
            r#type: format!("/problems/{code}"),
            title: i18n::title(code, lang).to_owned(),
            status: self.status().as_u16(),
            detail: String::new(),
            instance: instance.to_owned(),
            request_id: request_id.to_owned(),
            errors: None,
            current_status: None,
            allowed_actions: None,
            deadline: None,
            requested_kinds: None,
            criterion: None,
            missing_evidence: None,
            current_version: None,
            forecast_id: None,
            location: None,
        };
        let detail = i18n::detail(code, lang);
        let fields = |p: &mut Problem, errs: &ValidationErrors| {
            let list: Vec<ProblemFieldError> = errs
                .0
                .iter()
                .map(|e| ProblemFieldError {
                    field: e.field.clone(),
                    code: e.code.as_str().to_owned(),
                    message: i18n::field_message(e, lang),
                    expected: e.params.get("expected").cloned(),
                })
                .collect();
            let d = i18n::count_detail(list.len(), lang);
            p.errors = Some(list);
            d
        };
        let app = match self {
            HttpError::App(e) => e,
            HttpError::Unauthorized(reason) => {
                p.detail = format!("{detail} ({reason})");
                return p;
            }
            HttpError::MethodNotAllowed { allow } => {
                p.detail = detail.replace("{allow}", allow);
                return p;
            }
            HttpError::RequestTimeout { seconds } => {
                p.detail = i18n::fill(detail, lang, &[("seconds", seconds.to_string())]);
                return p;
            }
            HttpError::RateLimited { retry_after } => {
                p.detail = i18n::fill(detail, lang, &[("seconds", retry_after.to_string())]);
                return p;
            }
            HttpError::NotAcceptable | HttpError::UnsupportedMediaType | HttpError::PreconditionRequired => {
                p.detail = detail.to_owned();
                return p;
            }
        };
        p.detail = match app {
            AppError::Validation(errs) => fields(&mut p, errs),
            AppError::BadRequest { detail, errors } => {
                if errors.is_empty() {
                    detail.clone()
                } else {
                    fields(&mut p, errors)
                }
            }
            AppError::TransitionNotAllowed { current, allowed, .. } => {
                p.current_status = Some((*current).to_owned());
                p.allowed_actions = Some(allowed.iter().map(|a| (*a).to_owned()).collect());
                i18n::status_detail(detail, current, allowed)
            }
            AppError::CampaignNotOpen { opens_on: d }
            | AppError::SubmissionDeadlinePassed { deadline: d }
            | AppError::CorrectionDeadlinePassed { deadline: d }
            | AppError::CommissionInputsDeadlinePassed { deadline: d }
            | AppError::ProposalDeadlinePassed { deadline: d }
            | AppError::ApprovalDeadlinePassed { deadline: d }
            | AppError::ReviewDeadlinePassed { deadline: d } => {
                p.deadline = Some(*d);
                detail.replace("{date}", &d.to_string())
            }
            AppError::QuotaExhausted { activity } | AppError::ActivityNotInQuota { activity } => {
                detail.replace("{activity}", activity)
            }
            AppError::PermitEnded { reason } => detail.replace("{reason}", reason.as_str()),
            AppError::WrongAuthority { needs, sector } => {
                let who = match sector {
                    Some(body) => format!("{} ({body})", needs.as_str()),
                    None => needs.as_str().to_owned(),
                };
                detail.replace("{authority}", &who)
            }
            AppError::WrongBody { needs, yours } => {
                detail.replace("{body}", needs.as_str()).replace("{yours}", yours.map_or("none", |b| b.as_str()))
            }
            AppError::ScoresIncomplete { missing } => {
                let list: Vec<&str> = missing.iter().map(|c| c.as_str()).collect();
                detail.replace("{missing}", &list.join(", "))
            }
            AppError::CriterionEvidenceMissing { criterion, missing } => {
                p.criterion = Some(criterion.as_str().to_owned());
                p.missing_evidence = Some(missing.iter().map(|m| (*m).to_owned()).collect());
                detail.replace("{criterion}", criterion.as_str()).replace("{missing}", &missing.join(", "))
            }
            AppError::DocumentsNotRequested { kind, requested } => {
                let list: Vec<String> = requested.iter().map(|k| k.as_str().to_owned()).collect();
                let shown = if list.is_empty() { "—".to_owned() } else { list.join(", ") };
                p.requested_kinds = Some(list);
                detail.replace("{kind}", kind.as_str()).replace("{requested}", &shown)
            }
            AppError::ForecastExists { id } => {
                p.forecast_id = Some(id.clone());
                p.location = links.forecast(id);
                detail.replace("{id}", id)
            }
            AppError::PreconditionFailed { current } => {
                p.current_version = Some(*current);
                detail.replace("{version}", &current.to_string())
            }
            AppError::Forbidden { needs } => {
                let roles: Vec<&str> = needs.iter().map(|r| r.as_str()).collect();
                detail.replace("{roles}", &roles.join(", "))
            }
            AppError::PayloadTooLarge { limit } => i18n::fill(detail, lang, &[("limit", limit.to_string())]),
            AppError::WebhookUrlNotAllowed { reason } => detail.replace("{reason}", reason.as_str()),
            AppError::InternalError(_) | AppError::ServiceUnavailable(_) => detail.replace("{request_id}", request_id),
            AppError::NotFound
            | AppError::ApiClientOnly
            | AppError::PlanExists
            | AppError::QuotaNotApproved
            | AppError::PermitConflict
            | AppError::TooManyDocuments
            | AppError::EmailNotConfirmed
            | AppError::UnsupportedFileType
            | AppError::IdempotencyKeyReused => detail.to_owned(),
        };
        p
    }

    /// Renders the full response: problem body plus the headers the status needs.
    pub fn render(&self, lang: Lang, instance: &str, request_id: &str, links: &dyn Links) -> HttpResponse {
        self.respond(self.to_problem(lang, instance, request_id, links), lang)
    }

    /// The response carrying `problem` (made by [`HttpError::to_problem`],
    /// perhaps told more of the request) with the headers the status needs.
    pub fn respond(&self, problem: Problem, lang: Lang) -> HttpResponse {
        let mut b = HttpResponse::build(self.status());
        b.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        b.insert_header((header::CONTENT_LANGUAGE, lang.as_str()));
        match self {
            // RFC 6750 §3.1: a request that sent no credentials gets no error
            // code; a token that fails is `invalid_token`, with the reason.
            HttpError::Unauthorized(AuthFailure::MissingToken) => {
                b.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"quota-api\""));
            }
            HttpError::Unauthorized(reason) => {
                let challenge =
                    format!("Bearer realm=\"quota-api\", error=\"invalid_token\", error_description=\"{reason}\"");
                b.insert_header((header::WWW_AUTHENTICATE, challenge));
            }
            HttpError::MethodNotAllowed { allow } => {
                b.insert_header((header::ALLOW, allow.clone()));
            }
            HttpError::App(AppError::ForecastExists { .. }) => {
                if let Some(at) = &problem.location {
                    b.insert_header((header::LOCATION, at.clone()));
                }
            }
            HttpError::RateLimited { retry_after } => {
                b.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            HttpError::App(AppError::ServiceUnavailable(_)) => {
                b.insert_header((header::RETRY_AFTER, "2"));
            }
            // The rest of the body is not read: the connection cannot carry
            // another request.
            HttpError::RequestTimeout { .. } => {
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

impl ResponseError for HttpError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    /// A plain rendering; the middleware replaces it with the localized one
    /// that carries the request's path and id.
    fn error_response(&self) -> HttpResponse {
        self.render(Lang::En, "", "", &NoLinks)
    }
}

impl From<ValidationErrors> for HttpError {
    fn from(e: ValidationErrors) -> Self {
        HttpError::App(AppError::Validation(e))
    }
}

impl From<FieldError> for HttpError {
    fn from(e: FieldError) -> Self {
        HttpError::App(e.into())
    }
}

impl From<StoreError> for HttpError {
    fn from(e: StoreError) -> Self {
        HttpError::App(e.into())
    }
}

impl From<actix_web::error::BlockingError> for HttpError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        HttpError::App(AppError::bug(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn problem_codes_are_unique_kebab_case_and_each_is_an_error_status() {
        let mut seen = HashSet::new();
        for s in HttpError::codes().into_iter().chain(AppError::codes()) {
            assert!(seen.insert(s), "{s} is the code of two variants");
            assert!(
                !s.is_empty()
                    && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    && !s.starts_with('-')
                    && !s.ends_with('-')
                    && !s.contains("--"),
                "{s} is not kebab-case"
            );
        }
        assert_eq!(HttpError::RateLimited { retry_after: 1 }.code(), "rate-limited");
        assert_eq!(HttpError::from(AppError::NotFound).status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn auth_failures_are_unique_snake_case() {
        let all: HashSet<&str> = AuthFailure::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(all.len(), AuthFailure::ALL.len());
        assert!(all.iter().all(|a| a.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
    }

    #[test]
    fn a_refused_plan_action_speaks_of_the_plan_in_every_language() {
        let refusal = domain::quota::PLANS
            .check(
                domain::quota::PlanStatus::Approved,
                domain::quota::PlanAction::EditApproved,
                &[domain::role::Role::Admin],
            )
            .unwrap_err();
        let e = HttpError::App(refusal.into());
        for &lang in Lang::ALL {
            let p = e.to_problem(lang, "/api/v1/quota-plans/2027/propose", "r", &NoLinks);
            assert_eq!(p.r#type, "/problems/plan-action-not-allowed");
            assert_eq!(p.status, 409);
            assert!(p.detail.contains("approved"), "{}", p.detail);
            let lower = p.detail.to_lowercase();
            for forecast in ["forecast", "proqnoz", "прогноз"] {
                assert!(!lower.contains(forecast), "{lang:?}: {}", p.detail);
            }
        }
    }
}
