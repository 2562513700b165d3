//! The summary by economic activity, the quota plan, and the enforcement of
//! the approved quota when work permits are recorded (SPEC §5).

use crate::db::DbConnection;
use crate::error::{is_unique_violation, StoreError};
use crate::forecasts::Viewer;
use crate::schema::{
    exemption_categories as ex, quota_allocations as qa, quota_plan_entries as qe, quota_plan_history as qh,
    quota_plans as qp,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{sql_query, QueryableByName};
use domain::quota::{plan_transition, PlanAction, PlanRefusal, PlanStatus, QuotaFigures};
use domain::role::Role;
use domain::{FieldError, ValidationErrors};

/// `?` placeholders as PostgreSQL writes them (`$1`, `$2`, …).
fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs a raw query on whichever backend `conn` is, with the same binds.
macro_rules! raw_load {
    ($conn:expr, $sql:expr, $row:ty, [$(($ty:ty, $val:expr)),* $(,)?]) => {{
        let sql: &str = $sql;
        match $conn {
            DbConnection::Pg(c) => sql_query(pg_placeholders(sql))$(.bind::<$ty, _>($val))*.load::<$row>(c),
            DbConnection::Sqlite(c) => sql_query(sql)$(.bind::<$ty, _>($val))*.load::<$row>(c),
        }
    }};
}

/// Which forecasts a summary counts: `accepted` only, or also those still
/// under review (`submitted`, `in_review`), reported apart (SPEC §5.1).
fn status_list(include_pending: bool) -> &'static str {
    if include_pending {
        "('accepted', 'submitted', 'in_review')"
    } else {
        "('accepted')"
    }
}

/// One economic activity (section) of the summary, for one bucket.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SummaryRow {
    #[diesel(sql_type = Text)]
    pub activity: String,
    /// `accepted`, or `pending` (submitted or in review).
    #[diesel(sql_type = Text)]
    pub bucket: String,
    #[diesel(sql_type = BigInt)]
    pub employers: i64,
    #[diesel(sql_type = BigInt)]
    pub forecasts: i64,
    #[diesel(sql_type = BigInt)]
    pub demand_total: i64,
    /// Foreigners demanded in lines that count toward the quota.
    #[diesel(sql_type = BigInt)]
    pub quota_foreigners: i64,
    /// Foreigners demanded in exempt lines (liberated territories).
    #[diesel(sql_type = BigInt)]
    pub exempt_foreigners: i64,
}

const BUCKET: &str = "CASE WHEN f.status = 'accepted' THEN 'accepted' ELSE 'pending' END";

/// The figures of a summary row: total demand, foreigners counting toward
/// the quota, foreigners in exempt lines (SPEC §5.1).
const FIGURES: &str = "CAST(COALESCE(SUM(l.demand_total), 0) AS BIGINT) AS demand_total, \
     CAST(COALESCE(SUM(CASE WHEN l.quota_usage = 'other' THEN l.demand_foreigners ELSE 0 END), 0) AS BIGINT) AS quota_foreigners, \
     CAST(COALESCE(SUM(CASE WHEN l.quota_usage = 'liberated_territories' THEN l.demand_foreigners ELSE 0 END), 0) AS BIGINT) AS exempt_foreigners";

/// The summary of target year `year` per economic activity, computed by the
/// database in one GROUP BY (SPEC §5.1).
pub fn summary(conn: &mut DbConnection, year: i32, include_pending: bool) -> Result<Vec<SummaryRow>, StoreError> {
    let sql = format!(
        "SELECT f.activity_section AS activity, {BUCKET} AS bucket, \
         COUNT(DISTINCT f.tin) AS employers, COUNT(DISTINCT f.id) AS forecasts, \
         {FIGURES} \
         FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
         WHERE f.target_year = ? AND f.status IN {} \
         GROUP BY f.activity_section, {BUCKET} ORDER BY f.activity_section, {BUCKET}",
        status_list(include_pending)
    );
    Ok(raw_load!(conn, &sql, SummaryRow, [(Integer, year)])?)
}

/// Distinct employers over all activities, per bucket.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct EmployersRow {
    #[diesel(sql_type = Text)]
    pub bucket: String,
    #[diesel(sql_type = BigInt)]
    pub employers: i64,
}

/// The number of distinct employers (TINs) of the summary, all activities
/// together: not derivable from the per-activity counts, as one employer may
/// forecast under several activities.
pub fn summary_employers(
    conn: &mut DbConnection,
    year: i32,
    include_pending: bool,
) -> Result<Vec<EmployersRow>, StoreError> {
    let sql = format!(
        "SELECT {BUCKET} AS bucket, COUNT(DISTINCT f.tin) AS employers FROM forecasts f \
         WHERE f.target_year = ? AND f.status IN {} AND f.line_count > 0 GROUP BY {BUCKET}",
        status_list(include_pending)
    );
    Ok(raw_load!(conn, &sql, EmployersRow, [(Integer, year)])?)
}

/// One occupation of an activity's drill-down, for one bucket.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct OccupationSummaryRow {
    #[diesel(sql_type = Text)]
    pub occupation_code: String,
    #[diesel(sql_type = Text)]
    pub occupation_title: String,
    #[diesel(sql_type = Text)]
    pub bucket: String,
    #[diesel(sql_type = BigInt)]
    pub employers: i64,
    #[diesel(sql_type = BigInt)]
    pub demand_total: i64,
    #[diesel(sql_type = BigInt)]
    pub quota_foreigners: i64,
    #[diesel(sql_type = BigInt)]
    pub exempt_foreigners: i64,
}

/// The drill-down of one economic activity (a section) per occupation.
pub fn summary_by_occupation(
    conn: &mut DbConnection,
    year: i32,
    section: &str,
    include_pending: bool,
) -> Result<Vec<OccupationSummaryRow>, StoreError> {
    let sql = format!(
        "SELECT l.occupation_code AS occupation_code, l.occupation_title AS occupation_title, {BUCKET} AS bucket, \
         COUNT(DISTINCT f.tin) AS employers, \
         {FIGURES} \
         FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
         WHERE f.target_year = ? AND f.activity_section = ? AND f.status IN {} \
         GROUP BY l.occupation_code, l.occupation_title, {BUCKET} \
         ORDER BY l.occupation_code, l.occupation_title, {BUCKET}",
        status_list(include_pending)
    );
    Ok(raw_load!(conn, &sql, OccupationSummaryRow, [(Integer, year), (Text, section)])?)
}

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
    let (status, version, created_at, updated_at): (String, i64, NaiveDateTime, NaiveDateTime) = qp::table
        .filter(qp::target_year.eq(year))
        .select((qp::status, qp::version, qp::created_at, qp::updated_at))
        .first(conn)?;
    let entries = qe::table
        .filter(qe::target_year.eq(year))
        .order(qe::economic_activity.asc())
        .select(EntryRow::as_select())
        .load(conn)?;
    Ok(PlanRecord {
        target_year: year,
        status: PlanStatus::parse(&status).unwrap_or(PlanStatus::Draft),
        version,
        created_at,
        updated_at,
        entries,
    })
}

fn plan_refusal(r: PlanRefusal) -> StoreError {
    match r {
        PlanRefusal::Forbidden { needs } => {
            StoreError::Transition(domain::status::TransitionError::Forbidden { needs })
        }
        PlanRefusal::NotAllowed { current, allowed } => StoreError::PlanNotAllowed { current, allowed },
    }
}

#[allow(clippy::too_many_arguments)] // one column each
fn plan_history(
    conn: &mut DbConnection,
    year: i32,
    from: Option<PlanStatus>,
    to: PlanStatus,
    action: &str,
    viewer: &Viewer,
    role: Role,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(qh::table)
        .values((
            qh::target_year.eq(year),
            qh::from_status.eq(from.map(PlanStatus::as_str)),
            qh::to_status.eq(to.as_str()),
            qh::action.eq(action),
            qh::actor.eq(&viewer.sub),
            qh::role.eq(role.as_str()),
            qh::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// `commission` creates the plan of `year`, pre-filled from the summary: one
/// entry per economic activity with accepted forecasts, proposing the
/// foreigners that count toward the quota (SPEC §5.2).
pub fn create_plan(
    conn: &mut DbConnection,
    year: i32,
    viewer: &Viewer,
    now: NaiveDateTime,
) -> Result<PlanRecord, StoreError> {
    if !viewer.roles.contains(&Role::Commission) {
        return Err(StoreError::Transition(domain::status::TransitionError::Forbidden { needs: Role::Commission }));
    }
    let exists: i64 = qp::table.filter(qp::target_year.eq(year)).count().get_result(conn)?;
    if exists > 0 {
        let p = get_plan(conn, year)?;
        return Err(StoreError::PlanExists { current: p.status });
    }
    diesel::insert_into(qp::table)
        .values((
            qp::target_year.eq(year),
            qp::status.eq(PlanStatus::Draft.as_str()),
            qp::version.eq(1_i64),
            qp::created_at.eq(now),
            qp::updated_at.eq(now),
        ))
        .execute(conn)
        .map_err(|e| if is_unique_violation(&e) { StoreError::Retry } else { e.into() })?;
    let mut by_activity: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    for r in summary(conn, year, false)? {
        *by_activity.entry(r.activity).or_default() += r.quota_foreigners;
    }
    for (activity, proposed) in by_activity {
        diesel::insert_into(qe::table)
            .values((
                qe::target_year.eq(year),
                qe::economic_activity.eq(activity),
                qe::proposed.eq(proposed.min(domain::quota::MAX_QUOTA)),
                qe::used.eq(0_i64),
            ))
            .execute(conn)?;
    }
    plan_history(conn, year, None, PlanStatus::Draft, "create", viewer, Role::Commission, now)?;
    get_plan(conn, year)
}

fn bump_plan(
    conn: &mut DbConnection,
    plan: &PlanRecord,
    status: PlanStatus,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let n = diesel::update(qp::table.filter(qp::target_year.eq(plan.target_year)).filter(qp::version.eq(plan.version)))
        .set((qp::status.eq(status.as_str()), qp::version.eq(plan.version + 1), qp::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        return Err(StoreError::Retry);
    }
    Ok(())
}

fn check_plan_version(plan: &PlanRecord, expected: Option<i64>) -> Result<(), StoreError> {
    match expected {
        Some(v) if v != plan.version => Err(StoreError::PreconditionFailed { current: plan.version }),
        _ => Ok(()),
    }
}

/// Sets the numbers of the plan: `commission` the proposed ones of a draft
/// (entries may be added and removed), `admin` the approved ones of a
/// proposed plan (existing entries only). Sections must exist.
pub fn put_plan(
    conn: &mut DbConnection,
    year: i32,
    viewer: &Viewer,
    expected: Option<i64>,
    entries: &[domain::quota::PlanEntryNumbers],
    now: NaiveDateTime,
) -> Result<PlanRecord, StoreError> {
    use crate::schema::economic_activities as ea;
    let plan = get_plan(conn, year)?;
    // The status says which number is being set: proposed ones in a draft
    // (commission), approved ones in a proposed plan (admin).
    let action = if plan.status == PlanStatus::Proposed { PlanAction::EditApproved } else { PlanAction::EditProposed };
    if let Err(PlanRefusal::Forbidden { .. }) = plan_transition(plan.status, action, &viewer.roles) {
        // A caller who edits the plan in its other status is refused by the
        // status (409), not by a missing role.
        let (other, status) = match action {
            PlanAction::EditProposed => (PlanAction::EditApproved, PlanStatus::Proposed),
            _ => (PlanAction::EditProposed, PlanStatus::Draft),
        };
        if plan_transition(status, other, &viewer.roles).is_ok() {
            let allowed = domain::quota::plan_actions(plan.status, &viewer.roles);
            return Err(StoreError::PlanNotAllowed { current: plan.status, allowed });
        }
    }
    plan_transition(plan.status, action, &viewer.roles).map_err(plan_refusal)?;
    let field = if action == PlanAction::EditProposed { "proposed" } else { "approved" };
    let mut errs = ValidationErrors::default();
    let mut numbers = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let activity = &e.economic_activity;
        match if action == PlanAction::EditProposed { e.proposed } else { e.approved } {
            Some(n) => numbers.push((activity.clone(), n)),
            None => errs.push(FieldError::new(format!("entries[{i}].{field}"), "required")),
        }
        let known: Option<Option<String>> =
            ea::table.filter(ea::code.eq(activity)).select(ea::parent).first(conn).optional()?;
        match known {
            None => errs.push(
                FieldError::new(format!("entries[{i}].economic_activity"), "economic_activity_unknown")
                    .with("code", activity),
            ),
            Some(Some(_)) => errs.push(
                FieldError::new(format!("entries[{i}].economic_activity"), "section_required").with("code", activity),
            ),
            Some(None) => {}
        }
        if action == PlanAction::EditApproved && !plan.entries.iter().any(|p| &p.economic_activity == activity) {
            errs.push(FieldError::new(format!("entries[{i}].economic_activity"), "not_in_plan").with("code", activity));
        }
    }
    if !errs.is_empty() {
        return Err(StoreError::Validation(errs));
    }
    check_plan_version(&plan, expected)?;
    bump_plan(conn, &plan, plan.status, now)?;
    for (activity, n) in &numbers {
        let target = qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.eq(activity));
        if action == PlanAction::EditApproved {
            diesel::update(target).set(qe::approved.eq(Some(*n))).execute(conn)?;
        } else {
            let updated = diesel::update(target).set(qe::proposed.eq(*n)).execute(conn)?;
            if updated == 0 {
                diesel::insert_into(qe::table)
                    .values((
                        qe::target_year.eq(year),
                        qe::economic_activity.eq(activity),
                        qe::proposed.eq(*n),
                        qe::used.eq(0_i64),
                    ))
                    .execute(conn)?;
            }
        }
    }
    if action == PlanAction::EditProposed {
        let keep: Vec<&str> = numbers.iter().map(|(a, _)| a.as_str()).collect();
        diesel::delete(qe::table.filter(qe::target_year.eq(year)).filter(qe::economic_activity.ne_all(keep)))
            .execute(conn)?;
    }
    let role = if action == PlanAction::EditProposed { Role::Commission } else { Role::Admin };
    plan_history(conn, year, Some(plan.status), plan.status, action.as_str(), viewer, role, now)?;
    get_plan(conn, year)
}

/// Proposes (commission) or approves (admin) the plan of `year`.
pub fn plan_act(
    conn: &mut DbConnection,
    year: i32,
    viewer: &Viewer,
    action: PlanAction,
    expected: Option<i64>,
    now: NaiveDateTime,
) -> Result<PlanRecord, StoreError> {
    let plan = get_plan(conn, year)?;
    let to = plan_transition(plan.status, action, &viewer.roles).map_err(plan_refusal)?;
    if matches!(action, PlanAction::Propose | PlanAction::Approve) {
        let (campaign, _) = crate::campaigns::get(conn, year)?;
        campaign
            .check_plan_step(domain::time::baku_date(now.and_utc()), action == PlanAction::Approve)
            .map_err(StoreError::Calendar)?;
    }
    if action == PlanAction::Approve {
        let approved: Vec<(String, Option<i64>)> =
            plan.entries.iter().map(|e| (e.economic_activity.clone(), e.approved)).collect();
        domain::quota::check_approvable(&approved).map_err(StoreError::Validation)?;
    }
    check_plan_version(&plan, expected)?;
    bump_plan(conn, &plan, to, now)?;
    let role = if action == PlanAction::Approve { Role::Admin } else { Role::Commission };
    plan_history(conn, year, Some(plan.status), to, action.as_str(), viewer, role, now)?;
    get_plan(conn, year)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = qh)]
pub struct PlanHistoryRow {
    pub from_status: Option<String>,
    pub to_status: String,
    pub action: String,
    pub actor: String,
    pub role: String,
    pub at: NaiveDateTime,
}

/// Every step of the plan of `year`, oldest first.
pub fn plan_history_of(conn: &mut DbConnection, year: i32) -> Result<Vec<PlanHistoryRow>, StoreError> {
    get_plan(conn, year)?;
    Ok(qh::table
        .filter(qh::target_year.eq(year))
        .order(qh::seq.asc())
        .select(PlanHistoryRow::as_select())
        .load(conn)?)
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

/// What recording a permit did.
#[derive(Debug, Clone)]
pub struct AllocationOutcome {
    /// False when the reference was already recorded (idempotent repeat).
    pub created: bool,
    pub activity: String,
    pub exemption: Option<String>,
    pub figures: QuotaFigures,
}

fn figures(conn: &mut DbConnection, year: i32, section: &str) -> Result<QuotaFigures, StoreError> {
    let (approved, used): (Option<i64>, i64) = qe::table
        .filter(qe::target_year.eq(year))
        .filter(qe::economic_activity.eq(section))
        .select((qe::approved, qe::used))
        .first(conn)?;
    Ok(QuotaFigures { approved: approved.unwrap_or(0), used })
}

/// Records a permit against the approved quota of its year and activity.
/// Idempotent per reference; an exempt permit consumes nothing; when no unit
/// remains the answer is [`StoreError::QuotaExhausted`]. The unit is taken by
/// one conditional UPDATE (`used < approved`), so under any concurrency the
/// non-exempt permits never exceed the approved number (the database's CHECK
/// says the same).
pub fn allocate(
    conn: &mut DbConnection,
    year: i32,
    a: &domain::quota::PermitInput,
    viewer: &Viewer,
    now: NaiveDateTime,
) -> Result<AllocationOutcome, StoreError> {
    let plan = get_plan(conn, year).map_err(|e| {
        if matches!(e, StoreError::NotFound) {
            StoreError::QuotaNotApproved
        } else {
            e
        }
    })?;
    if plan.status != PlanStatus::Approved {
        return Err(StoreError::QuotaNotApproved);
    }
    let mut errs = ValidationErrors::default();
    let section = domain::reference::section_of(&a.economic_activity).map(str::to_owned);
    if section.is_none() {
        errs.push(FieldError::new("economic_activity", "economic_activity_unknown").with("code", &a.economic_activity));
    }
    if let Some(code) = &a.exemption {
        let known: i64 = ex::table.filter(ex::code.eq(code)).filter(ex::retired.eq(false)).count().get_result(conn)?;
        if known == 0 {
            errs.push(FieldError::new("exemption", "exemption_unknown").with("code", code));
        }
    }
    if !errs.is_empty() {
        return Err(StoreError::Validation(errs));
    }
    let section = section.unwrap_or_default();
    let in_plan = plan.entries.iter().any(|e| e.economic_activity == section);
    if !in_plan && a.exemption.is_none() {
        return Err(StoreError::QuotaExhausted { activity: section });
    }
    let existing: Option<(i32, String, Option<String>, Option<NaiveDateTime>)> = qa::table
        .filter(qa::permit_ref.eq(&a.permit_ref))
        .select((qa::target_year, qa::economic_activity, qa::exemption, qa::cancelled_at))
        .first(conn)
        .optional()?;
    if let Some((y, act, exemption, cancelled)) = &existing {
        let same = *y == year && *act == a.economic_activity && *exemption == a.exemption;
        if !same {
            return Err(StoreError::PermitConflict);
        }
        if cancelled.is_none() {
            let f = if in_plan { figures(conn, year, &section)? } else { QuotaFigures { approved: 0, used: 0 } };
            return Ok(AllocationOutcome {
                created: false,
                activity: section,
                exemption: exemption.clone(),
                figures: f,
            });
        }
    }
    if a.exemption.is_none() {
        let taken = diesel::update(
            qe::table
                .filter(qe::target_year.eq(year))
                .filter(qe::economic_activity.eq(&section))
                .filter(qe::approved.is_not_null())
                .filter(qe::used.lt(qe::approved.assume_not_null())),
        )
        .set(qe::used.eq(qe::used + 1))
        .execute(conn)?;
        if taken == 0 {
            return Err(StoreError::QuotaExhausted { activity: section });
        }
    }
    if existing.is_some() {
        diesel::update(qa::table.filter(qa::permit_ref.eq(&a.permit_ref)))
            .set((
                qa::cancelled_at.eq(None::<NaiveDateTime>),
                qa::cancelled_by.eq(None::<String>),
                qa::recorded_at.eq(now),
                qa::recorded_by.eq(&viewer.sub),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(qa::table)
            .values((
                qa::permit_ref.eq(&a.permit_ref),
                qa::target_year.eq(year),
                qa::economic_activity.eq(&a.economic_activity),
                qa::activity_section.eq(&section),
                qa::exemption.eq(&a.exemption),
                qa::tin.eq(&a.tin),
                qa::recorded_at.eq(now),
                qa::recorded_by.eq(&viewer.sub),
            ))
            .execute(conn)
            // The same new reference recorded at once by another officer.
            .map_err(|e| if is_unique_violation(&e) { StoreError::Retry } else { e.into() })?;
    }
    let f = if in_plan { figures(conn, year, &section)? } else { QuotaFigures { approved: 0, used: 0 } };
    Ok(AllocationOutcome { created: true, activity: section, exemption: a.exemption.clone(), figures: f })
}

/// Cancels a recorded permit: its unit goes back to the quota (exempt
/// permits had taken none). Cancelling again changes nothing.
pub fn cancel(
    conn: &mut DbConnection,
    year: i32,
    permit_ref: &str,
    viewer: &Viewer,
    now: NaiveDateTime,
) -> Result<AllocationOutcome, StoreError> {
    let (section, exemption, cancelled): (String, Option<String>, Option<NaiveDateTime>) = qa::table
        .filter(qa::permit_ref.eq(permit_ref))
        .filter(qa::target_year.eq(year))
        .select((qa::activity_section, qa::exemption, qa::cancelled_at))
        .first(conn)?;
    if cancelled.is_none() {
        let n = diesel::update(qa::table.filter(qa::permit_ref.eq(permit_ref)).filter(qa::cancelled_at.is_null()))
            .set((qa::cancelled_at.eq(Some(now)), qa::cancelled_by.eq(Some(&viewer.sub))))
            .execute(conn)?;
        if n == 0 {
            return Err(StoreError::Retry);
        }
        if exemption.is_none() {
            diesel::update(
                qe::table
                    .filter(qe::target_year.eq(year))
                    .filter(qe::economic_activity.eq(&section))
                    .filter(qe::used.gt(0)),
            )
            .set(qe::used.eq(qe::used - 1))
            .execute(conn)?;
        }
    }
    let f = figures(conn, year, &section).unwrap_or(QuotaFigures { approved: 0, used: 0 });
    Ok(AllocationOutcome { created: false, activity: section, exemption, figures: f })
}

/// Forecast foreigners against permits recorded, for one key (an economic
/// activity or an employer's TIN).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct AccuracyRow {
    #[diesel(sql_type = Text)]
    pub key: String,
    /// Foreigners in accepted forecasts' lines that count toward the quota.
    #[diesel(sql_type = BigInt)]
    pub forecast: i64,
    /// Non-exempt permits recorded and not cancelled.
    #[diesel(sql_type = BigInt)]
    pub permits: i64,
}

/// How well forecasts for `year` predicted the permits actually recorded,
/// per economic activity (`by_employer` false) or per employer.
pub fn accuracy(conn: &mut DbConnection, year: i32, by_employer: bool) -> Result<Vec<AccuracyRow>, StoreError> {
    let (fk, ak, extra) = if by_employer {
        ("f.tin", "a.tin", "AND a.tin IS NOT NULL")
    } else {
        ("f.activity_section", "a.activity_section", "")
    };
    let sql = format!(
        "SELECT k AS key, CAST(SUM(fc) AS BIGINT) AS forecast, CAST(SUM(pc) AS BIGINT) AS permits FROM ( \
           SELECT {fk} AS k, SUM(l.demand_foreigners) AS fc, 0 AS pc \
           FROM forecasts f JOIN forecast_lines l ON l.forecast_id = f.id \
           WHERE f.target_year = ? AND f.status = 'accepted' AND l.quota_usage = 'other' GROUP BY {fk} \
           UNION ALL \
           SELECT {ak} AS k, 0 AS fc, COUNT(*) AS pc FROM quota_allocations a \
           WHERE a.target_year = ? AND a.exemption IS NULL AND a.cancelled_at IS NULL {extra} GROUP BY {ak} \
         ) t GROUP BY k ORDER BY k"
    );
    Ok(raw_load!(conn, &sql, AccuracyRow, [(Integer, year), (Integer, year)])?)
}
