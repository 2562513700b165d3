//! The quota plan, the public quota and the permits recorded against it
//! (SPEC §5.2, §5.3).

use crate::auth::Caller;
use crate::dto::{
    Allocation, AllocationInput, Amendment, AmendmentHead, AmendmentInput, ApprovalInput, CabinetOrder, Paged,
    PermitEndInput, PermitEnding, PlanHistoryEntry, PlanInput, PlanReturnInput, PlanWithdrawInput, Quota,
    QuotaActivity, QuotaPlan, QuotaTotals,
};
use crate::extract::{ActionHeaders, ChangeHeaders, IfNoneMatch};
use crate::extract::{IdempotencyKey, IfMatch, JsonBody, OptionalJsonBody, PageParams, Query};
use crate::extract::{Year, YearAndNumber};
use crate::handler::{Action, Id, Reply, State, Stepped, TwoSegments};
use crate::respond::{json_with_etag, stored};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use application::quota as uc;
use domain::quota::PlanAction;
use domain::value::{Number, Text};
use persistence::quota as store;

fn plan_response(status: StatusCode, p: &store::PlanRecord) -> HttpResponse {
    json_with_etag(status, &QuotaPlan::from(p), p.version)
}

/// Read a quota plan
///
/// The plan of a target year with one entry per economic activity: the Commission's
/// proposed number and the approved one; the `ETag` is its version, for `If-Match`.
#[utoipa::path(
    get, path = "/api/v1/quota-plans/{year}", tag = "quota", operation_id = "get_quota_plan",
    params(Year,
        IfNoneMatch),
    responses((status = 200, description = "The plan", body = QuotaPlan, headers(("ETag" = String, description = "Its version"))),
        (status = 304, description = "Your copy is current", headers(("ETag" = String, description = "Its version")))),
)]
pub async fn get_plan(state: State, caller: Caller, path: Id) -> Reply {
    let year = path.into_inner();
    let now = state.now().naive_utc();
    let p = state.read(move |c| uc::plan(c, &caller, &year, now)).await?;
    Ok(plan_response(StatusCode::OK, &p))
}

/// Create a quota plan
///
/// Commission: creates the draft plan of the year, one entry per economic
/// activity with accepted forecasts, proposing the foreigners that count
/// toward the quota.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}", tag = "quota", operation_id = "create_quota_plan",
    params(Year,
        IdempotencyKey),
    responses((status = 201, description = "Created, pre-filled from the summary", body = QuotaPlan,
        headers(("Location" = String, description = "The plan"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "The plan exists already", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn create_plan(state: State, req: HttpRequest, caller: Caller, key: IdempotencyKey, Year(y): Year) -> Reply {
    state
        .idempotent(&req, &caller.clone(), key, b"", move |c, now| {
            let p = uc::create(c, &caller, y, now.naive_utc())?;
            stored(
                StatusCode::CREATED,
                &QuotaPlan::from(&p),
                Some(crate::handler::location::<__path_get_plan>(&[("year", &y.to_string())])),
                Some(p.version),
            )
        })
        .await
}

/// Set a plan's numbers
///
/// Commission, on a draft: the proposed number of each economic activity
/// (entries not listed are removed). Admin, on a proposed plan: the approved
/// numbers. An approved plan is read-only (409).
#[utoipa::path(
    put, path = "/api/v1/quota-plans/{year}", tag = "quota", operation_id = "set_quota_plan",
    request_body = PlanInput,
    params(Year,
        ChangeHeaders),
    responses((status = 200, description = "The plan", body = QuotaPlan, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not allowed in the plan's status", body = crate::problem::Problem, content_type = "application/problem+json"),),
)]
pub async fn put_plan(state: State, caller: Caller, path: Id, if_match: IfMatch, body: JsonBody<PlanInput>) -> Reply {
    let year = path.into_inner();
    let sent: Vec<uc::SentEntry> = body
        .value
        .entries
        .into_vec()
        .into_iter()
        .map(|e| (e.economic_activity.into_string(), e.proposed.map(Number::get), e.approved.map(Number::get)))
        .collect();
    let now = state.now().naive_utc();
    let p = state.write(move |c| uc::set_numbers(c, &caller, &year, if_match.0, &sent, now)).await?;
    Ok(plan_response(StatusCode::OK, &p))
}

/// Takes a step of the plan's status machine (SPEC §5.2, §16.1) as one
/// transaction under the request's `Idempotency-Key`; `input` is what the
/// body sent, `raw` the body.
async fn plan_action(action: Action, step: PlanAction, input: uc::StepInput, raw: &[u8]) -> Reply {
    action
        .run(raw, move |c, caller, year, if_match, now| {
            let p = uc::act(c, caller, year, step, if_match, &input, now.naive_utc())?;
            if step == PlanAction::Approve {
                tell(c, domain::webhook::EventType::QuotaApproved, p.target_year, now)?;
            }
            stored(StatusCode::OK, &QuotaPlan::from(&p), None, Some(p.version))
        })
        .await
}

/// Propose the plan
///
/// Commission: draft → proposed, with at least one entry above 0
/// (422 `no_entries`). Late proposals are taken until the end of the target year.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/propose", tag = "quota", operation_id = "propose_quota_plan",
    params(Year, ActionHeaders),
    responses(Stepped<QuotaPlan>),
)]
pub async fn propose(action: Action) -> Reply {
    plan_action(action, PlanAction::Propose, uc::StepInput::default(), b"").await
}

/// Approve the plan
///
/// Admin, for the Cabinet: proposed → approved, once every entry has its
/// approved number. The Cabinet order (`order_number`, `order_date`) is
/// optional until the campaign's approval deadline and required after it,
/// until 31 December of the target year; the plan then shows `late: true`.
/// The approved quota is then enforced and public.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/approve", tag = "quota", operation_id = "approve_quota_plan",
    request_body(content = Option<ApprovalInput>, description = "The Cabinet order; required after the approval deadline"),
    params(Year, ActionHeaders),
    responses(Stepped<QuotaPlan>),
)]
pub async fn approve(action: Action, body: OptionalJsonBody<Option<ApprovalInput>>) -> Reply {
    let order = body.value.flatten();
    let input = uc::StepInput {
        reason: None,
        order_number: order.as_ref().and_then(|o| o.order_number.clone()).map(Text::into_string),
        order_date: order.and_then(|o| o.order_date).map(domain::value::Date::get),
    };
    plan_action(action, PlanAction::Approve, input, &body.raw).await
}

/// Return the proposal
///
/// Admin: proposed → draft, with a reason, for the Commission to propose again.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/return", tag = "quota", operation_id = "return_quota_plan",
    request_body = PlanReturnInput,
    params(Year, ActionHeaders),
    responses(Stepped<QuotaPlan>),
)]
pub async fn return_plan(action: Action, body: JsonBody<PlanReturnInput>) -> Reply {
    let input = uc::StepInput { reason: Some(body.value.reason.into_string()), ..uc::StepInput::default() };
    plan_action(action, PlanAction::Return, input, &body.raw).await
}

/// Withdraw the proposal
///
/// Commission: proposed → draft before the approval, with an optional reason.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/withdraw-proposal", tag = "quota",
    operation_id = "withdraw_quota_plan_proposal",
    request_body(content = Option<PlanWithdrawInput>, description = "Optional: why"),
    params(Year, ActionHeaders),
    responses(Stepped<QuotaPlan>),
)]
pub async fn withdraw_proposal(action: Action, body: OptionalJsonBody<Option<PlanWithdrawInput>>) -> Reply {
    let reason = body.value.flatten().and_then(|b| b.reason).map(Text::into_string);
    let input = uc::StepInput { reason, ..uc::StepInput::default() };
    plan_action(action, PlanAction::WithdrawProposal, input, &body.raw).await
}

/// Where amendment `number` of `year` is: the path of [`get_amendment`].
fn amendment_location(year: &str, number: i32) -> String {
    crate::handler::location::<__path_get_amendment>(&[("year", year), ("number", &number.to_string())])
}

/// Amend the approved quota
///
/// Admin, with the Cabinet order: sets the approved number of each listed
/// economic activity — raised, lowered to no less than its `used` (422
/// `below_used`), or added. The amendment is numbered and never changes;
/// the plan's `ETag` moves.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/amendments", tag = "quota", operation_id = "amend_quota",
    request_body = AmendmentInput,
    params(Year, ActionHeaders),
    responses((status = 201, description = "Amended; `Location` names the amendment, `ETag` is the plan's new version",
        body = Amendment, headers(("Location" = String, description = "The amendment"), ("ETag" = String, description = "The plan's new version"))),
        (status = 409, description = "The plan is not approved", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn amend(action: Action, body: JsonBody<AmendmentInput>) -> Reply {
    let raw = body.raw.clone();
    let b = body.value;
    let sent = uc::SentAmendment {
        order_number: Some(b.order_number.into_string()),
        order_date: Some(b.order_date.get()),
        entries: b
            .entries
            .into_vec()
            .into_iter()
            .map(|e| (e.economic_activity.into_string(), Some(e.approved.get())))
            .collect(),
    };
    action
        .run(&raw, move |c, caller, year, if_match, now| {
            let (plan, a) = uc::amend(c, caller, year, if_match, &sent, now.naive_utc())?;
            tell(c, domain::webhook::EventType::QuotaAmended, plan.target_year, now)?;
            let at = amendment_location(year, a.row.number);
            stored(StatusCode::CREATED, &Amendment::from(&a), Some(at), Some(plan.version))
        })
        .await
}

/// List the amendments
///
/// Every amendment of the year's quota, oldest first.
#[utoipa::path(
    get, path = "/api/v1/quota-plans/{year}/amendments", tag = "quota", operation_id = "list_quota_amendments",
    params(Year, PageParams),
    responses((status = 200, description = "A page of amendments", body = Paged<Amendment>)),
)]
pub async fn amendments(state: State, caller: Caller, path: Id, q: Query<PageParams>) -> Reply {
    let year = path.into_inner();
    let (rows, total, page) = state.read(move |c| uc::amendments(c, &caller, &year, &q.0)).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows.iter().map(Amendment::from).collect(), page, total)))
}

/// Read an amendment
#[utoipa::path(
    get, path = "/api/v1/quota-plans/{year}/amendments/{number}", tag = "quota", operation_id = "get_quota_amendment",
    params(YearAndNumber),
    responses((status = 200, description = "The amendment", body = Amendment)),
)]
pub async fn get_amendment(state: State, caller: Caller, path: YearAndNumber) -> Reply {
    let a = state.read(move |c| uc::amendment(c, &caller, path.year, path.number)).await?;
    Ok(HttpResponse::Ok().json(Amendment::from(&a)))
}

/// Read the plan's history
///
/// Every change of the plan, oldest first: creation, edits, proposal and approval,
/// with who did it and when; paginated like every list.
#[utoipa::path(
    get, path = "/api/v1/quota-plans/{year}/history", tag = "quota", operation_id = "get_quota_plan_history",
    params(Year, PageParams),
    responses((status = 200, description = "Every step, oldest first", body = crate::dto::Paged<PlanHistoryEntry>)),
)]
pub async fn plan_history(state: State, caller: Caller, path: Id, q: Query<PageParams>) -> Reply {
    let year = path.into_inner();
    let (rows, total, page) = state.read(move |c| uc::plan_history(c, &caller, &year, &q.0)).await?;
    let items: Vec<PlanHistoryEntry> = rows.iter().map(PlanHistoryEntry::from).collect();
    Ok(HttpResponse::Ok().json(crate::dto::Paged::new(items, page, total)))
}

/// The approved quota (public)
///
/// Per economic activity: approved, used (non-exempt permits recorded),
/// remaining, exempt permits and permits ended early or revoked; the same
/// over all activities; the Cabinet order and the latest amendment. An
/// activity the quota does not name appears with `in_quota: false` when it
/// has exempt permits. No token needed.
#[utoipa::path(
    get, path = "/api/v1/quotas/{year}", tag = "quota", operation_id = "get_quota",
    params(Year),
    responses((status = 200, description = "The approved quota", body = Quota))
)]
pub async fn public_quota(state: State, Year(y): Year) -> Reply {
    let q = state.read(move |c| uc::public_quota(c, y)).await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "public, max-age=60")).json(quota_body(y, q)))
}

/// The public quota of `y` as `GET /quotas/{year}` answers it.
fn quota_body(y: i32, q: uc::PublicQuota) -> Quota {
    let mut totals = QuotaTotals::default();
    let activities = q
        .activities
        .into_iter()
        .map(|a| {
            totals.approved += a.figures.approved;
            totals.used += a.figures.used;
            totals.remaining += a.figures.remaining();
            totals.exempt += a.exempt;
            totals.ended += a.ended;
            QuotaActivity {
                title: a.title,
                economic_activity: a.economic_activity,
                in_quota: a.in_quota,
                approved: a.figures.approved,
                used: a.figures.used,
                remaining: a.figures.remaining(),
                exempt: a.exempt,
                ended: a.ended,
            }
        })
        .collect();
    let approval = q.plan.approval.as_ref();
    Quota {
        target_year: y,
        approved_at: approval.map(|a| a.at.and_utc()),
        order: approval.and_then(|a| a.order.as_ref()).map(CabinetOrder::from),
        late: approval.is_some_and(|a| a.late),
        last_amendment: q.plan.last_amendment.as_ref().map(AmendmentHead::from),
        totals,
        activities,
    }
}

/// Tells every subscribed ERP system of the year's public quota after an
/// approval or an amendment, in its transaction (SPEC §17).
fn tell(
    c: &mut persistence::DbConnection,
    event: domain::webhook::EventType,
    y: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), application::AppError> {
    let body = quota_body(y, uc::public_quota(c, y)?);
    let data = serde_json::to_value(body).map_err(|e| application::AppError::bug(e.to_string()))?;
    application::webhooks::publish(c, event, None, &format!("quota:{y}"), &data, now)?;
    Ok(())
}

fn allocation_dto(permit_ref: String, o: &uc::PermitOutcome) -> Allocation {
    Allocation {
        permit_ref,
        economic_activity: o.activity.clone(),
        exemption: o.exemption.clone(),
        approved: o.figures.approved,
        used: o.figures.used,
        remaining: o.figures.remaining(),
        ended: o.end.map(|(reason, effective_on)| PermitEnding { reason, effective_on }),
    }
}

/// Record a work permit
///
/// Officer: records a permit against the approved quota of its year and
/// economic activity; the quota decreases by one. Repeating a reference
/// changes nothing (200); an exempt permit consumes nothing; when no unit
/// remains the answer is 409 `quota-exhausted`.
#[utoipa::path(
    post, path = "/api/v1/quotas/{year}/allocations", tag = "quota", operation_id = "record_permit",
    request_body = AllocationInput,
    params(Year),
    responses((status = 201, description = "Recorded", body = Allocation),
        (status = 200, description = "Already recorded (idempotent)", body = Allocation),
        (status = 409, description = "`quota-exhausted`, `activity-not-in-quota`, `quota-not-approved` or `permit-conflict`", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn allocate(state: State, caller: Caller, path: Id, body: JsonBody<AllocationInput>) -> Reply {
    let year = path.into_inner();
    let input = body.value;
    let sent = uc::SentPermit {
        permit_ref: input.permit_ref.into_string(),
        economic_activity: input.economic_activity.into_string(),
        exemption: input.exemption.map(Text::into_string),
        tin: input.tin.map(domain::value::Shaped::into_string),
    };
    let now = state.now().naive_utc();
    let o = state.write(move |c| uc::record_permit(c, &caller, &year, &sent, now)).await?;
    let status = if o.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(HttpResponse::build(status).json(allocation_dto(o.permit_ref.clone(), &o)))
}

/// Cancel a work permit
///
/// Officer: the permit was recorded in error; its unit goes back to the
/// quota. Cancelling again changes nothing. (`POST …/end` states other
/// reasons.)
#[utoipa::path(
    delete, path = "/api/v1/quotas/{year}/allocations/{permit_ref}", tag = "quota", operation_id = "cancel_permit",
    params(Year,
        ("permit_ref" = String, Path, description = "The permit reference")),
    responses((status = 200, description = "Cancelled; the activity's figures", body = Allocation)),
)]
pub async fn cancel(state: State, caller: Caller, path: TwoSegments) -> Reply {
    let (year, permit_ref) = path.into_inner();
    let now = state.now().naive_utc();
    let r = permit_ref.clone();
    let o = state.write(move |c| uc::cancel_permit(c, &caller, &year, &r, now)).await?;
    Ok(HttpResponse::Ok().json(allocation_dto(permit_ref, &o)))
}

/// End a work permit
///
/// Officer: states why a recorded permit ends. `recorded_in_error` gives the
/// unit back (as cancelling); `terminated_early` (the employer informs the
/// SMS within 5 working days) and `revoked` keep the unit used and record
/// `effective_on`. Ending it again the same way changes nothing; another
/// way answers 409 `permit-ended`.
#[utoipa::path(
    post, path = "/api/v1/quotas/{year}/allocations/{permit_ref}/end", tag = "quota", operation_id = "end_permit",
    request_body = PermitEndInput,
    params(Year,
        ("permit_ref" = String, Path, description = "The permit reference")),
    responses((status = 200, description = "Ended; the activity's figures", body = Allocation),
        (status = 409, description = "`permit-ended`: it ended already another way", body = crate::problem::Problem, content_type = "application/problem+json")),
)]
pub async fn end(state: State, caller: Caller, path: TwoSegments, body: JsonBody<PermitEndInput>) -> Reply {
    let (year, permit_ref) = path.into_inner();
    let (reason, on) = (body.value.reason, body.value.effective_on.map(domain::value::Date::get));
    let now = state.now().naive_utc();
    let r = permit_ref.clone();
    let o = state.write(move |c| uc::end_permit(c, &caller, &year, &r, reason, on, now)).await?;
    Ok(HttpResponse::Ok().json(allocation_dto(permit_ref, &o)))
}
