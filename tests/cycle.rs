//! The forecast cycle without dead ends (SPEC §15.1–§15.3): target years
//! from the campaigns, one forecast per employer and year, time to correct
//! after every return.

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_31_december_1_january_seam_in_baku() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    // 31 December 2026, 23:59 in Baku (19:59 UTC): 2027's campaign closed on
    // 1 August, so the default is 2028, whose campaign opens the next morning.
    app.clock.set("2026-12-31T19:59:00Z".parse().unwrap());
    let r = app.post("/api/v1/forecasts", &emp, &forecast_body(TIN_A, two_lines())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["target_year"], 2028);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let closed = app.post("/api/v1/forecasts", &app.employer(TIN_B), &forecast_for(TIN_B, 2027, two_lines())).await;
    assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(closed.body["errors"][0]["code"], "target_year_unavailable");
    assert!(closed.body["errors"][0]["message"].as_str().unwrap().contains("2028"));
    // Still 31 December: the draft waits for its campaign.
    let r = app.action(&id, "submit", &emp).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["type"], "/problems/campaign-not-open");
    assert_eq!(r.body["deadline"], "2027-01-01");
    // 1 January 2027, 00:00 in Baku (20:00 UTC on 31 December): open.
    app.clock.set("2026-12-31T20:00:00Z".parse().unwrap());
    let r = app.action(&id, "submit", &emp).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // In 2027 the current year is no target year.
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_B), &forecast_for(TIN_B, 2027, json!([]))).await;
    assert_eq!(r.body["errors"][0]["code"], "target_year_unavailable");
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_B), &forecast_body(TIN_B, json!([]))).await;
    assert_eq!(r.body["target_year"], 2028);
}

#[tokio::test]
async fn a_forecast_started_in_autumn_is_for_the_next_open_campaign() {
    let app = spawn().await;
    // 2 August 2026 in Baku: 2027's submission deadline has passed.
    app.clock.set("2026-08-01T20:00:00Z".parse().unwrap());
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_A), &forecast_body(TIN_A, json!([]))).await;
    assert_eq!((r.status, r.body["target_year"].as_i64()), (StatusCode::CREATED, Some(2028)), "{}", r.body);
    // Admin keeps 2027 open until 20 December: the calendar decides, not the date.
    let admin = app.admin();
    let mut c = app.get("/api/v1/campaigns/2027", &admin).await.body;
    for (field, date) in [
        ("submission_deadline", "2026-12-20"),
        ("correction_deadline", "2026-12-21"),
        ("commission_inputs_deadline", "2026-12-22"),
        ("proposal_deadline", "2026-12-23"),
        ("approval_deadline", "2026-12-24"),
    ] {
        c[field] = json!(date);
    }
    let r = app.put("/api/v1/campaigns/2027", &admin, &c).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_B), &forecast_body(TIN_B, two_lines())).await;
    assert_eq!(r.body["target_year"], 2027, "{}", r.body);
}

#[tokio::test]
async fn a_draft_moves_to_another_year_and_only_a_draft() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");
    let r = app.put(&path, &emp, &forecast_for(TIN_A, 2028, two_lines())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["target_year"], 2028);
    // Omitted, the year stays.
    let r = app.put(&path, &emp, &forecast_body(TIN_A, two_lines())).await;
    assert_eq!(r.body["target_year"], 2028);
    let r = app.put(&path, &emp, &forecast_for(TIN_A, 2026, two_lines())).await;
    assert_eq!(r.error_codes(), vec![("target_year".to_owned(), "target_year_unavailable".to_owned())]);
    // Back to 2027, submitted, returned: the year is fixed now.
    assert_eq!(app.put(&path, &emp, &forecast_for(TIN_A, 2027, two_lines())).await.status, StatusCode::OK);
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let r = app.post(&format!("{path}/return"), &app.officer(), &json!({"reason": "Fix line 1."})).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app.put(&path, &emp, &forecast_for(TIN_A, 2028, two_lines())).await;
    assert_eq!(r.error_codes(), vec![("target_year".to_owned(), "target_year_immutable".to_owned())]);
    assert_eq!(app.put(&path, &emp, &forecast_for(TIN_A, 2027, two_lines())).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_second_forecast_for_a_year_is_refused_and_a_withdrawn_one_frees_the_year() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let first = app.create_draft(TIN_A, two_lines()).await;
    let r = app.post("/api/v1/forecasts", &emp, &forecast_body(TIN_A, two_lines())).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/forecast-exists");
    assert_eq!(r.body["forecast_id"], first.as_str());
    assert_eq!(r.body["location"], format!("/api/v1/forecasts/{first}"));
    assert_eq!(r.header("location"), Some(format!("/api/v1/forecasts/{first}")));
    // Conflict before validation: an invalid body names the same forecast.
    let mut bad = forecast_for(TIN_A, 2027, json!([]));
    bad["employer"]["foreign_workers"] = json!(500);
    assert_eq!(app.post("/api/v1/forecasts", &emp, &bad).await.body["forecast_id"], first.as_str());
    // Another employer, another year: no conflict.
    assert_eq!(
        app.post("/api/v1/forecasts", &app.employer(TIN_B), &forecast_body(TIN_B, json!([]))).await.status,
        StatusCode::CREATED
    );
    let next = app.create_draft_for(TIN_A, 2028, json!([])).await;
    // A draft cannot move onto a year that has a forecast.
    let r = app.put(&format!("/api/v1/forecasts/{next}"), &emp, &forecast_for(TIN_A, 2027, json!([]))).await;
    assert_eq!((r.status, r.body["forecast_id"].as_str()), (StatusCode::CONFLICT, Some(first.as_str())));
    // Withdrawn, the first frees 2027; a deleted draft frees its year too.
    assert_eq!(app.action(&first, "submit", &emp).await.status, StatusCode::OK);
    assert_eq!(app.action(&first, "withdraw", &emp).await.status, StatusCode::OK);
    let again = app.create_draft(TIN_A, two_lines()).await;
    assert_ne!(again, first);
    assert_eq!(app.delete(&format!("/api/v1/forecasts/{next}"), &emp).await.status, StatusCode::NO_CONTENT);
    app.create_draft_for(TIN_A, 2028, json!([])).await;
    let list = app.get("/api/v1/forecasts?per_page=100", &emp).await;
    assert_eq!(list.body["total"], 3, "the withdrawn one stays listed");
}

/// An ERP system that retries without an `Idempotency-Key`, many times at
/// once: the database keeps one forecast, every other answer names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retries_without_a_key_file_once_even_at_once() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let mut body = forecast_body(TIN_A, two_lines());
    body["submit"] = json!(true);
    let calls = (0..12).map(|_| app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &[]));
    let results = futures_util::future::join_all(calls).await;
    let created: Vec<_> = results.iter().filter(|r| r.status == StatusCode::CREATED).collect();
    assert_eq!(created.len(), 1, "{:?}", results.iter().map(|r| (r.status, r.body.clone())).collect::<Vec<_>>());
    let id = created[0].body["id"].clone();
    for r in results.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_eq!((r.status, &r.body["forecast_id"]), (StatusCode::CONFLICT, &id));
    }
    assert_eq!(app.get("/api/v1/forecasts", &emp).await.body["total"], 1);
    // What the database holds to, whatever the API checks.
    let dup = app.db.write(|c| {
        use diesel::connection::SimpleConnection;
        c.batch_execute(
            "INSERT INTO forecasts (id, tin, target_year, status, version, created_at, updated_at, created_by, \
             person_type, legal_address, current_address, workplace_address, tin_issued_on, employees_total, \
             foreign_workers, economic_activity, employer_search, line_count, foreigners_total, search_text, \
             activity_section) SELECT 'twin', tin, target_year, 'draft', 1, created_at, updated_at, created_by, \
             person_type, legal_address, current_address, workplace_address, tin_issued_on, employees_total, \
             foreign_workers, economic_activity, employer_search, 0, 0, '', activity_section FROM forecasts",
        )
        .map_err(persistence::StoreError::from)
    });
    assert!(dup.is_err(), "a second live forecast of one TIN and year is refused by the database");
}

/// Submits a forecast for `tin` in 2027, in May, and returns its id.
async fn submitted(app: &TestApp, tin: &str) -> String {
    let id = app.create_draft(tin, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &app.employer(tin)).await.status, StatusCode::OK);
    id
}

async fn return_(app: &TestApp, id: &str, reason: &str) -> Resp {
    app.post(&format!("/api/v1/forecasts/{id}/return"), &app.officer(), &json!({ "reason": reason })).await
}

#[tokio::test]
async fn a_return_after_the_correction_deadline_still_leaves_time_to_resubmit() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = submitted(&app, TIN_A).await;
    // 5 September in Baku: the campaign's correction deadline (31 August) has passed.
    app.clock.set("2026-09-05T06:00:00Z".parse().unwrap());
    let r = return_(&app, &id, "Line 2: name the site.").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["correction_due"], "2026-09-15", "ten days, within the Commission inputs deadline");
    let list = app.get("/api/v1/forecasts", &emp).await;
    assert_eq!(list.body["items"][0]["correction_due"], "2026-09-15");
    let mail = app.outbox_to(&format!("hr@{TIN_A}.example.az"));
    let returned = mail.last().unwrap();
    assert_eq!(returned.body.matches("2026-09-15").count(), 3, "the e-mail names the day in az, en and ru");
    assert!(returned.subject.contains("qaytarıldı") && returned.subject.contains("returned"));
    assert!(returned.subject.contains("возвращён") && returned.body.contains("Причина: Line 2: name the site."));
    // Corrected on the last day, 15 September at 23:59 in Baku.
    app.clock.set("2026-09-15T19:59:00Z".parse().unwrap());
    let r = app.put(&format!("/api/v1/forecasts/{id}"), &emp, &forecast_body(TIN_A, two_lines())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.action(&id, "submit", &emp).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["correction_due"].is_null(), "no longer returned");
    assert_eq!(r.body["notification"], "Line 2: name the site.", "the reason stays");
    // Accepted, it counts in the summary the Commission reads.
    assert_eq!(app.action(&id, "accept", &app.officer()).await.status, StatusCode::OK);
    let s = app.get("/api/v1/summaries/2027", &app.officer()).await;
    assert_eq!(s.body["totals"]["accepted"]["forecasts"], 1, "{}", s.body);
}

#[tokio::test]
async fn a_return_on_the_commission_inputs_deadline_is_refused() {
    let app = spawn().await;
    let early = submitted(&app, TIN_A).await;
    let late = submitted(&app, TIN_B).await;
    // 14 September: a return leaves until the 15th, the inputs deadline.
    app.clock.set("2026-09-14T08:00:00Z".parse().unwrap());
    let r = return_(&app, &early, "Fix.").await;
    assert_eq!((r.status, r.body["correction_due"].as_str()), (StatusCode::OK, Some("2026-09-15")));
    // 15 September in Baku (20:00 UTC on the 14th): refused, nothing changes.
    app.clock.set("2026-09-14T20:00:00Z".parse().unwrap());
    let r = return_(&app, &late, "Fix.").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/commission-inputs-deadline-passed");
    assert_eq!(r.body["deadline"], "2026-09-15");
    let f = app.get(&format!("/api/v1/forecasts/{late}"), &app.officer()).await;
    assert_eq!((f.body["status"].as_str(), f.body["version"].as_i64()), (Some("submitted"), Some(2)));
    // The officer accepts it instead.
    assert_eq!(app.action(&late, "accept", &app.officer()).await.status, StatusCode::OK);
}

/// Reminders for a returned forecast name its `correction_due` and go 7 days
/// and 1 day before it; the submission deadline's reminders are for drafts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_for_a_returned_forecast_go_before_its_correction_day() {
    let app = spawn().await;
    let t = tin(40_000_001, true);
    let to = format!("hr@{t}.example.az");
    let draft = tin(40_000_002, true);
    let draft_to = format!("hr@{draft}.example.az");
    app.create_draft(&draft, two_lines()).await;
    let id = submitted(&app, &t).await;
    let kinds = |to: &str| app.outbox_to(to).into_iter().map(|m| m.kind).collect::<Vec<_>>();
    let reminders =
        |to: &str| app.outbox_to(to).into_iter().filter(|m| m.kind == "correction_reminder").collect::<Vec<_>>();
    // Returned in July: due on the correction deadline, 31 August.
    app.clock.set("2026-07-20T06:00:00Z".parse().unwrap());
    assert_eq!(return_(&app, &id, "Name the site.").await.body["correction_due"], "2026-08-31");
    // 25 July: the draft is reminded of 1 August; the returned forecast is not.
    app.clock.set("2026-07-25T06:00:00Z".parse().unwrap());
    assert!(eventually(10, || kinds(&draft_to).contains(&"deadline_reminder".to_owned())).await);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(kinds(&to), ["return"], "no reminder of the submission deadline for a returned forecast");
    // 23 August is 8 days before: nothing yet. 24 August: 7 days before.
    app.clock.set("2026-08-23T06:00:00Z".parse().unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(reminders(&to).is_empty());
    app.clock.set("2026-08-24T06:00:00Z".parse().unwrap());
    assert!(eventually(10, || reminders(&to).len() == 1).await);
    assert!(reminders(&to)[0].body.contains("2026-08-31"));
    // 30 August: 1 day before, once however many ticks.
    app.clock.set("2026-08-30T06:00:00Z".parse().unwrap());
    assert!(eventually(10, || reminders(&to).len() == 2).await);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(reminders(&to).len(), 2);
    assert!(reminders(&to)[1].subject.contains('1'));
    // Resubmitted, returned again on 5 September: new day, new reminders.
    assert_eq!(app.action(&id, "submit", &app.employer(&t)).await.status, StatusCode::OK);
    app.clock.set("2026-09-05T06:00:00Z".parse().unwrap());
    assert_eq!(return_(&app, &id, "Again.").await.body["correction_due"], "2026-09-15");
    app.clock.set("2026-09-08T06:00:00Z".parse().unwrap());
    assert!(eventually(10, || reminders(&to).len() == 3).await);
    assert!(reminders(&to)[2].body.contains("2026-09-15"));
    app.clock.set("2026-09-14T06:00:00Z".parse().unwrap());
    assert!(eventually(10, || reminders(&to).len() == 4).await);
}

#[tokio::test]
async fn an_acceptance_note_is_the_other_notification() {
    let app = spawn().await;
    let off = app.officer();
    let id = submitted(&app, TIN_A).await;
    let accept = format!("/api/v1/forecasts/{id}/accept");
    // Checked after the status: a draft is refused by its status first.
    let draft = app.create_draft(TIN_B, two_lines()).await;
    let long = json!({"note": "n".repeat(2001)});
    let r = app.post(&format!("/api/v1/forecasts/{draft}/accept"), &off, &long).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app.post(&accept, &off, &long).await;
    assert_eq!(r.error_codes(), vec![("note".to_owned(), "length".to_owned())]);
    let r = app.post(&accept, &off, &json!({"note": "Two of three: the third is hired locally.", "x": 1})).await;
    assert_eq!(r.error_codes(), vec![("x".to_owned(), "unknown_field".to_owned())]);
    let r = app.post(&accept, &off, &json!({"note": "  Two of three:  the third is hired locally. "})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["other_notification"], "Two of three: the third is hired locally.");
    let emp = app.employer(TIN_A);
    let list = app.get("/api/v1/forecasts", &emp).await;
    let row = &list.body["items"][0];
    assert_eq!(row["other_notification"], "Two of three: the third is hired locally.");
    assert!(row["notification"].is_null());
    let mail = app.outbox_to(&format!("hr@{TIN_A}.example.az"));
    let accepted = mail.iter().find(|m| m.kind == "accept").unwrap();
    assert!(accepted.body.contains("Two of three: the third is hired locally."));
    // Without a body, with `null`, or with a blank note: accepted, no note.
    for (tin, body) in [
        (tin(40_000_011, true), None),
        (tin(40_000_012, true), Some(json!(null))),
        (tin(40_000_013, true), Some(json!({"note": "  "}))),
    ] {
        let id = submitted(&app, &tin).await;
        let path = format!("/api/v1/forecasts/{id}/accept");
        let r = app.send(Method::POST, &path, Some(&off), body.as_ref(), &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{body:?}: {}", r.body);
        assert!(r.body["other_notification"].is_null());
    }
    // A body that is not JSON is refused.
    let id = submitted(&app, &tin(40_000_014, true)).await;
    let r = app
        .client
        .post(format!("{}/api/v1/forecasts/{id}/accept", app.base))
        .bearer_auth(&off)
        .header("content-type", "text/plain")
        .body("fine")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// Filing takes the calendar and the classification from memory only while
/// the database's versions match them (SPEC §11): a change made through
/// another replica applies to the very next filing here, not after a refresh.
#[tokio::test]
async fn a_change_through_another_replica_applies_to_the_next_filing_here() {
    let a = spawn().await;
    let b = spawn_with(Options { share: Some((a.database_url.clone(), a.clock.clone())), ..Default::default() }).await;
    let r = b.post("/api/v1/forecasts", &b.employer(TIN_A), &forecast_for(TIN_A, 2027, two_lines())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let held = (b.state.memo().campaigns.version, b.state.memo().occupations.version);
    // Through a: 2027's submissions close yesterday, and 6123 is retired.
    let admin = a.admin();
    let mut c = a.get("/api/v1/campaigns/2027", &admin).await.body;
    c["submission_deadline"] = json!("2026-05-14");
    let r = a.put("/api/v1/campaigns/2027", &admin, &c).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = a
        .client
        .post(format!("{}/api/v1/occupations/imports?mode=replace", a.base))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body("Kod,Ad\n7123,\"Bənna, xarici suvaq\"\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // b has not reloaded either yet, and still answers by the database.
    assert_eq!((b.state.memo().campaigns.version, b.state.memo().occupations.version), held);
    let emp = b.employer(TIN_B);
    let r = b
        .post("/api/v1/forecasts", &emp, &forecast_for(TIN_B, 2027, json!([line("7123", "Bənna, xarici suvaq", 1, 1)])))
        .await;
    assert_eq!(r.error_codes(), vec![("target_year".to_owned(), "target_year_unavailable".to_owned())], "{}", r.body);
    let r = b
        .post("/api/v1/forecasts", &emp, &forecast_for(TIN_B, 2028, json!([line("6123", "Fermer, ipəkçilik", 1, 1)])))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_codes()[0].0, "lines[0].occupation_code");
    let r = b
        .post("/api/v1/forecasts", &emp, &forecast_for(TIN_B, 2028, json!([line("7123", "Bənna, xarici suvaq", 1, 1)])))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}
