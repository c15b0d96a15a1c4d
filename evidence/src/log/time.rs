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
