//! German labels and form values of the profile's choice fields that the
//! model does not label itself. The form value is the variant's name.

use crate::profile::{ConsentScope, Gender, Hours, Recognition, SkillSource};

/// A choice field: its values in form order, their form value and label.
pub trait Choice: Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    fn value(self) -> &'static str;
    fn label(self) -> &'static str;
    /// The variant of a form value.
    fn parse(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.value() == value)
    }
}

macro_rules! choice {
    ($ty:ty, [$($variant:ident => $label:literal),+ $(,)?]) => {
        impl Choice for $ty {
            const ALL: &'static [Self] = &[$(<$ty>::$variant),+];
            fn value(self) -> &'static str {
                match self { $(<$ty>::$variant => stringify!($variant)),+ }
            }
            fn label(self) -> &'static str {
                match self { $(<$ty>::$variant => $label),+ }
            }
        }
    };
}

choice!(Gender, [Female => "weiblich", Male => "männlich", Diverse => "divers"]);
choice!(Recognition, [
    NotApplied => "nicht beantragt",
    Pending => "beantragt, offen",
    Recognised => "anerkannt",
    PartlyRecognised => "teilweise anerkannt",
    Refused => "abgelehnt",
]);
choice!(Hours, [FullTime => "Vollzeit", PartTime => "Teilzeit"]);
choice!(ConsentScope, [
    Profiling => "Erfassung und Speicherung des Profils",
    Matching => "Abgleich mit Berufen, Stellen und Bildungsangeboten",
    ShareWithPartners => "Weitergabe an Partner des Lotsenhauses",
    ShareWithEmployers => "Weitergabe an Arbeitgeber für ein konkretes Angebot",
]);
choice!(SkillSource, [
    SelfReported => "Selbstauskunft",
    Observed => "in der Praxis beobachtet",
    Certified => "zertifiziert",
]);

/// „ja“, „nein“ or „nicht erfasst“.
pub fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "ja",
        Some(false) => "nein",
        None => "nicht erfasst",
    }
}

/// A number of years with a German decimal comma and no trailing zeros.
pub fn years(y: f32) -> String {
    format!("{y}").replace('.', ",")
}

/// A count with its noun in singular or plural: „1 Platz“, „3 Plätze“.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A number with a German decimal comma and `digits` decimals: „83,4“.
pub fn decimal(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}

/// A date as people write it in Germany: „01.03.2016“.
pub fn date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Text from the engine made readable: ISO dates (`2016-02-01`) become
/// `01.02.2016`, decimal points in numbers of years (`0.5 Jahre`) commas.
/// For human output only; JSON and CSV keep the engine's text.
pub fn readable(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let iso = boundary
            && (0..4).all(|k| digit(i + k))
            && chars.get(i + 4) == Some(&'-')
            && digit(i + 5)
            && digit(i + 6)
            && chars.get(i + 7) == Some(&'-')
            && digit(i + 8)
            && digit(i + 9)
            && !digit(i + 10);
        if iso {
            let s: String = chars[i..i + 10].iter().collect();
            if let Ok(d) = chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
                out.push_str(&date(d));
                i += 10;
                continue;
            }
        }
        if chars[i] == '.' && i > 0 && digit(i - 1) && digit(i + 1) {
            let mut end = i + 1;
            while digit(end) {
                end += 1;
            }
            let rest: String = chars[end..].iter().take(5).collect();
            if rest.starts_with(" Jahr") {
                out.push(',');
                i += 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The German name of a language by its ISO 639-1 code („Arabisch“ for
/// `ar`); an unknown code is shown as written.
pub fn language(code: &str) -> String {
    let name = match code.trim().to_ascii_lowercase().as_str() {
        "ar" => "Arabisch",
        "fa" => "Persisch (Farsi/Dari)",
        "ps" => "Paschtu",
        "ku" => "Kurdisch",
        "tr" => "Türkisch",
        "ti" => "Tigrinya",
        "am" => "Amharisch",
        "om" => "Oromo",
        "so" => "Somali",
        "sw" => "Suaheli",
        "ha" => "Hausa",
        "yo" => "Yoruba",
        "ig" => "Igbo",
        "wo" => "Wolof",
        "ff" => "Fulfulde",
        "ln" => "Lingála",
        "en" => "Englisch",
        "fr" => "Französisch",
        "es" => "Spanisch",
        "pt" => "Portugiesisch",
        "it" => "Italienisch",
        "nl" => "Niederländisch",
        "de" => "Deutsch",
        "ru" => "Russisch",
        "uk" => "Ukrainisch",
        "be" => "Belarussisch",
        "pl" => "Polnisch",
        "cs" => "Tschechisch",
        "sk" => "Slowakisch",
        "hu" => "Ungarisch",
        "ro" => "Rumänisch",
        "bg" => "Bulgarisch",
        "el" => "Griechisch",
        "sq" => "Albanisch",
        "sr" => "Serbisch",
        "hr" => "Kroatisch",
        "bs" => "Bosnisch",
        "mk" => "Mazedonisch",
        "ka" => "Georgisch",
        "hy" => "Armenisch",
        "az" => "Aserbaidschanisch",
        "uz" => "Usbekisch",
        "tg" => "Tadschikisch",
        "ur" => "Urdu",
        "hi" => "Hindi",
        "bn" => "Bengalisch",
        "pa" => "Panjabi",
        "ta" => "Tamil",
        "ne" => "Nepali",
        "my" => "Birmanisch",
        "th" => "Thai",
        "vi" => "Vietnamesisch",
        "zh" => "Chinesisch",
        "he" => "Hebräisch",
        _ => return code.to_string(),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_german() {
        assert_eq!(count(1u32, "Platz", "Plätze"), "1 Platz");
        assert_eq!(count(3u32, "Platz", "Plätze"), "3 Plätze");
        assert_eq!(count(0u32, "Woche", "Wochen"), "0 Wochen");
        assert_eq!(decimal(83.44, 1), "83,4");
        assert_eq!(
            date(chrono::NaiveDate::from_ymd_opt(2016, 3, 1).unwrap()),
            "01.03.2016"
        );
        assert_eq!(language("ar"), "Arabisch");
        assert_eq!(
            readable("verfügbar ab 2016-02-01 → Beginn 2016-03-15"),
            "verfügbar ab 01.02.2016 → Beginn 15.03.2016"
        );
        assert_eq!(readable("Küchenhilfe, 0.5 Jahre"), "Küchenhilfe, 0,5 Jahre");
        assert_eq!(
            readable("Version 1.5 und x2016-02-01"),
            "Version 1.5 und x2016-02-01"
        );
        assert_eq!(language("xx"), "xx");
    }

    #[test]
    fn values_round_trip() {
        for g in Gender::ALL {
            assert_eq!(Gender::parse(g.value()), Some(*g));
        }
        for s in ConsentScope::ALL {
            assert_eq!(ConsentScope::parse(s.value()), Some(*s));
        }
        assert_eq!(Hours::parse("Nonsense"), None);
        assert_eq!(years(1.5), "1,5");
        assert_eq!(years(4.0), "4");
    }
}
