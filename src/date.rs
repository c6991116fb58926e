//! Dates as JavaScript renders them: `Date#toUTCString()` (for the Expires
//! attribute) and `Date#toISOString()` (for cookie JSON).

/// Largest magnitude of a valid JavaScript date, in milliseconds.
const MAX_TIME: f64 = 8.64e15;

/// Appends two decimal digits of `n` (0-99).
fn push_two_digits(out: &mut String, n: i64) {
  out.push(char::from(b'0' + (n / 10 % 10) as u8));
  out.push(char::from(b'0' + (n % 10) as u8));
}

/// Appends `Date.prototype.toUTCString()` of `ms`; `None` (appending nothing)
/// for an invalid date.
pub fn push_utc_string(out: &mut String, ms: f64) -> Option<()> {
  let ms = whole_ms(ms)?;
  let days = ms.div_euclid(86_400_000);
  let seconds_of_day = ms.rem_euclid(86_400_000) / 1000;
  let (year, month, day) = civil_from_days(days);
  const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
  const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ];
  out.push_str(WEEKDAYS[days.rem_euclid(7) as usize]);
  out.push_str(", ");
  push_two_digits(out, day);
  out.push(' ');
  out.push_str(MONTHS[(month - 1) as usize]);
  out.push(' ');
  if year < 0 {
    out.push('-');
  }
  let year = year.abs();
  if year >= 10_000 {
    out.push_str(&year.to_string());
  } else {
    push_two_digits(out, year / 100);
    push_two_digits(out, year % 100);
  }
  out.push(' ');
  push_two_digits(out, seconds_of_day / 3600);
  out.push(':');
  push_two_digits(out, seconds_of_day / 60 % 60);
  out.push(':');
  push_two_digits(out, seconds_of_day % 60);
  out.push_str(" GMT");
  Some(())
}

/// Proleptic Gregorian (year, month 1-12, day 1-31) of a count of days since
/// 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
  let z = days + 719_468;
  let era = z.div_euclid(146_097);
  let doe = z.rem_euclid(146_097);
  let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  let mp = (5 * doy + 2) / 153;
  let day = doy - (153 * mp + 2) / 5 + 1;
  let month = if mp < 10 { mp + 3 } else { mp - 9 };
  let year = yoe + era * 400 + i64::from(month <= 2);
  (year, month, day)
}

/// A valid JavaScript time value as whole milliseconds.
fn whole_ms(ms: f64) -> Option<i64> {
  if !ms.is_finite() || ms.abs() > MAX_TIME {
    return None;
  }
  // Dates hold whole milliseconds; within the range above this is exact.
  Some(ms.trunc() as i64)
}

/// Length of an ISO string with a four-digit year.
pub const ISO_LEN: usize = 24;

/// Whether `push_iso_string` renders `ms`.
pub fn has_iso_string(ms: i64) -> bool {
  let (year, _, _) = civil_from_days(ms.div_euclid(86_400_000));
  (0..=9999).contains(&year)
}

/// Appends `Date#toISOString()` of `ms` for years 0 to 9999 (the only ones it
/// renders with four digits); `None`, appending nothing, otherwise.
pub fn push_iso_string(out: &mut String, ms: i64) -> Option<()> {
  let days = ms.div_euclid(86_400_000);
  let ms_of_day = ms.rem_euclid(86_400_000);
  let (year, month, day) = civil_from_days(days);
  if !(0..=9999).contains(&year) {
    return None;
  }
  push_two_digits(out, year / 100);
  push_two_digits(out, year % 100);
  out.push('-');
  push_two_digits(out, month);
  out.push('-');
  push_two_digits(out, day);
  out.push('T');
  push_two_digits(out, ms_of_day / 3_600_000);
  out.push(':');
  push_two_digits(out, ms_of_day / 60_000 % 60);
  out.push(':');
  push_two_digits(out, ms_of_day / 1000 % 60);
  out.push('.');
  let millis = ms_of_day % 1000;
  out.push(char::from(b'0' + (millis / 100) as u8));
  push_two_digits(out, millis % 100);
  out.push('Z');
  Some(())
}

#[cfg(test)]
mod tests {
  #[test]
  fn knows_which_times_have_an_iso_string() {
    for ms in [
      0,
      1_795_000_123_456,
      -62_167_219_200_000,
      253_402_300_799_999,
    ] {
      assert!(super::has_iso_string(ms));
      assert!(super::push_iso_string(&mut String::new(), ms).is_some());
    }
    for ms in [-62_167_219_200_001, 253_402_300_800_000] {
      assert!(!super::has_iso_string(ms));
      assert!(super::push_iso_string(&mut String::new(), ms).is_none());
    }
  }

  use super::*;

  fn utc_string(ms: f64) -> Option<String> {
    let mut out = String::new();
    push_utc_string(&mut out, ms).map(|()| out)
  }

  #[test]
  fn renders_dates_like_to_utc_string() {
    // Expected values from new Date(ms).toUTCString() in Node 20.
    let cases: &[(f64, &str)] = &[
      (0.0, "Thu, 01 Jan 1970 00:00:00 GMT"),
      (-1.0, "Wed, 31 Dec 1969 23:59:59 GMT"),
      (-62198755200000.0, "Fri, 01 Jan -0001 00:00:00 GMT"),
      (-8.64e15, "Tue, 20 Apr -271821 00:00:00 GMT"),
      (8.64e15, "Sat, 13 Sep 275760 00:00:00 GMT"),
      (253402300800000.0, "Sat, 01 Jan 10000 00:00:00 GMT"),
      (-62135596800000.0, "Mon, 01 Jan 0001 00:00:00 GMT"),
    ];
    for (ms, expected) in cases {
      assert_eq!(utc_string(*ms).as_deref(), Some(*expected), "{ms}");
    }
    assert_eq!(utc_string(f64::NAN), None);
    assert_eq!(utc_string(8.64e15 + 1.0), None);
  }

  #[test]
  fn renders_iso_strings_like_to_iso_string() {
    // Expected values from new Date(ms).toISOString() in Node 20.
    let cases: &[(i64, Option<&str>)] = &[
      (0, Some("1970-01-01T00:00:00.000Z")),
      (-1, Some("1969-12-31T23:59:59.999Z")),
      (1_795_000_123_456, Some("2026-11-18T11:08:43.456Z")),
      (253_402_300_799_999, Some("9999-12-31T23:59:59.999Z")),
      (-62_167_219_200_000, Some("0000-01-01T00:00:00.000Z")),
      (253_402_300_800_000, None),
      (-62_167_219_200_001, None),
    ];
    for (ms, expected) in cases {
      let mut out = String::new();
      let rendered = push_iso_string(&mut out, *ms).map(|()| out);
      assert_eq!(rendered.as_deref(), *expected, "{ms}");
      if let Some(iso) = rendered {
        assert_eq!(iso.len(), ISO_LEN);
      }
    }
  }
}
