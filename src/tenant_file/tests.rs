//! Tests across the tenant file's reader and writer: the streaming versions against the old
//! whole-file ones, strictness and limits.

mod read_equivalence;
mod reference;
mod strictness;
mod support;
mod writer_equivalence;
