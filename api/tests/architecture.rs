//! The layering of docs/ARCHITECTURE.md as facts a test checks:
//! - the application layer (`api/app`) cannot see HTTP: no web framework
//!   among its dependencies, and its sources name none of the API crate's
//!   HTTP pieces;
//! - the modules of `api/src` import one another in one direction: no
//!   import cycle spans more than two files (a module and its child).

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without its test module.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let comments = regex::Regex::new(r"//[^\n]*").unwrap();
    comments.replace_all(text, "").into_owned()
}

#[test]
fn the_application_layer_cannot_see_http() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("app");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    for web in ["actix", "axum", "hyper", "reqwest", "http =", "tower", "api.workspace", "api ="] {
        assert!(!deps.contains(web), "api/app depends on {web}");
    }
    let http = regex::Regex::new(
        r"actix_web|actix_|HttpRequest|HttpResponse|AppState|web::block|\bapi::|crate::(dto|routes|middleware|extract|state|auth|problem|handler)\b",
    )
    .unwrap();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 5, "the use cases are in api/app/src");
    let mut seen = Vec::new();
    for f in &files {
        for m in http.find_iter(&code(f)) {
            seen.push(format!("{}: {}", f.display(), m.as_str()));
        }
    }
    assert!(seen.is_empty(), "the application layer names HTTP pieces:\n{}", seen.join("\n"));
}

/// Module name (`routes::forecasts`) → its file, for `src`.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                parts.pop();
            }
            (parts.join("::"), f)
        })
        .collect()
}

/// Which modules each module imports: `crate::a::b`, `super::x` (or
/// `super::{…}`, `super::*`), and a declared child named as `child::…`.
fn imports(mods: &BTreeMap<String, PathBuf>) -> BTreeMap<String, BTreeSet<String>> {
    let crate_path = regex::Regex::new(r"crate::([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)").unwrap();
    let super_item = regex::Regex::new(r"\bsuper::([A-Za-z_][A-Za-z0-9_]*)").unwrap();
    let super_group = regex::Regex::new(r"\bsuper::\{([^}]*)\}").unwrap();
    let child_decl = regex::Regex::new(r"\bmod ([a-z_][a-z0-9_]*);").unwrap();
    let name = regex::Regex::new(r"[A-Za-z_][A-Za-z0-9_]*").unwrap();
    let join = |parent: &str, item: &str| if parent.is_empty() { item.to_owned() } else { format!("{parent}::{item}") };
    let mut edges = BTreeMap::new();
    for (m, file) in mods {
        let src = code(file);
        let parent = m.rsplit_once("::").map_or("", |(p, _)| p).to_owned();
        let mut deps = BTreeSet::new();
        for c in crate_path.captures_iter(&src) {
            let segments: Vec<&str> = c[1].split("::").collect();
            if let Some(k) = (1..=segments.len()).rev().find(|k| mods.contains_key(&segments[..*k].join("::"))) {
                deps.insert(segments[..k].join("::"));
            }
        }
        let named_in_parent = |item: &str, deps: &mut BTreeSet<String>| {
            let child = join(&parent, item);
            deps.insert(if mods.contains_key(&child) { child } else { parent.clone() });
        };
        for c in super_item.captures_iter(&src) {
            named_in_parent(&c[1], &mut deps);
        }
        for c in super_group.captures_iter(&src) {
            for item in name.find_iter(&c[1]) {
                named_in_parent(item.as_str(), &mut deps);
            }
        }
        if src.contains("super::*") {
            deps.insert(parent.clone());
        }
        for c in child_decl.captures_iter(&src) {
            let child = join(m, &c[1]);
            if mods.contains_key(&child) && src.contains(&format!("{}::", &c[1])) {
                deps.insert(child);
            }
        }
        deps.remove(m);
        deps.retain(|d| mods.contains_key(d));
        edges.insert(m.clone(), deps);
    }
    edges
}

/// The strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let lw = self.low[w.as_str()];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w.as_str()) {
                    let iw = self.index[w.as_str()];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn api_src_imports_in_one_direction() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    let edges = imports(&mods);
    let long: Vec<_> = cycles(&edges).into_iter().filter(|c| c.len() > 2).collect();
    assert!(long.is_empty(), "import cycles of more than two files in api/src: {long:#?}");
}

/// The check can fail: a module importing its importer closes a cycle.
#[test]
fn a_cycle_of_three_is_found() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        edges.entry(from.into()).or_default().insert(to.into());
    }
    edges.entry("d".into()).or_default();
    assert_eq!(cycles(&edges), vec![vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = imports(&modules(&src));
    assert!(edges["routes::forecasts"].contains("handler"), "handlers import the handler helpers");
    assert!(!edges["problem"].contains("routes"), "the renderer does not import the routes");
}

/// `CamelCase` of a kebab-case code.
fn camel(code: &str) -> String {
    code.split('-').map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

/// Every sources' code under `dirs`, with the spans of `skip` cut out of
/// their files (an enum's own declaration, and the matches that only name
/// each variant to describe or render it).
fn sources_without(dirs: &[PathBuf], skip: &[(&Path, &str, &str)]) -> String {
    let mut files = Vec::new();
    for d in dirs {
        rust_files(d, &mut files);
    }
    let mut all = String::new();
    for f in &files {
        let mut text = code(f);
        for (file, start, end) in skip {
            if f == file {
                let a = text.find(start).unwrap_or_else(|| panic!("{start} in {}", f.display()));
                let b = a + text[a..].find(end).unwrap_or_else(|| panic!("{end} after {start}"));
                text.replace_range(a..b, "");
            }
        }
        all.push_str(&text);
    }
    all
}

/// Lemmy's `test_errors_used`: a variant of an error enum that no code
/// constructs is a code the API documents and never sends.
#[test]
fn every_error_variant_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [root.join("src"), root.join("app/src")];
    let (errors, problem) = (root.join("app/src/error.rs"), root.join("src/problem.rs"));
    let rendering =
        [(problem.as_path(), "pub fn to_problem(", "\n    }\n"), (problem.as_path(), "pub fn render(", "\n    }\n")];
    let app = sources_without(
        &dirs,
        &[
            &[
                (errors.as_path(), "pub enum AppError {", "\n}\n"),
                (errors.as_path(), "pub fn status(&self) -> u16 {", "\n    }\n"),
            ][..],
            &rendering[..],
        ]
        .concat(),
    );
    let http = sources_without(
        &dirs,
        &[
            &[
                (problem.as_path(), "pub enum HttpError {", "\n}\n"),
                (problem.as_path(), "pub fn status(&self) -> StatusCode {", "\n    }\n"),
            ][..],
            &rendering[..],
        ]
        .concat(),
    );
    let mut unused = Vec::new();
    for code in application::AppError::codes() {
        let name = camel(code);
        let variant = if code.ends_with("-action-not-allowed") { "TransitionNotAllowed".to_owned() } else { name };
        if !app.contains(&format!("AppError::{variant}")) {
            unused.push(format!("AppError::{variant}"));
        }
    }
    for code in api::problem::HttpError::codes() {
        let name = camel(code);
        if !http.contains(&format!("HttpError::{name}")) {
            unused.push(format!("HttpError::{name}"));
        }
    }
    assert!(unused.is_empty(), "never constructed: {unused:?}");
}
