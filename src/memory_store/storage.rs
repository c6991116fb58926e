//! The sessions by ID. Expired sessions are found through an index ordered
//! by expiry, so a sweep costs time in proportion to what expired, not to
//! what is stored. Optional bounds on the entry count and on the stored
//! bytes evict the least recently used sessions.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasher, RandomState};
use std::rc::Rc;
use std::time::Instant;

use hashbrown::HashTable;

use super::entry::Entry;
use super::template::{CookieText, Template, Templates};
use crate::date;

/// A stored session's cookie, as `Storage::load` gives it.
#[derive(Debug, PartialEq, Eq)]
pub enum StoredCookie<'a> {
  /// The JSON of template `id` with the date of `expires` put in.
  Template { id: u64, expires: i64 },
  /// The JSON itself (empty: the session had no cookie).
  Json(Cow<'a, str>),
}

/// What `Storage::touch_template` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Touch {
  /// The session now has the template's cookie and the new expiry.
  Touched,
  /// No such unexpired session.
  Missing,
  /// The template is gone or the entry keeps its cookie whole.
  UnknownTemplate,
}

/// Why a session could not be stored.
#[derive(Debug, PartialEq, Eq)]
pub enum StoreError {
  /// The session alone is larger than the byte bound.
  TooLarge { bytes: usize, max_bytes: usize },
  /// An ID or cookie of 4 GiB or more.
  Oversized,
}

impl std::fmt::Display for StoreError {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match self {
      StoreError::TooLarge { bytes, max_bytes } => write!(
        f,
        "session of {bytes} bytes exceeds the store's maxBytes of {max_bytes}"
      ),
      StoreError::Oversized => f.write_str("session ID or cookie too large to store"),
    }
  }
}

/// Slab length under which holes are left for reuse instead of compacted.
const COMPACT_MIN_SLOTS: usize = 1024;
/// Live sessions up to which the hash index is rebuilt at its size after a
/// compaction; a larger rebuild would not fit one slice of a sweep.
const INDEX_SHRINK_MAX: usize = 32 * 1024;
/// Steps of a slice between two looks at the clock.
const STEPS_PER_CLOCK_CHECK: usize = 32;

/// What one slice of a sweep did.
#[derive(Debug, PartialEq, Eq)]
pub struct Swept {
  /// Sessions removed.
  pub removed: usize,
  /// Bytes of IDs and JSON they held.
  pub bytes: usize,
  /// Whether it moved entries or gave capacity back.
  pub compacted: bool,
  /// False when the deadline came first: more is left to sweep or compact.
  pub done: bool,
}

/// Sessions by ID, with an expiry index and least-recently-used order.
///
/// Entries live in a slab; the hash index and the orders refer to them by
/// slot number, so each session is one allocation and a few machine words.
/// After many sessions are gone, the slab is compacted a slice at a time by
/// moving its last entries into its lowest holes.
pub struct Storage {
  slots: Vec<Option<Entry>>,
  /// Slots freed for reuse; some may have been filled or cut off by a
  /// compaction since, so each is checked when taken.
  free: Vec<u32>,
  /// While compacting: slots below this hold an entry.
  compact_from: Option<usize>,
  /// Bytes swept since memory was last handed back.
  swept_bytes: usize,
  index: HashTable<u32>,
  hasher: RandomState,
  templates: Templates,
  by_expiry: BTreeSet<(i64, u32)>,
  by_use: BTreeMap<u64, u32>,
  clock: u64,
  bytes: usize,
  max_entries: usize,
  max_bytes: usize,
}

/// The entry in `slot` of the slab `slots`.
fn entry_in(slots: &[Option<Entry>], slot: u32) -> Option<&Entry> {
  slots.get(slot as usize)?.as_ref()
}

/// The kept hash of the entry in `slot` (0 for an empty slot, which the
/// index never refers to).
fn hash_in(slots: &[Option<Entry>], slot: u32) -> u64 {
  entry_in(slots, slot).map_or(0, |entry| entry.hash)
}

impl Storage {
  /// A store holding at most `max_entries` sessions and `max_bytes` bytes of
  /// IDs and JSON (0: no bound).
  pub fn new(max_entries: usize, max_bytes: usize) -> Self {
    Storage {
      slots: Vec::new(),
      free: Vec::new(),
      compact_from: None,
      swept_bytes: 0,
      index: HashTable::new(),
      hasher: RandomState::new(),
      templates: Templates::default(),
      by_expiry: BTreeSet::new(),
      by_use: BTreeMap::new(),
      clock: 0,
      bytes: 0,
      max_entries,
      max_bytes,
    }
  }

  /// Whether a bound is set, and so the use order is kept.
  fn is_bounded(&self) -> bool {
    self.max_entries > 0 || self.max_bytes > 0
  }

  fn tick(&mut self) -> u64 {
    self.clock += 1;
    self.clock
  }

  fn entry(&self, slot: u32) -> Option<&Entry> {
    entry_in(&self.slots, slot)
  }

  /// The storage's hash of a session ID.
  fn hash_of(&self, sid: &str) -> u64 {
    self.hasher.hash_one(sid)
  }

  /// The slot of the session `sid`.
  fn find(&self, sid: &str) -> Option<u32> {
    self.find_hashed(sid, self.hash_of(sid))
  }

  /// The slot of the session `sid`, whose hash is `hash`.
  fn find_hashed(&self, sid: &str, hash: u64) -> Option<u32> {
    self
      .index
      .find(hash, |&slot| {
        self
          .entry(slot)
          .is_some_and(|entry| entry.hash == hash && entry.sid() == sid)
      })
      .copied()
  }

  /// Adds an entry to the slab, the index and the orders.
  fn insert(&mut self, entry: Entry) {
    let slot = match self.take_free_slot() {
      Some(slot) => slot,
      None => {
        self.slots.push(None);
        // More than u32::MAX sessions do not fit in memory anyway.
        u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
      }
    };
    self.bytes += entry.bytes();
    self.by_expiry.insert((entry.filed, slot));
    if self.is_bounded() {
      self.by_use.insert(entry.used, slot);
    }
    let hash = entry.hash;
    if let Some(place) = self.slots.get_mut(slot as usize) {
      *place = Some(entry);
    }
    let Storage { index, slots, .. } = self;
    index.insert_unique(hash, slot, |&other| hash_in(slots, other));
  }

  /// A freed slot that is still empty and inside the slab.
  fn take_free_slot(&mut self) -> Option<u32> {
    while let Some(slot) = self.free.pop() {
      if matches!(self.slots.get(slot as usize), Some(None)) {
        return Some(slot);
      }
    }
    None
  }

  /// Takes the entry out of `slot` and out of the index and the orders.
  fn remove_slot(&mut self, slot: u32) -> Option<Entry> {
    let entry = self.slots.get_mut(slot as usize)?.take()?;
    if let Ok(found) = self.index.find_entry(entry.hash, |&other| other == slot) {
      found.remove();
    }
    self.free.push(slot);
    self.bytes -= entry.bytes();
    if let Some(template) = &entry.template {
      self.templates.release(template);
    }
    self.by_use.remove(&entry.used);
    self.by_expiry.remove(&(entry.filed, slot));
    Some(entry)
  }

  /// The slot of session `sid` if stored and not expired at `now` (an
  /// expired one is removed), marked as just used.
  fn lookup(&mut self, sid: &str, now: i64) -> Option<u32> {
    let slot = self.find(sid)?;
    if self.entry(slot)?.expires <= now {
      self.remove_slot(slot);
      return None;
    }
    if self.is_bounded() {
      let used = self.tick();
      let entry = self.slots.get_mut(slot as usize)?.as_mut()?;
      let previous = std::mem::replace(&mut entry.used, used);
      self.by_use.remove(&previous);
      self.by_use.insert(used, slot);
    }
    Some(slot)
  }

  /// The session's cookie and data JSON, if stored and not expired at `now`.
  /// An expired session is removed.
  pub fn get(&mut self, sid: &str, now: i64) -> Option<(Cow<'_, str>, &str)> {
    let slot = self.lookup(sid, now)?;
    let entry = self.entry(slot)?;
    Some((entry.cookie(), entry.data()))
  }

  /// Like `get`, but a templated cookie comes as its template's id and the
  /// expiry instead of as JSON.
  pub fn load(&mut self, sid: &str, now: i64) -> Option<(StoredCookie<'_>, &str)> {
    let slot = self.lookup(sid, now)?;
    let entry = self.entry(slot)?;
    let cookie = match &entry.template {
      Some(template) => StoredCookie::Template {
        id: template.id,
        expires: entry.expires,
      },
      None => StoredCookie::Json(entry.cookie()),
    };
    Some((cookie, entry.data()))
  }

  /// The template with this id, while some entry uses it.
  pub fn template(&self, id: u64) -> Option<&Template> {
    self.templates.get(id).map(|template| &**template)
  }

  /// Stores a session, replacing any with the same ID, then evicts the least
  /// recently used sessions while a bound is exceeded.
  /// Returns the id of the cookie's template, when it has one.
  pub fn set(
    &mut self,
    sid: &str,
    cookie: &str,
    data: &str,
    expires: i64,
  ) -> Result<Option<u64>, StoreError> {
    self.check_size(sid.len() + cookie.len() + data.len())?;
    let used = self.tick();
    let hash = self.hash_of(sid);
    let entry = Entry::new(sid, hash, cookie, data, expires, used, &mut self.templates)
      .ok_or(StoreError::Oversized)?;
    let template = entry.template.as_ref().map(|template| template.id);
    self.replace(entry);
    Ok(template)
  }

  /// Like `set` with the cookie of template `id` for expiry `expires`;
  /// false, storing nothing, when no entry uses that template now.
  pub fn set_template(
    &mut self,
    sid: &str,
    id: u64,
    data: &str,
    expires: i64,
  ) -> Result<bool, StoreError> {
    let Some(template) = self.templates.get(id).cloned() else {
      return Ok(false);
    };
    if template.is_dated() && !date::has_iso_string(expires) {
      return Ok(false);
    }
    self.check_size(sid.len() + template.cookie_len() + data.len())?;
    let used = self.tick();
    let hash = self.hash_of(sid);
    let entry = Entry::with_cookie(sid, hash, CookieText::Shared(template), data, expires, used)
      .ok_or(StoreError::Oversized)?;
    self.replace(entry);
    Ok(true)
  }

  fn check_size(&self, bytes: usize) -> Result<(), StoreError> {
    if self.max_bytes > 0 && bytes > self.max_bytes {
      return Err(StoreError::TooLarge {
        bytes,
        max_bytes: self.max_bytes,
      });
    }
    Ok(())
  }

  /// Puts `entry` in place of any session with its ID, then evicts.
  fn replace(&mut self, entry: Entry) {
    match self.find_hashed(entry.sid(), entry.hash) {
      Some(slot) => self.overwrite(slot, entry),
      None => self.insert(entry),
    }
    self.evict();
  }

  /// Puts `entry` into `slot`, which holds the session with its ID: the
  /// hash index is left as it is, and the orders are updated in place.
  fn overwrite(&mut self, slot: u32, mut entry: Entry) {
    let (used, bytes) = (entry.used, entry.bytes());
    let Some(place) = self.slots.get_mut(slot as usize).and_then(Option::as_mut) else {
      self.insert(entry);
      return;
    };
    entry.filed = place.filed;
    let previous = std::mem::replace(place, entry);
    self.bytes = self.bytes - previous.bytes() + bytes;
    self.refile(slot);
    if self.is_bounded() {
      self.by_use.remove(&previous.used);
      self.by_use.insert(used, slot);
    }
    if let Some(template) = &previous.template {
      self.templates.release(template);
    }
  }

  /// Replaces the cookie JSON and expiry of a stored, unexpired session;
  /// false when there is none. Refused, changing nothing, when the session
  /// with that cookie alone would exceed the byte bound.
  pub fn touch(
    &mut self,
    sid: &str,
    cookie: &str,
    expires: i64,
    now: i64,
  ) -> Result<bool, StoreError> {
    let Some(slot) = self.lookup(sid, now) else {
      return Ok(false);
    };
    let Some((templated, data_len)) = self
      .entry(slot)
      .map(|entry| (entry.template.is_some(), entry.data().len()))
    else {
      return Ok(false);
    };
    self.check_size(sid.len() + cookie.len() + data_len)?;
    if templated {
      if let Some(template) = self.templates.split(cookie, expires) {
        self.retime(slot, template, expires);
        return Ok(true);
      }
    }
    let Some((data, hash)) = self
      .entry(slot)
      .map(|entry| (entry.data().to_owned(), entry.hash))
    else {
      return Ok(false);
    };
    let used = self.tick();
    let entry = Entry::new(sid, hash, cookie, &data, expires, used, &mut self.templates)
      .ok_or(StoreError::Oversized)?;
    self.overwrite(slot, entry);
    self.evict();
    Ok(true)
  }

  /// Gives a stored, unexpired session the cookie of template `id` and a new
  /// expiry; `Touch::UnknownTemplate` when no entry uses that template now.
  /// Refused like `touch` when it would not fit the byte bound.
  pub fn touch_template(
    &mut self,
    sid: &str,
    id: u64,
    expires: i64,
    now: i64,
  ) -> Result<Touch, StoreError> {
    let Some(template) = self.templates.get(id).cloned() else {
      return Ok(Touch::UnknownTemplate);
    };
    let Some(slot) = self.lookup(sid, now) else {
      return Ok(Touch::Missing);
    };
    let Some((templated, data_len)) = self
      .entry(slot)
      .map(|entry| (entry.template.is_some(), entry.data().len()))
    else {
      return Ok(Touch::Missing);
    };
    if !templated || (template.is_dated() && !date::has_iso_string(expires)) {
      // A cookie kept whole can only be templated by a rewrite.
      return Ok(Touch::UnknownTemplate);
    }
    self.check_size(sid.len() + template.cookie_len() + data_len)?;
    self.retime(slot, template, expires);
    Ok(Touch::Touched)
  }

  /// Moves a templated entry to `template` and `expires` in place.
  fn retime(&mut self, slot: u32, template: Rc<Template>, expires: i64) {
    let used = self.tick();
    let bounded = self.is_bounded();
    let Some(entry) = self.slots.get_mut(slot as usize).and_then(Option::as_mut) else {
      return;
    };
    entry.expires = expires;
    if bounded {
      self.by_use.remove(&entry.used);
      self.by_use.insert(used, slot);
    }
    entry.used = used;
    let before = entry.bytes();
    entry.cookie_len = u32::try_from(template.cookie_len()).unwrap_or(u32::MAX);
    let previous = entry.template.replace(template);
    self.bytes = self.bytes - before + entry.bytes();
    if let Some(previous) = previous {
      self.templates.release(&previous);
    }
    self.refile(slot);
    self.evict();
  }

  /// Files the entry in `slot` under its expiry again when that moved
  /// earlier. One that moved later stays filed under the earlier time, and
  /// the sweep refiles it when that time comes: a touch or save, which
  /// moves the expiry later every time, then costs no change to the order.
  fn refile(&mut self, slot: u32) {
    let Some(entry) = self.slots.get_mut(slot as usize).and_then(Option::as_mut) else {
      return;
    };
    if entry.expires >= entry.filed {
      return;
    }
    self.by_expiry.remove(&(entry.filed, slot));
    self.by_expiry.insert((entry.expires, slot));
    entry.filed = entry.expires;
  }

  /// Removes a session; false when there was none.
  pub fn remove(&mut self, sid: &str) -> bool {
    match self.find(sid) {
      Some(slot) => self.remove_slot(slot).is_some(),
      None => false,
    }
  }

  /// Removes every session that expired at or before `now`, and compacts
  /// what that emptied.
  pub fn sweep(&mut self, now: i64) -> Swept {
    self.sweep_until(now, None)
  }

  /// Like `sweep`, but stops once `deadline` has passed (checked every few
  /// steps), leaving the rest for the next slice: a sweep that finds
  /// nothing costs one look at the expiry order.
  pub fn sweep_until(&mut self, now: i64, deadline: Option<Instant>) -> Swept {
    let before = self.bytes;
    let mut removed = 0;
    let mut steps = 0;
    let mut out_of_time = || {
      steps += 1;
      steps % STEPS_PER_CLOCK_CHECK == 0 && deadline.is_some_and(|d| Instant::now() >= d)
    };
    let mut done = true;
    while let Some(&(filed, slot)) = self.by_expiry.first() {
      if filed > now {
        break;
      }
      match self.slots.get_mut(slot as usize).and_then(Option::as_mut) {
        // Touched since it was filed: filed again under its expiry.
        Some(entry) if entry.expires > now => {
          self.by_expiry.pop_first();
          self.by_expiry.insert((entry.expires, slot));
          entry.filed = entry.expires;
        }
        Some(_) => {
          self.remove_slot(slot);
          removed += 1;
        }
        // An order entry without its session cannot happen; drop it anyway.
        None => {
          self.by_expiry.pop_first();
        }
      }
      if out_of_time() {
        done = false;
        break;
      }
    }
    let compacted = done && self.needs_compaction();
    if compacted {
      done = self.compact(out_of_time);
    }
    self.swept_bytes += before - self.bytes;
    Swept {
      removed,
      bytes: before - self.bytes,
      compacted,
      done,
    }
  }

  /// Whether a compaction is under way, or due: a large slab at most a
  /// quarter in use.
  fn needs_compaction(&self) -> bool {
    self.compact_from.is_some()
      || (self.slots.len() > COMPACT_MIN_SLOTS && self.len() < self.slots.len() / 4)
  }

  /// Moves the last entries into the lowest holes until none is left (or
  /// `out_of_time` says stop: then false, to go on from there next time),
  /// then gives the emptied capacity back.
  fn compact(&mut self, mut out_of_time: impl FnMut() -> bool) -> bool {
    let mut hole = self.compact_from.unwrap_or(0);
    loop {
      if matches!(self.slots.last(), Some(None)) {
        self.slots.pop();
      } else {
        while matches!(self.slots.get(hole), Some(Some(_))) {
          hole += 1;
        }
        if hole >= self.slots.len() {
          break;
        }
        self.move_last_to(hole);
      }
      if out_of_time() {
        self.compact_from = Some(hole);
        return false;
      }
    }
    self.compact_from = None;
    let live = self.len();
    if self.slots.len() == live {
      self.free = Vec::new();
    } else {
      // Slots freed below the holes' cursor meanwhile are still holes.
      let slots = &self.slots;
      self
        .free
        .retain(|&slot| matches!(slots.get(slot as usize), Some(None)));
      self.free.shrink_to_fit();
    }
    if self.slots.capacity() > 2 * live.max(COMPACT_MIN_SLOTS) {
      self.slots.shrink_to_fit();
    }
    if live <= INDEX_SHRINK_MAX && self.index.capacity() > 2 * live.max(COMPACT_MIN_SLOTS) {
      let Storage { index, slots, .. } = self;
      index.shrink_to(live, |&slot| hash_in(slots, slot));
    }
    true
  }

  /// Moves the slab's last entry into empty slot `hole`, below it.
  fn move_last_to(&mut self, hole: usize) {
    let Some(Some(entry)) = self.slots.pop() else {
      return;
    };
    let (Ok(from), Ok(to)) = (u32::try_from(self.slots.len()), u32::try_from(hole)) else {
      return;
    };
    if let Some(slot) = self.index.find_mut(entry.hash, |&slot| slot == from) {
      *slot = to;
    }
    self.by_expiry.remove(&(entry.filed, from));
    self.by_expiry.insert((entry.filed, to));
    if let Some(slot) = self.by_use.get_mut(&entry.used) {
      *slot = to;
    }
    if let Some(place) = self.slots.get_mut(hole) {
      *place = Some(entry);
    }
  }

  /// Bytes swept since memory was last handed back.
  pub fn swept_bytes(&self) -> usize {
    self.swept_bytes
  }

  /// Records that freed memory was handed back to the system.
  pub fn memory_released(&mut self) {
    self.swept_bytes = 0;
  }

  /// Number of sessions unexpired at `now`, removing nothing.
  pub fn live_count(&self, now: i64) -> usize {
    let expired = self
      .by_expiry
      .range(..=(now, u32::MAX))
      .filter(|&&(_, slot)| self.entry(slot).is_some_and(|entry| entry.expires <= now))
      .count();
    self.len() - expired
  }

  fn evict(&mut self) {
    while (self.max_entries > 0 && self.len() > self.max_entries)
      || (self.max_bytes > 0 && self.bytes > self.max_bytes)
    {
      let Some((_, &slot)) = self.by_use.first_key_value() else {
        break;
      };
      if self.remove_slot(slot).is_none() {
        self.by_use.pop_first();
      }
    }
  }

  /// Removes everything.
  pub fn clear(&mut self) {
    let next_id = self.templates.next_id;
    *self = Storage::new(self.max_entries, self.max_bytes);
    // Template ids stay unique over the storage's life.
    self.templates.next_id = next_id;
  }

  /// Number of sessions held (expired ones too, until swept).
  pub fn len(&self) -> usize {
    self.index.len()
  }

  /// Bytes of IDs and JSON held.
  pub fn bytes(&self) -> usize {
    self.bytes
  }

  /// Every unexpired session as (ID, cookie JSON, data JSON).
  pub fn entries(&self, now: i64) -> impl Iterator<Item = (&str, Cow<'_, str>, &str)> {
    self
      .slots
      .iter()
      .flatten()
      .filter(move |entry| entry.expires > now)
      .map(|entry| (entry.sid(), entry.cookie(), entry.data()))
  }
}

#[cfg(test)]
mod tests {
  use std::collections::HashMap;

  use super::*;

  /// The id of session `sid`'s cookie template, when it has one.
  fn template_id(storage: &mut Storage, sid: &str) -> Option<u64> {
    match storage.load(sid, 0) {
      Some((StoredCookie::Template { id, .. }, _)) => Some(id),
      _ => None,
    }
  }

  #[test]
  fn stores_and_expires() {
    let mut storage = Storage::new(0, 0);
    storage.set("a", "{}", "{\"n\":1}", 100).ok();
    assert_eq!(storage.get("a", 50), Some(("{}".into(), "{\"n\":1}")));
    assert_eq!(storage.get("a", 100), None);
    assert_eq!(storage.len(), 0);
    assert_eq!(storage.bytes(), 0);
  }

  #[test]
  fn sweeps_only_what_expired() {
    let mut storage = Storage::new(0, 0);
    for i in 0..100 {
      storage.set(&format!("s{i}"), "{}", "{}", i).ok();
    }
    assert_eq!(
      storage.sweep(49),
      Swept {
        removed: 50,
        bytes: 50 * 6 + 40,
        compacted: false,
        done: true
      }
    );
    assert_eq!(storage.len(), 50);
    assert!(storage.get("s50", 49).is_some());
    assert!(storage.get("s49", 0).is_none());
  }

  #[test]
  fn a_save_under_a_stored_id_replaces_it_in_place() {
    let mut storage = Storage::new(2, 0);
    let dated = "{\"expires\":\"2026-11-18T11:08:43.456Z\"}";
    storage.set("a", dated, "{\"n\":1}", 1_795_000_123_456).ok();
    storage.set("b", "{}", "{}", 2_000).ok();
    let slot = storage.find("a");
    storage.set("a", "{}", "{\"n\":22}", 1_000).ok();
    assert_eq!(storage.find("a"), slot);
    assert_eq!(storage.len(), 2);
    assert_eq!(storage.bytes(), (1 + 2 + 8) + (1 + 2 + 2));
    // The dated template went with the old cookie; the expiry index moved.
    assert_eq!(storage.templates.len(), 1);
    assert_eq!(storage.get("a", 999), Some(("{}".into(), "{\"n\":22}")));
    // "a" was used last, so a third session evicts "b".
    storage.set("c", "{}", "{}", 3_000).ok();
    assert!(storage.get("b", 0).is_none());
    assert_eq!(storage.sweep(1_000).removed, 1);
    assert!(storage.get("a", 0).is_none());
    assert_eq!(storage.len(), 1);
    assert_eq!(storage.bytes(), 1 + 2 + 2);
  }

  #[test]
  fn a_later_expiry_is_filed_again_by_the_sweep_an_earlier_one_at_once() {
    let mut storage = Storage::new(0, 0);
    let dated = |iso: &str| format!("{{\"expires\":\"{iso}\"}}");
    // 1_795_000_123_456 ms is 2026-11-18T11:08:43.456Z.
    storage
      .set(
        "a",
        &dated("2026-11-18T11:08:43.456Z"),
        "{}",
        1_795_000_123_456,
      )
      .ok();
    storage.set("b", "{}", "{}", 1_000).ok();
    let id = template_id(&mut storage, "a").unwrap_or_default();
    // Later: "a" by touch, "b" by a save; both stay filed where they were.
    assert_eq!(
      storage.touch_template("a", id, 1_795_000_124_456, 0),
      Ok(Touch::Touched)
    );
    storage.set("b", "{}", "{\"n\":2}", 3_000).ok();
    assert_eq!(storage.live_count(1_795_000_123_456), 1);
    assert_eq!(storage.sweep(2_000).removed, 0);
    assert_eq!(storage.sweep(1_795_000_123_456).removed, 1);
    assert!(storage.get("b", 0).is_none());
    assert!(storage.get("a", 1_795_000_124_000).is_some());
    assert_eq!(storage.sweep(1_795_000_124_456).removed, 1);
    assert_eq!(storage.len(), 0);
    // Earlier: filed again at once, so the sweep at that time finds it.
    storage.set("c", "{}", "{}", 5_000).ok();
    storage.set("c", "{}", "{}", 4_000).ok();
    assert_eq!(storage.live_count(4_000), 0);
    assert_eq!(storage.sweep(4_000).removed, 1);
    assert_eq!(storage.bytes(), 0);
  }

  #[test]
  fn touch_moves_expiry_and_keeps_data() {
    let mut storage = Storage::new(0, 0);
    storage.set("a", "{\"v\":1}", "{\"x\":2}", 100).ok();
    assert_eq!(storage.touch("a", "{\"v\":22}", 300, 50), Ok(true));
    assert_eq!(storage.sweep(200).removed, 0);
    assert_eq!(
      storage.get("a", 250),
      Some(("{\"v\":22}".into(), "{\"x\":2}"))
    );
    assert_eq!(storage.bytes(), 1 + 8 + 7);
    assert_eq!(storage.touch("missing", "{}", 300, 50), Ok(false));
  }

  #[test]
  fn cookies_share_a_template_and_come_back_whole() {
    let mut storage = Storage::new(0, 0);
    let cookie = |iso: &str| {
      format!("{{\"originalMaxAge\":60000,\"expires\":\"{iso}\",\"httpOnly\":true,\"path\":\"/\"}}")
    };
    // 1_795_000_123_456 ms is 2026-11-18T11:08:43.456Z.
    let first = cookie("2026-11-18T11:08:43.456Z");
    let second = cookie("2026-11-18T11:08:44.456Z");
    storage
      .set("a", &first, "{\"n\":1}", 1_795_000_123_456)
      .ok();
    storage.set("b", &second, "{}", 1_795_000_124_456).ok();
    // An expiry that is not the cookie's date is kept verbatim.
    storage.set("c", &first, "{}", 1_795_000_000_000).ok();
    assert_eq!(storage.templates.len(), 1);
    assert_eq!(
      storage.get("a", 0).map(|(c, _)| c.into_owned()),
      Some(first.clone())
    );
    assert_eq!(
      storage.get("b", 0).map(|(c, _)| c.into_owned()),
      Some(second.clone())
    );
    assert_eq!(
      storage.get("c", 0).map(|(c, _)| c.into_owned()),
      Some(first.clone())
    );
    assert_eq!(
      storage.bytes(),
      3 + 2 * first.len() + second.len() + 7 + 2 + 2
    );
    storage.remove("a");
    assert_eq!(storage.templates.len(), 1);
    storage.remove("b");
    assert_eq!(storage.templates.len(), 0);
  }

  #[test]
  fn loads_a_templated_cookie_by_id_and_touches_it_in_place() {
    let mut storage = Storage::new(0, 0);
    let cookie =
      |iso: &str| format!("{{\"originalMaxAge\":60000,\"expires\":\"{iso}\",\"path\":\"/\"}}");
    let first = cookie("2026-11-18T11:08:43.456Z");
    storage
      .set("a", &first, "{\"n\":1}", 1_795_000_123_456)
      .ok();
    // A cookie whose date is not its expiry is kept whole.
    let whole = "{\"expires\":\"2020-01-01T00:00:00.000Z\"}";
    storage.set("b", whole, "{}", 1_795_000_000_000).ok();
    let Some((StoredCookie::Template { id, expires }, data)) = storage.load("a", 0) else {
      panic!("a templated cookie")
    };
    assert_eq!((expires, data), (1_795_000_123_456, "{\"n\":1}"));
    let (text, split) = storage
      .template(id)
      .map(Template::parts)
      .unwrap_or_default();
    let split = split.unwrap_or_default();
    assert_eq!(
      format!(
        "{}2026-11-18T11:08:43.456Z{}",
        &text[..split],
        &text[split..]
      ),
      first
    );
    assert_eq!(
      storage.load("b", 0),
      Some((StoredCookie::Json(whole.into()), "{}"))
    );

    let bytes = storage.bytes();
    assert_eq!(
      storage.touch_template("a", id, 1_795_000_124_456, 0),
      Ok(Touch::Touched)
    );
    assert_eq!(storage.bytes(), bytes);
    assert_eq!(
      storage
        .get("a", 1_795_000_124_000)
        .map(|(c, d)| (c.into_owned(), d.to_owned())),
      Some((cookie("2026-11-18T11:08:44.456Z"), "{\"n\":1}".to_owned()))
    );
    assert_eq!(
      storage.sweep(1_795_000_123_456),
      Swept {
        removed: 1,
        bytes: 1 + whole.len() + 2,
        compacted: false,
        done: true
      }
    );
    assert_eq!(storage.touch_template("b", id, 1, 0), Ok(Touch::Missing));
    assert_eq!(
      storage.touch_template("a", id + 1, 1_795_000_124_456, 0),
      Ok(Touch::UnknownTemplate)
    );
    storage.set("c", whole, "{}", 1_795_000_000_000).ok();
    assert_eq!(
      storage.touch_template("c", id, 1_795_000_124_456, 0),
      Ok(Touch::UnknownTemplate)
    );
  }

  #[test]
  fn a_touch_with_another_cookie_moves_the_entry_to_its_template() {
    let mut storage = Storage::new(0, 0);
    let cookie =
      |age: u32| format!("{{\"originalMaxAge\":{age},\"expires\":\"2026-11-18T11:08:43.456Z\"}}");
    storage
      .set("a", &cookie(60000), "{}", 1_795_000_123_456)
      .ok();
    let first = template_id(&mut storage, "a").unwrap_or_default();
    assert_eq!(
      storage.touch("a", &cookie(59999), 1_795_000_123_456, 0),
      Ok(true)
    );
    assert_eq!(storage.templates.len(), 1);
    assert!(storage.template(first).is_none());
    assert_eq!(
      storage.get("a", 0).map(|(c, _)| c.into_owned()),
      Some(cookie(59999))
    );
    assert_eq!(storage.bytes(), 1 + cookie(59999).len() + 2);
  }

  #[test]
  fn cookies_without_a_date_share_a_template_as_they_are() {
    let mut storage = Storage::new(0, 0);
    let cookie = "{\"originalMaxAge\":null,\"expires\":null,\"httpOnly\":true,\"path\":\"/\"}";
    assert!(matches!(
      storage.set("a", cookie, "{\"n\":1}", 1_000),
      Ok(Some(_))
    ));
    storage.set("b", cookie, "{}", 2_000).ok();
    assert_eq!(storage.templates.len(), 1);
    let Some((StoredCookie::Template { id, expires }, data)) = storage.load("a", 0) else {
      panic!("a templated cookie")
    };
    assert_eq!((expires, data), (1_000, "{\"n\":1}"));
    assert_eq!(
      storage.template(id).map(Template::parts),
      Some((cookie, None))
    );
    assert_eq!(
      storage.get("b", 0).map(|(c, _)| c.into_owned()),
      Some(cookie.to_owned())
    );
    // Any expiry serves: the store's ttl sets it, not the cookie.
    assert_eq!(
      storage.touch_template("a", id, 9_000, 0),
      Ok(Touch::Touched)
    );
    assert_eq!(storage.set_template("c", id, "{}", 9_000), Ok(true));
    assert_eq!(
      storage.sweep(2_000),
      Swept {
        removed: 1,
        bytes: 1 + cookie.len() + 2,
        compacted: false,
        done: true
      }
    );
    assert_eq!(
      storage
        .get("a", 8_999)
        .map(|(c, d)| (c.into_owned(), d.to_owned())),
      Some((cookie.to_owned(), "{\"n\":1}".to_owned()))
    );
    assert_eq!(storage.bytes(), 2 * (1 + cookie.len()) + 7 + 2);
    // No cookie at all stays no cookie.
    assert_eq!(storage.set("d", "", "{}", 9_000), Ok(None));
  }

  #[test]
  fn sets_a_session_with_a_known_template() {
    let mut storage = Storage::new(0, 0);
    let cookie = |iso: &str| format!("{{\"expires\":\"{iso}\",\"path\":\"/\"}}");
    storage
      .set(
        "a",
        &cookie("2026-11-18T11:08:43.456Z"),
        "{}",
        1_795_000_123_456,
      )
      .ok();
    let id = template_id(&mut storage, "a").unwrap_or_default();
    assert_eq!(
      storage.set_template("b", id, "{\"n\":2}", 1_795_000_124_456),
      Ok(true)
    );
    assert_eq!(
      storage
        .get("b", 0)
        .map(|(c, d)| (c.into_owned(), d.to_owned())),
      Some((cookie("2026-11-18T11:08:44.456Z"), "{\"n\":2}".to_owned()))
    );
    assert_eq!(storage.bytes(), 2 * (1 + cookie("").len() + 24) + 2 + 7);
    assert_eq!(storage.set_template("c", id + 1, "{}", 0), Ok(false));
    assert_eq!(storage.len(), 2);
  }

  #[test]
  fn template_ids_are_not_reused_after_clear() {
    let mut storage = Storage::new(0, 0);
    let cookie = "{\"expires\":\"2026-11-18T11:08:43.456Z\"}";
    storage.set("a", cookie, "{}", 1_795_000_123_456).ok();
    let first = template_id(&mut storage, "a");
    storage.clear();
    storage.set("a", cookie, "{}", 1_795_000_123_456).ok();
    let second = template_id(&mut storage, "a");
    assert!(first.is_some() && second.is_some());
    assert_ne!(first, second);
  }

  #[test]
  fn compacts_after_a_large_sweep_and_keeps_the_rest() {
    let mut storage = Storage::new(0, 0);
    for i in 0..5000 {
      storage
        .set(
          &format!("s{i}"),
          "{}",
          &format!("{{\"i\":{i}}}"),
          if i % 10 == 0 { 100 } else { 1 },
        )
        .ok();
    }
    assert_eq!(storage.sweep(50).removed, 4500);
    assert_eq!(storage.slots.len(), 500);
    assert_eq!(storage.len(), 500);
    for i in (0..5000).step_by(10) {
      let expected = format!("{{\"i\":{i}}}");
      assert_eq!(
        storage
          .get(&format!("s{i}"), 60)
          .map(|(_, data)| data.to_owned()),
        Some(expected)
      );
    }
    assert_eq!(storage.sweep(100).removed, 500);
    assert_eq!(storage.len(), 0);
    assert_eq!(storage.bytes(), 0);
  }

  #[test]
  fn sweeps_and_compacts_in_slices_while_sessions_come_and_go() {
    let mut storage = Storage::new(0, 0);
    let mut model = HashMap::new();
    for i in 0..20_000 {
      let expires = if i % 20 == 0 { 1_000 } else { 10 };
      storage.set(&format!("s{i}"), "{}", "{}", expires).ok();
      model.insert(format!("s{i}"), expires);
    }
    let mut slices = 0;
    loop {
      // A deadline already passed: each slice stops after a few steps.
      let swept = storage.sweep_until(100, Some(Instant::now()));
      model.retain(|_, expires| *expires > 100);
      slices += 1;
      // Requests between two slices.
      let added = format!("n{slices}");
      storage.set(&added, "{}", "{}", 1_000).ok();
      model.insert(added, 1_000);
      let gone = format!("s{}", (slices * 60) % 20_000);
      assert_eq!(storage.remove(&gone), model.remove(&gone).is_some());
      if swept.done {
        break;
      }
      assert!(slices < 20_000, "a sweep that never ends");
    }
    assert!(slices > 100, "{slices} slices");
    assert_eq!(storage.len(), model.len());
    assert_eq!(storage.live_count(100), model.len());
    let bytes: usize = model.keys().map(|k| k.len() + 4).sum();
    assert_eq!(storage.bytes(), bytes);
    for sid in model.keys() {
      assert!(storage.get(sid, 100).is_some(), "{sid}");
    }
    assert!(
      storage.slots.len() < 2 * model.len(),
      "{} slots",
      storage.slots.len()
    );
    assert!(storage.slots.capacity() < 5_000);
    // Freed slots are taken again, and nothing stored twice.
    let before = storage.slots.len();
    for i in 0..100 {
      storage.set(&format!("m{i}"), "{}", "{}", 1_000).ok();
    }
    assert!(storage.slots.len() <= before + 100);
    assert_eq!(storage.len(), model.len() + 100);
  }

  #[test]
  fn counts_live_sessions_without_removing_any() {
    let mut storage = Storage::new(0, 0);
    for i in 0..10 {
      storage.set(&format!("s{i}"), "{}", "{}", i * 10).ok();
    }
    assert_eq!(storage.live_count(45), 5);
    assert_eq!(storage.len(), 10);
  }

  #[test]
  fn evicts_least_recently_used() {
    let mut storage = Storage::new(2, 0);
    storage.set("a", "{}", "{}", 1000).ok();
    storage.set("b", "{}", "{}", 1000).ok();
    assert!(storage.get("a", 0).is_some());
    storage.set("c", "{}", "{}", 1000).ok();
    assert!(storage.get("b", 0).is_none());
    assert!(storage.get("a", 0).is_some());
    assert!(storage.get("c", 0).is_some());
  }

  #[test]
  fn a_touch_that_would_not_fit_is_refused_and_evicts_nothing() {
    let mut storage = Storage::new(0, 40);
    storage.set("a", "{}", "{\"n\":1}", 1000).ok();
    storage.set("b", "{}", "{\"n\":2}", 1000).ok();
    let long = format!("{{\"domain\":\"{}\"}}", "x".repeat(40));
    assert_eq!(
      storage.touch("a", &long, 2000, 0),
      Err(StoreError::TooLarge {
        bytes: 1 + long.len() + 7,
        max_bytes: 40
      })
    );
    assert_eq!(storage.len(), 2);
    assert_eq!(storage.get("a", 0), Some(("{}".into(), "{\"n\":1}")));
    assert!(storage.get("b", 0).is_some());
    assert_eq!(storage.sweep(1000).removed, 2);
  }

  #[test]
  fn bounds_bytes() {
    let mut storage = Storage::new(0, 15);
    assert_eq!(
      storage.set("big", "{}", "{\"data\":\"0123456789abcdef\"}", 10),
      Err(StoreError::TooLarge {
        bytes: 32,
        max_bytes: 15
      })
    );
    storage.set("a", "{}", "{\"n\":1}", 10).ok();
    storage.set("b", "{}", "{\"n\":2}", 10).ok();
    assert_eq!(storage.len(), 1);
    assert!(storage.bytes() <= 15);
    assert!(storage.get("b", 0).is_some());
  }
}
