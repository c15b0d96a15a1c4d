//! `waymark library …`: moving maps between `.waymark` files and a library,
//! and reading a library map (`URL#MAP`) wherever a command reads a map.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use waymark::store::MapFile;
use waymark_library::{Initialized, Library, MapRef, id_from_title, is_library_ref};

#[derive(Subcommand)]
pub enum LibraryCommand {
    /// Make an empty PostgreSQL database a Waymark library (or bring an
    /// older library's tables up to date), in one transaction.
    Init {
        /// postgres://USER@HOST:PORT/DATABASE (the password from ~/.pgpass or PGPASSWORD).
        url: String,
    },
    /// Copy a .waymark file into a library, with its whole history and its reviews.
    Push {
        /// The .waymark file.
        file: PathBuf,
        /// The library's URL.
        #[arg(long, value_name = "URL")]
        to: String,
        /// The map's id in the library (default: made from its title).
        #[arg(long)]
        id: Option<String>,
    },
    /// Write a library's map, with its history and reviews, to a new .waymark file.
    Pull {
        /// The library's URL.
        url: String,
        /// The map's id (`waymark library list` shows them).
        map: String,
        /// The .waymark file to create (must not exist yet).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Set the department aliases a portfolio of the library matches names
    /// by, from a CSV like a folder's aliases.csv (one department per line:
    /// its name, then its other names); without a file, print them.
    Aliases {
        /// The library's URL.
        url: String,
        /// The alias list to store, replacing the library's.
        file: Option<PathBuf>,
    },
    /// Delete a map from a library, with its history and reviews (pull it
    /// into a file first to keep a copy). Windows showing it keep what they
    /// show, read-only, to be saved elsewhere.
    Delete {
        /// The library's URL.
        url: String,
        /// The map's id.
        map: String,
    },
    /// List a library's maps: id, title, steps, last edit, next review.
    List {
        /// The library's URL.
        url: String,
        /// Print a JSON array instead of the table.
        #[arg(long)]
        json: bool,
        /// Count the next reviews from this day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
    },
}

pub fn run(action: LibraryCommand, today: chrono::NaiveDate) -> anyhow::Result<ExitCode> {
    match action {
        LibraryCommand::Init { url } => {
            let (library, outcome) = Library::init(&url)?;
            match outcome {
                Initialized::Created => println!("{}: now a Waymark library", library.place()),
                Initialized::AlreadyThere => {
                    println!("{}: already a Waymark library; nothing changed", library.place())
                }
            }
        }
        LibraryCommand::Aliases { url, file } => {
            let mut library = Library::open(&url)?;
            match file {
                Some(file) => {
                    let lines = waymark::portfolio::csv_lines(&file)?;
                    // Refused before anything is stored when a name stands for two departments.
                    waymark::portfolio::Names::from_lines(&file.display().to_string(), lines.clone())?;
                    let lines: Vec<Vec<String>> = lines.into_iter().map(|(_, names)| names).collect();
                    library.set_aliases(&lines)?;
                    println!("{}: {} department alias line(s) stored", library.place(), lines.len());
                }
                None => {
                    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(std::io::stdout());
                    for (_, names) in library.aliases()? {
                        out.write_record(&names)?;
                    }
                    out.flush()?;
                }
            }
        }
        LibraryCommand::Push { file, to, id } => {
            let source = MapFile::open(&file)?;
            let archive = source.archive()?;
            let id = id.unwrap_or_else(|| id_from_title(&archive.map.title));
            let mut library = Library::open(&to)?;
            library.push(&archive, &id)?;
            println!(
                "{}: pushed \"{}\" to {} as {id} ({} steps, {} edits of history, {} reviews)",
                file.display(),
                archive.map.title,
                library.place(),
                archive.map.steps.len(),
                archive.history.len(),
                archive.reviews.len()
            );
        }
        LibraryCommand::Pull { url, map, output } => {
            crate::not_stdout(&output, "-o")?;
            let mut library = Library::open(&url)?;
            let archive = library.pull(&map)?;
            MapFile::create_from(&output, &archive)?;
            println!(
                "pulled {map} (\"{}\", {} steps, {} edits of history, {} reviews) from {} into {}",
                archive.map.title,
                archive.map.steps.len(),
                archive.history.len(),
                archive.reviews.len(),
                library.place(),
                output.display()
            );
        }
        LibraryCommand::Delete { url, map } => {
            let mut library = Library::open(&url)?;
            library.delete(&map)?;
            println!("{}: deleted {map}", library.place());
        }
        LibraryCommand::List { url, json, date } => {
            let mut library = Library::open(&url)?;
            let maps = library.list(date.unwrap_or(today))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&maps)?);
            } else if maps.is_empty() {
                println!("{}: no maps yet; add one with `waymark library push FILE.waymark --to URL`", library.place());
            } else {
                let rows: Vec<Vec<String>> = maps
                    .iter()
                    .map(|m| {
                        vec![
                            m.id.clone(),
                            m.title.clone(),
                            m.steps.to_string(),
                            m.last_edit.format("%Y-%m-%d %H:%M").to_string(),
                            m.next_review.map_or_else(|| "-".to_owned(), |d| d.to_string()),
                        ]
                    })
                    .collect();
                print!(
                    "{}",
                    waymark::portfolio::text_table(
                        &["ID", "TITLE", "STEPS", "LAST EDIT (UTC)", "NEXT REVIEW"],
                        &rows,
                        2
                    )
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A map to read: a file as it is, or a library map (`URL#MAP`) copied into
/// a temporary `.waymark` file, with its history and reviews, that lives as
/// long as this value. Commands that only read a map work on either.
pub struct Readable {
    pub path: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Readable {
    pub fn of(input: &Path) -> anyhow::Result<Self> {
        let Some(text) = input.to_str().filter(|t| is_library_ref(t)) else {
            return Ok(Self { path: input.to_owned(), _dir: None });
        };
        let target = MapRef::parse(text)?;
        let archive = Library::open(&target.url)?.pull(&target.map)?;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(format!("{}.waymark", target.map));
        MapFile::create_from(&path, &archive)?;
        Ok(Self { path, _dir: Some(dir) })
    }
}
