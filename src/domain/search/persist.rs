//! The index as bytes: what the store writes beside the database and reads at start-up, so a
//! million users are searchable in a fraction of a second instead of being re-read.
//!
//! The layout is the index's own arenas and arrays, each length-prefixed, after a magic line and
//! a stamp (the directory generation and change sequence the index covers), and followed by a
//! checksum of everything before it. Loading checks the checksum and every offset, so a damaged
//! or foreign file is refused (and the index rebuilt) instead of trusted.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};

use super::arena::Arena;
use super::index::{Meta, SearchIndex};
use super::words::Vocab;
use crate::domain::region::Region;

const MAGIC: &[u8; 16] = b"phonedesk-index\n";
const FORMAT: u32 = 1;
const META_BYTES: usize = 20;

/// What a saved index covers: the directory generation, and the last change applied to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexStamp {
    pub generation: u64,
    pub seq: u64,
}

/// Why a saved index cannot be used (it is rebuilt from the records instead).
#[derive(Debug)]
pub enum IndexFormatError {
    Io(io::Error),
    Invalid(&'static str),
}

impl std::fmt::Display for IndexFormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "cannot read the search index: {e}"),
            Self::Invalid(why) => write!(f, "the search index is damaged: {why}"),
        }
    }
}

impl From<io::Error> for IndexFormatError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::UnexpectedEof => Self::Invalid("the file ends early"),
            _ => Self::Io(e),
        }
    }
}

/// A 64-bit checksum over a byte stream, eight bytes at a time (fast enough for 100 MB).
#[derive(Default)]
struct Checksum {
    state: u64,
    pending: [u8; 8],
    pending_len: usize,
}

impl Checksum {
    fn mix(&mut self, word: u64) {
        self.state = (self.state ^ word)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }

    fn update(&mut self, mut bytes: &[u8]) {
        while self.pending_len > 0 && !bytes.is_empty() {
            self.pending[self.pending_len] = bytes[0];
            self.pending_len += 1;
            bytes = &bytes[1..];
            if self.pending_len == 8 {
                self.mix(u64::from_le_bytes(self.pending));
                self.pending_len = 0;
            }
        }
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.pending[self.pending_len] = b;
            self.pending_len += 1;
        }
    }

    fn value(&self) -> u64 {
        let mut last = self.pending;
        last[self.pending_len..].fill(0);
        let tail = u64::from_le_bytes(last) ^ (self.pending_len as u64) << 56;
        (self.state ^ tail)
            .wrapping_mul(0xFF51_AFD7_ED55_8CCD)
            .rotate_left(31)
    }
}

struct Out<'a> {
    out: &'a mut dyn Write,
    sum: Checksum,
}

impl Out<'_> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.sum.update(bytes);
        self.out.write_all(bytes)
    }

    fn u64(&mut self, v: u64) -> io::Result<()> {
        self.put(&v.to_le_bytes())
    }

    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.u64(b.len() as u64)?;
        self.put(b)
    }

    fn u32s(&mut self, values: &[u32]) -> io::Result<()> {
        self.u64(values.len() as u64)?;
        let mut buf = Vec::with_capacity(64 * 1024);
        for chunk in values.chunks(16 * 1024) {
            buf.clear();
            for v in chunk {
                buf.extend_from_slice(&v.to_le_bytes());
            }
            self.put(&buf)?;
        }
        Ok(())
    }

    fn arena(&mut self, a: &Arena) -> io::Result<()> {
        self.bytes(a.bytes.as_bytes())?;
        self.u32s(&a.starts)
    }
}

struct In<'a> {
    input: &'a mut dyn Read,
    sum: Checksum,
}

/// Longest section accepted: far beyond a million users, short of what a damaged length asks.
const MAX_SECTION: u64 = 1 << 33;
/// The most a section's length may make the reader reserve before the bytes arrive.
const PREALLOCATE_AT_MOST: usize = 256 << 20;

impl In<'_> {
    fn take(&mut self, n: usize) -> Result<Vec<u8>, IndexFormatError> {
        // Room for the whole section at once (a million users' arenas are tens of megabytes:
        // growing by doubling would copy them again and again), but never more than a sane
        // bound, so a damaged length fails on the file's end instead of allocating gigabytes.
        let mut buf = Vec::with_capacity(n.min(PREALLOCATE_AT_MOST));
        let got = (&mut *self.input).take(n as u64).read_to_end(&mut buf)?;
        if got != n {
            return Err(IndexFormatError::Invalid("the file ends early"));
        }
        self.sum.update(&buf);
        Ok(buf)
    }

    fn u64(&mut self) -> Result<u64, IndexFormatError> {
        let b = self.take(8)?;
        let mut word = [0u8; 8];
        word.copy_from_slice(&b);
        Ok(u64::from_le_bytes(word))
    }

    fn len(&mut self) -> Result<usize, IndexFormatError> {
        let n = self.u64()?;
        if n > MAX_SECTION {
            return Err(IndexFormatError::Invalid("a section is impossibly long"));
        }
        usize::try_from(n).map_err(|_| IndexFormatError::Invalid("a section is too long"))
    }

    fn bytes(&mut self) -> Result<Vec<u8>, IndexFormatError> {
        let n = self.len()?;
        self.take(n)
    }

    fn u32s(&mut self) -> Result<Vec<u32>, IndexFormatError> {
        let n = self.len()?;
        let bytes = self.take(
            n.checked_mul(4)
                .ok_or(IndexFormatError::Invalid("overflow"))?,
        )?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    fn string(&mut self) -> Result<String, IndexFormatError> {
        String::from_utf8(self.bytes()?).map_err(|_| IndexFormatError::Invalid("text is not UTF-8"))
    }

    fn arena(&mut self, fields: Option<usize>) -> Result<Arena, IndexFormatError> {
        let bytes = String::from_utf8(self.bytes()?)
            .map_err(|_| IndexFormatError::Invalid("an arena is not UTF-8"))?;
        let starts = self.u32s()?;
        let valid = starts.first() == Some(&0)
            && starts.last().map(|s| *s as usize) == Some(bytes.len())
            && starts.windows(2).all(|w| w[0] < w[1])
            && starts
                .iter()
                .skip(1)
                .all(|s| bytes.as_bytes().get(*s as usize - 1) == Some(&super::arena::END))
            && fields.is_none_or(|n| starts.len() == n + 1);
        if !valid {
            return Err(IndexFormatError::Invalid("an arena's offsets do not fit"));
        }
        Ok(Arena { bytes, starts })
    }
}

fn encode_meta(m: &Meta, out: &mut Vec<u8>) {
    out.extend_from_slice(&m.block_until.to_le_bytes());
    out.extend_from_slice(&m.mobile_cc.to_le_bytes());
    out.extend_from_slice(&m.domain.to_le_bytes());
    out.extend_from_slice(&m.location);
    out.extend_from_slice(&m.mobile_tail);
    out.extend_from_slice(&[m.mobile_len, m.flags, m.sms, m.methods]);
}

fn decode_meta(b: &[u8]) -> Meta {
    let mut until = [0u8; 8];
    until.copy_from_slice(&b[0..8]);
    Meta {
        block_until: i64::from_le_bytes(until),
        mobile_cc: u16::from_le_bytes([b[8], b[9]]),
        domain: u16::from_le_bytes([b[10], b[11]]),
        location: [b[12], b[13]],
        mobile_tail: [b[14], b[15]],
        mobile_len: b[16],
        flags: b[17],
        sms: b[18],
        methods: b[19],
    }
}

impl SearchIndex {
    /// Writes the index, stamped with what it covers.
    pub fn save(&self, stamp: IndexStamp, out: &mut dyn Write) -> io::Result<()> {
        let mut o = Out {
            out,
            sum: Checksum::default(),
        };
        o.put(MAGIC)?;
        o.put(&FORMAT.to_le_bytes())?;
        o.u64(stamp.generation)?;
        o.u64(stamp.seq)?;
        o.u64(self.len() as u64)?;
        o.arena(&self.shown)?;
        o.arena(&self.names)?;
        o.arena(&self.locals)?;
        o.u64(self.domains.len() as u64)?;
        for d in &self.domains {
            o.bytes(d.as_bytes())?;
        }
        let mut written: Vec<(&u32, &String)> = self.upn_case.iter().collect();
        written.sort();
        o.u64(written.len() as u64)?;
        for (e, upn) in written {
            o.u64(u64::from(*e))?;
            o.bytes(upn.as_bytes())?;
        }
        // Digits that moved aside go back into their place: the saved arena is compact.
        let mut digits = Arena::with_capacity(self.len(), self.digits.bytes.len());
        for i in 0..self.len() {
            digits.push(self.digits_text(u32::try_from(i).unwrap_or(u32::MAX)));
        }
        o.arena(&digits)?;
        let mut meta = Vec::with_capacity(self.meta.len() * META_BYTES);
        for m in &self.meta {
            encode_meta(m, &mut meta);
        }
        o.bytes(&meta)?;
        o.u32s(&self.by_upn)?;
        o.arena(&self.vocab.words)?;
        o.u32s(&self.vocab.offsets)?;
        o.u32s(&self.vocab.postings)?;
        o.u64(self.locations.len() as u64)?;
        for r in &self.locations {
            o.bytes(r.code().as_bytes())?;
        }
        o.put(&[self.shortest_number])?;
        let sum = o.sum.value();
        o.out.write_all(&sum.to_le_bytes())
    }

    /// Reads an index written by [`SearchIndex::save`], checking it whole.
    pub fn load(input: &mut dyn Read) -> Result<(IndexStamp, Self), IndexFormatError> {
        let mut i = In {
            input,
            sum: Checksum::default(),
        };
        if i.take(MAGIC.len())? != MAGIC {
            return Err(IndexFormatError::Invalid("not a phonedesk search index"));
        }
        let format = i.take(4)?;
        if format != FORMAT.to_le_bytes() {
            return Err(IndexFormatError::Invalid("an index of another format"));
        }
        let stamp = IndexStamp {
            generation: i.u64()?,
            seq: i.u64()?,
        };
        let n = i.len()?;
        let shown = i.arena(Some(n))?;
        let names = i.arena(Some(n))?;
        let locals = i.arena(Some(n))?;
        let domain_count = i.len()?;
        let domains = (0..domain_count)
            .map(|_| i.string())
            .collect::<Result<Vec<_>, _>>()?;
        let written_count = i.len()?;
        let mut upn_case = HashMap::with_capacity(written_count.min(n));
        for _ in 0..written_count {
            let e = u32::try_from(i.u64()?).map_err(|_| IndexFormatError::Invalid("entry"))?;
            upn_case.insert(e, i.string()?);
        }
        let digits = i.arena(Some(n))?;
        let meta_bytes = i.bytes()?;
        if meta_bytes.len() != n * META_BYTES {
            return Err(IndexFormatError::Invalid("the entry facts do not fit"));
        }
        let meta: Vec<Meta> = meta_bytes
            .chunks_exact(META_BYTES)
            .map(decode_meta)
            .collect();
        let by_upn = i.u32s()?;
        let words = i.arena(None)?;
        let offsets = i.u32s()?;
        let postings = i.u32s()?;
        let location_count = i.len()?;
        let mut locations = Vec::new();
        for _ in 0..location_count {
            let code = i.string()?;
            locations.push(
                Region::parse(&code)
                    .map_err(|_| IndexFormatError::Invalid("an unknown usage location"))?,
            );
        }
        let shortest_number = i.take(1)?[0];
        let expected = i.sum.value();
        let mut trailer = [0u8; 8];
        i.input.read_exact(&mut trailer)?;
        if u64::from_le_bytes(trailer) != expected {
            return Err(IndexFormatError::Invalid("the checksum does not match"));
        }
        let index = Self {
            shown,
            names,
            locals,
            domains,
            upn_case,
            digits,
            moved_digits: BTreeMap::new(),
            meta,
            by_upn,
            vocab: Vocab {
                words,
                offsets,
                postings,
            },
            locations,
            shortest_number,
        };
        index.check_shape()?;
        Ok((stamp, index))
    }

    /// Checks what the checksum cannot: that every number points inside the index.
    fn check_shape(&self) -> Result<(), IndexFormatError> {
        let n = self.len();
        let bad = |why| Err(IndexFormatError::Invalid(why));
        if self.upn_case.keys().any(|e| *e as usize >= n) {
            return bad("a UPN points past the entries");
        }
        if self
            .meta
            .iter()
            .any(|m| usize::from(m.domain) >= self.domains.len())
        {
            return bad("an entry's domain is unknown");
        }
        let mut seen = vec![false; n];
        for &e in &self.by_upn {
            match seen.get_mut(e as usize) {
                Some(s) if !*s => *s = true,
                _ => return bad("the UPN order is not a permutation"),
            }
        }
        if self.by_upn.len() != n {
            return bad("the UPN order is incomplete");
        }
        let v = &self.vocab;
        let offsets_ok = v.offsets.len() == v.words.len() + 1
            && v.offsets.first() == Some(&0)
            && v.offsets.windows(2).all(|w| w[0] <= w[1])
            && v.offsets.last().map(|o| *o as usize) == Some(v.postings.len());
        if !offsets_ok || v.postings.iter().any(|e| *e as usize >= n) {
            return bad("the name words do not fit");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_do_not_depend_on_how_bytes_are_split() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let mut whole = Checksum::default();
        whole.update(&data);
        let mut parts = Checksum::default();
        for chunk in data.chunks(3) {
            parts.update(chunk);
        }
        assert_eq!(whole.value(), parts.value());
        let mut other = Checksum::default();
        other.update(&data[..999]);
        assert_ne!(whole.value(), other.value());
    }
}
