//! How sure the ranking is: the map's figures resampled from the samples
//! they rest on, and the analysis run on each resample
//! (`docs/experience-model.md`, "How sure the ranking is").
//!
//! The samples are the survey answers the map keeps (respondents drawn with
//! replacement, each survey on its own) and the participants' ratings of
//! steps whose score follows them and that two or more rated (raters drawn
//! with replacement, step by step). Each resample recomputes those steps'
//! scores (means rounded half away from zero to one decimal) and ranks the
//! weak spots. A score the facilitator typed is no sample; a map of typed
//! scores has nothing to resample, and says so.
//!
//! Each resample draws from a generator seeded by the seed and its own
//! number, so the figures are the same however many threads share the work.

use rand::{RngExt as _, SeedableRng as _};
use rand_xorshift::XorShiftRng;
use rustc_hash::FxHashMap;
use waymark::Map;
use waymark::analysis::certainty::{Certainty, RankCertainty, TooClose};
use waymark::model::Step;

/// How many resamples, and from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Resamples to draw (the contract's default: 1000).
    pub resamples: u32,
    /// The seed.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self { resamples: 1000, seed: 1 }
    }
}

/// A pair of weak spots is too close to order when their order flips in at
/// least this share of resamples.
pub const TOO_CLOSE: f64 = 0.2;

/// Why there is no certainty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoCertainty {
    /// Every score was typed.
    #[error(
        "nothing to resample: no score on this map rests on samples (survey answers, or two or more participants' ratings that the score follows); typed scores have no spread, so no certainty is shown"
    )]
    NoSamples,
    /// The map cannot be analysed.
    #[error("the map is invalid, so it is not analysed: {0}")]
    Invalid(String),
    /// No resamples asked for.
    #[error("give at least one resample")]
    NoResamples,
}

/// A log's kept cases as a resample reads them.
struct Log {
    /// The evidence they came from.
    source: u32,
    /// Per kept flow: the map's flow it measures, when it still does.
    flow: Vec<Option<usize>>,
    /// Per kept entry: the step whose entry share it measures, when it still does.
    entry: Vec<Option<usize>>,
    /// The kept flows grouped by the step they leave: their positions.
    groups: Vec<Vec<usize>>,
    /// Per case: (its entry, its flows).
    cases: Vec<(Option<u32>, Vec<u32>)>,
}

/// A share of a branch no resampled case took: the model has no share of 0,
/// so it gets this much, which moves no figure anyone reads.
const UNTAKEN: f64 = 1e-9;

/// One survey's answers as a resample reads them.
struct Survey {
    /// Per column, the step (by index) it scores, when that step's score
    /// came from this survey.
    column_step: Vec<Option<usize>>,
    /// Per respondent, (column, rating).
    respondents: Vec<Vec<(usize, f64)>>,
}

/// Computes the certainty of `map`'s ranking.
///
/// # Errors
/// Nothing rests on samples; the map is invalid; no resamples.
pub fn certainty(map: &Map, options: &Options) -> Result<Certainty, NoCertainty> {
    if options.resamples == 0 {
        return Err(NoCertainty::NoResamples);
    }
    let base = waymark::analysis::analyze(map).map_err(|r| NoCertainty::Invalid(r.to_string()))?;
    let index: FxHashMap<&str, usize> = map.steps.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let surveys: Vec<Survey> = map
        .answers
        .iter()
        .filter_map(|a| {
            let column_step: Vec<Option<usize>> = a
                .steps
                .iter()
                .map(|id| {
                    let &s = index.get(id.as_str())?;
                    // Only answers whose survey still scores the step.
                    (map.steps[s].surveyed.as_ref()?.source == a.source).then_some(s)
                })
                .collect();
            column_step.iter().any(Option::is_some).then(|| Survey {
                respondents: a
                    .respondents
                    .iter()
                    .map(|r| {
                        r.ratings
                            .iter()
                            .enumerate()
                            .filter_map(|(c, x)| Some((c, (*x)?)))
                            .filter(|(c, _)| column_step[*c].is_some())
                            .collect()
                    })
                    .collect(),
                column_step,
            })
        })
        .collect();
    let logs: Vec<Log> = map
        .cases
        .iter()
        .filter_map(|k| {
            let flow: Vec<Option<usize>> = k
                .flows
                .iter()
                .map(|[from, to]| {
                    map.flows.iter().position(|f| {
                        f.from == *from && f.to == *to && f.measured.as_ref().is_some_and(|c| c.source == k.source)
                    })
                })
                .collect();
            let entry: Vec<Option<usize>> = k
                .entries
                .iter()
                .map(|id| {
                    let &s = index.get(id.as_str())?;
                    (map.steps[s].entry_measured.as_ref()?.source == k.source).then_some(s)
                })
                .collect();
            if flow.iter().all(Option::is_none) && entry.iter().all(Option::is_none) {
                return None;
            }
            let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
            for (p, [from, _]) in k.flows.iter().enumerate() {
                if flow[p].is_none() {
                    continue;
                }
                match groups.iter_mut().find(|(f, _)| f == from) {
                    Some((_, g)) => g.push(p),
                    None => groups.push((from.clone(), vec![p])),
                }
            }
            Some(Log {
                source: k.source,
                flow,
                entry,
                groups: groups.into_iter().map(|(_, g)| g).collect(),
                cases: k.cases.iter().map(|c| (c.entry, c.flows.clone())).collect(),
            })
        })
        .collect();
    let rated: Vec<usize> = (0..map.steps.len())
        .filter(|&s| {
            let step = &map.steps[s];
            step.follows_ratings && step.ratings.len() >= 2 && step.surveyed.is_none()
        })
        .collect();
    if surveys.iter().all(|s| s.respondents.is_empty()) && rated.is_empty() && logs.iter().all(|l| l.cases.is_empty()) {
        return Err(NoCertainty::NoSamples);
    }
    let mut drawn = Vec::new();
    for (s, a) in surveys.iter().zip(&map.answers) {
        let file = map.evidence.get(a.source as usize).map_or("a survey", |e| e.file.as_str());
        drawn.push(format!("{} respondents of {file}", s.respondents.len()));
    }
    for l in &logs {
        let file = map.evidence.get(l.source as usize).map_or("a log", |e| e.file.as_str());
        drawn.push(format!("{} cases of {file}", l.cases.len()));
    }
    if !rated.is_empty() {
        drawn.push(format!(
            "the participants' ratings of {} step{}",
            rated.len(),
            if rated.len() == 1 { "" } else { "s" }
        ));
    }

    // The base ranking's weak spots, by step index.
    let weak: Vec<usize> = base.weak_spots.iter().filter_map(|w| index.get(w.id.as_str()).copied()).collect();
    let resamples = options.resamples as usize;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(resamples);
    let mut scratch = map.clone();
    scratch.answers.clear();
    // A resampled score no longer equals its ratings' mean: in the copy the
    // analysis ranks, it stands as a score of its own.
    for &s in &rated {
        scratch.steps[s].follows_ratings = false;
    }
    // ranks[b * weak.len() + k]: weak spot k's rank in resample b.
    let per_thread = resamples.div_ceil(threads);
    let chunks: Vec<Result<Vec<u32>, NoCertainty>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (surveys, rated, weak, scratch, logs) = (&surveys, &rated, &weak, &scratch, &logs);
                let from = t * per_thread;
                let to = ((t + 1) * per_thread).min(resamples);
                scope.spawn(move || {
                    let mut m = scratch.clone();
                    let mut out = Vec::with_capacity((to - from) * weak.len());
                    for b in from..to {
                        let mut rng =
                            XorShiftRng::seed_from_u64(options.seed ^ (b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                        resample(&mut m, scratch, surveys, rated, &mut rng);
                        resample_logs(&mut m, scratch, logs, &mut rng);
                        let a = waymark::analysis::analyze(&m).map_err(|r| NoCertainty::Invalid(r.to_string()))?;
                        let none = u32::try_from(a.weak_spots.len() + 1).unwrap_or(u32::MAX);
                        let mut rank_of: FxHashMap<&str, u32> = FxHashMap::default();
                        for w in &a.weak_spots {
                            rank_of.insert(w.id.as_str(), w.rank);
                        }
                        out.extend(weak.iter().map(|&s| rank_of.get(m.steps[s].id.as_str()).copied().unwrap_or(none)));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(NoCertainty::Invalid("a resampling thread failed".into()))))
            .collect()
    });
    let mut ranks = Vec::with_capacity(resamples * weak.len());
    for c in chunks {
        ranks.extend(c?);
    }
    let w = weak.len();
    #[allow(clippy::cast_precision_loss, reason = "resample counts far below 2^52")]
    let share = |n: usize| n as f64 / resamples as f64;
    let steps = (0..w)
        .map(|k| {
            let mut mine: Vec<u32> = (0..resamples).map(|b| ranks[b * w + k]).collect();
            mine.sort_unstable();
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "positions within the resamples"
            )]
            let at = |q: f64, up: bool| {
                let x = q * (resamples - 1) as f64;
                mine[if up { x.ceil() } else { x.floor() } as usize]
            };
            RankCertainty {
                id: map.steps[weak[k]].id.clone(),
                p_first: share(mine.iter().filter(|&&r| r == 1).count()),
                p_top3: share(mine.iter().filter(|&&r| r <= 3).count()),
                rank_interval: [at(0.05, false), at(0.95, true)],
            }
        })
        .collect();
    let mut too_close = Vec::new();
    for i in 0..w {
        for j in i + 1..w {
            let flips = share((0..resamples).filter(|&b| ranks[b * w + j] < ranks[b * w + i]).count());
            if flips >= TOO_CLOSE {
                too_close.push(TooClose {
                    first: map.steps[weak[i]].id.clone(),
                    second: map.steps[weak[j]].id.clone(),
                    flips,
                });
            }
        }
    }
    Ok(Certainty { resamples: options.resamples, seed: options.seed, drawn, steps, too_close })
}

/// Sets `m`'s resampled scores: each survey's respondents drawn with
/// replacement, each rated step's raters drawn with replacement.
fn resample(m: &mut Map, base: &Map, surveys: &[Survey], rated: &[usize], rng: &mut XorShiftRng) {
    let round = |x: f64| ((x * 10.0).round() / 10.0).clamp(1.0, 5.0);
    for s in surveys {
        let n = s.respondents.len();
        if n == 0 {
            continue;
        }
        // Per column first (a plain array), then per step.
        let mut column = vec![(0.0, 0u32); s.column_step.len()];
        for _ in 0..n {
            for &(c, x) in &s.respondents[rng.random_range(0..n)] {
                column[c].0 += x;
                column[c].1 += 1;
            }
        }
        let mut sums: FxHashMap<usize, (f64, u32)> = FxHashMap::default();
        for (c, step) in s.column_step.iter().enumerate() {
            if let Some(step) = step {
                let e = sums.entry(*step).or_insert((0.0, 0));
                e.0 += column[c].0;
                e.1 += column[c].1;
            }
        }
        for step in s.column_step.iter().flatten() {
            m.steps[*step].score = match sums.get(step) {
                Some(&(sum, count)) if count > 0 => Some(round(sum / f64::from(count))),
                // Nobody in this resample rated it: the map's own score.
                _ => base.steps[*step].score,
            };
        }
    }
    for &s in rated {
        let ratings = &base.steps[s].ratings;
        let k = ratings.len();
        let drawn: Vec<f64> = (0..k).map(|_| ratings[rng.random_range(0..k)].score).collect();
        m.steps[s].score = Some(Step::mean_of(drawn.into_iter()));
    }
}

/// Sets `m`'s measured shares from each log's cases drawn with replacement:
/// a flow's share is its count over the count of all measured flows leaving
/// its step; an entry's over all measured entries. A step no resampled case
/// left keeps the map's shares.
fn resample_logs(m: &mut Map, base: &Map, logs: &[Log], rng: &mut XorShiftRng) {
    for l in logs {
        let n = l.cases.len();
        if n == 0 {
            continue;
        }
        let mut flows = vec![0u32; l.flow.len()];
        let mut entries = vec![0u32; l.entry.len()];
        for _ in 0..n {
            let (entry, taken) = &l.cases[rng.random_range(0..n)];
            if let Some(e) = entry {
                entries[*e as usize] += 1;
            }
            for &f in taken {
                flows[f as usize] += 1;
            }
        }
        let share = |count: u32, total: u32| if count == 0 { UNTAKEN } else { f64::from(count) / f64::from(total) };
        for group in &l.groups {
            let total: u32 = group.iter().map(|&p| flows[p]).sum();
            for &p in group {
                if let Some(f) = l.flow[p] {
                    m.flows[f].share = if total == 0 { base.flows[f].share } else { Some(share(flows[p], total)) };
                }
            }
        }
        let total: u32 = entries.iter().sum();
        for (e, step) in l.entry.iter().enumerate() {
            if let Some(s) = step {
                m.steps[*s].entry_share =
                    if total == 0 { base.steps[*s].entry_share } else { Some(share(entries[e], total)) };
            }
        }
    }
}
