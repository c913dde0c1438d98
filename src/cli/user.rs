//! `lotse user add NAME --role advisor|admin`: an account of the web
//! interface; the password is the first line of standard input.
//! `lotse user list|disable NAME|remove NAME` manage the accounts. Every
//! change is written under the data folder's lock; a running server checks
//! each session against the users file, so a change ends sessions at once.

use super::{Context, Failure};
use lotse::accounts::{Accounts, Role};
use lotse::records::FolderLock;
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
    let lock = FolderLock::exclusive(&ctx.data)?;
    let mut accounts = Accounts::load(&path)?;
    accounts.add(name, role, password, replace)?;
    accounts.save(&path)?;
    lock.finish();
    outln!(
        "Konto „{name}“ ({}) gespeichert in {}.",
        role.as_str(),
        path.display()
    );
    Ok(())
}

/// `lotse user list`
pub fn list(ctx: &Context) -> Result<(), Failure> {
    let accounts = Accounts::load(&ctx.data.users())?;
    if accounts.users.is_empty() {
        outln!("Noch kein Konto angelegt.");
        return Ok(());
    }
    outln!("{:<24}  {:<16}  Status", "Benutzer", "Rolle");
    for a in &accounts.users {
        let status = if a.disabled { "gesperrt" } else { "aktiv" };
        outln!("{:<24}  {:<16}  {status}", a.name, a.role.label());
    }
    Ok(())
}

/// `lotse user disable NAME`
pub fn disable(ctx: &Context, name: &str) -> Result<(), Failure> {
    change(ctx, name, |a| a.disable(name))?;
    outln!("Konto „{name}“ gesperrt; seine Sitzungen sind beendet.");
    Ok(())
}

/// `lotse user remove NAME`
pub fn remove(ctx: &Context, name: &str) -> Result<(), Failure> {
    change(ctx, name, |a| a.remove(name))?;
    outln!("Konto „{name}“ entfernt; seine Sitzungen sind beendet.");
    Ok(())
}

fn change(
    ctx: &Context,
    name: &str,
    f: impl FnOnce(&mut Accounts) -> lotse::Result<()>,
) -> Result<(), Failure> {
    lotse::accounts::check_name(name).map_err(Failure::Usage)?;
    let path = ctx.data.users();
    let lock = FolderLock::exclusive(&ctx.data)?;
    let mut accounts = Accounts::load(&path)?;
    f(&mut accounts)?;
    accounts.save(&path)?;
    lock.finish();
    Ok(())
}
