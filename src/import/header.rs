//! The header line: which known column sits at which position. Header names
//! must be exactly those of the command line contract; unknown and doubled
//! names and missing required ones are all reported at once.

use crate::error::Diagnostic;
use std::collections::HashMap;
use std::path::Path;

/// What a kind of file may and must contain.
pub(super) struct Layout {
    pub known: &'static [&'static str],
    pub required: &'static [&'static str],
}

/// The columns of a file: which known column sits at which position.
#[derive(Debug)]
pub(super) struct Columns {
    by_name: HashMap<&'static str, usize>,
    /// Positions of columns without a name (Excel leaves some at the end);
    /// they must stay empty.
    pub unnamed: Vec<usize>,
}

impl Columns {
    /// Matches the header's names (trimmed) against `layout`; every problem
    /// goes to `diagnostics`, and the columns that could be matched are kept.
    pub(super) fn from_header(
        file: &Path,
        header: &[String],
        layout: &Layout,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Columns {
        let mut columns = Columns {
            by_name: HashMap::new(),
            unnamed: Vec::new(),
        };
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                columns.unnamed.push(i);
                continue;
            }
            let Some(&known) = layout.known.iter().find(|&&k| k == name) else {
                diagnostics.push(Diagnostic::at(
                    file,
                    1,
                    i + 1,
                    unknown_column(name, layout.known),
                ));
                continue;
            };
            if let Some(first) = columns.by_name.insert(known, i) {
                columns.by_name.insert(known, first);
                diagnostics.push(Diagnostic::at(
                    file,
                    1,
                    i + 1,
                    format!(
                        "Spalte „{name}“ steht doppelt (zuerst als Spalte {})",
                        first + 1
                    ),
                ));
            }
        }
        for &name in layout.required {
            if !columns.by_name.contains_key(name) {
                diagnostics.push(Diagnostic {
                    path: file.to_path_buf(),
                    line: Some(1),
                    column: None,
                    message: format!("Pflichtspalte „{name}“ fehlt in der Kopfzeile"),
                });
            }
        }
        columns
    }

    /// The 0-based position of a known column, if the file has it.
    pub(super) fn position(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }
}

/// The message for an unknown column, suggesting a close known name.
fn unknown_column(name: &str, known: &[&str]) -> String {
    let lower = name.to_lowercase();
    let close = known
        .iter()
        .find(|k| **k == lower || strsim::levenshtein(&lower, k) <= 2);
    match close {
        Some(k) => format!("unbekannte Spalte „{name}“ (gemeint ist vielleicht „{k}“)"),
        None => format!("unbekannte Spalte „{name}“ (erlaubt: {})", known.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: Layout = Layout {
        known: &["id", "given_name", "family_name", "notes"],
        required: &["id", "given_name"],
    };

    fn check(header: &[&str], positions: &[(&str, Option<usize>)], expected: &[&str]) {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let mut diagnostics = Vec::new();
        let columns = Columns::from_header(Path::new("t.csv"), &header, &LAYOUT, &mut diagnostics);
        for (name, position) in positions {
            assert_eq!(columns.position(name), *position, "{name}");
        }
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(messages, expected, "{header:?}");
    }

    #[test]
    fn known_columns_in_any_order_and_optional_ones_left_out() {
        check(
            &["given_name", "id", ""],
            &[("id", Some(1)), ("given_name", Some(0)), ("notes", None)],
            &[],
        );
    }

    #[test]
    fn header_problems_are_all_reported() {
        check(
            &["id", "Given_Name", "alter", "id", "", "notes"],
            &[("id", Some(0)), ("notes", Some(5)), ("given_name", None)],
            &[
                "t.csv:1:2: unbekannte Spalte „Given_Name“ (gemeint ist vielleicht „given_name“)",
                "t.csv:1:3: unbekannte Spalte „alter“ (erlaubt: id, given_name, family_name, notes)",
                "t.csv:1:4: Spalte „id“ steht doppelt (zuerst als Spalte 1)",
                "t.csv:1: Pflichtspalte „given_name“ fehlt in der Kopfzeile",
            ],
        );
    }
}
