//! The employer's forecast, from draft to submission (SPEC §4, §7, §13).

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn employer_drafts_edits_and_submits_a_forecast() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let r = app.post("/api/v1/forecasts", &emp, &forecast_body(TIN_A, two_lines())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.header("location").unwrap(), format!("/api/v1/forecasts/{id}"));
    assert_eq!(r.header("etag").unwrap(), "\"1\"");
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["target_year"], 2027);
    assert_eq!(r.body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["lines"][1]["occupation_title"], "Bənna, xarici suvaq");

    let got = app.get(&format!("/api/v1/forecasts/{id}"), &emp).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("etag").unwrap(), "\"1\"");
    assert_eq!(got.body["employer"]["organization_name"], "Abşeron Tikinti MMC");

    // Replace with If-Match: one line, a changed count.
    let body = forecast_body(TIN_A, json!([line("7123", "BƏNNA, XARİCİ SUVAQ", 5, 5)]));
    let r = app
        .send(Method::PUT, &format!("/api/v1/forecasts/{id}"), Some(&emp), Some(&body), &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("etag").unwrap(), "\"2\"");
    assert_eq!(r.body["lines"][0]["demand_total"], 5);
    assert_eq!(r.body["lines"][0]["occupation_title"], "Bənna, xarici suvaq", "stored as the classification spells it");

    let r = app.action(&id, "submit", &emp).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "submitted");
    assert!(r.body["submitted_at"].is_string());

    let h = app.get(&format!("/api/v1/forecasts/{id}/history"), &emp).await;
    assert_eq!(h.status, StatusCode::OK);
    let entries = h.body["items"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["from_status"], serde_json::Value::Null);
    assert_eq!(entries[0]["to_status"], "draft");
    assert_eq!(entries[1]["from_status"], "draft");
    assert_eq!(entries[1]["to_status"], "submitted");
    assert_eq!(entries[1]["role"], "employer");
    assert_eq!(entries[1]["actor"], "employer-1012345061");

    // Submitted: no more edits.
    let r = app.put(&format!("/api/v1/forecasts/{id}"), &emp, &body).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["current_status"], "submitted");
    assert_eq!(r.body["allowed_actions"], json!(["withdraw"]));
}

#[tokio::test]
async fn an_erp_system_creates_and_submits_in_one_request() {
    let app = spawn().await;
    let mut body = forecast_body(TIN_A, two_lines());
    body["submit"] = json!(true);
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_A), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"], "submitted");
    // A submitted forecast needs a line (asked for another year: 2027 is filed).
    let mut empty = forecast_for(TIN_A, 2028, json!([]));
    empty["submit"] = json!(true);
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_A), &empty).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("lines".to_owned(), "no_lines".to_owned())]);
    let list = app.get("/api/v1/forecasts", &app.employer(TIN_A)).await;
    assert_eq!(list.body["total"], 1, "the refused request stored nothing");
}

#[tokio::test]
async fn every_rule_broken_is_named_with_its_path() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let mut body = forecast_body(
        TIN_A,
        json!([
            line("6123", "Bənna, xarici suvaq", 3, 3),
            line("7123", "Bənna, xarici suvaq", 2, 3),
            line("9999", "Nothing", 1, 1),
        ]),
    );
    body["employer"]["foreign_workers"] = json!(500);
    let r = app.post("/api/v1/forecasts", &emp, &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.header("content-type").unwrap(), "application/problem+json");
    let codes = r.error_codes();
    for expected in [
        ("employer.foreign_workers", "exceeds_employees"),
        ("lines[0].occupation_title", "occupation_title_mismatch"),
        ("lines[1].demand_foreigners", "exceeds_total"),
        ("lines[2].occupation_code", "occupation_unknown"),
    ] {
        assert!(codes.contains(&(expected.0.to_owned(), expected.1.to_owned())), "{expected:?} in {codes:?}");
    }
    assert!(r.body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));

    // A TIN with a wrong check digit, in Azerbaijani.
    let mut body = forecast_body(TIN_A, json!([]));
    body["employer"]["tin"] = json!("1012345071");
    let r = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &[("Accept-Language", "az")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_codes().contains(&("employer.tin".to_owned(), "tin_check_digit".to_owned())));
    assert_eq!(r.body["title"], "Sorğuda yanlış sahələr var");

    // Another employer's TIN.
    let r = app.post("/api/v1/forecasts", &emp, &forecast_body(TIN_B, json!([]))).await;
    assert!(r.error_codes().contains(&("employer.tin".to_owned(), "tin_not_yours".to_owned())), "{}", r.body);

    // Duplicate occupation.
    let r = app
        .post(
            "/api/v1/forecasts",
            &emp,
            &forecast_body(
                TIN_A,
                json!([line("6123", "Fermer, ipəkçilik", 1, 1), line("6123", "fermer, ipəkçilik", 2, 2)]),
            ),
        )
        .await;
    assert_eq!(r.error_codes(), vec![("lines[1].occupation_title".to_owned(), "duplicate_line".to_owned())]);

    // Code 110 is read as 0110.
    let r = app
        .post("/api/v1/forecasts", &emp, &forecast_body(TIN_A, json!([line("110", "Marşal, aviasiya", 1, 1)])))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["lines"][0]["occupation_code"], "0110");
}

#[tokio::test]
async fn fields_a_caller_may_not_set_are_refused() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    for (field, value) in [
        ("status", json!("accepted")),
        ("id", json!("x")),
        ("created_at", json!("2020-01-01T00:00:00Z")),
        ("version", json!(9)),
    ] {
        let mut body = forecast_body(TIN_A, json!([]));
        body[field] = value;
        let r = app.post("/api/v1/forecasts", &emp, &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(r.error_codes(), vec![(field.to_owned(), "unknown_field".to_owned())]);
    }
    let mut body = forecast_body(TIN_A, json!([line("6123", "Fermer, ipəkçilik", 1, 1)]));
    body["lines"][0]["id"] = json!("mine");
    let r = app.post("/api/v1/forecasts", &emp, &body).await;
    assert_eq!(r.error_codes(), vec![("lines[0].id".to_owned(), "unknown_field".to_owned())]);
    assert_eq!(app.get("/api/v1/forecasts", &emp).await.body["total"], 0);
}

#[tokio::test]
async fn a_stale_if_match_changes_nothing() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");
    let r = app
        .send(Method::PUT, &path, Some(&emp), Some(&forecast_body(TIN_A, json!([]))), &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // A second editor still holding version 1.
    let r = app
        .send(Method::PUT, &path, Some(&emp), Some(&forecast_body(TIN_A, two_lines())), &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(r.body["current_version"], 2);
    let r = app.send(Method::POST, &format!("{path}/submit"), Some(&emp), None, &[("If-Match", "\"1\"")]).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let r = app.send(Method::DELETE, &path, Some(&emp), None, &[("If-Match", "\"7\"")]).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let now = app.get(&path, &emp).await;
    assert_eq!(now.body["version"], 2);
    assert_eq!(now.body["status"], "draft");
    assert_eq!(now.body["lines"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn single_lines_are_added_changed_and_removed() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, json!([])).await;
    let lines = format!("/api/v1/forecasts/{id}/lines");
    let r = app.post(&lines, &emp, &line("6123", "Fermer, ipəkçilik", 2, 1)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let line_id = r.body["lines"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(r.header("location").unwrap(), format!("{lines}/{line_id}"));
    let dup = app.post(&lines, &emp, &line("6123", "FERMER, İPƏKÇİLİK", 1, 1)).await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup.error_codes(), vec![("occupation_title".to_owned(), "duplicate_line".to_owned())]);
    let r = app.put(&format!("{lines}/{line_id}"), &emp, &line("6123", "Fermer, ipəkçilik", 4, 4)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["lines"][0]["demand_total"], 4);
    let list = app.get("/api/v1/forecasts", &emp).await;
    assert_eq!(list.body["items"][0]["line_count"], 1);
    assert_eq!(list.body["items"][0]["foreigners_total"], 4);
    let r = app.delete(&format!("{lines}/{line_id}"), &emp).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["lines"].as_array().unwrap().len(), 0);
    assert_eq!(r.body["version"], 4);
    let r = app.delete(&format!("{lines}/{line_id}"), &emp).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn drafts_are_deleted_and_forecasts_withdrawn() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let draft = app.create_draft(TIN_A, json!([])).await;
    assert_eq!(app.delete(&format!("/api/v1/forecasts/{draft}"), &emp).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/forecasts/{draft}"), &emp).await.status, StatusCode::NOT_FOUND);

    let id = app.create_draft(TIN_A, two_lines()).await;
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let r = app.delete(&format!("/api/v1/forecasts/{id}"), &emp).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "only drafts are deleted");
    let r = app.action(&id, "withdraw", &emp).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "withdrawn");
    let r = app.action(&id, "submit", &emp).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["allowed_actions"], json!([]));
}

#[tokio::test]
async fn one_employer_never_sees_anothers_forecast() {
    let app = spawn().await;
    let id = app.create_draft(TIN_A, two_lines()).await;
    let other = app.employer(TIN_B);
    let path = format!("/api/v1/forecasts/{id}");
    assert_eq!(app.get(&path, &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.put(&path, &other, &forecast_body(TIN_B, json!([]))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&path, &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.action(&id, "submit", &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("{path}/history"), &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/forecasts", &other).await.body["total"], 0);
    // Staff read it; they do not edit it.
    for t in [app.officer(), app.admin(), app.token(&[domain::role::Role::Commission], None)] {
        assert_eq!(app.get(&path, &t).await.status, StatusCode::OK);
        assert_eq!(app.get("/api/v1/forecasts", &t).await.body["total"], 1);
    }
    assert_eq!(app.put(&path, &app.officer(), &forecast_body(TIN_A, json!([]))).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post("/api/v1/forecasts", &app.officer(), &forecast_body(TIN_A, json!([]))).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_list_filters_sorts_and_pages() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let first = app.create_draft(TIN_A, json!([line("6123", "Fermer, ipəkçilik", 1, 1)])).await;
    // One forecast a year: the others are drafts for the years after.
    for year in 2028..2039 {
        app.create_draft_for(TIN_A, year, json!([line("7123", "Bənna, xarici suvaq", 2, 2)])).await;
    }
    app.create_draft(TIN_B, json!([line("7123", "Bənna, xarici suvaq", 2, 2)])).await;
    assert_eq!(app.action(&first, "submit", &emp).await.status, StatusCode::OK);

    let page1 = app.get("/api/v1/forecasts", &emp).await;
    assert_eq!(page1.body["total"], 12);
    assert_eq!(page1.body["per_page"], 10);
    assert_eq!(page1.body["items"].as_array().unwrap().len(), 10);
    let page2 = app.get("/api/v1/forecasts?page=2", &emp).await;
    assert_eq!(page2.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(page2.body["items"][1]["id"], first.as_str(), "newest first: the first is last");
    let row = &page2.body["items"][1];
    for key in [
        "number",
        "created_at",
        "person_type",
        "status",
        "notification",
        "updated_at",
        "line_count",
        "foreigners_total",
    ] {
        assert!(row.get(key).is_some(), "row has {key}");
    }
    let submitted = app.get("/api/v1/forecasts?status=submitted", &emp).await;
    assert_eq!(submitted.body["total"], 1);
    let kw = app.get("/api/v1/forecasts?keyword=IPEKCILIK", &emp).await;
    assert_eq!(kw.body["total"], 1, "keyword folds case and marks");
    let kw = app.get("/api/v1/forecasts?keyword=7123", &emp).await;
    assert_eq!(kw.body["total"], 11);
    let dates = app.get("/api/v1/forecasts?created_from=2026-05-15&created_until=2026-05-15", &emp).await;
    assert_eq!(dates.body["total"], 12);
    let none = app.get("/api/v1/forecasts?created_until=2026-05-14", &emp).await;
    assert_eq!(none.body["total"], 0);
    let staff = app.officer();
    assert_eq!(app.get("/api/v1/forecasts", &staff).await.body["total"], 13);
    assert_eq!(app.get("/api/v1/forecasts?tin=1012345062", &staff).await.body["total"], 1);
    assert_eq!(
        app.get("/api/v1/forecasts?keyword=memmedov", &staff).await.body["total"],
        1,
        "staff keyword covers the employer name"
    );
    assert_eq!(
        app.get("/api/v1/forecasts?economic_activity=F", &staff).await.body["total"],
        13,
        "a section includes its divisions"
    );
    assert_eq!(app.get("/api/v1/forecasts?economic_activity=41", &staff).await.body["total"], 1);
    let r = app.get("/api/v1/forecasts?per_page=101", &emp).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), vec![("per_page".to_owned(), "out_of_range".to_owned())]);
    let r = app.get("/api/v1/forecasts?status=gone", &emp).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes()[0].0, "status");
}

#[tokio::test]
async fn twenty_parallel_submits_of_one_draft_give_one_success() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let calls = (0..20).map(|_| app.action(&id, "submit", &emp));
    let results = futures_util::future::join_all(calls).await;
    let ok = results.iter().filter(|r| r.status == StatusCode::OK).count();
    let conflicts = results.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
    assert_eq!(ok, 1, "statuses: {:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
    assert_eq!(conflicts, 19);
    let h = app.get(&format!("/api/v1/forecasts/{id}/history"), &emp).await;
    let submits = h.body["items"].as_array().unwrap().iter().filter(|e| e["to_status"] == "submitted").count();
    assert_eq!(submits, 1);
}

#[tokio::test]
async fn a_retried_idempotency_key_creates_one_forecast() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let body = forecast_body(TIN_A, two_lines());
    let key = [("Idempotency-Key", "erp-2027-0001")];
    let first = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &key).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &key).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    // Concurrent retries too (of a forecast for the next year: 2027 has one).
    let next = forecast_for(TIN_A, 2028, two_lines());
    let par = (0..8).map(|_| {
        app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&next), &[("Idempotency-Key", "erp-2028-0001")])
    });
    let results = futures_util::future::join_all(par).await;
    assert!(
        results.iter().all(|r| r.status == StatusCode::CREATED),
        "{:?}",
        results.iter().map(|r| (r.status, r.body.clone())).collect::<Vec<_>>()
    );
    let ids: std::collections::HashSet<_> = results.iter().map(|r| r.body["id"].clone()).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(app.get("/api/v1/forecasts", &emp).await.body["total"], 2);
    // Same key, another body.
    let other = forecast_body(TIN_A, json!([]));
    let r = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&other), &key).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["type"], "/problems/idempotency-key-reused");
    // Acting POSTs replay too: a retried submit is not a 409.
    let id = first.body["id"].as_str().unwrap();
    let k = [("Idempotency-Key", "submit-1")];
    let s1 = app.send(Method::POST, &format!("/api/v1/forecasts/{id}/submit"), Some(&emp), None, &k).await;
    let s2 = app.send(Method::POST, &format!("/api/v1/forecasts/{id}/submit"), Some(&emp), None, &k).await;
    assert_eq!((s1.status, s2.status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(app.get("/api/v1/forecasts?status=submitted", &emp).await.body["total"], 1);
}

#[tokio::test]
async fn a_server_configured_to_require_if_match_refuses_blind_changes() {
    let app = spawn_with(Options { require_if_match: true, ..Default::default() }).await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");
    let r = app.put(&path, &emp, &forecast_body(TIN_A, json!([]))).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(r.body["type"], "/problems/precondition-required");
    let r = app
        .send(Method::PUT, &path, Some(&emp), Some(&forecast_body(TIN_A, json!([]))), &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_keys_are_purged_after_48_hours_not_before() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let key = [("Idempotency-Key", "erp-old")];
    let body = forecast_body(TIN_A, json!([]));
    let first = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &key).await;
    assert_eq!(first.status, StatusCode::CREATED);
    // A day later the key still replays.
    app.clock.set("2026-05-16T10:00:00Z".parse().unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let again = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &key).await;
    assert_eq!(again.body["id"], first.body["id"]);
    // Past 48 hours the worker purges it: nothing is left for a purge here.
    app.clock.set("2026-05-17T10:00:00Z".parse().unwrap());
    let now = api::clock::Clock::now(&app.clock).naive_utc();
    // The worker polls every 50 ms here; after that, a purge finds nothing.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let purged_here = app.db.write(|c| persistence::idempotency::purge_expired(c, now)).unwrap();
    assert_eq!(purged_here, 0, "the worker removed the expired key");
    // The key is free again: withdrawn, the first forecast frees the year too.
    let id = first.body["id"].as_str().unwrap();
    assert_eq!(app.action(id, "withdraw", &emp).await.status, StatusCode::OK);
    let fresh = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &key).await;
    assert_eq!(fresh.status, StatusCode::CREATED);
    assert_ne!(fresh.body["id"], first.body["id"]);
}

/// The answer to a create is the forecast as stored: a later read returns
/// the same document (the create path builds it without reading it back).
#[tokio::test]
async fn the_created_answer_is_what_a_later_read_returns() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let mut body = forecast_body(TIN_A, two_lines());
    body["submit"] = json!(true);
    body["lines"][1]["note"] = json!("  Mövsümi iş  ");
    let created = app.post("/api/v1/forecasts", &emp, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().unwrap();
    let read = app.get(&format!("/api/v1/forecasts/{id}"), &emp).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(created.body, read.body);
    assert_eq!(created.header("etag"), read.header("etag"));
    assert_eq!(created.body["status"], "submitted");
    assert_eq!(created.body["lines"][1]["note"], "Mövsümi iş");
}

/// An expired key is free again even before the worker purges it: the claim
/// takes it over in the same statement (and only an expired one).
#[tokio::test]
async fn an_expired_key_is_taken_over_before_any_purge() {
    let app = spawn().await;
    app.state.worker_stopped.store(true, std::sync::atomic::Ordering::SeqCst);
    let emp = app.employer(TIN_A);
    let key = [("Idempotency-Key", "erp-reused")];
    let first =
        app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&forecast_body(TIN_A, json!([]))), &key).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    // 47 hours on, another request under the key is refused.
    app.clock.set("2026-05-17T08:00:00Z".parse().unwrap());
    let other = forecast_for(TIN_A, 2028, json!([]));
    let r = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&other), &key).await;
    assert_eq!(r.body["type"], "/problems/idempotency-key-reused", "{}", r.body);
    // 49 hours on, the same request is a new one.
    app.clock.set("2026-05-17T10:00:00Z".parse().unwrap());
    let r = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&other), &key).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["target_year"], 2028);
    assert!(r.header("idempotent-replayed").is_none());
}

/// The count of writes tried in one statement, from `/metrics`.
async fn at_once(app: &TestApp, outcome: &str) -> u64 {
    let m = String::from_utf8(app.fetch("/metrics", None).await).unwrap();
    let series = format!("writes_at_once_total{{outcome=\"{outcome}\"}} ");
    m.lines().find_map(|l| l.strip_prefix(series.as_str())).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// On PostgreSQL an employer's filing is one statement (SPEC §11) that also
/// stores the answer under the key, its number filled in by the database;
/// whatever that statement cannot take as given (an unconfirmed e-mail, a
/// forecast of the year already) is handed to the transaction, which gives
/// the exact answer. SQLite always files in a transaction, without trying.
#[tokio::test]
async fn a_filing_is_one_statement_on_postgres_and_hands_on_what_it_cannot_take_as_given() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let mut body = forecast_body(TIN_A, two_lines());
    body["submit"] = json!(true);
    let key = [("Idempotency-Key", "erp-at-once")];
    let first = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &key).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let pg = backend() == "postgres";
    assert_eq!((at_once(&app, "written").await, at_once(&app, "handed_on").await), if pg { (1, 0) } else { (0, 0) });
    // The stored answer, number and all, is the first answer and a read.
    let again = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(&body), &key).await;
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.body, first.body);
    assert!(first.body["number"].as_i64().unwrap() > 0);
    let id = first.body["id"].as_str().unwrap();
    assert_eq!(app.get(&format!("/api/v1/forecasts/{id}"), &emp).await.body, first.body);
    // The replay was handed on (the key has a row), as are these two.
    let again = app.post("/api/v1/forecasts", &emp, &body).await;
    assert_eq!((again.status, again.body["forecast_id"].as_str()), (StatusCode::CONFLICT, Some(id)));
    let mut unconfirmed = forecast_body(TIN_B, two_lines());
    unconfirmed["submit"] = json!(true);
    let r = app.post("/api/v1/forecasts", &app.unconfirmed_employer(TIN_B), &unconfirmed).await;
    assert_eq!(r.body["type"], "/problems/email-not-confirmed", "{}", r.body);
    assert_eq!((at_once(&app, "written").await, at_once(&app, "handed_on").await), if pg { (1, 3) } else { (0, 0) });
    let list = app.get("/api/v1/forecasts?per_page=100", &app.officer()).await;
    assert_eq!(list.body["total"], 1, "nothing was written by the refused filings");
}

/// One key sent at once with two different filings (two target years, so
/// the one-forecast-a-year rule does not decide): one is filed, the other
/// is refused as a reused key, and nothing else is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_key_with_two_filings_at_once_files_one() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let key = [("Idempotency-Key", "erp-twins")];
    let bodies: Vec<_> = (0..8).map(|i| forecast_for(TIN_A, 2027 + (i % 2), two_lines())).collect();
    let calls = bodies.iter().map(|b| app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(b), &key));
    let results = futures_util::future::join_all(calls).await;
    let created: std::collections::HashSet<_> =
        results.iter().filter(|r| r.status == StatusCode::CREATED).map(|r| r.body["id"].clone()).collect();
    assert_eq!(created.len(), 1, "{:?}", results.iter().map(|r| (r.status, r.body.clone())).collect::<Vec<_>>());
    for r in results.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_eq!(r.body["type"], "/problems/idempotency-key-reused", "{}", r.body);
    }
    assert_eq!(app.get("/api/v1/forecasts", &emp).await.body["total"], 1);
}
