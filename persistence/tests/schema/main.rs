//! schema.rs against the migrations, on both backends, and the two backends'
//! migrations against each other: the same tables, the same columns, the
//! same kinds of value, the same nullability and the same primary keys.
//!
//! - `sqlite::*` runs everywhere.
//! - `postgres::*` and `sqlite_and_postgres::*` need `TEST_DATABASE_URL`
//!   (a PostgreSQL server where the user may create databases); without it
//!   they are reported as ignored, never as passed.
//!
//! `cargo test -p persistence --test schema`; with
//! `TEST_DATABASE_URL=postgres://… cargo test -p persistence --test schema`
//! for PostgreSQL too.

mod catalogue;
mod declared;
mod harness;
mod migrated;

use catalogue::{agree, differences, Catalogue, Column, Kind};
use harness::Trial;
use std::process::ExitCode;
use std::sync::OnceLock;

const SCHEMA_RS: &str = include_str!("../../src/schema.rs");
const NEEDS_POSTGRES: &str = "needs TEST_DATABASE_URL (PostgreSQL)";

fn main() -> ExitCode {
    let no_pg = migrated::postgres_admin_url().is_none();
    harness::run(vec![
        Trial::test("schema_rs::reader_understands_table_blocks", reader_understands_table_blocks),
        Trial::test("schema_rs::every_table_has_columns_and_a_primary_key", every_table_has_columns_and_a_primary_key),
        Trial::test("sqlite::schema_rs_matches_migrations", sqlite_schema_rs_matches_migrations),
        Trial::test("sqlite::a_wrong_schema_rs_is_reported", sqlite_a_wrong_schema_rs_is_reported),
        Trial::test("postgres::schema_rs_matches_migrations", postgres_schema_rs_matches_migrations)
            .ignored_if(no_pg, NEEDS_POSTGRES),
        Trial::test("sqlite_and_postgres::migrations_define_the_same_tables", migrations_define_the_same_tables)
            .ignored_if(no_pg, NEEDS_POSTGRES),
    ])
}

fn declared() -> Result<Catalogue, String> {
    declared::parse(SCHEMA_RS)
}

/// Each backend is migrated once per run; the tests share what it built.
fn sqlite() -> Result<&'static Catalogue, String> {
    static C: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    C.get_or_init(migrated::sqlite).as_ref().map_err(|e| format!("SQLite: {e}"))
}

fn postgres() -> Result<&'static Catalogue, String> {
    static C: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    C.get_or_init(migrated::postgres).as_ref().map_err(|e| format!("PostgreSQL: {e}"))
}

fn check(what: &str, ok: bool) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(what.to_owned())
    }
}

fn reader_understands_table_blocks() -> Result<(), String> {
    let src = r#"
        // a comment naming table! { fake (x) { x -> Text, } }
        diesel::table! {
            /// Doc comments are comments.
            first (a, b) {
                a -> Text,
                #[sql_name = "type"]
                kind -> diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
                b -> Integer
            }
        }
        table! {
            use diesel::sql_types::*;
            #[sql_name = "second_table"]
            second (id) { id -> BigInt, at -> Nullable<Timestamp>, blob -> Binary, odd -> Money, }
        }
        diesel::allow_tables_to_appear_in_same_query!(first, second);
    "#;
    let c = declared::parse(src)?;
    check("two tables", c.keys().map(String::as_str).eq(["first", "second_table"]))?;
    let first = &c["first"];
    check("first's key", first.primary_key == ["a", "b"])?;
    check("first's columns", first.columns.keys().map(String::as_str).eq(["a", "b", "type"]))?;
    check(
        "a sql_name'd nullable column",
        first.columns["type"] == Column { kind: Kind::BigInt, nullable: true, declared: "Nullable<BigInt>".into() },
    )?;
    let second = &c["second_table"];
    check("a table's sql_name", second.primary_key == ["id"])?;
    check("Nullable<Timestamp>", second.columns["at"].kind == Kind::Timestamp && second.columns["at"].nullable)?;
    check("Binary", second.columns["blob"].kind == Kind::Binary && !second.columns["blob"].nullable)?;
    check("an unknown type", second.columns["odd"].kind == Kind::Unrecognised("Money".into()))?;
    check(
        "a malformed block is an error",
        declared::parse("diesel::table! { t (id) { id => Text } }").is_err_and(|e| e.contains("`->`")),
    )?;
    check(
        "a key naming no column is an error",
        declared::parse("diesel::table! { t (nope) { id -> Text, } }").is_err_and(|e| e.contains("nope")),
    )
}

fn every_table_has_columns_and_a_primary_key() -> Result<(), String> {
    let c = declared()?;
    check("schema.rs declares tables", !c.is_empty())?;
    let blocks = SCHEMA_RS.lines().filter(|l| l.trim_start().starts_with("diesel::table!")).count();
    check(&format!("all {blocks} `diesel::table!` blocks read, got {}", c.len()), c.len() == blocks)?;
    for (name, t) in &c {
        check(&format!("{name} has columns"), !t.columns.is_empty())?;
        check(&format!("{name} has a primary key"), !t.primary_key.is_empty())?;
    }
    Ok(())
}

fn sqlite_schema_rs_matches_migrations() -> Result<(), String> {
    agree("schema.rs", &declared()?, "SQLite", sqlite()?)
}

/// The comparison finds each kind of difference, with both sides named.
fn sqlite_a_wrong_schema_rs_is_reported() -> Result<(), String> {
    let actual = sqlite()?;
    let mut wrong = declared()?;
    let (first, last) = match (wrong.keys().next(), wrong.keys().next_back()) {
        (Some(f), Some(l)) if f != l => (f.clone(), l.clone()),
        _ => return Err("schema.rs declares fewer than two tables".into()),
    };
    let mut expected = Vec::new();
    // A column the migrations never create.
    if let Some(t) = wrong.get_mut(&first) {
        t.columns.insert(
            "not_in_any_migration".into(),
            Column { kind: Kind::Text, nullable: false, declared: "Text".into() },
        );
        expected
            .push(format!("{first}.not_in_any_migration: in schema.rs as Text (text, not null), missing from SQLite"));
        // A column whose nullability and kind are both wrong.
        if let Some((name, c)) = t.columns.iter_mut().find(|(_, c)| c.kind == Kind::Text && !c.nullable) {
            *c = Column { kind: Kind::Date, nullable: true, declared: "Nullable<Date>".into() };
            expected.push(format!(
                "{first}.{name}: schema.rs says Nullable<Date> (date, null), SQLite says TEXT (text, not null)"
            ));
        }
    }
    // A table renamed in schema.rs only.
    if let Some(t) = wrong.remove(&last) {
        wrong.insert("not_a_table".into(), t);
        expected.push(format!("{last}: table in SQLite, missing from schema.rs"));
        expected.push("not_a_table: table in schema.rs, missing from SQLite".into());
    }
    // Differences schema.rs has today are `schema_rs_matches_migrations`'s
    // to report; here only the ones made above count.
    let today = differences("schema.rs", &declared()?, "SQLite", actual);
    let mut found: Vec<String> =
        differences("schema.rs", &wrong, "SQLite", actual).into_iter().filter(|d| !today.contains(d)).collect();
    found.sort();
    expected.sort();
    check(
        &format!("expected differences\n  {}\nfound\n  {}", expected.join("\n  "), found.join("\n  ")),
        found == expected,
    )?;
    check("four kinds of difference", expected.len() == 4)
}

fn postgres_schema_rs_matches_migrations() -> Result<(), String> {
    agree("schema.rs", &declared()?, "PostgreSQL", postgres()?)
}

fn migrations_define_the_same_tables() -> Result<(), String> {
    agree("SQLite", sqlite()?, "PostgreSQL", postgres()?)
}
