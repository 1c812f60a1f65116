//! The manual's links hold: every link in `README.md` and `docs/*.md` that points inside the
//! repository leads to a file that exists and, when it names a heading (`file.md#heading`), to a
//! heading that exists there. The README stays a front door (at most 250 lines). Run with
//! `cargo test --test docs`: it reads the files, so a moved page or a renamed heading fails here,
//! naming the file, the line and the link.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The README's bound: what Marquee is, the two commands, the smallest configuration, where to
/// read on. Everything else lives in `docs/`.
const README_MAX_LINES: usize = 250;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The manual: the README and every page of `docs/`.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("a docs/ folder")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    assert!(!docs.is_empty(), "docs/ has no pages");
    pages.extend(docs);
    pages
}

/// The lines of a page outside fenced code blocks, with their numbers.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            lines.push((i + 1, line));
        }
    }
    lines
}

/// Every `[text](target)` of a page, with its line (inline code spans skipped).
fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in prose(text) {
        // Drop inline code: `[a](b)` inside backticks is an example, not a link.
        let mut plain = String::new();
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                plain.push(c);
            }
        }
        let mut rest = plain.as_str();
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            found.push((number, after[..end].trim().to_owned()));
            rest = &after[end..];
        }
    }
    found
}

/// A heading's anchor, as GitHub makes it: lower case, punctuation dropped (letters of any
/// script, digits, `-` and `_` kept), spaces made `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a page's headings.
fn anchors(text: &str) -> BTreeSet<String> {
    prose(text)
        .into_iter()
        .filter_map(|(_, line)| {
            let hashes = line.chars().take_while(|c| *c == '#').count();
            (1..=6)
                .contains(&hashes)
                .then(|| line[hashes..].strip_prefix(' '))
                .flatten()
                .map(slug)
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_link_of_the_manual_leads_somewhere() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = read(&page);
        for (line, target) in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (file, anchor) = match target.split_once('#') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (target.as_str(), None),
            };
            let resolved = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            let place = format!("{}:{line}: ({target})", page.display());
            if !resolved.exists() {
                broken.push(format!("{place}: no such file"));
                continue;
            }
            if let Some(anchor) = anchor {
                if resolved.extension().is_none_or(|e| e != "md") {
                    broken.push(format!("{place}: a heading in a file that is not a page"));
                } else if !anchors(&read(&resolved)).contains(anchor) {
                    broken.push(format!("{place}: no heading #{anchor} there"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(
        checked >= 20,
        "only {checked} links checked: is the reader right?"
    );
}

#[test]
fn the_readme_is_a_front_door() {
    let readme = read(&root().join("README.md"));
    let lines = readme.lines().count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines (at most {README_MAX_LINES}: the rest belongs in docs/)"
    );
    // It says how to run Marquee and its tests, and leads to every page of the manual.
    assert!(readme.contains("cargo run --release -- serve --demo"));
    assert!(readme.contains("cargo test"));
    for page in pages().into_iter().skip(1) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("(docs/{name})")),
            "README.md does not lead to docs/{name}"
        );
    }
}

#[test]
fn anchors_are_made_as_github_makes_them() {
    assert_eq!(slug("Running it"), "running-it");
    assert_eq!(
        slug("Load benchmark (`cargo bench --bench load`)"),
        "load-benchmark-cargo-bench---bench-load"
    );
    assert_eq!(
        slug("Languages: English, Français, Tiếng Việt"),
        "languages-english-français-tiếng-việt"
    );
    let text = "# Title\n\n```sh\n# not a heading\n```\n## A heading\n";
    assert_eq!(
        anchors(text),
        BTreeSet::from(["title".to_owned(), "a-heading".to_owned()])
    );
    assert_eq!(
        links("see [a](b.md#c) and `[x](y)` and [d](https://e)"),
        vec![(1, "b.md#c".to_owned()), (1, "https://e".to_owned())]
    );
}
