//! The black-box test harness: each test starts the real server on a free
//! port against a fresh database (a temporary SQLite file, or with
//! `TEST_DATABASE_URL` a new PostgreSQL database) and talks HTTP to it.

// A harness fails a test by panicking, with the message saying what broke.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use api::app::Application;
use api::clock::TestClock;
use api::config::{AppEnv, AuthConfig, Config};
use domain::role::Role;
use jsonwebtoken::Algorithm;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

pub const SECRET: &[u8] = b"test-secret-test-secret-test-secret!";
/// `WEBHOOK_SECRET_KEY` of the test servers: base64 of 32 bytes.
pub const WEBHOOK_KEY: &str = "dGVzdC13ZWJob29rLWtleS10ZXN0LXdlYmhvb2sta2U=";
pub const TIN_A: &str = "1012345061";
pub const TIN_B: &str = "1012345062";

pub struct TestApp {
    pub base: String,
    server: actix_web::dev::ServerHandle,
    pub state: actix_web::web::Data<api::state::AppState>,
    pub database_url: String,
    /// The server's database, for seeding what the API cannot (a confirmed
    /// e-mail without reading the code) and for checking what it stored.
    pub db: persistence::Db,
    confirmed: std::sync::Mutex<std::collections::HashSet<String>>,
    pub client: reqwest::Client,
    pub clock: TestClock,
    pub auth: AuthConfig,
    pg: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // A server outlives its test otherwise (actix runs it on threads of
        // its own): its workers would poll a dropped database forever, each
        // poll a refused connection, and a whole run's worth of them slowed
        // PostgreSQL until new servers timed out preparing theirs.
        self.state.worker_stopped.store(true, std::sync::atomic::Ordering::SeqCst);
        drop(self.server.stop(false));
        if let Some((admin, name)) = self.pg.take() {
            let _ = persistence::db::testing::drop_database(&admin, &name);
        }
    }
}

pub fn auth_config() -> AuthConfig {
    AuthConfig {
        alg: Algorithm::HS256,
        secret: Some(SECRET.to_vec()),
        public_key_pem: None,
        private_key_pem: None,
        issuer: "quota-api".into(),
        audience: "quota-api".into(),
        generated_secret: false,
        max_token_lifetime: api::config::DEFAULT_MAX_TOKEN_LIFETIME,
    }
}

/// Which backend the suite runs on.
pub fn backend() -> &'static str {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    }
}

pub struct Options {
    pub rate_per_second: u32,
    pub rate_burst: u32,
    /// `RATE_LIMIT_MAX_PEERS`.
    pub rate_max_peers: usize,
    /// `BODY_TIMEOUT_SECS`.
    pub body_timeout: std::time::Duration,
    /// Deliver e-mail to this SMTP server (a test sink on 127.0.0.1).
    pub smtp_url: Option<String>,
    /// Run on the database of another test server (a restart), with its clock.
    pub share: Option<(String, TestClock)>,
    /// `REQUIRE_IF_MATCH`.
    pub require_if_match: bool,
    /// `CORS_ALLOWED_ORIGINS`.
    pub cors_origins: Vec<String>,
    /// `WEBHOOK_ALLOW_PRIVATE`: the tests' receivers listen on 127.0.0.1.
    pub webhook_allow_private: bool,
    /// Return only once the database is migrated and seeded (off for a test
    /// of a server started before its database exists).
    pub await_database: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rate_per_second: 100_000,
            rate_burst: 100_000,
            rate_max_peers: 10_000,
            body_timeout: std::time::Duration::from_secs(30),
            smtp_url: None,
            share: None,
            require_if_match: false,
            cors_origins: Vec::new(),
            webhook_allow_private: true,
            await_database: true,
        }
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(Options::default()).await
}

pub async fn spawn_with(opts: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut pg = None;
    let shared = opts.share.clone();
    let database_url = match std::env::var("TEST_DATABASE_URL").ok().filter(|v| !v.is_empty() && shared.is_none()) {
        Some(admin) => {
            let name = format!("quota_test_{}", uuid::Uuid::new_v4().simple());
            let url = persistence::db::testing::create_database(&admin, &name).expect("create test database");
            pg = Some((admin, name));
            url
        }
        None => match &shared {
            Some((url, _)) => url.clone(),
            None => format!("sqlite://{}/quota.db", dir.path().display()),
        },
    };
    let url_for_sharing = database_url.clone();
    let config = Config {
        env: AppEnv::Development,
        bind: "127.0.0.1:0".into(),
        data_dir: dir.path().to_path_buf(),
        database_url,
        pool_size: 8,
        auth: auth_config(),
        rate_limit_per_second: opts.rate_per_second,
        rate_limit_burst: opts.rate_burst,
        rate_limit_max_peers: opts.rate_max_peers,
        oauth_max_tracked_clients: 10_000,
        require_if_match: opts.require_if_match,
        body_limit: 1024 * 1024,
        body_timeout: opts.body_timeout,
        smtp_url: opts.smtp_url.clone(),
        smtp_from: "quota-api@test.local".into(),
        smtp_ca_file: None,
        smtp_allow_plaintext: false,
        mail_to_log: opts.smtp_url.is_none(),
        outbox_poll: std::time::Duration::from_millis(50),
        client_token_ttl: 300,
        cors_allowed_origins: opts.cors_origins.clone(),
        hqm_signing_key: None,
        // One key for every server, as replicas of one deployment share it.
        webhook_secret_key: Some(api::config::Redacted(WEBHOOK_KEY.into())),
        webhook_allow_private: opts.webhook_allow_private,
    };
    let clock = match &shared {
        Some((_, clock)) => clock.clone(),
        None => {
            let clock = TestClock::default();
            // Tests run inside the 2027 campaign unless they move the clock.
            clock.set("2026-05-15T09:00:00Z".parse().expect("instant"));
            clock
        }
    };
    let app = Application::build(config, Arc::new(clock.clone())).expect("server builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    let db = state.db.clone();
    let server = app.handle();
    tokio::spawn(app.run_until_stopped());
    // A database slow to give a connection at start-up (many tests creating
    // databases at once) is prepared in the background; tests that seed
    // through `db` directly must not run before its migrations.
    let started = std::time::Instant::now();
    while opts.await_database && !state.is_db_ready() {
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "the database was never prepared");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    TestApp {
        base,
        server,
        db,
        state,
        database_url: url_for_sharing,
        confirmed: Default::default(),
        client: reqwest::Client::new(),
        clock,
        auth: auth_config(),
        pg,
        _dir: dir,
    }
}

/// A response: status, headers and the JSON body (`Null` when empty or not JSON).
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    /// Reads a whole response: status, headers, and the body as JSON (`Null`
    /// when empty or not JSON).
    pub async fn read(r: reqwest::Response) -> Resp {
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.expect("body read");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp { status, headers, body }
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    /// The `errors[].field` and `code` pairs of a problem.
    pub fn error_codes(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    pub fn token(&self, roles: &[Role], tin: Option<&str>) -> String {
        let now = chrono::Utc::now().timestamp();
        let sub =
            format!("{}-{}", roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join("+"), tin.unwrap_or("staff"));
        api::auth::mint(&self.auth, &api::auth::claims_for(&self.auth, &sub, roles, tin, now, 3600)).expect("mint")
    }

    /// A token for an employer whose contact e-mail is confirmed (seeded
    /// directly: the e-mail flow has tests of its own).
    pub fn employer(&self, tin: &str) -> String {
        let fresh = self.confirmed.lock().map(|mut s| s.insert(tin.to_owned())).unwrap_or(false);
        if fresh {
            let email = format!("hr@{tin}.example.az");
            let now = chrono::Utc::now().naive_utc();
            self.db
                .write(|c| persistence::identity::set_confirmed(c, tin, &email, now))
                .expect("seed a confirmed e-mail");
        }
        self.token(&[Role::Employer], Some(tin))
    }

    /// The messages queued for address `to`, oldest first.
    pub fn outbox_to(&self, to: &str) -> Vec<persistence::identity::OutboxRow> {
        let to = to.to_owned();
        self.db.read(move |c| persistence::identity::outbox_for(c, &to)).expect("read the outbox")
    }

    /// A token for an employer that has not confirmed an e-mail.
    pub fn unconfirmed_employer(&self, tin: &str) -> String {
        self.token(&[Role::Employer], Some(tin))
    }

    /// A token of `roles` for `sub`, with an assessor's `authority` claim.
    pub fn token_for(&self, sub: &str, roles: &[Role], authority: Option<&str>) -> String {
        let now = chrono::Utc::now().timestamp();
        let mut claims = api::auth::claims_for(&self.auth, sub, roles, None, now, 3600);
        claims.authority = authority.map(str::to_owned);
        api::auth::mint(&self.auth, &claims).expect("mint")
    }

    /// A token of a foreigner applying as a Highly Qualified Migrant,
    /// identified by `sub` (SPEC §14.1).
    pub fn applicant(&self, sub: &str) -> String {
        self.token_for(sub, &[Role::Applicant], None)
    }

    /// A token of an official of the scoring authority `authority`
    /// (`sectoral`, `economy`, `education`, `sms`, `labour`; SPEC §14.1).
    pub fn assessor(&self, authority: &str) -> String {
        self.token_for(&format!("assessor-{authority}"), &[Role::Assessor], Some(authority))
    }

    /// A token of an official of `body` (`labour`, `economy`, `education`,
    /// `socar`) who sends that body's input to the Commission (SPEC §16.2).
    pub fn contributor(&self, body: &str) -> String {
        let now = chrono::Utc::now().timestamp();
        let mut claims =
            api::auth::claims_for(&self.auth, &format!("contributor-{body}"), &[Role::Contributor], None, now, 3600);
        claims.body = Some(body.to_owned());
        api::auth::mint(&self.auth, &claims).expect("mint")
    }

    /// A token of an official of the sectoral body `sector` (the `sector`
    /// claim, SPEC §16.4.5); `None`: no claim, the default body.
    pub fn sectoral(&self, sector: Option<&str>) -> String {
        let now = chrono::Utc::now().timestamp();
        let sub = format!("assessor-sectoral-{}", sector.unwrap_or("default"));
        let mut claims = api::auth::claims_for(&self.auth, &sub, &[Role::Assessor], None, now, 3600);
        claims.authority = Some("sectoral".into());
        claims.sector = sector.map(str::to_owned);
        api::auth::mint(&self.auth, &claims).expect("mint")
    }

    pub fn officer(&self) -> String {
        self.token(&[Role::Officer], None)
    }

    pub fn admin(&self) -> String {
        self.token(&[Role::Admin], None)
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut rb = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.json(b);
        }
        Resp::read(rb.send().await.expect("request sent")).await
    }

    /// The raw body of a GET (exports, Prometheus text, HTML).
    pub async fn fetch(&self, path: &str, token: Option<&str>) -> Vec<u8> {
        let mut rb = self.client.get(format!("{}{}", self.base, path));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        rb.send().await.expect("request sent").bytes().await.expect("body read").to_vec()
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.send(Method::GET, path, Some(token), None, &[]).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.send(Method::POST, path, Some(token), Some(body), &[]).await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.send(Method::PUT, path, Some(token), Some(body), &[]).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Resp {
        self.send(Method::DELETE, path, Some(token), None, &[]).await
    }

    pub async fn action(&self, id: &str, action: &str, token: &str) -> Resp {
        self.send(Method::POST, &format!("/api/v1/forecasts/{id}/{action}"), Some(token), None, &[]).await
    }

    /// Creates a draft for `tin` (for the default target year) and returns its id.
    pub async fn create_draft(&self, tin: &str, lines: Value) -> String {
        let r = self.post("/api/v1/forecasts", &self.employer(tin), &forecast_body(tin, lines)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body["id"].as_str().expect("id").to_owned()
    }

    /// Creates a draft for `tin` and target year `year` and returns its id
    /// (an employer has one forecast a year).
    pub async fn create_draft_for(&self, tin: &str, year: i32, lines: Value) -> String {
        let r = self.post("/api/v1/forecasts", &self.employer(tin), &forecast_for(tin, year, lines)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body["id"].as_str().expect("id").to_owned()
    }
}

/// An employer section for `tin` (legal if it ends in 1, physical if in 2).
pub fn employer_section(tin: &str) -> Value {
    if tin.ends_with('1') {
        json!({
            "person_type": "legal", "tin": tin, "organization_name": "Abşeron Tikinti MMC", "legal_form": "MMC",
            "legal_address": "Bakı, Nizami küç. 1", "current_address": "Bakı, Nizami küç. 1",
            "workplace_address": "Sumqayıt, Sənaye zonası", "tin_issued_on": "2015-03-02",
            "employees_total": 120, "foreign_workers": 4, "economic_activity": "F"
        })
    } else {
        json!({
            "person_type": "physical", "tin": tin, "name": "Əli", "surname": "Məmmədov", "patronymic": "Vəli oğlu",
            "legal_address": "Gəncə", "current_address": "Gəncə", "workplace_address": "Gəncə",
            "tin_issued_on": "2019-06-10", "employees_total": 10, "foreign_workers": 0, "economic_activity": "41"
        })
    }
}

pub fn line(code: &str, title: &str, total: i64, foreigners: i64) -> Value {
    json!({
        "occupation_code": code, "occupation_title": title, "demand_total": total, "demand_foreigners": foreigners,
        "justification": "No local specialists available", "quota_usage": "other", "note": null
    })
}

pub fn two_lines() -> Value {
    json!([line("6123", "Fermer, ipəkçilik", 3, 3), line("7123", "Bənna, xarici suvaq", 3, 2)])
}

pub fn forecast_body(tin: &str, lines: Value) -> Value {
    json!({ "employer": employer_section(tin), "lines": lines })
}

/// A forecast body for `tin` and target year `year`.
pub fn forecast_for(tin: &str, year: i32, lines: Value) -> Value {
    json!({ "target_year": year, "employer": employer_section(tin), "lines": lines })
}

/// A valid synthetic TIN: serial `n` (digits 1–8), its check digit, and the
/// person digit (`1` legal, `2` physical).
pub fn tin(n: u32, legal: bool) -> String {
    const W: [u32; 8] = [4, 1, 8, 6, 2, 7, 5, 3];
    let mut serial = n;
    loop {
        let digits: Vec<u32> = format!("{serial:08}").bytes().map(|b| u32::from(b - b'0')).collect();
        let check = digits.iter().zip(W).map(|(d, w)| d * w).sum::<u32>() % 11;
        if check < 10 {
            return format!("{serial:08}{check}{}", if legal { 1 } else { 2 });
        }
        serial += 1;
    }
}

/// A forecast body for `tin` naming economic activity `activity`.
pub fn forecast_in(tin: &str, activity: &str, lines: Value) -> Value {
    let mut b = forecast_body(tin, lines);
    b["employer"]["economic_activity"] = json!(activity);
    b
}

pub fn line_usage(code: &str, title: &str, total: i64, foreigners: i64, usage: &str) -> Value {
    let mut l = line(code, title, total, foreigners);
    l["quota_usage"] = json!(usage);
    l
}

/// A minimal SMTP server on 127.0.0.1 that keeps what it receives. With
/// `hang_first`, it takes in the first message but does not acknowledge it
/// until [`SmtpSink::release`] (then drops the connection), as a crash
/// between sending and recording would look to the sender.
pub struct SmtpSink {
    pub url: String,
    pub messages: Arc<std::sync::Mutex<Vec<String>>>,
    release: Arc<tokio::sync::Notify>,
}

impl SmtpSink {
    pub async fn start(hang_first: bool) -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let url = format!("smtp://127.0.0.1:{}", listener.local_addr().expect("addr").port());
        let messages: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
        let release = Arc::new(tokio::sync::Notify::new());
        let hang = Arc::new(std::sync::atomic::AtomicBool::new(hang_first));
        let (m, r) = (messages.clone(), release.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (m, r, hang) = (m.clone(), r.clone(), hang.clone());
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                            b"250 sink\r\n"
                        } else if upper.starts_with("DATA") {
                            let _ = write.write_all(b"354 go on\r\n").await;
                            let mut body = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                body.push_str(&l);
                                body.push('\n');
                            }
                            m.lock().expect("sink lock").push(body);
                            if hang.swap(false, std::sync::atomic::Ordering::SeqCst) {
                                r.notified().await;
                                return;
                            }
                            b"250 queued\r\n"
                        } else if upper.starts_with("QUIT") {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        } else {
                            b"250 ok\r\n"
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        SmtpSink { url, messages, release }
    }

    /// Lets the held first message go (its connection is dropped unanswered).
    pub fn release(&self) {
        self.release.notify_waiters();
    }

    pub fn received(&self) -> Vec<String> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

/// The Message-ID header of a received message.
pub fn message_id(raw: &str) -> Option<String> {
    raw.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("message-id").then(|| v.trim().to_owned())
    })
}

/// Waits up to `secs` seconds for `cond`.
pub async fn eventually(secs: u64, mut cond: impl FnMut() -> bool) -> bool {
    for _ in 0..secs * 20 {
        if cond() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    cond()
}

/// One request a [`Receiver`] took: its headers (names in lower case), its
/// body, and the status it was answered with.
#[derive(Debug, Clone)]
pub struct Hit {
    pub headers: std::collections::HashMap<String, String>,
    pub body: String,
    pub status: u16,
}

impl Hit {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// A webhook receiver on 127.0.0.1: keeps every request and answers each
/// with the next status queued by [`Receiver::answer`], else 204.
pub struct Receiver {
    pub url: String,
    hits: Arc<std::sync::Mutex<Vec<Hit>>>,
    answers: Arc<std::sync::Mutex<std::collections::VecDeque<u16>>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind receiver");
        let url = format!("http://127.0.0.1:{}/hooks", listener.local_addr().expect("addr").port());
        let hits: Arc<std::sync::Mutex<Vec<Hit>>> = Arc::default();
        let answers: Arc<std::sync::Mutex<std::collections::VecDeque<u16>>> = Arc::default();
        let (h, a) = (hits.clone(), answers.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (h, a) = (h.clone(), a.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 8192];
                    let head_end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    let headers: std::collections::HashMap<String, String> = head
                        .lines()
                        .skip(1)
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                    while buf.len() < head_end + len {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).to_string();
                    let status = a.lock().expect("answers").pop_front().unwrap_or(204);
                    h.lock().expect("hits").push(Hit { headers, body, status });
                    let reply = format!("HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nno");
                    let _ = stream.write_all(reply.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Receiver { url, hits, answers }
    }

    /// Queues the statuses of the next answers.
    pub fn answer(&self, statuses: &[u16]) {
        self.answers.lock().expect("answers").extend(statuses);
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().map(|h| h.clone()).unwrap_or_default()
    }

    /// The requests answered 2xx.
    pub fn delivered(&self) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| (200..300).contains(&h.status)).collect()
    }
}

/// Whether `hit` carries a valid Standard Webhooks signature with `secret`
/// (`whsec_…`): HMAC-SHA256 over `id.timestamp.body`, computed here from
/// the specification, not with the server's code.
pub fn signed_with(hit: &Hit, secret: &str) -> bool {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let b64 = base64::engine::general_purpose::STANDARD;
    let Ok(key) = b64.decode(secret.trim_start_matches("whsec_")) else { return false };
    let Ok(mut mac) = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key) else { return false };
    mac.update(format!("{}.{}.{}", hit.header("webhook-id"), hit.header("webhook-timestamp"), hit.body).as_bytes());
    let expected = format!("v1,{}", b64.encode(mac.finalize().into_bytes()));
    hit.header("webhook-signature").split(' ').any(|s| s == expected)
}

impl TestApp {
    /// Registers an API client for `tin` (its e-mail confirmed) and returns
    /// a client-credentials token of it.
    pub async fn erp_client(&self, tin: &str) -> String {
        self.erp_client_with(tin).await.2
    }

    /// [`TestApp::erp_client`], with the client's id and secret for new tokens.
    pub async fn erp_client_with(&self, tin: &str) -> (String, String, String) {
        self.employer(tin);
        let made =
            self.post("/api/v1/api-clients", &self.admin(), &json!({"name": format!("ERP {tin}"), "tin": tin})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let id = made.body["client"]["client_id"].as_str().unwrap().to_owned();
        let secret = made.body["client_secret"].as_str().unwrap().to_owned();
        let token = self.client_token(&id, &secret).await;
        (id, secret, token)
    }

    /// A client-credentials token of client `id`.
    pub async fn client_token(&self, id: &str, secret: &str) -> String {
        let r = self
            .client
            .post(format!("{}/api/v1/oauth/token", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"))
            .send()
            .await
            .unwrap();
        let r = Resp::read(r).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body["access_token"].as_str().unwrap().to_owned()
    }
}

/// Waits up to `secs` seconds for the async condition `cond`.
pub async fn eventually_async<F, Fut>(secs: u64, mut cond: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..secs * 10 {
        if cond().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    cond().await
}
