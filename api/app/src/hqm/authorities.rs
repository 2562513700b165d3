//! The scoring authorities are told (SPEC §16.4.2): their contacts, kept by
//! `admin`; an e-mail when an application enters their queue; a reminder 5
//! business days before the review deadline while any of their criteria is
//! unscored.

use super::*;
use domain::hqm::authorities::{self as au, Titles};
use persistence::hqm::AuthorityRow;

/// Admin sets the contact of authority `code` (SPEC §16.4.2): an unknown
/// code is not found; the address and the four titles are checked.
pub fn put_authority(
    conn: &mut DbConnection,
    caller: &Caller,
    code: &str,
    email: &str,
    titles: &Titles,
    now: DateTime<Utc>,
) -> Result<AuthorityRow, AppError> {
    caller.may(Permission::ManageReferenceData)?;
    let authority = Authority::parse(code).ok_or(AppError::NotFound)?;
    let (email, titles) = au::check_contact(email, titles)?;
    store::put_authority(conn, authority, &email, &titles, &caller.sub, now.naive_utc())?;
    store::authorities(conn)?.into_iter().find(|a| a.code == authority).ok_or(AppError::NotFound)
}

/// The contacts set so far, for staff (SPEC §16.4.2).
pub fn authorities(conn: &mut DbConnection, caller: &Caller) -> Result<Vec<AuthorityRow>, AppError> {
    if !(Permission::ReadAllHqmApplications.granted_to(&caller.roles)
        || Permission::ManageReferenceData.granted_to(&caller.roles))
    {
        return Err(AppError::Forbidden { needs: Permission::ReadAllHqmApplications.roles().to_vec() });
    }
    Ok(store::authorities(conn)?)
}

/// Tells every authority with a contact that `row`, just submitted with
/// review deadline `deadline`, is in its queue (SPEC §16.4.2), in the
/// submission's transaction.
pub(super) fn tell_queue(
    conn: &mut DbConnection,
    row: &ApplicationRow,
    deadline: NaiveDate,
    at: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    let field = format!("{} {}", row.occupation_code, row.occupation_title);
    for contact in store::authorities(conn)? {
        let m = domain::messages::mail::hqm_authority_queued(row.number, &field, &contact.code.criteria(), deadline);
        let key = format!("hqm-queue:{}:{}", row.id, contact.code.as_str());
        persistence::identity::enqueue(conn, Some(&key), "hqm_authority_queued", &contact.email, &m, at)?;
    }
    Ok(())
}

/// Queues the reminders due at `now` (SPEC §16.4.2): for each application
/// under review within 5 business days of its deadline, each authority with
/// a contact and criteria still unscored is reminded once per deadline (an
/// extension brings a new reminder). Returns how many were queued.
pub fn queue_authority_reminders(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> Result<usize, persistence::StoreError> {
    let contacts = store::authorities(conn)?;
    if contacts.is_empty() {
        return Ok(0);
    }
    let rows = store::under_review(conn)?;
    if rows.is_empty() {
        return Ok(0);
    }
    let today = baku_date(now);
    let cal = persistence::holidays::calendar(conn, today.year() - 1, today.year() + 2)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let scored = store::scored_criteria(conn, &ids)?;
    let at = now.naive_utc();
    let mut queued = 0;
    for row in &rows {
        let Some(deadline) = row.review_deadline else { continue };
        if !au::reminder_due(deadline, today, &cal) {
            continue;
        }
        for contact in &contacts {
            let unscored: Vec<Criterion> = contact
                .code
                .criteria()
                .into_iter()
                .filter(|c| !scored.iter().any(|(id, s)| *id == row.id && s == c))
                .collect();
            if unscored.is_empty() {
                continue;
            }
            let m = domain::messages::mail::hqm_authority_reminder(row.number, &unscored, deadline);
            let key = format!("hqm-remind:{}:{}:{deadline}", row.id, contact.code.as_str());
            if persistence::identity::enqueue(conn, Some(&key), "hqm_authority_reminder", &contact.email, &m, at)? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// Admin sets the sectoral body `code` (SPEC §16.4.5): its titles, the
/// ISCO-08 sub-major groups of its field (none claimed by another body),
/// and whether it is the default body for fields no body claims (one body at
/// most: marking one unmarks the other).
pub fn put_sector(
    conn: &mut DbConnection,
    caller: &Caller,
    code: &str,
    titles: &Titles,
    groups: &[&str],
    default: bool,
    now: DateTime<Utc>,
) -> Result<persistence::hqm::SectorRow, AppError> {
    caller.may(Permission::ManageReferenceData)?;
    if !domain::hqm::sectors::is_code(code) {
        return Err(AppError::NotFound);
    }
    let others: Vec<domain::hqm::sectors::Sector> = store::sectors(conn)?.iter().map(|s| s.sector()).collect();
    let (titles, groups) = domain::hqm::sectors::check_sector(code, titles, groups, &others)?;
    store::put_sector(conn, code, &titles, &groups, default, &caller.sub, now.naive_utc())?;
    store::sectors(conn)?.into_iter().find(|s| s.code == code).ok_or(AppError::NotFound)
}

/// The sectoral bodies, for staff and assessors (SPEC §16.4.5).
pub fn sectors(conn: &mut DbConnection, caller: &Caller) -> Result<Vec<persistence::hqm::SectorRow>, AppError> {
    let may = [Permission::ReadAllHqmApplications, Permission::ManageReferenceData, Permission::AssessHqmApplications];
    if !may.iter().any(|p| p.granted_to(&caller.roles)) {
        return Err(AppError::Forbidden { needs: Permission::ReadAllHqmApplications.roles().to_vec() });
    }
    Ok(store::sectors(conn)?)
}

/// The bodies as the rules read them.
pub(super) fn sector_rules(conn: &mut DbConnection) -> Result<Vec<domain::hqm::sectors::Sector>, AppError> {
    Ok(store::sectors(conn)?.iter().map(|s| s.sector()).collect())
}
