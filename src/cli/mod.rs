//! The command line: every flag is declared once here (clap derives the help
//! from the doc comments), then each command calls the library.

mod import;
mod validate;

use clap::{Parser, Subcommand};
use lotse::records::DataDir;
use std::path::PathBuf;
use std::process::ExitCode;

/// lotse — Kompetenzprofile erfassen und passende Berufe, Stellen und
/// Bildungsangebote finden.
#[derive(Debug, Parser)]
#[command(name = "lotse", version, about, max_term_width = 100)]
pub struct Cli {
    /// Datenordner mit profiles/ und occupations/ (Standard: aktueller Ordner)
    #[arg(long, global = true, value_name = "ORDNER", default_value = ".")]
    pub data: PathBuf,
    /// Ordner des Suchindex (Standard: .lotse-index im Datenordner)
    #[arg(long, global = true, value_name = "ORDNER")]
    pub index: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prüft Datensätze und meldet jeden Fehler mit Datei und Position
    Validate {
        /// Dateien oder Ordner (Standard: der ganze Datenordner)
        paths: Vec<PathBuf>,
    },
    /// Importiert Profile oder Angebote aus einer CSV-Datei (Excel); alles oder nichts
    Import(import::ImportArgs),
}

/// The outcome of a command: success, or the exit code and what to say.
pub enum Failure {
    /// Invalid input or records (exit code 1); the message is already printed or given here.
    Invalid(Option<String>),
    /// A usage error (exit code 2).
    Usage(String),
}

impl From<lotse::Error> for Failure {
    fn from(e: lotse::Error) -> Self {
        match e {
            lotse::Error::Usage(m) => Failure::Usage(m),
            lotse::Error::Internal(m) => Failure::Invalid(Some(format!("interner Fehler: {m}"))),
            other => Failure::Invalid(Some(other.to_string())),
        }
    }
}

/// Shared context of all commands.
pub struct Context {
    pub data: DataDir,
    pub index: PathBuf,
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let data = DataDir::new(cli.data.clone());
    let index = cli.index.clone().unwrap_or_else(|| data.default_index());
    let ctx = Context { data, index };
    let result = match cli.command {
        Command::Validate { paths } => validate::run(&ctx, &paths),
        Command::Import(args) => import::run(&ctx, &args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(message)) => {
            if let Some(m) = message {
                eprintln!("{m}");
            }
            ExitCode::from(1)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("lotse: {m}");
            ExitCode::from(2)
        }
    }
}
