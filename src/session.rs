//! A site kept in memory between rebuilds, so that `serve` redoes only what
//! an edit touches.
//!
//! A [`Session`] keeps what it read (the loaded files, the templates, the
//! static files, the Markdown scans) and the resolved site the output was
//! last made from. On a change:
//!
//! - **load**: a content file that still holds the same records is read
//!   again alone; anything else (a file added or removed, `site.yaml`, a
//!   template or a static file) is read again whole;
//! - **resolve**: the whole site is resolved again, which the kept scans
//!   make cheap, so the checks and indexes are exactly a full build's;
//! - **render**: [`render::plan::touched`] compares the new site with the
//!   one on disk and names the pages to render again; a template, static
//!   file or `site.yaml` change renders everything;
//! - **write**: the changed files replace their old copies in place, and
//!   the rest of the output is kept.
//!
//! The files made from the whole site (search index, exports, map and
//! timeline data, feeds) are brought up to date by [`Session::settle`],
//! which `serve` calls once open pages have been told to reload.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Loaded};
use crate::model::Site;
use crate::output::{self, Mode, Staging};
use crate::render::{self, File, templates::Theme};
use crate::resolve::{self, Scans};
use crate::{Built, Failure, Report, Timings};

/// A site being served: what was read, and what the output was made from.
pub struct Session {
    root: PathBuf,
    out: PathBuf,
    base_url: String,
    scans: Scans,
    /// What was read from the site folder, as it is on disk; `None` until a
    /// whole read succeeds (templates and static files included).
    read: Option<Read>,
    /// The site the output was last made from.
    shown: Option<Shown>,
}

/// What a session read from the site folder.
struct Read {
    loaded: Loaded,
    /// The problems loading the content found, as of each file's last read.
    problems: Vec<Diagnostic>,
    theme: Theme,
    statics: Vec<File>,
    static_names: Vec<String>,
    /// The problem reading the static files, if any.
    static_problems: Vec<Diagnostic>,
}

/// The site the output was last made from.
struct Shown {
    site: Site,
    /// Whether the whole-site files still show an earlier site.
    data_behind: bool,
}

impl Session {
    /// A session building the site at `root` into `out` for `base_url`;
    /// nothing is read until the first [`Session::rebuild`].
    pub fn new(root: &Path, out: &Path, base_url: &str) -> Session {
        Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            base_url: base_url.to_string(),
            scans: Scans::default(),
            read: None,
            shown: None,
        }
    }

    /// Rebuilds after the files at `changed` (absolute paths) changed; with
    /// nothing changed, or nothing read yet, builds everything. A failed
    /// build leaves the output as it was.
    pub fn rebuild(&mut self, changed: &BTreeSet<PathBuf>) -> Result<Built, Failure> {
        let started = Instant::now();
        let mut timings = Timings::default();
        let content_only = !changed.is_empty()
            && changed.iter().all(|path| {
                path.strip_prefix(&self.root)
                    .is_ok_and(|p| p.starts_with("content"))
            });
        let everything = !content_only || self.read.is_none();
        // A read that fails is dropped, so the next rebuild reads everything.
        let read = match self.read.take() {
            Some(mut read) if !everything => {
                read_again(&self.root, &mut read, changed)?;
                read
            }
            _ => read_all(&self.root)?,
        };
        let read = self.read.insert(read);
        timings.load = started.elapsed();

        let options = resolve::Options {
            base_url: Some(self.base_url.clone()),
            static_names: read.static_names.clone(),
        };
        let (site, problems) = resolve::resolve_with(&read.loaded, &options, &mut self.scans);
        timings.resolve = started.elapsed() - timings.load;
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(read.problems.iter().cloned());
        diagnostics.extend(read.static_problems.iter().cloned());
        diagnostics.extend(problems);
        let (Some(site), false) = (site, diagnostics.has_errors()) else {
            return Err(Failure::Content(diagnostics.into_sorted()));
        };

        let environment = |error: output::OutputError| Failure::Environment(error.to_string());
        let staging = Staging::begin(&self.out, Mode::InPlace).map_err(environment)?;
        let touched = match &self.shown {
            Some(shown) if !everything => render::plan::touched(&shown.site, &site),
            _ => None,
        };
        let rendered = match &touched {
            Some(jobs) => render::render_pages(&site, &mut read.theme, jobs, &staging)
                .map(|()| (jobs.len(), true)),
            None => crate::render_site(&site, &mut read.theme, read.statics.clone(), &staging)
                .map(|pages| (pages, false)),
        };
        let (pages, partial) = match rendered {
            Ok(done) => done,
            Err(problems) => {
                diagnostics.extend(problems);
                return Err(Failure::Content(diagnostics.into_sorted()));
            }
        };
        if partial {
            staging.keep(|_| true);
        }
        timings.render = started.elapsed() - timings.load - timings.resolve;
        let finishing = Instant::now();
        let written = staging.finish().map_err(environment)?;
        timings.write = finishing.elapsed();
        let report = Report {
            pages,
            base_path: site.config.base_path.clone(),
            timings,
            warnings: diagnostics.into_sorted(),
        };
        self.shown = Some(Shown {
            site,
            data_behind: partial,
        });
        Ok(Built {
            report,
            written,
            up_to_date: false,
        })
    }

    /// Brings the files made from the whole site (search index, exports,
    /// map and timeline data, feeds) up to date after a rebuild that only
    /// rendered the pages an edit touched; does nothing otherwise.
    pub fn settle(&mut self) -> Result<(), Failure> {
        let (Some(shown), Some(read)) = (self.shown.as_mut(), self.read.as_ref()) else {
            return Ok(());
        };
        if !shown.data_behind {
            return Ok(());
        }
        let environment = |error: output::OutputError| Failure::Environment(error.to_string());
        let staging = Staging::begin(&self.out, Mode::InPlace).map_err(environment)?;
        render::render_data(&shown.site, &staging);
        let pages: HashSet<PathBuf> = render::page_paths(&shown.site).into_iter().collect();
        let statics: HashSet<&Path> = read.statics.iter().map(|f| f.path.as_path()).collect();
        staging.keep(|path| pages.contains(path) || statics.contains(path));
        staging.finish().map_err(environment)?;
        shown.data_behind = false;
        Ok(())
    }
}

/// Reads the whole site folder: content, templates and static files.
fn read_all(root: &Path) -> Result<Read, Failure> {
    crate::site_folder(root)?;
    let (loaded, problems) = load_content(root)?;
    let (statics, static_names, static_problems) = match load::statics::load(root) {
        Ok((statics, names)) => (statics, names, Vec::new()),
        Err(problem) => (Vec::new(), Vec::new(), vec![problem]),
    };
    let theme = match render::templates::Theme::load(root) {
        Ok(theme) => theme,
        Err(more) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.extend(problems);
            diagnostics.extend(static_problems);
            diagnostics.extend(more);
            return Err(Failure::Content(diagnostics.into_sorted()));
        }
    };
    Ok(Read {
        loaded,
        problems,
        theme,
        statics,
        static_names,
        static_problems,
    })
}

/// Reads the changed content files again, each in place of what it held;
/// reads all the content again when one cannot be.
fn read_again(root: &Path, read: &mut Read, changed: &BTreeSet<PathBuf>) -> Result<(), Failure> {
    for path in changed {
        let relative = path.strip_prefix(root).unwrap_or(path);
        match load::reload(&mut read.loaded, root, relative) {
            Some(problems) => {
                read.problems.retain(|d| d.file != relative);
                read.problems.extend(problems);
            }
            None => {
                (read.loaded, read.problems) = load_content(root)?;
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Loads `site.yaml` and the content.
fn load_content(root: &Path) -> Result<(Loaded, Vec<Diagnostic>), Failure> {
    load::load(root).map_err(|error| {
        Failure::Environment(format!("{}: cannot read the site: {error}", root.display()))
    })
}
