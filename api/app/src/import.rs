//! Reading an occupational classification file, as the statistics committee
//! exports it: CSV (UTF-8, comma or semicolon) or XLSX (any sheet order),
//! with a header row naming a code column and a title column (SPEC §6).

use domain::occupation::ImportRow;
use domain::text::fold;
use domain::FieldCode;
use std::io::Cursor;

/// Why a file could not be read at all (as opposed to bad rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Not a file of a kind this reads, or a broken one (400).
    Unreadable(String),
    /// Larger than [`XlsxLimits`] allow, found before anything was allocated
    /// for it (422): `code` names the limit, `max` its value.
    OverLimit { code: FieldCode, max: u64 },
}

fn unreadable(msg: impl Into<String>) -> FileError {
    FileError::Unreadable(msg.into())
}

/// What an XLSX workbook may hold. calamine trusts a sheet's cell
/// references and allocates a dense grid from the first to the last (a cell
/// at A1 and one at XFD1048576 is 2^34 cells, 512 GiB), and it reads shared
/// strings whole; a 10 MiB upload can also inflate to gigabytes. So the
/// archive is measured, and each sheet's declared `<dimension>` checked,
/// before calamine opens it, and cells are then read one by one within these
/// bounds.
#[derive(Debug, Clone, Copy)]
pub struct XlsxLimits {
    /// Rows a sheet may reach (the last row number).
    pub max_rows: u32,
    /// Columns a sheet may reach (the last column number).
    pub max_columns: u32,
    /// Bytes the archive's parts may hold once decompressed, together.
    pub max_uncompressed: u64,
    /// Parts (files) in the archive.
    pub max_parts: usize,
}

/// The data rows a classification file may hold: the statistics committee's
/// list has some thousands (ISCO-08 with its national titles about 10,000).
pub const MAX_ROWS: u32 = 200_000;

/// The limits of classification imports: the statistics committee's list
/// has some thousands of rows and a handful of columns.
pub const XLSX_LIMITS: XlsxLimits =
    XlsxLimits { max_rows: MAX_ROWS, max_columns: 100, max_uncompressed: 100 * 1024 * 1024, max_parts: 1_000 };

/// Column letters (`A`, `XFD`) and row digits of a cell reference such as
/// `XFD1048576` (a `$` is allowed), as 1-based (row, column).
fn cell_ref(s: &str) -> Option<(u64, u64)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    if digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = letters.bytes().fold(0u64, |n, b| n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1));
    Some((digits.parse().ok()?, col))
}

/// The last (row, column) a `<dimension ref="A1:XFD1048576"/>` claims, if
/// the text of a sheet's start holds one.
fn declared_dimension(head: &str) -> Option<(u64, u64)> {
    let at = head.find("<dimension")?;
    let tag = &head[at..at + head[at..].find('>')?];
    let value = tag.split("ref=").nth(1)?;
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let range = value[1..].split(quote).next()?;
    let last = range.rsplit(':').next()?;
    cell_ref(last)
}

/// Measures the archive of an XLSX workbook against `limits` without
/// trusting it: the parts' declared sizes, then their real decompressed
/// sizes (read and dropped, never more than the limit), and the dimension
/// each worksheet declares.
pub fn check_xlsx(bytes: &[u8], limits: &XlsxLimits) -> Result<(), FileError> {
    use std::io::Read;
    let over = |code, max| FileError::OverLimit { code, max };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(format!("XLSX: {e}")))?;
    if zip.len() > limits.max_parts {
        return Err(over(FieldCode::XlsxTooManyParts, limits.max_parts as u64));
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| unreadable(format!("XLSX: {e}")))?;
        declared = declared.saturating_add(part.size());
    }
    if declared > limits.max_uncompressed {
        return Err(over(FieldCode::XlsxTooLargeUncompressed, limits.max_uncompressed));
    }
    // Declared sizes can lie: count what each part really inflates to.
    let mut left = limits.max_uncompressed;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| unreadable(format!("XLSX: {e}")))?;
        let sheet = part.name().starts_with("xl/worksheets/") && part.name().ends_with(".xml");
        let mut head = Vec::new();
        if sheet {
            // <dimension> comes before <sheetData>, after at most <sheetPr>.
            (&mut part).take(64 * 1024).read_to_end(&mut head).map_err(|e| unreadable(format!("XLSX: {e}")))?;
            if let Some((rows, cols)) = declared_dimension(&String::from_utf8_lossy(&head)) {
                if rows > u64::from(limits.max_rows) {
                    return Err(over(FieldCode::XlsxTooManyRows, u64::from(limits.max_rows)));
                }
                if cols > u64::from(limits.max_columns) {
                    return Err(over(FieldCode::XlsxTooManyColumns, u64::from(limits.max_columns)));
                }
            }
        }
        let rest = std::io::copy(&mut (&mut part).take(left.saturating_add(1)), &mut std::io::sink())
            .map_err(|e| unreadable(format!("XLSX: {e}")))?;
        let size = rest.saturating_add(head.len() as u64);
        if size > left {
            return Err(over(FieldCode::XlsxTooLargeUncompressed, limits.max_uncompressed));
        }
        left -= size;
    }
    Ok(())
}

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
    let text = std::str::from_utf8(bytes).map_err(|_| unreadable("the CSV file is not UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.contains(';') && !first.contains(',') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut columns = None;
    let mut rows = Vec::new();
    // Lines are counted from where the last record began, so reading stays
    // linear in the file (counting from the start each time was quadratic:
    // minutes for the 80,000 rows a careless export can hold).
    let (mut counted_to, mut lines_before) = (0, 0);
    for record in reader.records() {
        let record = record.map_err(|e| unreadable(format!("CSV: {e}")))?;
        // The line the record starts on, counted in the text itself (the
        // reader does not count blank lines).
        let mut byte = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        let byte = byte.min(text.len()).max(counted_to);
        lines_before += text.as_bytes()[counted_to..byte].iter().filter(|b| **b == b'\n').count();
        counted_to = byte;
        let line = lines_before + 1;
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match columns {
            None => {
                columns = Some(header_columns(&cells).ok_or_else(|| {
                    unreadable("the header row (the first) must name a code column (code, kod) and a title column (title, name, ad)")
                })?);
            }
            Some(_) if rows.len() >= MAX_ROWS as usize => {
                return Err(FileError::OverLimit { code: FieldCode::TooManyRows, max: u64::from(MAX_ROWS) });
            }
            Some((c, t)) => rows.push(ImportRow {
                line,
                code: cells.get(c).cloned().unwrap_or_default(),
                title: cells.get(t).cloned().unwrap_or_default(),
            }),
        }
    }
    if columns.is_none() {
        return Err(unreadable("the file is empty"));
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
/// spreadsheet's row numbers. The workbook is measured first
/// ([`check_xlsx`]); cells are then read one at a time, and a cell beyond
/// the limits refuses the file before anything is allocated for it.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<ImportRow>, FileError> {
    read_xlsx_within(bytes, &XLSX_LIMITS)
}

fn read_xlsx_within(bytes: &[u8], limits: &XlsxLimits) -> Result<Vec<ImportRow>, FileError> {
    use calamine::Reader;
    check_xlsx(bytes, limits)?;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(format!("XLSX: {e}")))?;
    for name in book.sheet_names() {
        let Ok(mut reader) = book.worksheet_cells_reader(&name) else {
            continue;
        };
        // Non-empty cells by row, sparse: memory follows what the file holds.
        let mut grid: std::collections::BTreeMap<u32, Vec<(u32, String)>> = std::collections::BTreeMap::new();
        loop {
            let cell = match reader.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(e) => return Err(unreadable(format!("XLSX: sheet {name}: {e}"))),
            };
            let (row, col) = cell.get_position();
            if row >= limits.max_rows {
                return Err(FileError::OverLimit { code: FieldCode::XlsxTooManyRows, max: u64::from(limits.max_rows) });
            }
            if col >= limits.max_columns {
                return Err(FileError::OverLimit {
                    code: FieldCode::XlsxTooManyColumns,
                    max: u64::from(limits.max_columns),
                });
            }
            let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
            if !text.trim().is_empty() {
                grid.entry(row).or_default().push((col, text));
            }
        }
        let mut columns = None;
        let mut rows = Vec::new();
        for (row, cells) in grid {
            let line = row as usize + 1;
            let at = |c: usize| cells.iter().find(|(col, _)| *col as usize == c).map(|(_, t)| t.clone());
            match columns {
                None => {
                    let width = cells.iter().map(|(c, _)| *c as usize + 1).max().unwrap_or(0);
                    let header: Vec<String> = (0..width).map(|c| at(c).unwrap_or_default()).collect();
                    match header_columns(&header) {
                        Some(c) => columns = Some(c),
                        None => break,
                    }
                }
                Some((c, t)) => {
                    rows.push(ImportRow { line, code: at(c).unwrap_or_default(), title: at(t).unwrap_or_default() })
                }
            }
        }
        if columns.is_some() {
            return Ok(rows);
        }
    }
    Err(unreadable("no sheet has a header row naming a code column and a title column"))
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
    fn line_numbers_count_blank_and_quoted_lines() {
        let file = "Kod,Ad\n\n110,\"Admiral,\nikinci sətir\"\n\r\n6123,Fermer\n7123,Bənna\n";
        let lines: Vec<usize> = read_csv(file.as_bytes()).unwrap().iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 6, 7]);
    }

    #[test]
    fn a_csv_of_more_rows_than_the_limit_is_refused_naming_it() {
        let mut file = String::from("Kod,Ad\n");
        for i in 0..MAX_ROWS {
            file.push_str(&format!("7123,T{i}\n"));
        }
        assert_eq!(read_csv(file.as_bytes()).map(|r| r.len()), Ok(MAX_ROWS as usize));
        file.push_str("7123,one more\n");
        assert_eq!(
            read_csv(file.as_bytes()),
            Err(FileError::OverLimit { code: FieldCode::TooManyRows, max: u64::from(MAX_ROWS) })
        );
    }

    #[test]
    fn a_file_without_the_headers_is_refused() {
        assert!(read_csv(b"a,b\n1,2\n").is_err());
        assert!(read_csv(b"").is_err());
    }

    fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, c, v) in cells {
            sheet.write_string(*r, *c, *v).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// The same workbook with each worksheet's `<dimension>` removed.
    fn without_dimension(bytes: &[u8]) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let name = part.name().to_owned();
            let mut text = Vec::new();
            part.read_to_end(&mut text).unwrap();
            if name.starts_with("xl/worksheets/") {
                let s = String::from_utf8(text).unwrap();
                let start = s.find("<dimension").unwrap();
                let end = start + s[start..].find("/>").unwrap() + 2;
                text = format!("{}{}", &s[..start], &s[end..]).into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(&text).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_good_workbook_is_read_by_its_row_numbers() {
        let file = workbook(&[(2, 1, "Kod"), (2, 2, "Ad"), (3, 1, "110"), (3, 2, "Admiral"), (5, 2, "Bənna")]);
        let rows = read_xlsx(&file).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].code.as_str(), rows[0].title.as_str()), (4, "110", "Admiral"));
        assert_eq!((rows[1].line, rows[1].code.as_str(), rows[1].title.as_str()), (6, "", "Bənna"));
    }

    /// A few KiB that claim the whole sheet: calamine would allocate 2^34
    /// cells for it.
    #[test]
    fn a_sheet_that_reaches_xfd1048576_is_refused_before_it_is_read() {
        let file = workbook(&[(0, 0, "Kod"), (0, 1, "Ad"), (1_048_575, 16_383, "x")]);
        assert!(file.len() < 16 * 1024, "{}", file.len());
        assert_eq!(read_xlsx(&file), Err(FileError::OverLimit { code: FieldCode::XlsxTooManyRows, max: 200_000 }));
        let wide = workbook(&[(0, 0, "Kod"), (0, 1, "Ad"), (1, 16_383, "x")]);
        assert_eq!(read_xlsx(&wide), Err(FileError::OverLimit { code: FieldCode::XlsxTooManyColumns, max: 100 }));
        // Without a declared dimension, the far cell itself is refused.
        let hidden = without_dimension(&file);
        assert!(!String::from_utf8_lossy(&hidden).contains("<dimension"));
        assert_eq!(read_xlsx(&hidden), Err(FileError::OverLimit { code: FieldCode::XlsxTooManyRows, max: 200_000 }));
        assert!(read_xlsx(&without_dimension(&workbook(&[(0, 0, "Kod"), (0, 1, "Ad"), (1, 0, "110")]))).is_ok());
    }

    #[test]
    fn a_workbook_that_inflates_beyond_the_limit_is_refused() {
        // Shared strings are kept once each: ten different long titles.
        let fillers: Vec<String> = (0..10).map(|i| i.to_string().repeat(30_000)).collect();
        let mut cells = vec![(0, 0, "Kod"), (0, 1, "Ad")];
        cells.extend(fillers.iter().zip(1..).map(|(f, r)| (r, 1, f.as_str())));
        let file = workbook(&cells);
        let tight = XlsxLimits { max_uncompressed: 100_000, ..XLSX_LIMITS };
        let refused = read_xlsx_within(&file, &tight);
        assert!(
            matches!(refused, Err(FileError::OverLimit { code: FieldCode::XlsxTooLargeUncompressed, max: 100_000 })),
            "{:?}",
            refused.map(|r| r.len())
        );
        assert!(read_xlsx(&file).is_ok());
        assert!(matches!(read_xlsx(b"PK\x03\x04 not a zip"), Err(FileError::Unreadable(_))));
    }

    #[test]
    fn cell_references_and_dimensions_are_read() {
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref("$B$3"), Some((3, 2)));
        assert_eq!(cell_ref("A"), None);
        assert_eq!(declared_dimension(r#"<worksheet><dimension ref="A1:C20"/><sheetData>"#), Some((20, 3)));
        assert_eq!(declared_dimension("<dimension ref='B2'/>"), Some((2, 2)));
        assert_eq!(declared_dimension("<sheetData>"), None);
    }
}
