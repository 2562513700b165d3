//! The employer's confirmed contact e-mail (SPEC §3; guideline step 4: an
//! e-mail address must be registered and confirmed before using the service).

use crate::error::{FieldCode, FieldError};
use chrono::{DateTime, Duration, Utc};
use validator::ValidateEmail;

/// A confirmation code lives this long (issue on identity: 24 hours).
pub const CODE_LIFETIME: Duration = Duration::hours(24);
/// Wrong codes allowed before a new one is needed (issue on identity: 5).
pub const CODE_ATTEMPTS: i32 = 5;
/// Longest address (RFC 5321 path limit).
pub const MAX_EMAIL: usize = 254;

/// The shape of an address as a request sends it: one `@` between two
/// non-empty parts, at most [`MAX_EMAIL`] long; [`check_email`] checks the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EmailShape;

impl crate::value::Shape for EmailShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        "^[^@]+@[^@]+$".into()
    }

    fn min() -> u64 {
        3
    }

    fn max() -> u64 {
        MAX_EMAIL as u64
    }

    fn format() -> Option<&'static str> {
        Some("email")
    }
}

/// An e-mail address as a request sends it.
pub type EmailText = crate::value::Shaped<EmailShape>;

/// Checks and normalises an address: trimmed, the domain in lower case.
pub fn check_email(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    if s.len() > MAX_EMAIL {
        return Err(FieldError::new("email", FieldCode::Length).with("max", MAX_EMAIL));
    }
    if !s.validate_email() {
        return Err(FieldError::new("email", FieldCode::EmailFormat));
    }
    match s.rsplit_once('@') {
        Some((local, domain)) => Ok(format!("{local}@{}", domain.to_ascii_lowercase())),
        None => Err(FieldError::new("email", FieldCode::EmailFormat)),
    }
}

/// Longest name of an API client.
pub const MAX_CLIENT_NAME: usize = 200;

/// An API client to register (SPEC §3): a name and the TIN it acts for.
pub fn check_client(name: &str, tin: &str) -> Result<(String, crate::tin::Tin), crate::ValidationErrors> {
    let mut errs = crate::ValidationErrors::default();
    let name = crate::text::required("name", name, MAX_CLIENT_NAME).map_err(|e| errs.push(e)).ok();
    let tin = crate::tin::Tin::parse(tin).map_err(|e| errs.push(FieldError::new("tin", e.code()))).ok();
    match (name, tin) {
        (Some(n), Some(t)) if errs.is_empty() => Ok((n, t)),
        _ => Err(errs),
    }
}

/// The digits of a confirmation code.
pub const CODE_DIGITS: u64 = 6;

/// The shape of a confirmation code: [`CODE_DIGITS`] digits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CodeShape;

impl crate::value::Shape for CodeShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^[0-9]{{{CODE_DIGITS}}}$").into()
    }

    fn min() -> u64 {
        CODE_DIGITS
    }

    fn max() -> u64 {
        CODE_DIGITS
    }
}

/// A confirmation code as a request sends it.
pub type CodeText = crate::value::Shaped<CodeShape>;

/// A code as typed: exactly [`CODE_DIGITS`] digits.
pub fn check_code(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    if s.len() as u64 == CODE_DIGITS && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(FieldError::new("code", FieldCode::CodeFormat))
    }
}

/// The pending confirmation of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCode {
    pub expires_at: DateTime<Utc>,
    pub attempts_left: i32,
}

/// What a confirmation attempt comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The code matches: the address is confirmed.
    Confirmed,
    /// Wrong code; this many attempts remain (0: a new code is needed).
    Wrong { attempts_left: i32 },
    /// The code has expired: a new one is needed.
    Expired,
    /// No attempts remain: a new code is needed.
    Exhausted,
}

/// Judges an attempt at `now`; `matches` says whether the typed code equals
/// the one sent. An expired or exhausted code is refused even when it matches.
pub fn judge(pending: &PendingCode, now: DateTime<Utc>, matches: bool) -> Attempt {
    if now > pending.expires_at {
        return Attempt::Expired;
    }
    if pending.attempts_left <= 0 {
        return Attempt::Exhausted;
    }
    if matches {
        Attempt::Confirmed
    } else {
        Attempt::Wrong { attempts_left: pending.attempts_left - 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_domains_lowered() {
        assert_eq!(check_email(" hr@Absheron.AZ ").unwrap(), "hr@absheron.az");
        assert_eq!(check_email("not-an-address").unwrap_err().code.as_str(), "email_format");
        assert_eq!(check_email(&format!("{}@x.az", "a".repeat(260))).unwrap_err().code.as_str(), "length");
    }

    #[test]
    fn codes_are_six_digits() {
        assert!(check_code("012345").is_ok());
        assert!(check_code("12345").is_err());
        assert!(check_code("12a456").is_err());
    }

    #[test]
    fn five_wrong_attempts_then_a_new_code_and_expiry_after_a_day() {
        let now: DateTime<Utc> = "2026-05-01T10:00:00Z".parse().unwrap();
        let mut p = PendingCode { expires_at: now + CODE_LIFETIME, attempts_left: CODE_ATTEMPTS };
        for left in (0..CODE_ATTEMPTS).rev() {
            assert_eq!(judge(&p, now, false), Attempt::Wrong { attempts_left: left });
            p.attempts_left = left;
        }
        assert_eq!(judge(&p, now, true), Attempt::Exhausted);
        let fresh = PendingCode { expires_at: now + CODE_LIFETIME, attempts_left: CODE_ATTEMPTS };
        assert_eq!(judge(&fresh, now + CODE_LIFETIME, true), Attempt::Confirmed);
        assert_eq!(judge(&fresh, now + CODE_LIFETIME + Duration::seconds(1), true), Attempt::Expired);
    }
}
