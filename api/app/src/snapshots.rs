//! What the Commission receives, frozen (SPEC §15.5): an officer freezes the
//! summary of a target year as a numbered snapshot; staff read snapshots as
//! they were taken, whatever was accepted since, with the Commission's
//! inputs of that moment (SPEC §16.2).

use crate::{AppError, Caller};
use chrono::NaiveDateTime;
use domain::policy::Permission;
use persistence::snapshots::{self as store, SnapshotRecord, SnapshotRow};
use persistence::{DbConnection, Page};

/// Freezes the summary of `year` as its next snapshot (one transaction).
pub fn take(
    conn: &mut DbConnection,
    caller: &Caller,
    year: i32,
    at: NaiveDateTime,
) -> Result<SnapshotRecord, AppError> {
    caller.may(Permission::FreezeSummaries)?;
    let number = store::take(conn, year, &caller.sub, at)?;
    crate::commission_inputs::freeze(conn, year, number, at)?;
    Ok(store::get(conn, year, number)?)
}

/// The snapshots of `year`, newest first.
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    year: i32,
    page: Page,
) -> Result<(Vec<SnapshotRow>, i64), AppError> {
    caller.may(Permission::ReadSummaries)?;
    Ok(store::list(conn, year, page)?)
}

/// Snapshot `number` of `year`.
pub fn get(conn: &mut DbConnection, caller: &Caller, year: i32, number: i32) -> Result<SnapshotRecord, AppError> {
    caller.may(Permission::ReadSummaries)?;
    Ok(store::get(conn, year, number)?)
}
