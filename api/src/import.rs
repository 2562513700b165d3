//! Reading an occupational classification file, as the statistics committee
//! exports it: CSV (UTF-8, comma or semicolon) or XLSX (any sheet order),
//! with a header row naming a code column and a title column (SPEC §6).

use domain::occupation::ImportRow;
use domain::text::fold;
use std::io::Cursor;

/// Why a file could not be read at all (as opposed to bad rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError(pub String);

/// Media type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Which columns hold the code and the title, from a header row.
fn header_columns(cells: &[String]) -> Option<(usize, usize)> {
    let names: Vec<String> = cells.iter().map(|c| fold(c)).collect();
    let code = names.iter().position(|n| matches!(n.as_str(), "code" | "kod" | "kodu" | "isco code" | "isco"))?;
    let title = names
        .iter()
        .position(|n| matches!(n.as_str(), "title" | "name" | "ad" | "adi" | "pese" | "pesenin adi" | "occupation"))?;
    Some((code, title))
}

/// Whether `bytes` look like a ZIP archive (an XLSX workbook).
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads the data rows of a CSV file; line numbers are the file's lines.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<ImportRow>, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileError("the CSV file is not UTF-8".into()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.contains(';') && !first.contains(',') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut columns = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| FileError(format!("CSV: {e}")))?;
        // The line the record starts on, counted in the text itself (the
        // reader does not count blank lines).
        let mut byte = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        let line = text.as_bytes()[..byte.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1;
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match columns {
            None => {
                columns = Some(header_columns(&cells).ok_or_else(|| {
                    FileError("the header row (the first) must name a code column (code, kod) and a title column (title, name, ad)".into())
                })?);
            }
            Some((c, t)) => rows.push(ImportRow {
                line,
                code: cells.get(c).cloned().unwrap_or_default(),
                title: cells.get(t).cloned().unwrap_or_default(),
            }),
        }
    }
    if columns.is_none() {
        return Err(FileError("the file is empty".into()));
    }
    Ok(rows)
}

fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::String(s) => s.clone(),
        // Codes typed as numbers: 110 → "110" (read as 0110 later).
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Reads the data rows of the first sheet (in any order) whose first
/// non-empty row names the code and title columns; line numbers are the
/// spreadsheet's row numbers.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<ImportRow>, FileError> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| FileError(format!("XLSX: {e}")))?;
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let mut columns = None;
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = first_row + i + 1;
            match columns {
                None => match header_columns(&cells) {
                    Some(c) => columns = Some(c),
                    None => break,
                },
                Some((c, t)) => rows.push(ImportRow {
                    line,
                    code: cells.get(c).cloned().unwrap_or_default(),
                    title: cells.get(t).cloned().unwrap_or_default(),
                }),
            }
        }
        if columns.is_some() {
            return Ok(rows);
        }
    }
    Err(FileError("no sheet has a header row naming a code column and a title column".into()))
}

/// Reads a CSV or XLSX file, by its content.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<ImportRow>, FileError> {
    if looks_like_xlsx(bytes) {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_a_bom_and_azerbaijani_headers() {
        let file = "\u{feff}Kod;Ad\n110;Admiral\n\n6123;\"Fermer, ipəkçilik\"\n";
        let rows = read_csv(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].code.as_str(), rows[0].title.as_str()), (2, "110", "Admiral"));
        assert_eq!((rows[1].line, rows[1].title.as_str()), (4, "Fermer, ipəkçilik"));
    }

    #[test]
    fn a_file_without_the_headers_is_refused() {
        assert!(read_csv(b"a,b\n1,2\n").is_err());
        assert!(read_csv(b"").is_err());
    }
}
