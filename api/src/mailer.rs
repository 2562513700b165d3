//! Delivering the outbox: by SMTP when `SMTP_URL` is set, otherwise to the
//! log (issue on identity). The outbox id is the Message-ID, so a repeat
//! after a crash is recognisable as the same message.
//!
//! `SMTP_URL` follows lettre's URL convention: `smtps://host[:465]` is
//! implicit TLS, `smtp://host[:587]?tls=required` demands STARTTLS,
//! `?tls=opportunistic` upgrades when offered, and a bare `smtp://` is plain.
//! `user:password@` in the URL authenticates. Production refuses anything
//! that could send a confirmation code in clear text unless
//! `SMTP_ALLOW_PLAINTEXT=true` says the relay is on a trusted network.

use crate::config::{AppEnv, Config};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};
use persistence::identity::OutboxRow;
use std::time::Duration;

pub enum Mailer {
    /// Messages are written to the log, whole (development, or production
    /// with `MAIL_TRANSPORT=log`, SPEC §16.6).
    Log,
    Smtp {
        transport: Box<SmtpTransport>,
        from: String,
    },
}

/// How an SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://…?tls=required`: STARTTLS, or no mail.
    StartTlsRequired,
    /// `smtp://…?tls=opportunistic`: STARTTLS when offered.
    Opportunistic,
    /// `smtp://`: clear text.
    Plain,
}

impl SmtpSecurity {
    /// Whether a message can leave in clear text.
    pub fn may_be_plain(self) -> bool {
        matches!(self, SmtpSecurity::Opportunistic | SmtpSecurity::Plain)
    }
}

/// The parts of an `SMTP_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub security: SmtpSecurity,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl SmtpUrl {
    pub fn parse(raw: &str) -> Result<SmtpUrl, String> {
        let url = url::Url::parse(raw).map_err(|e| format!("SMTP_URL: {e}"))?;
        let tls = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let security = match (url.scheme(), tls.as_deref()) {
            ("smtps", None | Some("implicit")) => SmtpSecurity::Implicit,
            ("smtp", Some("required")) => SmtpSecurity::StartTlsRequired,
            ("smtp", Some("opportunistic")) => SmtpSecurity::Opportunistic,
            ("smtp", None | Some("none")) => SmtpSecurity::Plain,
            (s, t) => {
                return Err(format!(
                    "SMTP_URL: scheme {s:?} with tls={t:?} is not understood; use smtps://host, smtp://host?tls=required, smtp://host?tls=opportunistic or smtp://host"
                ))
            }
        };
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or("SMTP_URL: no host")?.to_owned();
        let port = url.port().unwrap_or(match security {
            SmtpSecurity::Implicit => 465,
            SmtpSecurity::StartTlsRequired | SmtpSecurity::Opportunistic => 587,
            SmtpSecurity::Plain => 25,
        });
        let decode = |s: &str| percent_decode(s);
        let user = Some(url.username()).filter(|u| !u.is_empty()).map(decode);
        let password = url.password().map(decode);
        Ok(SmtpUrl { security, host, port, user, password })
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

impl Mailer {
    /// The mailer `config` asks for, or why it cannot be had.
    pub fn new(config: &Config) -> Result<Mailer, String> {
        let production = config.env == AppEnv::Production;
        let raw = match (config.mail_to_log, config.smtp_url.as_deref()) {
            (false, Some(raw)) => raw,
            _ => {
                if production {
                    tracing::warn!(
                        "MAIL_TRANSPORT=log: e-mail is not delivered; every message, confirmation codes included, is written to the log"
                    );
                }
                return Ok(Mailer::Log);
            }
        };
        let url = SmtpUrl::parse(raw)?;
        if production && url.security.may_be_plain() && !config.smtp_allow_plaintext {
            return Err(
                "APP_ENV=production refuses an SMTP_URL that may send in clear text: use smtps://host or smtp://host?tls=required (or set SMTP_ALLOW_PLAINTEXT=true for a relay on a trusted network)"
                    .into(),
            );
        }
        let tls_params = || -> Result<TlsParameters, String> {
            let mut b = TlsParameters::builder(url.host.clone());
            if let Some(path) = &config.smtp_ca_file {
                let pem = std::fs::read(path).map_err(|e| format!("SMTP_CA_FILE={}: {e}", path.display()))?;
                let cert = Certificate::from_pem(&pem).map_err(|e| format!("SMTP_CA_FILE={}: {e}", path.display()))?;
                b = b.add_root_certificate(cert);
            }
            b.build().map_err(|e| format!("SMTP TLS: {e}"))
        };
        let tls = match url.security {
            SmtpSecurity::Implicit => Tls::Wrapper(tls_params()?),
            SmtpSecurity::StartTlsRequired => Tls::Required(tls_params()?),
            SmtpSecurity::Opportunistic => Tls::Opportunistic(tls_params()?),
            SmtpSecurity::Plain => Tls::None,
        };
        let mut builder =
            SmtpTransport::builder_dangerous(&url.host).port(url.port).tls(tls).timeout(Some(Duration::from_secs(10)));
        if let Some(user) = &url.user {
            builder = builder.credentials(Credentials::new(user.clone(), url.password.clone().unwrap_or_default()));
        }
        Ok(Mailer::Smtp { transport: Box::new(builder.build()), from: config.smtp_from.clone() })
    }

    /// The Message-ID of an outbox message.
    pub fn message_id(id: &str) -> String {
        format!("<{id}@quota-api>")
    }

    pub fn send(&self, m: &OutboxRow) -> Result<(), String> {
        match self {
            Mailer::Log => {
                tracing::info!(message_id = %Mailer::message_id(&m.id), to = %m.to_address, subject = %m.subject, body = %m.body, "e-mail (MAIL_TRANSPORT=log)");
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let email = lettre::Message::builder()
                    .from(from.parse().map_err(|e| format!("SMTP_FROM: {e}"))?)
                    .to(m.to_address.parse().map_err(|e| format!("recipient: {e}"))?)
                    .subject(m.subject.clone())
                    .message_id(Some(Mailer::message_id(&m.id)))
                    .header(ContentType::TEXT_PLAIN)
                    .body(m.body.clone())
                    .map_err(|e| e.to_string())?;
                transport.send(&email).map(|_| ()).map_err(|e| e.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_name_their_protection() {
        let u = SmtpUrl::parse("smtps://mail.example.org").unwrap();
        assert_eq!((u.security, u.port), (SmtpSecurity::Implicit, 465));
        let u = SmtpUrl::parse("smtp://bot%40x:p%2Fw@relay:2525?tls=required").unwrap();
        assert_eq!((u.security, u.port), (SmtpSecurity::StartTlsRequired, 2525));
        assert_eq!((u.user.as_deref(), u.password.as_deref()), (Some("bot@x"), Some("p/w")));
        assert_eq!(SmtpUrl::parse("smtp://relay").unwrap().security, SmtpSecurity::Plain);
        assert!(SmtpUrl::parse("smtp://relay?tls=opportunistic").unwrap().security.may_be_plain());
        assert!(SmtpUrl::parse("http://relay").is_err());
        assert!(SmtpUrl::parse("smtps://relay?tls=none").is_err());
    }
}
