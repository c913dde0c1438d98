//! Countries of origin of the people in a generated folder, with what comes
//! with each: typical given and family names, mother tongues and other
//! languages, literacy in Latin script, schooling and how likely a residence
//! permit is. The shares follow the first asylum applications in Germany
//! 2014–2024 (BAMF) plus the people from Ukraine under § 24 AufenthG.
//!
//! Names are in `names.rs`.

use super::names::{
    Names, AFGHAN, ALBANIAN, ARABIC, KURDISH, PERSIAN, SOMALI, TIGRINYA, TURKISH, UKRAINIAN,
    WEST_AFRICAN_EN, WEST_AFRICAN_FR,
};
use crate::cefr::Cefr;

/// How likely protection (and so an Aufenthaltserlaubnis) is for people of a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Protection {
    /// High recognition rate (Syria, Eritrea, Afghanistan …).
    High,
    /// Low recognition rate: many Gestattung and Duldung (Albania, Nigeria …).
    Low,
    /// Temporary protection under § 24 AufenthG (Ukraine).
    Temporary,
}

/// A country of origin and what the generator draws for its people.
pub(super) struct Origin {
    pub country: &'static str,
    /// Nationality as advisors write it ("syrisch").
    pub nationality: &'static str,
    /// Share among the people generated (relative).
    pub weight: u32,
    pub names: &'static Names,
    /// Sets of mother tongues (ISO 639-1) with their weights.
    pub mother_tongues: &'static [(&'static [&'static str], u32)],
    /// Other languages: code, chance in percent, lowest and highest level.
    pub other_languages: &'static [(&'static str, u32, Cefr, Cefr)],
    /// Chance in percent to read and write Latin script.
    pub literate_latin: u32,
    /// Share of women in percent.
    pub female: u32,
    pub protection: Protection,
    /// Chance in percent of no schooling at all, and the usual number of school years.
    pub no_school: u32,
    pub school_years: u8,
    /// The school-leaving certificate after 12 years, as people write it.
    pub final_certificate: &'static str,
    /// Countries where people of this origin often worked on the way.
    pub transit: &'static [&'static str],
    /// Chance in percent of having studied.
    pub studied: u32,
}

use Cefr::{A1, A2, B1, B2, C1, C2};

/// Every origin with its share.
pub(super) const ORIGINS: &[Origin] = &[
    Origin {
        country: "Syrien",
        nationality: "syrisch",
        weight: 24,
        names: &ARABIC,
        mother_tongues: &[(&["ar"], 85), (&["ku", "ar"], 15)],
        other_languages: &[("en", 45, A1, B2), ("tr", 15, A1, B1)],
        literate_latin: 75,
        female: 35,
        protection: Protection::High,
        no_school: 6,
        school_years: 9,
        final_certificate: "Abitur (Bakaloria)",
        transit: &["Türkei", "Libanon", "Jordanien"],
        studied: 12,
    },
    Origin {
        country: "Syrien",
        nationality: "staatenlos",
        weight: 2,
        names: &KURDISH,
        mother_tongues: &[(&["ku"], 70), (&["ku", "ar"], 30)],
        other_languages: &[("ar", 70, A2, C1), ("en", 20, A1, B1)],
        literate_latin: 60,
        female: 40,
        protection: Protection::High,
        no_school: 12,
        school_years: 8,
        final_certificate: "Abitur",
        transit: &["Türkei", "Irak"],
        studied: 5,
    },
    Origin {
        country: "Afghanistan",
        nationality: "afghanisch",
        weight: 16,
        names: &AFGHAN,
        mother_tongues: &[(&["fa"], 55), (&["ps"], 35), (&["ps", "fa"], 10)],
        other_languages: &[("en", 30, A1, B2), ("ur", 8, A1, B1)],
        literate_latin: 45,
        female: 30,
        protection: Protection::High,
        no_school: 25,
        school_years: 8,
        final_certificate: "Abitur (Baccalaureat)",
        transit: &["Iran", "Pakistan", "Türkei"],
        studied: 6,
    },
    Origin {
        country: "Ukraine",
        nationality: "ukrainisch",
        weight: 14,
        names: &UKRAINIAN,
        mother_tongues: &[(&["uk"], 65), (&["uk", "ru"], 25), (&["ru"], 10)],
        other_languages: &[("ru", 70, B2, C2), ("en", 50, A2, B2), ("pl", 8, A1, B1)],
        literate_latin: 95,
        female: 70,
        protection: Protection::Temporary,
        no_school: 0,
        school_years: 11,
        final_certificate: "Atestat (Abschluss der Mittelschule)",
        transit: &["Polen"],
        studied: 40,
    },
    Origin {
        country: "Irak",
        nationality: "irakisch",
        weight: 8,
        names: &ARABIC,
        mother_tongues: &[(&["ar"], 65), (&["ku"], 35)],
        other_languages: &[("en", 40, A1, B2), ("ar", 25, B1, C1)],
        literate_latin: 70,
        female: 35,
        protection: Protection::High,
        no_school: 10,
        school_years: 9,
        final_certificate: "Abitur (Idadiya)",
        transit: &["Türkei", "Jordanien"],
        studied: 12,
    },
    Origin {
        country: "Türkei",
        nationality: "türkisch",
        weight: 7,
        names: &TURKISH,
        mother_tongues: &[(&["tr"], 70), (&["ku", "tr"], 30)],
        other_languages: &[("en", 45, A1, B2)],
        literate_latin: 97,
        female: 35,
        protection: Protection::Low,
        no_school: 2,
        school_years: 10,
        final_certificate: "Lise diploması (Abitur)",
        transit: &[],
        studied: 25,
    },
    Origin {
        country: "Eritrea",
        nationality: "eritreisch",
        weight: 4,
        names: &TIGRINYA,
        mother_tongues: &[(&["ti"], 90), (&["ti", "ar"], 10)],
        other_languages: &[("en", 35, A1, B1), ("ar", 20, A1, B1), ("am", 15, A1, B2)],
        literate_latin: 55,
        female: 35,
        protection: Protection::High,
        no_school: 15,
        school_years: 8,
        final_certificate: "Secondary School Certificate",
        transit: &["Sudan", "Äthiopien", "Libyen"],
        studied: 4,
    },
    Origin {
        country: "Iran",
        nationality: "iranisch",
        weight: 4,
        names: &PERSIAN,
        mother_tongues: &[(&["fa"], 85), (&["fa", "az"], 15)],
        other_languages: &[("en", 60, A2, C1)],
        literate_latin: 90,
        female: 40,
        protection: Protection::Low,
        no_school: 2,
        school_years: 11,
        final_certificate: "Diplom (Abitur)",
        transit: &["Türkei"],
        studied: 30,
    },
    Origin {
        country: "Somalia",
        nationality: "somalisch",
        weight: 3,
        names: &SOMALI,
        mother_tongues: &[(&["so"], 100)],
        other_languages: &[("ar", 40, A1, B2), ("en", 30, A1, B1)],
        literate_latin: 55,
        female: 40,
        protection: Protection::High,
        no_school: 30,
        school_years: 7,
        final_certificate: "Secondary School Certificate",
        transit: &["Kenia", "Äthiopien", "Libyen"],
        studied: 3,
    },
    Origin {
        country: "Albanien",
        nationality: "albanisch",
        weight: 2,
        names: &ALBANIAN,
        mother_tongues: &[(&["sq"], 100)],
        other_languages: &[("en", 40, A1, B2), ("it", 30, A1, B2)],
        literate_latin: 98,
        female: 40,
        protection: Protection::Low,
        no_school: 1,
        school_years: 10,
        final_certificate: "Matura",
        transit: &["Italien", "Griechenland"],
        studied: 10,
    },
    Origin {
        country: "Kosovo",
        nationality: "kosovarisch",
        weight: 2,
        names: &ALBANIAN,
        mother_tongues: &[(&["sq"], 90), (&["sq", "sr"], 10)],
        other_languages: &[("en", 40, A1, B2), ("sr", 15, A2, B2)],
        literate_latin: 98,
        female: 40,
        protection: Protection::Low,
        no_school: 1,
        school_years: 10,
        final_certificate: "Matura",
        transit: &["Schweiz", "Österreich"],
        studied: 8,
    },
    Origin {
        country: "Nigeria",
        nationality: "nigerianisch",
        weight: 3,
        names: &WEST_AFRICAN_EN,
        mother_tongues: &[(&["yo"], 35), (&["ig"], 35), (&["ha"], 30)],
        other_languages: &[("en", 90, B1, C2)],
        literate_latin: 85,
        female: 35,
        protection: Protection::Low,
        no_school: 8,
        school_years: 10,
        final_certificate: "WAEC Senior School Certificate",
        transit: &["Libyen", "Italien"],
        studied: 8,
    },
    Origin {
        country: "Gambia",
        nationality: "gambisch",
        weight: 2,
        names: &WEST_AFRICAN_EN,
        mother_tongues: &[(&["wo"], 40), (&["ff"], 30), (&["wo", "ff"], 30)],
        other_languages: &[("en", 80, A2, C1)],
        literate_latin: 70,
        female: 10,
        protection: Protection::Low,
        no_school: 15,
        school_years: 8,
        final_certificate: "WASSCE",
        transit: &["Libyen", "Italien"],
        studied: 2,
    },
    Origin {
        country: "Guinea",
        nationality: "guineisch",
        weight: 2,
        names: &WEST_AFRICAN_FR,
        mother_tongues: &[(&["ff"], 60), (&["ff", "bm"], 20), (&["bm"], 20)],
        other_languages: &[("fr", 80, A2, C1), ("en", 15, A1, A2)],
        literate_latin: 65,
        female: 15,
        protection: Protection::Low,
        no_school: 20,
        school_years: 8,
        final_certificate: "Baccalauréat",
        transit: &["Mali", "Libyen", "Italien", "Marokko"],
        studied: 4,
    },
    Origin {
        country: "Kamerun",
        nationality: "kamerunisch",
        weight: 1,
        names: &WEST_AFRICAN_FR,
        mother_tongues: &[(&["fr"], 60), (&["ff", "fr"], 40)],
        other_languages: &[("en", 50, A2, B2)],
        literate_latin: 90,
        female: 35,
        protection: Protection::Low,
        no_school: 5,
        school_years: 11,
        final_certificate: "Baccalauréat",
        transit: &["Marokko", "Spanien"],
        studied: 15,
    },
];

/// Years of arrival with their weights: the peak of 2015/16, fewer in the
/// pandemic, more again from 2022.
pub(super) const ASYLUM_ARRIVALS: &[(i32, u32)] = &[
    (2014, 6),
    (2015, 20),
    (2016, 18),
    (2017, 8),
    (2018, 6),
    (2019, 6),
    (2020, 3),
    (2021, 6),
    (2022, 9),
    (2023, 10),
    (2024, 6),
    (2025, 4),
    (2026, 1),
];

/// Years of arrival from Ukraine: from the Russian invasion in 2022.
pub(super) const UKRAINE_ARRIVALS: &[(i32, u32)] =
    &[(2022, 60), (2023, 20), (2024, 12), (2025, 7), (2026, 1)];

/// Age at arrival (from, to, weight): mostly young adults.
pub(super) const AGES: &[(u8, u8, u32)] = &[
    (16, 17, 6),
    (18, 24, 32),
    (25, 34, 33),
    (35, 44, 18),
    (45, 54, 8),
    (55, 62, 3),
];

/// Age at arrival from Ukraine: older, many mothers with children.
pub(super) const UKRAINE_AGES: &[(u8, u8, u32)] = &[
    (16, 17, 5),
    (18, 24, 10),
    (25, 34, 25),
    (35, 44, 30),
    (45, 54, 20),
    (55, 62, 10),
];
