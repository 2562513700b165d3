//! The envelope around every request: request id, rate limit, content
//! negotiation, problem rendering for every error, metrics (SPEC §7).

use crate::auth::bearer_token;
use crate::extract::MAX_IF_NONE_MATCH;
use crate::i18n::Lang;
use crate::limiter::RateKey;
use crate::problem::{HttpError, PROBLEM_JSON};
use crate::routes::RouteLinks;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse};
use application::{AppError, Unavailable};
use domain::ValidationErrors;
use futures_util::Stream;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

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

/// Whether `Accept` admits JSON, or another media type the route answers
/// (absent means anything).
fn accepts_json(req: &ServiceRequest) -> bool {
    let Some(a) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    // Admission runs before routing; the pattern is matched the same way.
    let pattern = req.match_pattern().unwrap_or_default();
    let others = crate::routes::media_types(&pattern);
    a.split(',').any(|part| {
        let range = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let q_zero = part.split(';').skip(1).any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
        !q_zero
            && (matches!(
                range.as_str(),
                "*/*" | "application/*" | "application/json" | "application/problem+json" | ""
            ) || others.contains(&range))
    })
}

/// A request body that must be complete by a deadline: actix-web times out
/// a slow request head, not a body that trickles in, which would hold a
/// connection and a worker's buffer for as long as the sender likes. When
/// the deadline passes the stream ends with a timed-out error, which the
/// body extractors answer with 408.
struct BodyDeadline {
    inner: actix_web::dev::Payload,
    timer: Pin<Box<actix_web::rt::time::Sleep>>,
    done: bool,
}

impl Stream for BodyDeadline {
    type Item = Result<bytes::Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(item)) => Poll::Ready(Some(item)),
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.done = true;
                    let e = std::io::Error::new(std::io::ErrorKind::TimedOut, "request body not received in time");
                    Poll::Ready(Some(Err(PayloadError::Io(e))))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

/// Whether a request announces a body (a length above zero, or chunks).
fn has_body(req: &ServiceRequest) -> bool {
    let h = req.headers();
    h.contains_key(header::TRANSFER_ENCODING)
        || h.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() != "0")
}

/// Puts the body of `req` under `timeout`, counted from now (its head is in).
fn with_body_deadline(req: &mut ServiceRequest, timeout: std::time::Duration) {
    if has_body(req) {
        let inner = req.take_payload();
        let timer = Box::pin(actix_web::rt::time::sleep(timeout));
        let stream: Pin<Box<dyn Stream<Item = Result<bytes::Bytes, PayloadError>>>> =
            Box::pin(BodyDeadline { inner, timer, done: false });
        req.set_payload(actix_web::dev::Payload::Stream { payload: stream });
    }
}

/// The path segments and query parameters that hold a forbidden control
/// character once percent-decoded (NUL and the like: PostgreSQL cannot store
/// them). Checked here, before routing, so no handler ever sees one; each is
/// named by its route parameter (`id`) or query parameter.
fn target_controls(req: &ServiceRequest) -> Option<HttpError> {
    let mut errs = ValidationErrors::default();
    let pattern = req.request().match_pattern();
    let names: Vec<&str> = pattern.as_deref().map(|p| p.split('/').collect()).unwrap_or_default();
    for (i, segment) in req.path().split('/').enumerate() {
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
        let name = names
            .get(i)
            .and_then(|n| n.strip_prefix('{'))
            .and_then(|n| n.strip_suffix('}'))
            .map_or("path", |n| n.split(':').next().unwrap_or(n));
        if let Err(e) = domain::text::check_controls(name, &decoded) {
            errs.push(e);
        }
    }
    for (key, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        let field = if domain::text::check_controls("", &key).is_ok() { key.as_ref() } else { "query" };
        for s in [&key, &value] {
            if let Err(e) = domain::text::check_controls(field, s) {
                errs.push(e);
                break;
            }
        }
    }
    (!errs.is_empty()).then(|| AppError::BadRequest { detail: String::new(), errors: errs }.into())
}

/// Who a rate limit counts against: the subject of a valid token, or else
/// the peer address. A valid token's caller is kept with the request, so
/// the [`crate::auth::Caller`] extractor does not verify it again.
fn rate_key(req: &ServiceRequest, state: &AppState) -> RateKey {
    if let Some(Ok(caller)) = bearer_token(req.request()).map(|t| state.verifier.verify(t)) {
        let key = RateKey::Caller(caller.sub.clone());
        req.extensions_mut().insert(caller);
        return key;
    }
    RateKey::peer(req.peer_addr().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip()))
}

/// What the envelope knows of a request, for the layers inside it.
#[derive(Debug, Clone)]
pub struct RequestLang(pub Lang);

/// The outermost layer: request id, the body deadline, problem rendering of
/// every error (including CORS refusals), conditional GET, metrics and the
/// access log.
pub async fn envelope<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let rid = request_id(&req);
    let lang = crate::i18n::negotiate(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let path = req.path().to_owned();
    let method = req.method().as_str().to_owned();
    req.extensions_mut().insert(RequestId(rid.clone()));
    req.extensions_mut().insert(RequestLang(lang));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let Some(s) = &state {
        with_body_deadline(&mut req, s.config.body_timeout);
    }
    // HEAD is GET without the body (RFC 9110 §9.3.2), wherever GET is
    // served (Swagger UI included): routed as GET. The connection leaves the
    // body off because the request line said HEAD; the log and the metrics
    // keep the method as sent.
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    let conditional = (req.method() == actix_web::http::Method::GET)
        .then(|| req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .flatten();

    let mut res = match next.call(req).await {
        Ok(r) => r.map_into_boxed_body(),
        // Only middleware errors arrive here; handler errors are responses.
        Err(e) => return Err(e),
    };
    if let Some(tags) = conditional {
        res = not_modified(res, &tags);
    }

    let status = res.status();
    if status.is_client_error() || status.is_server_error() {
        let weak = res.request().extensions().get::<crate::extract::WeakIfMatch>().map(|w| w.0.clone());
        let api_error = res.response().error().and_then(|e| e.as_error::<HttpError>()).map(|e| {
            let mut problem = e.to_problem(lang, &path, &rid, &RouteLinks);
            if let (412, Some(sent)) = (problem.status, &weak) {
                problem.weak_if_match(sent, lang);
            }
            e.respond(problem, lang)
        });
        let is_problem = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(PROBLEM_JSON));
        if status.is_server_error() {
            let cause = res.response().error().map_or_else(|| "(no error attached)".into(), cause_chain);
            tracing::error!(request_id = %rid, %method, %path, status = status.as_u16(), cause, "request failed");
        }
        // The OAuth token endpoint answers errors as RFC 6749 requires.
        let oauth = path == <crate::routes::identity::__path_token as utoipa::Path>::path() && api_error.is_none();
        let replacement = match api_error {
            Some(r) => Some(r),
            None if !is_problem && !oauth => {
                Some(framework_problem(status, &res).render(lang, &path, &rid, &RouteLinks))
            }
            None => None,
        };
        if let Some(mut new) = replacement {
            // Keep the CORS grant (made inside), so a page can read the problem.
            for (name, value) in res.headers() {
                if keeps_on_replacement(name) {
                    new.headers_mut().append(name.clone(), value.clone());
                }
            }
            res = res.into_response(new);
        }
    }
    res.headers_mut().insert(
        header::HeaderName::from_static("x-request-id"),
        header::HeaderValue::from_str(&rid).unwrap_or(header::HeaderValue::from_static("invalid")),
    );
    // One access line per request, with the id the caller sees in `X-Request-Id`.
    tracing::info!(target: "access", request_id = %rid, %method, %path, status = res.status().as_u16(), duration_ms = started.elapsed().as_secs_f64() * 1000.0, "request");
    if let Some(s) = state {
        let req = res.request();
        let route = match req.app_data::<crate::routes::RoutePattern>() {
            Some(p) => p.0.clone(),
            None => req.match_pattern().unwrap_or_else(|| "(unmatched)".into()),
        };
        s.metrics.record(&method, &route, res.status().as_u16(), started.elapsed().as_secs_f64());
    }
    Ok(res)
}

/// Inside CORS, so that its refusals carry CORS headers a browser can read:
/// the rate limit (429), content negotiation (406), control characters in
/// the path or query (400) and a database not yet prepared (503).
pub async fn admission(req: ServiceRequest, next: Next<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
    let is_api = req.path().starts_with(crate::routes::SCOPE) && req.method() != actix_web::http::Method::OPTIONS;
    let state = req.app_data::<web::Data<AppState>>().cloned();
    // The rate limit first: refusals count against it too.
    let limited = match (is_api, state.as_ref()) {
        (true, Some(s)) => s.limiter.check(&rate_key(&req, s)).err(),
        _ => None,
    };
    let early: Option<HttpError> = if let Some(retry_after) = limited {
        Some(HttpError::RateLimited { retry_after })
    } else if is_api && !accepts_json(&req) {
        Some(HttpError::NotAcceptable)
    } else if let Some(e) = is_api.then(|| target_controls(&req)).flatten() {
        Some(e)
    } else if is_api && req.headers().get(header::IF_NONE_MATCH).is_some_and(|v| v.len() > MAX_IF_NONE_MATCH) {
        // As documented: a list of the tags a cache holds fits easily; a
        // longer header is refused by name rather than compared.
        Some(HttpError::from(ValidationErrors(vec![domain::FieldError::new(
            "If-None-Match",
            domain::FieldCode::Length,
        )
        .with("max", MAX_IF_NONE_MATCH)])))
    } else if is_api && state.as_ref().is_some_and(|s| !s.is_db_ready()) {
        // Started before its database: nothing to serve until it is prepared.
        Some(AppError::ServiceUnavailable(Unavailable::Database("the database is not prepared yet".into())).into())
    } else {
        None
    };
    match early {
        Some(e) => {
            let lang = req.extensions().get::<RequestLang>().map_or(Lang::En, |l| l.0);
            let rid = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
            let path = req.path().to_owned();
            let (r, _) = req.into_parts();
            Ok(ServiceResponse::new(r, e.render(lang, &path, &rid, &RouteLinks)))
        }
        None => next.call(req).await,
    }
}

/// RFC 9110 §13.1.2: a `GET` whose `If-None-Match` names the current entity
/// tag (weak comparison, or `*`) answers 304 with the tag and no body.
fn not_modified(res: ServiceResponse<BoxBody>, if_none_match: &str) -> ServiceResponse<BoxBody> {
    if res.status() != StatusCode::OK {
        return res;
    }
    let Some(current) = res.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned) else {
        return res;
    };
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let hit = if_none_match.trim() == "*" || if_none_match.split(',').any(|t| opaque(t) == opaque(&current));
    if !hit {
        return res;
    }
    let mut not_modified = HttpResponse::NotModified().finish();
    // The 304 is made here, outside CORS: it keeps the grant the CORS layer
    // gave the 200, or a page polling from another origin could not read it.
    for (name, value) in res.headers() {
        if keeps_on_replacement(name) || matches!(*name, header::ETAG | header::CACHE_CONTROL) {
            not_modified.headers_mut().append(name.clone(), value.clone());
        }
    }
    res.into_response(not_modified)
}

/// The headers a response made anew in the envelope takes over from the one
/// it replaces: the CORS grant and `Vary`, which the layers inside added.
fn keeps_on_replacement(name: &header::HeaderName) -> bool {
    name.as_str().starts_with("access-control-") || name == header::VARY
}

/// An error and each of its sources, outermost first (`a: b: c`), so the log
/// keeps what a 500's problem document leaves out.
fn cause_chain(e: &actix_web::Error) -> String {
    let Some(api) = e.as_error::<HttpError>() else { return format!("{e:?}") };
    let mut out = format!("{api}");
    let mut source = std::error::Error::source(api);
    while let Some(s) = source {
        out.push_str(&format!(": {s}"));
        source = s.source();
    }
    out
}

/// The problem for an error response the framework made itself.
fn framework_problem(status: StatusCode, res: &ServiceResponse<BoxBody>) -> HttpError {
    match status {
        StatusCode::NOT_FOUND => AppError::NotFound.into(),
        StatusCode::METHOD_NOT_ALLOWED => HttpError::MethodNotAllowed {
            allow: res.headers().get(header::ALLOW).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned(),
        },
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge { limit: 1024 * 1024 }.into(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => HttpError::UnsupportedMediaType,
        StatusCode::NOT_ACCEPTABLE => HttpError::NotAcceptable,
        StatusCode::SERVICE_UNAVAILABLE => {
            AppError::ServiceUnavailable(Unavailable::Database("framework".into())).into()
        }
        s if s.is_server_error() => AppError::bug(format!("framework answered {s}")).into(),
        _ => HttpError::unreadable("The request could not be read."),
    }
}

/// Default service: an unknown path is a 404 problem.
pub async fn not_found() -> Result<HttpResponse, HttpError> {
    Err(AppError::NotFound.into())
}

#[cfg(test)]
mod tests {
    /// A 500's log line keeps the store error under the problem.
    #[test]
    fn the_log_keeps_the_cause_chain() {
        let corrupt = persistence::StoreError::Corrupt { column: "forecasts.status", value: "lost".into() };
        let e = actix_web::Error::from(super::HttpError::from(corrupt));
        let chain = super::cause_chain(&e);
        assert!(chain.starts_with("internal error: store failure: stored forecasts.status"), "{chain}");
        assert!(chain.contains("\"lost\""), "{chain}");
    }
}
