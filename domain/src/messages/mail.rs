//! The e-mails the product sends to employers, in Azerbaijani, English and
//! Russian, one after the other (SPEC §15.6: e-mails to employers in az, en
//! and ru; the product keeps no language per employer, so each message
//! carries all three).

use crate::lang::Lang;

/// A message: subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// One text in the three languages of e-mails to employers.
struct Texts {
    az: String,
    en: String,
    ru: String,
}

/// The message whose subject and body are `subject` and `body` in every
/// language: subjects joined by " / ", bodies one after the other.
fn message(subject: Texts, body: Texts) -> Message {
    Message {
        subject: format!("{} / {} / {}", subject.az, subject.en, subject.ru),
        body: format!("{}\n\n{}\n\n{}\n", body.az.trim_end(), body.en.trim_end(), body.ru.trim_end()),
    }
}

/// The confirmation code for a contact address.
pub fn confirmation_code(code: &str) -> Message {
    message(
        Texts {
            az: "E-poçt ünvanının təsdiqi".into(),
            en: "E-mail confirmation".into(),
            ru: "Подтверждение адреса e-mail".into(),
        },
        Texts {
            az: format!("Təsdiq kodunuz: {code}\nKod 24 saat etibarlıdır."),
            en: format!("Your confirmation code: {code}\nThe code is valid for 24 hours."),
            ru: format!("Ваш код подтверждения: {code}\nКод действителен 24 часа."),
        },
    )
}

/// A forecast was returned by the Service with a reason; it may be
/// corrected and resubmitted until `due` (SPEC §15.3).
pub fn forecast_returned(number: i64, target_year: i32, reason: &str, due: chrono::NaiveDate) -> Message {
    message(
        Texts {
            az: format!("Proqnoz-məlumat №{number} qaytarıldı"),
            en: format!("Forecast No. {number} returned"),
            ru: format!("Прогноз № {number} возвращён"),
        },
        Texts {
            az: format!(
                "{target_year}-ci il üçün proqnoz-məlumatınız №{number} düzəliş üçün qaytarıldı.\nSəbəb: {reason}\n\
                 Düzəldib yenidən təqdim etməyin son tarixi: {due}."
            ),
            en: format!(
                "Your forecast No. {number} for {target_year} was returned for correction.\nReason: {reason}\n\
                 Correct and resubmit it by {due}."
            ),
            ru: format!(
                "Ваш прогноз № {number} на {target_year} год возвращён на исправление.\nПричина: {reason}\n\
                 Исправьте и подайте его повторно до {due} включительно."
            ),
        },
    )
}

/// A forecast was accepted, with the officer's note if any (SPEC §15.4).
pub fn forecast_accepted(number: i64, target_year: i32, note: Option<&str>) -> Message {
    let line = |label: &str| note.map(|n| format!("\n{label}: {n}")).unwrap_or_default();
    message(
        Texts {
            az: format!("Proqnoz-məlumat №{number} qəbul edildi"),
            en: format!("Forecast No. {number} accepted"),
            ru: format!("Прогноз № {number} принят"),
        },
        Texts {
            az: format!("{target_year}-ci il üçün proqnoz-məlumatınız №{number} qəbul edildi.{}", line("Qeyd")),
            en: format!("Your forecast No. {number} for {target_year} was accepted.{}", line("Note")),
            ru: format!("Ваш прогноз № {number} на {target_year} год принят.{}", line("Примечание")),
        },
    )
}

/// A webhook endpoint failed every delivery for five days and was disabled
/// (SPEC §17); its deliveries wait until the client enables it again.
pub fn webhook_disabled(url: &str, failing_since: chrono::NaiveDateTime) -> Message {
    let since = failing_since.format("%Y-%m-%d %H:%M UTC");
    message(
        Texts {
            az: "Webhook ünvanı söndürüldü".to_owned(),
            en: "Webhook endpoint disabled".to_owned(),
            ru: "Адрес webhook отключён".to_owned(),
        },
        Texts {
            az: format!("{url} ünvanı {since} tarixindən bəri heç bir çatdırılmanı qəbul etmədiyi üçün söndürüldü. Hadisələr saxlanılır: ünvanı düzəldib PATCH /api/v1/webhooks/{{id}} ilə {{\"enabled\": true}} göndərdikdə çatdırılma davam edəcək."),
            en: format!("The endpoint {url} has failed every delivery since {since} and was disabled. Events are kept: fix the endpoint and send {{\"enabled\": true}} with PATCH /api/v1/webhooks/{{id}} to resume delivery."),
            ru: format!("Адрес {url} не принимал доставки с {since} и был отключён. События сохранены: исправьте адрес и отправьте {{\"enabled\": true}} через PATCH /api/v1/webhooks/{{id}}, чтобы доставка возобновилась."),
        },
    )
}

/// A forecast was rejected by the Service with a reason (SPEC §16.3.1): it
/// is final and no longer the employer's forecast of its year, so a new one
/// may be filed until `file_anew_until` (the campaign's submission
/// deadline, when it has not passed; `None` when it has).
pub fn forecast_rejected(
    number: i64,
    target_year: i32,
    reason: &str,
    file_anew_until: Option<chrono::NaiveDate>,
) -> Message {
    let (az, en, ru) = match file_anew_until {
        Some(d) => (
            format!("{target_year}-ci il üçün yeni proqnoz-məlumatı {d} tarixinədək təqdim edə bilərsiniz."),
            format!("You may file a new forecast for {target_year} until {d}."),
            format!("Новый прогноз на {target_year} год можно подать до {d} включительно."),
        ),
        None => (
            format!("{target_year}-ci il üçün kampaniya artıq yeni proqnoz-məlumatı qəbul etmir."),
            format!("The campaign for {target_year} no longer takes new forecasts."),
            format!("Кампания на {target_year} год новые прогнозы больше не принимает."),
        ),
    };
    message(
        Texts {
            az: format!("Proqnoz-məlumat №{number} rədd edildi"),
            en: format!("Forecast No. {number} rejected"),
            ru: format!("Прогноз № {number} отклонён"),
        },
        Texts {
            az: format!(
                "{target_year}-ci il üçün proqnoz-məlumatınız №{number} rədd edildi və artıq həmin il üçün \
                 proqnozunuz sayılmır.\nSəbəb: {reason}\n{az}"
            ),
            en: format!(
                "Your forecast No. {number} for {target_year} was rejected; it no longer counts as your forecast \
                 for that year.\nReason: {reason}\n{en}"
            ),
            ru: format!(
                "Ваш прогноз № {number} на {target_year} год отклонён и больше не считается вашим прогнозом на этот \
                 год.\nПричина: {reason}\n{ru}"
            ),
        },
    )
}

/// An accepted forecast was reopened by the Service with a reason (SPEC
/// §16.3.2): it is in review again and may be accepted, returned or
/// rejected.
pub fn forecast_reopened(number: i64, target_year: i32, reason: &str) -> Message {
    message(
        Texts {
            az: format!("Proqnoz-məlumat №{number} yenidən baxılır"),
            en: format!("Forecast No. {number} reopened"),
            ru: format!("Прогноз № {number} снова на рассмотрении"),
        },
        Texts {
            az: format!(
                "{target_year}-ci il üçün qəbul edilmiş proqnoz-məlumatınız №{number} yenidən baxışa götürüldü.\n\
                 Səbəb: {reason}\nXidmət onu yenidən qəbul edə, düzəliş üçün qaytara və ya rədd edə bilər."
            ),
            en: format!(
                "Your accepted forecast No. {number} for {target_year} is under review again.\nReason: {reason}\n\
                 The Service may accept it again, return it for correction or reject it."
            ),
            ru: format!(
                "Ваш принятый прогноз № {number} на {target_year} год снова на рассмотрении.\nПричина: {reason}\n\
                 Служба может снова принять его, вернуть на исправление или отклонить."
            ),
        },
    )
}

/// `template` with the number of days, its words agreeing with it.
fn counted(template: &str, lang: Lang, days: i64) -> String {
    super::fill(template, lang, &[("days", days.to_string())])
}

/// The submission deadline is `days` away and the forecast is not submitted.
pub fn deadline_near(number: i64, target_year: i32, deadline: chrono::NaiveDate, days: i64) -> Message {
    message(
        Texts {
            az: format!("Son tarixə {days} gün qalıb"),
            en: counted("{days} {days|day|days} to the deadline", Lang::En, days),
            ru: counted("До срока {days|остался|осталось|осталось} {days} {days|день|дня|дней}", Lang::Ru, days),
        },
        Texts {
            az: format!(
                "{target_year}-ci il üçün proqnoz-məlumatınız №{number} hələ təqdim edilməyib. Son tarix: {deadline}."
            ),
            en: format!(
                "Your forecast No. {number} for {target_year} is not submitted yet. The deadline is {deadline}."
            ),
            ru: format!("Ваш прогноз № {number} на {target_year} год ещё не подан. Срок: {deadline} включительно."),
        },
    )
}

/// A returned forecast is not resubmitted and its `correction_due` is
/// `days` away (SPEC §15.3).
pub fn correction_due_near(number: i64, target_year: i32, due: chrono::NaiveDate, days: i64) -> Message {
    message(
        Texts {
            az: format!("Düzəlişə {days} gün qalıb"),
            en: counted("{days} {days|day|days} left to correct", Lang::En, days),
            ru: counted(
                "До срока исправления {days|остался|осталось|осталось} {days} {days|день|дня|дней}",
                Lang::Ru,
                days,
            ),
        },
        Texts {
            az: format!(
                "{target_year}-ci il üçün qaytarılmış proqnoz-məlumatınız №{number} hələ yenidən təqdim edilməyib. \
                 Son tarix: {due}."
            ),
            en: format!(
                "Your returned forecast No. {number} for {target_year} is not resubmitted yet. The deadline is {due}."
            ),
            ru: format!(
                "Ваш возвращённый прогноз № {number} на {target_year} год ещё не подан повторно. Срок: {due} включительно."
            ),
        },
    )
}

/// Days before a deadline on which reminders go out.
pub const REMINDER_DAYS: [i64; 2] = [7, 1];

/// The number of days before `deadline` that `today` is, when a reminder
/// goes out on that day ([`REMINDER_DAYS`]); `None` on other days.
pub fn reminder_due(deadline: chrono::NaiveDate, today: chrono::NaiveDate) -> Option<i64> {
    let days = (deadline - today).num_days();
    REMINDER_DAYS.contains(&days).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    /// Every message, each with a marker of each language's text.
    fn all() -> Vec<Message> {
        vec![
            confirmation_code("123456"),
            forecast_returned(17, 2027, "Name the site.", d("2026-09-10")),
            forecast_accepted(17, 2027, Some("Two of three.")),
            forecast_accepted(17, 2027, None),
            forecast_rejected(17, 2027, "Not this employer's.", Some(d("2026-08-01"))),
            forecast_rejected(17, 2027, "Not this employer's.", None),
            forecast_reopened(17, 2027, "Line 1 double-counted."),
            deadline_near(17, 2027, d("2026-08-01"), 7),
            correction_due_near(17, 2027, d("2026-09-10"), 1),
        ]
    }

    #[test]
    fn every_email_speaks_azerbaijani_english_and_russian() {
        for m in all() {
            let subjects: Vec<&str> = m.subject.split(" / ").collect();
            assert_eq!(subjects.len(), 3, "{}", m.subject);
            let parts: Vec<&str> = m.body.trim_end().split("\n\n").collect();
            assert_eq!(parts.len(), 3, "{}", m.body);
            let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
            let azerbaijani = |s: &str| s.chars().any(|c| "əğıöüçşƏĞİÖÜÇŞ".contains(c));
            assert!(azerbaijani(subjects[0]) || subjects[0].contains("gün"), "{}", subjects[0]);
            assert!(azerbaijani(parts[0]), "{}", parts[0]);
            assert!(!cyrillic(subjects[1]) && !azerbaijani(parts[1]) && !cyrillic(parts[1]), "{}", parts[1]);
            assert!(cyrillic(subjects[2]) && cyrillic(parts[2]), "{}", parts[2]);
        }
    }

    #[test]
    fn the_facts_are_in_every_language() {
        let m = forecast_returned(17, 2027, "Name the site.", d("2026-09-10"));
        for part in m.body.trim_end().split("\n\n") {
            assert!(part.contains("17") && part.contains("2027") && part.contains("Name the site."), "{part}");
            assert!(part.contains("2026-09-10"), "{part}");
        }
        let m = forecast_accepted(17, 2027, Some("Two of three."));
        assert_eq!(m.body.matches("Two of three.").count(), 3);
        assert!(!forecast_accepted(17, 2027, None).body.contains(':'), "no note, no note line");
        assert!(confirmation_code("123456").body.contains("Your confirmation code: 123456"));
        for m in [
            forecast_rejected(17, 2027, "Not this employer's.", Some(d("2026-08-01"))),
            forecast_reopened(17, 2027, "Not this employer's."),
        ] {
            for part in m.body.trim_end().split("\n\n") {
                assert!(
                    part.contains("17") && part.contains("2027") && part.contains("Not this employer's."),
                    "{part}"
                );
            }
        }
        let open = forecast_rejected(17, 2027, "r", Some(d("2026-08-01")));
        assert_eq!(open.body.matches("2026-08-01").count(), 3, "the day until which to file anew");
        let closed = forecast_rejected(17, 2027, "r", None);
        assert!(closed.body.contains("no longer takes new forecasts"));
    }

    #[test]
    fn reminders_go_seven_days_and_one_day_before() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(reminder_due(d("2026-08-01"), d("2026-07-25")), Some(7));
        assert_eq!(reminder_due(d("2026-08-01"), d("2026-07-31")), Some(1));
        for other in ["2026-07-24", "2026-07-26", "2026-08-01", "2026-08-02"] {
            assert_eq!(reminder_due(d("2026-08-01"), d(other)), None, "{other}");
        }
    }
}

/// An HQM application was received: its review deadline (SPEC §14.4), in the
/// application's language (SPEC §14.5, §15.6).
pub fn hqm_submitted(lang: crate::lang::Lang, number: i64, deadline: chrono::NaiveDate, provisional: bool) -> Message {
    use crate::lang::Lang::*;
    let (subject, body) = match lang {
        Az => (
            format!("Ərizə №{number} qəbul edildi"),
            format!("Yüksək ixtisaslı miqrant ərizəniz №{number} baxılmaya qəbul edildi. Baxılma müddəti: {deadline}.\n"),
        ),
        Tr => (
            format!("Başvuru No. {number} alındı"),
            format!("Yüksek nitelikli göçmen başvurunuz No. {number} incelemeye alındı. İnceleme süresi: {deadline}.\n"),
        ),
        En => (
            format!("Application No. {number} received"),
            format!("Your Highly Qualified Migrant application No. {number} is under review. Review deadline: {deadline}.\n"),
        ),
        Ru => (
            format!("Заявление № {number} принято"),
            format!("Ваше заявление высококвалифицированного мигранта № {number} принято к рассмотрению. Срок рассмотрения: {deadline}.\n"),
        ),
    };
    Message { subject, body: body + &provisional_note(lang, provisional) }
}

/// The review of an HQM application was extended (SPEC §14.4), in the
/// application's language.
pub fn hqm_extended(lang: crate::lang::Lang, number: i64, deadline: chrono::NaiveDate, provisional: bool) -> Message {
    use crate::lang::Lang::*;
    let (subject, body) = match lang {
        Az => (
            format!("Ərizə №{number}: baxılma müddəti uzadıldı"),
            format!("Əlavə araşdırma üçün ərizənizə №{number} baxılma müddəti {deadline} tarixinədək uzadıldı.\n"),
        ),
        Tr => (
            format!("Başvuru No. {number}: inceleme süresi uzatıldı"),
            format!("Ek inceleme için başvurunuzun No. {number} inceleme süresi {deadline} tarihine kadar uzatıldı.\n"),
        ),
        En => (
            format!("Application No. {number}: review extended"),
            format!("For additional investigation, the review of your application No. {number} is extended to {deadline}.\n"),
        ),
        Ru => (
            format!("Заявление № {number}: срок рассмотрения продлён"),
            format!("Для дополнительной проверки срок рассмотрения заявления № {number} продлён до {deadline}.\n"),
        ),
    };
    Message { subject, body: body + &provisional_note(lang, provisional) }
}

/// The decision on an HQM application (SPEC §14.5), in the application's
/// language: the outcome, the document's number and verification code.
pub fn hqm_decided(
    lang: crate::lang::Lang,
    decision: &str,
    outcome: crate::hqm::application::Outcome,
    total: u32,
    code: &str,
) -> Message {
    use crate::lang::Lang::*;
    let result = super::decision::outcome_name(lang, outcome);
    let (subject, body) = match lang {
        Az => (
            format!("Qərar {decision}: {result}"),
            format!("Ərizənizə dair qərar: {result}. Cəmi bal: {total}.\nSənəd: {decision}, yoxlama kodu: {code}.\n"),
        ),
        Tr => (
            format!("Karar {decision}: {result}"),
            format!("Başvurunuza ilişkin karar: {result}. Toplam puan: {total}.\nBelge: {decision}, doğrulama kodu: {code}.\n"),
        ),
        En => (
            format!("Decision {decision}: {result}"),
            format!("The decision on your application: {result}. Total points: {total}.\nDocument: {decision}, verification code: {code}.\n"),
        ),
        Ru => (
            format!("Решение {decision}: {result}"),
            format!("Решение по вашему заявлению: {result}. Всего баллов: {total}.\nДокумент: {decision}, код проверки: {code}.\n"),
        ),
    };
    Message { subject, body }
}

/// An HQM application entered a scoring authority's queue (SPEC §16.4.2):
/// told to the authority's contact address, in Azerbaijani, English and
/// Russian (as to employers), with the criteria it scores and the deadline.
pub fn hqm_authority_queued(
    number: i64,
    occupation: &str,
    criteria: &[crate::hqm::criteria::Criterion],
    deadline: chrono::NaiveDate,
) -> Message {
    let list: Vec<&str> = criteria.iter().map(|c| c.as_str()).collect();
    let list = list.join(", ");
    message(
        Texts {
            az: format!("YİM ərizəsi №{number} qiymətləndirməni gözləyir"),
            en: format!("HQM application No. {number} awaits your scores"),
            ru: format!("Заявление ВКМ № {number} ждёт вашей оценки"),
        },
        Texts {
            az: format!(
                "Yüksək ixtisaslı miqrant ərizəsi №{number} ({occupation}) növbənizə daxil oldu. \
                 Qiymətləndirilməli meyarlar: {list}. Baxılma müddəti: {deadline}."
            ),
            en: format!(
                "Highly Qualified Migrant application No. {number} ({occupation}) has entered your queue. \
                 Criteria to score: {list}. Review deadline: {deadline}."
            ),
            ru: format!(
                "Заявление высококвалифицированного мигранта № {number} ({occupation}) поступило в вашу очередь. \
                 Критерии для оценки: {list}. Срок рассмотрения: {deadline}."
            ),
        },
    )
}

/// A scoring authority has criteria of an HQM application unscored 5
/// business days before its review deadline (SPEC §16.4.2).
pub fn hqm_authority_reminder(
    number: i64,
    unscored: &[crate::hqm::criteria::Criterion],
    deadline: chrono::NaiveDate,
) -> Message {
    let list: Vec<&str> = unscored.iter().map(|c| c.as_str()).collect();
    let list = list.join(", ");
    message(
        Texts {
            az: format!("Xatırlatma: YİM ərizəsi №{number}, müddət {deadline}"),
            en: format!("Reminder: HQM application No. {number}, due {deadline}"),
            ru: format!("Напоминание: заявление ВКМ № {number}, срок {deadline}"),
        },
        Texts {
            az: format!(
                "Ərizə №{number} üzrə bu meyarlar hələ qiymətləndirilməyib: {list}. Baxılma müddəti {deadline} tarixində bitir."
            ),
            en: format!("Application No. {number} still has these criteria unscored: {list}. The review is due on {deadline}."),
            ru: format!("По заявлению № {number} ещё не оценены критерии: {list}. Срок рассмотрения истекает {deadline}."),
        },
    )
}

/// The line an HQM e-mail adds when the deadline it names is provisional
/// (SPEC §16.4.4); empty otherwise.
fn provisional_note(lang: crate::lang::Lang, provisional: bool) -> String {
    if !provisional {
        return String::new();
    }
    super::pick(
        lang,
        "This deadline is provisional: the holiday calendar of a year it reaches is not published yet. You will be told if it moves.\n",
        "Bu müddət ilkindir: çatdığı ilin bayram təqvimi hələ dərc edilməyib. Dəyişsə, sizə bildiriləcək.\n",
        "Этот срок предварительный: календарь праздников года, в который он попадает, ещё не опубликован. Если срок изменится, вам сообщат.\n",
        "Bu süre geçicidir: ulaştığı yılın tatil takvimi henüz yayımlanmadı. Değişirse size bildirilecektir.\n",
    )
    .to_owned()
}

/// The review deadline of an HQM application moved when the holiday
/// calendar was published or changed (SPEC §16.4.4), in the application's
/// language.
pub fn hqm_deadline_recounted(
    lang: crate::lang::Lang,
    number: i64,
    before: chrono::NaiveDate,
    after: chrono::NaiveDate,
    provisional: bool,
) -> Message {
    use crate::lang::Lang::*;
    let (subject, body) = match lang {
        Az => (
            format!("Ərizə №{number}: baxılma müddəti dəyişdi"),
            format!("Bayram təqviminə görə ərizənizə №{number} baxılma müddəti yenidən hesablandı: {before} əvəzinə {after}.\n"),
        ),
        Tr => (
            format!("Başvuru No. {number}: inceleme süresi değişti"),
            format!("Tatil takvimi nedeniyle başvurunuzun No. {number} inceleme süresi yeniden hesaplandı: {before} yerine {after}.\n"),
        ),
        En => (
            format!("Application No. {number}: review deadline changed"),
            format!("The holiday calendar changed, so the review deadline of your application No. {number} was counted again: {after} instead of {before}.\n"),
        ),
        Ru => (
            format!("Заявление № {number}: срок рассмотрения изменён"),
            format!("В связи с календарём праздников срок рассмотрения заявления № {number} пересчитан: {after} вместо {before}.\n"),
        ),
    };
    Message { subject, body: body + &provisional_note(lang, provisional) }
}

/// A document kind as the applicant reads it, in the application's language
/// (SPEC §14.6, §16.4.6: the kinds of `…/documents?kind=`).
pub fn document_kind_name(lang: crate::lang::Lang, kind: crate::hqm::documents::DocumentKind) -> &'static str {
    use crate::hqm::documents::DocumentKind as K;
    match kind {
        K::Passport => super::pick(lang, "passport copy", "pasportun surəti", "копия паспорта", "pasaport kopyası"),
        K::Qualification => super::pick(
            lang,
            "proof of qualifications",
            "ixtisası təsdiq edən sənəd",
            "документ о квалификации",
            "nitelik belgesi",
        ),
        K::IncomeStatement => super::pick(
            lang,
            "statement of income of the past two years",
            "son iki ilin gəlirləri haqqında arayış",
            "справка о доходах за последние два года",
            "son iki yılın gelir belgesi",
        ),
        K::BankStatement => super::pick(
            lang,
            "bank account statement",
            "bank hesabından çıxarış",
            "выписка с банковского счёта",
            "banka hesap özeti",
        ),
        K::Other => super::pick(lang, "other document", "digər sənəd", "иной документ", "diğer belge"),
    }
}

/// An officer asks an HQM applicant for documents (SPEC §16.4.1), in the
/// application's language: the kinds, the reason, and the day until which
/// they may be uploaded (the review deadline).
pub fn hqm_documents_requested(
    lang: crate::lang::Lang,
    number: i64,
    kinds: &[crate::hqm::documents::DocumentKind],
    reason: &str,
    deadline: chrono::NaiveDate,
) -> Message {
    use crate::lang::Lang::*;
    let list: Vec<&str> = kinds.iter().map(|k| document_kind_name(lang, *k)).collect();
    let list = list.join(", ");
    let (subject, body) = match lang {
        Az => (
            format!("Ərizə №{number}: əlavə sənədlər istənilir"),
            format!(
                "Ərizənizə №{number} baxılması üçün bu sənədlər istənilir: {list}.\nSəbəb: {reason}\n\
                 Sənədləri {deadline} tarixinədək (daxil olmaqla) yükləyə bilərsiniz.\n"
            ),
        ),
        Tr => (
            format!("Başvuru No. {number}: ek belgeler isteniyor"),
            format!(
                "Başvurunuzun No. {number} incelenmesi için şu belgeler isteniyor: {list}.\nGerekçe: {reason}\n\
                 Belgeleri {deadline} tarihine kadar (bu gün dahil) yükleyebilirsiniz.\n"
            ),
        ),
        En => (
            format!("Application No. {number}: documents requested"),
            format!(
                "The review of your application No. {number} needs these documents: {list}.\nReason: {reason}\n\
                 You may upload them until {deadline} (inclusive).\n"
            ),
        ),
        Ru => (
            format!("Заявление № {number}: запрошены документы"),
            format!(
                "Для рассмотрения заявления № {number} нужны документы: {list}.\nПричина: {reason}\n\
                 Загрузить их можно до {deadline} включительно.\n"
            ),
        ),
    };
    Message { subject, body }
}

#[cfg(test)]
mod hqm_tests {
    use super::*;
    use crate::hqm::application::Outcome;
    use crate::lang::Lang;

    #[test]
    fn hqm_messages_are_in_the_application_language() {
        let d: chrono::NaiveDate = "2026-07-01".parse().unwrap();
        assert!(hqm_submitted(Lang::Tr, 7, d, false).body.contains("incelemeye"));
        assert!(!hqm_submitted(Lang::Tr, 7, d, false).body.contains("geçici"));
        assert!(hqm_submitted(Lang::Tr, 7, d, true).body.contains("geçici"));
        assert!(hqm_extended(Lang::Ru, 7, d, false).subject.contains("продлён"));
        let m = hqm_deadline_recounted(Lang::Az, 7, d, "2026-07-02".parse().unwrap(), false);
        assert!(m.body.contains("2026-07-01") && m.body.contains("2026-07-02"), "{}", m.body);
        let m = hqm_decided(Lang::Az, "HQM-2026-000007", Outcome::Recognised, 82, "ABCDEFGHJKMN");
        assert!(m.subject.contains("HQM-2026-000007") && m.body.contains("ABCDEFGHJKMN") && m.body.contains("82"));
        assert!(hqm_decided(Lang::En, "N", Outcome::Refused, 69, "C").subject.contains("Not recognised"));
        let kinds = [crate::hqm::documents::DocumentKind::Qualification];
        let m = hqm_documents_requested(Lang::Tr, 7, &kinds, "Apostil", d);
        assert!(m.body.contains("nitelik belgesi") && m.body.contains("Apostil") && m.body.contains("2026-07-01"));
    }
}
