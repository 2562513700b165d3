//! The summary the Service hands the Commission and the forecast-accuracy
//! report (SPEC §5.1): grouped by the database, assembled here.

use crate::auth::Caller;
use crate::dto::{
    AccuracyReport, AccuracyRow, ActivitySummary, OccupationSummary, OccupationsByActivity, Summary, SummaryActivity,
    SummaryFigures,
};
use crate::problem::ApiError;
use crate::state::AppState;
use domain::policy::Permission;
use persistence::summaries as store;
use persistence::StoreError;
use std::collections::{BTreeMap, HashMap};

/// Titles of the economic activities by code.
pub(crate) async fn activity_titles(state: &AppState) -> Result<HashMap<String, String>, ApiError> {
    let page = persistence::Page { page: 1, per_page: 1000 };
    let (rows, _) = state.read(move |c| persistence::reference::list_activities(c, page)).await?;
    Ok(rows.into_iter().map(|r| (r.code, r.title)).collect())
}

fn figures(r: &store::SummaryRow) -> SummaryFigures {
    crate::dto::summary_figures!(r)
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
            a.accepted = figures(r);
        } else {
            a.pending = Some(figures(r));
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
pub async fn summary(state: &AppState, caller: &Caller, year: i32, pending: bool) -> Result<Summary, ApiError> {
    caller.may(Permission::ReadSummaries)?;
    // One read transaction: the rows and the totals of one state.
    let (rows, totals) = state
        .read(move |c| {
            Ok::<_, StoreError>((store::summary(c, year, pending)?, store::summary_totals(c, year, pending)?))
        })
        .await?;
    let titles = activity_titles(state).await?;
    Ok(build_summary(year, pending, &rows, totals, &titles))
}

/// The summary with each activity's occupations, as the exports give it.
pub struct SummaryWithOccupations {
    pub summary: Summary,
    /// Activity code → its occupations.
    pub occupations: OccupationsByActivity,
}

/// The summary of `year` and the occupations of every activity, read in
/// one transaction (SPEC §15.5: the summary "including professions").
pub async fn summary_with_occupations(
    state: &AppState,
    caller: &Caller,
    year: i32,
    pending: bool,
) -> Result<SummaryWithOccupations, ApiError> {
    caller.may(Permission::ReadSummaries)?;
    let (rows, totals, occupations) = state
        .read(move |c| {
            Ok::<_, StoreError>((
                store::summary(c, year, pending)?,
                store::summary_totals(c, year, pending)?,
                store::summary_by_occupation(c, year, None, pending)?,
            ))
        })
        .await?;
    let titles = activity_titles(state).await?;
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
        let f = crate::dto::summary_figures!(r, occupation);
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
pub async fn activity(
    state: &AppState,
    caller: &Caller,
    y: i32,
    code: String,
    pending: bool,
) -> Result<ActivitySummary, ApiError> {
    caller.may(Permission::ReadSummaries)?;
    let titles = activity_titles(state).await?;
    let title = titles.get(&code).cloned().ok_or(ApiError::NotFound)?;
    let section = code.clone();
    let rows = state.read(move |c| store::summary_by_occupation(c, y, Some(&section), pending)).await?;
    let occupations = group_occupations(rows, pending).remove(&code).unwrap_or_default();
    Ok(ActivitySummary { target_year: y, economic_activity: code, title, include_pending: pending, occupations })
}

/// Forecast foreigners against permits recorded, per economic activity or
/// per employer; the ratio is `domain::quota::accuracy_ratio`.
pub async fn accuracy(
    state: &AppState,
    caller: &Caller,
    y: i32,
    by_employer: bool,
) -> Result<AccuracyReport, ApiError> {
    caller.may(Permission::ReadSummaries)?;
    let rows = state.read(move |c| store::accuracy(c, y, by_employer)).await?;
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
