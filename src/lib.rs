#![deny(clippy::all)]
#![deny(unsafe_code)]
//! Native core of express-session-rs. This file is only the JavaScript
//! surface; each concern lives in its own module.
//!
//! Hot calls take their strings from the scratch buffer (see `scratch`) and
//! their state as an `External`, because string arguments and class receivers
//! are the expensive part of a Node-API call.

mod cookie;
mod date;
mod id;
mod memory_store;
#[cfg(test)]
mod properties;
mod scratch;
mod session_cookie;
mod signature;

use napi::bindgen_prelude::{Buffer, Error, External, Result, Status};
use napi_derive::napi;

use memory_store::{Storage, StoredCookie, Touch};
use scratch::Input;
use session_cookie::SessionCookie;

/// `flags` bit for the HttpOnly attribute.
const HTTP_ONLY: u32 = 1;
/// `flags` bit for the Secure attribute.
const SECURE: u32 = 2;
/// `flags` bit for the Partitioned attribute.
const PARTITIONED: u32 = 4;
/// `flags` bit saying an Expires attribute is given.
const HAS_EXPIRES: u32 = 8;

fn invalid_argument(message: impl ToString) -> Error {
  Error::new(Status::InvalidArg, message.to_string())
}

fn unreadable_input() -> Error {
  invalid_argument("express-session-rs: unreadable scratch input")
}

/// Runs `f` on the scratch input, as an error when there is none.
fn input<R>(f: impl FnOnce(&Input<'_>) -> Result<R>) -> Result<R> {
  scratch::with_input(f).unwrap_or_else(|| Err(unreadable_input()))
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
    expires: if flags & HAS_EXPIRES != 0 {
      Some(expires)
    } else {
      None
    },
    http_only: flags & HTTP_ONLY != 0,
    secure: flags & SECURE != 0,
    partitioned: flags & PARTITIONED != 0,
    priority: present(priority),
    same_site: present(same_site),
  }
}

/// Makes `buffer` the scratch buffer that hot calls read their strings from.
#[napi(catch_unwind)]
pub fn attach_scratch(buffer: Buffer) {
  scratch::attach(buffer);
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
/// else, however malformed.
#[napi(catch_unwind)]
pub fn read_session_id(codec: &External<SessionCookie>) -> Option<String> {
  scratch::with_input(|input| {
    let [header] = input.strings()?;
    codec.read_id(header)
  })
  .flatten()
}

/// Scratch: [value.signature]. The value when one of the secrets signed it,
/// or null.
#[napi(catch_unwind)]
pub fn unsign_value(codec: &External<SessionCookie>) -> Option<String> {
  scratch::with_input(|input| {
    let [signed] = input.strings()?;
    codec.unsign(signed).map(str::to_owned)
  })
  .flatten()
}

/// Scratch: [value]. `value.signature` with the first secret.
#[napi(catch_unwind)]
pub fn sign_value(codec: &External<SessionCookie>) -> Result<String> {
  input(|input| {
    let [value] = input.strings().ok_or_else(unreadable_input)?;
    Ok(codec.sign(value))
  })
}

/// Scratch: [id, path, domain, priority, sameSite], slot 5 expires (ms),
/// slot 6 flags. The session's `Set-Cookie` value; throws with the `cookie`
/// package's message when an attribute is invalid.
#[napi(catch_unwind)]
pub fn render_session_cookie(codec: &External<SessionCookie>) -> Result<String> {
  input(|input| {
    let [id, path, domain, priority, same_site] = input.strings().ok_or_else(unreadable_input)?;
    let attributes = attributes(
      [path, domain, priority, same_site],
      input.number(5),
      input.number(6),
    );
    codec.render(id, &attributes).map_err(invalid_argument)
  })
}

/// Scratch: [name, value, path, domain, priority, sameSite], slot 6 expires
/// (ms), slot 7 flags. A `Set-Cookie` value for a plain value (URI-encoded
/// here), as `cookie.serialize` renders it.
#[napi(catch_unwind)]
pub fn render_cookie() -> Result<String> {
  input(|input| {
    let [name, value, path, domain, priority, same_site] =
      input.strings().ok_or_else(unreadable_input)?;
    let attributes = attributes(
      [path, domain, priority, same_site],
      input.number(6),
      input.number(7),
    );
    let mut encoded = String::with_capacity(value.len());
    cookie::encode_uri_component(value, &mut encoded);
    cookie::serialize(name, &encoded, &attributes).map_err(invalid_argument)
  })
}

/// Fills `out` with as many 32-character session IDs as fit and returns the
/// count: 24 bytes from the OS CSPRNG each, URL-safe base64.
#[napi(catch_unwind)]
pub fn fill_session_ids(mut out: Buffer) -> Result<u32> {
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

/// Scratch: [sid]. The session's JSON (`{"cookie":…,…data}`), or null when
/// absent or expired (an expired session is removed).
#[napi(catch_unwind)]
pub fn storage_get(storage: &mut External<Storage>) -> Option<String> {
  scratch::with_input(|input| {
    let [sid] = input.strings()?;
    storage
      .get(sid, now_ms())
      .map(|(cookie, data)| memory_store::session_json(&cookie, data))
  })
  .flatten()
}

/// Scratch: [sid]. What the middleware loads: the data JSON with slot 0 the
/// expiry (ms) and slot 1 the cookie's template id, or, for a cookie kept
/// whole, the session's JSON as `storageGet` gives it with slot 1 set to -1.
/// Null when absent or expired.
#[napi(catch_unwind)]
pub fn storage_load(storage: &mut External<Storage>) -> Option<String> {
  let (json, slots) = scratch::with_input(|input| {
    let [sid] = input.strings()?;
    storage
      .load(sid, now_ms())
      .map(|(cookie, data)| match cookie {
        StoredCookie::Template { id, expires } => (data.to_owned(), [expires as f64, id as f64]),
        StoredCookie::Json(cookie) => (
          memory_store::session_json(&cookie, data),
          [memory_store::data_offset(&cookie, data) as f64, -1.0],
        ),
      })
  })
  .flatten()?;
  scratch::write_number(0, slots[0]);
  scratch::write_number(1, slots[1]);
  Some(json)
}

/// The JSON of cookie template `id` without its date, with slot 0 the UTF-16
/// offset where the date goes; null when no session uses it any more.
#[napi(catch_unwind)]
pub fn storage_template(storage: &External<Storage>, id: f64) -> Option<String> {
  let (text, split) = storage.template(id as u64)?.parts();
  let offset = text.get(..split)?.encode_utf16().count();
  scratch::write_number(0, offset as f64);
  Some(text.to_owned())
}

/// Scratch: [sid], slot 1 template id, slot 2 expires (ms). Gives a stored
/// session the cookie of that template and the expiry: true when done, false
/// when there is no such session, null when the template cannot be used
/// (then `storageTouch` with the cookie's JSON can).
#[napi(catch_unwind)]
pub fn storage_touch_template(storage: &mut External<Storage>) -> Result<Option<bool>> {
  input(|input| {
    let [sid] = input.strings().ok_or_else(unreadable_input)?;
    let id = input.number(1) as u64;
    Ok(
      match storage.touch_template(sid, id, input.number(2) as i64, now_ms()) {
        Touch::Touched => Some(true),
        Touch::Missing => Some(false),
        Touch::UnknownTemplate => None,
      },
    )
  })
}

/// Scratch: [sid, cookie JSON (empty: none), data JSON], slot 3 expires (ms).
/// Stores the session; throws when it alone exceeds the byte bound. Leaves
/// in slot 0 the id of the cookie's template, or -1 when it has none.
#[napi(catch_unwind)]
pub fn storage_set(storage: &mut External<Storage>) -> Result<()> {
  let template = input(|input| {
    let [sid, cookie, data] = input.strings().ok_or_else(unreadable_input)?;
    storage
      .set(sid, cookie, data, input.number(3) as i64)
      .map_err(invalid_argument)
  })?;
  scratch::write_number(0, template.map_or(-1.0, |id| id as f64));
  Ok(())
}

/// Scratch: [sid, data JSON], slot 2 template id, slot 3 expires (ms). Like
/// `storageSet` with the cookie of that template: false, storing nothing,
/// when the template cannot be used (then `storageSet` can).
#[napi(catch_unwind)]
pub fn storage_set_template(storage: &mut External<Storage>) -> Result<bool> {
  input(|input| {
    let [sid, data] = input.strings().ok_or_else(unreadable_input)?;
    storage
      .set_template(sid, input.number(2) as u64, data, input.number(3) as i64)
      .map_err(invalid_argument)
  })
}

/// Scratch: [sid, cookie JSON], slot 2 expires (ms). Replaces the cookie and
/// expiry of a stored session; false when there is none.
#[napi(catch_unwind)]
pub fn storage_touch(storage: &mut External<Storage>) -> Result<bool> {
  input(|input| {
    let [sid, cookie] = input.strings().ok_or_else(unreadable_input)?;
    Ok(storage.touch(sid, cookie, input.number(2) as i64, now_ms()))
  })
}

/// Scratch: [sid]. Removes a session; false when there was none.
#[napi(catch_unwind)]
pub fn storage_destroy(storage: &mut External<Storage>) -> Result<bool> {
  input(|input| {
    let [sid] = input.strings().ok_or_else(unreadable_input)?;
    Ok(storage.remove(sid))
  })
}

/// Removes every expired session, returns how many, and hands the freed
/// memory back to the operating system after a large sweep.
#[napi(catch_unwind)]
pub fn storage_sweep(storage: &mut External<Storage>) -> u32 {
  let (removed, bytes) = storage.sweep(now_ms());
  if bytes >= memory_store::TRIM_THRESHOLD {
    memory_store::release_free_memory();
  }
  u32::try_from(removed).unwrap_or(u32::MAX)
}

/// Removes every session.
#[napi(catch_unwind)]
pub fn storage_clear(storage: &mut External<Storage>) {
  storage.clear();
  memory_store::release_free_memory();
}

/// Number of unexpired sessions (expired ones are swept first).
#[napi(catch_unwind)]
pub fn storage_count(storage: &mut External<Storage>) -> u32 {
  storage.sweep(now_ms());
  u32::try_from(storage.len()).unwrap_or(u32::MAX)
}

/// What the storage holds right now, expired sessions included until swept:
/// [sessions, bytes of IDs and JSON].
#[napi(catch_unwind)]
pub fn storage_usage(storage: &External<Storage>) -> Vec<f64> {
  vec![storage.len() as f64, storage.bytes() as f64]
}

/// Every unexpired session, flattened: [id, json, id, json, …].
#[napi(catch_unwind)]
pub fn storage_all(storage: &External<Storage>) -> Vec<String> {
  let mut out = Vec::with_capacity(storage.len() * 2);
  for (sid, cookie, data) in storage.entries(now_ms()) {
    out.push(sid.to_owned());
    out.push(memory_store::session_json(&cookie, data));
  }
  out
}
