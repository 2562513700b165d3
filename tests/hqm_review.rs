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
