//! What the Commission receives besides the summary (SPEC §16.2): the
//! bodies' inputs until the deadline, the SMS's input counted from the
//! permits recorded, the inputs beside the plan's entries and in snapshots.

use crate::quota::{seed, Y};
use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn input(body: &str) -> String {
    format!("/api/v1/commission-inputs/{Y}/{body}")
}

fn economy() -> Value {
    json!({"entries": [
        {"economic_activity": "F", "measure": "gdp_growth_percent", "value": 4.5},
        {"economic_activity": "41", "measure": "gdp_growth_percent", "value": 5.25}],
        "note": "Forecast of June"})
}

async fn put_if(app: &TestApp, path: &str, token: &str, body: &Value, version: &str) -> Resp {
    app.send(Method::PUT, path, Some(token), Some(body), &[("If-Match", version)]).await
}

/// A body sends its input, corrects it under `If-Match`, and from the day
/// after the deadline (Baku time) the input is read-only.
#[tokio::test]
async fn a_body_sends_its_input_until_the_deadline_then_it_is_read_only() {
    let app = spawn().await;
    let labour = app.contributor("labour");
    let sent = json!({"entries": [{"economic_activity": "F", "measure": "jobseekers", "value": 1200}]});
    let r = app.put(&input("labour"), &labour, &sent).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("etag").as_deref(), Some("\"1\""));
    assert_eq!((r.body["body"].as_str(), r.body["version"].as_i64()), (Some("labour"), Some(1)));
    assert_eq!(r.body["entries"], json!([{"economic_activity": "F", "measure": "jobseekers", "value": 1200.0}]));
    assert_eq!(r.body["updated_by"], "contributor-labour");

    // The same input again changes nothing.
    let r = app.put(&input("labour"), &labour, &sent).await;
    assert_eq!(r.body["version"], 1, "{}", r.body);

    let fixed = json!({"entries": [{"economic_activity": "F", "measure": "jobseekers", "value": 1250},
        {"economic_activity": "F", "measure": "unemployed", "value": 300}], "note": "Corrected"});
    let r = put_if(&app, &input("labour"), &labour, &fixed, "\"1\"").await;
    assert_eq!((r.status, r.body["version"].as_i64()), (StatusCode::OK, Some(2)), "{}", r.body);
    let r = put_if(&app, &input("labour"), &labour, &sent, "\"1\"").await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    assert_eq!(r.body["current_version"], 2);
    let r = put_if(&app, &input("economy"), &app.contributor("economy"), &economy(), "\"1\"").await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "nothing sent yet: {}", r.body);

    // Figures are checked, all at once.
    let bad = json!({"entries": [{"economic_activity": "ZZ", "measure": "Jobseekers", "value": 1},
        {"economic_activity": "F", "measure": "jobseekers", "value": 1},
        {"economic_activity": "F", "measure": "jobseekers", "value": 2e13}]});
    let r = app.put(&input("labour"), &labour, &bad).await;
    assert_eq!(
        r.error_codes(),
        vec![
            ("entries[0].economic_activity".to_owned(), "economic_activity_unknown".to_owned()),
            ("entries[0].measure".to_owned(), "measure_format".to_owned()),
            ("entries[2].value".to_owned(), "out_of_range".to_owned()),
            ("entries[2].measure".to_owned(), "duplicate_measure".to_owned()),
        ]
    );

    // The last hour of the deadline day in Baku, then the next day.
    app.clock.set("2026-09-15T19:59:00Z".parse().unwrap());
    let r = app.put(&input("labour"), &labour, &sent).await;
    assert_eq!((r.status, r.body["version"].as_i64()), (StatusCode::OK, Some(3)), "{}", r.body);
    app.clock.set("2026-09-15T20:00:01Z".parse().unwrap());
    let r = app.put(&input("labour"), &labour, &fixed).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/commission-inputs-deadline-passed");
    assert_eq!(r.body["deadline"], "2026-09-15");
    let r = app.send(Method::PUT, &input("labour"), Some(&labour), Some(&fixed), &[("Accept-Language", "tr")]).await;
    assert_eq!(r.header("content-language").as_deref(), Some("tr"));

    // Still read by everyone who may.
    let r =
        app.get(&format!("/api/v1/commission-inputs/{Y}"), &app.token(&[domain::role::Role::Commission], None)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["open"].as_bool(), r.body["deadline"].as_str()), (Some(false), Some("2026-09-15")));
    let inputs = r.body["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 1, "economy sent nothing: {}", r.body);
    assert_eq!((inputs[0]["body"].as_str(), inputs[0]["version"].as_i64()), (Some("labour"), Some(3)));
    assert_eq!(inputs[0]["updated_by"], "contributor-labour");
    let r = app.get(&input("labour"), &app.officer()).await;
    assert_eq!((r.status, r.header("etag").as_deref()), (StatusCode::OK, Some("\"3\"")));
    let r = app.get(&format!("{}/history?per_page=2", input("labour")), &app.contributor("socar")).await;
    assert_eq!((r.status, r.body["total"].as_i64()), (StatusCode::OK, Some(3)), "{}", r.body);
    let changes: Vec<(i64, &str, &str, i64)> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let s = |k: &str| h[k].as_str().unwrap();
            (h["version"].as_i64().unwrap(), s("actor"), s("role"), h["entries"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(changes, [(1, "contributor-labour", "contributor", 1), (2, "contributor-labour", "contributor", 2)]);
    assert_eq!(r.body["items"][1]["note"], "Corrected");
    let r = app.get(&format!("/api/v1/commission-inputs/{Y}/economy/history"), &app.officer()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "economy sent nothing: {}", r.body);
}

/// Only the body's own contributor sends its input; readers are staff, the
/// Commission and contributors.
#[tokio::test]
async fn only_the_bodys_contributor_sends_it() {
    let app = spawn().await;
    let r = app.put(&input("labour"), &app.contributor("economy"), &economy()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/wrong-body");
    assert!(r.body["detail"].as_str().unwrap().contains("labour"), "{}", r.body);
    let r = app.put(&input("economy"), &app.officer(), &economy()).await;
    assert_eq!((r.status, r.body["type"].as_str()), (StatusCode::FORBIDDEN, Some("/problems/forbidden")));
    let r = app.put(&input("sms"), &app.contributor("economy"), &economy()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "the SMS's input is computed: {}", r.body);
    let list = format!("/api/v1/commission-inputs/{Y}");
    assert_eq!(app.get(&list, &app.employer(TIN_A)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&list, &app.contributor("socar")).await.status, StatusCode::OK);
    assert_eq!(app.get(&list, &app.admin()).await.status, StatusCode::OK);
    assert_eq!(app.get(&input("economy"), &app.admin()).await.status, StatusCode::NOT_FOUND);
    let r = app.put(&input("economy"), &app.contributor("economy"), &economy()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// Approves the quota of `year` with F and A for permits to be recorded.
async fn approved_quota(app: &TestApp, year: i32, order_date: &str) {
    let commission = app.token(&[domain::role::Role::Commission], None);
    let plan = format!("/api/v1/quota-plans/{year}");
    assert_eq!(app.post(&plan, &commission, &json!(null)).await.status, StatusCode::CREATED);
    let proposed =
        json!({"entries": [{"economic_activity": "F", "proposed": 10}, {"economic_activity": "A", "proposed": 10}]});
    assert_eq!(app.put(&plan, &commission, &proposed).await.status, StatusCode::OK);
    let r = app.post(&format!("{plan}/propose"), &commission, &json!(null)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let approved =
        json!({"entries": [{"economic_activity": "F", "approved": 10}, {"economic_activity": "A", "approved": 10}]});
    assert_eq!(app.put(&plan, &app.admin(), &approved).await.status, StatusCode::OK);
    let order = json!({"order_number": format!("{year}s"), "order_date": order_date});
    let r = app.post(&format!("{plan}/approve"), &app.admin(), &order).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn record(app: &TestApp, year: i32, permit: &str, activity: &str, exemption: Option<&str>) {
    let body = json!({"permit_ref": permit, "economic_activity": activity, "exemption": exemption});
    let r = app.post(&format!("/api/v1/quotas/{year}/allocations"), &app.officer(), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

fn sms_figures(body: &Value) -> Vec<(String, String, f64)> {
    body["sms"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_owned();
            (s("economic_activity"), s("measure"), e["value"].as_f64().unwrap())
        })
        .collect()
}

/// The SMS's input is counted from the permits recorded for the previous
/// year and the current year to date (cancelled ones left out), per
/// section, counted and exempt; it stops counting at the deadline.
#[tokio::test]
async fn the_sms_input_is_counted_from_the_permits_recorded() {
    let app = spawn().await;
    app.clock.set("2025-03-01T09:00:00Z".parse().unwrap());
    approved_quota(&app, 2025, "2025-02-20").await;
    record(&app, 2025, "WP-2025-1", "F", None).await;
    app.clock.set("2026-05-15T09:00:00Z".parse().unwrap());
    approved_quota(&app, 2026, "2026-05-01").await;
    record(&app, 2026, "WP-2026-1", "F", None).await;
    record(&app, 2026, "WP-2026-2", "43", None).await;
    record(&app, 2026, "WP-2026-3", "F", Some("liberated_territories")).await;
    record(&app, 2026, "WP-2026-4", "A", None).await;
    let r = app.delete("/api/v1/quotas/2026/allocations/WP-2026-4", &app.officer()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let list = format!("/api/v1/commission-inputs/{Y}");
    let r = app.get(&list, &app.contributor("education")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["sms"]["previous_year"].as_i64(), r.body["sms"]["current_year"].as_i64()),
        (Some(2025), Some(2026))
    );
    let f = |a: &str, m: &str, v: f64| (a.to_owned(), m.to_owned(), v);
    let expected = vec![
        f("F", "work_permits_2025", 1.0),
        f("F", "exempt_work_permits_2025", 0.0),
        f("F", "work_permits_2026", 2.0),
        f("F", "exempt_work_permits_2026", 1.0),
    ];
    // A division counts under its section; a section whose permits were
    // all cancelled (A) is not listed.
    assert_eq!(sms_figures(&r.body), expected);

    // After the deadline the SMS's input is what it was at its end.
    app.clock.set("2026-10-01T09:00:00Z".parse().unwrap());
    record(&app, 2026, "WP-2026-5", "F", None).await;
    let r = app.get(&list, &app.officer()).await;
    assert_eq!(r.body["sms"]["counted_until"], "2026-09-15T19:59:59.999999Z");
    assert_eq!(sms_figures(&r.body), expected, "the permit of October is not counted");
}

/// The plan shows each input's figures beside its entry, and a snapshot
/// taken after the inputs includes them as they stood.
#[tokio::test]
async fn the_plan_and_a_later_snapshot_show_the_inputs() {
    let app = spawn().await;
    seed(&app).await;
    let (officer, commission) = (app.officer(), app.token(&[domain::role::Role::Commission], None));
    let snapshots = format!("/api/v1/summaries/{Y}/snapshots");
    let before = app.post(&snapshots, &officer, &json!(null)).await;
    assert_eq!(before.status, StatusCode::CREATED, "{}", before.body);
    let bodies: Vec<&str> =
        before.body["inputs"].as_array().unwrap().iter().map(|i| i["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["sms"], "no body had sent its input: {}", before.body);

    assert_eq!(app.put(&input("economy"), &app.contributor("economy"), &economy()).await.status, StatusCode::OK);
    let socar = json!({"entries": [{"economic_activity": "B", "measure": "demand_foreigners", "value": 40}]});
    assert_eq!(app.put(&input("socar"), &app.contributor("socar"), &socar).await.status, StatusCode::OK);

    let plan = format!("/api/v1/quota-plans/{Y}");
    assert_eq!(app.post(&plan, &commission, &json!(null)).await.status, StatusCode::CREATED);
    let r = app.get(&plan, &commission).await;
    let entry = r.body["entries"].as_array().unwrap().iter().find(|e| e["economic_activity"] == "F").unwrap().clone();
    assert_eq!(
        entry["inputs"],
        json!([
            {"body": "economy", "economic_activity": "F", "measure": "gdp_growth_percent", "value": 4.5},
            {"body": "economy", "economic_activity": "41", "measure": "gdp_growth_percent", "value": 5.25}
        ]),
        "{}",
        r.body
    );

    let after = app.post(&snapshots, &officer, &json!(null)).await;
    assert_eq!(after.status, StatusCode::CREATED, "{}", after.body);
    let number = after.body["number"].as_i64().unwrap();
    let frozen = |s: &Value| -> Vec<(String, usize)> {
        s["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["body"].as_str().unwrap().to_owned(), i["entries"].as_array().unwrap().len()))
            .collect()
    };
    let expect = vec![("economy".to_owned(), 2), ("socar".to_owned(), 1), ("sms".to_owned(), 0)];
    assert_eq!(frozen(&after.body), expect);
    assert_eq!(after.body["inputs"][0]["note"], "Forecast of June");
    assert_eq!(after.body["inputs"][0]["updated_by"], "contributor-economy");

    // A later change leaves the snapshot as it was.
    let changed = json!({"entries": [{"economic_activity": "F", "measure": "gdp_growth_percent", "value": 3}]});
    assert_eq!(app.put(&input("economy"), &app.contributor("economy"), &changed).await.status, StatusCode::OK);
    let r = app.get(&format!("{snapshots}/{number}"), &commission).await;
    assert_eq!(frozen(&r.body), expect);
    assert_eq!(r.body["inputs"][0]["entries"][0]["value"], 4.5);
    let r = app.get(&format!("{snapshots}/1"), &commission).await;
    assert_eq!(frozen(&r.body), vec![("sms".to_owned(), 0)]);
}

async fn upload(app: &TestApp, token: &str, content_type: &str, bytes: &[u8]) -> Resp {
    // A name that says the type sent (one that says another is refused).
    let name = if content_type.contains("spreadsheet") { "market.xlsx" } else { "market.pdf" };
    let r = app
        .client
        .post(format!("{}{}/files?filename={name}", app.base, input("labour")))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    Resp::read(r).await
}

/// A body attaches PDF and XLSX files to its input, checked by their
/// bytes; readers download them; after the deadline nothing changes.
#[tokio::test]
async fn a_body_attaches_pdf_and_xlsx_files_to_its_input() {
    let app = spawn().await;
    let labour = app.contributor("labour");
    let pdf = b"%PDF-1.7\n%%EOF\n";
    let r = upload(&app, &labour, "application/pdf", pdf).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "the input comes first: {}", r.body);
    let sent = json!({"entries": [{"economic_activity": "F", "measure": "jobseekers", "value": 1200}]});
    assert_eq!(app.put(&input("labour"), &labour, &sent).await.status, StatusCode::OK);

    let r = upload(&app, &labour, "application/pdf", pdf).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.body["filename"].as_str(), r.body["size"].as_i64()), (Some("market.pdf"), Some(15)));
    let location = r.header("location").unwrap();
    let xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let xlsx = b"PK\x03\x04\x14\x00\x00\x00\x08\x00[Content_Types].xml xl/workbook.xml";
    assert_eq!(upload(&app, &labour, xlsx_type, xlsx).await.status, StatusCode::CREATED);
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let r = upload(&app, &labour, "image/png", &png).await;
    assert_eq!(
        (r.status, r.body["type"].as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("/problems/unsupported-file-type"))
    );
    let r = upload(&app, &labour, "application/pdf", xlsx).await;
    assert_eq!(r.error_codes(), vec![("file".to_owned(), "content_mismatch".to_owned())]);
    let r = upload(&app, &app.contributor("economy"), "application/pdf", pdf).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    let r = app.get(&input("labour"), &app.officer()).await;
    let files: Vec<&str> =
        r.body["files"].as_array().unwrap().iter().map(|f| f["content_type"].as_str().unwrap()).collect();
    assert_eq!(files, ["application/pdf", xlsx_type]);
    assert_eq!(app.fetch(&location, Some(&app.token(&[domain::role::Role::Commission], None))).await, pdf.to_vec());

    app.clock.set("2026-09-16T08:00:00Z".parse().unwrap());
    let r = app.delete(&location, &labour).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(upload(&app, &labour, "application/pdf", pdf).await.status, StatusCode::CONFLICT);
    app.clock.set("2026-09-15T08:00:00Z".parse().unwrap());
    assert_eq!(app.delete(&location, &labour).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&location, &labour).await.status, StatusCode::NOT_FOUND);
}
