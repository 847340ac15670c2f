//! Reading a user's `keymap.toml`: every mistake is reported with its line and column, and a
//! file with any mistake is ignored as a whole.
//!
//! Besides the file's own shape (TOML, known command names, lists of keys), three things are
//! refused because they would leave the operator stuck or surprised: a key that would trigger
//! two commands at the same place (the check walks the same [`Layer`] stacks a key press does,
//! and allows only the layering the defaults themselves use, such as Enter being "done" in a
//! field and "open" elsewhere); `quit` or `help` without a key; and a `force_quit` without
//! Ctrl-C, which must always quit.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::{Command, Key, Keymap, Layer};

/// One mistake in a keymap file, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// One command the file names, with where its keys are written.
pub(super) struct Binding {
    pub command: Command,
    /// The value (the list), for problems with the list as a whole.
    pub value: Range<usize>,
    pub keys: Vec<(Key, Range<usize>)>,
}

/// The 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn problem(text: &str, at: &Range<usize>, message: String) -> FileProblem {
    let (line, column) = position(text, at.start);
    FileProblem {
        line,
        column,
        message,
    }
}

/// Reads the file's bindings, or the first mistake in its shape.
pub(super) fn read(text: &str) -> Result<Vec<Binding>, FileProblem> {
    let table = toml::de::DeTable::parse(text).map_err(|e| {
        let at = e.span().unwrap_or(0..0);
        problem(text, &at, e.message().trim().to_owned())
    })?;
    let mut bindings = Vec::new();
    for (name, value) in table.get_ref().iter() {
        let command = Command::ALL
            .iter()
            .find(|c| c.name() == name.get_ref().as_ref())
            .ok_or_else(|| {
                problem(
                    text,
                    &name.span(),
                    format!("unknown command \"{}\"", name.get_ref()),
                )
            })?;
        let list = value.get_ref().as_array().ok_or_else(|| {
            problem(
                text,
                &value.span(),
                format!("{}: expected a list of keys, like [\"q\"]", command.name()),
            )
        })?;
        let mut keys = Vec::new();
        for item in list.iter() {
            let span = item.span();
            let written = item.get_ref().as_str().ok_or_else(|| {
                problem(text, &span, format!("{}: keys are strings", command.name()))
            })?;
            let key = Key::parse(written)
                .map_err(|e| problem(text, &span, format!("{}: {e}", command.name())))?;
            keys.push((key, span));
        }
        bindings.push(Binding {
            command: *command,
            value: value.span(),
            keys,
        });
    }
    bindings.sort_by_key(|b| b.value.start);
    Ok(bindings)
}

/// The commands `key` triggers in `layer`, in lookup order.
pub(super) fn commands_on(map: &Keymap, layer: Layer, key: Key) -> Vec<Command> {
    layer
        .contexts()
        .iter()
        .flat_map(|context| {
            Command::ALL
                .iter()
                .filter(move |c| c.context() == *context)
                .filter(|c| map.keys(**c).contains(&key))
        })
        .copied()
        .collect()
}

fn printable(key: Key) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Every mistake of meaning in a file whose shape is right: commands that must keep a key, and
/// keys that would mean two things at one place. In file order.
pub(super) fn check(
    text: &str,
    bindings: &[Binding],
    patched: &Keymap,
    defaults: &Keymap,
) -> Vec<FileProblem> {
    let mut problems = Vec::new();
    let ctrl_c = Key {
        code: KeyCode::Char('c'),
        modifiers: KeyModifiers::CONTROL,
    };
    for binding in bindings {
        let keys: Vec<Key> = binding.keys.iter().map(|(k, _)| *k).collect();
        match binding.command {
            Command::ForceQuit if !keys.contains(&ctrl_c) => problems.push(problem(
                text,
                &binding.value,
                "force_quit must keep \"ctrl-c\": Ctrl-C always quits (add other keys beside it, like [\"ctrl-c\", \"ctrl-q\"])".into(),
            )),
            Command::Quit | Command::Help if keys.is_empty() => problems.push(problem(
                text,
                &binding.value,
                format!(
                    "{} cannot be left without a key: give it at least one",
                    binding.command.name()
                ),
            )),
            _ => {}
        }
    }
    // Each clash once, at the first place the file writes one of its keys.
    let mut seen = BTreeSet::new();
    let mut clashes = BTreeMap::new();
    for binding in bindings {
        for (key, span) in &binding.keys {
            for layer in Layer::ALL {
                if layer.takes_all_text() && printable(*key) {
                    continue;
                }
                let now = commands_on(patched, layer, *key);
                if now.len() < 2 || !now.contains(&binding.command) {
                    continue;
                }
                let before = commands_on(defaults, layer, *key);
                let same = |a: &[Command], b: &[Command]| {
                    a.iter().collect::<BTreeSet<_>>() == b.iter().collect::<BTreeSet<_>>()
                };
                if same(&now, &before) {
                    continue;
                }
                let mut names: Vec<&str> = now.iter().map(|c| c.name()).collect();
                names.sort_unstable();
                if !seen.insert((key.to_string(), names.clone())) {
                    continue;
                }
                let why = if now.contains(&Command::ForceQuit) {
                    "; Ctrl-C always quits, so give the other command another key".to_owned()
                } else {
                    "; give one of them another key".to_owned()
                };
                clashes.entry(span.start).or_insert_with(|| {
                    problem(
                        text,
                        span,
                        format!(
                            "{key} would mean both {} in {}{why}",
                            names.join(" and "),
                            layer.describe()
                        ),
                    )
                });
            }
        }
    }
    problems.extend(clashes.into_values());
    problems.sort_by_key(|p| (p.line, p.column));
    problems
}

#[cfg(test)]
mod tests {
    use super::position;

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        let text = "a = 1\nbé = [\"x\"]\n";
        assert_eq!(position(text, 0), (1, 1));
        assert_eq!(position(text, 6), (2, 1));
        let x = text.find("\"x\"").unwrap_or(0);
        assert_eq!(position(text, x), (2, 7));
    }
}
