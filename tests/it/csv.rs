//! Steps from a spreadsheet: created with their stages and departments, or
//! refused by line number with nothing imported.

use proptest::prelude::*;
use waymark::csv_import::read;
use waymark::edit::apply;
use waymark::model::{Map, Visibility};

use crate::support::samples;

const GOOD: &str = "\
Title,Stage,Department,Visibility,Score,Owner,Notes
Greeted at the door,Arrive,Front desk,frontstage,4.5,Marta Silva,
Ticket printed,Arrive,IT,backstage,,Ravi Iyer,\"printer, jammed twice\"
Photo taken,Photo,Photo station,front,2.2,Luis Herrera,old camera
";

#[test]
fn a_csv_creates_its_stages_and_departments_and_steps() {
    let empty = Map::new("from a spreadsheet");
    let map = apply(&empty, &read(GOOD, &empty).unwrap()).unwrap();
    assert_eq!(map.stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Arrive", "Photo"]);
    assert_eq!(map.departments.len(), 3);
    assert_eq!(map.steps.len(), 3);
    assert_eq!(map.steps[1].visibility, Visibility::Backstage);
    assert_eq!(map.steps[1].notes.as_deref(), Some("printer, jammed twice"));
    assert_eq!(map.steps[2].score, Some(2.2));
    assert_eq!(map.steps[0].id, "greeted_at_the_door");
    assert!(waymark::validate::validate(&map).is_valid());
}

#[test]
fn a_spreadsheet_byte_order_mark_is_not_part_of_the_first_header() {
    let empty = Map::new("x");
    let with_bom = format!("\u{feff}{GOOD}");
    assert_eq!(apply(&empty, &read(&with_bom, &empty).unwrap()).unwrap().steps.len(), 3);
}

#[test]
fn existing_stages_and_departments_are_matched_by_name_or_id_in_any_case() {
    let (_, sample) = samples().into_iter().next().unwrap();
    let csv = "title,stage,department,score\nSecond camera,PHOTO AND SIGNATURE,photo,3.1\n";
    let map = apply(&sample, &read(csv, &sample).unwrap()).unwrap();
    assert_eq!(map.stages.len(), sample.stages.len(), "no new stage");
    assert_eq!(map.departments.len(), sample.departments.len(), "no new department");
    let added = map.steps.last().unwrap();
    assert_eq!((added.stage.as_str(), added.department.as_str()), ("photo", "photo"));
}

fn refused(csv: &str) -> String {
    let empty = Map::new("x");
    read(csv, &empty).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn a_bad_row_is_reported_by_its_line() {
    let bad_score = format!("{GOOD}Paid,Pay,Cashier,frontstage,7.5,,\n");
    let msg = refused(&bad_score);
    assert!(msg.starts_with("line 5: ") && msg.contains("7.5 is outside 1.0..5.0"), "{msg}");
    assert!(
        refused("title,stage,department,score\nA,S,D,lots\n").starts_with("line 2: score \"lots\" is not a number")
    );
    assert!(
        refused("title,stage,department,visibility\nA,S,D,sideways\n").starts_with("line 2: visibility \"sideways\"")
    );
    assert!(refused("title,stage\nA,S\n").starts_with("line 1: no \"department\" column"));
    assert!(refused("title,stage,department,colour\nA,S,D,red\n").starts_with("line 1: unknown column \"colour\""));
    assert!(refused("title,stage,department\nA,S,D\n,S,D\n").starts_with("line 3: the title is empty"));
    assert!(
        refused("title,stage,department\nA,S\n").starts_with("line 2: the row has 2 fields where the header has 3")
    );
    assert!(refused("title,stage,department\n").contains("no steps"));
}

#[test]
fn every_bad_row_is_reported_at_once() {
    // Rows that cannot be read, and the map's check of the rows that can, in one refusal.
    let msg = refused("title,stage,department,score\nA,S,D,lots\nB,S,D,4\n,S,D,3\nC,S,D,9\nE,S\n");
    assert_eq!(
        msg,
        "line 2: score \"lots\" is not a number; line 4: the title is empty; \
         line 5: score of step \"c\": 9.0 is outside 1.0..5.0; line 6: the row has 2 fields where the header has 4"
    );
    // Every problem of one row, not only its first.
    let msg = refused("title,stage,department,visibility,score,target\n,,D,sideways,x,y\n");
    for part in ["the title is empty", "the stage is empty", "visibility \"sideways\"", "score \"x\"", "target \"y\""] {
        assert!(msg.contains(part), "{part} in {msg}");
    }
    let msg = refused("title,stage,department,score\nA,S,D,9\nB,S,D,4\nC,S,D,0.5\n");
    assert!(msg.starts_with("line 2: score of step \"a\": 9.0 is outside 1.0..5.0"), "{msg}");
    assert!(msg.contains("line 4: score of step \"c\": 0.5 is outside 1.0..5.0"), "{msg}");
    let many: String = (0..15).map(|i| format!("T{i},S,D,x\n")).collect();
    let msg = refused(&format!("title,stage,department,score\n{many}"));
    assert_eq!(msg.matches("is not a number").count(), 10, "{msg}");
    assert!(msg.ends_with("; and 5 more problems"), "{msg}");
}

#[test]
fn a_spreadsheet_saved_with_semicolons_or_tabs_is_read() {
    let empty = Map::new("x");
    for csv in [
        "title;stage;department;score\nPay, then wait;Pay;Cashier;3,5\n",
        "title\tstage\tdepartment\nPay\tPay\tCashier\n",
    ] {
        let map = apply(&empty, &read(csv, &empty).unwrap()).unwrap();
        assert_eq!(map.steps.len(), 1, "{csv:?}");
        assert_eq!(map.departments[0].name, "Cashier");
    }
    let map = apply(&empty, &read("title;stage;department;score\nPay, then wait;Pay;Cashier;3,5\n", &empty).unwrap())
        .unwrap();
    assert_eq!((map.steps[0].title.as_str(), map.steps[0].score), ("Pay, then wait", Some(3.5)), "a decimal comma too");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the bytes, reading a CSV answers: it never panics.
    #[test]
    fn any_text_is_read_or_refused_without_panicking(body in "(?s).{0,300}", header in prop::sample::select(vec!["title,stage,department\n", "title,stage,department,score,visibility\n", ""])) {
        let empty = Map::new("x");
        let text = format!("{header}{body}");
        if let Ok(edit) = read(&text, &empty) {
            prop_assert!(apply(&empty, &edit).is_ok(), "an accepted CSV applies");
        }
    }
}

#[test]
fn a_facing_column_puts_lanes_below_the_line_and_all_backstage_lanes_go_there_anyway() {
    let text = "\
title,stage,department,facing,visibility
Check in,Arrive,Front desk,customer,frontstage
Room released,Arrive,Housekeeping,internal,backstage
Order cooked,Evening,Kitchen,,backstage
Order placed,Evening,Room service,,frontstage
";
    let empty = Map::new("x");
    let map = apply(&empty, &read(text, &empty).unwrap()).unwrap();
    let side = |name: &str| map.departments.iter().find(|d| d.name == name).unwrap().facing;
    use waymark::model::Facing;
    assert_eq!(side("Front desk"), Facing::Customer);
    assert_eq!(side("Housekeeping"), Facing::Internal, "named internal");
    assert_eq!(side("Kitchen"), Facing::Internal, "all its steps are backstage");
    assert_eq!(side("Room service"), Facing::Customer);
}

#[test]
fn a_facing_that_contradicts_the_map_or_an_earlier_row_is_refused_by_line() {
    let text = "\
# A title line, which keeps the numbering of the lines below
title,stage,department,facing
A,S,Desk,internal
B,S,Desk,customer
C,S,Lab,sideways
";
    let (_, map) = samples().into_iter().next().unwrap();
    let mut base = map.clone();
    base.departments[0].name = "Desk".into();
    let e = read(text, &base).unwrap_err().to_string();
    assert!(e.contains("line 3: department \"Desk\" is customer-facing on the map; this row says internal"), "{e}");
    assert!(e.contains("line 5: facing \"sideways\" is neither customer nor internal"), "{e}");
    let fresh = Map::new("x");
    let e = read(text.replace("sideways", "internal").as_str(), &fresh).unwrap_err().to_string();
    assert!(
        e.contains("line 4: an earlier row makes department \"Desk\" internal; this row says customer-facing"),
        "{e}"
    );
}

#[test]
fn a_first_line_starting_with_a_hash_names_the_map() {
    let text = "# Hotel overnight stay\ntitle,stage,department\nCheck in,Arrive,Front desk\n";
    assert_eq!(waymark::csv_import::title(text).as_deref(), Some("Hotel overnight stay"));
    assert_eq!(waymark::csv_import::title(GOOD), None);
    let empty = Map::new("x");
    assert_eq!(apply(&empty, &read(text, &empty).unwrap()).unwrap().steps.len(), 1);
}
