//! The black-box suite: every test starts the real server on a free port
//! with a fresh database and talks HTTP. On SQLite always; on PostgreSQL
//! when `TEST_DATABASE_URL` is set.

// Tests fail by panicking; helpers outside #[test] functions unwrap too.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod auth;
mod classification;
mod commission_inputs;
mod cycle;
mod errors;
mod forecasts;
mod found_late;
mod front_end;
mod fuzzed;
mod hostile;
mod hqm;
mod hqm_review;
mod identity;
mod openapi;
mod quota;
mod quota_year;
mod reference;
mod review;
mod snapshots;
mod titles;
mod untrusted;
mod web_clients;
mod webhooks;
