//! The header line: which known column sits at which position. Header names
//! are those of the command line contract or their German names (compared
//! without regard to case and spacing); unknown and doubled names and
//! missing required ones are all reported at once.

use crate::error::Diagnostic;
use std::collections::HashMap;
use std::path::Path;

/// What a kind of file may and must contain.
pub(super) struct Layout {
    pub known: &'static [&'static str],
    pub required: &'static [&'static str],
    /// German names of known columns: `(German, English)`; the first German
    /// name of a column is the one the template writes.
    pub german: &'static [(&'static str, &'static str)],
}

impl Layout {
    /// The name the template and messages use for a known column: its first
    /// German name, or the English one where it has none.
    pub(super) fn german_name(&self, known: &str) -> &'static str {
        self.german
            .iter()
            .find(|(_, k)| *k == known)
            .map(|(g, _)| *g)
            .or_else(|| self.known.iter().find(|k| **k == known).copied())
            .unwrap_or("")
    }

    /// The known column a header name stands for, English or German.
    fn lookup(&self, name: &str) -> Option<&'static str> {
        if let Some(k) = self.known.iter().find(|&&k| k == name) {
            return Some(k);
        }
        let folded = fold(name);
        self.known
            .iter()
            .copied()
            .find(|k| fold(k) == folded)
            .or_else(|| {
                self.german
                    .iter()
                    .find(|(g, _)| fold(g) == folded)
                    .map(|(_, k)| *k)
            })
    }
}

/// A header name compared without case, spaces, `_`, `-`, `/` and a unit in
/// brackets: „Pendelradius (km)“ is „pendelradius“, „Berater/in“ is „beraterin“.
fn fold(name: &str) -> String {
    let name = match name.find('(') {
        Some(i) if name.trim_end().ends_with(')') && i > 0 => &name[..i],
        _ => name,
    };
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '/' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The columns of a file: which known column sits at which position.
#[derive(Debug)]
pub(super) struct Columns {
    by_name: HashMap<&'static str, usize>,
    /// The header's own name of each known column, for messages.
    written: HashMap<&'static str, String>,
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
            written: HashMap::new(),
            unnamed: Vec::new(),
        };
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                columns.unnamed.push(i);
                continue;
            }
            let Some(known) = layout.lookup(name) else {
                diagnostics.push(Diagnostic::at(file, 1, i + 1, unknown_column(name, layout)));
                continue;
            };
            columns.written.entry(known).or_insert_with(|| name.clone());
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
                    message: match layout.german_name(name) {
                        german if german != name => {
                            format!("Pflichtspalte „{name}“ („{german}“) fehlt in der Kopfzeile")
                        }
                        _ => format!("Pflichtspalte „{name}“ fehlt in der Kopfzeile"),
                    },
                });
            }
        }
        columns
    }

    /// The 0-based position of a known column, if the file has it.
    pub(super) fn position(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The name the file gives a known column (German or English).
    pub(super) fn written<'a>(&'a self, name: &'a str) -> &'a str {
        self.written.get(name).map_or(name, String::as_str)
    }
}

/// The message for an unknown column, suggesting a close known name.
fn unknown_column(name: &str, layout: &Layout) -> String {
    let known = layout.known;
    let lower = fold(name);
    let close = known
        .iter()
        .copied()
        .chain(layout.german.iter().map(|(g, _)| *g))
        .find(|k| strsim::levenshtein(&lower, &fold(k)) <= 2);
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
        german: &[("Vorname", "given_name"), ("Notizen", "notes")],
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
            &["id", "Given_Nme", "alter", "id", "", "notes"],
            &[("id", Some(0)), ("notes", Some(5)), ("given_name", None)],
            &[
                "t.csv:1:2: unbekannte Spalte „Given_Nme“ (gemeint ist vielleicht „given_name“)",
                "t.csv:1:3: unbekannte Spalte „alter“ (erlaubt: id, given_name, family_name, notes)",
                "t.csv:1:4: Spalte „id“ steht doppelt (zuerst als Spalte 1)",
                "t.csv:1: Pflichtspalte „given_name“ („Vorname“) fehlt in der Kopfzeile",
            ],
        );
    }

    #[test]
    fn german_names_and_spellings_are_accepted() {
        let header: Vec<String> = ["ID", "VORNAME", "Given Name", "Notizen (frei)"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut diagnostics = Vec::new();
        let columns = Columns::from_header(Path::new("t.csv"), &header, &LAYOUT, &mut diagnostics);
        assert_eq!(columns.position("id"), Some(0));
        assert_eq!(columns.position("given_name"), Some(1));
        assert_eq!(columns.position("notes"), Some(3));
        assert_eq!(columns.written("given_name"), "VORNAME");
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            ["t.csv:1:3: Spalte „Given Name“ steht doppelt (zuerst als Spalte 2)"]
        );
    }
}
