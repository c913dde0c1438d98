//! `lotse import --template profiles.xlsx|offers.xlsx`: an empty workbook
//! with the German headers, a drop-down of the allowed values where a column
//! has a fixed set, date columns formatted `TT.MM.JJJJ`, and a second sheet
//! „Erlaubte Werte“ describing every column.

use super::header::Layout;
use super::{offer_row, profile_row, ImportKind};
use crate::error::{Diagnostic, Error, Result};
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};
use std::path::Path;

/// What a column accepts: a fixed list (then a drop-down) or a description.
pub(super) enum Allowed {
    List(&'static [&'static str]),
    Text(&'static str),
    Date,
}

const LEVELS: &[&str] = &["keine", "A1", "A2", "B1", "B2", "C1", "C2"];
const YES_NO: &[&str] = &["ja", "nein"];

/// The allowed values of every column of a profiles file.
pub(super) fn profile_allowed(column: &str) -> Allowed {
    match column {
        "id" => Allowed::Text("Kennung, z. B. P-1001 (Buchstaben, Ziffern, „-“, „_“)"),
        "birth_year" => Allowed::Text("ganze Zahl, z. B. 1991"),
        "residence_status" => Allowed::List(&[
            "gestattung",
            "duldung",
            "erlaubnis",
            "niederlassung",
            "unbekannt",
        ]),
        "work_permit" => Allowed::List(&["ja", "zustimmung", "nein", "unbekannt"]),
        "postcode" => Allowed::Text("5 Ziffern, als Text (führende Null behalten)"),
        "mobility_km" => Allowed::Text("ganze Zahl (km)"),
        "driving_licences" => Allowed::Text("Klassen mit „|“ getrennt, z. B. B|C1"),
        "german_level" => Allowed::List(LEVELS),
        "languages" => Allowed::Text("Code:Niveau mit „|“ getrennt, z. B. ar:native|en:B1"),
        "literate_latin" => Allowed::List(YES_NO),
        "school_years" => Allowed::Text("ganze Zahl, höchstens 25"),
        "vocational_training" | "work_experience" => {
            Allowed::Text("Bezeichnung:Jahre mit „|“ getrennt, z. B. Koch:5|Kellner:1,5")
        }
        "skills" | "interests" => {
            Allowed::Text("mit „|“ getrennt, z. B. Gemüse schneiden|Kassieren")
        }
        "available_from" | "intake_date" => Allowed::Date,
        _ => Allowed::Text("freier Text"),
    }
}

/// The allowed values of every column of an offers file.
pub(super) fn offer_allowed(column: &str) -> Allowed {
    match column {
        "id" => Allowed::Text("Kennung, z. B. O-2001 (Buchstaben, Ziffern, „-“, „_“)"),
        "kind" => Allowed::List(&["job", "ausbildung", "eq", "praktikum"]),
        "occupation" => Allowed::Text("KldB-Kennung oder Berufsbezeichnung, z. B. Koch/Köchin"),
        "postcode" => Allowed::Text("5 Ziffern, als Text (führende Null behalten)"),
        "places" => Allowed::Text("ganze Zahl ab 1"),
        "start_date" => Allowed::Date,
        "min_german" => Allowed::List(LEVELS),
        "required_licences" => Allowed::Text("Klassen mit „|“ getrennt, z. B. B|C1"),
        "work_permit_required" => Allowed::List(YES_NO),
        "skills" => Allowed::Text("mit „|“ getrennt"),
        _ => Allowed::Text("freier Text"),
    }
}

/// The kind a template file name asks for (`profiles.xlsx`, `angebote.xlsx`).
pub fn template_kind(file: &Path) -> Option<ImportKind> {
    let stem = file.file_stem()?.to_str()?.to_lowercase();
    if stem.contains("profil") {
        Some(ImportKind::Profiles)
    } else if stem.contains("offer") || stem.contains("angebot") {
        Some(ImportKind::Offers)
    } else {
        None
    }
}

/// Writes the empty workbook for `kind` to `file`.
pub fn write_template(kind: ImportKind, file: &Path) -> Result<()> {
    let (layout, allowed, sheet): (&Layout, fn(&str) -> Allowed, &str) = match kind {
        ImportKind::Profiles => (&profile_row::LAYOUT, profile_allowed, "Profile"),
        ImportKind::Offers => (&offer_row::LAYOUT, offer_allowed, "Angebote"),
        ImportKind::Training => {
            return Err(Error::Usage(
                "eine Excel-Vorlage gibt es nur für Profile und Angebote; Kurse kommen als JSON der Weiterbildungssuche".into(),
            ))
        }
    };
    let bytes = template(layout, allowed, sheet)
        .map_err(|e| Error::Internal(format!("Excel-Vorlage: {e}")))?;
    crate::export::write_file(file, &bytes).map_err(|e| {
        Error::Invalid(vec![Diagnostic::file(
            file,
            format!("Vorlage nicht schreibbar: {e}"),
        )])
    })
}

fn template(
    layout: &Layout,
    allowed: fn(&str) -> Allowed,
    sheet: &str,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let text = Format::new().set_num_format("@");
    let rows = 1000;
    {
        let ws = workbook.add_worksheet();
        ws.set_name(sheet)?;
        for (i, &column) in layout.known.iter().enumerate() {
            let col = i as u16;
            let name = layout.german_name(column);
            ws.write_string_with_format(0, col, name, &bold)?;
            ws.set_column_width(col, (name.chars().count() as f64 + 4.0).max(14.0))?;
            match allowed(column) {
                Allowed::List(values) => {
                    let list = DataValidation::new()
                        .allow_list_strings(values)?
                        .set_error_message(format!("Erlaubt: {}", values.join(", ")))?;
                    ws.add_data_validation(1, col, rows, col, &list)?;
                }
                Allowed::Date => {
                    ws.set_column_format(col, &date)?;
                }
                Allowed::Text(_) if column == "postcode" || column == "id" => {
                    ws.set_column_format(col, &text)?;
                }
                Allowed::Text(_) => {}
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, 0, layout.known.len() as u16 - 1)?;
    }
    let help = workbook.add_worksheet();
    help.set_name("Erlaubte Werte")?;
    for (col, title) in ["Spalte", "Englischer Name", "Pflicht", "Erlaubte Werte"]
        .iter()
        .enumerate()
    {
        help.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (i, &column) in layout.known.iter().enumerate() {
        let row = i as u32 + 1;
        help.write_string(row, 0, layout.german_name(column))?;
        help.write_string(row, 1, column)?;
        let required = if layout.required.contains(&column) {
            "ja"
        } else {
            "nein"
        };
        help.write_string(row, 2, required)?;
        let values = match allowed(column) {
            Allowed::List(values) => values.join(", "),
            Allowed::Text(t) => t.to_string(),
            Allowed::Date => "Datum TT.MM.JJJJ (oder JJJJ-MM-TT)".to_string(),
        };
        help.write_string(row, 3, values)?;
    }
    help.set_column_width(0, 24)?;
    help.set_column_width(1, 22)?;
    help.set_column_width(3, 70)?;
    help.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cefr::Cefr;
    use crate::permit::{ResidenceStatus, WorkPermit};
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn listed_values_are_accepted_by_the_import() {
        let check = |values: Allowed, parse: &dyn Fn(&str) -> bool| {
            let Allowed::List(values) = values else {
                panic!("expected a list")
            };
            for v in values {
                assert!(parse(v), "{v}");
            }
        };
        check(profile_allowed("residence_status"), &|v| {
            v.parse::<ResidenceStatus>().is_ok()
        });
        check(profile_allowed("work_permit"), &|v| {
            v.parse::<WorkPermit>().is_ok()
        });
        check(profile_allowed("german_level"), &|v| {
            v.parse::<Cefr>().is_ok()
        });
        check(offer_allowed("min_german"), &|v| v.parse::<Cefr>().is_ok());
        check(profile_allowed("literate_latin"), &|v| {
            super::super::cells::yes_no(v).is_ok()
        });
        check(offer_allowed("kind"), &|v| {
            v.parse::<crate::catalogue::OfferKind>().is_ok()
        });
    }

    #[test]
    fn templates_hold_german_headers_for_every_column() {
        for (layout, allowed) in [
            (&profile_row::LAYOUT, profile_allowed as fn(&str) -> Allowed),
            (&offer_row::LAYOUT, offer_allowed),
        ] {
            let bytes = template(layout, allowed, "Blatt").unwrap();
            let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let range = wb.worksheet_range_at(0).unwrap().unwrap();
            let header: Vec<String> = range
                .rows()
                .next()
                .unwrap()
                .iter()
                .map(Data::to_string)
                .collect();
            assert_eq!(header.len(), layout.known.len());
            for (written, known) in header.iter().zip(layout.known) {
                assert_eq!(written, layout.german_name(known));
            }
            assert_eq!(wb.sheet_names()[1], "Erlaubte Werte");
        }
    }
}
