//! `lotse generate --profiles N --offers M --seed S --out DIR [--format folder|csv]`

use super::{Context, Failure};
use clap::{Args, ValueEnum};
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
    /// neuer Ordner; darf nicht existieren oder muss leer sein
    #[arg(long, value_name = "ORDNER")]
    pub out: PathBuf,
    /// was in den Ordner kommt
    #[arg(long, value_enum, default_value_t = Layout::Folder)]
    pub format: Layout,
}

/// What `lotse generate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Layout {
    /// ein vollständiger Datenordner (Katalog, Angebote, Profile als RON-Dateien)
    #[value(alias = "ordner")]
    Folder,
    /// profiles.csv und offers.csv im Format von `lotse import profiles|offers`
    Csv,
}

pub fn run(ctx: &Context, args: &GenerateArgs) -> Result<(), Failure> {
    let options = Options {
        profiles: args.profiles,
        offers: args.offers,
        seed: args.seed,
    };
    match args.format {
        Layout::Folder => {
            let summary = generate::generate(&ctx.data, &args.out, &options)?;
            outln!(
                "{} Profile und {} Angebote ({} Plätze) in {} erzeugt (Seed {}).",
                summary.profiles,
                summary.offers,
                summary.places,
                summary.out.display(),
                options.seed
            );
        }
        Layout::Csv => {
            let summary = generate::generate_csv(&ctx.data, &args.out, &options)?;
            outln!(
                "{} Profile und {} Angebote ({} Plätze) als Importdateien erzeugt (Seed {}): {} und {}",
                summary.profiles,
                summary.offers,
                summary.places,
                options.seed,
                summary.out.join(generate::PROFILES_FILE).display(),
                summary.out.join(generate::OFFERS_FILE).display(),
            );
        }
    }
    Ok(())
}
