//! The quota plan and its enforcement when permits are issued (SPEC §5.2,
//! §5.3). Each function is the body of one transaction.

use crate::{AppError, Caller};
use chrono::NaiveDateTime;
use domain::policy::Permission;
use domain::quota::{PermitEnd, PermitInput, PlanAction, PlanEntryNumbers, PlanStatus, QuotaFigures, PLANS};
use domain::FieldCode;
use domain::{FieldError, ValidationErrors};
use persistence::quota::{self as store, Actor, AmendmentRecord, NewPermit, PlanRecord, StepNote};
use persistence::{DbConnection, Page};

fn check_version(plan: &PlanRecord, expected: Option<i64>) -> Result<(), AppError> {
    match expected {
        Some(v) if v != plan.version => Err(AppError::PreconditionFailed { current: plan.version }),
        _ => Ok(()),
    }
}

/// The caller as the plan's history names it, in the role that holds the
/// permission of `action`.
fn actor(caller: &Caller, action: PlanAction) -> Actor<'_> {
    Actor { sub: &caller.sub, role: PLANS.acting_role(action, &caller.roles).map_or("", |r| r.as_str()) }
}

/// The plan of `year` as its readers are answered: with the Commission's
/// inputs beside its entries (SPEC §16.2).
fn shown(conn: &mut DbConnection, year: i32, now: NaiveDateTime) -> Result<PlanRecord, AppError> {
    let mut plan = store::get_plan(conn, year)?;
    plan.inputs = crate::commission_inputs::plan_figures(conn, year, now)?;
    Ok(plan)
}

/// The year a path names (`2027`), else not found.
fn year_of(year: &str) -> Result<i32, AppError> {
    domain::campaign::year_named(year).ok_or(AppError::NotFound)
}

/// The plan of the year `year` names in a path, for the roles that may read
/// it (SPEC §5.2): the permission first, then the year (403 before 404).
pub fn plan(conn: &mut DbConnection, caller: &Caller, year: &str, now: NaiveDateTime) -> Result<PlanRecord, AppError> {
    caller.may(Permission::ReadQuotaPlan)?;
    shown(conn, year_of(year)?, now)
}

/// One page of the plan's history, oldest first, in the same order of
/// checks as [`plan`], the page asked for last.
pub fn plan_history(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    page: &crate::PageParams,
) -> Result<(Vec<store::PlanHistoryRow>, i64, Page), AppError> {
    caller.may(Permission::ReadQuotaPlan)?;
    let y = year_of(year)?;
    let page = page.page()?;
    let (rows, total) = store::plan_history_of(conn, y, page)?;
    Ok((rows, total, page))
}

/// The Commission creates the draft plan of `year`, pre-filled with the
/// foreigners counting toward the quota: from the latest snapshot of the
/// summary when one was taken (what the Commission was given, SPEC §15.5),
/// else from the summary of accepted forecasts (SPEC §5.2).
pub fn create(conn: &mut DbConnection, caller: &Caller, year: i32, now: NaiveDateTime) -> Result<PlanRecord, AppError> {
    caller.may(Permission::ProposeQuota)?;
    if store::plan_exists(conn, year)? {
        return Err(AppError::PlanExists);
    }
    let rows: Vec<(String, i64)> = match persistence::snapshots::latest_quota_foreigners(conn, year)? {
        Some(rows) => rows,
        None => persistence::summaries::summary(conn, year, false)?
            .into_iter()
            .map(|r| (r.activity, r.figures.lines.quota_foreigners))
            .collect(),
    };
    let proposed = domain::quota::proposals_from_summary(&rows);
    store::insert_plan(conn, year, &proposed, now)?;
    let creator = actor(caller, PlanAction::Propose);
    store::append_plan_history(conn, year, (None, PlanStatus::Draft), "create", creator, StepNote::default(), now)?;
    shown(conn, year, now)
}

/// One entry of a plan as sent: economic activity, proposed, approved.
pub type SentEntry = (String, Option<i64>, Option<i64>);

/// Sets the numbers of the plan: the Commission the proposed ones of a
/// draft (entries may be added and removed), admin the approved ones of a
/// proposed plan (existing entries only). Entries name sections. The
/// entries are checked after the plan's status (SPEC §7's order of checks).
pub fn set_numbers(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    expected: Option<i64>,
    sent: &[SentEntry],
    now: NaiveDateTime,
) -> Result<PlanRecord, AppError> {
    caller.may(Permission::EditQuotaPlan)?;
    let year = year_of(year)?;
    let plan = store::get_plan(conn, year)?;
    // The status says which number is being set: proposed ones in a draft
    // (commission), approved ones in a proposed plan (admin).
    let action = if plan.status == PlanStatus::Proposed { PlanAction::EditApproved } else { PlanAction::EditProposed };
    // A caller who edits the plan in its other status is refused by the
    // status (409), not by a missing role: ask for the edit its role makes.
    let mine = [PlanAction::EditProposed, PlanAction::EditApproved]
        .into_iter()
        .find(|a| PLANS.rule(*a).permission.granted_to(&caller.roles) && *a != action);
    let asked = match PLANS.check(plan.status, action, &caller.roles) {
        Err(domain::lifecycle::Refusal::Forbidden { .. }) => mine.unwrap_or(action),
        _ => action,
    };
    PLANS.check(plan.status, asked, &caller.roles)?;
    let sent: Vec<(&str, Option<i64>, Option<i64>)> = sent.iter().map(|(a, p, n)| (a.as_str(), *p, *n)).collect();
    let entries = domain::quota::check_plan_entries(&sent)?;
    let numbers = numbers_of(action, &entries)?;
    check_version(&plan, expected)?;
    store::bump_plan(conn, &plan, plan.status, now)?;
    if action == PlanAction::EditProposed {
        store::set_proposed(conn, year, &numbers)?;
    } else {
        store::set_approved(conn, year, &numbers)?;
    }
    let step = (Some(plan.status), plan.status);
    store::append_plan_history(conn, year, step, action.as_str(), actor(caller, action), StepNote::default(), now)?;
    shown(conn, year, now)
}

/// The numbers `action` sets, each for a section of the classification;
/// admin's approved numbers may name an activity the Commission did not
/// propose (SPEC §16.1.2).
fn numbers_of(action: PlanAction, entries: &[PlanEntryNumbers]) -> Result<Vec<(String, i64)>, AppError> {
    let field = if action == PlanAction::EditProposed { "proposed" } else { "approved" };
    let mut errs = ValidationErrors::default();
    let mut numbers = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let activity = &e.economic_activity;
        match if action == PlanAction::EditProposed { e.proposed } else { e.approved } {
            Some(n) => numbers.push((activity.clone(), n)),
            None => errs.push(FieldError::new(format!("entries[{i}].{field}"), FieldCode::Required)),
        }
        let at = format!("entries[{i}].economic_activity");
        match domain::reference::economic_activity(activity) {
            None => errs.push(FieldError::new(at, FieldCode::EconomicActivityUnknown).with("code", activity)),
            Some(a) if a.parent.is_some() => {
                errs.push(FieldError::new(at, FieldCode::SectionRequired).with("code", activity))
            }
            Some(_) => {}
        }
    }
    errs.into_result(numbers).map_err(AppError::from)
}

/// What a step of the plan carries (SPEC §16.1): the reason of a return or
/// a withdrawal, the Cabinet order of an approval.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub reason: Option<String>,
    pub order_number: Option<String>,
    pub order_date: Option<chrono::NaiveDate>,
}

/// Takes a step of the plan of `year` (SPEC §5.2, §16.1): the Commission
/// proposes a plan with a number above 0 or withdraws its proposal; admin
/// approves it — late after the campaign's approval deadline, then with the
/// Cabinet order — or returns it with a reason. Proposing and approving stay
/// open until the end of the target year.
pub fn act(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    action: PlanAction,
    expected: Option<i64>,
    input: &StepInput,
    now: NaiveDateTime,
) -> Result<PlanRecord, AppError> {
    let year = year_of(year)?;
    let plan = store::get_plan(conn, year)?;
    let to = PLANS.next(plan.status, action, &caller.roles)?;
    let today = domain::time::baku_date(now.and_utc());
    let mut note = StepNote::default();
    let (order, reason, late) = match action {
        PlanAction::Propose | PlanAction::Approve => {
            let (campaign, _) = persistence::campaigns::get(conn, year)?;
            let approve = action == PlanAction::Approve;
            let late = domain::quota::plan_step_is_late(&campaign, today, approve)?;
            if approve {
                let approved: Vec<(String, Option<i64>)> =
                    plan.entries.iter().map(|e| (e.economic_activity.clone(), e.approved)).collect();
                domain::quota::check_approvable(&approved)?;
                let order = domain::quota::check_order(input.order_number.as_deref(), input.order_date, late, today)?;
                (order, None, late)
            } else {
                let proposed: Vec<Option<i64>> = plan.entries.iter().map(|e| e.proposed).collect();
                domain::quota::check_proposable(&proposed)?;
                (None, None, late)
            }
        }
        PlanAction::Return | PlanAction::WithdrawProposal => {
            let required = action == PlanAction::Return;
            (None, domain::quota::check_plan_reason(input.reason.as_deref(), required)?, false)
        }
        // Edits and amendments have their own use cases.
        PlanAction::EditProposed | PlanAction::EditApproved | PlanAction::Amend => {
            return Err(AppError::bug(format!("{action:?} is not a step")))
        }
    };
    check_version(&plan, expected)?;
    store::bump_plan(conn, &plan, to, now)?;
    if action == PlanAction::Approve {
        store::record_approval(conn, year, order.as_ref(), late, now)?;
    }
    note.reason = reason.as_deref();
    note.order = order.as_ref();
    store::append_plan_history(conn, year, (Some(plan.status), to), action.as_str(), actor(caller, action), note, now)?;
    shown(conn, year, now)
}

/// An amendment as sent: the Cabinet order and the approved numbers it sets.
#[derive(Debug, Clone, Default)]
pub struct SentAmendment {
    pub order_number: Option<String>,
    pub order_date: Option<chrono::NaiveDate>,
    pub entries: Vec<(String, Option<i64>)>,
}

/// Admin amends the approved quota of `year` by Cabinet order (SPEC
/// §16.1.4): each listed activity gets its new approved number, never below
/// what is used, and one the quota does not name is added. The amendment
/// is numbered and kept unchanged; the plan's version moves.
pub fn amend(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    expected: Option<i64>,
    sent: &SentAmendment,
    now: NaiveDateTime,
) -> Result<(PlanRecord, AmendmentRecord), AppError> {
    let year = year_of(year)?;
    let plan = store::get_plan(conn, year)?;
    PLANS.check(plan.status, PlanAction::Amend, &caller.roles)?;
    let today = domain::time::baku_date(now.and_utc());
    let mut errs = ValidationErrors::default();
    let order = domain::quota::check_order(sent.order_number.as_deref(), sent.order_date, true, today)
        .map_err(|e| errs.extend(e))
        .ok()
        .flatten();
    let standing: Vec<domain::quota::StandingEntry> =
        plan.entries.iter().map(|e| (e.economic_activity.clone(), e.approved, e.used)).collect();
    let asked: Vec<(&str, Option<i64>)> = sent.entries.iter().map(|(a, n)| (a.as_str(), *n)).collect();
    let entries = domain::quota::check_amendment(&asked, &standing).map_err(|e| errs.extend(e)).ok();
    let (Some(order), Some(entries)) = (order, entries) else {
        return Err(errs.into());
    };
    errs.into_result(())?;
    check_version(&plan, expected)?;
    let number = store::next_amendment_number(conn, year)?;
    if !store::amend(conn, year, number, &order, &entries, &caller.sub, now)? {
        // A permit took a unit between the read and the write: read again
        // (the transaction runs from the start) and refuse with `used`.
        return Err(AppError::ServiceUnavailable(crate::Unavailable::LostRaces));
    }
    store::bump_plan(conn, &plan, plan.status, now)?;
    let note = StepNote { order: Some(&order), amendment: Some(number), ..StepNote::default() };
    let step = (Some(plan.status), plan.status);
    store::append_plan_history(
        conn,
        year,
        step,
        PlanAction::Amend.as_str(),
        actor(caller, PlanAction::Amend),
        note,
        now,
    )?;
    Ok((shown(conn, year, now)?, store::amendment(conn, year, number)?))
}

/// One page of the amendments of `year`, oldest first (SPEC §16.1.4).
pub fn amendments(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    page: &crate::PageParams,
) -> Result<(Vec<AmendmentRecord>, i64, Page), AppError> {
    caller.may(Permission::ReadQuotaPlan)?;
    let y = year_of(year)?;
    let page = page.page()?;
    let (rows, total) = store::amendments(conn, y, page)?;
    Ok((rows, total, page))
}

/// Amendment `number` of `year`.
pub fn amendment(
    conn: &mut DbConnection,
    caller: &Caller,
    year: i32,
    number: i32,
) -> Result<AmendmentRecord, AppError> {
    caller.may(Permission::ReadQuotaPlan)?;
    Ok(store::amendment(conn, year, number)?)
}

/// What recording or cancelling a permit did.
#[derive(Debug, Clone)]
pub struct PermitOutcome {
    /// The permit's reference, as recorded.
    pub permit_ref: String,
    /// False when the reference was already recorded (an idempotent repeat).
    pub created: bool,
    pub activity: String,
    pub exemption: Option<String>,
    /// The activity's quota after it; zeros for an activity outside the plan.
    pub figures: QuotaFigures,
    /// Why and from when the permit ended, once it has (SPEC §16.1.6).
    pub end: Option<(PermitEnd, chrono::NaiveDate)>,
}

fn figures_or_none(conn: &mut DbConnection, year: i32, section: &str) -> Result<QuotaFigures, AppError> {
    Ok(store::figures(conn, year, section)?.unwrap_or(QuotaFigures { approved: 0, used: 0 }))
}

/// A permit as sent: reference, economic activity, exemption, TIN.
#[derive(Debug, Clone)]
pub struct SentPermit {
    pub permit_ref: String,
    pub economic_activity: String,
    pub exemption: Option<String>,
    pub tin: Option<String>,
}

/// An officer records a permit against the approved quota of its year and
/// activity (SPEC §5.3). Idempotent per reference; an exempt permit
/// consumes nothing; `quota-exhausted` when no unit remains. Without an
/// approved plan the answer is `quota-not-approved` (409), whatever the
/// permit's fields say (422 comes after, SPEC §7's order of checks).
pub fn record_permit(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    sent: &SentPermit,
    now: NaiveDateTime,
) -> Result<PermitOutcome, AppError> {
    caller.may(Permission::RecordPermits)?;
    let year = year_of(year)?;
    let plan = match store::get_plan(conn, year) {
        Ok(plan) if plan.status == PlanStatus::Approved => plan,
        Ok(_) | Err(persistence::StoreError::NotFound) => return Err(AppError::QuotaNotApproved),
        Err(e) => return Err(e.into()),
    };
    let p: &PermitInput = &domain::quota::check_permit(
        &sent.permit_ref,
        &sent.economic_activity,
        sent.exemption.as_deref(),
        sent.tin.as_deref(),
    )?;
    let mut errs = ValidationErrors::default();
    let section = domain::reference::section_of(&p.economic_activity).map(str::to_owned);
    if section.is_none() {
        errs.push(
            FieldError::new("economic_activity", FieldCode::EconomicActivityUnknown).with("code", &p.economic_activity),
        );
    }
    if let Some(code) = &p.exemption {
        if !store::exemption_in_force(conn, code)? {
            errs.push(FieldError::new("exemption", FieldCode::ExemptionUnknown).with("code", code));
        }
    }
    let section = errs.into_result(section.unwrap_or_default())?;
    // An activity the quota does not name can take only exempt permits
    // (SPEC §16.1.5: not "exhausted", which an amendment would cure).
    let in_plan = plan.entries.iter().any(|e| e.economic_activity == section && e.approved.is_some());
    if !in_plan && p.exemption.is_none() {
        return Err(AppError::ActivityNotInQuota { activity: section });
    }
    let existing = store::permit(conn, &p.permit_ref)?;
    if let Some(e) = &existing {
        if e.target_year != year || e.economic_activity != p.economic_activity || e.exemption != p.exemption {
            return Err(AppError::PermitConflict);
        }
        if !e.cancelled() {
            let figures = figures_or_none(conn, year, &section)?;
            return Ok(PermitOutcome {
                permit_ref: p.permit_ref.clone(),
                created: false,
                activity: section,
                exemption: e.exemption.clone(),
                figures,
                end: e.end_reason.zip(e.ended_on),
            });
        }
    }
    if p.exemption.is_none() && !store::take_unit(conn, year, &section)? {
        // The same permit sent again before the first answer came (a retry):
        // the first may have taken the last unit and committed while this
        // one waited for the row. Then the permit is recorded, not refused:
        // run again, to answer as for a repeat.
        if store::permit(conn, &p.permit_ref)?.is_some_and(|e| !e.cancelled()) {
            return Err(AppError::ServiceUnavailable(crate::Unavailable::LostRaces));
        }
        return Err(AppError::QuotaExhausted { activity: section });
    }
    let new = NewPermit {
        permit_ref: &p.permit_ref,
        target_year: year,
        economic_activity: &p.economic_activity,
        section: &section,
        exemption: p.exemption.as_deref(),
        tin: p.tin.as_deref(),
    };
    store::record_permit(conn, &new, existing.is_some(), &caller.sub, now)?;
    let figures = figures_or_none(conn, year, &section)?;
    Ok(PermitOutcome {
        permit_ref: p.permit_ref.clone(),
        created: true,
        activity: section,
        exemption: p.exemption.clone(),
        figures,
        end: None,
    })
}

/// An officer cancels a recorded permit (recorded in error): its unit goes
/// back to the quota (exempt permits took none). Cancelling again changes
/// nothing.
pub fn cancel_permit(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    permit_ref: &str,
    now: NaiveDateTime,
) -> Result<PermitOutcome, AppError> {
    end_permit(conn, caller, year, permit_ref, PermitEnd::RecordedInError, None, now)
}

/// An officer states why a recorded permit ends (SPEC §16.1.6): recorded in
/// error gives its unit back (as cancelling); ended early or revoked keeps
/// the unit used and records the day. Ending it again the same way changes
/// nothing; another way answers 409 `permit-ended`.
pub fn end_permit(
    conn: &mut DbConnection,
    caller: &Caller,
    year: &str,
    permit_ref: &str,
    reason: PermitEnd,
    effective_on: Option<chrono::NaiveDate>,
    now: NaiveDateTime,
) -> Result<PermitOutcome, AppError> {
    caller.may(Permission::RecordPermits)?;
    let year = year_of(year)?;
    let permit = store::permit(conn, permit_ref)?.filter(|p| p.target_year == year).ok_or(AppError::NotFound)?;
    let today = domain::time::baku_date(now.and_utc());
    let day = domain::quota::check_permit_end(reason, effective_on, permit.recorded_at.date(), today)?;
    let end = match permit.end_reason {
        None => {
            store::end_permit(conn, permit_ref, reason, day, &caller.sub, now)?;
            if reason.gives_unit_back() && permit.exemption.is_none() {
                store::give_back_unit(conn, year, &permit.activity_section)?;
            }
            Some((reason, day))
        }
        Some(r) if r == reason && (reason.gives_unit_back() || permit.ended_on == Some(day)) => {
            permit.end_reason.zip(permit.ended_on)
        }
        Some(r) => return Err(AppError::PermitEnded { reason: r }),
    };
    let figures = figures_or_none(conn, year, &permit.activity_section)?;
    Ok(PermitOutcome {
        permit_ref: permit_ref.to_owned(),
        created: false,
        activity: permit.activity_section,
        exemption: permit.exemption,
        figures,
        end,
    })
}

/// One economic activity of the public quota: its title and figures, the
/// exempt permits recorded in it and the permits that ended early or were
/// revoked (SPEC §16.1.6–7). `in_quota` is false for an activity the quota
/// does not name that has exempt permits.
pub struct PublicActivity {
    pub economic_activity: String,
    pub title: String,
    pub in_quota: bool,
    pub figures: QuotaFigures,
    pub exempt: i64,
    pub ended: i64,
}

/// The public quota of a year (SPEC §5.3, §16.1.4, §16.1.7).
pub struct PublicQuota {
    pub activities: Vec<PublicActivity>,
    pub plan: PlanRecord,
}

/// The approved quota of `year` per economic activity with what is used,
/// the exempt permits, and the approval and last amendment (SPEC §5.3,
/// §16.1): public, no token.
pub fn public_quota(conn: &mut DbConnection, year: i32) -> Result<PublicQuota, AppError> {
    let titles = crate::summaries::activity_titles(conn)?;
    let plan = store::approved_plan(conn, year)?;
    let counts = store::permit_counts(conn, year)?;
    let count = |section: &str| counts.iter().find(|c| c.section == section).cloned().unwrap_or_default();
    let mut activities: Vec<PublicActivity> = plan
        .entries
        .iter()
        .map(|e| {
            let c = count(&e.economic_activity);
            PublicActivity {
                title: titles.get(&e.economic_activity).cloned().unwrap_or_default(),
                economic_activity: e.economic_activity.clone(),
                in_quota: true,
                figures: QuotaFigures { approved: e.approved.unwrap_or(0), used: e.used },
                exempt: c.exempt,
                ended: c.ended,
            }
        })
        .collect();
    for c in counts.iter().filter(|c| !plan.entries.iter().any(|e| e.economic_activity == c.section)) {
        activities.push(PublicActivity {
            title: titles.get(&c.section).cloned().unwrap_or_default(),
            economic_activity: c.section.clone(),
            in_quota: false,
            figures: QuotaFigures { approved: 0, used: 0 },
            exempt: c.exempt,
            ended: c.ended,
        });
    }
    activities.sort_by(|a, b| a.economic_activity.cmp(&b.economic_activity));
    Ok(PublicQuota { activities, plan })
}
