//! `lotse batch [--assign [--programme NAME] [--min-score N] [--report FILE.xlsx]
//! [--require-permit-for-training]] [--out FILE]`

use super::output::{Format, OutputArgs};
use super::{Context, Failure};
use lotse::batch::{self, Batch, BatchOptions};
use lotse::web::labels::{count, decimal};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of `lotse batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// optimale Zuteilung: höchste Gesamtpunktzahl, kein Angebot über seine Plätze, niemand zweimal
    #[arg(long)]
    pub assign: bool,
    /// Ergebnis in diese Datei schreiben (Format nach --format oder Endung .csv/.json)
    #[arg(long, value_name = "DATEI")]
    pub out: Option<PathBuf>,
    /// nur die Angebote dieses Programms (z. B. "DEHOGA Integrationsinitiative")
    #[arg(long, value_name = "NAME")]
    pub programme: Option<String>,
    /// Paare unter dieser Punktzahl nicht zuteilen (0–100)
    #[arg(long, value_name = "N", requires = "assign", value_parser = min_score)]
    pub min_score: Option<f64>,
    /// Bericht für die Koordination als Excel-Datei (.xlsx): Zuteilung je Angebot und Berufsschule, freie Plätze und Personen ohne Platz mit Grund, Checkliste vor dem Start
    #[arg(long, value_name = "DATEI.xlsx", requires = "assign")]
    pub report: Option<PathBuf>,
    /// Aufenthalt für die ganze Ausbildung verlangen: ein Titel, eine Gestattung oder Duldung, die vor dem Ausbildungsende endet, schließt aus
    #[arg(long, requires = "assign")]
    pub require_permit_for_training: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Parses `--min-score`: a number from 0 to 100 (decimal point or comma).
fn min_score(text: &str) -> Result<f64, String> {
    match text.trim().replace(',', ".").parse::<f64>() {
        Ok(x) if (0.0..=100.0).contains(&x) => Ok(x),
        _ => Err(format!("„{text}“ ist keine Punktzahl von 0 bis 100")),
    }
}

pub fn run(ctx: &Context, args: &BatchArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut engine = ctx.engine()?;
    if let Some(path) = &args.report {
        if path.extension().and_then(|e| e.to_str()) != Some("xlsx") {
            return Err(lotse::Error::Usage(format!(
                "--report {}: der Bericht ist eine Excel-Datei, bitte mit der Endung .xlsx",
                path.display()
            ))
            .into());
        }
    }
    // Fails early, before the index is opened, on an unknown programme.
    let selected = batch::selected_offers(&engine, args.programme.as_deref())?;
    let index = ctx.profile_index(&engine)?;
    // A setting of this run only: the index was opened with the configuration as written.
    engine.config.training_period.require_permit_for_training = args.require_permit_for_training;
    let offers = selected.len() as u64;
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(offers + index.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("Bewerte");
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let format = match (&args.out, args.output.format) {
        (Some(path), Format::Table) => by_extension(path),
        (_, f) => f,
    };
    if format == Format::Xlsx && args.out.is_none() {
        return super::output::write_xlsx(None, Ok(Vec::new()));
    }
    // With --assign, CSV and the table show only the allocation.
    let per_person = !args.assign || format == Format::Json;
    if !per_person {
        bar.set_length(offers);
    }
    let options = BatchOptions {
        top: args.output.top,
        assign: args.assign,
        per_person,
        programme: args.programme.clone(),
        min_score: args.min_score.unwrap_or(0.0),
        report: args.report.is_some(),
    };
    let result = batch::run(&engine, &index, options, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    if let (Some(path), Some(report)) = (&args.report, &result.report) {
        lotse::report::write_xlsx(report, path)?;
        eprintln!(
            "Bericht geschrieben: {} ({} Angebote, {} Berufsschulklassen, {} Personen ohne Platz)",
            path.display(),
            report.offers.len(),
            report.classes.len(),
            report.unplaced.len()
        );
    }
    if format == Format::Xlsx {
        let name = |id: &str| index.profile(id).map(|p| p.name.clone());
        super::output::write_xlsx(
            args.out.as_deref(),
            lotse::export::batch_xlsx(&engine, &result, &name),
        )?;
        if let Some(a) = &result.assignment {
            eprintln!("{}", summary(a));
        }
        return Ok(());
    }
    let text = render(&result, format, args.assign)?;
    match &args.out {
        Some(path) => {
            lotse::records::write_atomic(path, &text)?;
            outln!("Ergebnis geschrieben: {}", path.display());
        }
        None => outln!("{}", text.trim_end()),
    }
    if let Some(a) = &result.assignment {
        if args.out.is_some() || format != Format::Table {
            eprintln!("{}", summary(a));
        }
    }
    eprintln!(
        "{} Profile × {} Angebote in {} s bewertet.",
        index.len(),
        offers,
        decimal(started.elapsed().as_secs_f64(), 1)
    );
    Ok(())
}

fn by_extension(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Format::Json,
        Some("xlsx") => Format::Xlsx,
        _ => Format::Csv,
    }
}

fn summary(a: &batch::Assignment) -> String {
    let scope = match &a.programme {
        Some(p) => format!(" ({p})"),
        None => String::new(),
    };
    let mut s = format!(
        "Zuteilung{scope}: {} von {} besetzt, mittlere Punktzahl {}, Summe {}; {} mit passendem Angebot ohne Platz, {} ohne passendes Angebot.",
        a.filled,
        count(a.places, "Platz", "Plätzen"),
        decimal(a.mean_score, 1),
        decimal(a.total_score, 1),
        count(a.unplaced.len() as u64, "Person", "Personen"),
        a.without_option
    );
    if a.min_score > 0.0 {
        s.push_str(&format!(" Mindestpunktzahl {}.", decimal(a.min_score, 1)));
    }
    for c in a.classes.iter().take(20) {
        s.push_str(&format!(
            "\n  Berufsschulklasse {} {} {}: {} von {} Plätzen belegt",
            c.school, c.occupation, c.school_year, c.taken, c.capacity
        ));
    }
    if a.classes.len() > 20 {
        s.push_str(&format!(
            "\n  … und {} weitere Berufsschulklassen",
            a.classes.len() - 20
        ));
    }
    for e in a.empty.iter().take(20) {
        s.push_str(&format!(
            "\n  {} frei bei {}: {}",
            count(e.empty, "Platz", "Plätze"),
            e.offer,
            e.reason
        ));
    }
    if a.empty.len() > 20 {
        s.push_str(&format!(
            "\n  … und {} weitere Angebote mit freien Plätzen",
            a.empty.len() - 20
        ));
    }
    s
}

fn render(result: &Batch, format: Format, assign: bool) -> Result<String, Failure> {
    let csv_err = |e: csv::Error| Failure::Invalid(Some(format!("CSV: {e}")));
    match format {
        Format::Json => serde_json::to_string_pretty(result)
            .map(|s| s + "\n")
            .map_err(|e| Failure::Invalid(Some(e.to_string()))),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            if let (true, Some(a)) = (assign, &result.assignment) {
                w.write_record(["offer", "profile", "score"])
                    .map_err(csv_err)?;
                for p in &a.placements {
                    w.write_record([
                        p.offer.as_str(),
                        p.profile.as_str(),
                        &format!("{:.2}", p.score),
                    ])
                    .map_err(csv_err)?;
                }
            } else {
                w.write_record(["list", "offer", "profile", "rank", "score", "excluded"])
                    .map_err(csv_err)?;
                let lists = result
                    .offers
                    .iter()
                    .map(|l| ("offer", &l.candidates))
                    .chain(result.people.iter().map(|l| ("person", &l.offers)));
                for (kind, pairs) in lists {
                    for (i, c) in pairs.iter().enumerate() {
                        w.write_record([
                            kind,
                            &c.offer,
                            &c.profile,
                            &(i + 1).to_string(),
                            &format!("{:.2}", c.score),
                            &c.excluded.to_string(),
                        ])
                        .map_err(csv_err)?;
                    }
                }
            }
            let bytes = w
                .into_inner()
                .map_err(|e| Failure::Invalid(Some(e.to_string())))?;
            String::from_utf8(bytes).map_err(|e| Failure::Invalid(Some(e.to_string())))
        }
        Format::Table | Format::Xlsx => {
            let mut s = String::new();
            if let Some(a) = &result.assignment {
                s.push_str(&summary(a));
                s.push_str("\n\nAngebot                          Profil        Punkte\n");
                for p in &a.placements {
                    s.push_str(&format!(
                        "{:<32} {:<12} {:>7}\n",
                        super::index::truncate(&p.offer, 32),
                        p.profile,
                        decimal(p.score, 1)
                    ));
                }
            } else {
                for list in &result.offers {
                    s.push_str(&format!(
                        "{} ({}):",
                        list.offer,
                        count(list.places, "Platz", "Plätze")
                    ));
                    let names: Vec<String> = list
                        .candidates
                        .iter()
                        .map(|c| {
                            format!(
                                " {}{} {}",
                                c.profile,
                                if c.excluded { " (ausgeschlossen)" } else { "" },
                                decimal(c.score, 1)
                            )
                        })
                        .collect();
                    s.push_str(&names.join(","));
                    s.push('\n');
                }
            }
            Ok(s)
        }
    }
}
