//! Building and running the server. The listener is bound first, so tests
//! can ask for port 0 and read the port back (zero2prod's `Application`).

use crate::auth::Verifier;
use crate::clock::Clock;
use crate::config::Config;
use crate::limiter::Limiter;
use crate::metrics::Metrics;
use crate::middleware::{admission, envelope, not_found};
use crate::state::AppState;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use persistence::{Db, DbSettings, Target};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use utoipa_swagger_ui::SwaggerUi;

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

/// The database of `config`, opened without waiting for it.
fn database(config: &Config) -> Result<Db, String> {
    let target = Target::from_url(&config.database_url).map_err(|e| e.to_string())?;
    let mut settings = DbSettings::new(target);
    settings.pool_size = config.pool_size;
    Ok(Db::open(settings))
}

/// Applies migrations and seeds reference data (see [`Db::prepare`]);
/// `now` names the years whose built-in holiday lists are seeded.
fn prepare(db: &Db, now: chrono::DateTime<chrono::Utc>) -> Result<(), persistence::StoreError> {
    for m in db.prepare(now)? {
        tracing::info!(migration = %m, "migration applied");
    }
    Ok(())
}

/// Opens the database of `config`, applies migrations and seeds reference
/// data; an error when it cannot (the CLI commands need the database now).
pub fn open_database(config: &Config) -> Result<Db, String> {
    let db = database(config)?;
    prepare(&db, chrono::Utc::now()).map_err(|e| format!("database: {e}"))?;
    Ok(db)
}

/// Prepares the database in the background until it answers, with a
/// growing pause (a quarter second to five), then loads the classification
/// and lets requests through. The thread ends with the server.
fn prepare_in_background(state: std::sync::Weak<AppState>) {
    std::thread::spawn(move || {
        let mut pause = Duration::from_millis(250);
        loop {
            std::thread::sleep(pause);
            let Some(state) = state.upgrade() else { break };
            let ready = prepare(&state.db, state.now()).map_err(application::AppError::from);
            match ready.and_then(|()| state.refresh_reference()) {
                Ok(_) => {
                    state.db_ready.store(true, std::sync::atomic::Ordering::SeqCst);
                    tracing::info!("the database is up to date; serving");
                    break;
                }
                Err(application::AppError::ServiceUnavailable(e)) => {
                    tracing::info!(error = %e, "the database is still unavailable; answering 503");
                }
                Err(e) => tracing::error!(error = %e, "the database could not be prepared; answering 503"),
            }
            pause = (pause * 2).min(Duration::from_secs(5));
        }
    });
}

/// CORS for browser front ends on other origins (SPEC §7, `CORS_ALLOWED_ORIGINS`):
/// only the listed origins are granted, for the methods and headers the API
/// uses, and the headers a client needs to read are exposed.
fn cors(origins: &[String]) -> actix_cors::Cors {
    use actix_web::http::header;
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "HEAD", "POST", "PUT", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::CONTENT_DISPOSITION,
            header::CONTENT_LANGUAGE,
            // RFC 6750: what a page needs to tell a missing token from a bad one.
            header::WWW_AUTHENTICATE,
            header::ALLOW,
            header::HeaderName::from_static("idempotent-replayed"),
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(600);
    for o in origins {
        cors = cors.allowed_origin(o);
    }
    cors
}

impl Application {
    /// Binds `config.bind`, opens the database and builds the server. A
    /// database that cannot be reached does not stop the server: it answers
    /// 503 until the database is up, migrated and seeded (in the background);
    /// any other failure to prepare it does.
    pub fn build(config: Config, clock: Arc<dyn Clock>) -> Result<Application, String> {
        let db = database(&config)?;
        let production = config.env == crate::config::AppEnv::Production;
        let signer =
            application::signing::Signer::load(config.hqm_signing_key.as_deref(), production, &config.data_dir)?;
        let webhooks = application::webhooks::Hooks {
            sealer: application::webhooks::Sealer::load(
                config.webhook_secret_key.as_ref().map(|k| k.0.as_str()),
                production,
                &config.data_dir,
            )?,
            policy: application::webhooks::UrlPolicy { production, allow_private: config.webhook_allow_private },
        };
        let ready = match prepare(&db, clock.now()) {
            Ok(()) => true,
            Err(persistence::StoreError::Unavailable(e)) => {
                tracing::warn!(error = %e, "the database is unavailable; answering 503 until it is up");
                false
            }
            Err(e) => return Err(format!("database: {e}")),
        };
        let listener = TcpListener::bind(&config.bind).map_err(|e| format!("cannot bind {}: {e}", config.bind))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let verifier = web::Data::new(Verifier::new(&config.auth)?.with_client_lifetime(config.client_token_ttl));
        let reference = application::memory::Reference::default();
        if ready {
            db.read_one(|c| reference.refresh(c)).map_err(|e| format!("reference data: {e}"))?;
        }
        let mailer = crate::mailer::Mailer::new(&config)?;
        let poll = config.outbox_poll;
        let state = web::Data::new(AppState {
            reference,
            numbers: application::forecasts::Numbers::default(),
            mailer,
            #[cfg(feature = "test-hooks")]
            worker_stopped: std::sync::atomic::AtomicBool::new(false),
            #[cfg(feature = "test-hooks")]
            claim_pause_ms: std::sync::atomic::AtomicU64::new(0),
            db_ready: std::sync::atomic::AtomicBool::new(ready),
            client_failures: crate::state::ClientFailures::new(config.oauth_max_tracked_clients),
            db,
            clock,
            verifier,
            signer,
            webhooks,
            limiter: Limiter::new(config.rate_limit_per_second, config.rate_limit_burst, config.rate_limit_max_peers),
            config,
            metrics: Metrics::default(),
        });
        // Another replica or the CLI may import a classification: look for a
        // newer version every few seconds. The rate limiter forgets idle
        // callers at the same pace. The thread ends with the server.
        if !ready {
            prepare_in_background(Arc::downgrade(&state.clone().into_inner()));
        }
        let weak = Arc::downgrade(&state.clone().into_inner());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5));
            let Some(state) = weak.upgrade() else { break };
            state.limiter.sweep();
            if !state.is_db_ready() {
                continue;
            }
            if let Err(e) = state.refresh_reference() {
                tracing::warn!(error = %e, "could not refresh the reference data");
            }
        });
        crate::worker::spawn(Arc::downgrade(&state.clone().into_inner()), poll);
        crate::worker::spawn_webhooks(Arc::downgrade(&state.clone().into_inner()), poll);
        let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(2);
        let shared = state.clone();
        let origins = state.config.cors_allowed_origins.clone();
        let rules = crate::extract::RequestRules {
            body_limit: state.config.body_limit,
            body_timeout: state.config.body_timeout,
            require_if_match: state.config.require_if_match,
        };
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(state.verifier.clone())
                .app_data(rules)
                // Outermost first: envelope, then CORS, then admission (429/406/400/503).
                .wrap(from_fn(admission))
                .wrap(cors(&origins))
                .wrap(from_fn(envelope))
                .configure(crate::routes::configure)
                .service(
                    SwaggerUi::new("/swagger-ui/{_:.*}")
                        .external_url_unchecked("/api-docs/openapi.json", crate::openapi::document_value())
                        // Swagger UI would send the document's address to
                        // validator.swagger.io from any host but localhost:
                        // a request out of a ministry's network. Never.
                        .config(utoipa_swagger_ui::Config::default().validator_url("none")),
                )
                // `/swagger-ui` as typed: Swagger UI needs the slash for its relative assets.
                .service(web::redirect("/swagger-ui", "/swagger-ui/").permanent())
                .default_service(web::to(not_found))
        })
        .workers(workers)
        .shutdown_timeout(10)
        .client_request_timeout(Duration::from_secs(30))
        .listen(listener)
        .map_err(|e| e.to_string())?
        .run();
        Ok(Application { port, server, state: shared })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The state the handlers share (the database, the clock).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// A handle that stops the server (tests stop theirs when they end, so
    /// a test run does not keep every earlier test's server polling).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
