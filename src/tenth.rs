//! Numbers written into drawings to a tenth, fast.

/// A coordinate written as `{:.1}` writes it, but without the exact decimal
/// expansion the standard library falls back to for many values (a fifth of
/// the time of drawing a 1,000-step map went there). Values too close to a
/// rounding tie to tell, or too large for the shortcut, still go the standard
/// way, so the text is the same character for character.
pub(crate) struct Tenth(pub(crate) f64);

impl std::fmt::Display for Tenth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scaled = self.0 * 10.0;
        // Exact (a quarter, say): a tie rounds to even, as `{:.1}` rounds it.
        // Inexact and near a tie: only the exact expansion knows which way.
        let rounded = if self.0.mul_add(10.0, -scaled) == 0.0 {
            scaled.round_ties_even()
        } else if ((scaled - scaled.trunc()).abs() - 0.5).abs() < 1e-6 {
            return write!(f, "{:.1}", self.0);
        } else {
            scaled.round()
        };
        if !rounded.is_finite() || rounded.abs() >= 1e12 {
            return write!(f, "{:.1}", self.0);
        }
        #[expect(clippy::cast_possible_truncation, reason = "bounded by 1e12 just above")]
        let tenths = (rounded as i64).unsigned_abs();
        let sign = if self.0.is_sign_negative() { "-" } else { "" };
        write!(f, "{sign}{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::Tenth;

    /// The shortcut must write exactly what `{:.1}` writes, or every drawing
    /// (and its snapshot) would change by a digit here and there.
    #[test]
    fn a_tenth_is_written_as_the_standard_library_writes_it() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut values = vec![
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            -0.25,
            0.75,
            12.25,
            -3.75,
            -0.04,
            2.45,
            1e13,
            -1e13,
            f64::NAN,
            f64::INFINITY,
        ];
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            values.push((unit - 0.3) * 5_000.0);
            values.push(((unit * 40_000.0).round() / 100.0) - 100.0);
            values.push(((unit * 40_000.0).round() / 4.0) - 5_000.0);
        }
        for v in values {
            assert_eq!(Tenth(v).to_string(), format!("{v:.1}"), "{v:e}");
        }
    }
}
