//! The exports and the frozen snapshots of the summary (SPEC §15.5): what
//! the Commission is given, with its occupations, in the caller's language.

use crate::quota::{expected, figures, seed, Y};
use quota_tests::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// (activity, occupation code, title) → [employers, demand, quota, exempt].
type OccupationFigures = BTreeMap<(String, String, String), [i64; 4]>;

/// The sheet names, the occupation sheet's header, and its figures, of an
/// XLSX export (of accepted forecasts only).
fn xlsx_occupations(bytes: Vec<u8>) -> (Vec<String>, Vec<String>, OccupationFigures) {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    let range = book.worksheet_range_at(1).unwrap().unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let mut out = BTreeMap::new();
    for row in rows {
        let n = |i: usize| row[i].to_string().parse::<f64>().unwrap() as i64;
        let key = (row[0].to_string(), row[2].to_string(), row[3].to_string());
        assert!(out.insert(key, [n(5), n(6), n(7), n(8)]).is_none(), "one row per occupation and bucket");
    }
    (names, header, out)
}

#[tokio::test]
async fn the_exports_carry_occupations_with_headers_in_the_callers_language() {
    let app = spawn().await;
    seed(&app).await;
    let staff = app.officer();
    // The drill-down of every activity, as JSON.
    let mut want = BTreeMap::new();
    for a in ["A", "F"] {
        let r = app.get(&format!("/api/v1/summaries/{Y}/activities/{a}"), &staff).await;
        for o in r.body["occupations"].as_array().unwrap() {
            let f = &o["accepted"];
            let n = |k: &str| f[k].as_i64().unwrap();
            let key = (
                a.to_owned(),
                o["occupation_code"].as_str().unwrap().to_owned(),
                o["occupation_title"].as_str().unwrap().to_owned(),
            );
            want.insert(key, [n("employers"), n("demand_total"), n("quota_foreigners"), n("exempt_foreigners")]);
        }
    }
    let get = |path: String, lang: &'static str| {
        let (app, staff) = (&app, staff.clone());
        async move {
            let r = app.client.get(format!("{}{path}", app.base)).bearer_auth(staff).header("Accept-Language", lang);
            let r = r.send().await.unwrap();
            assert_eq!(r.headers()["content-language"], lang);
            r.bytes().await.unwrap().to_vec()
        }
    };
    let (names, header, got) = xlsx_occupations(get(format!("/api/v1/summaries/{Y}/xlsx"), "az").await);
    assert_eq!(got, want, "the occupations parse back to the drill-down's numbers");
    assert_eq!(names, ["Fəaliyyət növləri", "Fəaliyyət növü üzrə peşələr"]);
    assert_eq!(header[2], "Peşənin kodu");
    let csv = String::from_utf8(get(format!("/api/v1/summaries/{Y}/csv"), "ru").await).unwrap();
    let first = csv.lines().next().unwrap();
    assert!(first.starts_with("Код вида экономической деятельности,"), "{first}");
    assert!(csv.lines().last().unwrap().starts_with("total,Все виды экономической деятельности,принятые,"));
}

/// The id of the dataset's forecast filed by `t`, as an officer lists it.
async fn forecast_of(app: &TestApp, t: &str) -> String {
    let r = app.get(&format!("/api/v1/forecasts?tin={t}"), &app.officer()).await;
    r.body["items"][0]["id"].as_str().unwrap().to_owned()
}

/// The snapshot's occupations: (activity, code, title) → [employers, demand, quota, exempt].
fn snapshot_occupations(s: &Value) -> OccupationFigures {
    let mut out = BTreeMap::new();
    for a in s["activities"].as_array().unwrap() {
        for o in a["occupations"].as_array().unwrap() {
            let f = &o["accepted"];
            let n = |k: &str| f[k].as_i64().unwrap();
            let key = (
                a["economic_activity"].as_str().unwrap().to_owned(),
                o["occupation_code"].as_str().unwrap().to_owned(),
                o["occupation_title"].as_str().unwrap().to_owned(),
            );
            out.insert(key, [n("employers"), n("demand_total"), n("quota_foreigners"), n("exempt_foreigners")]);
        }
    }
    out
}

#[tokio::test]
async fn a_snapshot_stays_what_the_commission_was_given() {
    let app = spawn().await;
    seed(&app).await;
    let (off, admin) = (app.officer(), app.admin());
    let commission = app.token(&[domain::role::Role::Commission], None);
    let snapshots = format!("/api/v1/summaries/{Y}/snapshots");
    assert_eq!(app.post(&snapshots, &commission, &json!(null)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&snapshots, &app.employer(TIN_A)).await.status, StatusCode::FORBIDDEN);
    let live = app.get(&format!("/api/v1/summaries/{Y}"), &off).await.body;
    let first = app.post(&snapshots, &off, &json!(null)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.body["number"], 1);
    assert_eq!(first.header("location"), Some(format!("{snapshots}/1")));
    // What was frozen is the summary of that moment, with its occupations.
    let frozen: BTreeMap<String, [i64; 5]> = first.body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["economic_activity"].as_str().unwrap().to_owned(), figures(&a["accepted"])))
        .collect();
    assert_eq!(frozen, expected(&["accepted"]));
    assert_eq!(first.body["totals"], live["totals"]["accepted"]);
    let f = first.body["activities"].as_array().unwrap().iter().find(|a| a["economic_activity"] == "F").unwrap();
    assert_eq!(f["title"], "Construction");
    assert_eq!(f["accepted"]["occupations"], f["occupations"].as_array().unwrap().len());
    let plaster = f["occupations"].as_array().unwrap().iter().find(|o| o["occupation_code"] == "7123").unwrap();
    assert_eq!(plaster["accepted"]["quota_foreigners"], 3 + 2 + 9);

    // Later acceptances change the live summary, not the snapshot.
    let pending = forecast_of(&app, &tin(10_000_004, true)).await;
    assert_eq!(app.action(&pending, "accept", &off).await.status, StatusCode::OK);
    let again = app.get(&format!("{snapshots}/1"), &commission).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "snapshot 1 is what it was");
    let live = app.get(&format!("/api/v1/summaries/{Y}"), &off).await.body;
    assert_ne!(live["totals"]["accepted"], first.body["totals"]);
    let second = app.post(&snapshots, &off, &json!(null)).await;
    assert_eq!((second.body["number"].as_i64(), &second.body["totals"]), (Some(2), &live["totals"]["accepted"]));
    let list = app.get(&format!("{snapshots}?per_page=1"), &admin).await;
    assert_eq!((list.body["total"].as_i64(), list.body["items"][0]["number"].as_i64()), (Some(2), Some(2)));
    assert_eq!(list.body["items"][0]["taken_by"], "officer-staff");

    // The exports of a snapshot parse back to its numbers.
    let xlsx = app.fetch(&format!("{snapshots}/1/xlsx"), Some(&commission)).await;
    let (names, header, occupations) = xlsx_occupations(xlsx);
    assert_eq!(names, ["Economic activities", "Occupations by activity"]);
    assert_eq!(header[3], "Occupation");
    assert_eq!(occupations, snapshot_occupations(&first.body), "per occupation, the snapshot's numbers");
    let csv_text = String::from_utf8(app.fetch(&format!("{snapshots}/1/csv"), Some(&commission)).await).unwrap();
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let from_csv: BTreeMap<String, [i64; 5]> = rd
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[9].is_empty() && &r[0] != "total")
        .map(|r| {
            let n = |i: usize| r[i].parse::<i64>().unwrap();
            (r[0].to_owned(), [n(3), n(4), n(5), n(6), n(7)])
        })
        .collect();
    assert_eq!(from_csv, frozen);

    // A plan created now starts from the latest snapshot, not from later acceptances.
    let draft = forecast_of(&app, &tin(10_000_006, true)).await;
    assert_eq!(app.action(&draft, "submit", &app.employer(&tin(10_000_006, true))).await.status, StatusCode::OK);
    assert_eq!(app.action(&draft, "accept", &off).await.status, StatusCode::OK);
    let plan = app.post(&format!("/api/v1/quota-plans/{Y}"), &commission, &json!(null)).await;
    assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.body);
    let prefilled: BTreeMap<String, i64> = plan.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["economic_activity"].as_str().unwrap().to_owned(), e["proposed"].as_i64().unwrap()))
        .collect();
    let from_second: BTreeMap<String, i64> = second.body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (a["economic_activity"].as_str().unwrap().to_owned(), a["accepted"]["quota_foreigners"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(prefilled, from_second);

    // Unknown numbers and other spellings are not found; the database refuses changes.
    for path in ["3", "0", "01"] {
        assert_eq!(app.get(&format!("{snapshots}/{path}"), &off).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let changed = app.db.write(|c| {
        use diesel::connection::SimpleConnection;
        c.batch_execute("UPDATE summary_snapshot_activities SET quota_foreigners = 0")
            .map_err(persistence::StoreError::from)
    });
    assert!(changed.is_err(), "snapshots are append-only");
}
