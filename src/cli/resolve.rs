//! `lotse resolve TEXT`

use super::{Context, Failure};
use lotse::resolve::Concept;

pub fn run(ctx: &Context, text: &str, top: usize) -> Result<(), Failure> {
    let engine = ctx.engine()?;
    let resolutions = engine.resolver.resolve(text);
    let normalized = lotse::text::normalize(text);
    outln!("„{text}“ (normalisiert: „{normalized}“)");
    if resolutions.is_empty() {
        outln!("  keine Entsprechung im Katalog gefunden; der Text bleibt wie geschrieben und wird unscharf verglichen.");
        return Ok(());
    }
    outln!(
        "  {:<11}  {:<26}  {:>8}  {:<40}  über",
        "Art",
        "Kennung",
        "Sicherheit",
        "Bezeichnung"
    );
    for r in resolutions.iter().take(top.max(1)) {
        let (kind, id, label) = match r.concept {
            Concept::Skill(i) => {
                let s = &engine.catalogue.skills[i as usize];
                ("Fähigkeit", s.id.as_str(), s.label.clone())
            }
            Concept::Occupation(i) => {
                let o = &engine.catalogue.occupations[i as usize];
                let level = o
                    .level()
                    .map(lotse::catalogue::kldb::level_label)
                    .unwrap_or("unbekannt");
                (
                    "Beruf",
                    o.id.as_str(),
                    format!("{} (KldB {}, {level})", o.title, o.kldb),
                )
            }
        };
        outln!(
            "  {kind:<11}  {id:<26}  {:>9.0} %  {label:<40}  {} „{}“",
            r.confidence * 100.0,
            r.kind.label(),
            r.matched
        );
    }
    Ok(())
}
