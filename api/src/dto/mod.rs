//! Request and response bodies: the JSON contract of SPEC §13, with the
//! schemas and examples the OpenAPI document publishes. Request fields are
//! the domain's value types (`domain::value`), whose schemas carry the
//! domain's limits; the rules enforce them.

mod campaigns;
mod commission_inputs;
mod common;
mod forecasts;
mod hqm;
mod hqm_decision;
mod identity;
mod quota;
mod reference;
mod snapshots;
mod webhooks;

pub use campaigns::*;
pub use commission_inputs::*;
pub use common::{
    BinaryFile, CsvFile, FileUpload, ForecastStatus, Health, Paged, PersonType, PlanStatus, QuotaUsage, Role,
};
pub use forecasts::*;
pub use hqm::*;
pub use hqm_decision::*;
pub use identity::*;
pub use quota::*;
pub use reference::*;
pub use snapshots::*;
pub use webhooks::*;

/// The summary's read models are the use cases'.
pub use application::summaries::{
    AccuracyReport, AccuracyRow, ActivitySummary, OccupationSummary, OccupationsByActivity, Summary, SummaryActivity,
    SummaryFigures,
};
