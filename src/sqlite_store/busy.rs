//! Waiting for another process's lock in short steps. SQLite's own busy
//! timeout sleeps 1, 2, 5, 10, … ms between tries, so a write that found
//! another process committing (which takes tens of microseconds here) held
//! the event loop for a millisecond or more. This handler tries again after
//! 20 µs, doubling up to 1 ms, until the store's `busyTimeout` has passed
//! since the wait began; then the statement fails with SQLITE_BUSY.
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
