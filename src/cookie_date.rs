//! A stored cookie's JSON with its date cut out. Sessions' cookie JSON
//! differs mostly by `expires`, which is the session's expiry again, so the
//! stores keep the JSON with the date cut out (leaving `"expires":""`),
//! one text for many sessions, and render the date back when read. A
//! cookie with no date (no `maxAge`: the store's ttl sets the expiry) is
//! kept as it is.

use std::borrow::Cow;

use crate::date;

/// A cookie JSON with its date cut out: the text before and after the date,
/// and where the date went (`None`: the cookie has no date).
pub struct Cut<'a> {
  pub before: &'a str,
  pub after: &'a str,
  pub split: Option<usize>,
}

/// What comes right before a cookie's date in its JSON.
const KEY: &str = "\"expires\":\"";

/// `cookie` with its date cut out when that date is `expires` as
/// `Date#toISOString` renders it, or as it is when it has no date. `None`
/// for an empty cookie and for one whose date is another.
pub fn cut(cookie: &str, expires: i64) -> Option<Cut<'_>> {
  if cookie.is_empty() {
    return None;
  }
  if !cookie.contains(KEY) {
    return Some(Cut {
      before: cookie,
      after: "",
      split: None,
    });
  }
  let mut needle = String::with_capacity(KEY.len() + date::ISO_LEN + 1);
  needle.push_str(KEY);
  date::push_iso_string(&mut needle, expires)?;
  needle.push('"');
  let split = cookie.find(&needle)? + KEY.len();
  let (before, rest) = cookie.split_at(split);
  Some(Cut {
    before,
    after: rest.get(date::ISO_LEN..)?,
    split: Some(split),
  })
}

/// `cookie` as a store keeps it: with its date cut out, and the byte where
/// the date goes, when `cut` can; whole, with `None`, otherwise.
pub fn stored(cookie: &str, expires: i64) -> (Cow<'_, str>, Option<usize>) {
  match cut(cookie, expires) {
    Some(Cut {
      before,
      after,
      split: Some(split),
    }) => (Cow::Owned([before, after].concat()), Some(split)),
    _ => (Cow::Borrowed(cookie), None),
  }
}

/// Whether `text` is a cookie JSON with its date cut out at byte `split`
/// (an empty `"expires":""` there).
pub fn is_cut_at(text: &str, split: usize) -> bool {
  text
    .get(..split)
    .is_some_and(|before| before.ends_with(KEY))
    && text
      .get(split..)
      .is_some_and(|after| after.starts_with('"'))
}

/// The cookie JSON of `text` (a cut cookie's `before` and `after` joined)
/// with the date of `expires` put back at byte `split`; `text` itself when
/// `split` is `None`. `None` when `split` is not a place in `text` or the
/// date does not render.
pub fn render(text: &str, split: Option<usize>, expires: i64) -> Option<String> {
  let Some(split) = split else {
    return Some(text.to_owned());
  };
  let before = text.get(..split)?;
  let after = text.get(split..)?;
  let mut cookie = String::with_capacity(text.len() + date::ISO_LEN);
  cookie.push_str(before);
  date::push_iso_string(&mut cookie, expires)?;
  cookie.push_str(after);
  Some(cookie)
}

#[cfg(test)]
mod tests {
  use super::{cut, is_cut_at, render, stored};

  const DATED: &str =
    r#"{"originalMaxAge":60000,"expires":"2026-12-07T10:00:00.000Z","httpOnly":true,"path":"/"}"#;
  const AT: i64 = 1_796_637_600_000;

  #[test]
  fn cuts_the_date_that_is_the_expiry_and_renders_it_back() {
    let cut = cut(DATED, AT).expect("cut");
    assert_eq!(cut.before, r#"{"originalMaxAge":60000,"expires":""#);
    assert_eq!(cut.after, r#"","httpOnly":true,"path":"/"}"#);
    let text = format!("{}{}", cut.before, cut.after);
    assert_eq!(render(&text, cut.split, AT).as_deref(), Some(DATED));
    let split = cut.split.expect("dated");
    assert!(is_cut_at(&text, split));
    assert!(!is_cut_at(DATED, split), "a whole JSON is not cut");
    assert!(!is_cut_at(&text, split + 1));
    assert!(!is_cut_at(&text, 999));
  }

  #[test]
  fn stores_a_cut_cookie_and_another_date_whole() {
    let (text, split) = stored(DATED, AT);
    assert_eq!(render(&text, split, AT).as_deref(), Some(DATED));
    assert_eq!(split, Some(DATED.find("2026").expect("date")));
    let (text, split) = stored(DATED, AT - 1);
    assert_eq!((&*text, split), (DATED, None));
  }

  #[test]
  fn keeps_a_cookie_without_a_date_whole() {
    let cookie = r#"{"originalMaxAge":null,"expires":null,"path":"/"}"#;
    let cut = cut(cookie, AT).expect("cut");
    assert_eq!((cut.before, cut.after, cut.split), (cookie, "", None));
    assert_eq!(render(cookie, None, 0).as_deref(), Some(cookie));
  }

  #[test]
  fn refuses_another_date_an_empty_cookie_and_a_split_outside_the_text() {
    assert!(cut(DATED, AT + 1).is_none());
    assert!(cut("", AT).is_none());
    assert!(render("{}", Some(3), AT).is_none());
    assert!(render("{\"é\":1}", Some(3), AT).is_none());
    assert!(render("{}", Some(1), i64::MAX).is_none());
  }
}
