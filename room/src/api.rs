//! The room's endpoints. Each action is checked here against what the room
//! allows now (the activity open, the room not locked, the pace, the dot
//! budget) and then handed to the host as an edit, which the core validates
//! and the host stores before the answer is sent. A refusal changes nothing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use waymark::edit::Edit;
use waymark::model::{PainPoint, PainStatus};

use crate::seats::{Activity, MAX_PARTICIPANTS};
use crate::view::{State as PhoneState, state};
use crate::{HostError, Room, Signal, phone, token};

/// The largest body a request may carry.
pub const MAX_BODY: usize = 16 * 1024;
/// The longest name a phone may join with.
pub const MAX_NAME: usize = 40;

/// A refusal, as the protocol sends it: a status and `{"error": {code, message}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }
    fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    fn not_now(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }
    fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "there is no room here")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": { "code": self.code, "message": self.message } }))).into_response()
    }
}

/// A JSON body whose rejections are the protocol's errors (400, 413).
pub struct Body<T>(T);

impl<S, T> FromRequest<S> for Body<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the request is over {} KB", MAX_BODY / 1024),
            )),
            Err(rejection) => Err(ApiError::bad(rejection.body_text())),
        }
    }
}

type Shared = Arc<Room>;

pub fn router(room: Shared) -> Router {
    Router::new()
        .route("/r/{token}/", get(page))
        .route("/r/{token}/phone.js", get(script))
        .route("/r/{token}/phone.css", get(style))
        .route("/r/{token}/api/join", post(join))
        .route("/r/{token}/api/state", get(current))
        .route("/r/{token}/api/rate", post(rate))
        .route("/r/{token}/api/dot", post(dot))
        .route("/r/{token}/api/pain", post(pain))
        .route("/r/{token}/api/done", post(done))
        .route("/r/{token}/api/events", get(events))
        .route("/join", get(join_page).post(join_code))
        .route("/join.js", get(|| async { served("text/javascript; charset=utf-8", phone::JOIN_SCRIPT) }))
        .fallback(|| async { ApiError::not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(room)
}

/// The room's token must be the path's, else nothing here exists.
fn check(room: &Room, token: &str) -> Result<(), ApiError> {
    let closed = room.seats.lock().map_or(true, |s| s.closed);
    if closed || !token::same(token, &room.token) { Err(ApiError::not_found()) } else { Ok(()) }
}

/// The phone page, its script and style: every byte from this server, with
/// a content security policy that allows nothing else.
fn served(kind: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    r
}

async fn page(State(room): State<Shared>, Path(t): Path<String>) -> Result<Response, ApiError> {
    check(&room, &t)?;
    Ok(served("text/html; charset=utf-8", phone::PAGE))
}

async fn script(State(room): State<Shared>, Path(t): Path<String>) -> Result<Response, ApiError> {
    check(&room, &t)?;
    Ok(served("text/javascript; charset=utf-8", phone::SCRIPT))
}

async fn style(State(room): State<Shared>, Path(t): Path<String>) -> Result<Response, ApiError> {
    check(&room, &t)?;
    Ok(served("text/css; charset=utf-8", phone::STYLE))
}

/// A voter id: what a phone made once (hex or URL-safe characters).
pub(crate) fn voter_ok(voter: &str) -> Result<(), ApiError> {
    let ok =
        (8..=64).contains(&voter.len()) && voter.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok { Ok(()) } else { Err(ApiError::bad("voter: an id of 8 to 64 letters, digits, - or _")) }
}

/// The answer to an action: `{"ok": true, "state": …}`.
fn answer(room: &Room, voter: &str, extra: serde_json::Value) -> Result<Json<serde_json::Value>, ApiError> {
    let state = numbered(room, Some(voter)).ok_or_else(busy)?;
    let mut body = json!({ "ok": true, "state": state });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    Ok(Json(body))
}

fn busy() -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "the room is busy; try again")
}

/// A phone's state, numbered. The map is read and the number taken under
/// the seats' lock, so a state with a higher number never holds older data;
/// a phone shows no state older than the one it shows (an action's answer
/// can arrive after the event that followed it). Serialized after the lock:
/// every phone's request takes it.
fn numbered(room: &Room, voter: Option<&str>) -> Option<PhoneState> {
    let mut seats = room.seats.lock().ok()?;
    let map = room.host.map();
    seats.built += 1;
    let mut s = state(&map, &seats, voter);
    s.version = seats.built;
    Some(s)
}

/// What a phone hears when its action could not be stored.
pub(crate) const NOT_SAVED: &str = "not saved: the facilitator's connection is down; try again in a moment";

/// Hands an edit to the room's committer (it writes the file, off the async
/// threads) and waits until it is stored.
async fn store(room: &Shared, edit: Edit) -> Result<(), ApiError> {
    let (reply, stored) = tokio::sync::oneshot::channel();
    room.commits.send((edit, reply)).map_err(|_| busy())?;
    let done = stored.await.map_err(|_| busy())?;
    match done {
        Ok(_) => {
            room.changed();
            Ok(())
        }
        Err(HostError::Refused(why)) => Err(ApiError::bad(why)),
        Err(HostError::NotStored(why)) => {
            // The details (a library's address, an operating-system error)
            // are the facilitator's; the phone hears what it can do.
            if let Ok(mut seats) = room.seats.lock() {
                seats.trouble = Some(why);
            }
            room.changed();
            Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_saved", NOT_SAVED))
        }
    }
}

/// The seat an action comes from, and whether its activity is open and its
/// pace kept.
fn seated(room: &Room, voter: &str, activity: Option<Activity>) -> Result<String, ApiError> {
    voter_ok(voter)?;
    let mut seats = room.seats.lock().map_err(|_| busy())?;
    let participant = seats
        .seat(voter)
        .map(|s| s.participant.clone())
        .ok_or_else(|| ApiError::not_now("not_joined", "join the room first"))?;
    if let Some(a) = activity
        && !seats.activities.is_open(a)
    {
        let open = seats.activities.open();
        let now = if open.is_empty() {
            "nothing is open just now".to_owned()
        } else {
            format!("open now: {}", open.join(", "))
        };
        return Err(ApiError::not_now("closed_activity", format!("{} is not open; {now}", a.name())));
    }
    if !seats.pace(voter, Instant::now()) {
        return Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_fast", "too many actions; wait a moment"));
    }
    Ok(participant)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinBody {
    #[serde(default)]
    name: Option<String>,
    voter: String,
}

async fn join(
    State(room): State<Shared>,
    Path(t): Path<String>,
    Body(body): Body<JoinBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    check(&room, &t)?;
    voter_ok(&body.voter)?;
    let map = room.host.map();
    let name = body.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    if let Some(n) = &name
        && (n.chars().count() > MAX_NAME || n.chars().any(char::is_control))
    {
        return Err(ApiError::bad(format!("name: at most {MAX_NAME} characters, no control characters")));
    }
    // The same phone again is the same person, whatever name it sends.
    let (participant, new_name) = {
        let mut seats = room.seats.lock().map_err(|_| busy())?;
        if let Some(seat) = seats.seat(&body.voter) {
            (seat.participant.clone(), false)
        } else {
            if seats.locked {
                return Err(ApiError::not_now("locked", "the room is locked: no one new may join"));
            }
            if seats.count() >= MAX_PARTICIPANTS {
                return Err(ApiError::not_now("full", format!("the room holds at most {MAX_PARTICIPANTS} people")));
            }
            let name = match name {
                Some(n) => n,
                None if seats.allow_anonymous => seats.guest_name(&map.workshop.participants),
                None => return Err(ApiError::bad("name: say who you are")),
            };
            // "ana " is Ana: a name the workshop has, whatever its letter case,
            // is taken in the workshop's spelling, never added beside it.
            let name = map
                .workshop
                .participants
                .iter()
                .find(|p| p.trim().to_lowercase() == name.to_lowercase())
                .cloned()
                .unwrap_or(name);
            if seats.holder(&name).is_some() {
                return Err(ApiError::not_now(
                    "name_taken",
                    format!("someone in the room is already {name}; pick another name"),
                ));
            }
            let known = map.workshop.participants.contains(&name);
            if known {
                seats.sit(&body.voter, &name);
            }
            (name, !known)
        }
    };
    if new_name {
        store(&room, Edit::AddParticipant { name: participant.clone() }).await?;
        let mut seats = room.seats.lock().map_err(|_| busy())?;
        if seats.holder(&participant).is_some() {
            return Err(ApiError::not_now("name_taken", format!("someone in the room is already {participant}")));
        }
        seats.sit(&body.voter, &participant);
    }
    room.changed();
    let budget = room.host.map().workshop.dot_budget;
    Ok(Json(json!({ "participant": participant, "voter": body.voter, "name": participant, "budget": budget })))
}

#[derive(Deserialize)]
struct VoterQuery {
    voter: Option<String>,
}

async fn current(
    State(room): State<Shared>,
    Path(t): Path<String>,
    Query(q): Query<VoterQuery>,
) -> Result<Json<PhoneState>, ApiError> {
    check(&room, &t)?;
    if let Some(v) = &q.voter {
        voter_ok(v)?;
    }
    Ok(Json(numbered(&room, q.voter.as_deref()).ok_or_else(busy)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateBody {
    voter: String,
    step: String,
    score: Option<f64>,
}

async fn rate(
    State(room): State<Shared>,
    Path(t): Path<String>,
    Body(body): Body<RateBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    check(&room, &t)?;
    let participant = seated(&room, &body.voter, Some(Activity::Rating))?;
    if let Some(s) = body.score
        && !(s.is_finite() && (1.0..=5.0).contains(&s) && (s * 2.0).fract() == 0.0)
    {
        return Err(ApiError::bad("score: 1 to 5, in halves (1, 1.5, … 5)"));
    }
    let map = room.host.map();
    match map.steps.iter().find(|s| s.id == body.step) {
        None => return Err(ApiError::bad(format!("step: no step \"{}\"", body.step))),
        Some(s) if s.visibility != waymark::model::Visibility::Frontstage => {
            return Err(ApiError::bad("step: a backstage step is not rated: the customer does not see it"));
        }
        Some(_) => {}
    }
    store(&room, Edit::Rate { step: body.step, participant, score: body.score }).await?;
    answer(&room, &body.voter, json!({}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DotBody {
    voter: String,
    pain_point: String,
    delta: i32,
}

async fn dot(
    State(room): State<Shared>,
    Path(t): Path<String>,
    Body(body): Body<DotBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    check(&room, &t)?;
    let participant = seated(&room, &body.voter, Some(Activity::Voting))?;
    if body.delta != 1 && body.delta != -1 {
        return Err(ApiError::bad("delta: 1 to place a dot, -1 to take one back"));
    }
    let map = room.host.map();
    let Some(p) = map.pain_points.iter().find(|p| p.id == body.pain_point && p.is_open()) else {
        return Err(ApiError::bad(format!("pain_point: no open pain point \"{}\"", body.pain_point)));
    };
    let mine = p.dots.iter().find(|d| d.participant == participant).map_or(0, |d| d.count);
    if body.delta < 0 && mine == 0 {
        return Err(ApiError::not_now("no_dot", format!("{participant} has no dot on this pain point")));
    }
    if let Some(budget) = map.workshop.dot_budget
        && body.delta > 0
        && map.dots_placed(&participant) >= u64::from(budget)
    {
        return Err(ApiError::not_now("budget", format!("{participant} has used all {budget} dots")));
    }
    store(&room, Edit::Vote { id: body.pain_point, delta: body.delta, participant: Some(participant) }).await?;
    answer(&room, &body.voter, json!({}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PainBody {
    voter: String,
    step: String,
    text: String,
    #[serde(default)]
    severity: Option<u8>,
}

async fn pain(
    State(room): State<Shared>,
    Path(t): Path<String>,
    Body(body): Body<PainBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    check(&room, &t)?;
    seated(&room, &body.voter, Some(Activity::Pain))?;
    let text = body.text.trim();
    if text.is_empty() {
        return Err(ApiError::bad("text: say what hurts"));
    }
    if let Some(s) = body.severity
        && !(1..=3).contains(&s)
    {
        return Err(ApiError::bad("severity: 1, 2 or 3"));
    }
    let map = room.host.map();
    if !map.steps.iter().any(|s| s.id == body.step) {
        return Err(ApiError::bad(format!("step: no step \"{}\"", body.step)));
    }
    let mut taken: Vec<String> = map.pain_points.iter().map(|p| p.id.clone()).collect();
    if let Ok(seats) = room.seats.lock() {
        taken.extend(seats.pending.iter().map(|p| p.id.clone()));
    }
    let id = waymark::csv_import::fresh_id(&format!("pp {text}"), &taken);
    let pain_point = PainPoint {
        id: id.clone(),
        step: body.step,
        text: text.to_owned(),
        severity: body.severity,
        votes: 0,
        dots: Vec::new(),
        handoff_from: None,
        owner: None,
        status: PainStatus::Open,
    };
    // With approval on, it waits in the room (not in the map) until the
    // facilitator approves it; the phone is told it waits.
    let waiting = {
        let mut seats = room.seats.lock().map_err(|_| busy())?;
        if seats.approve_pain {
            if seats.pending.iter().any(|p| p.id == id) {
                return Err(ApiError::not_now("busy", "try again"));
            }
            seats.pending.push(pain_point.clone());
            true
        } else {
            false
        }
    };
    if waiting {
        room.changed();
    } else {
        store(&room, Edit::AddPainPoint { pain_point }).await?;
    }
    answer(&room, &body.voter, json!({ "pain_point": id, "pending": waiting }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DoneBody {
    voter: String,
    done: bool,
}

async fn done(
    State(room): State<Shared>,
    Path(t): Path<String>,
    Body(body): Body<DoneBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    check(&room, &t)?;
    seated(&room, &body.voter, None)?;
    if let Ok(mut seats) = room.seats.lock() {
        seats.set_done(&body.voter, body.done);
    }
    room.changed();
    answer(&room, &body.voter, json!({}))
}

/// Server-sent events: the phone's state now and after every change, then
/// `closed` when the room closes.
/// The least time between two states sent to one phone's event stream.
const EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// The next signal; a phone that missed some catches up with one state.
async fn next_signal(signals: &mut tokio::sync::broadcast::Receiver<Signal>) -> Signal {
    match signals.recv().await {
        Ok(s) => s,
        Err(RecvError::Lagged(_)) => Signal::Changed,
        Err(RecvError::Closed) => Signal::Closed,
    }
}

async fn events(
    State(room): State<Shared>,
    Path(t): Path<String>,
    Query(q): Query<VoterQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>>, ApiError> {
    check(&room, &t)?;
    if let Some(v) = &q.voter {
        voter_ok(v)?;
    }
    let signals = room.signals.subscribe();
    let voter = q.voter;
    let first = Some(Signal::Changed);
    // What this phone was sent last: a change that leaves its state as it was
    // (another phone's rating before the reveal) sends it nothing.
    let sent: Option<String> = None;
    let stream = stream::unfold(
        (room, signals, voter, first, false, tokio::time::Instant::now(), sent),
        |(room, mut signals, voter, mut first, over, mut last, mut sent)| async move {
            if over {
                return None;
            }
            loop {
                let signal = match first.take() {
                    Some(s) => s,
                    None => {
                        let mut signal = next_signal(&mut signals).await;
                        // A burst of actions is one state every EVERY per phone,
                        // not one per action: wait out the interval, then take
                        // whatever queued up meanwhile as one change.
                        if signal == Signal::Changed {
                            tokio::time::sleep_until(last + EVERY).await;
                            loop {
                                match signals.try_recv() {
                                    Ok(Signal::Changed) | Err(TryRecvError::Lagged(_)) => {}
                                    Ok(Signal::Closed) | Err(TryRecvError::Closed) => {
                                        signal = Signal::Closed;
                                        break;
                                    }
                                    Err(TryRecvError::Empty) => break,
                                }
                            }
                        }
                        signal
                    }
                };
                last = tokio::time::Instant::now();
                let event = match signal {
                    Signal::Closed => Event::default().event("closed").data("the room is closed"),
                    Signal::Changed => {
                        let Some(mut state) = numbered(&room, voter.as_deref()) else { continue };
                        // Compared without its number, which every state has its own of.
                        let version = std::mem::take(&mut state.version);
                        let same = serde_json::to_string(&state).ok();
                        if same.is_some() && sent == same {
                            continue;
                        }
                        sent = same;
                        state.version = version;
                        Event::default().event("state").data(serde_json::to_string(&state).unwrap_or_default())
                    }
                };
                let over = signal == Signal::Closed;
                return Some((Ok(event), (room, signals, voter, None, over, last, sent)));
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn join_page() -> Response {
    served("text/html; charset=utf-8", phone::JOIN)
}

#[derive(Deserialize)]
struct CodeBody {
    code: String,
}

/// The room code, typed on a phone, answers with the join URL; wrong codes
/// are limited so the code cannot be guessed.
async fn join_code(
    State(room): State<Shared>,
    ConnectInfo(_peer): ConnectInfo<SocketAddr>,
    Body(body): Body<CodeBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = Instant::now();
    let mut seats = room.seats.lock().map_err(|_| busy())?;
    if seats.closed {
        return Err(ApiError::not_found());
    }
    if seats.codes_blocked(now) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_codes",
            "too many wrong codes; wait a minute",
        ));
    }
    let typed: String = body.code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if token::same(&typed, &room.code) {
        return Ok(Json(json!({ "url": room.url })));
    }
    seats.wrong_code(now);
    Err(ApiError::not_found())
}
