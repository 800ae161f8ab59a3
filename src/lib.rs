//! dossier: a static-site generator for research websites.
//!
//! A site is a folder of plain files (sources, events, actors, places and
//! pages; see the content model) compiled into a cross-linked static site.
//! The data flows one way:
//!
//! ```text
//! load     disk -> raw records            (load)
//! resolve  raw -> model::Site             (resolve)
//! render   model -> pages, one at a time   (render)
//! output   pages -> temp folder -> swap   (output)
//! ```
//!
//! [`compile`] keeps the rendered files in memory; [`check`] reads each
//! for its links as it is made and keeps none; [`build`] streams each into
//! the output's staging folder.

#![warn(missing_docs)]

pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod inputs;
pub mod load;
pub mod model;
pub mod new;
pub mod output;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod session;
#[cfg(test)]
mod testing;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use diagnostics::{Diagnostic, Diagnostics};
use render::{File, Sink};

/// What compiling a site reports, whether its files went to memory or disk.
#[derive(Debug)]
pub struct Report {
    /// How many pages were rendered.
    pub pages: usize,
    /// The path links start with (`/` or `/repo/`).
    pub base_path: String,
    /// How long each stage took.
    pub timings: Timings,
    /// Warnings (the build succeeded).
    pub warnings: Vec<Diagnostic>,
}

/// A compiled site in memory: every file of the output, and the report.
#[derive(Debug)]
pub struct Compiled {
    /// Pages, generated assets and static files, sorted by path.
    pub files: Vec<File>,
    /// Pages, timings and warnings.
    pub report: Report,
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
    /// Rendering every page and data file (in a build, also writing each
    /// changed file into the staging folder as it comes).
    pub render: std::time::Duration,
    /// Completing the output: linking unchanged files, swapping it in (zero
    /// for `check`).
    pub write: std::time::Duration,
}

/// Loads, resolves and renders the site at `root` in memory.
pub fn compile(root: &Path, base_url: Option<&str>) -> Result<Compiled, Failure> {
    let collected = Collect::default();
    let report = compile_into(root, base_url, &collected)?;
    let mut files = collected
        .files
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Compiled { files, report })
}

/// A sink that keeps every file in memory.
#[derive(Default)]
struct Collect {
    files: Mutex<Vec<File>>,
}

impl Sink for Collect {
    fn put(&self, file: File) {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(file);
    }
}

/// A sink that passes files on and remembers their paths, so that a static
/// file never replaces a generated one.
struct Seen<'a> {
    sink: &'a dyn Sink,
    paths: Mutex<HashSet<PathBuf>>,
}

impl Sink for Seen<'_> {
    fn put(&self, file: File) {
        self.see(&file.path);
        self.sink.put(file);
    }

    fn put_written(&self, path: PathBuf, size_hint: usize, write: &mut render::WriteBytes) {
        self.see(&path);
        self.sink.put_written(path, size_hint, write);
    }
}

impl Seen<'_> {
    fn see(&self, path: &Path) {
        self.paths
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf());
    }
}

/// Loads, resolves and renders the site at `root`, giving every file of
/// the output to `sink` (pages as they are rendered, static files last).
fn compile_into(root: &Path, base_url: Option<&str>, sink: &dyn Sink) -> Result<Report, Failure> {
    site_folder(root)?;
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
    // Freeing what a large site was read into (every file's text, every
    // raw record) takes a while: it is done beside the rendering.
    rayon::spawn(move || drop(loaded));
    timings.resolve = started.elapsed() - timings.load;
    diagnostics.extend(problems);
    let (Some(site), Some(mut theme), false) = (site, theme, diagnostics.has_errors()) else {
        return Err(Failure::Content(diagnostics.into_sorted()));
    };
    let pages = match render_site(&site, &mut theme, statics, sink) {
        Ok(pages) => pages,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(Failure::Content(diagnostics.into_sorted()));
        }
    };
    timings.render = started.elapsed() - timings.load - timings.resolve;
    let base_path = site.config.base_path.clone();
    // So is freeing the site: beside what the caller does next.
    rayon::spawn(move || drop(site));
    Ok(Report {
        pages,
        base_path,
        timings,
        warnings: diagnostics.into_sorted(),
    })
}

/// Renders every page and data file of `site`, then the static files that
/// no generated file replaces, into `sink`; returns how many pages there
/// are, or the template problems.
fn render_site(
    site: &model::Site,
    theme: &mut render::templates::Theme,
    statics: Vec<File>,
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let seen = Seen {
        sink,
        paths: Mutex::new(HashSet::new()),
    };
    let pages = render::render(site, theme, &seen)?;
    let generated = seen.paths.into_inner().unwrap_or_else(|p| p.into_inner());
    for file in statics {
        if !generated.contains(&file.path) {
            sink.put(file);
        }
    }
    Ok(pages)
}

/// Fails unless `root` is a folder.
fn site_folder(root: &Path) -> Result<(), Failure> {
    if root.is_dir() {
        return Ok(());
    }
    Err(Failure::Environment(format!(
        "{}: the site folder does not exist or is not a folder",
        root.display()
    )))
}

/// What a successful build did.
#[derive(Debug)]
pub struct Built {
    /// Pages, timings and warnings.
    pub report: Report,
    /// What was written.
    pub written: output::Written,
    /// Whether the build was skipped because nothing it reads had changed
    /// since the last build into the same output.
    pub up_to_date: bool,
}

/// Compiles the site at `root` and writes it to `out`, changing the old
/// output only when everything succeeded. Pages are written as they are
/// rendered, into a staging folder, and moved into the output at the end
/// (see [`output`]).
///
/// When nothing the build reads has changed since the last build into
/// `out` (which had no warnings), nothing is done at all: see [`inputs`].
pub fn build(root: &Path, out: &Path, base_url: Option<&str>) -> Result<Built, Failure> {
    site_folder(root)?;
    let started = std::time::Instant::now();
    let inputs = inputs::Inputs::of(root, base_url);
    if let Some(done) = inputs.done(out) {
        let report = Report {
            pages: done.pages,
            base_path: done.base_path,
            timings: Timings {
                load: started.elapsed(),
                ..Timings::default()
            },
            warnings: Vec::new(),
        };
        return Ok(Built {
            report,
            written: done.written,
            up_to_date: true,
        });
    }
    let environment = |error: output::OutputError| Failure::Environment(error.to_string());
    let staging = output::Staging::begin(out, output::Trust::Files).map_err(environment)?;
    let mut report = compile_into(root, base_url, &staging)?;
    let finishing = std::time::Instant::now();
    let written = staging.finish().map_err(environment)?;
    report.timings.write = finishing.elapsed();
    if report.warnings.is_empty() {
        let done = inputs::Done {
            pages: report.pages,
            base_path: report.base_path.clone(),
            written,
        };
        inputs.record(out, &done);
    } else {
        inputs::Inputs::forget(out);
    }
    Ok(Built {
        report,
        written,
        up_to_date: false,
    })
}

/// Everything `build` validates plus the rendered pages' internal links
/// and anchors, writing nothing and keeping no page in memory.
pub fn check(root: &Path) -> Result<Report, Failure> {
    let links = check::Links::default();
    let report = compile_into(root, None, &links)?;
    let broken = links.problems(&report.base_path);
    if broken.is_empty() {
        return Ok(report);
    }
    // The pages were dropped as their links were read: render the site
    // again, keeping only the pages with a broken link, to show its line.
    // (Should that render fail, the site changed meanwhile: the lines of
    // pages it did not make are left out.)
    let pages = check::Pages::of(&broken);
    let _ = compile_into(root, None, &pages);
    let problems = pages.show_lines(broken);
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(problems);
    diagnostics.extend(report.warnings);
    Err(Failure::Content(diagnostics.into_sorted()))
}
