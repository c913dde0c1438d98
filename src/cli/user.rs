//! `lotse user add NAME --role advisor|admin`: an account of the web
//! interface; the password comes from standard input (first line).

use super::{Context, Failure};
use lotse::accounts::{Accounts, Role};
use std::io::Read;

pub fn add(ctx: &Context, name: &str, role: Role, replace: bool) -> Result<(), Failure> {
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .map_err(|e| Failure::Invalid(Some(format!("Passwort nicht lesbar: {e}"))))?;
    let password = input.lines().next().unwrap_or("");
    if password.is_empty() {
        return Err(Failure::Invalid(Some(
            "kein Passwort: bitte über die Standardeingabe übergeben, z. B. `echo \"$PASSWORT\" | lotse user add NAME --role admin`".into(),
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
