//! Validation errors in a form every caller can render: a field path, a
//! machine code and the parameters of the message (SPEC §7: `errors: [{field,
//! code, message}]`). Messages are rendered by the API in the caller's language.

use crate::wire_codes;
use std::collections::BTreeMap;

wire_codes! {
    /// The rule a field broke: `code` of `errors[]` (SPEC §7). Stable; a
    /// client may branch on it. Each has a message in every language of the
    /// API.
    pub enum FieldCode("field error code") {
        // Any field.
        Required => "required",
        Length => "length",
        OutOfRange => "out_of_range",
        Invalid => "invalid",
        InvalidType => "invalid_type",
        UnknownField => "unknown_field",
        DuplicateKey => "duplicate_key",
        ControlCharacter => "control_character",
        /// A header token (`Idempotency-Key`) holding other than visible ASCII.
        VisibleAscii => "visible_ascii",
        PathMismatch => "path_mismatch",
        InFuture => "in_future",
        DateOrder => "date_order",
        // The employer (SPEC §4.1).
        TinFormat => "tin_format",
        TinCheckDigit => "tin_check_digit",
        TinPersonDigit => "tin_person_digit",
        TinNotYours => "tin_not_yours",
        TinImmutable => "tin_immutable",
        PersonTypeMismatch => "person_type_mismatch",
        ExceedsEmployees => "exceeds_employees",
        EconomicActivityUnknown => "economic_activity_unknown",
        // Forecast lines (SPEC §4.2) and the target year (SPEC §15.1).
        OccupationCodeFormat => "occupation_code_format",
        OccupationUnknown => "occupation_unknown",
        OccupationTitleMismatch => "occupation_title_mismatch",
        ExceedsTotal => "exceeds_total",
        DuplicateLine => "duplicate_line",
        TooManyLines => "too_many_lines",
        NoLines => "no_lines",
        TargetYearUnavailable => "target_year_unavailable",
        TargetYearImmutable => "target_year_immutable",
        // Campaigns (SPEC §4.4).
        BeforeTargetYear => "before_target_year",
        // The quota plan and permits (SPEC §5).
        SectionRequired => "section_required",
        BelowUsed => "below_used",
        NoEntries => "no_entries",
        DuplicateEntry => "duplicate_entry",
        ExemptionUnknown => "exemption_unknown",
        ExemptionCodeFormat => "exemption_code_format",
        PermitRefFormat => "permit_ref_format",
        // The contact e-mail and its confirmation code.
        EmailFormat => "email_format",
        // A webhook endpoint (SPEC §17).
        UrlFormat => "url_format",
        CodeFormat => "code_format",
        CodeWrong => "code_wrong",
        CodeExpired => "code_expired",
        CodeAttemptsExhausted => "code_attempts_exhausted",
        NoPendingCode => "no_pending_code",
        // Classification files (SPEC §6).
        NoRows => "no_rows",
        TooManyRows => "too_many_rows",
        XlsxTooManyRows => "xlsx_too_many_rows",
        XlsxTooManyColumns => "xlsx_too_many_columns",
        XlsxTooLargeUncompressed => "xlsx_too_large_uncompressed",
        XlsxTooManyParts => "xlsx_too_many_parts",
        // Highly Qualified Migrant applications (SPEC §14).
        CitizenshipAzerbaijan => "citizenship_azerbaijan",
        CitizenshipFormat => "citizenship_format",
        NotAdult => "not_adult",
        PassportNumberFormat => "passport_number_format",
        LanguageUnsupported => "language_unsupported",
        EducationLevelUnknown => "education_level_unknown",
        LanguageCodeFormat => "language_code_format",
        CountryFormat => "country_format",
        IscoGroupFormat => "isco_group_format",
        IscoGroupClaimed => "isco_group_claimed",
        CefrLevelUnknown => "cefr_level_unknown",
        TooMany => "too_many",
        DocumentEmpty => "document_empty",
        ContentMismatch => "content_mismatch",
        ExtensionMismatch => "extension_mismatch",
        KindUnknown => "kind_unknown",
        ControlCharacters => "control_characters",
        PassportMissing => "passport_missing",
        QualificationMissing => "qualification_missing",
        WrongYear => "wrong_year",
        Weekend => "weekend",
        DuplicateDate => "duplicate_date",
        // Commission inputs (SPEC §16.2)
        MeasureFormat => "measure_format",
        DuplicateMeasure => "duplicate_measure",
    }
}

/// One rule broken by one field. `field` is a JSON path such as
/// `lines[2].demand_foreigners`; `code` is stable and documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
    /// Named values for the message, e.g. `max` → `2000`.
    pub params: BTreeMap<&'static str, String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode) -> Self {
        Self { field: field.into(), code, params: BTreeMap::new() }
    }

    pub fn with(mut self, key: &'static str, value: impl ToString) -> Self {
        self.params.insert(key, value.to_string());
        self
    }
}

/// All the rules an input broke, collected rather than stopping at the first,
/// so a caller can fix a form in one round trip.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every error of `other`.
    pub fn extend(&mut self, other: ValidationErrors) {
        self.0.extend(other.0);
    }

    /// `Ok(value)` when nothing was collected.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Takes the errors of the `validator` derive, prefixing each field with
    /// `prefix`. A value type's own error ([`crate::value::OWN`]) is named
    /// by the field that holds it; nested structures and lists by their path.
    pub fn extend_from_validator(&mut self, prefix: &str, errs: &validator::ValidationErrors) {
        use validator::ValidationErrorsKind as Kind;
        let mut fields: Vec<_> = errs.errors().iter().collect();
        fields.sort_by(|a, b| a.0.cmp(b.0));
        for (field, kind) in fields {
            let path = if field == crate::value::OWN {
                prefix.trim_end_matches('.').to_owned()
            } else {
                format!("{prefix}{field}")
            };
            match kind {
                Kind::Field(list) => list.iter().for_each(|e| self.push(field_error(&path, e))),
                Kind::Struct(inner) => self.extend_from_validator(&format!("{path}."), inner),
                Kind::List(items) => {
                    for (i, inner) in items {
                        self.extend_from_validator(&format!("{path}[{i}]."), inner);
                    }
                }
            }
        }
    }
}

/// One error of the `validator` derive as a field error at `path`.
fn field_error(path: &str, e: &validator::ValidationError) -> FieldError {
    let code = match e.code.as_ref() {
        "length" => FieldCode::Length,
        "range" => FieldCode::OutOfRange,
        _ => FieldCode::Invalid,
    };
    let mut fe = FieldError::new(path, code);
    for (k, v) in &e.params {
        let key: &'static str = match k.as_ref() {
            "min" => "min",
            "max" => "max",
            _ => continue,
        };
        fe = fe.with(key, v.to_string().trim_matches('"'));
    }
    fe
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn field_codes_are_unique_snake_case() {
        let mut seen = HashSet::new();
        for c in FieldCode::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} is the code of two variants");
            assert!(
                !s.is_empty()
                    && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    && !s.starts_with('_')
                    && !s.ends_with('_')
                    && !s.contains("__"),
                "{s} is not snake_case"
            );
            assert_eq!(c.to_string(), s);
        }
    }
}
