//! What an outsider writes and the API hands on or believes: titles that a
//! spreadsheet would run as formulas, tokens that claim to live for months or
//! to have been issued tomorrow, and classification files past their limits
//! (SPEC §3, §6; OWASP's CSV injection advice).

use quota_tests::*;
use reqwest::StatusCode;
use serde_json::json;

const Y: i32 = 2027;
const FORMULA: &str = "=HYPERLINK(\"http://example.invalid\",\"Bənna\")";

#[tokio::test]
async fn a_title_that_is_a_formula_is_inert_in_the_csv_and_intact_elsewhere() {
    let app = spawn().await;
    let admin = app.admin();
    let file = format!("Kod,Ad\n7123,\"{}\"\n", FORMULA.replace('"', "\"\""));
    let r = app
        .client
        .post(format!("{}/api/v1/occupations/imports?mode=extend", app.base))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let emp = app.employer(TIN_A);
    let id = app.create_draft(TIN_A, json!([line("7123", FORMULA, 10, 4)])).await;
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    let off = app.officer();
    assert_eq!(app.action(&id, "accept", &off).await.status, StatusCode::OK);

    // JSON keeps the text as the classification spells it.
    let drill = app.get(&format!("/api/v1/summaries/{Y}/activities/F"), &off).await;
    let titles: Vec<&str> =
        drill.body["occupations"].as_array().unwrap().iter().map(|o| o["occupation_title"].as_str().unwrap()).collect();
    assert_eq!(titles, [FORMULA]);

    // The CSV, read back as a spreadsheet reads it: the title cell begins
    // with the quote that makes it text, and every other text cell is as sent.
    let csv_text = String::from_utf8(app.fetch(&format!("/api/v1/summaries/{Y}/csv"), Some(&off)).await).unwrap();
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let occupation_cells: Vec<&str> = rows.iter().filter(|r| &r[9] == "7123").map(|r| &r[10]).collect();
    assert!(!occupation_cells.is_empty(), "{csv_text}");
    for cell in &occupation_cells {
        assert_eq!(*cell, format!("'{FORMULA}"));
    }
    for r in &rows {
        for cell in r.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a live cell {cell:?} in {csv_text}");
        }
    }

    // A snapshot's CSV is written by the same code.
    let snap = app.post(&format!("/api/v1/summaries/{Y}/snapshots"), &off, &json!(null)).await;
    assert_eq!(snap.status, StatusCode::CREATED, "{}", snap.body);
    let snap_csv =
        String::from_utf8(app.fetch(&format!("/api/v1/summaries/{Y}/snapshots/1/csv"), Some(&off)).await).unwrap();
    assert!(snap_csv.contains(&format!("\"'{}\"", FORMULA.replace('"', "\"\""))), "{snap_csv}");

    // XLSX writes cells as strings, never as formulas: the text is kept.
    let book_bytes = app.fetch(&format!("/api/v1/summaries/{Y}/xlsx"), Some(&off)).await;
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(book_bytes)).unwrap();
    let range = book.worksheet_range_at(1).unwrap().unwrap();
    let cells: Vec<String> = range.rows().skip(1).map(|r| r[3].to_string()).collect();
    assert!(cells.iter().all(|c| c == FORMULA), "{cells:?}");
    let formulas = book.worksheet_formula(&book.sheet_names()[1]).unwrap();
    assert!(formulas.used_cells().next().is_none(), "no cell of the workbook is a formula");
}

/// A token of `sub` as an officer, issued at `iat` and expiring at `exp`.
fn token_at(app: &TestApp, sub: &str, iat: i64, exp: i64) -> String {
    let mut claims = api::auth::claims_for(&app.auth, sub, &[domain::role::Role::Officer], None, iat, 0);
    claims.exp = exp;
    api::auth::mint(&app.auth, &claims).unwrap()
}

async fn refusal(app: &TestApp, token: &str) -> (StatusCode, String) {
    let r = app.get("/api/v1/forecasts", token).await;
    (r.status, r.body["detail"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn tokens_that_claim_too_long_a_life_or_a_future_issue_are_refused_with_the_reason() {
    let app = spawn().await;
    let now = chrono::Utc::now().timestamp();
    let day = api::config::DEFAULT_MAX_TOKEN_LIFETIME;

    // A day exactly is the default maximum; a second more is refused.
    assert_eq!(app.get("/api/v1/forecasts", &token_at(&app, "u1", now, now + day)).await.status, StatusCode::OK);
    let (status, detail) = refusal(&app, &token_at(&app, "u1", now, now + day + 1)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(detail.contains("token_lifetime_too_long"), "{detail}");
    let (status, detail) = refusal(&app, &token_at(&app, "u1", now - 10, now + 365 * day)).await;
    assert_eq!((status, detail.contains("token_lifetime_too_long")), (StatusCode::UNAUTHORIZED, true), "{detail}");

    // Issued an hour from now: refused, whatever its lifetime; within the
    // clock leeway (30 s) it is accepted.
    let (status, detail) = refusal(&app, &token_at(&app, "u1", now + 3600, now + 3660)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(detail.contains("token_issued_in_future"), "{detail}");
    assert_eq!(app.get("/api/v1/forecasts", &token_at(&app, "u1", now + 10, now + 70)).await.status, StatusCode::OK);

    // The answer is a problem document with RFC 6750's challenge.
    let r = app.get("/api/v1/forecasts", &token_at(&app, "u1", now, now + 2 * day)).await;
    assert_eq!(r.header("content-type").as_deref(), Some("application/problem+json"));
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer "), "{:?}", r.header("www-authenticate"));

    // A client-credentials token is held to the lifetime it is issued with
    // (CLIENT_TOKEN_TTL, 300 s here), not to the users' day.
    let (status, detail) = refusal(&app, &token_at(&app, "client:c1", now, now + 301)).await;
    assert_eq!((status, detail.contains("token_lifetime_too_long")), (StatusCode::UNAUTHORIZED, true), "{detail}");
    assert_eq!(app.get("/api/v1/forecasts", &token_at(&app, "client:c1", now, now + 300)).await.status, StatusCode::OK);
    // (tests/identity.rs exchanges a real client's secret for a token and files with it.)
}

/// A classification file of `rows` data rows with titles of their own.
fn classification(rows: u32) -> Vec<u8> {
    let mut file = String::from("Kod,Ad\n");
    for i in 0..rows {
        file.push_str(&format!("7123,Sınaq peşəsi {i}\n"));
    }
    file.into_bytes()
}

async fn occupations(app: &TestApp) -> i64 {
    app.get("/api/v1/occupations?per_page=1", &app.admin()).await.body["total"].as_i64().unwrap()
}

#[tokio::test]
async fn a_file_past_the_row_limit_is_refused_naming_the_limit_and_changes_nothing() {
    let app = spawn().await;
    let before = occupations(&app).await;
    let r = app
        .client
        .post(format!("{}/api/v1/occupations/imports?mode=extend", app.base))
        .bearer_auth(app.admin())
        .header("content-type", "text/csv")
        .body(classification(200_001))
        .send()
        .await
        .unwrap();
    let r = Resp::read(r).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_codes(), vec![("file".to_owned(), "too_many_rows".to_owned())]);
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("200000"), "{}", r.body);
    assert_eq!(occupations(&app).await, before);
}

#[tokio::test]
async fn an_upload_cut_off_halfway_imports_nothing() {
    use tokio::io::AsyncWriteExt;
    let app = spawn().await;
    let before = occupations(&app).await;
    let body = classification(20_000);
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/occupations/imports?mode=extend HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: text/csv\r\nContent-Length: {}\r\n\r\n",
        app.admin(),
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..body.len() / 2]).await.unwrap();
    stream.flush().await.unwrap();
    drop(stream);
    // The rows already sent are not imported, now or later; the server serves on.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(occupations(&app).await, before);
    let whole = app
        .client
        .post(format!("{}/api/v1/occupations/imports?mode=extend", app.base))
        .bearer_auth(app.admin())
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(occupations(&app).await, before + 20_000);
}
