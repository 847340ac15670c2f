//! serde_json's pretty printing (two spaces), starting at a given depth, so a value written on
//! its own inside a larger document comes out byte for byte as if the whole document had been
//! printed at once. The rules are `serde_json::ser::PrettyFormatter`'s.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

const INDENT: &[u8] = b"  ";

/// A pretty formatter whose outermost value sits `depth` levels deep.
pub struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    pub fn at(depth: usize) -> Self {
        Self {
            depth,
            has_value: false,
        }
    }
}

/// Writes `value` pretty-printed as if it sat `depth` levels deep (its first line not indented).
pub fn write_at<W: Write, T: Serialize + ?Sized>(
    out: &mut W,
    depth: usize,
    value: &T,
) -> io::Result<()> {
    let mut serializer = Serializer::with_formatter(out, Indented::at(depth));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// A newline and the indentation for `depth`.
pub fn newline<W: Write + ?Sized>(out: &mut W, depth: usize) -> io::Result<()> {
    out.write_all(b"\n")?;
    for _ in 0..depth {
        out.write_all(INDENT)?;
    }
    Ok(())
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            newline(writer, self.depth)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        newline(writer, self.depth)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            newline(writer, self.depth)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        newline(writer, self.depth)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_depth_zero_it_is_serde_jsons_pretty_printer() {
        let value = serde_json::json!({
            "a": [1, [], {}, {"b": [true, null, "x\ny"]}],
            "c": {"d": {"e": []}},
            "f": []
        });
        let mut out = Vec::new();
        write_at(&mut out, 0, &value).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }

    #[test]
    fn deeper_values_line_up_inside_their_parent() {
        let inner = serde_json::json!({"k": [1, 2]});
        let whole = serde_json::json!({"outer": [inner.clone()]});
        let mut out = b"{\n  \"outer\": [\n    ".to_vec();
        write_at(&mut out, 2, &inner).unwrap();
        out.extend_from_slice(b"\n  ]\n}");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&whole).unwrap()
        );
    }
}
