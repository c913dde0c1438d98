//! Legal statuses that decide whether a person may take a place: residence
//! status, work permit and driving licence classes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Residence status (Aufenthaltsstatus) as recorded in the Profilingbogen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResidenceStatus {
    /// Asylum procedure running (Aufenthaltsgestattung).
    Aufenthaltsgestattung,
    /// Deportation suspended (Duldung).
    Duldung,
    /// Residence permit (Aufenthaltserlaubnis), e.g. after recognition.
    Aufenthaltserlaubnis,
    /// Settlement permit (Niederlassungserlaubnis).
    Niederlassungserlaubnis,
    /// Not known yet.
    Unbekannt,
}

impl ResidenceStatus {
    /// The CSV spelling (`gestattung|duldung|erlaubnis|niederlassung|unbekannt`).
    pub fn csv_name(self) -> &'static str {
        match self {
            ResidenceStatus::Aufenthaltsgestattung => "gestattung",
            ResidenceStatus::Duldung => "duldung",
            ResidenceStatus::Aufenthaltserlaubnis => "erlaubnis",
            ResidenceStatus::Niederlassungserlaubnis => "niederlassung",
            ResidenceStatus::Unbekannt => "unbekannt",
        }
    }

    /// The German label for people.
    pub fn label(self) -> &'static str {
        match self {
            ResidenceStatus::Aufenthaltsgestattung => "Aufenthaltsgestattung",
            ResidenceStatus::Duldung => "Duldung",
            ResidenceStatus::Aufenthaltserlaubnis => "Aufenthaltserlaubnis",
            ResidenceStatus::Niederlassungserlaubnis => "Niederlassungserlaubnis",
            ResidenceStatus::Unbekannt => "unbekannt",
        }
    }

    /// All statuses, in the order of the form.
    pub const ALL: [ResidenceStatus; 5] = [
        ResidenceStatus::Aufenthaltsgestattung,
        ResidenceStatus::Duldung,
        ResidenceStatus::Aufenthaltserlaubnis,
        ResidenceStatus::Niederlassungserlaubnis,
        ResidenceStatus::Unbekannt,
    ];
}

impl FromStr for ResidenceStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        ResidenceStatus::ALL
            .into_iter()
            .find(|v| v.csv_name() == t || v.label().to_lowercase() == t)
            .ok_or_else(|| {
                format!("„{}“ ist kein Aufenthaltsstatus (erlaubt: gestattung, duldung, erlaubnis, niederlassung, unbekannt)", s.trim())
            })
    }
}

/// Whether the person may work (Beschäftigungserlaubnis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkPermit {
    /// Work is allowed.
    Allowed,
    /// Work needs the approval of the Ausländerbehörde for the concrete job.
    NeedsApproval,
    /// Work is not allowed.
    NotAllowed,
    /// Not known yet.
    Unknown,
}

impl WorkPermit {
    /// The CSV spelling (`ja|zustimmung|nein|unbekannt`).
    pub fn csv_name(self) -> &'static str {
        match self {
            WorkPermit::Allowed => "ja",
            WorkPermit::NeedsApproval => "zustimmung",
            WorkPermit::NotAllowed => "nein",
            WorkPermit::Unknown => "unbekannt",
        }
    }

    /// The German label for people.
    pub fn label(self) -> &'static str {
        match self {
            WorkPermit::Allowed => "erlaubt",
            WorkPermit::NeedsApproval => "Zustimmung der Ausländerbehörde nötig",
            WorkPermit::NotAllowed => "nicht erlaubt",
            WorkPermit::Unknown => "unbekannt",
        }
    }

    /// All values, in the order of the form.
    pub const ALL: [WorkPermit; 4] = [
        WorkPermit::Allowed,
        WorkPermit::NeedsApproval,
        WorkPermit::NotAllowed,
        WorkPermit::Unknown,
    ];
}

impl FromStr for WorkPermit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        WorkPermit::ALL
            .into_iter()
            .find(|v| v.csv_name() == t)
            .ok_or_else(|| {
                format!(
                    "„{}“ ist keine Angabe zur Arbeitserlaubnis (erlaubt: ja, zustimmung, nein, unbekannt)",
                    s.trim()
                )
            })
    }
}

/// A driving licence class (Führerscheinklasse) under the EU directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DrivingLicence {
    AM,
    A1,
    A2,
    A,
    B,
    BE,
    C1,
    C1E,
    C,
    CE,
    D1,
    D1E,
    D,
    DE,
    L,
    T,
}

impl DrivingLicence {
    /// All classes.
    pub const ALL: [DrivingLicence; 16] = [
        DrivingLicence::AM,
        DrivingLicence::A1,
        DrivingLicence::A2,
        DrivingLicence::A,
        DrivingLicence::B,
        DrivingLicence::BE,
        DrivingLicence::C1,
        DrivingLicence::C1E,
        DrivingLicence::C,
        DrivingLicence::CE,
        DrivingLicence::D1,
        DrivingLicence::D1E,
        DrivingLicence::D,
        DrivingLicence::DE,
        DrivingLicence::L,
        DrivingLicence::T,
    ];

    /// The class as written on the licence.
    pub fn as_str(self) -> &'static str {
        match self {
            DrivingLicence::AM => "AM",
            DrivingLicence::A1 => "A1",
            DrivingLicence::A2 => "A2",
            DrivingLicence::A => "A",
            DrivingLicence::B => "B",
            DrivingLicence::BE => "BE",
            DrivingLicence::C1 => "C1",
            DrivingLicence::C1E => "C1E",
            DrivingLicence::C => "C",
            DrivingLicence::CE => "CE",
            DrivingLicence::D1 => "D1",
            DrivingLicence::D1E => "D1E",
            DrivingLicence::D => "D",
            DrivingLicence::DE => "DE",
            DrivingLicence::L => "L",
            DrivingLicence::T => "T",
        }
    }

    /// Whether holding `self` entitles to drive what `required` allows
    /// (e.g. C includes C1 and B is required for C).
    pub fn covers(self, required: DrivingLicence) -> bool {
        use DrivingLicence::*;
        if self == required {
            return true;
        }
        let included: &[DrivingLicence] = match self {
            A => &[A2, A1, AM],
            A2 => &[A1, AM],
            A1 => &[AM],
            B => &[AM, L],
            BE => &[B, AM, L],
            C => &[C1],
            CE => &[C, C1, C1E, BE, T],
            C1E => &[C1, BE],
            D => &[D1],
            DE => &[D, D1, D1E, BE],
            D1E => &[D1, BE],
            T => &[AM, L],
            _ => &[],
        };
        included.contains(&required)
    }
}

impl fmt::Display for DrivingLicence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DrivingLicence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        DrivingLicence::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                format!("„{t}“ ist keine Führerscheinklasse (z. B. B, BE, C1, CE, L, T)")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_spellings_parse() {
        assert_eq!("Duldung".parse(), Ok(ResidenceStatus::Duldung));
        assert_eq!(
            "gestattung".parse(),
            Ok(ResidenceStatus::Aufenthaltsgestattung)
        );
        assert_eq!("zustimmung".parse(), Ok(WorkPermit::NeedsApproval));
        assert!("vielleicht".parse::<WorkPermit>().is_err());
        assert_eq!("c1e".parse(), Ok(DrivingLicence::C1E));
        assert!("Z".parse::<DrivingLicence>().is_err());
    }

    #[test]
    fn higher_classes_cover_lower_ones() {
        use DrivingLicence::*;
        for (held, required, expected) in [
            (B, B, true),
            (CE, C, true),
            (C, C1, true),
            (C1, C, false),
            (B, C1, false),
            (BE, B, true),
            (A, AM, true),
        ] {
            assert_eq!(held.covers(required), expected, "{held} covers {required}");
        }
    }
}
