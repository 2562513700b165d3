//! `quota-api`: the server and its admin commands (SPEC §12).

use api::app::{open_database, Application};
use api::auth::{claims_for, mint};
use api::clock::SystemClock;
use api::config::{AppEnv, Config, LogFormat};
use clap::{Parser, Subcommand};
use domain::role::Role;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "quota-api",
    version,
    about = "Labour Migration Quota API: forecasts of demand for foreign workers, their review, and the yearly quota."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default). Configured by environment variables (see README).
    Serve,
    /// Apply pending database migrations and seed the built-in reference data, then exit.
    Migrate,
    /// Print a signed token for local use and tests.
    Token {
        /// A role: employer, officer, commission, admin, applicant, assessor or contributor (repeat for several).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The TIN an employer acts for (required with --role employer).
        #[arg(long)]
        tin: Option<String>,
        /// The scoring authority of an assessor (required with --role assessor):
        /// sectoral, economy, education, sms or labour.
        #[arg(long)]
        authority: Option<String>,
        /// The body whose input a contributor sends the Commission (required
        /// with --role contributor): labour, economy, education or socar.
        #[arg(long)]
        body: Option<String>,
        /// The sectoral body of a `sectoral` assessor (its code, as admin keeps
        /// it at PUT /api/v1/hqm-sectors/{code}); without it, the default body.
        #[arg(long)]
        sector: Option<String>,
        /// The subject (user id); defaults to one made from the roles and TIN.
        #[arg(long)]
        sub: Option<String>,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        ttl: i64,
    },
    /// Print the OpenAPI document (the committed openapi/openapi.json is this output).
    Openapi,
    /// Import the Occupational Classification from the statistics committee's
    /// CSV or XLSX export (header row with code and title columns), all or nothing.
    ImportOccupations {
        /// The CSV (UTF-8) or XLSX file.
        file: std::path::PathBuf,
        /// `extend` keeps entries the file lacks; `replace` retires them.
        #[arg(long, default_value = "extend", value_parser = ["extend", "replace"])]
        mode: String,
    },
}

/// Logging to stderr: JSON lines in production (or with `LOG_FORMAT=json`),
/// text otherwise; colour codes only when stderr is a terminal.
fn init_logging() -> Result<(), String> {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match LogFormat::from_env()? {
        // Span fields (the request id) are flattened into each line's object.
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).with_span_list(false).init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            print!("{}", api::openapi::document());
            Ok(())
        }
        Command::Token { roles, tin, authority, body, sector, sub, ttl } => {
            let config = Config::from_env()?;
            if config.env == AppEnv::Production && config.auth.generated_secret {
                return Err("refusing to mint with a generated key in production".into());
            }
            let max = config.auth.max_token_lifetime;
            if !(1..=max).contains(&ttl) {
                return Err(format!("--ttl {ttl}: a token lives 1 to {max} seconds (AUTH_MAX_TOKEN_LIFETIME)"));
            }
            let parsed: Vec<Role> = roles
                .iter()
                .map(|r| {
                    Role::parse(r).ok_or_else(|| {
                        format!(
                            "unknown role {r:?}: use employer, officer, commission, admin, applicant, assessor or contributor"
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            if parsed.contains(&Role::Employer) {
                let t = tin.as_deref().ok_or("--role employer needs --tin")?;
                domain::tin::Tin::parse(t).map_err(|e| format!("--tin {t}: not a valid TIN ({})", e.code()))?;
            }
            if parsed.contains(&Role::Assessor) {
                let a = authority.as_deref().ok_or("--role assessor needs --authority")?;
                domain::hqm::criteria::Authority::parse(a)
                    .ok_or_else(|| format!("--authority {a}: use sectoral, economy, education, sms or labour"))?;
            }
            if parsed.contains(&Role::Contributor) {
                let b = body.as_deref().ok_or("--role contributor needs --body")?;
                domain::commission_inputs::Body::parse(b)
                    .ok_or_else(|| format!("--body {b}: use labour, economy, education or socar"))?;
            }
            if let Some(s) = sector.as_deref() {
                if authority.as_deref() != Some("sectoral") {
                    return Err("--sector goes with --authority sectoral".into());
                }
                if !domain::hqm::sectors::is_code(s) {
                    return Err(format!("--sector {s}: a code of lower-case letters, digits, - and _"));
                }
            }
            let who =
                tin.as_deref().or(sector.as_deref()).or(authority.as_deref()).or(body.as_deref()).unwrap_or("staff");
            let sub = sub.unwrap_or_else(|| format!("{}-{who}", roles.join("+")));
            let now = chrono::Utc::now().timestamp();
            let mut claims = claims_for(&config.auth, &sub, &parsed, tin.as_deref(), now, ttl);
            claims.authority = authority;
            claims.body = body;
            claims.sector = sector;
            println!("{}", mint(&config.auth, &claims)?);
            Ok(())
        }
        Command::ImportOccupations { file, mode } => {
            init_logging()?;
            let config = Config::from_env()?;
            let db = open_database(&config)?;
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let mode = if mode == "replace" {
                domain::occupation::ImportMode::Replace
            } else {
                domain::occupation::ImportMode::Extend
            };
            // The command is run by whoever administers the server: admin.
            let admin = application::Caller {
                sub: "cli:import-occupations".into(),
                roles: vec![domain::role::Role::Admin],
                tin: None,
                name: None,
                email: None,
                authority: None,
                body: None,
                sector: None,
            };
            let imported = application::reference::check_file(&admin, &bytes)
                .and_then(|entries| db.write(|c| application::reference::import(c, &admin, &entries, mode)));
            match imported {
                Ok(r) => {
                    println!("imported {}: {} added, {} kept, {} retired", file.display(), r.added, r.kept, r.retired);
                    Ok(())
                }
                Err(application::AppError::Validation(errs)) => {
                    for e in &errs.0 {
                        eprintln!("{}: {}", e.field, api::i18n::field_message(e, api::i18n::Lang::En));
                    }
                    Err(format!("{} problem(s) in {}; nothing was imported", errs.0.len(), file.display()))
                }
                Err(e) => {
                    let problem = api::problem::HttpError::from(e).to_problem(
                        api::i18n::Lang::En,
                        "",
                        "",
                        &api::problem::NoLinks,
                    );
                    Err(format!("{}: {}", file.display(), problem.detail))
                }
            }
        }
        Command::Migrate => {
            init_logging()?;
            let config = Config::from_env()?;
            open_database(&config)?;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Serve => {
            init_logging()?;
            let config = Config::from_env()?;
            let bind = config.bind.clone();
            let generated = config.auth.generated_secret;
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(config, Arc::new(SystemClock))?;
                let base = format!("http://{}:{}", bind.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h), app.port());
                tracing::info!("listening on {base}; Swagger UI at {base}/swagger-ui/ and the OpenAPI document at {base}/api-docs/openapi.json");
                if generated {
                    tracing::info!("development key in use: mint a token with `cargo run -- token --role employer --tin 1012345061` and send it as `Authorization: Bearer <token>`");
                }
                app.run_until_stopped().await.map_err(|e| e.to_string())
            })
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quota-api: {e}");
            ExitCode::FAILURE
        }
    }
}
