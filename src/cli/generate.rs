//! `lotse generate --profiles N --offers M --seed S --out DIR`

use super::{Context, Failure};
use clap::Args;
use lotse::generate::{self, Options};
use std::path::PathBuf;

/// Options of `lotse generate`.
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// so viele Profile erzeugen
    #[arg(long, value_name = "N")]
    pub profiles: usize,
    /// so viele Angebote erzeugen
    #[arg(long, value_name = "M")]
    pub offers: usize,
    /// Startwert des Zufalls: gleicher Startwert, gleiche Dateien
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,
    /// neuer Datenordner; darf nicht existieren oder muss leer sein
    #[arg(long, value_name = "ORDNER")]
    pub out: PathBuf,
}

pub fn run(ctx: &Context, args: &GenerateArgs) -> Result<(), Failure> {
    let options = Options {
        profiles: args.profiles,
        offers: args.offers,
        seed: args.seed,
    };
    let summary = generate::generate(&ctx.data, &args.out, &options)?;
    outln!(
        "{} Profile und {} Angebote ({} Plätze) in {} erzeugt (Seed {}).",
        summary.profiles,
        summary.offers,
        summary.places,
        summary.out.display(),
        options.seed
    );
    Ok(())
}
