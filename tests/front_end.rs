//! What a front end meets in a real browser (issue 26): CORS on every
//! answer, 304 included; a Swagger UI that stays offline; the role before the
//! body; every structural fault at once; messages that say what is wrong;
//! HEAD, RFC 6750 and one timestamp format; If-Match where updates get lost,
//! and line ids that survive a save.

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const PORTAL: &str = "https://portal.example.az";

fn granted(r: &Resp) -> bool {
    r.header("access-control-allow-origin").as_deref() == Some(PORTAL)
}

#[tokio::test]
async fn a_page_on_an_allowed_origin_reads_every_answer_304_and_errors_included() {
    let app = spawn_with(Options { cors_origins: vec![PORTAL.into()], ..Default::default() }).await;
    let emp = app.employer(TIN_A);
    let origin = ("Origin", PORTAL);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");

    let got = app.send(Method::GET, &path, Some(&emp), None, &[origin]).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(granted(&got));
    let tag = got.header("etag").unwrap();

    // Polling with the tag: the 304 carries the grant and what a script reads.
    let r = app.send(Method::GET, &path, Some(&emp), None, &[origin, ("If-None-Match", &tag)]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(granted(&r), "a 304 without the grant is 'Failed to fetch' in a browser: {:?}", r.headers);
    let exposed = r.header("access-control-expose-headers").unwrap_or_default().to_ascii_lowercase();
    assert!(exposed.contains("etag"), "{exposed}");
    assert_eq!(r.header("etag").as_deref(), Some(tag.as_str()));
    assert!(r.header("vary").unwrap_or_default().to_ascii_lowercase().contains("origin"), "{:?}", r.headers);
    assert!(r.header("x-request-id").is_some());

    // Errors of every layer carry it too.
    /// A request (method, path, token, body) and the status it gets.
    type Case<'a> = (Method, String, Option<&'a str>, Option<Value>, StatusCode);
    let cases: Vec<Case> = vec![
        (Method::GET, "/api/v1/forecasts/none-such".into(), Some(&emp), None, StatusCode::NOT_FOUND),
        (Method::PATCH, path.clone(), Some(&emp), None, StatusCode::METHOD_NOT_ALLOWED),
        (Method::GET, "/api/v1/forecasts".into(), None, None, StatusCode::UNAUTHORIZED),
        (Method::PUT, "/api/v1/campaigns/2027".into(), Some(&emp), Some(json!({})), StatusCode::FORBIDDEN),
        (
            Method::POST,
            "/api/v1/forecasts".into(),
            Some(&emp),
            Some(json!({"employer": {}})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (Method::GET, "/no/such/path".into(), None, None, StatusCode::NOT_FOUND),
    ];
    for (method, p, token, body, status) in cases {
        let r = app.send(method.clone(), &p, token, body.as_ref(), &[origin]).await;
        assert_eq!(r.status, status, "{method} {p}: {}", r.body);
        assert!(granted(&r), "{method} {p} {status}: no grant: {:?}", r.headers);
        assert_eq!(r.header("content-type").as_deref(), Some("application/problem+json"), "{method} {p}");
    }
    // A page can read why a request was refused at 401 and what is allowed at 405.
    let r = app.send(Method::GET, "/api/v1/forecasts", None, None, &[origin]).await;
    let exposed = r.header("access-control-expose-headers").unwrap_or_default().to_ascii_lowercase();
    for name in ["www-authenticate", "allow", "content-language", "x-request-id"] {
        assert!(exposed.contains(name), "{name} not exposed: {exposed}");
    }
}

#[tokio::test]
async fn swagger_ui_asks_no_outside_validator_under_any_host_name() {
    let app = spawn().await;
    // Served the same under a real host name: the configuration is in the file.
    let r = app
        .client
        .get(format!("{}/swagger-ui/swagger-initializer.js", app.base))
        .header("Host", "quota.migration.gov.az")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let js = r.text().await.unwrap();
    assert!(js.contains(r#""validatorUrl": "none""#), "{js}");
    assert!(!js.contains("validator.swagger.io"), "{js}");
}

#[tokio::test]
async fn the_role_is_checked_before_the_body_is_read() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let applicant = app.applicant("ayse");
    let cases = [
        (Method::PUT, "/api/v1/campaigns/2027".to_owned(), emp.clone()),
        (Method::POST, "/api/v1/api-clients".to_owned(), applicant.clone()),
        (Method::POST, "/api/v1/forecasts".to_owned(), app.officer()),
        (Method::POST, format!("/api/v1/forecasts/{id}/return"), emp.clone()),
        (Method::PUT, "/api/v1/holidays/2027".to_owned(), app.officer()),
        (Method::POST, "/api/v1/quotas/2027/allocations".to_owned(), emp.clone()),
        (Method::PUT, "/api/v1/quota-plans/2027".to_owned(), emp.clone()),
        (Method::POST, "/api/v1/hqm-applications".to_owned(), emp.clone()),
        (Method::PUT, "/api/v1/commission-inputs/2027/labour".to_owned(), applicant.clone()),
    ];
    for (method, path, token) in cases {
        for body in [json!({}), json!({"unknown": 1}), json!([])] {
            let r = app.send(method.clone(), &path, Some(&token), Some(&body), &[]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path} {body}: {}", r.body);
            assert_eq!(r.body["type"], "/problems/forbidden");
        }
    }
    // The right role still has its body checked; no token is still 401.
    let r = app.put("/api/v1/campaigns/2027", &app.admin(), &json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app.send(Method::PUT, "/api/v1/campaigns/2027", None, Some(&json!({})), &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Nothing changed.
    assert_eq!(app.get(&format!("/api/v1/forecasts/{id}"), &emp).await.body["status"], "draft");
}

#[tokio::test]
async fn every_structural_fault_of_a_body_is_listed_in_one_answer() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    // An empty employer section: each of its nine required fields.
    let r = app.post("/api/v1/forecasts", &emp, &json!({"employer": {}, "lines": []})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let mut got = r.error_codes();
    got.sort();
    let mut want: Vec<(String, String)> = [
        "current_address",
        "economic_activity",
        "employees_total",
        "foreign_workers",
        "legal_address",
        "person_type",
        "tin",
        "tin_issued_on",
        "workplace_address",
    ]
    .iter()
    .map(|f| (format!("employer.{f}"), "required".to_owned()))
    .collect();
    want.sort();
    assert_eq!(got, want, "{}", r.body);
    assert_eq!(r.body["detail"], "9 fields are invalid.");

    // Missing, mistyped and unknown together, at every depth.
    let mut body = forecast_body(TIN_A, two_lines());
    body["employer"]["employees_total"] = json!("many");
    body["employer"]["person_type"] = json!("company");
    body["employer"]["colour"] = json!("blue");
    body["employer"].as_object_mut().unwrap().remove("tin");
    body["lines"][0]["demand_total"] = json!([3]);
    body["lines"][1].as_object_mut().unwrap().remove("justification");
    body["lines"][1]["priority"] = json!(1);
    body["submit"] = json!("yes");
    let r = app.post("/api/v1/forecasts", &emp, &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let mut got = r.error_codes();
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("employer.colour", "unknown_field"),
        ("employer.employees_total", "invalid_type"),
        ("employer.person_type", "invalid_type"),
        ("employer.tin", "required"),
        ("lines[0].demand_total", "invalid_type"),
        ("lines[1].justification", "required"),
        ("lines[1].priority", "unknown_field"),
        ("submit", "invalid_type"),
    ]
    .iter()
    .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
    .collect();
    want.sort();
    assert_eq!(got, want, "{}", r.body);
    assert_eq!(app.get("/api/v1/forecasts", &emp).await.body["total"], 0, "nothing was filed");
}

#[tokio::test]
async fn messages_say_what_is_wrong_and_read_naturally() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;

    // A key of the right length with a space: told about the characters.
    let r = app
        .send(
            Method::POST,
            &format!("/api/v1/forecasts/{id}/submit"),
            Some(&emp),
            None,
            &[("Idempotency-Key", "order 42")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_codes(), vec![("Idempotency-Key".to_owned(), "visible_ascii".to_owned())]);
    let message = r.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("ASCII") && !message.contains("255"), "{message}");
    // A key too long is told about its length.
    let long = "k".repeat(256);
    let r = app
        .send(Method::POST, &format!("/api/v1/forecasts/{id}/submit"), Some(&emp), None, &[("Idempotency-Key", &long)])
        .await;
    assert_eq!(r.error_codes(), vec![("Idempotency-Key".to_owned(), "length".to_owned())]);
    assert_eq!(r.body["errors"][0]["message"], "At most 255 characters.");

    // A weak validator naming the current version: told it is weak.
    for (lang, word) in [("en", "weak"), ("az", "zəif"), ("ru", "слабый"), ("tr", "zayıf")] {
        let r = app
            .send(
                Method::POST,
                &format!("/api/v1/forecasts/{id}/submit"),
                Some(&emp),
                None,
                &[("If-Match", "W/\"1\""), ("Accept-Language", lang)],
            )
            .await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(r.body["type"], "/problems/precondition-failed");
        assert_eq!(r.body["current_version"], 1);
        let detail = r.body["detail"].as_str().unwrap();
        assert!(detail.contains(word) && detail.contains("W/\"1\""), "{lang}: {detail}");
    }
    // A stale strong tag is told the version, as before.
    let r = app
        .send(Method::POST, &format!("/api/v1/forecasts/{id}/submit"), Some(&emp), None, &[("If-Match", "\"7\"")])
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert!(!r.body["detail"].as_str().unwrap().contains("weak"), "{}", r.body);

    // Counts agree with their nouns in all four languages.
    let mut one = forecast_body(TIN_A, json!([]));
    one["employer"]["employees_total"] = json!("x");
    let mut two = one.clone();
    two["employer"]["foreign_workers"] = json!("y");
    let cases = [
        ("en", &one, "1 field is invalid."),
        ("en", &two, "2 fields are invalid."),
        ("ru", &one, "1 поле заполнено неверно."),
        ("ru", &two, "2 поля заполнены неверно."),
        ("az", &two, "2 sahə yanlışdır."),
        ("tr", &two, "2 alan geçersiz."),
    ];
    for (lang, body, want) in cases {
        let r = app.send(Method::POST, "/api/v1/forecasts", Some(&emp), Some(body), &[("Accept-Language", lang)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["detail"], want, "{lang}");
    }
}

#[tokio::test]
async fn retry_after_reads_naturally() {
    let app = spawn_with(Options { rate_per_second: 1, rate_burst: 1, ..Default::default() }).await;
    let admin = app.admin();
    let mut refused = None;
    for _ in 0..5 {
        let r = app.get("/api/v1/me", &admin).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(r);
            break;
        }
    }
    let r = refused.expect("the limit refuses");
    let n: u64 = r.header("retry-after").unwrap().parse().unwrap();
    let unit = if n == 1 { "second" } else { "seconds" };
    assert_eq!(r.body["detail"], format!("Retry after {n} {unit}."));
}

#[tokio::test]
async fn head_answers_wherever_get_does() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");
    let get = app.client.get(format!("{}{path}", app.base)).bearer_auth(&emp).send().await.unwrap();
    let tag = get.headers()["etag"].clone();
    let length = get.bytes().await.unwrap().len();
    let head = app.client.head(format!("{}{path}", app.base)).bearer_auth(&emp).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["etag"], tag);
    assert_eq!(head.headers()["content-length"].to_str().unwrap(), length.to_string());
    assert!(head.bytes().await.unwrap().is_empty());
    // Conditional HEAD, public paths, Swagger UI, the document, the metrics.
    let r = app
        .client
        .head(format!("{}{path}", app.base))
        .bearer_auth(&emp)
        .header("If-None-Match", tag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    for p in [
        "/swagger-ui/",
        "/api-docs/openapi.json",
        "/health/live",
        "/metrics",
        "/api/v1/quotas/2027",
        "/api/v1/hqm-decisions/public-key",
    ] {
        let r = app.client.head(format!("{}{p}", app.base)).send().await.unwrap();
        assert!(
            r.status().is_success() || r.status() == StatusCode::NOT_FOUND && p.contains("quotas"),
            "{p}: {}",
            r.status()
        );
        assert!(r.bytes().await.unwrap().is_empty(), "{p}");
    }
    let r = app.client.head(format!("{}/swagger-ui/", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Where there is no GET, HEAD is not allowed either, and Allow says HEAD where it is.
    let r = app.client.head(format!("{}/api/v1/oauth/token", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let r = app.send(Method::PATCH, &path, Some(&emp), None, &[]).await;
    assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD, PUT, DELETE"));
}

#[tokio::test]
async fn a_missing_token_is_challenged_without_an_error_code() {
    let app = spawn_with(Options { cors_origins: vec![PORTAL.into()], ..Default::default() }).await;
    let r = app.send(Method::GET, "/api/v1/me", None, None, &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.header("www-authenticate").as_deref(), Some("Bearer realm=\"quota-api\""));
    let r = app.send(Method::GET, "/api/v1/me", Some("not-a-token"), None, &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let challenge = r.header("www-authenticate").unwrap();
    assert!(challenge.starts_with("Bearer realm=\"quota-api\", error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains("error_description=\"malformed_token\""), "{challenge}");
}

#[tokio::test]
async fn metrics_are_served_as_the_document_says() {
    let app = spawn().await;
    let doc = app.client.get(format!("{}/api-docs/openapi.json", app.base)).send().await.unwrap();
    let doc: Value = doc.json().await.unwrap();
    let documented: Vec<String> =
        doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"].as_object().unwrap().keys().cloned().collect();
    let r = app.client.get(format!("{}/metrics", app.base)).send().await.unwrap();
    let served = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(documented, vec![served]);
}

/// Every instant of every answer: RFC 3339 UTC with exactly six fractional digits.
fn instants(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k.ends_with("_at") || k == "at" {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_owned());
                    }
                }
                instants(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| instants(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_timestamp_has_the_same_precision() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    // On a whole second (the test clock) and on a nanosecond.
    let id = app.create_draft(TIN_A, two_lines()).await;
    app.clock.set("2026-05-15T09:00:01.123456789Z".parse().unwrap());
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let mut seen = Vec::new();
    for p in [format!("/api/v1/forecasts/{id}"), format!("/api/v1/forecasts/{id}/history"), "/api/v1/forecasts".into()]
    {
        instants(&app.get(&p, &emp).await.body, &mut seen);
    }
    assert!(seen.len() >= 6, "{seen:?}");
    for s in &seen {
        let fraction = s.strip_suffix('Z').and_then(|t| t.split_once('.')).map(|(_, f)| f.len());
        assert_eq!(fraction, Some(6), "{s}");
    }
}

#[tokio::test]
async fn a_server_requiring_if_match_refuses_blind_puts_and_deletes_only() {
    let app = spawn_with(Options { require_if_match: true, ..Default::default() }).await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");
    let line_id = app.get(&path, &emp).await.body["lines"][0]["id"].as_str().unwrap().to_owned();
    let line_path = format!("{path}/lines/{line_id}");
    for (method, p, body) in [
        (Method::PUT, path.clone(), Some(forecast_body(TIN_A, two_lines()))),
        (Method::DELETE, path.clone(), None),
        (Method::PUT, line_path.clone(), Some(line("6123", "Fermer, ipəkçilik", 4, 4))),
        (Method::DELETE, line_path.clone(), None),
    ] {
        let r = app.send(method.clone(), &p, Some(&emp), body.as_ref(), &[]).await;
        assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{method} {p}: {}", r.body);
        assert_eq!(r.body["type"], "/problems/precondition-required");
    }
    assert_eq!(app.get(&path, &emp).await.body["version"], 1, "nothing changed");
    // With the tag it goes through; an action needs none.
    let r = app.send(Method::DELETE, &line_path, Some(&emp), None, &[("If-Match", "\"1\"")]).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_put_keeps_the_ids_of_the_lines_it_keeps() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, two_lines()).await;
    let path = format!("/api/v1/forecasts/{id}");
    let before = app.get(&path, &emp).await.body;
    let id_of = |body: &Value, code: &str| -> String {
        body["lines"].as_array().unwrap().iter().find(|l| l["occupation_code"] == code).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (farmer, mason) = (id_of(&before, "6123"), id_of(&before, "7123"));
    // Reordered, one line's numbers changed, its title typed without marks, a line added.
    let lines = json!([
        line("7123", "Bənna, xarici suvaq", 5, 4),
        line("6123", "fermer, ipekcilik", 3, 3),
        line("2512", "Software developers", 1, 1),
    ]);
    let r =
        app.send(Method::PUT, &path, Some(&emp), Some(&forecast_body(TIN_A, lines)), &[("If-Match", "\"1\"")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(id_of(&r.body, "7123"), mason);
    assert_eq!(id_of(&r.body, "6123"), farmer);
    let new = id_of(&r.body, "2512");
    assert!(new != farmer && new != mason);
    assert_eq!(r.body["lines"][0]["demand_total"], 5);
    assert_eq!(app.get(&path, &emp).await.body["lines"], r.body["lines"]);
    // A line dropped and brought back is a new line.
    let r = app
        .send(
            Method::PUT,
            &path,
            Some(&emp),
            Some(&forecast_body(TIN_A, json!([line("2512", "Software developers", 1, 1)]))),
            &[],
        )
        .await;
    assert_eq!(id_of(&r.body, "2512"), new);
    let r = app.send(Method::PUT, &path, Some(&emp), Some(&forecast_body(TIN_A, two_lines())), &[]).await;
    assert_ne!(id_of(&r.body, "6123"), farmer);
}

/// A `multipart/form-data` body with one part `file`, as a browser's
/// `FormData` sends it: the chosen file's name on the part.
fn form(filename: &str, content_type: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----FormBoundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

#[tokio::test]
async fn an_upload_keeps_its_file_name_and_a_name_may_not_lie_about_the_type() {
    let app = spawn().await;
    let ayse = app.applicant("ayse");
    let r = app.post("/api/v1/hqm-applications", &ayse, &crate::hqm::body("tr")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let docs = format!("{}/api/v1/hqm-applications/{id}/documents", app.base);
    let send = |url: String, (ct, body): (String, Vec<u8>)| {
        app.client.post(url).bearer_auth(&ayse).header("Content-Type", ct).body(body).send()
    };

    // The part's name is kept, non-ASCII letters and all, and comes back on download.
    let r = Resp::read(
        send(format!("{docs}?kind=qualification"), form("Diplom Ayşe.pdf", "application/pdf", PDF)).await.unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["filename"], "Diplom Ayşe.pdf");
    let download = app
        .client
        .get(r.header("location").map(|l| format!("{}{l}", app.base)).unwrap())
        .bearer_auth(&ayse)
        .send()
        .await
        .unwrap();
    let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains("filename*=UTF-8''Diplom%20Ay%C5%9Fe.pdf"), "{disposition}");
    // The query's name wins over the part's.
    let r = Resp::read(
        send(format!("{docs}?kind=passport&filename=Pasport.pdf"), form("scan.pdf", "application/pdf", PDF))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.body["filename"], "Pasport.pdf", "{}", r.body);

    // A PDF under a name that says another type: refused, from the part or the query.
    for (url, part) in
        [(format!("{docs}?kind=other"), "setup.exe"), (format!("{docs}?kind=other&filename=photo.png"), "photo.pdf")]
    {
        let r = Resp::read(send(url.clone(), form(part, "application/pdf", PDF)).await.unwrap()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {}", r.body);
        assert_eq!(r.error_codes(), vec![("filename".to_owned(), "extension_mismatch".to_owned())]);
        assert!(r.body["errors"][0]["message"].as_str().unwrap().contains(".pdf"), "{}", r.body);
    }
    let raw = app
        .client
        .post(format!("{docs}?kind=other&filename=Diplom.EXE"))
        .bearer_auth(&ayse)
        .header("Content-Type", "application/pdf")
        .body(PDF.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let stored =
        app.get(&format!("/api/v1/hqm-applications/{id}"), &ayse).await.body["documents"].as_array().unwrap().len();
    assert_eq!(stored, 2, "nothing stored for the refused ones");
}

/// Every schema of the document as served, with the path that names it.
fn schemas_in<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a serde_json::Map<String, Value>)>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("type") || m.contains_key("properties") {
                out.push((at.clone(), m));
            }
            for (k, x) in m {
                // An example is data, not a schema.
                if k != "example" && k != "examples" {
                    schemas_in(x, format!("{at}/{k}"), out);
                }
            }
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| schemas_in(x, format!("{at}/{i}"), out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_types_every_object_and_gives_every_free_text_an_example() {
    let app = spawn().await;
    let doc: Value =
        app.client.get(format!("{}/api-docs/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
    let mut all = Vec::new();
    schemas_in(&doc["components"]["schemas"], "#/components/schemas".into(), &mut all);
    let is = |m: &serde_json::Map<String, Value>, t: &str| match m.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x == t),
        _ => false,
    };
    let untyped: Vec<&String> = all
        .iter()
        .filter(|(_, m)| is(m, "object") && !m.contains_key("properties") && !m.contains_key("additionalProperties"))
        .map(|(at, _)| at)
        .collect();
    assert!(untyped.is_empty(), "objects without a shape: {untyped:?}");
    let noise: Vec<&String> = all
        .iter()
        .filter(|(at, m)| {
            is(m, "string")
                && at.contains("/properties/")
                && !["format", "enum", "const", "example", "examples"].iter().any(|k| m.contains_key(*k))
        })
        .map(|(at, _)| at)
        .collect();
    assert!(noise.is_empty(), "free text without an example ({}): {noise:#?}", noise.len());
    // The decision document's content and the criteria's titles are typed.
    let content = &doc["components"]["schemas"]["HqmDecisionDocument"]["properties"]["content"];
    assert_eq!(content["$ref"], "#/components/schemas/HqmDecisionContent", "{content}");
    let criterion = &doc["components"]["schemas"]["HqmCriterion"]["properties"];
    assert_eq!(criterion["titles"]["$ref"], "#/components/schemas/HqmTitles");
    assert_eq!(criterion["authority_titles"]["$ref"], "#/components/schemas/HqmTitles");
}
