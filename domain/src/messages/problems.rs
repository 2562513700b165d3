//! The title and detail of every problem type, in every language.

use super::pick;
use crate::lang::Lang;

/// The title of a problem type.
pub fn title(code: &str, lang: Lang) -> &'static str {
    match code {
        "unauthorized" => pick(
            lang,
            "Authentication required",
            "Autentifikasiya tələb olunur",
            "Требуется аутентификация",
            "Kimlik doğrulaması gerekli",
        ),
        "forbidden" => pick(
            lang,
            "Not allowed for your role",
            "Rolunuz üçün icazə verilmir",
            "Недоступно для вашей роли",
            "Rolünüz için izin verilmiyor",
        ),
        "not-found" => pick(lang, "Not found", "Tapılmadı", "Не найдено", "Bulunamadı"),
        "method-not-allowed" => {
            pick(lang, "Method not allowed", "Metoda icazə verilmir", "Метод не разрешён", "Yönteme izin verilmiyor")
        }
        "not-acceptable" => pick(
            lang,
            "Not acceptable",
            "Qəbul edilə bilməz",
            "Неприемлемый формат ответа",
            "Kabul edilemez yanıt biçimi",
        ),
        "transition-not-allowed" => pick(
            lang,
            "Action not allowed in the current status",
            "Cari statusda bu əməliyyata icazə verilmir",
            "Действие недопустимо в текущем статусе",
            "Mevcut durumda bu işleme izin verilmiyor",
        ),
        "application-action-not-allowed" => pick(
            lang,
            "Action not allowed in the application's status",
            "Ərizənin statusunda bu əməliyyata icazə verilmir",
            "Действие недопустимо в статусе заявления",
            "Başvurunun durumunda bu işleme izin verilmiyor",
        ),
        "wrong-body" => pick(
            lang,
            "Another body's input",
            "Başqa orqanın məlumatı",
            "Данные другого органа",
            "Başka bir kurumun verisi",
        ),
        "wrong-authority" => pick(
            lang,
            "Another authority scores this criterion",
            "Bu meyarı başqa orqan qiymətləndirir",
            "Этот критерий оценивает другой орган",
            "Bu ölçütü başka bir kurum puanlar",
        ),
        "unsupported-file-type" => pick(
            lang,
            "Unsupported file type",
            "Dəstəklənməyən fayl növü",
            "Неподдерживаемый тип файла",
            "Desteklenmeyen dosya türü",
        ),
        "scores-incomplete" => pick(
            lang,
            "Not every criterion is scored",
            "Bütün meyarlar qiymətləndirilməyib",
            "Не все критерии оценены",
            "Tüm ölçütler puanlanmadı",
        ),
        "too-many-documents" => {
            pick(lang, "Too many documents", "Həddindən çox sənəd", "Слишком много документов", "Çok fazla belge")
        }
        "documents-not-requested" => pick(
            lang,
            "No document of this kind was requested",
            "Bu növ sənəd istənilməyib",
            "Документ этого вида не запрашивался",
            "Bu türde bir belge istenmedi",
        ),
        "review-deadline-passed" => pick(
            lang,
            "The review deadline has passed",
            "Baxılma müddəti bitib",
            "Срок рассмотрения истёк",
            "İnceleme süresi doldu",
        ),
        "plan-action-not-allowed" => pick(
            lang,
            "Action not allowed in the plan's status",
            "Planın statusunda bu əməliyyata icazə verilmir",
            "Действие недопустимо в статусе плана",
            "Planın durumunda bu işleme izin verilmiyor",
        ),
        "plan-exists" => pick(
            lang,
            "The plan of this year exists already",
            "Bu ilin planı artıq var",
            "План на этот год уже существует",
            "Bu yılın planı zaten var",
        ),
        "forecast-exists" => pick(
            lang,
            "A forecast for this year exists already",
            "Bu il üçün proqnoz artıq var",
            "Прогноз на этот год уже существует",
            "Bu yıl için bir tahmin zaten var",
        ),
        "quota-not-approved" => pick(
            lang,
            "No approved quota for this year",
            "Bu il üçün təsdiq edilmiş kvota yoxdur",
            "Квота на этот год не утверждена",
            "Bu yıl için onaylanmış kota yok",
        ),
        "quota-exhausted" => pick(lang, "The quota is exhausted", "Kvota tükənib", "Квота исчерпана", "Kota tükendi"),
        "activity-not-in-quota" => pick(
            lang,
            "The quota does not name this activity",
            "Kvotada bu fəaliyyət növü yoxdur",
            "В квоте нет этого вида деятельности",
            "Kotada bu faaliyet yok",
        ),
        "permit-ended" => {
            pick(lang, "The permit has ended", "İcazənin qüvvəsi bitib", "Разрешение прекращено", "İzin sona erdi")
        }
        "permit-conflict" => pick(
            lang,
            "This permit was recorded with other details",
            "Bu icazə başqa məlumatlarla qeydə alınıb",
            "Это разрешение записано с другими данными",
            "Bu izin başka bilgilerle kaydedilmiş",
        ),
        "email-not-confirmed" => pick(
            lang,
            "The contact e-mail is not confirmed",
            "Əlaqə e-poçtu təsdiqlənməyib",
            "Контактный e-mail не подтверждён",
            "İletişim e-postası doğrulanmadı",
        ),
        "precondition-failed" => {
            pick(lang, "The resource has changed", "Resurs dəyişib", "Ресурс изменён", "Kaynak değişti")
        }
        "payload-too-large" => pick(
            lang,
            "Request body too large",
            "Sorğunun həcmi çox böyükdür",
            "Слишком большое тело запроса",
            "İstek gövdesi çok büyük",
        ),
        "request-timeout" => pick(
            lang,
            "Request body not received in time",
            "Sorğunun gövdəsi vaxtında alınmadı",
            "Тело запроса не получено вовремя",
            "İstek gövdesi zamanında alınamadı",
        ),
        "unsupported-media-type" => pick(
            lang,
            "Unsupported media type",
            "Dəstəklənməyən media növü",
            "Неподдерживаемый тип содержимого",
            "Desteklenmeyen ortam türü",
        ),
        "bad-request" => pick(
            lang,
            "Malformed request",
            "Səhv tərtib olunmuş sorğu",
            "Некорректный запрос",
            "Hatalı biçimlendirilmiş istek",
        ),
        "validation" => pick(
            lang,
            "The request has invalid fields",
            "Sorğuda yanlış sahələr var",
            "Запрос содержит неверные поля",
            "İstekte geçersiz alanlar var",
        ),
        "idempotency-key-reused" => pick(
            lang,
            "Idempotency key reused with another request",
            "İdempotentlik açarı başqa sorğu ilə istifadə olunub",
            "Ключ идемпотентности использован с другим запросом",
            "Idempotency anahtarı başka bir istekle kullanılmış",
        ),
        "campaign-not-open" => pick(
            lang,
            "The campaign is not open yet",
            "Kampaniya hələ açılmayıb",
            "Кампания ещё не открыта",
            "Kampanya henüz açılmadı",
        ),
        "submission-deadline-passed" => pick(
            lang,
            "The submission deadline has passed",
            "Təqdimetmə müddəti bitib",
            "Срок подачи истёк",
            "Sunma süresi doldu",
        ),
        "correction-deadline-passed" => pick(
            lang,
            "The correction deadline has passed",
            "Düzəliş müddəti bitib",
            "Срок исправления истёк",
            "Düzeltme süresi doldu",
        ),
        "commission-inputs-deadline-passed" => pick(
            lang,
            "The Commission inputs deadline has passed",
            "Komissiyaya məlumatların verilməsi müddəti bitib",
            "Срок передачи данных в Комиссию истёк",
            "Komisyona veri sunma süresi doldu",
        ),
        "proposal-deadline-passed" => pick(
            lang,
            "The proposal deadline has passed",
            "Təklif müddəti bitib",
            "Срок предложения истёк",
            "Öneri süresi doldu",
        ),
        "approval-deadline-passed" => pick(
            lang,
            "The approval deadline has passed",
            "Təsdiq müddəti bitib",
            "Срок утверждения истёк",
            "Onay süresi doldu",
        ),
        "precondition-required" => {
            pick(lang, "If-Match is required", "If-Match tələb olunur", "Требуется If-Match", "If-Match gerekli")
        }
        "rate-limited" => {
            pick(lang, "Too many requests", "Həddindən çox sorğu", "Слишком много запросов", "Çok fazla istek")
        }
        "service-unavailable" => pick(
            lang,
            "Service temporarily unavailable",
            "Xidmət müvəqqəti əlçatan deyil",
            "Сервис временно недоступен",
            "Hizmet geçici olarak kullanılamıyor",
        ),
        "internal-error" => pick(lang, "Internal error", "Daxili xəta", "Внутренняя ошибка", "İç hata"),
        // Every code has its text (a test checks it); an unknown one reads as a plain error.
        _ => pick(lang, "Error", "Xəta", "Ошибка", "Hata"),
    }
}

/// The detail text of a problem type; `{name}` placeholders are filled by the caller.
pub fn detail(code: &str, lang: Lang) -> &'static str {
    match code {
        "unauthorized" => pick(
            lang,
            "A valid bearer token is required",
            "Etibarlı bearer token tələb olunur",
            "Требуется действительный bearer-токен",
            "Geçerli bir bearer token gerekli",
        ),
        "forbidden" => pick(
            lang,
            "This needs one of the roles: {roles}.",
            "Bu əməliyyat üçün rollardan biri lazımdır: {roles}.",
            "Требуется одна из ролей: {roles}.",
            "Bu işlem için şu rollerden biri gerekli: {roles}.",
        ),
        "not-found" => pick(
            lang,
            "No such resource, or not one you may see.",
            "Belə resurs yoxdur və ya ona baxmaq icazəniz yoxdur.",
            "Ресурс не существует или недоступен вам.",
            "Böyle bir kaynak yok veya onu görme izniniz yok.",
        ),
        "method-not-allowed" => pick(
            lang,
            "Allowed methods: {allow}.",
            "İcazə verilən metodlar: {allow}.",
            "Разрешённые методы: {allow}.",
            "İzin verilen yöntemler: {allow}.",
        ),
        "not-acceptable" => pick(
            lang,
            "This API answers application/json.",
            "Bu API application/json formatında cavab verir.",
            "Этот API отвечает в формате application/json.",
            "Bu API application/json biçiminde yanıt verir.",
        ),
        "transition-not-allowed" => pick(
            lang,
            "The forecast is {status}; allowed actions: {actions}.",
            "Proqnozun statusu: {status}; icazə verilən əməliyyatlar: {actions}.",
            "Статус прогноза: {status}; допустимые действия: {actions}.",
            "Tahminin durumu: {status}; izin verilen işlemler: {actions}.",
        ),
        "application-action-not-allowed" => pick(
            lang,
            "The application is {status}; allowed actions: {actions}.",
            "Ərizənin statusu: {status}; icazə verilən əməliyyatlar: {actions}.",
            "Статус заявления: {status}; допустимые действия: {actions}.",
            "Başvurunun durumu: {status}; izin verilen işlemler: {actions}.",
        ),
        "wrong-body" => pick(
            lang,
            "Only a contributor of the body {body} sends this input; your token names {yours}.",
            "Bu məlumatı yalnız {body} orqanının nümayəndəsi göndərir; tokeniniz {yours} orqanını göstərir.",
            "Эти данные передаёт только представитель органа {body}; ваш токен указывает {yours}.",
            "Bu veriyi yalnızca {body} kurumunun temsilcisi gönderir; belirteciniz {yours} kurumunu gösteriyor.",
        ),
        "wrong-authority" => pick(
            lang,
            "Only an assessor of the authority {authority} scores this criterion.",
            "Bu meyarı yalnız {authority} orqanının qiymətləndiricisi qiymətləndirir.",
            "Этот критерий оценивает только эксперт органа {authority}.",
            "Bu ölçütü yalnızca {authority} kurumunun değerlendiricisi puanlar.",
        ),
        "unsupported-file-type" => pick(
            lang,
            "Upload a PDF, JPEG or PNG file to an application, a PDF or XLSX file to a Commission input (checked by its content).",
            "Ərizəyə PDF, JPEG və ya PNG, Komissiyaya məlumata PDF və ya XLSX faylı yükləyin (məzmunu yoxlanılır).",
            "Загрузите в заявление файл PDF, JPEG или PNG, в данные для Комиссии — PDF или XLSX (проверяется содержимое).",
            "Başvuruya PDF, JPEG veya PNG, Komisyon verisine PDF veya XLSX dosyası yükleyin (içeriği denetlenir).",
        ),
        "scores-incomplete" => pick(
            lang,
            "A decision needs all six scores or a standing objection; not scored: {missing}.",
            "Qərar üçün altı balın hamısı və ya etiraz lazımdır; qiymətləndirilməyib: {missing}.",
            "Для решения нужны все шесть оценок или возражение; не оценены: {missing}.",
            "Karar için altı puanın tümü veya bir itiraz gerekir; puanlanmayan: {missing}.",
        ),
        "documents-not-requested" => pick(
            lang,
            "Under review, documents are added only of the kinds an officer requested; {kind} is not among them (requested: {requested}).",
            "Baxılma zamanı yalnız məmurun istədiyi növ sənədlər əlavə edilir; {kind} onların arasında deyil (istənilən: {requested}).",
            "На рассмотрении добавляются только документы запрошенных сотрудником видов; {kind} среди них нет (запрошены: {requested}).",
            "İnceleme sırasında yalnızca görevlinin istediği türde belgeler eklenir; {kind} bunlar arasında değil (istenen: {requested}).",
        ),
        "review-deadline-passed" => pick(
            lang,
            "Documents are added until the end of the review deadline, {date}.",
            "Sənədlər baxılma müddətinin sonunadək, {date} tarixinədək əlavə edilir.",
            "Документы добавляются до конца срока рассмотрения, {date}.",
            "Belgeler inceleme süresinin sonuna, {date} tarihine kadar eklenir.",
        ),
        "too-many-documents" => pick(
            lang,
            "An application or a Commission input holds at most 20 documents; delete one first.",
            "Ərizədə və ya Komissiyaya məlumatda ən çoxu 20 sənəd ola bilər; əvvəlcə birini silin.",
            "В заявлении или в данных для Комиссии не более 20 документов; сначала удалите один.",
            "Bir başvuruda veya Komisyon verisinde en fazla 20 belge olur; önce birini silin.",
        ),
        "plan-action-not-allowed" => pick(
            lang,
            "The plan is {status}; allowed actions: {actions}.",
            "Planın statusu: {status}; icazə verilən əməliyyatlar: {actions}.",
            "Статус плана: {status}; допустимые действия: {actions}.",
            "Planın durumu: {status}; izin verilen işlemler: {actions}.",
        ),
        "bad-request" => pick(
            lang,
            "The request could not be read.",
            "Sorğu oxuna bilmədi.",
            "Не удалось прочитать запрос.",
            "İstek okunamadı.",
        ),
        "validation" => pick(
            lang,
            "{count} field(s) are invalid.",
            "{count} sahə yanlışdır.",
            "Неверных полей: {count}.",
            "Geçersiz alan sayısı: {count}.",
        ),
        "plan-exists" => pick(
            lang,
            "Read it with GET and change it with PUT.",
            "Onu GET ilə oxuyun və PUT ilə dəyişin.",
            "Прочитайте его через GET и измените через PUT.",
            "Planı GET ile okuyun ve PUT ile değiştirin.",
        ),
        "forecast-exists" => pick(
            lang,
            "An employer files one forecast a year: change forecast {id} (see location), or withdraw it first.",
            "İşəgötürən ildə bir proqnoz təqdim edir: {id} proqnozunu dəyişin (location-a baxın) və ya əvvəlcə onu geri götürün.",
            "Работодатель подаёт один прогноз в год: измените прогноз {id} (см. location) или сначала отзовите его.",
            "İşveren yılda bir tahmin sunar: {id} tahminini değiştirin (location'a bakın) veya önce geri çekin.",
        ),
        "quota-not-approved" => pick(
            lang,
            "Permits are recorded once the year's quota plan is approved.",
            "İcazələr ilin kvota planı təsdiq edildikdən sonra qeydə alınır.",
            "Разрешения записываются после утверждения плана квот.",
            "İzinler, yılın kota planı onaylandıktan sonra kaydedilir.",
        ),
        "quota-exhausted" => pick(
            lang,
            "No unit of the quota of economic activity {activity} remains.",
            "{activity} iqtisadi fəaliyyət növü üzrə kvotada vahid qalmayıb.",
            "По виду деятельности {activity} квота исчерпана.",
            "{activity} ekonomik faaliyeti için kotada birim kalmadı.",
        ),
        "activity-not-in-quota" => pick(
            lang,
            "The approved quota has no number for economic activity {activity}: only exempt permits can be recorded in it until an amendment adds it.",
            "Təsdiq edilmiş kvotada {activity} iqtisadi fəaliyyət növü üçün say yoxdur: düzəliş onu əlavə edənədək orada yalnız kvotadan azad icazələr qeydə alına bilər.",
            "В утверждённой квоте нет числа для вида деятельности {activity}: пока изменение его не добавит, записываются только разрешения вне квоты.",
            "Onaylanan kotada {activity} ekonomik faaliyeti için sayı yok: bir değişiklik onu ekleyene kadar yalnızca kotadan muaf izinler kaydedilebilir.",
        ),
        "permit-ended" => pick(
            lang,
            "The permit ended already ({reason}); an end is not changed.",
            "İcazənin qüvvəsi artıq bitib ({reason}); bitmə dəyişdirilmir.",
            "Разрешение уже прекращено ({reason}); прекращение не изменяется.",
            "İzin zaten sona erdi ({reason}); sona erme değiştirilmez.",
        ),
        "permit-conflict" => pick(
            lang,
            "Use a new permit reference, or repeat the original request exactly.",
            "Yeni icazə nömrəsi istifadə edin və ya ilkin sorğunu eynilə təkrarlayın.",
            "Используйте новый номер разрешения или повторите исходный запрос.",
            "Yeni bir izin numarası kullanın veya ilk isteği aynen tekrarlayın.",
        ),
        "email-not-confirmed" => pick(
            lang,
            "Set the contact e-mail (PUT /api/v1/me/email) and confirm it with the code sent before submitting.",
            "Təqdim etməzdən əvvəl əlaqə e-poçtunu təyin edin (PUT /api/v1/me/email) və göndərilən kodla təsdiqləyin.",
            "Перед подачей укажите контактный e-mail (PUT /api/v1/me/email) и подтвердите его присланным кодом.",
            "Sunmadan önce iletişim e-postasını belirleyin (PUT /api/v1/me/email) ve gönderilen kodla doğrulayın.",
        ),
        "precondition-failed" => pick(
            lang,
            "If-Match does not name the current version, {version}; read it again and retry.",
            "If-Match cari versiyanı ({version}) göstərmir; yenidən oxuyun və təkrarlayın.",
            "If-Match не совпадает с текущей версией {version}; перечитайте ресурс и повторите.",
            "If-Match mevcut sürümü ({version}) belirtmiyor; kaynağı yeniden okuyup tekrar deneyin.",
        ),
        "request-timeout" => pick(
            lang,
            "A request body must arrive within {seconds} seconds.",
            "Sorğunun gövdəsi {seconds} saniyə ərzində gəlməlidir.",
            "Тело запроса должно прийти за {seconds} с.",
            "İstek gövdesi {seconds} saniye içinde gelmelidir.",
        ),
        "payload-too-large" => pick(
            lang,
            "Request bodies are limited to {limit} bytes.",
            "Sorğunun həcmi {limit} baytla məhdudlaşır.",
            "Тело запроса ограничено {limit} байтами.",
            "İstek gövdesi {limit} baytla sınırlıdır.",
        ),
        "unsupported-media-type" => pick(
            lang,
            "Send the body as application/json.",
            "Sorğunu application/json formatında göndərin.",
            "Отправьте тело в формате application/json.",
            "Gövdeyi application/json olarak gönderin.",
        ),
        "idempotency-key-reused" => pick(
            lang,
            "This Idempotency-Key was used with a different request; use a new key.",
            "Bu Idempotency-Key başqa sorğu ilə istifadə olunub; yeni açar istifadə edin.",
            "Этот Idempotency-Key уже использован с другим запросом; используйте новый ключ.",
            "Bu Idempotency-Key başka bir istekle kullanıldı; yeni bir anahtar kullanın.",
        ),
        "campaign-not-open" => pick(
            lang,
            "Forecasts can be submitted from {date}; drafts can be saved now.",
            "Proqnozlar {date} tarixindən təqdim oluna bilər; qaralamalar indi saxlanıla bilər.",
            "Прогнозы можно подавать с {date}; черновики можно сохранять уже сейчас.",
            "Tahminler {date} tarihinden itibaren sunulabilir; taslaklar şimdiden kaydedilebilir.",
        ),
        "submission-deadline-passed" => pick(
            lang,
            "Forecasts were due by {date} (Baku time).",
            "Proqnozların təqdim edilməsinin son tarixi {date} idi (Bakı vaxtı).",
            "Прогнозы нужно было подать до {date} (время Баку).",
            "Tahminlerin son sunma tarihi {date} idi (Bakü saati).",
        ),
        "correction-deadline-passed" => pick(
            lang,
            "This returned forecast could be corrected until {date} (Baku time).",
            "Bu qaytarılmış proqnoz {date} tarixinədək düzəldilə bilərdi (Bakı vaxtı).",
            "Этот возвращённый прогноз можно было исправить до {date} (время Баку).",
            "Bu iade edilen tahmin {date} tarihine kadar düzeltilebilirdi (Bakü saati).",
        ),
        "commission-inputs-deadline-passed" => pick(
            lang,
            "The figures went to the Commission on {date} (Baku time). A forecast can no longer be returned, which would leave no time to correct: accept it or leave it in review. The bodies' inputs for the year are read-only.",
            "Rəqəmlər {date} tarixində Komissiyaya verilib (Bakı vaxtı). Proqnozu artıq qaytarmaq olmaz, düzəliş üçün vaxt qalmaz: onu qəbul edin və ya baxışda saxlayın. Orqanların bu il üçün məlumatları yalnız oxunur.",
            "Данные переданы Комиссии {date} (время Баку). Прогноз уже нельзя вернуть — не останется времени на исправление: примите его или оставьте на рассмотрении. Данные органов за этот год доступны только для чтения.",
            "Rakamlar {date} tarihinde Komisyona verildi (Bakü saati). Tahmin artık iade edilemez, düzeltme için zaman kalmaz: kabul edin veya incelemede bırakın. Kurumların bu yıla ait verileri salt okunurdur.",
        ),
        "proposal-deadline-passed" => pick(
            lang,
            "The plan was to be proposed by {date} (Baku time); admin can move the campaign's date.",
            "Plan {date} tarixinədək təklif edilməli idi (Bakı vaxtı); admin kampaniyanın tarixini dəyişə bilər.",
            "План нужно было предложить до {date} (время Баку); администратор может изменить дату кампании.",
            "Plan {date} tarihine kadar önerilmeliydi (Bakü saati); admin kampanyanın tarihini değiştirebilir.",
        ),
        "approval-deadline-passed" => pick(
            lang,
            "The plan was to be approved by {date} (Baku time); admin can move the campaign's date.",
            "Plan {date} tarixinədək təsdiq edilməli idi (Bakı vaxtı); admin kampaniyanın tarixini dəyişə bilər.",
            "План нужно было утвердить до {date} (время Баку); администратор может изменить дату кампании.",
            "Plan {date} tarihine kadar onaylanmalıydı (Bakü saati); admin kampanyanın tarihini değiştirebilir.",
        ),
        "precondition-required" => pick(
            lang,
            "This server changes resources only with If-Match: read the resource and send its ETag.",
            "Bu server resursları yalnız If-Match ilə dəyişir: resursu oxuyun və onun ETag-ını göndərin.",
            "Этот сервер изменяет ресурсы только с If-Match: прочитайте ресурс и отправьте его ETag.",
            "Bu sunucu kaynakları yalnızca If-Match ile değiştirir: kaynağı okuyun ve ETag değerini gönderin.",
        ),
        "rate-limited" => pick(
            lang,
            "Retry after {seconds} seconds.",
            "{seconds} saniyədən sonra təkrar edin.",
            "Повторите через {seconds} с.",
            "{seconds} saniye sonra tekrar deneyin.",
        ),
        "service-unavailable" => pick(
            lang,
            "The database is not answering; retry shortly. Request id {request_id}.",
            "Verilənlər bazası cavab vermir; bir qədər sonra təkrar edin. Sorğu id {request_id}.",
            "База данных не отвечает; повторите позже. Идентификатор запроса {request_id}.",
            "Veritabanı yanıt vermiyor; biraz sonra tekrar deneyin. İstek kimliği {request_id}.",
        ),
        "internal-error" => pick(
            lang,
            "Something went wrong on our side. Request id {request_id}.",
            "Bizim tərəfdə xəta baş verdi. Sorğu id {request_id}.",
            "Ошибка на нашей стороне. Идентификатор запроса {request_id}.",
            "Bizim tarafımızda bir hata oluştu. İstek kimliği {request_id}.",
        ),
        // Every code has its text (a test checks it); an unknown one reads as a plain error.
        _ => pick(lang, "Error", "Xəta", "Ошибка", "Hata"),
    }
}
