//! Building and running the server. The listener is bound first, so tests
//! can ask for port 0 and read the port back (zero2prod's `Application`).

use crate::auth::Verifier;
use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::middleware::{envelope, limiter, not_found};
use crate::openapi::ApiDoc;
use crate::state::AppState;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use persistence::{Db, DbSettings, Target};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

/// Opens the database of `config`, applies migrations and seeds reference data.
pub fn open_database(config: &Config) -> Result<Db, String> {
    let target = Target::from_url(&config.database_url).map_err(|e| e.to_string())?;
    let mut settings = DbSettings::new(target);
    settings.pool_size = config.pool_size;
    let db = Db::open(settings);
    let applied = db.migrate().map_err(|e| format!("migrations: {e}"))?;
    for m in &applied {
        tracing::info!(migration = %m, "migration applied");
    }
    db.write(persistence::reference::seed_builtin).map_err(|e| format!("reference data: {e}"))?;
    Ok(db)
}

impl Application {
    /// Binds `config.bind`, opens the database and builds the server.
    pub fn build(config: Config, clock: Arc<dyn Clock>) -> Result<Application, String> {
        let db = open_database(&config)?;
        let listener = TcpListener::bind(&config.bind).map_err(|e| format!("cannot bind {}: {e}", config.bind))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let verifier = Verifier::new(&config.auth)?;
        let occupations = crate::state::load_occupations(&db).map_err(|e| format!("classification: {e}"))?;
        let mailer = crate::mailer::Mailer::new(config.smtp_url.as_deref(), &config.smtp_from)?;
        let poll = config.outbox_poll;
        let state = web::Data::new(AppState {
            occupations: std::sync::RwLock::new(Arc::new(occupations)),
            mailer,
            worker_stopped: std::sync::atomic::AtomicBool::new(false),
            client_failures: Default::default(),
            db,
            clock,
            verifier,
            limiter: limiter(config.rate_limit_per_second, config.rate_limit_burst),
            config,
            metrics: Metrics::default(),
        });
        // Another replica or the CLI may import a classification: look for a
        // newer version every few seconds. The thread ends with the server.
        let weak = Arc::downgrade(&state.clone().into_inner());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5));
            let Some(state) = weak.upgrade() else { break };
            if let Err(e) = state.refresh_occupations() {
                tracing::warn!(error = %e, "could not refresh the classification");
            }
        });
        crate::worker::spawn(Arc::downgrade(&state.clone().into_inner()), poll);
        let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(2);
        let shared = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(from_fn(envelope))
                .configure(crate::routes::configure)
                .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", ApiDoc::openapi()))
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

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
