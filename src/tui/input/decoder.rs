//! Bytes from the terminal to key and paste events, with a clock: no sequence waits forever.
//!
//! crossterm 0.29's parser waits without limit for the end of a sequence it has begun: `ESC [ ?`
//! until a `u` or `c`, `ESC [ 200 ~` until `ESC [ 201 ~`, and it drops the byte that breaks a
//! sequence together with the sequence (`ESC [` then Ctrl-C loses the Ctrl-C). This decoder
//! frames sequences by their ECMA-48 shape instead and gives every unfinished state a deadline:
//!
//! - A byte that cannot continue a sequence ends it: the unfinished sequence is dropped and the
//!   byte is read afresh, so a control key (Ctrl-C, Enter, Esc) is never swallowed.
//! - ETX (Ctrl-C) is Ctrl-C wherever it arrives, even inside a paste, which it ends.
//! - [`SEQUENCE_TIMEOUT`] after the last byte of an unfinished escape sequence or UTF-8
//!   character, a lone ESC becomes the Esc key and anything else is dropped.
//! - A paste whose end marker never comes is delivered [`PASTE_TIMEOUT`] after its last byte;
//!   past [`MAX_PASTE`] bytes the rest of it is discarded.
//! - Sequences and control strings have length limits; past them they are dropped.
//!
//! Time is passed in (the instant each chunk was read), so the decoder is a pure state machine
//! that tests drive with any clock, and the serve loop sleeps only while something is pending.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::Event;

use super::{keys, mouse};

/// How long an unfinished escape sequence or UTF-8 character waits for its next byte. A
/// terminal writes a key's sequence in one go; 50 ms is what Neovim waits (`ttimeoutlen`).
pub const SEQUENCE_TIMEOUT: Duration = Duration::from_millis(50);
/// How long a paste without its end marker waits for more bytes before it is delivered.
pub const PASTE_TIMEOUT: Duration = Duration::from_millis(300);
/// The most bytes of one paste that are kept; every field is far shorter.
pub const MAX_PASTE: usize = 64 * 1024;
/// The longest parameter string of a CSI sequence (keys need fewer than ten bytes).
const MAX_SEQUENCE: usize = 64;
/// The longest control string (OSC, DCS, APC, PM, SOS) that is waited out before it is dropped.
const MAX_STRING: usize = 4096;

const ESC: u8 = 0x1B;
const ETX: u8 = 0x03;
const PASTE_END: &[u8] = b"\x1b[201~";

#[derive(Debug)]
enum State {
    Ground,
    /// After a lone ESC.
    Escape,
    /// After `ESC [`: the parameter and intermediate bytes so far.
    Csi(Vec<u8>),
    /// After `ESC O`.
    Ss3,
    /// After `CSI M`: the bytes so far of an old-style mouse report (three raw bytes follow).
    X10 {
        bytes: [u8; 3],
        len: usize,
    },
    /// Inside a control string (`ESC ]`, `ESC P`, `ESC _`, `ESC ^`, `ESC X`); `esc` after an ESC
    /// that may begin the terminator `ESC \`.
    Str {
        len: usize,
        esc: bool,
    },
    /// Inside a UTF-8 character: its bytes so far and how many it has.
    Utf8 {
        bytes: [u8; 4],
        len: usize,
        need: usize,
        alt: bool,
    },
    /// Inside a bracketed paste.
    Paste(Paste),
}

#[derive(Debug, Default)]
struct Paste {
    text: Vec<u8>,
    /// How many bytes of the end marker have matched; they are held back from `text`.
    matched: usize,
}

impl Paste {
    fn keep(&mut self, byte: u8) {
        if self.text.len() < MAX_PASTE {
            self.text.push(byte);
        }
    }

    /// Takes `byte`; true when it completed the end marker.
    fn take(&mut self, byte: u8) -> bool {
        loop {
            if PASTE_END.get(self.matched) == Some(&byte) {
                self.matched += 1;
                return self.matched == PASTE_END.len();
            }
            if self.matched == 0 {
                self.keep(byte);
                return false;
            }
            // Not the marker after all: its bytes so far are text. Only its first byte is an
            // ESC, so the marker can restart only at `byte` itself.
            for &held in &PASTE_END[..self.matched] {
                self.keep(held);
            }
            self.matched = 0;
        }
    }

    fn into_event(self) -> Event {
        Event::Paste(String::from_utf8_lossy(&self.text).into_owned())
    }
}

/// The terminal input decoder. Feed it chunks with the instant they were read; take the events.
#[derive(Debug)]
pub struct Decoder {
    state: State,
    /// When the last byte arrived: an unfinished state times out relative to it.
    last: Instant,
    events: VecDeque<Event>,
}

impl Decoder {
    pub fn new(now: Instant) -> Self {
        Self {
            state: State::Ground,
            last: now,
            events: VecDeque::new(),
        }
    }

    /// When the unfinished sequence or paste, if any, is given up on.
    pub fn deadline(&self) -> Option<Instant> {
        match self.state {
            State::Ground => None,
            State::Paste(_) => Some(self.last + PASTE_TIMEOUT),
            _ => Some(self.last + SEQUENCE_TIMEOUT),
        }
    }

    /// Whether a sequence or paste is unfinished.
    pub fn is_pending(&self) -> bool {
        !matches!(self.state, State::Ground)
    }

    /// Decodes `bytes`, read at `at`. An unfinished state whose deadline passed before `at` is
    /// settled first: a pause longer than the timeout separates the bytes before it from those
    /// after it, however late the reading thread's chunks are looked at.
    pub fn feed(&mut self, bytes: &[u8], at: Instant) {
        self.expire(at);
        for &byte in bytes {
            self.byte(byte);
        }
        self.last = at;
    }

    /// Settles an unfinished state whose deadline is at or before `now`.
    pub fn expire(&mut self, now: Instant) {
        if self.deadline().is_some_and(|deadline| deadline <= now) {
            self.flush();
        }
    }

    /// Settles whatever is unfinished now (input ended, or its deadline passed).
    pub fn flush(&mut self) {
        match std::mem::replace(&mut self.state, State::Ground) {
            State::Escape => self.events.push_back(keys::control_key(ESC, false)),
            State::Paste(paste) => self.events.push_back(paste.into_event()),
            // Anything else unfinished is dropped.
            _ => {}
        }
    }

    /// Every decoded event so far.
    pub fn take_events(&mut self) -> Vec<Event> {
        self.events.drain(..).collect()
    }

    fn emit(&mut self, event: Event) {
        self.events.push_back(event);
    }

    fn byte(&mut self, byte: u8) {
        match std::mem::replace(&mut self.state, State::Ground) {
            State::Ground => self.ground(byte, false),
            State::Escape => self.after_escape(byte),
            State::Csi(mut params) => match byte {
                0x20..=0x3F if params.len() < MAX_SEQUENCE => {
                    params.push(byte);
                    self.state = State::Csi(params);
                }
                0x40..=0x7E => self.complete_csi(&params, byte),
                // Too long, or a byte no CSI sequence holds: drop it, read the byte afresh.
                _ => self.ground(byte, false),
            },
            State::Ss3 => match byte {
                0x40..=0x7E => {
                    if let Some(event) = keys::ss3(byte) {
                        self.emit(event);
                    }
                }
                _ => self.ground(byte, false),
            },
            // Each byte is 32 or more (coordinates past 95 are not even ASCII); a control byte
            // (Ctrl-C) breaks the report and is read afresh.
            State::X10 { .. } if byte < 0x20 => self.ground(byte, false),
            State::X10 { mut bytes, len } => {
                bytes[len] = byte;
                if len + 1 == bytes.len() {
                    if let Some(event) = mouse::x10(bytes) {
                        self.emit(event);
                    }
                } else {
                    self.state = State::X10 {
                        bytes,
                        len: len + 1,
                    };
                }
            }
            State::Str { len, esc } => self.in_string(byte, len, esc),
            State::Utf8 {
                mut bytes,
                len,
                need,
                alt,
            } => {
                if (0x80..=0xBF).contains(&byte) {
                    bytes[len] = byte;
                    if len + 1 == need {
                        self.complete_char(&bytes[..need], alt);
                    } else {
                        self.state = State::Utf8 {
                            bytes,
                            len: len + 1,
                            need,
                            alt,
                        };
                    }
                } else {
                    // An unfinished character: dropped; the byte starts afresh.
                    self.ground(byte, false);
                }
            }
            State::Paste(mut paste) => {
                if byte == ETX {
                    // Ctrl-C ends even an endless paste; what it held is dropped.
                    self.emit(keys::ctrl_c());
                } else if paste.take(byte) {
                    self.emit(paste.into_event());
                } else {
                    self.state = State::Paste(paste);
                }
            }
        }
    }

    /// A byte outside any sequence (`alt`: it follows a lone ESC).
    fn ground(&mut self, byte: u8, alt: bool) {
        match byte {
            ESC => self.state = State::Escape,
            0x20..=0x7E => self.emit(keys::char_key(char::from(byte), alt)),
            0x80..=0xFF => self.start_char(byte, alt),
            _ => self.emit(keys::control_key(byte, alt)),
        }
    }

    fn after_escape(&mut self, byte: u8) {
        match byte {
            b'[' => self.state = State::Csi(Vec::new()),
            b'O' => self.state = State::Ss3,
            b']' | b'P' | b'_' | b'^' | b'X' => self.state = State::Str { len: 0, esc: false },
            // The first ESC was the key; the second may begin a sequence.
            ESC => {
                self.emit(keys::control_key(ESC, false));
                self.state = State::Escape;
            }
            // Alt and a key, as crossterm reads `ESC x`.
            _ => self.ground(byte, true),
        }
    }

    fn in_string(&mut self, byte: u8, len: usize, esc: bool) {
        if esc {
            if byte != b'\\' {
                // Not the terminator: the string ended unfinished, the ESC begins anew.
                self.after_escape(byte);
            }
            return;
        }
        match byte {
            // BEL ends an OSC.
            0x07 => {}
            ESC => self.state = State::Str { len, esc: true },
            // Any other control byte (Ctrl-C, Enter) is a key: the string is dropped.
            0x00..=0x1F => self.ground(byte, false),
            _ if len < MAX_STRING => {
                self.state = State::Str {
                    len: len + 1,
                    esc: false,
                }
            }
            // Too long: dropped, and the byte is read afresh.
            _ => self.ground(byte, false),
        }
    }

    fn complete_csi(&mut self, params: &[u8], last: u8) {
        if last == b'~' && params == b"200" {
            self.state = State::Paste(Paste::default());
        } else if let (Some(b'<'), b'M' | b'm') = (params.first(), last) {
            if let Some(event) = mouse::sgr(&params[1..], last) {
                self.emit(event);
            }
        } else if last == b'M' && params.is_empty() {
            self.state = State::X10 {
                bytes: [0; 3],
                len: 0,
            };
        } else if let Some(event) = keys::csi(params, last) {
            self.emit(event);
        }
    }

    fn start_char(&mut self, byte: u8, alt: bool) {
        let need = match byte {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            // A continuation byte or an impossible lead byte on its own: dropped.
            _ => return,
        };
        let mut bytes = [0; 4];
        bytes[0] = byte;
        self.state = State::Utf8 {
            bytes,
            len: 1,
            need,
            alt,
        };
    }

    fn complete_char(&mut self, bytes: &[u8], alt: bool) {
        // Overlong forms and surrogates fail here and are dropped.
        if let Some(c) = std::str::from_utf8(bytes)
            .ok()
            .and_then(|s| s.chars().next())
        {
            self.emit(keys::char_key(c, alt));
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, modifiers))
    }

    fn ch(c: char) -> Event {
        keys::char_key(c, false)
    }

    /// Decodes `chunks`, each arriving `gap` after the one before, then lets every timeout pass.
    fn decode(chunks: &[&[u8]], gap: Duration) -> Vec<Event> {
        let start = Instant::now();
        let mut d = Decoder::new(start);
        let mut at = start;
        for chunk in chunks {
            d.feed(chunk, at);
            at += gap;
        }
        d.expire(at + PASTE_TIMEOUT);
        d.take_events()
    }

    fn together(bytes: &[u8]) -> Vec<Event> {
        decode(&[bytes], Duration::ZERO)
    }

    #[test]
    fn keys_come_out_as_crossterm_reports_them() {
        assert_eq!(
            together(b"aG\r\t\x7f\x1b[A\x1bOB\x1b[5~\x1b[1;5C\x1b[Z\x1bx\x03"),
            vec![
                ch('a'),
                key(KeyCode::Char('G'), KeyModifiers::SHIFT),
                key(KeyCode::Enter, KeyModifiers::NONE),
                key(KeyCode::Tab, KeyModifiers::NONE),
                key(KeyCode::Backspace, KeyModifiers::NONE),
                key(KeyCode::Up, KeyModifiers::NONE),
                key(KeyCode::Down, KeyModifiers::NONE),
                key(KeyCode::PageUp, KeyModifiers::NONE),
                key(KeyCode::Right, KeyModifiers::CONTROL),
                key(KeyCode::BackTab, KeyModifiers::SHIFT),
                key(KeyCode::Char('x'), KeyModifiers::ALT),
                keys::ctrl_c(),
            ]
        );
        assert_eq!(
            together("é李🙂".as_bytes()),
            vec![ch('é'), ch('李'), ch('🙂')]
        );
    }

    #[test]
    fn mouse_reports_are_mouse_events_in_both_encodings() {
        use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
        let at = |kind, column, row| {
            Event::Mouse(MouseEvent {
                kind,
                column,
                row,
                modifiers: KeyModifiers::NONE,
            })
        };
        assert_eq!(
            together(b"\x1b[<0;10;5M\x1b[<0;10;5ma\x1b[<65;3;2M\x1b[M \xff!b"),
            vec![
                at(MouseEventKind::Down(MouseButton::Left), 9, 4),
                at(MouseEventKind::Up(MouseButton::Left), 9, 4),
                ch('a'),
                at(MouseEventKind::ScrollDown, 2, 1),
                at(MouseEventKind::Down(MouseButton::Left), 222, 0),
                ch('b'),
            ]
        );
        // Ctrl-C inside an old-style report is Ctrl-C.
        assert_eq!(together(b"\x1b[M \x03"), vec![keys::ctrl_c()]);
    }

    #[test]
    fn a_sequence_split_across_reads_is_one_key() {
        let split: &[&[u8]] = &[b"\x1b", b"[", b"1;5", b"A", b"\xe6", b"\x9d\x8e"];
        assert_eq!(
            decode(split, Duration::from_millis(5)),
            vec![key(KeyCode::Up, KeyModifiers::CONTROL), ch('李')]
        );
    }

    #[test]
    fn a_lone_escape_is_the_esc_key_after_the_timeout_and_not_before() {
        let start = Instant::now();
        let mut d = Decoder::new(start);
        d.feed(b"\x1b", start);
        assert_eq!(d.deadline(), Some(start + SEQUENCE_TIMEOUT));
        d.expire(start + SEQUENCE_TIMEOUT / 2);
        assert!(d.take_events().is_empty());
        d.expire(start + SEQUENCE_TIMEOUT);
        assert_eq!(d.take_events(), vec![key(KeyCode::Esc, KeyModifiers::NONE)]);
        assert_eq!(d.deadline(), None, "nothing pending, no timer");
    }

    #[test]
    fn ctrl_c_after_any_unfinished_sequence_is_ctrl_c_at_once() {
        for prefix in [
            &b"\x1b["[..],
            b"\x1bO",
            b"\xc2",
            b"\xf0\x9f",
            b"\x1b[?",
            b"\x1b[?1049",
            b"\x1b[200~half a paste",
            b"\x1b]2;a title",
            b"\x1bP",
            b"\x1b[1;",
            b"\x1b[M ",
        ] {
            let start = Instant::now();
            let mut d = Decoder::new(start);
            d.feed(prefix, start);
            d.feed(b"\x03", start);
            assert_eq!(
                d.take_events(),
                vec![keys::ctrl_c()],
                "after {:?}",
                String::from_utf8_lossy(prefix)
            );
            assert!(!d.is_pending());
        }
    }

    #[test]
    fn keys_after_an_unfinished_sequence_and_a_pause_are_keys() {
        let pause = SEQUENCE_TIMEOUT + Duration::from_millis(1);
        for prefix in [
            &b"\x1b["[..],
            b"\x1bO",
            b"\xc2",
            b"\x1b[?",
            b"\x1b[?1",
            b"\x1b]0;x",
            b"\x1b[1;5",
        ] {
            assert_eq!(
                decode(&[prefix, b"q"], pause),
                vec![ch('q')],
                "after {:?}",
                String::from_utf8_lossy(prefix)
            );
        }
        assert_eq!(
            decode(&[b"\x1b", b"q"], pause),
            vec![key(KeyCode::Esc, KeyModifiers::NONE), ch('q')]
        );
    }

    #[test]
    fn a_complete_sequence_that_is_no_key_is_dropped_not_waited_on() {
        // `ESC [ ? 1049 l` is complete (its final byte is `l`); crossterm waits on for u or c.
        assert_eq!(together(b"\x1b[?1049lq"), vec![ch('q')]);
        assert_eq!(together(b"\x1b[?2026;2$yq"), vec![ch('q')]);
        assert_eq!(together(b"\x1b[0;0Rq"), vec![ch('q')], "no underflow panic");
        assert_eq!(together(b"\x1b]2;title\x07q"), vec![ch('q')]);
        assert_eq!(together(b"\x1bPdata\x1b\\q"), vec![ch('q')]);
    }

    #[test]
    fn a_byte_that_breaks_a_sequence_is_read_afresh() {
        assert_eq!(
            together(b"\x1b[\r"),
            vec![key(KeyCode::Enter, KeyModifiers::NONE)]
        );
        assert_eq!(together(b"\xc2a"), vec![ch('a')]);
        assert_eq!(
            together(b"\x1b[1\x1b[B"),
            vec![key(KeyCode::Down, KeyModifiers::NONE)]
        );
        assert_eq!(
            together(b"\x1b\x1b[A"),
            vec![
                key(KeyCode::Esc, KeyModifiers::NONE),
                key(KeyCode::Up, KeyModifiers::NONE)
            ]
        );
    }

    #[test]
    fn pastes_are_one_event_and_an_endless_one_ends() {
        assert_eq!(
            together(b"\x1b[200~+1 (555)\r\n\x1b[2~\x1b[201~q"),
            vec![Event::Paste("+1 (555)\r\n\x1b[2~".into()), ch('q')]
        );
        // The end marker split across reads.
        assert_eq!(
            decode(&[b"\x1b[200~ab\x1b[2", b"01~"], Duration::from_millis(5)),
            vec![Event::Paste("ab".into())]
        );
        // No end marker: delivered after the pause; the keys after the pause are keys.
        let pause = PASTE_TIMEOUT + Duration::from_millis(1);
        assert_eq!(
            decode(&[b"\x1b[200~abc", b"q"], pause),
            vec![Event::Paste("abc".into()), ch('q')]
        );
    }

    #[test]
    fn a_huge_paste_is_capped() {
        let mut bytes = b"\x1b[200~".to_vec();
        bytes.extend(std::iter::repeat_n(b'7', MAX_PASTE * 3));
        bytes.extend_from_slice(b"\x1b[201~q");
        let events = together(&bytes);
        assert_eq!(events.len(), 2);
        assert!(matches!(&events[0], Event::Paste(p) if p.len() == MAX_PASTE));
        assert_eq!(events[1], ch('q'));
    }

    #[test]
    fn endless_sequences_and_strings_are_bounded() {
        let mut csi = b"\x1b[".to_vec();
        csi.extend(std::iter::repeat_n(b'1', MAX_SEQUENCE + 3));
        let events = together(&csi);
        assert_eq!(
            events,
            vec![ch('1'); 3],
            "past the limit, the bytes are keys"
        );
        let mut osc = b"\x1b]".to_vec();
        osc.extend(std::iter::repeat_n(b'x', MAX_STRING + 2));
        osc.push(b'\r');
        assert_eq!(
            together(&osc),
            vec![ch('x'), ch('x'), key(KeyCode::Enter, KeyModifiers::NONE)]
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Bytes a hostile or broken terminal might send: any byte, with the sequence starters
    /// and the paste markers over-represented.
    fn hostile() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            any::<u8>().prop_map(|b| vec![b]),
            Just(b"\x1b".to_vec()),
            Just(b"\x1b[".to_vec()),
            Just(b"\x1b[?".to_vec()),
            Just(b"\x1bO".to_vec()),
            Just(b"\x1b]".to_vec()),
            Just(b"\x1b[200~".to_vec()),
            Just(b"\x1b[201~".to_vec()),
            Just(vec![0xC2]),
            Just(vec![0xF0, 0x9F]),
            "[0-9;]{0,6}".prop_map(String::into_bytes),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn ctrl_c_after_anything_is_the_last_event_and_nothing_is_pending(
            bytes in hostile(),
            split in any::<prop::sample::Index>(),
        ) {
            let start = Instant::now();
            let mut d = Decoder::new(start);
            let at = split.index(bytes.len() + 1);
            d.feed(&bytes[..at], start);
            d.feed(&bytes[at..], start + Duration::from_millis(1));
            d.feed(b"\x03", start + Duration::from_millis(2));
            let events = d.take_events();
            prop_assert_eq!(events.last(), Some(&keys::ctrl_c()));
            prop_assert!(!d.is_pending());
        }

        #[test]
        fn after_anything_and_a_pause_a_key_is_a_key(bytes in hostile()) {
            let start = Instant::now();
            let mut d = Decoder::new(start);
            d.feed(&bytes, start);
            d.feed(b"q", start + PASTE_TIMEOUT);
            d.expire(start + PASTE_TIMEOUT * 2);
            let events = d.take_events();
            prop_assert_eq!(events.last(), Some(&keys::char_key('q', false)));
        }
    }
}
