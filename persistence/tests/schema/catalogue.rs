//! Tables, columns and primary keys as one source sees them (schema.rs, the
//! SQLite catalogue, the PostgreSQL catalogue), and the differences between
//! two such views.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The kind of value a column holds, the level at which diesel's SQL types
/// and the two backends' column types must agree. `Integer` and `BigInt`
/// stay apart: PostgreSQL refuses to decode an int8 column as diesel's
/// `Integer` and the reverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    SmallInt,
    Integer,
    BigInt,
    Float,
    Double,
    Text,
    Bool,
    Timestamp,
    Timestamptz,
    Date,
    Time,
    Binary,
    /// SQLite's `INTEGER PRIMARY KEY`, the 64-bit rowid. SQLite spells it
    /// only this way (AUTOINCREMENT demands it), so it fits diesel's
    /// `Integer` and `BigInt` alike; PostgreSQL's column decides the width.
    RowId,
    /// A type this check does not know; it matches nothing.
    Unrecognised(String),
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Kind::SmallInt => "smallint",
            Kind::Integer => "integer",
            Kind::BigInt => "bigint",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::Text => "text",
            Kind::Bool => "bool",
            Kind::Timestamp => "timestamp",
            Kind::Timestamptz => "timestamptz",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::Binary => "binary",
            Kind::RowId => "rowid: integer or bigint",
            Kind::Unrecognised(t) => return write!(f, "unrecognised type {t:?}"),
        };
        f.write_str(s)
    }
}

impl Kind {
    /// Whether a column of one kind holds what a column of the other does.
    pub fn fits(&self, other: &Kind) -> bool {
        match (self, other) {
            (Kind::Unrecognised(_), _) | (_, Kind::Unrecognised(_)) => false,
            (Kind::RowId, Kind::Integer | Kind::BigInt) | (Kind::Integer | Kind::BigInt, Kind::RowId) => true,
            (a, b) => a == b,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub kind: Kind,
    pub nullable: bool,
    /// The type as its source spells it (`Nullable<BigInt>`, `INTEGER`, …).
    pub declared: String,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let null = if self.nullable { "null" } else { "not null" };
        write!(f, "{} ({}, {null})", self.declared, self.kind)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    /// Primary key columns, in key order.
    pub primary_key: Vec<String>,
}

/// Table name to table.
pub type Catalogue = BTreeMap<String, Table>;

/// diesel's own bookkeeping, in every migrated database and never in schema.rs.
pub const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

/// Every way `right` differs from `left`, one line each, in table order:
/// `table.column: schema.rs says X, SQLite says Y`.
pub fn differences(left_name: &str, left: &Catalogue, right_name: &str, right: &Catalogue) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    for t in names {
        let (l, r) = match (left.get(t), right.get(t)) {
            (Some(l), Some(r)) => (l, r),
            (Some(_), None) => {
                out.push(format!("{t}: table in {left_name}, missing from {right_name}"));
                continue;
            }
            (None, Some(_)) => {
                out.push(format!("{t}: table in {right_name}, missing from {left_name}"));
                continue;
            }
            (None, None) => continue,
        };
        let columns: BTreeSet<&String> = l.columns.keys().chain(r.columns.keys()).collect();
        for c in columns {
            match (l.columns.get(c), r.columns.get(c)) {
                (Some(lc), Some(rc)) if !lc.kind.fits(&rc.kind) || lc.nullable != rc.nullable => {
                    out.push(format!("{t}.{c}: {left_name} says {lc}, {right_name} says {rc}"))
                }
                (Some(lc), None) => out.push(format!("{t}.{c}: in {left_name} as {lc}, missing from {right_name}")),
                (None, Some(rc)) => out.push(format!("{t}.{c}: in {right_name} as {rc}, missing from {left_name}")),
                _ => {}
            }
        }
        if l.primary_key != r.primary_key {
            out.push(format!(
                "{t}: primary key: {left_name} says ({}), {right_name} says ({})",
                l.primary_key.join(", "),
                r.primary_key.join(", ")
            ));
        }
    }
    out
}

/// `Ok` when the two views agree, else every difference, one per line.
pub fn agree(left_name: &str, left: &Catalogue, right_name: &str, right: &Catalogue) -> Result<(), String> {
    let d = differences(left_name, left, right_name, right);
    if d.is_empty() {
        return Ok(());
    }
    Err(format!("{left_name} and {right_name} disagree ({} differences):\n  {}", d.len(), d.join("\n  ")))
}
