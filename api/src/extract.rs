//! Extractors whose every failure is a problem document (SPEC §7): JSON bodies
//! (size, media type, syntax, types, unknown fields, with the exact JSON path),
//! query strings, `If-Match` and `Idempotency-Key`.

use crate::problem::HttpError;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use application::AppError;
use domain::{FieldCode, FieldError, ValidationErrors};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::future::{ready, Ready};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::Required;
use utoipa::IntoParams;

/// What the body and header extractors need to know of the configuration,
/// registered as application data (`app::Application::build`).
#[derive(Debug, Clone, Copy)]
pub struct RequestRules {
    /// Largest JSON body (SPEC §7: 1 MiB).
    pub body_limit: usize,
    /// Time a body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// Whether `PUT` and `DELETE` of versioned resources need `If-Match` (428 without).
    pub require_if_match: bool,
}

impl Default for RequestRules {
    fn default() -> Self {
        RequestRules {
            body_limit: 1024 * 1024,
            body_timeout: std::time::Duration::from_secs(30),
            require_if_match: false,
        }
    }
}

fn rules(req: &HttpRequest) -> RequestRules {
    req.app_data::<RequestRules>().copied().unwrap_or_default()
}

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
        return FieldError::new(field, FieldCode::UnknownField);
    }
    if let Some(name) = quoted("missing field `") {
        return FieldError::new(join(&name), FieldCode::Required);
    }
    let detail = msg.split(" at line ").next().unwrap_or(msg);
    FieldError::new(if base.is_empty() { "body".to_owned() } else { base }, FieldCode::InvalidType)
        .with("detail", detail)
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

/// `s` with each forbidden control character written as `\u00XX`.
fn escape_controls(s: &str) -> String {
    s.chars().fold(String::with_capacity(s.len()), |mut out, c| {
        if domain::text::is_forbidden_control(c) {
            out.push_str(&format!("\\u{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
        out
    })
}

/// Builds a JSON value as serde_json's own `Value` would, and notes, by JSON
/// path, every string (object keys included) that holds a forbidden control
/// character and every key an object repeats. serde_json keeps the last of
/// repeated keys silently, and PostgreSQL cannot store NUL: this is the one
/// place every JSON body passes through, so both are refused here.
struct Checked<'a> {
    path: String,
    errors: &'a std::cell::RefCell<Vec<FieldError>>,
}

impl Checked<'_> {
    fn field(&self) -> String {
        if self.path.is_empty() {
            "body".to_owned()
        } else {
            self.path.clone()
        }
    }

    fn child(&self, segment: &str) -> Checked<'_> {
        // A key is echoed in the problem's `field`: its forbidden control
        // characters are written out, so the answer never carries them.
        let segment = escape_controls(segment);
        let path = if self.path.is_empty() { segment } else { format!("{}.{segment}", self.path) };
        Checked { path, errors: self.errors }
    }

    fn check(&self, field: String, s: &str) {
        if let Err(e) = domain::text::check_controls(&field, s) {
            self.errors.borrow_mut().push(e);
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Checked<'_> {
    type Value = serde_json::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Checked<'_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // JSON Schema, which the document is written in, counts any number
        // without a fraction as an integer (`3.0`, `3e2`): so does the API.
        if v.fract() == 0.0 && (-9_007_199_254_740_992.0..=9_007_199_254_740_992.0).contains(&v) {
            return Ok(serde_json::Value::from(v as i64));
        }
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        self.check(self.field(), v);
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        self.check(self.field(), &v);
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) =
            seq.next_element_seed(Checked { path: format!("{}[{}]", self.path, items.len()), errors: self.errors })?
        {
            items.push(v);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(&key);
            self.check(child.field(), &key);
            if object.contains_key(&key) {
                self.errors.borrow_mut().push(FieldError::new(child.field(), FieldCode::DuplicateKey));
            }
            let value = map.next_value_seed(child)?;
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

/// Parses `bytes` as `T`: syntax errors are 400; forbidden control
/// characters, repeated keys and type errors are 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, HttpError> {
    // Syntax first, so that every error of the second step is about a field
    // (serde_json reports a wrong type for an enum as a syntax error).
    let errors = std::cell::RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let json = serde::de::DeserializeSeed::deserialize(Checked { path: String::new(), errors: &errors }, &mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| HttpError::unreadable(format!("Malformed JSON: {e}")))?;
    let errors = errors.into_inner();
    if !errors.is_empty() {
        return Err(HttpError::from(ValidationErrors(errors)));
    }
    match crate::structural::read::<T>(&json) {
        Ok(v) => Ok(v),
        // Every structural fault at once, not only serde's first.
        Err(first) => Err(HttpError::from(ValidationErrors(crate::structural::faults::<T>(
            json,
            first,
            bytes.len(),
            field_error,
        )))),
    }
}

/// Reads a whole body of at most `limit` bytes. The envelope ends a body
/// that takes longer than `timeout_secs` with a timed-out error (408).
async fn read_body(
    mut payload: Payload,
    declared: Option<usize>,
    limit: usize,
    timeout_secs: u64,
) -> Result<bytes::Bytes, HttpError> {
    if declared.is_some_and(|n| n > limit) {
        return Err(HttpError::App(AppError::PayloadTooLarge { limit }));
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            actix_web::error::PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                HttpError::RequestTimeout { seconds: timeout_secs }
            }
            e => HttpError::unreadable(e.to_string()),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(HttpError::App(AppError::PayloadTooLarge { limit }));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn body_timeout_secs(req: &HttpRequest) -> u64 {
    rules(req).body_timeout.as_secs()
}

fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok())
}

/// A file upload of up to [`FileBody::LIMIT`] bytes, any media type.
pub struct FileBody {
    pub bytes: bytes::Bytes,
    pub content_type: Option<String>,
    /// The file name a multipart part carried (a browser's `FormData`
    /// sends the chosen file's name there); none for a raw body.
    pub filename: Option<String>,
}

impl FileBody {
    /// The name to keep with the file: the query's `filename` when sent,
    /// else the multipart part's, else `fallback`. A blank name is no name.
    pub fn name(&self, query: Option<String>, fallback: impl FnOnce() -> String) -> String {
        query.into_iter().chain(self.filename.clone()).find(|f| !f.trim().is_empty()).unwrap_or_else(fallback)
    }
}

impl FileBody {
    /// Classification files are larger than forecasts: 10 MiB.
    pub const LIMIT: usize = 10 * 1024 * 1024;
}

impl FromRequest for FileBody {
    type Error = HttpError;
    type Future = LocalBoxFuture<'static, Result<Self, HttpError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = declared_length(req);
        let timeout = body_timeout_secs(req);
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let payload = payload.take();
        let multipart = content_type
            .as_deref()
            .is_some_and(|ct| ct.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("multipart/form-data"));
        if multipart {
            let headers = req.headers().clone();
            return Box::pin(async move { form_file(&headers, payload, declared).await });
        }
        Box::pin(async move {
            let bytes = read_body(payload, declared, FileBody::LIMIT, timeout).await?;
            Ok(FileBody { bytes, content_type, filename: None })
        })
    }
}

/// The part named `file` of a `multipart/form-data` body (what browsers and
/// generated clients send), with the media type its part declares.
async fn form_file(
    headers: &header::HeaderMap,
    payload: Payload,
    declared: Option<usize>,
) -> Result<FileBody, HttpError> {
    if declared.is_some_and(|n| n > FileBody::LIMIT + 64 * 1024) {
        return Err(HttpError::App(AppError::PayloadTooLarge { limit: FileBody::LIMIT }));
    }
    let bad = |detail: String| HttpError::unreadable(detail);
    let mut form = actix_multipart::Multipart::new(headers, payload);
    let mut found: Option<FileBody> = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| bad(e.to_string()))?;
        if field.name() != Some("file") || found.is_some() {
            // Other parts are read and dropped; only one file is taken.
            while let Some(chunk) = field.next().await {
                chunk.map_err(|e| bad(e.to_string()))?;
            }
            continue;
        }
        let content_type = field.content_type().map(|m| m.essence_str().to_owned());
        let filename = field.content_disposition().and_then(|d| {
            // RFC 7578 §4.2: `filename`, or `filename*` (RFC 5987) from some clients.
            d.get_filename()
                .map(str::to_owned)
                .or_else(|| d.get_filename_ext().map(|ext| String::from_utf8_lossy(&ext.value).into_owned()))
        });
        let mut bytes = bytes::BytesMut::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| bad(e.to_string()))?;
            if bytes.len() + chunk.len() > FileBody::LIMIT {
                return Err(HttpError::App(AppError::PayloadTooLarge { limit: FileBody::LIMIT }));
            }
            bytes.extend_from_slice(&chunk);
        }
        found = Some(FileBody { bytes: bytes.freeze(), content_type, filename });
    }
    found.ok_or_else(|| HttpError::from(ValidationErrors(vec![FieldError::new("file", FieldCode::Required)])))
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = HttpError;
    type Future = LocalBoxFuture<'static, Result<Self, HttpError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = json_body(req, payload, false);
        Box::pin(async move {
            let (value, raw) = body.await?;
            // `None` only where an empty body may be: not here.
            Ok(JsonBody { value: value.ok_or(HttpError::UnsupportedMediaType)?, raw })
        })
    }
}

/// A JSON body the request may leave out: `value` is `None` when no bytes
/// came (whatever the `Content-Type`), else it is read as [`JsonBody`] is.
pub struct OptionalJsonBody<T> {
    pub value: Option<T>,
    pub raw: bytes::Bytes,
}

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = HttpError;
    type Future = LocalBoxFuture<'static, Result<Self, HttpError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = json_body(req, payload, true);
        Box::pin(async move {
            let (value, raw) = body.await?;
            Ok(OptionalJsonBody { value, raw })
        })
    }
}

/// Reads the body within the configured limit and time, and parses it as
/// JSON: `None` when it is empty and `may_be_empty`. Any other body must be
/// declared JSON (else 415) and parse (else 400/422).
fn json_body<T: DeserializeOwned + 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
    may_be_empty: bool,
) -> LocalBoxFuture<'static, Result<(Option<T>, bytes::Bytes), HttpError>> {
    let limit = rules(req).body_limit;
    let declared = declared_length(req);
    let timeout = body_timeout_secs(req);
    let json = is_json(req);
    let payload = payload.take();
    Box::pin(async move {
        let raw = read_body(payload, declared, limit, timeout).await?;
        if raw.is_empty() && may_be_empty {
            return Ok((None, raw));
        }
        if !json {
            return Err(HttpError::UnsupportedMediaType);
        }
        Ok((Some(parse_json(&raw)?), raw))
    })
}

/// A query string of type `T`; errors name the parameter.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(req.query_string().as_bytes()));
        ready(serde_path_to_error::deserialize(de).map(Query).map_err(|e| {
            let path = e.path().to_string();
            let msg = e.into_inner().to_string();
            HttpError::from(ValidationErrors(vec![field_error(&path, &msg)]))
        }))
    }
}

pub use application::PageParams;

/// The longest `If-Match` or `Idempotency-Key` read (SPEC §7).
pub const MAX_HEADER_TOKEN: usize = 255;

/// One documented parameter: the extractors below describe themselves, so
/// the limits the document shows are the constants they check.
fn parameter(name: &str, at: ParameterIn, required: bool, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(at)
        .required(if required { Required::True } else { Required::False })
        .description(Some(description))
        .schema(Some(schema.build()))
        .build()
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn integer(min: i64, max: i64) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
        .minimum(Some(min))
        .maximum(Some(max))
}

fn if_match_parameter() -> Parameter {
    parameter(
        "If-Match",
        ParameterIn::Header,
        false,
        "The ETag last read; a stale one answers 412",
        string().max_length(Some(MAX_HEADER_TOKEN)),
    )
}

fn idempotency_key_parameter() -> Parameter {
    parameter(
        "Idempotency-Key",
        ParameterIn::Header,
        false,
        "Makes retries safe: the first answer is replayed (1–255 visible ASCII characters, ! to ~)",
        string()
            .min_length(Some(1))
            .max_length(Some(MAX_HEADER_TOKEN))
            .pattern(Some(format!("^[!-~]{{1,{MAX_HEADER_TOKEN}}}$"))),
    )
}

/// The headers a change reads, documented once: `If-Match` (the ETag last
/// read; a stale one answers 412).
pub struct ChangeHeaders;

impl IntoParams for ChangeHeaders {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![if_match_parameter()]
    }
}

/// [`ChangeHeaders`] and, on creating and acting `POST`s, `Idempotency-Key`
/// (SPEC §7).
pub struct ActionHeaders;

impl IntoParams for ActionHeaders {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![if_match_parameter(), idempotency_key_parameter()]
    }
}

/// The longest `If-None-Match` read (a list of entity tags), as documented.
pub const MAX_IF_NONE_MATCH: usize = 4096;

/// The `If-None-Match` of a cacheable `GET`, documented (the 304 itself is
/// answered by `crate::middleware`).
pub struct IfNoneMatch;

impl IntoParams for IfNoneMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "If-None-Match",
            ParameterIn::Header,
            false,
            "The ETags of the copies you hold (a list is compared tag by tag)",
            string().max_length(Some(MAX_IF_NONE_MATCH)),
        )]
    }
}

/// The version an `If-Match` header names: `None` when absent or `*`.
/// An entity tag that is not one of ours can never match (412).
pub struct IfMatch(pub Option<i64>);

impl FromRequest for IfMatch {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Required (`REQUIRE_IF_MATCH`, production's default) where a lost
        // update can happen: replacing or deleting a versioned resource. The
        // actions (`POST`) are guarded by the status machine and stay open
        // to ERP systems that act without reading first.
        let required = rules(req).require_if_match
            && matches!(*req.method(), actix_web::http::Method::PUT | actix_web::http::Method::DELETE);
        let Some(v) = req.headers().get(header::IF_MATCH) else {
            return ready(if required { Err(HttpError::PreconditionRequired) } else { Ok(IfMatch(None)) });
        };
        let s = v.to_str().unwrap_or("").trim();
        if s.len() > MAX_HEADER_TOKEN {
            return ready(Err(HttpError::from(ValidationErrors(vec![
                FieldError::new("If-Match", FieldCode::Length).with("max", MAX_HEADER_TOKEN)
            ]))));
        }
        if s == "*" {
            return ready(Ok(IfMatch(None)));
        }
        // RFC 9110 §13.1.1: If-Match compares strongly, so a weak tag (`W/"3"`)
        // never matches, and neither does a tag that is not one of ours. A
        // weak one is noted, so the 412 says why (`WeakIfMatch`).
        let first = s.split(',').next().unwrap_or("").trim();
        if first.starts_with("W/") {
            req.extensions_mut().insert(WeakIfMatch(first.to_owned()));
        }
        let version =
            first.strip_prefix('"').and_then(|t| t.strip_suffix('"')).and_then(|t| t.parse::<i64>().ok()).unwrap_or(-1);
        ready(Ok(IfMatch(Some(version))))
    }
}

/// The weak entity tag an `If-Match` named (`W/"3"`), kept with the request:
/// its 412 says that a weak tag never matches, not that the version is old.
#[derive(Debug, Clone)]
pub struct WeakIfMatch(pub String);

/// The `Idempotency-Key` header (SPEC §7): 1 to 255 visible ASCII characters.
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(v) = req.headers().get("Idempotency-Key") else {
            return ready(Ok(IdempotencyKey(None)));
        };
        let bytes = v.as_bytes();
        // Each fault by its own code: a key of the right length with a space
        // in it is told about the space, not about its length.
        let mut errs = Vec::new();
        if bytes.is_empty() || bytes.len() > MAX_HEADER_TOKEN {
            errs.push(FieldError::new("Idempotency-Key", FieldCode::Length).with("max", MAX_HEADER_TOKEN));
        }
        if !bytes.iter().all(|b| (0x21..=0x7e).contains(b)) {
            errs.push(FieldError::new("Idempotency-Key", FieldCode::VisibleAscii));
        }
        ready(match (errs.is_empty(), v.to_str()) {
            (true, Ok(s)) => Ok(IdempotencyKey(Some(s.to_owned()))),
            _ => Err(HttpError::from(ValidationErrors(errs))),
        })
    }
}

impl IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![idempotency_key_parameter()]
    }
}

/// Reads a date of a request body or query (`#[serde(deserialize_with =
/// "crate::extract::date")]`): `YYYY-MM-DD` in the years the product knows
/// (`domain::time::parse_date`), so `0000-01-01` or `+2015-03-02` is a 422
/// naming the field rather than a date.
pub fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<chrono::NaiveDate, D::Error> {
    let s = std::borrow::Cow::<str>::deserialize(d)?;
    domain::time::parse_date(&s).ok_or_else(|| {
        let (min, max) = (domain::time::DATE_YEARS.start(), domain::time::DATE_YEARS.end());
        serde::de::Error::custom(format!("expected a date from {min}-01-01 to {max}-12-31 written YYYY-MM-DD"))
    })
}

/// [`date`] of an optional field (with `#[serde(default)]`).
pub fn optional_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<chrono::NaiveDate>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "date")] chrono::NaiveDate);
    Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(d)| d))
}

/// The `{year}` of a path, checked as [`path_year`] checks it (else 404).
/// Extractors run in the handler's parameter order, so one placed after the
/// [`crate::auth::Caller`] answers 401 before 404.
pub struct Year(pub i32);

impl FromRequest for Year {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.match_info().get("year").ok_or(HttpError::App(AppError::NotFound)).and_then(path_year).map(Year))
    }
}

impl IntoParams for Year {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![year_parameter()]
    }
}

fn year_parameter() -> Parameter {
    use domain::campaign::{MAX_TARGET_YEAR, MIN_TARGET_YEAR};
    parameter("year", ParameterIn::Path, true, "Target year", integer(MIN_TARGET_YEAR.into(), MAX_TARGET_YEAR.into()))
}

/// The `{year}` and `{number}` of something numbered within a year — a
/// snapshot, an amendment — read from its path (else 404).
pub struct YearAndNumber {
    pub year: i32,
    pub number: i32,
}

/// The highest number within a year a path names: nine digits.
pub const MAX_NUMBER: i32 = 999_999_999;

impl FromRequest for YearAndNumber {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let segment = |name| req.match_info().get(name).ok_or(HttpError::App(AppError::NotFound));
        ready((|| Ok(YearAndNumber { year: path_year(segment("year")?)?, number: path_number(segment("number")?)? }))())
    }
}

impl IntoParams for YearAndNumber {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            year_parameter(),
            parameter("number", ParameterIn::Path, true, "Its number within the year", integer(1, MAX_NUMBER.into())),
        ]
    }
}

/// A number from a path: digits without a leading zero, from 1,
/// else 404 (one resource, one URL).
fn path_number(s: &str) -> Result<i32, HttpError> {
    Some(s)
        .filter(|s| !s.is_empty() && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse::<i32>().ok())
        .filter(|n| *n <= MAX_NUMBER)
        .ok_or(HttpError::App(AppError::NotFound))
}

/// A target year from a path (`domain::campaign::year_named`), else 404
/// (no such resource).
pub fn path_year(s: &str) -> Result<i32, HttpError> {
    domain::campaign::year_named(s).ok_or(HttpError::App(AppError::NotFound))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Line {
        title: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        lines: Vec<Line>,
    }

    fn fields(r: Result<Body, HttpError>) -> Vec<(String, &'static str)> {
        match r {
            Err(HttpError::App(AppError::Validation(v))) => {
                v.0.into_iter().map(|e| (e.field, e.code.as_str())).collect()
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_number_within_a_year_has_one_spelling() {
        assert_eq!(path_number("1").ok(), Some(1));
        assert_eq!(path_number("27").ok(), Some(27));
        assert_eq!(path_number("999999999").ok(), Some(MAX_NUMBER));
        for bad in ["0", "01", "", "-1", "+1", "1.0", "1000000000", "9999999999", "x"] {
            assert!(path_number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_refused_by_json_path() {
        let r = parse_json::<Body>(br#"{"name": "a\u0000b", "lines": [{"title": "ok"}, {"title": "x\u001b"}]}"#);
        assert_eq!(
            fields(r),
            vec![("name".to_owned(), "control_character"), ("lines[1].title".to_owned(), "control_character")]
        );
        let ok = parse_json::<Body>(br#"{"name": "tab\there\r\nline", "lines": []}"#).unwrap();
        assert_eq!(ok.name, "tab\there\r\nline");
        assert!(matches!(parse_json::<String>(br#""\u0000""#), Err(HttpError::App(AppError::Validation(_)))));
    }

    #[test]
    fn a_key_with_a_control_character_is_named_without_it() {
        let r = parse_json::<Body>(br#"{"name": "a", "lines": [], "x\u0001y": {"\u007f": 1}}"#);
        assert_eq!(
            fields(r),
            vec![("x\\u0001y".to_owned(), "control_character"), ("x\\u0001y.\\u007F".to_owned(), "control_character")]
        );
    }

    #[test]
    fn a_number_without_a_fraction_is_an_integer() {
        #[derive(Debug, Deserialize)]
        struct N {
            n: i64,
            u: u32,
        }
        let n: N = parse_json(br#"{"n": 3.0, "u": 3e2}"#).unwrap();
        assert_eq!((n.n, n.u), (3, 300));
        assert!(matches!(parse_json::<N>(br#"{"n": 3.5, "u": 1}"#), Err(HttpError::App(AppError::Validation(_)))));
        assert!(matches!(parse_json::<N>(br#"{"n": 1e300, "u": 1}"#), Err(HttpError::App(AppError::Validation(_)))));
    }

    #[test]
    fn a_repeated_key_is_refused_even_when_escaped_differently() {
        let r = parse_json::<Body>(br#"{"name": "a", "lines": [{"title": "t", "\u0074itle": "u"}], "name": "b"}"#);
        assert_eq!(
            fields(r),
            vec![("lines[0].title".to_owned(), "duplicate_key"), ("name".to_owned(), "duplicate_key")]
        );
    }

    #[test]
    fn a_path_year_has_one_spelling() {
        assert_eq!(path_year("2027").ok(), Some(2027));
        for alias in ["+2027", "02027", " 2027", "2027 ", "1999", "2101", "-2027", "2027.0"] {
            assert!(matches!(path_year(alias), Err(HttpError::App(AppError::NotFound))), "{alias}");
        }
    }

    #[test]
    fn dates_are_read_strictly() {
        #[derive(Debug, Deserialize)]
        struct D {
            #[serde(deserialize_with = "date")]
            on: chrono::NaiveDate,
            #[serde(default, deserialize_with = "optional_date")]
            from: Option<chrono::NaiveDate>,
        }
        let d: D = parse_json(br#"{"on": "2015-03-02", "from": null}"#).unwrap();
        assert_eq!((d.on.to_string(), d.from), ("2015-03-02".to_owned(), None));
        let d: D = parse_json(br#"{"on": "2015-03-02"}"#).unwrap();
        assert_eq!(d.from, None);
        for bad in [r#"{"on": "0000-01-01"}"#, r#"{"on": "2015-03-02", "from": "+2015-03-02"}"#] {
            match parse_json::<D>(bad.as_bytes()) {
                Err(HttpError::App(AppError::Validation(v))) => {
                    assert_eq!(v.0[0].code, FieldCode::InvalidType, "{bad}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn syntax_errors_stay_400() {
        assert!(matches!(parse_json::<Body>(b"{\"name\": "), Err(HttpError::App(AppError::BadRequest { .. }))));
        assert!(matches!(parse_json::<Body>(b"{} {}"), Err(HttpError::App(AppError::BadRequest { .. }))));
    }
}
