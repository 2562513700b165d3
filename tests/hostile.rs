//! Hostile input and faults: control characters, repeated keys, odd dates and
//! paths, files that lie about their size, callers that hold memory, slow
//! bodies, replicas and databases that come and go, and retried permits.
//! Every case answers a 4xx problem document (or the right success) and
//! changes nothing.

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn assert_problem(r: &Resp, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/problem+json"), "{}", r.body);
    assert_eq!(r.body["status"], status.as_u16());
}

async fn forecast_count(app: &TestApp) -> i64 {
    let r = app.get("/api/v1/forecasts", &app.officer()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["total"].as_i64().unwrap()
}

#[tokio::test]
async fn a_nul_in_a_body_field_is_refused_by_name_and_costs_no_connection() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let mut body = forecast_body(TIN_A, two_lines());
    body["employer"]["organization_name"] = json!("Abşeron\u{0}Tikinti");
    body["lines"][1]["justification"] = json!("none \u{1b} here");
    // More refusals than the pool has connections: none may be lost.
    for _ in 0..20 {
        let r = app.post("/api/v1/forecasts", &t, &body).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            r.error_codes(),
            vec![
                ("employer.organization_name".to_owned(), "control_character".to_owned()),
                ("lines[1].justification".to_owned(), "control_character".to_owned()),
            ]
        );
    }
    // Tabs and line breaks are text; a key with NUL is refused too.
    let mut ok = forecast_body(TIN_A, two_lines());
    ok["lines"][0]["justification"] = json!("line one\r\nline two\tend");
    let mut bad_key = ok.clone();
    bad_key["employer"]["x\u{0}"] = json!(1);
    let r = app.post("/api/v1/forecasts", &t, &bad_key).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes()[0].1, "control_character");
    assert_eq!(forecast_count(&app).await, 0);
    let r = app.post("/api/v1/forecasts", &t, &ok).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = app
        .put(&format!("/api/v1/forecasts/{id}/lines/{}", r.body["lines"][0]["id"].as_str().unwrap()), &t, &{
            let mut l = line("6123", "Fermer, ipəkçilik", 3, 3);
            l["note"] = json!("\u{0}");
            l
        })
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("note".to_owned(), "control_character".to_owned())]);
}

#[tokio::test]
async fn a_nul_in_a_path_id_or_a_query_filter_is_a_400_naming_it() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let r = app.get("/api/v1/forecasts/abc%00def", &t).await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_codes(), vec![("id".to_owned(), "control_character".to_owned())]);
    let r = app.get("/api/v1/forecasts?keyword=fermer%00&status=draft", &t).await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_codes(), vec![("keyword".to_owned(), "control_character".to_owned())]);
    let r = app.get("/api/v1/occupations?q=%01", &t).await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
    let admin = app.admin();
    let r = app
        .put("/api/v1/exemption-categories/x%00", &admin, &json!({"title_az": "a", "title_en": "b", "title_ru": "c"}))
        .await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_codes(), vec![("code".to_owned(), "control_character".to_owned())]);
    let r = app
        .send(Method::DELETE, &format!("/api/v1/quotas/2027/allocations/WP%00{}", 1), Some(&app.officer()), None, &[])
        .await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_codes(), vec![("permit_ref".to_owned(), "control_character".to_owned())]);
    // The public quota needs no token.
    let r = app.send(Method::GET, "/api/v1/quotas/2027?x=%00", None, None, &[]).await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
    for _ in 0..20 {
        assert_problem(&app.get("/api/v1/forecasts/%00", &t).await, StatusCode::BAD_REQUEST);
    }
    assert_eq!(app.get("/api/v1/forecasts", &t).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_nul_in_an_imported_file_or_the_oauth_form_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin();
    let before = app.get("/api/v1/occupations?per_page=1", &admin).await.body["total"].clone();
    let r = Resp::read(
        app.client
            .post(format!("{}/api/v1/occupations/imports", app.base))
            .bearer_auth(&admin)
            .header("content-type", "text/csv")
            .body(b"Kod,Ad\n110,Admiral\n7123,Bad\0title\n".to_vec())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("rows[3].title".to_owned(), "control_character".to_owned())]);
    assert_eq!(app.get("/api/v1/occupations?per_page=1", &admin).await.body["total"], before);

    // The token endpoint needs no token: a NUL there must not reach the database.
    let form = |body: &'static str, basic: Option<(&str, &str)>| {
        let mut rb = app
            .client
            .post(format!("{}/api/v1/oauth/token", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some((u, p)) = basic {
            rb = rb.basic_auth(u, Some(p));
        }
        rb
    };
    for _ in 0..20 {
        let r = Resp::read(
            form("grant_type=client_credentials&client_id=qc_%00x&client_secret=s", None).send().await.unwrap(),
        )
        .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_codes(), vec![("client_id".to_owned(), "control_character".to_owned())]);
    }
    let r = Resp::read(form("grant_type=client_credentials", Some(("qc_\u{0}", "s"))).send().await.unwrap()).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("client_id".to_owned(), "control_character".to_owned())]);
    // An unknown client is still an RFC 6749 error, and the database still serves.
    let r = Resp::read(
        form("grant_type=client_credentials&client_id=qc_nobody&client_secret=s", None).send().await.unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["error"], "invalid_client");
}

#[tokio::test]
async fn a_repeated_json_key_is_refused_by_name() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let body = serde_json::to_string(&forecast_body(TIN_A, two_lines())).unwrap();
    // The second `employer` would silently replace the first.
    let twice = body.replacen('{', r#"{"employer": {"tin": "1012345062"},"#, 1);
    let r = Resp::read(
        app.client
            .post(format!("{}/api/v1/forecasts", app.base))
            .bearer_auth(&t)
            .header("content-type", "application/json")
            .body(twice)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("employer".to_owned(), "duplicate_key".to_owned())]);
    assert_eq!(forecast_count(&app).await, 0);
}

#[tokio::test]
async fn year_zero_is_not_a_date_and_a_year_has_one_spelling() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let mut body = forecast_body(TIN_A, two_lines());
    body["employer"]["tin_issued_on"] = json!("0000-01-01");
    let r = app.post("/api/v1/forecasts", &t, &body).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("employer.tin_issued_on".to_owned(), "invalid_type".to_owned())]);
    body["employer"]["tin_issued_on"] = json!("+2015-03-02");
    assert_problem(&app.post("/api/v1/forecasts", &t, &body).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(forecast_count(&app).await, 0);

    let admin = app.admin();
    let mut campaign = app.get("/api/v1/campaigns/2027", &admin).await.body;
    campaign.as_object_mut().unwrap().remove("customized");
    campaign["opens_on"] = json!("0000-01-01");
    let r = app.put("/api/v1/campaigns/2027", &admin, &campaign).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("opens_on".to_owned(), "invalid_type".to_owned())]);
    assert_eq!(app.get("/api/v1/campaigns/2027", &admin).await.body["customized"], false);

    let r = app.get("/api/v1/forecasts?created_from=0000-01-01", &t).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("created_from".to_owned(), "invalid_type".to_owned())]);
    assert_eq!(app.get("/api/v1/forecasts?created_from=2026-01-01", &t).await.status, StatusCode::OK);

    for alias in ["+2027", "02027", "%2B2027", "2027.0"] {
        let r = app.send(Method::GET, &format!("/api/v1/quotas/{alias}"), None, None, &[]).await;
        assert_problem(&r, StatusCode::NOT_FOUND);
        assert_problem(&app.get(&format!("/api/v1/campaigns/{alias}"), &admin).await, StatusCode::NOT_FOUND);
    }
}

/// A workbook of a few KiB with cells at A1 and XFD1048576: calamine would
/// allocate 2^34 cells (512 GiB) for it and the process would abort.
fn workbook_reaching_xfd1048576() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Kod").unwrap();
    sheet.write_string(0, 1, "Ad").unwrap();
    sheet.write_string(1, 0, "110").unwrap();
    sheet.write_string(1, 1, "Admiral").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_small_xlsx_that_claims_the_whole_sheet_is_refused_and_the_server_lives() {
    let app = spawn().await;
    let admin = app.admin();
    let file = workbook_reaching_xfd1048576();
    assert!(file.len() < 16 * 1024);
    let before = app.get("/api/v1/occupations?per_page=1", &admin).await.body["total"].clone();
    let r = Resp::read(
        app.client
            .post(format!("{}/api/v1/occupations/imports?mode=replace", app.base))
            .bearer_auth(&admin)
            .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .body(file.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("file".to_owned(), "xlsx_too_many_rows".to_owned())]);
    assert_eq!(app.get("/api/v1/occupations?per_page=1", &admin).await.body["total"], before);
    // The CLI's `import-occupations` reads files through the same function.
    let admin = application::Caller {
        sub: "cli".into(),
        roles: vec![domain::role::Role::Admin],
        tin: None,
        name: None,
        email: None,
        authority: None,
        body: None,
        sector: None,
    };
    let cli = application::reference::check_file(&admin, &file);
    assert!(matches!(cli, Err(application::AppError::Validation(_))), "{cli:?}");
}

#[tokio::test]
async fn made_up_client_ids_hold_no_memory() {
    let app = spawn().await;
    let big = "q".repeat(1024 * 1024);
    for i in 0..20 {
        let r = Resp::read(
            app.client
                .post(format!("{}/api/v1/oauth/token", app.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("grant_type=client_credentials&client_id={big}{i}&client_secret=nope"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")));
    }
    assert_eq!(app.state.client_failures.len(), 0, "no unknown client id is remembered");
}

#[tokio::test]
async fn a_new_made_up_token_per_request_is_limited_by_peer_address() {
    let app = spawn_with(Options { rate_per_second: 1, rate_burst: 3, ..Default::default() }).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let r = app.get("/api/v1/forecasts", &format!("made.up.{i}-{}", uuid::Uuid::new_v4())).await;
        statuses.push(r.status);
    }
    assert_eq!(&statuses[..3], [StatusCode::UNAUTHORIZED; 3], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    // No token at all counts against the same address; the limiter keeps one key.
    let r = app.send(Method::GET, "/api/v1/quotas/2027", None, None, &[]).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!((app.state.limiter.peers_tracked(), app.state.limiter.callers_tracked()), (1, 0));
    // A valid token counts against its subject, not the address.
    assert_eq!(app.get("/api/v1/forecasts", &app.employer(TIN_A)).await.status, StatusCode::OK);
    assert_eq!(app.state.limiter.callers_tracked(), 1);
}

#[tokio::test]
async fn the_limiter_tracks_at_most_the_configured_number_of_peers() {
    let app =
        spawn_with(Options { rate_per_second: 1, rate_burst: 1000, rate_max_peers: 3, ..Default::default() }).await;
    // Every 127.0.0.0/8 address is this machine: ten peers.
    for last in 1..=10u8 {
        let client =
            reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, last])).build().unwrap();
        let r = client.get(format!("{}/api/v1/quotas/2027", app.base)).send().await.unwrap();
        assert_ne!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    assert!(app.state.limiter.peers_tracked() <= 3, "{}", app.state.limiter.peers_tracked());
}

#[tokio::test]
async fn invented_http_methods_share_one_metrics_series() {
    let app = spawn().await;
    for i in 0..30 {
        let method = Method::from_bytes(format!("BREW{i}").as_bytes()).unwrap();
        let r = app.send(method, "/api/v1/forecasts", None, None, &[]).await;
        assert!(r.status.is_client_error(), "{}", r.status);
    }
    let m = String::from_utf8(app.fetch("/metrics", None).await).unwrap();
    assert!(!m.contains("BREW"), "{m}");
    assert!(m.contains(r#"method="OTHER",route="/api/v1/forecasts",status="405"} 30"#), "{m}");
}

/// Sends `head` then `body` in pieces, one every `pause`, on a raw
/// connection, and returns the first response's status line and body.
async fn trickle(app: &TestApp, head: String, pieces: Vec<Vec<u8>>, pause: std::time::Duration) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_owned();
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    write.write_all(head.as_bytes()).await.unwrap();
    let writer = tokio::spawn(async move {
        for p in pieces {
            if write.write_all(&p).await.is_err() {
                return;
            }
            tokio::time::sleep(pause).await;
        }
        // Hold the connection open without finishing the body.
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        drop(write);
    });
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let read_all = async {
        loop {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
            let text = String::from_utf8_lossy(&got);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                    .and_then(|v| v.parse::<usize>().ok());
                if len.is_some_and(|n| body.len() >= n) {
                    break;
                }
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(15), read_all).await.expect("an answer in time");
    writer.abort();
    let text = String::from_utf8_lossy(&got).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.lines().next().unwrap_or("").to_owned(), body.to_owned())
}

#[tokio::test]
async fn a_body_that_trickles_in_is_timed_out_with_a_408_problem() {
    let app = spawn_with(Options { body_timeout: std::time::Duration::from_secs(1), ..Default::default() }).await;
    let t = app.employer(TIN_A);
    let started = std::time::Instant::now();
    let head = format!(
        "POST /api/v1/forecasts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {t}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    );
    let pieces = (0..100).map(|_| b" ".to_vec()).collect();
    let (status, body) = trickle(&app, head, pieces, std::time::Duration::from_millis(200)).await;
    assert!(status.contains(" 408 "), "{status} {body}");
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!((problem["status"].as_u64(), problem["type"].as_str()), (Some(408), Some("/problems/request-timeout")));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());

    // Chunked, and on the token endpoint that needs no token.
    let head = "POST /api/v1/oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n".to_owned();
    let pieces = (0..100).map(|_| b"1\r\na\r\n".to_vec()).collect();
    let (status, _) = trickle(&app, head, pieces, std::time::Duration::from_millis(200)).await;
    assert!(status.contains(" 408 "), "{status}");
    assert_eq!(forecast_count(&app).await, 0);
    // A body sent at once is not affected.
    assert_eq!(app.post("/api/v1/forecasts", &t, &forecast_body(TIN_A, two_lines())).await.status, StatusCode::CREATED);
}

/// A database no server has used yet: a new PostgreSQL database (dropped
/// when the guard goes), or a file in a new folder.
struct FreshDatabase {
    url: String,
    pg: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl FreshDatabase {
    /// `create: false` names a PostgreSQL database that does not exist yet.
    fn new(create: bool) -> FreshDatabase {
        let dir = tempfile::tempdir().unwrap();
        match std::env::var("TEST_DATABASE_URL").ok().filter(|v| !v.is_empty()) {
            Some(admin) => {
                let name = format!("quota_test_{}", uuid::Uuid::new_v4().simple());
                let url = if create {
                    persistence::db::testing::create_database(&admin, &name).unwrap()
                } else {
                    persistence::db::testing::url_of(&admin, &name)
                };
                FreshDatabase { url, pg: Some((admin, name)), _dir: dir }
            }
            None => FreshDatabase { url: format!("sqlite://{}/quota.db", dir.path().display()), pg: None, _dir: dir },
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg {
            let _ = persistence::db::testing::drop_database(admin, name);
        }
    }
}

fn on(url: &str) -> Options {
    let clock = api::clock::TestClock::default();
    clock.set("2026-05-15T09:00:00Z".parse().unwrap());
    Options { share: Some((url.to_owned(), clock)), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_started_together_on_a_fresh_database_all_serve() {
    for _ in 0..3 {
        let fresh = FreshDatabase::new(true);
        let starts: Vec<_> = (0..4).map(|_| tokio::spawn(spawn_with(on(&fresh.url)))).collect();
        let mut apps = Vec::new();
        for s in starts {
            apps.push(s.await.expect("every replica starts"));
        }
        let mut totals = Vec::new();
        for app in &apps {
            let r = app.get("/api/v1/economic-activities?per_page=1", &app.officer()).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            totals.push(r.body["total"].as_i64().unwrap());
        }
        assert!(totals[0] > 20 && totals.iter().all(|t| *t == totals[0]), "{totals:?}");
        drop(apps);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_started_before_its_database_answers_503_then_serves() {
    // PostgreSQL: a database not created yet. SQLite: a file in a folder that
    // cannot be made (its parent is a file) until the blocker goes.
    let fresh = FreshDatabase::new(false);
    let blocker = tempfile::tempdir().unwrap();
    let url = match &fresh.pg {
        Some(_) => fresh.url.clone(),
        None => {
            std::fs::write(blocker.path().join("data"), b"not a folder").unwrap();
            format!("sqlite://{}/data/quota.db", blocker.path().display())
        }
    };
    let app = spawn_with(Options { await_database: false, ..on(&url) }).await;
    assert_eq!(app.send(Method::GET, "/health/live", None, None, &[]).await.status, StatusCode::OK);
    assert_problem(&app.send(Method::GET, "/health/ready", None, None, &[]).await, StatusCode::SERVICE_UNAVAILABLE);
    let r = app.get("/api/v1/economic-activities", &app.officer()).await;
    assert_problem(&r, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.header("retry-after").is_some());
    assert_problem(
        &app.send(Method::GET, "/api/v1/quotas/2027", None, None, &[]).await,
        StatusCode::SERVICE_UNAVAILABLE,
    );
    // The database arrives: the server migrates, seeds and serves by itself.
    match &fresh.pg {
        Some((admin, name)) => {
            persistence::db::testing::create_database(admin, name).unwrap();
        }
        None => std::fs::remove_file(blocker.path().join("data")).unwrap(),
    }
    let mut served = None;
    for _ in 0..60 {
        let r = app.get("/api/v1/economic-activities?per_page=1", &app.officer()).await;
        if r.status == StatusCode::OK {
            served = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let r = served.expect("the server came up with its database");
    assert!(r.body["total"].as_i64().unwrap() > 20, "{}", r.body);
    assert_eq!(app.send(Method::GET, "/health/ready", None, None, &[]).await.status, StatusCode::OK);
    let r = app.get("/api/v1/occupations?q=fermer", &app.officer()).await;
    assert!(r.body["total"].as_i64().unwrap() > 0, "the classification is loaded: {}", r.body);
    assert_eq!(
        app.post("/api/v1/forecasts", &app.employer(TIN_A), &forecast_body(TIN_A, two_lines())).await.status,
        StatusCode::CREATED
    );
}

/// Framing errors actix-web lets through to the application (a chunked
/// body that breaks off) are problem documents. (A head actix-http cannot
/// parse, 400 or 431, is answered by its dispatcher before any service runs:
/// see docs/DECISIONS.md.)
#[tokio::test]
async fn a_chunked_body_with_broken_framing_is_a_problem_document() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let head = format!(
        "POST /api/v1/forecasts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {t}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let (status, body) = trickle(&app, head, vec![b"2\r\n{}\r\nZZ\r\nabc\r\n".to_vec()], Default::default()).await;
    assert!(status.contains(" 400 "), "{status}");
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["type"], "/problems/bad-request");
    assert_eq!(forecast_count(&app).await, 0);
}
