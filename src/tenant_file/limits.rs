//! How much of a tenant file the reader accepts. Every limit is checked while the bytes arrive,
//! so `/dev/zero`, an endless pipe or a gigabyte display name is refused after at most one
//! budget's worth of reading, and memory never grows with a hostile input.

/// Size limits for reading a tenant file. The defaults fit a directory of millions of users
/// with a wide margin (a generated user takes about 670 bytes). The byte limits hold to within
/// the reader's read-ahead of 64 KiB: a value always gets its whole limit, and never more than
/// its limit plus twice the read-ahead (README, "Tenant file").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The whole file, in bytes.
    pub file_bytes: u64,
    /// One element of `users` or of `devices`, in bytes.
    pub record_bytes: u64,
    /// Any other top-level value (`version`, `tenant`, `policy`, an unknown key's value), and the
    /// whitespace, keys and punctuation between values, in bytes.
    pub value_bytes: u64,
    /// Any single string (a key or a value), in bytes of UTF-8.
    pub string_bytes: usize,
    /// Problems kept in memory; the rest are counted in a final "... and N more problems".
    pub problems: usize,
}

impl Limits {
    pub const DEFAULT_FILE_BYTES: u64 = 4 << 30;
    pub const DEFAULT_RECORD_BYTES: u64 = 256 << 10;
    pub const DEFAULT_VALUE_BYTES: u64 = 1 << 20;
    pub const DEFAULT_STRING_BYTES: usize = 64 << 10;
    pub const DEFAULT_PROBLEMS: usize = 1000;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            file_bytes: Self::DEFAULT_FILE_BYTES,
            record_bytes: Self::DEFAULT_RECORD_BYTES,
            value_bytes: Self::DEFAULT_VALUE_BYTES,
            string_bytes: Self::DEFAULT_STRING_BYTES,
            problems: Self::DEFAULT_PROBLEMS,
        }
    }
}

/// A byte count for people: `4 GiB`, `256 KiB`, `1 MiB`, `300 bytes`.
pub fn bytes_text(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_naturally() {
        assert_eq!(bytes_text(4 << 30), "4 GiB");
        assert_eq!(bytes_text(256 << 10), "256 KiB");
        assert_eq!(bytes_text(1 << 20), "1 MiB");
        assert_eq!(bytes_text(1500), "1500 bytes");
    }
}
