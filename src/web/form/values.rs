//! The form's raw values, as typed, and reading them into typed fields
//! with a German message per field that does not parse. Values are kept
//! as typed so that a form with errors comes back exactly as it was sent.

use crate::web::labels::Choice;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Field name → value as typed (trimmed).
pub type Values = BTreeMap<String, String>;
/// Field name → what is wrong with it.
pub type Errors = BTreeMap<String, String>;

/// Most rows of one repeated group the form reads.
pub const MAX_ROWS: usize = 60;
/// Longest free text accepted in one field.
pub const MAX_TEXT: usize = 10_000;

/// A group of repeated rows (`{prefix}_{i}_{field}`).
#[derive(Debug, Clone, Copy)]
pub struct RowGroup {
    pub prefix: &'static str,
    /// Every field of a row.
    pub fields: &'static [&'static str],
    /// Fields that make a row count as filled in (choices with a default do not).
    pub content: &'static [&'static str],
}

impl RowGroup {
    /// The key of a field in row `i`.
    pub fn key(&self, i: usize, field: &str) -> String {
        format!("{}_{i}_{field}", self.prefix)
    }
}

pub const LANGUAGES: RowGroup = RowGroup {
    prefix: "lang",
    fields: &["language", "level"],
    content: &["language", "level"],
};
pub const TRAINING: RowGroup = RowGroup {
    prefix: "vt",
    fields: &["occupation", "years", "completed", "certificate", "country"],
    content: &["occupation", "years", "completed", "certificate", "country"],
};
pub const STUDIES: RowGroup = RowGroup {
    prefix: "he",
    fields: &["field", "semesters", "degree", "country"],
    content: &["field", "semesters", "degree", "country"],
};
pub const EXPERIENCE: RowGroup = RowGroup {
    prefix: "we",
    fields: &["activity", "years", "country", "sector", "self_employed"],
    content: &["activity", "years", "country", "sector", "self_employed"],
};
pub const SKILLS: RowGroup = RowGroup {
    prefix: "sk",
    fields: &["written", "level", "source"],
    content: &["written", "level"],
};
/// Every repeated group of the form.
pub const GROUPS: [RowGroup; 5] = [LANGUAGES, TRAINING, STUDIES, EXPERIENCE, SKILLS];

/// The values of a submitted form: trimmed, and the rows of every group
/// renumbered without the empty ones.
pub fn from_pairs(pairs: Vec<(String, String)>) -> Values {
    let mut raw = Values::new();
    for (k, v) in pairs {
        if k == crate::web::csrf::FIELD || k == "action" {
            continue;
        }
        let v = v.trim().to_string();
        if !v.is_empty() {
            raw.insert(k, v);
        }
    }
    for g in GROUPS {
        compact(&mut raw, g);
    }
    raw
}

/// Renumbers the filled rows of a group 0, 1, 2, … in their order.
fn compact(values: &mut Values, g: RowGroup) {
    let mut rows: Vec<Vec<(&str, String)>> = Vec::new();
    for i in 0..MAX_ROWS {
        let row: Vec<(&str, String)> = g
            .fields
            .iter()
            .filter_map(|f| values.remove(&g.key(i, f)).map(|v| (*f, v)))
            .collect();
        if row.iter().any(|(f, _)| g.content.contains(f)) {
            rows.push(row);
        }
    }
    for (i, row) in rows.into_iter().enumerate() {
        for (f, v) in row {
            values.insert(g.key(i, f), v);
        }
    }
}

/// Number of filled rows of a group (rows are compact).
pub fn rows(values: &Values, g: RowGroup) -> usize {
    (0..MAX_ROWS)
        .take_while(|&i| g.fields.iter().any(|f| values.contains_key(&g.key(i, f))))
        .count()
}

/// Reads typed fields from the values, collecting a message per bad field.
pub struct Reader<'a> {
    pub values: &'a Values,
    pub errors: Errors,
}

impl<'a> Reader<'a> {
    pub fn new(values: &'a Values) -> Self {
        Reader {
            values,
            errors: Errors::new(),
        }
    }

    /// Records a problem with a field (the first one per field is kept).
    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        self.errors
            .entry(key.to_string())
            .or_insert_with(|| message.into());
    }

    fn raw(&self, key: &str) -> Option<&'a str> {
        self.values.get(key).map(String::as_str)
    }

    /// Free text, `None` when empty.
    pub fn text(&mut self, key: &str) -> Option<String> {
        let v = self.raw(key)?;
        if v.chars().count() > MAX_TEXT {
            self.error(key, format!("Höchstens {MAX_TEXT} Zeichen."));
            return None;
        }
        Some(v.to_string())
    }

    /// Free text that must be given.
    pub fn required(&mut self, key: &str, what: &str) -> String {
        match self.text(key) {
            Some(v) => v,
            None => {
                self.error(key, format!("{what} fehlt."));
                String::new()
            }
        }
    }

    /// A whole number in `min..=max`.
    pub fn int<T: FromStr + Into<i64> + Copy>(
        &mut self,
        key: &str,
        min: i64,
        max: i64,
    ) -> Option<T> {
        let v = self.raw(key)?;
        match v.parse::<T>() {
            Ok(n) if (min..=max).contains(&n.into()) => Some(n),
            _ => {
                self.error(
                    key,
                    format!("Bitte eine ganze Zahl von {min} bis {max} eingeben."),
                );
                None
            }
        }
    }

    /// A decimal number in `min..=max`; a comma or a point as separator.
    pub fn decimal(&mut self, key: &str, min: f64, max: f64) -> Option<f64> {
        let v = self.raw(key)?;
        match v.replace(',', ".").parse::<f64>() {
            Ok(x) if x.is_finite() && (min..=max).contains(&x) => Some(x),
            _ => {
                let (a, b) = (fmt(min), fmt(max));
                self.error(
                    key,
                    format!("Bitte eine Zahl von {a} bis {b} eingeben (z. B. 1,5)."),
                );
                None
            }
        }
    }

    /// A date as `JJJJ-MM-TT` (date field) or `TT.MM.JJJJ`.
    pub fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let v = self.raw(key)?;
        let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(v, "%d.%m.%Y"));
        match parsed {
            Ok(d) if (1900..=2200).contains(&chrono::Datelike::year(&d)) => Some(d),
            _ => {
                self.error(key, "Bitte ein Datum als TT.MM.JJJJ eingeben.");
                None
            }
        }
    }

    /// „ja“ / „nein“ / not recorded.
    pub fn yes_no(&mut self, key: &str) -> Option<bool> {
        match self.raw(key)? {
            "ja" => Some(true),
            "nein" => Some(false),
            _ => {
                self.error(key, "Bitte „ja“, „nein“ oder „nicht erfasst“ wählen.");
                None
            }
        }
    }

    /// One of a choice field's values.
    pub fn choice<C: Choice>(&mut self, key: &str) -> Option<C> {
        let v = self.raw(key)?;
        let c = C::parse(v);
        if c.is_none() {
            self.error(key, "Bitte einen Wert aus der Liste wählen.");
        }
        c
    }

    /// A value parsed with the model's own `FromStr` (German message on error).
    pub fn parsed<T: FromStr<Err = String>>(&mut self, key: &str) -> Option<T> {
        let v = self.raw(key)?;
        match v.parse() {
            Ok(x) => Some(x),
            Err(e) => {
                self.error(key, e);
                None
            }
        }
    }

    /// Whether a checkbox is ticked.
    pub fn checked(&self, key: &str) -> bool {
        self.raw(key).is_some()
    }
}

fn fmt(x: f64) -> String {
    format!("{x}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Values {
        from_pairs(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn empty_rows_are_dropped_and_rows_renumbered() {
        let v = values(&[
            ("we_0_activity", " "),
            ("we_1_activity", "Koch"),
            ("we_3_years", "2"),
            ("sk_0_source", "Observed"),
            ("csrf", "x"),
        ]);
        assert_eq!(v.get("we_0_activity").map(String::as_str), Some("Koch"));
        assert_eq!(v.get("we_1_years").map(String::as_str), Some("2"));
        assert_eq!(rows(&v, EXPERIENCE), 2);
        assert_eq!(rows(&v, SKILLS), 0, "a default choice alone is no row");
        assert!(!v.contains_key("csrf"));
    }

    #[test]
    fn numbers_and_dates_give_german_messages() {
        let v = values(&[
            ("a", "12x"),
            ("b", "1,5"),
            ("c", "31.02.2016"),
            ("d", "01.02.2016"),
            ("e", "vielleicht"),
        ]);
        let mut r = Reader::new(&v);
        assert_eq!(r.int::<u16>("a", 0, 100), None);
        assert_eq!(r.decimal("b", 0.0, 60.0), Some(1.5));
        assert_eq!(r.date("c"), None);
        assert_eq!(r.date("d"), NaiveDate::from_ymd_opt(2016, 2, 1));
        assert_eq!(r.yes_no("e"), None);
        assert_eq!(r.int::<u16>("fehlt", 0, 1), None);
        let keys: Vec<&str> = r.errors.keys().map(String::as_str).collect();
        assert_eq!(keys, ["a", "c", "e"]);
        assert!(r.errors["a"].starts_with("Bitte eine ganze Zahl"));
    }
}
