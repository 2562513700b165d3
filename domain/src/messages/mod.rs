//! The one message catalogue of the product, keyed by code, in Azerbaijani,
//! English, Russian and Turkish (SPEC §7, §15.6): the title and detail of
//! every problem by its wire code, the message of every field code, the
//! headers of the exports, the e-mails, and the words of the HQM decision
//! document and criteria. Codes are stable; wording may improve.

pub mod criteria;
pub mod decision;
pub mod exports;
mod fields;
pub mod mail;
mod problems;

use crate::lang::Lang;
pub use fields::field_message;
pub use problems::{detail, title};

pub(crate) fn pick(lang: Lang, en: &'static str, az: &'static str, ru: &'static str, tr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Az => az,
        Lang::Ru => ru,
        Lang::Tr => tr,
    }
}

/// The detail of a validation problem: how many fields are invalid.
pub fn count_detail(n: usize, lang: Lang) -> String {
    detail("validation", lang).replace("{count}", &n.to_string())
}

/// Fills a status machine's refusal (`template`, the detail of
/// `transition-not-allowed` or `plan-action-not-allowed`) with the status and
/// the actions allowed in it.
pub fn status_detail(template: &str, status: &str, allowed: &[&str]) -> String {
    let list = if allowed.is_empty() { "—".to_owned() } else { allowed.join(", ") };
    template.replace("{status}", status).replace("{actions}", &list)
}
