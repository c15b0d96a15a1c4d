//! Waymark's core: the journey map, its validation, storage, interchange and
//! drawing. It knows nothing of windows or Tauri; the desktop shell and the
//! `waymark` command-line tool are thin layers over it. `ARCHITECTURE.md` at the
//! root of the repository is the map of the code.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod analysis;
pub mod atomic;
pub mod csv_import;
pub mod edit;
pub mod files;
pub mod fonts;
pub mod graph;
pub mod interchange;
pub mod layout;
pub mod library;
pub mod model;
pub mod portfolio;
pub mod recent;
pub mod render;
pub mod report;
pub mod review;
pub mod samples;
pub mod storage;
pub mod store;
pub mod synthetic;
pub mod validate;

pub use model::Map;
