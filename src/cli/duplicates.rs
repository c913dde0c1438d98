//! `lotse duplicates`: probable pairs of profiles that are one person.

use super::{Context, Failure};
use lotse::duplicates::{explain, pairs, Person};
use lotse::profile::Profile;
use lotse::records;

pub fn run(ctx: &Context) -> Result<(), Failure> {
    let loaded = records::load_dir::<Profile>(&ctx.data.profiles())?;
    for d in &loaded.diagnostics {
        eprintln!("{d}");
    }
    let people: Vec<Person> = loaded
        .records
        .iter()
        .map(|l| Person::of(&l.record))
        .collect();
    let found = pairs(&people);
    for pair in &found {
        let (a, b) = (&people[pair.first], &people[pair.second]);
        outln!(
            "{} ({}) und {} ({}): {}",
            a.id,
            a.name,
            b.id,
            b.name,
            explain(pair.reason, a)
        );
    }
    let n = found.len();
    let summary = match n {
        0 => format!(
            "Keine wahrscheinlichen Doppelungen unter {} Profilen.",
            people.len()
        ),
        1 => "1 wahrscheinliche Doppelung.".to_string(),
        n => format!("{n} wahrscheinliche Doppelungen."),
    };
    outln!("{summary}");
    Ok(())
}
