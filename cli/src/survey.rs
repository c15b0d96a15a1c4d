//! `waymark survey`: what customers said of a map's steps, read from a
//! survey export, each step's mean with its n and interval; with an overall
//! column, the model's weights fitted to the respondents; with `--apply`
//! and `--apply-weights`, each stored as one undoable edit.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use serde::Serialize;
use waymark::edit::Edit;
use waymark::model::{CalibrationNote, Map};
use waymark_evidence::bind::read_pairs;
use waymark_evidence::calibrate::{Calibration, calibrate, thousands};
use waymark_evidence::survey::{Respondent, Scale, StepFigures, Survey, SurveyOptions};

/// What `waymark survey` is asked.
#[derive(clap::Args, Debug)]
pub struct SurveyArgs {
    /// The .waymark file, or a library map (URL#MAP).
    pub map: PathBuf,
    /// The survey export: CSV (comma, semicolon or tab), XLSX, a Qualtrics
    /// or a Google Forms export.
    pub file: PathBuf,
    /// A CSV binding columns to steps (column,step per line); without it, a
    /// column binds to the step whose title or id it is.
    #[arg(long, value_name = "FILE.csv")]
    pub mapping: Option<PathBuf>,
    /// The answers' scale: a range such as 1-5 or 0-10, or labels worst
    /// first, separated by commas ("Very poor,Poor,Fair,Good,Excellent").
    #[arg(long, default_value = "1-5")]
    pub scale: String,
    /// An answer meaning "not applicable", left out (repeat, or separate by
    /// commas). Empty answers are always left out.
    #[arg(long, value_name = "ANSWER", value_delimiter = ',')]
    pub na: Vec<String>,
    /// The column with each respondent's overall outcome: a rating, or two
    /// values such as satisfied / dissatisfied. Calibrates the model.
    #[arg(long, value_name = "COLUMN")]
    pub overall: Option<String>,
    /// The overall value that counts as positive, for an outcome in words.
    #[arg(long, value_name = "VALUE", requires = "overall")]
    pub positive: Option<String>,
    /// A column to split every figure by (e.g. Class).
    #[arg(long, value_name = "COLUMN")]
    pub segment: Option<String>,
    /// An XLSX workbook's sheet, by name (the first when left out).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Print one JSON object instead of the readable report.
    #[arg(long)]
    pub json: bool,
    /// Set each bound step's score to its survey mean (one edit); the
    /// workshop's score is kept beside it.
    #[arg(long)]
    pub apply: bool,
    /// Take the fitted weights (one edit).
    #[arg(long, requires = "overall")]
    pub apply_weights: bool,
}

/// The report, as `--json` prints it.
#[derive(Serialize)]
struct Report<'a> {
    survey: Source<'a>,
    respondents: usize,
    steps: Vec<StepFigures>,
    unbound: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    calibration: Option<Calibration>,
    /// Why there is no calibration, when an overall column was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    no_calibration: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    segments: Vec<Segment>,
}

#[derive(Serialize)]
struct Source<'a> {
    file: &'a str,
    sha256: &'a str,
    format: waymark_evidence::survey::SurveyFormat,
    qualtrics: bool,
    scale: String,
}

#[derive(Serialize)]
struct Segment {
    value: String,
    respondents: usize,
    steps: Vec<StepFigures>,
    /// The weak spots the segment's own scores give, by id, first first.
    weak_spots: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    calibration: Option<Calibration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    no_calibration: Option<String>,
}

/// `waymark survey MAP FILE`.
pub fn run(a: &SurveyArgs, today: chrono::NaiveDate) -> anyhow::Result<ExitCode> {
    let mut store = waymark_library::open(&a.map)?;
    let place = store.place();
    let map = store.load()?;
    let scale = Scale::parse(&a.scale).map_err(|e| anyhow::anyhow!("--scale: {e}"))?;
    let mapping = a.mapping.as_deref().map(|m| read_pairs(m, &map, "column")).transpose()?;
    let options = SurveyOptions {
        scale,
        na: a.na.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
        overall: a.overall.clone(),
        positive: a.positive.clone(),
        segment: a.segment.clone(),
        mapping,
        sheet: a.sheet.clone(),
    };
    let survey = Survey::read(&a.file, &map, &options)?;
    let fit = |keep: &dyn Fn(&Respondent) -> bool| match a.overall {
        None => (None, None),
        Some(_) => match calibrate(&survey, &map, keep) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e.to_string())),
        },
    };
    let (calibration, no_calibration) = fit(&|_| true);
    let segments = survey
        .segments()
        .into_iter()
        .map(|value| {
            let keep = |r: &Respondent| r.segment.as_deref() == Some(value.as_str());
            let steps = survey.step_figures(&map, keep);
            let (calibration, no_calibration) = fit(&keep);
            Segment {
                respondents: survey.respondents.iter().filter(|r| keep(r) && !r.ratings.is_empty()).count(),
                weak_spots: weak_spots_with(&map, &steps),
                steps,
                calibration,
                no_calibration,
                value,
            }
        })
        .collect();
    let report = Report {
        survey: Source {
            file: &survey.file,
            sha256: &survey.sha256,
            format: survey.format,
            qualtrics: survey.qualtrics,
            scale: options.scale.describe(),
        },
        respondents: survey.answering(),
        steps: survey.step_figures(&map, |_| true),
        unbound: survey.unbound(),
        calibration,
        no_calibration,
        segments,
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", text(&map, &report));
    }
    if (a.apply || a.apply_weights)
        && let Some(why) = store.read_only()
    {
        bail!("{place}: {}", why.for_command_line());
    }
    let mut current = map.clone();
    if a.apply {
        let edit = Edit::Measure { measured: Box::new(survey.as_edit(&current, today)) };
        store.apply(&current, &edit).map_err(|e| anyhow::anyhow!("{place}: {e}"))?;
        eprintln!("{place}: {} (one edit: undo takes it back)", edit.label());
        current = store.load()?;
    }
    if a.apply_weights {
        let Some(c) = &report.calibration else {
            bail!("{place}: no weights to apply: {}", report.no_calibration.as_deref().unwrap_or("no calibration"));
        };
        let mut settings = current.settings;
        settings.average_weight = c.fitted.weights.average_weight;
        // With λ = 1 the other two play no part: they stay as they were.
        if !c.weights_irrelevant {
            settings.end_weight = c.fitted.weights.end_weight;
            settings.negativity = c.fitted.weights.negativity;
        }
        let note = CalibrationNote {
            file: survey.file.clone(),
            sha256: survey.sha256.clone(),
            respondents: u32::try_from(c.respondents).unwrap_or(u32::MAX),
            metric: c.metric.to_owned(),
            fitted_cv: c.fitted.cv,
            average_only_cv: c.average_only.cv,
            version2_cv: c.version2.cv,
            read_on: today,
        };
        let edit = Edit::Calibrate { settings, note };
        store.apply(&current, &edit).map_err(|e| anyhow::anyhow!("{place}: {e}"))?;
        eprintln!("{place}: {} (one edit: undo takes it back)", edit.label());
    }
    Ok(ExitCode::SUCCESS)
}

/// The weak spots of `map` with the steps' scores replaced by `steps`' means.
fn weak_spots_with(map: &Map, steps: &[StepFigures]) -> Vec<String> {
    let mut m = map.clone();
    for f in steps.iter().filter(|f| f.n > 0) {
        m.steps[f.step].score = Some(((f.mean * 10.0).round() / 10.0).clamp(1.0, 5.0));
    }
    waymark::analysis::analyze(&m).map(|a| a.weak_spots.iter().map(|w| w.id.clone()).collect()).unwrap_or_default()
}

/// Two decimals, or a dash for none.
fn two(x: f64) -> String {
    if x.is_finite() { format!("{x:.2}") } else { "–".into() }
}

fn text(map: &Map, r: &Report<'_>) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} from {} ({} respondents, scale {})",
        map.title,
        r.survey.file,
        thousands(r.respondents),
        r.survey.scale
    );
    let steps = |s: &mut String, list: &[StepFigures]| {
        for f in list {
            let interval = f.interval.map(|[a, b]| format!(", {}–{}", two(a), two(b))).unwrap_or_default();
            let before = map.steps[f.step].score.map(|x| format!(" (workshop: {x:.1})")).unwrap_or_default();
            let _ = writeln!(s, "  {:<28} {}, n = {}{interval}{before}", f.title, two(f.mean), f.n);
        }
    };
    let _ = writeln!(s, "\nSteps");
    steps(&mut s, &r.steps);
    if !r.unbound.is_empty() {
        let _ = writeln!(s, "\nColumns bound to no step (not read): {}", r.unbound.join(", "));
    }
    if let Some(c) = &r.calibration {
        let _ = writeln!(s, "\nCalibration\n  {}", c.sentence().replace('\n', "\n  "));
    }
    if let Some(why) = &r.no_calibration {
        let _ = writeln!(s, "\nCalibration: {why}");
    }
    for seg in &r.segments {
        let _ = writeln!(s, "\nSegment {} ({} respondents)", seg.value, thousands(seg.respondents));
        steps(&mut s, &seg.steps);
        let _ = writeln!(s, "  weak spots, first first: {}", seg.weak_spots.join(", "));
    }
    s
}
