//! Officers' review and the campaign calendar (SPEC §4.3–§4.4).

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn returned_forecast_is_corrected_resubmitted_and_accepted() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let off = app.officer();
    let id = app.create_draft(TIN_A, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let r = app.action(&id, "start-review", &off).await;
    assert_eq!(r.body["status"], "in_review");
    let ret = format!("/api/v1/forecasts/{id}/return");
    let r = app.post(&ret, &off, &json!({"reason": "   "})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("reason".to_owned(), "required".to_owned())]);
    let r = app.post(&ret, &off, &json!({"reason": "Line 2: name the project."})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "returned");
    let list = app.get("/api/v1/forecasts", &emp).await;
    assert_eq!(list.body["items"][0]["notification"], "Line 2: name the project.");
    let r = app.post(&format!("/api/v1/forecasts/{id}/lines"), &emp, &line("0110", "Admiral", 1, 1)).await;
    assert_eq!(r.status, StatusCode::CREATED, "a returned forecast is editable");
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let r = app.action(&id, "accept", &off).await;
    assert_eq!(r.body["status"], "accepted");
    let r = app.action(&id, "withdraw", &emp).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["current_status"], "accepted");
    let h = app.get(&format!("/api/v1/forecasts/{id}/history?per_page=100"), &emp).await;
    let path: Vec<_> =
        h.body["items"].as_array().unwrap().iter().map(|e| e["to_status"].as_str().unwrap().to_owned()).collect();
    assert_eq!(path, ["draft", "submitted", "in_review", "returned", "submitted", "accepted"]);
    assert_eq!(h.body["items"][3]["reason"], "Line 2: name the project.");
    assert_eq!(h.body["items"][3]["role"], "officer");
}

#[tokio::test]
async fn two_officers_at_once_one_wins() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let off = app.officer();
    let ret = format!("/api/v1/forecasts/{id}/return");
    let reason = json!({"reason": "fix"});
    let (a, b) = tokio::join!(app.action(&id, "accept", &off), app.post(&ret, &off, &reason));
    let statuses = [a.status, b.status];
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.contains(&StatusCode::CONFLICT) || statuses.contains(&StatusCode::PRECONDITION_FAILED));
    let h = app.get(&format!("/api/v1/forecasts/{id}/history"), &emp).await;
    assert_eq!(h.body["total"], 3, "draft, submitted and one officer's transition");
}

#[tokio::test]
async fn the_deadline_edges() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let off = app.officer();
    let c = app.get("/api/v1/campaigns/2027", &emp).await;
    assert_eq!(c.body["submission_deadline"], "2026-08-01");
    assert_eq!(c.body["customized"], false);
    let late = app.create_draft(TIN_A, two_lines()).await;
    let (other, third) = (tin(30_000_001, true), tin(30_000_002, true));
    let returned = app.create_draft(&other, json!([line("6123", "Fermer, ipəkçilik", 1, 1)])).await;
    let other_emp = app.employer(&other);
    assert_eq!(app.action(&returned, "submit", &other_emp).await.status, StatusCode::OK);
    assert_eq!(
        app.post(&format!("/api/v1/forecasts/{returned}/return"), &off, &json!({"reason": "r"})).await.status,
        StatusCode::OK
    );

    // 1 August, 23:59 in Baku: the last day still counts.
    app.clock.set("2026-08-01T19:59:00Z".parse().unwrap());
    let ok = app.create_draft(&third, two_lines()).await;
    assert_eq!(app.action(&ok, "submit", &app.employer(&third)).await.status, StatusCode::OK);
    // 2 August in Baku: refused, naming the deadline.
    app.clock.set("2026-08-01T20:00:01Z".parse().unwrap());
    let r = app.action(&late, "submit", &emp).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["type"], "/problems/submission-deadline-passed");
    assert_eq!(r.body["deadline"], "2026-08-01");
    // The returned forecast passes until the correction deadline.
    app.clock.set("2026-08-31T12:00:00Z".parse().unwrap());
    assert_eq!(app.action(&returned, "submit", &other_emp).await.status, StatusCode::OK);
    let r = app.post(&format!("/api/v1/forecasts/{returned}/return"), &off, &json!({"reason": "again"})).await;
    assert_eq!(r.status, StatusCode::OK);
    // Returned on 31 August, it has ten days: until 10 September (SPEC §15.3).
    assert_eq!(r.body["correction_due"], "2026-09-10");
    app.clock.set("2026-09-10T20:00:01Z".parse().unwrap());
    let r = app.action(&returned, "submit", &other_emp).await;
    assert_eq!(r.body["type"], "/problems/correction-deadline-passed");
    assert_eq!(r.body["deadline"], "2026-09-10");
}

#[tokio::test]
async fn admin_sets_the_calendar_in_order_only() {
    let app = spawn().await;
    let admin = app.admin();
    let mut c = app.get("/api/v1/campaigns/2027", &admin).await.body;
    c["opens_on"] = json!("2026-06-01");
    let r = app.put("/api/v1/campaigns/2027", &admin, &c).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["customized"], true);
    // Before it opens: drafts save, submission waits.
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let r = app.action(&id, "submit", &emp).await;
    assert_eq!(r.body["type"], "/problems/campaign-not-open");
    let mut bad = c.clone();
    bad["correction_deadline"] = json!("2026-07-01");
    let r = app.put("/api/v1/campaigns/2027", &admin, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_codes().contains(&("correction_deadline".to_owned(), "date_order".to_owned())));
    let r = app.send(Method::PUT, "/api/v1/campaigns/2028", Some(&admin), Some(&c), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the body's year must be the path's");
    assert_eq!(app.get("/api/v1/campaigns/2027", &admin).await.body["correction_deadline"], "2026-08-31");
}

#[tokio::test]
async fn the_officers_queue_is_oldest_submission_first() {
    let app = spawn().await;
    let off = app.officer();
    let mut submitted = Vec::new();
    let third = tin(30_000_003, true);
    for (i, tin) in [TIN_A, TIN_B, third.as_str()].iter().enumerate() {
        app.clock.set(format!("2026-05-1{}T09:00:00Z", i + 1).parse().unwrap());
        let id = app.create_draft(tin, two_lines()).await;
        submitted.push(id);
    }
    // Submit in reverse order of creation, a day apart.
    for (i, id) in submitted.iter().rev().enumerate() {
        app.clock.set(format!("2026-06-0{}T09:00:00Z", i + 1).parse().unwrap());
        let tin = [third.as_str(), TIN_B, TIN_A][i];
        assert_eq!(app.action(id, "submit", &app.employer(tin)).await.status, StatusCode::OK);
    }
    app.create_draft_for(TIN_A, 2028, two_lines()).await; // a draft is not in the queue
    let q = app.get("/api/v1/forecasts?status=submitted&sort=submitted_at", &off).await;
    let ids: Vec<_> =
        q.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
    let expected: Vec<_> = submitted.iter().rev().cloned().collect();
    assert_eq!(ids, expected);
    let window = app.get("/api/v1/forecasts?submitted_from=2026-06-02&submitted_until=2026-06-02", &off).await;
    assert_eq!(window.body["total"], 1);
    assert_eq!(window.body["items"][0]["id"], submitted[1].as_str());
    let by_name = app.get("/api/v1/forecasts?employer=Abseron", &off).await;
    assert_eq!(by_name.body["total"], 3);
}

#[tokio::test]
async fn an_officer_cannot_edit_an_employers_lines() {
    let app = spawn().await;
    let id = app.create_draft(TIN_A, two_lines()).await;
    let off = app.officer();
    let f = app.get(&format!("/api/v1/forecasts/{id}"), &off).await;
    let line_id = f.body["lines"][0]["id"].as_str().unwrap().to_owned();
    let lines = format!("/api/v1/forecasts/{id}/lines");
    assert_eq!(app.post(&lines, &off, &line("0110", "Admiral", 1, 1)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.put(&format!("{lines}/{line_id}"), &off, &line("0110", "Admiral", 1, 1)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.delete(&format!("{lines}/{line_id}"), &off).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.delete(&format!("/api/v1/forecasts/{id}"), &off).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.action(&id, "submit", &off).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/api/v1/forecasts/{id}"), &off).await.body["version"], 1);
}
