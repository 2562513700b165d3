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
        if let Some(why) = &out.unsigned {
            return failed(why.clone());
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::dns::Resolve;
    use std::str::FromStr;

    fn resolve(allow_private: bool, host: &str) -> Result<Vec<std::net::SocketAddr>, String> {
        let r = CheckedResolver(UrlPolicy { production: true, allow_private });
        let name = reqwest::dns::Name::from_str(host).map_err(|e| e.to_string())?;
        let rt = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
        rt.block_on(r.resolve(name)).map(Iterator::collect).map_err(|e| e.to_string())
    }

    /// The resolver the delivery client connects through refuses a name
    /// that resolves to a loopback address at delivery time (a name that
    /// passed when subscribing may point elsewhere now: DNS rebinding).
    #[test]
    fn a_name_resolving_to_a_private_address_is_refused_at_delivery() {
        let err = resolve(false, "localhost").unwrap_err();
        assert!(err.contains("private_address"), "{err}");
        let addrs = resolve(true, "localhost").unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()), "{addrs:?}");
    }

    /// A delivery to a loopback address written in the URL is refused
    /// before any connection, and the delivery log says why.
    #[test]
    fn a_private_address_in_the_url_is_never_called() {
        let sender = Sender::new(UrlPolicy { production: false, allow_private: false }).unwrap();
        let out = Outgoing {
            seq: 1,
            id: "msg_1".into(),
            endpoint_id: "ep_1".into(),
            url: "http://127.0.0.1:9/hooks".into(),
            body: "{}".into(),
            attempts: 0,
            secrets: vec![application::webhooks::new_secret()],
            unsigned: None,
        };
        let sent = sender.send(&out, chrono::Utc::now());
        assert_eq!(sent.status, None);
        assert!(sent.error.as_deref().is_some_and(|e| e.contains("private_address")), "{sent:?}");
    }
}
