//! The phone page, built into the binary: no CDN, no remote fonts, nothing
//! fetched from anywhere but this server. Plain HTML, CSS and a script that
//! builds every element from data with `textContent`, so what participants
//! type is shown as text and never run.

/// The page at `/r/TOKEN/`.
pub const PAGE: &str = include_str!("../assets/phone.html");
/// Its script.
pub const SCRIPT: &str = include_str!("../assets/phone.js");
/// Its style.
pub const STYLE: &str = include_str!("../assets/phone.css");
/// The page at `/join`, where the room code is typed.
pub const JOIN: &str = include_str!("../assets/join.html");
/// Its script.
pub const JOIN_SCRIPT: &str = include_str!("../assets/join.js");
