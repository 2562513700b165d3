//! The Labour Migration Quota API: actix-web routes, authentication, error
//! mapping and the OpenAPI document (SPEC §2). Handlers are thin: they parse,
//! authorise, call `domain`/`persistence`, and map the result.

pub mod app;
pub mod auth;
pub mod clock;
pub mod config;
pub mod dto;
pub mod export;
pub mod extract;
pub mod handler;
pub mod i18n;
pub mod limiter;
pub mod mailer;
pub mod metrics;
pub mod middleware;
pub mod pdf;
pub mod problem;
pub mod respond;
pub mod routes;
/// The OpenAPI document (SPEC §9), made from the route table.
pub use routes::docs as openapi;
pub mod state;
pub mod worker;
