//! Cookie templates. Cookie JSON differs between sessions mostly by its
//! `expires`, which is the entry's expiry time again; so a cookie is kept as
//! a template shared by the entries whose cookies differ only by that date,
//! with the date cut out, and the date is rendered back when read. A cookie
//! with no date at all (no `maxAge`: the store's ttl sets the expiry) is a
//! template as it is.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::rc::Rc;

use hashbrown::HashTable;

use crate::{cookie_date, date};

/// A cookie JSON with its `"expires":"<ISO date>"` value cut out, or a
/// cookie JSON without a date, shared by the entries whose cookies differ
/// only by that date. Its `id` is never reused, so JavaScript can keep what
/// it learned of a template by id.
pub struct Template {
  text: Box<str>,
  /// Byte offset where the date goes back in; `None` for a dateless cookie.
  split: Option<u32>,
  pub(super) id: u64,
}

impl Template {
  /// The text without the date, and the byte offset where the date goes
  /// (`None`: the cookie has no date).
  pub fn parts(&self) -> (&str, Option<usize>) {
    (&self.text, self.split.map(|split| split as usize))
  }

  /// Whether the cookie carries the entry's expiry as its date.
  pub(super) fn is_dated(&self) -> bool {
    self.split.is_some()
  }

  /// The text before and after the date.
  fn halves(&self) -> (&str, &str) {
    match self.split {
      Some(split) => self.text.split_at(split as usize),
      None => (&self.text, ""),
    }
  }

  /// The cookie JSON for expiry `expires`.
  pub(super) fn render(&self, expires: i64) -> String {
    // A dated template is only made for a date that renders.
    cookie_date::render(&self.text, self.split.map(|split| split as usize), expires)
      .unwrap_or_default()
  }

  /// Length of the cookie JSON it renders.
  pub(super) fn cookie_len(&self) -> usize {
    self.text.len() + if self.is_dated() { date::ISO_LEN } else { 0 }
  }
}

/// Cookie templates shared between entries, by content and by id.
#[derive(Default)]
pub(super) struct Templates {
  by_text: HashTable<Rc<Template>>,
  by_id: HashMap<u64, Rc<Template>>,
  hasher: RandomState,
  pub(super) next_id: u64,
}

impl Templates {
  /// The shared template of `cookie` when its expiry date is `expires` (as
  /// `Date#toISOString` renders it) or when it has no date, made if new.
  /// `None` for no cookie, and for one whose date is another.
  pub(super) fn split(&mut self, cookie: &str, expires: i64) -> Option<Rc<Template>> {
    let cut = cookie_date::cut(cookie, expires)?;
    let (before, after) = (cut.before, cut.after);
    let split = match cut.split {
      Some(split) => Some(u32::try_from(split).ok()?),
      None => None,
    };
    let hash = self.hasher.hash_one((before, after));
    let found = self.by_text.find(hash, |template| {
      template.split == split && template.halves() == (before, after)
    });
    if let Some(shared) = found {
      return Some(shared.clone());
    }
    let mut text = String::with_capacity(before.len() + after.len());
    text.push_str(before);
    text.push_str(after);
    self.next_id += 1;
    let shared = Rc::new(Template {
      text: text.into_boxed_str(),
      split,
      id: self.next_id,
    });
    let hasher = &self.hasher;
    self
      .by_text
      .insert_unique(hash, shared.clone(), |template| {
        hasher.hash_one(template.halves())
      });
    self.by_id.insert(shared.id, shared.clone());
    Some(shared)
  }

  pub(super) fn get(&self, id: u64) -> Option<&Rc<Template>> {
    self.by_id.get(&id)
  }

  /// Forgets a template that no entry but the one letting go still uses.
  pub(super) fn release(&mut self, template: &Rc<Template>) {
    // Held here twice (by text and by id) and once by the entry.
    if Rc::strong_count(template) > 3 {
      return;
    }
    self.by_id.remove(&template.id);
    let hash = self.hasher.hash_one(template.halves());
    if let Ok(found) = self
      .by_text
      .find_entry(hash, |other| Rc::ptr_eq(other, template))
    {
      found.remove();
    }
  }

  #[cfg(test)]
  pub(super) fn len(&self) -> usize {
    self.by_id.len()
  }
}

/// A cookie JSON as an entry keeps it.
pub(super) enum CookieText<'a> {
  Shared(Rc<Template>),
  Inline(&'a str),
}
