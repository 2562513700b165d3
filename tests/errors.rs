//! Every error is a problem document (SPEC §7), the framework's own included.

use quota_tests::*;
use reqwest::{Method, StatusCode};

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    ct: Option<&str>,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) -> Resp {
    let mut rb = app.client.request(method, format!("{}{path}", app.base)).bearer_auth(app.employer(TIN_A)).body(body);
    if let Some(ct) = ct {
        rb = rb.header("content-type", ct);
    }
    for (k, v) in extra {
        rb = rb.header(*k, *v);
    }
    Resp::read(rb.send().await.unwrap()).await
}

fn assert_problem(r: &Resp, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/problem+json"));
    assert_eq!(r.body["status"], status.as_u16());
    for k in ["type", "title", "detail", "instance", "request_id"] {
        assert!(r.body[k].is_string(), "{k} in {}", r.body);
    }
    assert_eq!(r.header("x-request-id").as_deref(), r.body["request_id"].as_str());
}

#[tokio::test]
async fn the_frameworks_own_errors_are_problems() {
    let app = spawn().await;
    let r =
        raw(&app, Method::POST, "/api/v1/forecasts", Some("application/json"), b"{\"employer\": ".to_vec(), &[]).await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
    let r = raw(
        &app,
        Method::POST,
        "/api/v1/forecasts",
        Some("application/json"),
        br#"{"employer": {"person_type": 5}}"#.to_vec(),
        &[],
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes()[0].0, "employer.person_type");
    let r = raw(&app, Method::POST, "/api/v1/forecasts", Some("text/plain"), b"{}".to_vec(), &[]).await;
    assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let big = vec![b' '; 1024 * 1024 + 10];
    let r = raw(&app, Method::POST, "/api/v1/forecasts", Some("application/json"), big, &[]).await;
    assert_problem(&r, StatusCode::PAYLOAD_TOO_LARGE);
    let r = raw(&app, Method::GET, "/api/v1/nowhere", None, vec![], &[]).await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    let r = raw(&app, Method::PATCH, "/api/v1/forecasts", None, vec![], &[]).await;
    assert_problem(&r, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD, POST"));
    let r = raw(&app, Method::GET, "/api/v1/forecasts?page=abc", None, vec![], &[]).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes()[0].0, "page");
    let r = raw(&app, Method::GET, "/api/v1/forecasts", None, vec![], &[("accept", "text/html")]).await;
    assert_problem(&r, StatusCode::NOT_ACCEPTABLE);
    let r = raw(&app, Method::GET, "/api/v1/forecasts/nope", None, vec![], &[("accept-language", "ru")]).await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    assert_eq!(r.body["title"], "Не найдено");
    let r = raw(&app, Method::GET, "/api/v1/forecasts/nope", None, vec![], &[("accept-language", "tr-TR")]).await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    assert_eq!(r.body["title"], "Bulunamadı");
    assert_eq!(r.header("content-language").as_deref(), Some("tr"));
    let long_key = "k".repeat(256);
    let r = raw(
        &app,
        Method::POST,
        "/api/v1/forecasts",
        Some("application/json"),
        b"{}".to_vec(),
        &[("idempotency-key", &long_key)],
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn too_many_requests_are_told_when_to_retry() {
    let app = spawn_with(Options { rate_per_second: 1, rate_burst: 3, ..Default::default() }).await;
    let t = app.employer(TIN_A);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(app.get("/api/v1/forecasts", &t).await);
    }
    let limited = statuses.iter().find(|r| r.status == StatusCode::TOO_MANY_REQUESTS).expect("a 429");
    assert_problem(limited, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    // Probes are not limited.
    let r = app.send(Method::GET, "/health/live", None, None, &[]).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn probes_and_metrics_answer() {
    let app = spawn().await;
    assert_eq!(app.send(Method::GET, "/health/live", None, None, &[]).await.status, StatusCode::OK);
    assert_eq!(app.send(Method::GET, "/health/ready", None, None, &[]).await.status, StatusCode::OK);
    let m = String::from_utf8(app.fetch("/metrics", None).await).unwrap();
    assert!(m.contains("http_requests_total{method=\"GET\",route=\"/health/live\",status=\"200\"} 1"), "{m}");
    let ui = app.client.get(format!("{}/swagger-ui/", app.base)).send().await.unwrap();
    assert_eq!(ui.status(), StatusCode::OK);
    assert!(ui.text().await.unwrap().contains("swagger"));
}

// Only PostgreSQL can be taken away from under a running server here; the
// PostgreSQL run of .ci/run includes ignored tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TEST_DATABASE_URL (PostgreSQL)"]
async fn a_lost_database_answers_503_fast_and_the_server_recovers() {
    let admin = std::env::var("TEST_DATABASE_URL").ok().filter(|v| !v.is_empty()).expect("set TEST_DATABASE_URL");
    let app = spawn().await;
    let t = app.employer(TIN_A);
    assert_eq!(app.get("/api/v1/forecasts", &t).await.status, StatusCode::OK);
    let name = app.database_url.rsplit('/').next().unwrap().to_owned();
    persistence::db::testing::drop_database(&admin, &name).unwrap();
    let started = std::time::Instant::now();
    let r = app.get("/api/v1/forecasts", &t).await;
    assert_problem(&r, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.header("retry-after").is_some());
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "answered in {:?}", started.elapsed());
    let ready = app.send(Method::GET, "/health/ready", None, None, &[]).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    // The database returns: the server serves again without a restart.
    persistence::db::testing::create_database(&admin, &name).unwrap();
    let db =
        persistence::Db::open(persistence::DbSettings::new(persistence::Target::Postgres(app.database_url.clone())));
    db.migrate().unwrap();
    db.write(persistence::reference::seed_builtin).unwrap();
    let mut ok = false;
    for _ in 0..40 {
        if app.get("/api/v1/forecasts", &t).await.status == StatusCode::OK {
            ok = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(ok, "the server recovered by itself");
}

/// Runs `sql` on the test's database, as a fault would leave it.
fn corrupt(app: &TestApp, sql: &'static str) {
    use diesel::RunQueryDsl;
    app.db.write(|c| diesel::sql_query(sql).execute(c).map_err(persistence::StoreError::from)).unwrap();
}

fn assert_internal_without_internals(r: &Resp, value: &str) {
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/internal-error");
    assert!(!r.body.to_string().contains(value), "the problem names no stored value: {}", r.body);
}

/// A stored status or role that is none of its kind's values (a corrupt row,
/// or one written by another release) is an internal error whose cause is
/// logged: never read as some default value (a status had read as `draft`,
/// a role as `employer` in a forecast's history and `admin` in a plan's).
/// History is append-only, so the corrupt step is appended.
#[tokio::test]
async fn a_corrupt_stored_status_or_role_is_an_internal_error_not_a_default() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let history = format!("/api/v1/forecasts/{id}/history");
    assert_eq!(app.get(&history, &emp).await.status, StatusCode::OK);
    corrupt(
        &app,
        "INSERT INTO forecast_history (forecast_id, from_status, to_status, actor, role, reason, at) \
         SELECT forecast_id, to_status, to_status, actor, 'auditor', NULL, at FROM forecast_history",
    );
    assert_internal_without_internals(&app.get(&history, &emp).await, "auditor");

    let commission = app.token(&[domain::role::Role::Commission], None);
    let plan = "/api/v1/quota-plans/2027";
    assert_eq!(app.post(plan, &commission, &serde_json::json!(null)).await.status, StatusCode::CREATED);
    let plan_history = format!("{plan}/history");
    assert_eq!(app.get(&plan_history, &app.admin()).await.status, StatusCode::OK);
    corrupt(
        &app,
        "INSERT INTO quota_plan_history (target_year, from_status, to_status, action, actor, role, at) \
         SELECT target_year, to_status, 'archived', action, actor, role, at FROM quota_plan_history",
    );
    assert_internal_without_internals(&app.get(&plan_history, &app.admin()).await, "archived");
}

/// 401 → 403 → 404 → 409 → 422 → 412 (docs/DECISIONS.md) where input and
/// state disagree: a return's reason, a plan's entries and a permit's fields
/// are read after the role and the status, and before `If-Match`.
#[tokio::test]
async fn input_is_checked_after_role_and_status_and_before_if_match() {
    use serde_json::json;
    let app = spawn().await;
    let (emp, off, admin) = (app.employer(TIN_A), app.officer(), app.admin());
    let commission = app.token(&[domain::role::Role::Commission], None);
    let draft = app.create_draft(TIN_A, two_lines()).await;
    let blank = json!({"reason": " "});
    let ret = |id: &str| format!("/api/v1/forecasts/{id}/return");
    // A blank reason: the role first, then the status, then the reason.
    assert_eq!(app.post(&ret(&draft), &emp, &blank).await.status, StatusCode::FORBIDDEN);
    let r = app.post(&ret(&draft), &off, &blank).await;
    assert_eq!((r.status, r.body["current_status"].as_str()), (StatusCode::CONFLICT, Some("draft")));
    assert_eq!(app.action(&draft, "submit", &emp).await.status, StatusCode::OK);
    let stale = [("If-Match", "\"1\"")];
    let r = app.send(Method::POST, &ret(&draft), Some(&off), Some(&blank), &stale).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the reason before the version: {}", r.body);
    let r = app.send(Method::POST, &ret(&draft), Some(&off), Some(&json!({"reason": "Fix."})), &stale).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);

    // Permits: no approved quota is a 409 whatever the permit says.
    let allocations = "/api/v1/quotas/2027/allocations";
    let bad_permit = json!({"permit_ref": "bad ref!", "economic_activity": "F", "tin": "123"});
    let r = app.post(allocations, &admin, &bad_permit).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.post(allocations, &off, &bad_permit).await;
    assert_eq!(r.body["type"], "/problems/quota-not-approved", "{}", r.body);

    // Plans: an approved plan is read-only (409) whatever the entries say.
    let plan = "/api/v1/quota-plans/2027";
    assert_eq!(app.action(&draft, "accept", &off).await.status, StatusCode::OK);
    assert_eq!(app.post(plan, &commission, &json!(null)).await.status, StatusCode::CREATED);
    let bad_entries = json!({"entries": [{"economic_activity": "F", "proposed": -1, "approved": -1}]});
    let r = app.put(plan, &commission, &bad_entries).await;
    assert_eq!(r.error_codes().len(), 2, "a draft's entries are checked: {}", r.body);
    let propose = app.send(Method::POST, &format!("{plan}/propose"), Some(&commission), None, &[]).await;
    assert_eq!(propose.status, StatusCode::OK);
    let r = app.put(plan, &commission, &bad_entries).await;
    assert_eq!((r.status, r.body["current_status"].as_str()), (StatusCode::CONFLICT, Some("proposed")));
    let ok = json!({"entries": [{"economic_activity": "F", "approved": 10}]});
    assert_eq!(app.put(plan, &admin, &ok).await.status, StatusCode::OK);
    let approve = app.send(Method::POST, &format!("{plan}/approve"), Some(&admin), None, &[]).await;
    assert_eq!(approve.status, StatusCode::OK);
    let r = app.put(plan, &admin, &bad_entries).await;
    assert_eq!((r.status, r.body["current_status"].as_str()), (StatusCode::CONFLICT, Some("approved")));
    // With the quota approved, the permit's fields are read (422).
    let r = app.post(allocations, &off, &bad_permit).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields: Vec<String> = r.error_codes().into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["permit_ref", "tin"]);
}
