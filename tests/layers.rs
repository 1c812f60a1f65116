//! The code's layers point one way. Each top-level module of `src/` has a rank (the table below,
//! the same as `docs/architecture.md`); a module may import only from modules of a lower
//! rank, and no files import each other in a loop. Run with `cargo test --test layers`: it reads
//! the source, so a new back-edge fails here, naming the file, the line and the import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. Modules on one line share a rank and may not import each other.
const LAYERS: &[&[&str]] = &[
    // The bottom: words and pure types, no actix, no diesel.
    &["i18n"],
    &["domain", "config"],
    // Plumbing that knows no feature.
    &["error"],
    &["db"],
    &["web"],
    // Features, each using only those below it.
    &["catalogue"],
    &["tickets", "staff"],
    &["booking"],
    &["passes"],
    &["mail"],
    &["door"],
    &["admin"],
    &["reports"],
    &["privacy"],
    &["team"],
    // Composition: the demo, routes, OpenAPI, the server, the command line.
    &["demo"],
    &["startup"],
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The module path of a file: `src/door/routing.rs` → `["door", "routing"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len() - 1];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(expand)
        .map(|p| format!("{prefix}{p}"))
        .collect()
}

/// Every path a file names that starts at `crate`, `super` or `self`, with its line: `use`
/// statements (braces expanded) and paths written in the code. Comments are skipped.
fn imports(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut statement: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        if let Some((_, ref mut s)) = statement {
            s.push_str(code);
        } else if let Some(rest) = code
            .strip_prefix("pub use ")
            .or_else(|| code.strip_prefix("pub(crate) use "))
            .or_else(|| code.strip_prefix("use "))
        {
            statement = Some((n + 1, rest.to_owned()));
        }
        if let Some((at, s)) = statement.take() {
            if let Some(done) = s.strip_suffix(';') {
                found.extend(expand(done).into_iter().map(|p| (at, p)));
            } else {
                statement = Some((at, s));
            }
            continue;
        }
        let bytes = code.as_bytes();
        for start in ["crate::", "super::"] {
            let mut from = 0;
            while let Some(i) = code[from..].find(start) {
                let i = from + i;
                let boundary =
                    i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
                let end = code[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                    .map_or(code.len(), |e| i + e);
                if boundary {
                    found.push((n + 1, code[i..end].trim_end_matches(':').to_owned()));
                }
                from = end.max(i + 1);
            }
        }
    }
    found
}

/// The file a path leads to: the longest prefix of its module path that is a file of `src/`.
fn resolve(
    files: &BTreeMap<Vec<String>, PathBuf>,
    here: &[String],
    is_mod: bool,
    path: &str,
) -> Option<Vec<String>> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut module: Vec<String> = match segments.first() {
        Some(&"crate") => Vec::new(),
        Some(&"self") => here.to_vec(),
        Some(&"super") => {
            let mut m = here.to_vec();
            // `super` of `a/b.rs` is `a`; of `a/b/mod.rs` it is `a` too (one above `a::b`).
            let _ = is_mod;
            m.pop();
            while segments.get(1) == Some(&"super") {
                m.pop();
                segments.remove(1);
            }
            m
        }
        _ => return None,
    };
    segments.remove(0);
    let mut best = files.contains_key(&module).then(|| module.clone());
    for segment in segments {
        module.push(segment.to_owned());
        if files.contains_key(&module) {
            best = Some(module.clone());
        }
    }
    best
}

/// The templates a source file derives (`#[template(path = "…")]`).
fn templates_of(text: &str) -> Vec<String> {
    text.split("#[template(path = \"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(path, _)| path.to_owned()))
        .collect()
}

/// The `crate::` paths a template names, with those of the templates it extends, includes or
/// imports.
fn template_paths(name: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut paths = Vec::new();
    let mut todo = vec![name.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(&name))
            .unwrap_or_else(|e| panic!("templates/{name}: {e}"));
        for tag in ["extends", "include", "import"] {
            for rest in text.split(&format!("{{% {tag} \"")).skip(1) {
                if let Some((other, _)) = rest.split_once('"') {
                    todo.push(other.to_owned());
                }
            }
        }
        paths.extend(
            imports(&text)
                .into_iter()
                .map(|(_, p)| p)
                .filter(|p| p.starts_with("crate::")),
        );
    }
    paths
}

#[test]
fn every_import_points_down_and_no_files_import_each_other_in_a_loop() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("main.rs") {
                files.insert(module_of(&src, &path), path);
            }
        }
    }
    let mut back_edges = Vec::new();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, path) in &files {
        let Some(top) = module.first() else { continue }; // lib.rs names every module
        let from =
            rank(top).unwrap_or_else(|| panic!("src/{top} is in no layer: add it to LAYERS"));
        let text = std::fs::read_to_string(path).unwrap();
        let is_mod = path.ends_with("mod.rs");
        // A template is compiled into the file that derives it: what it names, that file imports.
        let mut named = imports(&text);
        for template in templates_of(&text) {
            named.extend(template_paths(&template).into_iter().map(|p| (0, p)));
        }
        for (line, import) in named {
            let Some(target) = resolve(&files, module, is_mod, &import) else {
                continue;
            };
            let Some(target_top) = target.first() else {
                continue;
            };
            if target_top != top {
                let to = rank(target_top)
                    .unwrap_or_else(|| panic!("src/{target_top} is in no layer: add it to LAYERS"));
                if to >= from {
                    let at = if line == 0 {
                        "(a template it derives)".to_owned()
                    } else {
                        line.to_string()
                    };
                    back_edges.push(format!(
                        "{}:{at}: `{import}` ({top} may not import {target_top})",
                        path.strip_prefix(&src).unwrap().display()
                    ));
                }
            }
            if &target != module {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    assert!(
        back_edges.is_empty(),
        "imports that point up or across a layer:\n{}",
        back_edges.join("\n")
    );

    // A loop of files: depth-first search for a edge back to a file on the current path.
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        path: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
        loops: &mut Vec<String>,
    ) {
        if done.contains(node) {
            return;
        }
        if let Some(at) = path.iter().position(|p| p == node) {
            let names: Vec<String> = path[at..].iter().map(|m| m.join("::")).collect();
            loops.push(format!("{} -> {}", names.join(" -> "), node.join("::")));
            return;
        }
        path.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done, loops);
        }
        path.pop();
        done.insert(node.clone());
    }
    let mut loops = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done, &mut loops);
    }
    assert!(
        loops.is_empty(),
        "files that import each other in a loop:\n{}",
        loops.join("\n")
    );
}

#[test]
fn the_reader_finds_use_trees_paths_and_skips_comments() {
    let text = "use crate::{db::{self, AnyConnection}, web::auth};\n\
                // see crate::admin::pages\n\
                let x = super::queries::judge(crate::door::chain::verify(1));\n\
                pub use crate::booking::{\n    api,\n    pages,\n};\n";
    let found: Vec<String> = imports(text).into_iter().map(|(_, p)| p).collect();
    assert_eq!(
        found,
        [
            "crate::db::self",
            "crate::db::AnyConnection",
            "crate::web::auth",
            "crate::door::chain::verify",
            "super::queries::judge",
            "crate::booking::api",
            "crate::booking::pages",
        ]
    );
}
