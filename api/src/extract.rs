//! Extractors whose every failure is a problem document (SPEC §7): JSON bodies
//! (size, media type, syntax, types, unknown fields, with the exact JSON path),
//! query strings, `If-Match` and `Idempotency-Key`.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use domain::{FieldError, ValidationErrors};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use persistence::Page;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::future::{ready, Ready};

/// Turns a deserialization error at `path` into a field error.
fn field_error(path: &str, msg: &str) -> FieldError {
    let base = if path == "." || path.is_empty() { String::new() } else { path.to_owned() };
    let join = |name: &str| {
        if base.is_empty() {
            name.to_owned()
        } else {
            format!("{base}.{name}")
        }
    };
    let quoted = |prefix: &str| msg.strip_prefix(prefix).and_then(|r| r.split('`').next()).map(str::to_owned);
    if let Some(name) = quoted("unknown field `") {
        // The path already ends at the unknown field itself.
        let field = if base == name || base.ends_with(&format!(".{name}")) { base.clone() } else { join(&name) };
        return FieldError::new(field, "unknown_field");
    }
    if let Some(name) = quoted("missing field `") {
        return FieldError::new(join(&name), "required");
    }
    let detail = msg.split(" at line ").next().unwrap_or(msg);
    FieldError::new(if base.is_empty() { "body".to_owned() } else { base }, "invalid_type").with("detail", detail)
}

/// A JSON body of type `T`, with the raw bytes (for idempotency hashing).
pub struct JsonBody<T> {
    pub value: T,
    pub raw: bytes::Bytes,
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(ct) = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses `bytes` as `T`, mapping syntax errors to 400 and type errors to 422.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first, so that every error of the second step is about a field
    // (serde_json reports a wrong type for an enum as a syntax error).
    let json: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadRequest { code: "malformed_json", detail: format!("Malformed JSON: {e}") })?;
    serde_path_to_error::deserialize(json).map_err(|e| {
        let path = e.path().to_string();
        ApiError::Validation(ValidationErrors(vec![field_error(&path, &e.into_inner().to_string())]))
    })
}

/// Reads a whole body of at most `limit` bytes.
async fn read_body(mut payload: Payload, declared: Option<usize>, limit: usize) -> Result<bytes::Bytes, ApiError> {
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest { code: "payload", detail: e.to_string() })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok())
}

/// A file upload of up to [`FileBody::LIMIT`] bytes, any media type.
pub struct FileBody {
    pub bytes: bytes::Bytes,
    pub content_type: Option<String>,
}

impl FileBody {
    /// Classification files are larger than forecasts: 10 MiB.
    pub const LIMIT: usize = 10 * 1024 * 1024;
}

impl FromRequest for FileBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = declared_length(req);
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let payload = payload.take();
        Box::pin(async move {
            let bytes = read_body(payload, declared, FileBody::LIMIT).await?;
            Ok(FileBody { bytes, content_type })
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<web::Data<AppState>>().map_or(1024 * 1024, |s| s.config.body_limit);
        let declared = declared_length(req);
        let json = is_json(req);
        let payload = payload.take();
        Box::pin(async move {
            let raw = read_body(payload, declared, limit).await?;
            if !json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let value = parse_json(&raw)?;
            Ok(JsonBody { value, raw })
        })
    }
}

/// A query string of type `T`; errors name the parameter.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(req.query_string().as_bytes()));
        ready(serde_path_to_error::deserialize(de).map(Query).map_err(|e| {
            let path = e.path().to_string();
            let msg = e.into_inner().to_string();
            ApiError::Validation(ValidationErrors(vec![field_error(&path, &msg)]))
        }))
    }
}

/// `page` and `per_page` of every list (SPEC §7).
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000, example = 1)]
    pub page: Option<i64>,
    /// Items a page, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100, example = 10)]
    pub per_page: Option<i64>,
}

impl PageParams {
    pub fn page(&self) -> Result<Page, ApiError> {
        let mut errs = ValidationErrors::default();
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(i64::from(Page::DEFAULT_PER_PAGE));
        if !(1..=1_000_000).contains(&page) {
            errs.push(FieldError::new("page", "out_of_range").with("min", 1).with("max", 1_000_000));
        }
        if !(1..=i64::from(Page::MAX_PER_PAGE)).contains(&per_page) {
            errs.push(FieldError::new("per_page", "out_of_range").with("min", 1).with("max", Page::MAX_PER_PAGE));
        }
        if !errs.is_empty() {
            return Err(ApiError::Validation(errs));
        }
        Ok(Page { page: u32::try_from(page).unwrap_or(1), per_page: u32::try_from(per_page).unwrap_or(10) })
    }
}

/// The version an `If-Match` header names: `None` when absent or `*`.
/// An entity tag that is not one of ours can never match (412).
pub struct IfMatch(pub Option<i64>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let required = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.config.require_if_match);
        let Some(v) = req.headers().get(header::IF_MATCH) else {
            return ready(if required { Err(ApiError::PreconditionRequired) } else { Ok(IfMatch(None)) });
        };
        let s = v.to_str().unwrap_or("").trim();
        if s.len() > 255 {
            return ready(Err(ApiError::Validation(ValidationErrors(vec![
                FieldError::new("If-Match", "length").with("max", 255)
            ]))));
        }
        if s == "*" {
            return ready(Ok(IfMatch(None)));
        }
        let first = s.split(',').next().unwrap_or("").trim();
        let tag = first.strip_prefix("W/").unwrap_or(first).trim_matches('"');
        ready(Ok(IfMatch(Some(tag.parse::<i64>().unwrap_or(-1)))))
    }
}

/// The `ETag` of a forecast at `version`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The `Idempotency-Key` header (SPEC §7): 1 to 255 visible ASCII characters.
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(v) = req.headers().get("Idempotency-Key") else {
            return ready(Ok(IdempotencyKey(None)));
        };
        let s = v.to_str().unwrap_or("");
        let ok = !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| (0x21..=0x7e).contains(&b));
        ready(if ok {
            Ok(IdempotencyKey(Some(s.to_owned())))
        } else {
            Err(ApiError::Validation(ValidationErrors(vec![
                FieldError::new("Idempotency-Key", "length").with("max", 255)
            ])))
        })
    }
}

/// A target year from a path: a number from 2000 to 2100, else 404 (no such resource).
pub fn path_year(s: &str) -> Result<i32, ApiError> {
    s.parse::<i32>()
        .ok()
        .filter(|y| (domain::campaign::MIN_TARGET_YEAR..=domain::campaign::MAX_TARGET_YEAR).contains(y))
        .ok_or(ApiError::NotFound)
}
