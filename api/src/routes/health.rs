//! Probes and metrics (SPEC §7).

use crate::dto::Health;
use crate::handler::{Reply, State};
use actix_web::HttpResponse;
use application::{AppError, Unavailable};

/// Liveness
///
/// The process answers; nothing else is checked.
#[utoipa::path(get, path = "/health/live", tag = "operations", responses((status = 200, description = "Alive", body = Health)))]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into() })
}

/// Readiness
///
/// The database answers; 503 otherwise.
#[utoipa::path(get, path = "/health/ready", tag = "operations", responses((status = 200, description = "Ready", body = Health)))]
pub async fn ready(state: State) -> Reply {
    if !state.is_db_ready() {
        let why = Unavailable::Database("the database is not prepared yet".into());
        return Err(AppError::ServiceUnavailable(why).into());
    }
    state.blocking(|db| Ok(db.ping()?)).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ok".into() }))
}

/// Metrics
///
/// Prometheus text exposition: requests by method, route and status, and durations.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text", body = String, content_type = "text/plain; version=0.0.4")))]
pub async fn metrics(state: State) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(state.metrics.render())
}
