//! `waymark`: the command-line tool over the core. Each subcommand parses its
//! arguments, calls one core function and reports; the exit code is 0 on
//! success, 1 when the input is refused, 2 for a usage error.
//!
//! This crate (`waymark-cli`) only puts the others together: the core for
//! every map, and the library for a map named `URL#MAP` or a portfolio at a
//! `postgres://` URL (`waymark_library::open`, `portfolio::read`), so a
//! command never asks which kind of store it has. It holds no logic of its
//! own beyond arguments and words, and nothing may depend on it. The room
//! is a program of its own, which `waymark room …` runs (`waymark-room`
//! beside this one), not a crate this one links.

mod evidence;
mod library;
mod set;
mod survey;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{CommandFactory, Parser, Subcommand};
use waymark::files::{self, LoadError};
use waymark::report::{self, Paper, ReportOptions};
use waymark::store::MapFile;
use waymark::validate::validate;
use waymark::{atomic, interchange, render};

/// Map service journeys as perception points and find the weak spots that
/// colour the whole experience.
#[derive(Parser)]
#[command(name = "waymark", version = waymark_build_info::VERSION_LINE, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum PaperArg {
    A3,
    A4,
}

impl From<PaperArg> for Paper {
    fn from(paper: PaperArg) -> Self {
        match paper {
            PaperArg::A3 => Paper::A3,
            PaperArg::A4 => Paper::A4,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Create a .waymark file from a waymark/1 JSON document, or from a CSV of
    /// steps (columns: title, stage, department, facing, visibility, score,
    /// target, owner, channel, notes, id; stages and departments are created
    /// as needed); or, with --into, add a JSON document's stages, departments,
    /// steps, flows, agreements, pain points, charter and commitments to an
    /// existing map as one undoable edit.
    ///
    /// With --log, INPUT is an event log (XES, .xes.gz or CSV), and the new
    /// map is made from it: one step per activity, flows as the cases ran,
    /// shares measured.
    #[command(group(clap::ArgGroup::new("target").required(true).args(["output", "into"])))]
    Import {
        /// The .json document, or the steps as .csv, .xlsx, .xls or .ods (an
        /// event log with --log).
        input: PathBuf,
        /// Of a workbook (.xlsx, .xls, .ods): the sheet holding the steps
        /// (the first sheet without it).
        #[arg(long, value_name = "NAME", conflicts_with_all = ["log", "into"])]
        sheet: Option<String>,
        /// INPUT is an event log: make a first map of the process it records.
        #[arg(long, conflicts_with = "into")]
        log: bool,
        /// With --log: the activities customers meet, comma-separated (the rest are backstage).
        #[arg(long, value_name = "\"A,B\"", requires = "log")]
        frontstage: Option<String>,
        /// With --log: how to read the log.
        #[command(flatten)]
        read: evidence::LogArgs,
        /// The .waymark file to create (must not exist yet).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The .waymark map to add a JSON document to.
        #[arg(long, value_name = "FILE.waymark", conflicts_with = "title")]
        into: Option<PathBuf>,
        /// The new map's title (a CSV's first line `# Title` names it too;
        /// without either, the file's name).
        #[arg(long)]
        title: Option<String>,
    },
    /// Host a workshop room for a map: participants rate, vote and add pain
    /// points from their phones (runs the `waymark-room` program beside this
    /// one; `waymark room --help` lists its options).
    #[command(disable_help_flag = true)]
    Room {
        /// The map and the room's options, passed on as they are.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Change a map's own settings: its title, the model's weights, the
    /// review cadence, customers a month and the dot budget. Each setting
    /// changed is one edit, which undo in the window takes back.
    Set(set::SetArgs),
    /// Say what an event log holds before anything is done with it: cases,
    /// events, activities, departments, time span, lifecycle transitions,
    /// the offsets its times carry.
    Log {
        /// The log: XES, .xes.gz or CSV.
        log: PathBuf,
        /// Print one JSON object instead of the readable summary.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        read: evidence::LogArgs,
    },
    /// Measure a map against an event log: every transition with its times,
    /// the shares of its flows, each agreement's compliance with its
    /// interval, the cases' throughput. With --apply, store the measured
    /// figures in the map as one undoable edit.
    Measure {
        /// The .waymark file, or a library map (URL#MAP).
        map: PathBuf,
        /// The log: XES, .xes.gz or CSV.
        log: PathBuf,
        /// A CSV binding activities to steps (activity,step per line);
        /// without it, an activity binds to the step whose id or title it is.
        #[arg(long, value_name = "FILE.csv")]
        mapping: Option<PathBuf>,
        /// A case attribute to split every figure by (e.g. channel).
        #[arg(long, value_name = "ATTRIBUTE")]
        segment: Option<String>,
        /// A case attribute holding each case's deadline.
        #[arg(long, value_name = "ATTRIBUTE")]
        deadline: Option<String>,
        /// Print one JSON object instead of the readable report.
        #[arg(long)]
        json: bool,
        /// Store the measured shares and agreement times in the map (one edit).
        #[arg(long)]
        apply: bool,
        #[command(flatten)]
        read: evidence::LogArgs,
    },
    /// Read what customers said of the map's steps from a survey export:
    /// each step's mean with its n and interval, the columns left unbound;
    /// with --overall, the model's weights fitted to the respondents. With
    /// --apply and --apply-weights, store them (one undoable edit each).
    Survey(survey::SurveyArgs),
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
        /// Write the blueprint drawing as a PNG (twice the screen resolution) here.
        #[arg(long, value_name = "OUT.png")]
        png: Option<PathBuf>,
        /// Write the PDF report (brief, annotated map, tables) here.
        #[arg(long, value_name = "OUT.pdf")]
        pdf: Option<PathBuf>,
        /// Paper for the PDF, landscape.
        #[arg(long, value_enum, default_value_t = PaperArg::A3)]
        paper: PaperArg,
        /// The date printed on the drawing and report (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
        /// The author named in the PDF's metadata.
        #[arg(long)]
        author: Option<String>,
    },
    /// Say which weak spots colour the remembered experience, and why.
    Analyze {
        /// A .waymark file or a waymark/1 .json document.
        file: PathBuf,
        /// Print one JSON object instead of the readable summary.
        #[arg(long)]
        json: bool,
        /// Say how sure the ranking is: resample the survey answers and
        /// participants' ratings the scores rest on, and rank each resample.
        #[arg(long)]
        certainty: bool,
        /// Resamples to draw, with --certainty.
        #[arg(long, default_value_t = 1000, value_name = "N", requires = "certainty")]
        resamples: u32,
        /// The resampling's seed: the same seed gives the same figures.
        #[arg(long, default_value_t = 1, value_name = "S", requires = "certainty")]
        seed: u64,
    },
    /// Write a generated map of N steps (for trying Waymark at scale).
    Generate {
        /// How many steps.
        #[arg(long, default_value_t = 1000)]
        steps: usize,
        /// Seed: the same seed gives the same map.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The waymark/1 JSON document to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// List a map's steps with their ids, the names documents, mapping files
    /// and the command line use for them. An id is made from the title when
    /// a step is added (lower case, words joined by "_", at most 32
    /// characters, "_2" and on when taken) and never changes with the title.
    Steps {
        /// A .waymark file or a waymark/1 .json document.
        file: PathBuf,
        /// Print a JSON array instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Check a map and list every problem; exits 1 when there are errors.
    Validate {
        /// A .waymark file or a waymark/1 .json document.
        file: PathBuf,
    },
    /// Periodic reviews: snapshots of the map kept inside its .waymark file.
    Review {
        #[command(subcommand)]
        action: ReviewCommand,
    },
    /// The organisation's library: maps kept in a shared PostgreSQL
    /// database. A command that reads a map (analyze, export, validate,
    /// review list, review diff) also reads a library map written URL#MAP.
    Library {
        #[command(subcommand)]
        action: library::LibraryCommand,
    },
    /// Every journey of a folder (at any depth) or of a library read
    /// together: the journeys compared, each department's standing across
    /// them, the organisation's weak spots and who serves whom internally.
    /// Reads the maps without locking or changing them. Departments match by
    /// name, case aside; an `aliases.csv` in the folder joins other names
    /// (one department per line: its name, then its other names).
    Portfolio {
        /// A folder of .waymark files and waymark/1 .json documents, or a
        /// library's postgres:// URL.
        source: PathBuf,
        /// Print one JSON object instead of the readable tables.
        #[arg(long)]
        json: bool,
        /// Count overdue reviews and commitments from this day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
        /// Also write the portfolio as a PDF: a one-page summary, then the tables.
        #[arg(long, value_name = "OUT.pdf")]
        pdf: Option<PathBuf>,
        /// Paper for the PDF, landscape.
        #[arg(long, value_enum, default_value_t = PaperArg::A3)]
        paper: PaperArg,
    },
    /// Print the shell completion script for bash or zsh (the package
    /// installs both; to try one: `source <(waymark completions bash)`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print this program's manual page (roff, as `man waymark` shows it).
    #[command(hide = true)]
    Manual,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CompletionShell {
    Bash,
    Zsh,
}

#[derive(Subcommand)]
enum ReviewCommand {
    /// List the reviews, oldest first, and say when the next one is due.
    List {
        /// The .waymark file.
        file: PathBuf,
        /// Count from this day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
    },
    /// Freeze the map as it is now as a review. It is never changed afterwards.
    Add {
        /// The .waymark file.
        file: PathBuf,
        /// What the team calls this review ("Spring review").
        #[arg(long)]
        name: String,
        /// The review's day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
        /// Who took part; repeat for each person (default: the map's workshop participants).
        #[arg(long = "participant", value_name = "NAME")]
        participants: Vec<String>,
    },
    /// What changed from review A to review B (by number or name). Without B,
    /// from A to now; without either, from the last review to now.
    Diff {
        /// The .waymark file.
        file: PathBuf,
        /// The earlier review.
        a: Option<String>,
        /// The later review.
        b: Option<String>,
        /// Print one JSON object instead of the readable report.
        #[arg(long)]
        json: bool,
        /// Today, for "now" and for overdue commitments (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
    },
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
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
        Command::Room { args } => room(&args),
        Command::Import { input, sheet, output, into, title, log, frontstage, read } => match (output, into) {
            (_, Some(into)) => import_into(&input, &into),
            (Some(output), None) if log => {
                not_stdout(&output, "-o")?;
                evidence::import_log(&input, &output, title, frontstage.as_deref(), &read)
            }
            (Some(output), None) => {
                not_stdout(&output, "-o")?;
                import(&input, &output, title, sheet.as_deref())
            }
            (None, None) => bail!("import needs -o NEW.waymark or --into FILE.waymark"),
        },
        Command::Export { input, json, svg, png, pdf, paper, date, author } => {
            let readable = library::Readable::of(&input)?;
            let input = readable.path.clone();
            let day = date.unwrap_or_else(today);
            let paper = Paper::from(paper);
            // A .waymark file carries its reviews; a JSON document has none.
            let review = if pdf.is_some() && input.extension().is_some_and(|e| e.eq_ignore_ascii_case("waymark")) {
                let file = MapFile::open(&input)?;
                Some(file.review_summary(&file.load()?, day)?)
            } else {
                None
            };
            let outputs = Outputs { json, svg, png, pdf };
            export(
                &input,
                &outputs,
                &ReportOptions { paper, date: day.format("%Y-%m-%d").to_string(), author, review, certainty: None },
            )
        }
        Command::Analyze { file, json, certainty, resamples, seed } => analyze(
            &library::Readable::of(&file)?.path,
            json,
            certainty.then_some(waymark_evidence::certainty::Options { resamples, seed }),
        ),
        Command::Generate { steps, seed, output } => {
            let map = waymark::synthetic::layered(steps, seed);
            write_output(&output, interchange::write(&map).as_bytes(), is_stdout(&output))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { file } => Ok(validate_file(&library::Readable::of(&file)?.path)),
        Command::Steps { file, json } => steps(&library::Readable::of(&file)?.path, json),
        Command::Review { action } => review(action),
        Command::Log { log, json, read } => evidence::summarize(&log, &read, json),
        Command::Measure { map, log, mapping, segment, deadline, json, apply, read } => evidence::run_measure(
            &evidence::MeasureArgs {
                map: &map,
                log: &log,
                mapping: mapping.as_deref(),
                segment,
                deadline,
                json,
                apply,
                read: &read,
            },
            today(),
        ),
        Command::Set(args) => set::run(&args),
        Command::Survey(args) => survey::run(&args, today()),
        Command::Library { action } => library::run(action, today()),
        Command::Portfolio { source, json, date, pdf, paper } => {
            portfolio(&source, json, date.unwrap_or_else(today), pdf.as_deref(), paper)
        }
        Command::Completions { shell } => {
            let shell = match shell {
                CompletionShell::Bash => clap_complete::Shell::Bash,
                CompletionShell::Zsh => clap_complete::Shell::Zsh,
            };
            clap_complete::generate(shell, &mut Cli::command(), "waymark", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Manual => {
            let mut page = Vec::new();
            manual(&mut page)?;
            std::io::Write::write_all(&mut std::io::stdout(), &page)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The manual page: clap's own rendering of the top-level help, then one
/// section per subcommand (and per subcommand of those, as `waymark review
/// diff`) with its usage and options, worded as `--help` words them. The
/// hidden `manual` subcommand is left out.
fn manual(out: &mut Vec<u8>) -> std::io::Result<()> {
    let cli = Cli::command().version(waymark_build_info::VERSION);
    let man = clap_mangen::Man::new(cli.clone()).date(waymark_build_info::COMMIT_DATE);
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    let mut commands = clap_mangen::roff::Roff::new();
    commands.control("SH", ["COMMANDS"]);
    for sub in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        manual_command(&mut commands, sub, "waymark");
    }
    commands.control("SH", ["VERSION"]);
    commands.text([clap_mangen::roff::roman(waymark_build_info::VERSION_LINE)]);
    commands.to_writer(out)
}

/// One subcommand's section of the manual, then its own subcommands'.
fn manual_command(page: &mut clap_mangen::roff::Roff, command: &clap::Command, parent: &str) {
    use clap_mangen::roff::{bold, italic, roman};
    let title = format!("{parent} {}", command.get_name());
    let mut command = command.clone().bin_name(title.clone());
    command.build();
    page.control("SS", [title.as_str()]);
    let about = command.get_long_about().or(command.get_about()).map(ToString::to_string).unwrap_or_default();
    page.text([roman(about)]);
    page.control("PP", []);
    let usage = command.render_usage().to_string();
    page.text([bold(usage.trim_start_matches("Usage: ").to_owned())]);
    for arg in command.get_arguments().filter(|a| !a.is_hide_set() && a.get_id() != "help") {
        let values = arg.get_value_names().map(|v| v.iter().map(|n| format!("<{n}>")).collect::<Vec<_>>().join(" "));
        let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
        let name = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => format!("-{s}, --{l}"),
            (None, Some(l)) => format!("--{l}"),
            (Some(s), None) => format!("-{s}"),
            (None, None) => values.clone().unwrap_or_else(|| format!("<{}>", arg.get_id().as_str().to_uppercase())),
        };
        page.control("TP", []);
        match values {
            Some(values) if takes_value && (arg.get_long().is_some() || arg.get_short().is_some()) => {
                page.text([bold(name), roman(" "), italic(values)]);
            }
            _ => {
                page.text([bold(name)]);
            }
        }
        page.text([roman(arg.get_long_help().or(arg.get_help()).map(ToString::to_string).unwrap_or_default())]);
    }
    for sub in command.get_subcommands().filter(|c| !c.is_hide_set() && c.get_name() != "help") {
        manual_command(page, sub, &title);
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn review(action: ReviewCommand) -> anyhow::Result<ExitCode> {
    use waymark::review::{self, Figures, Side};
    match action {
        ReviewCommand::List { file, date } => {
            let readable = library::Readable::of(&file)?;
            let file = MapFile::open(&readable.path)?;
            let reviews = file.reviews()?;
            let schedule =
                review::schedule(&file.load()?, reviews.last().map(|r| r.taken_on), date.unwrap_or_else(today));
            print!("{}", review::text::list(&reviews, &schedule));
        }
        ReviewCommand::Add { file: path, name, date, participants } => {
            let mut file = waymark_library::open(&path)?;
            let participants = if participants.is_empty() { file.load()?.workshop.participants } else { participants };
            let taken = file
                .take_review(&name, date.unwrap_or_else(today), &participants)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.place()))?;
            println!("{}: review {} \"{}\" taken on {}", file.place(), taken.seq, taken.name, taken.taken_on);
        }
        ReviewCommand::Diff { file: path, a, b, json, date } => {
            let readable = library::Readable::of(&path)?;
            let file = MapFile::open(&readable.path)?;
            let reviews = file.reviews()?;
            let pick = |key: &str| {
                review::find(&reviews, key).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: there is no review \"{key}\"; `waymark review list` shows them",
                        path.display()
                    )
                })
            };
            let before = match &a {
                Some(key) => pick(key)?,
                None => match reviews.last() {
                    Some(r) => r.seq,
                    None => bail!("{}: no reviews yet; take one with `waymark review add`", path.display()),
                },
            };
            let load = |seq| -> anyhow::Result<review::Snapshot> {
                file.snapshot(seq)?.ok_or_else(|| anyhow::anyhow!("{}: review {seq} is missing", path.display()))
            };
            let first = load(before)?;
            let today = date.unwrap_or_else(today);
            let (now_map, now_figures);
            let second;
            let after = match &b {
                Some(key) => {
                    second = load(pick(key)?)?;
                    Side::of(&second)
                }
                None => {
                    now_map = file.load()?;
                    now_figures = Figures::of(&now_map, today);
                    Side { label: "now", date: today, map: &now_map, figures: &now_figures }
                }
            };
            let comparison = review::compare(Side::of(&first), after);
            if json {
                println!("{}", serde_json::to_string_pretty(&comparison)?);
            } else {
                print!("{}", review::text::comparison(&comparison));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn import(input: &Path, output: &Path, title: Option<String>, sheet: Option<&str>) -> anyhow::Result<ExitCode> {
    if input.extension().is_some_and(|e| e.eq_ignore_ascii_case("waymark")) {
        bail!(
            "{}: this is already a Waymark map; import reads a waymark/1 .json document, or steps as .csv, .xlsx, .xls or .ods (to copy a map, copy the file)",
            input.display()
        );
    }
    let is_csv = waymark_evidence::sheet::is_workbook(input)
        || sheet.is_some()
        || input.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let map = if is_csv {
        // A workbook's sheet reads as its CSV would: a row per line, so a bad
        // row is named by its number in the spreadsheet.
        let steps = waymark_evidence::sheet::Steps::read(input, sheet).map_err(anyhow::Error::msg)?;
        let place = &steps.place;
        let title = title.or_else(|| waymark::csv_import::title(&steps.text)).unwrap_or_else(|| {
            input.file_stem().map_or_else(|| "Imported journey".to_owned(), |s| s.to_string_lossy().into_owned())
        });
        let empty = waymark::Map::new(title);
        let edit = waymark::csv_import::read(&steps.text, &empty).map_err(|e| anyhow::anyhow!(steps.refusal(&e)))?;
        waymark::edit::apply(&empty, &edit).map_err(|e| anyhow::anyhow!("{place}: {e}"))?
    } else {
        let text = std::fs::read_to_string(input).with_context(|| format!("{}", input.display()))?;
        let mut map = interchange::read(&text).map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
        if let Some(title) = title {
            map.title = title;
        }
        map
    };
    MapFile::create(output, &map)?;
    println!("{}: imported \"{}\" ({} steps) into {}", input.display(), map.title, map.steps.len(), output.display());
    Ok(ExitCode::SUCCESS)
}

/// Runs the room server, `waymark-room`, found beside this program (or on
/// the PATH). The room is its own program so this one, and the core, stay
/// free of networking. On Unix it replaces this process, so SIGINT and
/// SIGTERM reach the room directly and close it cleanly.
fn room(args: &[std::ffi::OsString]) -> anyhow::Result<ExitCode> {
    let beside = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join("waymark-room")));
    let program = beside.filter(|p| p.exists()).unwrap_or_else(|| PathBuf::from("waymark-room"));
    let mut command = std::process::Command::new(&program);
    command.args(args);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        let error = command.exec();
        bail!("could not start {}: {error} (build it with `cargo build -p waymark-room`)", program.display());
    }
    #[cfg(not(unix))]
    {
        let status = command.status().with_context(|| format!("could not start {}", program.display()))?;
        Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    }
}

/// Adds a waymark/1 document to a map in a file, as one edit (one undo).
fn import_into(input: &Path, into: &Path) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(input).with_context(|| format!("{}", input.display()))?;
    if !input.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        bail!(
            "{}: --into adds a waymark/1 .json document to a map (File › Import CSV… in the window adds a CSV of steps)",
            input.display()
        );
    }
    let (addition, fields) =
        interchange::read_addition(&text).map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    let mut file = waymark_library::open(into)?;
    let place = file.place();
    if let Some(why) = file.read_only() {
        bail!("{place}: {}", why.for_command_line());
    }
    let map = file.load()?;
    // A title may name a step of the map as well as one of the document.
    let mut addition = addition;
    let steps: Vec<waymark::model::Step> = map.steps.iter().chain(&addition.steps).cloned().collect();
    waymark::interchange::refer_by_title(&mut addition, &steps);
    let title = addition.title.clone();
    let edit = waymark::edit::Edit::Merge { addition: Box::new(addition), fields };
    let after = waymark::edit::apply(&map, &edit)
        .map_err(|e| anyhow::anyhow!("{} cannot be added to {place}: {e}", input.display()))?;
    if after == map {
        println!("{}: nothing new for {place}; the map is unchanged", input.display());
        return Ok(ExitCode::SUCCESS);
    }
    let summary = waymark::edit::merge_summary(&map, &after);
    file.apply(&map, &edit)?;
    println!("{}: added {summary} to {place} (one edit: undo takes it back)", input.display());
    if !title.is_empty() && title != map.title {
        println!(
            "the document's title \"{title}\" names the document: the map keeps \"{}\" (waymark set --title renames it)",
            map.title
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `export` writes; any combination.
struct Outputs {
    json: Option<PathBuf>,
    svg: Option<PathBuf>,
    png: Option<PathBuf>,
    pdf: Option<PathBuf>,
}

/// `-` as an output: standard output.
fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes an output: to standard output for `-`, else to the file (see
/// [`atomic::write_atomically`]: a link's target, a device as it is, a
/// regular file replaced whole). Says what it wrote on standard error when
/// standard output carries data, else on standard output.
fn write_output(path: &Path, bytes: &[u8], data_on_stdout: bool) -> anyhow::Result<()> {
    use std::io::Write as _;
    if is_stdout(path) {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).and_then(|()| out.flush()).context("standard output")?;
        return Ok(());
    }
    atomic::write_atomically(path, bytes).with_context(|| format!("{}", path.display()))?;
    if data_on_stdout {
        eprintln!("wrote {}", path.display());
    } else {
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// A `.waymark` map is a database file: it cannot be streamed.
pub(crate) fn not_stdout(path: &Path, option: &str) -> anyhow::Result<()> {
    if is_stdout(path) {
        bail!(
            "{option} -: a .waymark map is a database file and cannot go to standard output; name a file, or use export --json - for the document"
        );
    }
    Ok(())
}

fn export(input: &Path, out: &Outputs, options: &ReportOptions) -> anyhow::Result<ExitCode> {
    if out.json.is_none() && out.svg.is_none() && out.png.is_none() && out.pdf.is_none() {
        bail!("nothing to export: give --json, --svg, --png and/or --pdf with an output path (- for standard output)");
    }
    let to_stdout = [&out.json, &out.svg, &out.png, &out.pdf].into_iter().flatten().filter(|p| is_stdout(p)).count();
    if to_stdout > 1 {
        bail!("only one output can go to standard output (-); name a file for the others");
    }
    let map = files::load_unvalidated(input)?;
    let write = |path: &Path, bytes: &[u8]| write_output(path, bytes, to_stdout > 0);
    if let Some(path) = &out.json {
        write(path, interchange::write(&map).as_bytes())?;
    }
    if out.svg.is_some() || out.png.is_some() {
        let analysis = waymark::analysis::analyze(&map).ok();
        let drawing = render::blueprint(
            &map,
            analysis.as_ref(),
            &render::DrawOptions { date: Some(options.date.clone()), ..render::DrawOptions::default() },
        );
        if let Some(path) = &out.svg {
            write(path, drawing.svg.as_bytes())?;
        }
        if let Some(path) = &out.png {
            write(path, &render::png(&drawing, 2.0)?)?;
        }
    }
    if let Some(path) = &out.pdf {
        // Where the scores rest on samples the brief says how sure the ranking is.
        let certainty =
            waymark_evidence::certainty::certainty(&map, &waymark_evidence::certainty::Options::default()).ok();
        let options = ReportOptions { certainty, ..options.clone() };
        let bytes = report::pdf(&map, &options).map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
        write(path, &bytes)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn analyze(
    path: &Path,
    json: bool,
    certainty: Option<waymark_evidence::certainty::Options>,
) -> anyhow::Result<ExitCode> {
    let map = files::load_unvalidated(path)?;
    let analysis = match waymark::analysis::analyze(&map) {
        Ok(a) => a,
        Err(report) => {
            eprint!("{report}");
            eprintln!("{}: the map is invalid, so it is not analysed; fix the errors above", path.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    use waymark_evidence::certainty::NoCertainty;
    let (certainty, none) = match certainty.map(|o| waymark_evidence::certainty::certainty(&map, &o)) {
        None => (None, None),
        Some(Ok(c)) => (Some(c), None),
        // A map of typed scores is analysed as ever, and says why there is no certainty.
        Some(Err(e @ NoCertainty::NoSamples)) => (None, Some(e.to_string())),
        Some(Err(e)) => return Err(e.into()),
    };
    if json {
        let mut value = serde_json::to_value(&analysis)?;
        if let Some(c) = &certainty {
            // Each weak spot gains its p_first, p_top3 and rank_interval.
            for w in value["weak_spots"].as_array_mut().into_iter().flatten() {
                if let Some(rc) = w["id"].as_str().and_then(|id| c.of(id)) {
                    w["p_first"] = rc.p_first.into();
                    w["p_top3"] = rc.p_top3.into();
                    w["rank_interval"] = serde_json::json!(rc.rank_interval);
                }
            }
            value["too_close"] = serde_json::to_value(&c.too_close)?;
            value["certainty"] = serde_json::json!({ "resamples": c.resamples, "seed": c.seed, "drawn": c.drawn });
        }
        if let Some(why) = &none {
            value["no_certainty"] = why.as_str().into();
        }
        waymark::interchange::no_negative_zero(&mut value);
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", waymark::analysis::summary(&map, &analysis));
        if let Some(c) = &certainty {
            println!("\nHow sure the ranking is ({} resamples, seed {})", c.resamples, c.seed);
            for w in &analysis.weak_spots {
                if let Some(words) = c.short(&w.id) {
                    println!("  {}. {}: {words}", w.rank, w.title);
                }
            }
            for line in c.words(&analysis) {
                println!("  {line}");
            }
        }
        if let Some(why) = &none {
            println!("\nHow sure the ranking is: {why}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn portfolio(
    source: &Path,
    json: bool,
    today: chrono::NaiveDate,
    pdf: Option<&Path>,
    paper: PaperArg,
) -> anyhow::Result<ExitCode> {
    use waymark::portfolio;
    let read = match source.to_str() {
        Some(text) => waymark_library::portfolio::read(text)?,
        None => portfolio::folder(source)?,
    };
    let portfolio = portfolio::portfolio(read, today);
    if let Some(path) = pdf {
        if json && is_stdout(path) {
            bail!("--pdf - and --json would both go to standard output; name a file for the PDF");
        }
        let bytes = report::portfolio_pdf(&portfolio, paper.into(), None)?;
        write_output(path, &bytes, true)?;
    }
    // The tables are printed when asked for, or when nothing else was.
    if json {
        println!("{}", serde_json::to_string_pretty(&portfolio)?);
    } else if pdf.is_none() {
        print!("{portfolio}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `waymark steps MAP | head`: when the reader of standard output goes away,
/// stop quietly, as command-line tools do, instead of reporting a panic
/// (`println!` panics on a closed pipe, and unsafe code to restore SIGPIPE
/// is not allowed here).
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message =
            payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied());
        if message.is_some_and(|m| m.starts_with("failed printing to stdout") && m.contains("Broken pipe")) {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn steps(path: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let map = files::load_unvalidated(path)?;
    let stage = |id: &str| map.stages.iter().find(|s| s.id == id).map_or(id, |s| s.name.as_str()).to_owned();
    let dept = |id: &str| map.departments.iter().find(|d| d.id == id).map_or(id, |d| d.name.as_str()).to_owned();
    if json {
        let rows: Vec<serde_json::Value> = map
            .steps
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id, "title": s.title, "stage": s.stage, "department": s.department,
                    "visibility": s.visibility, "score": s.score,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    let width = map.steps.iter().map(|s| s.id.chars().count()).max().unwrap_or(2).max(2);
    println!("{:<width$}  {:<5}  {:<10}  TITLE (STAGE · DEPARTMENT)", "ID", "SCORE", "");
    for s in &map.steps {
        let side = match s.visibility {
            waymark::model::Visibility::Frontstage => "frontstage",
            waymark::model::Visibility::Backstage => "backstage",
        };
        let score = s.score.map_or_else(|| "–".to_owned(), |x| format!("{x:.1}"));
        println!(
            "{:<width$}  {score:<5}  {side:<10}  {} ({} · {})",
            s.id,
            s.title,
            stage(&s.stage),
            dept(&s.department)
        );
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
