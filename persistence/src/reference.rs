//! Reference data: the occupational and economic-activity classifications.

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{economic_activities as ea, occupations as occ};
use crate::Page;
use diesel::prelude::*;
use domain::forecast::KnownEntries;
use domain::occupation::code_search_prefixes;
use domain::reference;
use domain::text::fold;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = occ)]
pub struct OccupationRow {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ea)]
pub struct ActivityRow {
    pub code: String,
    pub level: String,
    pub parent: Option<String>,
    pub title: String,
}

/// Fills empty classification tables from the built-in ones (SPEC §6), in
/// the caller's transaction. Tables that hold anything are left alone, so an
/// imported classification is never overwritten on start-up.
pub fn seed_builtin(conn: &mut DbConnection) -> Result<(usize, usize), StoreError> {
    let mut added = (0, 0);
    let have_acts: i64 = ea::table.count().get_result(conn)?;
    if have_acts == 0 {
        for (i, a) in reference::economic_activities().iter().enumerate() {
            diesel::insert_into(ea::table)
                .values((
                    ea::code.eq(a.code),
                    ea::level.eq(a.level.as_str()),
                    ea::parent.eq(a.parent),
                    ea::title.eq(a.title),
                    ea::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                ))
                .execute(conn)?;
            added.1 += 1;
        }
    }
    let have_occ: i64 = occ::table.count().get_result(conn)?;
    if have_occ == 0 {
        for o in reference::occupations() {
            diesel::insert_into(occ::table)
                .values((
                    occ::code.eq(o.code),
                    occ::title.eq(o.title),
                    occ::search_text.eq(occupation_search_text(o.code, o.title)),
                    occ::retired.eq(false),
                ))
                .execute(conn)?;
            added.0 += 1;
        }
    }
    Ok(added)
}

/// What occupation search matches: the folded title, with the code.
fn occupation_search_text(code: &str, title: &str) -> String {
    format!("{} {}", code, fold(title))
}

/// Searches current occupations by code prefix and/or words of the title
/// (each word must appear; insensitive to case and Azerbaijani marks).
pub fn search_occupations(
    conn: &mut DbConnection,
    code: Option<&str>,
    q: Option<&str>,
    page: Page,
) -> Result<(Vec<OccupationRow>, i64), StoreError> {
    let build = || {
        let mut query = occ::table.filter(occ::retired.eq(false)).into_boxed();
        if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) {
            let prefixes = code_search_prefixes(code);
            if prefixes.is_empty() {
                // Not digits: nothing can match; keep the query valid.
                query = query.filter(occ::code.eq("-"));
            } else {
                let first = occ::code.like(format!("{}%", prefixes[0]));
                query = match prefixes.get(1) {
                    Some(p) => query.filter(first.or(occ::code.like(format!("{p}%")))),
                    None => query.filter(first),
                };
            }
        }
        for w in q.map(domain::text::fold_words).unwrap_or_default() {
            query = query.filter(occ::search_text.like(format!("%{w}%")));
        }
        query
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = build()
        .order((occ::code.asc(), occ::title.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(OccupationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Every economic activity, sections each followed by their divisions.
pub fn list_activities(
    conn: &mut DbConnection,
    page: Page,
) -> Result<(Vec<ActivityRow>, i64), StoreError> {
    let total: i64 = ea::table.count().get_result(conn)?;
    let rows = ea::table
        .order(ea::position.asc())
        .limit(page.limit())
        .offset(page.offset())
        .select(ActivityRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Looks up what a validation of these occupation codes and this economic
/// activity needs (see [`KnownEntries`]).
pub fn load_known<'a>(
    conn: &mut DbConnection,
    codes: impl IntoIterator<Item = &'a str>,
    activity: Option<&str>,
) -> Result<KnownEntries, StoreError> {
    let codes: Vec<String> = codes
        .into_iter()
        .filter_map(domain::occupation::OccupationCode::parse)
        .map(|c| c.to_string())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
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
    if let Some(a) = activity.map(str::trim).filter(|a| !a.is_empty()) {
        let found: Option<String> = ea::table
            .filter(ea::code.eq(a))
            .select(ea::code)
            .first(conn)
            .optional()?;
        known.activities.extend(found);
    }
    Ok(known)
}
