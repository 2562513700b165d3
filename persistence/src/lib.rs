//! Persistence: the diesel schema, rows, queries and transactions on SQLite
//! and PostgreSQL (SPEC §8). SQL lives here and nowhere else.

pub mod campaigns;
pub mod codes;
pub mod commission_inputs;
pub mod db;
pub mod error;
pub mod forecasts;
pub mod holidays;
pub mod hqm;
pub mod idempotency;
mod idempotency_pg;
pub mod identity;
pub mod quota;
pub(crate) mod raw;
pub mod reference;
pub mod schema;
pub mod snapshots;
pub mod summaries;
pub mod webhooks;

pub use db::{Db, DbConnection, DbSettings, Target};
pub use error::{stored, StoreError, TxError};

/// The page of a list: `page` from 1, `per_page` from 1 to 100 (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: u32,
    pub per_page: u32,
}

impl Page {
    pub const DEFAULT_PER_PAGE: u32 = 10;
    pub const MAX_PER_PAGE: u32 = 100;

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(self.per_page)
    }
}

/// One page of a list query in `$order`, with the count of all its rows
/// (SPEC §7): `$query` is written once and built twice, so the count and
/// the page always filter alike.
macro_rules! page_of {
    ($conn:expr, $query:expr, $order:expr, $row:ty, $page:expr) => {{
        let page: $crate::Page = $page;
        let total: i64 = $query.count().get_result($conn)?;
        let rows = $query
            .order($order)
            .limit(page.limit())
            .offset(page.offset())
            .select(<$row>::as_select())
            .load::<$row>($conn)?;
        Ok((rows, total))
    }};
}
pub(crate) use page_of;

/// Ids are opaque strings: UUIDv7, so they sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
