//! `lotse user add NAME --role advisor|admin`: an account of the web
//! interface; the password is the first line of standard input.

use super::{Context, Failure};
use lotse::accounts::{Accounts, Role};
use std::io::{BufRead, IsTerminal, Read, Write};

pub fn add(ctx: &Context, name: &str, role: Role, replace: bool) -> Result<(), Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        // No echo suppression: the password is visible while typed.
        eprint!("Passwort für „{name}“ (wird angezeigt), dann Eingabetaste: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .take(4096)
        .read_line(&mut line)
        .map_err(|e| Failure::Invalid(Some(format!("Passwort nicht lesbar: {e}"))))?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(Failure::Invalid(Some(
            "kein Passwort: bitte als erste Zeile der Standardeingabe übergeben, z. B. `printf '%s\\n' \"$PASSWORT\" | lotse user add NAME --role admin`".into(),
        )));
    }
    let path = ctx.data.users();
    let mut accounts = Accounts::load(&path)?;
    accounts.add(name, role, password, replace)?;
    accounts.save(&path)?;
    outln!(
        "Konto „{name}“ ({}) gespeichert in {}.",
        role.as_str(),
        path.display()
    );
    Ok(())
}
