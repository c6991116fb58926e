//! The SQLite store: sessions in one SQLite file that every process on a
//! machine can open at once (WAL mode), durable across restarts and crashes.
//!
//! - `open`: the file (created private to its owner), its pragmas, its schema.
//! - `sessions`: reading and writing sessions, with prepared statements.
//! - `sweep`: removing expired sessions in slices, one process at a time.
//! - `checkpoint`: moving the WAL into the database off the JavaScript thread.

mod busy;
mod checkpoint;
mod open;
mod sessions;
mod sweep;

pub use open::{Durability, Options};

use rusqlite::Connection;

/// One process's connection to a session database, and its path (for
/// error messages). `None` once closed.
pub struct SqliteStore {
  connection: Option<Connection>,
  checkpointer: Option<checkpoint::Checkpointer>,
  /// How long a statement waits for another process's lock.
  busy_timeout: std::time::Duration,
  path: String,
  /// Whether this connection holds an explicit write transaction.
  in_transaction: bool,
}

/// A store error, as a message that names the database's path.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str(&self.0)
  }
}

impl SqliteStore {
  /// The connection, for statements that wait at most `busy_timeout`.
  fn connection(&self) -> Result<&Connection, StoreError> {
    busy::wait_at_most(self.busy_timeout);
    self
      .connection
      .as_ref()
      .ok_or_else(|| StoreError(format!("SqliteStore {}: the store is closed", self.path)))
  }

  /// The error of a failed statement, naming the path and, for the faults
  /// users meet, what to do.
  fn fault(&self, doing: &str, err: rusqlite::Error) -> StoreError {
    StoreError(describe(&self.path, doing, &err))
  }

  /// Closes the connection; every later call is an error.
  pub fn close(&mut self) {
    self.checkpointer = None;
    self.connection = None;
    self.in_transaction = false;
  }
}

fn describe(path: &str, doing: &str, err: &rusqlite::Error) -> String {
  use rusqlite::ErrorCode;
  let hint = match err.sqlite_error_code() {
    Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
      " (another process held the database longer than busyTimeout)"
    }
    Some(ErrorCode::DiskFull) => " (the disk is full, or the database reached maxBytes)",
    Some(ErrorCode::ReadOnly) => " (the file or its directory is read-only)",
    Some(ErrorCode::NotADatabase) => " (the file is not an SQLite database)",
    Some(ErrorCode::CannotOpen) => " (does its directory exist, and may this process write there?)",
    _ => "",
  };
  format!("SqliteStore {path}: {doing} failed: {err}{hint}")
}

/// What the module's tests share: a database in a fresh directory.
#[cfg(test)]
mod testing {
  use std::path::{Path, PathBuf};
  use std::time::Duration;

  use super::{Durability, Options, SqliteStore};

  /// A fresh temporary directory for test `name`, and the path of a
  /// database file in it.
  pub fn temp_database(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("esrs-sqlite-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("sessions.db");
    (dir, path)
  }

  /// Opens the database at `path` with a short busy timeout.
  pub fn open(path: &Path) -> SqliteStore {
    let options = Options {
      durability: Durability::Normal,
      busy_timeout: Duration::from_millis(50),
      max_bytes: 0,
    };
    SqliteStore::open(path.to_str().expect("a UTF-8 path"), &options).expect("opens")
  }
}
