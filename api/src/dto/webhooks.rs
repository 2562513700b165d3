//! Bodies of webhook endpoints, their deliveries and the events they
//! carry (SPEC §17).

use super::common::*;
use domain::webhook::{EventType, MAX_DESCRIPTION, MAX_URL};
use persistence::webhooks::{DeliveryRow, EndpointRow};

/// The URL of an endpoint as sent.
pub type WebhookUrl = Text<1, { MAX_URL as u64 }>;
/// The description of an endpoint as sent.
pub type WebhookDescription = Text<0, { MAX_DESCRIPTION as u64 }>;
/// The events of an endpoint as sent.
pub type WebhookEvents = List<EventType, { EventType::ALL.len() }>;

/// An endpoint to subscribe (SPEC §17).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://erp.example.az/hooks/quota",
    "events": ["forecast.returned", "forecast.accepted", "forecast.rejected"],
    "description": "1C ERP: forecast status"}))]
pub struct WebhookInput {
    /// Where events are posted: `https` (in production), a public address.
    #[schema(inline, example = "https://erp.example.az/hooks/quota")]
    pub url: WebhookUrl,
    /// The events to receive: at least one.
    #[schema(inline)]
    pub events: WebhookEvents,
    #[schema(inline, example = "1C ERP: forecast status")]
    pub description: Option<WebhookDescription>,
}

/// A present field, even `null`: `Some(None)` clears, absence keeps.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A change of an endpoint: the fields sent change, the others stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"events": ["forecast.returned"], "enabled": true}))]
pub struct WebhookChange {
    /// A new address for the events.
    #[schema(inline, example = "https://erp.example.az/hooks/quota")]
    pub url: Option<WebhookUrl>,
    #[schema(inline)]
    pub events: Option<WebhookEvents>,
    /// `null` or `""` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(inline, value_type = Option<String>, max_length = 200, example = "1C ERP: forecast status")]
    pub description: Option<Option<WebhookDescription>>,
    /// `true` enables a disabled endpoint (its waiting deliveries resume);
    /// `false` pauses it.
    pub enabled: Option<bool>,
}

/// A webhook endpoint (its secret is never shown again after it is made
/// or rotated).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookEndpoint {
    #[schema(example = "ep_0195a0c48f4e7b1a9c1e2f0d3c4b5a69")]
    pub id: String,
    #[schema(example = "https://erp.example.az/hooks/quota")]
    pub url: String,
    pub events: Vec<EventType>,
    #[schema(example = "1C ERP: forecast status")]
    pub description: Option<String>,
    /// `false` once it failed every delivery for 5 days (or was paused):
    /// its deliveries wait until it is enabled.
    pub enabled: bool,
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub disabled_at: Option<DateTime<Utc>>,
    /// Since when every attempt failed, if the last did.
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the secret before the last rotation still signs.
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// The `ETag`.
    #[schema(example = 1)]
    pub version: i64,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
}

impl From<&EndpointRow> for WebhookEndpoint {
    fn from(r: &EndpointRow) -> Self {
        WebhookEndpoint {
            id: r.id.clone(),
            url: r.url.clone(),
            events: domain::webhook::parse_events(&r.events),
            description: r.description.clone(),
            enabled: r.disabled_at.is_none(),
            disabled_at: r.disabled_at.map(|t| t.and_utc()),
            failing_since: r.failing_since.map(|t| t.and_utc()),
            previous_secret_expires_at: r.previous_secret_until.map(|t| t.and_utc()),
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// An endpoint with its signing secret, shown this once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookEndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// `whsec_` and base64 of 32 random bytes: verify deliveries with it
    /// (Standard Webhooks libraries take it as it is).
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet; tried again at `next_attempt_at`.
    Pending,
    /// The endpoint answered 2xx.
    Succeeded,
    /// Given up after the last retry (`POST …/retry` tries once more).
    Failed,
}

/// One event's delivery to one endpoint.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookDelivery {
    /// The `webhook-id` header: the same on every attempt.
    #[schema(example = "msg_0195a0c48f4e7b1a9c1e2f0d3c4b5a69")]
    pub id: String,
    #[schema(example = "forecast.returned")]
    pub event_type: String,
    pub status: DeliveryStatus,
    #[schema(example = 1)]
    pub attempts: i32,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The endpoint's HTTP status on the last attempt, if it answered.
    #[schema(example = 503)]
    pub last_status: Option<i32>,
    /// A short excerpt of the last failure.
    #[schema(example = "HTTP 503: Service Unavailable")]
    pub last_error: Option<String>,
    /// When it is tried next (pending only).
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<&DeliveryRow> for WebhookDelivery {
    fn from(d: &DeliveryRow) -> Self {
        let status = match d.status.as_str() {
            persistence::webhooks::SUCCEEDED => DeliveryStatus::Succeeded,
            persistence::webhooks::FAILED => DeliveryStatus::Failed,
            _ => DeliveryStatus::Pending,
        };
        WebhookDelivery {
            id: d.id.clone(),
            event_type: d.event_type.clone(),
            status,
            attempts: d.attempts,
            created_at: d.created_at.and_utc(),
            last_attempt_at: d.last_attempt_at.map(|t| t.and_utc()),
            last_status: d.last_status,
            last_error: d.last_error.clone(),
            next_attempt_at: matches!(status, DeliveryStatus::Pending).then(|| d.next_attempt_at.and_utc()),
        }
    }
}
