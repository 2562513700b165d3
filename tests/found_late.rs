//! A forecast found wrong late (SPEC §16.3): officers reject a forecast in
//! review at any time, and reopen an accepted one until the Commission
//! inputs deadline; a rejected forecast leaves the summary and frees the
//! employer's year.

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const REASON: &str = "The site belongs to another employer.";

fn path(id: &str, action: &str) -> String {
    format!("/api/v1/forecasts/{id}/{action}")
}

/// The messages of `kind` queued for employer `tin`.
fn mail(app: &TestApp, tin: &str, kind: &str) -> Vec<persistence::identity::OutboxRow> {
    app.outbox_to(&format!("hr@{tin}.example.az")).into_iter().filter(|m| m.kind == kind).collect()
}

/// The statuses of a forecast's history, oldest first, and its last entry.
async fn history(app: &TestApp, id: &str, token: &str) -> (Vec<String>, Value) {
    let h = app.get(&format!("/api/v1/forecasts/{id}/history?per_page=100"), token).await;
    let items = h.body["items"].as_array().unwrap().clone();
    let path = items.iter().map(|e| e["to_status"].as_str().unwrap().to_owned()).collect();
    (path, items.last().unwrap().clone())
}

/// The count of filings written in one statement (PostgreSQL), from `/metrics`.
async fn written_at_once(app: &TestApp) -> u64 {
    let m = String::from_utf8(app.fetch("/metrics", None).await).unwrap();
    let series = "writes_at_once_total{outcome=\"written\"} ";
    m.lines().find_map(|l| l.strip_prefix(series)).and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn a_forecast_found_wrong_after_the_inputs_deadline_is_rejected_and_leaves_the_summary() {
    let app = spawn().await;
    let (emp, off) = (app.employer(TIN_A), app.officer());
    let id = app.create_draft(TIN_A, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    assert_eq!(app.action(&id, "start-review", &off).await.status, StatusCode::OK);
    let summary = "/api/v1/summaries/2027?include_pending=true";
    assert_eq!(app.get(summary, &off).await.body["totals"]["pending"]["forecasts"], 1);

    // 16 September in Baku: the Commission has its inputs. A return is
    // refused; a rejection is not (SPEC §16.3.1: "at any time").
    app.clock.set("2026-09-15T20:00:01Z".parse().unwrap());
    let r = app.post(&path(&id, "return"), &off, &json!({"reason": "Fix line 2."})).await;
    assert_eq!(r.body["type"], "/problems/commission-inputs-deadline-passed", "{}", r.body);
    let reject = path(&id, "reject");
    let body = json!({"reason": REASON});
    // The role, then the reason, then the version (SPEC §7's order).
    assert_eq!(app.post(&reject, &emp, &body).await.status, StatusCode::FORBIDDEN);
    let r = app.post(&reject, &off, &json!({"reason": "  "})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), [("reason".to_owned(), "required".to_owned())]);
    let r = app.post(&reject, &off, &json!({"reason": REASON, "status": "accepted"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are refused");
    let r = app.send(Method::POST, &reject, Some(&off), Some(&body), &[("If-Match", "\"1\"")]).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let etag = app.send(Method::GET, &format!("/api/v1/forecasts/{id}"), Some(&off), None, &[]).await;
    let etag = etag.header("etag").unwrap();
    let headers = [("If-Match", etag.as_str()), ("Idempotency-Key", "reject-once")];
    let r = app.send(Method::POST, &reject, Some(&off), Some(&body), &headers).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["status"].as_str(), r.body["notification"].as_str()), (Some("rejected"), Some(REASON)));
    assert!(r.body["correction_due"].is_null());
    // A retry with the key answers as the first; without it, the rejection is final.
    let again = app.send(Method::POST, &reject, Some(&off), Some(&body), &headers).await;
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.body, r.body);
    let r = app.post(&reject, &off, &body).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["current_status"], "rejected");
    assert_eq!(r.body["allowed_actions"], json!([]));
    for action in ["reopen", "return"] {
        let r = app.post(&path(&id, action), &off, &body).await;
        assert_eq!((r.status, r.body["current_status"].as_str()), (StatusCode::CONFLICT, Some("rejected")), "{action}");
    }
    for (action, token) in [("accept", &off), ("start-review", &off), ("withdraw", &emp), ("submit", &emp)] {
        assert_eq!(app.action(&id, action, token).await.status, StatusCode::CONFLICT, "{action}");
    }

    // In the history with its reason, once.
    let (steps, last) = history(&app, &id, &emp).await;
    assert_eq!(steps, ["draft", "submitted", "in_review", "rejected"]);
    assert_eq!((last["from_status"].as_str(), last["reason"].as_str()), (Some("in_review"), Some(REASON)));
    assert_eq!((last["role"].as_str(), last["actor"].as_str()), (Some("officer"), Some("officer-staff")));
    // Out of the summary, accepted or pending; listed under its own status.
    let s = app.get(summary, &off).await.body;
    assert_eq!(
        (s["totals"]["accepted"]["forecasts"].as_i64(), s["totals"]["pending"]["forecasts"].as_i64()),
        (Some(0), Some(0))
    );
    let list = app.get("/api/v1/forecasts?status=rejected", &emp).await;
    assert_eq!((list.body["total"].as_i64(), list.body["items"][0]["notification"].as_str()), (Some(1), Some(REASON)));
    assert_eq!(app.get("/api/v1/forecasts?status=in_review", &off).await.body["total"], 0);

    // The employer is told in az, en and ru, once; the campaign is closed.
    let sent = mail(&app, TIN_A, "reject");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].subject.contains("rədd edildi") && sent[0].subject.contains("rejected"), "{}", sent[0].subject);
    assert_eq!(sent[0].body.matches(REASON).count(), 3, "{}", sent[0].body);
    assert!(sent[0].body.contains("The campaign for 2027 no longer takes new forecasts."), "{}", sent[0].body);
    // …and cannot file 2027 anew: the campaign no longer allows it.
    let r = app.post("/api/v1/forecasts", &emp, &forecast_for(TIN_A, 2027, two_lines())).await;
    assert!(r.error_codes().contains(&("target_year".to_owned(), "target_year_unavailable".to_owned())), "{}", r.body);
}

/// SPEC §15.2 with §16.3.1: a rejected forecast is not the employer's
/// forecast of its year. The filing's checks, PostgreSQL's one-statement
/// filing and the database's unique index all let a new one in.
#[tokio::test]
async fn a_rejected_forecast_frees_the_year_for_a_new_one_while_the_campaign_allows() {
    let app = spawn().await;
    let (emp, off) = (app.employer(TIN_A), app.officer());
    let pg = backend() == "postgres";
    let mut at_once = forecast_body(TIN_A, two_lines());
    at_once["submit"] = json!(true);
    let first = app.post("/api/v1/forecasts", &emp, &at_once).await;
    assert_eq!((first.status, first.body["status"].as_str()), (StatusCode::CREATED, Some("submitted")));
    let first = first.body["id"].as_str().unwrap().to_owned();
    assert_eq!(written_at_once(&app).await, u64::from(pg));
    let r = app.post(&path(&first, "reject"), &off, &json!({"reason": REASON})).await;
    assert_eq!(r.status, StatusCode::OK, "rejected straight from submitted: {}", r.body);
    let sent = mail(&app, TIN_A, "reject");
    assert!(sent[0].body.contains("You may file a new forecast for 2027 until 2026-08-01."), "{}", sent[0].body);

    // A draft for the same year, then its submission.
    let second = app.post("/api/v1/forecasts", &emp, &forecast_body(TIN_A, two_lines())).await;
    assert_eq!(
        (second.status, second.body["target_year"].as_i64()),
        (StatusCode::CREATED, Some(2027)),
        "{}",
        second.body
    );
    let second = second.body["id"].as_str().unwrap().to_owned();
    assert_eq!(written_at_once(&app).await, 2 * u64::from(pg), "filed in one statement on PostgreSQL");
    assert_eq!(app.action(&second, "submit", &emp).await.status, StatusCode::OK);
    // While it stands, it is the employer's forecast of the year.
    let r = app.post("/api/v1/forecasts", &emp, &at_once).await;
    assert_eq!((r.status, r.body["forecast_id"].as_str()), (StatusCode::CONFLICT, Some(second.as_str())));
    // Rejected in its turn, the year is free again: created and submitted in one step.
    let r = app.post(&path(&second, "reject"), &off, &json!({"reason": "Still not this employer's site."})).await;
    assert_eq!(r.status, StatusCode::OK);
    let third = app.post("/api/v1/forecasts", &emp, &at_once).await;
    assert_eq!(
        (third.status, third.body["status"].as_str()),
        (StatusCode::CREATED, Some("submitted")),
        "{}",
        third.body
    );
    assert_eq!(written_at_once(&app).await, 3 * u64::from(pg));
    let list = app.get("/api/v1/forecasts?target_year=2027&per_page=100&sort=number", &emp).await;
    let statuses: Vec<&str> =
        list.body["items"].as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["rejected", "rejected", "submitted"]);
    // A draft of another year may not move into 2027 while the new one stands.
    let next = app.create_draft_for(TIN_A, 2028, two_lines()).await;
    let r = app.put(&format!("/api/v1/forecasts/{next}"), &emp, &forecast_for(TIN_A, 2027, two_lines())).await;
    assert_eq!((r.status, r.body["forecast_id"].as_str()), (StatusCode::CONFLICT, third.body["id"].as_str()));
}

#[tokio::test]
async fn an_accepted_forecast_is_reopened_then_returned_or_rejected_and_snapshots_stay() {
    let app = spawn().await;
    let (emp, off) = (app.employer(TIN_A), app.officer());
    let id = app.create_draft(TIN_A, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let r = app.post(&path(&id, "accept"), &off, &json!({"note": "Two of three."})).await;
    assert_eq!(r.body["status"], "accepted");
    let snapshots = "/api/v1/summaries/2027/snapshots";
    let frozen = app.post(snapshots, &off, &json!(null)).await;
    assert_eq!((frozen.status, frozen.body["totals"]["forecasts"].as_i64()), (StatusCode::CREATED, Some(1)));

    let reopen = path(&id, "reopen");
    let why = "Line 2 counts the same plasterers as line 1.";
    assert_eq!(app.post(&reopen, &emp, &json!({"reason": why})).await.status, StatusCode::FORBIDDEN);
    let r = app.post(&reopen, &off, &json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required: {}", r.body);
    let r = app.send(Method::POST, &reopen, Some(&off), Some(&json!({"reason": why})), &[("If-Match", "\"1\"")]).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let key = [("Idempotency-Key", "reopen-1")];
    let r = app.send(Method::POST, &reopen, Some(&off), Some(&json!({"reason": why})), &key).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "in_review");
    assert_eq!(r.body["other_notification"], "Two of three.", "the notifications stay");
    let again = app.send(Method::POST, &reopen, Some(&off), Some(&json!({"reason": why})), &key).await;
    assert_eq!((again.header("idempotent-replayed").as_deref(), &again.body), (Some("true"), &r.body));
    let r = app.post(&reopen, &off, &json!({"reason": why})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["allowed_actions"], json!(["return", "accept", "reject"]));
    let (steps, last) = history(&app, &id, &emp).await;
    assert_eq!(steps, ["draft", "submitted", "accepted", "in_review"]);
    assert_eq!((last["from_status"].as_str(), last["reason"].as_str()), (Some("accepted"), Some(why)));
    let sent = mail(&app, TIN_A, "reopen");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body.matches(why).count(), 3, "{}", sent[0].body);

    // What the Commission was given stays; the live summary has moved.
    assert_eq!(app.get(&format!("{snapshots}/1"), &off).await.body, frozen.body);
    let live = app.get("/api/v1/summaries/2027?include_pending=true", &off).await.body;
    assert_eq!(live["totals"]["accepted"]["forecasts"], 0);
    assert_eq!(live["totals"]["pending"]["forecasts"], 1);

    // Returned, corrected, accepted again; reopened again and rejected.
    let r = app.post(&path(&id, "return"), &off, &json!({"reason": "Merge lines 1 and 2."})).await;
    assert_eq!((r.body["status"].as_str(), r.body["correction_due"].as_str()), (Some("returned"), Some("2026-08-31")));
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    assert_eq!(app.action(&id, "accept", &off).await.body["status"], "accepted");
    assert_eq!(app.post(&reopen, &off, &json!({"reason": "Once more."})).await.status, StatusCode::OK);
    assert_eq!(app.post(&path(&id, "reject"), &off, &json!({"reason": REASON})).await.body["status"], "rejected");
    let (steps, _) = history(&app, &id, &off).await;
    let want =
        ["draft", "submitted", "accepted", "in_review", "returned", "submitted", "accepted", "in_review", "rejected"];
    assert_eq!(steps, want);
    assert_eq!(app.get(&format!("{snapshots}/1"), &off).await.body, frozen.body, "still what it was");
}

#[tokio::test]
async fn a_reopening_is_refused_from_the_inputs_deadline_on_and_a_rejection_is_not() {
    let app = spawn().await;
    let off = app.officer();
    let mut ids = Vec::new();
    for t in [TIN_A, TIN_B] {
        let id = app.create_draft(t, two_lines()).await;
        assert_eq!(app.action(&id, "submit", &app.employer(t)).await.status, StatusCode::OK);
        assert_eq!(app.action(&id, "accept", &off).await.status, StatusCode::OK);
        ids.push(id);
    }
    let why = json!({"reason": "Counted twice."});
    // 14 September, 23:59 in Baku: the last moment.
    app.clock.set("2026-09-14T19:59:00Z".parse().unwrap());
    assert_eq!(app.post(&path(&ids[0], "reopen"), &off, &why).await.status, StatusCode::OK);
    // 15 September in Baku: refused, naming the deadline, before the reason is read.
    app.clock.set("2026-09-14T20:00:01Z".parse().unwrap());
    for body in [why.clone(), json!({"reason": " "})] {
        let r = app.post(&path(&ids[1], "reopen"), &off, &body).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.body["type"], "/problems/commission-inputs-deadline-passed");
        assert_eq!(r.body["deadline"], "2026-09-15");
    }
    let r =
        app.send(Method::POST, &path(&ids[1], "reopen"), Some(&off), Some(&why), &[("Accept-Language", "tr")]).await;
    assert_eq!(r.header("content-language").as_deref(), Some("tr"));
    assert!(r.body["detail"].as_str().is_some_and(|d| d.contains("2026-09-15")), "{}", r.body);
    assert_eq!(app.get(&format!("/api/v1/forecasts/{}", ids[1]), &off).await.body["status"], "accepted");
    // The one reopened in time may no longer be returned, but may be rejected or accepted.
    let r = app.post(&path(&ids[0], "return"), &off, &why).await;
    assert_eq!(r.body["type"], "/problems/commission-inputs-deadline-passed");
    assert_eq!(app.post(&path(&ids[0], "reject"), &off, &why).await.body["status"], "rejected");
}
