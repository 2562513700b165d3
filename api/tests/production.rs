//! The release path as operators run it: the real `quota-api` binary with
//! `APP_ENV=production`, explicit keys for each algorithm, TLS to the
//! database and to the mail relay, and JSON log lines (issue on production).
//!
//! Each test starts the binary on a free port against a fresh database: a
//! PostgreSQL database of `TEST_DATABASE_URL` when set, else a SQLite file.
//! Tests that need PostgreSQL are `#[ignore]`d with that reason, and the
//! PostgreSQL run of `.ci/run` includes them.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_quota-api");
const SECRET: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const TIN: &str = "1012345061";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A database for one test, dropped with it.
struct TestDb {
    url: String,
    pg: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            let _ = persistence::db::testing::drop_database(&admin, &name);
        }
    }
}

fn pg_admin() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|v| !v.is_empty())
}

fn database() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    match pg_admin() {
        Some(admin) => {
            let name = format!("quota_prod_{}", uuid::Uuid::new_v4().simple());
            let url = persistence::db::testing::create_database(&admin, &name).expect("create database");
            TestDb { url, pg: Some((admin, name)), _dir: dir }
        }
        None => TestDb { url: format!("sqlite://{}/quota.db", dir.path().display()), pg: None, _dir: dir },
    }
}

/// The running binary and every line it wrote to stderr.
struct Server {
    child: Child,
    base: String,
    lines: Arc<Mutex<Vec<String>>>,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Stops the server and returns what it logged.
    fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The reader thread ends at EOF; give it a moment to take the last lines.
        std::thread::sleep(Duration::from_millis(200));
        self.lines.lock().unwrap().clone()
    }
}

/// The binary with only the given settings: no `.env` (it runs in an empty
/// folder) and none of the caller's own configuration.
fn command(args: &[&str], envs: &[(String, String)], data: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.args(args).current_dir(data);
    for (k, _) in std::env::vars() {
        let ours = [
            "APP_",
            "AUTH_",
            "DATABASE_",
            "SMTP_",
            "MAIL_",
            "LOG_",
            "RUST_LOG",
            "BIND",
            "DATA_DIR",
            "RATE_",
            "REQUIRE_",
            "HQM_",
        ];
        if ours.iter().any(|p| k.starts_with(p)) {
            c.env_remove(&k);
        }
    }
    c.env("DATA_DIR", data).env("BIND", "127.0.0.1:0");
    for (k, v) in envs {
        c.env(k, v);
    }
    c
}

/// Starts `quota-api serve`; `Err` holds what it printed if it exited instead.
fn start(envs: &[(String, String)]) -> Result<Server, String> {
    let data = tempfile::tempdir().expect("temp dir");
    let mut child = command(&["serve"], envs, data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start quota-api");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = channel::<String>();
    let stderr = child.stderr.take().expect("stderr");
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line.clone());
            sink.lock().unwrap().push(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr: String = rest.chars().take_while(|c| *c != ';' && *c != '"' && *c != ' ').collect();
                    return Ok(Server { child, base: format!("http://{addr}"), lines, _data: data });
                }
            }
            Err(_) => {
                if let Ok(Some(status)) = child.try_wait() {
                    std::thread::sleep(Duration::from_millis(100));
                    let printed = lines.lock().unwrap().join("\n");
                    return Err(format!("exited with {status}: {printed}"));
                }
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!("did not start within 60 s: {}", lines.lock().unwrap().join("\n")))
}

/// `APP_ENV=production` on the test's database, with `extra` settings on
/// top; mail goes to the log unless `extra` names an `SMTP_URL`.
fn production(db: &TestDb, extra: &[(&str, String)]) -> Vec<(String, String)> {
    let mut v = vec![
        ("APP_ENV".to_owned(), "production".to_owned()),
        ("DATABASE_URL".to_owned(), db.url.clone()),
        ("HQM_SIGNING_KEY".to_owned(), fixture("ed25519-hqm-signing.pem").display().to_string()),
        ("WEBHOOK_SECRET_KEY".to_owned(), WEBHOOK_KEY.to_owned()),
    ];
    if !extra.iter().any(|(k, _)| *k == "SMTP_URL") {
        v.push(("MAIL_TRANSPORT".to_owned(), "log".to_owned()));
    }
    for (k, val) in extra {
        v.retain(|(name, _)| name != k);
        v.push(((*k).to_owned(), val.clone()));
    }
    v
}

fn claims(roles: &[&str], tin: Option<&str>) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut c = json!({"iss": "quota-api", "aud": "quota-api", "sub": "prod-test", "iat": now, "exp": now + 600, "roles": roles});
    if let Some(t) = tin {
        c["tin"] = json!(t);
    }
    c
}

fn sign(alg: Algorithm, key: &EncodingKey, claims: &Value) -> String {
    encode(&Header::new(alg), claims, key).expect("sign")
}

fn pem_key(alg: Algorithm, file: &str) -> EncodingKey {
    let pem = std::fs::read(fixture(file)).expect("fixture");
    match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem).expect("rsa key"),
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem).expect("ec key"),
        _ => unreachable!(),
    }
}

async fn status_of(base: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut r = reqwest::Client::new().get(format!("{base}{path}"));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let res = r.send().await.expect("request");
    let rid = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (res.status().as_u16(), rid)
}

/// An unsigned token (`alg: none`).
fn unsigned(claims: &Value) -> String {
    use base64::Engine;
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("{}.{}.", b.encode(br#"{"alg":"none","typ":"JWT"}"#), b.encode(claims.to_string()))
}

/// Each of the three configurations of SPEC §3 starts in production, accepts
/// its own tokens and refuses tokens under another key, HS256 tokens signed
/// with the public key (algorithm confusion) and unsigned ones.
#[tokio::test]
async fn production_starts_with_each_algorithm_and_accepts_only_its_own_key() {
    let officer = claims(&["officer"], None);
    for alg in [Algorithm::HS256, Algorithm::RS256, Algorithm::ES256] {
        let db = database();
        let (settings, good, other) = match alg {
            Algorithm::HS256 => (
                vec![("AUTH_JWT_SECRET", SECRET.to_owned())],
                EncodingKey::from_secret(SECRET.as_bytes()),
                EncodingKey::from_secret(b"another-secret-another-secret-another-secret"),
            ),
            Algorithm::RS256 => (
                vec![
                    ("AUTH_JWT_ALG", "RS256".to_owned()),
                    ("AUTH_JWT_PUBLIC_KEY", fixture("rs256-public.pem").display().to_string()),
                ],
                pem_key(alg, "rs256-private.pem"),
                pem_key(alg, "rs256-other-private.pem"),
            ),
            _ => (
                vec![
                    ("AUTH_JWT_ALG", "ES256".to_owned()),
                    ("AUTH_JWT_PUBLIC_KEY", fixture("es256-public.pem").display().to_string()),
                ],
                pem_key(alg, "es256-private.pem"),
                pem_key(alg, "es256-other-private.pem"),
            ),
        };
        let server = start(&production(&db, &settings)).unwrap_or_else(|e| panic!("{alg:?}: {e}"));
        let base = server.base.clone();
        assert_eq!(status_of(&base, "/health/ready", None).await.0, 200, "{alg:?} ready");
        assert_eq!(status_of(&base, "/api/v1/me", Some(&sign(alg, &good, &officer))).await.0, 200, "{alg:?} own key");
        assert_eq!(
            status_of(&base, "/api/v1/me", Some(&sign(alg, &other, &officer))).await.0,
            401,
            "{alg:?} other key"
        );
        assert_eq!(status_of(&base, "/api/v1/me", Some(&unsigned(&officer))).await.0, 401, "{alg:?} alg none");
        if alg != Algorithm::HS256 {
            let file = if alg == Algorithm::RS256 { "rs256-public.pem" } else { "es256-public.pem" };
            let public = std::fs::read(fixture(file)).unwrap();
            let confused = sign(Algorithm::HS256, &EncodingKey::from_secret(&public), &officer);
            assert_eq!(status_of(&base, "/api/v1/me", Some(&confused)).await.0, 401, "{alg:?} confusion");
        }
        drop(server);
    }
}

/// `quota-api token` mints with the production keys, and the server accepts
/// what it mints: the README's way of getting a first token.
#[tokio::test]
async fn the_token_command_works_with_explicit_production_keys() {
    for settings in [
        vec![("AUTH_JWT_SECRET", SECRET.to_owned())],
        vec![
            ("AUTH_JWT_ALG", "ES256".to_owned()),
            ("AUTH_JWT_PUBLIC_KEY", fixture("es256-public.pem").display().to_string()),
            ("AUTH_JWT_PRIVATE_KEY", fixture("es256-private.pem").display().to_string()),
        ],
    ] {
        let db = database();
        let env = production(&db, &settings);
        let data = tempfile::tempdir().unwrap();
        let out = command(&["token", "--role", "employer", "--tin", TIN], &env, data.path()).output().unwrap();
        assert!(out.status.success(), "token: {}", String::from_utf8_lossy(&out.stderr));
        let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let server = start(&env).unwrap();
        assert_eq!(status_of(&server.base, "/api/v1/me", Some(&token)).await.0, 200);
    }
}

/// Without a key production refuses to start, naming the setting.
#[test]
fn production_without_a_key_refuses_to_start_and_names_the_setting() {
    let db = database();
    let err = start(&production(&db, &[])).err().expect("must not start without a key");
    assert!(err.contains("AUTH_JWT_SECRET"), "{err}");
    let err = start(&production(&db, &[("AUTH_JWT_ALG", "RS256".into())])).err().expect("must not start");
    assert!(err.contains("AUTH_JWT_PUBLIC_KEY"), "{err}");
    let data = tempfile::tempdir().unwrap();
    let out = command(&["token", "--role", "officer"], &production(&db, &[]), data.path()).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("AUTH_JWT_SECRET"));
}

/// Production signs HQM decisions only with a configured key (SPEC §14.5):
/// without `HQM_SIGNING_KEY`, or with a file that is not a key, it refuses
/// to start and names the setting.
#[test]
fn production_without_a_signing_key_refuses_to_start() {
    let db = database();
    let mut envs = production(&db, &[("AUTH_JWT_SECRET", SECRET.into())]);
    envs.retain(|(k, _)| k != "HQM_SIGNING_KEY");
    let err = start(&envs).err().expect("must not start without a signing key");
    assert!(err.contains("HQM_SIGNING_KEY"), "{err}");
    let not_a_key = fixture("rs256-public.pem").display().to_string();
    let err = start(&production(&db, &[("AUTH_JWT_SECRET", SECRET.into()), ("HQM_SIGNING_KEY", not_a_key)]))
        .err()
        .expect("must not start with a wrong key");
    assert!(err.contains("HQM_SIGNING_KEY"), "{err}");
}

/// `WEBHOOK_SECRET_KEY` of the production tests: base64 of 32 bytes.
const WEBHOOK_KEY: &str = "cHJvZC13ZWJob29rLWtleS1wcm9kLXdlYmhvb2sta2U=";

/// Production encrypts webhook secrets only with a configured key (SPEC
/// §17): without `WEBHOOK_SECRET_KEY`, or with one that is not 32 bytes, it
/// refuses to start and names the setting. With it, an endpoint must be
/// `https` and public: plain `http` and a loopback address are refused.
#[tokio::test]
async fn production_needs_a_webhook_key_and_takes_only_public_https_endpoints() {
    let db = database();
    let mut envs = production(&db, &[("AUTH_JWT_SECRET", SECRET.into())]);
    envs.retain(|(k, _)| k != "WEBHOOK_SECRET_KEY");
    let err = start(&envs).err().expect("must not start without a webhook key");
    assert!(err.contains("WEBHOOK_SECRET_KEY"), "{err}");
    let err = start(&production(&db, &[("AUTH_JWT_SECRET", SECRET.into()), ("WEBHOOK_SECRET_KEY", "c2hvcnQ=".into())]))
        .err()
        .expect("must not start with a short key");
    assert!(err.contains("WEBHOOK_SECRET_KEY"), "{err}");

    let server = start(&production(&db, &[("AUTH_JWT_SECRET", SECRET.into())])).unwrap();
    let mut c = claims(&["employer"], Some("1012345061"));
    c["sub"] = json!("client:qc_0000000000000001");
    // A client's token lives no longer than CLIENT_TOKEN_TTL (300 s).
    c["exp"] = json!(c["iat"].as_i64().unwrap_or_default() + 240);
    let token = sign(Algorithm::HS256, &EncodingKey::from_secret(SECRET.as_bytes()), &c);
    for (url, reason) in
        [("http://erp.example.az/hooks", "https_required"), ("https://127.0.0.1/hooks", "private_address")]
    {
        let r = reqwest::Client::new()
            .post(format!("{}/api/v1/webhooks", server.base))
            .bearer_auth(&token)
            .json(&json!({"url": url, "events": ["forecast.returned"]}))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status().as_u16(), 422, "{url}");
        let body: Value = r.json().await.expect("problem");
        assert_eq!(body["type"], json!("/problems/webhook-url-not-allowed"), "{body}");
        assert!(body["detail"].as_str().unwrap_or_default().contains(reason), "{body}");
    }
}

/// Every line production writes is one JSON object with time, level, target
/// and message; access lines carry the request id the caller saw.
#[tokio::test]
async fn production_logs_are_one_json_object_per_line() {
    let db = database();
    let server = start(&production(&db, &[("AUTH_JWT_SECRET", SECRET.into())])).unwrap();
    let (status, rid) = status_of(&server.base, "/api/v1/forecasts", None).await;
    assert_eq!(status, 401);
    assert_eq!(status_of(&server.base, "/health/live", None).await.0, 200);
    std::thread::sleep(Duration::from_millis(300));
    let lines = server.stop();
    assert!(lines.len() >= 3, "{lines:?}");
    let mut saw_request = false;
    for line in &lines {
        assert!(!line.contains('\u{1b}'), "colour code in {line}");
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        for key in ["timestamp", "level", "target", "message"] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
        saw_request |= v["request_id"] == json!(rid) && v["status"] == json!(401);
    }
    assert!(saw_request, "no line with request id {rid}: {lines:?}");
}

fn pg_url_with(params: &str) -> (TestDb, String) {
    let db = database();
    let sep = if db.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}{params}", db.url);
    (db, url)
}

/// `sslmode=require` connects over TLS (libpq refuses otherwise), and
/// `verify-full` checks the server's certificate against `sslrootcert`.
#[tokio::test]
#[ignore = "needs TEST_DATABASE_URL (PostgreSQL with ssl on)"]
async fn postgres_over_tls() {
    assert!(pg_admin().is_some(), "set TEST_DATABASE_URL");
    let key = ("AUTH_JWT_SECRET", SECRET.to_owned());
    let (db, url) = pg_url_with("sslmode=require");
    let server = start(&production(&db, &[key.clone(), ("DATABASE_URL", url)])).unwrap();
    assert_eq!(status_of(&server.base, "/health/ready", None).await.0, 200);
    drop(server);

    // verify-full needs the server's CA and a host name its certificate names.
    if let Some(root) = std::env::var("TEST_PG_SSLROOTCERT").ok().filter(|v| !v.is_empty()) {
        let (db, url) = pg_url_with(&format!("sslmode=verify-full&sslrootcert={root}"));
        let url = url.replacen("@127.0.0.1", "@localhost", 1);
        let server = start(&production(&db, &[key.clone(), ("DATABASE_URL", url.clone())])).unwrap();
        assert_eq!(status_of(&server.base, "/health/ready", None).await.0, 200, "{url}");
        drop(server);
        // A root that did not sign the server's certificate is refused.
        let wrong = url.replace(&root, &fixture("smtp-cert.pem").display().to_string());
        match start(&production(&db, &[key, ("DATABASE_URL", wrong)])) {
            Err(e) => assert!(e.contains("certificate") || e.contains("SSL"), "{e}"),
            Ok(s) => assert_eq!(status_of(&s.base, "/health/ready", None).await.0, 503),
        }
    } else {
        eprintln!("TEST_PG_SSLROOTCERT not set: verify-full not tried");
    }
}

/// What the TLS SMTP sink received.
struct MailSink {
    port: u16,
    messages: Receiver<String>,
}

enum Step {
    StartTls,
    Done,
}

fn read_line<S: Read>(s: &mut S) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        if s.read(&mut byte).ok()? == 0 {
            return None;
        }
        line.push(byte[0]);
        if line.ends_with(b"\r\n") {
            return Some(String::from_utf8_lossy(&line).into_owned());
        }
    }
}

/// A minimal SMTP dialogue; returns when the client quits or asks for STARTTLS.
fn dialogue<S: Read + Write>(s: &mut S, offer_starttls: bool, out: &Sender<String>) -> Option<Step> {
    loop {
        let line = read_line(s)?;
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" if offer_starttls => b"250-localhost\r\n250-STARTTLS\r\n250 8BITMIME\r\n",
            "EHLO" | "HELO" => b"250-localhost\r\n250 8BITMIME\r\n",
            "STAR" => {
                s.write_all(b"220 go ahead\r\n").ok()?;
                return Some(Step::StartTls);
            }
            "DATA" => {
                s.write_all(b"354 end with .\r\n").ok()?;
                let mut body = String::new();
                loop {
                    let l = read_line(s)?;
                    if l == ".\r\n" {
                        break;
                    }
                    body.push_str(&l);
                }
                let _ = out.send(body);
                b"250 queued\r\n"
            }
            "QUIT" => {
                let _ = s.write_all(b"221 bye\r\n");
                return Some(Step::Done);
            }
            _ => b"250 ok\r\n",
        };
        s.write_all(reply).ok()?;
    }
}

/// An SMTP server on 127.0.0.1 with the self-signed `localhost` certificate:
/// implicit TLS, or STARTTLS offered on a plain connection.
fn tls_mail_sink(implicit: bool) -> MailSink {
    use openssl::ssl::{SslAcceptor, SslFiletype, SslMethod};
    let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
    b.set_private_key_file(fixture("smtp-key.pem"), SslFiletype::PEM).unwrap();
    b.set_certificate_chain_file(fixture("smtp-cert.pem")).unwrap();
    let acceptor = Arc::new(b.build());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            std::thread::spawn(move || serve_mail(stream, implicit, &acceptor, &tx));
        }
    });
    MailSink { port, messages: rx }
}

fn serve_mail(mut plain: TcpStream, implicit: bool, acceptor: &openssl::ssl::SslAcceptor, tx: &Sender<String>) {
    if !implicit {
        if plain.write_all(b"220 localhost ESMTP\r\n").is_err() {
            return;
        }
        // In clear text nothing but the start of TLS is accepted.
        if !matches!(dialogue(&mut plain, true, &channel().0), Some(Step::StartTls)) {
            return;
        }
    }
    let Ok(mut tls) = acceptor.accept(plain) else { return };
    if implicit && tls.write_all(b"220 localhost ESMTP\r\n").is_err() {
        return;
    }
    let _ = dialogue(&mut tls, false, tx);
}

/// Confirmation codes travel over TLS: `smtps://` and `smtp://…?tls=required`
/// against a relay with a private CA (`SMTP_CA_FILE`); production refuses a
/// plain `smtp://` unless `SMTP_ALLOW_PLAINTEXT=true`.
#[tokio::test]
async fn mail_is_sent_over_tls_and_production_refuses_clear_text() {
    for implicit in [true, false] {
        let sink = tls_mail_sink(implicit);
        let url = if implicit {
            format!("smtps://localhost:{}", sink.port)
        } else {
            format!("smtp://localhost:{}?tls=required", sink.port)
        };
        let db = database();
        let server = start(&production(
            &db,
            &[
                ("AUTH_JWT_SECRET", SECRET.into()),
                ("SMTP_URL", url.clone()),
                ("SMTP_CA_FILE", fixture("smtp-cert.pem").display().to_string()),
                ("OUTBOX_POLL_MS", "100".into()),
            ],
        ))
        .unwrap_or_else(|e| panic!("{url}: {e}"));
        let token =
            sign(Algorithm::HS256, &EncodingKey::from_secret(SECRET.as_bytes()), &claims(&["employer"], Some(TIN)));
        let res = reqwest::Client::new()
            .put(format!("{}/api/v1/me/email", server.base))
            .bearer_auth(&token)
            .json(&json!({"email": "hr@example.az"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 202, "{url}");
        let message = sink
            .messages
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("{url}: nothing delivered; log: {}", server.lines.lock().unwrap().join("\n")));
        assert!(message.contains("hr@example.az"), "{message}");
        drop(server);
    }
    let db = database();
    let plain = [("AUTH_JWT_SECRET", SECRET.to_owned()), ("SMTP_URL", "smtp://localhost:2525".to_owned())];
    let err = start(&production(&db, &plain)).err().expect("plain SMTP refused in production");
    assert!(err.contains("SMTP_ALLOW_PLAINTEXT"), "{err}");
    let mut allowed = plain.to_vec();
    allowed.push(("SMTP_ALLOW_PLAINTEXT", "true".into()));
    assert!(start(&production(&db, &allowed)).is_ok());
}

/// SPEC §16.6: production without a mail relay refuses to start, naming
/// `SMTP_URL`, unless `MAIL_TRANSPORT=log` says so explicitly; then every
/// message, the confirmation code included, is written to the log and a
/// warning at start says so.
#[tokio::test]
async fn production_needs_a_mail_relay_or_an_explicit_log_transport() {
    let db = database();
    let mut envs = production(&db, &[("AUTH_JWT_SECRET", SECRET.into())]);
    envs.retain(|(k, _)| k != "MAIL_TRANSPORT");
    let err = start(&envs).err().expect("must not start without a way to send mail");
    assert!(err.contains("SMTP_URL") && err.contains("MAIL_TRANSPORT=log"), "{err}");
    let both = production(
        &db,
        &[("AUTH_JWT_SECRET", SECRET.into()), ("SMTP_URL", "smtps://relay".into()), ("MAIL_TRANSPORT", "log".into())],
    );
    assert!(start(&both).err().expect("both is a mistake").contains("MAIL_TRANSPORT"));

    let server =
        start(&production(&db, &[("AUTH_JWT_SECRET", SECRET.into()), ("OUTBOX_POLL_MS", "100".into())])).unwrap();
    let token = sign(Algorithm::HS256, &EncodingKey::from_secret(SECRET.as_bytes()), &claims(&["employer"], Some(TIN)));
    let res = reqwest::Client::new()
        .put(format!("{}/api/v1/me/email", server.base))
        .bearer_auth(&token)
        .json(&json!({"email": "hr@example.az"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 202);
    std::thread::sleep(Duration::from_millis(1500));
    let lines = server.stop();
    assert!(lines.iter().any(|l| l.contains("MAIL_TRANSPORT=log") && l.contains("WARN")), "{lines:?}");
    let mail =
        lines.iter().find(|l| l.contains("hr@example.az") && l.contains("body")).unwrap_or_else(|| panic!("{lines:?}"));
    let v: Value = serde_json::from_str(mail).unwrap();
    let body = v["body"].as_str().unwrap_or_default();
    assert!(body.chars().filter(char::is_ascii_digit).count() >= 6, "the code is in the log: {body}");
}

/// Production refuses a blind `PUT` or `DELETE` of a versioned resource
/// (428 `precondition-required`, issue 26): two people editing one forecast
/// never overwrite each other unseen. `REQUIRE_IF_MATCH=false` relaxes it;
/// actions stay open either way.
#[tokio::test]
async fn production_requires_if_match_on_put_and_delete_unless_relaxed() {
    let employer =
        sign(Algorithm::HS256, &EncodingKey::from_secret(SECRET.as_bytes()), &claims(&["employer"], Some(TIN)));
    let forecast = json!({"employer": {
        "person_type": "legal", "tin": TIN, "organization_name": "Abşeron Tikinti MMC", "legal_form": "MMC",
        "legal_address": "Bakı", "current_address": "Bakı", "workplace_address": "Sumqayıt",
        "tin_issued_on": "2015-03-02", "employees_total": 120, "foreign_workers": 4, "economic_activity": "F"
    }, "lines": []});
    let client = reqwest::Client::new();
    for (relaxed, blind) in [(None, 428), (Some("false"), 200)] {
        let db = database();
        let mut settings = vec![("AUTH_JWT_SECRET", SECRET.to_owned())];
        if let Some(v) = relaxed {
            settings.push(("REQUIRE_IF_MATCH", v.to_owned()));
        }
        let server = start(&production(&db, &settings)).unwrap();
        let created = client
            .post(format!("{}/api/v1/forecasts", server.base))
            .bearer_auth(&employer)
            .json(&forecast)
            .send()
            .await
            .unwrap();
        assert_eq!(created.status().as_u16(), 201);
        let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let path = format!("{}/api/v1/forecasts/{id}", server.base);
        let put = client.put(&path).bearer_auth(&employer).json(&forecast).send().await.unwrap();
        assert_eq!(put.status().as_u16(), blind, "PUT without If-Match, REQUIRE_IF_MATCH={relaxed:?}");
        if blind == 428 {
            let problem = put.json::<Value>().await.unwrap();
            assert_eq!(problem["type"], "/problems/precondition-required");
            let delete = client.delete(&path).bearer_auth(&employer).send().await.unwrap();
            assert_eq!(delete.status().as_u16(), 428);
            let put = client.put(&path).bearer_auth(&employer).header("If-Match", "\"1\"").json(&forecast).send();
            assert_eq!(put.await.unwrap().status().as_u16(), 200, "with If-Match");
        }
        let withdraw = client.post(format!("{path}/withdraw")).bearer_auth(&employer).send().await.unwrap();
        assert_eq!(withdraw.status().as_u16(), 200, "an action needs no If-Match");
        drop(server);
    }
}
