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

/// The example a request body documents, as Swagger UI's "Try it out" fills
/// it in: the schema's whole `example`, or else one made of its properties'.
fn documented_example(doc: &serde_json::Value, path: &str, method: &str) -> serde_json::Value {
    let schema = &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    let name = schema["$ref"].as_str().unwrap_or_else(|| panic!("{method} {path} has a JSON body")).rsplit('/').next();
    let component = &doc["components"]["schemas"][name.unwrap()];
    if !component["example"].is_null() {
        return component["example"].clone();
    }
    let props = component["properties"].as_object().unwrap();
    let mut out = serde_json::Map::new();
    for (k, p) in props {
        let ex = &p["example"];
        assert!(!ex.is_null(), "{method} {path}: property {k} has no example and the schema none as a whole");
        out.insert(k.clone(), ex.clone());
    }
    serde_json::Value::Object(out)
}

/// Every JSON request body's documented example is accepted as it stands,
/// given the state its description names (issue 14: "Try it out" works).
#[tokio::test]
async fn every_documented_request_example_is_accepted() {
    use serde_json::json;
    let app = spawn().await;
    let doc: serde_json::Value =
        serde_json::from_slice(&app.fetch("/api-docs/openapi.json", None).await).expect("the document");
    let ex = |path: &str, method: &str| documented_example(&doc, path, method);
    let (admin, officer) = (app.admin(), app.officer());
    let commission = app.token(&[domain::role::Role::Commission], None);
    let emp = app.employer(TIN_A);
    let mut tried = std::collections::BTreeSet::new();
    let mut expect = |method: &str, path: &str, r: Resp, want: &[StatusCode]| {
        assert!(want.contains(&r.status), "{method} {path}: the documented example got {}: {}", r.status, r.body);
        tried.insert(format!("{method} {path}"));
    };

    let r = app.put("/api/v1/campaigns/2027", &admin, &ex("/api/v1/campaigns/{year}", "put")).await;
    expect("put", "/api/v1/campaigns/{year}", r, &[StatusCode::OK]);
    let r = app
        .put(
            "/api/v1/commission-inputs/2027/economy",
            &app.contributor("economy"),
            &ex("/api/v1/commission-inputs/{year}/{body_code}", "put"),
        )
        .await;
    expect("put", "/api/v1/commission-inputs/{year}/{body_code}", r, &[StatusCode::OK]);
    let r = app.post("/api/v1/forecasts", &emp, &ex("/api/v1/forecasts", "post")).await;
    let id = r.body["id"].as_str().unwrap_or_default().to_owned();
    expect("post", "/api/v1/forecasts", r, &[StatusCode::CREATED]);
    let f = format!("/api/v1/forecasts/{id}");
    let r = app.put(&f, &emp, &ex("/api/v1/forecasts/{id}", "put")).await;
    expect("put", "/api/v1/forecasts/{id}", r, &[StatusCode::OK]);
    let r = app.post(&format!("{f}/lines"), &emp, &ex("/api/v1/forecasts/{id}/lines", "post")).await;
    let line = r.header("location").unwrap_or_default();
    expect("post", "/api/v1/forecasts/{id}/lines", r, &[StatusCode::CREATED, StatusCode::OK]);
    let r = app.put(&line, &emp, &ex("/api/v1/forecasts/{id}/lines/{line_id}", "put")).await;
    expect("put", "/api/v1/forecasts/{id}/lines/{line_id}", r, &[StatusCode::OK]);
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let r = app.post(&format!("{f}/return"), &officer, &ex("/api/v1/forecasts/{id}/return", "post")).await;
    expect("post", "/api/v1/forecasts/{id}/return", r, &[StatusCode::OK]);
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let r = app.post(&format!("{f}/accept"), &officer, &ex("/api/v1/forecasts/{id}/accept", "post")).await;
    expect("post", "/api/v1/forecasts/{id}/accept", r, &[StatusCode::OK]);
    let r = app.post(&format!("{f}/reopen"), &officer, &ex("/api/v1/forecasts/{id}/reopen", "post")).await;
    expect("post", "/api/v1/forecasts/{id}/reopen", r, &[StatusCode::OK]);
    let r = app.post(&format!("{f}/reject"), &officer, &ex("/api/v1/forecasts/{id}/reject", "post")).await;
    expect("post", "/api/v1/forecasts/{id}/reject", r, &[StatusCode::OK]);

    let r = app.put("/api/v1/me/email", &app.unconfirmed_employer(TIN_B), &ex("/api/v1/me/email", "put")).await;
    expect("put", "/api/v1/me/email", r, &[StatusCode::ACCEPTED]);
    let r = app.post("/api/v1/api-clients", &admin, &ex("/api/v1/api-clients", "post")).await;
    expect("post", "/api/v1/api-clients", r, &[StatusCode::CREATED]);
    let r = app.put("/api/v1/exemption-categories/pr", &admin, &ex("/api/v1/exemption-categories/{code}", "put")).await;
    expect("put", "/api/v1/exemption-categories/{code}", r, &[StatusCode::OK, StatusCode::CREATED]);

    assert_eq!(app.post("/api/v1/quota-plans/2027", &commission, &json!(null)).await.status, StatusCode::CREATED);
    let r = app.put("/api/v1/quota-plans/2027", &commission, &ex("/api/v1/quota-plans/{year}", "put")).await;
    expect("put", "/api/v1/quota-plans/{year}", r, &[StatusCode::OK]);
    let plan = |action: &str| format!("/api/v1/quota-plans/2027/{action}");
    let propose_path = plan("propose");
    let propose = || app.send(Method::POST, &propose_path, Some(&commission), None, &[]);
    assert_eq!(propose().await.status, StatusCode::OK);
    let r = app.post(&plan("return"), &admin, &ex("/api/v1/quota-plans/{year}/return", "post")).await;
    expect("post", "/api/v1/quota-plans/{year}/return", r, &[StatusCode::OK]);
    assert_eq!(propose().await.status, StatusCode::OK);
    let r = app
        .post(&plan("withdraw-proposal"), &commission, &ex("/api/v1/quota-plans/{year}/withdraw-proposal", "post"))
        .await;
    expect("post", "/api/v1/quota-plans/{year}/withdraw-proposal", r, &[StatusCode::OK]);
    assert_eq!(propose().await.status, StatusCode::OK);
    let approved = json!({"entries": [{"economic_activity": "F", "approved": 1000}]});
    assert_eq!(app.put("/api/v1/quota-plans/2027", &admin, &approved).await.status, StatusCode::OK);
    // The examples name orders of late November and 1 December 2026.
    let before = api::clock::Clock::now(&app.clock);
    app.clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    let r = app.post(&plan("approve"), &admin, &ex("/api/v1/quota-plans/{year}/approve", "post")).await;
    expect("post", "/api/v1/quota-plans/{year}/approve", r, &[StatusCode::OK]);
    let r = app.post(&plan("amendments"), &admin, &ex("/api/v1/quota-plans/{year}/amendments", "post")).await;
    expect("post", "/api/v1/quota-plans/{year}/amendments", r, &[StatusCode::CREATED]);
    let r =
        app.post("/api/v1/quotas/2027/allocations", &officer, &ex("/api/v1/quotas/{year}/allocations", "post")).await;
    let permit = r.body["permit_ref"].as_str().unwrap_or_default().to_owned();
    expect("post", "/api/v1/quotas/{year}/allocations", r, &[StatusCode::CREATED]);
    // A permit that ended in March 2027.
    app.clock.set("2027-03-20T08:00:00Z".parse().unwrap());
    let r = app
        .post(
            &format!("/api/v1/quotas/2027/allocations/{permit}/end"),
            &officer,
            &ex("/api/v1/quotas/{year}/allocations/{permit_ref}/end", "post"),
        )
        .await;
    expect("post", "/api/v1/quotas/{year}/allocations/{permit_ref}/end", r, &[StatusCode::OK]);
    app.clock.set(before);

    // The HQM assessment: a draft, replaced, submitted with its documents,
    // scored, objected to, extended; the holidays of a year.
    let applicant = app.applicant("applicant-example");
    let r = app.post("/api/v1/hqm-applications", &applicant, &ex("/api/v1/hqm-applications", "post")).await;
    let hqm = format!("/api/v1/hqm-applications/{}", r.body["id"].as_str().unwrap_or_default());
    expect("post", "/api/v1/hqm-applications", r, &[StatusCode::CREATED]);
    let r = app.put(&hqm, &applicant, &ex("/api/v1/hqm-applications/{id}", "put")).await;
    expect("put", "/api/v1/hqm-applications/{id}", r, &[StatusCode::OK]);
    for kind in ["passport", "qualification"] {
        let r = app
            .client
            .post(format!("{}{hqm}/documents?kind={kind}", app.base))
            .bearer_auth(&applicant)
            .header("Content-Type", "application/pdf")
            .body(
                b"%PDF-1.7
%%EOF
"
                .to_vec(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    assert_eq!(
        app.send(Method::POST, &format!("{hqm}/submit"), Some(&applicant), None, &[]).await.status,
        StatusCode::OK
    );
    let r = app
        .put(
            &format!("{hqm}/scores/work_experience"),
            &app.assessor("sectoral"),
            &ex("/api/v1/hqm-applications/{id}/scores/{criterion}", "put"),
        )
        .await;
    expect("put", "/api/v1/hqm-applications/{id}/scores/{criterion}", r, &[StatusCode::OK]);
    let r = app
        .post(
            &format!("{hqm}/objections"),
            &app.assessor("sms"),
            &ex("/api/v1/hqm-applications/{id}/objections", "post"),
        )
        .await;
    expect("post", "/api/v1/hqm-applications/{id}/objections", r, &[StatusCode::CREATED]);
    let r = app.post(&format!("{hqm}/extend"), &officer, &ex("/api/v1/hqm-applications/{id}/extend", "post")).await;
    expect("post", "/api/v1/hqm-applications/{id}/extend", r, &[StatusCode::OK]);
    let r = app
        .post(
            &format!("{hqm}/request-documents"),
            &officer,
            &ex("/api/v1/hqm-applications/{id}/request-documents", "post"),
        )
        .await;
    expect("post", "/api/v1/hqm-applications/{id}/request-documents", r, &[StatusCode::OK]);
    let r = app.put("/api/v1/hqm-authorities/economy", &admin, &ex("/api/v1/hqm-authorities/{code}", "put")).await;
    expect("put", "/api/v1/hqm-authorities/{code}", r, &[StatusCode::OK]);
    let r = app.put("/api/v1/hqm-sectors/digital", &admin, &ex("/api/v1/hqm-sectors/{code}", "put")).await;
    expect("put", "/api/v1/hqm-sectors/{code}", r, &[StatusCode::OK]);
    let r = app.put("/api/v1/holidays/2026", &admin, &ex("/api/v1/holidays/{year}", "put")).await;
    expect("put", "/api/v1/holidays/{year}", r, &[StatusCode::OK]);

    // An ERP system's webhook endpoint, subscribed and changed.
    let erp = app.erp_client(TIN_B).await;
    let r = app.post("/api/v1/webhooks", &erp, &ex("/api/v1/webhooks", "post")).await;
    let endpoint = format!("/api/v1/webhooks/{}", r.body["id"].as_str().unwrap_or_default());
    expect("post", "/api/v1/webhooks", r, &[StatusCode::CREATED]);
    let r = app.send(Method::PATCH, &endpoint, Some(&erp), Some(&ex("/api/v1/webhooks/{id}", "patch")), &[]).await;
    expect("patch", "/api/v1/webhooks/{id}", r, &[StatusCode::OK]);

    // The confirmation code is the one that was sent: its example can only
    // show the form, which the schema's pattern checks.
    let code = ex("/api/v1/me/email/confirm", "post");
    assert!(code["code"].as_str().is_some_and(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
    tried.insert("post /api/v1/me/email/confirm".into());

    // Every operation with a JSON body was tried.
    let mut documented = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !op["requestBody"]["content"]["application/json"].is_null() {
                documented.insert(format!("{method} {path}"));
            }
        }
    }
    assert_eq!(documented, tried);
}

/// Every documented operation reaches a handler: called with placeholder
/// path values and no token, each is counted in `/metrics` under its own
/// route pattern, never as unmatched (the router and the document share one
/// list; this checks it from outside). Without a token, exactly the
/// operations the document secures answer 401.
#[tokio::test]
async fn every_documented_operation_is_served() {
    let app = spawn().await;
    let doc: serde_json::Value =
        serde_json::from_slice(&app.fetch("/api-docs/openapi.json", None).await).expect("the document");
    let mut count = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path.replace("{year}", "2027").replace("{code}", "F").replace(['{', '}'], "");
        for method in item.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            let r = app.client.request(m, format!("{}{concrete}", app.base)).send().await.unwrap();
            assert_ne!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            // The document's `security` is made from the list of public
            // operations; the handlers decide by taking the caller or not.
            let secured = item[method]["security"].as_array().is_some_and(|s| !s.is_empty());
            assert_eq!(r.status() == StatusCode::UNAUTHORIZED, secured, "{method} {path}: {}", r.status());
            count += 1;
        }
    }
    let metrics = String::from_utf8(app.fetch("/metrics", None).await).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let series = format!("method=\"{}\",route=\"{path}\"", method.to_ascii_uppercase());
            assert!(metrics.contains(&series), "{method} {path} was not routed to its handler");
        }
    }
    assert!(count > 40, "only {count} operations");
}
