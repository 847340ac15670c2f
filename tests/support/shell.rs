//! Just enough of a POSIX shell's word splitting to run documented example command lines as
//! written: double and single quotes, backslash escapes and line continuations, `#` comments,
//! and `&&` between commands. Anything else a shell would do (pipes, redirections, `$VAR`) is
//! refused, so an example that needs it fails loudly instead of running differently.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

/// One command of an example line: its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleCommand {
    pub words: Vec<String>,
}

/// Splits one logical line (continuations already joined) into `&&`-joined commands, with the
/// trailing comment. Errors name what is not supported.
pub fn split(line: &str) -> Result<(Vec<ExampleCommand>, Option<String>), String> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let mut comment = None;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => word.push(e),
                            Some(other) => {
                                word.push('\\');
                                word.push(other);
                            }
                            None => return Err("unfinished escape".into()),
                        },
                        Some('$' | '`') => return Err(format!("expansion in {line:?}")),
                        Some(other) => word.push(other),
                        None => return Err(format!("unclosed \" in {line:?}")),
                    }
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(other) => word.push(other),
                        None => return Err(format!("unclosed ' in {line:?}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(e) => word.push(e),
                    None => return Err("a backslash at the end".into()),
                }
            }
            '#' if !in_word => {
                comment = Some(chars.by_ref().collect::<String>().trim().to_owned());
                break;
            }
            '&' if !in_word && chars.peek() == Some(&'&') => {
                chars.next();
                if words.is_empty() {
                    return Err(format!("&& without a command in {line:?}"));
                }
                commands.push(ExampleCommand {
                    words: std::mem::take(&mut words),
                });
            }
            '|' | '>' | '<' | ';' | '&' | '$' | '`' | '(' | ')' | '*' | '?' | '[' => {
                return Err(format!("{c:?} is not supported in {line:?} (quote it)"));
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if !words.is_empty() {
        commands.push(ExampleCommand { words });
    } else if !commands.is_empty() {
        return Err(format!("&& without a command in {line:?}"));
    }
    Ok((commands, comment))
}

/// Joins backslash-newline continuations: each item is one logical line of `text`.
pub fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(head) = line.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
        } else {
            current.push_str(line);
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_comments_and_and() {
        let (cmds, comment) =
            split("phonedesk device show \"+1 2065550101\" && phonedesk a 'b c'  # exit 1")
                .unwrap();
        assert_eq!(cmds.len(), 2);
        assert_eq!(
            cmds[0].words,
            ["phonedesk", "device", "show", "+1 2065550101"]
        );
        assert_eq!(cmds[1].words, ["phonedesk", "a", "b c"]);
        assert_eq!(comment.as_deref(), Some("exit 1"));
        assert!(split("phonedesk a | head").is_err());
        assert!(split("phonedesk a > out").is_err());
    }
}
