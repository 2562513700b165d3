//! The scoring authorities' contacts (SPEC §16.4.2).

use super::*;
use crate::schema::hqm_authorities as au;

/// An authority's contact as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = au)]
pub struct AuthorityRow {
    pub code: Authority,
    pub email: String,
    pub title_az: String,
    pub title_en: String,
    pub title_ru: String,
    pub title_tr: String,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
}

/// Sets the contact of `code`, replacing any earlier one.
pub fn put_authority(
    conn: &mut DbConnection,
    code: Authority,
    email: &str,
    titles: &domain::hqm::authorities::Titles,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let values = (
        au::email.eq(email),
        au::title_az.eq(&titles.az),
        au::title_en.eq(&titles.en),
        au::title_ru.eq(&titles.ru),
        au::title_tr.eq(&titles.tr),
        au::updated_at.eq(now),
        au::updated_by.eq(by),
    );
    let n = diesel::update(au::table.filter(au::code.eq(code.as_str()))).set(values).execute(conn)?;
    if n == 0 {
        diesel::insert_into(au::table)
            .values((au::code.eq(code.as_str()), values))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    Ok(())
}

/// Every authority's contact that `admin` has set, in the order of the codes.
pub fn authorities(conn: &mut DbConnection) -> Result<Vec<AuthorityRow>, StoreError> {
    let mut rows: Vec<AuthorityRow> = au::table.select(AuthorityRow::as_select()).load(conn)?;
    rows.sort_by_key(|r| r.code);
    Ok(rows)
}

/// The scores given on `ids` (application id, criterion), for the reminders.
pub fn scored_criteria(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<(String, Criterion)>, StoreError> {
    Ok(s::table.filter(s::application_id.eq_any(ids)).select((s::application_id, s::criterion)).load(conn)?)
}

use crate::schema::hqm_sectors as se;

/// A sectoral body as stored (SPEC §16.4.5).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = se)]
pub struct SectorRow {
    pub code: String,
    pub title_az: String,
    pub title_en: String,
    pub title_ru: String,
    pub title_tr: String,
    /// Comma-separated two-digit groups (none: empty).
    pub isco_groups: String,
    pub is_default: bool,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
}

impl SectorRow {
    /// The body as the rules read it.
    pub fn sector(&self) -> domain::hqm::sectors::Sector {
        domain::hqm::sectors::Sector {
            code: self.code.clone(),
            groups: self.isco_groups.split(',').filter(|g| !g.is_empty()).map(str::to_owned).collect(),
            default: self.is_default,
        }
    }
}

/// Sets the sectoral body `code`, replacing any earlier one; a body made the
/// default takes the mark from the one that had it.
pub fn put_sector(
    conn: &mut DbConnection,
    code: &str,
    titles: &domain::hqm::authorities::Titles,
    groups: &[String],
    default: bool,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if default {
        diesel::update(se::table.filter(se::code.ne(code)).filter(se::is_default.eq(true)))
            .set(se::is_default.eq(false))
            .execute(conn)?;
    }
    let joined = groups.join(",");
    let values = (
        se::title_az.eq(&titles.az),
        se::title_en.eq(&titles.en),
        se::title_ru.eq(&titles.ru),
        se::title_tr.eq(&titles.tr),
        se::isco_groups.eq(joined.as_str()),
        se::is_default.eq(default),
        se::updated_at.eq(now),
        se::updated_by.eq(by),
    );
    let n = diesel::update(se::table.filter(se::code.eq(code))).set(values).execute(conn)?;
    if n == 0 {
        diesel::insert_into(se::table)
            .values((se::code.eq(code), values))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    Ok(())
}

/// Every sectoral body, by code.
pub fn sectors(conn: &mut DbConnection) -> Result<Vec<SectorRow>, StoreError> {
    Ok(se::table.order(se::code.asc()).select(SectorRow::as_select()).load(conn)?)
}
