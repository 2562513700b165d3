//! Reference data: the occupational and economic-activity classifications.

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{economic_activities as ea, exemption_categories as ex, occupations as occ};
use crate::Page;
use diesel::prelude::*;
use domain::forecast::KnownEntries;
use domain::occupation::{ImportEntry, ImportMode};
use domain::reference;
use domain::text::fold;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ea)]
pub struct ActivityRow {
    pub code: String,
    pub level: domain::reference::ActivityLevel,
    pub parent: Option<String>,
    pub title: String,
}

/// Rows per seeding statement: 5 columns each stays far below both
/// backends' limit on bound parameters (SQLite 32766, PostgreSQL 65535).
const SEED_CHUNK: usize = 500;

/// Fills empty classification tables from the built-in ones (SPEC §6), in
/// the caller's transaction. Tables that hold anything are left alone, so an
/// imported classification is never overwritten on start-up; built-in
/// exemption categories are added one by one where missing.
pub fn seed_builtin(conn: &mut DbConnection) -> Result<(usize, usize), StoreError> {
    let mut added = (0, 0);
    let have_acts: i64 = ea::table.count().get_result(conn)?;
    if have_acts == 0 {
        let rows: Vec<_> = reference::economic_activities()
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    ea::code.eq(a.code),
                    ea::level.eq(a.level.as_str()),
                    ea::parent.eq(a.parent),
                    ea::title.eq(a.title),
                    ea::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                )
            })
            .collect();
        // Many rows per statement: one round trip per chunk, not per row,
        // at every start on a fresh database (and every test's).
        for chunk in rows.chunks(SEED_CHUNK) {
            let insert = diesel::insert_into(ea::table).values(chunk);
            // The multi-backend connection has no batch insert: each backend's own.
            added.1 += match conn {
                DbConnection::Pg(c) => insert.execute(c)?,
                DbConnection::Sqlite(c) => insert.execute(c)?,
            };
        }
    }
    // Built-in exemption categories a database lacks are added (SPEC §16.1.8
    // added grounds after the first release); one admin retired or retitled
    // is left as admin left it.
    let have_ex: Vec<String> = ex::table.select(ex::code).load(conn)?;
    let first: i32 = ex::table.select(diesel::dsl::max(ex::position)).first::<Option<i32>>(conn)?.map_or(0, |p| p + 1);
    let missing = reference::exemption_categories().into_iter().filter(|e| !have_ex.iter().any(|c| c == e.code));
    for (position, e) in (first..).zip(missing) {
        diesel::insert_into(ex::table)
            .values((
                ex::code.eq(e.code),
                ex::title_az.eq(e.title_az),
                ex::title_en.eq(e.title_en),
                ex::title_ru.eq(e.title_ru),
                ex::retired.eq(false),
                ex::position.eq(position),
            ))
            .execute(conn)
            // Another server starting at once added it: run again.
            .map_err(crate::error::lost_a_race)?;
    }
    let have_occ: i64 = occ::table.count().get_result(conn)?;
    if have_occ == 0 {
        let rows: Vec<_> = reference::occupations()
            .iter()
            .map(|o| {
                (
                    occ::code.eq(o.code),
                    occ::title.eq(o.title),
                    occ::search_text.eq(occupation_search_text(o.code, o.title)),
                    occ::retired.eq(false),
                )
            })
            .collect();
        for chunk in rows.chunks(SEED_CHUNK) {
            let insert = diesel::insert_into(occ::table).values(chunk);
            added.0 += match conn {
                DbConnection::Pg(c) => insert.execute(c)?,
                DbConnection::Sqlite(c) => insert.execute(c)?,
            };
        }
    }
    Ok(added)
}

/// What occupation search matches: the folded title, with the code.
fn occupation_search_text(code: &str, title: &str) -> String {
    format!("{} {}", code, fold(title))
}

/// The version of the occupational classification: it changes with every
/// import, in the same transaction.
pub fn occupations_version(conn: &mut DbConnection) -> Result<i64, StoreError> {
    version_of(conn, "occupations")
}

/// The version of reference data `name` (`occupations`, `campaigns`); 0
/// before the migration that counts it.
pub fn version_of(conn: &mut DbConnection, name: &str) -> Result<i64, StoreError> {
    use crate::schema::reference_versions as rv;
    Ok(rv::table.filter(rv::name.eq(name)).select(rv::version).first(conn).optional()?.unwrap_or(0))
}

fn bump_occupations_version(conn: &mut DbConnection) -> Result<(), StoreError> {
    use crate::schema::reference_versions as rv;
    diesel::update(rv::table.filter(rv::name.eq("occupations"))).set(rv::version.eq(rv::version + 1)).execute(conn)?;
    Ok(())
}

/// Every current occupation (code, title), with the classification's version.
pub fn current_occupations(conn: &mut DbConnection) -> Result<(i64, Vec<(String, String)>), StoreError> {
    let version = occupations_version(conn)?;
    let rows = occ::table.filter(occ::retired.eq(false)).select((occ::code, occ::title)).load(conn)?;
    Ok((version, rows))
}

/// Every economic activity, sections each followed by their divisions.
pub fn list_activities(conn: &mut DbConnection, page: Page) -> Result<(Vec<ActivityRow>, i64), StoreError> {
    crate::page_of!(conn, ea::table, ea::position.asc(), ActivityRow, page)
}

/// Looks up what a validation of these occupation codes and this economic
/// activity needs (see [`KnownEntries`]).
pub fn load_known<'a>(
    conn: &mut DbConnection,
    codes: impl IntoIterator<Item = &'a str>,
    activity: Option<&str>,
) -> Result<KnownEntries, StoreError> {
    let codes = KnownEntries::codes_to_look_up(codes);
    let mut known = KnownEntries::default();
    if !codes.is_empty() {
        let rows: Vec<(String, String)> = occ::table
            .filter(occ::code.eq_any(&codes))
            .filter(occ::retired.eq(false))
            .select((occ::code, occ::title))
            .load(conn)?;
        for (c, t) in rows {
            known.occupations.entry(c).or_default().push(t);
        }
    }
    // Economic activities change only with the product (no import), so the
    // built-in table answers without a round trip; the foreign key still
    // guards the database.
    known.note_activity(activity);
    Ok(known)
}

/// What an import changed (SPEC §6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Entries new to the classification (or brought back from retirement).
    pub added: usize,
    /// Entries that were already current.
    pub kept: usize,
    /// Entries no longer current (replace mode). They are retired, never
    /// deleted, so forecasts that name them keep their exact code and title.
    pub retired: usize,
}

/// Applies a validated import in the caller's transaction: all of it or,
/// when the transaction fails, none of it.
pub fn import_occupations(
    conn: &mut DbConnection,
    entries: &[ImportEntry],
    mode: ImportMode,
) -> Result<ImportReport, StoreError> {
    let existing: Vec<(String, String, bool)> = occ::table.select((occ::code, occ::title, occ::retired)).load(conn)?;
    let mut state: HashMap<(String, String), bool> = existing.into_iter().map(|(c, t, r)| ((c, t), r)).collect();
    let mut report = ImportReport::default();
    let mut in_file: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    for e in entries {
        let key = (e.code.to_string(), e.title.clone());
        in_file.insert(key.clone());
        match state.get(&key) {
            Some(false) => report.kept += 1,
            Some(true) => {
                diesel::update(occ::table.filter(occ::code.eq(&key.0)).filter(occ::title.eq(&key.1)))
                    .set(occ::retired.eq(false))
                    .execute(conn)?;
                report.added += 1;
            }
            None => {
                diesel::insert_into(occ::table)
                    .values((
                        occ::code.eq(&key.0),
                        occ::title.eq(&key.1),
                        occ::search_text.eq(occupation_search_text(&key.0, &key.1)),
                        occ::retired.eq(false),
                    ))
                    .execute(conn)?;
                report.added += 1;
            }
        }
        state.insert(key, false);
    }
    bump_occupations_version(conn)?;
    if mode == ImportMode::Replace {
        for ((code, title), retired) in &state {
            if !retired && !in_file.contains(&(code.clone(), title.clone())) {
                diesel::update(occ::table.filter(occ::code.eq(code)).filter(occ::title.eq(title)))
                    .set(occ::retired.eq(true))
                    .execute(conn)?;
                report.retired += 1;
            }
        }
    }
    Ok(report)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ex)]
pub struct ExemptionRow {
    pub code: String,
    pub title_az: String,
    pub title_en: String,
    pub title_ru: String,
    pub retired: bool,
}

/// The exemption categories in their order; retired ones only when asked.
pub fn list_exemptions(
    conn: &mut DbConnection,
    include_retired: bool,
    page: Page,
) -> Result<(Vec<ExemptionRow>, i64), StoreError> {
    let build = || {
        let mut q = ex::table.into_boxed();
        if !include_retired {
            q = q.filter(ex::retired.eq(false));
        }
        q
    };
    crate::page_of!(conn, build(), (ex::position.asc(), ex::code.asc()), ExemptionRow, page)
}

/// Creates or changes an exemption category (and brings a retired one back).
pub fn put_exemption(
    conn: &mut DbConnection,
    code: &str,
    az: &str,
    en: &str,
    ru: &str,
) -> Result<ExemptionRow, StoreError> {
    let n = diesel::update(ex::table.filter(ex::code.eq(code)))
        .set((ex::title_az.eq(az), ex::title_en.eq(en), ex::title_ru.eq(ru), ex::retired.eq(false)))
        .execute(conn)?;
    if n == 0 {
        let next: Option<i32> = ex::table.select(diesel::dsl::max(ex::position)).first(conn)?;
        diesel::insert_into(ex::table)
            .values((
                ex::code.eq(code),
                ex::title_az.eq(az),
                ex::title_en.eq(en),
                ex::title_ru.eq(ru),
                ex::retired.eq(false),
                ex::position.eq(next.unwrap_or(0) + 1),
            ))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    Ok(ex::table.filter(ex::code.eq(code)).select(ExemptionRow::as_select()).first(conn)?)
}

/// Retires an exemption category: kept for the permits that name it.
pub fn retire_exemption(conn: &mut DbConnection, code: &str) -> Result<(), StoreError> {
    let n = diesel::update(ex::table.filter(ex::code.eq(code))).set(ex::retired.eq(true)).execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
