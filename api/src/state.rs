//! What every handler shares, and the helpers that run database work off
//! the async workers (SPEC §8: blocking diesel calls never stall requests).

use crate::auth::{Caller, Verifier};
use crate::clock::Clock;
use crate::config::Config;
use crate::extract::{etag, IdempotencyKey};
use crate::metrics::Metrics;
use crate::problem::ApiError;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use persistence::idempotency::{self, IdempotencyScope, StoredResponse};
use persistence::{Db, DbConnection, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The occupational classification as searched in memory, with the version
/// it was loaded at.
pub struct OccupationSnapshot {
    pub version: i64,
    pub index: domain::occupation::OccupationIndex,
}

/// Loads the current classification from the database.
pub fn load_occupations(db: &persistence::Db) -> Result<OccupationSnapshot, StoreError> {
    let (version, rows) = db.read(persistence::reference::current_occupations)?;
    Ok(OccupationSnapshot { version, index: domain::occupation::OccupationIndex::build(rows) })
}

/// Failed token requests per client id, to throttle guessing of secrets:
/// after 5 failures within a minute the client id is refused for the rest
/// of that minute.
#[derive(Default)]
pub struct ClientFailures {
    map: std::sync::Mutex<std::collections::HashMap<String, (u32, std::time::Instant)>>,
}

impl ClientFailures {
    const LIMIT: u32 = 5;
    const WINDOW: std::time::Duration = std::time::Duration::from_secs(60);

    /// Seconds to wait, if the client id is blocked now.
    pub fn blocked(&self, id: &str) -> Option<u64> {
        let map = self.map.lock().ok()?;
        let (n, since) = map.get(id)?;
        let left = Self::WINDOW.checked_sub(since.elapsed())?;
        (*n >= Self::LIMIT).then(|| left.as_secs().max(1))
    }

    pub fn failed(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() > 10_000 {
                map.retain(|_, (_, since)| since.elapsed() < Self::WINDOW);
            }
            let e = map.entry(id.to_owned()).or_insert((0, std::time::Instant::now()));
            if e.1.elapsed() >= Self::WINDOW {
                *e = (0, std::time::Instant::now());
            }
            e.0 += 1;
        }
    }

    pub fn succeeded(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(id);
        }
    }
}

pub struct AppState {
    pub occupations: std::sync::RwLock<Arc<OccupationSnapshot>>,
    pub mailer: crate::mailer::Mailer,
    /// Set to stop the outbox worker where it stands (tests simulate a crash).
    pub worker_stopped: std::sync::atomic::AtomicBool,
    pub client_failures: ClientFailures,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub verifier: Verifier,
    pub config: Config,
    pub metrics: Metrics,
    pub limiter: crate::middleware::Limiter,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The classification to search now.
    pub fn occupation_index(&self) -> Arc<OccupationSnapshot> {
        self.occupations.read().map(|g| g.clone()).unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Reloads the classification if the database holds a newer version
    /// (after an import here, or by the CLI or another replica).
    pub fn refresh_occupations(&self) -> Result<bool, StoreError> {
        let current = self.occupation_index().version;
        let latest = self.db.read(persistence::reference::occupations_version)?;
        if latest == current {
            return Ok(false);
        }
        let fresh = Arc::new(load_occupations(&self.db)?);
        match self.occupations.write() {
            Ok(mut g) => *g = fresh,
            Err(e) => *e.into_inner() = fresh,
        }
        Ok(true)
    }

    /// Runs a read on the blocking pool.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let db = self.db.clone();
        web::block(move || db.read(f)).await?.map_err(ApiError::from)
    }

    /// Runs a single-statement read on the blocking pool, without a transaction.
    pub async fn read_one<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let db = self.db.clone();
        web::block(move || db.read_one(f)).await?.map_err(ApiError::from)
    }

    /// Runs one write transaction on the blocking pool.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl Fn(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let db = self.db.clone();
        web::block(move || db.write(f)).await?.map_err(ApiError::from)
    }

    /// Runs a creating or acting `POST` as one transaction under its
    /// `Idempotency-Key` (SPEC §7): a retry gets the first answer back.
    pub async fn idempotent(
        &self,
        req: &HttpRequest,
        caller: &Caller,
        key: IdempotencyKey,
        body: &[u8],
        f: impl Fn(&mut DbConnection, DateTime<Utc>) -> Result<StoredResponse, StoreError> + Send + 'static,
    ) -> Result<HttpResponse, ApiError> {
        let now = self.now();
        let mut h = Sha256::new();
        h.update(req.method().as_str());
        h.update(b" ");
        h.update(req.path());
        h.update(b"\n");
        h.update(body);
        let hash = hex::encode(h.finalize());
        let caller = caller.sub.clone();
        let stored = self
            .write(move |conn| {
                let scope = key.0.as_deref().map(|k| IdempotencyScope {
                    caller: &caller,
                    key: k,
                    request_hash: &hash,
                    now: now.naive_utc(),
                });
                idempotency::run(conn, scope.as_ref(), |c| f(c, now))
            })
            .await?;
        Ok(replay(&stored))
    }
}

/// A JSON answer to store (and replay) for an idempotent request.
pub fn stored<T: Serialize>(
    status: StatusCode,
    body: &T,
    location: Option<String>,
    version: Option<i64>,
) -> StoredResponse {
    StoredResponse {
        status: status.as_u16(),
        body: serde_json::to_string(body).unwrap_or_default(),
        location,
        etag: version.map(etag),
        replayed: false,
    }
}

/// The HTTP response of a stored answer.
pub fn replay(s: &StoredResponse) -> HttpResponse {
    let mut b = HttpResponse::build(StatusCode::from_u16(s.status).unwrap_or(StatusCode::OK));
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
    b.body(s.body.clone())
}

/// A JSON response with an `ETag`.
pub fn json_with_etag<T: Serialize>(status: StatusCode, body: &T, version: i64) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, etag(version))).json(body)
}

/// A cacheable JSON answer (reference data): a strong `ETag` over the body,
/// `Cache-Control`, and 304 when `If-None-Match` names the same body.
pub fn cached_json<T: Serialize>(req: &HttpRequest, body: &T) -> HttpResponse {
    let json = serde_json::to_vec(body).unwrap_or_default();
    let tag = format!("\"{}\"", hex::encode(&Sha256::digest(&json)[..16]));
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == tag));
    let mut b = if matches { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    b.insert_header((header::ETAG, tag));
    b.insert_header((header::CACHE_CONTROL, "private, max-age=300, must-revalidate"));
    if matches {
        b.finish()
    } else {
        b.content_type("application/json").body(json)
    }
}
