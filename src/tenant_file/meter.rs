//! The reader under the JSON parser: buffers the input, checks that it is UTF-8 (with the line
//! and column of the first bad byte), skips a UTF-8 byte-order mark, refuses UTF-16, and stops
//! the parse the moment the file, or the value being read, grows past its budget.
//!
//! The parser reads through a `BufReader` of [`READ_AHEAD`] bytes (byte by byte from a plain
//! reader would cost a call per byte), so the meter sees the input in pieces of at most that
//! size and a budget holds to within it: the value being read always gets its whole budget, and
//! never more than its budget and two pieces. A hostile input costs at most that much memory and
//! time. The visitor that walks the file sets the budget for each value through a [`Gauge`]
//! shared with the meter.

use std::cell::{Cell, RefCell};
use std::io::{self, Read};
use std::rc::Rc;

const BUFFER_BYTES: usize = 64 << 10;

/// The most the parser's buffer reads ahead of where it is: the precision of a budget.
pub const READ_AHEAD: usize = BUFFER_BYTES;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why the meter stopped handing out bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trip {
    /// The whole input passed `limit` bytes.
    FileTooLarge { limit: u64 },
    /// The value being read passed the budget set with [`Gauge::scope`].
    ScopeTooLarge,
    /// A byte that is not UTF-8; line and column (in bytes) are 1-based.
    NotUtf8 { line: u64, column: u64 },
    /// The input starts with a UTF-16 (or UTF-32) byte-order mark.
    Utf16,
    /// The input itself failed.
    Io(String),
}

#[derive(Debug)]
struct Shared {
    consumed: Cell<u64>,
    scope_end: Cell<u64>,
    trip: RefCell<Option<Trip>>,
}

/// The visitor's handle on the meter: sets budgets, reads progress and the reason for a stop.
#[derive(Clone, Debug)]
pub struct Gauge(Rc<Shared>);

impl Gauge {
    /// From here on, the parser may read `limit` more bytes (and at most two read-ahead pieces
    /// more) until the next call.
    pub fn scope(&self, limit: u64) {
        let shared = &self.0;
        shared
            .scope_end
            .set(shared.consumed.get().saturating_add(with_read_ahead(limit)));
    }

    /// Bytes handed to the parser so far (a skipped byte-order mark included).
    pub fn consumed(&self) -> u64 {
        self.0.consumed.get()
    }

    /// Why the meter stopped, if it did.
    pub fn trip(&self) -> Option<Trip> {
        self.0.trip.borrow().clone()
    }
}

fn with_read_ahead(limit: u64) -> u64 {
    limit.saturating_add(READ_AHEAD as u64)
}

/// A buffered, budgeted, UTF-8-checking reader.
pub struct Meter<R> {
    inner: R,
    buf: Box<[u8]>,
    /// Bytes `start..end` are checked UTF-8 waiting to be handed out; `end..filled` is the start
    /// of a character cut by the buffer's edge.
    start: usize,
    end: usize,
    filled: usize,
    /// Offset in the input of `buf[0]`.
    base: u64,
    started: bool,
    eof: bool,
    /// A bad byte found right after `end`, reported once `start..end` is handed out.
    pending: Option<Trip>,
    file_limit: u64,
    /// 1-based line of `end`, and the offset in the input where that line starts.
    line: u64,
    line_start: u64,
    shared: Rc<Shared>,
}

impl<R: Read> Meter<R> {
    /// A meter over `inner` that refuses more than `file_limit` bytes; the first scope is
    /// `first_scope` bytes.
    pub fn new(inner: R, file_limit: u64, first_scope: u64) -> (Self, Gauge) {
        let shared = Rc::new(Shared {
            consumed: Cell::new(0),
            scope_end: Cell::new(with_read_ahead(first_scope)),
            trip: RefCell::new(None),
        });
        let meter = Self {
            inner,
            buf: vec![0; BUFFER_BYTES].into_boxed_slice(),
            start: 0,
            end: 0,
            filled: 0,
            base: 0,
            started: false,
            eof: false,
            pending: None,
            file_limit,
            line: 1,
            line_start: 0,
            shared: Rc::clone(&shared),
        };
        (meter, Gauge(shared))
    }

    fn trip(&self, trip: Trip) -> io::Error {
        let mut slot = self.shared.trip.borrow_mut();
        if slot.is_none() {
            *slot = Some(trip);
        }
        io::Error::new(io::ErrorKind::InvalidData, "tenant file reading stopped")
    }

    /// Reads more of the input into the buffer; false at the end of the input.
    fn read_more(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        loop {
            match self.inner.read(&mut self.buf[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.filled += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.trip(Trip::Io(e.to_string()))),
            }
        }
    }

    /// The first bytes: a UTF-8 byte-order mark is skipped, a UTF-16 one refused.
    fn begin(&mut self) -> io::Result<()> {
        self.started = true;
        while self.filled < UTF8_BOM.len() && self.read_more()? {}
        let head = &self.buf[..self.filled];
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return Err(self.trip(Trip::Utf16));
        }
        if head.starts_with(UTF8_BOM) {
            self.start = UTF8_BOM.len();
            self.end = self.start;
            self.line_start = self.start as u64;
        }
        self.check_utf8();
        Ok(())
    }

    /// Extends `end` over the UTF-8 that follows it, noting a bad byte in `pending`.
    fn check_utf8(&mut self) {
        let from = self.end;
        let (valid, bad) = match std::str::from_utf8(&self.buf[from..self.filled]) {
            Ok(_) => (self.filled - from, false),
            Err(e) => (e.valid_up_to(), e.error_len().is_some()),
        };
        let checked = &self.buf[from..from + valid];
        let newlines = memchr::memchr_iter(b'\n', checked).count() as u64;
        if let Some(last) = memchr::memrchr(b'\n', checked) {
            self.line += newlines;
            self.line_start = self.base + (from + last + 1) as u64;
        }
        self.end = from + valid;
        if bad {
            self.pending = Some(self.not_utf8_at(self.end));
        }
    }

    fn not_utf8_at(&self, index: usize) -> Trip {
        Trip::NotUtf8 {
            line: self.line,
            column: self.base + index as u64 - self.line_start + 1,
        }
    }

    /// Makes checked bytes available; false at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        loop {
            if let Some(trip) = self.pending.take() {
                return Err(self.trip(trip));
            }
            // Keep the cut character, drop what was handed out.
            self.buf.copy_within(self.end..self.filled, 0);
            self.base += self.end as u64;
            self.filled -= self.end;
            self.start = 0;
            self.end = 0;
            if !self.read_more()? {
                if self.filled > 0 {
                    return Err(self.trip(self.not_utf8_at(0)));
                }
                return Ok(false);
            }
            self.check_utf8();
            if self.end > 0 {
                return Ok(true);
            }
        }
    }
}

impl<R: Read> Read for Meter<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.shared.trip.borrow().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "tenant file reading stopped",
            ));
        }
        if !self.started {
            self.begin()?;
        }
        if self.start == self.end && !self.refill()? {
            return Ok(0);
        }
        let n = out.len().min(self.end - self.start);
        let after = self.base + (self.start + n) as u64;
        if after > self.file_limit {
            return Err(self.trip(Trip::FileTooLarge {
                limit: self.file_limit,
            }));
        }
        if after > self.shared.scope_end.get() {
            return Err(self.trip(Trip::ScopeTooLarge));
        }
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        self.shared.consumed.set(after);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads everything one byte at a time, as the JSON parser does.
    fn drain(meter: &mut Meter<impl Read>) -> (Vec<u8>, io::Result<()>) {
        let mut out = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            match meter.read(&mut byte) {
                Ok(0) => return (out, Ok(())),
                Ok(_) => out.push(byte[0]),
                Err(e) => return (out, Err(e)),
            }
        }
    }

    /// Hands out its bytes in pieces of `step`, to cut characters at the buffer's edge.
    struct Chunks<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Chunks<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn passes_utf8_through_even_when_characters_are_cut() {
        let text = "ab\ncé€😀\n".repeat(50);
        for step in [1, 2, 3, 5, 7] {
            let chunks = Chunks {
                bytes: text.as_bytes(),
                step,
            };
            let (mut meter, gauge) = Meter::new(chunks, u64::MAX, u64::MAX);
            let (out, end) = drain(&mut meter);
            assert!(end.is_ok(), "step {step}");
            assert_eq!(out, text.as_bytes(), "step {step}");
            assert_eq!(gauge.consumed(), text.len() as u64);
        }
    }

    #[test]
    fn skips_a_utf8_byte_order_mark_and_refuses_utf16() {
        let (mut meter, _) = Meter::new(&b"\xEF\xBB\xBF{}"[..], 100, 100);
        assert_eq!(drain(&mut meter).0, b"{}");
        for bom in [&b"\xFF\xFE{\0}\0"[..], b"\xFE\xFF\0{\0}"] {
            let (mut meter, gauge) = Meter::new(bom, 100, 100);
            assert!(drain(&mut meter).1.is_err());
            assert_eq!(gauge.trip(), Some(Trip::Utf16));
        }
    }

    #[test]
    fn names_the_line_and_column_of_the_first_bad_byte() {
        let (mut meter, gauge) = Meter::new(&b"{\n  \"a\": \"x\xC3(\"\n}"[..], 100, 100);
        let (out, end) = drain(&mut meter);
        assert!(end.is_err());
        assert_eq!(out, b"{\n  \"a\": \"x");
        assert_eq!(
            gauge.trip(),
            Some(Trip::NotUtf8 {
                line: 2,
                column: 10
            })
        );
        // A character cut by the end of the input is not UTF-8 either.
        let (mut meter, gauge) = Meter::new(&b"ab\xE2\x82"[..], 100, 100);
        assert!(drain(&mut meter).1.is_err());
        assert_eq!(gauge.trip(), Some(Trip::NotUtf8 { line: 1, column: 3 }));
    }

    #[test]
    fn stops_at_the_file_budget_and_at_each_scope_budget() {
        let zeros = io::repeat(b' ');
        let (mut meter, gauge) = Meter::new(zeros, 1000, u64::MAX);
        let (out, end) = drain(&mut meter);
        assert!(end.is_err());
        assert_eq!(out.len(), 1000);
        assert_eq!(gauge.trip(), Some(Trip::FileTooLarge { limit: 1000 }));

        let (mut meter, gauge) = Meter::new(io::repeat(b'x'), u64::MAX, 10);
        let mut byte = [0u8; 1];
        for _ in 0..10 + READ_AHEAD {
            assert_eq!(meter.read(&mut byte).unwrap(), 1);
        }
        gauge.scope(5);
        for _ in 0..5 + READ_AHEAD {
            assert_eq!(meter.read(&mut byte).unwrap(), 1);
        }
        assert!(meter.read(&mut byte).is_err());
        assert_eq!(gauge.trip(), Some(Trip::ScopeTooLarge));
        // Once stopped, it stays stopped.
        gauge.scope(100);
        assert!(meter.read(&mut byte).is_err());
    }

    #[test]
    fn reports_a_failing_input() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk on fire"))
            }
        }
        let (mut meter, gauge) = Meter::new(Broken, 100, 100);
        assert!(drain(&mut meter).1.is_err());
        assert_eq!(gauge.trip(), Some(Trip::Io("disk on fire".into())));
    }
}
