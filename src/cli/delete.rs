//! `lotse delete --profile ID`: erases a person — record, index entries —
//! and leaves an audit entry naming the operating-system user.

use super::{Context, Failure};
use lotse::audit::AuditLog;

pub fn run(ctx: &Context, id: &str) -> Result<(), Failure> {
    let engine = ctx.engine()?;
    let audit = AuditLog::open(&ctx.data.audit_log())?;
    let index = lotse::erase::erase_profile(
        &engine,
        &ctx.index,
        ctx.config.as_deref(),
        &audit,
        &lotse::audit::cli_user(),
        id,
    )?;
    outln!(
        "Profil „{id}“ gelöscht: Datensatz entfernt, Suchindex neu aufgebaut ({} Profile), Protokolleintrag in {}.",
        index.len(),
        audit.path().display()
    );
    Ok(())
}
