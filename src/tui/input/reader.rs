//! The thread that reads the terminal: blocking reads of standard input, each chunk stamped with
//! the instant it arrived and handed to the serve loop.
//!
//! crossterm's reader reads its tty in a loop until `WouldBlock`, but standard input is a
//! blocking descriptor, so once a read has ended inside an unfinished sequence the next read
//! blocks until more input comes, and the resize signal it also waits for goes unseen. Here a
//! blocked read is harmless: it blocks only this thread, the serve loop keeps waiting on its
//! channel, the resize signal and the decoder's deadline, and nothing wakes while nothing
//! happens.

use std::io::{self, Read};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

/// Bytes read from the terminal and when they arrived.
#[derive(Debug)]
pub struct Chunk {
    pub bytes: Vec<u8>,
    pub at: Instant,
}

/// A read as large as a terminal ever hands over at once, and then some.
const READ_SIZE: usize = 8192;
/// Chunks in flight; when the serve loop falls behind, the thread waits and the terminal's own
/// buffer holds the rest (memory stays bounded under a flood of input).
const IN_FLIGHT: usize = 16;
/// The pause before reading again when something else made the shared terminal non-blocking
/// (reads fail with `WouldBlock`); the one case in which this thread wakes without input.
const NONBLOCKING_RETRY: Duration = Duration::from_millis(20);

/// Starts the reading thread. The channel ends when standard input ends (the terminal hung up)
/// and yields an error when a read fails; the thread ends when the receiver is dropped and the
/// next read returns.
pub fn spawn() -> io::Result<mpsc::Receiver<io::Result<Chunk>>> {
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    std::thread::Builder::new()
        .name("phonedesk-tty".into())
        .spawn(move || read_loop(&tx))?;
    Ok(rx)
}

fn read_loop(tx: &mpsc::Sender<io::Result<Chunk>>) {
    let mut buffer = vec![0; READ_SIZE];
    loop {
        let read = io::stdin().lock().read(&mut buffer);
        let at = Instant::now();
        let sent = match read {
            Ok(0) => return,
            Ok(n) => tx.blocking_send(Ok(Chunk {
                bytes: buffer[..n].to_vec(),
                at,
            })),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(NONBLOCKING_RETRY);
                continue;
            }
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
                return;
            }
        };
        if sent.is_err() {
            return;
        }
    }
}
