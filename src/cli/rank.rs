//! `lotse shortlist --offer ID` and `lotse match --profile ID`

use super::index::truncate;
use super::output::{self, contribution, csv_err, reasons, Format, OutputArgs};
use super::{Context, Failure};
use lotse::rank;
use lotse::score::CRITERIA;

pub fn shortlist(ctx: &Context, offer: &str, out: &OutputArgs) -> Result<(), Failure> {
    let engine = ctx.engine()?;
    let index = ctx.profile_index(&engine)?;
    let list = rank::shortlist(&engine, &index, offer, out.top)?;
    match out.format {
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
            outln!(
                "Kandidaten für {} — {} ({}, {} Plätze, Beginn {})",
                o.id,
                o.title,
                o.employer,
                o.places,
                o.start_date
            );
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
                    "{rank:>4}  {:<10}  {:<24}  {:>6.1}  {}",
                    c.profile,
                    truncate(&c.name, 24),
                    c.score,
                    reasons(&c.criteria, 2)
                );
                if let Some(reach) = lotse::score::reach(&c.criteria) {
                    outln!("{:>50}{reach}", "");
                }
                for flag in &c.flags {
                    outln!("{:>50}! {flag}", "");
                }
                if let Some(gap) = c.gaps.first() {
                    let more = if c.gaps.len() > 1 {
                        format!(" (+{} weitere)", c.gaps.len() - 1)
                    } else {
                        String::new()
                    };
                    outln!("{:>50}Lücke: {gap}{more}", "");
                }
            }
            Ok(())
        }
    }
}

pub fn matches(ctx: &Context, profile: &str, out: &OutputArgs) -> Result<(), Failure> {
    let engine = ctx.engine()?;
    let index = ctx.profile_index(&engine)?;
    let p = rank::indexed_profile(&index, profile)?;
    let m = rank::match_profile(&engine, p, out.top);
    match out.format {
        Format::Json => output::json(&m),
        Format::Csv => {
            let mut w = output::csv_out();
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
                    r.title.clone(),
                    r.kldb.clone(),
                    format!("{:.2}", r.score),
                    r.excluded.to_string(),
                ];
                row.extend(CRITERIA.iter().map(|n| contribution(&r.criteria, n)));
                row.push(r.flags.join(" | "));
                row.push(r.gaps.join(" | "));
                row.push(r.training.join(" | "));
                w.write_record(&row).map_err(csv_err)?;
            }
            w.flush().map_err(|e| Failure::Invalid(Some(e.to_string())))
        }
        Format::Table => {
            outln!("Passende Berufe und Angebote für {} ({})", p.id, p.name);
            if m.results.is_empty() {
                outln!("Keine Berufe oder Angebote im Katalog teilen Fähigkeiten, Erfahrung oder Interessen mit diesem Profil.");
                outln!("Tipp: Tätigkeiten und Fähigkeiten im Profil ergänzen, oder Anerkennung des Abschlusses prüfen.");
                return Ok(());
            }
            outln!(
                "{:>4}  {:<6}  {:<40}  {:>5}  {:>6}  Gründe",
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
                outln!(
                    "{rank:>4}  {kind:<6}  {:<40}  {:>5}  {:>6.1}  {}",
                    truncate(&r.title, 40),
                    r.kldb,
                    r.score,
                    reasons(&r.criteria, 2)
                );
                if let Some(reach) = lotse::score::reach(&r.criteria) {
                    outln!("{:>12}{reach}", "");
                }
                for flag in &r.flags {
                    outln!("{:>12}! {flag}", "");
                }
                for gap in &r.gaps {
                    outln!("{:>12}Lücke: {gap}", "");
                }
            }
            Ok(())
        }
    }
}
