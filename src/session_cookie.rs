//! The session cookie of one `session()` middleware: its name and secrets.
//! Reading takes a raw `Cookie` header to a verified session ID; writing takes
//! an ID to the `Set-Cookie` value express-session renders
//! (`name=s%3A<id>.<signature>; attributes`).

use crate::cookie::{self, Attributes, SerializeError};
use crate::signature::{self, Key};

/// Name and secrets; the first secret signs, every secret verifies.
pub struct SessionCookie {
  name: String,
  keys: Vec<Key>,
}

impl SessionCookie {
  /// `None` when `secrets` is empty.
  pub fn new(name: String, secrets: &[&[u8]]) -> Option<Self> {
    let keys = secrets
      .iter()
      .map(|secret| Key::new(secret))
      .collect::<Option<Vec<_>>>()?;
    if keys.is_empty() {
      return None;
    }
    Some(SessionCookie { name, keys })
  }

  /// The session ID in a `Cookie` header: the first cookie with the name,
  /// decoded, must be `s:` + a value signed with one of the secrets.
  pub fn read_id(&self, header: &str) -> Option<String> {
    let value = cookie::find(header, &self.name)?;
    let signed = value.strip_prefix("s:")?;
    signature::unsign(signed, &self.keys).map(str::to_owned)
  }

  /// The value inside `value.signature` when one of the secrets signed it.
  pub fn unsign<'a>(&self, signed: &'a str) -> Option<&'a str> {
    signature::unsign(signed, &self.keys)
  }

  /// `value.signature` with the first secret.
  pub fn sign(&self, value: &str) -> String {
    signature::sign(value, &self.keys[0])
  }

  /// The `Set-Cookie` value for session `id`.
  pub fn render(&self, id: &str, attributes: &Attributes<'_>) -> Result<String, SerializeError> {
    let mut value = String::with_capacity(id.len() + 64);
    cookie::encode_uri_component("s:", &mut value);
    cookie::encode_uri_component(&self.sign(id), &mut value);
    cookie::serialize(&self.name, &value, attributes)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn session_cookie() -> SessionCookie {
    SessionCookie::new("connect.sid".into(), &[b"keyboard cat", b"old"])
      .unwrap_or_else(|| panic!("session_cookie"))
  }

  #[test]
  fn renders_what_it_reads() {
    let session_cookie = session_cookie();
    let attributes = Attributes {
      path: Some("/"),
      http_only: true,
      ..Attributes::default()
    };
    let header = session_cookie
      .render("apple", &attributes)
      .unwrap_or_default();
    // Known answer from express-session 1.19.0 with genid () => 'apple'.
    assert_eq!(
      header,
      "connect.sid=s%3Aapple.D8Y%2BpkTAmeR0PobOhY4G97PRW%2Bj7bUnP%2F5m6%2FOn1MCU; Path=/; HttpOnly"
    );
    let pair = header.split(';').next().unwrap_or_default();
    assert_eq!(
      session_cookie.read_id(&format!("a=b; {pair}")).as_deref(),
      Some("apple")
    );
  }

  #[test]
  fn reads_ids_signed_by_older_secrets_only_with_s_prefix() {
    let session_cookie = session_cookie();
    let old = SessionCookie::new("connect.sid".into(), &[b"old"])
      .unwrap_or_else(|| panic!("session_cookie"));
    let signed = old.sign("id-1");
    assert_eq!(
      session_cookie
        .read_id(&format!("connect.sid=s:{signed}"))
        .as_deref(),
      Some("id-1")
    );
    assert_eq!(
      session_cookie.read_id(&format!("connect.sid={signed}")),
      None
    );
    assert_eq!(session_cookie.read_id("connect.sid=s%3A"), None);
    assert!(SessionCookie::new("n".into(), &[]).is_none());
  }
}
