//! The scratch buffer: how strings reach Rust without a string conversion per
//! argument. Converting a JavaScript string argument through Node-API costs
//! about 400 ns; writing it into a Buffer from JavaScript costs a few dozen.
//!
//! Each JavaScript copy of the package owns its scratch Buffer and passes it
//! to every call that reads from it: Rust sees the bytes only for the time of
//! that call and keeps no pointer into them. Before a call JavaScript writes
//! a header of eight f64 slots (native byte order, as a Float64Array writes
//! them), then the call's strings as UTF-8, one after another; the slots say
//! how long each string is (and carry numbers such as an expiry time). A call
//! may also leave numbers in the slots for JavaScript to read afterwards.
//! A buffer too short for its header (a detached one has length 0) is
//! unreadable input, never a crash.

/// Number of f64 slots in the header.
pub const SLOTS: usize = 8;
/// Bytes before the first string.
pub const HEADER_BYTES: usize = SLOTS * 8;

/// What JavaScript wrote for one call.
pub struct Input<'a> {
  slots: [f64; SLOTS],
  body: &'a [u8],
}

impl<'a> Input<'a> {
  /// Parses the header of `bytes`; `None` when it is too short.
  pub fn parse(bytes: &'a [u8]) -> Option<Self> {
    let header = bytes.get(..HEADER_BYTES)?;
    let mut slots = [0f64; SLOTS];
    for (slot, chunk) in slots.iter_mut().zip(header.chunks_exact(8)) {
      let mut raw = [0u8; 8];
      raw.copy_from_slice(chunk);
      *slot = f64::from_ne_bytes(raw);
    }
    Some(Input {
      slots,
      body: &bytes[HEADER_BYTES..],
    })
  }

  /// The number in slot `index` (NaN when out of range).
  pub fn number(&self, index: usize) -> f64 {
    self.slots.get(index).copied().unwrap_or(f64::NAN)
  }

  /// The first `N` strings, whose byte lengths are in slots `0..N`; `None`
  /// when a length does not fit the buffer or a string is not UTF-8.
  pub fn strings<const N: usize>(&self) -> Option<[&'a str; N]> {
    let mut out = [""; N];
    let mut offset = 0usize;
    for (index, string) in out.iter_mut().enumerate() {
      let length = self.number(index);
      if !(length >= 0.0 && length <= self.body.len() as f64) {
        return None;
      }
      let end = offset.checked_add(length as usize)?;
      *string = std::str::from_utf8(self.body.get(offset..end)?).ok()?;
      offset = end;
    }
    Some(out)
  }
}

/// Writes `value` into header slot `index` of `scratch`, for JavaScript to
/// read after the call; false when the buffer is too short.
pub fn write_number(scratch: &mut [u8], index: usize, value: f64) -> bool {
  if index >= SLOTS {
    return false;
  }
  match scratch.get_mut(index * 8..index * 8 + 8) {
    Some(slot) => {
      slot.copy_from_slice(&value.to_ne_bytes());
      true
    }
    None => false,
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn encode(slots: &[f64], strings: &[&str]) -> Vec<u8> {
    let mut bytes = vec![0u8; HEADER_BYTES];
    for (i, slot) in slots.iter().enumerate() {
      bytes[i * 8..i * 8 + 8].copy_from_slice(&slot.to_ne_bytes());
    }
    for s in strings {
      bytes.extend_from_slice(s.as_bytes());
    }
    bytes
  }

  #[test]
  fn reads_strings_and_numbers() {
    let bytes = encode(&[3.0, 2.0, 4.0, 1234.5], &["abc", "\u{e9}", "wxyz"]);
    let input = Input::parse(&bytes).unwrap_or_else(|| panic!("header"));
    assert_eq!(input.strings::<3>(), Some(["abc", "\u{e9}", "wxyz"]));
    assert_eq!(input.number(3), 1234.5);
    assert!(input.number(99).is_nan());
  }

  #[test]
  fn rejects_bad_lengths_and_bytes() {
    let too_long = encode(&[10.0], &["abc"]);
    assert!(Input::parse(&too_long)
      .and_then(|i| i.strings::<1>())
      .is_none());
    let negative = encode(&[-1.0], &["abc"]);
    assert!(Input::parse(&negative)
      .and_then(|i| i.strings::<1>())
      .is_none());
    let nan = encode(&[f64::NAN], &["abc"]);
    assert!(Input::parse(&nan).and_then(|i| i.strings::<1>()).is_none());
    let mut broken = encode(&[2.0], &[]);
    broken.extend_from_slice(&[0xC3, 0x28]);
    assert!(Input::parse(&broken)
      .and_then(|i| i.strings::<1>())
      .is_none());
    assert!(Input::parse(&[0u8; 10]).is_none());
    assert!(Input::parse(&[]).is_none());
  }

  #[test]
  fn writes_numbers_inside_the_header_only() {
    let mut bytes = vec![0u8; HEADER_BYTES];
    assert!(write_number(&mut bytes, 7, 2.5));
    assert_eq!(Input::parse(&bytes).map(|i| i.number(7)), Some(2.5));
    bytes.resize(HEADER_BYTES + 8, 0);
    assert!(!write_number(&mut bytes, 8, 1.0));
    assert!(!write_number(&mut [], 0, 1.0));
  }
}
