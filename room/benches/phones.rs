//! 50 simulated phones on loopback, each rating 20 steps and placing 5 dots
//! at once, against the licence sample and a 500-step map. Prints the p50
//! and p99 latency of an action (sent to acknowledged, i.e. stored in the
//! file), and the delay from an acknowledgement until a window's figures
//! include it: a stand-in window that, like the app's, is told at most every
//! 100 ms and then recomputes the analysis and the drawing once.
//!
//! Run: `cargo bench -p waymark-room --bench phones` (a latency distribution,
//! not a criterion benchmark).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, reason = "a benchmark program")]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use waymark::Map;
use waymark::edit::Edit;
use waymark::store::MapFile;
use waymark_room::{Config, Host, HostError, StoreHost, open};

/// Phones in the room (`WAYMARK_BENCH_PHONES` to try another number).
fn phones() -> usize {
    std::env::var("WAYMARK_BENCH_PHONES").ok().and_then(|v| v.parse().ok()).unwrap_or(50)
}
const RATINGS: usize = 20;
const DOTS: usize = 5;

/// The file host, plus a window that redraws at most every 100 ms.
struct Windowed {
    file: StoreHost,
    /// Edits stored so far, and the count the window's figures last included.
    stored: AtomicU64,
    shown: Arc<Mutex<Vec<(u64, Instant)>>>,
    pulse: std::sync::mpsc::Sender<()>,
}

impl Host for Windowed {
    fn map(&self) -> Arc<Map> {
        self.file.map()
    }
    fn apply(&self, edit: &Edit) -> Result<(), HostError> {
        self.file.apply(edit)?;
        self.stored.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    fn apply_all(&self, edits: &[Edit]) -> Vec<Result<(), HostError>> {
        let outcomes = self.file.apply_all(edits);
        let stored = outcomes.iter().filter(|o| o.is_ok()).count();
        self.stored.fetch_add(u64::try_from(stored).unwrap(), Ordering::SeqCst);
        outcomes
    }
    fn changed(&self) {
        let _ = self.pulse.send(());
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss, reason = "an index")]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn run(name: &str, mut map: Map) {
    map.workshop.dot_budget = Some(u32::try_from(DOTS).unwrap());
    if map.pain_points.is_empty() {
        let step =
            map.steps.iter().find(|s| s.visibility == waymark::model::Visibility::Frontstage).unwrap().id.clone();
        map.pain_points.push(waymark::model::PainPoint {
            id: "pp_bench".into(),
            step,
            text: "a pain point to vote on".into(),
            severity: Some(2),
            votes: 0,
            dots: Vec::new(),
            handoff_from: None,
            owner: None,
            status: waymark::model::PainStatus::Open,
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.waymark");
    drop(MapFile::create(&path, &map).unwrap());
    let (pulse, pulses) = std::sync::mpsc::channel::<()>();
    let shown = Arc::new(Mutex::new(Vec::new()));
    let host = Arc::new(Windowed {
        file: StoreHost::open(&path).unwrap(),
        stored: AtomicU64::new(0),
        shown: shown.clone(),
        pulse,
    });
    // The window: at most every 100 ms, the figures and drawing of the map now.
    let window_host = host.clone();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = stop.clone();
    let window = std::thread::spawn(move || {
        let mut last = Instant::now();
        while !stopped.load(Ordering::SeqCst) {
            if pulses.recv_timeout(Duration::from_millis(50)).is_err() {
                continue;
            }
            std::thread::sleep(Duration::from_millis(100).saturating_sub(last.elapsed()));
            while pulses.try_recv().is_ok() {}
            let count = window_host.stored.load(Ordering::SeqCst);
            let map = window_host.map();
            let analysis = waymark::analysis::analyze(&map).ok();
            let _ = waymark::render::blueprint(&map, analysis.as_ref(), &waymark::render::DrawOptions::default());
            window_host.shown.lock().unwrap().push((count, Instant::now()));
            last = Instant::now();
        }
    });
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let room = rt.block_on(open(host.clone(), Config::default())).unwrap();
    let base = room.url().to_owned();
    let frontstage: Vec<String> = map
        .steps
        .iter()
        .filter(|s| s.visibility == waymark::model::Visibility::Frontstage)
        .map(|s| s.id.clone())
        .take(RATINGS)
        .collect();
    let pain = map.pain_points[0].id.clone();
    // Phones join first; then all act at once.
    let agents: Vec<(ureq::Agent, String)> = (0..phones())
        .map(|i| {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let voter = format!("bench-phone-{i:04}");
            agent
                .post(format!("{base}api/join"))
                .send_json(json!({ "voter": voter, "name": format!("Phone {i}") }))
                .unwrap();
            (agent, voter)
        })
        .collect();
    // Each phone also listens to the room's events, as the page does: every
    // change reaches every phone (at most one state each per 100 ms).
    let listeners: Vec<_> = agents
        .iter()
        .map(|(_, voter)| {
            let url = format!("{base}api/events?voter={voter}");
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let mut states = 0_usize;
                if let Ok(mut r) = agent.get(&url).call() {
                    let mut reader = r.body_mut().as_reader();
                    let mut buf = vec![0_u8; 64 * 1024];
                    while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
                        if n == 0 {
                            break;
                        }
                        states += buf[..n].windows(12).filter(|w| w == b"event: state").count();
                    }
                }
                states
            })
        })
        .collect();
    let start = Instant::now();
    let acks: Vec<(Duration, Instant, u64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = agents
            .iter()
            .enumerate()
            .map(|(i, (agent, voter))| {
                let (base, steps, pain, host) = (&base, &frontstage, &pain, &host);
                scope.spawn(move || {
                    let mut out = Vec::new();
                    let mut act = |path: &str, body: serde_json::Value| {
                        // Ten a second is the most a phone may send; pace like a person tapping.
                        std::thread::sleep(Duration::from_millis(110));
                        let sent = Instant::now();
                        // A phone reads the state it is sent (and the connection is kept for the next action).
                        let status = agent.post(format!("{base}{path}")).send_json(body).map(|mut r| {
                            let _ = r.body_mut().read_to_vec();
                            r.status().as_u16()
                        });
                        if matches!(status, Ok(200)) {
                            out.push((sent.elapsed(), Instant::now(), host.stored.load(Ordering::SeqCst)));
                        }
                    };
                    for (k, step) in steps.iter().enumerate() {
                        act("api/rate", json!({ "voter": voter, "step": step, "score": 1 + (i + k) % 5 }));
                    }
                    for _ in 0..DOTS {
                        act("api/dot", json!({ "voter": voter, "pain_point": pain, "delta": 1 }));
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let elapsed = start.elapsed();
    std::thread::sleep(Duration::from_millis(400));
    rt.block_on(room.close());
    drop(rt);
    let states: usize = listeners.into_iter().map(|l| l.join().unwrap()).sum();
    stop.store(true, Ordering::SeqCst);
    let _ = window.join();
    let shown = shown.lock().unwrap().clone();
    drop(host);
    let mut latency: Vec<Duration> = acks.iter().map(|a| a.0).collect();
    latency.sort();
    // For each acknowledgement: the first redraw whose count includes it.
    let mut seen: Vec<Duration> = acks
        .iter()
        .filter_map(|&(_, at, count)| {
            shown.iter().find(|(c, t)| *c >= count && *t >= at).map(|(_, t)| t.duration_since(at))
        })
        .collect();
    seen.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:>16}: {} actions in {:.1} s; acknowledged p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; in the window's figures p50 {:.0} ms, p99 {:.0} ms ({} redraws); {states} states sent to the phones' event streams",
        acks.len(),
        elapsed.as_secs_f64(),
        ms(percentile(&latency, 0.5)),
        ms(percentile(&latency, 0.99)),
        ms(latency.last().copied().unwrap_or_default()),
        ms(percentile(&seen, 0.5)),
        ms(percentile(&seen, 0.99)),
        shown.len()
    );
}

fn main() {
    let licence = waymark::samples::ALL.iter().find(|s| s.name == "licence-renewal").unwrap();
    run("licence sample", waymark::interchange::read(licence.json).unwrap());
    run("500-step map", waymark::synthetic::layered(500, 7));
}
