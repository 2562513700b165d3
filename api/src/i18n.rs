//! The request's language, chosen by `Accept-Language` among az, en, ru and
//! tr (default English; SPEC §7, §15.6), and the catalogue of messages
//! (`domain::messages`) as the API reads it.

pub use domain::messages::{count_detail, detail, exports, field_message, fill, status_detail, title};
pub use domain::Lang;

/// The request's language, from `Accept-Language` (for answers that are not
/// problems: the headers of an export).
pub struct AcceptLanguage(pub Lang);

impl actix_web::FromRequest for AcceptLanguage {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<AcceptLanguage, actix_web::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let header = req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        std::future::ready(Ok(AcceptLanguage(negotiate(header))))
    }
}

/// The best of az/en/ru/tr in an `Accept-Language` value, by q-value;
/// English when none is acceptable.
pub fn negotiate(header: Option<&str>) -> Lang {
    let Some(h) = header else { return Lang::En };
    let mut best: Option<(f32, Lang)> = None;
    for part in h.split(',') {
        let mut it = part.trim().split(';');
        let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
        let Some(lang) = Lang::parse(tag.split('-').next().unwrap_or("")) else { continue };
        if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::En, |(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{FieldCode, FieldError};

    #[test]
    fn accept_language_is_negotiated_by_quality() {
        assert_eq!(negotiate(None), Lang::En);
        assert_eq!(negotiate(Some("az")), Lang::Az);
        assert_eq!(negotiate(Some("ru-RU,ru;q=0.9,en;q=0.8")), Lang::Ru);
        assert_eq!(negotiate(Some("de, en;q=0.5, az;q=0.7")), Lang::Az);
        assert_eq!(negotiate(Some("fr")), Lang::En);
        assert_eq!(negotiate(Some("tr-TR, en;q=0.8")), Lang::Tr);
        assert_eq!(negotiate(Some("en, tr;q=0.9")), Lang::En);
    }

    #[test]
    fn every_problem_type_and_field_code_has_its_own_text_in_every_language() {
        for &lang in Lang::ALL {
            let mut titles = std::collections::HashMap::new();
            let mut codes = application::AppError::codes();
            codes.extend(crate::problem::HttpError::codes());
            for kind in codes {
                let t = title(kind, lang);
                assert!(!t.trim().is_empty(), "{lang:?}: {kind} has no title");
                assert!(!detail(kind, lang).trim().is_empty(), "{lang:?}: {kind} has no detail");
                if let Some(other) = titles.insert(t, kind) {
                    panic!("{lang:?}: {other} and {kind} share the title {t:?}");
                }
            }
            for &code in FieldCode::ALL {
                let m = field_message(&FieldError::new("f", code), lang);
                assert!(!m.trim().is_empty(), "{lang:?}: {code} has no message");
            }
        }
    }

    #[test]
    fn parameters_are_filled_in() {
        let e = FieldError::new("x", FieldCode::ExceedsTotal).with("max", 3);
        assert_eq!(field_message(&e, Lang::En), "Cannot exceed the total demand, 3.");
        assert!(field_message(&e, Lang::Az).contains('3'));
    }
}
