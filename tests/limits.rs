//! Bounded input: an endless or huge input is refused within seconds, in little memory, and
//! nothing is written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_phonedesk");

/// Peak resident memory of a running process, from /proc.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Runs `import -` on an endless standard input made of `head` then `repeat` forever; returns
/// (exit code, stderr, peak KiB seen, time taken).
fn import_endless(
    head: &'static [u8],
    repeat: &'static [u8],
) -> (Option<i32>, String, u64, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(dir.path().join("db"))
        .args(["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(head);
        let chunk: Vec<u8> = repeat.iter().copied().cycle().take(1 << 16).collect();
        // Until the reader gives up and the pipe breaks.
        while stdin.write_all(&chunk).is_ok() {}
    });
    let started = Instant::now();
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        peak = peak.max(peak_kib(child.id()).unwrap_or(0));
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "import is still reading"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let _ = writer.join();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    (status.code(), err, peak, took)
}

#[test]
fn endless_inputs_are_refused_within_seconds_in_little_memory() {
    for (what, head, repeat) in [
        ("zeros", &b""[..], &b"\0"[..]),
        ("whitespace", &b"{"[..], &b"   \n"[..]),
        ("a display name without end", &b"{\"version\":1,\"tenant\":{\"name\":\"x\",\"domain\":\"x.example\"},\"users\":[{\"userPrincipalName\":\"a@x.example\",\"displayName\":\""[..], &b"aaaaaaaa"[..]),
        ("users without end", &b"{\"version\":1,\"users\":["[..], &b"{\"userPrincipalName\":\"a@x.example\",\"displayName\":\"A\"},"[..]),
    ] {
        let (code, err, peak, took) = import_endless(head, repeat);
        assert_eq!(code, Some(1), "{what}: {err}");
        assert!(err.contains("nothing was imported") || err.contains("error:"), "{what}: {err}");
        assert!(peak < 100 * 1024, "{what}: {peak} KiB");
        assert!(took < Duration::from_secs(20), "{what}: {took:?}");
    }
}

#[test]
fn dev_zero_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("--db")
        .arg(dir.path().join("db"))
        .args(["import", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was imported"));
}
