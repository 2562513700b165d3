//! The Labour Migration Quota API's HTTP edge: actix-web routes,
//! authentication, the envelope, problem rendering and the OpenAPI document
//! (SPEC §2). Handlers are thin: they extract and parse, call one use case
//! of the `application` crate (which authorises and applies the rules in one
//! transaction), and turn its answer into a response. docs/ARCHITECTURE.md
//! walks one request through the layers.

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
pub mod structural;
pub mod webhooks;
pub mod worker;
