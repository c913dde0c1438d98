//! Excel workbooks for people: the shortlist of an offer and the matches of
//! a person as `.xlsx` (`--format xlsx --out FILE.xlsx`, the web export).
//!
//! Unlike the CSV machine layout these carry German headers, names beside
//! ids (the person's name; an offer's title, employer and place), real
//! numeric cells with the number format `0.0` (Excel shows `83,4` in a
//! German locale), real date cells formatted `TT.MM.JJJJ`, `ja`/`nein`, a
//! frozen header row and an autofilter.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::rank::{Matches, Shortlist};
use crate::score::{criterion_label, Criterion, CRITERIA};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Writes a workbook atomically (temporary file beside it, then renamed).
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(path, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

fn internal(e: XlsxError) -> Error {
    Error::Internal(format!("Excel-Ausgabe: {e}"))
}

/// A cell value of a row.
enum Cell {
    Text(String),
    Number(f64),
    Whole(u64),
    Date(NaiveDate),
    Empty,
}

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    bold: Format,
    score: Format,
    date: Format,
    widths: Vec<usize>,
}

impl<'a> Sheet<'a> {
    fn new(
        ws: &'a mut Worksheet,
        name: &str,
        header: &[String],
    ) -> std::result::Result<Self, XlsxError> {
        ws.set_name(name)?;
        let bold = Format::new().set_bold();
        for (i, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, 0, header.len().saturating_sub(1) as u16)?;
        Ok(Sheet {
            ws,
            bold,
            score: Format::new().set_num_format("0.0"),
            date: Format::new().set_num_format("dd.mm.yyyy"),
            widths: header.iter().map(|h| h.chars().count() + 3).collect(),
        })
    }

    fn row(&mut self, row: u32, cells: Vec<Cell>) -> std::result::Result<(), XlsxError> {
        for (i, cell) in cells.into_iter().enumerate() {
            let col = i as u16;
            let width = match cell {
                Cell::Text(t) => {
                    self.ws.write_string(row, col, &t)?;
                    t.chars().count().min(60)
                }
                Cell::Number(n) => {
                    self.ws.write_number_with_format(row, col, n, &self.score)?;
                    6
                }
                Cell::Whole(n) => {
                    self.ws.write_number(row, col, n as f64)?;
                    6
                }
                Cell::Date(d) => {
                    let excel =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    self.ws
                        .write_date_with_format(row, col, &excel, &self.date)?;
                    10
                }
                Cell::Empty => 0,
            };
            if let Some(w) = self.widths.get_mut(i) {
                *w = (*w).max(width + 1);
            }
        }
        Ok(())
    }

    fn finish(self) -> std::result::Result<(), XlsxError> {
        let _ = &self.bold;
        for (i, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(i as u16, *w as f64)?;
        }
        Ok(())
    }
}

fn criteria_cells(criteria: &[Criterion]) -> impl Iterator<Item = Cell> + '_ {
    CRITERIA.iter().map(|n| {
        criteria
            .iter()
            .find(|c| c.name == *n)
            .map_or(Cell::Empty, |c| Cell::Number(c.contribution))
    })
}

fn yes_no(b: bool) -> Cell {
    Cell::Text(if b { "ja" } else { "nein" }.to_string())
}

fn joined(items: &[String]) -> Cell {
    if items.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(items.join("\n"))
    }
}

/// The place of an offer as people write it: „56068 Koblenz“.
fn place(postcode: Option<&str>, municipality: Option<&str>) -> Cell {
    let text = [postcode, municipality]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if text.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text)
    }
}

/// The shortlist of an offer as a workbook: one row per candidate.
pub fn shortlist_xlsx(engine: &Engine, list: &Shortlist) -> Result<Vec<u8>> {
    build_shortlist(engine, list).map_err(internal)
}

fn build_shortlist(engine: &Engine, list: &Shortlist) -> std::result::Result<Vec<u8>, XlsxError> {
    let offer = engine.catalogue.offer(&list.offer);
    let mut header: Vec<String> = [
        "Angebot",
        "Titel",
        "Arbeitgeber",
        "Ort",
        "Beginn",
        "Rang",
        "Profil",
        "Name",
        "Punkte",
        "Ausgeschlossen",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(CRITERIA.iter().map(|n| criterion_label(n).to_string()));
    header.extend(["Hinweise", "Lücken", "Bildungsangebote"].map(String::from));
    let mut wb = Workbook::new();
    let mut sheet = Sheet::new(wb.add_worksheet(), "Kandidaten", &header)?;
    for (i, c) in list.candidates.iter().enumerate() {
        let mut cells = vec![
            Cell::Text(list.offer.clone()),
            offer.map_or(Cell::Empty, |o| Cell::Text(o.title.clone())),
            offer.map_or(Cell::Empty, |o| Cell::Text(o.employer.clone())),
            offer.map_or(Cell::Empty, |o| {
                place(o.postcode.as_deref(), o.municipality.as_deref())
            }),
            offer.map_or(Cell::Empty, |o| Cell::Date(o.start_date)),
            Cell::Whole(i as u64 + 1),
            Cell::Text(c.profile.clone()),
            Cell::Text(c.name.clone()),
            Cell::Number(c.score),
            yes_no(c.excluded),
        ];
        cells.extend(criteria_cells(&c.criteria));
        cells.extend([joined(&c.flags), joined(&c.gaps), joined(&c.training)]);
        sheet.row(i as u32 + 1, cells)?;
    }
    sheet.finish()?;
    wb.save_to_buffer()
}

/// The matches of a person as a workbook: one row per occupation or offer;
/// `name` is the person's name.
pub fn matches_xlsx(engine: &Engine, name: &str, m: &Matches) -> Result<Vec<u8>> {
    build_matches(engine, name, m).map_err(internal)
}

fn build_matches(
    engine: &Engine,
    name: &str,
    m: &Matches,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut header: Vec<String> = [
        "Profil",
        "Name",
        "Rang",
        "Art",
        "Kennung",
        "Titel",
        "Arbeitgeber",
        "Ort",
        "Beginn",
        "KldB",
        "Punkte",
        "Ausgeschlossen",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(CRITERIA.iter().map(|n| criterion_label(n).to_string()));
    header.extend(["Hinweise", "Lücken", "Bildungsangebote"].map(String::from));
    let mut wb = Workbook::new();
    let mut sheet = Sheet::new(wb.add_worksheet(), "Passende Angebote", &header)?;
    for (i, r) in m.results.iter().enumerate() {
        let offer = (r.kind == "offer")
            .then(|| engine.catalogue.offer(&r.id))
            .flatten();
        let kind = if r.kind == "offer" { "Stelle" } else { "Beruf" };
        let mut cells = vec![
            Cell::Text(m.profile.clone()),
            Cell::Text(name.to_string()),
            Cell::Whole(i as u64 + 1),
            Cell::Text(kind.to_string()),
            Cell::Text(r.id.clone()),
            Cell::Text(r.title.clone()),
            offer.map_or(Cell::Empty, |o| Cell::Text(o.employer.clone())),
            offer.map_or(Cell::Empty, |o| {
                place(o.postcode.as_deref(), o.municipality.as_deref())
            }),
            offer.map_or(Cell::Empty, |o| Cell::Date(o.start_date)),
            Cell::Text(r.kldb.clone()),
            Cell::Number(r.score),
            yes_no(r.excluded),
        ];
        cells.extend(criteria_cells(&r.criteria));
        cells.extend([joined(&r.flags), joined(&r.gaps), joined(&r.training)]);
        sheet.row(i as u32 + 1, cells)?;
    }
    sheet.finish()?;
    wb.save_to_buffer()
}

/// The result of `lotse batch` as a workbook: with an allocation one row
/// per placement („Zuteilung“), otherwise the candidates per offer and the
/// offers per person. `name` gives a person's name by profile id.
pub fn batch_xlsx(
    engine: &Engine,
    batch: &crate::batch::Batch,
    name: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<u8>> {
    build_batch(engine, batch, name).map_err(internal)
}

fn offer_cells(engine: &Engine, id: &str) -> Vec<Cell> {
    let o = engine.catalogue.offer(id);
    vec![
        Cell::Text(id.to_string()),
        o.map_or(Cell::Empty, |o| Cell::Text(o.title.clone())),
        o.map_or(Cell::Empty, |o| Cell::Text(o.employer.clone())),
        o.map_or(Cell::Empty, |o| {
            place(o.postcode.as_deref(), o.municipality.as_deref())
        }),
        o.map_or(Cell::Empty, |o| Cell::Date(o.start_date)),
    ]
}

fn build_batch(
    engine: &Engine,
    batch: &crate::batch::Batch,
    name: &dyn Fn(&str) -> Option<String>,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let strings = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let person = |id: &str| name(id).map_or(Cell::Empty, Cell::Text);
    let mut wb = Workbook::new();
    if let Some(a) = &batch.assignment {
        let header = strings(&[
            "Angebot",
            "Titel",
            "Arbeitgeber",
            "Ort",
            "Beginn",
            "Profil",
            "Name",
            "Punkte",
        ]);
        let mut sheet = Sheet::new(wb.add_worksheet(), "Zuteilung", &header)?;
        for (i, p) in a.placements.iter().enumerate() {
            let mut cells = offer_cells(engine, &p.offer);
            cells.extend([
                Cell::Text(p.profile.clone()),
                person(&p.profile),
                Cell::Number(p.score),
            ]);
            sheet.row(i as u32 + 1, cells)?;
        }
        sheet.finish()?;
    }
    if !batch.offers.is_empty() {
        let header = strings(&[
            "Angebot",
            "Titel",
            "Arbeitgeber",
            "Ort",
            "Beginn",
            "Plätze",
            "Rang",
            "Profil",
            "Name",
            "Punkte",
            "Ausgeschlossen",
        ]);
        let mut sheet = Sheet::new(wb.add_worksheet(), "Kandidaten je Angebot", &header)?;
        let mut row = 1;
        for list in &batch.offers {
            for (i, c) in list.candidates.iter().enumerate() {
                let mut cells = offer_cells(engine, &list.offer);
                cells.extend([
                    Cell::Whole(list.places.into()),
                    Cell::Whole(i as u64 + 1),
                    Cell::Text(c.profile.clone()),
                    person(&c.profile),
                    Cell::Number(c.score),
                    yes_no(c.excluded),
                ]);
                sheet.row(row, cells)?;
                row += 1;
            }
        }
        sheet.finish()?;
    }
    if !batch.people.is_empty() {
        let header = strings(&[
            "Profil",
            "Name",
            "Rang",
            "Angebot",
            "Titel",
            "Arbeitgeber",
            "Ort",
            "Beginn",
            "Punkte",
            "Ausgeschlossen",
        ]);
        let mut sheet = Sheet::new(wb.add_worksheet(), "Angebote je Person", &header)?;
        let mut row = 1;
        for list in &batch.people {
            for (i, c) in list.offers.iter().enumerate() {
                let mut cells = vec![
                    Cell::Text(list.profile.clone()),
                    person(&list.profile),
                    Cell::Whole(i as u64 + 1),
                ];
                cells.extend(offer_cells(engine, &c.offer));
                cells.extend([Cell::Number(c.score), yes_no(c.excluded)]);
                sheet.row(row, cells)?;
                row += 1;
            }
        }
        sheet.finish()?;
    }
    wb.save_to_buffer()
}
