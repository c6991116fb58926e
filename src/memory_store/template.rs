//! Cookie templates. Cookie JSON differs between sessions mostly by its
//! `expires`, which is the entry's expiry time again; so a cookie is kept as
//! a template shared by the entries whose cookies differ only by that date,
//! with the date cut out, and the date is rendered back when read.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::rc::Rc;

use hashbrown::HashTable;

use crate::date;

/// A cookie JSON with its `"expires":"<ISO date>"` value cut out, shared by
/// the entries whose cookies differ only by that date. Its `id` is never
/// reused, so JavaScript can keep what it learned of a template by id.
pub struct Template {
  text: Box<str>,
  /// Byte offset where the date goes back in.
  split: u32,
  pub(super) id: u64,
}

impl Template {
  /// The text without the date, and the byte offset where the date goes.
  pub fn parts(&self) -> (&str, usize) {
    (&self.text, self.split as usize)
  }

  /// The cookie JSON for expiry `expires`.
  pub(super) fn render(&self, expires: i64) -> String {
    let (before, after) = self.text.split_at(self.split as usize);
    let mut cookie = String::with_capacity(self.text.len() + date::ISO_LEN);
    cookie.push_str(before);
    if date::push_iso_string(&mut cookie, expires).is_none() {
      // A template is only made for a date that renders.
      cookie.clear();
      return cookie;
    }
    cookie.push_str(after);
    cookie
  }

  /// Length of the cookie JSON it renders.
  pub(super) fn cookie_len(&self) -> usize {
    self.text.len() + date::ISO_LEN
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
  /// `Date#toISOString` renders it), made if new.
  pub(super) fn split(&mut self, cookie: &str, expires: i64) -> Option<Rc<Template>> {
    const KEY: &str = "\"expires\":\"";
    let mut needle = String::with_capacity(KEY.len() + date::ISO_LEN + 1);
    needle.push_str(KEY);
    date::push_iso_string(&mut needle, expires)?;
    needle.push('"');
    let split = cookie.find(&needle)? + KEY.len();
    let (before, rest) = cookie.split_at(split);
    let after = rest.get(date::ISO_LEN..)?;
    let split = u32::try_from(split).ok()?;
    let hash = self.hasher.hash_one((before, after));
    let found = self.by_text.find(hash, |template| {
      template.split == split
        && template.text.get(..split as usize) == Some(before)
        && template.text.get(split as usize..) == Some(after)
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
        let (before, after) = template.text.split_at(template.split as usize);
        hasher.hash_one((before, after))
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
    let (before, after) = template.text.split_at(template.split as usize);
    let hash = self.hasher.hash_one((before, after));
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
