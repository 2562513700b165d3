//! The quota plan, and the enforcement of the approved quota when work
//! permits are recorded (SPEC §5.2, §5.3).

use crate::db::DbConnection;
use crate::error::StoreError;
pub use crate::forecasts::Actor;
use crate::schema::{
    exemption_categories as ex, quota_allocations as qa, quota_plan_entries as qe, quota_plan_history as qh,
    quota_plans as qp,
};
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::quota::{PlanStatus, QuotaFigures};
use domain::role::Role;

/// A quota plan with its entries, in activity order.
#[derive(Debug, Clone)]
pub struct PlanRecord {
    pub target_year: i32,
    pub status: PlanStatus,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub entries: Vec<EntryRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = qe)]
pub struct EntryRow {
    pub economic_activity: String,
    pub proposed: i64,
    pub approved: Option<i64>,
    pub used: i64,
}

/// The plan of `year`.
pub fn get_plan(conn: &mut DbConnection, year: i32) -> Result<PlanRecord, StoreError> {
    let (status, version, created_at, updated_at): (PlanStatus, i64, NaiveDateTime, NaiveDateTime) = qp::table
        .filter(qp::target_year.eq(year))
        .select((qp::status, qp::version, qp::created_at, qp::updated_at))
        .first(conn)?;
    let entries = qe::table
        .filter(qe::target_year.eq(year))
        .order(qe::economic_activity.asc())
        .select(EntryRow::as_select())
        .load(conn)?;
    Ok(PlanRecord { target_year: year, status, version, created_at, updated_at, entries })
}

/// Appends one step to the plan's history, done by `actor`.
pub fn append_plan_history(
    conn: &mut DbConnection,
    year: i32,
    step: (Option<PlanStatus>, PlanStatus),
    action: &str,
    actor: Actor<'_>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(qh::table)
        .values((
            qh::target_year.eq(year),
            qh::from_status.eq(step.0.map(PlanStatus::as_str)),
            qh::to_status.eq(step.1.as_str()),
            qh::action.eq(action),
            qh::actor.eq(actor.sub),
            qh::role.eq(actor.role),
            qh::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the plan of `year` exists.
pub fn plan_exists(conn: &mut DbConnection, year: i32) -> Result<bool, StoreError> {
    let n: i64 = qp::table.filter(qp::target_year.eq(year)).count().get_result(conn)?;
    Ok(n > 0)
}

/// Inserts the draft plan of `year` with its proposed numbers per section.
/// Two first creations at once: the loser runs again (and finds the plan).
pub fn insert_plan(
    conn: &mut DbConnection,
    year: i32,
    proposed: &[(String, i64)],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(qp::table)
        .values((
            qp::target_year.eq(year),
            qp::status.eq(PlanStatus::Draft.as_str()),
            qp::version.eq(1_i64),
            qp::created_at.eq(now),
            qp::updated_at.eq(now),
        ))
        .execute(conn)
        .map_err(crate::error::lost_a_race)?;
    for (activity, n) in proposed {
        insert_entry(conn, year, activity, *n)?;
    }
    Ok(())
}

/// A new entry of the plan of `year`: `proposed` for `activity`, none used.
fn insert_entry(conn: &mut DbConnection, year: i32, activity: &str, proposed: i64) -> Result<(), StoreError> {
    diesel::insert_into(qe::table)
        .values((
            qe::target_year.eq(year),
            qe::economic_activity.eq(activity),
            qe::proposed.eq(proposed),
            qe::used.eq(0_i64),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves `plan` to `status` and bumps its version from what was read, or
/// reports a lost race.
pub fn bump_plan(
    conn: &mut DbConnection,
    plan: &PlanRecord,
    status: PlanStatus,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let n = diesel::update(qp::table.filter(qp::target_year.eq(plan.target_year)).filter(qp::version.eq(plan.version)))
        .set((qp::status.eq(status.as_str()), qp::version.eq(plan.version + 1), qp::updated_at.eq(now)))
        .execute(conn)?;
    crate::error::one_changed(n)
}

/// The proposed numbers of a draft: listed sections get theirs (added when
/// new), every other entry is removed.
pub fn set_proposed(conn: &mut DbConnection, year: i32, numbers: &[(String, i64)]) -> Result<(), StoreError> {
    for (activity, n) in numbers {
        let target = qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.eq(activity));
        let updated = diesel::update(target).set(qe::proposed.eq(*n)).execute(conn)?;
        if updated == 0 {
            insert_entry(conn, year, activity, *n)?;
        }
    }
    let keep: Vec<&str> = numbers.iter().map(|(a, _)| a.as_str()).collect();
    diesel::delete(qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.ne_all(keep)))
        .execute(conn)?;
    Ok(())
}

/// The approved numbers of the listed entries of a proposed plan.
pub fn set_approved(conn: &mut DbConnection, year: i32, numbers: &[(String, i64)]) -> Result<(), StoreError> {
    for (activity, n) in numbers {
        let target = qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.eq(activity));
        diesel::update(target).set(qe::approved.eq(Some(*n))).execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = qh)]
pub struct PlanHistoryRow {
    pub from_status: Option<PlanStatus>,
    pub to_status: PlanStatus,
    pub action: String,
    pub actor: String,
    pub role: Role,
    pub at: NaiveDateTime,
}

/// Every step of the plan of `year`, oldest first.
pub fn plan_history_of(
    conn: &mut DbConnection,
    year: i32,
    page: Page,
) -> Result<(Vec<PlanHistoryRow>, i64), StoreError> {
    get_plan(conn, year)?;
    crate::page_of!(conn, qh::table.filter(qh::target_year.eq(year)), qh::seq.asc(), PlanHistoryRow, page)
}

/// The approved quota of `year`: (activity, figures) per entry. Not found
/// until the plan is approved.
pub fn approved_quota(conn: &mut DbConnection, year: i32) -> Result<Vec<(String, QuotaFigures)>, StoreError> {
    let plan = get_plan(conn, year)?;
    if plan.status != PlanStatus::Approved {
        return Err(StoreError::NotFound);
    }
    Ok(plan
        .entries
        .into_iter()
        .map(|e| (e.economic_activity, QuotaFigures { approved: e.approved.unwrap_or(0), used: e.used }))
        .collect())
}

/// The figures of `section` in the plan of `year`; `None` when the plan has
/// no entry for it (an exempt permit's activity may be outside the plan).
pub fn figures(conn: &mut DbConnection, year: i32, section: &str) -> Result<Option<QuotaFigures>, StoreError> {
    let row: Option<(Option<i64>, i64)> = qe::table
        .filter(qe::target_year.eq(year))
        .filter(qe::economic_activity.eq(section))
        .select((qe::approved, qe::used))
        .first(conn)
        .optional()?;
    Ok(row.map(|(approved, used)| QuotaFigures { approved: approved.unwrap_or(0), used }))
}

/// Whether `code` is an exemption category in force.
pub fn exemption_in_force(conn: &mut DbConnection, code: &str) -> Result<bool, StoreError> {
    let n: i64 = ex::table.filter(ex::code.eq(code)).filter(ex::retired.eq(false)).count().get_result(conn)?;
    Ok(n > 0)
}

/// A recorded permit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitRow {
    pub target_year: i32,
    pub economic_activity: String,
    pub activity_section: String,
    pub exemption: Option<String>,
    pub cancelled: bool,
}

/// The permit recorded under `permit_ref`, cancelled or not.
pub fn permit(conn: &mut DbConnection, permit_ref: &str) -> Result<Option<PermitRow>, StoreError> {
    type Row = (i32, String, String, Option<String>, Option<NaiveDateTime>);
    let row: Option<Row> = qa::table
        .filter(qa::permit_ref.eq(permit_ref))
        .select((qa::target_year, qa::economic_activity, qa::activity_section, qa::exemption, qa::cancelled_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|(target_year, economic_activity, activity_section, exemption, cancelled)| PermitRow {
        target_year,
        economic_activity,
        activity_section,
        exemption,
        cancelled: cancelled.is_some(),
    }))
}

/// Takes one unit of the approved quota of `section`: one conditional UPDATE
/// (`used < approved`), so under any concurrency the units taken never exceed
/// the approved number (the database's CHECK says the same). `false` when
/// none remains.
pub fn take_unit(conn: &mut DbConnection, year: i32, section: &str) -> Result<bool, StoreError> {
    let taken = diesel::update(
        qe::table
            .filter(qe::target_year.eq(year))
            .filter(qe::economic_activity.eq(section))
            .filter(qe::approved.is_not_null())
            .filter(qe::used.lt(qe::approved.assume_not_null())),
    )
    .set(qe::used.eq(qe::used + 1))
    .execute(conn)?;
    Ok(taken > 0)
}

/// Gives one unit of `section` back (a cancelled permit).
pub fn give_back_unit(conn: &mut DbConnection, year: i32, section: &str) -> Result<(), StoreError> {
    diesel::update(
        qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.eq(section)).filter(qe::used.gt(0)),
    )
    .set(qe::used.eq(qe::used - 1))
    .execute(conn)?;
    Ok(())
}

/// A permit to record.
#[derive(Insertable)]
#[diesel(table_name = qa)]
pub struct NewPermit<'a> {
    pub permit_ref: &'a str,
    pub target_year: i32,
    pub economic_activity: &'a str,
    #[diesel(column_name = activity_section)]
    pub section: &'a str,
    pub exemption: Option<&'a str>,
    pub tin: Option<&'a str>,
}

/// Records a new permit, or brings back a cancelled one of the same
/// reference. The same new reference recorded at once by another officer
/// makes this transaction run again.
pub fn record_permit(
    conn: &mut DbConnection,
    p: &NewPermit<'_>,
    reactivate: bool,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if reactivate {
        diesel::update(qa::table.filter(qa::permit_ref.eq(p.permit_ref)))
            .set((
                qa::cancelled_at.eq(None::<NaiveDateTime>),
                qa::cancelled_by.eq(None::<String>),
                qa::recorded_at.eq(now),
                qa::recorded_by.eq(by),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(qa::table)
            .values((p, qa::recorded_at.eq(now), qa::recorded_by.eq(by)))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    Ok(())
}

/// Marks permit `permit_ref` cancelled, or reports a lost race.
pub fn cancel_permit(
    conn: &mut DbConnection,
    permit_ref: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let n = diesel::update(qa::table.filter(qa::permit_ref.eq(permit_ref)).filter(qa::cancelled_at.is_null()))
        .set((qa::cancelled_at.eq(Some(now)), qa::cancelled_by.eq(Some(by))))
        .execute(conn)?;
    crate::error::one_changed(n)
}
