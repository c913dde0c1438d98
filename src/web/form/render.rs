//! The profile form as HTML: the sections of the Profilingbogen, then the
//! Kompetenzprofil. Every field shows the value as typed and, below it,
//! what is wrong with it. Repeated rows (languages, training, studies,
//! work experience, skills) come with one empty row; „Weitere Zeilen“
//! adds three more without saving (no JavaScript needed) and comes back at
//! those rows. Enter in a text field does not submit the form.

use super::convert::{consent_key, licence_key, rating_key};
use super::values::{
    rows, Errors, RowGroup, Values, EXPERIENCE, LANGUAGES, SKILLS, STUDIES, TRAINING,
};
use crate::cefr::Cefr;
use crate::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use crate::profile::{Competence, ConsentScope, Gender, Hours, Recognition, SkillSource};
use crate::web::auth::CurrentUser;
use crate::web::csrf;
use crate::web::labels::Choice;
use maud::{html, Markup};

/// What the form does.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    New,
    Edit(&'a str),
}

/// Options of a select: (value, label).
type Options = Vec<(String, String)>;

fn choices<C: Choice>() -> Options {
    C::ALL
        .iter()
        .map(|c| (c.value().to_string(), c.label().to_string()))
        .collect()
}

fn cefr_options() -> Options {
    Cefr::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), l.as_str().to_string()))
        .collect()
}

struct Form<'a> {
    v: &'a Values,
    e: &'a Errors,
    /// Where the form posts to (the rows' buttons add their anchor).
    action: &'a str,
}

impl Form<'_> {
    fn val(&self, key: &str) -> &str {
        self.v.get(key).map_or("", String::as_str)
    }

    fn wrap(&self, key: &str, label: &str, wide: bool, control: Markup) -> Markup {
        let error = self.e.get(key);
        html! {
            label.field.wide[wide].invalid[error.is_some()] {
                span { (label) }
                (control)
                @if let Some(e) = error { span.field-error { (e) } }
            }
        }
    }

    fn input(&self, kind: &str, key: &str, label: &str) -> Markup {
        let (ty, mode) = input_type(kind);
        let control = html! {
            input type=(ty) inputmode=[mode] class=[mode.map(|_| "short")] name=(key) id=(key) value=(self.val(key));
        };
        self.wrap(key, label, false, control)
    }

    fn text(&self, key: &str, label: &str) -> Markup {
        self.input("text", key, label)
    }

    fn date(&self, key: &str, label: &str) -> Markup {
        self.input("date", key, label)
    }

    fn select_control(
        &self,
        key: &str,
        label: &str,
        options: &Options,
        empty: Option<&str>,
    ) -> Markup {
        let current = self.val(key);
        let known = options.iter().any(|(v, _)| v == current);
        html! {
            select name=(key) id=(key) aria-label=(label) {
                @if let Some(e) = empty { option value="" { (e) } }
                @if !known && !current.is_empty() {
                    option value=(current) selected { (current) " (ungültig)" }
                }
                @for (value, text) in options {
                    option value=(value) selected[value == current] { (text) }
                }
            }
        }
    }

    fn select(&self, key: &str, label: &str, options: &Options) -> Markup {
        self.wrap(
            key,
            label,
            false,
            self.select_control(key, label, options, Some("nicht erfasst")),
        )
    }

    fn yes_no(&self, key: &str, label: &str) -> Markup {
        self.select(key, label, &yes_no_options())
    }

    fn textarea(&self, key: &str, label: &str) -> Markup {
        let control = html! { textarea name=(key) id=(key) { (self.val(key)) } };
        self.wrap(key, label, true, control)
    }

    fn checkbox(&self, key: &str, label: &str) -> Markup {
        html! {
            label { input type="checkbox" name=(key) checked[!self.val(key).is_empty()]; " " (label) }
        }
    }

    /// A cell of a repeated row.
    fn cell(&self, key: &str, control: Markup) -> Markup {
        html! {
            td.cell.invalid[self.e.contains_key(key)] {
                (control)
                @if let Some(e) = self.e.get(key) { span.field-error { (e) } }
            }
        }
    }

    fn cell_input(&self, kind: &str, key: &str, label: &str) -> Markup {
        let (ty, mode) = input_type(kind);
        let control = html! {
            input type=(ty) inputmode=[mode] class=[mode.map(|_| "short")] name=(key) value=(self.val(key)) aria-label=(label);
        };
        self.cell(key, control)
    }

    fn cell_select(
        &self,
        key: &str,
        label: &str,
        options: &Options,
        empty: Option<&str>,
    ) -> Markup {
        self.cell(key, self.select_control(key, label, options, empty))
    }

    /// The rows of a group: the filled ones, then empty ones.
    fn rows(
        &self,
        g: RowGroup,
        extra: usize,
        columns: &[&str],
        row: impl Fn(usize) -> Markup,
    ) -> Markup {
        let n = rows(self.v, g) + 1 + extra;
        // The answer to "Weitere Zeilen" opens at these rows, not at the
        // top of the form (the fragment of the button's target).
        let anchor = format!("zeilen-{}", g.prefix);
        html! {
            table.rows id=(anchor) {
                thead { tr { @for c in columns { th { (c) } } } }
                tbody { @for i in 0..n { tr { (row(i)) } } }
            }
            button.secondary type="submit" name="action" value=(format!("more-{}", g.prefix))
                formaction=(format!("{}#{anchor}", self.action)) formnovalidate {
                "Weitere Zeilen"
            }
        }
    }
}

/// Numbers are typed into text fields (with a number keyboard on tablets):
/// a number field would drop what it cannot parse, or a German decimal
/// comma in an English browser, instead of letting the form say what is wrong.
fn input_type(kind: &str) -> (&str, Option<&'static str>) {
    match kind {
        "numeric" => ("text", Some("numeric")),
        "decimal" => ("text", Some("decimal")),
        other => (other, None),
    }
}

fn yes_no_options() -> Options {
    vec![("ja".into(), "ja".into()), ("nein".into(), "nein".into())]
}

/// The whole form. `extra`: the group whose rows the user asked to extend.
pub fn form(user: &CurrentUser, mode: Mode, v: &Values, e: &Errors, extra: Option<&str>) -> Markup {
    let action = match mode {
        Mode::New => "/profiles/new".to_string(),
        Mode::Edit(id) => format!("/profiles/{id}/edit"),
    };
    let f = Form {
        v,
        e,
        action: &action,
    };
    let more = |g: RowGroup| if extra == Some(g.prefix) { 3 } else { 0 };
    let residence: Options = ResidenceStatus::ALL
        .iter()
        .map(|s| (s.csv_name().into(), s.label().into()))
        .collect();
    let permit: Options = WorkPermit::ALL
        .iter()
        .map(|s| (s.csv_name().into(), s.label().into()))
        .collect();
    let levels: Options = (1..=5).map(|l| (l.to_string(), l.to_string())).collect();
    html! {
        @if !e.is_empty() {
            div.notice.bad {
                strong { "Noch nicht gespeichert: bitte die markierten Felder prüfen (" (e.len()) ")." }
            }
        }
        form.profile method="post" action=(action) novalidate {
            (csrf::field(user))
            @if let Some(version) = v.get("version") {
                input type="hidden" name="version" value=(version);
            }
            // The form's default button, disabled: Enter in a text field
            // neither saves nor adds rows (implicit submission does nothing
            // when the default button is disabled); only a click saves.
            button type="submit" name="action" value="none" disabled hidden aria-hidden="true" { }
            fieldset {
                legend { "1. Persönliche Daten" }
                div.grid {
                    @match mode {
                        Mode::New => (f.text("id", "Kennung (z. B. P-0042)")),
                        Mode::Edit(id) => label.field { span { "Kennung" } input type="text" value=(id) disabled; },
                    }
                    (f.text("given_name", "Vorname *"))
                    (f.text("family_name", "Familienname *"))
                    (f.input("numeric", "birth_year", "Geburtsjahr"))
                    (f.select("gender", "Geschlecht", &choices::<Gender>()))
                    (f.text("nationality", "Staatsangehörigkeit"))
                    (f.text("country_of_origin", "Herkunftsland"))
                    (f.date("arrival", "Einreise nach Deutschland"))
                }
                h3 { "Gespräch" }
                div.grid {
                    (f.text("intake_customer_number", "Kundennummer (BA)"))
                    (f.text("intake_advisor", "Beraterin / Berater"))
                    (f.date("intake_date", "Datum des Gesprächs"))
                }
            }
            fieldset {
                legend { "2. Aufenthalt und Arbeitserlaubnis" }
                div.grid {
                    (f.select("residence_status", "Aufenthaltsstatus", &residence))
                    (f.select("work_permit", "Arbeitserlaubnis", &permit))
                    (f.date("valid_until", "Aufenthaltstitel gültig bis"))
                }
            }
            fieldset {
                legend { "3. Wohnort und Mobilität" }
                div.grid {
                    (f.text("postcode", "Postleitzahl"))
                    (f.text("municipality", "Wohnort"))
                    (f.input("decimal", "lat", "Breitengrad (optional)"))
                    (f.input("decimal", "lon", "Längengrad (optional)"))
                    (f.input("numeric", "commute_km", "Pendelradius in km"))
                    (f.yes_no("car", "Eigenes Auto"))
                }
                p { "Führerscheinklassen:" }
                div.checks {
                    @for l in DrivingLicence::ALL { (f.checkbox(&licence_key(l), l.as_str())) }
                }
            }
            fieldset {
                legend { "4. Sprachen" }
                div.grid {
                    (f.select("german", "Deutsch (GER-Niveau)", &cefr_options()))
                    (f.text("mother_tongues", "Muttersprache(n), durch Komma getrennt"))
                    (f.yes_no("literate_latin", "Lesen und Schreiben in lateinischer Schrift"))
                    (f.yes_no("integration_course", "Integrationskurs besucht"))
                }
                h3 { "Weitere Sprachen" }
                (f.rows(LANGUAGES, more(LANGUAGES), &["Sprache", "Niveau"], |i| html! {
                    (f.cell_input("text", &LANGUAGES.key(i, "language"), "Sprache"))
                    (f.cell_select(&LANGUAGES.key(i, "level"), "Niveau", &cefr_options(), Some("–")))
                }))
            }
            fieldset {
                legend { "5. Schulbildung" }
                div.grid {
                    (f.input("numeric", "school_years", "Schuljahre"))
                    (f.text("school_certificate", "Höchster Abschluss (wie genannt)"))
                    (f.text("school_country", "Land"))
                    (f.yes_no("school_documents", "Zeugnisse vorhanden"))
                    (f.select("school_recognition", "Anerkennung", &choices::<Recognition>()))
                }
            }
            fieldset {
                legend { "6. Berufsausbildung" }
                (f.rows(TRAINING, more(TRAINING), &["Beruf (wie genannt)", "Jahre", "abgeschlossen", "Nachweis", "Land"], |i| html! {
                    (f.cell_input("text", &TRAINING.key(i, "occupation"), "Beruf"))
                    (f.cell_input("decimal", &TRAINING.key(i, "years"), "Jahre"))
                    (f.cell_select(&TRAINING.key(i, "completed"), "abgeschlossen", &yes_no_options(), Some("–")))
                    (f.cell_select(&TRAINING.key(i, "certificate"), "Nachweis", &yes_no_options(), Some("–")))
                    (f.cell_input("text", &TRAINING.key(i, "country"), "Land"))
                }))
            }
            fieldset {
                legend { "7. Studium" }
                (f.rows(STUDIES, more(STUDIES), &["Fach", "Semester", "Abschluss", "Land"], |i| html! {
                    (f.cell_input("text", &STUDIES.key(i, "field"), "Fach"))
                    (f.cell_input("numeric", &STUDIES.key(i, "semesters"), "Semester"))
                    (f.cell_input("text", &STUDIES.key(i, "degree"), "Abschluss"))
                    (f.cell_input("text", &STUDIES.key(i, "country"), "Land"))
                }))
            }
            fieldset {
                legend { "8. Berufserfahrung" }
                (f.rows(EXPERIENCE, more(EXPERIENCE), &["Tätigkeit (wie genannt)", "Jahre", "Land", "Branche", "selbstständig"], |i| html! {
                    (f.cell_input("text", &EXPERIENCE.key(i, "activity"), "Tätigkeit"))
                    (f.cell_input("decimal", &EXPERIENCE.key(i, "years"), "Jahre"))
                    (f.cell_input("text", &EXPERIENCE.key(i, "country"), "Land"))
                    (f.cell_input("text", &EXPERIENCE.key(i, "sector"), "Branche"))
                    (f.cell_select(&EXPERIENCE.key(i, "self_employed"), "selbstständig", &yes_no_options(), Some("–")))
                }))
            }
            fieldset {
                legend { "9. Wünsche und Interessen" }
                (f.textarea("interests", "Berufswünsche, wie genannt – einer pro Zeile"))
            }
            fieldset {
                legend { "10. Einschränkungen und Verfügbarkeit" }
                div.grid {
                    (f.text("health", "Gesundheitliche Einschränkungen"))
                    (f.yes_no("childcare", "Kinderbetreuung nötig"))
                    (f.yes_no("part_time_only", "Nur Teilzeit möglich"))
                    (f.date("available_from", "Verfügbar ab"))
                    (f.select("hours", "Umfang", &choices::<Hours>()))
                }
            }
            fieldset {
                legend { "11. Einwilligung (Datenschutz)" }
                div.grid { (f.date("consent_date", "Datum der Einwilligung")) }
                div.checks {
                    @for s in ConsentScope::ALL { (f.checkbox(&consent_key(*s), s.label())) }
                }
            }
            fieldset {
                legend { "12. Kompetenzprofil" }
                div.grid { (f.date("k_date", "Datum der Profilanalyse")) }
                h3 { "Fähigkeiten" }
                (f.rows(SKILLS, more(SKILLS), &["Fähigkeit (wie genannt)", "Stufe 1–5", "Quelle"], |i| html! {
                    (f.cell_input("text", &SKILLS.key(i, "written"), "Fähigkeit"))
                    (f.cell_select(&SKILLS.key(i, "level"), "Stufe", &levels, Some("–")))
                    (f.cell_select(&SKILLS.key(i, "source"), "Quelle", &choices::<SkillSource>(), None))
                }))
                h3 { "Persönliche, soziale und methodische Kompetenzen (1 = gering, 5 = sehr ausgeprägt)" }
                div.grid {
                    @for c in Competence::ALL { (f.select(&rating_key(c), c.label(), &levels)) }
                }
                (f.textarea("strengths", "Stärken"))
                (f.text("recommendation", "Empfohlene nächste Qualifizierung"))
            }
            fieldset {
                legend { "13. Notizen der Beratung" }
                (f.textarea("notes", "Notizen"))
            }
            div.actions {
                button.primary type="submit" name="action" value="save" { "Speichern" }
                @match mode {
                    Mode::New => a.button.secondary href="/profiles" { "Abbrechen" },
                    Mode::Edit(id) => a.button.secondary href=(format!("/profiles/{id}")) { "Abbrechen" },
                }
            }
        }
    }
}
