//! The command line: every flag is declared once here (clap derives the help
//! from the doc comments), then each command calls the library.

/// `println!` that ends the program quietly when stdout is closed (e.g. `| head`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod batch;
mod delete;
mod duplicates;
mod generate;
mod import;
mod index;
mod offers;
mod output;
mod rank;
mod resolve;
mod serve;
mod user;
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
    /// Bewertungs-Konfiguration (Standard: lotse.ron im Datenordner, sonst eingebaute Werte)
    #[arg(long, global = true, value_name = "DATEI")]
    pub config: Option<PathBuf>,
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
    /// Baut den Suchindex neu auf
    Index,
    /// Zeigt, welche Fähigkeiten oder Berufe ein geschriebener Begriff meint
    Resolve {
        /// der Begriff, wie geschrieben (z. B. „Kellnr“, „Hilfe in der Küche“, „cook“)
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// höchstens so viele Treffer
        #[arg(long, default_value_t = 5)]
        top: usize,
    },
    /// Fehlertolerante Volltextsuche über Profile, mit Filtern
    Search(index::SearchArgs),
    /// Rangliste der Kandidatinnen und Kandidaten für ein Angebot
    Shortlist {
        /// Kennung des Angebots
        #[arg(long, value_name = "ID")]
        offer: String,
        #[command(flatten)]
        out: output::OutputArgs,
        /// Ergebnis in diese Datei schreiben (nötig für --format xlsx)
        #[arg(long = "out", value_name = "DATEI")]
        file: Option<PathBuf>,
    },
    /// Alle Profile gegen alle Angebote; mit --assign die optimale Zuteilung
    Batch(batch::BatchArgs),
    /// Passende Berufe und Angebote für eine Person, mit Lücken und Bildungsangeboten
    Match {
        /// Kennung des Profils
        #[arg(long, value_name = "ID")]
        profile: String,
        #[command(flatten)]
        out: output::OutputArgs,
        /// Ergebnis in diese Datei schreiben (nötig für --format xlsx)
        #[arg(long = "out", value_name = "DATEI")]
        file: Option<PathBuf>,
    },
    /// Importiert Profile, Angebote oder Kurse (CSV, Excel, JSON der BA); alles oder nichts
    Import(import::ImportArgs),
    /// Listet Profile, die wahrscheinlich dieselbe Person sind
    Duplicates,
    /// Listet die Angebote (Kennung, Titel, Arbeitgeber, Ort, Plätze, Beginn)
    Offers {
        /// nur Angebote mit diesen Wörtern (in Kennung, Titel, Arbeitgeber, Ort oder Beruf)
        query: Vec<String>,
    },
    /// Erzeugt synthetische Daten für Benchmarks: einen Datenordner (Katalog, Angebote, Profile) oder mit --format csv Importdateien
    Generate(generate::GenerateArgs),
    /// Startet die Weboberfläche für die Beratung
    Serve {
        /// Adresse und Port (Standard: nur dieser Rechner; Port 0 wählt einen freien)
        #[arg(long, value_name = "ADRESSE", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Verwaltet die Konten der Weboberfläche
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Löscht eine Person: Datensatz und Indexeinträge; ein Protokolleintrag bleibt
    Delete {
        /// Kennung des Profils
        #[arg(long, value_name = "ID")]
        profile: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Legt ein Konto an; das Passwort kommt über die Standardeingabe (erste Zeile)
    Add {
        /// Benutzername (Buchstaben a–z, Ziffern, „.“, „-“, „_“)
        name: String,
        /// Rolle: advisor (Beratung) oder admin (darf auch löschen)
        #[arg(long, value_parser = parse::<lotse::accounts::Role>)]
        role: lotse::accounts::Role,
        /// ein bestehendes Konto überschreiben (neues Passwort, neue Rolle)
        #[arg(long)]
        replace: bool,
    },
    /// Listet die Konten mit Rolle und Status
    List,
    /// Sperrt ein Konto; seine Sitzungen enden sofort
    Disable {
        /// Benutzername
        name: String,
    },
    /// Entfernt ein Konto; seine Sitzungen enden sofort
    Remove {
        /// Benutzername
        name: String,
    },
}

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
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
    pub config: Option<PathBuf>,
}

impl Context {
    /// Loads the catalogue and configuration.
    pub fn engine(&self) -> Result<lotse::engine::Engine, Failure> {
        Ok(lotse::engine::Engine::open(
            &self.data,
            self.config.as_deref(),
        )?)
    }

    /// Opens the profile index, rebuilding it if records changed.
    pub fn profile_index(
        &self,
        engine: &lotse::engine::Engine,
    ) -> Result<lotse::index::ProfileIndex, Failure> {
        let (index, freshness) =
            lotse::index::ProfileIndex::open(engine, &self.index, self.config.as_deref())?;
        if freshness == lotse::index::Freshness::Rebuilt {
            eprintln!("Suchindex aktualisiert: {} Profile.", index.len());
        }
        for problem in index.skipped() {
            eprintln!("Nicht im Suchindex (fehlerhaft): {problem}");
        }
        Ok(index)
    }
}

/// clap's English error messages in German: the fixed phrases are
/// replaced, the names and values they quote stay as they are.
fn german(message: &str) -> String {
    const PHRASES: [(&str, &str); 16] = [
        ("error: ", "Fehler: "),
        (
            "the following required arguments were not provided:",
            "es fehlen Pflichtangaben:",
        ),
        ("unrecognized subcommand", "unbekannter Befehl"),
        ("unexpected argument", "unerwartetes Argument"),
        (" found", ""),
        ("invalid value", "ungültiger Wert"),
        ("a value is required for", "es fehlt ein Wert für"),
        (" but none was supplied", ""),
        ("cannot be used with", "geht nicht zusammen mit"),
        ("the argument", "das Argument"),
        ("[possible values:", "[erlaubt:"),
        (
            "tip: a similar subcommand exists:",
            "Tipp: gemeint ist vielleicht",
        ),
        (
            "tip: a similar argument exists:",
            "Tipp: gemeint ist vielleicht",
        ),
        (
            "tip: a similar value exists:",
            "Tipp: gemeint ist vielleicht",
        ),
        ("Usage:", "Aufruf:"),
        (
            "For more information, try '--help'.",
            "Mehr dazu mit „--help“.",
        ),
    ];
    let mut out = message.to_string();
    for (en, de) in PHRASES {
        out = out.replace(en, de);
    }
    out.replace(" for '", " für '")
        .replace("tip: to pass", "Tipp: um")
        .replace("as a value, use", "als Wert zu übergeben:")
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("{}", german(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    let data = DataDir::new(cli.data.clone());
    let index = cli.index.clone().unwrap_or_else(|| data.default_index());
    let ctx = Context {
        data,
        index,
        config: cli.config.clone(),
    };
    // What an interrupted writer left is completed before anything else.
    if lotse::records::journal::needs_recovery(&ctx.data) {
        match lotse::records::FolderLock::exclusive(&ctx.data) {
            Ok(lock) => {
                lock.finish();
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        }
    }
    let result = match cli.command {
        Command::Validate { paths } => validate::run(&ctx, &paths),
        Command::Index => index::rebuild(&ctx),
        Command::Resolve { text, top } => resolve::run(&ctx, &text.join(" "), top),
        Command::Search(args) => index::search(&ctx, &args),
        Command::Shortlist { offer, out, file } => {
            rank::shortlist(&ctx, &offer, &out, file.as_deref())
        }
        Command::Match { profile, out, file } => {
            rank::matches(&ctx, &profile, &out, file.as_deref())
        }
        Command::Batch(args) => batch::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Duplicates => duplicates::run(&ctx),
        Command::Offers { query } => offers::run(&ctx, &query),
        Command::Generate(args) => generate::run(&ctx, &args),
        Command::Serve { addr } => serve::run(&ctx, addr),
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    replace,
                },
        } => user::add(&ctx, &name, role, replace),
        Command::User {
            command: UserCommand::List,
        } => user::list(&ctx),
        Command::User {
            command: UserCommand::Disable { name },
        } => user::disable(&ctx, &name),
        Command::User {
            command: UserCommand::Remove { name },
        } => user::remove(&ctx, &name),
        Command::Delete { profile } => delete::run(&ctx, &profile),
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

#[cfg(test)]
mod tests {
    #[test]
    fn clap_errors_read_german() {
        let m = super::german(
            "error: invalid value 'xls' for '--format <FORMAT>'\n  [possible values: table, csv]\n\nFor more information, try '--help'.\n",
        );
        assert_eq!(
            m,
            "Fehler: ungültiger Wert 'xls' für '--format <FORMAT>'\n  [erlaubt: table, csv]\n\nMehr dazu mit „--help“.\n"
        );
    }
}
