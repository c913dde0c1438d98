//! `lotse serve`: the advisors' web interface.

use super::{Context, Failure};
use lotse::web::{self, AppState};
use std::net::SocketAddr;

pub fn run(ctx: &Context, addr: SocketAddr) -> Result<(), Failure> {
    if !addr.ip().is_loopback() {
        eprintln!(
            "Achtung: lotse serve ist unter {addr} auch von anderen Rechnern erreichbar – ohne TLS. \
             Im Netz nur hinter einem Proxy mit HTTPS betreiben."
        );
    }
    let state = AppState::open(ctx.data.clone(), ctx.index.clone(), ctx.config.clone())?;
    if !ctx.data.users().exists() {
        eprintln!(
            "Noch kein Konto angelegt: zuerst `lotse user add NAME --role admin` (Passwort über die Standardeingabe)."
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Invalid(Some(format!("interner Fehler: {e}"))))?;
    runtime
        .block_on(web::serve(state, addr, |bound| {
            outln!("lotse läuft auf http://{bound}/ – beenden mit Strg+C");
        }))
        .map_err(|e| Failure::Invalid(Some(format!("Server auf {addr}: {e}"))))
}
