//! What the migrations build: a fresh database of each backend, migrated the
//! way the server migrates (`Db::migrate`), then read back from its catalogue.

use crate::catalogue::{Catalogue, Column, Kind, MIGRATIONS_TABLE};
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Integer, Text};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use persistence::{Db, DbSettings, Target};
use std::path::PathBuf;

/// The PostgreSQL server the tests may create databases on, if any.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())
}

fn migrate(target: Target) -> Result<(), String> {
    let db = Db::open(DbSettings::new(target));
    db.migrate().map(drop).map_err(|e| format!("migrating: {e}"))
}

/// A temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    table_sql: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    declared_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    /// Position in the primary key from 1; 0 when not part of it.
    #[diesel(sql_type = Integer)]
    pk: i32,
}

/// The kind of a declared SQLite column type. The declaration is read as
/// written (not by SQLite's affinity rules): it is what tells a reader, and
/// the PostgreSQL twin, what the column holds.
fn sqlite_kind(declared: &str) -> Kind {
    let t = declared.to_ascii_uppercase();
    let base = t.split('(').next().unwrap_or_default().trim();
    match base {
        "SMALLINT" | "INT2" => Kind::SmallInt,
        "INTEGER" | "INT" | "INT4" => Kind::Integer,
        "BIGINT" | "INT8" => Kind::BigInt,
        "REAL" | "FLOAT" | "FLOAT4" => Kind::Float,
        "DOUBLE" | "DOUBLE PRECISION" | "FLOAT8" => Kind::Double,
        "TEXT" | "VARCHAR" | "CHARACTER VARYING" | "CHAR" | "CHARACTER" => Kind::Text,
        "BOOLEAN" | "BOOL" => Kind::Bool,
        "TIMESTAMP" | "DATETIME" => Kind::Timestamp,
        "TIMESTAMPTZ" => Kind::Timestamptz,
        "DATE" => Kind::Date,
        "TIME" => Kind::Time,
        "BLOB" | "BINARY" | "BYTEA" => Kind::Binary,
        _ => Kind::Unrecognised(declared.to_owned()),
    }
}

/// The tables of a fresh SQLite database after every SQLite migration.
pub fn sqlite() -> Result<Catalogue, String> {
    let dir = TempDir(std::env::temp_dir().join(format!("quota-schema-{}", uuid::Uuid::new_v4().simple())));
    let path = dir.0.join("schema.db");
    migrate(Target::Sqlite(path.clone()))?;
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| e.to_string())?;
    let rows: Vec<SqliteColumn> = diesel::sql_query(
        "SELECT m.name AS table_name, COALESCE(m.sql, '') AS table_sql, p.name AS column_name, \
                p.type AS declared_type, p.\"notnull\" AS not_null, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         ORDER BY m.name, p.cid",
    )
    .load(&mut conn)
    .map_err(|e| format!("reading the SQLite catalogue: {e}"))?;
    drop(conn);

    let mut out = Catalogue::new();
    let mut keys: Vec<(String, i32, String)> = Vec::new();
    let mut rowid_tables = Vec::new();
    for r in rows {
        if r.table_name == MIGRATIONS_TABLE {
            continue;
        }
        if !r.table_sql.to_ascii_uppercase().contains("WITHOUT ROWID") {
            rowid_tables.push(r.table_name.clone());
        }
        if r.pk > 0 {
            keys.push((r.table_name.clone(), r.pk, r.column_name.clone()));
        }
        let column =
            Column { kind: sqlite_kind(&r.declared_type), nullable: r.not_null == 0, declared: r.declared_type };
        out.entry(r.table_name).or_default().columns.insert(r.column_name, column);
    }
    keys.sort();
    for (table, _, column) in keys {
        if let Some(t) = out.get_mut(&table) {
            t.primary_key.push(column);
        }
    }
    // A lone `INTEGER PRIMARY KEY` is the 64-bit rowid: never null (NULL
    // asks for the next value), whatever `notnull` says.
    for (name, table) in out.iter_mut() {
        if let [pk] = table.primary_key.as_slice() {
            if let Some(c) = table.columns.get_mut(pk) {
                if rowid_tables.contains(name) && c.declared.eq_ignore_ascii_case("INTEGER") {
                    *c = Column { kind: Kind::RowId, nullable: false, declared: "INTEGER PRIMARY KEY".into() };
                }
            }
        }
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(QueryableByName)]
struct PgKey {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

fn pg_kind(data_type: &str) -> Kind {
    match data_type {
        "smallint" => Kind::SmallInt,
        "integer" => Kind::Integer,
        "bigint" => Kind::BigInt,
        "real" => Kind::Float,
        "double precision" => Kind::Double,
        "text" | "character varying" | "character" => Kind::Text,
        "boolean" => Kind::Bool,
        "timestamp without time zone" => Kind::Timestamp,
        "timestamp with time zone" => Kind::Timestamptz,
        "date" => Kind::Date,
        "time without time zone" => Kind::Time,
        "bytea" => Kind::Binary,
        other => Kind::Unrecognised(other.to_owned()),
    }
}

/// A throw-away PostgreSQL database, dropped when this is.
struct PgDatabase {
    admin: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Err(e) = persistence::db::testing::drop_database(&self.admin, &self.name) {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// The tables of a fresh PostgreSQL database after every PostgreSQL migration.
pub fn postgres() -> Result<Catalogue, String> {
    let admin = postgres_admin_url()
        .ok_or("TEST_DATABASE_URL is not set: point it at a PostgreSQL server where the user may create databases")?;
    let name = format!("quota_schema_{}", uuid::Uuid::new_v4().simple());
    let url = persistence::db::testing::create_database(&admin, &name)?;
    let _db = PgDatabase { admin, name };
    migrate(Target::Postgres(url.clone()))?;
    let mut conn = PgConnection::establish(&url).map_err(|e| e.to_string())?;
    let rows: Vec<PgColumn> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                c.data_type::text AS data_type, c.is_nullable = 'YES' AS nullable \
         FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
         ORDER BY c.table_name, c.ordinal_position",
    )
    .load(&mut conn)
    .map_err(|e| format!("reading information_schema.columns: {e}"))?;
    let keys: Vec<PgKey> = diesel::sql_query(
        "SELECT k.table_name::text AS table_name, k.column_name::text AS column_name \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema \
              AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name \
         WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() \
         ORDER BY k.table_name, k.ordinal_position",
    )
    .load(&mut conn)
    .map_err(|e| format!("reading the primary keys: {e}"))?;
    drop(conn);

    let mut out = Catalogue::new();
    for r in rows.into_iter().filter(|r| r.table_name != MIGRATIONS_TABLE) {
        let column = Column { kind: pg_kind(&r.data_type), nullable: r.nullable, declared: r.data_type };
        out.entry(r.table_name).or_default().columns.insert(r.column_name, column);
    }
    for k in keys {
        if let Some(t) = out.get_mut(&k.table_name) {
            t.primary_key.push(k.column_name);
        }
    }
    Ok(out)
}
