//! `lotse offers [QUERY]`: the offers of the catalogue, one line each.

use super::index::truncate;
use super::{Context, Failure};
use lotse::text::fold;
use lotse::web::labels::{count, date};

pub fn run(ctx: &Context, query: &[String]) -> Result<(), Failure> {
    let engine = ctx.engine()?;
    let words: Vec<String> = fold(&query.join(" "))
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut offers: Vec<_> = engine
        .catalogue
        .offers
        .iter()
        .filter(|o| {
            let text = fold(&format!(
                "{} {} {} {} {} {}",
                o.id,
                o.title,
                o.employer,
                o.municipality.as_deref().unwrap_or(""),
                o.postcode.as_deref().unwrap_or(""),
                o.occupation
            ));
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect();
    offers.sort_by(|a, b| a.id.cmp(&b.id));
    if offers.is_empty() {
        outln!("Keine Angebote gefunden.");
        return Ok(());
    }
    outln!(
        "{:<40}  {:<40}  {:<32}  {:<20}  {:>9}  Beginn",
        "Kennung",
        "Titel",
        "Arbeitgeber",
        "Ort",
        "Plätze"
    );
    for o in &offers {
        let place = [o.postcode.as_deref(), o.municipality.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        outln!(
            "{:<40}  {:<40}  {:<32}  {:<20}  {:>9}  {}",
            truncate(&o.id, 40),
            truncate(&o.title, 40),
            truncate(&o.employer, 32),
            truncate(&place, 20),
            count(o.places, "Platz", "Plätze"),
            date(o.start_date)
        );
    }
    outln!("{}", count(offers.len() as u64, "Angebot", "Angebote"));
    Ok(())
}
