//! One builder per page kind: each turns a job (a route) into its template
//! name and the view data the template gets.

use serde::Serialize;
use tera::Context;

use super::notes::Notes;
use super::views::{
    DateView, EventGroup, EventItem, Limited, Link, NavItem, PageMeta, StatusView, YearCount,
    YearLink,
};
use super::{Renderer, routes};
use crate::model::{Citer, Site, Statement};

mod actor;
mod event;
mod home;
mod other;
mod place;
mod source;

use actor::*;
use event::*;
use home::*;
use other::*;
use place::*;
use source::*;

/// One page to render.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    /// `/`.
    Home,
    /// `/timeline/` (and the same at `/events/`).
    Timeline {
        /// The route it is written at.
        route: &'static str,
    },
    /// `/timeline/<year>/`.
    Year(i32),
    /// `/events/<id>/`.
    Event(usize),
    /// A page of the list of actors, from 0: `/actors/`, then
    /// `/actors/page/2/` and on.
    Actors(usize),
    /// `/actors/<id>/`.
    Actor(usize),
    /// `/network/`.
    Network,
    /// `/map/`.
    Map,
    /// `/places/`.
    Places,
    /// `/places/<id>/`.
    Place(usize),
    /// A page of the bibliography, from 0: `/sources/`, then
    /// `/sources/page/2/` and on.
    Sources(usize),
    /// `/sources/<id>/`.
    Source(usize),
    /// `/tags/`.
    Tags,
    /// `/tags/<tag>/`.
    Tag(String),
    /// `/<id>/`.
    Page(usize),
    /// `/data/`: the open data exports and what each field means.
    Data,
    /// `/search/`: the search page (its index is under `/search/` too).
    Search,
    /// `/404.html`: served for every missing path.
    NotFound,
}

/// Every page of the site.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Timeline { route: "timeline" },
        Job::Timeline { route: "events" },
    ];
    jobs.extend(actors_pages(site));
    jobs.extend([Job::Network, Job::Map, Job::Places]);
    jobs.extend(sources_pages(site));
    jobs.extend([Job::Tags, Job::Data, Job::Search, Job::NotFound]);
    jobs.extend(site.indexes.events_by_year.keys().map(|&y| Job::Year(y)));
    jobs.extend((0..site.events.len()).map(Job::Event));
    jobs.extend((0..site.actors.len()).map(Job::Actor));
    jobs.extend((0..site.places.len()).map(Job::Place));
    jobs.extend((0..site.sources.len()).map(Job::Source));
    jobs.extend(site.indexes.events_by_tag.keys().cloned().map(Job::Tag));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// The most entries a page of the list of actors or of the bibliography
/// shows; the rest follow on numbered pages. The lists grow with the site
/// (at 100,000 events the bibliography was one page of 4.3 MB); a page of
/// them stays near 100 KB.
pub const LIST_PAGE: usize = 500;

/// How many pages a list of `entries` takes: at least one, which says
/// the list is empty.
fn list_pages(entries: usize) -> usize {
    entries.div_ceil(LIST_PAGE).max(1)
}

/// Every page of the list of actors.
pub fn actors_pages(site: &Site) -> impl Iterator<Item = Job> {
    (0..list_pages(site.actors.len())).map(Job::Actors)
}

/// Every page of the bibliography.
pub fn sources_pages(site: &Site) -> impl Iterator<Item = Job> {
    (0..list_pages(site.sources.len())).map(Job::Sources)
}

/// The route a job's page is written at (what [`build`] returns, without
/// building the page).
pub fn route(site: &Site, job: &Job) -> String {
    match job {
        Job::Home => routes::home(),
        Job::Timeline { route } => routes::index(route),
        Job::Year(year) => routes::year(*year),
        Job::Event(e) => routes::event(&site.events[*e].id),
        Job::Actors(page) => routes::list_page("actors", *page),
        Job::Actor(a) => routes::actor(&site.actors[*a].id),
        Job::Network => routes::index("network"),
        Job::Map => routes::index("map"),
        Job::Places => routes::index("places"),
        Job::Place(p) => routes::place(&site.places[*p].id),
        Job::Sources(page) => routes::list_page("sources", *page),
        Job::Source(s) => routes::source(&site.sources[*s].id),
        Job::Tags => routes::index("tags"),
        Job::Tag(tag) => routes::tag(tag),
        Job::Page(p) => routes::page(&site.pages[*p].id),
        Job::Data => routes::index("data"),
        Job::Search => routes::index("search"),
        Job::NotFound => "404.html".to_string(),
    }
}

/// The route, template and context of a job.
pub fn build(r: &Renderer, job: &Job) -> (String, &'static str, Context) {
    let mut notes = Notes::new();
    let mut context = Context::new();
    let (route, template, meta) = match job {
        Job::Home => home(r, &mut context, &mut notes),
        Job::Timeline { route } => timeline(r, route, &mut context),
        Job::Year(year) => year_page(r, *year, &mut context),
        Job::Event(e) => event(r, *e, &mut context, &mut notes),
        Job::Actors(page) => actors(r, *page, &mut context),
        Job::Actor(a) => actor(r, *a, &mut context, &mut notes),
        Job::Network => network(r, &mut context, &mut notes),
        Job::Map => map_page(r, &mut context),
        Job::Places => places(r, &mut context),
        Job::Place(p) => place(r, *p, &mut context, &mut notes),
        Job::Sources(page) => sources(r, *page, &mut context),
        Job::Source(s) => source(r, *s, &mut context, &mut notes),
        Job::Tags => tags(r, &mut context),
        Job::Tag(tag) => tag_page(r, tag, &mut context),
        Job::Page(p) => page(r, *p, &mut context, &mut notes),
        Job::Data => data_page(r, &mut context),
        Job::Search => search_page(r),
        Job::NotFound => not_found(r),
    };
    let meta = PageMeta {
        code: notes.has_code(),
        ..meta
    };
    context.insert("page", &meta);
    context.insert("notes", &r.notes(notes));
    (route, template, context)
}

fn meta(
    r: &Renderer,
    route: &str,
    title: String,
    description: Option<&str>,
    section: &'static str,
    crumbs: Vec<(&str, String)>,
) -> PageMeta {
    let description = description
        .filter(|d| !d.trim().is_empty())
        .map_or_else(|| r.site.config.description.clone(), |d| d.to_string());
    PageMeta {
        title,
        description,
        canonical: r.routes.canonical(route),
        section,
        crumbs: crumbs
            .into_iter()
            .map(|(label, route)| NavItem {
                label: label.to_string(),
                href: r.routes.link(&route),
                section: String::new(),
            })
            .collect(),
        code: false,
    }
}

fn claim_anchor(c: usize) -> String {
    format!("claim-{}", c + 1)
}

/// The longest excerpt, in characters (an ellipsis replaces the rest).
const EXCERPT: usize = 200;

/// The first sentence or so of a Markdown text as plain text, for meta
/// descriptions (citations and link syntax dropped, spaces collapsed). It
/// reads only as far as the excerpt needs, not the whole text.
fn plain_excerpt(markdown: &str) -> String {
    let mut out = String::new();
    let (mut count, mut depth, mut space) = (0usize, 0usize, false);
    let mut chars = markdown.chars().peekable();
    while let Some(ch) = chars.next() {
        let kept = match ch {
            '[' if chars.peek() == Some(&'@') => {
                depth += 1;
                None
            }
            ']' if depth > 0 => {
                depth -= 1;
                None
            }
            '[' | ']' | '*' | '_' | '`' | '#' | '>' => None,
            '|' if depth == 0 => None,
            _ if depth > 0 => None,
            _ => Some(ch),
        };
        match kept {
            Some(ch) if ch.is_whitespace() => space = count > 0,
            Some(ch) => {
                let needed = 1 + usize::from(space);
                if count + needed > EXCERPT {
                    // More follows: cut to leave room for the ellipsis.
                    let cut: String = out.chars().take(EXCERPT - 3).collect();
                    return format!("{}…", cut.trim_end());
                }
                if space {
                    out.push(' ');
                }
                out.push(ch);
                count += needed;
                space = false;
            }
            None => {}
        }
    }
    out
}

#[derive(Serialize)]
struct StatementView<'a> {
    event: Link<'a>,
    date: DateView<'a>,
    text: String,
    status: StatusView,
    href: String,
}

#[derive(Serialize)]
struct KindGroup<T> {
    id: &'static str,
    label: &'static str,
    items: Vec<T>,
}

#[derive(Serialize)]
struct EntityItem<'a> {
    link: Link<'a>,
    description: Option<&'a str>,
    detail: Option<String>,
    count: usize,
}

/// Where a page of a paged list is among the list's pages.
#[derive(Serialize)]
struct Pager<'a> {
    /// This page's number, from 1.
    number: usize,
    /// How many pages the list takes.
    count: usize,
    /// The first and last entries this page shows, numbered from 1
    /// through the list (0 and 0 when it is empty), and the list's length.
    first: usize,
    last: usize,
    total: usize,
    /// Every page of the list, this one included.
    pages: Vec<PagerLink<'a>>,
    /// The links to the page before and the page after, where there are.
    previous: Option<String>,
    next: Option<String>,
}

/// One page of a paged list, as a pager lists it: its number, its link
/// and the names of its first and last entries, which tell the reader
/// what it holds, as a dictionary's guide words do.
#[derive(Serialize)]
struct PagerLink<'a> {
    number: usize,
    href: String,
    from: &'a str,
    to: &'a str,
    current: bool,
}

/// The positions in a list of `total` entries that page `page` shows.
fn on_page(page: usize, total: usize) -> std::ops::Range<usize> {
    (page * LIST_PAGE).min(total)..((page + 1) * LIST_PAGE).min(total)
}

/// The pager of page `page` of the list `list` (`actors`, `sources`) of
/// `total` entries, whose entry at a position is called `name(position)`.
fn pager<'a>(
    r: &Renderer,
    list: &str,
    page: usize,
    total: usize,
    name: impl Fn(usize) -> &'a str,
) -> Pager<'a> {
    let count = list_pages(total);
    let href = |p: usize| r.routes.link(&routes::list_page(list, p));
    let pages = (0..count)
        .map(|p| {
            let mut shown = on_page(p, total);
            PagerLink {
                number: p + 1,
                href: href(p),
                from: shown.next().map_or("", &name),
                to: shown.next_back().map_or("", &name),
                current: p == page,
            }
        })
        .collect();
    let shown = on_page(page, total);
    Pager {
        number: page + 1,
        count,
        first: if shown.is_empty() { 0 } else { shown.start + 1 },
        last: shown.end,
        total,
        pages,
        previous: page.checked_sub(1).map(href),
        next: (page + 1 < count).then(|| href(page + 1)),
    }
}

/// A paged list's title: its name, and on pages past the first, which
/// page of how many it is.
fn list_title(name: &str, pager: &Pager) -> String {
    if pager.number == 1 {
        name.to_string()
    } else {
        format!("{name}, page {} of {}", pager.number, pager.count)
    }
}

/// A paged list's breadcrumbs: none on its first page, which the main
/// navigation names; the first page on the others.
fn list_crumbs(label: &'static str, list: &str, page: usize) -> Vec<(&'static str, String)> {
    if page == 0 {
        Vec::new()
    } else {
        vec![(label, routes::index(list))]
    }
}

fn year_counts(r: &Renderer) -> Vec<YearCount> {
    r.site
        .indexes
        .events_by_year
        .iter()
        .map(|(&year, events)| YearCount {
            year,
            count: events.len(),
            href: r.routes.link(&routes::year(year)),
        })
        .collect()
}

/// A claim as one line of plain text: "Claimant: text".
fn claim_plain(site: &Site, claim: &crate::model::Claim) -> String {
    let by: Vec<&str> = claim
        .by
        .iter()
        .map(|&a| site.actors[a].name.as_str())
        .collect();
    format!("{}: {}", by.join(", "), plain_excerpt(&claim.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_drop_citations_and_markup() {
        assert_eq!(
            plain_excerpt("The **SDF** took [[hajin]] [@lwj, para 3].\nThen more."),
            "The SDF took hajin . Then more."
        );
    }

    #[test]
    fn long_texts_are_cut_at_200_characters_with_an_ellipsis() {
        let word = "abcdefghi ";
        for words in [19, 20, 21, 40] {
            for extra in ["", "x", "  \n  y"] {
                let text = format!("  {}{extra}", word.repeat(words));
                let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let expected = if collapsed.chars().count() <= EXCERPT {
                    collapsed
                } else {
                    let cut: String = collapsed.chars().take(EXCERPT - 3).collect();
                    format!("{}…", cut.trim_end())
                };
                assert_eq!(plain_excerpt(&text), expected, "{words} words + {extra:?}");
            }
        }
        assert_eq!(plain_excerpt(&"é".repeat(300)).chars().count(), 198);
    }
}
