//! Many short strings in one buffer: field `i` is `bytes[starts[i]..starts[i + 1]]`, which ends
//! in a newline that no query can contain. A query scans a whole arena with one SIMD substring
//! search instead of visiting a million scattered allocations, then maps each hit back to its
//! field; a million fields cost one allocation, not a million.

use memchr::memmem::Finder;

/// The byte that ends every field.
pub const END: u8 = b'\n';

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arena {
    /// Text, so a field is a `&str` by slicing (an O(1) boundary check) rather than by
    /// validating its bytes on every read.
    pub(super) bytes: String,
    /// `len() + 1` offsets; the last one is `bytes.len()`.
    pub(super) starts: Vec<u32>,
}

impl Default for Arena {
    fn default() -> Self {
        Self {
            bytes: String::new(),
            starts: vec![0],
        }
    }
}

impl Arena {
    pub fn with_capacity(fields: usize, bytes: usize) -> Self {
        let mut starts = Vec::with_capacity(fields + 1);
        starts.push(0);
        Self {
            bytes: String::with_capacity(bytes),
            starts,
        }
    }

    pub fn push(&mut self, field: &str) {
        self.bytes.push_str(field);
        self.bytes.push(char::from(END));
        self.starts
            .push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
    }

    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Field `i` without its end byte.
    pub fn text(&self, i: usize) -> &str {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) if b > a => {
                self.bytes.get(a as usize..b as usize - 1).unwrap_or("")
            }
            _ => "",
        }
    }

    /// Field `i` as bytes.
    pub fn field(&self, i: usize) -> &[u8] {
        self.text(i).as_bytes()
    }

    /// Overwrites field `i` in place when `value` fits its bytes exactly or with room to spare
    /// (padded with the ASCII `pad`). Returns false (and changes nothing) when it does not fit,
    /// or when the field is not ASCII (only digit fields are ever overwritten).
    pub fn overwrite(&mut self, i: usize, value: &str, pad: char) -> bool {
        let (Some(&a), Some(&b)) = (self.starts.get(i), self.starts.get(i + 1)) else {
            return false;
        };
        let (a, b) = (a as usize, b as usize);
        let room = (b - a).saturating_sub(1);
        let slot_ascii = self
            .bytes
            .get(a..b.saturating_sub(1))
            .is_some_and(str::is_ascii);
        if value.len() > room || !value.is_ascii() || !pad.is_ascii() || !slot_ascii {
            return false;
        }
        let mut padded = String::with_capacity(room);
        padded.push_str(value);
        padded.extend(std::iter::repeat_n(pad, room - value.len()));
        self.bytes.replace_range(a..a + room, &padded);
        true
    }

    /// Walks the fields containing `needle`, in field order, each once; `visit` returns false to
    /// stop, and gets the byte offset of the first occurrence within the field. After a hit the
    /// search jumps to the next field, so a one-byte needle costs one search per field, not one
    /// per occurrence. Returns false when `visit` stopped the walk.
    pub fn each_containing(
        &self,
        needle: &Finder<'_>,
        fields: std::ops::Range<usize>,
        visit: &mut dyn FnMut(usize, usize) -> bool,
    ) -> bool {
        let mut field = fields.start;
        let mut from = self
            .starts
            .get(field)
            .map_or(self.bytes.len(), |s| *s as usize);
        let end = self
            .starts
            .get(fields.end)
            .map_or(self.bytes.len(), |s| *s as usize);
        let bytes = self.bytes.as_bytes();
        while let Some(found) = bytes.get(from..end).and_then(|rest| needle.find(rest)) {
            let at = from + found;
            // Offsets only grow, so the field index walks forward with them; a gallop keeps a
            // sparse needle from stepping through every field.
            field = self.field_at(at, field);
            let start = self.starts[field] as usize;
            if !visit(field, at - start) {
                return false;
            }
            from = self
                .starts
                .get(field + 1)
                .map_or(self.bytes.len(), |s| *s as usize);
        }
        true
    }

    /// The field holding byte `at`, searching forward from `hint`.
    fn field_at(&self, at: usize, hint: usize) -> usize {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        let tail = &self.starts[hint..];
        // The last start <= at.
        hint + tail.partition_point(|s| *s <= at).saturating_sub(1)
    }

    /// Approximate heap bytes, for memory figures.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.starts.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_back_and_hits_map_to_their_field_once() {
        let mut a = Arena::default();
        for f in ["kim akers", "alex", "", "akira"] {
            a.push(f);
        }
        assert_eq!(a.len(), 4);
        assert_eq!(a.text(0), "kim akers");
        assert_eq!(a.text(2), "");
        let finder = Finder::new("k");
        let mut hits = Vec::new();
        a.each_containing(&finder, 0..4, &mut |f, at| {
            hits.push((f, at));
            true
        });
        assert_eq!(hits, [(0, 0), (3, 1)]);
        let mut first = Vec::new();
        a.each_containing(&finder, 1..4, &mut |f, _| {
            first.push(f);
            false
        });
        assert_eq!(first, [3]);
    }

    #[test]
    fn overwrite_fits_or_refuses() {
        let mut a = Arena::default();
        a.push("12345|");
        assert!(a.overwrite(0, "99|", '|'));
        assert_eq!(a.text(0), "99||||");
        assert!(!a.overwrite(0, "1234567|", '|'));
    }
}
