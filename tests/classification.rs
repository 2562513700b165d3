//! The classifications as administered reference data (SPEC §6).

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn upload(app: &TestApp, mode: &str, content_type: &str, body: Vec<u8>) -> Resp {
    let r = app
        .client
        .post(format!("{}/api/v1/occupations/imports?mode={mode}", app.base))
        .bearer_auth(app.admin())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    Resp::read(r).await
}

/// `n` synthetic titles spread over real unit groups.
fn synthetic(n: usize) -> Vec<(String, String)> {
    let codes = ["7123", "6123", "2512", "8322", "9312"];
    (0..n).map(|i| (codes[i % codes.len()].to_owned(), format!("Sınaq peşəsi {i}"))).collect()
}

fn csv(rows: &[(String, String)]) -> Vec<u8> {
    let mut s = String::from("Kod,Ad\n");
    for (c, t) in rows {
        s.push_str(&format!("{c},\"{t}\"\n"));
    }
    s.into_bytes()
}

fn xlsx(rows: &[(String, String)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let info = wb.add_worksheet();
    info.set_name("Məlumat").unwrap();
    info.write_string(0, 0, "Statistika Komitəsi").unwrap();
    let data = wb.add_worksheet();
    data.set_name("Təsnifat").unwrap();
    data.write_string(0, 0, "Kod").unwrap();
    data.write_string(0, 1, "Ad").unwrap();
    for (i, (c, t)) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap();
        // The committee's sheet holds codes as numbers: 110, not 0110.
        data.write_number(r, 0, c.parse::<f64>().unwrap()).unwrap();
        data.write_string(r, 1, t).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

async fn total(app: &TestApp, query: &str) -> i64 {
    app.get(&format!("/api/v1/occupations?{query}"), &app.employer(TIN_A)).await.body["total"].as_i64().unwrap()
}

#[tokio::test]
async fn search_works_the_way_people_type() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    for q in ["ipekcilik", "%C4%B0P%C6%8FK%C3%87%C4%B0L%C4%B0K", "fermer%20ipekcilik", "ipekcilik%20FERMER"] {
        let r = app.get(&format!("/api/v1/occupations?q={q}"), &t).await;
        assert_eq!(r.body["items"][0]["code"], "6123", "{q}: {}", r.body);
        assert_eq!(r.body["items"][0]["title"], "Fermer, ipəkçilik");
        assert_eq!(r.body["items"][0]["major_group_title"], "Skilled agricultural, forestry and fishery workers");
    }
    let r = app.get("/api/v1/occupations?q=XARICI%20SUVAQ", &t).await;
    assert_eq!(r.body["items"][0]["code"], "7123");
    for (prefix, expected_first) in [("71", "7111"), ("712", "7121"), ("7123", "7123"), ("110", "0110")] {
        let r = app.get(&format!("/api/v1/occupations?code={prefix}&per_page=100"), &t).await;
        assert_eq!(r.body["items"][0]["code"], expected_first, "{prefix}");
        let want = if prefix == "110" { "0110" } else { prefix };
        assert!(r.body["items"].as_array().unwrap().iter().all(|i| i["code"].as_str().unwrap().starts_with(want)));
    }
    // Ranked: a title that starts with the words before one that merely contains them.
    let r = app.get("/api/v1/occupations?q=armed%20forces", &t).await;
    assert_eq!(r.body["items"][0]["code"], "0310", "{}", r.body);
    assert!(r.body["total"].as_i64().unwrap() >= 3);
}

#[tokio::test]
async fn one_bad_row_in_five_thousand_changes_nothing() {
    let app = spawn().await;
    let before = total(&app, "per_page=1").await;
    let mut rows = synthetic(5000);
    rows[3120].0 = "71x3".into();
    let r = upload(&app, "replace", "text/csv", csv(&rows)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Line 1 is the header: data row 3120 (0-based) is line 3122.
    assert_eq!(r.error_codes(), vec![("rows[3122].code".to_owned(), "occupation_code_format".to_owned())]);
    assert_eq!(total(&app, "per_page=1").await, before);
    assert_eq!(total(&app, "q=sinaq").await, 0);
    // Duplicates and blank titles are reported too, every one.
    let mut rows = synthetic(10);
    rows[4] = rows[2].clone();
    rows[7].1 = " ".into();
    let r = upload(&app, "extend", "text/csv", csv(&rows)).await;
    assert_eq!(r.error_codes().len(), 2, "{}", r.body);
}

#[tokio::test]
async fn a_good_xlsx_and_csv_import_round_trip() {
    let app = spawn().await;
    let rows = synthetic(5000);
    let r = upload(&app, "extend", XLSX, xlsx(&rows)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body, json!({"added": 5000, "kept": 0, "retired": 0}));
    assert_eq!(total(&app, "q=sinaq%20pesesi").await, 5000);
    assert_eq!(total(&app, "q=sinaq%20pesesi%204999").await, 1);
    // The same entries as CSV are all kept; replacing with half retires the rest.
    let r = upload(&app, "extend", "text/csv", csv(&rows)).await;
    assert_eq!(r.body, json!({"added": 0, "kept": 5000, "retired": 0}));
    let before = total(&app, "per_page=1").await;
    let r = upload(&app, "replace", "text/csv", csv(&rows[..2500])).await;
    assert_eq!(r.body["kept"], 2500);
    assert_eq!(r.body["retired"].as_i64().unwrap(), before - 2500);
    assert_eq!(total(&app, "per_page=1").await, 2500);
    // The staff see the same classification through the employer form.
    let body = forecast_body(TIN_A, json!([line("7123", "SINAQ PEŞƏSİ 0", 1, 1)]));
    let r = app.post("/api/v1/forecasts", &app.employer(TIN_A), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["lines"][0]["occupation_title"], "Sınaq peşəsi 0");
}

#[tokio::test]
async fn a_retired_occupation_stays_on_old_forecasts_and_is_refused_on_new_lines() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, json!([line("6123", "Fermer, ipəkçilik", 2, 2)])).await;
    let keep = vec![("7123".to_owned(), "Bənna, xarici suvaq".to_owned())];
    let r = upload(&app, "replace", "text/csv", csv(&keep)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f = app.get(&format!("/api/v1/forecasts/{id}"), &emp).await;
    assert_eq!(f.body["lines"][0]["occupation_title"], "Fermer, ipəkçilik");
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK, "what was filed stays valid");
    let r = app
        .post("/api/v1/forecasts", &emp, &forecast_for(TIN_A, 2028, json!([line("6123", "Fermer, ipəkçilik", 1, 1)])))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_codes()[0].0, "lines[0].occupation_code");
    assert_eq!(total(&app, "q=ipekcilik").await, 0);
    // Bringing it back restores it.
    let back = vec![("6123".to_owned(), "Fermer, ipəkçilik".to_owned())];
    let r = upload(&app, "extend", "text/csv", csv(&back)).await;
    assert_eq!(r.body["added"], 1);
    assert_eq!(total(&app, "q=ipekcilik").await, 1);
}

#[tokio::test]
async fn only_admin_imports_and_a_file_without_headers_is_refused() {
    let app = spawn().await;
    let r = app
        .client
        .post(format!("{}/api/v1/occupations/imports", app.base))
        .bearer_auth(app.officer())
        .header("content-type", "text/csv")
        .body("Kod,Ad\n7123,X\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = upload(&app, "extend", "text/csv", b"a,b\n1,2\n".to_vec()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["detail"].as_str().unwrap().contains("header"));
    let r = upload(&app, "sideways", "text/csv", csv(&synthetic(1))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn exemption_categories_are_managed_reference_data() {
    let app = spawn().await;
    let emp = app.employer(TIN_A);
    let admin = app.admin();
    let r = app.get("/api/v1/exemption-categories?per_page=100", &emp).await;
    assert_eq!(r.status, StatusCode::OK);
    let codes: Vec<_> =
        r.body["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_owned()).collect();
    assert!(codes.contains(&"liberated_territories".to_owned()) && codes.contains(&"permanent_resident".to_owned()));
    assert!(r.body["items"][0]["title_ru"].as_str().is_some_and(|t| !t.is_empty()));
    let new = json!({"title_az": "Diplomatik nümayəndəlik işçisi", "title_en": "Staff of a diplomatic mission", "title_ru": "Сотрудник дипломатического представительства"});
    assert_eq!(
        app.put("/api/v1/exemption-categories/diplomatic_staff", &emp, &new).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.put("/api/v1/exemption-categories/diplomatic_staff", &admin, &new).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.put("/api/v1/exemption-categories/Bad-Code", &admin, &new).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.put("/api/v1/exemption-categories/x", &admin, &json!({"title_az": " ", "title_en": "a", "title_ru": "b"}))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.delete("/api/v1/exemption-categories/diplomatic_staff", &admin).await.status,
        StatusCode::NO_CONTENT
    );
    let listed = app.get("/api/v1/exemption-categories?per_page=100", &emp).await;
    assert!(!listed.body["items"].as_array().unwrap().iter().any(|i| i["code"] == "diplomatic_staff"));
    let all = app.get("/api/v1/exemption-categories?per_page=100&include_retired=true", &emp).await;
    assert!(all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == "diplomatic_staff" && i["retired"] == true));
    assert_eq!(app.delete("/api/v1/exemption-categories/nothing_here", &admin).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn classification_reads_are_cacheable() {
    let app = spawn().await;
    let t = app.employer(TIN_A);
    for path in ["/api/v1/economic-activities", "/api/v1/occupations?q=fermer", "/api/v1/exemption-categories"] {
        let first = app.get(path, &t).await;
        let tag = first.header("etag").expect("an ETag");
        assert!(first.header("cache-control").unwrap().contains("max-age"));
        let again = app.send(Method::GET, path, Some(&t), None, &[("If-None-Match", &tag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        let other = app.send(Method::GET, path, Some(&t), None, &[("If-None-Match", "\"stale\"")]).await;
        assert_eq!(other.status, StatusCode::OK);
    }
}

/// A `multipart/form-data` body as a browser or a generated client sends it.
fn form(parts: &[(&str, Option<&str>, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "quota-test-boundary-7d4a36";
    let mut body = Vec::new();
    for (name, filename, content_type, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(f) = filename {
            body.extend_from_slice(format!("; filename=\"{f}\"").as_bytes());
        }
        body.extend_from_slice(format!("\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_import_may_come_as_a_form_with_the_part_file() {
    let app = spawn().await;
    let rows = synthetic(30);
    let book = xlsx(&rows);
    let (ct, body) =
        form(&[("note", None, "text/plain", b"sent from the portal"), ("file", Some("tesnifat.xlsx"), XLSX, &book)]);
    let r = upload(&app, "extend", &ct, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body, json!({"added": 30, "kept": 0, "retired": 0}));
    let (ct, body) = form(&[("file", Some("tesnifat.csv"), "text/csv", &csv(&rows))]);
    assert_eq!(upload(&app, "extend", &ct, body).await.body, json!({"added": 0, "kept": 30, "retired": 0}));
    // A form without the part names what is missing, and changes nothing.
    let (ct, body) = form(&[("document", Some("x.csv"), "text/csv", &csv(&rows))]);
    let r = upload(&app, "replace", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_codes(), vec![("file".to_owned(), "required".to_owned())]);
    assert_eq!(total(&app, "q=sinaq%20pesesi").await, 30);
}
