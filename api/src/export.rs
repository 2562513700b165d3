//! The summary as a file the Commission opens (SPEC §5.1, §15.5): CSV, and
//! XLSX with a sheet per level — economic activities, and occupations by
//! activity — with headers in the request's language. The live summary and
//! its frozen snapshots are written by the same code.

use crate::dto::{OccupationSummary, OccupationsByActivity, SummaryActivity, SummaryFigures};
use crate::i18n::exports::{label, Label};
use crate::i18n::Lang;
use application::AppError;

/// The media type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What an export holds: the activities with their total, and the
/// occupations of each activity (by its code).
pub struct Table<'a> {
    pub activities: &'a [SummaryActivity],
    pub totals: &'a SummaryActivity,
    pub occupations: &'a OccupationsByActivity,
}

/// The figures of a row in each bucket it has: accepted, then pending.
fn buckets(accepted: &SummaryFigures, pending: Option<&SummaryFigures>) -> Vec<(Label, SummaryFigures)> {
    let mut out = vec![(Label::Accepted, *accepted)];
    if let Some(p) = pending {
        out.push((Label::Pending, *p));
    }
    out
}

/// The activity sheet's columns, also the CSV's first nine.
const ACTIVITY_COLUMNS: [Label; 9] = [
    Label::ActivityCode,
    Label::Activity,
    Label::Counted,
    Label::Employers,
    Label::Forecasts,
    Label::Demand,
    Label::QuotaForeigners,
    Label::ExemptForeigners,
    Label::Occupations,
];

/// The occupation sheet's columns.
const OCCUPATION_COLUMNS: [Label; 9] = [
    Label::ActivityCode,
    Label::Activity,
    Label::OccupationCode,
    Label::Occupation,
    Label::Counted,
    Label::Employers,
    Label::Demand,
    Label::QuotaForeigners,
    Label::ExemptForeigners,
];

/// A cell: text or a whole number.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(i64),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn opt(n: Option<i64>) -> Cell {
        n.map_or(Cell::Empty, Cell::Number)
    }

    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => neutralised(s),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A text cell as a spreadsheet will not run it: one that begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is read as a formula by Excel,
/// LibreOffice and Google Sheets, so it is prefixed with `'` (OWASP, "CSV
/// Injection"). Titles come from imported classification files and forecasts:
/// text an outsider can write. Only the CSV is changed: JSON and XLSX cells
/// (written as strings, never formulas) keep the text as it is.
fn neutralised(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The rows of one activity (or the total, titled `title`): one per bucket.
fn activity_rows(a: &SummaryActivity, title: &str, lang: Lang) -> Vec<Vec<Cell>> {
    buckets(&a.accepted, a.pending.as_ref())
        .into_iter()
        .map(|(bucket, f)| {
            vec![
                Cell::text(&a.economic_activity),
                Cell::text(title),
                Cell::text(label(bucket, lang)),
                Cell::Number(f.employers),
                Cell::opt(f.forecasts),
                Cell::Number(f.demand_total),
                Cell::Number(f.quota_foreigners),
                Cell::Number(f.exempt_foreigners),
                Cell::opt(f.occupations),
            ]
        })
        .collect()
}

/// The figures of one occupation of activity `a` in one bucket, as the
/// occupation sheet's columns after the activity and occupation.
fn occupation_figures(bucket: Label, f: &SummaryFigures, lang: Lang) -> [Cell; 5] {
    [
        Cell::text(label(bucket, lang)),
        Cell::Number(f.employers),
        Cell::Number(f.demand_total),
        Cell::Number(f.quota_foreigners),
        Cell::Number(f.exempt_foreigners),
    ]
}

/// The occupations of activity `a`, in the table's order.
fn occupations_of<'a>(t: &'a Table<'_>, a: &SummaryActivity) -> &'a [OccupationSummary] {
    t.occupations.get(&a.economic_activity).map(Vec::as_slice).unwrap_or_default()
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::bug(e.to_string())
}

/// One CSV table for both levels: the activity sheet's columns, then the
/// occupation's code and title. An activity's rows come first, its
/// occupations' rows after them (without forecasts and occupations
/// counted), and the total rows last.
pub fn csv(t: &Table<'_>, lang: Lang) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = ACTIVITY_COLUMNS.iter().chain(&[Label::OccupationCode, Label::Occupation]).map(|l| label(*l, lang));
    w.write_record(header).map_err(internal)?;
    let mut write = |cells: Vec<Cell>| w.write_record(cells.iter().map(Cell::csv)).map_err(internal);
    for a in t.activities {
        for mut row in activity_rows(a, &a.title, lang) {
            row.extend([Cell::Empty, Cell::Empty]);
            write(row)?;
        }
        for o in occupations_of(t, a) {
            for (bucket, f) in buckets(&o.accepted, o.pending.as_ref()) {
                let [counted, employers, demand, quota, exempt] = occupation_figures(bucket, &f, lang);
                write(vec![
                    Cell::text(&a.economic_activity),
                    Cell::text(&a.title),
                    counted,
                    employers,
                    Cell::Empty,
                    demand,
                    quota,
                    exempt,
                    Cell::Empty,
                    Cell::text(&o.occupation_code),
                    Cell::text(&o.occupation_title),
                ])?;
            }
        }
    }
    for mut row in activity_rows(t.totals, label(Label::AllActivities, lang), lang) {
        row.extend([Cell::Empty, Cell::Empty]);
        write(row)?;
    }
    w.into_inner().map_err(internal)
}

/// Writes `rows` under a bold `header` into a new sheet named `name`.
fn sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    name: &str,
    header: &[Label],
    rows: &[Vec<Cell>],
    lang: Lang,
) -> Result<(), AppError> {
    let ws = wb.add_worksheet();
    ws.set_name(name).map_err(internal)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), label(*h, lang), &bold).map_err(internal)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(internal)?;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => ws.write_string(r, col(c), s).map(|_| ()),
                // Figures are at most 10^6 per line and 200 lines per forecast:
                // exact in an f64.
                Cell::Number(n) => ws.write_number(r, col(c), *n as f64).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(internal)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(internal)?;
    ws.autofit();
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A workbook with a sheet per level: economic activities (and the total),
/// and occupations by economic activity.
pub fn xlsx(t: &Table<'_>, lang: Lang) -> Result<Vec<u8>, AppError> {
    let mut activities = Vec::new();
    let mut occupations = Vec::new();
    for a in t.activities {
        activities.extend(activity_rows(a, &a.title, lang));
        for o in occupations_of(t, a) {
            for (bucket, f) in buckets(&o.accepted, o.pending.as_ref()) {
                let mut row = vec![
                    Cell::text(&a.economic_activity),
                    Cell::text(&a.title),
                    Cell::text(&o.occupation_code),
                    Cell::text(&o.occupation_title),
                ];
                row.extend(occupation_figures(bucket, &f, lang));
                occupations.push(row);
            }
        }
    }
    activities.extend(activity_rows(t.totals, label(Label::AllActivities, lang), lang));
    let mut wb = rust_xlsxwriter::Workbook::new();
    sheet(&mut wb, label(Label::ActivitiesSheet, lang), &ACTIVITY_COLUMNS, &activities, lang)?;
    sheet(&mut wb, label(Label::OccupationsSheet, lang), &OCCUPATION_COLUMNS, &occupations, lang)?;
    wb.save_to_buffer().map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::neutralised;

    #[test]
    fn cells_a_spreadsheet_would_run_are_prefixed() {
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"] {
            assert_eq!(neutralised(formula), format!("'{formula}"));
        }
        for text in ["Bənna, xarici suvaq", "7123", "", " =1", "a=b", "'quoted"] {
            assert_eq!(neutralised(text), text);
        }
    }
}
