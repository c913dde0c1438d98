//! Why an allocation problem was rejected.

use thiserror::Error;

/// Invalid input to [`allocate`](super::allocate). Every variant names the
/// offending edge by its position in [`Problem::edges`](super::Problem::edges).
/// The solver itself cannot fail once the input is valid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AllocateError {
    /// The edge names an offer without an entry in `capacities`.
    #[error(
        "Kante {edge}: Angebot {offer} gibt es nicht (es gibt {offers} Angebote). \
         Bitte die Angebotsnummern prüfen."
    )]
    UnknownOffer {
        /// Position of the edge in the input.
        edge: usize,
        /// The offer index it names.
        offer: u32,
        /// Number of offers (`capacities.len()`).
        offers: usize,
    },
    /// The edge names a person at or beyond `people`.
    #[error(
        "Kante {edge}: Person {person} gibt es nicht (es gibt {people} Personen). \
         Bitte die Personennummern prüfen."
    )]
    UnknownPerson {
        /// Position of the edge in the input.
        edge: usize,
        /// The person index it names.
        person: u32,
        /// Number of people (`Problem::people`).
        people: u32,
    },
    /// The edge's weight is zero or negative.
    #[error(
        "Kante {edge}: Gewicht {weight} ist nicht positiv. \
         Nur zulässige Paare mit Gewicht größer 0 übergeben, andere weglassen."
    )]
    WeightNotPositive {
        /// Position of the edge in the input.
        edge: usize,
        /// The weight given.
        weight: i64,
    },
    /// The edge's weight exceeds [`MAX_WEIGHT`](super::MAX_WEIGHT).
    #[error(
        "Kante {edge}: Gewicht {weight} ist zu groß (höchstens {max}). \
         Bitte Gewichte als Punktzahl × 100 übergeben."
    )]
    WeightTooLarge {
        /// Position of the edge in the input.
        edge: usize,
        /// The weight given.
        weight: i64,
        /// The largest weight accepted.
        max: i64,
    },
    /// `class_of` is neither empty nor one entry per offer.
    #[error(
        "Klassenzuordnung: {given} Einträge für {offers} Angebote. \
         Bitte für jedes Angebot eine Klasse oder keine angeben."
    )]
    ClassListLength {
        /// Entries of `class_of`.
        given: usize,
        /// Number of offers.
        offers: usize,
    },
    /// An offer names a class without an entry in `classes`.
    #[error(
        "Angebot {offer}: Klasse {class} gibt es nicht (es gibt {classes} Klassen). \
         Bitte die Klassennummern prüfen."
    )]
    UnknownClass {
        /// The offer index.
        offer: usize,
        /// The class index it names.
        class: u32,
        /// Number of classes.
        classes: usize,
    },
    /// The limits of cut-short lists are neither empty nor one per offer.
    #[error(
        "Listengrenzen: {given} Einträge für {offers} Angebote. \
         Bitte für jedes Angebot eine Grenze oder keine angeben."
    )]
    LimitListLength {
        /// Entries given.
        given: usize,
        /// Number of offers.
        offers: usize,
    },
    /// More offers than offer indices (`u32`) can name.
    #[error("Zu viele Angebote ({offers}); höchstens {max} sind möglich.")]
    TooManyOffers {
        /// Number of offers given.
        offers: usize,
        /// The largest number accepted.
        max: usize,
    },
}

/// Result of this module.
pub type Result<T, E = AllocateError> = std::result::Result<T, E>;
