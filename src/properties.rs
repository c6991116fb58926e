//! Property tests over hostile input: nothing a request can send makes the
//! core panic, and signatures survive round trips and reject any change.

use proptest::prelude::*;

use crate::cookie::{self, Attributes};
use crate::memory_store::Storage;
use crate::scratch::Input;
use crate::session_cookie::SessionCookie;
use crate::signature::{self, Key};

const EMPTY: &str = "{}";
const DATA: &str = "{\"v\":1}";

fn key(secret: &[u8]) -> Key {
  Key::new(secret).unwrap_or_else(|| panic!("HMAC takes any key"))
}

/// Cookie-header-like strings: mostly the characters that matter to parsing.
fn header() -> impl Strategy<Value = String> {
  proptest::collection::vec(
    prop_oneof![
      Just(";".to_owned()),
      Just("=".to_owned()),
      Just(" ".to_owned()),
      Just("\t".to_owned()),
      Just("\"".to_owned()),
      Just("%".to_owned()),
      Just("s:".to_owned()),
      Just("s%3A".to_owned()),
      Just("connect.sid".to_owned()),
      "[0-9A-Fa-f]{1,2}",
      any::<char>().prop_map(String::from),
    ],
    0..40,
  )
  .prop_map(|parts| parts.concat())
}

proptest! {
  #![proptest_config(ProptestConfig::with_cases(2000))]

  #[test]
  fn parsing_any_header_never_panics(header in header(), raw in ".*") {
    let session_cookie = SessionCookie::new("connect.sid".into(), &[b"secret"]).unwrap_or_else(|| panic!("session_cookie"));
    let _ = session_cookie.read_id(&header);
    let _ = session_cookie.read_id(&raw);
    let _ = cookie::find(&header, "connect.sid");
    let _ = cookie::decode_uri_component(&raw);
  }

  #[test]
  fn found_values_come_from_the_header(header in header()) {
    if let Some(raw) = cookie::find_raw(&header, "connect.sid") {
      prop_assert!(header.contains(raw));
    }
  }

  #[test]
  fn verify_of_sign_gives_the_value_back_for_every_secret(
    value in ".*",
    secrets in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..80), 1..4),
    which in any::<prop::sample::Index>(),
  ) {
    let keys: Vec<Key> = secrets.iter().map(|s| key(s)).collect();
    let signer = &keys[which.index(keys.len())];
    let signed = signature::sign(&value, signer);
    prop_assert_eq!(signature::unsign(&signed, &keys), Some(value.as_str()));
  }

  #[test]
  fn verify_rejects_any_single_byte_change(value in "[ -~]{0,40}", at in any::<prop::sample::Index>(), delta in 1u8..=255) {
    let keys = [key(b"first"), key(b"second")];
    let signed = signature::sign(&value, &keys[1]);
    let mut bytes = signed.clone().into_bytes();
    let i = at.index(bytes.len());
    bytes[i] = bytes[i].wrapping_add(delta);
    if let Ok(changed) = String::from_utf8(bytes) {
      prop_assert_eq!(signature::unsign(&changed, &keys), None);
    }
  }

  #[test]
  fn serializing_anything_never_panics(
    name in ".*", value in ".*", path in ".*", domain in ".*", priority in ".*", same_site in ".*",
    expires in any::<f64>(), flags in any::<u8>(),
  ) {
    let attributes = Attributes {
      path: Some(&path),
      domain: Some(&domain),
      expires: Some(expires),
      http_only: flags & 1 != 0,
      secure: flags & 2 != 0,
      partitioned: flags & 4 != 0,
      priority: Some(&priority),
      same_site: Some(&same_site),
    };
    let mut encoded = String::new();
    cookie::encode_uri_component(&value, &mut encoded);
    let _ = cookie::serialize(&name, &encoded, &attributes);
  }

  #[test]
  fn any_scratch_bytes_are_read_without_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
    if let Some(input) = Input::parse(&bytes) {
      let _ = input.strings::<3>();
      let _ = input.number(7);
    }
  }

  #[test]
  fn storage_agrees_with_a_map(ops in proptest::collection::vec((0u8..4, 0u8..6, 0i64..20), 0..60)) {
    let mut storage = Storage::new(0, 0);
    let mut model = std::collections::HashMap::new();
    for (op, id, expires) in ops {
      let sid = format!("id{id}");
      match op {
        0 => {
          let stored = storage.set(&sid, EMPTY, DATA, expires + 10);
          prop_assert!(stored.is_ok());
          model.insert(sid, expires + 10);
        }
        1 => {
          prop_assert_eq!(storage.remove(&sid), model.remove(&sid).is_some());
        }
        2 => {
          let now = expires;
          let stored = model.get(&sid).copied();
          let found = storage.get(&sid, now).is_some();
          prop_assert_eq!(found, stored.is_some_and(|e| e > now));
          if stored.is_some_and(|e| e <= now) {
            model.remove(&sid);
          }
        }
        _ => {
          let now = expires;
          storage.sweep(now);
          model.retain(|_, e| *e > now);
        }
      }
      prop_assert_eq!(storage.len(), model.len());
      let expected_bytes: usize = model.keys().map(|k| k.len() + EMPTY.len() + DATA.len()).sum();
      prop_assert_eq!(storage.bytes(), expected_bytes);
    }
  }
}
