//! Text cells of CSV output, neutralised against formula injection: a
//! spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return as a formula, and an imported offer title or a typed
//! note may start that way. Such a cell gets a leading `'`, which Excel and
//! LibreOffice show as text and do not display. Every CSV writer of lotse
//! passes its text cells (not its numbers) through [`text`].

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell safe to open in a spreadsheet.
pub fn text(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// [`text`] of an owned cell.
pub fn owned(cell: String) -> String {
    match text(&cell) {
        Cow::Borrowed(_) => cell,
        Cow::Owned(safe) => safe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_plain_text_stays() {
        for (cell, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+49 261", "'+49 261"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Koch", "Koch"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(text(cell), safe, "{cell:?}");
            assert_eq!(owned(cell.to_string()), safe);
        }
    }
}
