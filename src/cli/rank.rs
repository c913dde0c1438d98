//! `lotse shortlist --offer ID` and `lotse match --profile ID`

use super::index::truncate;
use super::output::{self, contribution, csv_err, reasons, Format, OutputArgs};
use super::{Context, Failure};
use lotse::rank;
use lotse::score::CRITERIA;
use lotse::web::labels::{count, date, decimal, readable};
use std::path::Path;

/// „ Meinten Sie „koch-eq“ oder „koch-stelle“?“ for the ids closest to
/// `wanted` (by edit distance, or containing it), empty where none is close.
fn did_you_mean<'a>(wanted: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let w = wanted.to_lowercase();
    let mut close: Vec<(usize, &str)> = ids
        .filter_map(|id| {
            let l = id.to_lowercase();
            let d = strsim::levenshtein(&w, &l);
            let near = d <= (w.chars().count() / 3).max(2) || (w.len() >= 3 && l.contains(&w));
            near.then_some((d, id))
        })
        .collect();
    close.sort();
    let names: Vec<String> = close
        .iter()
        .take(3)
        .map(|(_, id)| format!("„{id}“"))
        .collect();
    match names.len() {
        0 => String::new(),
        1 => format!(" Meinten Sie {}?", names[0]),
        n => format!(
            " Meinten Sie {} oder {}?",
            names[..n - 1].join(", "),
            names[n - 1]
        ),
    }
}

/// The format to write: with `--out` and no `--format`, the file's ending
/// decides (`.json`, `.xlsx`, else CSV), as for `batch`.
fn effective(format: Format, file: Option<&Path>) -> Format {
    let Some(file) = file.filter(|_| format == Format::Table) else {
        return format;
    };
    match file.extension().and_then(|e| e.to_str()) {
        Some("json") => Format::Json,
        Some("xlsx") => Format::Xlsx,
        _ => Format::Csv,
    }
}

/// The matches in the CSV layout of the command line contract.
fn matches_csv(m: &rank::Matches) -> Result<String, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "profile", "rank", "kind", "id", "title", "kldb", "score", "excluded",
    ];
    header.extend(CRITERIA);
    header.extend(["flags", "gaps", "training"]);
    w.write_record(&header).map_err(csv_err)?;
    for (i, r) in m.results.iter().enumerate() {
        let mut row = vec![
            m.profile.clone(),
            (i + 1).to_string(),
            r.kind.to_string(),
            r.id.clone(),
            lotse::csv_safe::owned(r.title.clone()),
            r.kldb.clone(),
            format!("{:.2}", r.score),
            r.excluded.to_string(),
        ];
        row.extend(CRITERIA.iter().map(|n| contribution(&r.criteria, n)));
        row.push(lotse::csv_safe::owned(r.flags.join(" | ")));
        row.push(lotse::csv_safe::owned(r.gaps.join(" | ")));
        row.push(lotse::csv_safe::owned(r.training.join(" | ")));
        w.write_record(&row).map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Failure::Invalid(Some(e.to_string())))?;
    String::from_utf8(bytes).map_err(|e| Failure::Invalid(Some(e.to_string())))
}

/// Writes `text` to `file` where one is given, else prints it.
fn emit(file: Option<&Path>, text: &str) -> Result<(), Failure> {
    match file {
        Some(path) => {
            lotse::records::write_atomic(path, text)?;
            outln!("Ergebnis geschrieben: {}", path.display());
        }
        None => outln!("{}", text.trim_end()),
    }
    Ok(())
}

pub fn shortlist(
    ctx: &Context,
    offer: &str,
    out: &OutputArgs,
    file: Option<&Path>,
) -> Result<(), Failure> {
    if out.format == Format::Xlsx && file.is_none() {
        return output::write_xlsx(None, Ok(Vec::new()));
    }
    let engine = ctx.engine()?;
    if engine.catalogue.offer(offer).is_none() {
        let ids = engine.catalogue.offers.iter().map(|o| o.id.as_str());
        return Err(Failure::Invalid(Some(format!(
            "Angebot „{offer}“ gibt es nicht.{}",
            did_you_mean(offer, ids)
        ))));
    }
    let index = ctx.profile_index(&engine)?;
    let list = rank::shortlist(&engine, &index, offer, out.top)?;
    let format = effective(out.format, file);
    let action = match format {
        Format::Table => lotse::audit::Action::Shortlist,
        _ => lotse::audit::Action::Export,
    };
    lotse::audit::record_cli(
        &ctx.data,
        action,
        list.candidates.iter().map(|c| c.profile.as_str()),
        Some(offer),
    )?;
    if file.is_some() && format != Format::Xlsx {
        let text = match format {
            Format::Json => serde_json::to_string_pretty(&list)
                .map_err(|e| Failure::Invalid(Some(format!("interner Fehler: {e}"))))?,
            _ => String::from_utf8_lossy(&list.to_csv().map_err(csv_err)?).into_owned(),
        };
        return emit(file, &text);
    }
    match format {
        Format::Xlsx => output::write_xlsx(file, lotse::export::shortlist_xlsx(&engine, &list)),
        Format::Json => output::json(&list),
        Format::Csv => {
            let bytes = list.to_csv().map_err(csv_err)?;
            outln!("{}", String::from_utf8_lossy(&bytes).trim_end());
            Ok(())
        }
        Format::Table => {
            let o = engine
                .catalogue
                .offer(offer)
                .expect("offer exists: shortlist found it");
            let place = o
                .municipality
                .as_deref()
                .map(|m| format!(", {m}"))
                .unwrap_or_default();
            outln!(
                "Kandidaten für {} — {} ({}{place}, {}, Beginn {})",
                o.id,
                o.title,
                o.employer,
                count(o.places, "Platz", "Plätze"),
                date(o.start_date)
            );
            if list.without_consent > 0 {
                let n = list.without_consent;
                let who = if n == 1 { "Person" } else { "Personen" };
                outln!("{n} {who} ohne Einwilligung in den Abgleich nicht berücksichtigt.");
            }
            if list.candidates.is_empty() {
                outln!("Keine Profile im Index.");
                return Ok(());
            }
            outln!(
                "{:>4}  {:<10}  {:<24}  {:>6}  Gründe",
                "Rang",
                "Profil",
                "Name",
                "Punkte"
            );
            for (i, c) in list.candidates.iter().enumerate() {
                let rank = if c.excluded {
                    "–".to_string()
                } else {
                    (i + 1).to_string()
                };
                outln!(
                    "{rank:>4}  {:<10}  {:<24}  {:>6}  {}",
                    c.profile,
                    truncate(&c.name, 24),
                    decimal(c.score, 1),
                    reasons(&c.criteria, 2)
                );
                if let Some(reach) = lotse::score::reach(&c.criteria) {
                    outln!("{:>50}{reach}", "");
                }
                for flag in &c.flags {
                    outln!("{:>50}! {}", "", readable(flag));
                }
                if let Some(gap) = c.gaps.first() {
                    let more = if c.gaps.len() > 1 {
                        format!(" (+{} weitere)", c.gaps.len() - 1)
                    } else {
                        String::new()
                    };
                    outln!("{:>50}Lücke: {}{more}", "", readable(gap));
                }
            }
            Ok(())
        }
    }
}

pub fn matches(
    ctx: &Context,
    profile: &str,
    out: &OutputArgs,
    file: Option<&Path>,
) -> Result<(), Failure> {
    if out.format == Format::Xlsx && file.is_none() {
        return output::write_xlsx(None, Ok(Vec::new()));
    }
    let engine = ctx.engine()?;
    let index = ctx.profile_index(&engine)?;
    if index.profile(profile).is_none() {
        let ids = index.profiles().iter().map(|p| p.id.as_str());
        return Err(Failure::Invalid(Some(format!(
            "Profil „{profile}“ gibt es nicht.{}",
            did_you_mean(profile, ids)
        ))));
    }
    let p = rank::indexed_profile(&index, profile)?;
    let m = rank::match_profile(&engine, p, out.top);
    let format = effective(out.format, file);
    let action = match format {
        Format::Table => lotse::audit::Action::View,
        _ => lotse::audit::Action::Export,
    };
    lotse::audit::record_cli(&ctx.data, action, [m.profile.as_str()], None)?;
    if file.is_some() && format == Format::Json {
        let text = serde_json::to_string_pretty(&m)
            .map_err(|e| Failure::Invalid(Some(format!("interner Fehler: {e}"))))?;
        return emit(file, &text);
    }
    match format {
        Format::Xlsx => output::write_xlsx(file, lotse::export::matches_xlsx(&engine, &p.name, &m)),
        Format::Json => output::json(&m),
        Format::Csv => emit(file, &matches_csv(&m)?),
        Format::Table => {
            outln!("Passende Berufe und Angebote für {} ({})", p.id, p.name);
            if m.results.is_empty() {
                print_note(m.note.as_ref());
                return Ok(());
            }
            outln!(
                "{:>4}  {:<6}  {:<64}  {:>5}  {:>6}  Gründe",
                "Rang",
                "Art",
                "Titel",
                "KldB",
                "Punkte"
            );
            for (i, r) in m.results.iter().enumerate() {
                let rank = if r.excluded {
                    "–".to_string()
                } else {
                    (i + 1).to_string()
                };
                let kind = if r.kind == "offer" { "Stelle" } else { "Beruf" };
                // An offer is always named with its employer and place, so
                // offers of the same title can be told apart.
                let title = match engine.catalogue.offer(&r.id).filter(|_| r.kind == "offer") {
                    Some(o) => {
                        let place = o
                            .municipality
                            .as_deref()
                            .map(|m| format!(", {m}"))
                            .unwrap_or_default();
                        format!("{} ({}{place})", r.title, o.employer)
                    }
                    None => r.title.clone(),
                };
                outln!(
                    "{rank:>4}  {kind:<6}  {:<64}  {:>5}  {:>6}  {}",
                    truncate(&title, 64),
                    r.kldb,
                    decimal(r.score, 1),
                    reasons(&r.criteria, 2)
                );
                if let Some(reach) = lotse::score::reach(&r.criteria) {
                    outln!("{:>12}{reach}", "");
                }
                for flag in &r.flags {
                    outln!("{:>12}! {}", "", readable(flag));
                }
                for gap in &r.gaps {
                    outln!("{:>12}Lücke: {}", "", readable(gap));
                }
            }
            print_note(m.note.as_ref());
            Ok(())
        }
    }
}

/// The reason and next steps of a match list, where there are any.
fn print_note(note: Option<&rank::Note>) {
    if let Some(n) = note {
        outln!("Hinweis: {}", n.reason);
        for step in &n.next_steps {
            outln!("  Nächster Schritt: {step}");
        }
    }
}
