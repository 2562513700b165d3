//! Webhooks (SPEC §17): an API client's endpoints, the events written to
//! the outbox in the transaction of the change they tell of, and the
//! bookkeeping of each delivery. Sending is the API crate's worker's; what
//! it sends is decided and signed here.
//!
//! Signing follows the Standard Webhooks specification: the secret is
//! `whsec_` and base64 of random bytes; `webhook-signature` is `v1,` and
//! base64 of HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`,
//! one per secret in force, separated by spaces.

use crate::caller::CLIENT_SUBJECT_PREFIX;
use crate::{AppError, Caller};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::role::Role;
use domain::webhook::{self, EventType, UrlCheck, UrlRefusal};
use domain::{FieldCode, FieldError};
use persistence::webhooks::{self as store, DeliveryRow, EndpointChange, EndpointRow, NewDelivery, NewEndpoint};
use persistence::{DbConnection, Page};

/// The prefix of a signing secret (Standard Webhooks).
pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes of a new signing secret (the specification asks 24 to 64).
pub const SECRET_BYTES: usize = 32;

/// Encrypts signing secrets at rest with `WEBHOOK_SECRET_KEY` (SPEC §17),
/// so a database dump alone cannot forge deliveries: ChaCha20-Poly1305 with
/// a random nonce per secret, stored as `v1:` and base64 of nonce and
/// ciphertext.
#[derive(Clone)]
pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    /// A sealer with `key`: base64 of 32 bytes.
    pub fn from_base64(key: &str) -> Result<Sealer, String> {
        let bytes = B64.decode(key.trim()).map_err(|_| "WEBHOOK_SECRET_KEY must be base64 of 32 bytes".to_owned())?;
        let key: [u8; 32] =
            bytes.try_into().map_err(|_| "WEBHOOK_SECRET_KEY must be base64 of exactly 32 bytes".to_owned())?;
        Ok(Sealer { cipher: ChaCha20Poly1305::new(&Key::from(key)) })
    }

    /// The key of `WEBHOOK_SECRET_KEY`, or in development one generated
    /// once and kept in `data_dir` (production without it does not start).
    pub fn load(key: Option<&str>, production: bool, data_dir: &std::path::Path) -> Result<Sealer, String> {
        match key {
            Some(k) => Sealer::from_base64(k),
            None if production => Err("APP_ENV=production needs WEBHOOK_SECRET_KEY (base64 of 32 random bytes)".into()),
            None => {
                let path = data_dir.join("dev-webhook-secret.key");
                if let Ok(k) = std::fs::read_to_string(&path) {
                    return Sealer::from_base64(&k);
                }
                std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
                let k = B64.encode(rand::random::<[u8; 32]>());
                std::fs::write(&path, &k).map_err(|e| format!("{}: {e}", path.display()))?;
                Sealer::from_base64(&k)
            }
        }
    }

    /// `secret` encrypted.
    pub fn seal(&self, secret: &str) -> Result<String, AppError> {
        let nonce = rand::random::<[u8; 12]>();
        let mut out = nonce.to_vec();
        out.extend(
            self.cipher
                .encrypt(&Nonce::from(nonce), secret.as_bytes())
                .map_err(|_| AppError::bug("sealing a webhook secret failed"))?,
        );
        Ok(format!("v1:{}", B64.encode(out)))
    }

    /// The secret `sealed` holds; an error if another key sealed it.
    pub fn open(&self, sealed: &str) -> Result<String, AppError> {
        let broken = || AppError::bug("a webhook secret cannot be opened with WEBHOOK_SECRET_KEY");
        let raw = sealed.strip_prefix("v1:").and_then(|b| B64.decode(b).ok()).ok_or_else(broken)?;
        if raw.len() < 12 {
            return Err(broken());
        }
        let (nonce, ct) = raw.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| broken())?;
        let plain = self.cipher.decrypt(&Nonce::from(nonce), ct).map_err(|_| broken())?;
        String::from_utf8(plain).map_err(|_| broken())
    }
}

/// A new signing secret: `whsec_` and base64 of [`SECRET_BYTES`] random bytes.
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", B64.encode(rand::random::<[u8; SECRET_BYTES]>()))
}

/// `webhook-signature` for message `id` sent at `timestamp` (Unix seconds)
/// with `body`, signed with each of `secrets` (`whsec_…`).
pub fn signature(id: &str, timestamp: i64, body: &str, secrets: &[String]) -> Result<String, AppError> {
    use hmac::{Hmac, Mac};
    let signed = format!("{id}.{timestamp}.{body}");
    let mut out = Vec::new();
    for s in secrets {
        let key = B64
            .decode(s.strip_prefix(SECRET_PREFIX).unwrap_or(s))
            .map_err(|_| AppError::bug("a webhook secret is not base64"))?;
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key)
            .map_err(|_| AppError::bug("a webhook secret has no key"))?;
        mac.update(signed.as_bytes());
        out.push(format!("v1,{}", B64.encode(mac.finalize().into_bytes())));
    }
    Ok(out.join(" "))
}

/// What the webhook use cases need of the deployment: the key of the
/// secrets and the judge of URLs.
#[derive(Debug, Clone)]
pub struct Hooks {
    pub sealer: Sealer,
    pub policy: UrlPolicy,
}

/// How this deployment judges endpoint URLs (SPEC §17).
#[derive(Debug, Clone, Copy)]
pub struct UrlPolicy {
    /// `https` only.
    pub production: bool,
    /// `WEBHOOK_ALLOW_PRIVATE`: loopback and private addresses allowed.
    pub allow_private: bool,
}

impl UrlPolicy {
    /// `raw` as a URL the server may call: its form, then every address its
    /// host resolves to now (a blocking lookup: call it outside a
    /// transaction). The same addresses are checked again at each delivery.
    pub fn check(&self, raw: &str) -> Result<url::Url, AppError> {
        let url = webhook::check_url(raw, self.production, self.allow_private).map_err(refusal)?;
        // With private addresses allowed (development, tests) there is
        // nothing to judge by the addresses; the delivery resolves anyway.
        if self.allow_private {
            return Ok(url);
        }
        if let Some(url::Host::Domain(host)) = url.host() {
            let port = url.port_or_known_default().unwrap_or(443);
            self.resolve(host, port)?;
        }
        Ok(url)
    }

    /// The addresses of `host` the server may call; refused when there is
    /// none or when any is private (unless allowed), as DNS may answer
    /// differently next time.
    pub fn resolve(&self, host: &str, port: u16) -> Result<Vec<std::net::SocketAddr>, AppError> {
        use std::net::ToSocketAddrs;
        let addrs: Vec<std::net::SocketAddr> = (host, port)
            .to_socket_addrs()
            .map_err(|_| AppError::WebhookUrlNotAllowed { reason: UrlRefusal::Unresolvable })?
            .collect();
        if addrs.is_empty() {
            return Err(AppError::WebhookUrlNotAllowed { reason: UrlRefusal::Unresolvable });
        }
        if !self.allow_private && addrs.iter().any(|a| !webhook::address_allowed(a.ip())) {
            return Err(AppError::WebhookUrlNotAllowed { reason: UrlRefusal::PrivateAddress });
        }
        Ok(addrs)
    }
}

fn refusal(e: UrlCheck) -> AppError {
    match e {
        UrlCheck::Invalid(f) => f.into(),
        UrlCheck::Refused(reason) => AppError::WebhookUrlNotAllowed { reason },
    }
}

/// The API client a caller is: webhooks belong to clients (client
/// credentials, SPEC §17), so a person's token is refused.
pub fn client_of(caller: &Caller) -> Result<(&str, &str), AppError> {
    let id = caller.sub.strip_prefix(CLIENT_SUBJECT_PREFIX);
    match (id, caller.tin.as_deref()) {
        (Some(id), Some(tin)) if caller.roles.contains(&Role::Employer) => Ok((id, tin)),
        _ => Err(AppError::ApiClientOnly),
    }
}

/// A subscription as sent.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
}

/// A change of an endpoint as sent; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub url: Option<String>,
    pub events: Option<Vec<EventType>>,
    pub description: Option<Option<String>>,
    /// `true` enables a disabled endpoint (and forgets its failures);
    /// `false` disables it.
    pub enabled: Option<bool>,
}

/// An endpoint with its secret in the clear: answered once, when it is
/// made or rotated.
#[derive(Debug, Clone)]
pub struct WithSecret {
    pub endpoint: EndpointRow,
    pub secret: String,
}

fn description(d: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(d) = d.map(str::trim).filter(|d| !d.is_empty()) else { return Ok(None) };
    if d.chars().count() > webhook::MAX_DESCRIPTION {
        return Err(FieldError::new("description", FieldCode::Length).with("max", webhook::MAX_DESCRIPTION).into());
    }
    Ok(Some(d.to_owned()))
}

/// Every fault of `sub` that needs no lookup, all in one 422: the URL's
/// form, the events, the description. Call it before [`UrlPolicy::check`],
/// whose lookup is slower and names one refusal.
pub fn check_form(caller: &Caller, sub: &Subscription, policy: &UrlPolicy) -> Result<(), AppError> {
    client_of(caller)?;
    let mut errors = domain::ValidationErrors::default();
    match webhook::check_url(&sub.url, policy.production, policy.allow_private) {
        Err(UrlCheck::Invalid(f)) => errors.push(f),
        Err(UrlCheck::Refused(reason)) => return Err(AppError::WebhookUrlNotAllowed { reason }),
        _ => {}
    }
    if let Err(e) = webhook::check_events(&sub.events) {
        errors.push(e);
    }
    if let Err(AppError::Validation(e)) = description(sub.description.as_deref()) {
        errors.extend(e);
    }
    Ok(errors.into_result(())?)
}

/// The client subscribes `sub.url` (checked by [`check_form`] and
/// [`UrlPolicy::check`] before the transaction) to its events; the answer
/// holds the secret, shown once.
pub fn subscribe(
    conn: &mut DbConnection,
    caller: &Caller,
    sub: &Subscription,
    sealer: &Sealer,
    now: DateTime<Utc>,
) -> Result<WithSecret, AppError> {
    let (client, tin) = client_of(caller)?;
    let events = webhook::check_events(&sub.events)?;
    let description = description(sub.description.as_deref())?;
    if store::count_for_client(conn, client)? >= webhook::MAX_ENDPOINTS_PER_CLIENT {
        return Err(FieldError::new("", FieldCode::TooMany).with("max", webhook::MAX_ENDPOINTS_PER_CLIENT).into());
    }
    let secret = new_secret();
    let sealed = sealer.seal(&secret)?;
    let id = format!("ep_{}", uuid::Uuid::now_v7().simple());
    let at = now.naive_utc();
    let endpoint = store::insert_endpoint(
        conn,
        &NewEndpoint {
            id: &id,
            client_id: client,
            tin,
            url: sub.url.trim(),
            events: &webhook::events_text(&events),
            description: description.as_deref(),
            secret: &sealed,
            version: 1,
            created_at: at,
            updated_at: at,
        },
    )?;
    Ok(WithSecret { endpoint, secret })
}

/// Endpoint `id` of the calling client.
pub fn endpoint(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<EndpointRow, AppError> {
    let (client, _) = client_of(caller)?;
    Ok(store::endpoint(conn, id, client)?)
}

/// The calling client's endpoints.
pub fn endpoints(conn: &mut DbConnection, caller: &Caller, page: Page) -> Result<(Vec<EndpointRow>, i64), AppError> {
    let (client, _) = client_of(caller)?;
    Ok(store::list_endpoints(conn, client, page)?)
}

fn check_version(row: &EndpointRow, expected: Option<i64>) -> Result<(), AppError> {
    match expected {
        Some(v) if v != row.version => Err(AppError::PreconditionFailed { current: row.version }),
        _ => Ok(()),
    }
}

/// Changes endpoint `id` (a new URL is checked before the transaction).
pub fn change(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    expected: Option<i64>,
    c: &Change,
    now: DateTime<Utc>,
) -> Result<EndpointRow, AppError> {
    let row = endpoint(conn, caller, id)?;
    check_version(&row, expected)?;
    let events = match &c.events {
        Some(e) => Some(webhook::events_text(&webhook::check_events(e)?)),
        None => None,
    };
    let description = match &c.description {
        Some(d) => Some(description(d.as_deref())?),
        None => None,
    };
    let at = now.naive_utc();
    let (disabled_at, failing_since) = match c.enabled {
        Some(true) => (Some(None), Some(None)),
        Some(false) if row.disabled_at.is_none() => (Some(Some(at)), None),
        _ => (None, None),
    };
    let change = EndpointChange {
        url: c.url.as_ref().map(|u| u.trim().to_owned()),
        events,
        description,
        disabled_at,
        failing_since,
    };
    Ok(store::update_endpoint(conn, id, row.version, &change, at)?)
}

/// Deletes endpoint `id` and its delivery log.
pub fn delete(conn: &mut DbConnection, caller: &Caller, id: &str, expected: Option<i64>) -> Result<(), AppError> {
    let row = endpoint(conn, caller, id)?;
    check_version(&row, expected)?;
    Ok(store::delete_endpoint(conn, id)?)
}

/// A new signing secret for endpoint `id`; the current one keeps signing
/// beside it for [`webhook::SECRET_OVERLAP`].
pub fn rotate(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    expected: Option<i64>,
    sealer: &Sealer,
    now: DateTime<Utc>,
) -> Result<WithSecret, AppError> {
    let row = endpoint(conn, caller, id)?;
    check_version(&row, expected)?;
    let secret = new_secret();
    let sealed = sealer.seal(&secret)?;
    let at = now.naive_utc();
    let until = (now + webhook::SECRET_OVERLAP).naive_utc();
    let endpoint = store::rotate_secret(conn, id, row.version, &sealed, &row.secret, until, at)?;
    Ok(WithSecret { endpoint, secret })
}

/// The body of an event: `{"type", "timestamp", "data"}` (SPEC §17).
fn payload(event: &str, now: DateTime<Utc>, data: &serde_json::Value) -> String {
    serde_json::json!({
        "type": event,
        "timestamp": domain::time::instant_text(&now),
        "data": data,
    })
    .to_string()
}

fn queue(
    conn: &mut DbConnection,
    endpoint: &EndpointRow,
    event: &str,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
) -> Result<DeliveryRow, AppError> {
    let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    store::enqueue(
        conn,
        &NewDelivery {
            id: &id,
            endpoint_id: &endpoint.id,
            event_type: event,
            subject,
            payload: body,
            status: store::PENDING,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        },
    )?;
    Ok(store::delivery(conn, &endpoint.id, &id)?)
}

/// Queues a `webhook.test` event to endpoint `id` alone, due now.
pub fn test(conn: &mut DbConnection, caller: &Caller, id: &str, now: DateTime<Utc>) -> Result<DeliveryRow, AppError> {
    let row = endpoint(conn, caller, id)?;
    let data = serde_json::json!({"endpoint_id": row.id, "message": "A test event sent at your request."});
    let subject = format!("test:{}", row.id);
    queue(conn, &row, webhook::TEST_EVENT, &subject, &payload(webhook::TEST_EVENT, now, &data), now.naive_utc())
}

/// Tells every endpoint that listens of `event` about `data` (the resource
/// as `GET` returns it), in the caller's transaction: the deliveries
/// commit with the change or not at all. `tin`: the employer it concerns
/// (`None` for the public quota's events); `subject`: the resource, whose
/// deliveries go in order. The number of deliveries queued.
pub fn publish(
    conn: &mut DbConnection,
    event: EventType,
    tin: Option<&str>,
    subject: &str,
    data: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let tin = if event.is_public() { None } else { tin };
    let listeners: Vec<EndpointRow> =
        store::listeners(conn, tin)?.into_iter().filter(|e| e.subscribes(event.as_str())).collect();
    if listeners.is_empty() {
        return Ok(0);
    }
    let body = payload(event.as_str(), now, data);
    for e in &listeners {
        queue(conn, e, event.as_str(), subject, &body, now.naive_utc())?;
    }
    Ok(listeners.len())
}

/// The delivery log of endpoint `id`, newest first.
pub fn deliveries(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    page: Page,
) -> Result<(Vec<DeliveryRow>, i64), AppError> {
    let row = endpoint(conn, caller, id)?;
    Ok(store::deliveries(conn, &row.id, page)?)
}

/// Sends delivery `delivery_id` again now (a failed one gets one more attempt).
pub fn retry(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    delivery_id: &str,
    now: DateTime<Utc>,
) -> Result<DeliveryRow, AppError> {
    let row = endpoint(conn, caller, id)?;
    let d = store::delivery(conn, &row.id, delivery_id)?;
    Ok(store::make_due(conn, d.seq, now.naive_utc())?)
}

/// A delivery the worker is to send now.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub seq: i64,
    /// `webhook-id`: the same on every attempt.
    pub id: String,
    pub endpoint_id: String,
    pub url: String,
    pub body: String,
    /// Attempts made before this one.
    pub attempts: i32,
    /// The secrets in force (the current first), in the clear.
    pub secrets: Vec<String>,
    /// Why it cannot be signed: its secret was sealed with another
    /// `WEBHOOK_SECRET_KEY`. The attempt is recorded as failed, naming the
    /// way out (rotate the secret), instead of holding up every endpoint.
    pub unsigned: Option<String>,
}

impl Outgoing {
    /// The three headers of Standard Webhooks for an attempt at `now`.
    pub fn headers(&self, now: DateTime<Utc>) -> Result<[(&'static str, String); 3], AppError> {
        let ts = now.timestamp();
        Ok([
            ("webhook-id", self.id.clone()),
            ("webhook-timestamp", ts.to_string()),
            ("webhook-signature", signature(&self.id, ts, &self.body, &self.secrets)?),
        ])
    }
}

/// How long a claimed delivery is left to its worker: longer than an
/// attempt's timeout, so it is sent again only after a crash.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(60);

/// Claims up to `limit` deliveries due at `now`, with their secrets opened.
pub fn claim(
    conn: &mut DbConnection,
    sealer: &Sealer,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Outgoing>, AppError> {
    let at = now.naive_utc();
    let mut out = Vec::new();
    for (d, e) in store::claim(conn, at, LEASE, limit)? {
        let (mut secrets, mut unsigned) = (Vec::new(), None);
        match sealer.open(&e.secret) {
            Ok(current) => secrets.push(current),
            Err(_) => {
                unsigned = Some(
                    "the signing secret cannot be read with this server's WEBHOOK_SECRET_KEY: rotate the secret (POST /api/v1/webhooks/{id}/rotate-secret), then retry the delivery".to_owned(),
                )
            }
        }
        if let (Some(prev), Some(until)) = (&e.previous_secret, e.previous_secret_until) {
            // A previous secret that cannot be read just stops signing.
            match sealer.open(prev) {
                Ok(p) if until > at => secrets.push(p),
                Ok(_) => {}
                Err(_) => {
                    tracing::warn!(endpoint = %e.id, "the previous webhook secret cannot be read; not signing with it")
                }
            }
        }
        out.push(Outgoing {
            seq: d.seq,
            id: d.id,
            endpoint_id: d.endpoint_id,
            url: e.url,
            body: d.payload,
            attempts: d.attempts,
            secrets,
            unsigned,
        });
    }
    Ok(out)
}

/// What an attempt came to, as the sender saw it.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The receiver's status, if it answered.
    pub status: Option<u16>,
    /// A short excerpt of the answer, or the network error.
    pub error: Option<String>,
}

impl Sent {
    /// Any 2xx is a delivery (SPEC §17).
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Records attempt `sent` of `out` at `now`: delivered, due again on the
/// schedule, or given up after the last attempt. An endpoint failing for
/// [`webhook::DISABLE_AFTER`] is disabled and its employer's confirmed
/// contact e-mailed, in the same transaction. Whether it was disabled.
pub fn record(conn: &mut DbConnection, out: &Outgoing, sent: &Sent, now: DateTime<Utc>) -> Result<bool, AppError> {
    let at = now.naive_utc();
    let attempts = out.attempts + 1;
    let retry_at = if sent.delivered() { None } else { webhook::retry_after(attempts).map(|d| at + d) };
    let error: Option<String> = sent.error.as_ref().map(|e| e.chars().take(webhook::EXCERPT_CHARS).collect());
    let failing_since = store::record_attempt(
        conn,
        out.seq,
        &out.endpoint_id,
        &store::Attempt {
            at,
            status: sent.status.map(i32::from),
            error: error.as_deref(),
            delivered: sent.delivered(),
            retry_at,
        },
    )?;
    let Some(since) = failing_since.filter(|s| webhook::to_disable(*s, at)) else { return Ok(false) };
    if !store::disable(conn, &out.endpoint_id, at)? {
        return Ok(false);
    }
    let row: Option<EndpointRow> = store::find_endpoint(conn, &out.endpoint_id)?;
    if let Some(row) = row {
        if let Some(to) = persistence::identity::confirmed_email(conn, &row.tin)? {
            let m = domain::messages::mail::webhook_disabled(&row.url, since);
            let key = format!("webhook-disabled:{}:{}", row.id, at.and_utc().timestamp());
            persistence::identity::enqueue(conn, Some(&key), "webhook_disabled", &to, &m, at)?;
        }
    }
    tracing::warn!(endpoint = %out.endpoint_id, "webhook endpoint disabled after failing since {since}");
    Ok(true)
}

/// Deliveries not yet delivered nor given up, and the age in seconds of the
/// oldest at `now`.
pub fn backlog(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(i64, Option<i64>), AppError> {
    let (depth, oldest) = store::backlog(conn)?;
    Ok((depth, oldest.map(|t| (now - t).num_seconds().max(0))))
}
