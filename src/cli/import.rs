//! `lotse import profiles|offers FILE.csv|FILE.xlsx|FILE.json`,
//! `lotse import training FILE.json`, `lotse import --template FILE.xlsx`

use super::{Context, Failure};
use clap::{Args, ValueEnum};
use lotse::import::{self, Encoding, ImportKind, ImportOptions};
use std::path::PathBuf;

/// What a file holds.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Profile, eine Zeile je Person (CSV oder Excel)
    Profiles,
    /// Angebote (Stellen, Ausbildung, EQ, Praktika): CSV, Excel oder JSON der BA-Jobsuche
    Offers,
    /// Bildungsangebote aus dem JSON der BA-Weiterbildungssuche
    Training,
}

impl Kind {
    fn import_kind(self) -> ImportKind {
        match self {
            Kind::Profiles => ImportKind::Profiles,
            Kind::Offers => ImportKind::Offers,
            Kind::Training => ImportKind::Training,
        }
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Was die Datei enthält
    #[arg(value_enum, value_name = "ART", required_unless_present = "template")]
    pub kind: Option<Kind>,
    /// CSV-Datei (Trennzeichen „;“ oder „,“, Listen in einer Zelle mit „|“), Excel-Datei (.xlsx) oder JSON der Bundesagentur
    #[arg(value_name = "DATEI", required_unless_present = "template")]
    pub file: Option<PathBuf>,
    /// Schreibt eine leere Excel-Vorlage mit Kopfzeile und erlaubten Werten
    /// (profiles.xlsx oder offers.xlsx; sonst ART angeben)
    #[arg(long, value_name = "DATEI.xlsx", conflicts_with = "file")]
    pub template: Option<PathBuf>,
    /// Nur prüfen und melden, was geschrieben würde; nichts schreiben
    #[arg(long)]
    pub dry_run: bool,
    /// Datensätze mit schon vorhandener Kennung ersetzen
    #[arg(long)]
    pub replace: bool,
    /// Auch Personen importieren, die wahrscheinlich schon erfasst sind
    #[arg(long)]
    pub allow_duplicates: bool,
    /// Kodierung der Datei: utf-8 (Standard, mit oder ohne BOM) oder windows-1252
    #[arg(long, value_name = "KODIERUNG", default_value = "utf-8", value_parser = parse_encoding)]
    pub encoding: Encoding,
}

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    s.parse()
}

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<(), Failure> {
    if let Some(template) = &args.template {
        let kind = match args.kind {
            Some(kind) => kind.import_kind(),
            None => import::template_kind(template).ok_or_else(|| {
                Failure::Usage(format!(
                    "{}: aus dem Namen geht nicht hervor, ob Profile oder Angebote; „lotse import profiles --template {0}“ oder „lotse import offers --template {0}“",
                    template.display()
                ))
            })?,
        };
        import::write_template(kind, template).map_err(report)?;
        outln!(
            "Vorlage für {} geschrieben: {}",
            kind.noun(2),
            template.display()
        );
        return Ok(());
    }
    let (Some(kind), Some(file)) = (args.kind, &args.file) else {
        return Err(Failure::Usage(
            "ART und DATEI angeben, z. B. „lotse import profiles profile.xlsx“".into(),
        ));
    };
    let options = ImportOptions {
        encoding: args.encoding,
        replace: args.replace,
        dry_run: args.dry_run,
        allow_duplicates: args.allow_duplicates,
    };
    let result = match kind {
        Kind::Profiles => import::import_profiles(&ctx.data, file, &options),
        Kind::Offers => import::import_offers(&ctx.data, file, &options),
        Kind::Training => import::import_training(&ctx.data, file, &options),
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
        Err(e) => Err(report(e)),
    }
}

/// Prints every diagnostic of an invalid file; other errors pass through.
fn report(e: lotse::Error) -> Failure {
    match e {
        lotse::Error::Invalid(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            let n = diagnostics.len();
            Failure::Invalid(Some(format!("{n} Fehler; nichts importiert.")))
        }
        e => e.into(),
    }
}
