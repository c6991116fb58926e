//! The `Cookie` request header and the `Set-Cookie` response header, with the
//! rules of the `cookie` 0.7 npm package:
//! - lookup: pairs split on `;`, names and values trimmed of spaces and tabs,
//!   the first pair with the name wins, one pair of surrounding quotes is
//!   stripped, and a value with `%` is decoded like `decodeURIComponent`,
//!   staying as it is when that fails;
//! - serialization: the same validation and attribute order, with values
//!   encoded like `encodeURIComponent`.

use std::borrow::Cow;
use std::fmt;

use crate::date;

/// Finds the raw (still encoded) value of the first cookie called `name`.
pub fn find_raw<'a>(header: &'a str, name: &str) -> Option<&'a str> {
  let bytes = header.as_bytes();
  let len = bytes.len();
  if len < 2 {
    return None;
  }
  let mut index = 0;
  while index < len {
    let eq = index + bytes[index..].iter().position(|&b| b == b'=')?;
    let end = bytes[index..]
      .iter()
      .position(|&b| b == b';')
      .map_or(len, |p| index + p);
    if eq > end {
      // This segment has no `=`: resume after the last `;` before the `=`.
      index = bytes[..eq]
        .iter()
        .rposition(|&b| b == b';')
        .map_or(0, |p| p + 1);
      continue;
    }
    let key_start = skip_blank_forward(bytes, index, eq);
    let key_end = skip_blank_backward(bytes, eq, key_start);
    if &header[key_start..key_end] == name {
      let mut start = skip_blank_forward(bytes, eq + 1, end);
      let mut stop = skip_blank_backward(bytes, end, start);
      if bytes.get(start) == Some(&b'"') && stop > 0 && bytes[stop - 1] == b'"' {
        start += 1;
        stop -= 1;
      }
      return Some(if start < stop {
        &header[start..stop]
      } else {
        ""
      });
    }
    index = end + 1;
  }
  None
}

/// First index in `from..max` that is not a space or tab, or `max`.
fn skip_blank_forward(bytes: &[u8], from: usize, max: usize) -> usize {
  (from..max)
    .find(|&i| bytes[i] != b' ' && bytes[i] != b'\t')
    .unwrap_or(max)
}

/// One past the last index in `min..to` that is not a space or tab, or `min`.
fn skip_blank_backward(bytes: &[u8], to: usize, min: usize) -> usize {
  (min..to)
    .rev()
    .find(|&i| bytes[i] != b' ' && bytes[i] != b'\t')
    .map_or(min, |i| i + 1)
}

/// Finds the first cookie called `name` and decodes its value.
pub fn find<'a>(header: &'a str, name: &str) -> Option<Cow<'a, str>> {
  find_raw(header, name).map(decode_value)
}

/// Decodes a cookie value like the `cookie` package: `decodeURIComponent`
/// when it holds a `%`, and the value unchanged when that decoding fails.
pub fn decode_value(raw: &str) -> Cow<'_, str> {
  if !raw.contains('%') {
    return Cow::Borrowed(raw);
  }
  match decode_uri_component(raw) {
    Some(decoded) => Cow::Owned(decoded),
    None => Cow::Borrowed(raw),
  }
}

fn hex_value(b: u8) -> Option<u8> {
  match b {
    b'0'..=b'9' => Some(b - b'0'),
    b'a'..=b'f' => Some(b - b'a' + 10),
    b'A'..=b'F' => Some(b - b'A' + 10),
    _ => None,
  }
}

/// Reads the `%XX` escape at `at`, if there is one.
fn escaped_byte(bytes: &[u8], at: usize) -> Option<u8> {
  if bytes.get(at) != Some(&b'%') {
    return None;
  }
  let high = hex_value(*bytes.get(at + 1)?)?;
  let low = hex_value(*bytes.get(at + 2)?)?;
  Some(high << 4 | low)
}

/// `decodeURIComponent`: `None` where JavaScript throws a URIError (a broken
/// escape, or escapes that are not one well-formed UTF-8 sequence).
pub fn decode_uri_component(input: &str) -> Option<String> {
  let bytes = input.as_bytes();
  let mut out = Vec::with_capacity(bytes.len());
  let mut i = 0;
  while i < bytes.len() {
    if bytes[i] != b'%' {
      out.push(bytes[i]);
      i += 1;
      continue;
    }
    let lead = escaped_byte(bytes, i)?;
    i += 3;
    let width = match lead.leading_ones() {
      0 => 1,
      n @ 2..=4 => n as usize,
      _ => return None,
    };
    let mut sequence = [lead, 0, 0, 0];
    for slot in sequence.iter_mut().take(width).skip(1) {
      let next = escaped_byte(bytes, i)?;
      if next & 0xC0 != 0x80 {
        return None;
      }
      *slot = next;
      i += 3;
    }
    // Rejects overlong forms, surrogates and code points past U+10FFFF.
    std::str::from_utf8(&sequence[..width]).ok()?;
    out.extend_from_slice(&sequence[..width]);
  }
  String::from_utf8(out).ok()
}

/// `encodeURIComponent` of a well-formed string.
pub fn encode_uri_component(input: &str, out: &mut String) {
  const HEX: &[u8; 16] = b"0123456789ABCDEF";
  for &b in input.as_bytes() {
    if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
      out.push(b as char);
    } else {
      out.push('%');
      out.push(HEX[usize::from(b >> 4)] as char);
      out.push(HEX[usize::from(b & 15)] as char);
    }
  }
}

/// Why a cookie cannot be serialized; the messages are the `cookie` package's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerializeError {
  Name,
  Domain,
  Path,
  Expires,
  Priority,
  SameSite,
}

impl fmt::Display for SerializeError {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(match self {
      SerializeError::Name => "argument name is invalid",
      SerializeError::Domain => "option domain is invalid",
      SerializeError::Path => "option path is invalid",
      SerializeError::Expires => "option expires is invalid",
      SerializeError::Priority => "option priority is invalid",
      SerializeError::SameSite => "option sameSite is invalid",
    })
  }
}

/// The attributes of a `Set-Cookie` header, as express-session's `cookie.data`
/// hands them over (the `Max-Age` attribute is never rendered there).
#[derive(Debug, Default, Clone, Copy)]
pub struct Attributes<'a> {
  pub path: Option<&'a str>,
  pub domain: Option<&'a str>,
  /// Milliseconds since the epoch; `NaN` is an invalid date.
  pub expires: Option<f64>,
  pub http_only: bool,
  pub secure: bool,
  pub partitioned: bool,
  pub priority: Option<&'a str>,
  pub same_site: Option<&'a str>,
}

/// A cookie name is an RFC 7230 token.
pub fn is_valid_name(name: &str) -> bool {
  !name.is_empty()
    && name
      .bytes()
      .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// One label of a domain: alphanumerics with inner hyphens, at most 63 long.
fn is_valid_label(label: &str) -> bool {
  let bytes = label.as_bytes();
  match (bytes.first(), bytes.last()) {
    (Some(first), Some(last)) => {
      bytes.len() <= 63
        && first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && bytes
          .iter()
          .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    }
    _ => false,
  }
}

fn is_valid_domain(domain: &str) -> bool {
  let body = domain.strip_prefix('.').unwrap_or(domain);
  body.split('.').all(is_valid_label)
}

fn is_valid_path(path: &str) -> bool {
  path
    .bytes()
    .all(|b| (0x20..=0x7E).contains(&b) && b != b';' && b != b'<')
}

/// Appends `value` to `out`, or fails with `error` when `value` is invalid.
fn push_checked(
  out: &mut String,
  label: &str,
  value: &str,
  valid: bool,
  error: SerializeError,
) -> Result<(), SerializeError> {
  if !valid {
    return Err(error);
  }
  out.push_str(label);
  out.push_str(value);
  Ok(())
}

const PRIORITIES: &[(&str, &str)] = &[
  ("low", "; Priority=Low"),
  ("medium", "; Priority=Medium"),
  ("high", "; Priority=High"),
];

const SAME_SITES: &[(&str, &str)] = &[
  ("strict", "; SameSite=Strict"),
  ("lax", "; SameSite=Lax"),
  ("none", "; SameSite=None"),
];

/// The rendering of `value` among `(keyword, rendering)` pairs, compared as
/// the `cookie` package does after `toLowerCase()`. For these keywords an
/// ASCII case-insensitive comparison is the same: the only non-ASCII
/// characters that lower-case to ASCII are U+212A (to `k`, in no keyword)
/// and U+0130 (to two characters).
fn match_keyword(value: &str, table: &[(&str, &'static str)]) -> Option<&'static str> {
  table
    .iter()
    .find(|(keyword, _)| value.eq_ignore_ascii_case(keyword))
    .map(|(_, rendering)| *rendering)
}

/// Renders `name=value` plus attributes; `encoded_value` must already be
/// URI-encoded (so it is a valid cookie value).
pub fn serialize(
  name: &str,
  encoded_value: &str,
  attributes: &Attributes<'_>,
) -> Result<String, SerializeError> {
  if !is_valid_name(name) {
    return Err(SerializeError::Name);
  }
  let mut out = String::with_capacity(name.len() + encoded_value.len() + 96);
  out.push_str(name);
  out.push('=');
  out.push_str(encoded_value);
  if let Some(domain) = attributes.domain {
    push_checked(
      &mut out,
      "; Domain=",
      domain,
      is_valid_domain(domain),
      SerializeError::Domain,
    )?;
  }
  if let Some(path) = attributes.path {
    push_checked(
      &mut out,
      "; Path=",
      path,
      is_valid_path(path),
      SerializeError::Path,
    )?;
  }
  if let Some(expires) = attributes.expires {
    out.push_str("; Expires=");
    date::push_utc_string(&mut out, expires).ok_or(SerializeError::Expires)?;
  }
  if attributes.http_only {
    out.push_str("; HttpOnly");
  }
  if attributes.secure {
    out.push_str("; Secure");
  }
  if attributes.partitioned {
    out.push_str("; Partitioned");
  }
  if let Some(priority) = attributes.priority {
    out.push_str(match_keyword(priority, PRIORITIES).ok_or(SerializeError::Priority)?);
  }
  if let Some(same_site) = attributes.same_site {
    out.push_str(match_keyword(same_site, SAME_SITES).ok_or(SerializeError::SameSite)?);
  }
  Ok(out)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn finds_like_the_cookie_package() {
    // Expected values from require('cookie').parse(header)[name] (cookie 0.7.2).
    let cases: &[(&str, &str, Option<&str>)] = &[
      ("foo=bar", "foo", Some("bar")),
      ("foo=bar; foo=baz", "foo", Some("bar")),
      ("  foo  =  bar  ;x=y", "foo", Some("bar")),
      ("\tfoo\t=\t\"bar\"\t", "foo", Some("bar")),
      ("foo=\"", "foo", Some("")),
      ("foo=\"\"", "foo", Some("")),
      ("a; foo=1", "foo", Some("1")),
      ("foo;bar=1", "bar", Some("1")),
      ("bar; a; foo=bar", "foo", Some("bar")),
      ("foo=a=b", "foo", Some("a=b")),
      ("f", "f", None),
      ("foo", "foo", None),
      ("foo=", "foo", Some("")),
      ("x=1;;;foo=2", "foo", Some("2")),
      ("fo=1", "foo", None),
      (
        "connect.sid=s%3Aabc.def",
        "connect.sid",
        Some("s%3Aabc.def"),
      ),
    ];
    for (header, name, expected) in cases {
      assert_eq!(find_raw(header, name), *expected, "header {header:?}");
    }
  }

  #[test]
  fn decodes_like_decode_uri_component() {
    assert_eq!(decode_value("s%3Aabc"), "s:abc");
    assert_eq!(decode_value("%C3%A9%e2%98%83"), "\u{e9}\u{2603}");
    assert_eq!(decode_value("%F0%9F%98%80"), "\u{1F600}");
    // Broken input stays as it is.
    for raw in [
      "%",
      "%4",
      "%zz",
      "%C3",
      "%C3%41",
      "%C0%80",
      "%ED%A0%80",
      "%F4%90%80%80",
      "%80",
      "%FF",
    ] {
      assert_eq!(decode_value(raw), raw, "{raw}");
    }
    assert_eq!(decode_value("plain"), "plain");
  }

  #[test]
  fn encodes_like_encode_uri_component() {
    let mut out = String::new();
    encode_uri_component("s:ab+/=!*()~'-_.\u{e9} ;", &mut out);
    assert_eq!(out, "s%3Aab%2B%2F%3D!*()~'-_.%C3%A9%20%3B");
  }

  #[test]
  fn serializes_attributes_in_order() {
    let attributes = Attributes {
      path: Some("/"),
      domain: Some(".example.com"),
      expires: Some(0.0),
      http_only: true,
      secure: true,
      partitioned: true,
      priority: Some("HIGH"),
      same_site: Some("Lax"),
    };
    assert_eq!(
      serialize("sid", "v", &attributes).as_deref(),
      Ok("sid=v; Domain=.example.com; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; Partitioned; Priority=High; SameSite=Lax")
    );
  }

  #[test]
  fn rejects_invalid_attributes() {
    let base = Attributes::default();
    assert_eq!(serialize("a b", "v", &base), Err(SerializeError::Name));
    assert_eq!(serialize("", "v", &base), Err(SerializeError::Name));
    for domain in ["ex ample.com", "-a.com", "a..com", "a.com.", ""] {
      let attributes = Attributes {
        domain: Some(domain),
        ..base
      };
      assert_eq!(
        serialize("a", "v", &attributes),
        Err(SerializeError::Domain),
        "{domain}"
      );
    }
    let attributes = Attributes {
      path: Some("/a;b"),
      ..base
    };
    assert_eq!(serialize("a", "v", &attributes), Err(SerializeError::Path));
    let attributes = Attributes {
      expires: Some(f64::NAN),
      ..base
    };
    assert_eq!(
      serialize("a", "v", &attributes),
      Err(SerializeError::Expires)
    );
    let attributes = Attributes {
      priority: Some("urgent"),
      ..base
    };
    assert_eq!(
      serialize("a", "v", &attributes),
      Err(SerializeError::Priority)
    );
    let attributes = Attributes {
      same_site: Some("true"),
      ..base
    };
    assert_eq!(
      serialize("a", "v", &attributes),
      Err(SerializeError::SameSite)
    );
  }
}
