//! `waymark import` of a spreadsheet of steps.

use crate::support::tempdir;

const GOOD: &str = "\
Title,Stage,Department,Visibility,Score,Owner,Notes
Greeted at the door,Arrive,Front desk,frontstage,4.5,Marta Silva,
Ticket printed,Arrive,IT,backstage,,Ravi Iyer,\"printer, jammed twice\"
Photo taken,Photo,Photo station,front,2.2,Luis Herrera,old camera
";

#[test]
fn the_cli_imports_a_csv_or_creates_nothing() {
    let dir = tempdir();
    std::fs::write(dir.path().join("steps.csv"), GOOD).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir.path()).output().unwrap()
    };
    let out = run(&["import", "steps.csv", "-o", "steps.waymark"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let map = waymark::store::MapFile::open(&dir.path().join("steps.waymark")).unwrap().load().unwrap();
    assert_eq!((map.title.as_str(), map.steps.len()), ("steps", 3));
    std::fs::write(dir.path().join("bad.csv"), format!("{GOOD}Paid,Pay,Cashier,frontstage,0,,\n")).unwrap();
    let out = run(&["import", "bad.csv", "-o", "bad.waymark"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 5"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!dir.path().join("bad.waymark").exists(), "nothing is created");
}
