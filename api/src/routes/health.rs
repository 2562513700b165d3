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
    HttpResponse::Ok().json(Health { status: "ok".into(), outbox_oldest_unsent_seconds: None, outbox_depth: None })
}

/// Readiness
///
/// The database answers; 503 otherwise. The answer reports the e-mail
/// outbox: how many messages wait and how old the oldest is, so a mail
/// relay that stopped taking them is seen (it does not make the server
/// unready: everything else still works).
#[utoipa::path(get, path = "/health/ready", tag = "operations", responses((status = 200, description = "Ready", body = Health)))]
pub async fn ready(state: State) -> Reply {
    if !state.is_db_ready() {
        let why = Unavailable::Database("the database is not prepared yet".into());
        return Err(AppError::ServiceUnavailable(why).into());
    }
    let now = state.now().naive_utc();
    let backlog = state.read(move |c| application::identity::outbox_backlog(c, now)).await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
        outbox_oldest_unsent_seconds: backlog.oldest_age_seconds,
        outbox_depth: Some(backlog.depth),
    }))
}

/// The Prometheus text format, exactly as the document states it.
pub const METRICS_MEDIA_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Metrics
///
/// Prometheus text exposition: requests by method, route and status, and
/// durations; the e-mail outbox's depth and the age of its oldest message.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text", body = String, content_type = "text/plain; version=0.0.4; charset=utf-8")))]
pub async fn metrics(state: State) -> HttpResponse {
    let mut text = state.metrics.render();
    // The outbox's depth and age (SPEC §16.6); left out while the database
    // does not answer (readiness says so).
    let now = state.now().naive_utc();
    if let Ok(b) = state.read(move |c| application::identity::outbox_backlog(c, now)).await {
        text.push_str(&crate::metrics::outbox_lines(b.depth, b.oldest_age_seconds));
    }
    HttpResponse::Ok().content_type(METRICS_MEDIA_TYPE).body(text)
}
