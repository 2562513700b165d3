//! Headers and labels of the summary's CSV and XLSX exports, in every
//! language of the API (SPEC §15.5: headers in the request's language).

use super::pick;
use crate::lang::Lang;

/// Declares `Label` and `Label::ALL` from one list of its variants, so the
/// test below sees every label.
macro_rules! labels {
    ($($(#[$m:meta])* $v:ident,)*) => {
        /// A header, label or sheet name of an export.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Label { $($(#[$m])* $v,)* }

        impl Label {
            pub const ALL: &'static [Label] = &[$(Label::$v),*];
        }
    };
}

labels! {
    ActivityCode,
    Activity,
    OccupationCode,
    Occupation,
    Counted,
    Employers,
    Forecasts,
    Occupations,
    Demand,
    QuotaForeigners,
    ExemptForeigners,
    /// The bucket of accepted forecasts.
    Accepted,
    /// The bucket of forecasts still submitted or in review.
    Pending,
    /// The title of the total row.
    AllActivities,
    /// The sheet of economic activities.
    ActivitiesSheet,
    /// The sheet of occupations by economic activity.
    OccupationsSheet,
}

/// The text of `label` in `lang`. Sheet names stay within Excel's 31
/// characters and its forbidden characters.
pub fn label(label: Label, lang: Lang) -> &'static str {
    match label {
        Label::ActivityCode => pick(
            lang,
            "Economic activity code",
            "İqtisadi fəaliyyət növünün kodu",
            "Код вида экономической деятельности",
            "Ekonomik faaliyet kodu",
        ),
        Label::Activity => pick(
            lang,
            "Economic activity",
            "İqtisadi fəaliyyət növü",
            "Вид экономической деятельности",
            "Ekonomik faaliyet",
        ),
        Label::OccupationCode => pick(lang, "Occupation code", "Peşənin kodu", "Код профессии", "Meslek kodu"),
        Label::Occupation => pick(lang, "Occupation", "Peşə", "Профессия", "Meslek"),
        Label::Counted => {
            pick(lang, "Forecasts counted", "Nəzərə alınan proqnozlar", "Учтённые прогнозы", "Sayılan tahminler")
        }
        Label::Employers => pick(lang, "Employers", "İşəgötürənlər", "Работодатели", "İşverenler"),
        Label::Forecasts => pick(lang, "Forecasts", "Proqnozlar", "Прогнозы", "Tahminler"),
        Label::Occupations => pick(lang, "Occupations", "Peşələr", "Профессии", "Meslekler"),
        Label::Demand => pick(
            lang,
            "Additional demand (persons)",
            "Əlavə işçi qüvvəsinə tələbat (nəfər)",
            "Дополнительная потребность (человек)",
            "Ek işgücü talebi (kişi)",
        ),
        Label::QuotaForeigners => pick(
            lang,
            "Foreigners counting toward the quota",
            "Kvotaya daxil olan əcnəbilər",
            "Иностранцы в счёт квоты",
            "Kotaya sayılan yabancılar",
        ),
        Label::ExemptForeigners => pick(
            lang,
            "Foreigners in exempt lines (liberated territories)",
            "Güzəştli sətirlərdə əcnəbilər (işğaldan azad edilmiş ərazilər)",
            "Иностранцы вне квоты (освобождённые территории)",
            "Muaf satırlardaki yabancılar (kurtarılmış topraklar)",
        ),
        Label::Accepted => pick(lang, "accepted", "qəbul edilmiş", "принятые", "kabul edilen"),
        Label::Pending => pick(
            lang,
            "submitted or in review",
            "təqdim edilmiş və ya baxılan",
            "поданные или на рассмотрении",
            "sunulan veya incelenen",
        ),
        Label::AllActivities => pick(
            lang,
            "All economic activities",
            "Bütün iqtisadi fəaliyyət növləri",
            "Все виды экономической деятельности",
            "Tüm ekonomik faaliyetler",
        ),
        Label::ActivitiesSheet => {
            pick(lang, "Economic activities", "Fəaliyyət növləri", "Виды деятельности", "Ekonomik faaliyetler")
        }
        Label::OccupationsSheet => pick(
            lang,
            "Occupations by activity",
            "Fəaliyyət növü üzrə peşələr",
            "Профессии по видам",
            "Faaliyete göre meslekler",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_a_text_in_every_language_and_sheet_names_fit_excel() {
        for &lang in Lang::ALL {
            for &l in Label::ALL {
                assert!(!label(l, lang).trim().is_empty(), "{lang:?} {l:?}");
            }
            for sheet in [Label::ActivitiesSheet, Label::OccupationsSheet] {
                let name = label(sheet, lang);
                assert!(name.chars().count() <= 31, "{lang:?}: {name}");
                assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']), "{lang:?}: {name}");
            }
        }
    }
}
