//! Map ⇄ rows. Lists keep their order through a `position` column, so a map
//! read back is equal to the map written, field for field.

use rusqlite::{Connection, Row, params};

use rustc_hash::FxHashMap;

use crate::model::{
    CharterPromise, Commitment, CommitmentStatus, Department, Dots, EvidenceKind, EvidenceSource, Facing, Flow,
    FlowKind, KeptCases, Map, PainPoint, PainStatus, Rating, Settings, Sla, Stage, Step, SurveyAnswers, Visibility,
    Workshop,
};

/// Empties every table, children first so foreign keys hold throughout.
pub fn delete_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM kept_cases; DELETE FROM answers; DELETE FROM evidence; DELETE FROM commitment_link; DELETE FROM commitment; DELETE FROM promise; DELETE FROM dots; DELETE FROM rating; DELETE FROM participant; DELETE FROM pain_point; DELETE FROM flow; DELETE FROM step; DELETE FROM department; DELETE FROM stage; DELETE FROM map;",
    )
}

/// Inserts the whole map into empty tables.
pub fn insert_all(conn: &Connection, map: &Map) -> rusqlite::Result<()> {
    insert_map_row(conn, map)?;
    let mut st = conn.prepare("INSERT INTO participant (name, position) VALUES (?1, ?2)")?;
    for (i, name) in (0_i64..).zip(&map.workshop.participants) {
        st.execute(params![name, i])?;
    }
    let mut st = conn.prepare("INSERT INTO stage (id, position, name) VALUES (?1, ?2, ?3)")?;
    for (i, x) in (0_i64..).zip(&map.stages) {
        st.execute(params![x.id, i, x.name])?;
    }
    let mut st =
        conn.prepare("INSERT INTO department (id, position, name, facing, color) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (i, d) in (0_i64..).zip(&map.departments) {
        st.execute(params![d.id, i, d.name, facing_str(d.facing), d.color])?;
    }
    let mut st = conn.prepare_cached(STEP_UPSERT)?;
    for (i, x) in (0_i64..).zip(&map.steps) {
        write_step(&mut st, i, x)?;
    }
    let mut st = conn.prepare_cached(RATING_INSERT)?;
    for x in &map.steps {
        write_ratings(&mut st, x)?;
    }
    let mut st = conn.prepare_cached(FLOW_UPSERT)?;
    for (i, f) in (0_i64..).zip(&map.flows) {
        write_flow(&mut st, i, f)?;
    }
    let mut st = conn.prepare(
        "INSERT INTO evidence (position, kind, file, sha256, count, span_from, span_to, read_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, e) in (0_i64..).zip(&map.evidence) {
        let kind = match e.kind {
            EvidenceKind::Log => "log",
            EvidenceKind::Survey => "survey",
        };
        let span = e.span.as_ref();
        st.execute(params![
            i,
            kind,
            e.file,
            e.sha256,
            i64::from(e.count),
            span.map(|s| s[0].clone()),
            span.map(|s| s[1].clone()),
            e.read_on.format("%Y-%m-%d").to_string()
        ])?;
    }
    let mut st = conn.prepare("INSERT INTO answers (position, source, steps, respondents) VALUES (?1, ?2, ?3, ?4)")?;
    for (i, a) in (0_i64..).zip(&map.answers) {
        st.execute(params![i, a.source, json(Some(&a.steps))?, json(Some(&a.respondents))?])?;
    }
    let mut st =
        conn.prepare("INSERT INTO kept_cases (position, source, flows, entries, cases) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (i, c) in (0_i64..).zip(&map.cases) {
        st.execute(params![i, c.source, json(Some(&c.flows))?, json(Some(&c.entries))?, json(Some(&c.cases))?])?;
    }
    let mut st = conn.prepare_cached(PAIN_UPSERT)?;
    for (i, p) in (0_i64..).zip(&map.pain_points) {
        write_pain_point(&mut st, i, p)?;
    }
    let mut st = conn.prepare_cached(DOTS_INSERT)?;
    for p in &map.pain_points {
        write_dots(&mut st, p)?;
    }
    let mut st =
        conn.prepare("INSERT INTO promise (id, position, stage, text, within_minutes) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (i, p) in (0_i64..).zip(&map.charter) {
        st.execute(params![p.id, i, p.stage, p.text, p.within_minutes])?;
    }
    let mut st = conn.prepare(
        "INSERT INTO commitment (id, position, action, owner, department, due, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut link = conn.prepare("INSERT INTO commitment_link (commitment, position, target) VALUES (?1, ?2, ?3)")?;
    for (i, c) in (0_i64..).zip(&map.commitments) {
        let due = c.due.map(|d| d.format("%Y-%m-%d").to_string());
        st.execute(params![c.id, i, c.action, c.owner, c.department, due, commitment_str(c.status)])?;
        for (j, target) in (0_i64..).zip(&c.links) {
            link.execute(params![c.id, j, target])?;
        }
    }
    Ok(())
}

/// Writes only what changed from `before` (what the tables hold now) to
/// `after`, when the stages, departments, participants, charter,
/// commitments and evidence are as they were: the steps, flows and pain
/// points that changed, came or went, and the map's own fields. Anything
/// else (a stage added, a participant joining) rewrites every table. A
/// phone's rating on a 500-step map is then a few rows, not thousands, and
/// so is a step added to a 1,000-step map (which rewrote every table until
/// 2026-12-07: 10–38 ms of the edit).
pub fn write_changes(conn: &Connection, before: &Map, after: &Map) -> rusqlite::Result<()> {
    if !same_frame(before, after) {
        delete_all(conn)?;
        return insert_all(conn, after);
    }
    // Rows go and come in the order that suits the lists, not the
    // references between them (a flow may name a step written after it):
    // the references are checked when the transaction commits.
    conn.pragma_update(None, "defer_foreign_keys", true)?;
    if map_row_differs(before, after) {
        conn.execute("DELETE FROM map", [])?;
        insert_map_row(conn, after)?;
    }
    write_list(
        conn,
        &before.steps,
        &after.steps,
        |s| s.id.as_str(),
        |conn, gone| {
            conn.execute("DELETE FROM rating WHERE step = ?1", [&gone.id])?;
            conn.execute("DELETE FROM step WHERE id = ?1", [&gone.id])?;
            Ok(())
        },
        |conn, i, old, new| {
            write_step(&mut conn.prepare_cached(STEP_UPSERT)?, i, new)?;
            if old.is_none_or(|old| old.ratings != new.ratings) {
                if old.is_some() {
                    conn.execute("DELETE FROM rating WHERE step = ?1", [&new.id])?;
                }
                write_ratings(&mut conn.prepare_cached(RATING_INSERT)?, new)?;
            }
            Ok(())
        },
    )?;
    // Flows are kept by their place: the ones that differ there are written
    // over, and the places past the end are emptied.
    for (i, flow) in (0_i64..).zip(&after.flows) {
        if usize::try_from(i).ok().and_then(|i| before.flows.get(i)) != Some(flow) {
            write_flow(&mut conn.prepare_cached(FLOW_UPSERT)?, i, flow)?;
        }
    }
    if before.flows.len() > after.flows.len() {
        conn.execute("DELETE FROM flow WHERE position >= ?1", [i64::try_from(after.flows.len()).unwrap_or(i64::MAX)])?;
    }
    write_list(
        conn,
        &before.pain_points,
        &after.pain_points,
        |p| p.id.as_str(),
        |conn, gone| {
            conn.execute("DELETE FROM dots WHERE pain_point = ?1", [&gone.id])?;
            conn.execute("DELETE FROM pain_point WHERE id = ?1", [&gone.id])?;
            Ok(())
        },
        |conn, i, old, new| {
            write_pain_point(&mut conn.prepare_cached(PAIN_UPSERT)?, i, new)?;
            if old.is_none_or(|old| old.dots != new.dots) {
                if old.is_some() {
                    conn.execute("DELETE FROM dots WHERE pain_point = ?1", [&new.id])?;
                }
                write_dots(&mut conn.prepare_cached(DOTS_INSERT)?, new)?;
            }
            Ok(())
        },
    )
}

/// Writes a list kept by id from `before` to `after`: removes the items
/// gone (`remove`), and writes (`write`, with its place and the item as it
/// was, if it was) each item that is new, changed or moved. When every item
/// keeps its place, as after a score, nothing is looked up by id.
fn write_list<T: PartialEq>(
    conn: &Connection,
    before: &[T],
    after: &[T],
    id: impl Fn(&T) -> &str,
    remove: impl Fn(&Connection, &T) -> rusqlite::Result<()>,
    write: impl Fn(&Connection, i64, Option<&T>, &T) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let in_place = before.len() == after.len() && before.iter().zip(after).all(|(a, b)| id(a) == id(b));
    if in_place {
        for (i, (old, new)) in (0_i64..).zip(before.iter().zip(after)) {
            if old != new {
                write(conn, i, Some(old), new)?;
            }
        }
        return Ok(());
    }
    let was: FxHashMap<&str, (usize, &T)> = before.iter().enumerate().map(|(i, x)| (id(x), (i, x))).collect();
    let kept: rustc_hash::FxHashSet<&str> = after.iter().map(&id).collect();
    for gone in before.iter().filter(|x| !kept.contains(id(x))) {
        remove(conn, gone)?;
    }
    for (i, new) in after.iter().enumerate() {
        let old = was.get(id(new)).copied();
        if old.is_some_and(|(j, old)| j == i && old == new) {
            continue;
        }
        write(conn, i64::try_from(i).unwrap_or(i64::MAX), old.map(|(_, old)| old), new)?;
    }
    Ok(())
}

/// Whether `after` keeps everything of `before` that [`write_changes`]
/// does not write piece by piece.
fn same_frame(before: &Map, after: &Map) -> bool {
    before.stages == after.stages
        && before.departments == after.departments
        && before.charter == after.charter
        && before.commitments == after.commitments
        && before.workshop.participants == after.workshop.participants
        && before.evidence == after.evidence
        && before.answers == after.answers
        && before.cases == after.cases
}

fn map_row_differs(a: &Map, b: &Map) -> bool {
    a.title != b.title
        || a.description != b.description
        || a.settings != b.settings
        || a.workshop.dot_budget != b.workshop.dot_budget
        || a.review_every_weeks != b.review_every_weeks
        || a.volume != b.volume
        || a.calibration != b.calibration
}

fn insert_map_row(conn: &Connection, map: &Map) -> rusqlite::Result<()> {
    let s = &map.settings;
    conn.execute(
        "INSERT INTO map (singleton, title, description, end_weight, negativity, standard, dot_budget, review_every_weeks, volume, average_weight, agreement_share, calibration)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            map.title,
            map.description,
            s.end_weight,
            s.negativity,
            s.standard,
            map.workshop.dot_budget,
            map.review_every_weeks,
            map.volume,
            s.average_weight,
            s.agreement_share,
            json(map.calibration.as_ref())?
        ],
    )?;
    Ok(())
}

/// A step's row: inserted, or (for [`write_changes`]) updated in place, so
/// the rows that refer to it stay valid.
const STEP_UPSERT: &str =
    "INSERT INTO step (id, position, title, stage, department, visibility, score, target, owner, channel, notes, entry_share, follows_ratings, entry_measured, surveyed)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
     ON CONFLICT (id) DO UPDATE SET position = excluded.position, title = excluded.title, stage = excluded.stage,
       department = excluded.department, visibility = excluded.visibility, score = excluded.score,
       target = excluded.target, owner = excluded.owner, channel = excluded.channel, notes = excluded.notes,
       entry_share = excluded.entry_share, follows_ratings = excluded.follows_ratings, entry_measured = excluded.entry_measured,
       surveyed = excluded.surveyed";

const RATING_INSERT: &str = "INSERT INTO rating (step, participant, position, score) VALUES (?1, ?2, ?3, ?4)";

/// A flow's row at its place, inserted or written over.
const FLOW_UPSERT: &str =
    "INSERT INTO flow (position, from_step, to_step, share, kind, sla_promised_minutes, sla_actual_minutes, sla_quality, measured, sla_target_share, sla_measured)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
     ON CONFLICT (position) DO UPDATE SET from_step = excluded.from_step, to_step = excluded.to_step,
       share = excluded.share, kind = excluded.kind, sla_promised_minutes = excluded.sla_promised_minutes,
       sla_actual_minutes = excluded.sla_actual_minutes, sla_quality = excluded.sla_quality,
       measured = excluded.measured, sla_target_share = excluded.sla_target_share, sla_measured = excluded.sla_measured";

/// A pain point's row, inserted or updated in place.
const PAIN_UPSERT: &str =
    "INSERT INTO pain_point (id, position, step, text, severity, votes, owner, status, handoff_from)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
     ON CONFLICT (id) DO UPDATE SET position = excluded.position, step = excluded.step, text = excluded.text,
       severity = excluded.severity, votes = excluded.votes, owner = excluded.owner, status = excluded.status,
       handoff_from = excluded.handoff_from";

const DOTS_INSERT: &str = "INSERT INTO dots (pain_point, participant, position, count) VALUES (?1, ?2, ?3, ?4)";

fn write_step(st: &mut rusqlite::CachedStatement<'_>, i: i64, x: &crate::model::Step) -> rusqlite::Result<()> {
    st.execute(params![
        x.id,
        i,
        x.title,
        x.stage,
        x.department,
        visibility_str(x.visibility),
        x.score,
        x.target,
        x.owner,
        x.channel,
        x.notes,
        x.entry_share,
        x.follows_ratings,
        json(x.entry_measured.as_ref())?,
        json(x.surveyed.as_ref())?
    ])?;
    Ok(())
}

fn write_flow(st: &mut rusqlite::CachedStatement<'_>, i: i64, f: &Flow) -> rusqlite::Result<()> {
    let sla = f.sla.as_ref();
    st.execute(params![
        i,
        f.from,
        f.to,
        f.share,
        kind_str(f.kind),
        sla.map(|s| s.promised_minutes),
        sla.and_then(|s| s.actual_minutes),
        sla.and_then(|s| s.quality.clone()),
        json(f.measured.as_ref())?,
        sla.and_then(|s| s.target_share),
        json(sla.and_then(|s| s.measured.as_ref()))?
    ])?;
    Ok(())
}

fn write_ratings(st: &mut rusqlite::CachedStatement<'_>, x: &crate::model::Step) -> rusqlite::Result<()> {
    for (i, r) in (0_i64..).zip(&x.ratings) {
        st.execute(params![x.id, r.participant, i, r.score])?;
    }
    Ok(())
}

fn write_pain_point(st: &mut rusqlite::CachedStatement<'_>, i: i64, p: &PainPoint) -> rusqlite::Result<()> {
    st.execute(params![p.id, i, p.step, p.text, p.severity, p.votes, p.owner, status_str(p.status), p.handoff_from])?;
    Ok(())
}

fn write_dots(st: &mut rusqlite::CachedStatement<'_>, p: &PainPoint) -> rusqlite::Result<()> {
    for (i, d) in (0_i64..).zip(&p.dots) {
        st.execute(params![p.id, d.participant, i, d.count])?;
    }
    Ok(())
}

/// Reads the whole map.
pub fn load(conn: &Connection) -> rusqlite::Result<Map> {
    let (title, description, settings, dot_budget, review_every_weeks, volume, calibration) = conn.query_row(
        "SELECT title, description, end_weight, negativity, standard, dot_budget, review_every_weeks, volume, average_weight, agreement_share, calibration FROM map WHERE singleton = 1",
        [],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                Settings {
                    end_weight: r.get(2)?,
                    negativity: r.get(3)?,
                    standard: r.get(4)?,
                    average_weight: r.get(8)?,
                    agreement_share: r.get(9)?,
                },
                r.get::<_, Option<u32>>(5)?,
                r.get::<_, Option<u32>>(6)?,
                r.get::<_, Option<u32>>(7)?,
                from_json(r, 10)?,
            ))
        },
    )?;
    let participants = all(conn, "SELECT name FROM participant ORDER BY position", |r| r.get(0))?;
    let mut ratings = grouped(conn, "SELECT step, participant, score FROM rating ORDER BY step, position", |r| {
        Ok(Rating { participant: r.get(1)?, score: r.get(2)? })
    })?;
    let mut dots =
        grouped(conn, "SELECT pain_point, participant, count FROM dots ORDER BY pain_point, position", |r| {
            Ok(Dots { participant: r.get(1)?, count: r.get(2)? })
        })?;
    let stages =
        all(conn, "SELECT id, name FROM stage ORDER BY position", |r| Ok(Stage { id: r.get(0)?, name: r.get(1)? }))?;
    let departments = all(conn, "SELECT id, name, facing, color FROM department ORDER BY position", |r| {
        Ok(Department { id: r.get(0)?, name: r.get(1)?, facing: parse_facing(r, 2)?, color: r.get(3)? })
    })?;
    let mut steps = all(
        conn,
        "SELECT id, title, stage, department, visibility, score, target, owner, channel, notes, entry_share, follows_ratings, entry_measured, surveyed FROM step ORDER BY position",
        |r| {
            Ok(Step {
                id: r.get(0)?,
                title: r.get(1)?,
                stage: r.get(2)?,
                department: r.get(3)?,
                visibility: parse_visibility(r, 4)?,
                score: r.get(5)?,
                target: r.get(6)?,
                owner: r.get(7)?,
                channel: r.get(8)?,
                notes: r.get(9)?,
                entry_share: r.get(10)?,
                ratings: Vec::new(),
                follows_ratings: r.get(11)?,
                entry_measured: from_json(r, 12)?,
                surveyed: from_json(r, 13)?,
            })
        },
    )?;
    let flows = all(
        conn,
        "SELECT from_step, to_step, share, kind, sla_promised_minutes, sla_actual_minutes, sla_quality, measured, sla_target_share, sla_measured FROM flow ORDER BY position",
        |r| {
            let promised: Option<f64> = r.get(4)?;
            let sla = match promised {
                Some(promised_minutes) => Some(Sla {
                    promised_minutes,
                    actual_minutes: r.get(5)?,
                    quality: r.get(6)?,
                    target_share: r.get(8)?,
                    measured: from_json(r, 9)?,
                }),
                None => None,
            };
            Ok(Flow {
                from: r.get(0)?,
                to: r.get(1)?,
                share: r.get(2)?,
                kind: parse_kind(r, 3)?,
                sla,
                measured: from_json(r, 7)?,
            })
        },
    )?;
    let mut pain_points = all(
        conn,
        "SELECT id, step, text, severity, votes, owner, status, handoff_from FROM pain_point ORDER BY position",
        |r| {
            Ok(PainPoint {
                id: r.get(0)?,
                step: r.get(1)?,
                text: r.get(2)?,
                severity: r.get(3)?,
                votes: r.get(4)?,
                dots: Vec::new(),
                owner: r.get(5)?,
                status: parse_status(r, 6)?,
                handoff_from: r.get(7)?,
            })
        },
    )?;
    for step in &mut steps {
        step.ratings = ratings.remove(&step.id).unwrap_or_default();
    }
    for p in &mut pain_points {
        p.dots = dots.remove(&p.id).unwrap_or_default();
    }
    let charter = all(conn, "SELECT id, stage, text, within_minutes FROM promise ORDER BY position", |r| {
        Ok(CharterPromise { id: r.get(0)?, stage: r.get(1)?, text: r.get(2)?, within_minutes: r.get(3)? })
    })?;
    let mut links =
        grouped(conn, "SELECT commitment, target FROM commitment_link ORDER BY commitment, position", |r| r.get(1))?;
    let mut commitments =
        all(conn, "SELECT id, action, owner, department, due, status FROM commitment ORDER BY position", |r| {
            Ok(Commitment {
                id: r.get(0)?,
                action: r.get(1)?,
                owner: r.get(2)?,
                department: r.get(3)?,
                due: parse_date(r, 4)?,
                links: Vec::new(),
                status: parse_commitment(r, 5)?,
            })
        })?;
    for c in &mut commitments {
        c.links = links.remove(&c.id).unwrap_or_default();
    }
    let workshop = Workshop { participants, dot_budget };
    let evidence = all(
        conn,
        "SELECT kind, file, sha256, count, span_from, span_to, read_on FROM evidence ORDER BY position",
        |r| {
            let kind = match r.get::<_, String>(0)?.as_str() {
                "survey" => EvidenceKind::Survey,
                _ => EvidenceKind::Log,
            };
            let span = match (r.get::<_, Option<String>>(4)?, r.get::<_, Option<String>>(5)?) {
                (Some(a), Some(b)) => Some([a, b]),
                _ => None,
            };
            Ok(EvidenceSource {
                kind,
                file: r.get(1)?,
                sha256: r.get(2)?,
                count: u32::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                span,
                read_on: parse_date(r, 6)?.unwrap_or_default(),
            })
        },
    )?;
    let answers = all(conn, "SELECT source, steps, respondents FROM answers ORDER BY position", |r| {
        Ok(SurveyAnswers {
            source: r.get(0)?,
            steps: from_json(r, 1)?.unwrap_or_default(),
            respondents: from_json(r, 2)?.unwrap_or_default(),
        })
    })?;
    let cases = all(conn, "SELECT source, flows, entries, cases FROM kept_cases ORDER BY position", |r| {
        Ok(KeptCases {
            source: r.get(0)?,
            flows: from_json(r, 1)?.unwrap_or_default(),
            entries: from_json(r, 2)?.unwrap_or_default(),
            cases: from_json(r, 3)?.unwrap_or_default(),
        })
    })?;
    Ok(Map {
        title,
        description,
        settings,
        stages,
        departments,
        steps,
        flows,
        pain_points,
        workshop,
        charter,
        commitments,
        review_every_weeks,
        volume,
        evidence,
        calibration,
        answers,
        cases,
    })
}

/// A small record kept as JSON in a column.
fn json<T: serde::Serialize>(value: Option<&T>) -> rusqlite::Result<Option<String>> {
    value
        .map(|v| serde_json::to_string(v).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e))))
        .transpose()
}

/// Reads a column [`json`] wrote.
fn from_json<T: serde::de::DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<T>> {
    let Some(text) = r.get::<_, Option<String>>(i)? else { return Ok(None) };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// Rows of a child table keyed by their parent's id (column 0), each group in
/// `position` order as the query sorts it.
fn grouped<T>(
    conn: &Connection,
    sql: &str,
    mut f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<FxHashMap<String, Vec<T>>> {
    let mut out: FxHashMap<String, Vec<T>> = FxHashMap::default();
    let mut st = conn.prepare(sql)?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(f(r)?);
    }
    Ok(out)
}

fn all<T>(conn: &Connection, sql: &str, f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>) -> rusqlite::Result<Vec<T>> {
    conn.prepare(sql)?.query_map([], f)?.collect()
}

/// An enum column holding a word this version does not know. The CHECK
/// constraints make this unreachable for files we wrote; a hand-edited file
/// gets a clear message instead of a panic.
fn bad_word(col: usize, word: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        col,
        rusqlite::types::Type::Text,
        format!("unknown value \"{word}\"").into(),
    )
}

fn word(r: &Row<'_>, col: usize) -> rusqlite::Result<String> {
    r.get(col)
}

fn parse_facing(r: &Row<'_>, col: usize) -> rusqlite::Result<Facing> {
    match word(r, col)?.as_str() {
        "customer" => Ok(Facing::Customer),
        "internal" => Ok(Facing::Internal),
        other => Err(bad_word(col, other)),
    }
}

fn parse_visibility(r: &Row<'_>, col: usize) -> rusqlite::Result<Visibility> {
    match word(r, col)?.as_str() {
        "frontstage" => Ok(Visibility::Frontstage),
        "backstage" => Ok(Visibility::Backstage),
        other => Err(bad_word(col, other)),
    }
}

fn parse_kind(r: &Row<'_>, col: usize) -> rusqlite::Result<FlowKind> {
    match word(r, col)?.as_str() {
        "flow" => Ok(FlowKind::Flow),
        "rework" => Ok(FlowKind::Rework),
        other => Err(bad_word(col, other)),
    }
}

fn parse_status(r: &Row<'_>, col: usize) -> rusqlite::Result<PainStatus> {
    match word(r, col)?.as_str() {
        "open" => Ok(PainStatus::Open),
        "doing" => Ok(PainStatus::Doing),
        "resolved" => Ok(PainStatus::Resolved),
        other => Err(bad_word(col, other)),
    }
}

fn parse_commitment(r: &Row<'_>, col: usize) -> rusqlite::Result<CommitmentStatus> {
    match word(r, col)?.as_str() {
        "open" => Ok(CommitmentStatus::Open),
        "doing" => Ok(CommitmentStatus::Doing),
        "done" => Ok(CommitmentStatus::Done),
        other => Err(bad_word(col, other)),
    }
}

/// A `YYYY-MM-DD` column, as the schema's CHECK keeps it.
pub fn parse_date(r: &Row<'_>, col: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    let Some(text) = r.get::<_, Option<String>>(col)? else { return Ok(None) };
    chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e)))
}

fn commitment_str(s: CommitmentStatus) -> &'static str {
    match s {
        CommitmentStatus::Open => "open",
        CommitmentStatus::Doing => "doing",
        CommitmentStatus::Done => "done",
    }
}

fn facing_str(f: Facing) -> &'static str {
    match f {
        Facing::Customer => "customer",
        Facing::Internal => "internal",
    }
}

fn visibility_str(v: Visibility) -> &'static str {
    match v {
        Visibility::Frontstage => "frontstage",
        Visibility::Backstage => "backstage",
    }
}

fn kind_str(k: FlowKind) -> &'static str {
    match k {
        FlowKind::Flow => "flow",
        FlowKind::Rework => "rework",
    }
}

fn status_str(s: PainStatus) -> &'static str {
    match s {
        PainStatus::Open => "open",
        PainStatus::Doing => "doing",
        PainStatus::Resolved => "resolved",
    }
}
