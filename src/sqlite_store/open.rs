//! Opening a session database: the file private to its owner, WAL mode,
//! the durability asked for, a short busy timeout, and the schema.

use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::busy;
use super::checkpoint::{Checkpointer, BACKSTOP_PAGES};
use super::{describe, SqliteStore, StoreError};

/// The schema this code writes, kept in `PRAGMA user_version`. A database
/// with a later version was written by a newer release and is refused; one
/// with an earlier version is brought up to this one.
///
/// - 1: sessions with their whole cookie JSON.
/// - 2: `split`: where the cookie's date goes back into its JSON, cut out
///   (src/cookie_date.rs); NULL for a cookie JSON kept whole.
pub const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY NOT NULL,
  cookie TEXT NOT NULL,
  data TEXT NOT NULL,
  expires INTEGER NOT NULL,
  filed INTEGER NOT NULL,
  split INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_filed ON sessions (filed);
CREATE TABLE IF NOT EXISTS sweep_lease (
  only INTEGER PRIMARY KEY CHECK (only = 1),
  holder TEXT NOT NULL,
  until INTEGER NOT NULL
);
INSERT OR IGNORE INTO sweep_lease (only, holder, until) VALUES (1, '', 0);
";

/// When a commit reaches the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
  /// `synchronous=NORMAL` in WAL mode: a commit does not wait for the disk;
  /// a crashed process loses nothing committed, a power loss may lose the
  /// last commits, the file is never corrupted.
  Normal,
  /// `synchronous=FULL`: every commit is on the disk before it returns.
  Full,
}

/// How to open the database.
pub struct Options {
  pub durability: Durability,
  /// How long a statement waits for another process's lock before failing.
  pub busy_timeout: Duration,
  /// The most bytes the file may grow to (0: no bound), rounded down to
  /// whole pages.
  pub max_bytes: u64,
}

impl SqliteStore {
  /// Opens (creating it, readable by its owner only) the database at
  /// `path`. Every fault is an error that names the path.
  pub fn open(path: &str, options: &Options) -> Result<SqliteStore, StoreError> {
    let fail = |doing: &str, err: rusqlite::Error| StoreError(describe(path, doing, &err));
    create_private(path).map_err(|err| {
      StoreError(format!(
        "SqliteStore {path}: cannot create the database file: {err}"
      ))
    })?;
    let connection = Connection::open_with_flags(
      path,
      OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|err| fail("opening", err))?;
    if connection.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
      return Err(StoreError(format!(
        "SqliteStore {path}: the file is read-only to this process; sessions need a writable file"
      )));
    }
    busy::wait_at_most(options.busy_timeout);
    connection
      .busy_handler(Some(busy::handler))
      .map_err(|err| fail("setting the busy handler", err))?;
    let mode: String =
      busy::retrying(|| connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)))
        .map_err(|err| fail("reading the database", err))?;
    if !mode.eq_ignore_ascii_case("wal") {
      return Err(StoreError(format!(
        "SqliteStore {path}: the database cannot use WAL mode (journal mode {mode})"
      )));
    }
    let synchronous = match options.durability {
      Durability::Normal => "NORMAL",
      Durability::Full => "FULL",
    };
    connection
      .execute_batch(&format!("PRAGMA synchronous = {synchronous}"))
      .map_err(|err| fail("setting durability", err))?;
    if options.max_bytes > 0 {
      let page_size: u64 = connection
        .query_row("PRAGMA page_size", [], |row| row.get(0))
        .map_err(|err| fail("reading the page size", err))?;
      let pages = (options.max_bytes / page_size.max(1)).max(1);
      connection
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
        .map_err(|err| fail("setting maxBytes", err))?;
    }
    match busy::retrying(|| migrate(&connection)) {
      Ok(None) => {}
      Ok(Some(version)) => {
        return Err(StoreError(format!(
          "SqliteStore {path}: the database has schema version {version}, newer than this release's {SCHEMA_VERSION}; upgrade express-session-rs or use another file"
        )))
      }
      Err(err) => return Err(fail("creating the schema", err)),
    }
    let checkpointer = Checkpointer::start(path, options.busy_timeout);
    if checkpointer.is_some() {
      connection
        .query_row(
          &format!("PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}"),
          [],
          |_| Ok(()),
        )
        .map_err(|err| fail("setting the checkpoint threshold", err))?;
    }
    Ok(SqliteStore {
      connection: Some(connection),
      checkpointer,
      busy_timeout: options.busy_timeout,
      path: path.to_owned(),
      in_transaction: false,
    })
  }
}

/// Creates the schema, or brings an earlier one up to it, in one write
/// transaction, unless it is there. `Some(version)`, changing nothing, when
/// the file has the schema of a newer release.
fn migrate(connection: &Connection) -> rusqlite::Result<Option<i64>> {
  let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
  if version > SCHEMA_VERSION {
    return Ok(Some(version));
  }
  if version == SCHEMA_VERSION {
    return Ok(None);
  }
  connection.execute_batch("BEGIN IMMEDIATE")?;
  let created = connection
    .query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
    .and_then(|now| {
      match now {
        SCHEMA_VERSION => return Ok(()),
        1 => connection.execute_batch("ALTER TABLE sessions ADD COLUMN split INTEGER")?,
        _ => connection.execute_batch(SCHEMA)?,
      }
      connection.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))
    });
  match created {
    Ok(()) => connection.execute_batch("COMMIT")?,
    Err(err) => {
      let _ = connection.execute_batch("ROLLBACK");
      return Err(err);
    }
  }
  Ok(None)
}

/// Creates the file if it is missing, with mode 0600: session IDs are
/// credentials. SQLite gives the -wal and -shm files the database's mode.
fn create_private(path: &str) -> std::io::Result<()> {
  let mut options = std::fs::OpenOptions::new();
  options.write(true).create_new(true);
  #[cfg(unix)]
  {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
  }
  match options.open(path) {
    Ok(_) => Ok(()),
    Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
    Err(err) => Err(err),
  }
}
