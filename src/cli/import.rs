//! `lotse import profiles|offers FILE.csv`

use super::{Context, Failure};
use clap::{Args, ValueEnum};
use lotse::import::{self, Encoding, ImportOptions};
use std::path::PathBuf;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Profile, eine Zeile je Person
    Profiles,
    /// Angebote (Stellen, Ausbildung, EQ, Praktika), eine Zeile je Angebot
    Offers,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Was die Datei enthält
    #[arg(value_enum, value_name = "ART")]
    pub kind: Kind,
    /// CSV-Datei (Trennzeichen „;“ oder „,“, Listen in einer Zelle mit „|“)
    #[arg(value_name = "DATEI")]
    pub file: PathBuf,
    /// Nur prüfen und melden, was geschrieben würde; nichts schreiben
    #[arg(long)]
    pub dry_run: bool,
    /// Datensätze mit schon vorhandener Kennung ersetzen
    #[arg(long)]
    pub replace: bool,
    /// Kodierung der Datei: utf-8 (Standard, mit oder ohne BOM) oder windows-1252
    #[arg(long, value_name = "KODIERUNG", default_value = "utf-8", value_parser = parse_encoding)]
    pub encoding: Encoding,
}

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    s.parse()
}

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<(), Failure> {
    let options = ImportOptions {
        encoding: args.encoding,
        replace: args.replace,
        dry_run: args.dry_run,
    };
    let result = match args.kind {
        Kind::Profiles => import::import_profiles(&ctx.data, &args.file, &options),
        Kind::Offers => import::import_offers(&ctx.data, &args.file, &options),
    };
    match result {
        Ok(report) => {
            if report.dry_run {
                for r in &report.records {
                    let what = if r.replaced { "ersetzt" } else { "neu" };
                    outln!("{} → {} ({what})", r.id, r.path.display());
                }
            }
            outln!("{}", report.summary());
            Ok(())
        }
        Err(lotse::Error::Invalid(diagnostics)) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            let n = diagnostics.len();
            Err(Failure::Invalid(Some(format!(
                "{n} Fehler; nichts importiert."
            ))))
        }
        Err(e) => Err(e.into()),
    }
}
