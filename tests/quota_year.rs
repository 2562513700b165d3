//! The quota year as it happens (SPEC §16.1): a late Cabinet order, the
//! Cabinet's own numbers and activities, proposals taken back, amendments
//! during the year, permits that end.

use crate::quota::{seed, Y};
use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn plan(rest: &str) -> String {
    format!("/api/v1/quota-plans/{Y}{rest}")
}

fn permits() -> String {
    format!("/api/v1/quotas/{Y}/allocations")
}

async fn step(app: &TestApp, action: &str, token: &str, body: Option<&Value>) -> Resp {
    app.send(Method::POST, &plan(&format!("/{action}")), Some(token), body, &[]).await
}

fn permit(r: &str, activity: &str) -> Value {
    json!({"permit_ref": r, "economic_activity": activity})
}

fn actions(history: &Resp) -> Vec<String> {
    history.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

/// Seed 004 ¶91: the 2019 quota was approved by Cabinet order on 7 February
/// 2019, after the year began, and nursing was added to the household
/// activities. Here the same year happens to 2027: the deadlines pass, the
/// Cabinet approves after them with its order and adds an activity nobody
/// proposed, permits are recorded in it, an exhausted activity is raised by
/// an amendment and the permit refused before is recorded after.
#[tokio::test]
async fn a_late_cabinet_order_adds_an_activity_and_an_amendment_reopens_an_exhausted_one() {
    let app = spawn().await;
    seed(&app).await;
    let (commission, admin, officer) = (app.token(&[domain::role::Role::Commission], None), app.admin(), app.officer());
    assert_eq!(app.post(&plan(""), &commission, &json!(null)).await.status, StatusCode::CREATED);
    let proposed =
        json!({"entries": [{"economic_activity": "F", "proposed": 2}, {"economic_activity": "A", "proposed": 1}]});
    assert_eq!(app.put(&plan(""), &commission, &proposed).await.status, StatusCode::OK);
    assert_eq!(step(&app, "propose", &commission, None).await.status, StatusCode::OK);

    // Every deadline passes; the year begins without a quota.
    app.clock.set("2027-01-20T08:00:00Z".parse().unwrap());
    let r = app.post(&permits(), &officer, &permit("WP-0", "F")).await;
    assert_eq!(r.body["type"], "/problems/quota-not-approved", "{}", r.body);

    // The Cabinet's numbers: household activities (T) added, nobody proposed them.
    let approved = json!({"entries": [
        {"economic_activity": "F", "approved": 2}, {"economic_activity": "A", "approved": 1},
        {"economic_activity": "T", "approved": 1}]});
    let r = app.put(&plan(""), &admin, &approved).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = r.body["entries"].as_array().unwrap().iter().find(|e| e["economic_activity"] == "T").unwrap().clone();
    assert_eq!((t["proposed"].clone(), t["approved"].as_i64()), (Value::Null, Some(1)));

    // The order of 7 February, recorded on that day.
    app.clock.set("2027-02-07T08:00:00Z".parse().unwrap());
    let r = step(&app, "approve", &admin, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "late: the order is required: {}", r.body);
    let r = step(&app, "approve", &admin, Some(&json!({"order_number": "39s", "order_date": "2027-02-08"}))).await;
    assert_eq!(r.error_codes(), vec![("order_date".to_owned(), "in_future".to_owned())]);
    let order = json!({"order_number": "39s", "order_date": "2027-02-07"});
    let r = step(&app, "approve", &admin, Some(&order)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["late"], true);
    assert_eq!(r.body["order"], json!({"number": "39s", "date": "2027-02-07"}));

    // Permits from the approval on: in the added activity too.
    let r = app.post(&permits(), &officer, &permit("WP-T1", "97")).await;
    assert_eq!(r.status, StatusCode::CREATED, "a division of T counts under T: {}", r.body);
    assert_eq!((r.body["economic_activity"].as_str(), r.body["remaining"].as_i64()), (Some("T"), Some(0)));
    for n in 1..=2 {
        assert_eq!(app.post(&permits(), &officer, &permit(&format!("WP-F{n}"), "F")).await.status, StatusCode::CREATED);
    }
    let r = app.post(&permits(), &officer, &permit("WP-F3", "F")).await;
    assert_eq!(r.body["type"], "/problems/quota-exhausted", "{}", r.body);
    let r = app.post(&permits(), &officer, &permit("WP-Q1", "Q")).await;
    assert_eq!(r.body["type"], "/problems/activity-not-in-quota", "{}", r.body);
    assert!(r.body["detail"].as_str().unwrap().contains('Q'));

    // An amendment raises construction by one: the refused permit goes through.
    app.clock.set("2027-03-02T08:00:00Z".parse().unwrap());
    let version = app.get(&plan(""), &admin).await.header("etag").unwrap();
    let amendment = json!({"order_number": "77s", "order_date": "2027-03-01",
        "entries": [{"economic_activity": "F", "approved": 3}]});
    let r =
        app.send(Method::POST, &plan("/amendments"), Some(&admin), Some(&amendment), &[("If-Match", &version)]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["number"], 1);
    assert_eq!(r.body["entries"], json!([{"economic_activity": "F", "approved_before": 2, "approved": 3}]));
    assert!(r.header("location").unwrap().ends_with(&plan("/amendments/1")));
    assert_ne!(r.header("etag"), Some(version.clone()), "the plan's version moved");
    let r = app.post(&permits(), &officer, &permit("WP-F3", "F")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A stale If-Match changes nothing.
    let r =
        app.send(Method::POST, &plan("/amendments"), Some(&admin), Some(&amendment), &[("If-Match", &version)]).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    // Never below what is used; the activity and `used` are named.
    let lower = json!({"order_number": "78s", "order_date": "2027-03-02",
        "entries": [{"economic_activity": "F", "approved": 2}, {"economic_activity": "Q", "approved": 5}]});
    let r = app.post(&plan("/amendments"), &admin, &lower).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_codes(), vec![("entries[0].approved".to_owned(), "below_used".to_owned())]);
    let detail = r.body["errors"][0]["message"].as_str().unwrap_or_default().to_owned();
    assert!(detail.contains('F') && detail.contains('3'), "{}", r.body);
    assert_eq!(app.get(&plan("/amendments"), &admin).await.body["total"], 1, "nothing of it was kept");
    // Adding an activity: the permit refused before is recorded.
    let add = json!({"order_number": "78s", "order_date": "2027-03-02", "entries": [{"economic_activity": "Q", "approved": 5}]});
    assert_eq!(app.post(&plan("/amendments"), &admin, &add).await.status, StatusCode::CREATED);
    assert_eq!(app.post(&permits(), &officer, &permit("WP-Q1", "Q")).await.status, StatusCode::CREATED);

    // Amendments are listed and read; the public quota shows the last one.
    let list = app.get(&plan("/amendments"), &commission).await;
    let numbers: Vec<i64> =
        list.body["items"].as_array().unwrap().iter().map(|a| a["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [1, 2]);
    let r = app.get(&plan("/amendments/2"), &admin).await;
    assert_eq!(r.body["entries"], json!([{"economic_activity": "Q", "approved_before": null, "approved": 5}]));
    assert_eq!(app.get(&plan("/amendments/3"), &admin).await.status, StatusCode::NOT_FOUND);
    let q = app.send(Method::GET, &format!("/api/v1/quotas/{Y}"), None, None, &[]).await;
    assert_eq!(q.body["last_amendment"]["number"], 2);
    assert_eq!(q.body["last_amendment"]["order"], json!({"number": "78s", "date": "2027-03-02"}));
    assert_eq!((q.body["late"].as_bool(), q.body["order"]["number"].as_str()), (Some(true), Some("39s")));
    assert_eq!(
        q.body["totals"],
        json!({"approved": 3 + 1 + 1 + 5, "used": 3 + 1 + 1, "remaining": 5, "exempt": 0, "ended": 0})
    );

    // The history tells the year.
    let h = app.get(&plan("/history?per_page=100"), &admin).await;
    assert_eq!(actions(&h), ["create", "edit_proposed", "propose", "edit_approved", "approve", "amend", "amend"]);
    let items = h.body["items"].as_array().unwrap();
    assert_eq!(items[4]["order"], json!({"number": "39s", "date": "2027-02-07"}));
    assert_eq!((items[5]["amendment"].as_i64(), items[5]["order"]["number"].as_str()), (Some(1), Some("77s")));
    assert_eq!(items[5]["role"], "admin");
}

/// SPEC §16.1.3: an empty plan is not proposed; a proposal goes back to
/// draft by admin's return (with a reason) or the Commission's withdrawal,
/// and is proposed again.
#[tokio::test]
async fn a_proposal_can_be_taken_back_and_an_empty_one_is_never_made() {
    let app = spawn().await;
    let (commission, admin) = (app.token(&[domain::role::Role::Commission], None), app.admin());
    // No accepted forecast: the plan starts empty.
    assert_eq!(app.post(&plan(""), &commission, &json!(null)).await.status, StatusCode::CREATED);
    let r = step(&app, "propose", &commission, None).await;
    assert_eq!(r.error_codes(), vec![("entries".to_owned(), "no_entries".to_owned())], "{}", r.body);
    let zero = json!({"entries": [{"economic_activity": "F", "proposed": 0}]});
    assert_eq!(app.put(&plan(""), &commission, &zero).await.status, StatusCode::OK);
    assert_eq!(step(&app, "propose", &commission, None).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let some = json!({"entries": [{"economic_activity": "F", "proposed": 10}]});
    assert_eq!(app.put(&plan(""), &commission, &some).await.status, StatusCode::OK);
    assert_eq!(step(&app, "propose", &commission, None).await.status, StatusCode::OK);

    // Admin returns it; the reason is required and kept.
    assert_eq!(step(&app, "return", &commission, Some(&json!({"reason": "x"}))).await.status, StatusCode::FORBIDDEN);
    let r = step(&app, "return", &admin, Some(&json!({"reason": "  "}))).await;
    assert_eq!(r.error_codes(), vec![("reason".to_owned(), "required".to_owned())]);
    let r = step(&app, "return", &admin, Some(&json!({"reason": "Section Q is missing."}))).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("draft")), "{}", r.body);
    let r = step(&app, "return", &admin, Some(&json!({"reason": "again"}))).await;
    assert_eq!(r.body["type"], "/problems/plan-action-not-allowed");
    assert_eq!(r.body["current_status"], "draft");

    // Proposed again, then withdrawn by the Commission (a reason is optional).
    assert_eq!(step(&app, "propose", &commission, None).await.status, StatusCode::OK);
    assert_eq!(step(&app, "withdraw-proposal", &admin, None).await.status, StatusCode::FORBIDDEN);
    let r = step(&app, "withdraw-proposal", &commission, None).await;
    assert_eq!(r.body["status"], "draft", "{}", r.body);
    assert_eq!(step(&app, "propose", &commission, None).await.status, StatusCode::OK);
    let r = step(&app, "withdraw-proposal", &commission, Some(&json!({"reason": "New inputs came."}))).await;
    assert_eq!(r.body["status"], "draft");

    let h = app.get(&plan("/history?per_page=100"), &admin).await;
    assert_eq!(
        actions(&h),
        [
            "create",
            "edit_proposed",
            "edit_proposed",
            "propose",
            "return",
            "propose",
            "withdraw_proposal",
            "propose",
            "withdraw_proposal"
        ]
    );
    let items = h.body["items"].as_array().unwrap();
    assert_eq!(
        (items[4]["reason"].as_str(), items[4]["role"].as_str()),
        (Some("Section Q is missing."), Some("admin"))
    );
    assert_eq!((items[6]["reason"].clone(), items[6]["role"].as_str()), (Value::Null, Some("commission")));
    assert_eq!(items[8]["reason"], "New inputs came.");
}

/// SPEC §16.1.6: recorded in error gives the unit back; ended early and
/// revoked keep it used and record the day; an end is not changed.
#[tokio::test]
async fn a_permit_ends_for_its_reason_and_only_an_error_gives_the_unit_back() {
    let app = spawn().await;
    seed(&app).await;
    let (commission, admin, officer) = (app.token(&[domain::role::Role::Commission], None), app.admin(), app.officer());
    assert_eq!(app.post(&plan(""), &commission, &json!(null)).await.status, StatusCode::CREATED);
    assert_eq!(step(&app, "propose", &commission, None).await.status, StatusCode::OK);
    let approved =
        json!({"entries": [{"economic_activity": "F", "approved": 3}, {"economic_activity": "A", "approved": 1}]});
    assert_eq!(app.put(&plan(""), &admin, &approved).await.status, StatusCode::OK);
    assert_eq!(step(&app, "approve", &admin, None).await.status, StatusCode::OK);
    app.clock.set("2027-02-01T08:00:00Z".parse().unwrap());
    for r in ["WP-1", "WP-2", "WP-3"] {
        assert_eq!(app.post(&permits(), &officer, &permit(r, "F")).await.status, StatusCode::CREATED);
    }
    let exempt = json!({"permit_ref": "WP-X", "economic_activity": "Q", "exemption": "sailor"});
    assert_eq!(app.post(&permits(), &officer, &exempt).await.status, StatusCode::CREATED, "a new ground of §16.1.8");
    let end = |r: &str| format!("{}/{r}/end", permits());
    app.clock.set("2027-03-20T08:00:00Z".parse().unwrap());

    // Ended early: the day is required, not in the future, not before the permit.
    let r = app.post(&end("WP-1"), &officer, &json!({"reason": "terminated_early"})).await;
    assert_eq!(r.error_codes(), vec![("effective_on".to_owned(), "required".to_owned())]);
    let r =
        app.post(&end("WP-1"), &officer, &json!({"reason": "terminated_early", "effective_on": "2027-03-21"})).await;
    assert_eq!(r.error_codes(), vec![("effective_on".to_owned(), "in_future".to_owned())]);
    let r =
        app.post(&end("WP-1"), &officer, &json!({"reason": "terminated_early", "effective_on": "2027-01-31"})).await;
    assert_eq!(r.error_codes(), vec![("effective_on".to_owned(), "date_order".to_owned())]);
    let body = json!({"reason": "terminated_early", "effective_on": "2027-03-15"});
    let r = app.post(&end("WP-1"), &officer, &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["used"].as_i64(), r.body["remaining"].as_i64()), (Some(3), Some(0)), "the unit stays used");
    assert_eq!(r.body["ended"], json!({"reason": "terminated_early", "effective_on": "2027-03-15"}));
    assert_eq!(app.post(&end("WP-1"), &officer, &body).await.status, StatusCode::OK, "the same end again");
    let r = app.post(&end("WP-1"), &officer, &json!({"reason": "revoked", "effective_on": "2027-03-15"})).await;
    assert_eq!((r.status, r.body["type"].as_str()), (StatusCode::CONFLICT, Some("/problems/permit-ended")));
    let r = app.post(&end("WP-1"), &officer, &json!({"reason": "recorded_in_error"})).await;
    assert_eq!(r.body["type"], "/problems/permit-ended", "no unit comes back through a second end");

    // Revoked: the same.
    let r = app.post(&end("WP-2"), &officer, &json!({"reason": "revoked", "effective_on": "2027-03-20"})).await;
    assert_eq!((r.status, r.body["remaining"].as_i64()), (StatusCode::OK, Some(0)));
    // Recorded in error: the unit comes back (as DELETE does).
    let r = app.post(&end("WP-3"), &officer, &json!({"reason": "recorded_in_error"})).await;
    assert_eq!((r.status, r.body["used"].as_i64(), r.body["remaining"].as_i64()), (StatusCode::OK, Some(2), Some(1)));
    assert_eq!(app.post(&permits(), &officer, &permit("WP-4", "F")).await.status, StatusCode::CREATED);
    assert_eq!(
        app.post(&end("WP-404"), &officer, &json!({"reason": "revoked", "effective_on": "2027-03-20"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&end("WP-4"), &admin, &json!({"reason": "recorded_in_error"})).await.status,
        StatusCode::FORBIDDEN
    );

    // The public figures: per activity and in total, exempt permits apart,
    // the activity outside the quota shown for its exempt permit.
    let q = app.send(Method::GET, &format!("/api/v1/quotas/{Y}"), None, None, &[]).await;
    let rows = q.body["activities"].as_array().unwrap();
    let f = rows.iter().find(|a| a["economic_activity"] == "F").unwrap();
    assert_eq!((f["used"].as_i64(), f["ended"].as_i64(), f["exempt"].as_i64()), (Some(3), Some(2), Some(0)));
    let qrow = rows.iter().find(|a| a["economic_activity"] == "Q").unwrap();
    assert_eq!(
        (qrow["in_quota"].as_bool(), qrow["exempt"].as_i64(), qrow["approved"].as_i64()),
        (Some(false), Some(1), Some(0))
    );
    assert_eq!(q.body["totals"], json!({"approved": 4, "used": 3, "remaining": 1, "exempt": 1, "ended": 2}));
}

/// The grounds seed 003 fn 17 names are exemption categories of their own
/// (SPEC §16.1.8), in a new database and in one made before they were.
#[tokio::test]
async fn the_exemption_grounds_of_the_seeds_are_kept_apart() {
    let app = spawn().await;
    // A database of the first release: the new grounds are missing until the
    // built-in data is seeded again (as every start does).
    {
        use diesel::prelude::*;
        let gone = ["sailor", "religious_official"];
        app.db
            .write(|c| {
                diesel::sql_query(format!(
                    "DELETE FROM exemption_categories WHERE code IN ('{}', '{}')",
                    gone[0], gone[1]
                ))
                .execute(c)
                .map_err(persistence::StoreError::from)
            })
            .unwrap();
        app.db.write(persistence::reference::seed_builtin).unwrap();
    }
    let r = app.get("/api/v1/exemption-categories?per_page=100", &app.officer()).await;
    let codes: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    for code in [
        "international_organisation",
        "diplomatic_mission",
        "media_representative",
        "sailor",
        "invited_academic",
        "invited_artist",
        "religious_official",
        "other_article_64",
        "liberated_territories",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
}

/// SPEC §16.1.4 with §5.3: amendments lowering an activity and permits
/// taking its units at the same time never leave `used` above `approved`,
/// and every permit acknowledged is counted.
#[tokio::test]
async fn amendments_and_permits_racing_on_one_activity_never_overdraw_it() {
    let app = spawn().await;
    seed(&app).await;
    let (commission, admin, officer) = (app.token(&[domain::role::Role::Commission], None), app.admin(), app.officer());
    assert_eq!(app.post(&plan(""), &commission, &json!(null)).await.status, StatusCode::CREATED);
    assert_eq!(step(&app, "propose", &commission, None).await.status, StatusCode::OK);
    let approved =
        json!({"entries": [{"economic_activity": "F", "approved": 30}, {"economic_activity": "A", "approved": 1}]});
    assert_eq!(app.put(&plan(""), &admin, &approved).await.status, StatusCode::OK);
    assert_eq!(step(&app, "approve", &admin, None).await.status, StatusCode::OK);

    let mut tasks = Vec::new();
    for i in 0..40 {
        let (app_base, client, token) = (app.base.clone(), app.client.clone(), officer.clone());
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(format!("{app_base}{}", permits()))
                .bearer_auth(token)
                .json(&permit(&format!("WP-R{i}"), "F"))
                .send()
                .await
                .unwrap();
            ("permit", r.status())
        }));
    }
    for (i, n) in [25, 20, 15, 10, 5, 28, 12, 30].into_iter().enumerate() {
        let (app_base, client, token) = (app.base.clone(), app.client.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"order_number": format!("{i}s"), "order_date": "2026-05-15",
                "entries": [{"economic_activity": "F", "approved": n}]});
            let r = client
                .post(format!("{app_base}{}", plan("/amendments")))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            ("amendment", r.status())
        }));
    }
    let mut recorded = 0;
    for t in tasks {
        let (kind, status) = t.await.unwrap();
        match (kind, status) {
            ("permit", StatusCode::CREATED) => recorded += 1,
            ("permit", StatusCode::CONFLICT) | ("amendment", StatusCode::CREATED) => {}
            ("amendment", StatusCode::UNPROCESSABLE_ENTITY) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    let p = app.get(&plan(""), &admin).await;
    let f = p.body["entries"].as_array().unwrap().iter().find(|e| e["economic_activity"] == "F").unwrap().clone();
    let (used, approved) = (f["used"].as_i64().unwrap(), f["approved"].as_i64().unwrap());
    assert!(used <= approved, "used {used} > approved {approved}");
    assert_eq!(used, recorded, "every acknowledged permit is counted");
    // Each amendment left its number as the activity's quota in its turn:
    // the last one's is the one standing.
    let list = app.get(&plan("/amendments?per_page=100"), &admin).await;
    if let Some(last) = list.body["items"].as_array().unwrap().last() {
        assert_eq!(last["entries"][0]["approved"].as_i64(), Some(approved));
    }
}
