//! `OffsetMap`: maps byte offsets in a derived text (decoded, extracted or normalized) back to byte
//! offsets in the text it came from. Byte offsets are the truth; lines and columns are computed
//! only at the edge (see `LineIndex`).
//!
//! The map is sparse: it stores a checkpoint wherever the two texts stop moving in step (a
//! replaced, removed or inserted run). Between checkpoints, offsets advance together, so a plain
//! ASCII file costs one checkpoint.

/// Maps offsets of a derived text to offsets of its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(derived, origin)` pairs, strictly increasing in `derived`, non-decreasing in `origin`.
    points: Vec<(usize, usize)>,
}

impl Default for OffsetMap {
    fn default() -> Self {
        Self::identity()
    }
}

impl OffsetMap {
    /// The map of a text to itself.
    pub fn identity() -> Self {
        OffsetMap {
            points: vec![(0, 0)],
        }
    }

    /// Records that derived offset `derived` corresponds to origin offset `origin`, and that the
    /// two advance together from there. Calls must come in increasing `derived` order.
    pub fn push(&mut self, derived: usize, origin: usize) {
        match self.points.last_mut() {
            Some(last) if last.0 == derived => last.1 = origin,
            Some(last)
                if last.0 + (origin.saturating_sub(last.1)) == derived && origin >= last.1 =>
            {
                // Still moving in step: no checkpoint needed.
            }
            _ => self.points.push((derived, origin)),
        }
    }

    /// Appends the map of a text that follows this one: `other`'s derived offsets start at
    /// `derived_base` and its origin offsets at `origin_base`. The result is the map one pass
    /// over both texts would have recorded.
    pub fn append(&mut self, other: &OffsetMap, derived_base: usize, origin_base: usize) {
        for &(derived, origin) in &other.points {
            self.push(derived_base + derived, origin_base + origin);
        }
    }

    /// The origin offset of a derived offset.
    pub fn map(&self, derived: usize) -> usize {
        let idx = match self.points.binary_search_by(|p| p.0.cmp(&derived)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let (d, o) = self.points[idx];
        let mapped = o + derived.saturating_sub(d);
        // A position inside an expansion (one origin char became several derived bytes) must not
        // run past the next checkpoint's origin.
        match self.points.get(idx + 1) {
            Some(&(_, next_origin)) => mapped.min(next_origin),
            None => mapped,
        }
    }

    /// The derived offset of an origin offset: the inverse of `map` where the map is one to one
    /// (a decoded file). Where several derived offsets map to one origin offset, the last one;
    /// an origin offset inside a removed or replaced run lands where the run starts or inside
    /// it, so callers round to a character boundary.
    pub fn unmap(&self, origin: usize) -> usize {
        // The first checkpoint whose origin is past `origin`; the one before it holds `origin`.
        let idx = self.points.partition_point(|p| p.1 <= origin);
        let Some(&(d, o)) = idx.checked_sub(1).and_then(|i| self.points.get(i)) else {
            return 0;
        };
        let derived = d + (origin - o);
        match self.points.get(idx) {
            Some(&(next_derived, _)) => derived.min(next_derived),
            None => derived,
        }
    }

    /// The number of checkpoints (for tests and size estimates).
    pub fn checkpoints(&self) -> usize {
        self.points.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_maps_to_itself() {
        let map = OffsetMap::identity();
        assert_eq!(map.map(0), 0);
        assert_eq!(map.map(42), 42);
    }

    #[test]
    fn collapsed_run_shifts_later_offsets() {
        // origin "a   b" -> derived "a b": derived 2 ('b') is origin 4.
        let mut map = OffsetMap::identity();
        map.push(2, 4);
        assert_eq!(map.map(0), 0);
        assert_eq!(map.map(1), 1);
        assert_eq!(map.map(2), 4);
        assert_eq!(map.map(3), 5);
    }

    #[test]
    fn unmap_inverts_map_at_checkpoints() {
        // origin "a<b>bc" -> derived "abc".
        let mut map = OffsetMap::identity();
        map.push(1, 4);
        for (derived, origin) in [(0, 0), (1, 4), (2, 5), (3, 6)] {
            assert_eq!(map.map(derived), origin);
            assert_eq!(map.unmap(origin), derived);
        }
        // Inside the removed run, the derived offset where it was removed.
        assert_eq!(map.unmap(2), 1);
    }

    #[test]
    fn in_step_pushes_add_no_checkpoint() {
        let mut map = OffsetMap::identity();
        map.push(5, 5);
        map.push(9, 9);
        assert_eq!(map.points.len(), 1);
    }
}
