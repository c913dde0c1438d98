//! Errors of the engine: invalid input that a user can fix, kept apart from
//! internal failures (bugs, a broken index, the disk).

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a user's input, with the place it was found.
///
/// Displayed as `path:line:column: message`, as the command line contract
/// asks; line and column are 1-based and omitted where unknown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for a whole file, without a position.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// A diagnostic at a 1-based line and column.
    pub fn at(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Records or other input the user can fix; every problem found is listed.
    #[error("{}", join_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),
    /// A request that names something that does not exist (an id, a file).
    #[error("{0}")]
    NotFound(String),
    /// A usage mistake that the user can fix (a bad option value).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The search index failed; it can be rebuilt from the records.
    #[error("Suchindex: {0} (mit `lotse index` neu aufbauen)")]
    Index(#[from] tantivy::TantivyError),
    /// A bug or a broken invariant.
    #[error("interner Fehler: {0}")]
    Internal(String),
}

fn join_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// An I/O error for a path.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// True for errors caused by the user's input (exit code 1), false for
    /// internal failures.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Invalid(_) | Error::NotFound(_) | Error::Usage(_) | Error::Io { .. }
        )
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
