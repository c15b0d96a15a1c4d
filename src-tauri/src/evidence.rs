//! File › Import event log…: the log is chosen in a dialog that runs here,
//! read on a thread of its own with its progress sent to the window (which
//! can cancel it), measured against the open map, and shown as a preview:
//! what the log holds, which activities bind to which steps, and what would
//! change. Applying the preview is one edit; the reading and measuring are
//! the evidence crate's, the shell only carries them.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt as _;
use tauri_specta::Event as _;
use waymark::Map;
use waymark::analysis::{agreement_said, percent};
use waymark::edit::{Edit, Measured};
use waymark_evidence::bind::Binding;
use waymark_evidence::log::{self, ReadOptions, Summary};
use waymark_evidence::measure::{Measurement, measure};

use crate::commands::{Choice, choose, notify_rooms, with_session};
use crate::dto::MapView;
use crate::error::{AppError, CommandError};
use crate::session::Session;

/// The log being read or previewed.
#[derive(Default)]
pub struct LogImports {
    /// Set to stop the read in progress.
    cancel: Arc<AtomicBool>,
    /// The measurement the last preview showed, waiting to be applied.
    pending: Mutex<Option<Measured>>,
}

/// How far the read has come.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct LogProgress {
    /// Bytes of the file read.
    pub read: f64,
    /// The file's size.
    pub total: f64,
}

/// What applying the log would do, for the window to show before it does.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LogPreview {
    /// The log's name.
    pub file: String,
    /// Cases and events.
    pub cases: u32,
    /// Events in cases.
    pub events: u32,
    /// First and last instant, UTC.
    pub time_span: Option<[String; 2]>,
    /// How times are measured.
    pub time_basis: String,
    /// Activities bound to steps, most frequent first.
    pub bound: Vec<BoundActivity>,
    /// Activities bound to no step, with their instances.
    pub unbound: Vec<BoundActivity>,
    /// Steps no activity binds to (their titles).
    pub unlogged: Vec<String>,
    /// Each figure that would change: what, before, after.
    pub changes: Vec<PreviewChange>,
}

/// An activity and the step it binds to.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BoundActivity {
    /// The activity.
    pub activity: String,
    /// The step's title, when bound.
    pub step: Option<String>,
    /// Its events (bound) or instances (unbound).
    pub count: u32,
}

/// One figure before and after.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PreviewChange {
    /// "Share of Adjuster visit → Approve repairs".
    pub what: String,
    /// As the map has it.
    pub before: String,
    /// As the log measures it.
    pub after: String,
}

fn small(x: u64) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// Asks for an event log, reads it (sending [`LogProgress`]) and measures
/// the open map against it. `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn preview_log<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    imports: State<'_, LogImports>,
) -> Result<Option<LogPreview>, CommandError> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Import an event log")
        .add_filter("Event logs", &["xes", "gz", "csv"])
        .add_filter("All files", &["*"]);
    let Some(path) = choose(dialog, &session, Choice::Open).await? else { return Ok(None) };
    imports.cancel.store(false, Ordering::SeqCst);
    let cancel = Arc::clone(&imports.cancel);
    let map = session.map().ok_or(AppError::NoMap)?;
    let progress_app = app.clone();
    let (measured, preview) =
        tauri::async_runtime::spawn_blocking(move || read_and_measure(&path, &map, &cancel, progress_app))
            .await
            .map_err(|e| AppError::Shell(format!("the log could not be read: {e}")))??;
    *imports.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(measured);
    Ok(Some(preview))
}

fn read_and_measure<R: Runtime>(
    path: &PathBuf,
    map: &Map,
    cancel: &Arc<AtomicBool>,
    app: AppHandle<R>,
) -> Result<(Measured, LogPreview), AppError> {
    #[allow(clippy::cast_precision_loss, reason = "file sizes far below 2^52 bytes")]
    let total = std::fs::metadata(path).map(|m| m.len() as f64).unwrap_or(0.0);
    let stop = Arc::clone(cancel);
    let options = ReadOptions {
        progress: Some(Arc::new(move |read| {
            #[allow(clippy::cast_precision_loss, reason = "file sizes far below 2^52 bytes")]
            let _ = LogProgress { read: read as f64, total }.emit(&app);
            !stop.load(Ordering::SeqCst)
        })),
        ..ReadOptions::default()
    };
    let log = log::read(path, &options).map_err(|e| {
        if e.what == log::CANCELLED {
            AppError::Cancelled
        } else {
            AppError::Invalid(format!("{e}; the map is unchanged"))
        }
    })?;
    let binding = Binding::new(&log.activities, map, None);
    if binding.step_of.iter().all(Option::is_none) {
        return Err(AppError::Invalid(format!(
            "{}: no activity of the log is a step of this map (activities bind to a step whose id or title they are); the map is unchanged",
            log.file
        )));
    }
    let m = measure(map, &log, &binding, false);
    let summary = Summary::of(&log);
    let today = crate::clock::today();
    let measured = m.as_edit(today);
    Ok((measured.clone(), preview(map, &log, &binding, &summary, &m, &measured)))
}

fn preview(
    map: &Map,
    log: &log::Log,
    binding: &Binding,
    summary: &Summary,
    m: &Measurement,
    measured: &Measured,
) -> LogPreview {
    let title = |id: &str| map.step(id).map_or(id, |s| s.title.as_str()).to_owned();
    let bound = summary
        .activities
        .iter()
        .filter_map(|a| {
            let i = log.activities.iter().position(|x| *x == a.name)?;
            let step = binding.step_of[i]?;
            Some(BoundActivity {
                activity: a.name.clone(),
                step: Some(map.steps[step].title.clone()),
                count: small(a.count),
            })
        })
        .collect();
    let unbound = m
        .unbound
        .iter()
        .map(|u| BoundActivity { activity: u.activity.clone(), step: None, count: small(u.count) })
        .collect();
    let mut changes = Vec::new();
    for s in &m.shares {
        let before =
            map.flows.get(s.flow as usize).and_then(|f| f.share).map_or_else(|| "not given".to_owned(), percent);
        changes.push(PreviewChange {
            what: format!("Share of {} → {}", title(&s.from), title(&s.to)),
            before,
            after: format!("{} ({} of {})", percent(s.share), s.count, s.n),
        });
    }
    // Each agreement as the map would say it after applying.
    let mut after = map.clone();
    let applied = waymark::edit::apply(&after, &Edit::Measure { measured: Box::new(measured.clone()) });
    if let Ok(a) = applied {
        after = a;
    }
    for a in &m.agreements {
        let (Some(old), Some(new)) = (
            map.flows.get(a.flow as usize).and_then(|f| f.sla.as_ref()),
            after.flows.get(a.flow as usize).and_then(|f| f.sla.as_ref()),
        ) else {
            continue;
        };
        changes.push(PreviewChange {
            what: format!("Agreement {} → {}", title(&a.from), title(&a.to)),
            before: agreement_said(old, &map.settings, !map.evidence.is_empty()),
            after: agreement_said(new, &after.settings, true),
        });
    }
    LogPreview {
        file: log.file.clone(),
        cases: small(m.log.cases),
        events: small(m.log.events),
        time_span: m.log.time_span.clone(),
        time_basis: m.log.time_basis.to_owned(),
        bound,
        unbound,
        unlogged: m.unlogged_steps.iter().map(|id| title(id)).collect(),
        changes,
    }
}

/// Stops the log being read.
#[tauri::command]
#[specta::specta]
pub fn cancel_log(imports: State<'_, LogImports>) {
    imports.cancel.store(true, Ordering::SeqCst);
}

/// Stores the previewed measurement in the open map as one edit.
#[tauri::command]
#[specta::specta]
pub async fn apply_log<R: Runtime>(app: AppHandle<R>, imports: State<'_, LogImports>) -> Result<MapView, CommandError> {
    let measured = imports
        .pending
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
        .ok_or_else(|| AppError::Invalid("no event log is waiting to be applied; import one first".to_owned()))?;
    let edit = Edit::Measure { measured: Box::new(measured) };
    let view = with_session(&app, move |s| s.apply(&edit)).await??;
    notify_rooms(&app);
    Ok(view)
}
