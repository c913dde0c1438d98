//! A tantivy collector that gathers the profile ordinals of the matching
//! documents straight from the ordinal column, one column per segment and
//! no set of document addresses in between (candidate retrieval over
//! 100,000 profiles would otherwise spend its time hashing addresses).

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Collects the values of the `ordinal` fast field of every match.
pub struct OrdinalCollector;

/// The per-segment part of [`OrdinalCollector`].
pub struct OrdinalSegmentCollector {
    column: Option<Column<u64>>,
    ordinals: Vec<u32>,
}

impl Collector for OrdinalCollector {
    type Fruit = Vec<u32>;
    type Child = OrdinalSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(OrdinalSegmentCollector {
            column: reader.fast_fields().u64("ordinal").ok(),
            ordinals: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u32>>) -> tantivy::Result<Vec<u32>> {
        let mut all: Vec<u32> = fruits.into_iter().flatten().collect();
        all.sort_unstable();
        all.dedup();
        Ok(all)
    }
}

impl SegmentCollector for OrdinalSegmentCollector {
    type Fruit = Vec<u32>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(v) = self.column.as_ref().and_then(|c| c.first(doc)) {
            self.ordinals.push(v as u32);
        }
    }

    fn harvest(self) -> Vec<u32> {
        self.ordinals
    }
}
