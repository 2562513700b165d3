//! Titles as people type them (SPEC §16.5): a title matches its code once
//! case, spacing and the Azerbaijani letters are folded, and is stored as the
//! classification spells it; a mismatch names the title to send; search
//! finds titles typed with `a` or `e` for `ə` and one letter off.

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_title_typed_without_its_letters_is_filed_as_the_classification_spells_it() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let lines = json!([line("7123", "BENNA,  XARICI SUVAQ", 3, 3), line("6123", " fermer,ipekcilik ", 1, 1)]);
    let r = app.post("/api/v1/forecasts", &emp, &forecast_body(TIN_A, lines)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["lines"][0]["occupation_title"], "Bənna, xarici suvaq");
    assert_eq!(r.body["lines"][1]["occupation_title"], "Fermer, ipəkçilik");
    let id = r.body["id"].as_str().unwrap().to_owned();

    // A title that is not the code's names the one to send, in every language.
    let lines = format!("/api/v1/forecasts/{id}/lines");
    let typed = line("0110", "mayor aviasiya", 1, 1);
    let r = app.post(&lines, &emp, &typed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), [("occupation_title".to_owned(), "occupation_title_mismatch".to_owned())]);
    assert_eq!(r.body["errors"][0]["expected"], "Mayor, aviasiya", "{}", r.body);
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("\"Mayor, aviasiya\""), "{}", r.body);
    let r = app.send(Method::POST, &lines, Some(&emp), Some(&typed), &[("Accept-Language", "az")]).await;
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("ən yaxını: \"Mayor, aviasiya\""), "{}", r.body);
    // Sent as the error says, it is in.
    let mut corrected = typed.clone();
    corrected["occupation_title"] = r.body["errors"][0]["expected"].clone();
    let r = app.post(&lines, &emp, &corrected).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // `a` for `ə` is a slip search forgives, not a title (SPEC §16.5 folds ə to e).
    let mut body = forecast_body(TIN_B, json!([line("7123", "Banna, xarici suvaq", 1, 1)]));
    body["submit"] = json!(true);
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_B), &body).await;
    assert_eq!(r.error_codes(), [("lines[0].occupation_title".to_owned(), "occupation_title_mismatch".to_owned())]);
    assert_eq!(r.body["errors"][0]["expected"], "Bənna, xarici suvaq");
    // An ERP's filing in one step (one statement on PostgreSQL) stores the
    // classification's spelling as well.
    body["lines"][0]["occupation_title"] = json!("Benna, xarici suvaq");
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_B), &body).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::CREATED, Some("submitted")), "{}", r.body);
    let id = r.body["id"].as_str().unwrap();
    let stored = app.get(&format!("/api/v1/forecasts/{id}"), &app.officer()).await;
    assert_eq!(stored.body["lines"][0]["occupation_title"], "Bənna, xarici suvaq");
}

#[tokio::test]
async fn search_finds_a_title_typed_with_a_or_e_for_schwa_or_one_letter_off() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    // The guideline's own "Banna" and "Bəna", and other slips.
    for q in ["banna", "Banna", "b%C9%99na", "bena", "bennna", "benna%20xarici", "banna%20suvag"] {
        let r = app.get(&format!("/api/v1/occupations?q={q}"), &t).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["items"][0]["code"], "7123", "{q}: {}", r.body);
        assert_eq!(r.body["items"][0]["title"], "Bənna, xarici suvaq", "{q}");
    }
    let r = app.get("/api/v1/occupations?q=telers", &t).await;
    assert_eq!(r.body["items"][0]["code"], "4211", "a letter missing: {}", r.body);
    // Two letters off is another word.
    assert_eq!(app.get("/api/v1/occupations?q=bxnnx", &t).await.body["total"], 0);
}
