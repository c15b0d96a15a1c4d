//! The layers hold: no module of the core uses a module that uses it back,
//! directly or round a longer circle, and the workspace's crates depend on
//! one another in one direction only (`ARCHITECTURE.md`, "The crates").
//!
//! A top-level module (`src/store/`, `src/files.rs`, …) uses another when
//! its code names it: `crate::store::…`, one of the names in a
//! `use crate::{store::…, files}` group, or `super::store` from a file
//! directly under `src/`. Comments, string literals and `#[cfg(test)]`
//! items (a test module inline or in its own file) do not count: a test may
//! reach across the layers, the product may not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module → the modules it uses, each with the first place it does
/// (`src/store/mod.rs:124`).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

#[test]
fn no_module_of_the_core_uses_one_that_uses_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&src);
    assert!(graph.contains_key("model") && graph.contains_key("store"), "the core's modules are found: {graph:?}");
    let circles = circles(&graph);
    assert!(circles.is_empty(), "modules of the core use each other:\n{}", circles.join("\n"));
}

#[test]
fn the_workspaces_crates_depend_on_one_another_one_way_and_the_core_on_none() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let ours: BTreeSet<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    let mut graph = Graph::new();
    for p in packages {
        let name = p["name"].as_str().unwrap();
        let uses = graph.entry(name.to_owned()).or_default();
        // Normal, build and dev dependencies alike: a test that needs a
        // crate above it is a circle too.
        for d in p["dependencies"].as_array().unwrap() {
            let dep = d["name"].as_str().unwrap();
            if ours.contains(dep) && dep != name {
                let kind = d["kind"].as_str().unwrap_or("normal");
                uses.entry(dep.to_owned()).or_insert_with(|| format!("{name}'s Cargo.toml ({kind})"));
            }
        }
    }
    let circles = circles(&graph);
    assert!(circles.is_empty(), "crates of the workspace depend on each other:\n{}", circles.join("\n"));
    let core = &graph["waymark"];
    assert!(core.is_empty(), "the core depends on no other crate of the workspace, but uses {core:?}");
}

#[test]
fn the_scanner_sees_what_code_names_and_nothing_else() {
    let text = r##"
        use crate::{model::Map, store::{MapFile, StoreError}};
        use super::files;
        // crate::comment
        /* crate::block /* nested crate::nested */ */
        const A: &str = "crate::string";
        const B: &str = r#"crate::raw " still"#;
        const C: char = '"';
        fn f<'a>(x: &'a str) -> crate::graph::FlowGraph { build(x) }
        pub mod inner {
            use super::render;
        }
        #[cfg(test)]
        mod tests {
            use crate::analysis;
        }
        #[cfg(test)]
        mod more;
        #[cfg(test)]
        fn helper() { crate::validate::validate(); }
    "##;
    let mut skip = Vec::new();
    let uses = uses_in(text, &["layout".to_owned()], &mut skip);
    let names: BTreeSet<&str> = uses.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["files", "graph", "model", "store"]), "{uses:?}");
    assert_eq!(skip, ["more"]);
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into(), "a.rs:1".into());
    graph.entry("b".into()).or_default().insert("c".into(), "b.rs:2".into());
    graph.entry("c".into()).or_default().insert("a".into(), "c.rs:3".into());
    graph.entry("d".into()).or_default().insert("a".into(), "d.rs:4".into());
    assert_eq!(circles(&graph), ["a → b → c → a (a.rs:1; b.rs:2; c.rs:3)"]);
}

/// The core's top-level modules and which of the others each one uses.
fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = std::fs::read_dir(src)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path.file_stem()?.to_str()?.to_owned();
            let module = if path.is_dir() { path.join("mod.rs").is_file() } else { path.extension()? == "rs" };
            (module && name != "lib" && name != "main").then_some(name)
        })
        .collect();
    // Two passes: a test module in a file of its own is known only once
    // its parent is read.
    let mut scanned = Vec::new();
    let mut test_only = BTreeSet::new();
    for path in files {
        let relative = path.strip_prefix(src).unwrap().to_owned();
        let module = module_path(&relative);
        if module.first().is_none_or(|top| !modules.contains(top)) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut skip = Vec::new();
        let uses = uses_in(&text, &module, &mut skip);
        for child in skip {
            let dir = module.iter().fold(PathBuf::new(), |p, m| p.join(m));
            test_only.insert(dir.join(format!("{child}.rs")));
            test_only.insert(dir.join(&child).join("mod.rs"));
        }
        scanned.push((relative, module, uses));
    }
    let mut graph = Graph::new();
    for (relative, module, uses) in scanned {
        if test_only.iter().any(|t| relative.starts_with(t)) {
            continue;
        }
        let top = &module[0];
        let entry = graph.entry(top.clone()).or_default();
        for (used, line) in uses {
            if modules.contains(&used) && used != *top {
                entry.entry(used).or_insert_with(|| format!("src/{}:{line}", relative.display()));
            }
        }
    }
    graph
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `store/mod.rs` → `[store]`, `store/rows.rs` → `[store, rows]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" {
            parts.push(stem.to_owned());
        }
    }
    parts
}

/// The top-level modules the code of one file names, each with the line it
/// does so on; `module` is the file's module path. The names of test
/// modules declared in their own files (`#[cfg(test)] mod tests;`) go to
/// `test_modules`.
fn uses_in(text: &str, module: &[String], test_modules: &mut Vec<String>) -> Vec<(String, usize)> {
    let code = without_tests(&blank_comments_and_literals(text), test_modules);
    let chars: Vec<char> = code.chars().collect();
    let mut uses = Vec::new();
    // Inline modules (`mod colors { … }`) open at these brace depths.
    let mut inline: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth = depth.saturating_sub(1);
            if inline.last() == Some(&depth) {
                inline.pop();
            }
        }
        if !is_ident(c) || (i > 0 && is_ident(chars[i - 1])) {
            i += 1;
            continue;
        }
        let word = ident_at(&chars, i);
        let after = i + word.chars().count();
        let line = || 1 + chars[..i].iter().filter(|&&c| c == '\n').count();
        if word == "mod" {
            let name_at = skip_space(&chars, after);
            let name = ident_at(&chars, name_at);
            let next = skip_space(&chars, name_at + name.chars().count());
            if !name.is_empty() && chars.get(next) == Some(&'{') {
                inline.push(depth);
            }
        } else if word == "crate" && (i == 0 || chars[i - 1] != '$') && path_sep(&chars, after) {
            for name in names_after(&chars, after + 2) {
                uses.push((name, line()));
            }
        } else if word == "super" && path_sep(&chars, after) {
            // Count the `super::`s; from a file's own module they climb to the
            // crate's root only when they pass the top-level module.
            let mut ups = 1;
            let mut at = after + 2;
            while ident_at(&chars, at) == "super" && path_sep(&chars, at + 5) {
                ups += 1;
                at += 7;
            }
            if ups >= module.len() + inline.len() {
                for name in names_after(&chars, at) {
                    uses.push((name, line()));
                }
            }
            i = at;
            continue;
        }
        i = after;
    }
    uses
}

/// The first segment of the path starting at `at`, or each first segment of
/// a `{…}` group there.
fn names_after(chars: &[char], at: usize) -> Vec<String> {
    let at = skip_space(chars, at);
    if chars.get(at) != Some(&'{') {
        let name = ident_at(chars, at);
        return if name.is_empty() { Vec::new() } else { vec![name] };
    }
    let mut names = Vec::new();
    let mut depth = 0;
    let mut expect = true;
    let mut i = at;
    while i < chars.len() {
        match chars[i] {
            '{' => {
                depth += 1;
                expect = depth == 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expect = true,
            c if expect && is_ident(c) => {
                let name = ident_at(chars, i);
                i += name.chars().count();
                names.push(name);
                expect = false;
                continue;
            }
            c if !c.is_whitespace() => expect = false,
            _ => {}
        }
        i += 1;
    }
    names
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ident_at(chars: &[char], at: usize) -> String {
    chars.iter().skip(at).take_while(|&&c| is_ident(c)).collect()
}

fn skip_space(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

fn path_sep(chars: &[char], at: usize) -> bool {
    chars.get(at) == Some(&':') && chars.get(at + 1) == Some(&':')
}

/// The text with every comment and the inside of every string and character
/// literal replaced by spaces (lines kept, so line numbers stay true).
fn blank_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after_ident = i > 0 && is_ident(chars[i - 1]);
        // `r"…"` and `br"…"`, not the end of an identifier (`for"` is no Rust).
        let raw_may_start = !after_ident || (chars[i - 1] == 'b' && (i < 2 || !is_ident(chars[i - 2])));
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut nesting = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    nesting += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    nesting -= 1;
                    out.push_str("  ");
                    i += 2;
                    if nesting == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if c == 'r' && raw_may_start && matches!(next, Some('"' | '#')) && raw_string(&chars, i).is_some() {
            let end = raw_string(&chars, i).unwrap_or(i + 1);
            out.push('"');
            for &c in &chars[i + 1..end - 1] {
                blank(&mut out, c);
            }
            out.push('"');
            i = end;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
                if let Some(&c) = chars.get(i) {
                    blank(&mut out, c);
                }
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A character literal ('x', '\n', '\u{1F600}'); otherwise a lifetime.
            out.push('\'');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(' ');
                i += 1;
            }
            out.push('\'');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Where the raw string literal starting at `at` (`r"…"`, `r#"…"#`) ends,
/// just past its last character; `None` when it is not one (`r#ident`).
fn raw_string(chars: &[char], at: usize) -> Option<usize> {
    let hashes = chars[at + 1..].iter().take_while(|&&c| c == '#').count();
    let open = at + 1 + hashes;
    if chars.get(open) != Some(&'"') {
        return None;
    }
    let mut i = open + 1;
    while i < chars.len() {
        if chars[i] == '"' && chars[i + 1..].iter().take(hashes).filter(|&&c| c == '#').count() == hashes {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    Some(chars.len())
}

/// The code without its `#[cfg(test)]` items (blanked, lines kept); the names
/// of test modules in files of their own go to `test_modules`.
fn without_tests(code: &str, test_modules: &mut Vec<String>) -> String {
    let mark: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut chars: Vec<char> = code.chars().collect();
    let mut from = 0;
    while let Some(start) = (from..chars.len()).find(|&i| chars[i..].starts_with(&mark)) {
        let mut i = start + mark.len();
        // Other attributes of the same item.
        loop {
            i = skip_space(&chars, i);
            if chars.get(i) != Some(&'#') || chars.get(i + 1) != Some(&'[') {
                break;
            }
            i = past_closing(&chars, i, '[', ']');
        }
        let item_start = i;
        let mut depth = 0i32;
        while i < chars.len() {
            match chars[i] {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ';' if depth == 0 => {
                    let item: String = chars[item_start..i].iter().collect();
                    if let [.., "mod", name] = item.split_whitespace().collect::<Vec<_>>().as_slice() {
                        test_modules.push((*name).to_owned());
                    }
                    i += 1;
                    break;
                }
                '{' if depth == 0 => {
                    i = past_closing(&chars, i, '{', '}');
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let end = i.min(chars.len());
        for c in &mut chars[start..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        from = end;
    }
    chars.into_iter().collect()
}

/// Just past the `close` that matches the `open` at `at`.
fn past_closing(chars: &[char], at: usize, open: char, close: char) -> usize {
    let mut depth = 0;
    for (i, &c) in chars.iter().enumerate().skip(at) {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
    }
    chars.len()
}

/// One line per circle in `graph`: for each use inside a group of modules
/// that reach one another, the shortest circle it closes, with the places
/// that close it (a circle through the same modules is named once).
fn circles(graph: &Graph) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for group in strongly_connected(graph) {
        if group.len() < 2 {
            continue;
        }
        for first in &group {
            for next in graph[first].keys().filter(|n| group.contains(n)) {
                let Some(back) = shortest_path(graph, &group, next, first) else { continue };
                let path: Vec<&str> = std::iter::once(first.as_str()).chain(back).collect();
                let mut members: Vec<String> = path[1..].iter().map(|m| (*m).to_owned()).collect();
                members.sort_unstable();
                if !seen.insert(members) {
                    continue;
                }
                let places: Vec<&str> = path.windows(2).map(|w| graph[w[0]][w[1]].as_str()).collect();
                out.push(format!("{} ({})", path.join(" → "), places.join("; ")));
            }
        }
    }
    out
}

/// The shortest way from `from` to `to` within `group`, both ends included.
fn shortest_path<'a>(graph: &'a Graph, group: &[String], from: &'a str, to: &'a str) -> Option<Vec<&'a str>> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut path = vec![to];
            let mut step = to;
            while step != from {
                step = came_from[step];
                path.push(step);
            }
            path.reverse();
            return Some(path);
        }
        for next in graph.get(at).into_iter().flat_map(BTreeMap::keys) {
            if group.contains(next) && next != from && !came_from.contains_key(next.as_str()) {
                came_from.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}

/// Tarjan's strongly connected components, each sorted, in a stable order.
fn strongly_connected(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flat_map(BTreeMap::keys) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            group.sort();
            s.groups.push(group);
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.groups.sort();
    s.groups
}
