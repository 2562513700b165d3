//! Delivering the outbox: by SMTP when `SMTP_URL` is set, otherwise to the
//! log (issue on identity). The outbox id is the Message-ID, so a repeat
//! after a crash is recognisable as the same message.

use lettre::message::header::ContentType;
use lettre::{SmtpTransport, Transport};
use persistence::identity::OutboxRow;
use std::time::Duration;

pub enum Mailer {
    /// No SMTP configured: messages are written to the log.
    Log,
    Smtp {
        transport: SmtpTransport,
        from: String,
    },
}

impl Mailer {
    /// `smtp://host:port` (plain; TLS is not compiled in) or none.
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Mailer, String> {
        match smtp_url {
            None => Ok(Mailer::Log),
            Some(url) => {
                let rest =
                    url.strip_prefix("smtp://").ok_or("SMTP_URL must be smtp://host:port (TLS is not built in)")?;
                let rest = rest.trim_end_matches('/');
                let (host, port) = match rest.rsplit_once(':') {
                    Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("SMTP_URL: bad port {p:?}"))?),
                    None => (rest, 25),
                };
                let transport =
                    SmtpTransport::builder_dangerous(host).port(port).timeout(Some(Duration::from_secs(10))).build();
                Ok(Mailer::Smtp { transport, from: from.to_owned() })
            }
        }
    }

    /// The Message-ID of an outbox message.
    pub fn message_id(id: &str) -> String {
        format!("<{id}@quota-api>")
    }

    pub fn send(&self, m: &OutboxRow) -> Result<(), String> {
        match self {
            Mailer::Log => {
                tracing::info!(message_id = %Mailer::message_id(&m.id), to = %m.to_address, subject = %m.subject, body = %m.body, "e-mail (no SMTP_URL configured)");
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
