//! Generated maps for benchmarks and stress tests: as large as asked, valid,
//! and branching so much that their paths could never be listed.
//!
//! The map is layered: each layer's steps flow to 2–3 distinct steps of the
//! next layer, and every step of a layer has at least one incoming flow, so
//! the first layer holds the only entries and every step is reachable. With a
//! fork of 2–3 ways at every step, a map of a few hundred steps already has
//! more paths than atoms in a galaxy. The generator uses its own SplitMix64 so a
//! seed gives the same map on every machine and every version of every crate.

use crate::model::{
    Department, Facing, Flow, FlowKind, Map, PainPoint, PainStatus, Settings, Sla, Stage, Step, Visibility,
};

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and stable forever.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        #[allow(clippy::cast_possible_truncation, reason = "the result is below n, a usize")]
        let r = (self.next_u64() % n as u64) as usize;
        r
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss, reason = "53 random bits fit an f64 exactly")]
        let x = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        x
    }

    /// A score from 1.0 to 5.0 with one decimal.
    pub fn score(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss, reason = "small integers")]
        let tenths = (10 + self.below(41)) as f64;
        tenths / 10.0
    }
}

/// Width of a layer: how many steps stand side by side.
const LAYER_WIDTH: usize = 12;
const DEPARTMENTS: usize = 8;
const STAGES: usize = 10;

/// A valid layered map of `steps` steps, the same for the same seed.
#[must_use]
pub fn layered(steps: usize, seed: u64) -> Map {
    let mut rng = Rng::new(seed);
    let mut map = Map::new(format!("Generated journey, {steps} steps"));
    map.settings = Settings::default();
    map.stages = (0..STAGES).map(|i| Stage { id: format!("stage{i}"), name: format!("Stage {}", i + 1) }).collect();
    map.departments = (0..DEPARTMENTS)
        .map(|i| Department {
            id: format!("dept{i}"),
            name: format!("Department {}", i + 1),
            facing: if i < DEPARTMENTS / 2 { Facing::Customer } else { Facing::Internal },
            color: None,
        })
        .collect();
    let layers = steps.div_ceil(LAYER_WIDTH).max(1);
    let layer_of = |i: usize| i / LAYER_WIDTH;
    for i in 0..steps {
        let dept = rng.below(DEPARTMENTS);
        let front = dept < DEPARTMENTS / 2 || rng.chance(0.1);
        let visibility = if front { Visibility::Frontstage } else { Visibility::Backstage };
        let score = (front && rng.chance(0.92)).then(|| rng.score());
        map.steps.push(Step {
            id: format!("s{i}"),
            title: format!("Step {i}"),
            stage: format!("stage{}", layer_of(i) * STAGES / layers),
            department: format!("dept{dept}"),
            visibility,
            score,
            target: rng.chance(0.1).then(|| rng.score()),
            owner: None,
            channel: None,
            notes: None,
            entry_share: None,
            ratings: Vec::new(),
            follows_ratings: false,
            entry_measured: None,
            surveyed: None,
        });
    }
    for layer in 0..layers.saturating_sub(1) {
        let here: Vec<usize> = (layer * LAYER_WIDTH..((layer + 1) * LAYER_WIDTH).min(steps)).collect();
        let next: Vec<usize> = ((layer + 1) * LAYER_WIDTH..((layer + 2) * LAYER_WIDTH).min(steps)).collect();
        let mut targets: Vec<Vec<usize>> = vec![Vec::new(); here.len()];
        // Every step of the next layer gets an incoming flow…
        for &w in &next {
            let k = rng.below(here.len());
            if !targets[k].contains(&w) {
                targets[k].push(w);
            }
        }
        // …and every step forks 2–3 ways.
        for t in &mut targets {
            let want = (2 + rng.below(2)).min(next.len());
            while t.len() < want {
                let w = next[rng.below(next.len())];
                if !t.contains(&w) {
                    t.push(w);
                }
            }
        }
        for (&v, ts) in here.iter().zip(&targets) {
            let shares = split(&mut rng, ts.len());
            for (&w, share) in ts.iter().zip(shares) {
                let handoff = map.steps[v].department != map.steps[w].department;
                let sla = (handoff && rng.chance(0.3)).then(|| {
                    #[allow(clippy::cast_precision_loss, reason = "small integers")]
                    let promised = (5 + rng.below(60)) as f64;
                    #[allow(clippy::cast_precision_loss, reason = "small integers")]
                    let actual = rng.chance(0.7).then(|| (1 + rng.below(90)) as f64);
                    Sla {
                        promised_minutes: promised,
                        actual_minutes: actual,
                        quality: None,
                        target_share: None,
                        measured: None,
                    }
                });
                map.flows.push(Flow {
                    from: format!("s{v}"),
                    to: format!("s{w}"),
                    share,
                    kind: FlowKind::Flow,
                    sla,
                    measured: None,
                });
            }
        }
    }
    // A few customers sent back: rework flows to an earlier layer.
    for i in (LAYER_WIDTH..steps).step_by(97) {
        let back = rng.below(i - i % LAYER_WIDTH);
        map.flows.push(Flow {
            from: format!("s{i}"),
            to: format!("s{back}"),
            share: None,
            kind: FlowKind::Rework,
            sla: None,
            measured: None,
        });
    }
    for (k, i) in (0..steps).step_by(13).enumerate() {
        #[allow(clippy::cast_possible_truncation, reason = "below 10")]
        let votes = rng.below(10) as u32;
        map.pain_points.push(PainPoint {
            id: format!("p{k}"),
            step: format!("s{i}"),
            text: format!("Pain point {k}"),
            severity: Some(1 + u8::try_from(rng.below(3)).unwrap_or(0)),
            votes,
            dots: Vec::new(),
            owner: None,
            handoff_from: None,
            status: if rng.chance(0.8) { PainStatus::Open } else { PainStatus::Resolved },
        });
    }
    map
}

/// Shares for a fork of `k` ways: sometimes all left to split equally,
/// sometimes given in tenths that sum to exactly 1.
fn split(rng: &mut Rng, k: usize) -> Vec<Option<f64>> {
    if k == 1 || rng.chance(0.4) {
        return vec![None; k];
    }
    // Cut ten tenths into k positive parts.
    let mut cuts: Vec<usize> = Vec::with_capacity(k - 1);
    while cuts.len() < k - 1 {
        let c = 1 + rng.below(9);
        if !cuts.contains(&c) {
            cuts.push(c);
        }
    }
    cuts.sort_unstable();
    let mut parts = Vec::with_capacity(k);
    let mut prev = 0;
    for c in cuts.into_iter().chain([10]) {
        #[allow(clippy::cast_precision_loss, reason = "small integers")]
        parts.push(Some((c - prev) as f64 / 10.0));
        prev = c;
    }
    parts
}
