//! Identity around the forecast: confirmed e-mail, the outbox, API clients (SPEC §3).

use persistence::identity::outbox_for;
use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn code_in(body: &str) -> String {
    body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("a six-digit code").to_owned()
}

fn outbox(app: &TestApp, to: &str) -> Vec<persistence::identity::OutboxRow> {
    let to = to.to_owned();
    app.db.read(move |c| outbox_for(c, &to)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employer_confirms_its_email_before_submitting() {
    let app = spawn().await;
    let t = tin(20_000_001, true);
    let emp = app.unconfirmed_employer(&t);
    let mut body = forecast_body(&t, two_lines());
    body["submit"] = json!(true);
    let r = app.post("/api/v1/forecasts", &emp, &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["type"], "/problems/email-not-confirmed");

    let r = app.put("/api/v1/me/email", &emp, &json!({"email": "not an address"})).await;
    assert_eq!(r.error_codes(), vec![("email".to_owned(), "email_format".to_owned())]);
    let r = app.put("/api/v1/me/email", &emp, &json!({"email": "HR@Absheron.AZ"})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(r.body["pending_email"], "HR@absheron.az");
    assert_eq!(r.body["email_confirmed"], false);
    let sent = outbox(&app, "HR@absheron.az");
    assert_eq!(sent.len(), 1);
    let code = code_in(&sent[0].body);
    let wrong = if code == "000000" { "111111" } else { "000000" };

    // Five wrong codes use up the code.
    for left in (0..5).rev() {
        let r = app.post("/api/v1/me/email/confirm", &emp, &json!({"code": wrong})).await;
        assert_eq!(r.error_codes(), vec![("code".to_owned(), "code_wrong".to_owned())]);
        assert!(r.body["errors"][0]["message"].as_str().unwrap().contains(&left.to_string()), "{}", r.body);
    }
    let r = app.post("/api/v1/me/email/confirm", &emp, &json!({"code": code})).await;
    assert_eq!(r.error_codes(), vec![("code".to_owned(), "code_attempts_exhausted".to_owned())]);

    // A new code expires after 24 hours.
    app.put("/api/v1/me/email", &emp, &json!({"email": "hr@absheron.az"})).await;
    let code = code_in(&outbox(&app, "hr@absheron.az").last().unwrap().body);
    // 24 hours and 5 seconds after it was sent, however long the test took.
    app.clock.set(api::clock::Clock::now(&app.clock) + chrono::Duration::seconds(24 * 3600 + 5));
    let r = app.post("/api/v1/me/email/confirm", &emp, &json!({"code": code})).await;
    assert_eq!(r.error_codes(), vec![("code".to_owned(), "code_expired".to_owned())]);

    // The next one is confirmed, for every user of the TIN.
    app.put("/api/v1/me/email", &emp, &json!({"email": "hr@absheron.az"})).await;
    let code = code_in(&outbox(&app, "hr@absheron.az").last().unwrap().body);
    let r = app.post("/api/v1/me/email/confirm", &emp, &json!({"code": code})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["email_confirmed"], true);
    let colleague = app.token(&[domain::role::Role::Employer], Some(&t));
    let me = app.get("/api/v1/me", &colleague).await;
    assert_eq!(me.body["contact"]["email"], "hr@absheron.az");
    let r = app.post("/api/v1/forecasts", &colleague, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"], "submitted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn returns_and_acceptances_are_queued_with_the_event() {
    let app = spawn().await;
    let t = tin(20_000_002, true);
    let emp = app.employer(&t);
    let off = app.officer();
    let a = app.create_draft(&t, two_lines()).await;
    assert_eq!(app.action(&a, "submit", &emp).await.status, StatusCode::OK);
    assert_eq!(
        app.post(&format!("/api/v1/forecasts/{a}/return"), &off, &json!({"reason": "Name the site."})).await.status,
        StatusCode::OK
    );
    assert_eq!(app.action(&a, "submit", &emp).await.status, StatusCode::OK);
    assert_eq!(app.action(&a, "accept", &off).await.status, StatusCode::OK);
    let queued = outbox(&app, &format!("hr@{t}.example.az"));
    let kinds: Vec<_> = queued.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["return", "accept"]);
    assert!(
        queued[0].body.contains("Name the site.")
            && queued[0].subject.contains("qaytarıldı")
            && queued[0].subject.contains("returned")
    );
    // Without SMTP the worker writes them to the log and marks them sent.
    assert!(eventually(10, || outbox(&app, &format!("hr@{t}.example.az")).iter().all(|m| m.sent_at.is_some())).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_delivery_loses_nothing_after_a_restart() {
    let sink = SmtpSink::start(true).await;
    let a = spawn_with(Options { smtp_url: Some(sink.url.clone()), ..Default::default() }).await;
    let t = tin(20_000_003, true);
    let emp = a.employer(&t);
    let off = a.officer();
    // One forecast a year: two returns and an acceptance make the three messages.
    let id = a.create_draft(&t, two_lines()).await;
    for reason in ["First return.", "Second return."] {
        assert_eq!(a.action(&id, "submit", &emp).await.status, StatusCode::OK);
        let r = a.post(&format!("/api/v1/forecasts/{id}/return"), &off, &json!({ "reason": reason })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(a.action(&id, "submit", &emp).await.status, StatusCode::OK);
    assert_eq!(a.action(&id, "accept", &off).await.status, StatusCode::OK);
    let queued: Vec<String> = outbox(&a, &format!("hr@{t}.example.az")).into_iter().map(|m| m.id).collect();
    assert_eq!(queued.len(), 3);
    // The first delivery reaches the sink but is never acknowledged: the worker "dies".
    assert!(eventually(10, || sink.received().len() == 1).await);
    a.state.worker_stopped.store(true, std::sync::atomic::Ordering::SeqCst);
    sink.release();
    // Restart on the same database; once the lease of the dead worker runs out, all go.
    let b = spawn_with(Options {
        smtp_url: Some(sink.url.clone()),
        share: Some((a.database_url.clone(), a.clock.clone())),
        ..Default::default()
    })
    .await;
    a.clock.set(chrono::Utc::now() + chrono::Duration::days(1));
    let all_sent = || outbox(&b, &format!("hr@{t}.example.az")).iter().all(|m| m.sent_at.is_some());
    assert!(eventually(20, all_sent).await, "every message delivered");
    let received = sink.received();
    let got: std::collections::HashSet<String> = received.iter().filter_map(|m| message_id(m)).collect();
    for id in &queued {
        assert!(got.contains(&format!("<{id}@quota-api>")), "{id} delivered");
    }
    assert!(received.len() >= queued.len(), "at least once");
    // A repeat is the same message: same Message-ID, same subject.
    let first = &received[0];
    let repeats: Vec<_> = received.iter().skip(1).filter(|m| message_id(m) == message_id(first)).collect();
    assert_eq!(repeats.len(), 1, "the unacknowledged message went again");
    let subject = |m: &str| m.lines().find(|l| l.to_ascii_lowercase().starts_with("subject:")).map(str::to_owned);
    assert_eq!(subject(repeats[0]), subject(first));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_go_seven_days_and_one_day_before_the_deadline_once() {
    let app = spawn().await;
    let t = tin(20_000_004, true);
    let draft = app.create_draft(&t, two_lines()).await;
    let to = format!("hr@{t}.example.az");
    app.clock.set("2026-07-25T06:00:00Z".parse().unwrap());
    assert!(eventually(10, || outbox(&app, &to).iter().any(|m| m.kind == "deadline_reminder")).await);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        outbox(&app, &to).iter().filter(|m| m.kind == "deadline_reminder").count(),
        1,
        "once, however many ticks"
    );
    app.clock.set("2026-07-31T06:00:00Z".parse().unwrap());
    assert!(eventually(10, || outbox(&app, &to).iter().filter(|m| m.kind == "deadline_reminder").count() == 2).await);
    let last = outbox(&app, &to).into_iter().last().unwrap();
    assert!(last.body.contains("2026-08-01"));
    let _ = draft;
}

async fn form(app: &TestApp, body: &str, basic: Option<(&str, &str)>) -> Resp {
    let mut rb = app
        .client
        .post(format!("{}/api/v1/oauth/token", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned());
    if let Some((u, p)) = basic {
        rb = rb.basic_auth(u, Some(p));
    }
    Resp::read(rb.send().await.unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erp_system_gets_a_token_and_files_a_forecast() {
    let app = spawn().await;
    let admin = app.admin();
    let t = tin(20_000_005, true);
    app.employer(&t); // the TIN's e-mail is confirmed
    assert_eq!(
        app.post("/api/v1/api-clients", &app.officer(), &json!({"name": "ERP", "tin": t})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.post("/api/v1/api-clients", &admin, &json!({"name": "Abşeron 1C", "tin": t})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["client"]["client_id"].as_str().unwrap().to_owned();
    let secret = r.body["client_secret"].as_str().unwrap().to_owned();

    let r = form(&app, &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["token_type"], "Bearer");
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let token = r.body["access_token"].as_str().unwrap().to_owned();
    let mut body = forecast_body(&t, two_lines());
    body["submit"] = json!(true);
    let key = [("Idempotency-Key", "erp-1")];
    let created = app.send(Method::POST, "/api/v1/forecasts", Some(&token), Some(&body), &key).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let again = app.send(Method::POST, "/api/v1/forecasts", Some(&token), Some(&body), &key).await;
    assert_eq!(again.body["id"], created.body["id"]);
    let polled = app.get(&format!("/api/v1/forecasts/{}", created.body["id"].as_str().unwrap()), &token).await;
    assert_eq!(polled.body["status"], "submitted");
    // Basic authentication works too.
    assert_eq!(form(&app, "grant_type=client_credentials", Some((&id, &secret))).await.status, StatusCode::OK);

    // No endpoint shows the secret again.
    let list = String::from_utf8(app.fetch("/api/v1/api-clients", Some(&admin)).await).unwrap();
    assert!(list.contains(&id) && !list.contains(&secret));

    // Wrong secrets are refused, then throttled.
    let r = form(&app, &format!("grant_type=client_credentials&client_id={id}&client_secret=nope"), None).await;
    assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")));
    assert_eq!(form(&app, "grant_type=password&username=a", None).await.body["error"], "unsupported_grant_type");
    for _ in 0..4 {
        form(&app, &format!("grant_type=client_credentials&client_id={id}&client_secret=nope"), None).await;
    }
    let r = form(&app, &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"), None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right secret waits: {}", r.body);
    assert!(r.header("retry-after").is_some());

    // Rotation and revocation.
    let rot = app.post(&format!("/api/v1/api-clients/{id}/rotate-secret"), &admin, &json!(null)).await;
    let fresh = rot.body["client_secret"].as_str().unwrap().to_owned();
    assert_ne!(fresh, secret);
    let other = app.post("/api/v1/api-clients", &admin, &json!({"name": "Second ERP", "tin": t})).await;
    let (id2, s2) = (
        other.body["client"]["client_id"].as_str().unwrap().to_owned(),
        other.body["client_secret"].as_str().unwrap().to_owned(),
    );
    assert_eq!(
        form(&app, &format!("grant_type=client_credentials&client_id={id2}&client_secret={s2}"), None).await.status,
        StatusCode::OK
    );
    assert_eq!(app.delete(&format!("/api/v1/api-clients/{id2}"), &admin).await.status, StatusCode::NO_CONTENT);
    let r = form(&app, &format!("grant_type=client_credentials&client_id={id2}&client_secret={s2}"), None).await;
    assert_eq!(r.body["error"], "invalid_client");
}

/// SPEC §16.6: a mail relay that stops taking messages is seen from
/// outside: readiness reports the age of the oldest unsent e-mail and the
/// metrics the outbox's depth and that age.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_and_metrics_show_mail_that_is_not_leaving() {
    // A relay nobody listens on: every delivery fails and is retried later.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let app = spawn_with(Options { smtp_url: Some(url), ..Default::default() }).await;
    let ready = app.send(Method::GET, "/health/ready", None, None, &[]).await;
    assert_eq!(ready.body["outbox_depth"], 0, "{}", ready.body);
    assert!(ready.body.get("outbox_oldest_unsent_seconds").is_none());
    let r = app.put("/api/v1/me/email", &app.unconfirmed_employer(TIN_B), &json!({"email": "hr@example.az"})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    app.clock.set(api::clock::Clock::now(&app.clock) + chrono::Duration::minutes(10));
    let ready = app.send(Method::GET, "/health/ready", None, None, &[]).await;
    assert_eq!(ready.status, StatusCode::OK, "mail does not make the server unready");
    assert_eq!(ready.body["outbox_depth"], 1);
    assert!(ready.body["outbox_oldest_unsent_seconds"].as_i64().unwrap() >= 600, "{}", ready.body);
    let metrics = String::from_utf8(app.fetch("/metrics", None).await).unwrap();
    assert!(metrics.lines().any(|l| l == "outbox_depth 1"), "{metrics}");
    let age = metrics.lines().find_map(|l| l.strip_prefix("outbox_oldest_unsent_age_seconds ")).unwrap();
    assert!(age.parse::<i64>().unwrap() >= 600, "{metrics}");
}
