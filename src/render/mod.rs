//! Drawing a map. One renderer serves every surface: the window shows the SVG
//! made here, and exports embed the same drawing, so what a facilitator sees is
//! what a manager circulates.

mod blueprint;
pub mod escape;

pub use blueprint::{Drawing, blueprint, blueprint_svg};
