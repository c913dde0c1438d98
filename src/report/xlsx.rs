//! The report as an Excel workbook: one sheet per section, German headers,
//! dates as dates (TT.MM.JJJJ) and scores as numbers with one decimal (Excel
//! shows the decimal comma of a German installation), a frozen header row
//! with a filter. Byte for byte the same for the same report: the document's
//! creation date is fixed to the run's earliest start.

use super::Report;
use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// A cell of a row.
enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// The workbook's bytes.
pub fn to_xlsx(report: &Report) -> Result<Vec<u8>> {
    build(report).map_err(|e| Error::Internal(format!("XLSX: {e}")))
}

/// Writes the workbook to `path` (atomically: a temporary file renamed).
pub fn write_xlsx(report: &Report, path: &Path) -> Result<()> {
    let bytes = to_xlsx(report)?;
    let tmp = path.with_extension("xlsx.tmp");
    std::fs::write(&tmp, &bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn build(report: &Report) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = report
        .offers
        .iter()
        .map(|o| o.start)
        .min()
        .unwrap_or_default();
    let title = match &report.programme {
        Some(p) => format!("Zuteilung {p}"),
        None => "Zuteilung".to_string(),
    };
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("lotse")
            .set_creation_datetime(&excel_date(created)?),
    );

    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for o in &report.offers {
        let base = |rows: &mut Vec<Vec<Cell>>, person: [Cell; 4], status: &str, note: String| {
            let [profile, name, score, reasons] = person;
            rows.push(vec![
                o.offer.as_str().into(),
                o.title.as_str().into(),
                o.employer.as_str().into(),
                o.municipality.as_str().into(),
                o.kind.as_str().into(),
                Cell::Date(o.start),
                o.school.clone().unwrap_or_default().into(),
                status.into(),
                profile,
                name,
                score,
                reasons,
                note.into(),
            ]);
        };
        for a in &o.allocated {
            base(
                &mut rows,
                [
                    a.profile.as_str().into(),
                    a.name.as_str().into(),
                    Cell::Number(a.score),
                    a.reasons.as_str().into(),
                ],
                "zugeteilt",
                a.flags.join("; "),
            );
        }
        if o.empty > 0 {
            base(
                &mut rows,
                ["".into(), "".into(), Cell::Text(String::new()), "".into()],
                &format!("{} frei", o.empty),
                o.empty_reason.clone().unwrap_or_default(),
            );
        }
    }
    sheet(
        book.add_worksheet(),
        "Angebote",
        &[
            ("Angebot", 30.0),
            ("Titel", 30.0),
            ("Betrieb", 28.0),
            ("Ort", 16.0),
            ("Art", 14.0),
            ("Beginn", 11.0),
            ("Berufsschule", 24.0),
            ("Platz", 11.0),
            ("Profil", 9.0),
            ("Name", 20.0),
            ("Punkte", 8.0),
            ("Begründung", 60.0),
            ("Hinweise / Grund", 70.0),
        ],
        &rows,
    )?;

    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for c in &report.classes {
        let head = |rows: &mut Vec<Vec<Cell>>, a: Cell, b: Cell, d: Cell, e: String| {
            rows.push(vec![
                c.school.as_str().into(),
                c.municipality.as_str().into(),
                c.occupation.as_str().into(),
                c.school_year.as_str().into(),
                Cell::Number(f64::from(c.capacity)),
                Cell::Number(c.trainees.len() as f64),
                a,
                b,
                d,
                e.into(),
            ]);
        };
        for (offer, profile, name) in &c.trainees {
            head(
                &mut rows,
                offer.as_str().into(),
                profile.as_str().into(),
                name.as_str().into(),
                String::new(),
            );
        }
        if let Some(reason) = &c.free_reason {
            head(&mut rows, "".into(), "".into(), "".into(), reason.clone());
        }
    }
    sheet(
        book.add_worksheet(),
        "Berufsschulen",
        &[
            ("Berufsschule", 28.0),
            ("Ort", 14.0),
            ("Beruf", 30.0),
            ("Schuljahr", 10.0),
            ("Plätze", 8.0),
            ("belegt", 8.0),
            ("Angebot", 30.0),
            ("Profil", 9.0),
            ("Name", 20.0),
            ("freie Plätze", 60.0),
        ],
        &rows,
    )?;

    let rows: Vec<Vec<Cell>> = report
        .unplaced
        .iter()
        .map(|u| {
            vec![
                u.profile.as_str().into(),
                u.name.as_str().into(),
                u.best_offer.as_str().into(),
                Cell::Number(u.best_score),
                Cell::Number(u.relevant_offers as f64),
                u.reason.as_str().into(),
            ]
        })
        .collect();
    sheet(
        book.add_worksheet(),
        "Ohne Platz",
        &[
            ("Profil", 9.0),
            ("Name", 20.0),
            ("bestes Angebot", 30.0),
            ("Punkte", 8.0),
            ("passende Angebote", 10.0),
            ("Grund", 90.0),
        ],
        &rows,
    )?;

    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for c in &report.checklists {
        for (i, item) in c.items.iter().enumerate() {
            rows.push(vec![
                c.profile.as_str().into(),
                c.name.as_str().into(),
                c.offer.as_str().into(),
                Cell::Date(c.start),
                Cell::Number((i + 1) as f64),
                item.as_str().into(),
                "".into(),
            ]);
        }
    }
    sheet(
        book.add_worksheet(),
        "Vor dem Start",
        &[
            ("Profil", 9.0),
            ("Name", 20.0),
            ("Angebot", 30.0),
            ("Beginn", 11.0),
            ("Nr.", 5.0),
            ("Aufgabe", 90.0),
            ("erledigt", 10.0),
        ],
        &rows,
    )?;
    book.save_to_buffer()
}

/// Writes one sheet: bold header, frozen, with a filter over all rows.
fn sheet(
    ws: &mut Worksheet,
    name: &str,
    columns: &[(&str, f64)],
    rows: &[Vec<Cell>],
) -> std::result::Result<(), XlsxError> {
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let number = Format::new().set_num_format("0.0");
    let wrap = Format::new().set_text_wrap();
    for (c, (title, width)) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *title, &bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) if t.len() > 60 => {
                    ws.write_string_with_format(r, c, t, &wrap)?;
                }
                Cell::Text(t) => {
                    ws.write_string(r, c, t)?;
                }
                Cell::Number(x) => {
                    ws.write_number_with_format(r, c, *x, &number)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(r, c, excel_date(*d)?, &date)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, (columns.len() - 1) as u16)?;
    Ok(())
}
