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

/// `Content-Disposition` of a file to save as `filename`: `filename=` with an
/// ASCII stand-in (other characters, quotes and backslashes as `_`) for old
/// clients, and `filename*=UTF-8''…` with the name itself percent-encoded
/// (RFC 6266 §4.3, RFC 8187), so `Bəyannamə.pdf` downloads as that.
pub fn attachment(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| if c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\') { c } else { '_' })
        .collect();
    let mut encoded = String::with_capacity(filename.len());
    for b in filename.bytes() {
        // RFC 8187 attr-char: what may stand unencoded.
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A stored file as its owner uploaded it: its type, its SHA-256 as the
/// `ETag`, its name to save it as, and no sniffing of its type.
pub fn stored_file(filename: &str, content_type: &str, sha256: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::ETAG, format!("\"{sha256}\"")))
        .insert_header((header::CONTENT_DISPOSITION, attachment(filename)))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes)
}

#[cfg(test)]
mod tests {
    use super::attachment;

    #[test]
    fn a_file_name_is_sent_whole_and_as_ascii() {
        assert_eq!(
            attachment("Bəyannamə 2027.pdf"),
            "attachment; filename=\"B_yannam_ 2027.pdf\"; filename*=UTF-8''B%C9%99yannam%C9%99%202027.pdf"
        );
        assert_eq!(attachment("a\"b\\c.pdf"), "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf");
        assert_eq!(
            attachment("summary-2027.csv"),
            "attachment; filename=\"summary-2027.csv\"; filename*=UTF-8''summary-2027.csv"
        );
    }
}
