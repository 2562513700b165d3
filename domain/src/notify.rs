//! The e-mails the product sends, in Azerbaijani and English (issue on
//! identity: notifications that are never lost).

/// A message: subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// The confirmation code for a contact address.
pub fn confirmation_code(code: &str) -> Message {
    Message {
        subject: "E-poçt ünvanının təsdiqi / E-mail confirmation".into(),
        body: format!(
            "Təsdiq kodunuz: {code}\nKod 24 saat etibarlıdır.\n\nYour confirmation code: {code}\nThe code is valid for 24 hours.\n"
        ),
    }
}

/// A forecast was returned by the Service with a reason.
pub fn forecast_returned(number: i64, target_year: i32, reason: &str) -> Message {
    Message {
        subject: format!("Proqnoz-məlumat №{number} qaytarıldı / Forecast No. {number} returned"),
        body: format!(
            "{target_year}-ci il üçün proqnoz-məlumatınız №{number} düzəliş üçün qaytarıldı.\nSəbəb: {reason}\n\n\
             Your forecast No. {number} for {target_year} was returned for correction.\nReason: {reason}\n"
        ),
    }
}

/// A forecast was accepted.
pub fn forecast_accepted(number: i64, target_year: i32) -> Message {
    Message {
        subject: format!("Proqnoz-məlumat №{number} qəbul edildi / Forecast No. {number} accepted"),
        body: format!(
            "{target_year}-ci il üçün proqnoz-məlumatınız №{number} qəbul edildi.\n\n\
             Your forecast No. {number} for {target_year} was accepted.\n"
        ),
    }
}

/// The submission deadline is `days` away and the forecast is not submitted.
pub fn deadline_near(number: i64, target_year: i32, deadline: chrono::NaiveDate, days: i64) -> Message {
    Message {
        subject: format!("Son tarixə {days} gün qalıb / {days} day(s) to the deadline"),
        body: format!(
            "{target_year}-ci il üçün proqnoz-məlumatınız №{number} hələ təqdim edilməyib. Son tarix: {deadline}.\n\n\
             Your forecast No. {number} for {target_year} is not submitted yet. The deadline is {deadline}.\n"
        ),
    }
}

/// Days before the submission deadline on which reminders go out.
pub const REMINDER_DAYS: [i64; 2] = [7, 1];
