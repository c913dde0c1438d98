//! `lotse index` and `lotse search`

use super::{Context, Failure};
use clap::Args;
use lotse::cefr::Cefr;
use lotse::index::{ProfileIndex, SearchQuery};
use lotse::permit::{ResidenceStatus, WorkPermit};
use std::time::Instant;

pub fn rebuild(ctx: &Context) -> Result<(), Failure> {
    let started = Instant::now();
    let engine = ctx.engine()?;
    let index = ProfileIndex::rebuild(&engine, &ctx.index, ctx.config.as_deref())?;
    outln!(
        "Suchindex neu aufgebaut: {} Profile in {:.1} s ({}).",
        index.len(),
        started.elapsed().as_secs_f64(),
        ctx.index.display()
    );
    if !index.skipped().is_empty() {
        for problem in index.skipped() {
            eprintln!("{problem}");
        }
        return Err(Failure::Invalid(Some(format!(
            "{} fehlerhafte Datensätze sind nicht im Suchindex; bitte korrigieren und `lotse index` erneut aufrufen.",
            index.skipped().len()
        ))));
    }
    Ok(())
}

/// Options of `lotse search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Suchwörter (Tippfehler werden toleriert); leer: alle Profile
    pub query: Vec<String>,
    /// Deutsch mindestens auf diesem Niveau (A1 … C2)
    #[arg(long, value_parser = parse::<Cefr>)]
    pub german: Option<Cefr>,
    /// Arbeitserlaubnis: ja, zustimmung, nein, unbekannt
    #[arg(long, value_parser = parse::<WorkPermit>)]
    pub permit: Option<WorkPermit>,
    /// Aufenthaltsstatus: gestattung, duldung, erlaubnis, niederlassung, unbekannt
    #[arg(long, value_parser = parse::<ResidenceStatus>)]
    pub residence: Option<ResidenceStatus>,
    /// Wohnort
    #[arg(long)]
    pub municipality: Option<String>,
    /// Postleitzahl oder ihr Anfang (567 findet 567xx)
    #[arg(long)]
    pub postcode: Option<String>,
    /// Landkreis oder kreisfreie Stadt (aus dem Ortsverzeichnis)
    #[arg(long, value_name = "LANDKREIS")]
    pub district: Option<String>,
    /// Umkreissuche um diesen Ort (Gemeinde oder Postleitzahl des Ortsverzeichnisses)
    #[arg(long, value_name = "ORT")]
    pub near: Option<String>,
    /// Radius der Umkreissuche in km (Standard 25)
    #[arg(long, value_name = "KM")]
    pub radius: Option<f64>,
    /// verfügbar spätestens ab (JJJJ-MM-TT)
    #[arg(long, value_name = "DATUM")]
    pub available_by: Option<chrono::NaiveDate>,
    /// höchstens so viele Treffer
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

pub fn search(ctx: &Context, args: &SearchArgs) -> Result<(), Failure> {
    let engine = ctx.engine()?;
    let index = ctx.profile_index(&engine)?;
    let query = SearchQuery {
        text: args.query.join(" "),
        german: args.german,
        permit: args.permit,
        residence: args.residence,
        municipality: args.municipality.clone(),
        postcode: args.postcode.clone(),
        district: args.district.clone(),
        near: args.near.clone(),
        radius_km: args.radius,
        available_by: args.available_by,
        limit: args.top,
    };
    let found = index.find(&engine, &query)?;
    let hits = &found.hits;
    if hits.is_empty() {
        outln!("Keine Profile gefunden.");
        return Ok(());
    }
    outln!(
        "{:<10}  {:<28}  {:<7}  {:<18}  {:<20}",
        "Profil",
        "Name",
        "Deutsch",
        "Arbeitserlaubnis",
        "Wohnort"
    );
    for hit in hits {
        let p = &index.profiles()[hit.ordinal as usize];
        let german = p.german.map_or("?".to_string(), |g| g.to_string());
        outln!(
            "{:<10}  {:<28}  {:<7}  {:<18}  {:<20}",
            p.id,
            truncate(&p.name, 28),
            german,
            p.work_permit.csv_name(),
            p.municipality.as_deref().unwrap_or("")
        );
    }
    if found.total > hits.len() {
        outln!(
            "{} Treffer, die ersten {} gezeigt (mehr mit --top).",
            found.total,
            hits.len()
        );
    } else {
        outln!("{} Treffer.", found.total);
    }
    Ok(())
}

/// Cuts a text to `n` characters, marking the cut.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
