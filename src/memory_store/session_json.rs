//! The session JSON that `get` gives: the stored cookie JSON and data JSON
//! joined, cookie first.

/// Where the data's members start in `session_json(cookie, data)`, in UTF-16
/// code units: `"{" + json.slice(index)` is the data JSON again.
pub fn data_offset(cookie: &str, data: &str) -> usize {
  if cookie.is_empty() {
    return 1;
  }
  let comma = usize::from(data != "{}");
  "{\"cookie\":".len() + cookie.encode_utf16().count() + comma
}

/// Joins a stored cookie JSON (empty: none) and data JSON into the session's
/// JSON, cookie first.
pub fn session_json(cookie: &str, data: &str) -> String {
  if cookie.is_empty() {
    return data.to_owned();
  }
  let rest = data.strip_prefix('{').unwrap_or("}");
  let mut out = String::with_capacity(cookie.len() + data.len() + 11);
  out.push_str("{\"cookie\":");
  out.push_str(cookie);
  if rest != "}" {
    out.push(',');
  }
  out.push_str(rest);
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn data_offset_finds_the_data_again() {
    for (cookie, data) in [
      ("{\"p\":\"\u{e9}\u{1F600}\"}", "{\"a\":1}"),
      ("{}", "{}"),
      ("", "{\"a\":1}"),
      ("{}", "{\"b\":[1]}"),
    ] {
      let json: Vec<u16> = session_json(cookie, data).encode_utf16().collect();
      let rest = String::from_utf16_lossy(&json[data_offset(cookie, data)..]);
      assert_eq!(format!("{{{rest}"), data);
    }
  }

  #[test]
  fn joins_cookie_and_data() {
    assert_eq!(
      session_json("{\"path\":\"/\"}", "{}"),
      "{\"cookie\":{\"path\":\"/\"}}"
    );
    assert_eq!(session_json("{}", "{\"a\":1}"), "{\"cookie\":{},\"a\":1}");
    assert_eq!(session_json("", "{\"a\":1}"), "{\"a\":1}");
  }
}
