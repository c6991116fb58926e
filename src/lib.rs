#![deny(clippy::all)]
//! Native core of express-session-rs. This file is only the JavaScript
//! surface; each concern lives in its own module.

mod cookie;
mod id;
mod memory_store;
mod signature;

use napi::bindgen_prelude::{Buffer, Error, Result, Status};
use napi_derive::napi;

/// `flags` bit for the HttpOnly attribute.
pub const HTTP_ONLY: u32 = 1;
/// `flags` bit for the Secure attribute.
pub const SECURE: u32 = 2;
/// `flags` bit for the Partitioned attribute.
pub const PARTITIONED: u32 = 4;

fn invalid_argument(message: impl ToString) -> Error {
  Error::new(Status::InvalidArg, message.to_string())
}

/// Builds serialization attributes from the flat arguments of a call.
fn attributes<'a>(
  path: &'a Option<String>,
  domain: &'a Option<String>,
  expires: Option<f64>,
  flags: u32,
  priority: &'a Option<String>,
  same_site: &'a Option<String>,
) -> cookie::Attributes<'a> {
  cookie::Attributes {
    path: path.as_deref(),
    domain: domain.as_deref(),
    expires,
    http_only: flags & HTTP_ONLY != 0,
    secure: flags & SECURE != 0,
    partitioned: flags & PARTITIONED != 0,
    priority: priority.as_deref(),
    same_site: same_site.as_deref(),
  }
}

/// The per-`session()` state: the cookie name and the secrets. The first
/// secret signs; every secret is accepted when verifying.
#[napi]
pub struct SessionCodec {
  name: String,
  secrets: Vec<Vec<u8>>,
}

#[napi]
impl SessionCodec {
  /// Creates a codec for the cookie `name`; `secrets` must not be empty.
  #[napi(constructor, catch_unwind)]
  pub fn new(name: String, secrets: Vec<Buffer>) -> Result<Self> {
    if secrets.is_empty() {
      return Err(invalid_argument("at least one secret is required"));
    }
    Ok(SessionCodec {
      name,
      secrets: secrets.iter().map(|s| s.to_vec()).collect(),
    })
  }

  /// Reads the session ID from a raw `Cookie` header: the named cookie must
  /// hold `s:` followed by a value signed with one of the secrets. Anything
  /// else, however malformed, gives `null`.
  #[napi(catch_unwind)]
  pub fn read_session_id(&self, header: String) -> Option<String> {
    let value = cookie::find(&header, &self.name)?;
    let signed = value.strip_prefix("s:")?;
    signature::unsign(signed, &self.secrets).map(str::to_owned)
  }

  /// Returns the value of `value.signature` when the signature is valid for
  /// one of the secrets, or `null`.
  #[napi(catch_unwind)]
  pub fn unsign(&self, signed: String) -> Option<String> {
    signature::unsign(&signed, &self.secrets).map(str::to_owned)
  }

  /// Signs `value` with the first secret: `value.signature`.
  #[napi(catch_unwind)]
  pub fn sign(&self, value: String) -> String {
    signature::sign(&value, &self.secrets[0])
  }
}

/// Renders the `Set-Cookie` value for session `id` with `codec`'s name and
/// first secret: the cookie holds `s:` + the signed ID, URI-encoded. `flags`
/// combines HTTP_ONLY, SECURE and PARTITIONED; `expires` is in milliseconds
/// (NaN: invalid date). Throws with the `cookie` package's message when an
/// attribute is invalid.
#[napi(catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn sign_session_cookie(
  codec: &SessionCodec,
  id: String,
  path: Option<String>,
  domain: Option<String>,
  expires: Option<f64>,
  flags: u32,
  priority: Option<String>,
  same_site: Option<String>,
) -> Result<String> {
  let mut value = String::with_capacity(id.len() + 64);
  cookie::encode_uri_component("s:", &mut value);
  cookie::encode_uri_component(&signature::sign(&id, &codec.secrets[0]), &mut value);
  let attributes = attributes(&path, &domain, expires, flags, &priority, &same_site);
  cookie::serialize(&codec.name, &value, &attributes).map_err(invalid_argument)
}

/// Renders a `Set-Cookie` value for `name` and a plain `value`
/// (URI-encoded here), with the same attributes as `signSessionCookie`.
#[napi(catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn serialize_cookie(
  name: String,
  value: String,
  path: Option<String>,
  domain: Option<String>,
  expires: Option<f64>,
  flags: u32,
  priority: Option<String>,
  same_site: Option<String>,
) -> Result<String> {
  let mut encoded = String::with_capacity(value.len());
  cookie::encode_uri_component(&value, &mut encoded);
  let attributes = attributes(&path, &domain, expires, flags, &priority, &same_site);
  cookie::serialize(&name, &encoded, &attributes).map_err(invalid_argument)
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

/// The MemoryStore's storage: sessions as JSON text with an expiry index and
/// optional least-recently-used bounds.
#[napi]
pub struct MemoryStorage {
  storage: memory_store::Storage,
}

#[napi]
impl MemoryStorage {
  /// A storage bounded to `max_entries` sessions and `max_bytes` bytes of IDs
  /// and JSON; 0 means no bound.
  #[napi(constructor, catch_unwind)]
  pub fn new(max_entries: u32, max_bytes: f64) -> Self {
    let max_bytes = if max_bytes.is_finite() && max_bytes > 0.0 {
      max_bytes as usize
    } else {
      0
    };
    MemoryStorage {
      storage: memory_store::Storage::new(max_entries as usize, max_bytes),
    }
  }

  /// The session's JSON (`{"cookie":…,…data}`), or null when absent or
  /// expired (an expired session is removed).
  #[napi(catch_unwind)]
  pub fn get(&mut self, sid: String) -> Option<String> {
    self
      .storage
      .get(&sid, now_ms())
      .map(|(cookie, data)| memory_store::session_json(cookie, data))
  }

  /// Stores a session from its cookie JSON (empty: none) and the JSON of the
  /// rest, expiring at `expires` (ms since the epoch).
  #[napi(catch_unwind)]
  pub fn set(&mut self, sid: String, cookie: String, data: String, expires: f64) -> Result<()> {
    self
      .storage
      .set(&sid, &cookie, &data, expires as i64)
      .map_err(invalid_argument)
  }

  /// Replaces the cookie JSON and expiry of a stored session; false when
  /// there is none.
  #[napi(catch_unwind)]
  pub fn touch(&mut self, sid: String, cookie: String, expires: f64) -> bool {
    self.storage.touch(&sid, &cookie, expires as i64, now_ms())
  }

  /// Removes a session; false when there was none.
  #[napi(catch_unwind)]
  pub fn destroy(&mut self, sid: String) -> bool {
    self.storage.remove(&sid)
  }

  /// Removes every expired session, returns how many, and hands the freed
  /// memory back to the operating system after a large sweep.
  #[napi(catch_unwind)]
  pub fn sweep(&mut self) -> u32 {
    let (removed, bytes) = self.storage.sweep(now_ms());
    if bytes >= memory_store::TRIM_THRESHOLD {
      memory_store::release_free_memory();
    }
    u32::try_from(removed).unwrap_or(u32::MAX)
  }

  /// Removes every session.
  #[napi(catch_unwind)]
  pub fn clear(&mut self) {
    self.storage.clear();
    memory_store::release_free_memory();
  }

  /// Number of unexpired sessions (expired ones are swept first).
  #[napi(catch_unwind)]
  pub fn count(&mut self) -> u32 {
    self.storage.sweep(now_ms());
    u32::try_from(self.storage.len()).unwrap_or(u32::MAX)
  }

  /// Bytes of IDs and JSON held.
  #[napi(catch_unwind)]
  pub fn bytes(&self) -> f64 {
    self.storage.bytes() as f64
  }

  /// Every unexpired session, flattened: [id, json, id, json, …].
  #[napi(catch_unwind)]
  pub fn all(&self) -> Vec<String> {
    let mut out = Vec::with_capacity(self.storage.len() * 2);
    for (sid, cookie, data) in self.storage.entries(now_ms()) {
      out.push(sid.to_owned());
      out.push(memory_store::session_json(cookie, data));
    }
    out
  }
}
