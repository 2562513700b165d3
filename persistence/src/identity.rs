//! Contact e-mails, the outbox of messages, and API clients (SPEC §3).

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{api_clients as ac, employer_contacts as ec, forecasts as f, outbox as ob};
use crate::Page;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::contact::{judge, Attempt, PendingCode, CODE_ATTEMPTS, CODE_LIFETIME};
use domain::messages::mail::Message;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ec)]
pub struct ContactRow {
    pub tin: String,
    pub email: Option<String>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub pending_email: Option<String>,
    pub code_hash: Option<String>,
    pub code_expires_at: Option<NaiveDateTime>,
    pub attempts_left: i32,
}

/// The contact of `tin`, if any was ever set.
pub fn contact(conn: &mut DbConnection, tin: &str) -> Result<Option<ContactRow>, StoreError> {
    Ok(ec::table.filter(ec::tin.eq(tin)).select(ContactRow::as_select()).first(conn).optional()?)
}

/// The confirmed address of `tin`, if there is one.
pub fn confirmed_email(conn: &mut DbConnection, tin: &str) -> Result<Option<String>, StoreError> {
    Ok(contact(conn, tin)?.and_then(|c| c.confirmed_at.and(c.email)))
}

/// Sets the address to confirm for `tin` with the hash of a new code, and
/// queues the code to that address, in the caller's transaction. A
/// previously confirmed address stays in force until the new one is confirmed.
pub fn set_pending(
    conn: &mut DbConnection,
    tin: &str,
    email: &str,
    code_hash: &str,
    message: &Message,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let at = now.naive_utc();
    let expires = (now + CODE_LIFETIME).naive_utc();
    let values = (
        ec::pending_email.eq(Some(email)),
        ec::code_hash.eq(Some(code_hash)),
        ec::code_expires_at.eq(Some(expires)),
        ec::attempts_left.eq(CODE_ATTEMPTS),
        ec::updated_at.eq(at),
    );
    let n = diesel::update(ec::table.filter(ec::tin.eq(tin))).set(values).execute(conn)?;
    if n == 0 {
        diesel::insert_into(ec::table)
            .values((ec::tin.eq(tin), values))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    enqueue(conn, None, "email_confirmation", email, message, at)?;
    Ok(())
}

/// Tries a confirmation code (compared by hash); a wrong one uses up an
/// attempt, committed with the answer.
pub fn attempt(
    conn: &mut DbConnection,
    tin: &str,
    typed_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Attempt>, StoreError> {
    let Some(c) = contact(conn, tin)? else {
        return Ok(None);
    };
    let (Some(hash), Some(expires), Some(pending)) =
        (c.code_hash.as_deref(), c.code_expires_at, c.pending_email.clone())
    else {
        return Ok(None);
    };
    let p = PendingCode { expires_at: expires.and_utc(), attempts_left: c.attempts_left };
    let outcome = judge(&p, now, hash == typed_hash);
    let at = now.naive_utc();
    match outcome {
        Attempt::Confirmed => {
            diesel::update(ec::table.filter(ec::tin.eq(tin)))
                .set((
                    ec::email.eq(Some(pending)),
                    ec::confirmed_at.eq(Some(at)),
                    ec::pending_email.eq(None::<String>),
                    ec::code_hash.eq(None::<String>),
                    ec::code_expires_at.eq(None::<NaiveDateTime>),
                    ec::attempts_left.eq(0),
                    ec::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        Attempt::Wrong { attempts_left } => {
            diesel::update(ec::table.filter(ec::tin.eq(tin)))
                .set((ec::attempts_left.eq(attempts_left), ec::updated_at.eq(at)))
                .execute(conn)?;
        }
        Attempt::Expired | Attempt::Exhausted => {}
    }
    Ok(Some(outcome))
}

/// Records `email` as confirmed for `tin` directly: for seeding test and
/// migration data, never reachable through the API.
#[cfg(feature = "test-hooks")]
pub fn set_confirmed(conn: &mut DbConnection, tin: &str, email: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    let n = diesel::update(ec::table.filter(ec::tin.eq(tin)))
        .set((ec::email.eq(Some(email)), ec::confirmed_at.eq(Some(now)), ec::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(ec::table)
            .values((
                ec::tin.eq(tin),
                ec::email.eq(Some(email)),
                ec::confirmed_at.eq(Some(now)),
                ec::attempts_left.eq(0),
                ec::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ob)]
pub struct OutboxRow {
    pub id: String,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

/// Queues a message in the caller's transaction. With a `dedupe` key a
/// message already queued under it is not queued again (returns false).
pub fn enqueue(
    conn: &mut DbConnection,
    dedupe: Option<&str>,
    kind: &str,
    to: &str,
    m: &Message,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    if let Some(k) = dedupe {
        let have: i64 = ob::table.filter(ob::dedupe_key.eq(k)).count().get_result(conn)?;
        if have > 0 {
            return Ok(false);
        }
    }
    diesel::insert_into(ob::table)
        .values((
            ob::id.eq(crate::new_id()),
            ob::dedupe_key.eq(dedupe),
            ob::kind.eq(kind),
            ob::to_address.eq(to),
            ob::subject.eq(&m.subject),
            ob::body.eq(&m.body),
            ob::created_at.eq(now),
            ob::attempts.eq(0),
            ob::next_attempt_at.eq(now),
        ))
        .execute(conn)
        .map_err(crate::error::lost_a_race)?;
    Ok(true)
}

/// Claims up to `limit` messages due at `now` for delivery: each is leased
/// for `lease` (a worker that dies mid-delivery leaves it to be retried
/// after the lease), and its attempt is counted.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<OutboxRow>, StoreError> {
    let due: Vec<(String, NaiveDateTime)> = ob::table
        .filter(ob::sent_at.is_null())
        .filter(ob::next_attempt_at.le(now))
        .order(ob::created_at.asc())
        .limit(limit)
        .select((ob::id, ob::next_attempt_at))
        .load(conn)?;
    let mut claimed = Vec::new();
    for (id, was) in due {
        let n = diesel::update(
            ob::table.filter(ob::id.eq(&id)).filter(ob::next_attempt_at.eq(was)).filter(ob::sent_at.is_null()),
        )
        .set((ob::next_attempt_at.eq(now + lease), ob::attempts.eq(ob::attempts + 1)))
        .execute(conn)?;
        if n == 1 {
            claimed.push(ob::table.filter(ob::id.eq(&id)).select(OutboxRow::as_select()).first(conn)?);
        }
    }
    Ok(claimed)
}

/// Marks a message delivered.
pub fn mark_sent(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(ob::table.filter(ob::id.eq(id)))
        .set((ob::sent_at.eq(Some(now)), ob::last_error.eq(None::<String>)))
        .execute(conn)?;
    Ok(())
}

/// Records a failed delivery and when to try again.
pub fn mark_failed(conn: &mut DbConnection, id: &str, error: &str, retry_at: NaiveDateTime) -> Result<(), StoreError> {
    let error: String = error.chars().take(1000).collect();
    diesel::update(ob::table.filter(ob::id.eq(id)).filter(ob::sent_at.is_null()))
        .set((ob::next_attempt_at.eq(retry_at), ob::last_error.eq(Some(error))))
        .execute(conn)?;
    Ok(())
}

/// The outbox's depth (messages not sent yet) and when the oldest of them
/// was queued: what shows a broken mail relay (SPEC §16.6).
pub fn outbox_backlog(conn: &mut DbConnection) -> Result<(i64, Option<NaiveDateTime>), StoreError> {
    let unsent = ob::table.filter(ob::sent_at.is_null());
    let depth: i64 = unsent.count().get_result(conn)?;
    let oldest: Option<NaiveDateTime> = unsent.select(diesel::dsl::min(ob::created_at)).first(conn)?;
    Ok((depth, oldest))
}

/// Messages queued for `to`, oldest first (for operators and tests).
pub fn outbox_for(conn: &mut DbConnection, to: &str) -> Result<Vec<OutboxRow>, StoreError> {
    Ok(ob::table.filter(ob::to_address.eq(to)).order(ob::created_at.asc()).select(OutboxRow::as_select()).load(conn)?)
}

/// Drafts and returned forecasts of `year` whose employer has a confirmed
/// address: (forecast id, number, address).
/// The target years that have drafts, in order.
pub fn draft_years(conn: &mut DbConnection) -> Result<Vec<i32>, StoreError> {
    Ok(f::table
        .filter(f::status.eq("draft"))
        .select(f::target_year)
        .distinct()
        .order(f::target_year.asc())
        .load(conn)?)
}

/// The drafts for `year` whose employer has a confirmed address: id,
/// number and the address.
pub fn drafts_with_email(conn: &mut DbConnection, year: i32) -> Result<Vec<(String, i64, String)>, StoreError> {
    let rows: Vec<(String, i64, Option<String>)> = f::table
        .inner_join(ec::table.on(ec::tin.eq(f::tin)))
        .filter(f::target_year.eq(year))
        .filter(f::status.eq("draft"))
        .filter(ec::confirmed_at.is_not_null())
        .select((f::id, f::number, ec::email))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, n, e)| e.map(|e| (id, n, e))).collect())
}

/// A returned forecast to remind of its correction day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionDue {
    pub id: String,
    pub number: i64,
    pub target_year: i32,
    pub correction_due: chrono::NaiveDate,
    pub email: String,
}

/// The returned forecasts whose `correction_due` is one of `days` and whose
/// employer has a confirmed address.
pub fn returned_due_with_email(
    conn: &mut DbConnection,
    days: &[chrono::NaiveDate],
) -> Result<Vec<CorrectionDue>, StoreError> {
    type Row = (String, i64, i32, Option<chrono::NaiveDate>, Option<String>);
    let rows: Vec<Row> = f::table
        .inner_join(ec::table.on(ec::tin.eq(f::tin)))
        .filter(f::status.eq("returned"))
        .filter(f::correction_due.eq_any(days.to_vec()))
        .filter(ec::confirmed_at.is_not_null())
        .select((f::id, f::number, f::target_year, f::correction_due, ec::email))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, number, target_year, due, email)| {
            Some(CorrectionDue { id, number, target_year, correction_due: due?, email: email? })
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ac)]
pub struct ClientRow {
    pub client_id: String,
    pub name: String,
    pub tin: String,
    pub secret_hash: String,
    pub created_at: NaiveDateTime,
    pub secret_rotated_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn create_client(
    conn: &mut DbConnection,
    id: &str,
    name: &str,
    tin: &str,
    secret_hash: &str,
    now: NaiveDateTime,
) -> Result<ClientRow, StoreError> {
    diesel::insert_into(ac::table)
        .values((
            ac::client_id.eq(id),
            ac::name.eq(name),
            ac::tin.eq(tin),
            ac::secret_hash.eq(secret_hash),
            ac::created_at.eq(now),
            ac::secret_rotated_at.eq(now),
        ))
        .execute(conn)?;
    client(conn, id)?.ok_or(StoreError::NotFound)
}

pub fn client(conn: &mut DbConnection, id: &str) -> Result<Option<ClientRow>, StoreError> {
    Ok(ac::table.filter(ac::client_id.eq(id)).select(ClientRow::as_select()).first(conn).optional()?)
}

pub fn list_clients(conn: &mut DbConnection, page: Page) -> Result<(Vec<ClientRow>, i64), StoreError> {
    crate::page_of!(conn, ac::table, ac::created_at.asc(), ClientRow, page)
}

/// Replaces the secret of a client that is not revoked.
pub fn rotate_secret(
    conn: &mut DbConnection,
    id: &str,
    secret_hash: &str,
    now: NaiveDateTime,
) -> Result<ClientRow, StoreError> {
    let n = diesel::update(ac::table.filter(ac::client_id.eq(id)).filter(ac::revoked_at.is_null()))
        .set((ac::secret_hash.eq(secret_hash), ac::secret_rotated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    client(conn, id)?.ok_or(StoreError::NotFound)
}

/// Revokes a client: no new tokens; tokens issued stop with their lifetime.
pub fn revoke_client(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    let n = diesel::update(ac::table.filter(ac::client_id.eq(id))).set(ac::revoked_at.eq(Some(now))).execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
