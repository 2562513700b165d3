//! What fuzzing the API from its own document found (scripts/fuzz.sh), kept
//! as stories: each was an answer that disagreed with the document.

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn an_erp_that_writes_whole_numbers_with_a_fraction_part_is_understood() {
    // JSON Schema counts 3.0 as an integer, and some ERP exports write every
    // number as a float: the document says `integer`, so 3.0 is one.
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let mut body = forecast_body(TIN_A, json!([line("7123", "Bənna, xarici suvaq", 3, 2)]));
    body["lines"][0]["demand_total"] = json!(3.0);
    body["lines"][0]["demand_foreigners"] = json!(2e0);
    body["employer"]["employees_total"] = json!(120.0);
    let r = app.post("/api/v1/forecasts", &t, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["lines"][0]["demand_total"], 3);
    assert_eq!(r.body["lines"][0]["demand_foreigners"], 2);
    assert_eq!(r.body["employer"]["employees_total"], 120);
    // A fraction is still not a headcount.
    let mut half = forecast_body(TIN_B, json!([line("7123", "Bənna, xarici suvaq", 3, 2)]));
    half["lines"][0]["demand_total"] = json!(2.5);
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_B), &half).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_codes(), vec![("lines[0].demand_total".to_owned(), "invalid_type".to_owned())]);
}

#[tokio::test]
async fn a_key_holding_a_control_character_is_named_without_sending_it_back() {
    // The problem names the refused key; it must not carry the control
    // character itself to the caller's logs and terminals.
    let app = spawn().await;
    let mut body = forecast_body(TIN_A, two_lines());
    body["employer"]["x\u{1b}[2J"] = json!(1);
    let r = app
        .client
        .post(format!("{}/api/v1/forecasts", app.base))
        .bearer_auth(app.employer(TIN_A))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = r.json().await.unwrap();
    fn texts(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| texts(v, out)),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
                out.push(k.clone());
                texts(v, out)
            }),
            _ => {}
        }
    }
    let mut all = Vec::new();
    texts(&problem, &mut all);
    assert!(all.iter().all(|s| !s.chars().any(|c| c.is_ascii_control() && c != '\n')), "{problem}");
    assert_eq!(problem["errors"][0]["field"], "employer.x\\u001B[2J");
    assert_eq!(problem["errors"][0]["code"], "control_character");
}

#[tokio::test]
async fn a_long_if_none_match_list_is_compared_not_refused() {
    // A cache may send every tag it holds: a list longer than any one tag
    // (within the documented 4,096 characters) still matches.
    let app = spawn().await;
    let t = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");
    let tag = app.get(&path, &t).await.header("etag").unwrap();
    let mut list: Vec<String> = (100..160).map(|v| format!("\"{v}\"")).collect();
    list.push(tag);
    let list = list.join(", ");
    assert!(list.len() > 255);
    let r = app.send(Method::GET, &path, Some(&t), None, &[("If-None-Match", &list)]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    let stale = (100..160).map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ");
    let r = app.send(Method::GET, &path, Some(&t), None, &[("If-None-Match", &stale)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Beyond the documented 4,096 characters the header is refused by name.
    let long = "0".repeat(4097);
    let r = app.send(Method::GET, &path, Some(&t), None, &[("If-None-Match", &long)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes(), [("If-None-Match".to_owned(), "length".to_owned())]);
}
