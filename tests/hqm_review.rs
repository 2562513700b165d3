//! An HQM review that always has a way forward (SPEC §16.4): evidence asked
//! for and added during the review, extensions counted from today when
//! late, deadlines counted provisionally into a year whose holidays are not
//! published, and recounted when they are.

use crate::hqm::{path, submitted, upload, JPEG, PDF, PNG};
use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn history_actions(app: &TestApp, id: &str) -> Vec<Value> {
    let h = app.get(&format!("{}/history?per_page=100", path(id)), &app.officer()).await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.body);
    h.body["items"].as_array().unwrap().clone()
}

/// An officer who needs more evidence asks for it; the applicant adds it
/// during the review, marked as added after submission, until the review
/// deadline; the request and the upload are in the trail, and the applicant
/// is told in the application's language.
#[tokio::test]
async fn hqm_an_officer_asks_for_documents_and_the_applicant_adds_them_during_the_review() {
    let app = spawn().await;
    let ayse = app.applicant("applicant-ayse");
    let id = submitted(&app, &ayse, "tr").await;
    let ask = format!("{}/request-documents", path(&id));
    let body =
        json!({"reason": "The diploma's apostille is missing.", "kinds": ["qualification", "other", "qualification"]});

    // Only an officer asks, with a reason and known kinds.
    assert_eq!(app.post(&ask, &ayse, &body).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&ask, &app.assessor("education"), &body).await.status, StatusCode::FORBIDDEN);
    let r = app.post(&ask, &app.officer(), &json!({"reason": " ", "kinds": ["diploma"]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.error_codes(),
        [("reason".to_owned(), "required".to_owned()), ("kinds[0]".to_owned(), "kind_unknown".to_owned())]
    );
    let r = app.post(&ask, &app.officer(), &json!({"reason": "Why", "kinds": []})).await;
    assert_eq!(r.error_codes(), [("kinds".to_owned(), "required".to_owned())]);

    // Before any request nothing is added.
    let r = upload(&app, &ayse, &id, "qualification", "application/pdf", PDF).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/documents-not-requested");
    assert_eq!(r.body["requested_kinds"], json!([]));

    // A stale If-Match is refused; the request under an Idempotency-Key is made once.
    let stale = app.send(Method::POST, &ask, Some(&app.officer()), Some(&body), &[("If-Match", "\"1\"")]).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
    let key = [("Idempotency-Key", "ask-apostille-1")];
    let r = app.send(Method::POST, &ask, Some(&app.officer()), Some(&body), &key).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let again = app.send(Method::POST, &ask, Some(&app.officer()), Some(&body), &key).await;
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(r.body["document_requests"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["document_requests"][0]["kinds"], json!(["qualification", "other"]));
    assert_eq!(r.body["document_requests"][0]["reason"], "The diploma's apostille is missing.");

    // A kind not asked for is still refused, naming what was asked for.
    let r = upload(&app, &ayse, &id, "passport", "application/pdf", PDF).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["requested_kinds"], json!(["qualification", "other"]));
    // The kind asked for is added, marked, and never altered; the drafts'
    // documents are not marked.
    let r = upload(&app, &ayse, &id, "qualification", "image/jpeg", JPEG).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["added_after_submission"], true);
    let doc = r.header("location").unwrap();
    assert_eq!(app.fetch(&doc, Some(&app.officer())).await, JPEG);
    assert_eq!(app.delete(&doc, &ayse).await.status, StatusCode::CONFLICT, "never removed under review");
    let a = app.get(&path(&id), &ayse).await;
    let marks: Vec<(String, bool)> = a.body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].as_str().unwrap().to_owned(), d["added_after_submission"].as_bool().unwrap()))
        .collect();
    assert_eq!(marks, [("passport".into(), false), ("qualification".into(), false), ("qualification".into(), true)]);
    assert_eq!(
        app.db
            .read({
                let id = id.clone();
                move |c| persistence::hqm::documents(c, &id)
            })
            .unwrap()
            .iter()
            .filter(|d| d.added_after_submission)
            .count(),
        1,
        "marked in the database"
    );

    // The trail, and the e-mail in Turkish.
    let h = history_actions(&app, &id).await;
    let actions: Vec<&str> = h.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[actions.len() - 2..], ["request_documents", "upload_document"]);
    let req = &h[h.len() - 2];
    assert_eq!(
        (req["role"].as_str(), req["reason"].as_str()),
        (Some("officer"), Some("The diploma's apostille is missing."))
    );
    assert!(req["after"].as_str().unwrap().ends_with("qualification,other"));
    assert!(h[h.len() - 1]["after"].as_str().unwrap().ends_with("added_after_submission"));
    let mail = app.outbox_to("ayse.tr@example.com");
    let asked = mail.iter().find(|m| m.kind == "hqm_documents_requested").expect("the request is e-mailed");
    assert!(asked.subject.contains("ek belgeler"), "{}", asked.subject);
    assert!(asked.body.contains("nitelik belgesi") && asked.body.contains("apostille"), "{}", asked.body);
    assert!(asked.body.contains(a.body["review_deadline"].as_str().unwrap()));

    // After the deadline's day nothing more is added.
    let deadline = a.body["review_deadline"].as_str().unwrap().to_owned();
    app.clock.set(format!("{deadline}T19:59:00Z").parse().unwrap());
    let r = upload(&app, &ayse, &id, "other", "image/png", PNG).await;
    assert_eq!(r.status, StatusCode::CREATED, "the deadline's day counts in full: {}", r.body);
    app.clock.set(format!("{deadline}T20:01:00Z").parse().unwrap());
    let r = upload(&app, &ayse, &id, "other", "application/pdf", PDF).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/review-deadline-passed");
    assert_eq!(r.body["deadline"], deadline.as_str());

    // Once decided, nothing is asked for.
    let other = submitted(&app, &app.applicant("applicant-ivan"), "ru").await;
    let o = app.post(&format!("{}/objections", path(&other)), &app.assessor("sms"), &json!({"reason": "No."})).await;
    assert_eq!(o.status, StatusCode::CREATED);
    assert_eq!(crate::hqm::decide(&app, &other).await.status, StatusCode::OK);
    let r = app.post(&format!("{}/request-documents", path(&other)), &app.officer(), &body).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["type"], "/problems/application-action-not-allowed");
}

/// An extension of an overdue review counts from today (SPEC §16.4.3): the
/// new deadline is the 10th business day after today, not a day already past.
#[tokio::test]
async fn hqm_a_late_extension_counts_from_today() {
    let app = spawn().await;
    let id = submitted(&app, &app.applicant("applicant-ayse"), "en").await;
    assert_eq!(app.get(&path(&id), &app.officer()).await.body["review_deadline"], "2026-06-18");
    // Monday 20 July 2026, a month past the deadline.
    app.clock.set("2026-07-20T08:00:00Z".parse().unwrap());
    assert_eq!(app.get(&path(&id), &app.officer()).await.body["overdue"], true);
    let reason = json!({"reason": "The employer's reference is still awaited."});
    let r = app.post(&format!("{}/extend", path(&id)), &app.officer(), &reason).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // 21–24 and 27–31 July, then Monday 3 August is the 10th business day.
    assert_eq!(r.body["review_deadline"], "2026-08-03");
    assert_eq!(r.body["overdue"], false);
    let h = history_actions(&app, &id).await;
    let ext = h.iter().find(|e| e["action"] == "extend").unwrap();
    assert_eq!((ext["before"].as_str(), ext["after"].as_str()), (Some("2026-06-18"), Some("2026-08-03")));
    // On time, extensions still stack from the deadline.
    let r = app.post(&format!("{}/extend", path(&id)), &app.officer(), &reason).await;
    assert_eq!(r.body["review_deadline"], "2026-08-17");
}

/// SPEC §16.4.4, the story of issue 21: a review extended 25 times runs
/// into a year whose holiday list is not published. No extension is
/// refused; the deadline is marked provisional, and when admin publishes the
/// year it is counted again: a list that moves nothing only clears the mark,
/// a list with one more day off moves the deadline, with a history entry
/// and an e-mail to the applicant.
#[tokio::test]
async fn hqm_25_extensions_into_an_unpublished_year_are_provisional_and_recounted_when_published() {
    let app = spawn().await;
    // The server started in May 2026 with the lists of 2026 and 2027.
    assert_eq!(app.get("/api/v1/holidays/2028", &app.officer()).await.status, StatusCode::NOT_FOUND);
    app.clock.set("2027-01-15T08:00:00Z".parse().unwrap());
    let id = submitted(&app, &app.applicant("applicant-ayse"), "az").await;
    let quiet = submitted(&app, &app.applicant("applicant-ivan"), "ru").await;
    let a = app.get(&path(&id), &app.officer()).await;
    assert_eq!(a.body["review_deadline_provisional"], false);
    let reason = json!({"reason": "Awaiting the sectoral body's inquiry abroad."});
    let mut last = Value::Null;
    for n in 1..=25 {
        let r = app.post(&format!("{}/extend", path(&id)), &app.officer(), &reason).await;
        assert_eq!(r.status, StatusCode::OK, "extension {n}: {}", r.body);
        last = r.body;
    }
    let deadline = last["review_deadline"].as_str().unwrap().to_owned();
    assert!(deadline.starts_with("2028-"), "{deadline}");
    assert!(deadline.as_str() > "2028-01-05", "{deadline}");
    assert_eq!(last["review_deadline_provisional"], true);
    let listed = app.get("/api/v1/hqm-applications", &app.officer()).await;
    let row = listed.body["items"].as_array().unwrap().iter().find(|i| i["id"] == id.as_str()).unwrap().clone();
    assert_eq!(row["review_deadline_provisional"], true);
    let mail = app.outbox_to("ayse.az@example.com");
    assert!(mail.last().unwrap().body.contains("ilkindir"), "the e-mail says so: {}", mail.last().unwrap().body);
    let etag = app.get(&path(&id), &app.officer()).await.header("etag").unwrap();

    // Admin publishes 2028 with just the days the count assumed: the day
    // stays, the mark goes, and the applicant is not e-mailed.
    let assumed = [
        "2028-01-03",
        "2028-01-04",
        "2028-03-08",
        "2028-05-09",
        "2028-05-29",
        "2028-06-15",
        "2028-06-26",
        "2028-11-08",
        "2028-11-09",
    ];
    let days = |extra: &[&str]| -> Value {
        let mut all: Vec<&str> = assumed.to_vec();
        all.extend_from_slice(extra);
        json!({"year": 2028, "days": all.iter().map(|d| json!({"date": d, "name": "Bayram"})).collect::<Vec<_>>()})
    };
    let mails = app.outbox_to("ayse.az@example.com").len();
    let r = app.put("/api/v1/holidays/2028", &app.admin(), &days(&[])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a = app.get(&path(&id), &app.officer()).await;
    assert_eq!(
        (a.body["review_deadline"].as_str(), a.body["review_deadline_provisional"].as_bool()),
        (Some(deadline.as_str()), Some(false))
    );
    assert_ne!(a.header("etag").unwrap(), etag, "the application changed");
    assert_eq!(app.outbox_to("ayse.az@example.com").len(), mails, "nothing moved, nobody told");

    // The Cabinet adds a day off on Wednesday 5 January 2028: the deadline
    // moves one business day later.
    let r = app.put("/api/v1/holidays/2028", &app.admin(), &days(&["2028-01-05"])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a = app.get(&path(&id), &app.officer()).await;
    let moved = a.body["review_deadline"].as_str().unwrap().to_owned();
    assert!(moved > deadline, "{moved} after {deadline}");
    assert_eq!(a.body["review_deadline_provisional"], false);
    let h = history_actions(&app, &id).await;
    let recounts: Vec<&Value> = h.iter().filter(|e| e["action"] == "recount_deadline").collect();
    assert_eq!(recounts.len(), 2);
    assert_eq!(
        (recounts[1]["before"].as_str(), recounts[1]["after"].as_str()),
        (Some(deadline.as_str()), Some(moved.as_str()))
    );
    assert_eq!((recounts[1]["role"].as_str(), recounts[1]["reason"].as_str()), (Some("admin"), Some("holidays 2028")));
    assert_eq!(h.iter().filter(|e| e["action"] == "extend").count(), 25);
    let mail = app.outbox_to("ayse.az@example.com");
    let told = mail.last().unwrap();
    assert_eq!(told.kind, "hqm_deadline_recounted");
    assert!(told.body.contains(&moved) && told.body.contains(&deadline), "{}", told.body);

    // The application due in February 2027 is not touched.
    let h = history_actions(&app, &quiet).await;
    assert!(h.iter().all(|e| e["action"] != "recount_deadline"));
}
