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
//! - **resolve**: when one event record was read again, without problems,
//!   [`resolve::patch`] puts it in place of the old one in the shown site
//!   if that is what resolving the whole site would make; an event file
//!   added or removed is put in or taken out by [`resolve::add_event`] and
//!   [`resolve::remove_event`] likewise; otherwise the whole site is
//!   resolved again (the kept scans make that cheaper). The site, its
//!   checks and indexes are exactly a full build's either way;
//! - **render**: [`render::plan`] names the pages the edit touches, from
//!   the event before and after, or by comparing the new site with the one
//!   on disk; a template, static file or `site.yaml` change renders
//!   everything;
//! - **search**: a patched event updates the search index the session
//!   keeps ([`render::search::Index`]), and the index files that changed
//!   are written with the pages, so that the new text is found as soon as
//!   the page reloads;
//! - **write**: once every page has rendered, the changed files are
//!   written over their old copies ([`output::InPlace`]) while the lock
//!   [`Session::output_lock`] is held, and the rest of the output is kept.
//!
//! The other files made from the whole site (exports, map and timeline
//! data, feeds), and the search index after any other edit, are brought up
//! to date by [`Session::settle`], which `serve` calls once open pages have
//! been told to reload.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, EventChange, Loaded};
use crate::model::Site;
use crate::output::{self, Staging, Trust};
use crate::render::{self, File, Job, Sink, search, templates::Theme};
use crate::resolve::{self, Refs, Scans};
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
    /// Held for writing while pages are written over their old copies.
    writing: Arc<RwLock<()>>,
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
    /// What resolving it found besides it, for patching it.
    refs: Refs,
    /// The warnings of the build that made it.
    warnings: Vec<Diagnostic>,
    /// Whether it was made from exactly what [`Read`] holds (no rebuild
    /// has failed since), so an edit can be resolved against it alone.
    current: bool,
    /// Whether the whole-site files still show an earlier site.
    data_behind: bool,
    /// Its search index, as written, once [`Session::settle`] has made it:
    /// an edited event then updates it with the pages, before the reload.
    search: Option<search::Index>,
}

/// How a rebuild resolved the site.
enum Resolved {
    /// The shown site, taken out of the session, with one event changed
    /// in place.
    Edited(Box<Shown>, Edited),
    /// The whole site resolved again, with its warnings.
    Whole(Box<(Site, Refs)>, Vec<Diagnostic>),
}

/// The one event an edit changed in the shown site.
enum Edited {
    /// Replaced in place.
    Patched(Box<resolve::Patched>),
    /// Added from a new file: now the event at this position.
    Added(usize),
    /// Taken out with its file.
    Removed(Box<resolve::Removed>),
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
            writing: Arc::default(),
        }
    }

    /// The lock a reader of the output holds for reading while it reads a
    /// file: a rebuild of the pages an edit touches writes them over their
    /// old copies holding it for writing, so a reader that holds it never
    /// sees a page half written. (A whole build, and [`Session::settle`],
    /// rename each file into place.)
    pub fn output_lock(&self) -> Arc<RwLock<()>> {
        Arc::clone(&self.writing)
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
        let (read, edit) = match self.read.take() {
            Some(mut read) if !everything => {
                let edit = read_again(&self.root, &mut read, changed)?;
                (read, edit)
            }
            _ => (read_all(&self.root)?, None),
        };
        let read = self.read.insert(read);
        timings.load = started.elapsed();

        let options = resolve::Options {
            base_url: Some(self.base_url.clone()),
            static_names: read.static_names.clone(),
        };
        let mut resolved = resolve_edit(
            &mut self.shown,
            read,
            edit,
            changed,
            &mut self.scans,
            &options,
        )?;
        timings.resolve = started.elapsed() - timings.load;

        // The search records a patched event can change, as they were.
        let (mut index, search_edit) = match &mut resolved {
            Resolved::Edited(shown, Edited::Patched(patched)) => {
                let Shown { site, search, .. } = &mut **shown;
                search
                    .take()
                    .map(|index| {
                        let edit =
                            render::search_before(&index, site, patched.event, &mut patched.before);
                        (index, edit)
                    })
                    .unzip()
            }
            // An event added or removed shifts the positions the index
            // holds: `settle` makes it again, as after a whole resolve.
            Resolved::Edited(..) | Resolved::Whole(..) => (None, None),
        };
        let (site, plan) = match &resolved {
            Resolved::Edited(shown, edited) => (&shown.site, edited_pages(&shown.site, edited)),
            Resolved::Whole(resolved, _) => match &self.shown {
                Some(shown) if !everything => {
                    (&resolved.0, render::plan::touched(&shown.site, &resolved.0))
                }
                _ => (&resolved.0, None),
            },
        };
        // Pages of the shown site the new one no longer has (a tag or a
        // year no event has now) go.
        let gone: HashSet<PathBuf> = match (&resolved, &self.shown, &plan) {
            (Resolved::Edited(shown, Edited::Removed(removed)), _, _) => {
                render::plan::pages_gone_with(&shown.site, &removed.event)
                    .into_iter()
                    .collect()
            }
            (Resolved::Whole(resolved, _), Some(shown), Some(_)) => {
                let now: HashSet<PathBuf> = render::page_paths(&resolved.0).into_iter().collect();
                render::page_paths(&shown.site)
                    .into_iter()
                    .filter(|path| !now.contains(path))
                    .collect()
            }
            _ => HashSet::new(),
        };
        // A rebuild of some pages updates the kept search index and writes
        // its files; one of every page writes them afresh, and the index is
        // made again by `settle`.
        let search = index.as_mut().zip(search_edit).filter(|_| plan.is_some());
        // On failure a patched site is dropped with `resolved` (it no longer
        // matches the output), and the next rebuild renders everything.
        let (pages, partial, (written, finishing)) = write(
            &self.out,
            &self.writing,
            site,
            read,
            plan.as_deref(),
            &gone,
            search,
        )?;
        timings.write = finishing;
        timings.render = started.elapsed() - timings.load - timings.resolve - finishing;
        let shown = self.shown.insert(match resolved {
            Resolved::Edited(shown, _) => Shown {
                current: true,
                data_behind: partial,
                search: index.filter(|_| partial),
                ..*shown
            },
            Resolved::Whole(resolved, warnings) => Shown {
                site: resolved.0,
                refs: resolved.1,
                warnings,
                current: true,
                data_behind: partial,
                search: None,
            },
        });
        Ok(Built {
            report: Report {
                pages,
                base_path: shown.site.config.base_path.clone(),
                timings,
                warnings: shown.warnings.clone(),
            },
            written,
            up_to_date: false,
        })
    }

    /// Brings the files made from the whole site (exports, map and timeline
    /// data, feeds) up to date after a rebuild that only rendered the pages
    /// an edit touched, and makes the search index the session keeps when
    /// it has none (writing it when it is behind); does nothing otherwise.
    pub fn settle(&mut self) -> Result<(), Failure> {
        let (Some(shown), Some(read)) = (self.shown.as_mut(), self.read.as_ref()) else {
            return Ok(());
        };
        if !shown.data_behind && shown.search.is_some() {
            return Ok(());
        }
        let staging = Staging::begin(&self.out, Trust::Manifest).map_err(environment)?;
        let paths = render::page_paths(&shown.site);
        if shown.data_behind {
            render::render_data(&shown.site, &paths, &staging);
        }
        // Made afresh, the index's files are those on disk unless the data
        // is behind: putting them again then writes nothing.
        let index = shown
            .search
            .get_or_insert_with(|| render::search_index(&shown.site));
        let (files, gone) = index.files();
        for file in files {
            staging.put(file);
        }
        if shown.data_behind {
            let pages: HashSet<PathBuf> = paths.into_iter().collect();
            let statics: HashSet<&Path> = read.statics.iter().map(|f| f.path.as_path()).collect();
            staging.keep(|path| pages.contains(path) || statics.contains(path));
        } else {
            staging.keep(|path| !gone.iter().any(|g| g == path));
        }
        staging.finish().map_err(environment)?;
        shown.data_behind = false;
        Ok(())
    }
}

/// Resolves the site after a rebuild read it: by changing the one edited
/// event in the shown site when [`resolve::patch`], [`resolve::add_event`]
/// or [`resolve::remove_event`] can, else whole.
fn resolve_edit(
    shown: &mut Option<Shown>,
    read: &Read,
    edit: Option<EventChange>,
    changed: &BTreeSet<PathBuf>,
    scans: &mut Scans,
    options: &resolve::Options,
) -> Result<Resolved, Failure> {
    // Until this rebuild succeeds, the shown site is behind what is read.
    let current = shown
        .as_mut()
        .is_some_and(|shown| std::mem::replace(&mut shown.current, false));
    // The warnings of the shown build still hold if none is about a
    // changed file.
    let warned = |shown: &Shown| {
        shown
            .warnings
            .iter()
            .any(|w| changed.iter().any(|p| p.ends_with(&w.file)))
    };
    if let Some(edit) = edit
        && let Some(mut kept) = shown.take()
    {
        if current && !warned(&kept) {
            let (site, refs, loaded) = (&mut kept.site, &mut kept.refs, &read.loaded);
            let edited = match &edit {
                EventChange::Replaced(at, before) => {
                    let after = &loaded.events[*at];
                    resolve::patch(site, refs, loaded, before, after, scans)
                        .map(|patched| Edited::Patched(Box::new(patched)))
                }
                EventChange::Added(at) => {
                    resolve::add_event(site, refs, loaded, *at, scans).map(Edited::Added)
                }
                EventChange::Removed(record, file) => {
                    resolve::remove_event(site, refs, record, file, scans)
                        .map(|removed| Edited::Removed(Box::new(removed)))
                }
            };
            if let Some(edited) = edited {
                return Ok(Resolved::Edited(Box::new(kept), edited));
            }
        }
        *shown = Some(kept);
    }
    let (resolved, problems) = resolve::resolve_kept(&read.loaded, options, scans);
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(read.problems.iter().cloned());
    diagnostics.extend(read.static_problems.iter().cloned());
    diagnostics.extend(problems);
    match (resolved, diagnostics.has_errors()) {
        (Some(resolved), false) => Ok(Resolved::Whole(
            Box::new(resolved),
            diagnostics.into_sorted(),
        )),
        _ => Err(Failure::Content(diagnostics.into_sorted())),
    }
}

/// The pages an edit of one event touches in `site`, the site after it;
/// `None` when any page may have changed.
fn edited_pages(site: &Site, edited: &Edited) -> Option<Vec<Job>> {
    match edited {
        Edited::Patched(p) => {
            render::plan::touched_event(site, p.event, &p.before, &p.cited_before)
        }
        Edited::Added(e) => render::plan::added_event(site, *e),
        Edited::Removed(r) => render::plan::removed_event(site, &r.event, &r.cited_by, &r.related),
    }
}

/// Renders `site` into `out`: the pages of `plan` only, written over
/// their old copies ([`output::InPlace`], holding `writing`; keeping the
/// rest of the output but the `gone` pages), or, without a plan,
/// everything, staged and moved in ([`Staging`]); with a search index and
/// an edit, updates the index and writes its files too. Returns how many
/// pages were rendered, whether that was a part, and what was written and
/// how long completing the output took.
fn write(
    out: &Path,
    writing: &RwLock<()>,
    site: &Site,
    read: &mut Read,
    plan: Option<&[Job]>,
    gone: &HashSet<PathBuf>,
    search: Option<(&mut search::Index, search::Edit)>,
) -> Result<(usize, bool, (output::Written, std::time::Duration)), Failure> {
    // An output whose manifest is gone (removed by hand) is built whole.
    let plan = plan.filter(|_| out.join(output::MARKER).is_file());
    let Some(jobs) = plan else {
        // A whole build checks the output's files.
        let staging = Staging::begin(out, Trust::Files).map_err(environment)?;
        let pages = crate::render_site(site, &mut read.theme, read.statics.clone(), &staging)
            .map_err(content)?;
        let finishing = Instant::now();
        let written = staging.finish().map_err(environment)?;
        return Ok((pages, false, (written, finishing.elapsed())));
    };
    let sink = output::InPlace::begin(out).map_err(environment)?;
    render::render_pages(site, &mut read.theme, jobs, &sink).map_err(content)?;
    let search_gone: HashSet<PathBuf> = match search {
        Some((index, edit)) => render::update_search(site, index, edit, &sink)
            .into_iter()
            .collect(),
        None => HashSet::new(),
    };
    sink.keep(|path| !gone.contains(path) && !search_gone.contains(path));
    let finishing = Instant::now();
    let written = {
        let _writing = writing.write().unwrap_or_else(PoisonError::into_inner);
        sink.finish().map_err(environment)?
    };
    Ok((jobs.len(), true, (written, finishing.elapsed())))
}

/// Template problems as a build's failure.
fn content(problems: Vec<Diagnostic>) -> Failure {
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(problems);
    Failure::Content(diagnostics.into_sorted())
}

/// An output failure as a build's failure.
fn environment(error: output::OutputError) -> Failure {
    Failure::Environment(error.to_string())
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
/// reads all the content again when one cannot be. Returns the edit when
/// what changed is one event record, read without problems.
fn read_again(
    root: &Path,
    read: &mut Read,
    changed: &BTreeSet<PathBuf>,
) -> Result<Option<EventChange>, Failure> {
    let mut edits = Vec::new();
    let mut only_events = true;
    for path in changed {
        let relative = path.strip_prefix(root).unwrap_or(path);
        match load::reload(&mut read.loaded, root, relative) {
            Some(reloaded) => {
                only_events &= !reloaded.others && reloaded.problems.is_empty();
                read.problems.retain(|d| d.file != relative);
                read.problems.extend(reloaded.problems);
                edits.extend(reloaded.events);
            }
            None => {
                (read.loaded, read.problems) = load_content(root)?;
                return Ok(None);
            }
        }
    }
    Ok(match (only_events, edits.pop(), edits.is_empty()) {
        (true, Some(edit), true) => Some(edit),
        _ => None,
    })
}

/// Loads `site.yaml` and the content.
fn load_content(root: &Path) -> Result<(Loaded, Vec<Diagnostic>), Failure> {
    load::load(root).map_err(|error| {
        Failure::Environment(format!("{}: cannot read the site: {error}", root.display()))
    })
}
