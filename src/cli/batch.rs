//! `lotse batch [--assign] [--out FILE]`

use super::output::{Format, OutputArgs};
use super::{Context, Failure};
use lotse::batch::{self, Batch, BatchOptions};
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
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ctx: &Context, args: &BatchArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let engine = ctx.engine()?;
    let index = ctx.profile_index(&engine)?;
    let offers = engine.offers.iter().flatten().count() as u64;
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
    };
    let result = batch::run(&engine, &index, options, &|n| bar.inc(n))?;
    bar.finish_and_clear();
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
        "{} Profile × {} Angebote in {:.1} s bewertet.",
        index.len(),
        offers,
        started.elapsed().as_secs_f64()
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
    let mut s = format!(
        "Zuteilung: {} von {} Plätzen besetzt, mittlere Punktzahl {:.1}, Summe {:.1}; {} Personen mit passendem Angebot ohne Platz, {} ohne passendes Angebot.",
        a.filled,
        a.places,
        a.mean_score,
        a.total_score,
        a.unplaced.len(),
        a.without_option
    );
    for e in a.empty.iter().take(20) {
        s.push_str(&format!(
            "\n  {} Platz/Plätze frei bei {}: {}",
            e.empty, e.offer, e.reason
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
                        "{:<32} {:<12} {:>7.1}\n",
                        super::index::truncate(&p.offer, 32),
                        p.profile,
                        p.score
                    ));
                }
            } else {
                for list in &result.offers {
                    s.push_str(&format!("{} ({} Plätze):", list.offer, list.places));
                    let names: Vec<String> = list
                        .candidates
                        .iter()
                        .map(|c| {
                            format!(
                                " {}{} {:.1}",
                                c.profile,
                                if c.excluded { " (ausgeschlossen)" } else { "" },
                                c.score
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
