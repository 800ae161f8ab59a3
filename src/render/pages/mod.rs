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
    /// `/actors/`.
    Actors,
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
    /// `/sources/`.
    Sources,
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
        Job::Actors,
        Job::Network,
        Job::Map,
        Job::Places,
        Job::Sources,
        Job::Tags,
        Job::Data,
        Job::Search,
        Job::NotFound,
    ];
    jobs.extend(site.indexes.events_by_year.keys().map(|&y| Job::Year(y)));
    jobs.extend((0..site.events.len()).map(Job::Event));
    jobs.extend((0..site.actors.len()).map(Job::Actor));
    jobs.extend((0..site.places.len()).map(Job::Place));
    jobs.extend((0..site.sources.len()).map(Job::Source));
    jobs.extend(site.indexes.events_by_tag.keys().cloned().map(Job::Tag));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// The route a job's page is written at (what [`build`] returns, without
/// building the page).
pub fn route(site: &Site, job: &Job) -> String {
    match job {
        Job::Home => routes::home(),
        Job::Timeline { route } => routes::index(route),
        Job::Year(year) => routes::year(*year),
        Job::Event(e) => routes::event(&site.events[*e].id),
        Job::Actors => routes::index("actors"),
        Job::Actor(a) => routes::actor(&site.actors[*a].id),
        Job::Network => routes::index("network"),
        Job::Map => routes::index("map"),
        Job::Places => routes::index("places"),
        Job::Place(p) => routes::place(&site.places[*p].id),
        Job::Sources => routes::index("sources"),
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
        Job::Actors => actors(r, &mut context),
        Job::Actor(a) => actor(r, *a, &mut context, &mut notes),
        Job::Network => network(r, &mut context, &mut notes),
        Job::Map => map_page(r, &mut context),
        Job::Places => places(r, &mut context),
        Job::Place(p) => place(r, *p, &mut context, &mut notes),
        Job::Sources => sources(r, &mut context),
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
