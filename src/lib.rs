//! `waymark`, the core: the journey map and everything done with it on one
//! machine. It holds the model, its graph and validation, the experience
//! analysis, editing (every change an `Edit`), reviews, the portfolio of many
//! maps, the blueprint's layout and drawing, the PDF report, the waymark/1
//! interchange format and the `.waymark` file store, with [`storage::Storage`],
//! the one interface every map's store offers.
//!
//! It must never depend on a network (no Tokio, PostgreSQL, TLS or HTTP, not
//! even through a dependency: `scripts/test-all.sh` checks `cargo tree`), on
//! a window (Tauri), or on any other crate of the workspace. They stand on
//! it: the organisation's library (`waymark-library`, which implements
//! `Storage` on PostgreSQL), the workshop room (`waymark-room`), the
//! command line (`waymark-cli`) and the desktop shell (`waymark-app`).
//!
//! Inside, the modules form layers too, and no module uses one that uses it
//! back (`tests/it/layers.rs` fails on a circle): `model`, `fonts` and
//! `atomic` at the bottom; `graph`, then `validate` and `layout`; `analysis`
//! and `edit`; `interchange`, `csv_import` and `review`; `render` and
//! `store`; `files`, `storage`, `portfolio` and `recent`; the `report` on
//! top. `ARCHITECTURE.md` at the root of the repository is the map of the
//! code.

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
mod tenth;
pub mod validate;

pub use model::Map;
