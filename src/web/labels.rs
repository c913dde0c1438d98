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

#[cfg(test)]
mod tests {
    use super::*;

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
