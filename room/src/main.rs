//! `waymark-room FILE.waymark` (or `URL#MAP`): a workshop room with no window, for a
//! facilitator on a server and for tests (`waymark room …` runs this).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use waymark_room::{Activities, Activity, Config, Link, RoomHandle, Seat, StoreHost, lan_addresses, open};

/// Host a workshop room for a map: participants rate, vote and add pain
/// points from their phones; every action is stored in the map at once.
#[derive(Parser)]
#[command(name = "waymark room", version = waymark_build_info::VERSION_LINE)]
struct Args {
    /// The .waymark map the room acts on, or a library map written URL#MAP.
    file: PathBuf,
    /// Address to listen on (default: the machine's LAN address).
    #[arg(long)]
    bind: Option<IpAddr>,
    /// Port (default: a free one; 0 too).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Let phones join without a name.
    #[arg(long)]
    allow_anonymous: bool,
    /// Which activities are open, comma-separated (rating,voting,pain).
    #[arg(long, default_value = "rating,voting,pain")]
    activities: String,
    /// Show everyone's tallies from the start (hidden until revealed otherwise).
    #[arg(long)]
    revealed: bool,
    /// Open on the same link as the last room on this map (same address,
    /// port, token and code), so phones that joined it need not rejoin.
    #[arg(long)]
    keep_link: bool,
}

/// What the facilitator may type while the room is open.
const COMMANDS: &str = "\
commands (type one and press Enter):
  who                      who joined and who is done
  reveal | hide            show or hide everyone's ratings and dots on the phones
  lock | unlock            let no one new join, or let them again
  open ACTIVITY            open rating, voting or pain
  close ACTIVITY           close it
  release NAME             free a name so its owner can take it again from another browser
  quit                     close the room (Ctrl+C does too)";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("waymark room: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut activities = Activities::default();
    for name in args.activities.split(',').filter(|n| !n.trim().is_empty()) {
        let a = Activity::parse(name)
            .ok_or_else(|| anyhow::anyhow!("--activities: \"{name}\" is not one of rating, voting, pain"))?;
        activities.set(a, true);
    }
    let bind = match args.bind {
        Some(b) => b,
        None => lan_addresses().into_iter().find(|i| i.lan && i.addr.is_ipv4()).map(|i| i.addr).ok_or_else(|| {
            anyhow::anyhow!("no LAN address found; give one with --bind (127.0.0.1 to try it on this machine)")
        })?,
    };
    let host = Arc::new(StoreHost::open(&args.file)?);
    host.follow();
    // Never the URL as given: it may hold a password.
    let place = host.place();
    let kept = args.keep_link.then(|| KeptLink::path(&args.file, &place)).flatten();
    let earlier = kept.as_deref().and_then(KeptLink::read);
    if let Some(k) = earlier.as_ref().filter(|k| k.bind != bind) {
        eprintln!(
            "waymark room: the last link was on {}, this room is on {bind}: a new link, so phones must join again",
            k.bind
        );
    }
    let earlier = earlier.filter(|k| k.bind == bind);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let config = Config {
            bind,
            port: match (&earlier, args.port) {
                (Some(k), 0) => k.port,
                _ => args.port,
            },
            allow_anonymous: args.allow_anonymous,
            activities,
            revealed: args.revealed,
            // With no window there is no one to approve: phones' pain points count at once.
            approve_pain: false,
            link: earlier.map(|k| k.link),
        };
        let room = match open(Arc::clone(&host) as Arc<dyn waymark_room::Host>, config.clone()).await {
            Ok(room) => room,
            // The kept port is taken now: a new link beats no room.
            Err(e) if config.link.is_some() && args.port == 0 => {
                eprintln!("waymark room: the last link cannot be kept ({e}); phones must join again");
                open(host, Config { port: 0, link: None, ..config }).await?
            }
            Err(e) => return Err(e.into()),
        };
        println!("room: {}", room.url());
        println!("code: {}", room.code());
        // Kept at the start and after every change, so even a room that is
        // killed opens again with everyone seated.
        let keep = |room: &RoomHandle| {
            if let Some(path) = &kept {
                let link = KeptLink { bind, port: room.addr().port(), link: room.link() };
                if let Err(e) = link.write(path) {
                    eprintln!("waymark room: the link is not kept for next time: {}: {e}", path.display());
                }
            }
        };
        keep(&room);
        println!("{COMMANDS}");
        facilitate(&room, keep).await;
        room.close().await;
        println!("room closed; every action is stored in {place}");
        anyhow::Ok(())
    })
}

/// Runs the room until the facilitator stops it: prints who joins and who
/// is done as it happens, and carries out the commands typed on standard
/// input. When standard input ends (a service, a test), the room stays open
/// until it is stopped by a signal.
async fn facilitate(room: &RoomHandle, keep: impl Fn(&RoomHandle)) {
    let mut watch = room.watch();
    let mut seen: Vec<Seat> = room.seats();
    let mut kept_seats = room.link().seats;
    let mut trouble = room.trouble();
    // Standard input is read on a thread of its own, not Tokio's: a read
    // that never ends (a terminal no one types in) would otherwise keep the
    // runtime from shutting down when the room closes.
    let (typed, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines().map_while(Result::ok) {
            if typed.send(line).is_err() {
                break;
            }
        }
    });
    let mut reading = true;
    let stop = wait_for_stop();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            open = watch.changed() => {
                if !open {
                    return;
                }
                let now = room.seats();
                for line in seat_changes(&seen, &now) {
                    println!("{line}");
                }
                seen = now;
                // Which phone holds which name, whenever that changed (a name
                // released and taken again in one burst reads as no change
                // in the names above).
                let voters = room.link().seats;
                if voters != kept_seats {
                    keep(room);
                    kept_seats = voters;
                }
                let latest = room.trouble();
                if latest != trouble {
                    if let Some(why) = &latest {
                        eprintln!("waymark room: a phone's action was not saved: {why}");
                    }
                    trouble = latest;
                }
            }
            line = lines.recv(), if reading => match line {
                Some(line) => match command(room, &line) {
                    Command::Quit => return,
                    Command::Said(answer) => {
                        if !answer.is_empty() {
                            println!("{answer}");
                        }
                    }
                },
                None => reading = false,
            },
        }
    }
}

/// What changed between two lists of seats, as lines for the terminal.
fn seat_changes(before: &[Seat], after: &[Seat]) -> Vec<String> {
    let mut lines = Vec::new();
    for seat in after {
        match before.iter().find(|s| s.participant == seat.participant) {
            None => lines.push(format!("joined: {} ({} in the room)", seat.participant, after.len())),
            Some(was) if was.done != seat.done => lines.push(if seat.done {
                let done = after.iter().filter(|s| s.done).count();
                format!("done: {} ({done} of {} done)", seat.participant, after.len())
            } else {
                format!("not done after all: {}", seat.participant)
            }),
            Some(_) => {}
        }
    }
    for seat in before {
        if !after.iter().any(|s| s.participant == seat.participant) {
            lines.push(format!("left: {} (the name is free)", seat.participant));
        }
    }
    lines
}

enum Command {
    Said(String),
    Quit,
}

/// Carries out one typed command and says what it did, or why not.
fn command(room: &RoomHandle, line: &str) -> Command {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).map_or((line, ""), |(w, r)| (w, r.trim()));
    let said = match word.to_lowercase().as_str() {
        "" => String::new(),
        "quit" | "exit" | "stop" => return Command::Quit,
        "help" | "?" => COMMANDS.to_owned(),
        "who" => {
            let seats = room.seats();
            if seats.is_empty() {
                "no one has joined yet".to_owned()
            } else {
                let done = seats.iter().filter(|s| s.done).count();
                let names: Vec<String> = seats
                    .iter()
                    .map(|s| if s.done { format!("{} (done)", s.participant) } else { s.participant.clone() })
                    .collect();
                format!("{} in the room, {done} done: {}", seats.len(), names.join(", "))
            }
        }
        "reveal" => {
            room.set_revealed(true);
            "revealed: phones show everyone's ratings and dots".to_owned()
        }
        "hide" => {
            room.set_revealed(false);
            "hidden: phones show only their own ratings and dots".to_owned()
        }
        "lock" => {
            room.set_locked(true);
            "locked: no one new may join".to_owned()
        }
        "unlock" => {
            room.set_locked(false);
            "unlocked: new people may join".to_owned()
        }
        "open" | "close" => match Activity::parse(&rest.to_lowercase()) {
            Some(a) => {
                room.set_activity(a, word.eq_ignore_ascii_case("open"));
                let open = room.activities().0.open();
                if open.is_empty() {
                    "nothing is open now".to_owned()
                } else {
                    format!("open now: {}", open.join(", "))
                }
            }
            None => format!("{word} what? one of rating, voting, pain"),
        },
        "release" if rest.is_empty() => "release whom? give the name as the room shows it".to_owned(),
        "release" => {
            let name = room
                .seats()
                .into_iter()
                .map(|s| s.participant)
                .find(|p| p.trim().eq_ignore_ascii_case(rest.trim()))
                .unwrap_or_else(|| rest.to_owned());
            if room.release(&name) {
                format!("released: {name} may join again from any phone under that name")
            } else {
                format!("no phone holds the name \"{rest}\"; type who to see the names")
            }
        }
        _ => format!("\"{word}\" is not a command; type help"),
    };
    Command::Said(said)
}

/// Where a map's room link is kept between runs (`--keep-link`): one small
/// file per map in the user's state directory, readable by the user only,
/// since the token lets phones in.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptLink {
    bind: IpAddr,
    port: u16,
    link: Link,
}

impl KeptLink {
    fn path(file: &std::path::Path, place: &str) -> Option<PathBuf> {
        let dir = std::env::var_os("XDG_STATE_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?
            .join("waymark/rooms");
        let key = std::fs::canonicalize(file).map_or_else(|_| place.to_owned(), |p| p.display().to_string());
        // FNV-1a: a stable name from the map's place, not a secret.
        let hash =
            key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        Some(dir.join(format!("{hash:016x}.json")))
    }

    fn read(path: &std::path::Path) -> Option<Self> {
        let text = std::fs::read_to_string(path).ok()?;
        serde_json::from_str::<Self>(&text).ok().filter(|k| k.link.is_well_formed())
    }

    fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::io::Write::write_all(&mut options.open(&tmp)?, text.as_bytes())?;
        std::fs::rename(&tmp, path)
    }
}

/// Until SIGINT (Ctrl+C) or SIGTERM.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
