//! Use cases: what a request means, between HTTP and SQL.
//!
//! A handler parses and maps; a use case authorises through the one policy
//! table (`domain::policy`), applies the rules of `domain`, runs the
//! persistence calls of one transaction and queues the notifications that
//! belong to it. Persistence knows nothing of callers or roles. The CLI
//! calls use cases too, never a handler. See docs/ARCHITECTURE.md.

pub mod campaigns;
pub mod forecasts;
pub mod holidays;
pub mod hqm;
pub mod identity;
pub mod quota;
pub mod reference;
pub mod snapshots;
pub mod summaries;

/// The reference data a use case may take from memory instead of the
/// database (SPEC §11), each with the version it was loaded at. A use case
/// that reads the database's versions anyway uses a copy only when its
/// version is the current one, so the answer is the same either way.
#[derive(Clone)]
pub struct Memo {
    pub occupations: std::sync::Arc<crate::state::OccupationSnapshot>,
    pub campaigns: std::sync::Arc<crate::state::CampaignSnapshot>,
}
