//! Reading logs: what they hold, and refusals in words.

use waymark_evidence::log::{self, ReadOptions, Summary};

use crate::support::{data, read, shared};

#[test]
fn the_claims_log_says_what_it_holds() {
    let log = read(&data("logs/claims.xes.gz"));
    let s = Summary::of(&log);
    assert_eq!((s.cases, s.format), (240, log::Format::Xes));
    assert_eq!(s.time_basis, "start", "it has start events");
    let names: Vec<&str> = s.activities.iter().map(|a| a.name.as_str()).collect();
    assert!(names.contains(&"Adjuster visit") && names.contains(&"Pay the claim"), "{names:?}");
    let offsets: Vec<&str> = s.offsets.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(offsets, ["+01:00", "+02:00"], "winter and summer time");
    let transitions: Vec<(&str, u64)> = s.lifecycle_transitions.iter().map(|c| (c.name.as_str(), c.count)).collect();
    assert_eq!(transitions.len(), 2);
    assert_eq!(transitions[0].1, transitions[1].1, "a start for every complete: {transitions:?}");
    assert!(s.case_attributes.contains(&"channel".to_owned()));
    assert_eq!(s.sha256.len(), 64);
    let groups: Vec<&str> = s.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups.len(), 4, "{groups:?}");

    // The same cases as a CSV of completions.
    let csv = read(&data("logs/claims-complete.csv"));
    let c = Summary::of(&csv);
    assert_eq!((c.cases, c.events * 2, c.time_basis), (240, s.events, "complete"));
}

fn refused(text: &str, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    match log::read(&path, &ReadOptions::default()) {
        Ok(l) => panic!("{name} must be refused, read {} cases", l.cases.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_logs_are_refused_with_the_element_or_row_and_why() {
    let msg = refused("<log>\n<trace>\n<date key=\"time:timestamp\" value=\"soon\"/>\n</trace>\n</log>\n", "a.xes");
    assert!(msg.contains("a.xes, line 3, <date key=\"time:timestamp\">: \"soon\" is not a date and time"), "{msg}");
    // Gzipped, the line is still the line of the text inside.
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("a.xes.gz");
    let mut encoder = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    std::io::Write::write_all(
        &mut encoder,
        b"<log>\n<trace>\n<event>\n<date key=\"time:timestamp\" value=\"soon\"/>\n",
    )
    .unwrap();
    encoder.finish().unwrap();
    let msg = log::read(&gz, &ReadOptions::default()).unwrap_err().to_string();
    assert!(msg.contains("a.xes.gz, line 4, <date key=\"time:timestamp\">: \"soon\""), "{msg}");
    let msg = refused("<log><trace><event><trace/></event></trace></log>", "b.xes");
    assert!(msg.contains("<trace> cannot stand inside <event>"), "{msg}");
    let msg = refused("<journal/>", "c.xes");
    assert!(msg.contains("the root element is <journal>, not <log>"), "{msg}");
    let msg = refused("<log><trace><event>", "d.xes");
    assert!(msg.contains("cut short"), "{msg}");
    let msg = refused("<log><trace><string key=\"x\"/></trace></log>", "e.xes");
    assert!(msg.contains("an attribute without a value"), "{msg}");
    let msg = refused("case,activity\n1,a\n", "f.csv");
    assert!(msg.contains("no time column"), "{msg}");
    let msg = refused("activity,time:timestamp\na,2025-01-01 10:00\n", "g.csv");
    assert!(msg.contains("no case column: name it with --case"), "{msg}");
    let msg = refused("case,activity,timestamp\n1,a,2025-01-01 10:00\n1,b,tomorrow\n", "h.csv");
    assert!(msg.contains("h.csv, row 3, column timestamp: \"tomorrow\" is not a date and time"), "{msg}");
    let msg = refused("", "i.xes");
    assert!(msg.contains("no <log> element"), "{msg}");
}

#[test]
fn a_naive_time_is_read_in_the_zone_given_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.csv");
    std::fs::write(&path, "case;activity;timestamp\n1;a;2025-01-01 10:00:00\n1;b;2025-01-01T11:00:00+01:00\n").unwrap();
    let options =
        ReadOptions { zone: log::time::zone("+01:00").unwrap(), zone_name: "+01:00".into(), ..ReadOptions::default() };
    let l = log::read(&path, &options).unwrap();
    let s = Summary::of(&l);
    assert_eq!((s.naive_times, s.zone.as_str()), (1, "+01:00"));
    assert_eq!(s.time_span.unwrap(), ["2025-01-01T09:00:00Z".to_owned(), "2025-01-01T10:00:00Z".to_owned()]);
}

/// The 71 edge-case files of PM4Py's XES importer tests: each is read or
/// refused in words, none panics or hangs.
#[test]
fn every_edge_case_file_is_read_or_refused_in_words() {
    let Some(dir) = shared("xes-edge-cases") else { return };
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 71);
    let (mut read_ok, mut refused) = (0, 0);
    for path in &files {
        match log::read(path, &ReadOptions::default()) {
            Ok(_) => read_ok += 1,
            Err(e) => {
                assert!(e.at.is_some() || e.what.contains("no <log>"), "{}: {e} says where", path.display());
                refused += 1;
            }
        }
    }
    eprintln!("{read_ok} read, {refused} refused");
    assert!(refused > 0 && read_ok > 0);
}

#[test]
fn the_public_logs_read() {
    for (name, cases, events) in [
        ("08_receipt.xes.gz", 1434, 8577),
        ("bpic2012.xes.gz", 13_087, 262_200),
        ("07_bpic2013_incidents.xes.gz", 7554, 65_533),
    ] {
        let Some(path) = shared(name) else { return };
        let s = Summary::of(&read(&path));
        assert_eq!((s.cases, s.events), (cases, events), "{name}");
        if name.starts_with("07") {
            assert_eq!(s.groups.len(), 649, "BPIC 2013 has 649 groups");
            assert_eq!(s.time_basis, "complete", "status values, no start events");
        }
    }
    let Some(csv) = shared("receipt.csv") else { return };
    assert_eq!(Summary::of(&read(&csv)).cases, 1434);
}

#[test]
fn a_watched_read_reports_its_progress_and_stops_when_told() {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = {
        let seen = Arc::clone(&seen);
        let options = ReadOptions {
            progress: Some(Arc::new(move |bytes| {
                seen.lock().unwrap().push(bytes);
                true
            })),
            ..ReadOptions::default()
        };
        log::read(&data("logs/claims-complete.csv"), &options).unwrap()
    };
    assert_eq!(log.cases.len(), 240);
    let seen = seen.lock().unwrap().clone();
    let size = std::fs::metadata(data("logs/claims-complete.csv")).unwrap().len();
    assert_eq!(seen.last(), Some(&size), "the last report is the whole file: {seen:?}");
    // Told to stop, the read says it was cancelled.
    let options = ReadOptions { progress: Some(Arc::new(|_| false)), ..ReadOptions::default() };
    let err = log::read(&data("logs/claims.xes.gz"), &options).unwrap_err();
    assert_eq!(err.what, log::CANCELLED);
}
