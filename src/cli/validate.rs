//! `lotse validate [PATH…]`

use super::{Context, Failure};
use lotse::validate::{self, Kldb};
use std::path::PathBuf;

pub fn run(ctx: &Context, paths: &[PathBuf]) -> Result<(), Failure> {
    let kldb = Kldb::load(&ctx.data)?;
    let validation = if paths.is_empty() {
        validate::validate_data(&ctx.data, &kldb)?
    } else {
        validate::validate_paths(&ctx.data, paths, &kldb)?
    };
    for d in &validation.diagnostics {
        eprintln!("{d}");
    }
    let c = validation.counts;
    if validation.diagnostics.is_empty() {
        outln!(
            "In Ordnung: {} Profile, {} Fähigkeiten, {} Berufe, {} Angebote, {} Bildungsangebote, {} Orte.",
            c.profiles, c.skills, c.occupations, c.offers, c.training, c.places
        );
        Ok(())
    } else {
        let n = validation.diagnostics.len();
        Err(Failure::Invalid(Some(format!(
            "{n} Fehler gefunden{}.",
            if n == 1 { "" } else { " insgesamt" }
        ))))
    }
}
