//! Webhook endpoints and their deliveries: the outbox of events for
//! employers' ERP systems (SPEC §17). A delivery is written in the
//! transaction of the change it tells of; the worker claims due deliveries
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so replicas never claim the same
//! one), leases them, and records each attempt.

use crate::db::DbConnection;
use crate::error::{one_changed, StoreError};
use crate::schema::{webhook_deliveries as wd, webhook_endpoints as we};
use crate::{page_of, Page};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// A stored endpoint; `secret` and `previous_secret` are encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = we)]
pub struct EndpointRow {
    pub id: String,
    pub client_id: String,
    pub tin: String,
    pub url: String,
    /// The subscribed event types, separated by spaces.
    pub events: String,
    pub description: Option<String>,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<NaiveDateTime>,
    pub failing_since: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl EndpointRow {
    /// Whether the endpoint subscribed to `event` (a wire name).
    pub fn subscribes(&self, event: &str) -> bool {
        self.events.split(' ').any(|e| e == event)
    }
}

/// A new endpoint, its secret encrypted.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = we)]
pub struct NewEndpoint<'a> {
    pub id: &'a str,
    pub client_id: &'a str,
    pub tin: &'a str,
    pub url: &'a str,
    pub events: &'a str,
    pub description: Option<&'a str>,
    pub secret: &'a str,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a change of an endpoint sets; `None` keeps the field.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = we)]
pub struct EndpointChange {
    pub url: Option<String>,
    pub events: Option<String>,
    pub description: Option<Option<String>>,
    pub disabled_at: Option<Option<NaiveDateTime>>,
    pub failing_since: Option<Option<NaiveDateTime>>,
}

/// A delivery as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = wd)]
pub struct DeliveryRow {
    pub seq: i64,
    pub id: String,
    pub endpoint_id: String,
    pub event_type: String,
    pub subject: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub leased_until: Option<NaiveDateTime>,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A delivery to queue.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = wd)]
pub struct NewDelivery<'a> {
    pub id: &'a str,
    pub endpoint_id: &'a str,
    pub event_type: &'a str,
    pub subject: &'a str,
    pub payload: &'a str,
    pub status: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// Delivery statuses as stored.
pub const PENDING: &str = "pending";
pub const SUCCEEDED: &str = "succeeded";
pub const FAILED: &str = "failed";

pub fn insert_endpoint(conn: &mut DbConnection, e: &NewEndpoint<'_>) -> Result<EndpointRow, StoreError> {
    diesel::insert_into(we::table).values(e).execute(conn)?;
    Ok(we::table.find(e.id).select(EndpointRow::as_select()).first(conn)?)
}

/// Endpoints client `client_id` has.
pub fn count_for_client(conn: &mut DbConnection, client_id: &str) -> Result<i64, StoreError> {
    Ok(we::table.filter(we::client_id.eq(client_id)).count().get_result(conn)?)
}

/// Endpoint `id` if client `client_id` has it; another's is not found.
pub fn endpoint(conn: &mut DbConnection, id: &str, client_id: &str) -> Result<EndpointRow, StoreError> {
    we::table
        .filter(we::id.eq(id))
        .filter(we::client_id.eq(client_id))
        .select(EndpointRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Endpoint `id`, whoever's it is (the worker's view).
pub fn find_endpoint(conn: &mut DbConnection, id: &str) -> Result<Option<EndpointRow>, StoreError> {
    Ok(we::table.find(id).select(EndpointRow::as_select()).first(conn).optional()?)
}

/// A page of client `client_id`'s endpoints, oldest first.
pub fn list_endpoints(
    conn: &mut DbConnection,
    client_id: &str,
    page: Page,
) -> Result<(Vec<EndpointRow>, i64), StoreError> {
    page_of!(conn, we::table.filter(we::client_id.eq(client_id)), we::created_at.asc(), EndpointRow, page)
}

/// Applies `change` to endpoint `id` if it is still at `version`; the row
/// after. A version moved on by another writer is [`StoreError::Retry`].
pub fn update_endpoint(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    change: &EndpointChange,
    now: NaiveDateTime,
) -> Result<EndpointRow, StoreError> {
    let n = diesel::update(we::table.filter(we::id.eq(id)).filter(we::version.eq(version)))
        .set((change, we::version.eq(version + 1), we::updated_at.eq(now)))
        .execute(conn)?;
    one_changed(n)?;
    Ok(we::table.find(id).select(EndpointRow::as_select()).first(conn)?)
}

/// Replaces the signing secret; `previous` keeps signing until `until`.
pub fn rotate_secret(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    secret: &str,
    previous: &str,
    until: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<EndpointRow, StoreError> {
    let n = diesel::update(we::table.filter(we::id.eq(id)).filter(we::version.eq(version)))
        .set((
            we::secret.eq(secret),
            we::previous_secret.eq(Some(previous)),
            we::previous_secret_until.eq(Some(until)),
            we::version.eq(version + 1),
            we::updated_at.eq(now),
        ))
        .execute(conn)?;
    one_changed(n)?;
    Ok(we::table.find(id).select(EndpointRow::as_select()).first(conn)?)
}

/// Deletes endpoint `id` and its deliveries.
pub fn delete_endpoint(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::delete(wd::table.filter(wd::endpoint_id.eq(id))).execute(conn)?;
    one_changed(diesel::delete(we::table.filter(we::id.eq(id))).execute(conn)?)
}

/// The endpoints that may hear of an event: those of the clients of `tin`,
/// or with `None` (a public event) every client's. A disabled endpoint's
/// deliveries are queued too: they wait until it is enabled again.
pub fn listeners(conn: &mut DbConnection, tin: Option<&str>) -> Result<Vec<EndpointRow>, StoreError> {
    let q = we::table.select(EndpointRow::as_select()).order(we::created_at.asc());
    Ok(match tin {
        Some(t) => q.filter(we::tin.eq(t)).load(conn)?,
        None => q.load(conn)?,
    })
}

pub fn enqueue(conn: &mut DbConnection, d: &NewDelivery<'_>) -> Result<(), StoreError> {
    diesel::insert_into(wd::table).values(d).execute(conn)?;
    Ok(())
}

/// A page of endpoint `endpoint_id`'s deliveries, newest first.
pub fn deliveries(
    conn: &mut DbConnection,
    endpoint_id: &str,
    page: Page,
) -> Result<(Vec<DeliveryRow>, i64), StoreError> {
    page_of!(conn, wd::table.filter(wd::endpoint_id.eq(endpoint_id)), wd::seq.desc(), DeliveryRow, page)
}

/// Delivery `id` of endpoint `endpoint_id`.
pub fn delivery(conn: &mut DbConnection, endpoint_id: &str, id: &str) -> Result<DeliveryRow, StoreError> {
    wd::table
        .filter(wd::endpoint_id.eq(endpoint_id))
        .filter(wd::id.eq(id))
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Makes delivery `seq` due at `now` again, pending, with its lease
/// dropped: a manual retry. Its attempts stay counted.
pub fn make_due(conn: &mut DbConnection, seq: i64, now: NaiveDateTime) -> Result<DeliveryRow, StoreError> {
    diesel::update(wd::table.find(seq))
        .set((wd::status.eq(PENDING), wd::next_attempt_at.eq(now), wd::leased_until.eq(None::<NaiveDateTime>)))
        .execute(conn)?;
    Ok(wd::table.find(seq).select(DeliveryRow::as_select()).first(conn)?)
}

#[derive(QueryableByName)]
struct Seq {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq: i64,
}

/// Claims up to `limit` deliveries due at `now`, each leased until `now +
/// lease` so no other worker takes it meanwhile; a crash lets the lease run
/// out and the delivery goes again with the same `webhook-id`. A delivery
/// waits while an earlier one of the same endpoint and subject is pending
/// (order per forecast, SPEC §17), and a disabled endpoint's wait.
/// PostgreSQL skips rows another replica holds (`FOR UPDATE SKIP LOCKED`);
/// SQLite has one writer at a time.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<(DeliveryRow, EndpointRow)>, StoreError> {
    use diesel::sql_types::{BigInt, Timestamp};
    const DUE: &str = "SELECT d.seq AS seq FROM webhook_deliveries d \
        JOIN webhook_endpoints e ON e.id = d.endpoint_id \
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? \
        AND (d.leased_until IS NULL OR d.leased_until <= ?) AND e.disabled_at IS NULL \
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id \
            AND p.subject = d.subject AND p.seq < d.seq AND p.status = 'pending') \
        ORDER BY d.seq LIMIT ?";
    let sql = match conn {
        DbConnection::Pg(_) => format!("{DUE} FOR UPDATE OF d SKIP LOCKED"),
        DbConnection::Sqlite(_) => DUE.to_owned(),
    };
    let due: Vec<Seq> = crate::raw::raw_load!(conn, &sql, Seq, [(Timestamp, now), (Timestamp, now), (BigInt, limit)])?;
    let seqs: Vec<i64> = due.into_iter().map(|s| s.seq).collect();
    if seqs.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(wd::table.filter(wd::seq.eq_any(&seqs)))
        .set(wd::leased_until.eq(Some(now + lease)))
        .execute(conn)?;
    let rows: Vec<(DeliveryRow, EndpointRow)> = wd::table
        .inner_join(we::table)
        .filter(wd::seq.eq_any(&seqs))
        .order(wd::seq.asc())
        .select((DeliveryRow::as_select(), EndpointRow::as_select()))
        .load(conn)?;
    Ok(rows)
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    pub at: NaiveDateTime,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i32>,
    /// Why it failed (a short excerpt of the answer, or the network error).
    pub error: Option<&'a str>,
    /// Delivered (any 2xx).
    pub delivered: bool,
    /// When to try again after a failure; `None`: given up.
    pub retry_at: Option<NaiveDateTime>,
}

/// Records an attempt of delivery `seq` and its endpoint's health: a
/// success clears `failing_since`, a failure sets it if unset. The
/// endpoint's `failing_since` after it.
pub fn record_attempt(
    conn: &mut DbConnection,
    seq: i64,
    endpoint_id: &str,
    a: &Attempt<'_>,
) -> Result<Option<NaiveDateTime>, StoreError> {
    let status = match (a.delivered, a.retry_at) {
        (true, _) => SUCCEEDED,
        (false, Some(_)) => PENDING,
        (false, None) => FAILED,
    };
    diesel::update(wd::table.find(seq))
        .set((
            wd::status.eq(status),
            wd::attempts.eq(wd::attempts + 1),
            wd::next_attempt_at.eq(a.retry_at.unwrap_or(a.at)),
            wd::leased_until.eq(None::<NaiveDateTime>),
            wd::last_attempt_at.eq(Some(a.at)),
            wd::last_status.eq(a.status),
            wd::last_error.eq(a.error),
        ))
        .execute(conn)?;
    if a.delivered {
        diesel::update(we::table.find(endpoint_id)).set(we::failing_since.eq(None::<NaiveDateTime>)).execute(conn)?;
        return Ok(None);
    }
    diesel::update(we::table.find(endpoint_id).filter(we::failing_since.is_null()))
        .set(we::failing_since.eq(Some(a.at)))
        .execute(conn)?;
    Ok(we::table.find(endpoint_id).select(we::failing_since).first(conn)?)
}

/// Disables endpoint `id` at `now` (it failed too long); its deliveries
/// wait until it is enabled again.
pub fn disable(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<bool, StoreError> {
    let n = diesel::update(we::table.find(id).filter(we::disabled_at.is_null()))
        .set((we::disabled_at.eq(Some(now)), we::version.eq(we::version + 1), we::updated_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Deliveries not yet delivered nor given up, and the age of the oldest's
/// creation: readiness and metrics show a receiver that stopped answering.
pub fn backlog(conn: &mut DbConnection) -> Result<(i64, Option<NaiveDateTime>), StoreError> {
    let pending = wd::table.filter(wd::status.eq(PENDING));
    let depth: i64 = pending.count().get_result(conn)?;
    let oldest: Option<NaiveDateTime> = pending.select(diesel::dsl::min(wd::created_at)).first(conn)?;
    Ok((depth, oldest))
}
