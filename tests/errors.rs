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
    assert_eq!(r.header("allow").as_deref(), Some("GET, POST"));
    let r = raw(&app, Method::GET, "/api/v1/forecasts?page=abc", None, vec![], &[]).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes()[0].0, "page");
    let r = raw(&app, Method::GET, "/api/v1/forecasts", None, vec![], &[("accept", "text/html")]).await;
    assert_problem(&r, StatusCode::NOT_ACCEPTABLE);
    let r = raw(&app, Method::GET, "/api/v1/forecasts/nope", None, vec![], &[("accept-language", "ru")]).await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    assert_eq!(r.body["title"], "Не найдено");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_answers_503_fast_and_the_server_recovers() {
    // Only PostgreSQL can be taken away from under a running server here.
    let Some(admin) = std::env::var("TEST_DATABASE_URL").ok().filter(|v| !v.is_empty()) else { return };
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
