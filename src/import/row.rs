//! One data row while it is turned into a record: cells by column name,
//! and every problem placed at `FILE:ROW:COLUMN` with the column's name.

use super::cells;
use super::csv_file::RawRow;
use super::header::Columns;
use crate::error::Diagnostic;
use std::path::Path;

/// A row being read; problems pile up in `diagnostics`, none stops the row.
pub(super) struct Row<'a> {
    file: &'a Path,
    columns: &'a Columns,
    raw: &'a RawRow,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Row<'a> {
    pub(super) fn new(file: &'a Path, columns: &'a Columns, raw: &'a RawRow) -> Self {
        Row {
            file,
            columns,
            raw,
            diagnostics: Vec::new(),
        }
    }

    /// The line of the row in the file (1 is the header).
    pub(super) fn line(&self) -> usize {
        self.raw.line
    }

    /// The 1-based column of a known column, where the file has it.
    pub(super) fn column(&self, name: &str) -> Option<usize> {
        self.columns.position(name).map(|i| i + 1)
    }

    /// The cell's text, `None` where the column is missing or the cell empty.
    pub(super) fn text(&self, name: &str) -> Option<&'a str> {
        let i = self.columns.position(name)?;
        self.raw
            .cells
            .get(i)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The cell's text as an owned string, `None` where empty.
    pub(super) fn string(&self, name: &str) -> Option<String> {
        self.text(name).map(str::to_string)
    }

    /// A cell that must not be empty. A missing column is reported once for
    /// the header, not again for each row.
    pub(super) fn required(&mut self, name: &str) -> Option<String> {
        let text = self.string(name);
        if text.is_none() && self.column(name).is_some() {
            self.error(name, "darf nicht leer sein".into());
        }
        text
    }

    /// A required cell parsed with `parse`.
    pub(super) fn required_value<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.text(name).is_none() {
            self.required(name);
            return None;
        }
        self.value(name, parse)
    }

    /// A cell parsed with `parse`; `None` where empty (not known) or wrong
    /// (then the problem is recorded).
    pub(super) fn value<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.text(name)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(message) => {
                self.error(name, message);
                None
            }
        }
    }

    /// A `|`-separated list, each item parsed with `parse`; every bad item is recorded.
    pub(super) fn list<T>(
        &mut self,
        name: &str,
        mut parse: impl FnMut(&str) -> Result<T, String>,
    ) -> Vec<T> {
        let Some(text) = self.text(name) else {
            return Vec::new();
        };
        let mut values = Vec::new();
        for item in cells::list(text) {
            match parse(item) {
                Ok(value) => values.push(value),
                Err(message) => self.error(name, cells::list_hint(item, message)),
            }
        }
        values
    }

    /// A list of free text items, as written.
    pub(super) fn texts(&mut self, name: &str) -> Vec<String> {
        self.list(name, |s| Ok(s.to_string()))
    }

    /// Records a problem in a column of this row.
    pub(super) fn error(&mut self, name: &str, message: String) {
        let column = self.column(name).unwrap_or(1);
        self.diagnostics.push(Diagnostic::at(
            self.file,
            self.raw.line,
            column,
            format!("Spalte „{}“: {message}", self.columns.written(name)),
        ));
    }
}
