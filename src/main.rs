//! `waymark`: the command-line tool over the core. Each subcommand parses its
//! arguments, calls one core function and reports; the exit code is 0 on
//! success, 1 when the input is refused, 2 for a usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use waymark::files::{self, LoadError};
use waymark::store::MapFile;
use waymark::validate::validate;
use waymark::{interchange, render};

/// Map service journeys as perception points and find the weak spots that
/// colour the whole experience.
#[derive(Parser)]
#[command(name = "waymark", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a .waymark file from a waymark/1 JSON document.
    Import {
        /// The JSON document to read.
        input: PathBuf,
        /// The .waymark file to create (must not exist yet).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write a map out in other formats.
    Export {
        /// The .waymark (or .json) map to read.
        input: PathBuf,
        /// Write the waymark/1 JSON document here.
        #[arg(long, value_name = "OUT.json")]
        json: Option<PathBuf>,
        /// Write the blueprint drawing as SVG here.
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
    },
    /// Say which weak spots colour the remembered experience, and why.
    Analyze {
        /// A .waymark file or a waymark/1 .json document.
        file: PathBuf,
        /// Print one JSON object instead of the readable summary.
        #[arg(long)]
        json: bool,
    },
    /// Check a map and list every problem; exits 1 when there are errors.
    Validate {
        /// A .waymark file or a waymark/1 .json document.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import { input, output } => import(&input, &output),
        Command::Export { input, json, svg } => export(&input, json.as_deref(), svg.as_deref()),
        Command::Analyze { file, json } => analyze(&file, json),
        Command::Validate { file } => Ok(validate_file(&file)),
    }
}

fn import(input: &Path, output: &Path) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(input).with_context(|| format!("{}", input.display()))?;
    let map = interchange::read(&text).map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    MapFile::create(output, &map)?;
    println!("{}: imported \"{}\" ({} steps) into {}", input.display(), map.title, map.steps.len(), output.display());
    Ok(ExitCode::SUCCESS)
}

fn export(input: &Path, json: Option<&Path>, svg: Option<&Path>) -> anyhow::Result<ExitCode> {
    if json.is_none() && svg.is_none() {
        bail!("nothing to export: give --json OUT.json and/or --svg OUT.svg");
    }
    let map = files::load_unvalidated(input)?;
    if let Some(out) = json {
        files::write_atomically(out, interchange::write(&map).as_bytes())
            .with_context(|| format!("{}", out.display()))?;
        println!("wrote {}", out.display());
    }
    if let Some(out) = svg {
        files::write_atomically(out, render::blueprint_svg(&map).as_bytes())
            .with_context(|| format!("{}", out.display()))?;
        println!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn analyze(path: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let map = files::load_unvalidated(path)?;
    let analysis = match waymark::analysis::analyze(&map) {
        Ok(a) => a,
        Err(report) => {
            eprint!("{report}");
            eprintln!("{}: the map is invalid, so it is not analysed; fix the errors above", path.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&analysis)?);
    } else {
        print!("{}", waymark::analysis::summary(&map, &analysis));
    }
    Ok(ExitCode::SUCCESS)
}

fn validate_file(path: &Path) -> ExitCode {
    let map = match files::load_unvalidated(path) {
        Ok(map) => map,
        Err(e @ (LoadError::Store(_) | LoadError::Import { .. } | LoadError::Io { .. })) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = validate(&map);
    print!("{report}");
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    println!("{}: {errors} error(s), {warnings} warning(s)", path.display());
    if errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
