//! `waymark-room FILE.waymark` (or `URL#MAP`): a workshop room with no window, for a
//! facilitator on a server and for tests (`waymark room …` runs this).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use waymark_room::{Activities, Activity, Config, StoreHost, lan_addresses, open};

/// Host a workshop room for a map: participants rate, vote and add pain
/// points from their phones; every action is stored in the map at once.
#[derive(Parser)]
#[command(name = "waymark room", version)]
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
}

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
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let config = Config {
            bind,
            port: args.port,
            allow_anonymous: args.allow_anonymous,
            activities,
            revealed: args.revealed,
            // With no window there is no one to approve: phones' pain points count at once.
            approve_pain: false,
        };
        let room = open(host, config).await?;
        println!("room: {}", room.url());
        println!("code: {}", room.code());
        wait_for_stop().await;
        room.close().await;
        println!("room closed; every action is stored in {place}");
        anyhow::Ok(())
    })
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
