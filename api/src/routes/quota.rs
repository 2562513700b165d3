//! The quota plan, the public quota and the permits recorded against it
//! (SPEC §5.2, §5.3).

use crate::auth::Caller;
use crate::dto::{Allocation, AllocationInput, PlanHistoryEntry, PlanInput, Quota, QuotaActivity, QuotaPlan};
use crate::extract::Year;
use crate::extract::{ActionHeaders, ChangeHeaders, IfNoneMatch};
use crate::extract::{IdempotencyKey, IfMatch, JsonBody, PageParams, Query};
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
    let p = state.read(move |c| uc::plan(c, &caller, &year)).await?;
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

/// Takes a step of the plan's status machine (SPEC §5.2) as one
/// transaction under the request's `Idempotency-Key`.
async fn plan_action(action: Action, step: PlanAction) -> Reply {
    action
        .run(b"", move |c, caller, year, if_match, now| {
            let p = uc::act(c, caller, year, step, if_match, now.naive_utc())?;
            stored(StatusCode::OK, &QuotaPlan::from(&p), None, Some(p.version))
        })
        .await
}

/// Propose the plan
///
/// Commission: draft → proposed.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/propose", tag = "quota", operation_id = "propose_quota_plan",
    params(Year, ActionHeaders),
    responses(Stepped<QuotaPlan>),
)]
pub async fn propose(action: Action) -> Reply {
    plan_action(action, PlanAction::Propose).await
}

/// Approve the plan
///
/// Admin, for the Cabinet: proposed → approved, once every entry has its
/// approved number. The approved quota is then enforced and public.
#[utoipa::path(
    post, path = "/api/v1/quota-plans/{year}/approve", tag = "quota", operation_id = "approve_quota_plan",
    params(Year, ActionHeaders),
    responses(Stepped<QuotaPlan>),
)]
pub async fn approve(action: Action) -> Reply {
    plan_action(action, PlanAction::Approve).await
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
/// Per economic activity: approved, used (non-exempt permits recorded) and
/// remaining. No token needed.
#[utoipa::path(
    get, path = "/api/v1/quotas/{year}", tag = "quota", operation_id = "get_quota",
    params(Year),
    responses((status = 200, description = "The approved quota", body = Quota))
)]
pub async fn public_quota(state: State, Year(y): Year) -> Reply {
    let rows = state.read(move |c| uc::public_quota(c, y)).await?;
    let activities = rows
        .into_iter()
        .map(|a| QuotaActivity {
            title: a.title,
            economic_activity: a.economic_activity,
            approved: a.figures.approved,
            used: a.figures.used,
            remaining: a.figures.remaining(),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(Quota { target_year: y, activities }))
}

fn allocation_dto(permit_ref: String, o: &uc::PermitOutcome) -> Allocation {
    Allocation {
        permit_ref,
        economic_activity: o.activity.clone(),
        exemption: o.exemption.clone(),
        approved: o.figures.approved,
        used: o.figures.used,
        remaining: o.figures.remaining(),
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
        (status = 409, description = "`quota-exhausted`, `quota-not-approved` or `permit-conflict`", body = crate::problem::Problem, content_type = "application/problem+json")),
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
/// Officer: the permit's unit goes back to the quota. Cancelling again changes nothing.
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
