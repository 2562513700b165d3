//! What the Commission receives besides the summary (SPEC §16.2, seed 003
//! fn 43): each body that feeds the Commission on Establishment of Labour
//! Quotas submits its figures per economic activity for a target year until
//! the campaign's Commission inputs deadline; the State Migration Service's
//! own input — its work-permit statistics of the previous year and of the
//! current one — is computed from the permits recorded, never typed.

use crate::campaign::{CalendarRefusal, Campaign};
use crate::error::{FieldCode, FieldError, ValidationErrors};
use crate::wire_codes;
use chrono::{NaiveDate, NaiveDateTime};

wire_codes! {
    /// A body that sends the Commission its input, named by a contributor's
    /// token claim `body` (SPEC §16.2). Seed 003 fn 43 lists what each gives:
    /// the Labour Ministry the labour market and demographic forecasts, the
    /// sectors jobseekers target and the professions of the unemployed; the
    /// Economy Ministry the macroeconomic growth forecast; the Education
    /// Ministry the students graduating that year. SPEC §16.2 adds SOCAR (its
    /// own and its contractors' demand).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum Body("contributing body") {
        /// Ministry of Labour and Social Protection of Population.
        Labour => "labour",
        /// Ministry of Economy.
        Economy => "economy",
        /// Ministry of Science and Education.
        Education => "education",
        /// State Oil Company of the Azerbaijan Republic.
        Socar => "socar",
    }
}

/// A body as a path names it.
pub type BodyText = crate::value::Shaped<crate::value::OneOf<Body>>;

/// The name under which the State Migration Service's computed input is
/// listed beside the bodies' (SPEC §16.2: "The SMS's own input is computed";
/// seed 003 fn 43: "the SMS provides … labour migration statistics").
pub const SMS: &str = "sms";

/// At most this many figures in one body's input: every section and
/// division of NACE Rev. 2 (109 codes) with several measures each.
pub const MAX_INPUT_ENTRIES: usize = 1_000;

/// Longest measure name.
pub const MAX_MEASURE: usize = 64;

/// Longest note of an input.
pub const MAX_INPUT_NOTE: usize = 4_000;

/// The largest figure, in either direction: room for money in manats and
/// headcounts of the whole country, and a bound against typing errors.
pub const MAX_INPUT_VALUE: f64 = 1e12;

/// The shape of a measure name: a lower-case letter, then up to
/// [`MAX_MEASURE`] − 1 lower-case letters, digits and `_` (`jobseekers`,
/// `gdp_growth_percent`), so a program reading the inputs can rely on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MeasureShape;

impl crate::value::Shape for MeasureShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^[a-z][a-z0-9_]{{0,{}}}$", MAX_MEASURE - 1).into()
    }

    fn min() -> u64 {
        1
    }

    fn max() -> u64 {
        MAX_MEASURE as u64
    }
}

/// A measure name as a request sends it.
pub type MeasureText = crate::value::Shaped<MeasureShape>;

/// Whether `m` is a measure name of [`MeasureShape`].
pub fn is_measure(m: &str) -> bool {
    let b = m.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_MEASURE
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// One figure of an input as checked: the economic activity (a section or a
/// division of the built-in classification), the section it counts under,
/// what the figure means, and the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct InputEntry {
    pub economic_activity: String,
    pub section: String,
    pub measure: String,
    pub value: f64,
}

/// A body's input as checked: its figures in the order sent and its note.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedInput {
    pub entries: Vec<InputEntry>,
    pub note: Option<String>,
}

/// Checks a body's input as sent (SPEC §16.2: "per economic activity a
/// figure with its meaning"): at most [`MAX_INPUT_ENTRIES`] figures; each
/// economic activity a section or division of the classification (SPEC §6);
/// each measure of [`MeasureShape`]; each value finite within
/// ±[`MAX_INPUT_VALUE`]; no activity and measure twice; the note at most
/// [`MAX_INPUT_NOTE`] characters, tidied, and none when blank. All errors
/// are reported together.
pub fn check_input(entries: &[(&str, &str, f64)], note: Option<&str>) -> Result<CheckedInput, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    if entries.len() > MAX_INPUT_ENTRIES {
        errs.push(FieldError::new("entries", FieldCode::TooMany).with("max", MAX_INPUT_ENTRIES));
        return Err(errs);
    }
    let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for (i, &(activity, measure, value)) in entries.iter().enumerate() {
        let section = crate::reference::section_of(activity);
        if section.is_none() {
            errs.push(
                FieldError::new(format!("entries[{i}].economic_activity"), FieldCode::EconomicActivityUnknown)
                    .with("code", activity),
            );
        }
        if !is_measure(measure) {
            errs.push(FieldError::new(format!("entries[{i}].measure"), FieldCode::MeasureFormat));
        }
        if !value.is_finite() || value.abs() > MAX_INPUT_VALUE {
            errs.push(
                FieldError::new(format!("entries[{i}].value"), FieldCode::OutOfRange)
                    .with("min", -MAX_INPUT_VALUE)
                    .with("max", MAX_INPUT_VALUE),
            );
        }
        if let Some(first) = seen.insert((activity, measure), i) {
            errs.push(
                FieldError::new(format!("entries[{i}].measure"), FieldCode::DuplicateMeasure).with("first", first),
            );
            seen.insert((activity, measure), first);
        }
        out.push(InputEntry {
            economic_activity: activity.to_owned(),
            section: section.unwrap_or_default().to_owned(),
            measure: measure.to_owned(),
            value,
        });
    }
    let note = match note {
        Some(n) if n.chars().count() > MAX_INPUT_NOTE => {
            errs.push(FieldError::new("note", FieldCode::Length).with("max", MAX_INPUT_NOTE));
            None
        }
        Some(n) => Some(crate::text::tidy(n)).filter(|t| !t.is_empty()),
        None => None,
    };
    errs.into_result(CheckedInput { entries: out, note })
}

/// May a body change its input on `today` (a Baku date)? Until the end of the
/// campaign's Commission inputs deadline (SPEC §16.2: "After the deadline an
/// input is read-only"), the deadline's day included (SPEC §4.4: dates are
/// inclusive).
pub fn check_inputs_open(campaign: &Campaign, today: NaiveDate) -> Result<(), CalendarRefusal> {
    let deadline = campaign.commission_inputs_deadline;
    if today > deadline {
        return Err(CalendarRefusal::CommissionInputsDeadlinePassed { deadline });
    }
    Ok(())
}

/// The two years of work permits the SMS's input for target year `year`
/// counts (SPEC §16.2: "work permits recorded for the previous year and the
/// current year to date"): the inputs are made in the year before the
/// target year, so the "current year" is `year − 1` and the previous one
/// `year − 2`.
pub fn sms_years(year: i32) -> (i32, i32) {
    (year - 2, year - 1)
}

/// The instant (UTC) up to which the SMS's input counts permits: now, until
/// the Commission inputs deadline has ended (end of day, Baku); from then on
/// that end, so the SMS's input is as read-only as the bodies' (SPEC §16.2).
pub fn sms_cutoff(campaign: &Campaign, now: NaiveDateTime) -> NaiveDateTime {
    let (_, end) = crate::time::baku_day_bounds(campaign.commission_inputs_deadline);
    now.min(end.naive_utc() - chrono::Duration::microseconds(1))
}

/// The measures of the SMS's computed input for one year of permits:
/// `work_permits_<year>` (non-exempt, counted against the quota) and
/// `exempt_work_permits_<year>` (SPEC §5.3: exempt permits consume nothing).
pub fn sms_measures(permit_year: i32) -> (String, String) {
    (format!("work_permits_{permit_year}"), format!("exempt_work_permits_{permit_year}"))
}

/// Largest file attached to an input: 10 MiB, as an HQM document (SPEC
/// §16.2: "as HQM documents"; §14.2).
pub const MAX_INPUT_FILE_BYTES: usize = crate::hqm::documents::MAX_DOCUMENT_BYTES;
/// Most files attached to one input, as documents of an HQM application.
pub const MAX_INPUT_FILES: usize = crate::hqm::documents::MAX_DOCUMENTS;

wire_codes! {
    /// The formats a file attached to an input may have (SPEC §16.2:
    /// "PDF/XLSX").
    pub enum InputFileType("input file type") {
        Pdf => "application/pdf",
        Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
}

impl InputFileType {
    /// The extensions a name of this format may end in.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            InputFileType::Pdf => &["pdf"],
            InputFileType::Xlsx => &["xlsx"],
        }
    }

    /// Reads a `Content-Type` header: one of the two media types, any case,
    /// parameters ignored.
    pub fn from_mime(header: &str) -> Option<InputFileType> {
        let essence = header.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        InputFileType::parse(&essence)
    }
}

/// The format of `bytes` by their content, never by a name (SPEC §14.2,
/// which §16.2 refers to: "checked by content"): a PDF starts with `%PDF-`
/// (ISO 32000); an XLSX is a ZIP package (local file header `PK\x03\x04`)
/// that holds the part `xl/workbook.xml` (ECMA-376), whose name is stored
/// uncompressed in the package's headers.
pub fn sniff_input_file(bytes: &[u8]) -> Option<InputFileType> {
    if bytes.starts_with(b"%PDF-") {
        return Some(InputFileType::Pdf);
    }
    let workbook = b"xl/workbook.xml";
    if bytes.starts_with(b"PK\x03\x04") && bytes.windows(workbook.len()).any(|w| w == workbook) {
        return Some(InputFileType::Xlsx);
    }
    None
}

/// Checks a file attached to an input against its declared `Content-Type`
/// and returns the format to store, in the order and with the refusals of
/// HQM documents ([`crate::hqm::documents::check_upload`]): empty, too
/// large, a declared type other than PDF and XLSX, unrecognised bytes, bytes
/// of the other format than declared. Nothing declared, or
/// `application/octet-stream`, leaves the format to the content.
pub fn check_input_file(declared: Option<&str>, bytes: &[u8]) -> Result<InputFileType, InputFileError> {
    if bytes.is_empty() {
        return Err(InputFileError::Empty);
    }
    if bytes.len() > MAX_INPUT_FILE_BYTES {
        return Err(InputFileError::TooLarge { max: MAX_INPUT_FILE_BYTES });
    }
    let declared = match declared.map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) if d.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/octet-stream") => None,
        Some(d) => Some(InputFileType::from_mime(d).ok_or(InputFileError::UnsupportedType)?),
    };
    let found = sniff_input_file(bytes).ok_or(InputFileError::UnsupportedType)?;
    match declared {
        Some(d) if d != found => Err(InputFileError::ContentMismatch { declared: d, found }),
        _ => Ok(found),
    }
}

/// Why a file attached to an input is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFileError {
    /// No bytes (HTTP 422).
    Empty,
    /// Over [`MAX_INPUT_FILE_BYTES`] (HTTP 413).
    TooLarge { max: usize },
    /// Declared, or found, to be neither PDF nor XLSX (HTTP 415).
    UnsupportedType,
    /// The bytes are the other format than declared (HTTP 422).
    ContentMismatch { declared: InputFileType, found: InputFileType },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::time::parse_date(s).unwrap_or_default()
    }

    #[test]
    fn files_are_pdf_or_xlsx_by_their_bytes() {
        let pdf = b"%PDF-1.7\n%%EOF\n";
        let xlsx = b"PK\x03\x04\x14\x00\x00\x00\x08\x00[Content_Types].xml ... xl/workbook.xml ...";
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        assert_eq!(check_input_file(Some("application/pdf"), pdf), Ok(InputFileType::Pdf));
        assert_eq!(check_input_file(None, xlsx), Ok(InputFileType::Xlsx));
        assert_eq!(check_input_file(Some("application/octet-stream"), pdf), Ok(InputFileType::Pdf));
        assert_eq!(check_input_file(Some("image/png"), &png), Err(InputFileError::UnsupportedType));
        assert_eq!(check_input_file(None, &png), Err(InputFileError::UnsupportedType));
        assert_eq!(
            check_input_file(Some("application/pdf"), xlsx),
            Err(InputFileError::ContentMismatch { declared: InputFileType::Pdf, found: InputFileType::Xlsx })
        );
        assert_eq!(
            check_input_file(Some("application/zip"), b"PK\x03\x04 a zip"),
            Err(InputFileError::UnsupportedType)
        );
        assert_eq!(check_input_file(None, b"PK\x03\x04 not a workbook"), Err(InputFileError::UnsupportedType));
        assert_eq!(check_input_file(None, b""), Err(InputFileError::Empty));
    }

    #[test]
    fn bodies_are_the_four_of_the_specification() {
        let names: Vec<&str> = Body::ALL.iter().map(|b| b.as_str()).collect();
        assert_eq!(names, ["labour", "economy", "education", "socar"]);
        assert_eq!(Body::parse(SMS), None, "the SMS's input is computed, not sent");
    }

    #[test]
    fn measures_are_lower_case_names() {
        for ok in ["jobseekers", "gdp_growth_percent", "graduates_2026", "a"] {
            assert!(is_measure(ok), "{ok}");
        }
        for bad in ["", "Jobseekers", "1st", "_x", "growth-percent", "ə", &"a".repeat(65)] {
            assert!(!is_measure(bad), "{bad}");
        }
        assert!(is_measure(&"a".repeat(64)));
    }

    #[test]
    fn an_input_names_known_activities_and_finite_figures_once() {
        let ok = check_input(&[("F", "gdp_growth_percent", 4.5), ("41", "jobseekers", 1200.0)], Some("  As of  June "));
        let ok = ok.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(ok.entries[1].section, "F", "a division counts under its section");
        assert_eq!(ok.note.as_deref(), Some("As of June"));
        let bad = check_input(
            &[("ZZ", "x", 1.0), ("F", "Bad-Name", 1.0), ("F", "y", f64::INFINITY), ("F", "y", 2e12), ("A", "x", 1.0)],
            Some(&"n".repeat(MAX_INPUT_NOTE + 1)),
        );
        let codes: Vec<(String, FieldCode)> =
            bad.err().map(|e| e.0.into_iter().map(|e| (e.field, e.code)).collect()).unwrap_or_default();
        assert_eq!(
            codes,
            [
                ("entries[0].economic_activity".to_owned(), FieldCode::EconomicActivityUnknown),
                ("entries[1].measure".to_owned(), FieldCode::MeasureFormat),
                ("entries[2].value".to_owned(), FieldCode::OutOfRange),
                ("entries[3].value".to_owned(), FieldCode::OutOfRange),
                ("entries[3].measure".to_owned(), FieldCode::DuplicateMeasure),
                ("note".to_owned(), FieldCode::Length),
            ]
        );
        assert_eq!(check_input(&[], Some("   ")).map(|c| c.note), Ok(None), "an empty input may be sent");
        let many: Vec<(&str, &str, f64)> = (0..=MAX_INPUT_ENTRIES).map(|_| ("F", "x", 1.0)).collect();
        assert!(check_input(&many, None).is_err());
    }

    #[test]
    fn inputs_are_taken_until_the_end_of_the_deadline_day() {
        let c = Campaign::default_for(2027);
        assert_eq!(check_inputs_open(&c, d("2026-09-15")), Ok(()));
        assert_eq!(
            check_inputs_open(&c, d("2026-09-16")),
            Err(CalendarRefusal::CommissionInputsDeadlinePassed { deadline: d("2026-09-15") })
        );
    }

    #[test]
    fn the_sms_counts_the_previous_and_the_current_year_until_the_deadline() {
        assert_eq!(sms_years(2027), (2025, 2026));
        let c = Campaign::default_for(2027);
        let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().map(|t| t.naive_utc()).unwrap_or_default();
        assert_eq!(sms_cutoff(&c, at("2026-05-15T09:00:00Z")), at("2026-05-15T09:00:00Z"));
        // 15 September ends at 20:00 UTC (Baku is UTC+4).
        assert_eq!(sms_cutoff(&c, at("2026-12-01T00:00:00Z")), at("2026-09-15T19:59:59.999999Z"));
        assert_eq!(sms_measures(2025), ("work_permits_2025".to_owned(), "exempt_work_permits_2025".to_owned()));
    }
}
