//! Render: model -> pages and data files.
//!
//! Builds the list of every page of the URL contract, renders each through
//! its Tera template in parallel (each job owns one route), and hands every
//! file to a [`Sink`] as soon as it is made, so that a build need not hold
//! the whole site in memory. Nothing here writes to disk.

pub mod cite;
pub mod data;
pub mod feeds;
pub mod highlight;
pub mod map;
pub mod markdown;
pub mod network;
pub mod notes;
mod pages;
pub mod plan;
pub mod routes;
pub mod search;
pub mod templates;
mod timeline;
pub mod views;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::{Citation, Event, RecordKind, Site};
use notes::{Notes, markers_html};
pub use pages::Job;
use routes::Routes;
use templates::Theme;
use views::{DateView, EventItem, Limited, Link, NavItem, NoteView, SiteView};

/// A file of the rendered site: its path in the output folder and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// Path relative to the output folder.
    pub path: PathBuf,
    /// The content.
    pub bytes: Vec<u8>,
}

/// Writes the bytes of one file into the writer it is given.
pub type WriteBytes<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// Where rendered files go as they are made, from several threads at once.
pub trait Sink: Sync {
    /// Takes one file of the output.
    fn put(&self, file: File);

    /// Takes one file of the output made by `write`, which a sink that
    /// writes to disk streams there, so that the largest files (the
    /// exports: hundreds of megabytes at 100,000 events) are never held
    /// whole in memory. Others gather the bytes, in a buffer that starts
    /// with room for `size_hint` bytes, and [`put`](Sink::put) them.
    fn put_written(&self, path: PathBuf, size_hint: usize, write: &mut WriteBytes) {
        self.put(gathered(path, size_hint, write));
    }
}

/// The file `write` makes, gathered in memory in a buffer that starts with
/// room for `size_hint` bytes.
pub fn gathered(path: PathBuf, size_hint: usize, write: &mut WriteBytes) -> File {
    let mut bytes = Vec::with_capacity(size_hint);
    // Writing into memory cannot fail.
    let _ = write(&mut bytes);
    File { path, bytes }
}

/// Renders every page and data file of the site into `sink`, in parallel,
/// and returns how many pages there are. Template problems are returned as
/// diagnostics (every one found); the files the sink got are then to be
/// thrown away.
pub fn render(site: &Site, theme: &mut Theme, sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
    let (renderer, theme) = Renderer::with_theme(site, theme);
    let jobs = pages::jobs(site);
    // The feeds and sitemap are made beside the pages, not after them: the
    // sitemap needs only the pages' paths, known before they are rendered.
    let (results, ()) = rayon::join(
        || render_jobs(&renderer, theme, &jobs, sink),
        || {
            rayon::join(
                || data_files(&renderer, sink),
                || {
                    put(sink, search::files(&renderer));
                    put(sink, feeds::files(&renderer, &paths(site, &jobs)));
                },
            );
        },
    );
    results
}

/// Renders the pages of `jobs` only (what an edit touched) into `sink`.
pub fn render_pages(
    site: &Site,
    theme: &mut Theme,
    jobs: &[Job],
    sink: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let (renderer, theme) = Renderer::with_theme(site, theme);
    render_jobs(&renderer, theme, jobs, sink).map(|_| ())
}

/// Renders the files beside the pages but the search index (data, map,
/// feeds), each made from the whole site, into `sink`; `pages` are the
/// paths of every page ([`page_paths`]), for the sitemap.
pub fn render_data(site: &Site, pages: &[PathBuf], sink: &dyn Sink) {
    let renderer = Renderer::new(site);
    data_files(&renderer, sink);
    for file in feeds::files(&renderer, pages) {
        sink.put(file);
    }
}

/// The search index of `site`, to keep and update ([`search::Index`]).
pub fn search_index(site: &Site) -> search::Index {
    search::Index::build(&Renderer::new(site))
}

/// What an edit of event `e` can change in `index`, found with the event
/// as it was (`before`) put back in `site` for the moment.
pub fn search_before(
    index: &search::Index,
    site: &mut Site,
    e: usize,
    before: &mut Event,
) -> search::Edit {
    std::mem::swap(&mut site.events[e], before);
    let edit = index.before_edit(&Renderer::new(site), e);
    std::mem::swap(&mut site.events[e], before);
    edit
}

/// Brings `index` up to date with `site` after `edit`, and gives its files
/// to `sink`; returns the paths of its files that are gone.
pub fn update_search(
    site: &Site,
    index: &mut search::Index,
    edit: search::Edit,
    sink: &dyn Sink,
) -> Vec<PathBuf> {
    let (files, gone) = index.update(&Renderer::new(site), edit);
    put(sink, files);
    gone
}

/// The path of every page of the site.
pub fn page_paths(site: &Site) -> Vec<PathBuf> {
    paths(site, &pages::jobs(site))
}

/// The paths of the pages of `jobs`.
fn paths(site: &Site, jobs: &[Job]) -> Vec<PathBuf> {
    jobs.iter()
        .map(|job| Routes::file(&pages::route(site, job)))
        .collect()
}

/// The most pages one core renders without offering the rest to another.
/// Rayon otherwise hands each core a quarter of the jobs in one piece, and
/// the core that finishes first waits while the other renders the end of
/// its piece (a thousand actor pages, the dearest, come late in the list).
const JOB_BATCH: usize = 8;

/// Renders `jobs` in parallel, giving each page to `sink`; returns how
/// many there are, or every template problem met.
fn render_jobs(
    renderer: &Renderer,
    theme: &Theme,
    jobs: &[Job],
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let failed: Vec<Diagnostic> = jobs
        .par_iter()
        .with_max_len(JOB_BATCH)
        .filter_map(|job| {
            let (route, template, context) = pages::build(renderer, job);
            match theme.render(template, &context) {
                Ok(bytes) => {
                    let path = Routes::file(&route);
                    sink.put(File { path, bytes });
                    None
                }
                Err(problem) => Some(problem),
            }
        })
        .collect();
    let mut problems = renderer.entry_problems();
    problems.extend(failed);
    if !problems.is_empty() {
        problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        problems.dedup();
        return Err(problems);
    }
    Ok(jobs.len())
}

/// The files beside the pages (highlighting styles, timeline data, the
/// map, exports, citations) but the search index, made in parallel with
/// each other and with the pages.
fn data_files(r: &Renderer, sink: &dyn Sink) {
    let makers: [fn(&Renderer, &dyn Sink); 5] = [
        |_, sink| {
            sink.put(File {
                path: PathBuf::from("assets/syntax.css"),
                bytes: highlight::stylesheet().into_bytes(),
            })
        },
        |r, sink| put(sink, timeline::files(r)),
        |r, sink| put(sink, map::files(r)),
        data::files,
        |r, sink| put(sink, cite::files(r)),
    ];
    makers.par_iter().for_each(|make| make(r, sink));
}

/// Gives each of `files` to `sink`.
fn put(sink: &dyn Sink, files: Vec<File>) {
    for file in files {
        sink.put(file);
    }
}

/// What every page builder shares: the site, its routes and the menu.
pub struct Renderer<'a> {
    /// The resolved site.
    pub site: &'a Site,
    /// Link building.
    pub routes: Routes,
    /// The site-wide template data.
    pub site_view: SiteView<'a>,
    /// The site's map (frame and base map), drawn the first time a page
    /// or file needs it (a rebuild of a few pages may not).
    map: OnceLock<map::Maps>,
    /// Each event's list-entry texts, made the first time it is listed
    /// (boxed: a renderer made for a few pages stays small at 100,000
    /// events).
    listed: Vec<OnceLock<Box<Listed<'a>>>>,
    /// Each source's publication date as notes show it, made the first
    /// time a note cites the source (152,000 notes at 10,000 events give
    /// a date, about 75 for each source).
    published: Vec<OnceLock<Option<String>>>,
    /// The theme, whose `event_entry` component renders list entries. Set
    /// when the renderer makes pages; the data files and the search index
    /// show no entries.
    theme: Option<&'a Theme>,
    /// The problems the theme met rendering entries.
    entry_problems: Mutex<Vec<Diagnostic>>,
}

/// The texts of an event's list entry. An event is listed on many pages
/// (its actors', places', sources', tags', its year's, related events'),
/// about forty at 10,000 events: its date and link are written once and
/// copied after.
struct Listed<'a> {
    href: String,
    date: DateView<'a>,
    month_key: String,
    month_label: String,
    /// The entry as the theme renders it, made the first time a page
    /// lists the event.
    entry: OnceLock<String>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site) -> Renderer<'a> {
        let routes = Routes::new(&site.config.base_url, &site.config.base_path);
        let has_map = map::exists(site);
        let nav = [
            ("Timeline", "timeline"),
            ("Actors", "actors"),
            ("Network", "network"),
            ("Places", "places"),
            ("Map", "map"),
            ("Sources", "sources"),
            ("Tags", "tags"),
            ("Data", "data"),
        ]
        .into_iter()
        .filter(|&(_, section)| section != "map" || has_map)
        .map(|(label, section)| NavItem {
            label: label.to_string(),
            href: routes.link(&routes::index(section)),
            section: section.to_string(),
        })
        .chain(menu_pages(site).into_iter().map(|p| NavItem {
            label: site.pages[p].title.clone(),
            href: routes.link(&routes::page(&site.pages[p].id)),
            section: site.pages[p].id.clone(),
        }))
        .collect();
        let config = &site.config;
        let site_view = SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base: &config.base_path,
            nav,
            author: config.author.as_deref(),
        };
        Renderer {
            site,
            routes,
            site_view,
            map: OnceLock::new(),
            listed: site.events.iter().map(|_| OnceLock::new()).collect(),
            published: site.sources.iter().map(|_| OnceLock::new()).collect(),
            theme: None,
            entry_problems: Mutex::new(Vec::new()),
        }
    }

    /// A renderer of `site`'s pages, and `theme` prepared for them (its
    /// `event_entry` component renders the renderer's list entries).
    fn with_theme(site: &'a Site, theme: &'a mut Theme) -> (Renderer<'a>, &'a Theme) {
        let mut renderer = Renderer::new(site);
        let theme = theme.prepared(&renderer.site_view);
        renderer.theme = Some(theme);
        (renderer, theme)
    }

    /// The site's map, drawn on first use.
    pub fn map(&self) -> &map::Maps {
        self.map.get_or_init(|| map::Maps::new(self.site))
    }

    /// The record a cross-link names, as its kind and its position: of
    /// `kind` when written, else of the first kind in link order that has
    /// `id` (as resolving checked it).
    fn cross_link_target(&self, kind: Option<&str>, id: &str) -> Option<(RecordKind, usize)> {
        let find = |kind: RecordKind| self.site.ids.of(kind).get(id).map(|&i| (kind, i));
        match kind {
            Some(word) => RecordKind::from_word(word).and_then(find),
            None => RecordKind::LINK_ORDER.into_iter().find_map(find),
        }
    }

    /// The name a cross-link to the `i`th record of `kind` shows: an
    /// actor's or place's name, an event's, source's or page's title.
    fn record_name(&self, kind: RecordKind, i: usize) -> &'a str {
        let site = self.site;
        match kind {
            RecordKind::Actor => &site.actors[i].name,
            RecordKind::Place => &site.places[i].name,
            RecordKind::Event => &site.events[i].title,
            RecordKind::Source => &site.sources[i].title,
            RecordKind::Page => &site.pages[i].title,
        }
    }

    /// A link to an actor's page, named by its short label or name.
    pub fn actor_link(&self, a: usize) -> Link<'a> {
        let actor = &self.site.actors[a];
        Link {
            href: self.routes.link(&routes::actor(&actor.id)),
            name: &actor.name,
        }
    }

    /// A link to a place's page.
    pub fn place_link(&self, p: usize) -> Link<'a> {
        let place = &self.site.places[p];
        Link {
            href: self.routes.link(&routes::place(&place.id)),
            name: &place.name,
        }
    }

    /// A link to a source's page, named by its title.
    pub fn source_link(&self, s: usize) -> Link<'a> {
        let source = &self.site.sources[s];
        Link {
            href: self.routes.link(&routes::source(&source.id)),
            name: &source.title,
        }
    }

    /// A link to an event's page.
    pub fn event_link(&self, e: usize) -> Link<'a> {
        let event = &self.site.events[e];
        Link {
            href: self.routes.link(&routes::event(&event.id)),
            name: &event.title,
        }
    }

    /// A link to a tag's page.
    pub fn tag_link(&self, tag: &'a str) -> Link<'a> {
        Link {
            href: self.routes.link(&routes::tag(tag)),
            name: tag,
        }
    }

    /// An event as a list entry.
    pub fn event_item(&self, e: usize) -> EventItem<'a> {
        let event = &self.site.events[e];
        let listed = self.listed(e);
        EventItem {
            id: &event.id,
            href: listed.href.clone(),
            title: &event.title,
            date: listed.date.clone(),
            type_id: &event.kind,
            type_label: self.site.config.event_type_label(&event.kind),
            places: event.places.iter().map(|&p| self.place_link(p)).collect(),
            month_key: listed.month_key.clone(),
            month_label: listed.month_label.clone(),
            year: event.date.year(),
        }
    }

    /// Event `e` as an entry of a list, rendered by the theme's
    /// `event_entry` component once a build and copied after: the pages
    /// of a site of 10,000 events list 85,704 entries, and rendering each
    /// in its list took 30% of the template time. A problem in the component
    /// is kept for [`Renderer::entry_problems`], and the entry left empty.
    pub fn event_entry(&self, e: usize) -> String {
        let listed = self.listed(e);
        let entry = listed.entry.get_or_init(|| {
            let Some(theme) = self.theme else {
                debug_assert!(false, "an entry asked of a renderer without a theme");
                return String::new();
            };
            theme
                .render_component("event_entry", "e", &self.event_item(e))
                .unwrap_or_else(|problem| {
                    self.entry_problems
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(problem);
                    String::new()
                })
        });
        entry.clone()
    }

    /// Events as list entries ([`Renderer::event_entry`]).
    pub fn event_entries(&self, events: impl Iterator<Item = usize>) -> Vec<String> {
        events.map(|e| self.event_entry(e)).collect()
    }

    /// The problems met rendering list entries, each once.
    fn entry_problems(&self) -> Vec<Diagnostic> {
        std::mem::take(
            &mut *self
                .entry_problems
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        )
    }

    /// The key and label of the month heading event `e` is listed under.
    pub fn event_month(&self, e: usize) -> (&str, &str) {
        let listed = self.listed(e);
        (&listed.month_key, &listed.month_label)
    }

    /// An event's date as templates show it.
    pub fn event_date(&self, e: usize) -> DateView<'a> {
        self.listed(e).date.clone()
    }

    /// The texts of event `e`'s list entry, made on first use.
    fn listed(&self, e: usize) -> &Listed<'a> {
        self.listed[e].get_or_init(|| {
            let event = &self.site.events[e];
            let (month_key, month_label) = month_heading(&event.date);
            Box::new(Listed {
                href: self.routes.link(&routes::event(&event.id)),
                date: DateView::of(&event.date),
                month_key,
                month_label,
                entry: OnceLock::new(),
            })
        })
    }

    /// The newest `list_limit` of `events` (oldest first, as given): what a
    /// list of them shows.
    pub fn newest<'e>(&self, events: &'e [usize]) -> &'e [usize] {
        &events[events.len().saturating_sub(self.site.config.list_limit)..]
    }

    /// Events as a list cut at `list_limit` (newest kept), with a link to
    /// the timeline filtered by `filter` (`("actor", id)`) when cut.
    pub fn limited_events(&self, events: &[usize], filter: (&str, &str)) -> Limited<String> {
        let limit = self.site.config.list_limit;
        let total = events.len();
        let shown = self.newest(events);
        Limited {
            items: self.event_entries(shown.iter().copied()),
            total,
            hidden: total - shown.len(),
            more_href: (total > limit).then(|| {
                format!(
                    "{}?{}={}",
                    self.routes.link(&routes::index("timeline")),
                    filter.0,
                    filter.1
                )
            }),
        }
    }

    /// Markdown rendered with this page's notes.
    pub fn markdown(&self, text: &str, notes: &mut Notes) -> String {
        let options = markdown::Options {
            allow_raw_html: self.site.config.allow_raw_html,
        };
        markdown::render(text, self, notes, options)
    }

    /// A one-paragraph Markdown text rendered inline.
    pub fn markdown_inline(&self, text: &str, notes: &mut Notes) -> String {
        let options = markdown::Options {
            allow_raw_html: self.site.config.allow_raw_html,
        };
        markdown::render_inline(text, self, notes, options)
    }

    /// Citation markers for structured citations, numbered into `notes`.
    pub fn markers(&self, cites: &[Citation], notes: &mut Notes) -> String {
        let markers: Vec<notes::Marker> = cites
            .iter()
            .map(|c| {
                notes.cite(
                    &self.site.sources[c.source].id,
                    c.loc.as_deref(),
                    c.quote.as_deref(),
                )
            })
            .collect();
        markers_html(&markers)
    }

    /// The notes of a page, ready for the template.
    pub fn notes(&self, notes: Notes) -> Vec<NoteView<'a>> {
        notes
            .into_notes()
            .into_iter()
            .filter_map(|note| {
                let &s = self.site.ids.sources.get(&note.source)?;
                let source = &self.site.sources[s];
                let published = self.published[s]
                    .get_or_init(|| source.published.as_ref().map(|d| d.display()));
                Some(NoteView {
                    href: self.routes.link(&routes::source(&source.id)),
                    title: &source.title,
                    publisher: &source.publisher,
                    published: published.clone(),
                    note,
                })
            })
            .collect()
    }
}

impl markdown::Links for Renderer<'_> {
    fn link(&self, kind: Option<&str>, id: &str) -> Option<(String, Cow<'_, str>)> {
        let (kind, i) = self.cross_link_target(kind, id)?;
        let route = match kind {
            RecordKind::Actor => routes::actor(id),
            RecordKind::Place => routes::place(id),
            RecordKind::Event => routes::event(id),
            RecordKind::Source => routes::source(id),
            RecordKind::Page => routes::page(id),
        };
        Some((self.routes.link(&route), self.record_name(kind, i).into()))
    }

    fn name(&self, kind: Option<&str>, id: &str) -> Option<Cow<'_, str>> {
        let (kind, i) = self.cross_link_target(kind, id)?;
        Some(self.record_name(kind, i).into())
    }

    fn base_path(&self) -> &str {
        self.routes.base_path()
    }
}

/// Pages in the main menu: about and guide pages, by `order` then title.
fn menu_pages(site: &Site) -> Vec<usize> {
    use crate::model::kinds::PageKind;
    let mut pages: Vec<usize> = (0..site.pages.len())
        .filter(|&p| {
            matches!(
                site.pages[p].kind,
                Some(PageKind::About) | Some(PageKind::Guide)
            )
        })
        .collect();
    pages.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        (a.order.unwrap_or(i64::MAX), &a.title).cmp(&(b.order.unwrap_or(i64::MAX), &b.title))
    });
    pages
}

/// The month heading an event falls under: `("2018-05", "May 2018")`, or
/// the year alone for dates coarser than a month.
fn month_heading(date: &crate::model::date::Edtf) -> (String, String) {
    use crate::model::date::Precision;
    let Some(start) = date.start().or_else(|| date.end()) else {
        return ("undated".to_string(), "Undated".to_string());
    };
    if date.precision() >= Precision::Month {
        let name = crate::model::date::month_name(start.month);
        (
            format!("{:04}-{:02}", start.year, start.month),
            format!("{name} {}", start.year),
        )
    } else {
        (
            format!("{:04}", start.year),
            format!("{} (month not known)", start.year),
        )
    }
}
