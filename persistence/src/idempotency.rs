//! `Idempotency-Key` (SPEC §7): the key and the first answer are stored in the
//! same transaction as the change, so a retry replays that answer and changes
//! nothing, and a key reused for another request is refused.

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::idempotency_keys as k;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Keys are kept at least this long (SPEC §7 asks 24 hours).
pub const RETENTION: Duration = Duration::hours(48);

/// The answer to replay: status, JSON body and the headers that matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub etag: Option<String>,
    /// True when this answer is a replay of an earlier request.
    pub replayed: bool,
}

/// Who sent the request, the key, and a hash of what was asked (method,
/// path and body), so that the same key with another request is detected.
#[derive(Debug, Clone)]
pub struct IdempotencyScope<'a> {
    pub caller: &'a str,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub now: NaiveDateTime,
}

/// request hash, status, body, location, etag
type StoredRow = (String, i32, String, Option<String>, Option<String>);

/// What a request under an idempotency key does next (zero2prod's
/// `NextAction`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The key is this request's now: do the work, then [`save`] its answer
    /// in the same transaction.
    Start,
    /// The key answered already: send this answer again, change nothing.
    Replay(StoredResponse),
}

/// Claims the key for this request, in the caller's write transaction and
/// before the change: a new key is inserted, an expired one of this caller
/// taken over, a live one left alone. A concurrent request with the same key
/// waits on the key's row, then finds it live and replays the answer it
/// holds. The same key with another request is refused.
pub fn begin(conn: &mut DbConnection, s: &IdempotencyScope<'_>) -> Result<Next, StoreError> {
    let expired_before = s.now - RETENTION;
    let claimed = match conn {
        DbConnection::Pg(c) => crate::idempotency_pg::Claim {
            caller: s.caller,
            key: s.key,
            request_hash: s.request_hash,
            now: s.now,
            expired_before,
        }
        .execute(c),
        DbConnection::Sqlite(c) => {
            let blank = (
                k::request_hash.eq(s.request_hash),
                k::status_code.eq(0),
                k::response_body.eq(""),
                k::location.eq(None::<&str>),
                k::etag.eq(None::<&str>),
                k::created_at.eq(s.now),
            );
            let upsert = diesel::insert_into(k::table)
                .values((k::caller.eq(s.caller), k::idem_key.eq(s.key), blank))
                .on_conflict((k::caller, k::idem_key))
                .do_update()
                .set(blank);
            // `ON CONFLICT … DO UPDATE … WHERE`: only an expired key is taken over.
            diesel::query_dsl::methods::FilterDsl::filter(upsert, k::created_at.lt(expired_before)).execute(c)
        }
    }?;
    if claimed > 0 {
        return Ok(Next::Start);
    }
    let (hash, status, body, location, etag): StoredRow = k::table
        .filter(k::caller.eq(s.caller))
        .filter(k::idem_key.eq(s.key))
        .select((k::request_hash, k::status_code, k::response_body, k::location, k::etag))
        .first(conn)?;
    if hash != s.request_hash {
        return Err(StoreError::IdempotencyMismatch);
    }
    let status = u16::try_from(status)
        .ok()
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| StoreError::Corrupt { column: "idempotency_keys.status_code", value: status.to_string() })?;
    Ok(Next::Replay(StoredResponse { status, body, location, etag, replayed: true }))
}

/// Stores the finished answer under the key [`begin`] claimed, in the same
/// transaction as the change.
pub fn save(conn: &mut DbConnection, s: &IdempotencyScope<'_>, resp: &StoredResponse) -> Result<(), StoreError> {
    let answer = crate::idempotency_pg::Answer {
        caller: s.caller,
        key: s.key,
        status: i32::from(resp.status),
        body: &resp.body,
        location: resp.location.as_deref(),
        etag: resp.etag.as_deref(),
    };
    match conn {
        DbConnection::Pg(c) => answer.execute(c),
        DbConnection::Sqlite(c) => {
            diesel::update(k::table.filter(k::caller.eq(s.caller)).filter(k::idem_key.eq(s.key)))
                .set((
                    k::status_code.eq(answer.status),
                    k::response_body.eq(answer.body),
                    k::location.eq(answer.location),
                    k::etag.eq(answer.etag),
                ))
                .execute(c)
        }
    }?;
    Ok(())
}

/// Deletes keys past their retention; returns how many.
pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, StoreError> {
    Ok(diesel::delete(k::table.filter(k::created_at.lt(now - RETENTION))).execute(conn)?)
}
