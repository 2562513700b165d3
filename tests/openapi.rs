//! The committed OpenAPI document equals the served one (SPEC §9).

use quota_tests::*;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn the_committed_document_is_the_served_one() {
    let app = spawn().await;
    let r = app.client.request(Method::GET, format!("{}/api-docs/openapi.json", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let served = r.text().await.unwrap();
    let committed = include_str!("../openapi/openapi.json");
    assert!(
        served == committed,
        "openapi/openapi.json is stale: regenerate it with `cargo run -q -p api -- openapi > openapi/openapi.json`"
    );
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for (path, method) in [
        ("/api/v1/forecasts", "post"),
        ("/api/v1/forecasts/{id}", "put"),
        ("/api/v1/forecasts/{id}/lines/{line_id}", "delete"),
        ("/api/v1/forecasts/{id}/return", "post"),
        ("/api/v1/campaigns/{year}", "put"),
        ("/api/v1/occupations", "get"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} documented");
        assert!(op["responses"]["422"].is_object(), "{method} {path} documents its problems");
    }
}
