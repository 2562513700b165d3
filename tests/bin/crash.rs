//! The crash test (SPEC §8: "an answer of 2xx means the change is durable").
//! The real `quota-api` binary takes create-and-submit forecasts and work
//! permits from concurrent clients and is killed with SIGKILL in the middle
//! of it; it is started again on the same database, and then:
//!
//! - every forecast and permit it acknowledged (2xx) is stored: 0 lost;
//! - nothing is half-written: every stored forecast is submitted, holds the
//!   lines its row counts, and its history reads created, then submitted;
//!   every activity's `used` equals the permits stored against it;
//! - the webhook outbox (SPEC §17) matches: every stored forecast of an
//!   employer with an endpoint has exactly one `forecast.submitted`
//!   delivery queued, and no delivery tells of a forecast that is not
//!   stored (half the employers have an endpoint, so filings go through
//!   both the one-statement path and the transaction that writes the event);
//! - a request whose answer the kill swallowed, sent again with its
//!   `Idempotency-Key` (as an ERP system would), is settled once: no
//!   employer ends up with two forecasts, no permit is counted twice.
//!
//! Each backend gets a fresh database (a temporary SQLite file, or a new
//! PostgreSQL database, dropped at the end) and several rounds on it.
//!
//! Usage: quota-crash [--bin PATH] [--rounds N] [--kill-after-ms MS] sqlite|postgres ...
//!   --bin defaults to `quota-api` beside this binary. PostgreSQL is reached
//!   at CRASH_PG_URL, else TEST_DATABASE_URL, else
//!   postgres://postgres@127.0.0.1:5432/postgres.

// A test program fails by saying so and exiting; a panic is such an exit.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::prelude::*;
use domain::role::Role;
use persistence::schema::{
    forecast_history as h, forecast_lines as fl, forecasts as f, quota_allocations as qa, quota_plan_entries as qe,
    webhook_deliveries as wd, webhook_endpoints as we,
};
use persistence::{Db, DbSettings, Target};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FORECAST_CLIENTS: usize = 6;
const PERMIT_CLIENTS: usize = 4;
/// Employers with a confirmed e-mail: one forecast each per year (SPEC §15.2).
const EMPLOYERS: u32 = 10_000;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

/// The servers this program started and has not killed yet.
static SERVERS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("quota-crash: {msg}");
    // `exit` runs no destructors: the servers still running are ended here.
    for pid in SERVERS.lock().map(|s| s.clone()).unwrap_or_default() {
        let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
    }
    std::process::exit(1)
}

/// A create-and-submit request as sent: whom for, its key and body.
#[derive(Clone)]
struct ForecastRequest {
    tin: String,
    key: String,
    body: Value,
    lines: usize,
}

/// What the clients of one round saw.
#[derive(Default)]
struct Seen {
    /// Acknowledged forecasts: id → the request.
    forecasts: Vec<(String, ForecastRequest)>,
    /// Forecast requests whose answer never came (the kill).
    forecasts_unanswered: Vec<ForecastRequest>,
    permits: Vec<String>,
    permits_unanswered: Vec<Value>,
    /// Answers other than the expected 2xx, by status.
    other: BTreeMap<u16, u64>,
}

struct Server {
    child: Child,
    base: String,
}

struct Backend {
    name: String,
    database_url: String,
    /// The PostgreSQL server and database to drop at the end.
    pg: Option<(String, String)>,
    dir: tempfile::TempDir,
    bin: std::path::PathBuf,
}

impl Backend {
    fn new(name: &str, bin: &std::path::Path) -> Backend {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg) = match name {
            "sqlite" => (format!("sqlite://{}/quota.db", dir.path().display()), None),
            "postgres" => {
                let admin = std::env::var("CRASH_PG_URL")
                    .or_else(|_| std::env::var("TEST_DATABASE_URL"))
                    .ok()
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
                let db = format!("quota_crash_{}", uuid::Uuid::new_v4().simple());
                let url = persistence::db::testing::create_database(&admin, &db)
                    .unwrap_or_else(|e| fail(format!("cannot create a PostgreSQL database at {admin}: {e}")));
                (url, Some((admin, db)))
            }
            other => fail(format!("backend must be sqlite or postgres, not {other}")),
        };
        Backend { name: name.to_owned(), database_url, pg, dir, bin: bin.to_owned() }
    }

    /// Starts the server and waits until it is ready.
    async fn start(&self, client: &reqwest::Client) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .expect("server log");
        let child = Command::new(&self.bin)
            .arg("serve")
            // Nothing of the caller's environment or `.env` decides how it runs.
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("DATA_DIR", self.dir.path().join("data"))
            .env("DATABASE_URL", &self.database_url)
            .env("AUTH_JWT_SECRET", String::from_utf8_lossy(quota_tests::SECRET).as_ref())
            .env("RATE_LIMIT_PER_SECOND", "1000000")
            .env("RATE_LIMIT_BURST", "1000000")
            .env("RUST_LOG", "warn")
            .env("WEBHOOK_SECRET_KEY", quota_tests::WEBHOOK_KEY)
            // The endpoints point at 127.0.0.1:9, where nothing listens:
            // deliveries stay queued and are retried, which is all this needs.
            .env("WEBHOOK_ALLOW_PRIVATE", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| fail(format!("cannot start {}: {e}", self.bin.display())));
        if let Ok(mut servers) = SERVERS.lock() {
            servers.push(child.id());
        }
        let base = format!("http://127.0.0.1:{port}");
        let mut server = Server { child, base };
        let started = Instant::now();
        loop {
            let ready = client.get(format!("{}/health/ready", server.base)).send().await;
            if ready.is_ok_and(|r| r.status() == StatusCode::OK) {
                return server;
            }
            if started.elapsed() > Duration::from_secs(60) || server.child.try_wait().ok().flatten().is_some() {
                let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
                fail(format!("the server did not become ready:\n{log}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn db(&self) -> Db {
        let target = Target::from_url(&self.database_url).expect("database url");
        Db::open(DbSettings::new(target))
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some((admin, db)) = self.pg.take() {
            let _ = persistence::db::testing::drop_database(&admin, &db);
        }
    }
}

impl Server {
    /// SIGKILL: no shutdown, no flushing, as a crash or an OOM kill.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let pid = self.child.id();
        if let Ok(mut servers) = SERVERS.lock() {
            servers.retain(|p| *p != pid);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn token(roles: &[Role], tin: Option<&str>) -> String {
    let cfg = quota_tests::auth_config();
    let now = chrono::Utc::now().timestamp();
    let sub = format!("crash-{}", tin.unwrap_or(roles.first().map_or("staff", |r| r.as_str())));
    api::auth::mint(&cfg, &api::auth::claims_for(&cfg, &sub, roles, tin, now, 3600)).expect("mint")
}

async fn call(client: &reqwest::Client, method: reqwest::Method, url: String, token: &str, body: Value) -> Value {
    let r = client.request(method.clone(), &url).bearer_auth(token).json(&body).send().await;
    let r = r.unwrap_or_else(|e| fail(format!("{method} {url}: {e}")));
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        fail(format!("preparing: {method} {url} answered {status}: {body}"));
    }
    body
}

/// The next target year (Baku time, UTC+4), its campaign open all of this
/// year, a quota of a million permits for section F, and employers with
/// confirmed e-mails (seeded in the database: the e-mail flow has its tests).
async fn prepare(backend: &Backend, server: &Server, client: &reqwest::Client) -> (i32, Vec<(String, String)>) {
    use chrono::Datelike;
    let year = (chrono::Utc::now() + chrono::Duration::hours(4)).year() + 1;
    let last = format!("{}-12-31", year - 1);
    let (admin, commission) = (token(&[Role::Admin], None), token(&[Role::Commission], None));
    let b = &server.base;
    let put = reqwest::Method::PUT;
    let post = reqwest::Method::POST;
    call(
        client,
        put.clone(),
        format!("{b}/api/v1/campaigns/{year}"),
        &admin,
        json!({
            "target_year": year, "opens_on": format!("{}-01-01", year - 1), "submission_deadline": last,
            "correction_deadline": last, "commission_inputs_deadline": last, "proposal_deadline": last,
            "approval_deadline": last
        }),
    )
    .await;
    let plan = format!("{b}/api/v1/quota-plans/{year}");
    call(client, post.clone(), plan.clone(), &commission, Value::Null).await;
    call(
        client,
        put.clone(),
        plan.clone(),
        &commission,
        json!({"entries": [{"economic_activity": "F", "proposed": 1_000_000}]}),
    )
    .await;
    call(client, post.clone(), format!("{plan}/propose"), &commission, Value::Null).await;
    call(client, put, plan.clone(), &admin, json!({"entries": [{"economic_activity": "F", "approved": 1_000_000}]}))
        .await;
    call(client, post, format!("{plan}/approve"), &admin, Value::Null).await;
    let occupations = client
        .get(format!("{b}/api/v1/occupations?per_page=3"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("occupations")
        .json::<Value>()
        .await
        .expect("occupations body");
    let occupations: Vec<(String, String)> = occupations["items"]
        .as_array()
        .expect("occupation items")
        .iter()
        .map(|o| (o["code"].as_str().unwrap_or("").to_owned(), o["title"].as_str().unwrap_or("").to_owned()))
        .collect();
    let db = backend.db();
    let now = chrono::Utc::now().naive_utc();
    let sealer = application::webhooks::Sealer::from_base64(quota_tests::WEBHOOK_KEY).expect("webhook key");
    let sealed = sealer.seal(&application::webhooks::new_secret()).expect("seal");
    tokio::task::spawn_blocking(move || {
        db.write(|c| {
            for n in 0..EMPLOYERS {
                let tin = quota_tests::tin(10_000 + n * 7, true);
                persistence::identity::set_confirmed(c, &tin, &format!("hr@{tin}.example.az"), now)?;
                if n % 2 == 0 {
                    let (client, endpoint) = (format!("qc_crash{n:08}"), format!("ep_crash{n:08}"));
                    persistence::identity::create_client(c, &client, "Crash ERP", &tin, "-", now)?;
                    persistence::webhooks::insert_endpoint(
                        c,
                        &persistence::webhooks::NewEndpoint {
                            id: &endpoint,
                            client_id: &client,
                            tin: &tin,
                            url: "http://127.0.0.1:9/hooks",
                            events: "forecast.submitted",
                            description: None,
                            secret: &sealed,
                            version: 1,
                            created_at: now,
                            updated_at: now,
                        },
                    )?;
                }
            }
            Ok::<_, persistence::StoreError>(())
        })
    })
    .await
    .expect("seeding")
    .unwrap_or_else(|e| fail(format!("seeding confirmed e-mails: {e}")));
    (year, occupations)
}

/// Runs the clients against `server` until it dies (the kill), and returns
/// what they saw.
async fn load(
    server: &mut Server,
    client: &reqwest::Client,
    year: i32,
    occupations: &[(String, String)],
    round: u32,
    next_employer: &Arc<AtomicU32>,
    kill_after: Duration,
) -> Seen {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let officer = token(&[Role::Officer], None);
    let permits = Arc::new(AtomicU32::new(0));
    let mut tasks = Vec::new();
    for _ in 0..FORECAST_CLIENTS {
        let (client, seen, stop, next) = (client.clone(), seen.clone(), stop.clone(), next_employer.clone());
        let (url, occupations) = (format!("{}/api/v1/forecasts", server.base), occupations.to_vec());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= EMPLOYERS {
                    // Every seeded employer has filed for the year: this
                    // client is done, the others go on.
                    return;
                }
                let tin = quota_tests::tin(10_000 + n * 7, true);
                let lines: Vec<Value> = occupations
                    .iter()
                    .take(1 + n as usize % occupations.len().max(1))
                    .map(|(code, title)| quota_tests::line(code, title, 3, 2))
                    .collect();
                let mut body = quota_tests::forecast_body(&tin, json!(lines));
                body["submit"] = json!(true);
                body["target_year"] = json!(year);
                let req =
                    ForecastRequest { tin: tin.clone(), key: format!("crash-{round}-{n}"), body, lines: lines.len() };
                let sent = client
                    .post(&url)
                    .bearer_auth(token(&[Role::Employer], Some(&tin)))
                    .header("Idempotency-Key", &req.key)
                    .json(&req.body)
                    .send()
                    .await;
                let answer = match sent {
                    Ok(r) => {
                        let status = r.status();
                        r.json::<Value>().await.map(|b| (status, b)).ok()
                    }
                    Err(_) => None,
                };
                let mut s = seen.lock().expect("seen");
                match answer {
                    Some((StatusCode::CREATED, b)) => {
                        s.forecasts.push((b["id"].as_str().unwrap_or_default().to_owned(), req));
                    }
                    Some((status, _)) => *s.other.entry(status.as_u16()).or_default() += 1,
                    None => {
                        s.forecasts_unanswered.push(req);
                        return;
                    }
                }
            }
        }));
    }
    for _ in 0..PERMIT_CLIENTS {
        let (client, seen, stop, permits, officer) =
            (client.clone(), seen.clone(), stop.clone(), permits.clone(), officer.clone());
        let url = format!("{}/api/v1/quotas/{year}/allocations", server.base);
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let n = permits.fetch_add(1, Ordering::SeqCst);
                let body = json!({
                    "permit_ref": format!("WP-CRASH-{round}-{n:06}"),
                    "economic_activity": if n % 2 == 0 { "F" } else { "41" },
                });
                let answer = client.post(&url).bearer_auth(&officer).json(&body).send().await;
                let answer = match answer {
                    Ok(r) => {
                        let status = r.status();
                        r.bytes().await.map(|_| status).ok()
                    }
                    Err(_) => None,
                };
                let mut s = seen.lock().expect("seen");
                match answer {
                    Some(StatusCode::CREATED) => s.permits.push(body["permit_ref"].as_str().unwrap_or("").to_owned()),
                    Some(status) => *s.other.entry(status.as_u16()).or_default() += 1,
                    None => {
                        s.permits_unanswered.push(body);
                        return;
                    }
                }
            }
        }));
    }
    tokio::time::sleep(kill_after).await;
    server.kill();
    stop.store(true, Ordering::SeqCst);
    for t in tasks {
        let _ = t.await;
    }
    Arc::try_unwrap(seen).ok().expect("clients done").into_inner().expect("seen")
}

/// What the database holds.
struct Stored {
    /// id → (tin, status, line_count, lines stored, history as to_status in order)
    forecasts: HashMap<String, (String, String, i32, usize, Vec<String>)>,
    /// permit_ref → (section, exempt, cancelled)
    permits: HashMap<String, (String, bool, bool)>,
    used: BTreeMap<String, i64>,
    orphans: usize,
    /// The TINs with a webhook endpoint.
    subscribed: HashSet<String>,
    /// subject → `forecast.submitted` deliveries queued for it.
    deliveries: HashMap<String, usize>,
}

fn read_stored(db: &Db, year: i32) -> Stored {
    db.read(|c| {
        let rows: Vec<(String, String, String, i32)> =
            f::table.select((f::id, f::tin, f::status, f::line_count)).load(c)?;
        let line_owners: Vec<String> = fl::table.select(fl::forecast_id).load(c)?;
        let history: Vec<(String, String)> =
            h::table.order(h::seq.asc()).select((h::forecast_id, h::to_status)).load(c)?;
        let allocations: Vec<(String, String, Option<String>, Option<chrono::NaiveDateTime>)> =
            qa::table.select((qa::permit_ref, qa::activity_section, qa::exemption, qa::cancelled_at)).load(c)?;
        let used: Vec<(String, i64)> =
            qe::table.filter(qe::target_year.eq(year)).select((qe::economic_activity, qe::used)).load(c)?;
        let subscribed: HashSet<String> = we::table.select(we::tin).load::<String>(c)?.into_iter().collect();
        let mut deliveries: HashMap<String, usize> = HashMap::new();
        for subject in
            wd::table.filter(wd::event_type.eq("forecast.submitted")).select(wd::subject).load::<String>(c)?
        {
            *deliveries.entry(subject).or_default() += 1;
        }
        let mut forecasts: HashMap<String, (String, String, i32, usize, Vec<String>)> =
            rows.into_iter().map(|(id, tin, status, n)| (id, (tin, status, n, 0, Vec::new()))).collect();
        let mut orphans = 0;
        for owner in line_owners {
            match forecasts.get_mut(&owner) {
                Some(f) => f.3 += 1,
                None => orphans += 1,
            }
        }
        for (owner, to) in history {
            match forecasts.get_mut(&owner) {
                Some(f) => f.4.push(to),
                None => orphans += 1,
            }
        }
        let permits = allocations
            .into_iter()
            .map(|(r, section, exemption, cancelled)| (r, (section, exemption.is_some(), cancelled.is_some())))
            .collect();
        Ok::<_, persistence::StoreError>(Stored {
            forecasts,
            permits,
            used: used.into_iter().collect(),
            orphans,
            subscribed,
            deliveries,
        })
    })
    .unwrap_or_else(|e| fail(format!("reading the database: {e}")))
}

/// Checks the stored state against everything acknowledged so far; returns
/// the problems found (empty when all is well) and prints the figures.
async fn verify(
    backend: &Backend,
    server: &Server,
    client: &reqwest::Client,
    year: i32,
    label: &str,
    acked_forecasts: &[(String, ForecastRequest)],
    acked_permits: &[String],
) -> (Vec<String>, Stored) {
    let db = backend.db();
    let stored = tokio::task::spawn_blocking(move || read_stored(&db, year)).await.expect("read");
    let mut problems = Vec::new();
    // Acknowledged forecasts: stored whole, and the API serves them.
    let mut found = 0;
    for (id, req) in acked_forecasts {
        match stored.forecasts.get(id) {
            Some((tin, status, _, lines, _)) if *tin == req.tin && status == "submitted" && *lines == req.lines => {
                found += 1
            }
            Some(other) => problems.push(format!("forecast {id} is stored as {other:?}, sent {} lines", req.lines)),
            None => problems.push(format!("forecast {id} was acknowledged and is lost")),
        }
    }
    // The API answers for them as stored (a sample: every 10th, and the last).
    for (i, (id, req)) in acked_forecasts.iter().enumerate() {
        if i % 10 != 0 && i + 1 != acked_forecasts.len() {
            continue;
        }
        let r = client
            .get(format!("{}/api/v1/forecasts/{id}", server.base))
            .bearer_auth(token(&[Role::Employer], Some(&req.tin)))
            .send()
            .await
            .expect("read forecast");
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        let lines = body["lines"].as_array().map_or(0, Vec::len);
        if status != StatusCode::OK || body["status"] != "submitted" || lines != req.lines {
            problems.push(format!("GET forecast {id}: {status}, status {}, {lines} lines", body["status"]));
        }
    }
    // Nothing half-written: every stored forecast, acknowledged or not.
    let mut half = 0;
    let mut per_tin: HashMap<&str, usize> = HashMap::new();
    for (id, (tin, status, count, lines, history)) in &stored.forecasts {
        *per_tin.entry(tin.as_str()).or_default() += 1;
        let whole = status == "submitted"
            && usize::try_from(*count).ok() == Some(*lines)
            && *lines > 0
            && history.iter().map(String::as_str).eq(["draft", "submitted"]);
        if !whole {
            half += 1;
            problems.push(format!(
                "forecast {id} is half-written: {status}, {count} lines counted, {lines} stored, history {history:?}"
            ));
        }
    }
    if stored.orphans > 0 {
        problems.push(format!("{} lines or history rows belong to no forecast", stored.orphans));
    }
    // The webhook outbox: one delivery per stored forecast of a subscribed
    // employer, none for any other, none for a forecast not stored.
    let mut told = 0;
    for (id, (tin, ..)) in &stored.forecasts {
        let want = usize::from(stored.subscribed.contains(tin));
        let got = stored.deliveries.get(&format!("forecast:{id}")).copied().unwrap_or(0);
        told += got;
        if got != want {
            problems
                .push(format!("forecast {id} of {tin}: {got} forecast.submitted deliveries queued, {want} expected"));
        }
    }
    let strays = stored.deliveries.keys().filter(|s| !stored.forecasts.contains_key(&s["forecast:".len()..])).count();
    if strays > 0 {
        problems.push(format!("{strays} webhook deliveries tell of forecasts that are not stored"));
    }
    println!("{} {label}: {told} forecast.submitted deliveries queued for the subscribed employers", backend.name);
    let twice = per_tin.values().filter(|n| **n > 1).count();
    if twice > 0 {
        problems.push(format!("{twice} employers have two forecasts for {year}"));
    }
    // Permits: every acknowledged one stored; `used` equals what is stored.
    let permits_found = acked_permits.iter().filter(|r| stored.permits.get(*r).is_some_and(|p| !p.2)).count();
    for r in acked_permits.iter().filter(|r| stored.permits.get(*r).is_none_or(|p| p.2)) {
        problems.push(format!("permit {r} was acknowledged and is lost"));
    }
    let counted = stored.permits.values().filter(|(s, exempt, cancelled)| s == "F" && !exempt && !cancelled).count();
    let used = stored.used.get("F").copied().unwrap_or(-1);
    if usize::try_from(used).ok() != Some(counted) {
        problems.push(format!("section F counts {used} used, {counted} permits are stored"));
    }
    let quota: Value = client
        .get(format!("{}/api/v1/quotas/{year}", server.base))
        .send()
        .await
        .expect("quota")
        .json()
        .await
        .unwrap_or(Value::Null);
    let public_used = quota["activities"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["economic_activity"] == "F"))
        .and_then(|a| a["used"].as_i64());
    if public_used != Some(used) {
        problems.push(format!("GET /quotas/{year} says F used {public_used:?}, the database {used}"));
    }
    println!(
        "{} {label}: forecasts acknowledged so far {}, found {found}, lost {}; permits acknowledged so far {}, found {permits_found}, lost {}; stored {} forecasts ({half} half-written), {} permits, F used {used}",
        backend.name,
        acked_forecasts.len(),
        acked_forecasts.len() - found,
        acked_permits.len(),
        acked_permits.len() - permits_found,
        stored.forecasts.len(),
        stored.permits.len(),
    );
    (problems, stored)
}

/// Sends again, with the same key and body, each request whose answer the
/// kill swallowed: the server answers it once, whether or not it was stored
/// before the kill. Returns the forecasts and permits so settled.
async fn retry_unanswered(
    server: &Server,
    client: &reqwest::Client,
    year: i32,
    seen: &Seen,
    problems: &mut Vec<String>,
) -> (Vec<(String, ForecastRequest)>, Vec<String>) {
    let mut forecasts = Vec::new();
    for req in &seen.forecasts_unanswered {
        let r = client
            .post(format!("{}/api/v1/forecasts", server.base))
            .bearer_auth(token(&[Role::Employer], Some(&req.tin)))
            .header("Idempotency-Key", &req.key)
            .json(&req.body)
            .send()
            .await
            .expect("retry");
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        match status {
            StatusCode::CREATED => forecasts.push((body["id"].as_str().unwrap_or("").to_owned(), req.clone())),
            other => problems.push(format!("a retried forecast (key {}) answered {other}: {body}", req.key)),
        }
    }
    let mut permits = Vec::new();
    for body in &seen.permits_unanswered {
        let r = client
            .post(format!("{}/api/v1/quotas/{year}/allocations", server.base))
            .bearer_auth(token(&[Role::Officer], None))
            .json(body)
            .send()
            .await
            .expect("retry");
        match r.status() {
            StatusCode::CREATED | StatusCode::OK => permits.push(body["permit_ref"].as_str().unwrap_or("").to_owned()),
            other => problems.push(format!("a retried permit {} answered {other}", body["permit_ref"])),
        }
    }
    (forecasts, permits)
}

async fn run(backend: &Backend, rounds: u32, kill_after: Duration) -> Vec<String> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(FORECAST_CLIENTS + PERMIT_CLIENTS)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let mut server = backend.start(&client).await;
    let (year, occupations) = prepare(backend, &server, &client).await;
    let next_employer = Arc::new(AtomicU32::new(0));
    let (mut acked_forecasts, mut acked_permits) = (Vec::new(), Vec::new());
    let mut problems = Vec::new();
    for round in 1..=rounds {
        let seen = load(&mut server, &client, year, &occupations, round, &next_employer, kill_after).await;
        if !seen.other.is_empty() {
            problems.push(format!("round {round}: answers other than 201 under load: {:?}", seen.other));
        }
        println!(
            "{} round {round}: killed after {} ms with {} forecast and {} permit requests unanswered",
            backend.name,
            kill_after.as_millis(),
            seen.forecasts_unanswered.len(),
            seen.permits_unanswered.len()
        );
        server = backend.start(&client).await;
        acked_forecasts.extend(seen.forecasts.iter().cloned());
        acked_permits.extend(seen.permits.iter().cloned());
        let label = format!("round {round}, restarted");
        let (found, stored) = verify(backend, &server, &client, year, &label, &acked_forecasts, &acked_permits).await;
        problems.extend(found);
        // The swallowed answers, asked for again: after this, they count as
        // acknowledged too, and the next check covers them.
        let tins: HashSet<&str> = stored.forecasts.values().map(|f| f.0.as_str()).collect();
        let had_forecasts = seen.forecasts_unanswered.iter().filter(|r| tins.contains(r.tin.as_str())).count();
        let had_permits = seen
            .permits_unanswered
            .iter()
            .filter(|b| stored.permits.contains_key(b["permit_ref"].as_str().unwrap_or("")))
            .count();
        let (forecasts, permits) = retry_unanswered(&server, &client, year, &seen, &mut problems).await;
        println!(
            "{} round {round}: of the unanswered, {had_forecasts} forecasts and {had_permits} permits had been stored; sent again, {} and {} were answered 2xx",
            backend.name,
            forecasts.len(),
            permits.len()
        );
        acked_forecasts.extend(forecasts);
        acked_permits.extend(permits);
    }
    let (found, _) =
        verify(backend, &server, &client, year, "after the retries", &acked_forecasts, &acked_permits).await;
    problems.extend(found);
    let ids: HashSet<&String> = acked_forecasts.iter().map(|(id, _)| id).collect();
    if ids.len() != acked_forecasts.len() {
        problems.push("one forecast was acknowledged for two requests".to_owned());
    }
    server.kill();
    problems
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: u32 = arg(&args, "--rounds").and_then(|v| v.parse().ok()).unwrap_or(2);
    let kill_after = Duration::from_millis(arg(&args, "--kill-after-ms").and_then(|v| v.parse().ok()).unwrap_or(2500));
    let bin = arg(&args, "--bin").map(std::path::PathBuf::from).unwrap_or_else(|| {
        let me = std::env::current_exe().expect("own path");
        me.with_file_name("quota-api")
    });
    let mut backends = Vec::new();
    let mut skip = false;
    for a in &args {
        if skip {
            skip = false;
        } else if a.starts_with("--") {
            skip = true;
        } else {
            backends.push(a.clone());
        }
    }
    if backends.is_empty() {
        fail("name a backend: sqlite, postgres or both");
    }
    let mut failed = false;
    for name in &backends {
        let started = Instant::now();
        let backend = Backend::new(name, &bin);
        let problems = run(&backend, rounds, kill_after).await;
        for p in problems.iter().take(20) {
            println!("{name}: PROBLEM {p}");
        }
        if problems.is_empty() {
            println!("{name}: 0 lost, nothing half-written ({:.1} s)", started.elapsed().as_secs_f64());
        } else {
            println!("{name}: {} problems ({:.1} s)", problems.len(), started.elapsed().as_secs_f64());
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
}
