//! What every handler shares, and the helpers that run database work off
//! the async workers (SPEC §8: blocking diesel calls never stall requests).

use crate::auth::Verifier;
use crate::clock::Clock;
use crate::config::Config;
use crate::extract::IdempotencyKey;
use crate::metrics::Metrics;
use crate::problem::HttpError;
use crate::respond::replay;
use actix_web::{web, HttpRequest, HttpResponse};
use application::memory::Reference;
use application::{AppError, Caller, Memo};
use chrono::{DateTime, Utc};
use persistence::idempotency::{self, IdempotencyScope, Next, StoredResponse};
use persistence::{Db, DbConnection};
use sha2::{Digest, Sha256};
use std::sync::Arc;

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
    /// The classification and the campaigns held in memory (SPEC §11).
    pub reference: Reference,
    /// Forecast numbers reserved for the filings written in one statement.
    pub numbers: application::forecasts::Numbers,
    pub mailer: crate::mailer::Mailer,
    /// Set to stop the outbox worker where it stands (tests simulate a crash).
    #[cfg(feature = "test-hooks")]
    pub worker_stopped: std::sync::atomic::AtomicBool,
    /// Milliseconds the webhook sender waits inside its claiming
    /// transaction, so a test makes two replicas' claims overlap.
    #[cfg(feature = "test-hooks")]
    pub claim_pause_ms: std::sync::atomic::AtomicU64,
    /// Whether the database has been migrated and seeded by this process;
    /// until then every API request answers 503 (see `app::Application::build`).
    pub db_ready: std::sync::atomic::AtomicBool,
    pub client_failures: ClientFailures,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub verifier: web::Data<Verifier>,
    /// Signs HQM decision documents (SPEC §14.5).
    pub signer: application::signing::Signer,
    /// Seals webhook secrets and judges endpoint URLs (SPEC §17).
    pub webhooks: application::webhooks::Hooks,
    pub config: Config,
    pub metrics: Metrics,
    pub limiter: crate::limiter::Limiter,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn is_db_ready(&self) -> bool {
        self.db_ready.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The reference data held in memory now, for one request.
    pub fn memo(&self) -> Memo {
        self.reference.memo()
    }

    /// Reloads whatever reference data changed in the database (after an
    /// import here, or by the CLI or another replica). Blocking.
    pub fn refresh_reference(&self) -> Result<bool, AppError> {
        self.db.read_one(|c| self.reference.refresh(c))
    }

    /// Runs database work on the blocking pool, off the async workers
    /// (SPEC §8).
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Db) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, HttpError> {
        let db = self.db.clone();
        Ok(web::block(move || work(&db)).await??)
    }

    /// Runs a use case in a read transaction.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, HttpError> {
        self.blocking(move |db| db.read(f)).await
    }

    /// Runs a single-statement read, without a transaction.
    pub async fn read_one<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, HttpError> {
        self.blocking(move |db| db.read_one(f)).await
    }

    /// Runs a use case as one write transaction (run again from the start
    /// if it lost a race, so `f` is `Fn`).
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl Fn(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, HttpError> {
        self.blocking(move |db| db.write(f)).await
    }

    /// Runs a creating or acting `POST` as one transaction under its
    /// `Idempotency-Key` (SPEC §7): `f` runs the use case and makes the
    /// answer, which is stored with the key; a retry gets it back.
    pub async fn idempotent(
        &self,
        req: &HttpRequest,
        caller: &Caller,
        key: IdempotencyKey,
        body: &[u8],
        f: impl Fn(&mut DbConnection, DateTime<Utc>) -> Result<StoredResponse, AppError> + Send + 'static,
    ) -> Result<HttpResponse, HttpError> {
        let now = self.now();
        let key = Keyed::new(req, caller, key, body, now);
        let stored = self.blocking(move |db| db.write(|conn| key.run(conn, |c| f(c, now)))).await?;
        replay(&stored)
    }
}

/// Refreshes the copies of the reference data after a change this server
/// committed: the change stands, so a failed refresh is logged, not
/// answered (the copies follow within their refresh period, and until then
/// use cases read the database, as the versions differ).
pub async fn refreshed(state: &web::Data<AppState>) {
    let fresh = state.clone();
    match web::block(move || fresh.refresh_reference()).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "could not refresh the reference data"),
        Err(e) => tracing::warn!(error = %e, "could not refresh the reference data"),
    }
}

/// A request's `Idempotency-Key` with what it is bound to: the caller, the
/// method, path and body (a hash), and the time.
pub struct Keyed {
    caller: String,
    key: Option<String>,
    hash: String,
    now: DateTime<Utc>,
}

impl Keyed {
    pub fn new(req: &HttpRequest, caller: &Caller, key: IdempotencyKey, body: &[u8], now: DateTime<Utc>) -> Keyed {
        Keyed { caller: caller.sub.clone(), key: key.0, hash: request_hash(req, body), now }
    }

    /// The key's scope, if the request sent a key.
    pub fn scope(&self) -> Option<IdempotencyScope<'_>> {
        self.key.as_deref().map(|k| IdempotencyScope {
            caller: &self.caller,
            key: k,
            request_hash: &self.hash,
            now: self.now.naive_utc(),
        })
    }

    /// Runs `f` in the caller's write transaction under the key: the stored
    /// answer when the key answered already, else `f`'s answer, stored with
    /// the key (zero2prod's `try_processing` and `save_response`).
    pub fn run(
        &self,
        conn: &mut DbConnection,
        f: impl FnOnce(&mut DbConnection) -> Result<StoredResponse, AppError>,
    ) -> Result<StoredResponse, AppError> {
        let Some(scope) = self.scope() else { return f(conn) };
        match idempotency::begin(conn, &scope)? {
            Next::Replay(answer) => Ok(answer),
            Next::Start => {
                let answer = f(conn)?;
                idempotency::save(conn, &scope, &answer)?;
                Ok(answer)
            }
        }
    }
}

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
