//! Reading and writing sessions. A session is a row: its ID, its cookie's
//! JSON (with its date cut out at byte `split`, see src/cookie_date.rs, or
//! whole), its data's JSON (the session without its cookie), when it
//! expires (ms since the epoch) and where the sweep finds it. Rows past their
//! expiry are absent to every read, whether or not a sweep removed them
//! yet. Statements are prepared once per connection (rusqlite's statement
//! cache).
//!
//! The expiry index is on `filed`, the expiry rounded down to a minute,
//! not on the expiry itself: a session saved on every request moves its
//! expiry every time, and an index entry rewritten with it nearly doubled
//! the cost of a save (measured: 35 µs against 19 µs without the index).
//! A write that leaves `filed` as it is does not name it, so SQLite leaves
//! the index alone; `filed` changes once per minute of expiry passed.

use rusqlite::{params, OptionalExtension};

use super::{SqliteStore, StoreError};
use crate::cookie_date;

/// How coarsely the sweep's index files expiries (ms).
pub const FILED_MS: i64 = 60_000;

/// Where the sweep's index files a session expiring at `expires`: never
/// later than its expiry.
pub fn filed(expires: i64) -> i64 {
  expires - expires.rem_euclid(FILED_MS)
}

/// A stored session as read: its cookie's JSON (with the date cut out at
/// byte `split`, or whole), its data's JSON and its expiry (ms).
pub struct Loaded {
  pub cookie: String,
  pub split: Option<usize>,
  pub data: String,
  pub expires: i64,
}

/// Where the date goes back into a stored cookie: `split` when the cookie
/// is cut there. A release before schema 2, still running on the file,
/// writes the whole JSON and leaves `split` as it was.
fn split_of(cookie: &str, split: Option<i64>) -> Option<usize> {
  split
    .and_then(|split| usize::try_from(split).ok())
    .filter(|&split| cookie_date::is_cut_at(cookie, split))
}

/// A byte offset as SQLite keeps it.
fn column(split: Option<usize>) -> Option<i64> {
  split.and_then(|split| i64::try_from(split).ok())
}

impl SqliteStore {
  /// The unexpired session `id`, or `None`.
  pub fn get(&self, id: &str, now: i64) -> Result<Option<Loaded>, StoreError> {
    let connection = self.connection()?;
    let run = || -> rusqlite::Result<Option<Loaded>> {
      let mut statement = connection.prepare_cached(
        "SELECT cookie, split, data, expires FROM sessions WHERE id = ?1 AND expires > ?2",
      )?;
      statement
        .query_row(params![id, now], |row| {
          let cookie: String = row.get(0)?;
          Ok(Loaded {
            split: split_of(&cookie, row.get(1)?),
            cookie,
            data: row.get(2)?,
            expires: row.get(3)?,
          })
        })
        .optional()
    };
    run().map_err(|err| self.fault("reading a session", err))
  }

  /// Stores session `id`, replacing what was there. `cookie` is cut at
  /// byte `split`, or whole.
  pub fn set(
    &self,
    id: &str,
    cookie: &str,
    split: Option<usize>,
    data: &str,
    expires: i64,
  ) -> Result<(), StoreError> {
    let connection = self.connection()?;
    let filed = filed(expires);
    let split = column(split);
    let run = || -> rusqlite::Result<()> {
      let kept = connection
        .prepare_cached(
          "UPDATE sessions SET cookie = ?2, split = ?6, data = ?3, expires = ?4
           WHERE id = ?1 AND filed = ?5",
        )?
        .execute(params![id, cookie, data, expires, filed, split])?;
      if kept == 0 {
        connection
          .prepare_cached(
            "INSERT INTO sessions (id, cookie, split, data, expires, filed)
             VALUES (?1, ?2, ?6, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET cookie = excluded.cookie, split = excluded.split,
               data = excluded.data, expires = excluded.expires, filed = excluded.filed",
          )?
          .execute(params![id, cookie, data, expires, filed, split])?;
      }
      Ok(())
    };
    run().map_err(|err| self.fault("saving a session", err))
  }

  /// Gives the unexpired session `id` this cookie (cut at byte `split`,
  /// or whole) and expiry, leaving its data alone. False when there is no
  /// such session.
  pub fn touch(
    &self,
    id: &str,
    cookie: &str,
    split: Option<usize>,
    expires: i64,
    now: i64,
  ) -> Result<bool, StoreError> {
    let connection = self.connection()?;
    let filed = filed(expires);
    let split = column(split);
    let run = || -> rusqlite::Result<usize> {
      let kept = connection
        .prepare_cached(
          "UPDATE sessions SET cookie = ?2, split = ?6, expires = ?3
           WHERE id = ?1 AND expires > ?4 AND filed = ?5",
        )?
        .execute(params![id, cookie, expires, now, filed, split])?;
      if kept > 0 {
        return Ok(kept);
      }
      connection
        .prepare_cached(
          "UPDATE sessions SET cookie = ?2, split = ?6, expires = ?3, filed = ?5
           WHERE id = ?1 AND expires > ?4",
        )?
        .execute(params![id, cookie, expires, now, filed, split])
    };
    run()
      .map(|changed| changed > 0)
      .map_err(|err| self.fault("touching a session", err))
  }

  /// Removes session `id`; false when there was none.
  pub fn destroy(&self, id: &str) -> Result<bool, StoreError> {
    let connection = self.connection()?;
    let run = || -> rusqlite::Result<usize> {
      connection
        .prepare_cached("DELETE FROM sessions WHERE id = ?1")?
        .execute(params![id])
    };
    run()
      .map(|changed| changed > 0)
      .map_err(|err| self.fault("destroying a session", err))
  }

  /// Removes every session.
  pub fn clear(&self) -> Result<(), StoreError> {
    let connection = self.connection()?;
    connection
      .execute("DELETE FROM sessions", [])
      .map(drop)
      .map_err(|err| self.fault("clearing the sessions", err))
  }

  /// The number of unexpired sessions.
  pub fn count(&self, now: i64) -> Result<u32, StoreError> {
    let connection = self.connection()?;
    connection
      .query_row(
        "SELECT count(*) FROM sessions WHERE expires > ?1",
        params![now],
        |row| row.get::<_, i64>(0),
      )
      .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
      .map_err(|err| self.fault("counting the sessions", err))
  }

  /// Every unexpired session, flattened: [id, cookie JSON, data, id, …],
  /// the cookie JSON whole.
  pub fn all(&self, now: i64) -> Result<Vec<String>, StoreError> {
    let connection = self.connection()?;
    let run = || -> rusqlite::Result<Vec<String>> {
      let mut statement = connection
        .prepare("SELECT id, cookie, split, data, expires FROM sessions WHERE expires > ?1")?;
      let mut rows = statement.query(params![now])?;
      let mut out = Vec::new();
      while let Some(row) = rows.next()? {
        let cookie: String = row.get(1)?;
        let split = split_of(&cookie, row.get(2)?);
        out.push(row.get(0)?);
        // A date that does not render is left out, as the cut keeps it.
        out.push(cookie_date::render(&cookie, split, row.get(4)?).unwrap_or(cookie));
        out.push(row.get(3)?);
      }
      Ok(out)
    };
    run().map_err(|err| self.fault("listing the sessions", err))
  }

  /// Starts a write transaction (the database's write lock, across
  /// processes), for a read, a merge in JavaScript and a write as one step.
  pub fn begin(&mut self) -> Result<(), StoreError> {
    if self.in_transaction {
      return Err(StoreError(format!(
        "SqliteStore {}: a transaction is already open",
        self.path
      )));
    }
    self
      .connection()?
      .execute_batch("BEGIN IMMEDIATE")
      .map_err(|err| self.fault("starting a transaction", err))?;
    self.in_transaction = true;
    Ok(())
  }

  /// Ends the open write transaction: commits it, or with `commit` false
  /// rolls it back.
  pub fn end(&mut self, commit: bool) -> Result<(), StoreError> {
    if !self.in_transaction {
      return Ok(());
    }
    self.in_transaction = false;
    let connection = self.connection()?;
    if commit {
      if let Err(err) = connection.execute_batch("COMMIT") {
        let _ = connection.execute_batch("ROLLBACK");
        return Err(self.fault("committing", err));
      }
      return Ok(());
    }
    connection
      .execute_batch("ROLLBACK")
      .map_err(|err| self.fault("rolling back", err))
  }
}

#[cfg(test)]
mod tests {
  use super::super::testing::{open, temp_database};
  use super::super::SqliteStore;

  fn temp_store(name: &str) -> (SqliteStore, std::path::PathBuf) {
    let (dir, path) = temp_database(name);
    (open(&path), dir)
  }

  #[test]
  fn a_session_round_trips_and_expires() {
    let (store, dir) = temp_store("round-trip");
    store
      .set("a", "{\"path\":\"/\"}", None, "{\"n\":1}", 2_000)
      .expect("set");
    let loaded = store.get("a", 1_000).expect("get").expect("present");
    assert_eq!(loaded.cookie, "{\"path\":\"/\"}");
    assert_eq!(loaded.data, "{\"n\":1}");
    assert!(store.get("a", 2_000).expect("get").is_none(), "expired");
    assert_eq!(store.count(1_000).expect("count"), 1);
    assert_eq!(store.count(2_000).expect("count"), 0);
    let _ = std::fs::remove_dir_all(dir);
  }

  #[test]
  fn a_cut_cookie_round_trips_with_its_split_and_expiry() {
    let (store, dir) = temp_store("cut");
    store
      .set("a", "{\"expires\":\"\"}", Some(12), "{}", 2_000)
      .expect("set");
    let loaded = store.get("a", 1_000).expect("get").expect("present");
    assert_eq!(
      (loaded.cookie.as_str(), loaded.split, loaded.expires),
      ("{\"expires\":\"\"}", Some(12), 2_000)
    );
    assert!(store.touch("a", "{}", None, 3_000, 1_000).expect("touch"));
    let loaded = store.get("a", 1_000).expect("get").expect("present");
    assert_eq!((loaded.split, loaded.expires), (None, 3_000));
    assert_eq!(
      store.all(1_000).expect("all"),
      ["a", "{}", "{}"].map(String::from)
    );
    let _ = std::fs::remove_dir_all(dir);
  }

  #[test]
  fn a_database_of_schema_1_is_brought_up_to_date_with_its_sessions() {
    let (dir, path) = temp_database("v1");
    let old = rusqlite::Connection::open(&path).expect("opens");
    old
      .execute_batch(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY NOT NULL, cookie TEXT NOT NULL,
           data TEXT NOT NULL, expires INTEGER NOT NULL, filed INTEGER NOT NULL) WITHOUT ROWID;
         INSERT INTO sessions VALUES ('a', '{\"path\":\"/\"}', '{\"n\":1}', 2000, 0);
         PRAGMA user_version = 1;",
      )
      .expect("a schema 1 database");
    drop(old);
    let store = open(&path);
    let loaded = store.get("a", 1_000).expect("get").expect("kept");
    assert_eq!(
      (loaded.cookie.as_str(), loaded.split, loaded.data.as_str()),
      ("{\"path\":\"/\"}", None, "{\"n\":1}")
    );
    let version: i64 = store
      .connection()
      .expect("open")
      .query_row("PRAGMA user_version", [], |row| row.get(0))
      .expect("version");
    assert_eq!(version, super::super::open::SCHEMA_VERSION);
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
  }

  #[test]
  fn the_index_files_an_expiry_at_or_before_it() {
    use super::{filed, FILED_MS};
    for expires in [0, 1, FILED_MS - 1, FILED_MS, 1_764_579_600_123, -1] {
      let at = filed(expires);
      assert!(
        at <= expires && expires - at < FILED_MS,
        "{expires} filed at {at}"
      );
      assert_eq!(at.rem_euclid(FILED_MS), 0);
    }
  }

  #[test]
  fn a_save_in_the_same_minute_and_one_in_the_next_both_land() {
    let (store, dir) = temp_store("filed");
    store
      .set("a", "{}", None, "{\"n\":1}", 60_000)
      .expect("set");
    store
      .set("a", "{}", None, "{\"n\":2}", 60_500)
      .expect("same minute");
    assert_eq!(
      store.get("a", 0).expect("get").expect("present").data,
      "{\"n\":2}"
    );
    store
      .set("a", "{}", None, "{\"n\":3}", 130_000)
      .expect("next minute");
    assert_eq!(
      store.get("a", 125_000).expect("get").expect("present").data,
      "{\"n\":3}"
    );
    assert!(store
      .touch("a", "{}", None, 200_000, 125_000)
      .expect("touch"));
    assert!(store.get("a", 190_000).expect("get").is_some());
    let _ = std::fs::remove_dir_all(dir);
  }

  #[test]
  fn touch_and_destroy_report_whether_the_session_was_there() {
    let (store, dir) = temp_store("touch");
    assert!(!store.touch("a", "{}", None, 5_000, 1_000).expect("touch"));
    store.set("a", "{}", None, "{}", 2_000).expect("set");
    assert!(store.touch("a", "{}", None, 5_000, 1_000).expect("touch"));
    assert!(store.get("a", 4_000).expect("get").is_some());
    assert!(store.destroy("a").expect("destroy"));
    assert!(!store.destroy("a").expect("destroy"));
    let _ = std::fs::remove_dir_all(dir);
  }

  #[test]
  fn a_rolled_back_transaction_leaves_nothing() {
    let (mut store, dir) = temp_store("transaction");
    store.begin().expect("begin");
    assert!(store.begin().is_err(), "no nested transaction");
    store.set("a", "{}", None, "{}", 2_000).expect("set");
    store.end(false).expect("rollback");
    assert!(store.get("a", 1_000).expect("get").is_none());
    store.begin().expect("begin");
    store.set("a", "{}", None, "{}", 2_000).expect("set");
    store.end(true).expect("commit");
    assert!(store.get("a", 1_000).expect("get").is_some());
    let _ = std::fs::remove_dir_all(dir);
  }

  #[test]
  fn a_closed_store_is_an_error_not_a_panic() {
    let (mut store, dir) = temp_store("closed");
    store.close();
    let err = store.get("a", 0).err().expect("an error");
    assert!(err.0.contains("closed"), "{}", err.0);
    let _ = std::fs::remove_dir_all(dir);
  }
}
