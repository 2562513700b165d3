//! Administering the classifications (SPEC §6).

use crate::memory::OccupationSnapshot;
use crate::{AppError, Caller};
use domain::occupation::{validate_import, ImportEntry, ImportMode};
use domain::occupation::{CodePrefix, CodePrefixShape, IndexedOccupation};
use domain::policy::Permission;
use domain::{FieldCode, FieldError, ValidationErrors};
use persistence::reference::{self, ActivityRow, ExemptionRow, ImportReport};
use persistence::{DbConnection, Page};

/// Reads and checks a classification file (SPEC §6: CSV or XLSX, as the
/// statistics committee exports it) for `caller`, who must administer the
/// reference data: the entries to [`import`], or every row's error at once.
/// CPU work only: run it before the transaction.
pub fn check_file(caller: &Caller, bytes: &[u8]) -> Result<Vec<ImportEntry>, AppError> {
    caller.may(Permission::ManageReferenceData)?;
    let rows = crate::import::read_rows(bytes).map_err(|e| match e {
        crate::import::FileError::Unreadable(detail) => AppError::unreadable(detail),
        crate::import::FileError::OverLimit { code, max } => FieldError::new("file", code).with("max", max).into(),
    })?;
    Ok(validate_import(&rows)?)
}

/// Admin replaces or extends the classification with the entries of a file
/// ([`check_file`]), all or nothing, in the caller's transaction: for the
/// API and the `import-occupations` command alike.
pub fn import(
    conn: &mut DbConnection,
    caller: &Caller,
    entries: &[ImportEntry],
    mode: ImportMode,
) -> Result<ImportReport, AppError> {
    caller.may(Permission::ManageReferenceData)?;
    Ok(reference::import_occupations(conn, entries, mode)?)
}

/// Admin sets the titles of exemption category `code` (SPEC §5.3).
pub fn set_exemption(
    conn: &mut DbConnection,
    caller: &Caller,
    code: &str,
    titles: [&str; 3],
) -> Result<ExemptionRow, AppError> {
    caller.may(Permission::ManageReferenceData)?;
    let code = domain::reference::check_exemption_code(code)?;
    let [az, en, ru] = domain::reference::check_exemption_titles(titles[0], titles[1], titles[2])?;
    Ok(reference::put_exemption(conn, &code, &az, &en, &ru)?)
}

/// Admin retires exemption category `code`: kept for the permits that name it.
pub fn retire_exemption(conn: &mut DbConnection, caller: &Caller, code: &str) -> Result<(), AppError> {
    caller.may(Permission::ManageReferenceData)?;
    let code = domain::reference::check_exemption_code(code)?;
    Ok(reference::retire_exemption(conn, &code)?)
}

/// A page of the economic activities (SPEC §6): reference data any caller
/// with a token may read.
pub fn activities(conn: &mut DbConnection, page: Page) -> Result<(Vec<ActivityRow>, i64), AppError> {
    Ok(reference::list_activities(conn, page)?)
}

/// A page of the exemption categories (SPEC §5.3), the retired ones too if
/// `all`: reference data any caller with a token may read.
pub fn exemptions(conn: &mut DbConnection, all: bool, page: Page) -> Result<(Vec<ExemptionRow>, i64), AppError> {
    Ok(reference::list_exemptions(conn, all, page)?)
}

/// A search of the classification as asked (SPEC §6): a code prefix and
/// words of the title.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct OccupationSearch {
    /// Code prefix: `7`, `71`, `712`, `7123`; `110` also finds `0110`.
    #[cfg_attr(feature = "openapi", param(inline, example = "712"))]
    pub code: Option<CodePrefix>,
    /// Words of the title, any order, insensitive to case and Azerbaijani marks.
    #[cfg_attr(feature = "openapi", param(inline, example = "xarici suvaq"))]
    pub q: Option<crate::QueryText>,
}

/// One page of the classification entries that match a code prefix and
/// words of the title (SPEC §6), best first, searched in the copy held in
/// memory; the total of matches. A code is 1–4 digits; `q` at most
/// [`crate::MAX_QUERY_TEXT`] characters.
pub fn search<'a>(
    occupations: &'a OccupationSnapshot,
    asked: &OccupationSearch,
    page: Page,
) -> Result<(Vec<&'a IndexedOccupation>, i64), AppError> {
    let code = asked.code.as_deref().map(str::trim);
    let q = asked.q.as_deref();
    let mut errs = ValidationErrors::default();
    if code.is_some_and(|c| !CodePrefixShape::admits(c)) {
        errs.push(FieldError::new("code", FieldCode::OccupationCodeFormat));
    }
    if let Some(Err(e)) = asked.q.as_ref().map(validator::Validate::validate) {
        errs.extend_from_validator("q.", &e);
    }
    errs.into_result(())?;
    let offset = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let limit = usize::try_from(page.limit()).unwrap_or(10);
    let (hits, total) = occupations.index.search(code, q, offset, limit);
    Ok((hits, i64::try_from(total).unwrap_or(i64::MAX)))
}
