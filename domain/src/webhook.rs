//! Webhooks: the rules of telling an employer's ERP system of a change
//! instead of having it poll (SPEC §17), signed per the Standard Webhooks
//! specification. Pure: which events exist, when a failed delivery is tried
//! again, when an endpoint is given up on, which addresses may be called.

use crate::status::ForecastAction;
use crate::wire_codes;
use crate::{FieldCode, FieldError};
use chrono::Duration;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

wire_codes! {
    /// What happened (SPEC §17): a forecast's status changed, or a year's
    /// quota was approved or amended. An endpoint subscribes to some of these.
    pub enum EventType("webhook event") {
        ForecastSubmitted => "forecast.submitted",
        ForecastReturned => "forecast.returned",
        ForecastAccepted => "forecast.accepted",
        ForecastRejected => "forecast.rejected",
        ForecastReopened => "forecast.reopened",
        QuotaApproved => "quota.approved",
        QuotaAmended => "quota.amended",
    }
}

/// The type of the event `POST /webhooks/{id}/test` sends to that endpoint
/// alone (SPEC §17); nobody subscribes to it.
pub const TEST_EVENT: &str = "webhook.test";

impl EventType {
    /// The event a forecast's step raises, if any: the steps an employer's
    /// system has to act on or learns of (SPEC §17); editing, starting the
    /// review and withdrawing raise none.
    pub fn of_forecast_step(action: ForecastAction) -> Option<EventType> {
        match action {
            ForecastAction::Submit => Some(EventType::ForecastSubmitted),
            ForecastAction::Return => Some(EventType::ForecastReturned),
            ForecastAction::Accept => Some(EventType::ForecastAccepted),
            ForecastAction::Reject => Some(EventType::ForecastRejected),
            ForecastAction::Reopen => Some(EventType::ForecastReopened),
            ForecastAction::StartReview | ForecastAction::Withdraw | ForecastAction::Edit | ForecastAction::Delete => {
                None
            }
        }
    }

    /// Whether every subscribed client receives it (the quota is public,
    /// SPEC §17), rather than only the employer it concerns.
    pub fn is_public(self) -> bool {
        matches!(self, EventType::QuotaApproved | EventType::QuotaAmended)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for EventType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(EventType::ALL.iter().map(|e| e.as_str())))
            .description(Some("An event an endpoint may subscribe to (SPEC §17)"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for EventType {}

/// The waits after each failed attempt (SPEC §17): 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h, 10 h; after the eighth attempt fails the delivery is `failed`.
pub const RETRY_SCHEDULE: [Duration; 7] = [
    Duration::seconds(5),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(5),
    Duration::hours(10),
    Duration::hours(10),
];

/// Attempts a delivery gets at most: the first and one per retry.
pub const MAX_ATTEMPTS: i32 = RETRY_SCHEDULE.len() as i32 + 1;

/// How long to wait after `attempts` attempts have failed, or `None` when
/// the delivery is given up (SPEC §17).
pub fn retry_after(attempts: i32) -> Option<Duration> {
    let i = usize::try_from(attempts.checked_sub(1)?).ok()?;
    RETRY_SCHEDULE.get(i).copied()
}

/// An endpoint that has failed every delivery for this long is disabled and
/// its client's contact told (SPEC §17).
pub const DISABLE_AFTER: Duration = Duration::days(5);

/// Whether an endpoint failing since `since` is to be disabled at `now`.
pub fn to_disable(since: chrono::NaiveDateTime, now: chrono::NaiveDateTime) -> bool {
    now - since >= DISABLE_AFTER
}

/// How long the previous signing secret keeps signing beside a new one
/// after a rotation (SPEC §17).
pub const SECRET_OVERLAP: Duration = Duration::hours(24);

/// A receiver's answer is kept only as this many characters (SPEC §17:
/// response bodies are not stored beyond a short excerpt).
pub const EXCERPT_CHARS: usize = 200;

/// How long one delivery may take (SPEC §17).
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The longest endpoint URL taken.
pub const MAX_URL: usize = 2000;
/// The longest description of an endpoint.
pub const MAX_DESCRIPTION: usize = 200;
/// Endpoints one API client may have.
pub const MAX_ENDPOINTS_PER_CLIENT: i64 = 20;

wire_codes! {
    /// Why an endpoint's URL is refused (SPEC §17: `webhook-url-not-allowed`),
    /// as the problem document names it.
    pub enum UrlRefusal("webhook URL refusal") {
        /// Production takes `https` only.
        NotHttps => "https_required",
        /// The host is, or resolves to, an address the server must not
        /// call: loopback, private, link-local (cloud metadata),
        /// unspecified, multicast or reserved.
        PrivateAddress => "private_address",
        /// The host name resolves to no address.
        Unresolvable => "unresolvable",
    }
}

/// Whether the server may call `ip` (SPEC §17): only public unicast
/// addresses. An IPv4 address written in IPv6 (`::ffff:a.b.c.d`, NAT64) is
/// judged as the IPv4 address it carries.
pub fn address_allowed(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_allowed(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return v4_allowed(v4);
            }
            let s = v6.segments();
            // 64:ff9b::/96 (NAT64) reaches the IPv4 address in its last 32 bits.
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let [a, b] = s[6].to_be_bytes();
                let [c, d] = s[7].to_be_bytes();
                return v4_allowed(Ipv4Addr::new(a, b, c, d));
            }
            v6_allowed(v6)
        }
    }
}

fn v4_allowed(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, cloud metadata 169.254.169.254
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn v6_allowed(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local, incl. fd00:ec2::254 (metadata)
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || ip.to_ipv4().is_some()) // IPv4-compatible ::a.b.c.d
}

/// What an endpoint's URL must be before any address is looked up (SPEC
/// §17): absolute `https` (or `http` outside production), a host, no user
/// or password, at most [`MAX_URL`] characters, no fragment. An IP literal
/// is judged here; a host name when it is resolved.
pub fn check_url(raw: &str, production: bool, allow_private: bool) -> Result<url::Url, UrlCheck> {
    let field = |code| UrlCheck::Invalid(FieldError::new("url", code));
    if raw.chars().count() > MAX_URL {
        return Err(UrlCheck::Invalid(FieldError::new("url", FieldCode::Length).with("max", MAX_URL)));
    }
    let url = url::Url::parse(raw.trim()).map_err(|_| field(FieldCode::UrlFormat))?;
    match url.scheme() {
        "https" => {}
        "http" if !production => {}
        "http" => return Err(UrlCheck::Refused(UrlRefusal::NotHttps)),
        _ => return Err(field(FieldCode::UrlFormat)),
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(field(FieldCode::UrlFormat));
    }
    match url.host() {
        None => return Err(field(FieldCode::UrlFormat)),
        Some(url::Host::Ipv4(ip)) if !allow_private && !address_allowed(IpAddr::V4(ip)) => {
            return Err(UrlCheck::Refused(UrlRefusal::PrivateAddress))
        }
        Some(url::Host::Ipv6(ip)) if !allow_private && !address_allowed(IpAddr::V6(ip)) => {
            return Err(UrlCheck::Refused(UrlRefusal::PrivateAddress))
        }
        Some(url::Host::Domain(d)) if !allow_private && is_local_name(d) => {
            return Err(UrlCheck::Refused(UrlRefusal::PrivateAddress))
        }
        Some(_) => {}
    }
    Ok(url)
}

/// Names that resolve to this machine or its network whatever DNS says.
fn is_local_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost" || h.ends_with(".localhost") || h.ends_with(".local") || h.ends_with(".internal")
}

/// Why [`check_url`] refuses a URL: malformed (a field error, 422
/// `validation-failed`), or well formed but not one the server may call.
#[derive(Debug, Clone, PartialEq)]
pub enum UrlCheck {
    Invalid(FieldError),
    Refused(UrlRefusal),
}

/// The events of a subscription as sent: at least one, each once, kept in
/// the order of [`EventType::ALL`].
pub fn check_events(sent: &[EventType]) -> Result<Vec<EventType>, FieldError> {
    if sent.is_empty() {
        return Err(FieldError::new("events", FieldCode::Required));
    }
    Ok(EventType::ALL.iter().copied().filter(|e| sent.contains(e)).collect())
}

/// The events as stored: their wire names separated by spaces.
pub fn events_text(events: &[EventType]) -> String {
    events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(" ")
}

/// The events as stored, read back; a name no longer known is skipped.
pub fn parse_events(stored: &str) -> Vec<EventType> {
    stored.split(' ').filter_map(EventType::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_is_the_specs_and_ends_after_the_eighth_attempt() {
        assert_eq!(retry_after(1), Some(Duration::seconds(5)));
        assert_eq!(retry_after(2), Some(Duration::minutes(5)));
        assert_eq!(retry_after(7), Some(Duration::hours(10)));
        assert_eq!(retry_after(8), None);
        assert_eq!(retry_after(0), None);
        assert_eq!(MAX_ATTEMPTS, 8);
    }

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_refused() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "224.0.0.1",
        ] {
            assert!(!address_allowed(a.parse().unwrap()), "{a}");
        }
        for a in ["93.184.216.34", "2606:4700::6810:84e5", "::ffff:8.8.8.8"] {
            assert!(address_allowed(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn urls_are_https_in_production_and_never_local_unless_allowed() {
        assert!(check_url("https://erp.example.az/hooks", true, false).is_ok());
        assert_eq!(
            check_url("http://erp.example.az/hooks", true, false).unwrap_err(),
            UrlCheck::Refused(UrlRefusal::NotHttps)
        );
        assert!(check_url("http://erp.example.az/hooks", false, false).is_ok());
        for u in ["https://127.0.0.1/x", "https://[::1]/x", "https://localhost:8443/x", "https://169.254.169.254/"] {
            assert_eq!(check_url(u, true, false).unwrap_err(), UrlCheck::Refused(UrlRefusal::PrivateAddress), "{u}");
            assert!(check_url(u, true, true).is_ok(), "{u}");
        }
        for u in ["ftp://erp.example.az/", "https://user:pw@erp.example.az/", "not a url", "https://"] {
            assert!(matches!(check_url(u, false, false), Err(UrlCheck::Invalid(_))), "{u}");
        }
    }

    #[test]
    fn events_are_kept_once_in_one_order_and_at_least_one_is_asked() {
        use EventType::*;
        let got = check_events(&[QuotaApproved, ForecastReturned, QuotaApproved]).unwrap();
        assert_eq!(got, vec![ForecastReturned, QuotaApproved]);
        assert_eq!(parse_events(&events_text(&got)), got);
        assert!(check_events(&[]).is_err());
    }
}
