//! The answers handlers build: stored (idempotent) answers and their
//! replay, versioned and cacheable JSON.

use crate::problem::HttpError;
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use application::AppError;
use persistence::idempotency::StoredResponse;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `ETag` of a resource at `version`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A JSON answer to store (and replay) for an idempotent request.
pub fn stored<T: Serialize>(
    status: StatusCode,
    body: &T,
    location: Option<String>,
    version: Option<i64>,
) -> Result<StoredResponse, AppError> {
    Ok(StoredResponse {
        status: status.as_u16(),
        body: serde_json::to_string(body).map_err(|e| AppError::bug(format!("answer not serialisable: {e}")))?,
        location,
        etag: version.map(etag),
        replayed: false,
    })
}

/// The HTTP response of a stored answer.
pub fn replay(s: &StoredResponse) -> Result<HttpResponse, HttpError> {
    let status = StatusCode::from_u16(s.status)
        .map_err(|e| AppError::bug(format!("stored answer's status {}: {e}", s.status)))?;
    let mut b = HttpResponse::build(status);
    b.insert_header((header::CONTENT_TYPE, "application/json"));
    if let Some(l) = &s.location {
        b.insert_header((header::LOCATION, l.clone()));
    }
    if let Some(e) = &s.etag {
        b.insert_header((header::ETAG, e.clone()));
    }
    if s.replayed {
        b.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(b.body(s.body.clone()))
}

/// A JSON response with an `ETag`.
pub fn json_with_etag<T: Serialize>(status: StatusCode, body: &T, version: i64) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, etag(version))).json(body)
}

/// A cacheable JSON answer (reference data): a strong `ETag` over the body
/// and `Cache-Control`; the envelope answers 304 to a matching `If-None-Match`.
pub fn cached_json<T: Serialize>(body: &T) -> Result<HttpResponse, HttpError> {
    let json = serde_json::to_vec(body).map_err(|e| AppError::bug(format!("answer not serialisable: {e}")))?;
    let tag = format!("\"{}\"", hex::encode(&Sha256::digest(&json)[..16]));
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300, must-revalidate"))
        .content_type("application/json")
        .body(json))
}
