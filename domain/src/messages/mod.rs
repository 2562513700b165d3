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
    fill(detail("validation", lang), lang, &[("count", n.to_string())])
}

/// Fills `template` with `params`: `{name}` is the value, and
/// `{name|one|other}` (English) or `{name|one|few|many}` (Russian) is the
/// word that agrees with the number `name` holds, so "1 field is" and
/// "2 fields are" read as people write them. Azerbaijani and Turkish keep
/// the singular after a number and need no forms.
pub fn fill(template: &str, lang: Lang, params: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let mut parts = after[..end].split('|');
        let name = parts.next().unwrap_or("");
        let forms: Vec<&str> = parts.collect();
        match params.iter().find(|(k, _)| *k == name) {
            Some((_, value)) if forms.is_empty() => out.push_str(value),
            Some((_, value)) => out.push_str(plural_form(lang, value, &forms)),
            // Not a parameter of this message: left as written.
            None => out.push_str(&rest[start..=start + 1 + end]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The form of `forms` that agrees with the number `value` in `lang`:
/// English one/other; Russian one (1, 21, 31…), few (2–4, 22–24…), many.
fn plural_form<'a>(lang: Lang, value: &str, forms: &[&'a str]) -> &'a str {
    let n: u64 = value.trim().parse().unwrap_or(0);
    let index = match lang {
        Lang::Ru => {
            let (units, tens) = (n % 10, n % 100);
            if units == 1 && tens != 11 {
                0
            } else if (2..=4).contains(&units) && !(12..=14).contains(&tens) {
                1
            } else {
                2
            }
        }
        Lang::En | Lang::Az | Lang::Tr => usize::from(n != 1),
    };
    forms.get(index).or(forms.last()).copied().unwrap_or("")
}

/// Fills a status machine's refusal (`template`, the detail of
/// `transition-not-allowed` or `plan-action-not-allowed`) with the status and
/// the actions allowed in it.
pub fn status_detail(template: &str, status: &str, allowed: &[&str]) -> String {
    let list = if allowed.is_empty() { "—".to_owned() } else { allowed.join(", ") };
    template.replace("{status}", status).replace("{actions}", &list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldError;

    #[test]
    fn numbers_agree_with_their_words() {
        let en = "{n} {n|field is|fields are} invalid.";
        assert_eq!(fill(en, Lang::En, &[("n", "1".into())]), "1 field is invalid.");
        assert_eq!(fill(en, Lang::En, &[("n", "2".into())]), "2 fields are invalid.");
        let ru = "{n} {n|поле|поля|полей}";
        let ru_of = |n: u64| fill(ru, Lang::Ru, &[("n", n.to_string())]);
        assert_eq!(ru_of(1), "1 поле");
        assert_eq!(ru_of(3), "3 поля");
        assert_eq!(ru_of(11), "11 полей");
        assert_eq!(ru_of(21), "21 поле");
        assert_eq!(ru_of(24), "24 поля");
        assert_eq!(ru_of(112), "112 полей");
        assert_eq!(fill("{x} and {y}", Lang::En, &[("x", "a".into())]), "a and {y}");
    }

    #[test]
    fn every_count_reads_naturally() {
        for &lang in Lang::ALL {
            for n in [1usize, 2, 5, 21] {
                let d = count_detail(n, lang);
                assert!(d.contains(&n.to_string()) && !d.contains('{') && !d.contains("(s)"), "{lang:?}: {d}");
            }
        }
        let on = chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap_or_default();
        let one = mail::deadline_near(7, 2027, on, 1).subject;
        assert!(one.contains("1 day to the deadline") && one.contains("остался 1 день"), "{one}");
        let three = mail::correction_due_near(7, 2027, on, 3).subject;
        assert!(three.contains("3 days left") && three.contains("осталось 3 дня"), "{three}");
        let code = FieldError::new("code", crate::FieldCode::CodeWrong).with("left", 1);
        assert_eq!(field_message(&code, Lang::En), "Wrong code; 1 attempt left.");
        assert_eq!(field_message(&code, Lang::Ru), "Неверный код; осталась 1 попытка.");
        let (_, statement) = decision::wording(Lang::Ru, crate::hqm::application::Outcome::Recognised, 82, 0);
        assert!(statement.contains("82 балла"), "{statement}");
        assert_eq!(count_detail(1, Lang::En), "1 field is invalid.");
        assert_eq!(count_detail(9, Lang::En), "9 fields are invalid.");
    }
}
