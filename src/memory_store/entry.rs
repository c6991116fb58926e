//! One stored session: its ID, cookie and data JSON in one allocation.

use std::borrow::Cow;
use std::rc::Rc;

use super::template::{CookieText, Template, Templates};

/// One stored session.
pub(super) struct Entry {
  /// ID, then the cookie JSON unless it is templated, then the data JSON.
  pub(super) text: Box<str>,
  pub(super) template: Option<Rc<Template>>,
  /// Milliseconds since the epoch.
  pub(super) expires: i64,
  /// The expiry it is filed under in the storage's expiry order: never
  /// later than `expires` (see `Storage::refile`).
  pub(super) filed: i64,
  /// Recency stamp: larger is more recently used.
  pub(super) used: u64,
  /// The storage's hash of the ID, kept so that growing, shrinking or
  /// updating the hash index never reads or hashes the ID again.
  pub(super) hash: u64,
  pub(super) sid_len: u32,
  /// Length of the cookie JSON as given.
  pub(super) cookie_len: u32,
}

impl Entry {
  pub(super) fn new(
    sid: &str,
    hash: u64,
    cookie: &str,
    data: &str,
    expires: i64,
    used: u64,
    templates: &mut Templates,
  ) -> Option<Self> {
    u32::try_from(cookie.len()).ok()?;
    u32::try_from(sid.len()).ok()?;
    let cookie = match templates.split(cookie, expires) {
      Some(template) => CookieText::Shared(template),
      None => CookieText::Inline(cookie),
    };
    Entry::with_cookie(sid, hash, cookie, data, expires, used)
  }

  pub(super) fn with_cookie(
    sid: &str,
    hash: u64,
    cookie: CookieText<'_>,
    data: &str,
    expires: i64,
    used: u64,
  ) -> Option<Self> {
    let (template, inline, cookie_len) = match cookie {
      CookieText::Shared(template) => {
        let len = template.cookie_len();
        (Some(template), "", len)
      }
      CookieText::Inline(cookie) => (None, cookie, cookie.len()),
    };
    let mut text = String::with_capacity(sid.len() + inline.len() + data.len());
    text.push_str(sid);
    text.push_str(inline);
    text.push_str(data);
    Some(Entry {
      text: text.into_boxed_str(),
      template,
      expires,
      filed: expires,
      used,
      hash,
      sid_len: u32::try_from(sid.len()).ok()?,
      cookie_len: u32::try_from(cookie_len).ok()?,
    })
  }

  pub(super) fn sid(&self) -> &str {
    &self.text[..self.sid_len as usize]
  }

  fn inline_cookie_len(&self) -> usize {
    if self.template.is_some() {
      0
    } else {
      self.cookie_len as usize
    }
  }

  pub(super) fn cookie(&self) -> Cow<'_, str> {
    match &self.template {
      None => {
        let start = self.sid_len as usize;
        Cow::Borrowed(&self.text[start..start + self.cookie_len as usize])
      }
      Some(template) => Cow::Owned(template.render(self.expires)),
    }
  }

  pub(super) fn data(&self) -> &str {
    &self.text[self.sid_len as usize + self.inline_cookie_len()..]
  }

  /// Bytes of ID, cookie and data JSON as given.
  pub(super) fn bytes(&self) -> usize {
    self.text.len() - self.inline_cookie_len() + self.cookie_len as usize
  }
}
