//! The holiday calendar per year (SPEC §14.4): any caller reads it; admin
//! replaces a year's list.

use crate::{AppError, Caller};
use domain::policy::Permission;
use domain::FieldCode;
use persistence::holidays::{self as store, YearList};
use persistence::DbConnection;

/// A year's list and where it came from; not found while the year is unknown.
pub fn get(conn: &mut DbConnection, year: i32) -> Result<YearList, AppError> {
    store::get_year(conn, year)?.ok_or(AppError::NotFound)
}

/// Admin replaces the whole list of `year` (SPEC §14.4). Every deadline of
/// an application under review that the change moves is counted again, in
/// the same transaction (SPEC §16.4.4: with a history entry, and an e-mail to
/// the applicant when it moves).
pub fn put(
    conn: &mut DbConnection,
    caller: &Caller,
    year: i32,
    body_year: i64,
    days: &[(chrono::NaiveDate, String)],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<YearList, AppError> {
    caller.may(Permission::ManageHolidays)?;
    if body_year != i64::from(year) {
        return Err(AppError::invalid("year", FieldCode::PathMismatch));
    }
    let days = domain::hqm::holidays::validate_year(body_year, days)?;
    store::put_year(conn, year, &days, "admin", &caller.sub, now.naive_utc())?;
    crate::hqm::recount_deadlines(conn, caller, year, now)?;
    get(conn, year)
}
