//! The summary the Service hands the Commission and the forecast-accuracy
//! report (SPEC §5.1): grouped by the database, assembled here.

use crate::{AppError, Caller};
use domain::policy::Permission;
use persistence::summaries::{self as store, ActivityFigures, LineFigures};
use persistence::DbConnection;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Figures of one economic activity (or occupation) in a summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryFigures {
    /// Distinct employers (TINs).
    pub employers: i64,
    /// Forecasts counted (absent from occupation drill-downs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecasts: Option<i64>,
    /// Distinct occupations (code and title) demanded (absent from
    /// occupation drill-downs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupations: Option<i64>,
    /// Total additional demand (persons).
    pub demand_total: i64,
    /// Foreigners demanded that count toward the quota.
    pub quota_foreigners: i64,
    /// Foreigners demanded in exempt lines (liberated territories).
    pub exempt_foreigners: i64,
}

/// One economic activity (a NACE section) of the summary.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryActivity {
    #[cfg_attr(feature = "openapi", schema(example = "F"))]
    pub economic_activity: String,
    #[cfg_attr(feature = "openapi", schema(example = "Construction"))]
    pub title: String,
    /// Over accepted forecasts.
    pub accepted: SummaryFigures,
    /// Over forecasts still submitted or in review (only when asked).
    pub pending: Option<SummaryFigures>,
}

/// What the Service hands the Commission for a target year (SPEC §5.1).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub target_year: i32,
    /// Whether `pending` figures are included.
    pub include_pending: bool,
    pub activities: Vec<SummaryActivity>,
    pub totals: SummaryActivity,
}

/// One occupation of an activity's drill-down.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OccupationSummary {
    #[cfg_attr(feature = "openapi", schema(example = "7123"))]
    pub occupation_code: String,
    pub occupation_title: String,
    pub accepted: SummaryFigures,
    pub pending: Option<SummaryFigures>,
}

/// The occupations of each economic activity, by the activity's code.
pub type OccupationsByActivity = BTreeMap<String, Vec<OccupationSummary>>;

/// The drill-down of one economic activity per occupation.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivitySummary {
    pub target_year: i32,
    pub economic_activity: String,
    pub title: String,
    pub include_pending: bool,
    pub occupations: Vec<OccupationSummary>,
}

/// Forecast against actual, for one activity or employer.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccuracyRow {
    /// The economic activity (section) or the employer's TIN.
    pub key: String,
    /// Foreigners in accepted forecasts that count toward the quota.
    pub forecast: i64,
    /// Non-exempt permits recorded and not cancelled.
    pub permits: i64,
    /// `permits − forecast`.
    pub difference: i64,
    /// `permits ÷ forecast`, when anything was forecast.
    pub ratio: Option<f64>,
}

/// How well the forecasts of a year predicted the permits issued.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccuracyReport {
    pub target_year: i32,
    /// `activity` or `employer`.
    pub by: String,
    pub rows: Vec<AccuracyRow>,
}

impl From<&LineFigures> for SummaryFigures {
    /// An occupation's figures: no forecasts or occupations counted.
    fn from(f: &LineFigures) -> SummaryFigures {
        SummaryFigures {
            employers: f.employers,
            forecasts: None,
            occupations: None,
            demand_total: f.demand_total,
            quota_foreigners: f.quota_foreigners,
            exempt_foreigners: f.exempt_foreigners,
        }
    }
}

impl From<&ActivityFigures> for SummaryFigures {
    fn from(f: &ActivityFigures) -> SummaryFigures {
        SummaryFigures { forecasts: Some(f.forecasts), occupations: Some(f.occupations), ..(&f.lines).into() }
    }
}

/// Titles of the economic activities by code.
pub fn activity_titles(conn: &mut DbConnection) -> Result<HashMap<String, String>, AppError> {
    let page = persistence::Page { page: 1, per_page: 1000 };
    let (rows, _) = persistence::reference::list_activities(conn, page)?;
    Ok(rows.into_iter().map(|r| (r.code, r.title)).collect())
}

fn add(into: &mut SummaryFigures, f: &SummaryFigures) {
    into.demand_total += f.demand_total;
    into.quota_foreigners += f.quota_foreigners;
    into.exempt_foreigners += f.exempt_foreigners;
    into.forecasts = Some(into.forecasts.unwrap_or(0) + f.forecasts.unwrap_or(0));
}

/// Builds the summary document from the database's grouped rows.
fn build_summary(
    year: i32,
    pending: bool,
    rows: &[store::SummaryRow],
    totals_rows: Vec<store::TotalsRow>,
    titles: &HashMap<String, String>,
) -> Summary {
    let mut by: BTreeMap<String, SummaryActivity> = BTreeMap::new();
    for r in rows {
        let a = by.entry(r.activity.clone()).or_insert_with(|| SummaryActivity {
            economic_activity: r.activity.clone(),
            title: titles.get(&r.activity).cloned().unwrap_or_default(),
            accepted: SummaryFigures { forecasts: Some(0), occupations: Some(0), ..Default::default() },
            pending: pending.then(|| SummaryFigures { forecasts: Some(0), occupations: Some(0), ..Default::default() }),
        });
        if r.bucket == "accepted" {
            a.accepted = (&r.figures).into();
        } else {
            a.pending = Some((&r.figures).into());
        }
    }
    let mut totals = SummaryActivity {
        economic_activity: "total".into(),
        title: "All economic activities".into(),
        accepted: SummaryFigures { forecasts: Some(0), occupations: Some(0), ..Default::default() },
        pending: pending.then(|| SummaryFigures { forecasts: Some(0), occupations: Some(0), ..Default::default() }),
    };
    for a in by.values() {
        add(&mut totals.accepted, &a.accepted);
        if let (Some(t), Some(p)) = (totals.pending.as_mut(), a.pending.as_ref()) {
            add(t, p);
        }
    }
    for e in totals_rows {
        let t = match (e.bucket.as_str(), totals.pending.as_mut()) {
            ("accepted", _) => &mut totals.accepted,
            (_, Some(t)) => t,
            _ => continue,
        };
        t.employers = e.employers;
        t.occupations = Some(e.occupations);
    }
    Summary { target_year: year, include_pending: pending, activities: by.into_values().collect(), totals }
}

/// The summary of `year` over accepted forecasts (and, with `pending`,
/// those still submitted or in review, apart).
pub fn summary(conn: &mut DbConnection, caller: &Caller, year: i32, pending: bool) -> Result<Summary, AppError> {
    caller.may(Permission::ReadSummaries)?;
    let rows = store::summary(conn, year, pending)?;
    let totals = store::summary_totals(conn, year, pending)?;
    let titles = activity_titles(conn)?;
    Ok(build_summary(year, pending, &rows, totals, &titles))
}

/// The summary with each activity's occupations, as the exports give it.
pub struct SummaryWithOccupations {
    pub summary: Summary,
    /// Activity code → its occupations.
    pub occupations: OccupationsByActivity,
}

/// The summary of `year` and the occupations of every activity (SPEC
/// §15.5: the summary "including professions"); read in one transaction, so
/// both are of one state.
pub fn summary_with_occupations(
    conn: &mut DbConnection,
    caller: &Caller,
    year: i32,
    pending: bool,
) -> Result<SummaryWithOccupations, AppError> {
    caller.may(Permission::ReadSummaries)?;
    let rows = store::summary(conn, year, pending)?;
    let totals = store::summary_totals(conn, year, pending)?;
    let occupations = store::summary_by_occupation(conn, year, None, pending)?;
    let titles = activity_titles(conn)?;
    Ok(SummaryWithOccupations {
        summary: build_summary(year, pending, &rows, totals, &titles),
        occupations: group_occupations(occupations, pending),
    })
}

/// The occupation rows grouped per activity, each occupation once with its
/// figures in each bucket.
fn group_occupations(rows: Vec<store::OccupationSummaryRow>, pending: bool) -> OccupationsByActivity {
    let mut by: BTreeMap<(String, String, String), OccupationSummary> = BTreeMap::new();
    for r in rows {
        let f = SummaryFigures::from(&r.figures);
        let key = (r.activity, r.occupation_code, r.occupation_title);
        let o = by.entry(key.clone()).or_insert_with(|| OccupationSummary {
            occupation_code: key.1,
            occupation_title: key.2,
            accepted: SummaryFigures::default(),
            pending: pending.then(SummaryFigures::default),
        });
        if r.bucket == "accepted" {
            o.accepted = f;
        } else {
            o.pending = Some(f);
        }
    }
    let mut out: OccupationsByActivity = BTreeMap::new();
    for ((activity, ..), o) in by {
        out.entry(activity).or_default().push(o);
    }
    out
}

/// The drill-down of section `code` per occupation.
pub fn activity(
    conn: &mut DbConnection,
    caller: &Caller,
    y: i32,
    code: String,
    pending: bool,
) -> Result<ActivitySummary, AppError> {
    caller.may(Permission::ReadSummaries)?;
    let titles = activity_titles(conn)?;
    let title = titles.get(&code).cloned().ok_or(AppError::NotFound)?;
    let rows = store::summary_by_occupation(conn, y, Some(&code), pending)?;
    let occupations = group_occupations(rows, pending).remove(&code).unwrap_or_default();
    Ok(ActivitySummary { target_year: y, economic_activity: code, title, include_pending: pending, occupations })
}

/// Forecast foreigners against permits recorded, per economic activity or
/// per employer; the ratio is `domain::quota::accuracy_ratio`.
pub fn accuracy(
    conn: &mut DbConnection,
    caller: &Caller,
    y: i32,
    by_employer: bool,
) -> Result<AccuracyReport, AppError> {
    caller.may(Permission::ReadSummaries)?;
    let rows = store::accuracy(conn, y, by_employer)?;
    let rows = rows
        .into_iter()
        .map(|r| AccuracyRow {
            difference: r.permits - r.forecast,
            ratio: domain::quota::accuracy_ratio(r.forecast, r.permits),
            key: r.key,
            forecast: r.forecast,
            permits: r.permits,
        })
        .collect();
    Ok(AccuracyReport { target_year: y, by: if by_employer { "employer" } else { "activity" }.into(), rows })
}
