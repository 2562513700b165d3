//! The inputs the Commission receives besides the summary (SPEC §16.2): one
//! row per body and target year with its figures, the history of every
//! change, the SMS's figures counted from the permits recorded, and the
//! inputs frozen with a snapshot of the summary (SPEC §15.5).

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::raw::{raw_execute, raw_load};
use crate::schema::{
    commission_input_entries as ce, commission_input_files as cf, commission_input_history as ch,
    commission_inputs as ci, summary_snapshot_input_entries as sie, summary_snapshot_inputs as si,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
use diesel::QueryableByName;
use domain::commission_inputs::{Body, CheckedInput};

/// The row of one body's input: its version (the `ETag`), note, and who
/// sent it first and last.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = ci)]
pub struct InputRow {
    pub target_year: i32,
    pub body: Body,
    pub version: i64,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
}

/// One figure of an input: the activity as sent, the section it counts
/// under, what it means and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub economic_activity: String,
    pub section: String,
    pub measure: String,
    pub value: f64,
}

/// A body's input with its figures in the order sent and its files, oldest
/// first.
#[derive(Debug, Clone, PartialEq)]
pub struct InputRecord {
    pub row: InputRow,
    pub entries: Vec<Figure>,
    pub files: Vec<FileRow>,
}

/// A file attached to an input, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = cf)]
pub struct FileRow {
    pub id: String,
    pub body: Body,
    pub content_type: String,
    pub filename: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: String,
}

fn files_of(conn: &mut DbConnection, year: i32) -> Result<Vec<FileRow>, StoreError> {
    Ok(cf::table
        .filter(cf::target_year.eq(year))
        .order((cf::uploaded_at.asc(), cf::id.asc()))
        .select(FileRow::as_select())
        .load(conn)?)
}

/// A new file of an input.
#[derive(Debug, Clone, Copy)]
pub struct NewFile<'a> {
    pub id: &'a str,
    pub content_type: &'a str,
    pub filename: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
}

/// Attaches `file` to the input of `body` for `year`.
pub fn add_file(
    conn: &mut DbConnection,
    year: i32,
    body: Body,
    file: NewFile<'_>,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(cf::table)
        .values((
            cf::id.eq(file.id),
            cf::target_year.eq(year),
            cf::body.eq(body.as_str()),
            cf::content_type.eq(file.content_type),
            cf::filename.eq(file.filename),
            cf::size.eq(i64::try_from(file.bytes.len()).unwrap_or(i64::MAX)),
            cf::sha256.eq(file.sha256),
            cf::bytes.eq(file.bytes),
            cf::uploaded_at.eq(now),
            cf::uploaded_by.eq(by),
        ))
        .execute(conn)?;
    Ok(())
}

/// File `id` of the input of `body` for `year`, with its bytes.
pub fn file(conn: &mut DbConnection, year: i32, body: Body, id: &str) -> Result<(FileRow, Vec<u8>), StoreError> {
    let row = cf::table
        .filter(cf::id.eq(id))
        .filter(cf::target_year.eq(year))
        .filter(cf::body.eq(body.as_str()))
        .select(FileRow::as_select())
        .first(conn)?;
    let bytes = cf::table.filter(cf::id.eq(id)).select(cf::bytes).first(conn)?;
    Ok((row, bytes))
}

/// Removes file `id` of the input of `body` for `year`; not found if none.
pub fn delete_file(conn: &mut DbConnection, year: i32, body: Body, id: &str) -> Result<(), StoreError> {
    let n = diesel::delete(
        cf::table.filter(cf::id.eq(id)).filter(cf::target_year.eq(year)).filter(cf::body.eq(body.as_str())),
    )
    .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A figure as the quota plan shows it beside an entry: whose it is
/// (a body's code, or `sms` for the computed one).
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedFigure {
    pub body: String,
    pub figure: Figure,
}

type EntryTuple = (Body, String, String, String, f64);

fn entries_of(conn: &mut DbConnection, year: i32, body: Option<Body>) -> Result<Vec<EntryTuple>, StoreError> {
    let mut q = ce::table
        .filter(ce::target_year.eq(year))
        .select((ce::body, ce::economic_activity, ce::activity_section, ce::measure, ce::value))
        .order((ce::body.asc(), ce::position.asc()))
        .into_boxed();
    if let Some(b) = body {
        q = q.filter(ce::body.eq(b.as_str()));
    }
    let rows: Vec<(String, String, String, String, f64)> = q.load(conn)?;
    rows.into_iter()
        .map(|(b, a, s, m, v)| {
            let body = crate::stored("commission_input_entries.body", &b, Body::parse)?;
            Ok((body, a, s, m, v))
        })
        .collect()
}

fn figure((_, economic_activity, section, measure, value): EntryTuple) -> Figure {
    Figure { economic_activity, section, measure, value }
}

/// The input of `body` for `year`, if it sent one.
pub fn get(conn: &mut DbConnection, year: i32, body: Body) -> Result<Option<InputRecord>, StoreError> {
    let row: Option<InputRow> = ci::table
        .filter(ci::target_year.eq(year))
        .filter(ci::body.eq(body.as_str()))
        .select(InputRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let entries = entries_of(conn, year, Some(body))?.into_iter().map(figure).collect();
    let files = files_of(conn, year)?.into_iter().filter(|f| f.body == body).collect();
    Ok(Some(InputRecord { row, entries, files }))
}

/// Every body's input for `year`, in the order of [`Body::ALL`].
pub fn list(conn: &mut DbConnection, year: i32) -> Result<Vec<InputRecord>, StoreError> {
    let rows: Vec<InputRow> = ci::table.filter(ci::target_year.eq(year)).select(InputRow::as_select()).load(conn)?;
    let entries = entries_of(conn, year, None)?;
    let files = files_of(conn, year)?;
    let mut out: Vec<InputRecord> = rows
        .into_iter()
        .map(|row| {
            let mine = entries.iter().filter(|e| e.0 == row.body).cloned().map(figure).collect();
            let attached = files.iter().filter(|f| f.body == row.body).cloned().collect();
            InputRecord { row, entries: mine, files: attached }
        })
        .collect();
    out.sort_by_key(|r| Body::ALL.iter().position(|b| *b == r.row.body));
    Ok(out)
}

/// Every body's figures for `year`, each with its body: what the quota plan
/// shows beside its entries.
pub fn figures_of_year(conn: &mut DbConnection, year: i32) -> Result<Vec<SourcedFigure>, StoreError> {
    let mut rows = entries_of(conn, year, None)?;
    rows.sort_by_key(|r| Body::ALL.iter().position(|b| *b == r.0));
    Ok(rows.into_iter().map(|r| SourcedFigure { body: r.0.as_str().to_owned(), figure: figure(r) }).collect())
}

/// Who changes an input, as its history names them.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    pub sub: &'a str,
    pub role: &'a str,
}

/// Stores `input` as the input of `body` for `year`: the first one with
/// version 1, a later one replacing the figures of version `prior`'s row
/// (guarded by that version, so two at once cannot both win). Appends the
/// change to the history. Returns the new version.
pub fn save(
    conn: &mut DbConnection,
    year: i32,
    body: Body,
    prior: Option<&InputRow>,
    input: &CheckedInput,
    by: Sender<'_>,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let version = match prior {
        None => {
            diesel::insert_into(ci::table)
                .values((
                    ci::target_year.eq(year),
                    ci::body.eq(body.as_str()),
                    ci::version.eq(1_i64),
                    ci::note.eq(input.note.as_deref()),
                    ci::created_at.eq(now),
                    ci::created_by.eq(by.sub),
                    ci::updated_at.eq(now),
                    ci::updated_by.eq(by.sub),
                ))
                .execute(conn)
                .map_err(crate::error::lost_a_race)?;
            1
        }
        Some(row) => {
            let n = diesel::update(
                ci::table
                    .filter(ci::target_year.eq(year))
                    .filter(ci::body.eq(body.as_str()))
                    .filter(ci::version.eq(row.version)),
            )
            .set((
                ci::version.eq(row.version + 1),
                ci::note.eq(input.note.as_deref()),
                ci::updated_at.eq(now),
                ci::updated_by.eq(by.sub),
            ))
            .execute(conn)?;
            crate::error::one_changed(n)?;
            diesel::delete(ce::table.filter(ce::target_year.eq(year)).filter(ce::body.eq(body.as_str())))
                .execute(conn)?;
            row.version + 1
        }
    };
    for (i, e) in input.entries.iter().enumerate() {
        diesel::insert_into(ce::table)
            .values((
                ce::target_year.eq(year),
                ce::body.eq(body.as_str()),
                ce::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                ce::economic_activity.eq(&e.economic_activity),
                ce::activity_section.eq(&e.section),
                ce::measure.eq(&e.measure),
                ce::value.eq(e.value),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(ch::table)
        .values((
            ch::target_year.eq(year),
            ch::body.eq(body.as_str()),
            ch::version.eq(version),
            ch::actor.eq(by.sub),
            ch::role.eq(by.role),
            ch::at.eq(now),
            ch::entries.eq(i32::try_from(input.entries.len()).unwrap_or(i32::MAX)),
            ch::note.eq(input.note.as_deref()),
        ))
        .execute(conn)?;
    Ok(version)
}

/// One change of an input, as its history keeps it: the version it made,
/// who, in which role, when, how many figures and the note.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ch)]
pub struct HistoryRow {
    pub version: i64,
    pub actor: String,
    pub role: domain::role::Role,
    pub at: NaiveDateTime,
    pub entries: i32,
    pub note: Option<String>,
}

/// One page of the changes of the input of `body` for `year`, oldest
/// first, and their number.
pub fn history(
    conn: &mut DbConnection,
    year: i32,
    body: Body,
    page: crate::Page,
) -> Result<(Vec<HistoryRow>, i64), StoreError> {
    crate::page_of!(
        conn,
        ch::table.filter(ch::target_year.eq(year)).filter(ch::body.eq(body.as_str())),
        ch::seq.asc(),
        HistoryRow,
        page
    )
}

/// Work permits of one year and section, recorded and not cancelled:
/// counted against the quota, and exempt.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct PermitTally {
    #[diesel(sql_type = Integer)]
    pub target_year: i32,
    #[diesel(sql_type = Text)]
    pub section: String,
    #[diesel(sql_type = BigInt)]
    pub counted: i64,
    #[diesel(sql_type = BigInt)]
    pub exempt: i64,
}

/// The permits recorded for the quota years `years` up to `until` and not
/// cancelled since, per year and section (SPEC §16.2: the SMS's input).
/// Counted by the database.
pub fn permit_tallies(
    conn: &mut DbConnection,
    years: (i32, i32),
    until: NaiveDateTime,
) -> Result<Vec<PermitTally>, StoreError> {
    let sql = "SELECT target_year, activity_section AS section, \
         SUM(CASE WHEN exemption IS NULL THEN 1 ELSE 0 END) AS counted, \
         SUM(CASE WHEN exemption IS NULL THEN 0 ELSE 1 END) AS exempt \
         FROM quota_allocations WHERE target_year IN (?, ?) AND cancelled_at IS NULL AND recorded_at <= ? \
         GROUP BY target_year, activity_section ORDER BY target_year, activity_section";
    Ok(raw_load!(conn, sql, PermitTally, [(Integer, years.0), (Integer, years.1), (Timestamp, until)])?)
}

/// Freezes the inputs of `year` as they stand into snapshot `number`
/// (SPEC §15.5, §16.2), with the SMS's computed figures under `sms`.
pub fn freeze(
    conn: &mut DbConnection,
    year: i32,
    number: i32,
    sms: &[Figure],
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    // The two statements read one state of the inputs (SQLite's write
    // transaction holds the database already).
    if let DbConnection::Pg(_) = conn {
        diesel::connection::SimpleConnection::batch_execute(
            conn,
            "LOCK TABLE commission_inputs, commission_input_entries IN SHARE MODE",
        )?;
    }
    raw_execute!(
        conn,
        "INSERT INTO summary_snapshot_inputs (target_year, number, body, version, note, updated_at, updated_by) \
         SELECT target_year, ?, body, version, note, updated_at, updated_by FROM commission_inputs \
         WHERE target_year = ?",
        [(Integer, number), (Integer, year)]
    )?;
    raw_execute!(
        conn,
        "INSERT INTO summary_snapshot_input_entries (target_year, number, body, position, economic_activity, \
         activity_section, measure, value) \
         SELECT target_year, ?, body, position, economic_activity, activity_section, measure, value \
         FROM commission_input_entries WHERE target_year = ?",
        [(Integer, number), (Integer, year)]
    )?;
    diesel::insert_into(si::table)
        .values((
            si::target_year.eq(year),
            si::number.eq(number),
            si::body.eq(domain::commission_inputs::SMS),
            si::version.eq(0_i64),
            si::note.eq(None::<String>),
            si::updated_at.eq(at),
            si::updated_by.eq(domain::commission_inputs::SMS),
        ))
        .execute(conn)?;
    for (i, f) in sms.iter().enumerate() {
        diesel::insert_into(sie::table)
            .values((
                sie::target_year.eq(year),
                sie::number.eq(number),
                sie::body.eq(domain::commission_inputs::SMS),
                sie::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                sie::economic_activity.eq(&f.economic_activity),
                sie::activity_section.eq(&f.section),
                sie::measure.eq(&f.measure),
                sie::value.eq(f.value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// An input as a snapshot froze it: the body (or `sms`), its version (0
/// for the SMS's computed one), note, last change and figures.
#[derive(Debug, Clone, PartialEq)]
pub struct FrozenInput {
    pub body: String,
    pub version: i64,
    pub note: Option<String>,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
    pub entries: Vec<Figure>,
}

/// The inputs snapshot `number` of `year` froze: the bodies' in the order
/// of [`Body::ALL`], then the SMS's.
pub fn frozen(conn: &mut DbConnection, year: i32, number: i32) -> Result<Vec<FrozenInput>, StoreError> {
    let heads: Vec<(String, i64, Option<String>, NaiveDateTime, String)> = si::table
        .filter(si::target_year.eq(year))
        .filter(si::number.eq(number))
        .select((si::body, si::version, si::note, si::updated_at, si::updated_by))
        .load(conn)?;
    let entries: Vec<(String, String, String, String, f64)> = sie::table
        .filter(sie::target_year.eq(year))
        .filter(sie::number.eq(number))
        .order((sie::body.asc(), sie::position.asc()))
        .select((sie::body, sie::economic_activity, sie::activity_section, sie::measure, sie::value))
        .load(conn)?;
    let mut out: Vec<FrozenInput> = heads
        .into_iter()
        .map(|(body, version, note, updated_at, updated_by)| FrozenInput {
            entries: entries
                .iter()
                .filter(|e| e.0 == body)
                .map(|(_, a, s, m, v)| Figure {
                    economic_activity: a.clone(),
                    section: s.clone(),
                    measure: m.clone(),
                    value: *v,
                })
                .collect(),
            body,
            version,
            note,
            updated_at,
            updated_by,
        })
        .collect();
    let rank = |b: &str| Body::parse(b).and_then(|b| Body::ALL.iter().position(|x| *x == b)).unwrap_or(Body::ALL.len());
    out.sort_by_key(|f| rank(&f.body));
    Ok(out)
}
