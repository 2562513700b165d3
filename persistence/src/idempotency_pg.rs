//! The idempotency key's two statements on PostgreSQL as fixed SQL texts,
//! which diesel keeps prepared per connection; its builder re-plans every
//! upsert and `UPDATE` (SPEC §11: they run on every keyed write).

use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::sql_types::{Integer, Nullable, Text, Timestamp};
use diesel::QueryResult;

/// Claims `key` for `caller`: inserted, or an expired one (created before
/// `expired_before`) taken over; a live one is left as it is (0 rows).
pub(crate) struct Claim<'a> {
    pub caller: &'a str,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub now: NaiveDateTime,
    pub expired_before: NaiveDateTime,
}

/// Stores the answer of the request that claimed `key`.
pub(crate) struct Answer<'a> {
    pub caller: &'a str,
    pub key: &'a str,
    pub status: i32,
    pub body: &'a str,
    pub location: Option<&'a str>,
    pub etag: Option<&'a str>,
}

crate::raw::fixed_pg_statement!(Claim, ClaimQuery);
crate::raw::fixed_pg_statement!(Answer, AnswerQuery);

impl QueryFragment<Pg> for Claim<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "INSERT INTO idempotency_keys (caller, idem_key, request_hash, status_code, response_body, location, \
             etag, created_at) VALUES (",
        );
        out.push_bind_param::<Text, _>(self.caller)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(self.key)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(self.request_hash)?;
        out.push_sql(", 0, '', NULL, NULL, ");
        out.push_bind_param::<Timestamp, _>(&self.now)?;
        out.push_sql(
            ") ON CONFLICT (caller, idem_key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status_code = 0, \
             response_body = '', location = NULL, etag = NULL, created_at = EXCLUDED.created_at \
             WHERE idempotency_keys.created_at < ",
        );
        out.push_bind_param::<Timestamp, _>(&self.expired_before)
    }
}

impl QueryFragment<Pg> for Answer<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("UPDATE idempotency_keys SET status_code = ");
        out.push_bind_param::<Integer, _>(&self.status)?;
        out.push_sql(", response_body = ");
        out.push_bind_param::<Text, _>(self.body)?;
        out.push_sql(", location = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.location)?;
        out.push_sql(", etag = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.etag)?;
        out.push_sql(" WHERE caller = ");
        out.push_bind_param::<Text, _>(self.caller)?;
        out.push_sql(" AND idem_key = ");
        out.push_bind_param::<Text, _>(self.key)
    }
}
