//! Configuration from the environment (a `.env` file is read when present),
//! so every deployment and every test configures the server alike (SPEC §12).

use jsonwebtoken::Algorithm;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

/// How tokens are signed and verified (SPEC §3).
#[derive(Clone)]
pub struct AuthConfig {
    pub alg: Algorithm,
    /// HS256 secret, as bytes.
    pub secret: Option<Vec<u8>>,
    /// PEM public key for RS256 / ES256.
    pub public_key_pem: Option<Vec<u8>>,
    /// PEM private key, only for minting tokens locally with RS256 / ES256.
    pub private_key_pem: Option<Vec<u8>>,
    pub issuer: String,
    pub audience: String,
    /// Whether the HS256 secret was generated for development.
    pub generated_secret: bool,
    /// The longest lifetime (`exp − iat`, seconds) a user's token may claim
    /// (`AUTH_MAX_TOKEN_LIFETIME`, default 24 h): a leaked token that says it
    /// lives for a year is refused rather than trusted for a year.
    pub max_token_lifetime: i64,
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("alg", &self.alg)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("generated_secret", &self.generated_secret)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub env: AppEnv,
    pub bind: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub pool_size: u32,
    pub auth: AuthConfig,
    /// Requests per second per caller, and the burst above it (SPEC §7).
    pub rate_limit_per_second: u32,
    pub rate_limit_burst: u32,
    /// Peer addresses (of callers without a valid token) the rate limiter
    /// tracks at most: the memory anonymous callers can make it hold.
    pub rate_limit_max_peers: usize,
    /// API clients whose failed token requests are remembered at most.
    pub oauth_max_tracked_clients: usize,
    /// Refuse `PUT`/`DELETE` of versioned resources without `If-Match` (428):
    /// on by default in production, off in development (SPEC §7 leaves it to
    /// configuration; issue 26 asks production for it).
    pub require_if_match: bool,
    /// Request body limit in bytes (SPEC §7: 1 MiB).
    pub body_limit: usize,
    /// How long a request body may take to arrive once its head has
    /// (`BODY_TIMEOUT_SECS`); actix-web times out slow heads only.
    pub body_timeout: std::time::Duration,
    /// `smtp://host:port` to deliver e-mail; without it messages go to the log.
    pub smtp_url: Option<String>,
    pub smtp_from: String,
    /// A PEM file of the CA that signed the SMTP relay's certificate (a private relay).
    pub smtp_ca_file: Option<PathBuf>,
    /// Let production send over an `SMTP_URL` that may be clear text.
    pub smtp_allow_plaintext: bool,
    /// `MAIL_TRANSPORT=log`: every message, codes included, goes to the log
    /// (SPEC §16.6: production must choose it explicitly without `SMTP_URL`).
    pub mail_to_log: bool,
    /// How often the outbox worker looks for work.
    pub outbox_poll: std::time::Duration,
    /// Lifetime of tokens issued to API clients, in seconds.
    pub client_token_ttl: i64,
    /// Origins whose browser front ends may call the API (`CORS_ALLOWED_ORIGINS`,
    /// comma-separated, e.g. `https://portal.example.az`); none by default.
    pub cors_allowed_origins: Vec<String>,
    /// The PKCS#8 PEM Ed25519 private key that signs HQM decisions
    /// (`HQM_SIGNING_KEY`, SPEC §14.5); generated and kept in `DATA_DIR` in
    /// development, required in production.
    pub hqm_signing_key: Option<PathBuf>,
    /// `WEBHOOK_SECRET_KEY`: base64 of 32 bytes that encrypt webhook signing
    /// secrets at rest (SPEC §17); generated and kept in `DATA_DIR` in
    /// development, required in production.
    pub webhook_secret_key: Option<Redacted>,
    /// `WEBHOOK_ALLOW_PRIVATE=true`: endpoints on loopback and private
    /// addresses are allowed (development and tests only).
    pub webhook_allow_private: bool,
}

/// A secret read from the environment: never printed with the configuration.
#[derive(Clone)]
pub struct Redacted(pub String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line, for log pipelines (production's default).
    Json,
    /// Human-readable lines (development's default); colours only on a terminal.
    Text,
}

impl LogFormat {
    /// `LOG_FORMAT` (`json` or `text`), else JSON in production and text otherwise.
    /// Read apart from [`Config::from_env`] because logging starts first.
    pub fn from_env() -> Result<LogFormat, String> {
        let _ = dotenvy::dotenv();
        match var("LOG_FORMAT").as_deref() {
            Some("json") => Ok(LogFormat::Json),
            Some("text") => Ok(LogFormat::Text),
            Some(other) => Err(format!("LOG_FORMAT must be json or text, got {other:?}")),
            None if matches!(var("APP_ENV").as_deref(), Some("production" | "prod")) => Ok(LogFormat::Json),
            None => Ok(LogFormat::Text),
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn parse_var<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match var(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| format!("{name}={v:?} is not valid")),
    }
}

impl Config {
    /// Reads the configuration. In development a missing HS256 secret is
    /// generated once and kept in `DATA_DIR`; in production it is an error.
    pub fn from_env() -> Result<Config, String> {
        let _ = dotenvy::dotenv();
        let env = match var("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") | Some("test") => AppEnv::Development,
            Some("production") | Some("prod") => AppEnv::Production,
            Some(other) => return Err(format!("APP_ENV must be development or production, got {other:?}")),
        };
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{}/quota.db", data_dir.display()));
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let pool_size = parse_var("DATABASE_POOL_SIZE", u32::try_from(cores * 4).unwrap_or(8))?;
        let auth = AuthConfig::from_env(env, &data_dir)?;
        let hqm_signing_key = var("HQM_SIGNING_KEY").map(PathBuf::from);
        let smtp_url = var("SMTP_URL");
        let mail_to_log = mail_to_log(env, var("MAIL_TRANSPORT").as_deref(), smtp_url.is_some())?;
        if env == AppEnv::Production && var("WEBHOOK_SECRET_KEY").is_none() {
            return Err("APP_ENV=production needs WEBHOOK_SECRET_KEY (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)".into());
        }
        if env == AppEnv::Production && hqm_signing_key.is_none() {
            return Err("APP_ENV=production needs HQM_SIGNING_KEY (a PKCS#8 PEM Ed25519 private key)".into());
        }
        Ok(Config {
            env,
            bind: var("BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir,
            database_url,
            pool_size,
            auth,
            rate_limit_per_second: parse_var("RATE_LIMIT_PER_SECOND", 50)?,
            rate_limit_burst: parse_var("RATE_LIMIT_BURST", 100)?,
            rate_limit_max_peers: parse_var("RATE_LIMIT_MAX_PEERS", 10_000)?,
            oauth_max_tracked_clients: parse_var("OAUTH_MAX_TRACKED_CLIENTS", 10_000)?,
            // Production refuses blind PUT/DELETE of versioned resources:
            // two people editing one forecast in browsers must not silently
            // overwrite each other. Development may relax it either way.
            require_if_match: parse_var("REQUIRE_IF_MATCH", env == AppEnv::Production)?,
            body_limit: 1024 * 1024,
            body_timeout: std::time::Duration::from_secs(parse_var("BODY_TIMEOUT_SECS", 30)?),
            smtp_url,
            mail_to_log,
            smtp_from: var("SMTP_FROM").unwrap_or_else(|| "quota-api@localhost".into()),
            smtp_ca_file: var("SMTP_CA_FILE").map(PathBuf::from),
            smtp_allow_plaintext: parse_var("SMTP_ALLOW_PLAINTEXT", false)?,
            outbox_poll: std::time::Duration::from_millis(parse_var("OUTBOX_POLL_MS", 1000)?),
            client_token_ttl: parse_var("CLIENT_TOKEN_TTL", 300)?,
            cors_allowed_origins: cors_origins(var("CORS_ALLOWED_ORIGINS").as_deref())?,
            hqm_signing_key,
            webhook_secret_key: var("WEBHOOK_SECRET_KEY").map(Redacted),
            webhook_allow_private: parse_var("WEBHOOK_ALLOW_PRIVATE", false)?,
        })
    }
}

/// Whether e-mail goes to the log (SPEC §16.6). `MAIL_TRANSPORT` is `smtp`
/// (deliver through `SMTP_URL`) or `log`. Unset, development logs when there
/// is no `SMTP_URL`; production refuses to start without one, because
/// confirmation codes would reach nobody and no employer could submit.
fn mail_to_log(env: AppEnv, transport: Option<&str>, smtp_url: bool) -> Result<bool, String> {
    match (transport, smtp_url) {
        (Some("log"), false) => Ok(true),
        (Some("log"), true) => Err("MAIL_TRANSPORT=log and SMTP_URL are both set: unset one".into()),
        (Some("smtp"), false) => Err("MAIL_TRANSPORT=smtp needs SMTP_URL".into()),
        (Some("smtp") | None, true) => Ok(false),
        (None, false) if env == AppEnv::Production => Err(
            "APP_ENV=production needs SMTP_URL to deliver e-mail (confirmation codes), or MAIL_TRANSPORT=log to write every message to the log"
                .into(),
        ),
        (None, false) => Ok(true),
        (Some(other), _) => Err(format!("MAIL_TRANSPORT must be smtp or log, got {other:?}")),
    }
}

/// Parses `CORS_ALLOWED_ORIGINS`: each an origin (`scheme://host[:port]`, no
/// path), since a browser sends exactly that in `Origin`. `*` is refused: the
/// API takes bearer tokens, and a wildcard would hand them to any page.
fn cors_origins(raw: Option<&str>) -> Result<Vec<String>, String> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    raw.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| {
            let url = url::Url::parse(o).map_err(|e| format!("CORS_ALLOWED_ORIGINS: {o:?}: {e}"))?;
            let origin = url.origin().ascii_serialization();
            if !matches!(url.scheme(), "http" | "https") || origin != o.trim_end_matches('/') {
                return Err(format!("CORS_ALLOWED_ORIGINS: {o:?} is not an origin like https://portal.example.az"));
            }
            Ok(origin)
        })
        .collect()
}

/// The default of `AUTH_MAX_TOKEN_LIFETIME`: a working day and then some.
pub const DEFAULT_MAX_TOKEN_LIFETIME: i64 = 24 * 60 * 60;

impl AuthConfig {
    fn from_env(env: AppEnv, data_dir: &std::path::Path) -> Result<AuthConfig, String> {
        let alg = match var("AUTH_JWT_ALG").as_deref().unwrap_or("HS256") {
            "HS256" => Algorithm::HS256,
            "RS256" => Algorithm::RS256,
            "ES256" => Algorithm::ES256,
            other => return Err(format!("AUTH_JWT_ALG must be HS256, RS256 or ES256, got {other:?}")),
        };
        let read = |name: &str| -> Result<Option<Vec<u8>>, String> {
            var(name).map(|p| std::fs::read(&p).map_err(|e| format!("{name}={p}: {e}"))).transpose()
        };
        let mut cfg = AuthConfig {
            alg,
            secret: var("AUTH_JWT_SECRET").map(String::into_bytes),
            public_key_pem: read("AUTH_JWT_PUBLIC_KEY")?,
            private_key_pem: read("AUTH_JWT_PRIVATE_KEY")?,
            issuer: var("AUTH_JWT_ISSUER").unwrap_or_else(|| "quota-api".into()),
            audience: var("AUTH_JWT_AUDIENCE").unwrap_or_else(|| "quota-api".into()),
            generated_secret: false,
            max_token_lifetime: parse_var("AUTH_MAX_TOKEN_LIFETIME", DEFAULT_MAX_TOKEN_LIFETIME)?,
        };
        if cfg.max_token_lifetime <= 0 {
            return Err("AUTH_MAX_TOKEN_LIFETIME must be a number of seconds above 0".into());
        }
        // Each algorithm needs its own key and nothing else: HS256 a secret,
        // RS256/ES256 a public key. (A catch-all arm here once demanded a PEM
        // file of HS256 with an explicit secret, so production could not start.)
        match alg {
            Algorithm::HS256 => match &cfg.secret {
                None if env == AppEnv::Production => {
                    return Err("APP_ENV=production needs AUTH_JWT_SECRET (or AUTH_JWT_ALG=RS256/ES256 with AUTH_JWT_PUBLIC_KEY)".into());
                }
                None => {
                    cfg.secret = Some(dev_secret(data_dir)?);
                    cfg.generated_secret = true;
                }
                Some(s) if s.len() < 32 => return Err("AUTH_JWT_SECRET must be at least 32 bytes".into()),
                Some(_) => {}
            },
            _ => {
                if cfg.public_key_pem.is_none() {
                    return Err(format!("AUTH_JWT_ALG={alg:?} needs AUTH_JWT_PUBLIC_KEY (a PEM file)"));
                }
                if cfg.secret.is_some() {
                    return Err(format!(
                        "AUTH_JWT_SECRET is set but AUTH_JWT_ALG={alg:?} verifies with AUTH_JWT_PUBLIC_KEY: unset one"
                    ));
                }
            }
        }
        Ok(cfg)
    }
}

/// The development HS256 secret: generated on first run, kept in `DATA_DIR`.
fn dev_secret(data_dir: &std::path::Path) -> Result<Vec<u8>, String> {
    let path = data_dir.join("dev-jwt-secret");
    if let Ok(s) = std::fs::read_to_string(&path) {
        let s = s.trim().to_owned();
        if s.len() >= 32 {
            return Ok(s.into_bytes());
        }
    }
    std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
    let bytes: [u8; 32] = rand::random();
    let secret = hex::encode(bytes);
    std::fs::write(&path, &secret).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(secret.into_bytes())
}
