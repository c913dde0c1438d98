//! Output formats of `shortlist` and `match`: a table for people in a
//! terminal, CSV for spreadsheets, JSON for other tools (stable contract).

use clap::{Args, ValueEnum};
use lotse::score::Criterion;

/// Options shared by `shortlist`, `match` and `batch`.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// höchstens so viele Ergebnisse
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Ausgabeformat
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    /// Excel-Arbeitsmappe mit deutschen Überschriften und Namen (nur mit --out)
    Xlsx,
}

/// Writes a workbook to `out`; `--format xlsx` without `--out` is a usage error.
pub fn write_xlsx(
    out: Option<&std::path::Path>,
    bytes: lotse::Result<Vec<u8>>,
) -> Result<(), super::Failure> {
    let Some(path) = out else {
        return Err(super::Failure::Usage(
            "--format xlsx braucht --out DATEI.xlsx (eine Excel-Datei gehört nicht ins Terminal)"
                .into(),
        ));
    };
    let bytes = bytes?;
    lotse::export::write_file(path, &bytes)?;
    outln!("Excel-Datei geschrieben: {}", path.display());
    Ok(())
}

/// The top reasons of a score in a few words: the criteria with the
/// largest contributions and their best evidence.
pub fn reasons(criteria: &[Criterion], n: usize) -> String {
    let mut sorted: Vec<&Criterion> = criteria.iter().filter(|c| c.contribution > 0.0).collect();
    sorted.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    sorted
        .iter()
        .take(n)
        .map(|c| {
            let evidence: Vec<String> = c
                .evidence
                .iter()
                .take(2)
                .map(|e| {
                    let same =
                        lotse::text::normalize(&e.written) == lotse::text::normalize(&e.matched);
                    if !same
                        && (c.name == "skills" || c.name == "experience" || c.name == "interests")
                    {
                        format!("{} → {}", e.written, e.matched)
                    } else {
                        e.written.clone()
                    }
                })
                .collect();
            let points = lotse::web::labels::decimal(c.contribution, 1);
            if evidence.is_empty() {
                format!("{} {points}", c.label())
            } else {
                let evidence = lotse::web::labels::readable(&evidence.join("; "));
                format!("{} {points} ({evidence})", c.label())
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The contribution of a named criterion, empty where it does not apply.
pub fn contribution(criteria: &[Criterion], name: &str) -> String {
    criteria
        .iter()
        .find(|c| c.name == name)
        .map(|c| format!("{:.2}", c.contribution))
        .unwrap_or_default()
}

/// Prints JSON to stdout.
pub fn json<T: serde::Serialize>(value: &T) -> Result<(), super::Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| super::Failure::Invalid(Some(format!("interner Fehler: {e}"))))?;
    outln!("{text}");
    Ok(())
}

/// Maps a CSV error to a failure.
pub fn csv_err(e: csv::Error) -> super::Failure {
    super::Failure::Invalid(Some(format!("CSV-Ausgabe: {e}")))
}
