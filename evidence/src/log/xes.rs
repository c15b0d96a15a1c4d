//! XES (IEEE 1849) read as a stream of XML events.
//!
//! A log is `<log>` holding extensions, globals, classifiers, attributes,
//! `<trace>`s and (since 1849-2016) loose `<event>`s; a trace holds its
//! attributes and events; an event its attributes. Attributes are typed
//! elements (`string`, `date`, `int`, `float`, `boolean`, `id`, `list`,
//! `container`) with a `key` and a `value`, and may nest. A value that does
//! not fit its type, an element where none may be, or a root that is not
//! `<log>` is refused with the line and the element; nothing else in the file
//! is needed to measure a map, so extensions and classifiers are checked for
//! their scope only.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::{Builder, RawEvent, time};

/// Where (the byte of the decompressed file an element starts at, and the
/// element) and what. The caller turns the byte into a line by reading the
/// file again: counting lines on the way would slow every read for the sake
/// of the rare one that fails.
pub(super) type Failure = (Option<(u64, Option<String>)>, String);

/// The kind of element being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Log,
    /// Extension, global, classifier: read for their scope, then skipped.
    Declaration,
    Global,
    Trace,
    /// An event of the trace being read.
    Event,
    /// An event directly in the log: part of no case.
    LooseEvent,
    /// An attribute; `list` is true for a `list`.
    Attribute {
        list: bool,
    },
    /// A list's `<values>`.
    Values,
}

const ATTRIBUTES: [&str; 8] = ["string", "date", "int", "float", "boolean", "id", "list", "container"];

struct State<'b, 'o> {
    builder: &'b mut Builder<'o>,
    stack: Vec<Ctx>,
    /// The trace being read: its case (made on its first event or its end).
    trace: Option<TraceState>,
    event: Option<RawEvent>,
}

#[derive(Default)]
struct TraceState {
    name: Option<String>,
    segment: Option<String>,
    deadline: Option<i64>,
    events: Vec<RawEvent>,
}

pub(super) fn read<R: BufRead>(input: R, builder: &mut Builder<'_>) -> Result<(), Failure> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    // The whitespace between elements is no event: half as many to read.
    reader.config_mut().trim_text(true);
    let mut state = State { builder, stack: Vec::new(), trace: None, event: None };
    let mut buf = Vec::with_capacity(4096);
    let mut seen_root = false;
    loop {
        buf.clear();
        let at = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => return Err((Some((reader.error_position(), None)), format!("not well-formed XML: {e}"))),
        };
        match event {
            Event::Start(e) => {
                if state.stack.is_empty() && seen_root {
                    return Err((Some((at, None)), "a second root element after </log>".into()));
                }
                seen_root = true;
                let ctx = state.open(&e, at)?;
                state.stack.push(ctx);
            }
            Event::Empty(e) => {
                if state.stack.is_empty() && seen_root {
                    return Err((Some((at, None)), "a second root element after </log>".into()));
                }
                seen_root = true;
                let ctx = state.open(&e, at)?;
                state.stack.push(ctx);
                state.close(at)?;
            }
            Event::End(_) => state.close(at)?,
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err((None, "no <log> element: this is not an XES event log".into()));
    }
    if !state.stack.is_empty() {
        return Err((
            Some((reader.buffer_position(), None)),
            "the file ends inside an element: it was cut short".into(),
        ));
    }
    Ok(())
}

/// The element's name without a namespace prefix.
fn local<'e>(e: &'e BytesStart<'_>) -> &'e str {
    e.local_name().into_inner()
}

/// The XML attributes of an XES element that reading needs. Every attribute
/// is checked (well-formed, entities known); only these are kept, borrowed
/// from the element where nothing needed replacing.
#[derive(Default)]
struct Attrs<'a> {
    key: Option<Cow<'a, str>>,
    value: Option<Cow<'a, str>>,
    scope: Option<Cow<'a, str>>,
    keys: Option<Cow<'a, str>>,
}

/// Reads `e`'s attributes; `at` says where, for an error only.
fn xml_attributes<'a>(e: &'a BytesStart<'_>, at: &dyn Fn() -> (u64, Option<String>)) -> Result<Attrs<'a>, Failure> {
    let mut out = Attrs::default();
    for a in e.attributes() {
        let a = a.map_err(|err| (Some(at()), format!("a malformed attribute: {err}")))?;
        let name = a.key.local_name().into_inner();
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| (Some(at()), format!("attribute {name}: {err}")))?;
        match name {
            "key" => out.key = Some(value),
            "value" => out.value = Some(value),
            "scope" => out.scope = Some(value),
            "keys" => out.keys = Some(value),
            _ => {}
        }
    }
    Ok(out)
}

impl State<'_, '_> {
    fn open(&mut self, e: &BytesStart<'_>, byte: u64) -> Result<Ctx, Failure> {
        let name = local(e);
        let parent = self.stack.last().copied();
        let at = || (byte, Some(format!("<{name}>")));
        let refuse = |what: String| Err((Some(at()), what));
        let Some(parent) = parent else {
            return if name == "log" {
                Ok(Ctx::Log)
            } else {
                refuse(format!("the root element is <{name}>, not <log>: this is not an XES event log"))
            };
        };
        if ATTRIBUTES.contains(&name) {
            return self.attribute(e, name, parent, byte);
        }
        match (parent, name) {
            (Ctx::Log, "extension") => Ok(Ctx::Declaration),
            (Ctx::Log, "global" | "classifier") => {
                let attrs = xml_attributes(e, &at)?;
                if let Some(scope) = attrs.scope.as_deref().filter(|s| *s != "trace" && *s != "event") {
                    return refuse(format!("scope \"{scope}\" is neither trace nor event"));
                }
                if name == "classifier" && attrs.keys.as_deref().is_none_or(|k| k.trim().is_empty()) {
                    return refuse("a classifier without keys".into());
                }
                Ok(if name == "global" { Ctx::Global } else { Ctx::Declaration })
            }
            (Ctx::Log, "trace") => {
                self.trace = Some(TraceState::default());
                Ok(Ctx::Trace)
            }
            (Ctx::Log, "event") => {
                self.builder.outside_case();
                Ok(Ctx::LooseEvent)
            }
            (Ctx::Trace, "event") => {
                self.event = Some(RawEvent::default());
                Ok(Ctx::Event)
            }
            (Ctx::Attribute { list: true }, "values") => Ok(Ctx::Values),
            (Ctx::Declaration, _) => refuse(format!("<{name}> cannot stand inside a declaration")),
            _ => refuse(format!("<{name}> cannot stand inside <{}>", parent_name(parent))),
        }
    }

    /// A typed attribute: its value is checked against its type, and the
    /// keys a measurement needs are taken from traces and events.
    fn attribute(&mut self, e: &BytesStart<'_>, kind: &str, parent: Ctx, byte: u64) -> Result<Ctx, Failure> {
        let attrs = xml_attributes(e, &|| (byte, Some(format!("<{kind}>"))))?;
        let key = attrs.key.as_deref();
        let at = || {
            let shown = key.map(|k| format!(" key=\"{k}\"")).unwrap_or_default();
            (byte, Some(format!("<{kind}{shown}>")))
        };
        let refuse = |what: String| Err((Some(at()), what));
        match parent {
            Ctx::Log
            | Ctx::Global
            | Ctx::Trace
            | Ctx::Event
            | Ctx::LooseEvent
            | Ctx::Attribute { .. }
            | Ctx::Values => {}
            Ctx::Declaration => return refuse("an attribute cannot stand inside an extension or classifier".into()),
        }
        // Nested attributes (metadata inside an attribute or a list's values)
        // are tolerated without a key: BPI Challenge 2012 writes them so.
        let nested = matches!(parent, Ctx::Attribute { .. } | Ctx::Values);
        let key = match key {
            Some(k) => k,
            None if nested => "",
            None => return refuse("an attribute without a key".into()),
        };
        let list = kind == "list";
        if kind == "list" || kind == "container" {
            return Ok(Ctx::Attribute { list });
        }
        let Some(value) = attrs.value.as_deref() else { return refuse("an attribute without a value".into()) };
        let zone = self.builder.options.zone;
        let mut stamp = None;
        match kind {
            "date" => match time::parse(value, zone) {
                Some(s) => stamp = Some(s),
                None => return refuse(format!("\"{value}\" is not a date and time (xs:dateTime)")),
            },
            "int" if value.trim().parse::<i64>().is_err() => {
                return refuse(format!("\"{value}\" is not a whole number"));
            }
            "float" if value.trim().parse::<f64>().is_err() => return refuse(format!("\"{value}\" is not a number")),
            "boolean" if !matches!(value.trim(), "true" | "false" | "1" | "0") => {
                return refuse(format!("\"{value}\" is not true or false"));
            }
            "id" if !is_uuid(value) => return refuse(format!("\"{value}\" is not an id (a UUID)")),
            _ => {}
        }
        let options = self.builder.options;
        match parent {
            Ctx::Trace => {
                self.builder.case_attribute(key);
                let trace = self.trace.get_or_insert_with(TraceState::default);
                if key == "concept:name" {
                    trace.name = Some(value.to_owned());
                }
                if options.segment.as_deref() == Some(key) {
                    trace.segment = Some(value.to_owned());
                }
                if options.deadline.as_deref() == Some(key) {
                    match stamp {
                        Some(s) => trace.deadline = Some(s.micros),
                        None => return refuse(format!("the deadline attribute {key} must be a <date>")),
                    }
                }
            }
            Ctx::Event => {
                let event = self.event.get_or_insert_with(RawEvent::default);
                match key {
                    "concept:name" => event.activity = Some(value.to_owned()),
                    "time:timestamp" => match stamp {
                        Some(s) => event.time = Some(s),
                        None => return refuse("time:timestamp must be a <date>".into()),
                    },
                    "lifecycle:transition" => event.lifecycle = Some(value.to_owned()),
                    "concept:instance" => event.instance = Some(value.to_owned()),
                    k if k == options.department => event.group = Some(value.to_owned()),
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(Ctx::Attribute { list })
    }

    fn close(&mut self, byte: u64) -> Result<(), Failure> {
        let Some(ctx) = self.stack.pop() else {
            return Err((Some((byte, None)), "a closing tag with nothing open".into()));
        };
        match ctx {
            Ctx::Event => {
                let event = self.event.take().unwrap_or_default();
                self.trace.get_or_insert_with(TraceState::default).events.push(event);
            }
            Ctx::Trace => {
                let trace = self.trace.take().unwrap_or_default();
                let case = self.builder.trace(trace.name);
                self.builder.cases[case].segment = trace.segment;
                self.builder.cases[case].deadline = trace.deadline;
                for event in trace.events {
                    self.builder.event(case, event);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn parent_name(ctx: Ctx) -> &'static str {
    match ctx {
        Ctx::Log => "log",
        Ctx::Declaration => "a declaration",
        Ctx::Global => "global",
        Ctx::Trace => "trace",
        Ctx::Event | Ctx::LooseEvent => "event",
        Ctx::Attribute { .. } => "an attribute",
        Ctx::Values => "values",
    }
}

/// 8-4-4-4-12 hexadecimal digits.
fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.trim().split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}
