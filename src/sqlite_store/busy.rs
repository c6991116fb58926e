//! Waiting for another process's lock in short steps. SQLite's own busy
//! timeout sleeps 1, 2, 5, 10, … ms between tries, so a write that found
//! another process committing (which takes tens of microseconds here) held
//! the event loop for a millisecond or more. This handler tries again after
//! 20 µs, doubling up to 1 ms, until the store's `busyTimeout` has passed
//! since the wait began; then the statement fails with SQLITE_BUSY.
//!
//! `retrying` waits the same way where SQLite fails at once instead.
//!
//! SQLite calls the handler on the thread that runs the statement, with no
//! state of ours, so the limit of the store whose statement runs is kept in
//! a thread-local, set before each of its statements.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// The first wait, doubled each try up to `LONGEST`.
const FIRST: Duration = Duration::from_micros(20);
const LONGEST: Duration = Duration::from_millis(1);

thread_local! {
  static LIMIT: Cell<Duration> = const { Cell::new(Duration::ZERO) };
  static WAITING_SINCE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Makes `limit` the longest wait of the statements this thread runs next.
pub fn wait_at_most(limit: Duration) {
  LIMIT.with(|cell| cell.set(limit));
}

/// SQLite's busy handler: `tries` is how often it was called before for the
/// same lock. True to try again, false to give up.
pub fn handler(tries: i32) -> bool {
  let now = Instant::now();
  let since = WAITING_SINCE.with(|cell| {
    let since = match cell.get() {
      Some(since) if tries > 0 => since,
      _ => now,
    };
    cell.set(Some(since));
    since
  });
  if now.duration_since(since) >= LIMIT.with(Cell::get) {
    return false;
  }
  std::thread::sleep(step(tries));
  true
}

/// Runs `statement` again, in the handler's steps and within its limit,
/// while it fails with SQLITE_BUSY without SQLite having waited: SQLite
/// gives up at once, never calling the handler, where waiting could
/// deadlock, as when a connection that holds a read lock wants the
/// exclusive one (switching a new file to WAL while another process opens
/// it too).
pub fn retrying<T>(mut statement: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
  let started = Instant::now();
  let limit = LIMIT.with(Cell::get);
  let mut tries = 0;
  loop {
    match statement() {
      Err(err)
        if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
          && started.elapsed() < limit =>
      {
        std::thread::sleep(step(tries));
        tries += 1;
      }
      result => return result,
    }
  }
}

fn step(tries: i32) -> Duration {
  let doublings = u32::try_from(tries).unwrap_or(0).min(10);
  (FIRST * (1 << doublings)).min(LONGEST)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn waits_double_up_to_a_millisecond() {
    assert_eq!(step(0), Duration::from_micros(20));
    assert_eq!(step(1), Duration::from_micros(40));
    assert_eq!(step(5), Duration::from_micros(640));
    assert_eq!(step(6), LONGEST);
    assert_eq!(step(1000), LONGEST);
    assert_eq!(step(-1), FIRST);
  }

  #[test]
  fn retrying_stops_at_success_or_at_the_limit() {
    wait_at_most(Duration::from_millis(5));
    let busy = || rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(5), None);
    let mut calls = 0;
    let done = retrying(|| {
      calls += 1;
      if calls < 3 {
        Err(busy())
      } else {
        Ok(calls)
      }
    });
    assert_eq!(done.ok(), Some(3));
    let started = Instant::now();
    assert!(retrying(|| -> rusqlite::Result<()> { Err(busy()) }).is_err());
    assert!(started.elapsed() >= Duration::from_millis(5));
    let mut other = 0;
    let failed = retrying(|| -> rusqlite::Result<()> {
      other += 1;
      Err(rusqlite::Error::InvalidQuery)
    });
    assert!(failed.is_err());
    assert_eq!(other, 1, "only SQLITE_BUSY is tried again");
  }

  #[test]
  fn gives_up_once_the_limit_has_passed() {
    wait_at_most(Duration::ZERO);
    assert!(!handler(0));
    wait_at_most(Duration::from_millis(5));
    let started = Instant::now();
    let mut tries = 0;
    while handler(tries) {
      tries += 1;
    }
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(5), "{waited:?}");
    assert!(waited < Duration::from_millis(50), "{waited:?}");
    assert!(tries > 3, "{tries} tries");
  }
}
