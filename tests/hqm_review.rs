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
    assert_eq!(
        marks,
        [
            ("passport".into(), false),
            ("qualification".into(), false),
            ("income_statement".into(), false),
            ("qualification".into(), true)
        ]
    );
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

/// Evidence for the criteria (SPEC §16.4.6): the education's language of
/// study, degree, country and accreditation are kept; a certificate expired
/// on the submission date is shown invalid; language points need a valid
/// B2 certificate or studies in az/tr/en/ru, financial points an income or
/// bank statement; what is missing is named, and asking for it unblocks.
#[tokio::test]
async fn hqm_language_and_financial_points_need_their_evidence() {
    let app = spawn().await;
    let with = |token: &str, study: &str, expires: &str| {
        let mut b = crate::hqm::body("en");
        b["education"] = json!({"level": "master", "institution": "TU München", "study_language": study,
            "degree": "M.Sc. Informatik", "country": "DE", "accredited": true});
        b["language_certificates"] = json!([{"name": "IELTS", "level": "C1", "expires_on": expires}]);
        let _ = token;
        b
    };
    let ayse = app.applicant("applicant-ayse");
    let mut bad = with(&ayse, "EN", "2027-01-01");
    bad["education"]["country"] = json!("Germany");
    let r = app.post("/api/v1/hqm-applications", &ayse, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let codes: Vec<(String, String)> = r.error_codes();
    assert!(codes.contains(&("education.study_language".into(), "language_code_format".into())), "{codes:?}");
    assert!(codes.contains(&("education.country".into(), "country_format".into())), "{codes:?}");

    // Studied in German, with a certificate that expired five days before
    // the submission (15 May 2026).
    let r = app.post("/api/v1/hqm-applications", &ayse, &with(&ayse, "de", "2026-05-10")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["education"]["study_language"], "de");
    assert_eq!(r.body["education"]["degree"], "M.Sc. Informatik");
    assert_eq!(
        (r.body["education"]["country"].as_str(), r.body["education"]["accredited"].as_bool()),
        (Some("DE"), Some(true))
    );
    assert_eq!(r.body["language_certificates"][0]["valid"], false);
    for kind in ["passport", "qualification"] {
        assert_eq!(upload(&app, &ayse, &id, kind, "application/pdf", PDF).await.status, StatusCode::CREATED);
    }
    let r = app.send(Method::POST, &format!("{}/submit", path(&id)), Some(&ayse), None, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["language_certificates"][0]["valid"], false);

    let r = crate::hqm::score(&app, &id, "language_skills", "education", 3).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/criterion-evidence-missing");
    assert_eq!(r.body["criterion"], "language_skills");
    assert_eq!(r.body["missing_evidence"], json!(["language_certificate", "study_language"]));
    let ru = app
        .send(
            Method::PUT,
            &format!("{}/scores/language_skills", path(&id)),
            Some(&app.assessor("education")),
            Some(&json!({"points": 3, "justification": "C1"})),
            &[("Accept-Language", "ru")],
        )
        .await;
    assert!(ru.body["detail"].as_str().unwrap().contains("language_skills"), "{}", ru.body);
    assert_eq!(crate::hqm::score(&app, &id, "language_skills", "education", 0).await.status, StatusCode::OK);

    // No financial document yet: refused; the officer asks for a bank
    // statement, the applicant adds it, and the points are given.
    let r = crate::hqm::score(&app, &id, "financial_stability", "sms", 10).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["missing_evidence"], json!(["income_statement", "bank_statement"]));
    let ask = json!({"reason": "Funds of the past two years.", "kinds": ["bank_statement", "income_statement"]});
    assert_eq!(
        app.post(&format!("{}/request-documents", path(&id)), &app.officer(), &ask).await.status,
        StatusCode::OK
    );
    let r = upload(&app, &ayse, &id, "bank_statement", "application/pdf", PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = crate::hqm::score(&app, &id, "financial_stability", "sms", 10).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mail = app.outbox_to("ayse.en@example.com");
    assert!(mail.iter().any(|m| m.body.contains("bank account statement")), "the kinds named in English");

    // Studied in Turkish: language points with no certificate at all.
    let ivan = app.applicant("applicant-ivan");
    let mut b = with(&ivan, "tr", "2027-01-01");
    b["language_certificates"] = json!([]);
    let r = app.post("/api/v1/hqm-applications", &ivan, &b).await;
    let other = r.body["id"].as_str().unwrap().to_owned();
    for kind in ["passport", "qualification", "income_statement"] {
        assert_eq!(upload(&app, &ivan, &other, kind, "application/pdf", PDF).await.status, StatusCode::CREATED);
    }
    assert_eq!(
        app.send(Method::POST, &format!("{}/submit", path(&other)), Some(&ivan), None, &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(crate::hqm::score(&app, &other, "language_skills", "education", 5).await.status, StatusCode::OK);
    assert_eq!(crate::hqm::score(&app, &other, "financial_stability", "sms", 15).await.status, StatusCode::OK);
    // A valid B2 certificate alone is enough, too (the default body's IELTS C1 until 2027).
    let third = submitted(&app, &app.applicant("applicant-omar"), "az").await;
    assert_eq!(crate::hqm::score(&app, &third, "language_skills", "education", 4).await.status, StatusCode::OK);
}

fn contact(email: &str, en: &str) -> Value {
    json!({"email": email, "titles": {"az": format!("{en} (az)"), "en": en, "ru": format!("{en} (ru)"), "tr": format!("{en} (tr)")}})
}

/// The authorities are told (SPEC §16.4.2): admin keeps their contacts; an
/// application entering the queue is e-mailed to each; 5 business days
/// before the deadline an authority with criteria unscored is reminded,
/// once; `pending_authority` lists what waits for it, oldest deadline first.
#[tokio::test]
async fn hqm_authorities_are_told_of_their_queue_and_reminded_before_the_deadline() {
    let app = spawn().await;
    let economy = contact("hqm@economy.gov.az", "Ministry of Economy");
    assert_eq!(
        app.put("/api/v1/hqm-authorities/economy", &app.officer(), &economy).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.put("/api/v1/hqm-authorities/defence", &app.admin(), &economy).await.status, StatusCode::NOT_FOUND);
    let mut bad = economy.clone();
    bad["email"] = json!("not-an-address");
    bad["titles"]["tr"] = json!(" ");
    let r = app.put("/api/v1/hqm-authorities/economy", &app.admin(), &bad).await;
    assert_eq!(
        r.error_codes(),
        [("email".to_owned(), "email_format".to_owned()), ("titles.tr".to_owned(), "required".to_owned())]
    );
    let r = app.put("/api/v1/hqm-authorities/economy", &app.admin(), &economy).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["code"].as_str(), r.body["titles"]["en"].as_str()),
        (Some("economy"), Some("Ministry of Economy"))
    );
    let labour = contact("hqm@labour.gov.az", "Ministry of Labour");
    assert_eq!(app.put("/api/v1/hqm-authorities/labour", &app.admin(), &labour).await.status, StatusCode::OK);
    let list = app.get("/api/v1/hqm-authorities", &app.officer()).await;
    let codes: Vec<&str> = list.body["items"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["economy", "labour"]);

    // Submitted on 15 May 2026 (due 18 June), and another on 20 May.
    let first = submitted(&app, &app.applicant("applicant-ayse"), "en").await;
    app.clock.set("2026-05-20T08:00:00Z".parse().unwrap());
    let second = submitted(&app, &app.applicant("applicant-ivan"), "ru").await;
    let queued = app.outbox_to("hqm@economy.gov.az");
    assert_eq!(queued.len(), 2, "one e-mail per application entering the queue");
    assert!(queued.iter().all(|m| m.kind == "hqm_authority_queued"));
    assert!(
        queued[0].body.contains("national_priorities") && queued[0].body.contains("2026-06-18"),
        "{}",
        queued[0].body
    );
    assert_eq!(app.outbox_to("hqm@labour.gov.az").len(), 2);

    // What waits for the Ministry of Economy, oldest deadline first.
    let q = app.get("/api/v1/hqm-applications?pending_authority=economy", &app.assessor("economy")).await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    let ids: Vec<&str> = q.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [first.as_str(), second.as_str()]);
    let r = app.get("/api/v1/hqm-applications?pending_authority=defence", &app.officer()).await;
    assert_eq!(r.error_codes(), [("pending_authority".to_owned(), "invalid".to_owned())]);

    // Labour scores the first; economy does not.
    let r = crate::hqm::score(&app, &first, "labour_market_impact", "labour", 7).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let q = app.get("/api/v1/hqm-applications?pending_authority=labour", &app.officer()).await;
    assert_eq!(q.body["total"], 1, "only the second waits for labour");

    // Wednesday 10 June is the 5th business day before 18 June (15 June is
    // a holiday): economy is reminded of the first, labour is not.
    app.clock.set("2026-06-09T08:00:00Z".parse().unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.outbox_to("hqm@economy.gov.az").len(), 2, "not yet");
    app.clock.set("2026-06-10T08:00:00Z".parse().unwrap());
    let reminded = eventually(10, || app.outbox_to("hqm@economy.gov.az").len() == 3).await;
    assert!(reminded, "economy reminded");
    let m = app.outbox_to("hqm@economy.gov.az").pop().unwrap();
    assert_eq!(m.kind, "hqm_authority_reminder");
    assert!(m.body.contains("national_priorities") && m.body.contains("2026-06-18"), "{}", m.body);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.outbox_to("hqm@economy.gov.az").len(), 3, "once");
    assert_eq!(app.outbox_to("hqm@labour.gov.az").len(), 2, "labour scored its criterion");
}

/// The sectoral body is the field's (SPEC §16.4.5): admin keeps the bodies
/// with their ISCO-08 groups and a default; a sectoral official's queue and
/// `work_experience` scores are limited to its body's fields (403
/// `wrong-authority` otherwise); without a `sector` claim it acts for the
/// default body.
#[tokio::test]
async fn hqm_a_sectoral_body_scores_only_its_own_field() {
    let app = spawn().await;
    // Before any body is kept, any sectoral official scores (as before).
    let ict_app = submitted(&app, &app.applicant("applicant-ayse"), "en").await; // 2512
    let sector = |groups: Value, default: bool| {
        let mut b = contact("unused@example.com", "Body");
        b.as_object_mut().unwrap().remove("email");
        b["isco_groups"] = groups;
        b["default"] = json!(default);
        b
    };
    assert_eq!(
        app.put("/api/v1/hqm-sectors/ict", &app.officer(), &sector(json!(["25"]), false)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.put("/api/v1/hqm-sectors/ict", &app.admin(), &sector(json!(["35", "25", "25"]), false)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["isco_groups"], json!(["25", "35"]));
    let r = app.put("/api/v1/hqm-sectors/health", &app.admin(), &sector(json!(["22", "25", "251"]), false)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.error_codes(),
        [
            ("isco_groups[1]".to_owned(), "isco_group_claimed".to_owned()),
            ("isco_groups[2]".to_owned(), "isco_group_format".to_owned())
        ]
    );
    assert_eq!(
        app.put("/api/v1/hqm-sectors/health", &app.admin(), &sector(json!(["22", "32"]), false)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.put("/api/v1/hqm-sectors/general", &app.admin(), &sector(json!([]), true)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.put("/api/v1/hqm-sectors/Bad%20Code", &app.admin(), &sector(json!([]), false)).await.status,
        StatusCode::NOT_FOUND
    );
    let list = app.get("/api/v1/hqm-sectors", &app.sectoral(Some("ict"))).await;
    let kept: Vec<(&str, bool)> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["code"].as_str().unwrap(), s["default"].as_bool().unwrap()))
        .collect();
    assert_eq!(kept, [("general", true), ("health", false), ("ict", false)]);

    // A physician's application (2211) and a bricklayer's (7112, no body's group).
    let mut b = crate::hqm::body("ru");
    b["field"] = json!({"occupation_code": "2211", "occupation_title": "Generalist medical practitioners"});
    let ivan = app.applicant("applicant-ivan");
    let health_app = app.post("/api/v1/hqm-applications", &ivan, &b).await.body["id"].as_str().unwrap().to_owned();
    b["field"] = json!({"occupation_code": "7112", "occupation_title": "Bricklayers and related workers"});
    let build_app = app.post("/api/v1/hqm-applications", &ivan, &b).await.body["id"].as_str().unwrap().to_owned();
    for id in [&health_app, &build_app] {
        for kind in ["passport", "qualification"] {
            assert_eq!(upload(&app, &ivan, id, kind, "application/pdf", PDF).await.status, StatusCode::CREATED);
        }
        let r = app.send(Method::POST, &format!("{}/submit", path(id)), Some(&ivan), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    let queue = |token: String| {
        let app = &app;
        async move {
            let q = app.get("/api/v1/hqm-applications?authority=sectoral", &token).await;
            assert_eq!(q.status, StatusCode::OK, "{}", q.body);
            let mut ids: Vec<String> =
                q.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
            ids.sort();
            ids
        }
    };
    let sorted = |v: &[&String]| {
        let mut v: Vec<String> = v.iter().map(|s| (*s).clone()).collect();
        v.sort();
        v
    };
    assert_eq!(queue(app.sectoral(Some("ict"))).await, sorted(&[&ict_app]));
    assert_eq!(queue(app.sectoral(Some("health"))).await, sorted(&[&health_app]));
    assert_eq!(queue(app.sectoral(None)).await, sorted(&[&build_app]), "the default body: unclaimed fields");
    assert_eq!(queue(app.officer()).await.len(), 3, "staff see every queue");

    let score = |id: &str, token: String| {
        let url = format!("{}/scores/work_experience", path(id));
        let app = &app;
        async move { app.put(&url, &token, &json!({"points": 30, "justification": "Twelve years in the field."})).await }
    };
    let r = score(&health_app, app.sectoral(Some("ict"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/wrong-authority");
    assert!(r.body["detail"].as_str().unwrap().contains("health"), "{}", r.body);
    assert_eq!(score(&health_app, app.sectoral(Some("health"))).await.status, StatusCode::OK);
    assert_eq!(score(&ict_app, app.sectoral(Some("ict"))).await.status, StatusCode::OK);
    assert_eq!(score(&ict_app, app.sectoral(None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(score(&build_app, app.sectoral(None)).await.status, StatusCode::OK);
    assert_eq!(score(&build_app, app.sectoral(Some("health"))).await.status, StatusCode::FORBIDDEN);
    // A claim of bad form is no token.
    let now = chrono::Utc::now().timestamp();
    let mut claims = api::auth::claims_for(&app.auth, "x", &[domain::role::Role::Assessor], None, now, 60);
    claims.authority = Some("sectoral".into());
    claims.sector = Some("Not A Code".into());
    let bad = api::auth::mint(&app.auth, &claims).unwrap();
    assert_eq!(app.get("/api/v1/hqm-applications", &bad).await.status, StatusCode::UNAUTHORIZED);
}
