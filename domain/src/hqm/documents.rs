//! The documents of an HQM application (seed 002: the passport and proof of
//! qualifications are among the uploads): their kinds, the formats allowed
//! (PDF, JPEG, PNG) recognised by content, the size and count limits, and
//! what submission needs (SPEC §14.2).

use crate::error::{FieldCode, FieldError, ValidationErrors};

/// Largest document, in bytes: 10 MiB (SPEC §14.2).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
/// Most documents on one application (SPEC §14.2).
pub const MAX_DOCUMENTS: usize = 20;
/// Longest file name kept with a document, in characters (SPEC §14.6 names
/// no limit; 255 is what common file systems allow).
pub const MAX_FILENAME: usize = 255;

crate::wire_codes! {
    /// What a document is (SPEC §14.6: `kind=passport|qualification|other`;
    /// SPEC §16.4.6 adds the evidence of financial stability).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum DocumentKind("document kind") {
        /// A copy of the passport (SPEC §14.2: required before submission).
        Passport => "passport",
        /// Proof of qualifications (SPEC §14.2: required before submission).
        Qualification => "qualification",
        /// A statement of income of the past two years (seed 002, criterion 4).
        IncomeStatement => "income_statement",
        /// A statement of funds in a bank account (seed 002, criterion 4).
        BankStatement => "bank_statement",
        Other => "other",
    }
}

/// A document's kind as an upload names it.
pub type DocumentKindText = crate::value::Shaped<crate::value::OneOf<DocumentKind>>;

crate::wire_codes! {
    /// The formats a document may have (SPEC §14.2: PDF, JPEG or PNG).
    pub enum ContentType("document media type") {
        Pdf => "application/pdf",
        Jpeg => "image/jpeg",
        Png => "image/png",
    }
}

impl ContentType {
    /// The media type stored and served with the document (SPEC §14.2).
    pub fn mime(self) -> &'static str {
        self.as_str()
    }

    /// The bytes a file of this format starts with: `%PDF-`, FF D8 FF, and
    /// the eight-byte PNG signature (ISO 32000, JFIF/Exif, RFC 2083).
    pub fn magic(self) -> &'static [u8] {
        match self {
            ContentType::Pdf => b"%PDF-",
            ContentType::Jpeg => &[0xFF, 0xD8, 0xFF],
            ContentType::Png => &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
        }
    }

    /// Reads a `Content-Type` header (SPEC §14.6): one of the three media
    /// types, any case, parameters (`; charset=…`) ignored. `image/jpg`, a
    /// common misspelling, is read as JPEG.
    pub fn from_mime(header: &str) -> Option<ContentType> {
        let essence = header.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/pdf" => Some(ContentType::Pdf),
            "image/jpeg" | "image/jpg" => Some(ContentType::Jpeg),
            "image/png" => Some(ContentType::Png),
            _ => None,
        }
    }
}

/// The format of `bytes` by their first bytes, never by a name (SPEC §14.2:
/// checked by content).
pub fn sniff(bytes: &[u8]) -> Option<ContentType> {
    ContentType::ALL.iter().copied().find(|t| bytes.starts_with(t.magic()))
}

/// Why an upload is refused (SPEC §14.2, §14.6: 415 or 422 for bytes that
/// are not the declared type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// No bytes at all (HTTP 422).
    Empty,
    /// More than [`MAX_DOCUMENT_BYTES`] (HTTP 413).
    TooLarge { max: usize },
    /// The declared `Content-Type` is not PDF, JPEG or PNG (HTTP 415).
    UnsupportedType { declared: String },
    /// The bytes are none of PDF, JPEG or PNG (HTTP 415).
    UnrecognisedContent,
    /// The bytes are of another of the three formats than declared (HTTP 422).
    ContentMismatch { declared: ContentType, found: ContentType },
    /// The application already holds [`MAX_DOCUMENTS`] (HTTP 409).
    TooMany { max: usize },
}

impl DocumentError {
    /// The stable machine code (SPEC §7).
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Empty => "document_empty",
            DocumentError::TooLarge { .. } => "document_too_large",
            DocumentError::UnsupportedType { .. } => "unsupported_media_type",
            DocumentError::UnrecognisedContent => "content_unrecognised",
            DocumentError::ContentMismatch { .. } => "content_mismatch",
            DocumentError::TooMany { .. } => "too_many_documents",
        }
    }
}

/// Checks an upload's bytes against its declared `Content-Type` and returns
/// the format to store (SPEC §14.2, §14.6). The size is checked first, then
/// the declared type, then the content. Nothing declared, or
/// `application/octet-stream` (what a multipart part without a type gets),
/// leaves the format to the content.
pub fn check_upload(declared: Option<&str>, bytes: &[u8]) -> Result<ContentType, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge { max: MAX_DOCUMENT_BYTES });
    }
    let declared = match declared.map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) if d.split(';').next().is_some_and(|e| e.trim().eq_ignore_ascii_case("application/octet-stream")) => {
            None
        }
        Some(d) => match ContentType::from_mime(d) {
            Some(t) => Some(t),
            None => return Err(DocumentError::UnsupportedType { declared: d.to_owned() }),
        },
    };
    let found = sniff(bytes).ok_or(DocumentError::UnrecognisedContent)?;
    match declared {
        Some(declared) if declared != found => Err(DocumentError::ContentMismatch { declared, found }),
        _ => Ok(found),
    }
}

/// Whether one more document fits on an application holding `existing`
/// (SPEC §14.2: at most [`MAX_DOCUMENTS`]).
pub fn check_count(existing: usize) -> Result<(), DocumentError> {
    if existing >= MAX_DOCUMENTS {
        return Err(DocumentError::TooMany { max: MAX_DOCUMENTS });
    }
    Ok(())
}

/// The shape of a file name as a query sends it: at most [`MAX_FILENAME`]
/// characters, none of them a control character (C0, DEL or C1), which
/// [`check_filename`] refuses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FilenameShape;

impl crate::value::Shape for FilenameShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        "^[^\\u0000-\\u001F\\u007F-\\u009F]*$".into()
    }

    fn min() -> u64 {
        0
    }

    fn max() -> u64 {
        MAX_FILENAME as u64
    }
}

/// A file name as a query sends it.
pub type FilenameText = crate::value::Shaped<FilenameShape>;

/// The file name kept with a document (SPEC §14.6: `filename=…`), for
/// display and download only: any directory part a browser sent is dropped,
/// control characters are refused, and the rest is at most
/// [`MAX_FILENAME`] characters and not blank. Errors name `filename`.
pub fn check_filename(raw: &str) -> Result<String, FieldError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if base.chars().any(char::is_control) {
        return Err(FieldError::new("filename", FieldCode::ControlCharacters));
    }
    if base.chars().count() > MAX_FILENAME {
        return Err(FieldError::new("filename", FieldCode::Length).with("max", MAX_FILENAME));
    }
    if base.is_empty() || base == "." || base == ".." {
        return Err(FieldError::new("filename", FieldCode::Required));
    }
    Ok(base.to_owned())
}

/// The extension a file name ends in (`pdf` of `Diplom.PDF`), lower-cased:
/// the text after the last dot when it is one to five ASCII letters and
/// digits with a letter among them, as extensions are (a name such as
/// `scan.2024` or `Ayşe.Yılmaz` has none).
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    let shaped = !stem.is_empty()
        && (1..=5).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        && ext.bytes().any(|b| b.is_ascii_alphabetic());
    shaped.then(|| ext.to_ascii_lowercase())
}

/// A file name whose extension says another type than the bytes are (a PDF
/// named `setup.exe`) is refused (issue 26): whoever downloads it would
/// open it as what the name says. `extensions` are those of the type found,
/// `found` its media type; a name without an extension is kept as it is.
/// The error names `filename`, with the extension and the one to use.
pub fn check_extension(filename: &str, extensions: &[&str], found: &str) -> Result<(), FieldError> {
    match extension(filename) {
        Some(ext) if !extensions.contains(&ext.as_str()) => {
            Err(FieldError::new("filename", FieldCode::ExtensionMismatch)
                .with("extension", ext)
                .with("found", found)
                .with("expected", extensions.first().copied().unwrap_or("")))
        }
        _ => Ok(()),
    }
}

impl ContentType {
    /// The extensions a name of this format may end in.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ContentType::Pdf => &["pdf"],
            ContentType::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            ContentType::Png => &["png"],
        }
    }
}

/// The documents an application must hold before it is submitted: at least
/// one passport copy and one proof of qualifications (SPEC §14.2). `kinds`
/// are the kinds of the documents it holds; errors name `documents`
/// (`passport_missing`, `qualification_missing`).
pub fn check_submittable(kinds: impl IntoIterator<Item = DocumentKind>) -> Result<(), ValidationErrors> {
    let (mut passport, mut qualification) = (false, false);
    for k in kinds {
        passport |= k == DocumentKind::Passport;
        qualification |= k == DocumentKind::Qualification;
    }
    let mut errs = ValidationErrors::default();
    if !passport {
        errs.push(FieldError::new("documents", FieldCode::PassportMissing));
    }
    if !qualification {
        errs.push(FieldError::new("documents", FieldCode::QualificationMissing));
    }
    errs.into_result(())
}

/// Most kinds one request for documents names (SPEC §16.4.1 names no limit;
/// there are no more kinds than this).
pub const MAX_REQUESTED_KINDS: usize = 8;

/// A request for documents as the officer sends it, checked (SPEC §16.4.1:
/// `{"reason", "kinds": […]}`): the reason as for an extension
/// ([`super::application::check_reason`]), and at least one kind, each known;
/// a kind named twice counts once. Errors name `reason`, `kinds` and
/// `kinds[i]` (`kind_unknown`), all at once.
pub fn check_request(reason: &str, kinds: &[&str]) -> Result<(String, Vec<DocumentKind>), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let reason = super::application::check_reason(reason).map_err(|e| errs.0.extend(e.0)).ok();
    let mut known = Vec::new();
    if kinds.is_empty() {
        errs.push(FieldError::new("kinds", FieldCode::Required));
    } else if kinds.len() > MAX_REQUESTED_KINDS {
        errs.push(FieldError::new("kinds", FieldCode::TooMany).with("max", MAX_REQUESTED_KINDS));
    }
    for (i, k) in kinds.iter().enumerate().take(MAX_REQUESTED_KINDS) {
        match DocumentKind::parse(k.trim()) {
            Some(kind) if !known.contains(&kind) => known.push(kind),
            Some(_) => {}
            None => errs.push(FieldError::new(format!("kinds[{i}]"), FieldCode::KindUnknown)),
        }
    }
    match reason {
        Some(reason) if errs.is_empty() => Ok((reason, known)),
        _ => Err(errs),
    }
}

/// Why a document may not be added to an application under review
/// (SPEC §16.4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceRefusal {
    /// The review deadline's day has ended (Baku): nothing more is added.
    DeadlinePassed { deadline: chrono::NaiveDate },
    /// No officer asked for a document of this kind; `requested` are the
    /// kinds asked for so far (possibly none).
    NotRequested { kind: DocumentKind, requested: Vec<DocumentKind> },
}

/// Whether the applicant may add a document of `kind` to an application
/// under review (SPEC §16.4.1): only of a kind an officer's request named
/// (`requested`, every request's kinds), and only until the end of the
/// review deadline's day in Baku (`today` is the Baku date). The deadline is
/// checked first: after it no kind may be added.
pub fn check_requested(
    kind: DocumentKind,
    requested: &[DocumentKind],
    deadline: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<(), EvidenceRefusal> {
    if today > deadline {
        return Err(EvidenceRefusal::DeadlinePassed { deadline });
    }
    if !requested.contains(&kind) {
        return Err(EvidenceRefusal::NotRequested { kind, requested: requested.to_vec() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_names_a_reason_and_known_kinds() {
        let (reason, kinds) =
            check_request(" Send the diploma's apostille. ", &["qualification", "other", "other"]).unwrap();
        assert_eq!(reason, "Send the diploma's apostille.");
        assert_eq!(kinds, [DocumentKind::Qualification, DocumentKind::Other], "a kind named twice counts once");
        let codes = |r: &str, k: &[&str]| -> Vec<(String, &str)> {
            check_request(r, k).unwrap_err().0.into_iter().map(|e| (e.field, e.code.as_str())).collect()
        };
        assert_eq!(codes(" ", &[]), [("reason".into(), "required"), ("kinds".into(), "required")]);
        assert_eq!(codes("Why", &["passport", "diploma"]), [("kinds[1]".into(), "kind_unknown")]);
        assert_eq!(codes("Why", &["other"; MAX_REQUESTED_KINDS + 1])[0], ("kinds".into(), "too_many"));
    }

    #[test]
    fn after_submission_only_requested_kinds_until_the_deadline() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let requested = [DocumentKind::Qualification];
        assert_eq!(check_requested(DocumentKind::Qualification, &requested, d("2026-06-18"), d("2026-06-18")), Ok(()));
        assert_eq!(
            check_requested(DocumentKind::Passport, &requested, d("2026-06-18"), d("2026-06-01")),
            Err(EvidenceRefusal::NotRequested { kind: DocumentKind::Passport, requested: requested.to_vec() })
        );
        assert_eq!(
            check_requested(DocumentKind::Qualification, &requested, d("2026-06-18"), d("2026-06-19")),
            Err(EvidenceRefusal::DeadlinePassed { deadline: d("2026-06-18") })
        );
        assert!(matches!(
            check_requested(DocumentKind::Other, &[], d("2026-06-18"), d("2026-06-01")),
            Err(EvidenceRefusal::NotRequested { .. })
        ));
    }

    const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];

    #[test]
    fn formats_are_recognised_by_their_first_bytes() {
        assert_eq!(sniff(PDF), Some(ContentType::Pdf));
        assert_eq!(sniff(JPEG), Some(ContentType::Jpeg));
        assert_eq!(sniff(PNG), Some(ContentType::Png));
        for bad in [&b"GIF89a"[..], b"PK\x03\x04", b"%PDF", &[0xFF, 0xD8], &PNG[..7], b" %PDF-1.7", b""] {
            assert_eq!(sniff(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn declared_types_are_read_without_case_or_parameters() {
        assert_eq!(ContentType::from_mime("Application/PDF; charset=binary"), Some(ContentType::Pdf));
        assert_eq!(ContentType::from_mime("image/jpg"), Some(ContentType::Jpeg));
        assert_eq!(ContentType::from_mime("image/gif"), None);
        for &t in ContentType::ALL {
            assert_eq!(ContentType::from_mime(t.mime()), Some(t));
        }
    }

    #[test]
    fn the_bytes_must_be_what_the_header_says() {
        assert_eq!(check_upload(Some("application/pdf"), PDF), Ok(ContentType::Pdf));
        assert_eq!(check_upload(None, PNG), Ok(ContentType::Png));
        assert_eq!(check_upload(Some("application/octet-stream"), JPEG), Ok(ContentType::Jpeg));
        assert_eq!(
            check_upload(Some("image/png"), PDF),
            Err(DocumentError::ContentMismatch { declared: ContentType::Png, found: ContentType::Pdf })
        );
        // A renamed ZIP declared as a PDF.
        assert_eq!(check_upload(Some("application/pdf"), b"PK\x03\x04rest"), Err(DocumentError::UnrecognisedContent));
        assert_eq!(
            check_upload(Some("image/gif"), b"GIF89a"),
            Err(DocumentError::UnsupportedType { declared: "image/gif".into() })
        );
        assert_eq!(check_upload(Some("application/pdf"), b"").map_err(|e| e.code()), Err("document_empty"));
    }

    #[test]
    fn ten_mebibytes_is_the_most_a_document_holds() {
        let mut big = PDF.to_vec();
        big.resize(MAX_DOCUMENT_BYTES, b' ');
        assert_eq!(check_upload(Some("application/pdf"), &big), Ok(ContentType::Pdf));
        big.push(b' ');
        assert_eq!(check_upload(Some("application/pdf"), &big), Err(DocumentError::TooLarge { max: 10 * 1024 * 1024 }));
    }

    #[test]
    fn twenty_documents_at_most() {
        assert_eq!(check_count(MAX_DOCUMENTS - 1), Ok(()));
        assert_eq!(check_count(20), Err(DocumentError::TooMany { max: 20 }));
        assert_eq!(check_count(20).unwrap_err().code(), "too_many_documents");
    }

    #[test]
    fn kinds_round_trip() {
        for &k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DocumentKind::parse("diploma"), None);
    }

    #[test]
    fn submission_needs_a_passport_and_a_qualification() {
        use DocumentKind::*;
        assert_eq!(check_submittable([Other, Qualification, Passport]), Ok(()));
        let codes = |k: &[DocumentKind]| -> Vec<&str> {
            check_submittable(k.iter().copied()).unwrap_err().0.iter().map(|e| e.code.as_str()).collect()
        };
        assert_eq!(codes(&[]), ["passport_missing", "qualification_missing"]);
        assert_eq!(codes(&[Passport, Passport, Other]), ["qualification_missing"]);
        assert_eq!(codes(&[Qualification]), ["passport_missing"]);
    }

    #[test]
    fn file_names_keep_only_the_base_name() {
        assert_eq!(check_filename("C:\\Users\\ayse\\pasport.pdf").unwrap(), "pasport.pdf");
        assert_eq!(check_filename("../../etc/diplom ə.png").unwrap(), "diplom ə.png");
        assert_eq!(check_filename("dir/").unwrap_err().code.as_str(), "required");
        assert_eq!(check_filename("..").unwrap_err().code.as_str(), "required");
        assert_eq!(check_filename("a\u{0}.pdf").unwrap_err().code.as_str(), "control_characters");
        assert_eq!(check_filename(&format!("{}.pdf", "a".repeat(MAX_FILENAME))).unwrap_err().code.as_str(), "length");
    }

    #[test]
    fn a_name_may_not_say_another_type_than_the_bytes() {
        assert_eq!(extension("Diplom.PDF").as_deref(), Some("pdf"));
        for none in ["Diplom", "scan.2024", "Ayşe.Yılmaz", ".pdf", "a.toolongext"] {
            assert_eq!(extension(none), None, "{none}");
        }
        let pdf = ContentType::Pdf.extensions();
        assert!(check_extension("Diplom Ayşe.pdf", pdf, "application/pdf").is_ok());
        assert!(check_extension("Diplom", pdf, "application/pdf").is_ok());
        let e = check_extension("setup.exe", pdf, "application/pdf").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("filename", FieldCode::ExtensionMismatch));
        assert_eq!(e.params.get("expected").map(String::as_str), Some("pdf"));
        assert!(check_extension("photo.JPEG", ContentType::Jpeg.extensions(), "image/jpeg").is_ok());
        assert!(check_extension("photo.png", ContentType::Jpeg.extensions(), "image/jpeg").is_err());
    }
}
