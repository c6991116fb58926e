//! Checkpoints off the JavaScript thread. In WAL mode a commit appends to
//! the -wal file, and every so often a checkpoint copies the pages back
//! into the database and (with any durability) waits for the disk. Left to
//! SQLite, that happens inside whichever commit crossed the threshold, on
//! the event loop. Here a thread of the store's own, with a connection of
//! its own, checkpoints every few milliseconds without blocking writers
//! (PASSIVE), and the store's connection checkpoints itself only if that
//! thread falls far behind.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// How often the thread checkpoints.
const PERIOD: Duration = Duration::from_millis(50);

/// WAL pages after which the store's own connection checkpoints (SQLite's
/// default is 1,000; the thread keeps the WAL far below this).
pub const BACKSTOP_PAGES: u32 = 10_000;

/// The checkpointing thread of one store; stopped when dropped.
pub struct Checkpointer {
  stop: Arc<AtomicBool>,
  thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
  /// Starts checkpointing the database at `path`; `None` when no thread or
  /// connection can be had (the store then checkpoints as SQLite does).
  pub fn start(path: &str, busy_timeout: Duration) -> Option<Checkpointer> {
    let connection = Connection::open_with_flags(
      path,
      OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    connection.busy_timeout(busy_timeout).ok()?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
      .name("sqlite-checkpoint".into())
      .spawn(move || {
        while !stopped.load(Ordering::Acquire) {
          std::thread::park_timeout(PERIOD);
          // A busy database or a failed checkpoint is tried again next
          // period; the store's connection reports real faults.
          let _ = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
      })
      .ok()?;
    Some(Checkpointer {
      stop,
      thread: Some(thread),
    })
  }
}

impl Drop for Checkpointer {
  fn drop(&mut self) {
    self.stop.store(true, Ordering::Release);
    if let Some(thread) = self.thread.take() {
      thread.thread().unpark();
      let _ = thread.join();
    }
  }
}
