//! Webhook endpoints of employers' ERP systems and their delivery logs
//! (SPEC §17). Only an API client (a client-credentials token) has
//! endpoints; each hears of its employer's forecasts and of the public
//! quota. The events and their payloads are declared in the document's
//! `webhooks` section ([`super::docs::webhooks`]).

use crate::auth::Caller;
use crate::dto::{Paged, WebhookChange, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret, WebhookInput};
use crate::extract::{ChangeHeaders, IfMatch, JsonBody, PageParams, Query};
use crate::handler::{Id, Reply, State, TwoSegments};
use crate::respond::json_with_etag;
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use application::webhooks::{self as uc, Change, Subscription, WithSecret};

/// The caller of a webhook operation, refused (403 `api-client-only`) unless
/// it is an API client, before the body is read: the documented order of
/// checks puts the role first.
pub struct Client(Caller);

impl actix_web::FromRequest for Client {
    type Error = crate::problem::HttpError;
    type Future = std::future::Ready<Result<Client, crate::problem::HttpError>>;

    fn from_request(req: &actix_web::HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        // Caller's future is ready at once.
        let caller = <Caller as actix_web::FromRequest>::from_request(req, payload).into_inner();
        std::future::ready(caller.and_then(|c| match uc::client_of(&c.0) {
            Ok(_) => Ok(Client(c)),
            Err(e) => Err(e.into()),
        }))
    }
}

fn with_secret(status: StatusCode, w: &WithSecret) -> HttpResponse {
    let body = WebhookEndpointWithSecret { endpoint: WebhookEndpoint::from(&w.endpoint), secret: w.secret.clone() };
    let mut b = HttpResponse::build(status);
    b.insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::ETAG, crate::respond::etag(w.endpoint.version)));
    if status == StatusCode::CREATED {
        b.insert_header((header::LOCATION, crate::handler::location::<__path_get>(&[("id", &w.endpoint.id)])));
    }
    b.json(body)
}

/// Subscribe an endpoint
///
/// API client (client credentials): posts the chosen events of its employer
/// (and the public quota's) to `url`, signed per Standard Webhooks. The
/// answer holds the signing secret, shown this once. In production the URL
/// must be `https`; a host that is or resolves to a loopback, private,
/// link-local or metadata address is refused (422 `webhook-url-not-allowed`).
#[utoipa::path(
    post, path = "/api/v1/webhooks", tag = "webhooks", operation_id = "create_webhook",
    request_body = WebhookInput,
    responses((status = 201, description = "Subscribed; keep the secret now", body = WebhookEndpointWithSecret,
        headers(("Location" = String, description = "The endpoint"), ("ETag" = String, description = "Its version")))),
)]
pub async fn create(state: State, Client(caller): Client, body: JsonBody<WebhookInput>) -> Reply {
    let b = body.value;
    let sub = Subscription {
        url: b.url.into_string(),
        events: b.events.into_vec(),
        description: b.description.map(|d| d.into_string()),
    };
    let (hooks, now) = (state.webhooks.clone(), state.now());
    let made = state
        .blocking(move |db| {
            // The address is looked up before the transaction, not inside it.
            uc::check_form(&caller, &sub, &hooks.policy)?;
            hooks.policy.check(&sub.url)?;
            db.write(|c| uc::subscribe(c, &caller, &sub, &hooks.sealer, now))
        })
        .await?;
    Ok(with_secret(StatusCode::CREATED, &made))
}

/// List the endpoints
///
/// API client: its own endpoints, oldest first.
#[utoipa::path(
    get, path = "/api/v1/webhooks", tag = "webhooks", operation_id = "list_webhooks",
    params(PageParams),
    responses((status = 200, description = "A page of endpoints", body = Paged<WebhookEndpoint>)),
)]
pub async fn list(state: State, caller: Caller, q: Query<PageParams>) -> Reply {
    crate::handler::paged(
        &state,
        q,
        move |c, page| uc::endpoints(c, &caller, page),
        |r| Ok::<_, crate::problem::HttpError>(WebhookEndpoint::from(r)),
    )
    .await
}

/// Read an endpoint
///
/// API client: one of its endpoints, without the secret; the `ETag` is its
/// version, for `If-Match`.
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}", tag = "webhooks", operation_id = "get_webhook",
    params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 200, description = "The endpoint", body = WebhookEndpoint,
        headers(("ETag" = String, description = "The version")))),
)]
pub async fn get(state: State, caller: Caller, id: Id) -> Reply {
    let id = id.into_inner();
    let row = state.read_one(move |c| uc::endpoint(c, &caller, &id)).await?;
    Ok(json_with_etag(StatusCode::OK, &WebhookEndpoint::from(&row), row.version))
}

/// Change an endpoint
///
/// API client: the fields sent change (URL, events, description), the
/// others stay. `"enabled": true` enables an endpoint disabled after 5 days
/// of failures: its waiting deliveries go out again, in order.
#[utoipa::path(
    patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", operation_id = "update_webhook",
    request_body = WebhookChange,
    params(("id" = String, Path, description = "Endpoint id"), ChangeHeaders),
    responses((status = 200, description = "Changed", body = WebhookEndpoint,
        headers(("ETag" = String, description = "The new version")))),
)]
pub async fn update(
    state: State,
    Client(caller): Client,
    id: Id,
    if_match: IfMatch,
    body: JsonBody<WebhookChange>,
) -> Reply {
    let (id, b) = (id.into_inner(), body.value);
    let change = Change {
        url: b.url.map(|u| u.into_string()),
        events: b.events.map(|e| e.into_vec()),
        description: b.description.map(|d| d.map(|d| d.into_string())),
        enabled: b.enabled,
    };
    let (hooks, now) = (state.webhooks.clone(), state.now());
    let row = state
        .blocking(move |db| {
            if let Some(url) = &change.url {
                // Whose endpoint it is first (403, 404), then the lookup
                // outside the transaction.
                db.read_one(|c| uc::endpoint(c, &caller, &id))?;
                hooks.policy.check(url)?;
            }
            db.write(|c| uc::change(c, &caller, &id, if_match.0, &change, now))
        })
        .await?;
    Ok(json_with_etag(StatusCode::OK, &WebhookEndpoint::from(&row), row.version))
}

/// Delete an endpoint
///
/// API client: no more events go to it; its delivery log goes with it.
#[utoipa::path(
    delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", operation_id = "delete_webhook",
    params(("id" = String, Path, description = "Endpoint id"), ChangeHeaders),
    responses((status = 204, description = "Deleted")),
)]
pub async fn delete(state: State, caller: Caller, id: Id, if_match: IfMatch) -> Reply {
    let id = id.into_inner();
    state.write(move |c| uc::delete(c, &caller, &id, if_match.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate the signing secret
///
/// API client: a new secret, shown once. Deliveries are signed with both
/// the new and the previous secret for 24 hours (two signatures in
/// `webhook-signature`), so the receiver can switch without losing one.
#[utoipa::path(
    post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks", operation_id = "rotate_webhook_secret",
    params(("id" = String, Path, description = "Endpoint id"), ChangeHeaders),
    responses((status = 200, description = "The new secret", body = WebhookEndpointWithSecret)),
)]
pub async fn rotate(state: State, caller: Caller, id: Id, if_match: IfMatch) -> Reply {
    let id = id.into_inner();
    let (hooks, now) = (state.webhooks.clone(), state.now());
    let w = state.write(move |c| uc::rotate(c, &caller, &id, if_match.0, &hooks.sealer, now)).await?;
    Ok(with_secret(StatusCode::OK, &w))
}

/// Send a test event
///
/// API client: queues a `webhook.test` event to this endpoint alone, due
/// now; follow it in the delivery log.
#[utoipa::path(
    post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks", operation_id = "test_webhook",
    params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 202, description = "Queued", body = WebhookDelivery)),
)]
pub async fn test(state: State, caller: Caller, id: Id) -> Reply {
    let (id, now) = (id.into_inner(), state.now());
    let d = state.write(move |c| uc::test(c, &caller, &id, now)).await?;
    Ok(HttpResponse::Accepted().json(WebhookDelivery::from(&d)))
}

/// List deliveries
///
/// API client: the endpoint's deliveries, newest first: event, attempts,
/// the last answer and when it is tried next.
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", operation_id = "list_webhook_deliveries",
    params(("id" = String, Path, description = "Endpoint id"), PageParams),
    responses((status = 200, description = "A page of deliveries", body = Paged<WebhookDelivery>)),
)]
pub async fn deliveries(state: State, caller: Caller, id: Id, q: Query<PageParams>) -> Reply {
    let id = id.into_inner();
    crate::handler::paged(
        &state,
        q,
        move |c, page| uc::deliveries(c, &caller, &id, page),
        |d| Ok::<_, crate::problem::HttpError>(WebhookDelivery::from(d)),
    )
    .await
}

/// Retry a delivery
///
/// API client: sends the delivery again now, with the same `webhook-id`
/// (a failed one gets one more attempt; a replay of a delivered one is
/// recognisable by its id).
#[utoipa::path(
    post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry", tag = "webhooks",
    operation_id = "retry_webhook_delivery",
    params(("id" = String, Path, description = "Endpoint id"), ("delivery_id" = String, Path, description = "Delivery id (the `webhook-id`)")),
    responses((status = 202, description = "Due now", body = WebhookDelivery)),
)]
pub async fn retry(state: State, caller: Caller, path: TwoSegments) -> Reply {
    let (id, delivery) = path.into_inner();
    let now = state.now();
    let d = state.write(move |c| uc::retry(c, &caller, &id, &delivery, now)).await?;
    Ok(HttpResponse::Accepted().json(WebhookDelivery::from(&d)))
}

/// Adds the schemas of the three event bodies (a forecast's, the quota's,
/// the test's) to the document's components.
pub fn add_schemas(doc: &mut serde_json::Value) {
    use domain::webhook::{EventType, TEST_EVENT};
    use serde_json::{json, Value};
    let envelope = |types: Vec<&str>, data: Value, description: &str| {
        json!({
            "type": "object",
            "description": description,
            "required": ["type", "timestamp", "data"],
            "properties": {
                "type": {"type": "string", "enum": types},
                "timestamp": {"type": "string", "format": "date-time", "description": "When the change happened"},
                "data": data,
            },
        })
    };
    let forecast_types: Vec<&str> = EventType::ALL.iter().filter(|e| !e.is_public()).map(|e| e.as_str()).collect();
    let quota_types: Vec<&str> = EventType::ALL.iter().filter(|e| e.is_public()).map(|e| e.as_str()).collect();
    let schemas = [
        (
            "ForecastEvent",
            envelope(
                forecast_types,
                json!({"$ref": "#/components/schemas/Forecast"}),
                "A forecast of the subscriber's employer changed status; `data` is the forecast as GET /api/v1/forecasts/{id} returns it",
            ),
        ),
        (
            "QuotaEvent",
            envelope(
                quota_types,
                json!({"$ref": "#/components/schemas/Quota"}),
                "A year's quota was approved or amended; `data` is the quota as GET /api/v1/quotas/{year} returns it",
            ),
        ),
        (
            "TestEvent",
            envelope(
                vec![TEST_EVENT],
                json!({"type": "object", "required": ["endpoint_id", "message"], "properties": {
                    "endpoint_id": {"type": "string", "example": "ep_0195a0c48f4e7b1a9c1e2f0d3c4b5a69"},
                    "message": {"type": "string", "example": "A test event sent at your request."}}}),
                "Sent at the subscriber's request (POST /api/v1/webhooks/{id}/test)",
            ),
        ),
    ];
    if let Some(s) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas {
            s.insert(name.into(), schema);
        }
    }
}

/// The document's `webhooks` section (OpenAPI 3.1): each event an endpoint
/// receives, as a `POST` with the Standard Webhooks headers and its body.
/// `doc` is the document: the forecast example is made from its example of
/// a filing, so the two never disagree.
pub fn section(doc: &serde_json::Value) -> serde_json::Value {
    use domain::webhook::{EventType, TEST_EVENT};
    use serde_json::{json, Value};
    let filing = doc.pointer("/components/schemas/ForecastCreate/example").cloned().unwrap_or(Value::Null);
    let mut line = filing.pointer("/lines/0").cloned().unwrap_or(Value::Null);
    if let Some(l) = line.as_object_mut() {
        l.insert("id".into(), json!("0195a0c4-9b2e-7c4d-8e1f-0a1b2c3d4e5f"));
    }
    let forecast = json!({
        "id": "0195a0c4-8f4e-7b1a-9c1e-2f0d3c4b5a69",
        "number": 17,
        "target_year": 2027,
        "status": "returned",
        "version": 4,
        "created_at": "2026-05-04T08:12:30.000000Z",
        "updated_at": "2026-06-10T11:02:00.000000Z",
        "submitted_at": "2026-05-20T09:30:00.000000Z",
        "notification": "Line 1: give the number of local workers sought for the post.",
        "correction_due": "2026-06-20",
        "employer": filing.get("employer").cloned().unwrap_or(Value::Null),
        "lines": [line],
    });
    let quota = json!({
        "target_year": 2027,
        "approved_at": "2026-10-30T12:00:00.000000Z",
        "order": {"number": "412", "date": "2026-10-29"},
        "late": false,
        "last_amendment": null,
        "totals": {"approved": 1000, "used": 0, "remaining": 1000, "exempt": 0, "ended": 0},
        "activities": [{"economic_activity": "F", "title": "Construction", "in_quota": true,
            "approved": 1000, "used": 0, "remaining": 1000, "exempt": 0, "ended": 0}],
    });
    let header = |name: &str, description: &str, example: &str| {
        json!({"name": name, "in": "header", "required": true, "description": description,
            "schema": {"type": "string"}, "example": example})
    };
    let parameters = json!([
        header("webhook-id", "The delivery's id: the same on every attempt, so a repeat is recognisable", "msg_0195a0c48f4e7b1a9c1e2f0d3c4b5a69"),
        header("webhook-timestamp", "When this attempt was signed (Unix seconds); refuse one far from your clock", "1780000000"),
        header("webhook-signature", "`v1,` and base64 of HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with the endpoint's secret; during a rotation, one per secret, separated by spaces", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
    ]);
    let what = |e: &str| {
        match e {
        "forecast.submitted" => "A forecast was submitted (by the employer's user or system).",
        "forecast.returned" => "The Service returned a forecast for correction: `data.notification` says why and `data.correction_due` is the last day to resubmit.",
        "forecast.accepted" => "The Service accepted a forecast; `data.other_notification` holds the officer's note, if any.",
        "forecast.rejected" => "The Service rejected a forecast (final); `data.notification` says why.",
        "forecast.reopened" => "The Service took an accepted forecast back into review.",
        "quota.approved" => "The Cabinet approved the year's quota (to every subscribed client).",
        "quota.amended" => "The Cabinet amended the year's approved quota (to every subscribed client).",
        _ => "A test event sent at the subscriber's request.",
    }
    };
    let mut hooks = serde_json::Map::new();
    let mut names: Vec<&str> = EventType::ALL.iter().map(|e| e.as_str()).collect();
    names.push(TEST_EVENT);
    for name in names {
        let (schema, data) = match EventType::parse(name) {
            Some(e) if e.is_public() => ("QuotaEvent", quota.clone()),
            Some(_) => {
                let mut f = forecast.clone();
                let status = name.trim_start_matches("forecast.");
                f["status"] = json!(if status == "reopened" { "in_review" } else { status });
                if status != "returned" {
                    f["correction_due"] = Value::Null;
                }
                ("ForecastEvent", f)
            }
            None => (
                "TestEvent",
                json!({"endpoint_id": "ep_0195a0c48f4e7b1a9c1e2f0d3c4b5a69", "message": "A test event sent at your request."}),
            ),
        };
        let example = json!({"type": name, "timestamp": "2026-06-10T11:02:00.000000Z", "data": data});
        hooks.insert(
            name.into(),
            json!({"post": {
                "tags": ["webhooks"],
                "summary": name,
                "description": format!("{} Signed per Standard Webhooks; answer any 2xx within 10 seconds. Failures are retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h; an endpoint failing for 5 days is disabled.", what(name)),
                "operationId": format!("webhook_{}", name.replace('.', "_")),
                "parameters": parameters,
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/{schema}")},
                    "example": example,
                }}},
                "responses": {"200": {"description": "Received (any 2xx will do)"}},
                "security": [],
            }}),
        );
    }
    Value::Object(hooks)
}
