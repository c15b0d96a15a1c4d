//! File › Import survey…: a survey export chosen in a dialog that runs here,
//! read against the open map with the choices the window sends (scale,
//! not-applicable answers, the overall column), and shown as a preview: each
//! step's mean with its n and interval beside the workshop's score, the
//! columns left unbound, and the calibration in a sentence. Applying the
//! scores and taking the fitted weights are one edit each. How sure the
//! ranking is comes from the evidence crate's resampling. The shell only
//! carries them.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt as _;
use waymark::Map;
use waymark::edit::{Edit, Measured};
use waymark::model::{CalibrationNote, Settings};
use waymark_evidence::calibrate::calibrate;
use waymark_evidence::certainty::{NoCertainty, Options, certainty};
use waymark_evidence::survey::{Scale, Survey, SurveyOptions};

use crate::commands::{Choice, choose, notify_rooms, with_session};
use crate::dto::MapView;
use crate::error::{AppError, CommandError};
use crate::session::Session;

/// The survey chosen, and what its last preview would store.
#[derive(Default)]
pub struct SurveyImports {
    file: Mutex<Option<PathBuf>>,
    pending: Mutex<Option<Pending>>,
}

struct Pending {
    scores: Measured,
    weights: Option<(Settings, CalibrationNote)>,
}

/// How to read the survey, as the window's form gives it.
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
pub struct SurveyChoices {
    /// "1-5", "0-10", or labels worst first separated by commas.
    pub scale: String,
    /// Answers meaning "not applicable", separated by commas.
    pub na: String,
    /// The overall outcome's column, if any.
    pub overall: Option<String>,
    /// The overall value that counts as positive, for one in words.
    pub positive: Option<String>,
    /// A column splitting the customers into segments (kept with the answers).
    pub segment: Option<String>,
}

/// What applying the survey would do.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SurveyPreview {
    /// The file's name.
    pub file: String,
    /// Respondents with at least one bound answer.
    pub respondents: u32,
    /// Every column, for choosing the overall one.
    pub columns: Vec<String>,
    /// Each bound step: the survey's figures beside the map's score.
    pub steps: Vec<SurveyedStep>,
    /// Columns bound to no step, never read.
    pub unbound: Vec<String>,
    /// The calibration in words, when there is one.
    pub calibration: Option<String>,
    /// Why there are no weights to offer, when an overall column was given.
    pub no_calibration: Option<String>,
    /// Why the survey cannot be read with these choices (an answer off the
    /// scale, a column bound to a backstage step...): nothing can be applied
    /// until the choices are changed.
    pub problem: Option<String>,
}

/// A step's figures from the survey.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SurveyedStep {
    /// The step's title.
    pub title: String,
    /// Answers counted.
    pub n: u32,
    /// Their mean on 1..5.
    pub mean: f64,
    /// Its 95% interval.
    pub interval: Option<[f64; 2]>,
    /// The score the map has now.
    pub before: Option<f64>,
}

/// How sure the ranking is, in words, or why it cannot be said.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RankingCertainty {
    /// Sentences for the whole ranking.
    pub lines: Vec<String>,
    /// Per weak spot (by step id), a few words.
    pub steps: Vec<(String, String)>,
    /// Why there is none: nothing rests on samples.
    pub none: Option<String>,
    /// Each segment of the survey's customers and its first weak spots, in
    /// words; the ones that differ from the whole journey's first.
    pub segments: Vec<(String, bool)>,
}

/// Asks for a survey export and previews it with `choices`. `None` when the
/// dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_survey<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    imports: State<'_, SurveyImports>,
    choices: SurveyChoices,
) -> Result<Option<SurveyPreview>, CommandError> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Import a survey")
        .add_filter("Survey exports", &["csv", "tsv", "txt", "xlsx"])
        .add_filter("All files", &["*"]);
    let Some(path) = choose(dialog, &session, Choice::Open).await? else { return Ok(None) };
    *imports.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(path);
    preview_survey(session, imports, choices).await.map(Some)
}

/// Reads the chosen survey again with other choices.
#[tauri::command]
#[specta::specta]
pub async fn preview_survey(
    session: State<'_, Session>,
    imports: State<'_, SurveyImports>,
    choices: SurveyChoices,
) -> Result<SurveyPreview, CommandError> {
    let path = imports
        .file
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
        .ok_or_else(|| AppError::Invalid("no survey is chosen; import one first".to_owned()))?;
    let map = session.map().ok_or(AppError::NoMap)?;
    let (pending, preview) = tauri::async_runtime::spawn_blocking(move || match read(&path, &map, &choices) {
        Ok((pending, preview)) => Ok((Some(pending), preview)),
        // The file is there but these choices do not read it: the preview
        // says why and lists the columns, so the choices can be changed.
        Err(AppError::Invalid(problem)) => {
            let table = waymark_evidence::survey::table::read(&path, None).map_err(AppError::Invalid)?;
            let file = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            Ok((
                None,
                SurveyPreview {
                    file,
                    respondents: 0,
                    columns: table.names,
                    steps: Vec::new(),
                    unbound: Vec::new(),
                    calibration: None,
                    no_calibration: None,
                    problem: Some(problem),
                },
            ))
        }
        Err(e) => Err(e),
    })
    .await
    .map_err(|e| AppError::Shell(format!("the survey could not be read: {e}")))??;
    *imports.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = pending;
    Ok(preview)
}

fn read(path: &std::path::Path, map: &Map, choices: &SurveyChoices) -> Result<(Pending, SurveyPreview), AppError> {
    let invalid = |e: String| AppError::Invalid(e);
    let scale = Scale::parse(if choices.scale.trim().is_empty() { "1-5" } else { &choices.scale })
        .map_err(|e| invalid(format!("the scale: {e}")))?;
    let some = |s: &Option<String>| s.as_ref().map(|x| x.trim().to_owned()).filter(|x| !x.is_empty());
    let options = SurveyOptions {
        scale,
        na: choices.na.split(',').map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect(),
        overall: some(&choices.overall),
        positive: some(&choices.positive),
        segment: some(&choices.segment),
        ..SurveyOptions::default()
    };
    let survey = Survey::read(path, map, &options).map_err(|e| invalid(e.to_string()))?;
    let today = crate::clock::today();
    let (calibration, no_calibration) = match options.overall {
        None => (None, None),
        Some(_) => match calibrate(&survey, map, |_| true) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e.to_string())),
        },
    };
    let weights = calibration.as_ref().map(|c| {
        let mut settings = map.settings;
        settings.average_weight = c.fitted.weights.average_weight;
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
        (settings, note)
    });
    let preview = SurveyPreview {
        file: survey.file.clone(),
        respondents: u32::try_from(survey.answering()).unwrap_or(u32::MAX),
        columns: survey.columns.iter().map(|c| c.name.clone()).collect(),
        steps: survey
            .step_figures(map, |_| true)
            .into_iter()
            .map(|f| SurveyedStep {
                before: map.steps[f.step].score,
                title: f.title,
                n: f.n,
                mean: f.mean,
                interval: f.interval,
            })
            .collect(),
        unbound: survey.unbound().into_iter().map(str::to_owned).collect(),
        calibration: calibration.as_ref().map(waymark_evidence::calibrate::Calibration::sentence),
        no_calibration,
        problem: None,
    };
    Ok((Pending { scores: survey.as_edit(map, today), weights }, preview))
}

/// Stores the previewed survey's scores (and answers) as one edit.
#[tauri::command]
#[specta::specta]
pub async fn apply_survey<R: Runtime>(
    app: AppHandle<R>,
    imports: State<'_, SurveyImports>,
) -> Result<MapView, CommandError> {
    let scores = {
        let pending = imports.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pending.as_ref().map(|p| p.scores.clone())
    }
    .ok_or_else(|| AppError::Invalid("no survey is waiting to be applied; import one first".to_owned()))?;
    let edit = Edit::Measure { measured: Box::new(scores) };
    let view = with_session(&app, move |s| s.apply(&edit)).await??;
    notify_rooms(&app);
    Ok(view)
}

/// Takes the weights the previewed survey's calibration fitted, as one edit.
#[tauri::command]
#[specta::specta]
pub async fn apply_weights<R: Runtime>(
    app: AppHandle<R>,
    imports: State<'_, SurveyImports>,
) -> Result<MapView, CommandError> {
    let (settings, note) = {
        let pending = imports.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pending.as_ref().and_then(|p| p.weights.clone())
    }
    .ok_or_else(|| AppError::Invalid("no fitted weights are waiting; choose the overall column first".to_owned()))?;
    let edit = Edit::Calibrate { settings, note };
    let view = with_session(&app, move |s| s.apply(&edit)).await??;
    notify_rooms(&app);
    Ok(view)
}

/// How sure the open map's ranking is: 1,000 resamples, seed 1.
#[tauri::command]
#[specta::specta]
pub async fn ranking_certainty(session: State<'_, Session>) -> Result<RankingCertainty, CommandError> {
    let map = session.map().ok_or(AppError::NoMap)?;
    let result = tauri::async_runtime::spawn_blocking(move || {
        let c = certainty(&map, &Options::default());
        let analysis = waymark::analysis::analyze(&map).ok();
        let mut segments: Vec<(String, bool)> = analysis
            .as_ref()
            .map(|a| {
                waymark::analysis::segments::segment_spots(&map, a).iter().map(|s| (s.words(&map), s.differs)).collect()
            })
            .unwrap_or_default();
        segments.sort_by_key(|(_, differs)| !differs);
        (c, analysis, segments)
    })
    .await
    .map_err(|e| AppError::Shell(format!("the ranking could not be resampled: {e}")))?;
    match result {
        (Ok(c), Some(a), segments) => Ok(RankingCertainty {
            lines: c.words(&a),
            steps: a.weak_spots.iter().filter_map(|w| Some((w.id.clone(), c.short(&w.id)?))).collect(),
            none: None,
            segments,
        }),
        (Err(e @ NoCertainty::NoSamples), _, segments) => {
            Ok(RankingCertainty { lines: Vec::new(), steps: Vec::new(), none: Some(e.to_string()), segments })
        }
        (Err(e), _, _) => Err(AppError::Invalid(e.to_string()).into()),
        (Ok(_), None, _) => Err(AppError::Invalid("the map is invalid, so it is not analysed".to_owned()).into()),
    }
}
