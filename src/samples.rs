//! The sample maps shipped with Waymark, compiled into the binary so the app and
//! the CLI can start from one without finding an install directory.

/// A built-in sample: a file name and its interchange JSON.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Short name, also the file stem under `assets/samples/`.
    pub name: &'static str,
    /// The `waymark/1` document.
    pub json: &'static str,
}

/// The licence-renewal map the app opens on first run.
pub const LICENCE_RENEWAL: Sample =
    Sample { name: "licence-renewal", json: include_str!("../assets/samples/licence-renewal.json") };

/// Every sample, the first-run one first.
pub const ALL: [Sample; 3] = [
    LICENCE_RENEWAL,
    Sample { name: "it-service-desk", json: include_str!("../assets/samples/it-service-desk.json") },
    Sample { name: "tyre-order-to-delivery", json: include_str!("../assets/samples/tyre-order-to-delivery.json") },
];
