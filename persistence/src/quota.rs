//! The quota plan, and the enforcement of the approved quota when work
//! permits are recorded (SPEC §5.2, §5.3).

use crate::db::DbConnection;
use crate::error::StoreError;
pub use crate::forecasts::Actor;
use crate::schema::{
    exemption_categories as ex, quota_allocations as qa, quota_amendment_entries as qae, quota_amendments as qam,
    quota_plan_entries as qe, quota_plan_history as qh, quota_plans as qp,
};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::quota::{AmendedEntry, CabinetOrder, PermitEnd, PlanStatus, QuotaFigures};
use domain::role::Role;

/// The row of a quota plan: its status and version, and the Cabinet's
/// approval (SPEC §16.1.1).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = qp)]
pub struct PlanRow {
    pub status: PlanStatus,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub order_number: Option<String>,
    pub order_date: Option<NaiveDate>,
    pub approved_at: Option<NaiveDateTime>,
    /// Approved after the campaign's approval deadline.
    pub late: bool,
}

/// A quota plan with its entries, in activity order, and its latest
/// amendment.
#[derive(Debug, Clone)]
pub struct PlanRecord {
    pub target_year: i32,
    pub status: PlanStatus,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub approval: Option<Approval>,
    pub last_amendment: Option<AmendmentRow>,
    pub entries: Vec<EntryRow>,
    /// The Commission's inputs shown beside the entries (SPEC §16.2): empty
    /// as read here; the use cases that answer with the plan fill it.
    pub inputs: Vec<crate::commission_inputs::SourcedFigure>,
}

/// How the plan was approved: when, by which Cabinet order, and whether
/// after the deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub at: NaiveDateTime,
    pub order: Option<CabinetOrder>,
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = qe)]
pub struct EntryRow {
    pub economic_activity: String,
    /// None for an activity the Cabinet added (SPEC §16.1.2).
    pub proposed: Option<i64>,
    pub approved: Option<i64>,
    pub used: i64,
}

/// The plan of `year`.
pub fn get_plan(conn: &mut DbConnection, year: i32) -> Result<PlanRecord, StoreError> {
    let row: PlanRow = qp::table.filter(qp::target_year.eq(year)).select(PlanRow::as_select()).first(conn)?;
    let entries = qe::table
        .filter(qe::target_year.eq(year))
        .order(qe::economic_activity.asc())
        .select(EntryRow::as_select())
        .load(conn)?;
    let last_amendment = qam::table
        .filter(qam::target_year.eq(year))
        .order(qam::number.desc())
        .select(AmendmentRow::as_select())
        .first(conn)
        .optional()?;
    let approval = row.approved_at.map(|at| Approval {
        at,
        order: row.order_number.clone().zip(row.order_date).map(|(number, date)| CabinetOrder { number, date }),
        late: row.late,
    });
    Ok(PlanRecord {
        target_year: year,
        status: row.status,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
        approval,
        last_amendment,
        entries,
        inputs: Vec::new(),
    })
}

/// What a step of the plan's history says besides the step: the reason
/// given, the Cabinet order, the amendment's number (SPEC §16.1).
#[derive(Debug, Clone, Copy, Default)]
pub struct StepNote<'a> {
    pub reason: Option<&'a str>,
    pub order: Option<&'a CabinetOrder>,
    pub amendment: Option<i32>,
}

/// Appends one step to the plan's history, done by `actor`.
pub fn append_plan_history(
    conn: &mut DbConnection,
    year: i32,
    step: (Option<PlanStatus>, PlanStatus),
    action: &str,
    actor: Actor<'_>,
    note: StepNote<'_>,
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
            qh::reason.eq(note.reason),
            qh::order_number.eq(note.order.map(|o| o.number.as_str())),
            qh::order_date.eq(note.order.map(|o| o.date)),
            qh::amendment.eq(note.amendment),
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
        insert_entry(conn, year, activity, Some(*n), None)?;
    }
    Ok(())
}

/// A new entry of the plan of `year` for `activity`, none used: `proposed`
/// by the Commission, or only `approved` by the Cabinet.
fn insert_entry(
    conn: &mut DbConnection,
    year: i32,
    activity: &str,
    proposed: Option<i64>,
    approved: Option<i64>,
) -> Result<(), StoreError> {
    diesel::insert_into(qe::table)
        .values((
            qe::target_year.eq(year),
            qe::economic_activity.eq(activity),
            qe::proposed.eq(proposed),
            qe::approved.eq(approved),
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
/// new), every other entry loses its proposed number, and an entry left
/// with no number at all is removed (an approved number admin set on a plan
/// returned to the Commission stays until it is proposed again).
pub fn set_proposed(conn: &mut DbConnection, year: i32, numbers: &[(String, i64)]) -> Result<(), StoreError> {
    for (activity, n) in numbers {
        let target = qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.eq(activity));
        let updated = diesel::update(target).set(qe::proposed.eq(Some(*n))).execute(conn)?;
        if updated == 0 {
            insert_entry(conn, year, activity, Some(*n), None)?;
        }
    }
    let keep: Vec<&str> = numbers.iter().map(|(a, _)| a.as_str()).collect();
    let others = qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.ne_all(keep));
    diesel::update(others).set(qe::proposed.eq(None::<i64>)).execute(conn)?;
    diesel::delete(
        qe::table.filter(qe::target_year.eq(year)).filter(qe::proposed.is_null()).filter(qe::approved.is_null()),
    )
    .execute(conn)?;
    Ok(())
}

/// The approved numbers of a proposed plan: listed sections get theirs,
/// an activity the Commission did not propose is added with none proposed
/// (SPEC §16.1.2).
pub fn set_approved(conn: &mut DbConnection, year: i32, numbers: &[(String, i64)]) -> Result<(), StoreError> {
    for (activity, n) in numbers {
        let target = qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.eq(activity));
        if diesel::update(target).set(qe::approved.eq(Some(*n))).execute(conn)? == 0 {
            insert_entry(conn, year, activity, None, Some(*n))?;
        }
    }
    Ok(())
}

/// Records the approval of the plan of `year` at `now`: the Cabinet order
/// if any, and whether it came after the deadline.
pub fn record_approval(
    conn: &mut DbConnection,
    year: i32,
    order: Option<&CabinetOrder>,
    late: bool,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(qp::table.filter(qp::target_year.eq(year)))
        .set((
            qp::order_number.eq(order.map(|o| o.number.as_str())),
            qp::order_date.eq(order.map(|o| o.date)),
            qp::approved_at.eq(Some(now)),
            qp::late.eq(late),
        ))
        .execute(conn)?;
    Ok(())
}

/// An amendment of the approved quota (SPEC §16.1.4).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = qam)]
pub struct AmendmentRow {
    pub number: i32,
    pub order_number: String,
    pub order_date: NaiveDate,
    pub created_at: NaiveDateTime,
    pub created_by: String,
}

/// One entry of an amendment: the approved number before and after.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = qae)]
pub struct AmendmentEntryRow {
    pub economic_activity: String,
    pub approved_before: Option<i64>,
    pub approved: i64,
}

/// An amendment with its entries.
#[derive(Debug, Clone)]
pub struct AmendmentRecord {
    pub row: AmendmentRow,
    pub entries: Vec<AmendmentEntryRow>,
}

/// Applies amendment `entries` of the quota of `year` as amendment number
/// `number` under `order`: each activity's approved number is set, where
/// it stays at or above what is used (checked again in the same statement,
/// so a permit recorded meanwhile is never left above its quota: a
/// `false` asks the caller to read again and refuse), and an activity the
/// quota does not name is added.
pub fn amend(
    conn: &mut DbConnection,
    year: i32,
    number: i32,
    order: &CabinetOrder,
    entries: &[AmendedEntry],
    by: &str,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    diesel::insert_into(qam::table)
        .values((
            qam::target_year.eq(year),
            qam::number.eq(number),
            qam::order_number.eq(&order.number),
            qam::order_date.eq(order.date),
            qam::created_at.eq(now),
            qam::created_by.eq(by),
        ))
        .execute(conn)
        .map_err(crate::error::lost_a_race)?;
    for e in entries {
        diesel::insert_into(qae::table)
            .values((
                qae::target_year.eq(year),
                qae::number.eq(number),
                qae::economic_activity.eq(&e.economic_activity),
                qae::approved_before.eq(e.approved_before),
                qae::approved.eq(e.approved),
            ))
            .execute(conn)?;
        let target = qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.eq(&e.economic_activity));
        let exists: i64 = target.count().get_result(conn)?;
        if exists == 0 {
            insert_entry(conn, year, &e.economic_activity, None, Some(e.approved))?;
        } else if diesel::update(target.filter(qe::used.le(e.approved)))
            .set(qe::approved.eq(Some(e.approved)))
            .execute(conn)?
            == 0
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The number the next amendment of `year` takes.
pub fn next_amendment_number(conn: &mut DbConnection, year: i32) -> Result<i32, StoreError> {
    let max: Option<i32> =
        qam::table.filter(qam::target_year.eq(year)).select(diesel::dsl::max(qam::number)).first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Amendment `number` of `year`, with its entries.
pub fn amendment(conn: &mut DbConnection, year: i32, number: i32) -> Result<AmendmentRecord, StoreError> {
    let row = qam::table
        .filter(qam::target_year.eq(year))
        .filter(qam::number.eq(number))
        .select(AmendmentRow::as_select())
        .first(conn)?;
    let entries = qae::table
        .filter(qae::target_year.eq(year))
        .filter(qae::number.eq(number))
        .order(qae::economic_activity.asc())
        .select(AmendmentEntryRow::as_select())
        .load(conn)?;
    Ok(AmendmentRecord { row, entries })
}

/// One page of the amendments of `year`, oldest first, with their entries.
pub fn amendments(conn: &mut DbConnection, year: i32, page: Page) -> Result<(Vec<AmendmentRecord>, i64), StoreError> {
    get_plan(conn, year)?;
    let listed: Result<(Vec<AmendmentRow>, i64), StoreError> =
        crate::page_of!(conn, qam::table.filter(qam::target_year.eq(year)), qam::number.asc(), AmendmentRow, page);
    let (rows, total) = listed?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(amendment(conn, year, row.number)?);
    }
    Ok((out, total))
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
    pub reason: Option<String>,
    pub order_number: Option<String>,
    pub order_date: Option<NaiveDate>,
    pub amendment: Option<i32>,
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

/// The approved plan of `year`. Not found until the plan is approved.
pub fn approved_plan(conn: &mut DbConnection, year: i32) -> Result<PlanRecord, StoreError> {
    let plan = get_plan(conn, year)?;
    if plan.status != PlanStatus::Approved {
        return Err(StoreError::NotFound);
    }
    Ok(plan)
}

/// Per section, the permits of `year` in force (not cancelled) that are
/// exempt, and those that ended early or were revoked (SPEC §16.1.6–7).
pub fn permit_counts(conn: &mut DbConnection, year: i32) -> Result<Vec<PermitCounts>, StoreError> {
    let rows: Vec<(String, Option<String>, Option<PermitEnd>)> = qa::table
        .filter(qa::target_year.eq(year))
        .filter(qa::cancelled_at.is_null())
        .select((qa::activity_section, qa::exemption, qa::end_reason))
        .load(conn)?;
    let mut by: std::collections::BTreeMap<String, PermitCounts> = std::collections::BTreeMap::new();
    for (section, exemption, end) in rows {
        let c = by.entry(section.clone()).or_insert_with(|| PermitCounts { section, ..PermitCounts::default() });
        c.exempt += i64::from(exemption.is_some());
        c.ended += i64::from(end.is_some());
    }
    Ok(by.into_values().collect())
}

/// The permits of one section in a year: exempt ones, and ones ended early
/// or revoked (still counted in `used` when they took a unit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermitCounts {
    pub section: String,
    pub exempt: i64,
    pub ended: i64,
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
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = qa)]
pub struct PermitRow {
    pub target_year: i32,
    pub economic_activity: String,
    pub activity_section: String,
    pub exemption: Option<String>,
    pub recorded_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    /// Why it ended, if it did (SPEC §16.1.6).
    pub end_reason: Option<PermitEnd>,
    pub ended_on: Option<NaiveDate>,
}

impl PermitRow {
    /// Recorded in error and cancelled: as if never recorded.
    pub fn cancelled(&self) -> bool {
        self.cancelled_at.is_some()
    }
}

/// The permit recorded under `permit_ref`, cancelled or not.
pub fn permit(conn: &mut DbConnection, permit_ref: &str) -> Result<Option<PermitRow>, StoreError> {
    Ok(qa::table.filter(qa::permit_ref.eq(permit_ref)).select(PermitRow::as_select()).first(conn).optional()?)
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
                qa::end_reason.eq(None::<String>),
                qa::ended_on.eq(None::<NaiveDate>),
                qa::ended_at.eq(None::<NaiveDateTime>),
                qa::ended_by.eq(None::<String>),
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

/// Ends permit `permit_ref` for `reason` on `day` (SPEC §16.1.6): one
/// recorded in error is cancelled as well; or reports a lost race (it ended
/// meanwhile).
pub fn end_permit(
    conn: &mut DbConnection,
    permit_ref: &str,
    reason: PermitEnd,
    day: NaiveDate,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let target = qa::table.filter(qa::permit_ref.eq(permit_ref)).filter(qa::cancelled_at.is_null());
    let ending = (
        qa::end_reason.eq(Some(reason.as_str())),
        qa::ended_on.eq(Some(day)),
        qa::ended_at.eq(Some(now)),
        qa::ended_by.eq(Some(by)),
    );
    let n = if reason.gives_unit_back() {
        diesel::update(target)
            .set((ending, qa::cancelled_at.eq(Some(now)), qa::cancelled_by.eq(Some(by))))
            .execute(conn)?
    } else {
        diesel::update(target.filter(qa::end_reason.is_null())).set(ending).execute(conn)?
    };
    crate::error::one_changed(n)
}
