//! Messages in Azerbaijani, English and Russian, chosen by `Accept-Language`
//! (default English; SPEC §7). Codes are stable; wording may improve.

use domain::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Az,
    En,
    Ru,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Az => "az",
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The best of az/en/ru in an `Accept-Language` value, by q-value;
    /// English when none is acceptable.
    pub fn negotiate(header: Option<&str>) -> Lang {
        let Some(h) = header else { return Lang::En };
        let mut best: Option<(f32, Lang)> = None;
        for part in h.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = match tag.split('-').next().unwrap_or("") {
                "az" => Lang::Az,
                "en" => Lang::En,
                "ru" => Lang::Ru,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }
}

fn pick(lang: Lang, en: &'static str, az: &'static str, ru: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Az => az,
        Lang::Ru => ru,
    }
}

/// The title of a problem type.
pub fn title(slug: &str, lang: Lang) -> &'static str {
    match slug {
        "unauthorized" => {
            pick(lang, "Authentication required", "Autentifikasiya tələb olunur", "Требуется аутентификация")
        }
        "forbidden" => {
            pick(lang, "Not allowed for your role", "Rolunuz üçün icazə verilmir", "Недоступно для вашей роли")
        }
        "not-found" => pick(lang, "Not found", "Tapılmadı", "Не найдено"),
        "method-not-allowed" => pick(lang, "Method not allowed", "Metoda icazə verilmir", "Метод не разрешён"),
        "not-acceptable" => pick(lang, "Not acceptable", "Qəbul edilə bilməz", "Неприемлемый формат ответа"),
        "transition-not-allowed" => pick(
            lang,
            "Action not allowed in the current status",
            "Cari statusda bu əməliyyata icazə verilmir",
            "Действие недопустимо в текущем статусе",
        ),
        "plan-action-not-allowed" => pick(
            lang,
            "Action not allowed in the plan's status",
            "Planın statusunda bu əməliyyata icazə verilmir",
            "Действие недопустимо в статусе плана",
        ),
        "plan-exists" => pick(
            lang,
            "The plan of this year exists already",
            "Bu ilin planı artıq var",
            "План на этот год уже существует",
        ),
        "quota-not-approved" => pick(
            lang,
            "No approved quota for this year",
            "Bu il üçün təsdiq edilmiş kvota yoxdur",
            "Квота на этот год не утверждена",
        ),
        "quota-exhausted" => pick(lang, "The quota is exhausted", "Kvota tükənib", "Квота исчерпана"),
        "permit-conflict" => pick(
            lang,
            "This permit was recorded with other details",
            "Bu icazə başqa məlumatlarla qeydə alınıb",
            "Это разрешение записано с другими данными",
        ),
        "email-not-confirmed" => pick(
            lang,
            "The contact e-mail is not confirmed",
            "Əlaqə e-poçtu təsdiqlənməyib",
            "Контактный e-mail не подтверждён",
        ),
        "precondition-failed" => pick(lang, "The resource has changed", "Resurs dəyişib", "Ресурс изменён"),
        "payload-too-large" => {
            pick(lang, "Request body too large", "Sorğunun həcmi çox böyükdür", "Слишком большое тело запроса")
        }
        "unsupported-media-type" => {
            pick(lang, "Unsupported media type", "Dəstəklənməyən media növü", "Неподдерживаемый тип содержимого")
        }
        "bad-request" => pick(lang, "Malformed request", "Səhv tərtib olunmuş sorğu", "Некорректный запрос"),
        "validation" => {
            pick(lang, "The request has invalid fields", "Sorğuda yanlış sahələr var", "Запрос содержит неверные поля")
        }
        "idempotency-key-reused" => pick(
            lang,
            "Idempotency key reused with another request",
            "İdempotentlik açarı başqa sorğu ilə istifadə olunub",
            "Ключ идемпотентности использован с другим запросом",
        ),
        "campaign-not-open" => {
            pick(lang, "The campaign is not open yet", "Kampaniya hələ açılmayıb", "Кампания ещё не открыта")
        }
        "submission-deadline-passed" => {
            pick(lang, "The submission deadline has passed", "Təqdimetmə müddəti bitib", "Срок подачи истёк")
        }
        "correction-deadline-passed" => {
            pick(lang, "The correction deadline has passed", "Düzəliş müddəti bitib", "Срок исправления истёк")
        }
        "proposal-deadline-passed" => {
            pick(lang, "The proposal deadline has passed", "Təklif müddəti bitib", "Срок предложения истёк")
        }
        "approval-deadline-passed" => {
            pick(lang, "The approval deadline has passed", "Təsdiq müddəti bitib", "Срок утверждения истёк")
        }
        "precondition-required" => pick(lang, "If-Match is required", "If-Match tələb olunur", "Требуется If-Match"),
        "rate-limited" => pick(lang, "Too many requests", "Həddindən çox sorğu", "Слишком много запросов"),
        "service-unavailable" => pick(
            lang,
            "Service temporarily unavailable",
            "Xidmət müvəqqəti əlçatan deyil",
            "Сервис временно недоступен",
        ),
        "internal-error" => pick(lang, "Internal error", "Daxili xəta", "Внутренняя ошибка"),
        _ => pick(lang, "Request failed", "Sorğu uğursuz oldu", "Запрос не выполнен"),
    }
}

/// The detail text of a problem type; `{name}` placeholders are filled by the caller.
pub fn detail(slug: &str, lang: Lang) -> &'static str {
    match slug {
        "unauthorized" => pick(
            lang,
            "A valid bearer token is required",
            "Etibarlı bearer token tələb olunur",
            "Требуется действительный bearer-токен",
        ),
        "forbidden" => pick(
            lang,
            "This needs one of the roles: {roles}.",
            "Bu əməliyyat üçün rollardan biri lazımdır: {roles}.",
            "Требуется одна из ролей: {roles}.",
        ),
        "not-found" => pick(
            lang,
            "No such resource, or not one you may see.",
            "Belə resurs yoxdur və ya ona baxmaq icazəniz yoxdur.",
            "Ресурс не существует или недоступен вам.",
        ),
        "method-not-allowed" => {
            pick(lang, "Allowed methods: {allow}.", "İcazə verilən metodlar: {allow}.", "Разрешённые методы: {allow}.")
        }
        "not-acceptable" => pick(
            lang,
            "This API answers application/json.",
            "Bu API application/json formatında cavab verir.",
            "Этот API отвечает в формате application/json.",
        ),
        "plan-exists" => pick(
            lang,
            "Read it with GET and change it with PUT.",
            "Onu GET ilə oxuyun və PUT ilə dəyişin.",
            "Прочитайте его через GET и измените через PUT.",
        ),
        "quota-not-approved" => pick(
            lang,
            "Permits are recorded once the year's quota plan is approved.",
            "İcazələr ilin kvota planı təsdiq edildikdən sonra qeydə alınır.",
            "Разрешения записываются после утверждения плана квот.",
        ),
        "quota-exhausted" => pick(
            lang,
            "No unit of the quota of economic activity {activity} remains.",
            "{activity} iqtisadi fəaliyyət növü üzrə kvotada vahid qalmayıb.",
            "По виду деятельности {activity} квота исчерпана.",
        ),
        "permit-conflict" => pick(
            lang,
            "Use a new permit reference, or repeat the original request exactly.",
            "Yeni icazə nömrəsi istifadə edin və ya ilkin sorğunu eynilə təkrarlayın.",
            "Используйте новый номер разрешения или повторите исходный запрос.",
        ),
        "email-not-confirmed" => pick(
            lang,
            "Set the contact e-mail (PUT /api/v1/me/email) and confirm it with the code sent before submitting.",
            "Təqdim etməzdən əvvəl əlaqə e-poçtunu təyin edin (PUT /api/v1/me/email) və göndərilən kodla təsdiqləyin.",
            "Перед подачей укажите контактный e-mail (PUT /api/v1/me/email) и подтвердите его присланным кодом.",
        ),
        "precondition-failed" => pick(
            lang,
            "If-Match does not name the current version, {version}; read it again and retry.",
            "If-Match cari versiyanı ({version}) göstərmir; yenidən oxuyun və təkrarlayın.",
            "If-Match не совпадает с текущей версией {version}; перечитайте ресурс и повторите.",
        ),
        "payload-too-large" => pick(
            lang,
            "Request bodies are limited to {limit} bytes.",
            "Sorğunun həcmi {limit} baytla məhdudlaşır.",
            "Тело запроса ограничено {limit} байтами.",
        ),
        "unsupported-media-type" => pick(
            lang,
            "Send the body as application/json.",
            "Sorğunu application/json formatında göndərin.",
            "Отправьте тело в формате application/json.",
        ),
        "idempotency-key-reused" => pick(
            lang,
            "This Idempotency-Key was used with a different request; use a new key.",
            "Bu Idempotency-Key başqa sorğu ilə istifadə olunub; yeni açar istifadə edin.",
            "Этот Idempotency-Key уже использован с другим запросом; используйте новый ключ.",
        ),
        "campaign-not-open" => pick(
            lang,
            "Forecasts can be submitted from {date}; drafts can be saved now.",
            "Proqnozlar {date} tarixindən təqdim oluna bilər; qaralamalar indi saxlanıla bilər.",
            "Прогнозы можно подавать с {date}; черновики можно сохранять уже сейчас.",
        ),
        "submission-deadline-passed" => pick(
            lang,
            "Forecasts were due by {date} (Baku time).",
            "Proqnozların təqdim edilməsinin son tarixi {date} idi (Bakı vaxtı).",
            "Прогнозы нужно было подать до {date} (время Баку).",
        ),
        "correction-deadline-passed" => pick(
            lang,
            "Returned forecasts could be corrected until {date} (Baku time).",
            "Qaytarılmış proqnozlar {date} tarixinədək düzəldilə bilərdi (Bakı vaxtı).",
            "Возвращённые прогнозы можно было исправить до {date} (время Баку).",
        ),
        "proposal-deadline-passed" => pick(
            lang,
            "The plan was to be proposed by {date} (Baku time); admin can move the campaign's date.",
            "Plan {date} tarixinədək təklif edilməli idi (Bakı vaxtı); admin kampaniyanın tarixini dəyişə bilər.",
            "План нужно было предложить до {date} (время Баку); администратор может изменить дату кампании.",
        ),
        "approval-deadline-passed" => pick(
            lang,
            "The plan was to be approved by {date} (Baku time); admin can move the campaign's date.",
            "Plan {date} tarixinədək təsdiq edilməli idi (Bakı vaxtı); admin kampaniyanın tarixini dəyişə bilər.",
            "План нужно было утвердить до {date} (время Баку); администратор может изменить дату кампании.",
        ),
        "precondition-required" => pick(
            lang,
            "This server changes resources only with If-Match: read the resource and send its ETag.",
            "Bu server resursları yalnız If-Match ilə dəyişir: resursu oxuyun və onun ETag-ını göndərin.",
            "Этот сервер изменяет ресурсы только с If-Match: прочитайте ресурс и отправьте его ETag.",
        ),
        "rate-limited" => pick(
            lang,
            "Retry after {seconds} seconds.",
            "{seconds} saniyədən sonra təkrar edin.",
            "Повторите через {seconds} с.",
        ),
        "service-unavailable" => pick(
            lang,
            "The database is not answering; retry shortly. Request id {request_id}.",
            "Verilənlər bazası cavab vermir; bir qədər sonra təkrar edin. Sorğu id {request_id}.",
            "База данных не отвечает; повторите позже. Идентификатор запроса {request_id}.",
        ),
        "internal-error" => pick(
            lang,
            "Something went wrong on our side. Request id {request_id}.",
            "Bizim tərəfdə xəta baş verdi. Sorğu id {request_id}.",
            "Ошибка на нашей стороне. Идентификатор запроса {request_id}.",
        ),
        _ => pick(
            lang,
            "The request could not be completed.",
            "Sorğu yerinə yetirilə bilmədi.",
            "Запрос не может быть выполнен.",
        ),
    }
}

/// "N fields are invalid."
pub fn count_detail(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} field(s) are invalid."),
        Lang::Az => format!("{n} sahə yanlışdır."),
        Lang::Ru => format!("Неверных полей: {n}."),
    }
}

/// The detail of a refused transition: the status and the allowed actions.
pub fn transition_detail(status: &str, allowed: &[&str], lang: Lang) -> String {
    let list = if allowed.is_empty() { "—".to_owned() } else { allowed.join(", ") };
    match lang {
        Lang::En => format!("The forecast is {status}; allowed actions: {list}."),
        Lang::Az => format!("Proqnozun statusu: {status}; icazə verilən əməliyyatlar: {list}."),
        Lang::Ru => format!("Статус прогноза: {status}; допустимые действия: {list}."),
    }
}

/// The message of one field error, with its parameters filled in.
pub fn field_message(e: &FieldError, lang: Lang) -> String {
    let t = match e.code {
        "required" => pick(lang, "Required.", "Mütləqdir.", "Обязательное поле."),
        "length" => pick(lang, "At most {max} characters.", "Ən çoxu {max} simvol.", "Не более {max} символов."),
        "out_of_range" => pick(
            lang,
            "Must be from {min} to {max}.",
            "{min} ilə {max} arasında olmalıdır.",
            "Должно быть от {min} до {max}.",
        ),
        "tin_format" => pick(
            lang,
            "A TIN is exactly 10 digits.",
            "VÖEN düz 10 rəqəmdən ibarətdir.",
            "ИНН состоит ровно из 10 цифр.",
        ),
        "tin_check_digit" => pick(
            lang,
            "The TIN's check digit (9th) is wrong.",
            "VÖEN-in yoxlama rəqəmi (9-cu) səhvdir.",
            "Неверная контрольная цифра ИНН (9-я).",
        ),
        "tin_person_digit" => pick(
            lang,
            "The TIN's last digit must be 1 (legal) or 2 (physical person).",
            "VÖEN-in son rəqəmi 1 (hüquqi) və ya 2 (fiziki şəxs) olmalıdır.",
            "Последняя цифра ИНН: 1 (юрлицо) или 2 (физлицо).",
        ),
        "person_type_mismatch" => pick(
            lang,
            "Does not agree with the TIN {tin}.",
            "{tin} VÖEN-i ilə uyğun gəlmir.",
            "Не соответствует ИНН {tin}.",
        ),
        "tin_not_yours" => pick(
            lang,
            "Must be the TIN you act for.",
            "Təmsil etdiyiniz VÖEN olmalıdır.",
            "Должен совпадать с вашим ИНН.",
        ),
        "tin_immutable" => pick(
            lang,
            "The TIN of a forecast cannot change.",
            "Proqnozun VÖEN-i dəyişdirilə bilməz.",
            "ИНН прогноза изменить нельзя.",
        ),
        "in_future" => pick(
            lang,
            "Cannot be after {today}.",
            "{today} tarixindən sonra ola bilməz.",
            "Не может быть позже {today}.",
        ),
        "exceeds_employees" => pick(
            lang,
            "Cannot exceed the number of employees, {max}.",
            "İşçilərin sayını ({max}) keçə bilməz.",
            "Не может превышать число работников ({max}).",
        ),
        "exceeds_total" => pick(
            lang,
            "Cannot exceed the total demand, {max}.",
            "Ümumi tələbatı ({max}) keçə bilməz.",
            "Не может превышать общую потребность ({max}).",
        ),
        "economic_activity_unknown" => pick(
            lang,
            "No economic activity has code {code}.",
            "{code} kodlu iqtisadi fəaliyyət növü yoxdur.",
            "Нет вида экономической деятельности с кодом {code}.",
        ),
        "occupation_code_format" => pick(
            lang,
            "An occupation code has 4 digits (3 are read with a leading zero).",
            "Peşə kodu 4 rəqəmdən ibarətdir (3 rəqəm öndə sıfırla oxunur).",
            "Код занятия — 4 цифры (3 цифры читаются с ведущим нулём).",
        ),
        "occupation_unknown" => pick(
            lang,
            "No occupation has code {code} in the classification.",
            "Təsnifatda {code} kodlu peşə yoxdur.",
            "В классификаторе нет занятия с кодом {code}.",
        ),
        "occupation_title_mismatch" => pick(
            lang,
            "This title is not one of code {code}'s titles in the classification.",
            "Bu ad təsnifatda {code} kodunun adlarından deyil.",
            "Это название не относится к коду {code} в классификаторе.",
        ),
        "duplicate_line" => pick(
            lang,
            "This occupation (code and title) is already in the forecast.",
            "Bu peşə (kod və ad) artıq proqnozdadır.",
            "Это занятие (код и название) уже есть в прогнозе.",
        ),
        "too_many_lines" => pick(lang, "At most {max} lines.", "Ən çoxu {max} sətir.", "Не более {max} строк."),
        "no_lines" => pick(
            lang,
            "A forecast is submitted with at least one line.",
            "Proqnoz ən azı bir sətirlə təqdim olunur.",
            "Прогноз подаётся хотя бы с одной строкой.",
        ),
        "target_year_not_next" => pick(
            lang,
            "Forecasts filed now are for {year}.",
            "İndi təqdim olunan proqnozlar {year} ili üçündür.",
            "Прогнозы, подаваемые сейчас, — на {year} год.",
        ),
        "date_order" => pick(
            lang,
            "Must not be before {after}.",
            "{after} tarixindən əvvəl ola bilməz.",
            "Не может быть раньше {after}.",
        ),
        "before_target_year" => pick(
            lang,
            "Must be before the target year {year} starts.",
            "{year} ili başlamazdan əvvəl olmalıdır.",
            "Должно быть до начала {year} года.",
        ),
        "section_required" => pick(
            lang,
            "Plans are per section; {code} is a division.",
            "Planlar bölmələr üzrədir; {code} yarımbölmədir.",
            "Планы составляются по секциям; {code} — раздел.",
        ),
        "not_in_plan" => pick(lang, "{code} is not in the plan.", "{code} planda yoxdur.", "{code} нет в плане."),
        "no_entries" => pick(lang, "The plan has no entries.", "Planda heç bir bənd yoxdur.", "В плане нет позиций."),
        "exemption_unknown" => pick(
            lang,
            "No exemption category has code {code}.",
            "{code} kodlu güzəşt kateqoriyası yoxdur.",
            "Нет категории освобождения с кодом {code}.",
        ),
        "permit_ref_format" => pick(
            lang,
            "1 to {max} letters, digits, -, _, / or .",
            "1-{max} hərf, rəqəm, -, _, / və ya .",
            "От 1 до {max} букв, цифр, -, _, / или .",
        ),
        "email_format" => pick(lang, "Not an e-mail address.", "E-poçt ünvanı deyil.", "Это не адрес e-mail."),
        "code_format" => {
            pick(lang, "The code has six digits.", "Kod altı rəqəmdən ibarətdir.", "Код состоит из шести цифр.")
        }
        "code_wrong" => pick(
            lang,
            "Wrong code; {left} attempt(s) left.",
            "Kod səhvdir; {left} cəhd qalıb.",
            "Неверный код; осталось попыток: {left}.",
        ),
        "code_expired" => pick(
            lang,
            "The code has expired; set the address again for a new one.",
            "Kodun müddəti bitib; yeni kod üçün ünvanı yenidən təyin edin.",
            "Срок кода истёк; укажите адрес снова, чтобы получить новый.",
        ),
        "code_attempts_exhausted" => pick(
            lang,
            "Too many wrong codes; set the address again for a new one.",
            "Həddindən çox səhv kod; yeni kod üçün ünvanı yenidən təyin edin.",
            "Слишком много неверных кодов; укажите адрес снова.",
        ),
        "no_pending_code" => pick(
            lang,
            "No code is waiting; set the address first.",
            "Gözləyən kod yoxdur; əvvəlcə ünvanı təyin edin.",
            "Нет ожидающего кода; сначала укажите адрес.",
        ),
        "no_rows" => {
            pick(lang, "The file has no data rows.", "Faylda məlumat sətri yoxdur.", "В файле нет строк с данными.")
        }
        "duplicate_entry" => pick(
            lang,
            "The same code and title already stand at line {first}.",
            "Eyni kod və ad artıq {first}-ci sətirdədir.",
            "Тот же код и название уже есть в строке {first}.",
        ),
        "exemption_code_format" => pick(
            lang,
            "Lower-case letters, digits and _ only, at most 50.",
            "Yalnız kiçik hərflər, rəqəmlər və _, ən çoxu 50.",
            "Только строчные буквы, цифры и _, не более 50.",
        ),
        "path_mismatch" => pick(
            lang,
            "Must equal the value in the path.",
            "Yoldakı dəyərlə eyni olmalıdır.",
            "Должно совпадать со значением в пути.",
        ),
        "unknown_field" => pick(
            lang,
            "Unknown field; it cannot be set.",
            "Naməlum sahə; təyin edilə bilməz.",
            "Неизвестное поле; его нельзя задать.",
        ),
        "invalid_type" => pick(
            lang,
            "Wrong type or value: {detail}",
            "Yanlış tip və ya dəyər: {detail}",
            "Неверный тип или значение: {detail}",
        ),
        "invalid" => pick(lang, "Invalid value: {detail}", "Yanlış dəyər: {detail}", "Неверное значение: {detail}"),
        _ => pick(lang, "Invalid.", "Yanlışdır.", "Неверно."),
    };
    let mut s = t.to_owned();
    for (k, v) in &e.params {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_is_negotiated_by_quality() {
        assert_eq!(Lang::negotiate(None), Lang::En);
        assert_eq!(Lang::negotiate(Some("az")), Lang::Az);
        assert_eq!(Lang::negotiate(Some("ru-RU,ru;q=0.9,en;q=0.8")), Lang::Ru);
        assert_eq!(Lang::negotiate(Some("de, en;q=0.5, az;q=0.7")), Lang::Az);
        assert_eq!(Lang::negotiate(Some("fr")), Lang::En);
    }

    #[test]
    fn parameters_are_filled_in() {
        let e = FieldError::new("x", "exceeds_total").with("max", 3);
        assert_eq!(field_message(&e, Lang::En), "Cannot exceed the total demand, 3.");
        assert!(field_message(&e, Lang::Az).contains('3'));
    }
}
