//! The room's endpoints over real HTTP on loopback, against a `.waymark`
//! file: the contract's answers and refusals, what one phone may see before
//! the reveal, and that every acknowledged action is in the file.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};
use waymark::store::MapFile;
use waymark_room::{Activity, Config, RoomHandle, StoreHost, open};

struct Room {
    rt: tokio::runtime::Runtime,
    handle: Option<RoomHandle>,
    host: Arc<StoreHost>,
    path: PathBuf,
    _dir: tempfile::TempDir,
    base: String,
    agent: ureq::Agent,
}

fn licence() -> waymark::Map {
    let sample = waymark::samples::ALL.iter().find(|s| s.name == "licence-renewal").unwrap();
    waymark::interchange::read(sample.json).unwrap()
}

fn room_with(map: &waymark::Map, config: Config) -> Room {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("room.waymark");
    drop(MapFile::create(&path, map).unwrap());
    let host = Arc::new(StoreHost::open(&path).unwrap());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let handle = rt.block_on(open(host.clone(), config)).unwrap();
    let base = handle.url().to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    Room { rt, handle: Some(handle), host, path, _dir: dir, base, agent }
}

fn room() -> Room {
    room_with(&licence(), Config::default())
}

impl Room {
    fn handle(&self) -> &RoomHandle {
        self.handle.as_ref().unwrap()
    }

    fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let mut r = self.agent.post(format!("{}{path}", self.base)).send_json(body).unwrap();
        let status = r.status().as_u16();
        (status, r.body_mut().read_json().unwrap_or(Value::Null))
    }

    fn get(&self, path: &str) -> (u16, Value) {
        let mut r = self.agent.get(format!("{}{path}", self.base)).call().unwrap();
        let status = r.status().as_u16();
        (status, r.body_mut().read_json().unwrap_or(Value::Null))
    }

    fn join(&self, voter: &str, name: &str) -> Value {
        let (status, body) = self.post("api/join", &json!({ "voter": voter, "name": name }));
        assert_eq!(status, 200, "{body}");
        body
    }

    fn state(&self, voter: &str) -> Value {
        self.get(&format!("api/state?voter={voter}")).1
    }

    fn close(&mut self) {
        let handle = self.handle.take().unwrap();
        self.rt.block_on(handle.close());
    }
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

const A: &str = "voter-aaaaaaaa";
const B: &str = "voter-bbbbbbbb";

#[test]
fn a_wrong_token_is_not_found_and_the_page_comes_with_a_strict_policy() {
    let room = room();
    let at = room.base.find("/r/").unwrap();
    let wrong = format!("{}/r/{}/", &room.base[..at], "0".repeat(48));
    let mut r = room.agent.get(format!("{wrong}api/state")).call().unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let body: Value = r.body_mut().read_json().unwrap();
    assert_eq!(error_code(&body), "not_found");
    let r = room.agent.get(&room.base).call().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let csp = r.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{csp}");
    let page = room.agent.get(&room.base).call().unwrap().body_mut().read_to_string().unwrap();
    assert!(page.contains("phone.js") && !page.contains("http"), "no remote content: {page}");
}

#[test]
fn the_same_phone_is_the_same_person_and_a_held_name_is_refused() {
    let room = room();
    let first = room.join(A, "Dana");
    assert_eq!((first["participant"].as_str(), first["budget"].as_u64()), (Some("Dana"), Some(5)));
    // A reload sends the same voter id: the same participant, even with another name.
    let again = room.join(A, "Someone else");
    assert_eq!(again["participant"], "Dana");
    let (status, body) = room.post("api/join", &json!({ "voter": B, "name": "Dana" }));
    assert_eq!((status, error_code(&body)), (409, "name_taken"));
    // Letter case and spaces do not make another person.
    let (status, body) = room.post("api/join", &json!({ "voter": B, "name": " dANA " }));
    assert_eq!((status, error_code(&body)), (409, "name_taken"));
    // A participant the map already has, whom no phone holds, joins as that
    // participant, in the workshop's spelling.
    assert_eq!(room.join(B, "amira ")["participant"], "Amira");
    let participants = room.host_map().workshop.participants;
    assert_eq!(participants.iter().filter(|p| *p == "Dana").count(), 1, "{participants:?}");
    assert_eq!(room.handle().seats().len(), 2);
}

impl Room {
    fn host_map(&self) -> waymark::Map {
        use waymark_room::Host;
        (*self.host.map()).clone()
    }
}

#[test]
fn ratings_are_checked_for_range_step_and_activity_and_stored_before_the_answer() {
    let mut room = room();
    room.join(A, "Dana");
    for (score, field) in [(json!(6), "score"), (json!(2.3), "score")] {
        let (status, body) = room.post("api/rate", &json!({ "voter": A, "step": "photo_line", "score": score }));
        assert_eq!(status, 400, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().starts_with(field), "{body}");
    }
    let (status, body) = room.post("api/rate", &json!({ "voter": A, "step": "records_check", "score": 3 }));
    assert_eq!(status, 400, "a backstage step: {body}");
    room.handle().set_activity(Activity::Rating, false);
    let (status, body) = room.post("api/rate", &json!({ "voter": A, "step": "photo_line", "score": 2.5 }));
    assert_eq!((status, error_code(&body)), (409, "closed_activity"));
    assert!(body["error"]["message"].as_str().unwrap().contains("open now: voting, pain"), "{body}");
    assert!(room.host_map().steps.iter().all(|s| s.ratings.iter().all(|r| r.participant != "Dana")), "nothing changed");
    room.handle().set_activity(Activity::Rating, true);
    let (status, body) = room.post("api/rate", &json!({ "voter": A, "step": "photo_line", "score": 2.5 }));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"]["mine"]["ratings"]["photo_line"], 2.5);
    // In the file, after the room closes.
    room.close();
    let map = MapFile::open(&room.path).unwrap().load().unwrap();
    let photo = map.steps.iter().find(|s| s.id == "photo_line").unwrap();
    assert!(photo.ratings.iter().any(|r| r.participant == "Dana" && r.score == 2.5));
}

#[test]
fn the_dot_budget_is_enforced_by_the_server_and_a_refusal_changes_nothing() {
    let room = room();
    room.join(A, "Dana");
    for _ in 0..5 {
        let (status, body) = room.post("api/dot", &json!({ "voter": A, "pain_point": "pp_camera", "delta": 1 }));
        assert_eq!(status, 200, "{body}");
    }
    let before = room.host_map();
    let (status, body) = room.post("api/dot", &json!({ "voter": A, "pain_point": "pp_camera", "delta": 1 }));
    assert_eq!((status, error_code(&body)), (409, "budget"));
    assert_eq!(body["error"]["message"], "Dana has used all 5 dots");
    assert_eq!(room.host_map(), before);
    let (status, _) = room.post("api/dot", &json!({ "voter": A, "pain_point": "pp_camera", "delta": 2 }));
    assert_eq!(status, 400);
    let (status, body) = room.post("api/dot", &json!({ "voter": A, "pain_point": "pp_camera", "delta": -1 }));
    assert_eq!(status, 200);
    assert_eq!(body["state"]["dots_left"], 1);
}

#[test]
fn before_the_reveal_no_phone_sees_another_ones_ratings_or_dots() {
    let room = room();
    room.join(A, "Dana");
    room.join(B, "Eli");
    room.post("api/rate", &json!({ "voter": A, "step": "photo_line", "score": 1.5 }));
    room.post("api/dot", &json!({ "voter": A, "pain_point": "pp_camera", "delta": 1 }));
    let seen = room.state(B);
    let text = seen.to_string();
    assert!(seen["mine"]["ratings"].as_object().unwrap().is_empty());
    assert!(seen["steps"].as_array().unwrap().iter().all(|s| s.get("tally").is_none()), "no scores: {text:.300}");
    assert!(seen["pain_points"].as_array().unwrap().iter().all(|p| p.get("votes").is_none()), "no vote counts");
    assert!(!text.contains("Dana"), "nothing names another participant: {text:.300}");
    // An event to Eli's phone carries no more than the state does.
    let event = room.first_event(B);
    assert!(!event.contains("Dana") && !event.contains("\"votes\"") && !event.contains("tally"), "{event:.300}");
    room.handle().set_revealed(true);
    let seen = room.state(B);
    let photo = seen["steps"].as_array().unwrap().iter().find(|s| s["id"] == "photo_line").unwrap().clone();
    assert!(photo["tally"]["ratings"].as_u64().unwrap() >= 1, "{photo}");
}

impl Room {
    /// The first `state` event the events stream sends a voter.
    fn first_event(&self, voter: &str) -> String {
        let r = self.agent.get(format!("{}api/events?voter={voter}", self.base)).call().unwrap();
        let mut lines = BufReader::new(r.into_body().into_reader()).lines();
        let mut event = String::new();
        while let Some(Ok(line)) = lines.next() {
            if line.starts_with("data:") && event == "state" {
                return line;
            }
            if let Some(name) = line.strip_prefix("event:") {
                event = name.trim().to_owned();
            }
        }
        String::new()
    }
}

#[test]
fn malformed_oversized_unknown_and_hostile_requests_are_refused_or_kept_as_text() {
    let room = room();
    room.join(A, "Dana");
    let before = room.host_map();
    let raw = |body: &str| {
        let mut r = room
            .agent
            .post(format!("{}api/rate", room.base))
            .header("content-type", "application/json")
            .send(body)
            .unwrap();
        let status = r.status().as_u16();
        (status, r.body_mut().read_json::<Value>().unwrap_or(Value::Null))
    };
    let (status, body) = raw("{not json");
    assert_eq!((status, error_code(&body)), (400, "bad_request"));
    let (status, body) = raw(&format!(r#"{{"voter":"{A}","step":"photo_line","score":3,"extra":1}}"#));
    assert_eq!(status, 400, "an unknown field: {body}");
    let big = format!(r#"{{"voter":"{A}","step":"{}","score":3}}"#, "x".repeat(20_000));
    let (status, body) = raw(&big);
    assert_eq!((status, error_code(&body)), (413, "too_large"));
    let (status, _) = room.post("api/rate", &json!({ "voter": "short", "step": "photo_line", "score": 3 }));
    assert_eq!(status, 400, "a malformed voter id");
    assert_eq!(room.host_map(), before, "nothing changed");
    // Hostile text is stored and sent back as text, exactly.
    let hostile = "<img src=x onerror=alert(1)> \u{202e} & \"quoted\"";
    let (status, body) =
        room.post("api/pain", &json!({ "voter": A, "step": "photo_line", "text": hostile, "severity": 2 }));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["pending"], false);
    let id = body["pain_point"].as_str().unwrap();
    let stored = room.host_map().pain_points.into_iter().find(|p| p.id == id).unwrap();
    assert_eq!(stored.text, hostile.trim());
    let (status, body) =
        room.post("api/pain", &json!({ "voter": A, "step": "photo_line", "text": "x", "severity": 7 }));
    assert_eq!(status, 400, "{body}");
}

#[test]
fn a_phone_sending_too_fast_is_slowed_and_a_removed_participant_comes_back_with_undo() {
    let room = room();
    room.join(A, "Dana");
    let statuses: Vec<u16> = (0..15)
        .map(|i| room.post("api/rate", &json!({ "voter": A, "step": "photo_line", "score": 1 + i % 4 })).0)
        .collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (status, _) = room.post("api/rate", &json!({ "voter": A, "step": "greet", "score": 4 }));
    assert_eq!(status, 200);
    room.rt.block_on(room.handle().remove_participant("Dana")).unwrap();
    let map = room.host_map();
    assert!(!map.workshop.participants.contains(&"Dana".to_owned()));
    assert!(
        map.steps.iter().all(|s| s.ratings.iter().all(|r| r.participant != "Dana")),
        "their ratings went with them"
    );
    let (status, body) = room.post("api/rate", &json!({ "voter": A, "step": "greet", "score": 4 }));
    assert_eq!((status, error_code(&body)), (409, "not_joined"));
    assert!(room.host.undo().unwrap(), "one undo");
    let map = room.host_map();
    assert!(map.workshop.participants.contains(&"Dana".to_owned()));
    assert!(map.steps.iter().any(|s| s.ratings.iter().any(|r| r.participant == "Dana")), "their ratings are back");
}

#[test]
fn a_closed_room_stops_listening_and_a_locked_one_takes_no_one_new() {
    let mut room = room();
    room.join(A, "Dana");
    room.handle().set_locked(true);
    let (status, body) = room.post("api/join", &json!({ "voter": B, "name": "Eli" }));
    assert_eq!((status, error_code(&body)), (409, "locked"));
    assert_eq!(room.join(A, "Dana")["participant"], "Dana", "who is in stays in");
    let addr = room.handle().addr();
    room.close();
    assert!(std::net::TcpStream::connect(addr).is_err(), "nothing listens once the room is closed");
}

#[test]
fn forty_phones_at_once_leave_every_acknowledged_action_in_the_file_exactly_once() {
    let mut map = licence();
    map.workshop.dot_budget = Some(50);
    let mut room = room_with(&map, Config::default());
    let frontstage: Vec<String> = map
        .steps
        .iter()
        .filter(|s| s.visibility == waymark::model::Visibility::Frontstage)
        .map(|s| s.id.clone())
        .take(5)
        .collect();
    let base = room.base.clone();
    let acknowledged: Vec<(usize, usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..40)
            .map(|i| {
                let base = base.clone();
                let steps = frontstage.clone();
                scope.spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                    let voter = format!("phone-{i:04}-xxxx");
                    let post = |path: &str, body: Value| {
                        agent.post(format!("{base}{path}")).send_json(&body).map(|r| r.status().as_u16()).unwrap_or(0)
                    };
                    assert_eq!(post("api/join", json!({ "voter": voter, "name": format!("Phone {i}") })), 200);
                    let mut rated = 0;
                    for (k, step) in steps.iter().enumerate() {
                        if post("api/rate", json!({ "voter": voter, "step": step, "score": 1 + (i + k) % 5 })) == 200 {
                            rated += 1;
                        }
                    }
                    let dots = (0..3)
                        .filter(|_| {
                            post("api/dot", json!({ "voter": voter, "pain_point": "pp_camera", "delta": 1 })) == 200
                        })
                        .count();
                    (i, rated, dots)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    room.close();
    let map = MapFile::open(&room.path).unwrap().load().unwrap();
    for (i, rated, dots) in acknowledged {
        let name = format!("Phone {i}");
        let ratings = map.steps.iter().flat_map(|s| &s.ratings).filter(|r| r.participant == name).count();
        assert_eq!(ratings, rated, "{name}'s acknowledged ratings, exactly once");
        let placed = map
            .pain_points
            .iter()
            .flat_map(|p| &p.dots)
            .filter(|d| d.participant == name)
            .map(|d| d.count as usize)
            .sum::<usize>();
        assert_eq!(placed, dots, "{name}'s acknowledged dots");
        assert_eq!(map.workshop.participants.iter().filter(|p| **p == name).count(), 1);
    }
}

#[test]
fn with_approval_a_phones_pain_point_waits_until_the_facilitator_approves_it() {
    let room = room_with(&licence(), Config { approve_pain: true, ..Config::default() });
    room.join(A, "Dana");
    let before = room.host_map();
    let (status, body) =
        room.post("api/pain", &json!({ "voter": A, "step": "photo_line", "text": "No chairs", "severity": 1 }));
    assert_eq!((status, body["pending"].as_bool()), (200, Some(true)), "{body}");
    assert_eq!(room.host_map(), before, "it does not count yet");
    let id = body["pain_point"].as_str().unwrap().to_owned();
    assert_eq!(room.handle().pending().len(), 1);
    room.rt.block_on(room.handle().settle_pending(&id, true)).unwrap();
    assert!(room.host_map().pain_points.iter().any(|p| p.id == id && p.text == "No chairs"));
    assert!(room.handle().pending().is_empty());
    assert!(room.rt.block_on(room.handle().settle_pending(&id, true)).is_err(), "it waits no more");
}

/// A host whose store is out of reach: every edit fails to be stored, with
/// the kind of detail a library outage gives.
struct Unreachable(Arc<waymark::Map>);

impl waymark_room::Host for Unreachable {
    fn map(&self) -> Arc<waymark::Map> {
        Arc::clone(&self.0)
    }

    fn apply(&self, _: &waymark::edit::Edit) -> Result<(), waymark_room::HostError> {
        Err(waymark_room::HostError::NotStored(
            "postgres://waymark@10.0.4.2:5432/library: Connection refused (os error 111)".into(),
        ))
    }
}

#[test]
fn a_phone_hears_its_action_was_not_saved_and_only_the_facilitator_hears_why() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let mut map = licence();
    map.workshop.participants.push("Dana".into());
    let handle = rt.block_on(open(Arc::new(Unreachable(Arc::new(map))), Config::default())).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let url = handle.url().to_owned();
    let post = |path: &str, body: Value| {
        let mut r = agent.post(format!("{url}{path}")).send_json(&body).unwrap();
        (r.status().as_u16(), r.body_mut().read_json::<Value>().unwrap())
    };
    assert_eq!(post("api/join", json!({ "voter": A, "name": "Dana" })).0, 200);
    let (status, body) = post("api/rate", json!({ "voter": A, "step": "photo_line", "score": 2 }));
    assert_eq!((status, error_code(&body)), (503, "not_saved"));
    assert_eq!(
        body["error"]["message"], "not saved: the facilitator's connection is down; try again in a moment",
        "no address, no operating-system error on a phone"
    );
    let trouble = handle.trouble().unwrap();
    assert!(trouble.contains("10.0.4.2:5432") && trouble.contains("os error 111"), "{trouble}");
    rt.block_on(handle.close());
}

#[test]
fn a_released_name_can_be_taken_again_from_another_browser_and_keeps_what_it_did() {
    let room = room();
    room.join(A, "Dana");
    assert_eq!(room.post("api/rate", &json!({ "voter": A, "step": "photo_line", "score": 2 })).0, 200);
    assert!(!room.handle().release("Nobody"), "no phone holds that name");
    assert!(room.handle().release("Dana"));
    assert_eq!(room.state(A)["participant"], Value::Null, "the first browser is asked to join again");
    let again = room.join(B, "dana");
    assert_eq!(again["participant"], "Dana");
    assert_eq!(room.state(B)["mine"]["ratings"]["photo_line"], 2.0, "her rating is still hers");
    let (status, body) = room.post("api/rate", &json!({ "voter": A, "step": "photo_line", "score": 5 }));
    assert_eq!((status, error_code(&body)), (409, "not_joined"));
    assert_eq!(room.host_map().workshop.participants.iter().filter(|p| *p == "Dana").count(), 1);
}

#[test]
fn every_state_a_phone_gets_is_numbered_later_than_the_one_before() {
    let room = room();
    room.join(A, "Dana");
    let first = room.state(A)["version"].as_u64().unwrap();
    let (_, placed) = room.post("api/dot", &json!({ "voter": A, "pain_point": "pp_camera", "delta": 1 }));
    let (_, taken) = room.post("api/dot", &json!({ "voter": A, "pain_point": "pp_camera", "delta": -1 }));
    let (placed, taken) = (placed["state"]["version"].as_u64().unwrap(), taken["state"]["version"].as_u64().unwrap());
    // A phone that gets the "placed" answer last knows it is older.
    assert!(first < placed && placed < taken, "{first} {placed} {taken}");
}
