//! Reading the first sheet of an Excel workbook (`.xlsx`) as a table with
//! the same columns as a CSV file. Cells are turned into the text a CSV
//! cell would hold: whole numbers without decimals, date cells as ISO
//! dates, `WAHR`/`FALSCH` as `ja`/`nein`; the line of a row is its row
//! number in Excel, the column its position (A = 1).

use super::csv_file::{RawRow, Table};
use super::header::{Columns, Layout};
use crate::error::Diagnostic;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use std::path::Path;

/// Whether `bytes` look like a ZIP container (what an `.xlsx` is).
pub(super) fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads the first sheet of the workbook `bytes` (the content of `file`).
pub(super) fn read(file: &Path, bytes: &[u8], layout: &Layout) -> Result<Table, Diagnostic> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Diagnostic::file(file, format!("keine lesbare Excel-Datei (.xlsx): {e}")))?;
    let range = match workbook.worksheet_range_at(0) {
        None => {
            return Err(Diagnostic::file(
                file,
                "die Excel-Datei hat kein Tabellenblatt",
            ))
        }
        Some(Err(e)) => {
            return Err(Diagnostic::file(
                file,
                format!("das erste Tabellenblatt ist nicht lesbar: {e}"),
            ))
        }
        Some(Ok(range)) => range,
    };
    let Some((start_row, start_column)) = range.start() else {
        return Err(empty(file));
    };
    let mut diagnostics = Vec::new();
    let mut lines = range.rows().enumerate().map(|(i, cells)| {
        let line = start_row as usize + i + 1;
        let mut texts = vec![String::new(); start_column as usize];
        for (j, cell) in cells.iter().enumerate() {
            let column = start_column as usize + j + 1;
            texts.push(text(cell).unwrap_or_else(|message| {
                diagnostics.push(Diagnostic::at(file, line, column, message));
                String::new()
            }));
        }
        while texts.last().is_some_and(String::is_empty) {
            texts.pop();
        }
        RawRow { line, cells: texts }
    });
    let Some(header) = lines.next() else {
        return Err(empty(file));
    };
    let rows: Vec<RawRow> = lines.filter(|r| !r.cells.is_empty()).collect();
    let mut header_diagnostics = Vec::new();
    if header.line != 1 {
        header_diagnostics.push(Diagnostic::at(
            file,
            header.line,
            1,
            "die Kopfzeile muss in Zeile 1 des ersten Tabellenblatts stehen",
        ));
    }
    let columns = Columns::from_header(file, &header.cells, layout, &mut header_diagnostics);
    diagnostics.append(&mut header_diagnostics);
    for row in &rows {
        for &i in &columns.unnamed {
            if row.cells.get(i).is_some_and(|c| !c.is_empty()) {
                diagnostics.push(Diagnostic::at(
                    file,
                    row.line,
                    i + 1,
                    format!(
                        "Spalte {} hat keine Überschrift, aber hier einen Wert",
                        i + 1
                    ),
                ));
            }
        }
        if row.cells.len() > header.cells.len() {
            diagnostics.push(Diagnostic::at(
                file,
                row.line,
                header.cells.len() + 1,
                "hier steht ein Wert rechts der letzten Spalte mit Überschrift",
            ));
        }
    }
    Ok(Table {
        columns,
        rows,
        diagnostics,
    })
}

fn empty(file: &Path) -> Diagnostic {
    Diagnostic::file(
        file,
        "das erste Tabellenblatt ist leer: erwartet wird eine Kopfzeile mit den Spaltennamen",
    )
}

/// The text of one cell as a CSV cell would hold it.
fn text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(true) => "ja".to_string(),
        Data::Bool(false) => "nein".to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => number(d.as_f64()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("die Zelle enthält den Excel-Fehler {e}")),
    })
}

/// A number as written in a cell: whole numbers without decimals (Excel
/// stores `1991` as `1991.0`), others with a decimal comma.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string().replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(1991.0), "1991");
        assert_eq!(number(1.5), "1,5");
        assert_eq!(text(&Data::Bool(true)).unwrap(), "ja");
        assert_eq!(text(&Data::String(" Koch ".into())).unwrap(), "Koch");
        let date =
            calamine::ExcelDateTime::new(42430.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&Data::DateTime(date)).unwrap(), "2016-03-01");
    }
}
