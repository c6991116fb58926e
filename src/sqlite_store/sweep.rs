//! Removing expired sessions. Every process may call for a sweep, but one
//! at a time sweeps: whoever takes the lease row (free, its own, or run
//! out) holds it for a while, and the others find nothing to do. A sweep
//! deletes in small batches, each its own short transaction, until its
//! time budget is spent, so no process waits long for the write lock. The
//! pages it frees are reused by later writes, so the file does not grow
//! under churn.

use std::time::{Duration, Instant};

use rusqlite::params;

use super::{SqliteStore, StoreError};

/// Sessions deleted per transaction.
const BATCH: i64 = 200;

impl SqliteStore {
  /// Removes sessions expired at `now` for about `budget` at most, if
  /// `holder` holds (or takes) the sweep lease for `lease_ms`. True when
  /// nothing expired is left or another process holds the lease; false
  /// when the caller should call again soon.
  pub fn sweep(
    &self,
    holder: &str,
    now: i64,
    lease_ms: i64,
    budget: Duration,
  ) -> Result<bool, StoreError> {
    if self.in_transaction {
      return Ok(false);
    }
    let connection = self.connection()?;
    let started = Instant::now();
    let leased = connection
      .prepare_cached(
        "UPDATE sweep_lease SET holder = ?1, until = ?2 WHERE only = 1 AND (holder = ?1 OR until <= ?3)",
      )
      .and_then(|mut statement| statement.execute(params![holder, now + lease_ms, now]))
      .map_err(|err| self.fault("taking the sweep lease", err))?;
    if leased == 0 {
      return Ok(true);
    }
    loop {
      let deleted = connection
        .prepare_cached(
          "DELETE FROM sessions WHERE id IN
             (SELECT id FROM sessions WHERE filed <= ?1 AND expires <= ?1 ORDER BY filed LIMIT ?2)",
        )
        .and_then(|mut statement| statement.execute(params![now, BATCH]))
        .map_err(|err| self.fault("sweeping expired sessions", err))?;
      if deleted < BATCH as usize {
        return Ok(true);
      }
      if started.elapsed() >= budget {
        return Ok(false);
      }
    }
  }
}

#[cfg(test)]
mod tests {
  use std::time::Duration;

  use super::super::testing::{open, temp_database};

  #[test]
  fn one_holder_sweeps_while_its_lease_runs() {
    let (dir, path) = temp_database("sweep");
    let first = open(&path);
    let second = open(&path);
    for i in 0..500 {
      first
        .set(
          &format!("s{i}"),
          "{}",
          None,
          "{}",
          if i < 450 { 1_000 } else { 9_000 },
        )
        .expect("set");
    }
    // The second process holds the lease until 5,500: the first finds
    // nothing to do.
    assert!(second
      .sweep("second", 500, 5_000, Duration::ZERO)
      .expect("sweep"));
    assert!(first
      .sweep("first", 2_000, 1_000, Duration::from_secs(1))
      .expect("sweep"));
    assert_eq!(
      first.count(0).expect("count"),
      500,
      "the lease kept the first out"
    );
    // Once the lease ran out, the first sweeps in batches until done.
    assert!(!first
      .sweep("first", 6_000, 1_000, Duration::ZERO)
      .expect("one batch"));
    assert!(first
      .sweep("first", 6_000, 1_000, Duration::from_secs(1))
      .expect("sweep"));
    assert_eq!(first.count(0).expect("count"), 50);
    let _ = std::fs::remove_dir_all(dir);
  }
}
