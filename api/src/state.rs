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
use persistence::{Db, DbConnection, StoreError, TxError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The occupational classification as searched in memory, with the version
/// it was loaded at.
pub struct OccupationSnapshot {
    pub version: i64,
    pub index: domain::occupation::OccupationIndex,
}

impl OccupationSnapshot {
    /// No classification yet (the database is not prepared); any version
    /// loaded later replaces it.
    pub fn none() -> OccupationSnapshot {
        OccupationSnapshot { version: -1, index: domain::occupation::OccupationIndex::build(Vec::new()) }
    }
}

/// The campaigns `admin` set (SPEC §4.4, §15.1), with the campaigns'
/// version they were loaded at: filing a forecast checks the calendar from
/// memory when the version it reads anyway still matches.
#[derive(Debug, Clone)]
pub struct CampaignSnapshot {
    pub version: i64,
    pub stored: Vec<domain::campaign::Campaign>,
}

impl CampaignSnapshot {
    /// Nothing loaded yet: no version matches it.
    pub fn none() -> CampaignSnapshot {
        CampaignSnapshot { version: -1, stored: Vec::new() }
    }

    /// The stored campaigns of target years after `year`, in order (what
    /// `persistence::campaigns::stored_after` reads).
    pub fn after(&self, year: i32) -> Vec<domain::campaign::Campaign> {
        self.stored.iter().filter(|c| c.target_year > year).cloned().collect()
    }

    /// The campaign of `year`: the one stored, or the defaults (what
    /// `persistence::campaigns::get` reads).
    pub fn of(&self, year: i32) -> domain::campaign::Campaign {
        domain::campaign::campaign_of(year, &self.stored)
    }
}

/// Reference data held in memory, swapped whole when a newer version is
/// loaded; readers keep the copy they took.
pub struct Cached<T>(std::sync::RwLock<Arc<T>>);

impl<T> Cached<T> {
    pub fn new(value: T) -> Cached<T> {
        Cached(std::sync::RwLock::new(Arc::new(value)))
    }

    pub fn get(&self) -> Arc<T> {
        self.0.read().map(|g| g.clone()).unwrap_or_else(|e| e.into_inner().clone())
    }

    fn set(&self, value: T) {
        let fresh = Arc::new(value);
        match self.0.write() {
            Ok(mut g) => *g = fresh,
            Err(e) => *e.into_inner() = fresh,
        }
    }
}

/// Loads the current classification from the database.
pub fn load_occupations(db: &persistence::Db) -> Result<OccupationSnapshot, StoreError> {
    let (version, rows) = db.read(persistence::reference::current_occupations)?;
    Ok(OccupationSnapshot { version, index: domain::occupation::OccupationIndex::build(rows) })
}

/// Failed token requests per API client, to throttle guessing of secrets:
/// after 5 failures within a minute the client id is refused for the rest
/// of that minute. Only clients that exist are counted (guessing the secret
/// of an unknown id is pointless, and an id a caller makes up must not
/// become memory it holds; the rate limiter bounds those callers), and at
/// most `max` clients are remembered, the oldest forgotten first.
pub struct ClientFailures {
    map: std::sync::Mutex<std::collections::HashMap<String, (u32, std::time::Instant)>>,
    max: usize,
}

impl ClientFailures {
    const LIMIT: u32 = 5;
    const WINDOW: std::time::Duration = std::time::Duration::from_secs(60);

    pub fn new(max: usize) -> ClientFailures {
        ClientFailures { map: Default::default(), max: max.max(1) }
    }

    /// Seconds to wait, if the client id is blocked now.
    pub fn blocked(&self, id: &str) -> Option<u64> {
        let map = self.map.lock().ok()?;
        let (n, since) = map.get(id)?;
        let left = Self::WINDOW.checked_sub(since.elapsed())?;
        (*n >= Self::LIMIT).then(|| left.as_secs().max(1))
    }

    /// Counts a failure of an existing client.
    pub fn failed(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            if !map.contains_key(id) && map.len() >= self.max {
                map.retain(|_, (_, since)| since.elapsed() < Self::WINDOW);
                if map.len() >= self.max {
                    let oldest = map.iter().min_by_key(|(_, (_, since))| *since).map(|(k, _)| k.clone());
                    if let Some(k) = oldest {
                        map.remove(&k);
                    }
                }
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

    /// Clients remembered now.
    pub fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub struct AppState {
    pub occupations: Cached<OccupationSnapshot>,
    pub campaigns: Cached<CampaignSnapshot>,
    pub mailer: crate::mailer::Mailer,
    /// Set to stop the outbox worker where it stands (tests simulate a crash).
    #[cfg(feature = "test-hooks")]
    pub worker_stopped: std::sync::atomic::AtomicBool,
    /// Whether the database has been migrated and seeded by this process;
    /// until then every API request answers 503 (see `app::Application::build`).
    pub db_ready: std::sync::atomic::AtomicBool,
    pub client_failures: ClientFailures,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub verifier: Verifier,
    /// Signs HQM decision documents (SPEC §14.5).
    pub signer: crate::signing::Signer,
    pub config: Config,
    pub metrics: Metrics,
    pub limiter: crate::middleware::Limiter,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn is_db_ready(&self) -> bool {
        self.db_ready.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The classification to search now.
    pub fn occupation_index(&self) -> Arc<OccupationSnapshot> {
        self.occupations.get()
    }

    /// Reloads the classification if the database holds a newer version
    /// (after an import here, or by the CLI or another replica).
    pub fn refresh_occupations(&self) -> Result<bool, StoreError> {
        let current = self.occupation_index().version;
        let latest = self.db.read(persistence::reference::occupations_version)?;
        if latest == current {
            return Ok(false);
        }
        self.occupations.set(load_occupations(&self.db)?);
        Ok(true)
    }

    /// Reloads the campaigns if the database holds a newer version.
    pub fn refresh_campaigns(&self) -> Result<bool, StoreError> {
        let current = self.campaigns.get().version;
        let latest = self.db.read(|c| persistence::reference::version_of(c, "campaigns"))?;
        if latest == current {
            return Ok(false);
        }
        let (version, stored) = self.db.read(persistence::campaigns::all_stored)?;
        self.campaigns.set(CampaignSnapshot { version, stored });
        Ok(true)
    }

    /// Reloads whatever reference data changed in the database.
    pub fn refresh_reference(&self) -> Result<(), StoreError> {
        self.refresh_occupations()?;
        self.refresh_campaigns()?;
        Ok(())
    }

    /// The reference data held in memory now, for a use case to check
    /// against the versions it reads.
    pub fn memo(&self) -> crate::usecases::Memo {
        crate::usecases::Memo { occupations: self.occupations.get(), campaigns: self.campaigns.get() }
    }

    /// Runs database work on the blocking pool, off the async workers
    /// (SPEC §8), and maps its error.
    async fn blocking<T: Send + 'static, E: Send + 'static>(
        &self,
        work: impl FnOnce(&Db) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        ApiError: From<E>,
    {
        let db = self.db.clone();
        web::block(move || work(&db)).await?.map_err(ApiError::from)
    }

    /// Runs a read transaction. `f` may end with a store error or a use
    /// case's [`ApiError`].
    pub async fn read<T: Send + 'static, E: TxError + Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        ApiError: From<E>,
    {
        self.blocking(move |db| db.read(f)).await
    }

    /// Runs a single-statement read, without a transaction.
    pub async fn read_one<T: Send + 'static, E: TxError + Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        ApiError: From<E>,
    {
        self.blocking(move |db| db.read_one(f)).await
    }

    /// Runs one write transaction (run again from the start if it lost a
    /// race, so `f` is `Fn`).
    pub async fn write<T: Send + 'static, E: TxError + Send + 'static>(
        &self,
        f: impl Fn(&mut DbConnection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        ApiError: From<E>,
    {
        self.blocking(move |db| db.write(f)).await
    }

    /// Runs a creating or acting `POST` as one transaction under its
    /// `Idempotency-Key` (SPEC §7): a retry gets the first answer back.
    pub async fn idempotent(
        &self,
        req: &HttpRequest,
        caller: &Caller,
        key: IdempotencyKey,
        body: &[u8],
        f: impl Fn(&mut DbConnection, DateTime<Utc>) -> Result<StoredResponse, ApiError> + Send + 'static,
    ) -> Result<HttpResponse, ApiError> {
        self.idempotent_at_once(req, caller, key, body, None::<AtOnce>, f).await
    }

    /// [`Self::idempotent`], tried first as `once`: work done in one
    /// statement outside a transaction, which answers `None` when it did
    /// nothing and the transaction should run.
    pub async fn idempotent_at_once<O>(
        &self,
        req: &HttpRequest,
        caller: &Caller,
        key: IdempotencyKey,
        body: &[u8],
        once: Option<O>,
        f: impl Fn(&mut DbConnection, DateTime<Utc>) -> Result<StoredResponse, ApiError> + Send + 'static,
    ) -> Result<HttpResponse, ApiError>
    where
        O: FnOnce(
                &mut DbConnection,
                DateTime<Utc>,
                Option<&IdempotencyScope<'_>>,
            ) -> Result<Option<StoredResponse>, ApiError>
            + Send
            + 'static,
    {
        let now = self.now();
        let hash = request_hash(req, body);
        let caller = caller.sub.clone();
        let once = once.filter(|_| self.db.writes_at_once());
        let once_tried = once.is_some();
        let (at_once, stored) = self
            .blocking(move |db| {
                let scope = key.0.as_deref().map(|k| IdempotencyScope {
                    caller: &caller,
                    key: k,
                    request_hash: &hash,
                    now: now.naive_utc(),
                });
                if let Some(once) = once {
                    match db.autocommit(|c| once(c, now, scope.as_ref())) {
                        Ok(Some(done)) => return Ok((Some(true), Ok(done))),
                        Ok(None) => {}
                        Err(e) => return Ok((None, Err(e))),
                    }
                }
                let tried = once_tried.then_some(false);
                Ok::<_, ApiError>((tried, db.write(|conn| idempotency::run(conn, scope.as_ref(), |c| f(c, now)))))
            })
            .await?;
        if let Some(done) = at_once {
            self.metrics.at_once(done);
        }
        let stored = stored?;
        replay(&stored)
    }
}

/// Work that [`AppState::idempotent`] has no use for.
type AtOnce =
    fn(&mut DbConnection, DateTime<Utc>, Option<&IdempotencyScope<'_>>) -> Result<Option<StoredResponse>, ApiError>;

/// What an `Idempotency-Key` is bound to: method, path (with query) and body.
fn request_hash(req: &HttpRequest, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(req.method().as_str());
    h.update(b" ");
    h.update(req.path());
    if !req.query_string().is_empty() {
        h.update(b"?");
        h.update(req.query_string());
    }
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

/// A JSON answer to store (and replay) for an idempotent request.
pub fn stored<T: Serialize>(
    status: StatusCode,
    body: &T,
    location: Option<String>,
    version: Option<i64>,
) -> Result<StoredResponse, ApiError> {
    Ok(StoredResponse {
        status: status.as_u16(),
        body: serde_json::to_string(body).map_err(|e| ApiError::Internal(format!("answer not serialisable: {e}")))?,
        location,
        etag: version.map(etag),
        replayed: false,
    })
}

/// The HTTP response of a stored answer.
pub fn replay(s: &StoredResponse) -> Result<HttpResponse, ApiError> {
    let status = StatusCode::from_u16(s.status)
        .map_err(|e| ApiError::Internal(format!("stored answer's status {}: {e}", s.status)))?;
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
pub fn cached_json<T: Serialize>(body: &T) -> Result<HttpResponse, ApiError> {
    let json = serde_json::to_vec(body).map_err(|e| ApiError::Internal(format!("answer not serialisable: {e}")))?;
    let tag = format!("\"{}\"", hex::encode(&Sha256::digest(&json)[..16]));
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300, must-revalidate"))
        .content_type("application/json")
        .body(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_remembered_for_at_most_max_clients() {
        let f = ClientFailures::new(3);
        for id in ["a", "b", "c", "d", "e"] {
            f.failed(id);
        }
        assert_eq!(f.len(), 3);
        for _ in 0..5 {
            f.failed("e");
        }
        assert!(f.blocked("e").is_some());
        assert!(f.blocked("a").is_none());
        f.succeeded("e");
        assert!(f.blocked("e").is_none());
    }
}
