//! `waymark log`, `waymark measure` and `waymark import LOG --log`: what an
//! event log holds, a map measured against it (and, with `--apply`, the
//! figures stored as one edit), and a first map made from it.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use waymark::model::Map;
use waymark_evidence::bind::{Binding, read_mapping};
use waymark_evidence::discover::{Discovery, discover};
use waymark_evidence::log::{self, Columns, ReadOptions, Summary};
use waymark_evidence::measure::{AgreementStatus, Measurement, TransitionKind, measure};

/// How a log is read: the options every log command shares.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct LogArgs {
    /// The zone times without an offset were written in: UTC or an offset such as +01:00.
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub timezone: String,
    /// The event attribute (or CSV column) naming the department.
    #[arg(long, value_name = "ATTRIBUTE", default_value = "org:group")]
    pub department_from: String,
    /// CSV: the case id column (default: case:concept:name, case…).
    #[arg(long, value_name = "COLUMN")]
    pub case: Option<String>,
    /// CSV: the activity column (default: concept:name, activity).
    #[arg(long, value_name = "COLUMN")]
    pub activity: Option<String>,
    /// CSV: the time column (default: time:timestamp, timestamp).
    #[arg(long, value_name = "COLUMN")]
    pub time: Option<String>,
    /// CSV: a start time column, for one row per activity instance.
    #[arg(long, value_name = "COLUMN")]
    pub start: Option<String>,
}

impl LogArgs {
    fn options(&self, segment: Option<String>, deadline: Option<String>) -> anyhow::Result<ReadOptions> {
        let zone = log::time::zone(&self.timezone).map_err(|e| anyhow::anyhow!("--timezone: {e}"))?;
        Ok(ReadOptions {
            zone,
            zone_name: self.timezone.clone(),
            department: self.department_from.clone(),
            segment,
            deadline,
            columns: Columns {
                case: self.case.clone(),
                activity: self.activity.clone(),
                time: self.time.clone(),
                start: self.start.clone(),
            },
            progress: None,
        })
    }
}

/// `waymark log LOG`.
pub fn summarize(path: &Path, args: &LogArgs, json: bool) -> anyhow::Result<ExitCode> {
    let log = log::read(path, &args.options(None, None)?)?;
    let summary = Summary::of(&log);
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

/// What `waymark measure` is asked.
pub struct MeasureArgs<'a> {
    pub map: &'a Path,
    pub log: &'a Path,
    pub mapping: Option<&'a Path>,
    pub segment: Option<String>,
    pub deadline: Option<String>,
    pub json: bool,
    pub apply: bool,
    pub read: &'a LogArgs,
}

/// `waymark measure MAP LOG`.
pub fn run_measure(a: &MeasureArgs<'_>, today: chrono::NaiveDate) -> anyhow::Result<ExitCode> {
    let mut store = waymark_library::open(a.map)?;
    let place = store.place();
    let map = store.load()?;
    let log = log::read(a.log, &a.read.options(a.segment.clone(), a.deadline.clone())?)?;
    let pairs = a.mapping.map(|m| read_mapping(m, &map)).transpose()?;
    let binding = Binding::new(&log.activities, &map, pairs.as_deref());
    if binding.step_of.iter().all(Option::is_none) {
        bail!(
            "{}: no activity of the log is a step of {place}: it seems to be another process's log. Bind them with --mapping FILE.csv (activity,step per line); `waymark log` lists the activities",
            log.file
        );
    }
    let m = measure(&map, &log, &binding, a.segment.is_some());
    if a.json {
        println!("{}", serde_json::to_string_pretty(&m)?);
    } else {
        print!("{}", text(&map, &m));
    }
    if a.apply {
        if let Some(why) = store.read_only() {
            bail!("{place}: {}", why.for_command_line());
        }
        let edit = waymark::edit::Edit::Measure { measured: Box::new(m.as_edit(today)) };
        store.apply(&map, &edit).map_err(|e| anyhow::anyhow!("{place}: {e}"))?;
        eprintln!("{place}: {} (one edit: undo takes it back)", edit.label());
    }
    Ok(ExitCode::SUCCESS)
}

/// The measurement in words.
fn text(map: &Map, m: &Measurement) -> String {
    use std::fmt::Write as _;
    use waymark::analysis::{duration, percent};
    let mut s = String::new();
    let l = &m.log;
    let _ = writeln!(s, "{} against {} ({} cases, {} events)", map.title, l.file, l.cases, l.events);
    if let Some([a, b]) = &l.time_span {
        let _ = writeln!(s, "from {a} to {b}");
    }
    let _ = writeln!(
        s,
        "times run {}",
        if l.time_basis == "start" {
            "from a completion to the next start"
        } else {
            "from completion to completion (no start events)"
        }
    );
    let title = |id: &str| map.step(id).map_or(id, |s| s.title.as_str()).to_owned();
    if !m.agreements.is_empty() {
        let _ = writeln!(s, "\nAgreements");
        for a in &m.agreements {
            let verdict = match a.status {
                AgreementStatus::Met => "met",
                AgreementStatus::Breached => "BREACHED",
                AgreementStatus::Unmeasured => "no handoffs in the log",
            };
            match (a.within_share, a.interval) {
                (Some(share), Some([lo, hi])) => {
                    let _ = writeln!(
                        s,
                        "  {} → {}: {} of {} within {} ({}–{}), target {}, median {}, p90 {}: {verdict}",
                        title(&a.from),
                        title(&a.to),
                        percent(share),
                        a.n,
                        duration(a.promised_minutes),
                        percent(lo),
                        percent(hi),
                        percent(a.target_share),
                        duration(a.median_minutes.unwrap_or_default()),
                        duration(a.p90_minutes.unwrap_or_default())
                    );
                }
                _ => {
                    let _ = writeln!(s, "  {} → {}: {verdict}", title(&a.from), title(&a.to));
                }
            }
        }
    }
    if !m.shares.is_empty() {
        let _ = writeln!(s, "\nShares measured");
        for x in &m.shares {
            let _ =
                writeln!(s, "  {} → {}: {} ({} of {})", title(&x.from), title(&x.to), percent(x.share), x.count, x.n);
        }
    }
    for e in &m.entry_shares {
        let _ = writeln!(s, "  starts at {}: {} ({} of {})", title(&e.step), percent(e.share), e.count, e.n);
    }
    let _ = writeln!(s, "\nTransitions (count, median, p90)");
    for t in &m.transitions {
        let kind = match t.kind {
            TransitionKind::Flow => "",
            TransitionKind::Rework => "  [rework]",
            TransitionKind::Repeat => "  [repeat]",
            TransitionKind::Unmodelled => "  [not on the map]",
        };
        let _ = writeln!(
            s,
            "  {:>6}  {} → {}  median {}, p90 {}{kind}",
            t.count,
            t.from_title,
            t.to_title,
            duration(t.median_minutes.max(0.0)),
            duration(t.p90_minutes.max(0.0))
        );
    }
    if let Some(t) = &m.cases.throughput {
        let _ = writeln!(s, "\nCases: throughput median {}, p90 {}", duration(t.median), duration(t.p90));
    }
    if let Some(d) = &m.cases.deadline {
        let _ = writeln!(s, "  {} of {} cases completed by their deadline", percent(d.share), d.cases);
    }
    if !m.unbound.is_empty() {
        let _ = writeln!(s, "\nActivities bound to no step (instances)");
        for u in &m.unbound {
            let _ = writeln!(s, "  {:>6}  {}", u.count, u.activity);
        }
    }
    if !m.unlogged_steps.is_empty() {
        let _ = writeln!(s, "\nSteps no activity is bound to: {}", m.unlogged_steps.join(", "));
    }
    for seg in &m.segments {
        let _ = writeln!(s, "\n— segment {} ({} cases) —", seg.value, seg.measurement.log.cases);
        for a in seg.measurement.agreements.iter().filter(|a| a.n > 0) {
            let _ = writeln!(
                s,
                "  {} → {}: {} of {} within {}",
                title(&a.from),
                title(&a.to),
                percent(a.within_share.unwrap_or_default()),
                a.n,
                duration(a.promised_minutes)
            );
        }
        for x in &seg.measurement.shares {
            let _ =
                writeln!(s, "  {} → {}: {} ({} of {})", title(&x.from), title(&x.to), percent(x.share), x.count, x.n);
        }
    }
    s
}

/// `waymark import LOG --log -o MAP`.
pub fn import_log(
    input: &Path,
    output: &Path,
    title: Option<String>,
    frontstage: Option<&str>,
    read: &LogArgs,
) -> anyhow::Result<ExitCode> {
    let log = log::read(input, &read.options(None, None)?)?;
    let title = title.unwrap_or_else(|| {
        let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        name.split('.').next().unwrap_or("Journey").to_owned()
    });
    let frontstage: Vec<String> = frontstage
        .map(|f| f.split(',').map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect())
        .unwrap_or_default();
    let map = discover(&log, &Discovery { title, frontstage }).with_context(|| input.display().to_string())?;
    let report = waymark::validate::validate(&map);
    if !report.is_valid() {
        bail!("{}: the map made from it is not valid, so nothing was written:\n{report}", input.display());
    }
    waymark::store::MapFile::create(output, &map)?;
    println!(
        "{}: {} steps, {} flows and {} lanes from {} cases into {}",
        input.display(),
        map.steps.len(),
        map.flows.len(),
        map.departments.len(),
        log.cases.len(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
