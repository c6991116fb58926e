//! Session IDs: 24 bytes from the OS CSPRNG rendered as 32 URL-safe base64
//! characters, the same shape as uid-safe's `uid.sync(24)`.
//!
//! IDs are made in batches: one call fills a caller's buffer with as many IDs
//! as fit, so the cost of crossing into Rust is paid once per batch.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

/// Random bytes in one ID.
pub const ID_BYTES: usize = 24;
/// Characters in one encoded ID.
pub const ID_LEN: usize = 32;

/// Encodes `ID_BYTES` random bytes as one ID into `out` (`ID_LEN` bytes).
fn encode_id(random: &[u8], out: &mut [u8]) -> bool {
  matches!(URL_SAFE_NO_PAD.encode_slice(random, out), Ok(ID_LEN))
}

/// Fills `out` with whole IDs (ASCII) and returns how many it wrote.
pub fn fill_ids(out: &mut [u8]) -> Result<usize, getrandom::Error> {
  let count = out.len() / ID_LEN;
  let mut random = vec![0u8; count * ID_BYTES];
  getrandom::fill(&mut random)?;
  let mut written = 0;
  for (bytes, id) in random
    .chunks_exact(ID_BYTES)
    .zip(out.chunks_exact_mut(ID_LEN))
  {
    if !encode_id(bytes, id) {
      break;
    }
    written += 1;
  }
  Ok(written)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn encodes_like_uid_safe() {
    // Buffer.from(bytes).toString('base64url') for bytes 0..24 and 0xff * 24,
    // which is how uid-safe renders its random bytes.
    let ascending: Vec<u8> = (0u8..24).collect();
    let mut out = [0u8; ID_LEN];
    assert!(encode_id(&ascending, &mut out));
    assert_eq!(&out, b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYX");
    assert!(encode_id(&[0xff; ID_BYTES], &mut out));
    assert_eq!(&out, b"________________________________");
    assert!(encode_id(&[0xfb; ID_BYTES], &mut out));
    assert_eq!(&out, b"-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7");
  }

  #[test]
  fn fills_whole_ids_only() {
    let mut out = vec![0u8; ID_LEN * 3 + 5];
    assert_eq!(fill_ids(&mut out).ok(), Some(3));
    assert!(out[..ID_LEN * 3]
      .iter()
      .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'));
    assert!(out[ID_LEN * 3..].iter().all(|b| *b == 0));
    assert_ne!(out[..ID_LEN], out[ID_LEN..ID_LEN * 2]);
  }
}
