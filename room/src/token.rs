//! The room's token (in every path) and its code (typed at `/join`).

/// Letters and digits no one mistakes for another: no 0/O, 1/I/L.
pub(crate) const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The operating system's random source; it does not fail on the
    // platforms Waymark runs on, and a zeroed token would still be refused
    // by nothing, so fall back to the clock rather than panic.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (nanos >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(151);
        }
    }
    bytes
}

/// 192 random bits as lowercase hex: unguessable, and safe in a URL.
#[must_use]
pub fn token() -> String {
    random::<24>().iter().map(|b| format!("{b:02x}")).collect()
}

/// Six characters from [`CODE_ALPHABET`].
#[must_use]
pub fn code() -> String {
    random::<6>().iter().map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()])).collect()
}

/// Whether two strings are equal, taking as long whatever their contents, so
/// the time of a refusal says nothing about how much of a token was right.
#[must_use]
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_differ_and_codes_avoid_look_alikes() {
        let (a, b) = (token(), token());
        assert_eq!(a.len(), 48);
        assert_ne!(a, b);
        for _ in 0..200 {
            let c = code();
            assert_eq!(c.len(), 6);
            assert!(!c.contains(['0', 'O', '1', 'I', 'L']), "{c}");
        }
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
