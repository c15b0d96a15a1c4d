//! User text is data. Everything a person typed goes through [`text`] or
//! [`attr`] before it enters markup, so a title like `<script>` is drawn as
//! those eight characters and never becomes an element.

/// Escapes text for XML character data and attribute values, and replaces the
/// characters XML 1.0 forbids outright (NUL and most C0 controls), which no
/// amount of escaping makes legal, with U+FFFD.
#[must_use]
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value; the same rules as [`text`], which already
/// escapes both kinds of quote.
#[must_use]
pub fn attr(s: &str) -> String {
    text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(text("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(attr("a\"b'c&d"), "a&quot;b&#39;c&amp;d");
    }

    #[test]
    fn forbidden_controls_are_replaced() {
        assert_eq!(text("a\u{0}b\u{7}c"), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(text("keeps\ttabs"), "keeps\ttabs");
    }
}
