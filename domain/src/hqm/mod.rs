//! The Highly Qualified Migrant (HQM) service: a foreigner or stateless
//! person asks to be recognised as a highly qualified migrant, state bodies
//! score the application against six criteria, and 70 points or more with no
//! objection standing means recognition (seed 002: Decision No. 99 of the
//! Cabinet of Ministers, 3 April 2025; SPEC §14).
//!
//! Pure rules, like the rest of the crate: the criteria and their authorities
//! ([`criteria`]), counting business days ([`business_days`]) over the
//! Azerbaijani holiday calendar ([`holidays`]), the application's data and
//! status machine ([`application`]) in one of four languages ([`language`]),
//! and the documents it carries ([`documents`]).

pub mod applicant;
pub mod application;
pub mod authorities;
pub mod business_days;
pub mod criteria;
pub mod decision;
pub mod documents;
pub mod holidays;
pub mod sectors;

use crate::error::{FieldCode, FieldError};

/// A free text that may run to paragraphs (a justification, a summary): at
/// most `max` characters as sent, trimmed at both ends, line breaks kept
/// (CRLF read as LF). Blank is `None`, or a `required` error when `required`.
/// Unlike [`crate::text::required`], inner white space is not collapsed: the
/// decision document shows the justification as its author wrote it
/// (SPEC §14.3, §14.5).
pub(crate) fn text_block(field: &str, raw: &str, max: usize, required: bool) -> Result<Option<String>, FieldError> {
    if raw.chars().count() > max {
        return Err(FieldError::new(field, FieldCode::Length).with("max", max));
    }
    let t = raw.replace("\r\n", "\n");
    let t = t.trim();
    if t.is_empty() {
        return if required { Err(FieldError::new(field, FieldCode::Required)) } else { Ok(None) };
    }
    Ok(Some(t.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_blocks_keep_paragraphs_and_are_bounded_as_sent() {
        assert_eq!(text_block("f", "  one\r\n\r\ntwo  ", 20, true).unwrap().as_deref(), Some("one\n\ntwo"));
        assert_eq!(text_block("f", " \n ", 20, true).unwrap_err().code.as_str(), "required");
        assert_eq!(text_block("f", " \n ", 20, false).unwrap(), None);
        let e = text_block("f", &"ə".repeat(21), 20, false).unwrap_err();
        assert_eq!((e.code.as_str(), e.params.get("max").map(String::as_str)), ("length", Some("20")));
        assert!(text_block("f", &"ə".repeat(20), 20, true).is_ok());
    }
}
