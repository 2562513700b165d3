//! The envelope around every request: request id, rate limit, content
//! negotiation, problem rendering for every error, metrics (SPEC §7).

use crate::auth::bearer_token;
use crate::i18n::Lang;
use crate::problem::{ApiError, PROBLEM_JSON};
use crate::state::AppState;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse};
use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use sha2::{Digest, Sha256};
use std::num::NonZeroU32;
use std::time::Instant;

pub type Limiter = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

pub fn limiter(per_second: u32, burst: u32) -> Limiter {
    let ps = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
    let b = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_second(ps).allow_burst(b))
}

/// The id of the request, taken from a sane incoming `X-Request-Id` or made.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get("X-Request-Id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned)
}

/// Whether `Accept` admits JSON (absent means anything).
fn accepts_json(req: &ServiceRequest) -> bool {
    let Some(a) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    a.split(',').any(|part| {
        let range = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let q_zero = part.split(';').skip(1).any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
        !q_zero
            && matches!(range.as_str(), "*/*" | "application/*" | "application/json" | "application/problem+json" | "")
    })
}

/// Who a rate limit counts against: the token, or else the peer address.
fn caller_key(req: &ServiceRequest) -> String {
    match bearer_token(req.request()) {
        Some(t) => hex::encode(&Sha256::digest(t.as_bytes())[..12]),
        None => req.connection_info().peer_addr().unwrap_or("unknown").to_owned(),
    }
}

pub async fn envelope(req: ServiceRequest, next: Next<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let rid = request_id(&req);
    let lang = Lang::negotiate(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let path = req.path().to_owned();
    let method = req.method().as_str().to_owned();
    req.extensions_mut().insert(RequestId(rid.clone()));
    let state = req.app_data::<web::Data<AppState>>().cloned();

    let is_api = path.starts_with("/api/v1");
    let early: Option<ApiError> = if is_api && !accepts_json(&req) {
        Some(ApiError::NotAcceptable)
    } else if let (true, Some(s)) = (is_api, state.as_ref()) {
        s.limiter.check_key(&caller_key(&req)).err().map(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(&DefaultClock::default()));
            ApiError::TooManyRequests { retry_after: wait.as_secs().max(1) }
        })
    } else {
        None
    };

    let mut res = match early {
        Some(e) => {
            let (r, _) = req.into_parts();
            ServiceResponse::new(r, e.render(lang, &path, &rid))
        }
        None => match next.call(req).await {
            Ok(r) => r,
            // Only middleware errors arrive here; handler errors are responses.
            Err(e) => return Err(e),
        },
    };

    let status = res.status();
    if status.is_client_error() || status.is_server_error() {
        let api_error =
            res.response().error().and_then(|e| e.as_error::<ApiError>()).map(|e| e.render(lang, &path, &rid));
        let is_problem = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(PROBLEM_JSON));
        if status.is_server_error() {
            let cause =
                res.response().error().map(|e| format!("{e:?}")).unwrap_or_else(|| "(no error attached)".into());
            tracing::error!(request_id = %rid, %method, %path, status = status.as_u16(), cause, "request failed");
        }
        // The OAuth token endpoint answers errors as RFC 6749 requires.
        let oauth = path == "/api/v1/oauth/token" && api_error.is_none();
        let replacement = match api_error {
            Some(r) => Some(r),
            None if !is_problem && !oauth => Some(framework_problem(status, &res).render(lang, &path, &rid)),
            None => None,
        };
        if let Some(new) = replacement {
            res = res.into_response(new);
        }
    }
    res.headers_mut().insert(
        header::HeaderName::from_static("x-request-id"),
        header::HeaderValue::from_str(&rid).unwrap_or(header::HeaderValue::from_static("invalid")),
    );
    if let Some(s) = state {
        let route = res.request().match_pattern().unwrap_or_else(|| "(unmatched)".into());
        s.metrics.record(&method, &route, res.status().as_u16(), started.elapsed().as_secs_f64());
    }
    Ok(res)
}

/// The problem for an error response the framework made itself.
fn framework_problem(status: StatusCode, res: &ServiceResponse<BoxBody>) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed {
            allow: res.headers().get(header::ALLOW).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned(),
        },
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge { limit: 1024 * 1024 },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        StatusCode::NOT_ACCEPTABLE => ApiError::NotAcceptable,
        StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable("framework".into()),
        s if s.is_server_error() => ApiError::Internal(format!("framework answered {s}")),
        _ => ApiError::BadRequest { code: "bad_request", detail: "The request could not be read.".into() },
    }
}

/// Default service: an unknown path is a 404 problem.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
