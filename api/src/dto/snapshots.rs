//! Bodies of the summary snapshots: what the Commission was given (SPEC §15.5).

use super::common::*;
use application::summaries::{OccupationSummary, OccupationsByActivity, SummaryActivity, SummaryFigures};
use persistence::snapshots::{SnapshotOccupationRow, SnapshotRecord, SnapshotRow};

/// What names a snapshot: its year and number, when and by whom it was taken.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnapshotName {
    #[schema(example = 2027)]
    pub target_year: i32,
    /// Numbered from 1 within the target year.
    #[schema(example = 1)]
    pub number: i32,
    #[serde(serialize_with = "domain::time::instant")]
    pub taken_at: DateTime<Utc>,
    /// The `sub` of the officer who took it.
    pub taken_by: String,
}

/// A frozen summary as listed: its number, when and by whom it was taken,
/// and its totals over all economic activities.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnapshotInfo {
    #[serde(flatten)]
    pub name: SnapshotName,
    /// Over accepted forecasts at that moment.
    pub totals: SummaryFigures,
}

/// One occupation of an economic activity in a snapshot.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnapshotOccupation {
    #[schema(example = "7123")]
    pub occupation_code: String,
    #[schema(example = "Bənna, xarici suvaq")]
    pub occupation_title: String,
    pub accepted: SummaryFigures,
}

/// One economic activity (a NACE section) of a snapshot, with its occupations.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnapshotActivity {
    #[schema(example = "F")]
    pub economic_activity: String,
    #[schema(example = "Construction")]
    pub title: String,
    pub accepted: SummaryFigures,
    pub occupations: Vec<SnapshotOccupation>,
}

/// A frozen, numbered summary of a target year over accepted forecasts: per
/// economic activity and per occupation within each activity. It never
/// changes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummarySnapshot {
    #[serde(flatten)]
    pub name: SnapshotName,
    pub activities: Vec<SnapshotActivity>,
    pub totals: SummaryFigures,
    /// The Commission's inputs as they stood when the snapshot was taken
    /// (SPEC §16.2): the bodies' that had been sent, and the SMS's computed
    /// one (`body` `sms`).
    pub inputs: Vec<super::commission_inputs::FrozenCommissionInput>,
}

impl From<&SnapshotRow> for SnapshotInfo {
    fn from(r: &SnapshotRow) -> Self {
        SnapshotInfo {
            name: SnapshotName {
                target_year: r.target_year,
                number: r.number,
                taken_at: r.taken_at.and_utc(),
                taken_by: r.taken_by.clone(),
            },
            totals: (&r.totals).into(),
        }
    }
}

fn occupation(o: &SnapshotOccupationRow) -> SnapshotOccupation {
    SnapshotOccupation {
        occupation_code: o.occupation_code.clone(),
        occupation_title: o.occupation_title.clone(),
        accepted: (&o.figures).into(),
    }
}

impl From<&SnapshotRecord> for SummarySnapshot {
    fn from(r: &SnapshotRecord) -> Self {
        let info = SnapshotInfo::from(&r.header);
        let activities = r
            .activities
            .iter()
            .map(|a| SnapshotActivity {
                economic_activity: a.economic_activity.clone(),
                title: a.title.clone(),
                accepted: (&a.figures).into(),
                occupations: r
                    .occupations
                    .iter()
                    .filter(|o| o.economic_activity == a.economic_activity)
                    .map(occupation)
                    .collect(),
            })
            .collect();
        let inputs = r.inputs.iter().map(super::commission_inputs::FrozenCommissionInput::from).collect();
        SummarySnapshot { name: info.name, activities, totals: info.totals, inputs }
    }
}

impl SummarySnapshot {
    /// The snapshot as the summary's shapes, for the exports: activities and
    /// the total row (accepted only), and the occupations by activity.
    pub fn as_summary(&self) -> (Vec<SummaryActivity>, SummaryActivity, OccupationsByActivity) {
        let activities = self
            .activities
            .iter()
            .map(|a| SummaryActivity {
                economic_activity: a.economic_activity.clone(),
                title: a.title.clone(),
                accepted: a.accepted,
                pending: None,
            })
            .collect();
        let totals = SummaryActivity {
            economic_activity: "total".into(),
            title: "All economic activities".into(),
            accepted: self.totals,
            pending: None,
        };
        let occupations = self
            .activities
            .iter()
            .map(|a| {
                let list = a
                    .occupations
                    .iter()
                    .map(|o| OccupationSummary {
                        occupation_code: o.occupation_code.clone(),
                        occupation_title: o.occupation_title.clone(),
                        accepted: o.accepted,
                        pending: None,
                    })
                    .collect();
                (a.economic_activity.clone(), list)
            })
            .collect();
        (activities, totals, occupations)
    }
}
