//! Reading a CSV file the way German Excel writes it: the encoding (UTF-8
//! with or without BOM, or Windows-1252 when asked for), the delimiter (`;`
//! or `,`, told by the header line) and the rows with their line numbers.

use super::header::{Columns, Layout};
use crate::error::Diagnostic;
use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The character encoding of a CSV file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without byte order mark (the default; Excel's "CSV UTF-8").
    #[default]
    Utf8,
    /// Windows-1252, what Excel writes as plain "CSV" on German Windows.
    Windows1252,
}

impl Encoding {
    /// The name as written after `--encoding`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" => Ok(Encoding::Windows1252),
            _ => Err(format!(
                "unbekannte Kodierung „{s}“ (erlaubt: utf-8, windows-1252)"
            )),
        }
    }
}

/// A data row: its line in the file and its cells, decoded and trimmed.
#[derive(Debug)]
pub(super) struct RawRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A file read as a table. Problems of the header or of a row's shape are
/// in `diagnostics`; rows whose cells cannot be told apart are left out.
#[derive(Debug)]
pub(super) struct Table {
    pub columns: Columns,
    pub rows: Vec<RawRow>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `bytes` (the content of `file`) as a table. An error means the file
/// cannot be read as a table at all (wrong encoding, no header).
pub(super) fn read(
    file: &Path,
    bytes: &[u8],
    encoding: Encoding,
    layout: &Layout,
) -> Result<Table, Diagnostic> {
    let bytes = to_utf8(file, bytes, encoding)?;
    let delimiter = delimiter(file, &bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[..]);
    let mut records = Vec::new();
    let mut lines = Lines::new(&bytes);
    for result in reader.byte_records() {
        let record = result.map_err(|e| {
            let line = e.position().map_or(1, |p| lines.at(p.byte()));
            Diagnostic::at(file, line, 1, format!("CSV nicht lesbar: {e}"))
        })?;
        let line = record.position().map_or(1, |p| lines.at(p.byte()));
        records.push((line, record));
    }
    let mut records = records.into_iter();
    let Some((_, header)) = records.next() else {
        return Err(empty(file));
    };
    let header = decode_cells(file, 1, &header, None)?;
    let mut diagnostics = Vec::new();
    let columns = Columns::from_header(file, &header, layout, &mut diagnostics);
    let mut rows = Vec::new();
    for (line, record) in records {
        let cells = decode_cells(file, line, &record, Some(&header))?;
        if cells.iter().all(String::is_empty) {
            continue; // Excel writes empty rows as `;;;;`
        }
        if cells.len() > header.len() {
            // A row with more cells than the header is shifted (an unquoted
            // delimiter inside a cell); its cells cannot be told apart, so
            // only that is reported, not a cascade of wrong values.
            if let Some(extra) = (header.len()..cells.len()).find(|&i| !cells[i].is_empty()) {
                diagnostics.push(Diagnostic::at(
                    file,
                    line,
                    extra + 1,
                    format!(
                        "die Zeile hat {} Zellen, die Kopfzeile nur {}: steht ein „{}“ in einer Zelle ohne Anführungszeichen?",
                        cells.len(),
                        header.len(),
                        delimiter as char
                    ),
                ));
                continue;
            }
        }
        for &i in &columns.unnamed {
            if cells.get(i).is_some_and(|c| !c.is_empty()) {
                diagnostics.push(Diagnostic::at(
                    file,
                    line,
                    i + 1,
                    format!(
                        "Spalte {} hat keine Überschrift, aber hier einen Wert",
                        i + 1
                    ),
                ));
            }
        }
        rows.push(RawRow { line, cells });
    }
    Ok(Table {
        columns,
        rows,
        diagnostics,
    })
}

/// Line numbers of byte offsets, counted forwards. The csv crate's own line
/// count lags one line behind after a CRLF line ending (it ends a record at
/// the `\r` and counts the `\n` with the next one), so the line is taken
/// from the first byte of the record after any line endings instead.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record starting at `offset` (offsets must not decrease).
    fn at(&mut self, offset: u64) -> usize {
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.offset {
            let newlines = self.bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += newlines;
            self.offset = start;
        }
        self.line
    }
}

fn empty(file: &Path) -> Diagnostic {
    Diagnostic::file(
        file,
        "die Datei ist leer: erwartet wird eine Kopfzeile mit den Spaltennamen",
    )
}

/// The file as UTF-8 bytes, without byte order mark. With the default
/// encoding the bytes are kept and checked cell by cell (so a bad byte is
/// reported with its row and column); Windows-1252 is converted whole.
fn to_utf8<'a>(
    file: &Path,
    bytes: &'a [u8],
    encoding: Encoding,
) -> Result<Cow<'a, [u8]>, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::file(
            file,
            "die Datei ist in UTF-16 gespeichert (Excel „Unicode-Text“); bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern",
        ));
    }
    match encoding {
        Encoding::Utf8 => Ok(Cow::Borrowed(
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
        )),
        Encoding::Windows1252 => {
            // Valid UTF-8 with non-ASCII characters is almost never
            // Windows-1252; decoding it would garble every umlaut.
            if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
                return Err(Diagnostic::file(
                    file,
                    "die Datei ist schon UTF-8 kodiert: ohne --encoding windows-1252 importieren",
                ));
            }
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(Cow::Owned(text.into_owned().into_bytes()))
        }
    }
}

/// The delimiter, told by the header line: the more frequent of `;` and `,`
/// outside quotes (`;` on a tie, as German Excel writes it).
fn delimiter(file: &Path, bytes: &[u8]) -> Result<u8, Diagnostic> {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    if first.iter().all(u8::is_ascii_whitespace) {
        return Err(empty(file));
    }
    let (mut semicolons, mut commas, mut quoted) = (0, 0, false);
    for &b in first {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => semicolons += 1,
            b',' if !quoted => commas += 1,
            _ => {}
        }
    }
    match (semicolons, commas) {
        (0, 0) => {
            let tab = if first.contains(&b'\t') {
                " (Tabulatoren werden nicht unterstützt: in Excel als „CSV UTF-8“ speichern)"
            } else {
                ""
            };
            Err(Diagnostic::at(
                file,
                1,
                1,
                format!(
                    "Trennzeichen nicht erkannt: die Kopfzeile enthält weder „;“ noch „,“{tab}"
                ),
            ))
        }
        (s, c) if s >= c => Ok(b';'),
        _ => Ok(b','),
    }
}

/// The cells of one record as trimmed text; a cell that is not UTF-8 rejects the file.
fn decode_cells(
    file: &Path,
    line: usize,
    record: &csv::ByteRecord,
    header: Option<&[String]>,
) -> Result<Vec<String>, Diagnostic> {
    let mut cells = Vec::with_capacity(record.len());
    for (i, raw) in record.iter().enumerate() {
        match std::str::from_utf8(raw) {
            Ok(text) => cells.push(text.trim().to_string()),
            Err(e) => {
                let byte = raw[e.valid_up_to()];
                let column = match header.and_then(|h| h.get(i)) {
                    Some(name) if !name.is_empty() => format!("Spalte „{name}“: "),
                    _ => String::new(),
                };
                return Err(Diagnostic::at(
                    file,
                    line,
                    i + 1,
                    format!(
                        "{column}Zeichen 0x{byte:02X} ist kein UTF-8: die Datei ist vermutlich Windows-1252 (Excel); mit --encoding windows-1252 erneut importieren"
                    ),
                ));
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: Layout = Layout {
        known: &["id", "given_name", "family_name", "notes"],
        required: &["id", "given_name"],
        german: &[],
    };

    fn table(bytes: &[u8]) -> Result<Table, Diagnostic> {
        read(Path::new("t.csv"), bytes, Encoding::Utf8, &LAYOUT)
    }

    fn messages(t: &Table) -> Vec<String> {
        t.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn delimiters_are_told_by_the_header() {
        for (bytes, expected) in [
            (
                &b"id;given_name\nP-1;Ali, Samir\n"[..],
                vec!["P-1", "Ali, Samir"],
            ),
            (
                b"id,given_name\nP-1,\"Ali; Samir\"\n",
                vec!["P-1", "Ali; Samir"],
            ),
            (
                b"\xEF\xBB\xBFid;given_name\r\nP-1;\"Ali \"\"A\"\"\"\r\n",
                vec!["P-1", "Ali \"A\""],
            ),
            (b"id,\"given_name\"\nP-1,Ali\n", vec!["P-1", "Ali"]),
        ] {
            let t = table(bytes).unwrap();
            assert_eq!(t.rows.len(), 1, "{bytes:?}");
            assert_eq!(t.rows[0].cells, expected, "{bytes:?}");
            assert!(t.diagnostics.is_empty(), "{:?}", messages(&t));
        }
    }

    #[test]
    fn rows_keep_their_line_in_the_file() {
        let t = table(b"id;given_name;notes\nP-1;A;\"zwei\nZeilen\"\n;;\nP-2;B;\n").unwrap();
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 5], "the empty row 4 is skipped");
        assert_eq!(t.rows[0].cells[2], "zwei\nZeilen");
    }

    #[test]
    fn crlf_and_blank_lines_do_not_shift_line_numbers() {
        let t = table(b"id;given_name\r\nP-1;A\r\n\r\nP-2;\"B\r\nC\"\r\nP-3;D\r\n").unwrap();
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4, 6]);
        let e = table(b"id;given_name\r\nP-1;A\r\nP-2;\xFC\r\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(2)));
    }

    #[test]
    fn shifted_rows_and_values_in_unnamed_columns_are_errors() {
        let t = table(b"id,given_name,\nP-1,A,\nP-2,Koch:1,5\nP-3,A,x,y\n").unwrap();
        assert_eq!(
            messages(&t),
            vec![
                "t.csv:3:3: Spalte 3 hat keine Überschrift, aber hier einen Wert",
                "t.csv:4:4: die Zeile hat 4 Zellen, die Kopfzeile nur 3: steht ein „,“ in einer Zelle ohne Anführungszeichen?",
            ]
        );
        assert_eq!(t.rows.len(), 2);
    }

    #[test]
    fn bad_bytes_name_row_column_and_encoding() {
        let e = table(b"id;given_name\nP-1;Ali\nP-2;M\xFCller\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.column, Some(2));
        assert!(e
            .message
            .starts_with("Spalte „given_name“: Zeichen 0xFC ist kein UTF-8"));
        assert!(e.message.contains("--encoding windows-1252"));
    }

    #[test]
    fn windows_1252_is_decoded_when_asked_for() {
        let bytes = b"id;given_name\nP-2;J\xFCrgen \x80\n";
        let t = read(Path::new("t.csv"), bytes, Encoding::Windows1252, &LAYOUT).unwrap();
        assert_eq!(t.rows[0].cells[1], "Jürgen €");
        let utf8 = "id;given_name\nP-2;Jürgen\n".as_bytes();
        let e = read(Path::new("t.csv"), utf8, Encoding::Windows1252, &LAYOUT).unwrap_err();
        assert!(e.message.contains("schon UTF-8"), "{e}");
    }

    #[test]
    fn unreadable_files_are_refused() {
        for (bytes, part) in [
            (&b""[..], "leer"),
            (b"\xEF\xBB\xBF\n", "leer"),
            (b"\xFF\xFEi\0d\0", "UTF-16"),
            (b"id\tgiven_name\n", "Tabulatoren"),
            (b"id\n", "Trennzeichen"),
        ] {
            let e = table(bytes).unwrap_err();
            assert!(e.message.contains(part), "{bytes:?}: {e}");
        }
    }

    #[test]
    fn encodings_parse() {
        assert_eq!("UTF-8".parse(), Ok(Encoding::Utf8));
        assert_eq!("windows-1252".parse(), Ok(Encoding::Windows1252));
        assert_eq!("cp1252".parse(), Ok(Encoding::Windows1252));
        assert!("latin9".parse::<Encoding>().is_err());
    }
}
