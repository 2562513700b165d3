//! Administering the classifications (SPEC §6).

use crate::auth::Caller;
use crate::problem::{ApiError, BadRequestKind};
use crate::state::AppState;
use actix_web::web;
use domain::occupation::{validate_import, ImportMode};
use domain::policy::Permission;
use domain::FieldError;
use persistence::reference::{self, ActivityRow, ExemptionRow, ImportReport};
use persistence::{DbConnection, Page};

/// Reads, checks and applies a classification file, all or nothing: for the
/// API (after its permission check) and the `import-occupations` command.
/// Blocking: call it off the async workers.
pub fn import_file(db: &persistence::Db, bytes: &[u8], mode: ImportMode) -> Result<ImportReport, ApiError> {
    let rows = crate::import::read_rows(bytes).map_err(|e| match e {
        crate::import::FileError::Unreadable(detail) => ApiError::BadRequest { code: BadRequestKind::File, detail },
        crate::import::FileError::OverLimit { code, max } => FieldError::new("file", code).with("max", max).into(),
    })?;
    let entries = validate_import(&rows)?;
    Ok(db.write(|c| reference::import_occupations(c, &entries, mode))?)
}

/// Admin imports a classification file; the importer's next search sees the
/// new classification at once (other replicas within seconds).
pub async fn import(
    state: &web::Data<AppState>,
    caller: &Caller,
    bytes: bytes::Bytes,
    mode: ImportMode,
) -> Result<ImportReport, ApiError> {
    caller.may(Permission::ManageReferenceData)?;
    let db = state.db.clone();
    let report = web::block(move || import_file(&db, &bytes, mode)).await??;
    let fresh = state.clone();
    web::block(move || fresh.refresh_occupations()).await??;
    Ok(report)
}

/// Admin sets the titles of exemption category `code` (SPEC §5.3).
pub async fn set_exemption(
    state: &AppState,
    caller: &Caller,
    code: &str,
    titles: [&str; 3],
) -> Result<ExemptionRow, ApiError> {
    caller.may(Permission::ManageReferenceData)?;
    let code = domain::reference::check_exemption_code(code)?;
    let [az, en, ru] = domain::reference::check_exemption_titles(titles[0], titles[1], titles[2])?;
    state.write(move |c| reference::put_exemption(c, &code, &az, &en, &ru)).await
}

/// Admin retires exemption category `code`: kept for the permits that name it.
pub async fn retire_exemption(state: &AppState, caller: &Caller, code: &str) -> Result<(), ApiError> {
    caller.may(Permission::ManageReferenceData)?;
    let code = domain::reference::check_exemption_code(code)?;
    state.write(move |c| reference::retire_exemption(c, &code)).await
}

/// A page of the economic activities (SPEC §6): reference data any caller
/// with a token may read.
pub fn activities(conn: &mut DbConnection, page: Page) -> Result<(Vec<ActivityRow>, i64), ApiError> {
    Ok(reference::list_activities(conn, page)?)
}

/// A page of the exemption categories (SPEC §5.3), the retired ones too if
/// `all`: reference data any caller with a token may read.
pub fn exemptions(conn: &mut DbConnection, all: bool, page: Page) -> Result<(Vec<ExemptionRow>, i64), ApiError> {
    Ok(reference::list_exemptions(conn, all, page)?)
}
