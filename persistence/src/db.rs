//! Connections, the pool, migrations and transactions, for SQLite and
//! PostgreSQL behind one `MultiConnection` (SPEC §8).

use crate::error::{StoreError, TxError};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::path::PathBuf;
use std::time::Duration;

/// A connection to either backend; the backend is chosen at run time.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// The backend a `DATABASE_URL` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Postgres(String),
    /// A file path (the `sqlite://` scheme removed).
    Sqlite(PathBuf),
}

impl Target {
    /// Chooses the backend from the URL scheme, so a connection error is the
    /// real one rather than the last backend tried (the derive's `establish`
    /// tries each in turn).
    pub fn from_url(url: &str) -> Result<Target, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(url.to_owned()));
        }
        for prefix in ["sqlite://", "sqlite:"] {
            if let Some(path) = url.strip_prefix(prefix) {
                if path.is_empty() {
                    break;
                }
                return Ok(Target::Sqlite(PathBuf::from(path)));
            }
        }
        Err(StoreError::Config(format!(
            "DATABASE_URL must start with postgres:// or sqlite://, got {:?}",
            url.split(':').next().unwrap_or_default()
        )))
    }
}

/// Settings of every connection.
#[derive(Debug, Clone)]
pub struct DbSettings {
    pub target: Target,
    pub pool_size: u32,
    /// How long a request waits for a connection before the API answers 503.
    pub checkout_timeout: Duration,
    /// PostgreSQL `statement_timeout`; on SQLite the busy timeout.
    pub statement_timeout: Duration,
}

impl DbSettings {
    pub fn new(target: Target) -> Self {
        DbSettings {
            target,
            pool_size: 8,
            checkout_timeout: Duration::from_secs(2),
            statement_timeout: Duration::from_secs(10),
        }
    }
}

/// r2d2 manager that opens the backend named by the URL and applies the
/// session settings on every new connection.
#[derive(Debug, Clone)]
pub struct Manager {
    settings: DbSettings,
}

impl Manager {
    fn open(&self) -> Result<DbConnection, StoreError> {
        let ms = self.settings.statement_timeout.as_millis();
        match &self.settings.target {
            Target::Postgres(url) => {
                let mut c = PgConnection::establish(url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
                c.batch_execute(&format!(
                    "SET statement_timeout = {ms}; SET lock_timeout = {ms}; SET TIME ZONE 'UTC';"
                ))?;
                Ok(DbConnection::Pg(c))
            }
            Target::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display())))?;
                }
                let url = path.to_string_lossy();
                let mut c = SqliteConnection::establish(&url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
                // WAL lets readers run beside the writer; FULL makes every
                // acknowledged commit survive power loss; writers queue on
                // the busy timeout instead of failing.
                c.batch_execute(&format!(
                    "PRAGMA busy_timeout = {ms}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                ))?;
                Ok(DbConnection::Sqlite(c))
            }
        }
    }
}

/// A pooled connection and whether it failed in a way that means the link
/// is gone. Checking every connection out with a ping would cost a round
/// trip per request; instead a connection that failed is discarded when it
/// goes back, and the pool opens a fresh one.
pub struct PoolConn {
    conn: DbConnection,
    broken: bool,
}

impl PoolConn {
    /// Runs `f` on the connection, noting a failure of the link.
    fn run<T, E: TxError>(&mut self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E> {
        let r = f(&mut self.conn);
        if r.as_ref().is_err_and(TxError::breaks_connection) {
            self.broken = true;
        }
        r
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = PoolConn;
    type Error = StoreError;

    fn connect(&self) -> Result<PoolConn, StoreError> {
        Ok(PoolConn { conn: self.open()?, broken: false })
    }

    fn is_valid(&self, conn: &mut PoolConn) -> Result<(), StoreError> {
        conn.conn.batch_execute("SELECT 1").map_err(StoreError::from)
    }

    fn has_broken(&self, conn: &mut PoolConn) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.broken || conn.conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// The database: a pool and what it needs to run transactions right.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    settings: DbSettings,
    /// SQLite's writers, in the order they came (see [`WriterQueue`]).
    writers: std::sync::Arc<WriterQueue>,
    /// SQLite's open group commit (see [`Batches`]).
    batches: std::sync::Arc<Batches>,
}

/// SQLite lets one writer at a time hold its lock; the others wait in its
/// busy handler, which sleeps and polls (1, 2, 5 … 100 ms) and serves
/// whoever polls first, so under eight writers a filing could wait half a
/// second while the lock was free most of that time (issue 25: p99 539 ms
/// against 20 ms for the same insert alone). The server's own writers
/// therefore queue here first, in arrival order, and take the lock the
/// moment the previous one commits; only another process on the same file
/// still meets the busy handler. A ticket lock: each writer draws a number
/// and waits until it is served.
#[derive(Debug, Default)]
pub struct WriterQueue {
    /// (next ticket to draw, ticket being served)
    tickets: std::sync::Mutex<(u64, u64)>,
    turn: std::sync::Condvar,
}

/// A writer's turn: the next writer's comes when it is dropped.
pub struct WriterTurn<'a>(&'a WriterQueue);

impl WriterQueue {
    /// Waits for this writer's turn.
    fn enter(&self) -> WriterTurn<'_> {
        let mut t = self.tickets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mine = t.0;
        t.0 += 1;
        while t.1 != mine {
            t = self.turn.wait(t).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        WriterTurn(self)
    }
}

impl WriterTurn<'_> {
    /// Whether another writer has drawn a ticket after this one's: it will
    /// take the next turn.
    fn others_waiting(&self) -> bool {
        let t = self.0.tickets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        t.0 > t.1 + 1
    }
}

impl Drop for WriterTurn<'_> {
    fn drop(&mut self) {
        let mut t = self.0.tickets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        t.1 += 1;
        self.0.turn.notify_all();
    }
}

/// Group commit on SQLite (issue 25). Each commit waits for the disk
/// (`synchronous = FULL`), so writers committing one at a time waited for
/// each other's fsync: at eight writers a filing's p99 was 27 times a bare
/// insert's. Now a writer whose turn ends while others wait behind it leaves
/// its transaction open for them: each writer runs its own work in its own
/// savepoint (a refusal rolls back only its own), the last writer of the
/// group commits once, and every writer of the group is answered only after
/// that commit — with its own result, or the commit's failure. Nothing is
/// acknowledged before it is durable, each writer's changes stay all or
/// nothing, and a group never holds more than [`Batches::MAX`] writers.
#[derive(Default)]
struct Batches {
    /// The group's open transaction, between one writer's turn and the next.
    open: std::sync::Mutex<Option<OpenBatch>>,
    settled: std::sync::Mutex<Settled>,
    changed: std::sync::Condvar,
}

/// A group whose transaction is open on `conn`.
struct OpenBatch {
    conn: PooledConn,
    id: u64,
    members: usize,
}

/// The groups started and ended so far; the recent failures, by group.
#[derive(Default)]
struct Settled {
    started: u64,
    ended: u64,
    failures: std::collections::BTreeMap<u64, String>,
}

impl Batches {
    /// Writers per group at most: a long queue is served in several commits.
    const MAX: usize = 64;

    fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records how group `id` ended and wakes its writers.
    fn settle(&self, id: u64, outcome: Result<(), String>) {
        let mut s = Self::lock(&self.settled);
        s.ended = s.ended.max(id);
        if let Err(e) = outcome {
            s.failures.insert(id, e);
        }
        // Its writers look only at groups they are waiting for: a few hundred
        // recent ones are plenty.
        while s.failures.len() > 256 {
            s.failures.pop_first();
        }
        self.changed.notify_all();
    }

    /// Waits until group `id` has ended; its commit's failure, if it failed.
    fn wait(&self, id: u64) -> Result<(), String> {
        let mut s = Self::lock(&self.settled);
        while s.ended < id {
            s = self.changed.wait(s).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        s.failures.get(&id).map_or(Ok(()), |e| Err(e.clone()))
    }
}

/// Ends an open group if the writer holding it unwinds: the group is rolled
/// back and its waiting writers are told it failed.
struct BatchGuard<'a> {
    batches: &'a Batches,
    batch: Option<OpenBatch>,
}

impl BatchGuard<'_> {
    fn take(&mut self) -> Option<OpenBatch> {
        self.batch.take()
    }
}

impl Drop for BatchGuard<'_> {
    fn drop(&mut self) {
        if let Some(mut b) = self.batch.take() {
            // Out of any savepoint left open, then out of the group's
            // transaction; the connection is closed rather than reused (its
            // close rolls back whatever is left).
            while group_depth(&mut b.conn.conn).is_some() {
                if let Err(e) = DbConnection::rollback_transaction(&mut b.conn.conn) {
                    tracing::warn!(error = %e, "rollback of an abandoned group failed");
                    break;
                }
            }
            b.conn.broken = true;
            self.batches.settle(b.id, Err("a writer of the group failed; its transaction was rolled back".into()));
        }
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("target", &self.settings.target).finish()
    }
}

/// How often a transaction that lost a race is run again before giving up.
const RETRIES: usize = 5;

impl Db {
    /// Opens the pool without waiting for the database: a server that starts
    /// while the database is down answers 503 until it returns.
    pub fn open(settings: DbSettings) -> Db {
        let manager = Manager { settings: settings.clone() };
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_size.max(1))
            .min_idle(Some(0))
            .connection_timeout(settings.checkout_timeout)
            .test_on_check_out(false)
            .error_handler(Box::new(r2d2::LoggingErrorHandler))
            .build_unchecked(manager);
        Db { pool, settings, writers: std::sync::Arc::default(), batches: std::sync::Arc::default() }
    }

    pub fn settings(&self) -> &DbSettings {
        &self.settings
    }

    fn conn(&self) -> Result<PooledConn, StoreError> {
        self.pool.get().map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    /// Applies the pending migrations of this backend, serialised with every
    /// other replica's start-up work (see [`Db::prepare`]).
    pub fn migrate(&self) -> Result<Vec<String>, StoreError> {
        self.conn()?.run(|c| startup_step(c, run_migrations))
    }

    /// Brings the database to what this build needs: the pending migrations,
    /// then the built-in reference data (which fills only empty tables, so it
    /// can run any number of times) and the built-in holiday lists of `today`'s
    /// year and the next (only years with no list yet; SPEC §14.4). Both run as one step that replicas
    /// starting together take in turn: on PostgreSQL under an advisory lock,
    /// on SQLite in one `BEGIN IMMEDIATE` transaction. (Seeding once ran
    /// after the lock was released, and two replicas on a fresh database
    /// both inserted the reference data: one failed on a primary key.)
    pub fn prepare(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<String>, StoreError> {
        use chrono::Datelike;
        let year = domain::time::baku_date(now).year();
        let seed = move |c: &mut DbConnection| -> Result<(), StoreError> {
            crate::reference::seed_builtin(c)?;
            crate::holidays::seed_builtin(c, &[year, year + 1], now.naive_utc())?;
            Ok(())
        };
        self.conn()?.run(|c| {
            startup_step(c, |c| {
                let applied = run_migrations(c)?;
                match c {
                    // Already inside the step's transaction.
                    DbConnection::Sqlite(_) => seed(c)?,
                    DbConnection::Pg(_) => write_transaction(c, seed)?,
                };
                Ok(applied)
            })
        })
    }

    /// Runs `f` on a pooled connection in a read transaction (so it sees one
    /// consistent state). Blocking: call it off the async workers.
    pub fn read<T, E: TxError>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E> {
        self.conn()?.run(|c| {
            DbConnection::begin_transaction(c).map_err(StoreError::from)?;
            let result = f(c);
            finish(c, result)
        })
    }

    /// Runs a single-statement read on a pooled connection, without a
    /// transaction around it (one statement is one snapshot already).
    pub fn read_one<T, E: TxError>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E> {
        self.conn()?.run(f)
    }

    /// Runs `f` as one write transaction: on SQLite a savepoint in a group
    /// commit (see [`Batches`]; the group's transaction is `BEGIN IMMEDIATE`,
    /// so writers queue instead of failing to upgrade a read lock), a plain
    /// transaction on PostgreSQL. Either way `f`'s changes are all or
    /// nothing and durable when this returns `Ok`. A transaction that lost a
    /// race ([`StoreError::Retry`], a serialization failure or deadlock) is
    /// run again from the start. Blocking: call it off the async workers.
    pub fn write<T, E: TxError>(&self, f: impl Fn(&mut DbConnection) -> Result<T, E>) -> Result<T, E> {
        if matches!(self.settings.target, Target::Sqlite(_)) {
            return self.write_in_group(f);
        }
        let mut conn = self.conn()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match conn.run(|c| write_transaction(c, &f)) {
                Err(e) if e.is_retryable() && attempt < RETRIES => {
                    tracing::debug!(attempt, "transaction lost a race; running it again");
                    continue;
                }
                other => return other,
            }
        }
    }

    /// [`Db::write`] on SQLite: `f` in a savepoint of the group's open
    /// transaction (see [`Batches`]). The turn comes before the connection:
    /// a writer waiting for its turn holds none that a reader could use.
    fn write_in_group<T, E: TxError>(&self, f: impl Fn(&mut DbConnection) -> Result<T, E>) -> Result<T, E> {
        let turn = self.writers.enter();
        let mut open = Batches::lock(&self.batches.open);
        let batch = match open.take() {
            Some(b) => b,
            None => {
                let mut conn = self.conn()?;
                conn.run(|c| match c {
                    DbConnection::Sqlite(c) => {
                        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE").map_err(StoreError::from)
                    }
                    DbConnection::Pg(_) => Err(StoreError::Internal("a group commit on PostgreSQL".into())),
                })?;
                let id = {
                    let mut s = Batches::lock(&self.batches.settled);
                    s.started += 1;
                    s.started
                };
                OpenBatch { conn, id, members: 0 }
            }
        };
        let mut guard = BatchGuard { batches: &self.batches, batch: Some(batch) };
        let Some(b) = guard.batch.as_mut() else { return Err(StoreError::Internal("no open group".into()).into()) };
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            // Nested in the group's transaction, diesel makes this a savepoint.
            let r = b.conn.run(|c| {
                DbConnection::begin_transaction(c).map_err(StoreError::from)?;
                let r = f(c);
                finish(c, r)
            });
            match r {
                Err(e) if e.is_retryable() && attempt < RETRIES => continue,
                other => break other,
            }
        };
        b.members += 1;
        // A savepoint that could not be rolled back, or a link that broke,
        // spoils the whole group: it is rolled back (by the guard) and every
        // writer in it is told.
        let intact = !b.conn.broken && group_depth(&mut b.conn.conn) == Some(1);
        if !intact {
            drop(guard);
            return match result {
                Err(e) => Err(e),
                Ok(_) => Err(StoreError::Internal("the group's transaction was lost".into()).into()),
            };
        }
        if turn.others_waiting() && b.members < Batches::MAX {
            // The next writer carries the group on; this one's answer waits
            // for the group's commit (a refusal changed nothing: it goes now).
            let id = b.id;
            *open = guard.take();
            drop(open);
            drop(turn);
            let value = result?;
            return match self.batches.wait(id) {
                Ok(()) => Ok(value),
                Err(e) => Err(StoreError::Unavailable(e).into()),
            };
        }
        let Some(mut b) = guard.take() else { return Err(StoreError::Internal("no open group".into()).into()) };
        let committed = b.conn.run(|c| DbConnection::commit_transaction(c).map_err(StoreError::from));
        if let Err(e) = &committed {
            if let Err(rb) = DbConnection::rollback_transaction(&mut b.conn.conn) {
                tracing::warn!(error = %rb, "rollback after a failed commit failed");
                b.conn.broken = true;
            }
            self.batches.settle(b.id, Err(format!("the commit failed: {e}")));
        } else {
            self.batches.settle(b.id, Ok(()));
        }
        drop(b);
        drop(open);
        drop(turn);
        committed?;
        result
    }

    /// Whether one statement can write a row with its children and answer
    /// (PostgreSQL's data-modifying `WITH`); on SQLite, writes of several
    /// statements run in a transaction.
    pub fn writes_at_once(&self) -> bool {
        matches!(self.settings.target, Target::Postgres(_))
    }

    /// Runs `f` on a connection outside any transaction: each of its
    /// statements is its own. Blocking: call it off the async workers.
    pub fn autocommit<T, E: TxError>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E> {
        self.conn()?.run(f)
    }

    /// Is the database answering? (readiness probe)
    pub fn ping(&self) -> Result<(), StoreError> {
        self.conn()?.run(|c| Ok(c.batch_execute("SELECT 1")?))
    }
}

/// The advisory lock that start-up work holds on PostgreSQL.
const STARTUP_LOCK: i64 = 727_274;

/// Runs `f` so that no other process runs start-up work on the same
/// database at the same time: on PostgreSQL under a session advisory lock
/// (released afterwards whatever happened, and by the server if the
/// connection dies), on SQLite inside one `BEGIN IMMEDIATE` transaction
/// (migrations nest in it as savepoints).
fn startup_step<T>(
    c: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    match c {
        DbConnection::Pg(_) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({STARTUP_LOCK})"))?;
            let res = f(c);
            if let Err(e) = c.batch_execute(&format!("SELECT pg_advisory_unlock({STARTUP_LOCK})")) {
                tracing::warn!(error = %e, "could not release the start-up lock; it ends with the connection");
            }
            res
        }
        DbConnection::Sqlite(_) => write_transaction(c, f),
    }
}

/// The pending migrations of the connection's backend, applied.
fn run_migrations(c: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let res = match c {
        DbConnection::Pg(_) => {
            c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.iter().map(|m| m.to_string()).collect())
        }
        DbConnection::Sqlite(_) => {
            c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.iter().map(|m| m.to_string()).collect())
        }
    };
    res.map_err(|e| StoreError::Internal(format!("migration failed: {e}")))
}

/// How deep the open transaction of a SQLite connection is (1: the group's
/// own, no savepoint left open); `None` when there is none or it is broken.
fn group_depth(conn: &mut DbConnection) -> Option<u32> {
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()
            .ok()
            .flatten()
            .map(std::num::NonZeroU32::get),
        DbConnection::Pg(_) => None,
    }
}

/// One write transaction on `conn` (see [`Db::write`]).
pub fn write_transaction<T, E: TxError>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction(c),
    }
    .map_err(StoreError::from)?;
    let result = f(conn);
    finish(conn, result)
}

/// Ends the open transaction: commits what succeeded, rolls back the rest.
fn finish<T, E: TxError>(conn: &mut DbConnection, result: Result<T, E>) -> Result<T, E> {
    match result {
        Ok(v) => {
            DbConnection::commit_transaction(conn).map_err(StoreError::from)?;
            Ok(v)
        }
        Err(e) => {
            if let Err(rb) = DbConnection::rollback_transaction(conn) {
                tracing::warn!(error = %rb, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Creating and dropping throw-away PostgreSQL databases, for test suites
/// that give each test its own database.
#[cfg(any(test, feature = "test-hooks"))]
pub mod testing {
    use diesel::connection::SimpleConnection;
    use diesel::pg::PgConnection;
    use diesel::Connection;

    /// The URL of database `name` on the server of `admin_url`.
    pub fn url_of(admin_url: &str, name: &str) -> String {
        let (base, query) = admin_url.split_once('?').map_or((admin_url, None), |(b, q)| (b, Some(q)));
        let root = base.rsplit_once('/').map_or(base, |(r, _)| r);
        match query {
            Some(q) => format!("{root}/{name}?{q}"),
            None => format!("{root}/{name}"),
        }
    }

    /// Creates database `name` (letters, digits and `_` only).
    pub fn create_database(admin_url: &str, name: &str) -> Result<String, String> {
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!("bad database name {name:?}"));
        }
        let mut c = PgConnection::establish(admin_url).map_err(|e| e.to_string())?;
        c.batch_execute(&format!("CREATE DATABASE {name}")).map_err(|e| e.to_string())?;
        Ok(url_of(admin_url, name))
    }

    /// Drops database `name`, closing its connections.
    pub fn drop_database(admin_url: &str, name: &str) -> Result<(), String> {
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!("bad database name {name:?}"));
        }
        let mut c = PgConnection::establish(admin_url).map_err(|e| e.to_string())?;
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::WriterQueue;
    use std::sync::{Arc, Mutex};

    /// Writers are served in the order they came, each after the one before
    /// has finished.
    #[test]
    fn writers_take_their_turn_in_arrival_order() {
        let q = Arc::new(WriterQueue::default());
        let served = Arc::new(Mutex::new(Vec::new()));
        let first = q.enter();
        let mut threads = Vec::new();
        for n in 0..6u64 {
            let (q2, served2) = (Arc::clone(&q), Arc::clone(&served));
            threads.push(std::thread::spawn(move || {
                let _turn = q2.enter();
                served2.lock().unwrap().push(n);
            }));
            // The next writer comes only once this one holds its ticket.
            while q.tickets.lock().unwrap().0 < n + 2 {
                std::thread::yield_now();
            }
        }
        assert!(served.lock().unwrap().is_empty(), "nobody passes the writer in turn");
        drop(first);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(*served.lock().unwrap(), [0, 1, 2, 3, 4, 5]);
    }
}

#[cfg(test)]
mod group_commit {
    use super::{Db, DbConnection, DbSettings, Target};
    use crate::error::StoreError;
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, RunQueryDsl};

    fn fresh() -> (Db, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!("quota-group-{}.db", uuid::Uuid::new_v4()));
        let db = Db::open(DbSettings::new(Target::Sqlite(path.clone())));
        db.write(|c| c.batch_execute("CREATE TABLE t (n INTEGER PRIMARY KEY)").map_err(StoreError::from)).unwrap();
        (db, path)
    }

    fn rows(path: &std::path::Path) -> Vec<i64> {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = diesel::sqlite::SqliteConnection::establish(&path.to_string_lossy()).unwrap();
        diesel::sql_query("SELECT n FROM t ORDER BY n").load::<N>(&mut c).unwrap().into_iter().map(|r| r.n).collect()
    }

    fn insert(c: &mut DbConnection, n: i64) -> Result<(), StoreError> {
        diesel::sql_query(format!("INSERT INTO t VALUES ({n})")).execute(c)?;
        Ok(())
    }

    /// Writers queued behind a slow one form one group with one commit;
    /// each is answered only once its row is durable (another connection
    /// sees it), and a refusal rolls back its own row only.
    #[test]
    fn queued_writers_commit_together_and_a_refusal_undoes_only_its_own() {
        let (db, path) = fresh();
        let first = {
            let db = db.clone();
            std::thread::spawn(move || {
                db.write(|c| {
                    insert(c, 0)?;
                    // Hold the turn until the fifteen others have queued.
                    while db.writers.tickets.lock().unwrap().0 < 16 + 1 {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    Ok::<_, StoreError>(())
                })
            })
        };
        while db.writers.tickets.lock().unwrap().0 < 2 {
            std::thread::yield_now();
        }
        let others: Vec<_> = (1..16)
            .map(|n| {
                let (db, path) = (db.clone(), path.clone());
                std::thread::spawn(move || {
                    let r = db.write(|c| {
                        insert(c, n)?;
                        if n % 5 == 0 {
                            return Err(StoreError::NotFound);
                        }
                        Ok(n)
                    });
                    if r.is_ok() {
                        assert!(rows(&path).contains(&n), "writer {n} was answered before its commit");
                    }
                    r
                })
            })
            .collect();
        first.join().unwrap().unwrap();
        for (n, t) in (1..16).zip(others) {
            let r = t.join().unwrap();
            assert_eq!(r.is_ok(), n % 5 != 0, "writer {n}: {r:?}");
        }
        let expected: Vec<i64> = (0..16).filter(|n| n == &0 || n % 5 != 0).collect();
        assert_eq!(rows(&path), expected);
        let groups = db.batches.settled.lock().unwrap().started;
        assert_eq!(groups, 1 + 1, "the table's creation, then one group for the sixteen");
        let _ = std::fs::remove_file(path);
    }

    /// A writer that panics inside the group takes the group down: the
    /// writers before it in the group are told, nothing of the group stays,
    /// and the next write starts afresh.
    #[test]
    fn a_writer_that_panics_rolls_its_group_back_and_the_next_write_works() {
        let (db, path) = fresh();
        let first = {
            let db = db.clone();
            std::thread::spawn(move || {
                db.write(|c| {
                    insert(c, 1)?;
                    while db.writers.tickets.lock().unwrap().0 < 2 + 1 {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    Ok::<_, StoreError>(())
                })
            })
        };
        while db.writers.tickets.lock().unwrap().0 < 1 + 1 {
            std::thread::yield_now();
        }
        let panicking = {
            let db = db.clone();
            std::thread::spawn(move || {
                db.write(|c| -> Result<(), StoreError> {
                    insert(c, 2)?;
                    panic!("a bug in a writer")
                })
            })
        };
        assert!(panicking.join().is_err());
        assert!(matches!(first.join().unwrap(), Err(StoreError::Unavailable(_))), "the first writer is told");
        assert!(rows(&path).is_empty(), "nothing of the group stays");
        db.write(|c| insert(c, 3)).unwrap();
        assert_eq!(rows(&path), [3]);
        let _ = std::fs::remove_file(path);
    }
}
