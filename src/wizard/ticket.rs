//! The ticket note: Markdown an operator pastes into their ticketing system. It is rendered from
//! the [`Report`], so it says exactly what the wizard saw: the user (numbers masked unless
//! revealed), the symptom, each step with its finding and answer, the actions taken, the sign-in
//! log lines with times and correlation ids, and, when the tree ends at "open a support case",
//! the details the case asks for. Deterministic for a given clock, so it is snapshot-tested.

use std::fmt::Write;

use super::path::{AnswerSource, Visit, VisitKind};
use super::report::{LogLine, Report, ReportCurrent, SupportCase};

/// Renders the note.
pub fn render(r: &Report<'_>) -> String {
    let mut out = String::new();
    header(&mut out, r);
    steps(&mut out, r.path);
    remedy(&mut out, &r.current);
    actions(&mut out, r);
    sign_ins(&mut out, &r.sign_ins);
    if let Some(case) = &r.support_case {
        support_case(&mut out, case);
    }
    out
}

fn header(out: &mut String, r: &Report<'_>) {
    let u = &r.user;
    let _ = writeln!(
        out,
        "# Phone sign-in troubleshooting: {}\n",
        inline(&u.display_name)
    );
    let phones = if u.phones.is_empty() {
        "none".to_owned()
    } else {
        u.phones
            .iter()
            .map(|p| format!("{} {}", p.phone_type, inline(&p.phone_number)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows = [
        (
            "User",
            format!("{} (`{}`)", inline(&u.display_name), u.user_principal_name),
        ),
        (
            "Symptom",
            format!("{} (`{}`)", inline(&r.symptom.title), r.symptom.name),
        ),
        (
            "Usage location",
            u.usage_location.clone().unwrap_or_else(|| "none".into()),
        ),
        ("Phones", phones),
        (
            "Default method",
            u.default_method.clone().unwrap_or_else(|| "none".into()),
        ),
        ("Prepared", format!("{} by {}", r.at, inline(&r.operator))),
    ];
    out.push_str("| | |\n|---|---|\n");
    for (name, value) in rows {
        let _ = writeln!(out, "| {name} | {} |", cell(&value));
    }
    out.push('\n');
    out.push_str(if r.revealed {
        "Numbers are shown in full: the operator revealed them (audited).\n\n"
    } else {
        "Numbers are masked: country code and last two digits.\n\n"
    });
}

fn steps(out: &mut String, path: &[Visit]) {
    out.push_str("## Steps\n\n");
    for (i, v) in path.iter().enumerate() {
        let n = i + 1;
        match v.kind {
            VisitKind::Check => {
                let again = if v.recheck {
                    ", again after the fix"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "{n}. **{}** {}: {} (check `{}`{again}).",
                    inline(&v.title),
                    capitalised(v.status.map_or("?", |s| s.as_str())),
                    inline(v.finding.as_deref().unwrap_or("")),
                    v.check.unwrap_or("?"),
                );
            }
            VisitKind::Question => match &v.answer {
                Some(a) => {
                    let source = match (a.source, &a.observed) {
                        (AnswerSource::Device, Some(seen)) => {
                            format!(", from the simulated device: {}", inline(seen))
                        }
                        (AnswerSource::Device, None) => ", from the simulated device".into(),
                        (AnswerSource::Caller, _) => ", from the caller".into(),
                    };
                    let _ = writeln!(
                        out,
                        "{n}. **{}** Answer: {}{source} (question `{}`).",
                        inline(&v.title),
                        inline(&a.label),
                        v.step
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "{n}. **{}** Not answered yet (question `{}`).",
                        inline(&v.title),
                        v.step
                    );
                }
            },
            VisitKind::Remedy => {
                let _ = writeln!(out, "{n}. **{}** Remedy (`{}`).", inline(&v.title), v.step);
            }
        }
    }
    out.push('\n');
}

fn remedy(out: &mut String, current: &ReportCurrent<'_>) {
    match current {
        ReportCurrent::Question {
            title,
            text,
            answers,
            ..
        } => {
            let _ = writeln!(
                out,
                "## Open question\n\n**{}** {}\n",
                inline(title),
                inline(text)
            );
            for a in answers.iter() {
                let _ = writeln!(out, "- `{}`: {}", a.name, inline(&a.label));
            }
            out.push('\n');
        }
        ReportCurrent::Remedy {
            title,
            text,
            action,
            ..
        } => {
            let _ = writeln!(
                out,
                "## Recommended remedy\n\n**{}**\n\n{}\n",
                inline(title),
                inline(text)
            );
            if let Some(action) = action {
                match (&action.description, &action.unavailable) {
                    (Some(what), _) => {
                        let _ = writeln!(
                            out,
                            "Fix offered, not applied: {} (`{}`).\n",
                            inline(what),
                            action.name
                        );
                    }
                    (None, Some(why)) => {
                        let _ = writeln!(
                            out,
                            "No automatic fix (`{}`): {}.\n",
                            action.name,
                            inline(why)
                        );
                    }
                    (None, None) => {}
                }
            }
        }
    }
}

fn actions(out: &mut String, r: &Report<'_>) {
    if r.actions.is_empty() {
        return;
    }
    out.push_str("## Actions taken\n\n");
    for a in r.actions {
        let done = if a.done.is_empty() {
            "nothing changed".to_owned()
        } else {
            a.done
                .iter()
                .map(|d| inline(d))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = write!(out, "- {} **{}**: {done}.", a.at, inline(&a.title));
        if let Some(error) = &a.error {
            let _ = write!(out, " Stopped: {}.", inline(error));
        }
        if let Some(again) = &a.recheck {
            let _ = write!(
                out,
                " Re-check `{}`: {} ({}).",
                again.check,
                again.status.as_str(),
                inline(&again.finding)
            );
        }
        out.push('\n');
    }
    out.push('\n');
}

fn log_table(out: &mut String, lines: &[LogLine]) {
    out.push_str(
        "| Time (UTC) | Flow | Via | Phone | Provider | Result | Reason | AADSTS | Correlation id |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for l in lines {
        let via = match (l.channel, l.phone_type) {
            (Some(c), Some(t)) => format!("{c} to {t}"),
            (Some(c), None) => c.to_owned(),
            _ => "-".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | `{}` (attempt {}) |",
            l.started_at,
            l.flow,
            via,
            l.phone_number
                .as_deref()
                .map_or_else(|| "-".to_owned(), |n| format!("`{n}`")),
            cell(l.provider.as_deref().unwrap_or("-")),
            l.result,
            l.reason_text.unwrap_or("-"),
            l.error_code
                .map_or_else(|| "-".to_owned(), |c| c.to_string()),
            l.correlation_id,
            l.attempt
        );
    }
}

fn sign_ins(out: &mut String, lines: &[LogLine]) {
    out.push_str("## Sign-in log (last 24 hours, oldest first)\n\n");
    if lines.is_empty() {
        out.push_str("No sign-in attempts.\n");
        return;
    }
    log_table(out, lines);
}

fn support_case(out: &mut String, case: &SupportCase) {
    out.push_str("\n## Support case details\n\n");
    let _ = writeln!(out, "- User: {}", inline(&case.display_name));
    let _ = writeln!(out, "- UPN: `{}`", case.user_principal_name);
    let phone = match (&case.phone_number, case.phone_type) {
        (Some(n), Some(t)) => format!("`{n}` ({t})"),
        (Some(n), None) => format!("`{n}`"),
        _ => "none".into(),
    };
    let _ = writeln!(out, "- Phone number: {phone}");
    let _ = writeln!(
        out,
        "- Country: {}",
        case.country.as_deref().unwrap_or("unknown")
    );
    let _ = writeln!(
        out,
        "- Providers: {}",
        if case.providers.is_empty() {
            "none recorded".to_owned()
        } else {
            case.providers.join(", ")
        }
    );
    let reasons: Vec<String> = case
        .reasons
        .iter()
        .map(|(reason, n)| format!("{reason} ({n})"))
        .collect();
    let _ = writeln!(out, "- Reasons: {}", reasons.join(", "));
    let _ = writeln!(out, "- Failed attempts: {}\n", case.failed_attempts.len());
    log_table(out, &case.failed_attempts);
}

/// Text for Markdown: phone numbers (masked or revealed) become code spans, so their `*` runs
/// are not read as emphasis; other characters that start markup are escaped (`#` marks a heading
/// only at the start of a line, where inline text never stands).
pub(super) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some(len) = phone_at(&chars[i..]) {
            out.push('`');
            out.extend(&chars[i..i + len]);
            out.push('`');
            i += len;
            continue;
        }
        let c = chars[i];
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// `pass` -> `Pass`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Inside a table cell: also no line breaks.
fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// The length of a number at the start of `chars`: `+CC` then a space, then digits or `*`
/// (at least four), then optionally `x` and digits or `*`.
fn phone_at(chars: &[char]) -> Option<usize> {
    let mut i = 0;
    if chars.first() != Some(&'+') {
        return None;
    }
    i += 1;
    let cc = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&cc) {
        return None;
    }
    i += cc;
    if chars.get(i) != Some(&' ') {
        return None;
    }
    i += 1;
    let body = |c: &&char| c.is_ascii_digit() || **c == '*';
    let national = chars[i..].iter().take_while(body).count();
    if national < 4 {
        return None;
    }
    i += national;
    if chars.get(i) == Some(&'x') {
        let ext = chars[i + 1..].iter().take_while(body).count();
        if ext > 0 {
            i += 1 + ext;
        }
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_code_spans_and_markup_is_escaped() {
        assert_eq!(
            inline("the office number +1 ********50x**** is *odd*"),
            "the office number `+1 ********50x****` is \\*odd\\*"
        );
        assert_eq!(inline("+61 491570157; x"), "`+61 491570157`; x");
        assert_eq!(
            inline("a_b [c](d) <e> | #"),
            "a\\_b \\[c\\](d) \\<e\\> \\| #"
        );
        assert_eq!(inline("+1 12"), "+1 12");
    }
}
