#![deny(clippy::all)]
#![deny(unsafe_code)]
//! Native core of express-session-rs. This file is only the JavaScript
//! surface; each concern lives in its own module.
//!
//! Hot calls take their strings from the scratch buffer that the calling
//! JavaScript copy passes in (see `scratch`), and their state as an
//! `External`, because string arguments and class receivers are the
//! expensive part of a Node-API call. Cold calls take ordinary arguments.

mod cookie;
mod cookie_date;
mod date;
mod id;
mod memory_store;
#[cfg(test)]
mod properties;
mod scratch;
mod session_cookie;
mod signature;
mod sqlite_store;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use napi::bindgen_prelude::{Buffer, BufferSlice, Error, External, Result, Status};
use napi_derive::napi;

use memory_store::{Storage, StoredCookie, Touch};
use scratch::Input;
use session_cookie::SessionCookie;
use sqlite_store::{Durability, SqliteStore, StoreError};

/// Bytes of the scratch header (its f64 slots) before the first string.
#[napi]
pub const SCRATCH_HEADER_BYTES: u32 = scratch::HEADER_BYTES as u32;
/// Number of f64 slots in the scratch header.
#[napi]
pub const SCRATCH_SLOTS: u32 = scratch::SLOTS as u32;
/// Cookie `flags` bit for the HttpOnly attribute.
#[napi]
pub const COOKIE_HTTP_ONLY: u32 = 1;
/// Cookie `flags` bit for the Secure attribute.
#[napi]
pub const COOKIE_SECURE: u32 = 2;
/// Cookie `flags` bit for the Partitioned attribute.
#[napi]
pub const COOKIE_PARTITIONED: u32 = 4;
/// Cookie `flags` bit saying an Expires attribute is given.
#[napi]
pub const COOKIE_HAS_EXPIRES: u32 = 8;

fn invalid_argument(message: impl ToString) -> Error {
  Error::new(Status::InvalidArg, message.to_string())
}

fn unreadable_input() -> Error {
  invalid_argument("express-session-rs: unreadable scratch input")
}

/// The first `N` strings of a scratch buffer, and the buffer's numbers.
fn strings<const N: usize>(scratch: &[u8]) -> Result<([&str; N], Input<'_>)> {
  let input = Input::parse(scratch).ok_or_else(unreadable_input)?;
  let strings = input.strings().ok_or_else(unreadable_input)?;
  Ok((strings, input))
}

/// Cookie attributes from strings `path, domain, priority, sameSite` (empty:
/// absent) and the numbers `expires` (ms) and `flags`.
fn attributes<'a>(strings: [&'a str; 4], expires: f64, flags: f64) -> cookie::Attributes<'a> {
  let [path, domain, priority, same_site] = strings;
  let flags = if flags.is_finite() && flags >= 0.0 {
    flags as u32
  } else {
    0
  };
  let present = |s: &'a str| if s.is_empty() { None } else { Some(s) };
  cookie::Attributes {
    path: present(path),
    domain: present(domain),
    expires: if flags & COOKIE_HAS_EXPIRES != 0 {
      Some(expires)
    } else {
      None
    },
    http_only: flags & COOKIE_HTTP_ONLY != 0,
    secure: flags & COOKIE_SECURE != 0,
    partitioned: flags & COOKIE_PARTITIONED != 0,
    priority: present(priority),
    same_site: present(same_site),
  }
}

/// Creates the session cookie state for a cookie `name` and its `secrets`
/// (the first signs, all verify); `secrets` must not be empty.
#[napi(catch_unwind)]
pub fn create_session_cookie(
  name: String,
  secrets: Vec<Buffer>,
) -> Result<External<SessionCookie>> {
  let secrets: Vec<&[u8]> = secrets.iter().map(|s| s.as_ref()).collect();
  SessionCookie::new(name, &secrets)
    .map(External::new)
    .ok_or_else(|| invalid_argument("at least one secret is required"))
}

/// Scratch: [Cookie header]. The verified session ID, or null for anything
/// else, however malformed (an unreadable scratch buffer included).
#[napi(catch_unwind)]
pub fn read_session_id(session_cookie: &External<SessionCookie>, scratch: &[u8]) -> Option<String> {
  let [header] = Input::parse(scratch)?.strings()?;
  session_cookie.read_id(header)
}

/// Scratch: [value.signature]. The value when one of the secrets signed it,
/// or null.
#[napi(catch_unwind)]
pub fn unsign_value(session_cookie: &External<SessionCookie>, scratch: &[u8]) -> Option<String> {
  let [signed] = Input::parse(scratch)?.strings()?;
  session_cookie.unsign(signed).map(str::to_owned)
}

/// Scratch: [value]. `value.signature` with the first secret.
#[napi(catch_unwind)]
pub fn sign_value(session_cookie: &External<SessionCookie>, scratch: &[u8]) -> Result<String> {
  let ([value], _) = strings(scratch)?;
  Ok(session_cookie.sign(value))
}

/// Scratch: [id, path, domain, priority, sameSite], slot 5 expires (ms),
/// slot 6 flags. The session's `Set-Cookie` value; throws with the `cookie`
/// package's message when an attribute is invalid.
#[napi(catch_unwind)]
pub fn render_session_cookie(
  session_cookie: &External<SessionCookie>,
  scratch: &[u8],
) -> Result<String> {
  let ([id, path, domain, priority, same_site], input) = strings(scratch)?;
  let attributes = attributes(
    [path, domain, priority, same_site],
    input.number(5),
    input.number(6),
  );
  session_cookie
    .render(id, &attributes)
    .map_err(invalid_argument)
}

/// A `Set-Cookie` value for cookie `name` with a plain `value` (URI-encoded
/// here), as `cookie.serialize` renders it; `path`, `domain`, `priority` and
/// `same_site` are empty when absent, `expires` (ms) counts with its flag.
#[allow(clippy::too_many_arguments)]
#[napi(catch_unwind)]
pub fn render_cookie(
  name: String,
  value: String,
  path: String,
  domain: String,
  priority: String,
  same_site: String,
  expires: f64,
  flags: f64,
) -> Result<String> {
  let attributes = attributes([&path, &domain, &priority, &same_site], expires, flags);
  let mut encoded = String::with_capacity(value.len());
  cookie::encode_uri_component(&value, &mut encoded);
  cookie::serialize(&name, &encoded, &attributes).map_err(invalid_argument)
}

/// Fills `out` with as many 32-character session IDs as fit and returns the
/// count: 24 bytes from the OS CSPRNG each, URL-safe base64.
#[napi(catch_unwind)]
pub fn fill_session_ids(mut out: BufferSlice<'_>) -> Result<u32> {
  let count = id::fill_ids(&mut out).map_err(|e| {
    Error::new(
      Status::GenericFailure,
      format!("OS random source failed: {e}"),
    )
  })?;
  u32::try_from(count).map_err(invalid_argument)
}

fn now_ms() -> i64 {
  std::time::SystemTime::now()
    .duration_since(std::time::UNIX_EPOCH)
    .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Creates MemoryStore storage bounded to `max_entries` sessions and
/// `max_bytes` bytes of IDs and JSON (0: no bound).
#[napi(catch_unwind)]
pub fn create_memory_storage(max_entries: u32, max_bytes: f64) -> External<Storage> {
  let max_bytes = if max_bytes.is_finite() && max_bytes > 0.0 {
    max_bytes as usize
  } else {
    0
  };
  External::new(Storage::new(max_entries as usize, max_bytes))
}

/// Scratch: [key]. The session's JSON (`{"cookie":…,…data}`), or null when
/// absent or expired (an expired session is removed).
#[napi(catch_unwind)]
pub fn storage_get(storage: &mut External<Storage>, scratch: &[u8]) -> Result<Option<String>> {
  let ([key], _) = strings(scratch)?;
  Ok(
    storage
      .get(key, now_ms())
      .map(|(cookie, data)| memory_store::session_json(&cookie, data)),
  )
}

/// Scratch: [key]. What the middleware loads: the data JSON with slot 0 the
/// expiry (ms) and slot 1 the cookie's template id, or, for a cookie kept
/// whole, the session's JSON as `storageGet` gives it with slot 0 the UTF-16
/// offset of its data members and slot 1 set to -1. Null when absent or
/// expired.
#[napi(catch_unwind)]
pub fn storage_load(
  storage: &mut External<Storage>,
  mut scratch: BufferSlice<'_>,
) -> Result<Option<String>> {
  let ([key], _) = strings(&scratch)?;
  let Some((json, slots)) = storage
    .load(key, now_ms())
    .map(|(cookie, data)| match cookie {
      StoredCookie::Template { id, expires } => (data.to_owned(), [expires as f64, id as f64]),
      StoredCookie::Json(cookie) => (
        memory_store::session_json(&cookie, data),
        [memory_store::data_offset(&cookie, data) as f64, -1.0],
      ),
    })
  else {
    return Ok(None);
  };
  scratch::write_number(&mut scratch, 0, slots[0]);
  scratch::write_number(&mut scratch, 1, slots[1]);
  Ok(Some(json))
}

/// The JSON of cookie template `id` without its date, and the UTF-16 offset
/// where the date goes (-1: the cookie has no date), as `[text, offset]`;
/// null when no session uses it any more.
#[napi(catch_unwind)]
pub fn storage_template(storage: &External<Storage>, id: f64) -> Option<(String, i64)> {
  let (text, split) = storage.template(id as u64)?.parts();
  let offset = match split {
    Some(split) => utf16_offset(text, split)?,
    None => -1,
  };
  Some((text.to_owned(), offset))
}

/// Scratch: [key], slot 1 template id, slot 2 expires (ms). Gives a stored
/// session the cookie of that template and the expiry: true when done, false
/// when there is no such session, null when the template cannot be used
/// (then `storageTouch` with the cookie's JSON can). Throws like
/// `storageTouch` when it would not fit the byte bound.
#[napi(catch_unwind)]
pub fn storage_touch_template(
  storage: &mut External<Storage>,
  scratch: &[u8],
) -> Result<Option<bool>> {
  let ([key], input) = strings(scratch)?;
  let id = input.number(1) as u64;
  let touched = storage
    .touch_template(key, id, input.number(2) as i64, now_ms())
    .map_err(invalid_argument)?;
  Ok(match touched {
    Touch::Touched => Some(true),
    Touch::Missing => Some(false),
    Touch::UnknownTemplate => None,
  })
}

/// Scratch: [key, cookie JSON (empty: none), data JSON], slot 3 expires (ms).
/// Stores the session; throws when it alone exceeds the byte bound. Leaves
/// in slot 0 the id of the cookie's template, or -1 when it has none.
#[napi(catch_unwind)]
pub fn storage_set(storage: &mut External<Storage>, mut scratch: BufferSlice<'_>) -> Result<()> {
  let template = {
    let ([key, cookie, data], input) = strings(&scratch)?;
    storage
      .set(key, cookie, data, input.number(3) as i64)
      .map_err(invalid_argument)?
  };
  scratch::write_number(&mut scratch, 0, template.map_or(-1.0, |id| id as f64));
  Ok(())
}

/// Scratch: [key, data JSON], slot 2 template id, slot 3 expires (ms). Like
/// `storageSet` with the cookie of that template: false, storing nothing,
/// when the template cannot be used (then `storageSet` can).
#[napi(catch_unwind)]
pub fn storage_set_template(storage: &mut External<Storage>, scratch: &[u8]) -> Result<bool> {
  let ([key, data], input) = strings(scratch)?;
  storage
    .set_template(key, input.number(2) as u64, data, input.number(3) as i64)
    .map_err(invalid_argument)
}

/// Scratch: [key, cookie JSON], slot 2 expires (ms). Replaces the cookie and
/// expiry of a stored session; false when there is none. Throws, changing
/// nothing, when the session would then exceed the byte bound.
#[napi(catch_unwind)]
pub fn storage_touch(storage: &mut External<Storage>, scratch: &[u8]) -> Result<bool> {
  let ([key, cookie], input) = strings(scratch)?;
  storage
    .touch(key, cookie, input.number(2) as i64, now_ms())
    .map_err(invalid_argument)
}

/// Removes session `key`; false when there was none.
#[napi(catch_unwind)]
pub fn storage_destroy(storage: &mut External<Storage>, key: String) -> bool {
  storage.remove(&key)
}

/// Removes expired sessions (and compacts what that emptied) for about
/// `budget_ms` at most; true when nothing is left to do, false when the
/// caller should call again. Once a sweep that freed much is done, the next
/// call hands the freed memory back to the operating system, in a slice of
/// its own.
#[napi(catch_unwind)]
pub fn storage_sweep(storage: &mut External<Storage>, budget_ms: f64) -> bool {
  // NaN becomes 0: a few steps, then stop.
  let budget = Duration::from_micros((budget_ms * 1000.0).clamp(0.0, 1e6) as u64);
  let swept = storage.sweep_until(now_ms(), Some(Instant::now() + budget));
  if !swept.done {
    return false;
  }
  if storage.swept_bytes() < memory_store::TRIM_THRESHOLD {
    return true;
  }
  if swept.removed > 0 || swept.compacted {
    return false;
  }
  memory_store::release_free_memory();
  storage.memory_released();
  true
}

/// Removes every session.
#[napi(catch_unwind)]
pub fn storage_clear(storage: &mut External<Storage>) {
  storage.clear();
  memory_store::release_free_memory();
}

/// Number of unexpired sessions.
#[napi(catch_unwind)]
pub fn storage_count(storage: &External<Storage>) -> u32 {
  u32::try_from(storage.live_count(now_ms())).unwrap_or(u32::MAX)
}

/// What the storage holds right now, expired sessions included until swept:
/// [sessions, bytes of IDs and JSON].
#[napi(catch_unwind)]
pub fn storage_usage(storage: &External<Storage>) -> Vec<f64> {
  vec![storage.len() as f64, storage.bytes() as f64]
}

/// Every unexpired session, flattened: [key, json, key, json, …].
#[napi(catch_unwind)]
pub fn storage_all(storage: &External<Storage>) -> Vec<String> {
  let mut out = Vec::with_capacity(storage.len() * 2);
  for (key, cookie, data) in storage.entries(now_ms()) {
    out.push(key.to_owned());
    out.push(memory_store::session_json(&cookie, data));
  }
  out
}

fn store_error(err: StoreError) -> Error {
  Error::new(Status::GenericFailure, err.0)
}

/// A time in ms from JavaScript (NaN and infinities become 0).
fn ms(value: f64) -> i64 {
  if value.is_finite() {
    value as i64
  } else {
    0
  }
}

/// Opens (creating it, readable by its owner only) the SQLite session
/// database at `path`: WAL mode, `synchronous=FULL` when `full` (else
/// NORMAL), a lock wait of at most `busy_timeout_ms`, at most `max_bytes`
/// bytes (0: no bound). Every fault is an error naming the path.
#[napi(catch_unwind)]
pub fn sqlite_open(
  path: String,
  full: bool,
  busy_timeout_ms: u32,
  max_bytes: f64,
) -> Result<External<SqliteStore>> {
  let options = sqlite_store::Options {
    durability: if full {
      Durability::Full
    } else {
      Durability::Normal
    },
    busy_timeout: Duration::from_millis(u64::from(busy_timeout_ms)),
    max_bytes: if max_bytes.is_finite() && max_bytes > 0.0 {
      max_bytes as u64
    } else {
      0
    },
  };
  SqliteStore::open(&path, &options)
    .map(External::new)
    .map_err(store_error)
}

/// The unexpired session `id` as [cookie, data JSON, split, expires (ms)],
/// or null: the cookie's JSON with its date cut out at UTF-16 offset
/// `split` (src/cookie_date.rs), or whole when `split` is -1.
#[napi(catch_unwind)]
pub fn sqlite_get(
  store: &External<SqliteStore>,
  id: String,
) -> Result<Option<(String, String, i64, f64)>> {
  let Some(loaded) = store.get(&id, now_ms()).map_err(store_error)? else {
    return Ok(None);
  };
  let split = sqlite_split(&loaded.cookie, loaded.split);
  Ok(Some((
    loaded.cookie,
    loaded.data,
    split,
    loaded.expires as f64,
  )))
}

/// Stores session `id` (cookie, data JSON, expiry in ms). The cookie is its
/// JSON with the date cut out at UTF-16 offset `split`, or with `split` -1
/// its whole JSON, which is cut when its date is the expiry. Returns what
/// was stored, [cookie, split], when it cut it; else null.
#[napi(catch_unwind)]
pub fn sqlite_set(
  store: &External<SqliteStore>,
  id: String,
  cookie: String,
  split: i64,
  data: String,
  expires: f64,
) -> Result<Option<(String, i64)>> {
  let expires = ms(expires);
  let (text, split) = sqlite_cookie(&cookie, split, expires)?;
  store
    .set(&id, &text, split, &data, expires)
    .map_err(store_error)?;
  let Cow::Owned(text) = text else {
    return Ok(None);
  };
  let offset = sqlite_split(&text, split);
  Ok(Some((text, offset)))
}

/// Gives the unexpired session `id` this cookie (as for `sqlite_set`) and
/// expiry; false when there is none.
#[napi(catch_unwind)]
pub fn sqlite_touch(
  store: &External<SqliteStore>,
  id: String,
  cookie: String,
  split: i64,
  expires: f64,
) -> Result<bool> {
  let expires = ms(expires);
  let (text, split) = sqlite_cookie(&cookie, split, expires)?;
  store
    .touch(&id, &text, split, expires, now_ms())
    .map_err(store_error)
}

/// The UTF-16 offset of a stored cookie's cut, or -1 for a whole cookie.
fn sqlite_split(cookie: &str, split: Option<usize>) -> i64 {
  split
    .and_then(|split| utf16_offset(cookie, split))
    .unwrap_or(-1)
}

/// A cookie from JavaScript as the SQLite store keeps it (see `sqlite_set`).
fn sqlite_cookie(cookie: &str, split: i64, expires: i64) -> Result<(Cow<'_, str>, Option<usize>)> {
  if split < 0 {
    return Ok(cookie_date::stored(cookie, expires));
  }
  // Kept only as cut as it reads back: `"expires":""` at the split.
  let split = byte_offset(cookie, split)
    .filter(|&split| cookie_date::is_cut_at(cookie, split))
    .ok_or_else(|| {
      Error::new(
        Status::InvalidArg,
        "the cookie's JSON has no cut date (\"expires\":\"\") at that offset",
      )
    })?;
  Ok((Cow::Borrowed(cookie), Some(split)))
}

/// The UTF-16 offset (JavaScript's) of byte `split` of `text`.
fn utf16_offset(text: &str, split: usize) -> Option<i64> {
  i64::try_from(text.get(..split)?.encode_utf16().count()).ok()
}

/// The byte of `text` at UTF-16 offset `offset`; `None` outside the text
/// or inside a character.
fn byte_offset(text: &str, offset: i64) -> Option<usize> {
  let offset = usize::try_from(offset).ok()?;
  if text.is_ascii() {
    return (offset <= text.len()).then_some(offset);
  }
  let mut units = 0;
  for (byte, character) in text.char_indices() {
    if units == offset {
      return Some(byte);
    }
    units += character.len_utf16();
  }
  (units == offset).then_some(text.len())
}

/// Removes session `id`; false when there was none.
#[napi(catch_unwind)]
pub fn sqlite_destroy(store: &External<SqliteStore>, id: String) -> Result<bool> {
  store.destroy(&id).map_err(store_error)
}

/// Removes every session.
#[napi(catch_unwind)]
pub fn sqlite_clear(store: &External<SqliteStore>) -> Result<()> {
  store.clear().map_err(store_error)
}

/// The number of unexpired sessions.
#[napi(catch_unwind)]
pub fn sqlite_count(store: &External<SqliteStore>) -> Result<u32> {
  store.count(now_ms()).map_err(store_error)
}

/// Every unexpired session, flattened: [id, cookie JSON, data JSON, …].
#[napi(catch_unwind)]
pub fn sqlite_all(store: &External<SqliteStore>) -> Result<Vec<String>> {
  store.all(now_ms()).map_err(store_error)
}

/// Starts a write transaction: the database's write lock across processes,
/// until `sqlite_end`.
#[napi(catch_unwind)]
pub fn sqlite_begin(store: &mut External<SqliteStore>) -> Result<()> {
  store.begin().map_err(store_error)
}

/// Commits (or, with `commit` false, rolls back) the open transaction.
#[napi(catch_unwind)]
pub fn sqlite_end(store: &mut External<SqliteStore>, commit: bool) -> Result<()> {
  store.end(commit).map_err(store_error)
}

/// Removes expired sessions for about `budget_ms`, while `holder` holds the
/// sweep lease (taken for `lease_ms`); true when done or another process
/// sweeps, false when the caller should call again.
#[napi(catch_unwind)]
pub fn sqlite_sweep(
  store: &External<SqliteStore>,
  holder: String,
  lease_ms: f64,
  budget_ms: f64,
) -> Result<bool> {
  let budget = Duration::from_micros((budget_ms * 1000.0).clamp(0.0, 1e6) as u64);
  store
    .sweep(&holder, now_ms(), ms(lease_ms), budget)
    .map_err(store_error)
}

/// Closes the database; every later call is an error.
#[napi(catch_unwind)]
pub fn sqlite_close(store: &mut External<SqliteStore>) {
  store.close();
}
