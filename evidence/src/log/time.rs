//! Timestamps as logs write them: ISO 8601 with a `T` or a space, optional
//! fractions of a second, and an offset (`+02:00`, `+0200`, `Z`) or none. A
//! time without an offset is read in the zone the caller gives (UTC unless
//! told), and the log says how many there were.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone as _};

/// A time read from a log: the instant, in microseconds since the Unix epoch
/// (UTC), and the offset it was written with (`None`: it had none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Microseconds since 1970-01-01T00:00:00Z.
    pub micros: i64,
    /// The written offset east of UTC, in seconds; `None` for a naive time.
    pub offset: Option<i32>,
}

const WITH_OFFSET: [&str; 4] =
    ["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z", "%Y-%m-%d %H:%M%#z"];
const NAIVE: [&str; 5] =
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S%.f"];

/// Parses `text`; naive times are taken in `zone`. `None` when it is not a time.
#[must_use]
pub fn parse(text: &str, zone: FixedOffset) -> Option<Stamp> {
    let t = text.trim();
    if let Some(stamp) = parse_usual(t.as_bytes(), zone) {
        return Some(stamp);
    }
    // `Z` is UTC; chrono's %#z wants a number.
    let t: std::borrow::Cow<'_, str> = match t.strip_suffix(['Z', 'z']) {
        Some(rest) => format!("{rest}+00:00").into(),
        None => t.into(),
    };
    for format in WITH_OFFSET {
        if let Ok(d) = DateTime::<FixedOffset>::parse_from_str(&t, format) {
            return Some(Stamp { micros: d.timestamp_micros(), offset: Some(d.offset().local_minus_utc()) });
        }
    }
    for format in NAIVE {
        if let Ok(n) = NaiveDateTime::parse_from_str(&t, format) {
            let d = zone.from_local_datetime(&n).single()?;
            return Some(Stamp { micros: d.timestamp_micros(), offset: None });
        }
    }
    // A date alone is midnight.
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
        let d = zone.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single()?;
        return Some(Stamp { micros: d.timestamp_micros(), offset: None });
    }
    None
}

/// The form nearly every log writes, read without chrono's format machinery:
/// `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]`. Anything else, or
/// anything out of range, is `None` and left to the general reader, which
/// agrees with this one wherever both read (a test checks).
fn parse_usual(t: &[u8], zone: FixedOffset) -> Option<Stamp> {
    fn digits(t: &[u8], from: usize, n: usize) -> Option<i64> {
        let part = t.get(from..from + n)?;
        part.iter().try_fold(0i64, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0')))
    }
    if t.len() < 19 || t[4] != b'-' || t[7] != b'-' || !matches!(t[10], b'T' | b' ') || t[13] != b':' || t[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(t, 0, 4)?, digits(t, 5, 2)?, digits(t, 8, 2)?);
    let (hour, minute, second) = (digits(t, 11, 2)?, digits(t, 14, 2)?, digits(t, 17, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut at = 19;
    let mut micros = 0i64;
    if t.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while at < t.len() && t[at].is_ascii_digit() {
            if at - start < 6 {
                micros = micros * 10 + i64::from(t[at] - b'0');
            }
            at += 1;
        }
        let written = at - start;
        // More than nanoseconds is past what the general reader takes.
        if written == 0 || written > 9 {
            return None;
        }
        for _ in written..6 {
            micros *= 10;
        }
    }
    let offset = match &t[at..] {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest {
                [_, _, b':', _, _] => (digits(rest, 0, 2)?, digits(rest, 3, 2)?),
                [_, _, _, _] => (digits(rest, 0, 2)?, digits(rest, 2, 2)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = i32::try_from(h * 3600 + m * 60).ok()?;
            Some(if *sign == b'-' { -seconds } else { seconds })
        }
        _ => return None,
    };
    // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
    // days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let local = ((days * 24 + hour) * 60 + minute) * 60 + second;
    let east = offset.unwrap_or_else(|| zone.local_minus_utc());
    Some(Stamp { micros: (local - i64::from(east)) * 1_000_000 + micros, offset })
}

/// A zone given on the command line: `UTC`, `Z`, or an offset like `+01:00`.
///
/// # Errors
/// Anything else, in words.
pub fn zone(text: &str) -> Result<FixedOffset, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") || t == "+00:00" {
        return FixedOffset::east_opt(0).ok_or_else(|| "UTC".to_owned());
    }
    let probe = format!("2000-01-01T00:00:00{t}");
    DateTime::<FixedOffset>::parse_from_str(&probe, "%Y-%m-%dT%H:%M:%S%#z").map(|d| *d.offset()).map_err(|_| {
        format!("\"{t}\" is not a time zone this reads: give UTC or an offset such as +01:00 (the zone naive times were written in)")
    })
}

/// An offset in seconds as people write it: `+02:00`.
#[must_use]
pub fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// An instant as UTC text, to the second.
#[must_use]
pub fn utc_text(micros: i64) -> String {
    DateTime::from_timestamp_micros(micros)
        .map_or_else(|| micros.to_string(), |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!())
    }

    /// Reads `t` with chrono's formats only, as before the quick path.
    fn general(t: &str, zone: FixedOffset) -> Option<Stamp> {
        let t: String = match t.strip_suffix(['Z', 'z']) {
            Some(rest) => format!("{rest}+00:00"),
            None => t.to_owned(),
        };
        WITH_OFFSET
            .iter()
            .find_map(|f| DateTime::<FixedOffset>::parse_from_str(&t, f).ok())
            .map(|d| Stamp { micros: d.timestamp_micros(), offset: Some(d.offset().local_minus_utc()) })
            .or_else(|| {
                NAIVE.iter().find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok()).map(|n| {
                    let d = zone.from_local_datetime(&n).single().unwrap_or_else(|| unreachable!());
                    Stamp { micros: d.timestamp_micros(), offset: None }
                })
            })
    }

    #[test]
    fn the_quick_reader_agrees_with_chrono_wherever_it_reads() {
        let zone = FixedOffset::east_opt(-3 * 3600).unwrap_or_else(|| unreachable!());
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut quick = 0;
        for _ in 0..20_000 {
            let year = 1600 + next(900);
            // Out-of-range fields too: both must refuse them.
            let (month, day) = (next(14), next(33));
            let (hour, minute, second) = (next(25), next(61), next(61));
            let fraction = match next(4) {
                0 => String::new(),
                1 => format!(".{}", next(1000)),
                2 => format!(".{:06}", next(1_000_000)),
                _ => format!(".{:09}", next(1_000_000_000)),
            };
            let offset = match next(5) {
                0 => String::new(),
                1 => "Z".to_owned(),
                2 => format!("+{:02}:{:02}", next(15), next(60)),
                3 => format!("-{:02}{:02}", next(15), next(60)),
                _ => "+01:00".to_owned(),
            };
            let sep = if next(2) == 0 { 'T' } else { ' ' };
            let text = format!("{year:04}-{month:02}-{day:02}{sep}{hour:02}:{minute:02}:{second:02}{fraction}{offset}");
            if let Some(q) = parse_usual(text.as_bytes(), zone) {
                quick += 1;
                assert_eq!(Some(q), general(&text, zone), "{text}");
            }
            assert_eq!(parse(&text, zone), general(&text, zone), "{text}");
        }
        assert!(quick > 5_000, "the quick path read only {quick} of 20,000");
    }

    #[test]
    fn the_forms_logs_write_read_as_the_same_instant() {
        let xes = parse("2011-10-11T13:45:40.276+02:00", utc()).unwrap_or_else(|| unreachable!());
        let csv = parse("2011-10-11 13:45:40.276000+02:00", utc()).unwrap_or_else(|| unreachable!());
        let z = parse("2011-10-11T11:45:40.276Z", utc()).unwrap_or_else(|| unreachable!());
        assert_eq!((xes.micros, csv.micros), (z.micros, z.micros));
        assert_eq!((xes.offset, z.offset), (Some(7200), Some(0)));
        let naive = parse("2002-05-30T09:30:10", FixedOffset::east_opt(3600).unwrap_or_else(|| unreachable!()))
            .unwrap_or_else(|| unreachable!());
        assert_eq!(naive.offset, None);
        assert_eq!(utc_text(naive.micros), "2002-05-30T08:30:10Z");
        assert_eq!(parse("yesterday", utc()), None);
        assert_eq!(offset_text(-5400), "-01:30");
        assert!(zone("Europe/Amsterdam").is_err() && zone("+01:00").is_ok());
    }
}
