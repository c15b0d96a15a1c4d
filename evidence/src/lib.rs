//! Evidence: what an organisation's own records say about a map.
//!
//! A workshop's map states what people believe: shares guessed, one "actual
//! minutes" per handoff. This crate reads what the organisation recorded
//! instead, and measures the map against it (the contract is
//! `docs/evidence.md`):
//!
//! - [`log`]: event logs, XES (plain or gzip) and CSV, read as a stream into
//!   compact cases: activities and departments interned, times as instants,
//!   people's names never kept;
//! - [`instances`]: lifecycle events paired into activity instances, in the
//!   order the contract gives;
//! - [`bind`]: which activity is which step of a map;
//! - [`measure`]: transitions, their times, measured shares, agreements
//!   measured with their intervals, case throughput, segments;
//! - [`stats`]: the few statistics the contract fixes exactly (quantiles,
//!   the adjusted Wald interval);
//! - [`discover`]: a first map made from a log alone;
//! - [`survey`]: survey exports (CSV, XLSX, Qualtrics, Google Forms) read
//!   and bound to steps, each step's mean with its interval;
//! - [`calibrate`]: the experience model's weights fitted to what the
//!   respondents said overall;
//! - [`certainty`]: how sure the ranking is, by resampling the answers and
//!   ratings the scores rest on.
//!
//! It sits above the core (`waymark`), beside the library and the room, and
//! below the command-line tool and the window. It must never depend on the
//! network, the library or the shell: reading a file and measuring a map are
//! plain functions of their inputs.

pub mod bind;
pub mod calibrate;
pub mod certainty;
pub mod discover;
pub mod instances;
pub mod log;
pub mod measure;
pub mod sheet;
pub mod stats;
pub mod survey;
