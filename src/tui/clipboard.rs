//! Copying to the operator's clipboard with OSC 52: the terminal (or tmux, or the SSH client's
//! terminal at the far end) puts the text on the clipboard, so copying works over SSH with no
//! clipboard tool on the server.
//!
//! The app only queues the text; the serve loop writes the sequence between frames.

/// Longest text sent: terminals cap OSC 52 payloads (xterm at about 100 kB); a ticket note fits.
pub const MAX_BYTES: usize = 64 * 1024;

/// The OSC 52 sequence that sets the clipboard to `text` (cut at [`MAX_BYTES`] on a character
/// boundary).
pub fn osc52(text: &str) -> String {
    let mut end = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("\u{1b}]52;c;{}\u{7}", base64(&text.as_bytes()[..end]))
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(
            base64(b"rosa.delgado@fabrikam.example"),
            "cm9zYS5kZWxnYWRvQGZhYnJpa2FtLmV4YW1wbGU="
        );
        assert_eq!(osc52("a"), "\u{1b}]52;c;YQ==\u{7}");
    }
}
