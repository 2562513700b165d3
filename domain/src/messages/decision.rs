//! The words of the signed HQM decision document, in the four languages of
//! an application (SPEC §14.5).

use crate::hqm::application::Outcome;
use crate::hqm::criteria::THRESHOLD;
use crate::lang::Lang;

/// The title and statement of a decision in `lang` (SPEC §14.5).
pub fn wording(lang: Lang, outcome: Outcome, total: u32, objections: usize) -> (String, String) {
    use Lang::*;
    let title = match lang {
        Az => "Yüksək ixtisaslı miqrant hesab olunma barədə qərar",
        Tr => "Yüksek nitelikli göçmen sayılmaya ilişkin karar",
        En => "Decision on recognition as a Highly Qualified Migrant",
        Ru => "Решение о признании высококвалифицированным мигрантом",
    };
    // The word for the points agrees with their number.
    let n = [("n", total.to_string())];
    let (points, ballov) = (super::fill("{n|point|points}", En, &n), super::fill("{n|балл|балла|баллов}", Ru, &n));
    let statement = match (lang, outcome) {
        (Az, Outcome::Recognised) => format!(
            "Ərizəçi {total} bal toplamışdır (tələb olunan {THRESHOLD}) və heç bir etiraz olmamışdır: şəxs yüksək ixtisaslı miqrant hesab olunur."
        ),
        (Tr, Outcome::Recognised) => format!(
            "Başvuru sahibi {total} puan almıştır (gerekli {THRESHOLD}) ve hiçbir itiraz yoktur: kişi yüksek nitelikli göçmen sayılır."
        ),
        (En, Outcome::Recognised) => format!(
            "The applicant scored {total} {points} (required: {THRESHOLD}) and no objection was raised: the person is recognised as a Highly Qualified Migrant."
        ),
        (Ru, Outcome::Recognised) => format!(
            "Заявитель набрал {total} {ballov} (требуется {THRESHOLD}), возражений нет: лицо признаётся высококвалифицированным мигрантом."
        ),
        (Az, Outcome::Refused) if objections > 0 => {
            format!("Dövlət orqanlarının etirazı ({objections}) olduğuna görə şəxs yüksək ixtisaslı miqrant hesab olunmur.")
        }
        (Tr, Outcome::Refused) if objections > 0 => {
            format!("Devlet kurumlarının itirazı ({objections}) nedeniyle kişi yüksek nitelikli göçmen sayılmaz.")
        }
        (En, Outcome::Refused) if objections > 0 => format!(
            "An objection of a state body stands ({objections}): the person is not recognised as a Highly Qualified Migrant."
        ),
        (Ru, Outcome::Refused) if objections > 0 => format!(
            "Имеются возражения государственных органов ({objections}): лицо не признаётся высококвалифицированным мигрантом."
        ),
        (Az, Outcome::Refused) => format!(
            "Ərizəçi {total} bal toplamışdır (tələb olunan {THRESHOLD}): şəxs yüksək ixtisaslı miqrant hesab olunmur."
        ),
        (Tr, Outcome::Refused) => {
            format!("Başvuru sahibi {total} puan almıştır (gerekli {THRESHOLD}): kişi yüksek nitelikli göçmen sayılmaz.")
        }
        (En, Outcome::Refused) => format!(
            "The applicant scored {total} {points} (required: {THRESHOLD}): the person is not recognised as a Highly Qualified Migrant."
        ),
        (Ru, Outcome::Refused) => format!(
            "Заявитель набрал {total} {ballov} (требуется {THRESHOLD}): лицо не признаётся высококвалифицированным мигрантом."
        ),
    };
    (title.to_owned(), statement)
}

/// Labels of the printable copy in `lang` (SPEC §14.5): number, date,
/// applicant, citizenship, date of birth, passport, field, criterion,
/// authority, points, total, objections, outcome, verification code, review
/// deadline.
pub fn labels(lang: Lang) -> [&'static str; 15] {
    use Lang::*;
    match lang {
        Az => [
            "Nömrə",
            "Tarix",
            "Ərizəçi",
            "Vətəndaşlıq",
            "Doğum tarixi",
            "Pasport",
            "İxtisas sahəsi",
            "Meyar",
            "Qiymətləndirən orqan",
            "Bal",
            "Cəmi",
            "Etirazlar",
            "Nəticə",
            "Yoxlama kodu",
            "Baxılma müddəti",
        ],
        Tr => [
            "Numara",
            "Tarih",
            "Başvuru sahibi",
            "Vatandaşlık",
            "Doğum tarihi",
            "Pasaport",
            "Uzmanlık alanı",
            "Kriter",
            "Değerlendiren kurum",
            "Puan",
            "Toplam",
            "İtirazlar",
            "Sonuç",
            "Doğrulama kodu",
            "İnceleme süresi",
        ],
        En => [
            "Number",
            "Date",
            "Applicant",
            "Citizenship",
            "Date of birth",
            "Passport",
            "Field of expertise",
            "Criterion",
            "Authority",
            "Points",
            "Total",
            "Objections",
            "Outcome",
            "Verification code",
            "Review deadline",
        ],
        Ru => [
            "Номер",
            "Дата",
            "Заявитель",
            "Гражданство",
            "Дата рождения",
            "Паспорт",
            "Область специализации",
            "Критерий",
            "Орган",
            "Баллы",
            "Итого",
            "Возражения",
            "Результат",
            "Код проверки",
            "Срок рассмотрения",
        ],
    }
}

/// The outcome's name in `lang` (SPEC §14.5).
pub fn outcome_name(lang: Lang, outcome: Outcome) -> &'static str {
    use Lang::*;
    match (lang, outcome) {
        (Az, Outcome::Recognised) => "Yüksək ixtisaslı miqrant hesab olunur",
        (Az, Outcome::Refused) => "Yüksək ixtisaslı miqrant hesab olunmur",
        (Tr, Outcome::Recognised) => "Yüksek nitelikli göçmen sayılır",
        (Tr, Outcome::Refused) => "Yüksek nitelikli göçmen sayılmaz",
        (En, Outcome::Recognised) => "Recognised as a Highly Qualified Migrant",
        (En, Outcome::Refused) => "Not recognised as a Highly Qualified Migrant",
        (Ru, Outcome::Recognised) => "Признан высококвалифицированным мигрантом",
        (Ru, Outcome::Refused) => "Не признан высококвалифицированным мигрантом",
    }
}
