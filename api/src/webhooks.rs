//! Sends webhook deliveries (SPEC §17): `POST` with the Standard Webhooks
//! headers, 10 s timeout, no redirects, no proxy from the environment, and
//! every address a host name resolves to checked at each delivery (DNS
//! rebinding) by the resolver the client connects through. What is sent and
//! what an answer means is `application::webhooks`'; this is the wire.

use application::webhooks::{Outgoing, Sent, UrlPolicy};
use chrono::{DateTime, Utc};
use std::io::Read;
use std::sync::Arc;

/// The HTTP client of deliveries.
pub struct Sender {
    client: reqwest::blocking::Client,
    policy: UrlPolicy,
}

/// Resolves host names as the system does, then refuses the lookup when an
/// address is one the policy forbids: the connection can only go to an
/// address that was checked.
struct CheckedResolver(UrlPolicy);

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // reqwest puts the URL's port on the addresses it connects to.
            let addrs = policy.resolve(&host, 0).map_err(|e| -> Box<dyn std::error::Error + Send + Sync> {
                match e {
                    application::AppError::WebhookUrlNotAllowed { reason } => {
                        format!("{host}: address not allowed ({})", reason.as_str()).into()
                    }
                    other => other.to_string().into(),
                }
            })?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl Sender {
    /// Builds the client; call it off the async runtime (the worker's thread).
    pub fn new(policy: UrlPolicy) -> Result<Sender, String> {
        let client = reqwest::blocking::Client::builder()
            .timeout(domain::webhook::TIMEOUT)
            .connect_timeout(domain::webhook::TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("quota-api-webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(CheckedResolver(policy)))
            .build()
            .map_err(|e| format!("webhook client: {e}"))?;
        Ok(Sender { client, policy })
    }

    /// One attempt of `out` at `now`.
    pub fn send(&self, out: &Outgoing, now: DateTime<Utc>) -> Sent {
        let failed = |e: String| Sent { status: None, error: Some(e) };
        // The URL again, as it is now: https in production, and an address
        // written in it judged (a host name is judged by the resolver).
        if let Err(e) = domain::webhook::check_url(&out.url, self.policy.production, self.policy.allow_private) {
            let why = match e {
                domain::webhook::UrlCheck::Refused(r) => r.as_str(),
                domain::webhook::UrlCheck::Invalid(_) => "invalid_url",
            };
            return failed(format!("URL not allowed: {why}"));
        }
        let headers = match out.headers(now) {
            Ok(h) => h,
            Err(e) => return failed(e.to_string()),
        };
        let mut req =
            self.client.post(&out.url).header(reqwest::header::CONTENT_TYPE, "application/json").body(out.body.clone());
        for (name, value) in headers {
            req = req.header(name, value);
        }
        match req.send() {
            Ok(resp) => {
                let status = resp.status();
                if status.is_success() {
                    return Sent { status: Some(status.as_u16()), error: None };
                }
                // Only a short excerpt of the answer is kept (SPEC §17).
                let mut excerpt = Vec::new();
                let _ = resp.take(1024).read_to_end(&mut excerpt);
                let text: String = String::from_utf8_lossy(&excerpt)
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(domain::webhook::EXCERPT_CHARS)
                    .collect();
                let head = format!("HTTP {}", status.as_u16());
                Sent {
                    status: Some(status.as_u16()),
                    error: Some(if text.trim().is_empty() { head } else { format!("{head}: {}", text.trim()) }),
                }
            }
            Err(e) => failed(describe(&e)),
        }
    }
}

/// A network error in a few words, with its cause (the resolver's refusal).
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_redirect() {
        "redirect not followed"
    } else {
        "request failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {cause}")
    }
}
