//! Webhooks (SPEC §17): an employer's ERP system subscribes an endpoint and
//! is told of its forecasts' status changes and of the quota, signed per
//! Standard Webhooks, retried on the schedule, in order per forecast, once
//! even with two servers on one database, never to a private address
//! unless allowed.

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const HOOKS: &str = "/api/v1/webhooks";

async fn subscribe(app: &TestApp, erp: &str, url: &str, events: &[&str]) -> (String, String) {
    let r = app.post(HOOKS, erp, &json!({"url": url, "events": events, "description": "ERP"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.header("location").as_deref(), Some(format!("{HOOKS}/{id}").as_str()));
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    (id, secret)
}

fn later(app: &TestApp, d: chrono::Duration) {
    app.clock.set(app.state.now() + d);
}

async fn deliveries(app: &TestApp, erp: &str, ep: &str) -> Vec<Value> {
    let r = app.get(&format!("{HOOKS}/{ep}/deliveries?per_page=100"), erp).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

/// Waits until the server has recorded `n` attempts of `ep`'s deliveries
/// in all: a receiver has its request before the server records the answer,
/// and a clock moved in between would date the record after the move.
async fn recorded(app: &TestApp, erp: &str, ep: &str, n: usize) {
    let total = || async {
        deliveries(app, erp, ep).await.iter().map(|d| d["attempts"].as_u64().unwrap_or(0)).sum::<u64>() as usize
    };
    assert!(
        eventually_async(10, || async { total().await == n }).await,
        "{} attempts recorded, {n} expected",
        total().await
    );
}

fn types(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| h.json()["type"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erp_system_hears_of_its_own_forecasts_signed_in_order_with_the_forecast_as_get_returns_it() {
    let app = spawn().await;
    let rx = Receiver::start().await;
    let erp = app.erp_client(TIN_A).await;
    let (ep, secret) =
        subscribe(&app, &erp, &rx.url, &["forecast.submitted", "forecast.returned", "forecast.accepted"]).await;
    assert!(secret.starts_with("whsec_") && secret.len() > 40, "{secret}");
    let read = app.get(&format!("{HOOKS}/{ep}"), &erp).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.get("secret").is_none(), "the secret is shown once: {}", read.body);
    assert_eq!(read.body["events"], json!(["forecast.submitted", "forecast.returned", "forecast.accepted"]));

    // Another employer's forecast is not this client's business.
    let other = app.create_draft(TIN_B, two_lines()).await;
    assert_eq!(app.action(&other, "submit", &app.employer(TIN_B)).await.status, StatusCode::OK);

    let id = app.create_draft(TIN_A, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &app.employer(TIN_A)).await.status, StatusCode::OK);
    let officer = app.officer();
    assert_eq!(app.action(&id, "start-review", &officer).await.status, StatusCode::OK);
    let reason = "Line 1: give the number of local workers sought.";
    let returned = app
        .send(
            Method::POST,
            &format!("/api/v1/forecasts/{id}/return"),
            Some(&officer),
            Some(&json!({"reason": reason})),
            &[],
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    assert!(eventually(10, || rx.delivered().len() >= 2).await, "{:?}", rx.hits());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let hits = rx.delivered();
    assert_eq!(types(&hits), ["forecast.submitted", "forecast.returned"], "start-review raises no event");
    for h in &hits {
        assert!(signed_with(h, &secret), "signature of {h:?}");
        assert!(h.header("webhook-id").starts_with("msg_"));
        assert_eq!(h.header("webhook-timestamp").parse::<i64>().ok().map(|t| t > 0), Some(true));
        assert_eq!(h.header("content-type"), "application/json");
        assert_eq!(h.json()["data"]["id"], json!(id), "only its own employer's forecast");
    }
    assert_ne!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
    // `data` is the forecast as GET returns it after the change.
    let now = app.get(&format!("/api/v1/forecasts/{id}"), &app.employer(TIN_A)).await;
    assert_eq!(hits[1].json()["data"], now.body);
    assert_eq!(hits[1].json()["data"]["notification"], json!(reason));
    assert!(hits[1].json()["data"]["correction_due"].is_string());

    let log = deliveries(&app, &erp, &ep).await;
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|d| d["status"] == "succeeded" && d["attempts"] == 1), "{log:?}");
    assert_eq!(log[0]["event_type"], "forecast.returned", "newest first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forecast_filed_and_submitted_at_once_is_told_too() {
    let app = spawn().await;
    let rx = Receiver::start().await;
    let erp = app.erp_client(TIN_A).await;
    let (_, secret) = subscribe(&app, &erp, &rx.url, &["forecast.submitted"]).await;
    let mut body = forecast_body(TIN_A, two_lines());
    body["submit"] = json!(true);
    let filed = app.post("/api/v1/forecasts", &erp, &body).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    assert!(eventually(10, || rx.delivered().len() == 1).await);
    let hit = &rx.delivered()[0];
    assert!(signed_with(hit, &secret));
    assert_eq!(hit.json()["data"]["id"], filed.body["id"]);
    assert_eq!(hit.json()["data"]["status"], "submitted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_endpoint_is_retried_on_the_schedule_with_one_id_then_given_up_and_retried_by_hand() {
    let app = spawn().await;
    let rx = Receiver::start().await;
    let erp = app.erp_client(TIN_A).await;
    let (ep, secret) = subscribe(&app, &erp, &rx.url, &["forecast.accepted"]).await;

    rx.answer(&[503]);
    let t = app.send(Method::POST, &format!("{HOOKS}/{ep}/test"), Some(&erp), None, &[]).await;
    assert_eq!(t.status, StatusCode::ACCEPTED, "{}", t.body);
    assert!(eventually(10, || rx.hits().len() == 1).await);
    assert!(eventually_async(10, || async { deliveries(&app, &erp, &ep).await[0]["attempts"] == 1 }).await);
    let log = deliveries(&app, &erp, &ep).await;
    assert_eq!(
        (log[0]["status"].as_str(), log[0]["attempts"].as_i64(), log[0]["last_status"].as_i64()),
        (Some("pending"), Some(1), Some(503)),
        "{log:?}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(rx.hits().len(), 1, "not before 5 seconds");
    recorded(&app, &erp, &ep, 1).await;
    later(&app, chrono::Duration::seconds(6));
    assert!(eventually(10, || rx.hits().len() == 2).await);
    let hits = rx.hits();
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"), "stable across retries");
    assert!(signed_with(&hits[1], &secret));
    assert_eq!(hits[1].json()["type"], "webhook.test");

    // Every attempt fails: 8 in all, then the delivery is given up.
    rx.answer(&[500; 8]);
    let t = app.send(Method::POST, &format!("{HOOKS}/{ep}/test"), Some(&erp), None, &[]).await;
    let msg = t.body["id"].as_str().unwrap().to_owned();
    let waits = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
    for (n, wait) in waits.iter().enumerate() {
        assert!(eventually(10, || rx.hits().len() == 3 + n).await, "attempt {}", n + 1);
        recorded(&app, &erp, &ep, 3 + n).await;
        later(&app, chrono::Duration::seconds(wait + 1));
    }
    assert!(eventually(10, || rx.hits().len() == 10).await);
    let find = |log: &[Value]| log.iter().find(|d| d["id"] == json!(msg)).cloned().unwrap();
    assert!(eventually_async(10, || async { find(&deliveries(&app, &erp, &ep).await)["status"] == "failed" }).await);
    let d = find(&deliveries(&app, &erp, &ep).await);
    assert_eq!((d["status"].as_str(), d["attempts"].as_i64()), (Some("failed"), Some(8)), "{d}");
    later(&app, chrono::Duration::days(1));
    assert_eq!(rx.hits().len(), 10, "given up: no ninth attempt by itself");

    let again = app.send(Method::POST, &format!("{HOOKS}/{ep}/deliveries/{msg}/retry"), Some(&erp), None, &[]).await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.body);
    assert!(eventually(10, || rx.hits().len() == 11).await);
    assert_eq!(rx.hits()[10].header("webhook-id"), msg);
    assert!(eventually_async(10, || async { find(&deliveries(&app, &erp, &ep).await)["status"] == "succeeded" }).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_event_of_a_forecast_waits_for_the_earlier_one() {
    let app = spawn().await;
    let rx = Receiver::start().await;
    let erp = app.erp_client(TIN_A).await;
    let (ep, _) = subscribe(&app, &erp, &rx.url, &["forecast.submitted", "forecast.returned"]).await;
    rx.answer(&[500]);
    let id = app.create_draft(TIN_A, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &app.employer(TIN_A)).await.status, StatusCode::OK);
    assert!(eventually(10, || rx.hits().len() == 1).await);
    let officer = app.officer();
    assert_eq!(app.action(&id, "start-review", &officer).await.status, StatusCode::OK);
    let r = app
        .send(
            Method::POST,
            &format!("/api/v1/forecasts/{id}/return"),
            Some(&officer),
            Some(&json!({"reason": "Fix line 1."})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(rx.hits().len(), 1, "the return waits while the submission is retried");
    recorded(&app, &erp, &ep, 1).await;
    later(&app, chrono::Duration::seconds(6));
    assert!(eventually(10, || rx.delivered().len() == 2).await);
    assert_eq!(types(&rx.hits()), ["forecast.submitted", "forecast.submitted", "forecast.returned"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_secret_signs_beside_the_new_one_for_a_day() {
    let app = spawn().await;
    let rx = Receiver::start().await;
    let erp = app.erp_client(TIN_A).await;
    let (ep, old) = subscribe(&app, &erp, &rx.url, &["forecast.submitted"]).await;
    let r = app.send(Method::POST, &format!("{HOOKS}/{ep}/rotate-secret"), Some(&erp), None, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let new = r.body["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(r.body["previous_secret_expires_at"].is_string());
    app.send(Method::POST, &format!("{HOOKS}/{ep}/test"), Some(&erp), None, &[]).await;
    assert!(eventually(10, || rx.hits().len() == 1).await);
    let h = &rx.hits()[0];
    assert!(signed_with(h, &old) && signed_with(h, &new), "{}", h.header("webhook-signature"));
    assert_eq!(h.header("webhook-signature").split(' ').count(), 2);

    later(&app, chrono::Duration::hours(25));
    app.send(Method::POST, &format!("{HOOKS}/{ep}/test"), Some(&erp), None, &[]).await;
    assert!(eventually(10, || rx.hits().len() == 2).await);
    let h = &rx.hits()[1];
    assert!(signed_with(h, &new) && !signed_with(h, &old), "after 24 hours only the new secret signs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_failing_for_five_days_is_disabled_its_contact_told_and_it_resumes_when_enabled() {
    let app = spawn().await;
    let rx = Receiver::start().await;
    let (client, client_secret, erp) = app.erp_client_with(TIN_A).await;
    let (ep, _) = subscribe(&app, &erp, &rx.url, &["forecast.submitted"]).await;
    rx.answer(&[500; 40]);
    app.send(Method::POST, &format!("{HOOKS}/{ep}/test"), Some(&erp), None, &[]).await;
    assert!(eventually(10, || rx.hits().len() == 1).await);
    recorded(&app, &erp, &ep, 1).await;
    // Four days on: failing, still enabled.
    later(&app, chrono::Duration::days(4));
    assert!(eventually(10, || rx.hits().len() == 2).await);
    let erp = app.client_token(&client, &client_secret).await; // tokens are short-lived
    recorded(&app, &erp, &ep, 2).await;
    let read = app.get(&format!("{HOOKS}/{ep}"), &erp).await;
    assert_eq!(read.body["enabled"], json!(true));
    assert!(read.body["failing_since"].is_string());
    // Past five days of failures: the next failure disables it.
    later(&app, chrono::Duration::days(1) + chrono::Duration::hours(1));
    assert!(eventually(10, || rx.hits().len() == 3).await);
    let erp = app.client_token(&client, &client_secret).await;
    assert!(
        eventually_async(10, || async {
            app.get(&format!("{HOOKS}/{ep}"), &erp).await.body["enabled"] == json!(false)
        })
        .await
    );
    let read = app.get(&format!("{HOOKS}/{ep}"), &erp).await;
    assert_eq!(read.body["enabled"], json!(false), "{}", read.body);
    let mail = app.outbox_to(&format!("hr@{TIN_A}.example.az"));
    assert!(mail.iter().any(|m| m.kind == "webhook_disabled" && m.body.contains(&rx.url)), "{mail:?}");

    // Disabled: an event waits.
    let id = app.create_draft(TIN_A, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &app.employer(TIN_A)).await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(rx.hits().len(), 3);
    // Fixed and enabled: it goes out.
    let etag = read.header("etag").unwrap();
    let on = app
        .send(
            Method::PATCH,
            &format!("{HOOKS}/{ep}"),
            Some(&erp),
            Some(&json!({"enabled": true})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!((on.body["enabled"].clone(), on.body["failing_since"].clone()), (json!(true), Value::Null));
    // Its deliveries waited and now go out, the submission among them
    // (the receiver still answers 500: it is sent, not yet received).
    assert!(eventually(15, || rx.hits().iter().any(|h| h.json()["type"] == "forecast.submitted")).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_refused_and_only_an_api_client_has_endpoints() {
    let app = spawn_with(Options { webhook_allow_private: false, ..Options::default() }).await;
    let erp = app.erp_client(TIN_A).await;
    for url in [
        "http://127.0.0.1:9/hooks",
        "http://localhost:8080/hooks",
        "http://[::1]/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.7/hooks",
        "http://[::ffff:192.168.1.1]/hooks",
        "http://vm/hooks", // a name this machine resolves to 127.0.0.1
    ] {
        let r = app.post(HOOKS, &erp, &json!({"url": url, "events": ["forecast.returned"]})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {}", r.body);
        assert!(r.body["type"].as_str().unwrap().ends_with("webhook-url-not-allowed"), "{url}: {}", r.body);
    }
    for (body, field) in [
        (json!({"url": "ftp://erp.example.az/x", "events": ["forecast.returned"]}), "url"),
        (json!({"url": "https://u:p@erp.example.az/x", "events": ["forecast.returned"]}), "url"),
        (json!({"url": "https://erp.example.az/x", "events": []}), "events"),
    ] {
        let r = app.post(HOOKS, &erp, &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.body);
        assert_eq!(r.error_codes()[0].0, field, "{}", r.body);
    }
    let r = app.post(HOOKS, &erp, &json!({"url": "https://erp.example.az/x", "events": ["webhook.test"]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(app.get(HOOKS, &erp).await.body["total"], json!(0), "nothing refused was stored");

    // A person's token, even the employer's own, has no endpoints.
    let person = app.employer(TIN_A);
    let r =
        app.post(HOOKS, &person, &json!({"url": "https://erp.example.az/x", "events": ["forecast.returned"]})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body["type"].as_str().unwrap().ends_with("api-client-only"));
    // The role before the body: a person's `{}` is 403, not 422.
    let r = app.post(HOOKS, &person, &json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app.post(HOOKS, &app.officer(), &json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_clients_endpoint_is_not_found_and_a_stale_version_is_refused() {
    let app = spawn().await;
    let rx = Receiver::start().await;
    let (a, b) = (app.erp_client(TIN_A).await, app.erp_client(TIN_B).await);
    let (ep, _) = subscribe(&app, &a, &rx.url, &["forecast.returned"]).await;
    assert_eq!(app.get(&format!("{HOOKS}/{ep}"), &b).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("{HOOKS}/{ep}"), &b).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(HOOKS, &b).await.body["total"], json!(0));
    let changed = app
        .send(
            Method::PATCH,
            &format!("{HOOKS}/{ep}"),
            Some(&a),
            Some(&json!({"events": ["forecast.accepted"], "description": null})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["events"], json!(["forecast.accepted"]));
    assert_eq!(changed.body["description"], Value::Null);
    let stale = app.send(Method::DELETE, &format!("{HOOKS}/{ep}"), Some(&a), None, &[("if-match", "\"1\"")]).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let gone = app.send(Method::DELETE, &format!("{HOOKS}/{ep}"), Some(&a), None, &[("if-match", "\"2\"")]).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("{HOOKS}/{ep}"), &a).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quota_is_told_to_every_subscribed_client() {
    use crate::quota::{seed, Y};
    let app = spawn().await;
    seed(&app).await;
    let (rx_a, rx_b) = (Receiver::start().await, Receiver::start().await);
    let (a, b) = (app.erp_client(&tin(30_000_001, true)).await, app.erp_client(&tin(30_000_002, true)).await);
    subscribe(&app, &a, &rx_a.url, &["quota.approved", "quota.amended"]).await;
    subscribe(&app, &b, &rx_b.url, &["quota.approved"]).await;
    let (commission, admin) = (app.token(&[domain::role::Role::Commission], None), app.admin());
    let plan = format!("/api/v1/quota-plans/{Y}");
    assert_eq!(app.post(&plan, &commission, &json!(null)).await.status, StatusCode::CREATED);
    let proposed = app.send(Method::POST, &format!("{plan}/propose"), Some(&commission), None, &[]).await;
    assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
    let numbers =
        json!({"entries": [{"economic_activity": "F", "approved": 30}, {"economic_activity": "A", "approved": 1}]});
    let put = app.put(&plan, &admin, &numbers).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let approved = app.send(Method::POST, &format!("{plan}/approve"), Some(&admin), None, &[]).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let amend = json!({"order_number": "7s", "order_date": "2026-05-15", "entries": [{"economic_activity": "F", "approved": 40}]});
    assert_eq!(app.post(&format!("{plan}/amendments"), &admin, &amend).await.status, StatusCode::CREATED);
    assert!(eventually(10, || rx_a.delivered().len() == 2 && rx_b.delivered().len() == 1).await);
    assert_eq!(types(&rx_a.delivered()), ["quota.approved", "quota.amended"]);
    assert_eq!(types(&rx_b.delivered()), ["quota.approved"], "only the events subscribed to");
    let public = app.send(Method::GET, &format!("/api/v1/quotas/{Y}"), None, None, &[]).await;
    assert_eq!(rx_a.delivered()[1].json()["data"], public.body, "the quota as GET returns it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_sends_nothing() {
    let app = spawn().await;
    let rx = Receiver::start().await;
    let erp = app.erp_client(TIN_A).await;
    let (ep, _) = subscribe(&app, &erp, &rx.url, &["forecast.submitted", "forecast.returned"]).await;
    let id = app.create_draft(TIN_A, two_lines()).await;
    // A stale version refuses the submission: nothing is queued with it.
    let stale = app
        .send(
            Method::POST,
            &format!("/api/v1/forecasts/{id}/submit"),
            Some(&app.employer(TIN_A)),
            None,
            &[("if-match", "\"9\"")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    // A return of a draft is not allowed.
    let r = app
        .send(
            Method::POST,
            &format!("/api/v1/forecasts/{id}/return"),
            Some(&app.officer()),
            Some(&json!({"reason": "x"})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(rx.hits().is_empty());
    assert!(deliveries(&app, &erp, &ep).await.is_empty());
}

/// Two servers on one database (two replicas): every event is delivered
/// once, claimed by one of them (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_deliver_each_event_once() {
    let first = spawn().await;
    let second =
        spawn_with(Options { share: Some((first.database_url.clone(), first.clock.clone())), ..Options::default() })
            .await;
    let rx = Receiver::start().await;
    let erp = first.erp_client(TIN_A).await;
    let (ep, _) = subscribe(&first, &erp, &rx.url, &["forecast.submitted"]).await;
    // Each claim holds its transaction open a while, so the two replicas'
    // claims overlap: only the claim's locking keeps them apart.
    for app in [&first, &second] {
        app.state.claim_pause_ms.store(150, std::sync::atomic::Ordering::SeqCst);
    }
    let n = 30;
    for i in 0..n {
        let app = if i % 2 == 0 { &first } else { &second };
        let r = app.send(Method::POST, &format!("{HOOKS}/{ep}/test"), Some(&erp), None, &[]).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    }
    assert!(eventually(20, || rx.hits().len() >= n).await, "{}", rx.hits().len());
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let ids: Vec<String> = rx.hits().iter().map(|h| h.header("webhook-id").to_owned()).collect();
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (n, n), "each event once");
}

/// A secret sealed under another `WEBHOOK_SECRET_KEY` (a key replaced
/// without rotating the secrets) holds up no other endpoint: its attempt
/// fails naming the way out, and after `rotate-secret` a retry goes out
/// signed with the new secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_sealed_under_another_key_fails_its_own_deliveries_only_until_rotated() {
    let app = spawn().await;
    let (rx, other_rx) = (Receiver::start().await, Receiver::start().await);
    let erp = app.erp_client(TIN_A).await;
    let (ep, _) = subscribe(&app, &erp, &rx.url, &["forecast.submitted"]).await;
    let (other, _) = subscribe(&app, &erp, &other_rx.url, &["forecast.submitted"]).await;
    let foreign = application::webhooks::Sealer::from_base64("b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktb3Q=").unwrap();
    let sealed = foreign.seal(&application::webhooks::new_secret()).unwrap();
    let now = chrono::Utc::now().naive_utc();
    app.db
        .write(|c| persistence::webhooks::rotate_secret(c, &ep, 1, &sealed, &sealed, now, now))
        .expect("seal under another key");

    for e in [&ep, &other] {
        app.send(Method::POST, &format!("{HOOKS}/{e}/test"), Some(&erp), None, &[]).await;
    }
    assert!(eventually(10, || other_rx.delivered().len() == 1).await, "the other endpoint is not held up");
    assert!(eventually_async(10, || async { deliveries(&app, &erp, &ep).await[0]["attempts"] == 1 }).await);
    let d = deliveries(&app, &erp, &ep).await[0].clone();
    assert!(d["last_error"].as_str().unwrap_or_default().contains("rotate"), "{d}");
    assert!(rx.hits().is_empty(), "an unsigned delivery is never sent");

    let r = app.send(Method::POST, &format!("{HOOKS}/{ep}/rotate-secret"), Some(&erp), None, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    let msg = d["id"].as_str().unwrap();
    let again = app.send(Method::POST, &format!("{HOOKS}/{ep}/deliveries/{msg}/retry"), Some(&erp), None, &[]).await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.body);
    assert!(eventually(10, || rx.delivered().len() == 1).await);
    let h = &rx.delivered()[0];
    assert!(signed_with(h, &secret));
    assert_eq!(h.header("webhook-signature").split(' ').count(), 1, "the unreadable old secret does not sign");
}
