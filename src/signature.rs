//! Cookie signatures in the format of cookie-signature 1.0.x:
//! `value + "." + base64(HMAC-SHA256(secret, value))` with the `=` padding removed.
//!
//! Verification recomputes the signature for every secret and compares it in
//! constant time, so a forged cookie learns nothing from the response time.

use base64::{engine::general_purpose::STANDARD_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Length of an encoded signature: 32 bytes of HMAC-SHA256 as unpadded base64.
const SIGNATURE_LEN: usize = 43;

/// A secret, with its HMAC key schedule computed once.
#[derive(Clone)]
pub struct Key(Hmac<Sha256>);

impl Key {
  /// Prepares `secret` (any bytes; HMAC accepts keys of every length).
  pub fn new(secret: &[u8]) -> Option<Self> {
    Hmac::<Sha256>::new_from_slice(secret).ok().map(Key)
  }

  /// The encoded signature of `value`.
  fn signature(&self, value: &[u8]) -> [u8; SIGNATURE_LEN] {
    let mut mac = self.0.clone();
    mac.update(value);
    let digest = mac.finalize().into_bytes();
    let mut out = [0u8; SIGNATURE_LEN];
    // 32 bytes always encode to exactly SIGNATURE_LEN characters.
    if STANDARD_NO_PAD.encode_slice(digest, &mut out).is_err() {
      out = [0u8; SIGNATURE_LEN];
    }
    out
  }
}

/// Signs `value` with `key`: `value.signature`.
pub fn sign(value: &str, key: &Key) -> String {
  let signature = key.signature(value.as_bytes());
  let mut out = String::with_capacity(value.len() + 1 + SIGNATURE_LEN);
  out.push_str(value);
  out.push('.');
  // The signature is base64, hence ASCII.
  out.extend(signature.iter().map(|&b| b as char));
  out
}

/// Returns the value inside a signed string when its signature is valid for
/// one of `keys`, or `None`. Every key is tried, so the time taken does not
/// depend on which one matched.
pub fn unsign<'a>(input: &'a str, keys: &[Key]) -> Option<&'a str> {
  let dot = input.rfind('.')?;
  let (value, signature) = (&input[..dot], &input.as_bytes()[dot + 1..]);
  if signature.len() != SIGNATURE_LEN {
    return None;
  }
  let mut valid = subtle::Choice::from(0);
  for key in keys {
    valid |= key.signature(value.as_bytes()).ct_eq(signature);
  }
  if bool::from(valid) {
    Some(value)
  } else {
    None
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  // Vectors produced by cookie-signature 1.0.7: require('cookie-signature').sign(value, secret)
  const VECTORS: &[(&str, &str, &str)] = &[
    (
      "hello",
      "tobiiscool",
      "hello.DGDUkGlIkCzPz+C0B064FNgHdEjox7ch8tOBGslZ5QI",
    ),
    (
      "",
      "keyboard cat",
      ".aJcKKTu8Uv0mRiw7LTI435t+pOa+giU/WLAuLCKGEFc",
    ),
    (
      "2GFLXtImeFcdzmGGVJE2C4Txn8CPOIfz",
      "keyboard cat",
      "2GFLXtImeFcdzmGGVJE2C4Txn8CPOIfz.41runfrs9+min/s3SRVPxwOVVleJfpwp6mVd+KIUj04",
    ),
    (
      "caf\u{e9}.\u{2603}",
      "s\u{e9}cret",
      "caf\u{e9}.\u{2603}.EnQRDs0n1nkYmwTIUbCUiN+oEhyVfQanF/E/fx06gpI",
    ),
  ];

  fn key(secret: &str) -> Key {
    Key::new(secret.as_bytes()).unwrap_or_else(|| panic!("key"))
  }

  #[test]
  fn sign_matches_cookie_signature() {
    for (value, secret, signed) in VECTORS {
      assert_eq!(sign(value, &key(secret)), *signed, "value {value:?}");
    }
  }

  #[test]
  fn unsign_accepts_own_signatures_with_any_secret() {
    for (value, secret, signed) in VECTORS {
      let keys = [key("other"), key(secret)];
      assert_eq!(unsign(signed, &keys), Some(*value));
    }
  }

  #[test]
  fn unsign_rejects_tampering() {
    let (_, secret, signed) = VECTORS[2];
    let secret = [key(secret)];
    assert_eq!(unsign(signed, &[key("wrong")]), None);
    assert_eq!(unsign(signed, &[]), None);
    for i in 0..signed.len() {
      let mut bytes = signed.as_bytes().to_vec();
      bytes[i] ^= 0x01;
      if let Ok(tampered) = std::str::from_utf8(&bytes) {
        assert_eq!(unsign(tampered, &secret), None, "flipped byte {i}");
      }
    }
    assert_eq!(unsign("no-dot-here", &secret), None);
    assert_eq!(unsign(&signed[..signed.len() - 1], &secret), None);
    assert_eq!(unsign(&format!("{signed}A"), &secret), None);
  }
}
