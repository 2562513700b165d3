//! The holiday calendar per year (SPEC §14.4): the non-working days other
//! than Saturday and Sunday, kept by `admin`, shipped for the current and
//! next year.

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{holiday_years as hy, holidays as hd};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::hqm::business_days::HolidayCalendar;

/// Where a year's list came from: the built-in table or `admin`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = hy)]
pub struct HolidayYearRow {
    pub year: i32,
    pub source: String,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
}

/// A year's list and where it came from.
pub type YearList = (HolidayYearRow, Vec<(NaiveDate, String)>);

/// The list of `year` and where it came from; `None` while the year is unknown.
pub fn get_year(conn: &mut DbConnection, year: i32) -> Result<Option<YearList>, StoreError> {
    let Some(row) = hy::table.filter(hy::year.eq(year)).select(HolidayYearRow::as_select()).first(conn).optional()?
    else {
        return Ok(None);
    };
    let days = hd::table.filter(hd::year.eq(year)).order(hd::date.asc()).select((hd::date, hd::name)).load(conn)?;
    Ok(Some((row, days)))
}

/// Replaces the whole list of `year` (SPEC §14.4: `PUT /api/v1/holidays/{year}`).
/// The days must be of `year` (the domain checks them first).
pub fn put_year(
    conn: &mut DbConnection,
    year: i32,
    days: &[(NaiveDate, String)],
    source: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::delete(hd::table.filter(hd::year.eq(year))).execute(conn)?;
    let n = diesel::update(hy::table.filter(hy::year.eq(year)))
        .set((hy::source.eq(source), hy::updated_at.eq(now), hy::updated_by.eq(actor)))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(hy::table)
            .values((hy::year.eq(year), hy::source.eq(source), hy::updated_at.eq(now), hy::updated_by.eq(actor)))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    for (date, name) in days {
        diesel::insert_into(hd::table)
            .values((hd::date.eq(date), hd::year.eq(year), hd::name.eq(name)))
            .execute(conn)?;
    }
    Ok(())
}

/// The calendar of the known years from `from` to `to` (inclusive): what a
/// count of business days starting in `from` may need (SPEC §14.4).
pub fn calendar(conn: &mut DbConnection, from: i32, to: i32) -> Result<HolidayCalendar, StoreError> {
    let years: Vec<i32> = hy::table.filter(hy::year.ge(from)).filter(hy::year.le(to)).select(hy::year).load(conn)?;
    let days: Vec<(i32, NaiveDate)> =
        hd::table.filter(hd::year.ge(from)).filter(hd::year.le(to)).select((hd::year, hd::date)).load(conn)?;
    let mut cal = HolidayCalendar::new();
    for y in years {
        let list = days.iter().filter(|(dy, _)| *dy == y).map(|(_, d)| *d);
        cal.set_year(y, list).map_err(|e| StoreError::Internal(format!("holiday list of {y}: {e:?}")))?;
    }
    Ok(cal)
}

/// Fills the years of `years` that have no list with the built-in one
/// (SPEC §14.4: shipped for the current and next year), in the caller's
/// transaction; a year already known, by the table or by `admin`, is left
/// alone. A year the built-in table cannot make is skipped (and logged).
pub fn seed_builtin(conn: &mut DbConnection, years: &[i32], now: NaiveDateTime) -> Result<usize, StoreError> {
    let mut added = 0;
    for &year in years {
        let known: i64 = hy::table.filter(hy::year.eq(year)).count().get_result(conn)?;
        if known > 0 {
            continue;
        }
        match domain::hqm::holidays::built_in(year) {
            Ok(days) => {
                put_year(conn, year, &days, "built_in", "quota-api", now)?;
                added += 1;
            }
            Err(e) => tracing::warn!(year, code = e.code(), "no built-in holiday list; admin must publish it"),
        }
    }
    Ok(added)
}
