//! Raw SQL on whichever backend a connection is: the few statements diesel's
//! query builder cannot write portably (GROUP BY with CASE, INSERT … SELECT),
//! and the builder's statements that exist per backend only.

/// `?` placeholders as PostgreSQL writes them (`$1`, `$2`, …).
pub(crate) fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs a raw query on whichever backend `conn` is, with the same binds.
macro_rules! raw_load {
    ($conn:expr, $sql:expr, $row:ty, [$(($ty:ty, $val:expr)),* $(,)?]) => {{
        let sql: &str = $sql;
        match $conn {
            $crate::DbConnection::Pg(c) => diesel::RunQueryDsl::load::<$row>(
                diesel::sql_query($crate::raw::pg_placeholders(sql))$(.bind::<$ty, _>($val))*,
                c,
            ),
            $crate::DbConnection::Sqlite(c) => {
                diesel::RunQueryDsl::load::<$row>(diesel::sql_query(sql)$(.bind::<$ty, _>($val))*, c)
            }
        }
    }};
}

/// Runs a raw statement on whichever backend `conn` is, with the same
/// binds; the number of rows it changed.
macro_rules! raw_execute {
    ($conn:expr, $sql:expr, [$(($ty:ty, $val:expr)),* $(,)?]) => {{
        let sql: &str = $sql;
        match $conn {
            $crate::DbConnection::Pg(c) => diesel::RunQueryDsl::execute(
                diesel::sql_query($crate::raw::pg_placeholders(sql))$(.bind::<$ty, _>($val))*,
                c,
            ),
            $crate::DbConnection::Sqlite(c) => {
                diesel::RunQueryDsl::execute(diesel::sql_query(sql)$(.bind::<$ty, _>($val))*, c)
            }
        }
    }};
}

/// Runs a query-builder statement that diesel writes per backend only
/// (multi-row inserts, upserts): the same code on each concrete connection.
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::DbConnection::Pg($c) => $body,
            $crate::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// Marks a hand-written PostgreSQL statement whose text never varies, so
/// diesel keeps it prepared per connection (its query builder re-plans
/// every multi-row insert, upsert and `UPDATE`).
macro_rules! fixed_pg_statement {
    ($ty:ident, $marker:ident) => {
        /// The statement's identity in diesel's statement cache.
        pub(crate) struct $marker;

        impl diesel::query_builder::QueryId for $ty<'_> {
            type QueryId = $marker;
            const HAS_STATIC_QUERY_ID: bool = true;
        }

        impl diesel::RunQueryDsl<diesel::PgConnection> for $ty<'_> {}
    };
}

pub(crate) use {fixed_pg_statement, per_backend, raw_execute, raw_load};
