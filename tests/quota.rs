//! From forecasts to the quota: summary, plan, public quota, permits (SPEC §5).

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub(crate) const Y: i32 = 2027;

/// What the test files: (tin, activity, lines as (code, title, total, foreigners, usage), final status).
/// (code, title, total, foreigners, quota usage)
pub(crate) type Line = (&'static str, &'static str, i64, i64, &'static str);
/// (TIN, economic activity, lines, final status)
pub(crate) type Filed = (String, &'static str, Vec<Line>, &'static str);

pub(crate) fn dataset() -> Vec<Filed> {
    vec![
        (
            tin(10_000_001, true),
            "F",
            vec![
                ("7123", "Bənna, xarici suvaq", 3, 3, "other"),
                ("6123", "Fermer, ipəkçilik", 3, 2, "liberated_territories"),
            ],
            "accepted",
        ),
        (tin(10_000_002, false), "41", vec![("7123", "Bənna, xarici suvaq", 2, 2, "other")], "accepted"),
        (
            tin(10_000_003, true),
            "A",
            vec![("6123", "Fermer, ipəkçilik", 10, 7, "other"), ("7123", "Bənna, xarici suvaq", 1, 1, "other")],
            "accepted",
        ),
        (tin(10_000_008, true), "F", vec![("7123", "Bənna, xarici suvaq", 9, 9, "other")], "accepted"),
        (tin(10_000_004, true), "F", vec![("7123", "Bənna, xarici suvaq", 5, 4, "other")], "submitted"),
        (tin(10_000_005, true), "A", vec![("6123", "Fermer, ipəkçilik", 4, 4, "liberated_territories")], "in_review"),
        (tin(10_000_006, true), "F", vec![("7123", "Bənna, xarici suvaq", 50, 50, "other")], "draft"),
        (tin(10_000_007, true), "F", vec![("7123", "Bənna, xarici suvaq", 60, 60, "other")], "withdrawn"),
        // Found wrong in review and rejected (SPEC §16.3.1): out of every
        // figure, its occupation "Plasterers" included.
        (
            tin(10_000_009, true),
            "F",
            vec![("7123", "Plasterers", 70, 70, "other"), ("6123", "Fermer, ipəkçilik", 8, 8, "liberated_territories")],
            "rejected",
        ),
    ]
}

pub(crate) async fn seed(app: &TestApp) {
    let off = app.officer();
    for (t, activity, lines, status) in dataset() {
        let lines: Vec<Value> = lines.iter().map(|(c, ti, n, f, u)| line_usage(c, ti, *n, *f, u)).collect();
        let r = app.post("/api/v1/forecasts", &app.employer(&t), &forecast_in(&t, activity, json!(lines))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let emp = app.employer(&t);
        match status {
            "draft" => {}
            "withdrawn" => assert_eq!(app.action(&id, "withdraw", &emp).await.status, StatusCode::OK),
            _ => {
                assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
                if status == "in_review" {
                    assert_eq!(app.action(&id, "start-review", &off).await.status, StatusCode::OK);
                }
                if status == "accepted" {
                    assert_eq!(app.action(&id, "accept", &off).await.status, StatusCode::OK);
                }
                if status == "rejected" {
                    let reason = json!({"reason": "The site belongs to another employer."});
                    let r = app.post(&format!("/api/v1/forecasts/{id}/reject"), &off, &reason).await;
                    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                }
            }
        }
    }
}

/// The summary computed here, from the dataset: section → [employers, forecasts, demand, quota, exempt].
pub(crate) fn expected(statuses: &[&str]) -> BTreeMap<String, [i64; 5]> {
    let section = |a: &str| {
        if a == "41" {
            "F".to_owned()
        } else {
            a.to_owned()
        }
    };
    let mut tins: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    let mut out: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    for (t, a, lines, status) in dataset() {
        if !statuses.contains(&status) {
            continue;
        }
        let s = section(a);
        tins.entry(s.clone()).or_default().insert(t);
        let e = out.entry(s).or_default();
        e[1] += 1;
        for (_, _, total, foreigners, usage) in lines {
            e[2] += total;
            if usage == "other" {
                e[3] += foreigners
            } else {
                e[4] += foreigners
            }
        }
    }
    for (s, set) in tins {
        out.get_mut(&s).unwrap()[0] = i64::try_from(set.len()).unwrap();
    }
    out
}

/// Distinct occupations (code and title) per section over `statuses`, and over all sections.
fn expected_occupations(statuses: &[&str]) -> (BTreeMap<String, usize>, usize) {
    let mut per: BTreeMap<String, std::collections::BTreeSet<(String, String)>> = BTreeMap::new();
    let mut all = std::collections::BTreeSet::new();
    for (_, a, lines, status) in dataset() {
        if statuses.contains(&status) {
            let s = if a == "41" { "F".to_owned() } else { a.to_owned() };
            for (code, title, ..) in lines {
                per.entry(s.clone()).or_default().insert((code.to_owned(), title.to_owned()));
                all.insert((code.to_owned(), title.to_owned()));
            }
        }
    }
    (per.into_iter().map(|(k, v)| (k, v.len())).collect(), all.len())
}

pub(crate) fn figures(v: &Value) -> [i64; 5] {
    ["employers", "forecasts", "demand_total", "quota_foreigners", "exempt_foreigners"].map(|k| v[k].as_i64().unwrap())
}

#[tokio::test]
async fn the_summary_equals_an_independent_computation_in_every_format() {
    let app = spawn().await;
    seed(&app).await;
    let staff = app.token(&[domain::role::Role::Commission], None);
    let r = app.get(&format!("/api/v1/summaries/{Y}"), &staff).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let got: BTreeMap<String, [i64; 5]> = r.body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["economic_activity"].as_str().unwrap().to_owned(), figures(&a["accepted"])))
        .collect();
    assert_eq!(got, expected(&["accepted"]));
    assert_eq!(r.body["activities"][1]["title"], "Construction");
    // Employers in total are distinct across activities, not a sum or a maximum.
    let distinct: std::collections::BTreeSet<String> =
        dataset().into_iter().filter(|d| d.3 == "accepted").map(|d| d.0).collect();
    assert_eq!(r.body["totals"]["accepted"]["employers"], distinct.len());
    assert!(r.body["activities"][0]["pending"].is_null());
    // Occupations too: distinct per activity, and across activities in total.
    let (per, all) = expected_occupations(&["accepted"]);
    let got: BTreeMap<String, usize> = r.body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["economic_activity"].as_str().unwrap().to_owned(),
                a["accepted"]["occupations"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(got, per);
    assert_eq!(r.body["totals"]["accepted"]["occupations"], all);
    assert!(all < per.values().sum::<usize>(), "the dataset has an occupation under two activities");

    let r = app.get(&format!("/api/v1/summaries/{Y}?include_pending=true"), &staff).await;
    let pending: BTreeMap<String, [i64; 5]> = r.body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["economic_activity"].as_str().unwrap().to_owned(), figures(&a["pending"])))
        .collect();
    assert_eq!(pending, expected(&["submitted", "in_review"]));

    // CSV parses back to the same numbers.
    let csv_text = String::from_utf8(app.fetch(&format!("/api/v1/summaries/{Y}/csv"), Some(&staff)).await).unwrap();
    // The first form of the export, `?format=csv`, still answers the same file.
    let old_form = app.fetch(&format!("/api/v1/summaries/{Y}?format=csv"), Some(&staff)).await;
    assert_eq!(String::from_utf8(old_form).unwrap(), csv_text);
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(rd.headers().unwrap().get(6), Some("Foreigners counting toward the quota"));
    assert_eq!(rd.headers().unwrap().get(10), Some("Occupation"));
    let mut from_csv: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    let mut csv_occupations: BTreeMap<(String, String), i64> = BTreeMap::new();
    for rec in rd.records() {
        let rec = rec.unwrap();
        let n = |i: usize| rec[i].parse::<i64>().unwrap();
        if !rec[9].is_empty() {
            // An occupation's row: demanded under the activity before it.
            csv_occupations.insert((rec[0].to_owned(), rec[9].to_owned()), n(6));
        } else if &rec[0] != "total" {
            from_csv.insert(rec[0].to_owned(), [n(3), n(4), n(5), n(6), n(7)]);
        }
    }
    assert_eq!(from_csv, expected(&["accepted"]));
    assert_eq!(csv_occupations[&("F".to_owned(), "7123".to_owned())], 3 + 2 + 9);

    // XLSX too: a sheet of activities, then one of occupations by activity.
    let bytes = app.fetch(&format!("/api/v1/summaries/{Y}/xlsx"), Some(&staff)).await;
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Economic activities", "Occupations by activity"]);
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let mut from_xlsx: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    for row in range.rows().skip(1) {
        let code = row[0].to_string();
        if code != "total" {
            let n = |i: usize| row[i].to_string().parse::<f64>().unwrap() as i64;
            from_xlsx.insert(code, [n(3), n(4), n(5), n(6), n(7)]);
        }
    }
    assert_eq!(from_xlsx, expected(&["accepted"]));

    // Drill-down per occupation within construction.
    let r = app.get(&format!("/api/v1/summaries/{Y}/activities/F"), &staff).await;
    let occ = r.body["occupations"].as_array().unwrap();
    let plaster = occ.iter().find(|o| o["occupation_code"] == "7123").unwrap();
    assert_eq!(plaster["accepted"]["employers"], 3);
    assert_eq!(plaster["accepted"]["demand_total"], 3 + 2 + 9);
    assert_eq!(plaster["accepted"]["quota_foreigners"], 3 + 2 + 9);
    let farmer = occ.iter().find(|o| o["occupation_code"] == "6123").unwrap();
    assert_eq!(farmer["accepted"]["exempt_foreigners"], 2);
    assert!(farmer["accepted"].get("occupations").is_none(), "an occupation's row counts no occupations");

    // Employers do not read summaries.
    assert_eq!(app.get(&format!("/api/v1/summaries/{Y}"), &app.employer(TIN_A)).await.status, StatusCode::FORBIDDEN);
}

async fn approved_plan(app: &TestApp, f_quota: i64) {
    let commission = app.token(&[domain::role::Role::Commission], None);
    let admin = app.admin();
    let r = app.post(&format!("/api/v1/quota-plans/{Y}"), &commission, &json!(null)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app.put(&format!("/api/v1/quota-plans/{Y}"), &commission, &json!({"entries": [{"economic_activity": "F", "proposed": f_quota}, {"economic_activity": "A", "proposed": 5}]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.action_plan("propose", &commission).await.status, StatusCode::OK);
    let r = app.put(&format!("/api/v1/quota-plans/{Y}"), &admin, &json!({"entries": [{"economic_activity": "F", "approved": f_quota}, {"economic_activity": "A", "approved": 3}]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.action_plan("approve", &admin).await.status, StatusCode::OK);
}

trait PlanActions {
    async fn action_plan(&self, action: &str, token: &str) -> Resp;
}

impl PlanActions for TestApp {
    async fn action_plan(&self, action: &str, token: &str) -> Resp {
        self.send(Method::POST, &format!("/api/v1/quota-plans/{Y}/{action}"), Some(token), None, &[]).await
    }
}

#[tokio::test]
async fn the_quota_plan_moves_from_draft_to_approved_by_the_right_hands() {
    let app = spawn().await;
    seed(&app).await;
    let commission = app.token(&[domain::role::Role::Commission], None);
    let admin = app.admin();
    let plan = format!("/api/v1/quota-plans/{Y}");
    assert_eq!(app.post(&plan, &app.officer(), &json!(null)).await.status, StatusCode::FORBIDDEN);
    let r = app.post(&plan, &commission, &json!(null)).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let prefilled: BTreeMap<String, i64> = r.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["economic_activity"].as_str().unwrap().to_owned(), e["proposed"].as_i64().unwrap()))
        .collect();
    let want: BTreeMap<String, i64> = expected(&["accepted"]).into_iter().map(|(k, v)| (k, v[3])).collect();
    assert_eq!(prefilled, want, "pre-filled from the summary");
    assert_eq!(app.post(&plan, &commission, &json!(null)).await.status, StatusCode::CONFLICT);
    // Admin cannot set approved numbers on a draft; the Commission cannot approve.
    assert_eq!(
        app.put(&plan, &admin, &json!({"entries": [{"economic_activity": "F", "approved": 1}]})).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(app.action_plan("approve", &commission).await.status, StatusCode::FORBIDDEN);
    let r = app.put(&plan, &commission, &json!({"entries": [{"economic_activity": "41", "proposed": 1}]})).await;
    assert_eq!(r.error_codes(), vec![("entries[0].economic_activity".to_owned(), "section_required".to_owned())]);
    let r = app.put(&plan, &commission, &json!({"entries": [{"economic_activity": "F", "proposed": 1200}, {"economic_activity": "A", "proposed": -1}]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .put(&plan, &commission, &json!({"entries": [{"economic_activity": "F", "proposed": 1, "approved": -1}]}))
        .await;
    assert_eq!(
        r.error_codes(),
        vec![("entries[0].approved".to_owned(), "out_of_range".to_owned())],
        "every number sent is checked"
    );
    let r = app
        .send(
            Method::PUT,
            &plan,
            Some(&commission),
            Some(&json!({"entries": [{"economic_activity": "F", "proposed": 1200}]})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["entries"].as_array().unwrap().len(), 1);
    let r = app.action_plan("propose", &commission).await;
    assert_eq!(r.body["status"], "proposed");
    assert_eq!(
        app.put(&plan, &commission, &json!({"entries": [{"economic_activity": "F", "proposed": 1}]})).await.status,
        StatusCode::CONFLICT
    );
    let r = app.action_plan("approve", &admin).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "approved numbers first: {}", r.body);
    let r = app.put(&plan, &admin, &json!({"entries": [{"economic_activity": "F", "approved": 1000}]})).await;
    assert_eq!(r.body["entries"][0]["approved"], 1000);
    let r = app.action_plan("approve", &admin).await;
    assert_eq!(r.body["status"], "approved");
    // Read-only now.
    let r = app.put(&plan, &admin, &json!({"entries": [{"economic_activity": "F", "approved": 9}]})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["current_status"], "approved");
    assert_eq!(app.action_plan("approve", &admin).await.status, StatusCode::CONFLICT);
    let h = app.get(&format!("{plan}/history"), &admin).await;
    let steps: Vec<_> =
        h.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(steps, ["create", "edit_proposed", "propose", "edit_approved", "approve"]);
    // Paged like every list.
    let h = app.get(&format!("{plan}/history?page=2&per_page=2"), &admin).await;
    assert_eq!(
        (h.body["page"].as_i64(), h.body["per_page"].as_i64(), h.body["total"].as_i64()),
        (Some(2), Some(2), Some(5))
    );
    let steps: Vec<_> =
        h.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(steps, ["propose", "edit_approved"]);
    // The approved quota is public.
    let r = app.send(Method::GET, &format!("/api/v1/quotas/{Y}"), None, None, &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body["activities"][0],
        json!({"economic_activity": "F", "title": "Construction", "in_quota": true, "approved": 1000, "used": 0,
            "remaining": 1000, "exempt": 0, "ended": 0})
    );
    assert_eq!(app.send(Method::GET, "/api/v1/quotas/2031", None, None, &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn two_hundred_permits_at_once_against_a_quota_of_fifty() {
    let app = spawn().await;
    approved_plan(&app, 50).await;
    let off = app.officer();
    let path = format!("/api/v1/quotas/{Y}/allocations");
    let calls = (0..200).map(|i| {
        let body =
            json!({"permit_ref": format!("WP-{Y}-{i:06}"), "economic_activity": if i % 2 == 0 { "F" } else { "41" }});
        let (app, off, path) = (&app, off.clone(), path.clone());
        async move { app.post(&path, &off, &body).await }
    });
    let results = futures_util::future::join_all(calls).await;
    let created = results.iter().filter(|r| r.status == StatusCode::CREATED).count();
    let exhausted = results
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT && r.body["type"] == "/problems/quota-exhausted")
        .count();
    assert_eq!((created, exhausted), (50, 150), "{:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
    let q = app.send(Method::GET, &format!("/api/v1/quotas/{Y}"), None, None, &[]).await;
    let f = q.body["activities"].as_array().unwrap().iter().find(|a| a["economic_activity"] == "F").unwrap().clone();
    assert_eq!((f["used"].as_i64(), f["remaining"].as_i64()), (Some(50), Some(0)));

    // A repeat of a recorded reference changes nothing.
    let first = results.iter().position(|r| r.status == StatusCode::CREATED).unwrap();
    let repeat_body = json!({"permit_ref": format!("WP-{Y}-{first:06}"), "economic_activity": if first % 2 == 0 { "F" } else { "41" }});
    let r = app.post(&path, &off, &repeat_body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["used"], 50);
    let mut other = repeat_body.clone();
    other["economic_activity"] = json!("A");
    assert_eq!(app.post(&path, &off, &other).await.body["type"], "/problems/permit-conflict");

    // A cancellation frees one unit, which the next permit takes.
    let r = app.delete(&format!("{path}/WP-{Y}-{first:06}"), &off).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["remaining"], 1);
    assert_eq!(
        app.delete(&format!("{path}/WP-{Y}-{first:06}"), &off).await.body["remaining"],
        1,
        "cancelling twice changes nothing"
    );
    assert_eq!(
        app.post(&path, &off, &json!({"permit_ref": "WP-NEW-1", "economic_activity": "F"})).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post(&path, &off, &json!({"permit_ref": "WP-NEW-2", "economic_activity": "F"})).await.status,
        StatusCode::CONFLICT
    );

    // An exempt permit consumes nothing, even with the quota exhausted.
    let r = app
        .post(
            &path,
            &off,
            &json!({"permit_ref": "WP-EX-1", "economic_activity": "F", "exemption": "liberated_territories"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.body["used"].as_i64(), r.body["remaining"].as_i64()), (Some(50), Some(0)));
    let r = app
        .post(&path, &off, &json!({"permit_ref": "WP-EX-2", "economic_activity": "F", "exemption": "no_such"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Only officers record permits.
    assert_eq!(
        app.post(&path, &app.admin(), &json!({"permit_ref": "X1", "economic_activity": "F"})).await.status,
        StatusCode::FORBIDDEN
    );
}

/// A retry of a permit sent while the first attempt is still running, with
/// one unit left: the permit is recorded once, and neither answer may say
/// the quota is exhausted (the retry is told about the recorded permit).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_new_permit_sent_at_once_for_the_last_unit_is_recorded_once() {
    let app = spawn().await;
    approved_plan(&app, 1).await;
    let off = app.officer();
    let path = format!("/api/v1/quotas/{Y}/allocations");
    for round in 0..10 {
        let body = json!({"permit_ref": format!("WP-RACE-{round}"), "economic_activity": "F"});
        let calls = (0..4).map(|_| {
            let (app, off, path, body) = (&app, off.clone(), path.clone(), body.clone());
            async move { app.post(&path, &off, &body).await }
        });
        let results = futures_util::future::join_all(calls).await;
        let statuses: Vec<_> = results.iter().map(|r| (r.status, r.body["type"].clone())).collect();
        let created = results.iter().filter(|r| r.status == StatusCode::CREATED).count();
        let repeated = results.iter().filter(|r| r.status == StatusCode::OK).count();
        assert_eq!((created, repeated), (1, 3), "round {round}: {statuses:?}");
        assert!(results.iter().all(|r| r.body["used"] == 1 && r.body["remaining"] == 0), "round {round}");
        // Free the unit for the next round.
        let r = app.delete(&format!("{path}/WP-RACE-{round}"), &off).await;
        assert_eq!((r.status, r.body["remaining"].as_i64()), (StatusCode::OK, Some(1)), "{}", r.body);
    }
}

#[tokio::test]
async fn permits_wait_for_an_approved_plan_and_accuracy_compares_forecast_and_permits() {
    let app = spawn().await;
    seed(&app).await;
    let off = app.officer();
    let path = format!("/api/v1/quotas/{Y}/allocations");
    let r = app.post(&path, &off, &json!({"permit_ref": "WP-1", "economic_activity": "F"})).await;
    assert_eq!(r.body["type"], "/problems/quota-not-approved");
    approved_plan(&app, 100).await;
    let t1 = tin(10_000_001, true);
    for i in 0..5 {
        let r = app
            .post(&path, &off, &json!({"permit_ref": format!("WP-A-{i}"), "economic_activity": "F", "tin": t1}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = app.get(&format!("/api/v1/reports/forecast-accuracy/{Y}"), &off).await;
    let f = r.body["rows"].as_array().unwrap().iter().find(|x| x["key"] == "F").unwrap().clone();
    assert_eq!(f["forecast"], expected(&["accepted"])["F"][3]);
    assert_eq!(f["permits"], 5);
    let r = app.get(&format!("/api/v1/reports/forecast-accuracy/{Y}?by=employer"), &off).await;
    let e = r.body["rows"].as_array().unwrap().iter().find(|x| x["key"] == t1.as_str()).unwrap().clone();
    assert_eq!(e["forecast"], 3);
    assert_eq!(e["permits"], 5);
    assert_eq!(e["difference"], 5 - 3);
}

/// The campaign's proposal and approval deadlines are the plan's targets,
/// not walls (SPEC §16.1.1): a late proposal is taken, a late approval needs
/// the Cabinet order and shows `late`; after the target year nothing is.
#[tokio::test]
async fn the_plan_keeps_the_campaigns_dates_as_targets_until_the_year_ends() {
    let app = spawn().await;
    seed(&app).await;
    let commission = app.token(&[domain::role::Role::Commission], None);
    let admin = app.admin();
    assert_eq!(
        app.post(&format!("/api/v1/quota-plans/{Y}"), &commission, &json!(null)).await.status,
        StatusCode::CREATED
    );
    // 16 October in Baku: the proposal deadline (15 October) has passed, and
    // the Commission still proposes.
    app.clock.set("2026-10-15T20:00:01Z".parse().unwrap());
    let r = app.action_plan("propose", &commission).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let approved =
        json!({"entries": [{"economic_activity": "A", "approved": 1}, {"economic_activity": "F", "approved": 2}]});
    assert_eq!(app.put(&format!("/api/v1/quota-plans/{Y}"), &admin, &approved).await.status, StatusCode::OK);
    // After the approval deadline (1 December) an approval names its order.
    app.clock.set("2026-12-02T08:00:00Z".parse().unwrap());
    let r = app.action_plan("approve", &admin).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.error_codes(),
        vec![("order_number".to_owned(), "required".to_owned()), ("order_date".to_owned(), "required".to_owned())]
    );
    assert_eq!(
        app.get(&format!("/api/v1/quota-plans/{Y}"), &admin).await.body["status"],
        "proposed",
        "nothing changed"
    );
    // After the target year, the year is over.
    app.clock.set("2027-12-31T20:00:01Z".parse().unwrap());
    let order = json!({"order_number": "1s", "order_date": "2027-12-01"});
    let path = format!("/api/v1/quota-plans/{Y}/approve");
    let r = app.post(&path, &admin, &order).await;
    assert_eq!(r.body["type"], "/problems/approval-deadline-passed", "{}", r.body);
    assert_eq!(r.body["deadline"], "2027-12-31");
    app.clock.set("2027-12-31T19:00:00Z".parse().unwrap());
    let r = app.post(&path, &admin, &order).await;
    assert_eq!(r.status, StatusCode::OK, "the last day counts: {}", r.body);
    assert_eq!((r.body["late"].as_bool(), r.body["order"]["number"].as_str()), (Some(true), Some("1s")));
}

/// The summary's year is read from the path as every `{year}` is: one
/// spelling, 2000–2100, else 404, before the role is asked (403).
#[tokio::test]
async fn a_summary_year_has_one_spelling_and_is_checked_before_the_role() {
    let app = spawn().await;
    let staff = app.officer();
    let employer = app.employer("1012345061");
    for suffix in ["", "/csv", "/xlsx", "?format=csv"] {
        for year in ["02027", "+2027", "1999", "abcd"] {
            let path = format!("/api/v1/summaries/{year}{suffix}");
            assert_eq!(app.get(&path, &staff).await.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(app.get(&path, &employer).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let path = format!("/api/v1/summaries/{Y}{suffix}");
        assert_eq!(app.get(&path, &employer).await.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(app.get(&path, &staff).await.status, StatusCode::OK, "{path}");
    }
}
