//! Reference data lookups (SPEC §6).

use quota_tests::*;
use reqwest::StatusCode;

#[tokio::test]
async fn occupations_are_found_by_code_prefix_and_by_words() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let r = app.get("/api/v1/occupations?q=ipekcilik", &t).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["items"][0]["code"], "6123");
    assert_eq!(r.body["items"][0]["title"], "Fermer, ipəkçilik");
    let r = app.get("/api/v1/occupations?q=XARICI%20SUVAQ", &t).await;
    assert_eq!(r.body["items"][0]["code"], "7123");
    let r = app.get("/api/v1/occupations?code=110&per_page=100", &t).await;
    assert_eq!(r.body["total"], 20, "0110 with its military titles");
    let r = app.get("/api/v1/occupations?code=71", &t).await;
    assert!(r.body["items"].as_array().unwrap().iter().all(|i| i["code"].as_str().unwrap().starts_with("71")));
    let all = app.get("/api/v1/occupations?per_page=1", &t).await;
    assert!(all.body["total"].as_i64().unwrap() >= 436);
    let r = app.get("/api/v1/occupations?code=7x", &t).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn economic_activities_are_sections_with_divisions() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let r = app.get("/api/v1/economic-activities?per_page=100", &t).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 109);
    assert_eq!(r.body["items"][0]["code"], "A");
    assert_eq!(r.body["items"][0]["level"], "section");
    assert_eq!(r.body["items"][1]["parent"], "A");
}
