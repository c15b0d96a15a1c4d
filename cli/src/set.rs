//! `waymark set`: a map's own settings from the command line (its title,
//! the model's weights, the review cadence, customers a month, the dot
//! budget), each one an undoable edit of the file or library map, as the
//! window makes them.

use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use anyhow::bail;
use waymark::edit::Edit;
use waymark::model::Map;

/// A number, or `none` to clear it.
#[derive(Clone, Copy, Debug)]
pub struct OrNone(pub Option<u32>);

impl FromStr for OrNone {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("none") {
            return Ok(Self(None));
        }
        s.parse::<u32>()
            .map(|n| Self(Some(n)))
            .map_err(|_| format!("\"{s}\" is not a whole number (or \"none\" to clear it)"))
    }
}

/// What `waymark set` changes; every option left out stays as it is.
#[derive(clap::Args)]
pub struct SetArgs {
    /// The .waymark file, or a library map (URL#MAP).
    pub map: PathBuf,
    /// The map's title.
    #[arg(long)]
    pub title: Option<String>,
    /// How much the last moment weighs against the worst and best ones, 0..1.
    #[arg(long, value_name = "W")]
    pub end_weight: Option<f64>,
    /// How many times the worst moment weighs the best one, 1..5.
    #[arg(long, value_name = "N")]
    pub negativity: Option<f64>,
    /// The target score of a step that sets none, 1..5.
    #[arg(long, value_name = "SCORE")]
    pub standard: Option<f64>,
    /// How much the overall experience leans on the average moment rather
    /// than the remembered one, 0..1 (0: remembered only).
    #[arg(long, value_name = "λ")]
    pub average_weight: Option<f64>,
    /// Review the map every N weeks ("none": no cadence).
    #[arg(long, value_name = "WEEKS|none")]
    pub review_every: Option<OrNone>,
    /// How many customers take the journey in a month ("none": unknown).
    #[arg(long, value_name = "N|none")]
    pub volume: Option<OrNone>,
    /// How many dots each participant may place ("none": unlimited).
    #[arg(long, value_name = "N|none")]
    pub dot_budget: Option<OrNone>,
}

impl SetArgs {
    /// The edits these options ask of `map`, one per setting that changes.
    fn edits(&self, map: &Map) -> Vec<Edit> {
        let mut edits = Vec::new();
        if let Some(title) = self.title.as_ref().filter(|t| **t != map.title) {
            edits.push(Edit::SetTitle { title: title.clone() });
        }
        let mut settings = map.settings;
        settings.end_weight = self.end_weight.unwrap_or(settings.end_weight);
        settings.negativity = self.negativity.unwrap_or(settings.negativity);
        settings.standard = self.standard.unwrap_or(settings.standard);
        settings.average_weight = self.average_weight.unwrap_or(settings.average_weight);
        if settings != map.settings {
            edits.push(Edit::SetSettings { settings });
        }
        if let Some(OrNone(weeks)) = self.review_every.filter(|w| w.0 != map.review_every_weeks) {
            edits.push(Edit::SetReviewCadence { weeks });
        }
        if let Some(OrNone(volume)) = self.volume.filter(|v| v.0 != map.volume) {
            edits.push(Edit::SetVolume { volume });
        }
        if let Some(OrNone(budget)) = self.dot_budget.filter(|b| b.0 != map.workshop.dot_budget) {
            edits.push(Edit::SetDotBudget { budget });
        }
        edits
    }

    fn asks_nothing(&self) -> bool {
        self.title.is_none()
            && self.end_weight.is_none()
            && self.negativity.is_none()
            && self.standard.is_none()
            && self.average_weight.is_none()
            && self.review_every.is_none()
            && self.volume.is_none()
            && self.dot_budget.is_none()
    }
}

/// Applies each change as its own edit, and says what it did.
pub fn run(args: &SetArgs) -> anyhow::Result<ExitCode> {
    if args.asks_nothing() {
        bail!(
            "nothing to set: give --title, --end-weight, --negativity, --standard, --average-weight, --review-every, --volume and/or --dot-budget"
        );
    }
    let mut store = waymark_library::open(&args.map)?;
    let place = store.place();
    let mut map = store.load()?;
    let edits = args.edits(&map);
    if edits.is_empty() {
        println!("{place}: already so; the map is unchanged");
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(why) = store.read_only() {
        bail!("{place}: {}", why.for_command_line());
    }
    for edit in &edits {
        map = store.apply(&map, edit).map_err(|e| anyhow::anyhow!("{place}: {e}"))?;
        println!("{place}: {} (one edit: undo takes it back)", edit.label());
    }
    Ok(ExitCode::SUCCESS)
}
