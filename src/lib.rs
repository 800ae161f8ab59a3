//! dossier: a static-site generator for research websites.
//!
//! A site is a folder of plain files (sources, events, actors, places and
//! pages; see the content model) compiled into a cross-linked static site.
//! The data flows one way:
//!
//! ```text
//! load     disk -> raw records            (load)
//! resolve  raw -> model::Site             (resolve)
//! render   model -> pages in memory       (render)
//! output   pages -> temp folder -> swap   (output)
//! ```
//!
//! [`compile`] runs the first three stages in memory (what `check` needs);
//! [`build`] adds the output.

#![warn(missing_docs)]

pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod new;
pub mod output;
pub mod render;
pub mod resolve;
pub mod serve;

use std::path::Path;

use diagnostics::{Diagnostic, Diagnostics};
use render::File;

/// A compiled site in memory: every file of the output, and the warnings.
#[derive(Debug)]
pub struct Compiled {
    /// Pages, generated assets and static files, sorted by path.
    pub files: Vec<File>,
    /// How many pages were rendered.
    pub pages: usize,
    /// The path links start with (`/` or `/repo/`).
    pub base_path: String,
    /// How long each stage took.
    pub timings: Timings,
    /// Warnings (the build succeeded).
    pub warnings: Vec<Diagnostic>,
}

/// Why a build produced nothing.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content or templates (exit code 1), sorted.
    Content(Vec<Diagnostic>),
    /// The environment failed: unreadable root, unwritable output (exit 2).
    Environment(String),
}

/// How long each stage of a build took, for `build --timings`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading and parsing files, templates and static files.
    pub load: std::time::Duration,
    /// Checking references and building the indexes.
    pub resolve: std::time::Duration,
    /// Rendering every page and data file in memory.
    pub render: std::time::Duration,
    /// Writing the output (zero for `check`).
    pub write: std::time::Duration,
}

/// Loads, resolves and renders the site at `root` in memory.
pub fn compile(root: &Path, base_url: Option<&str>) -> Result<Compiled, Failure> {
    if !root.is_dir() {
        return Err(Failure::Environment(format!(
            "{}: the site folder does not exist or is not a folder",
            root.display()
        )));
    }
    let started = std::time::Instant::now();
    let mut timings = Timings::default();
    let mut diagnostics = Diagnostics::new();
    let (loaded, problems) = load::load(root).map_err(|error| {
        Failure::Environment(format!("{}: cannot read the site: {error}", root.display()))
    })?;
    diagnostics.extend(problems);
    let (statics, static_names) = match load::statics::load(root) {
        Ok(found) => found,
        Err(problem) => {
            diagnostics.push(problem);
            (Vec::new(), Vec::new())
        }
    };
    let theme = match render::templates::Theme::load(root) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let options = resolve::Options {
        base_url: base_url.map(str::to_string),
        static_names,
    };
    timings.load = started.elapsed();
    let (site, problems) = resolve::resolve(&loaded, &options);
    timings.resolve = started.elapsed() - timings.load;
    diagnostics.extend(problems);
    let (Some(site), Some(mut theme), false) = (site, theme, diagnostics.has_errors()) else {
        return Err(Failure::Content(diagnostics.into_sorted()));
    };
    let mut files = match render::render(&site, &mut theme) {
        Ok(files) => files,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(Failure::Content(diagnostics.into_sorted()));
        }
    };
    let pages = files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
        .count();
    let generated: std::collections::HashSet<std::path::PathBuf> =
        files.iter().map(|f| f.path.clone()).collect();
    files.extend(statics.into_iter().filter(|f| !generated.contains(&f.path)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    timings.render = started.elapsed() - timings.load - timings.resolve;
    Ok(Compiled {
        files,
        pages,
        base_path: site.config.base_path.clone(),
        timings,
        warnings: diagnostics.into_sorted(),
    })
}

/// What a successful build did.
#[derive(Debug)]
pub struct Built {
    /// The compiled site.
    pub compiled: Compiled,
    /// What was written.
    pub written: output::Written,
}

/// Compiles the site at `root` and writes it to `out`, replacing the old
/// output only when everything succeeded.
pub fn build(root: &Path, out: &Path, base_url: Option<&str>) -> Result<Built, Failure> {
    let mut compiled = compile(root, base_url)?;
    let started = std::time::Instant::now();
    let written = output::write_site(out, &compiled.files)
        .map_err(|error| Failure::Environment(error.to_string()))?;
    compiled.timings.write = started.elapsed();
    Ok(Built { compiled, written })
}

/// Everything `build` validates plus the rendered pages' internal links
/// and anchors, writing nothing.
pub fn check(root: &Path) -> Result<Compiled, Failure> {
    let compiled = compile(root, None)?;
    let problems = check::links(&compiled.files, &compiled.base_path);
    if problems.is_empty() {
        return Ok(compiled);
    }
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(problems);
    diagnostics.extend(compiled.warnings);
    Err(Failure::Content(diagnostics.into_sorted()))
}
