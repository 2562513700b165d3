//! What browser front ends and polling ERP systems meet first: CORS,
//! conditional requests, the Swagger UI address as typed (issue 14).

use quota_tests::*;
use reqwest::{Method, StatusCode};

const PORTAL: &str = "https://portal.example.az";

#[tokio::test]
async fn a_front_end_on_an_allowed_origin_may_call_the_api_and_others_get_no_grant() {
    let app = spawn_with(Options { cors_origins: vec![PORTAL.into()], ..Default::default() }).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, format!("{}/api/v1/forecasts", app.base))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key, if-match")
            .send()
    };
    let ok = preflight(PORTAL).await.unwrap();
    assert!(ok.status().is_success(), "{}", ok.status());
    let h = ok.headers();
    assert_eq!(h["access-control-allow-origin"], PORTAL);
    let methods = h["access-control-allow-methods"].to_str().unwrap().to_owned();
    assert!(methods.contains("POST") && methods.contains("PUT") && methods.contains("DELETE"), "{methods}");
    let allowed = h["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    for name in ["authorization", "content-type", "idempotency-key", "if-match"] {
        assert!(allowed.contains(name), "{name} not in {allowed}");
    }

    let other = preflight("https://evil.example.com").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    assert!(other.status().is_client_error());
    assert_eq!(other.headers()["content-type"], "application/problem+json");

    // The actual request: the grant, and the headers a script may read.
    let emp = app.employer(TIN_A);
    let r = app
        .client
        .post(format!("{}/api/v1/forecasts", app.base))
        .bearer_auth(&emp)
        .header("Origin", PORTAL)
        .json(&forecast_body(TIN_A, two_lines()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["access-control-allow-origin"], PORTAL);
    let exposed = r.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    for name in ["etag", "location", "retry-after", "x-request-id"] {
        assert!(exposed.contains(name), "{name} not exposed: {exposed}");
    }
    // A refusal carries the grant too, so the page can read the problem.
    let r = app.client.get(format!("{}/api/v1/forecasts", app.base)).header("Origin", PORTAL).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["access-control-allow-origin"], PORTAL);
    // Another origin's request is served (a server does not block), without a grant.
    let r = app
        .client
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth(&emp)
        .header("Origin", "https://evil.example.com")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn without_configured_origins_no_origin_is_granted() {
    let app = spawn().await;
    let r = app
        .client
        .request(Method::OPTIONS, format!("{}/api/v1/forecasts", app.base))
        .header("Origin", PORTAL)
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    assert!(r.status().is_client_error());
}

#[tokio::test]
async fn polling_a_forecast_with_if_none_match_answers_304_until_it_changes() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");
    let got = app.get(&path, &emp).await;
    let tag = got.header("etag").unwrap();
    let r = app.send(Method::GET, &path, Some(&emp), None, &[("If-None-Match", &tag)]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert_eq!(r.header("etag").unwrap(), tag);
    assert_eq!(r.body, serde_json::Value::Null, "a 304 has no body");
    // A weak form of the same tag also matches (If-None-Match compares weakly).
    let weak = format!("W/{tag}");
    let r = app.send(Method::GET, &path, Some(&emp), None, &[("If-None-Match", &weak)]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    // After a change the same tag gets the new forecast.
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let r = app.send(Method::GET, &path, Some(&emp), None, &[("If-None-Match", &tag)]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "submitted");
    // Another employer learns nothing from a tag: 404 as always.
    let other = app.employer(TIN_B);
    let r = app.send(Method::GET, &path, Some(&other), None, &[("If-None-Match", &tag)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_weak_if_match_never_matches() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let r = app
        .send(Method::POST, &format!("/api/v1/forecasts/{id}/submit"), Some(&emp), None, &[("If-Match", "W/\"1\"")])
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    let r = app.get(&format!("/api/v1/forecasts/{id}"), &emp).await;
    assert_eq!(r.body["status"], "draft", "nothing changed");
    let r = app
        .send(Method::POST, &format!("/api/v1/forecasts/{id}/submit"), Some(&emp), None, &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn swagger_ui_without_the_slash_redirects() {
    let app = spawn().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = client.get(format!("{}/swagger-ui", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.headers()["location"], "/swagger-ui/");
    let page = client.get(format!("{}/swagger-ui/", app.base)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_location_of_a_new_api_client_can_be_read() {
    let app = spawn().await;
    let admin = app.admin();
    let r = app.post("/api/v1/api-clients", &admin, &serde_json::json!({"name": "ERP", "tin": TIN_A})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let location = r.header("location").unwrap();
    let got = app.get(&location, &admin).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(got.body, r.body["client"]);
    assert!(got.body.get("client_secret").is_none());
    assert_eq!(app.get(&location, &app.officer()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/api-clients/qc_unknown", &admin).await.status, StatusCode::NOT_FOUND);
}

/// An export answers a client that asks for its media type, and a decision
/// its PDF: `Accept` is not refused for naming what the operation answers.
#[tokio::test]
async fn an_export_answers_accept_of_its_own_media_type() {
    let app = spawn().await;
    let officer = app.officer();
    let r = app.send(Method::GET, "/api/v1/summaries/2027/csv", Some(&officer), None, &[("Accept", "text/csv")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let r = app.send(Method::GET, "/api/v1/summaries/2027/csv", Some(&officer), None, &[("Accept", "image/png")]).await;
    assert_eq!(r.status, StatusCode::NOT_ACCEPTABLE);
}
