//! The home page, the timeline and its years.

use serde::Serialize;
use tera::Context;

use super::*;

pub(super) fn home(
    r: &Renderer,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let body = site
        .home
        .as_ref()
        .map(|h| r.markdown(&h.body, notes))
        .unwrap_or_default();
    let latest = r.event_entries((0..site.events.len()).rev().take(10));
    let analyses: Vec<PageItem> = page_items(r, |p| {
        matches!(p.kind, Some(crate::model::kinds::PageKind::Analysis))
    });
    c.insert("body", &body);
    c.insert("latest", &latest);
    c.insert("analyses", &analyses);
    c.insert("years", &year_counts(r));
    c.insert(
        "counts",
        &Counts {
            events: site.events.len(),
            actors: site.actors.len(),
            places: site.places.len(),
            sources: site.sources.len(),
        },
    );
    let title = site
        .home
        .as_ref()
        .map_or_else(|| site.config.title.clone(), |h| h.title.clone());
    let description = site.home.as_ref().and_then(|h| h.description.as_deref());
    let route = routes::home();
    let meta = meta(r, &route, title, description, "home", Vec::new());
    (route, "home.html", meta)
}

#[derive(Serialize)]
struct Counts {
    events: usize,
    actors: usize,
    places: usize,
    sources: usize,
}

#[derive(Serialize)]
struct PageItem<'a> {
    href: String,
    title: &'a str,
    description: Option<&'a str>,
    date: Option<DateView<'a>>,
    kind: Option<&'static str>,
}

fn page_items<'a>(
    r: &Renderer<'a>,
    keep: impl Fn(&crate::model::Page) -> bool,
) -> Vec<PageItem<'a>> {
    let mut pages: Vec<&crate::model::Page> = r.site.pages.iter().filter(|p| keep(p)).collect();
    pages.sort_by(|a, b| {
        (a.order.unwrap_or(i64::MAX), &a.title).cmp(&(b.order.unwrap_or(i64::MAX), &b.title))
    });
    pages
        .into_iter()
        .map(|p| PageItem {
            href: r.routes.link(&routes::page(&p.id)),
            title: &p.title,
            description: p.description.as_deref(),
            date: p.date.as_ref().map(DateView::of),
            kind: p.kind.map(|k| k.label()),
        })
        .collect()
}

/// Events grouped under month headings, in the order given.
fn by_month(r: &Renderer, events: impl Iterator<Item = usize>) -> Vec<EventGroup> {
    let mut groups: Vec<EventGroup> = Vec::new();
    for e in events {
        let (key, label) = r.event_month(e);
        let entry = r.event_entry(e);
        match groups.last_mut() {
            Some(group) if group.id.strip_prefix('m') == Some(key) => group.events.push(entry),
            _ => groups.push(EventGroup {
                id: format!("m{key}"),
                label: label.to_string(),
                events: vec![entry],
            }),
        }
    }
    groups
}

pub(super) fn timeline(
    r: &Renderer,
    route: &str,
    c: &mut Context,
) -> (String, &'static str, PageMeta) {
    let years = year_counts(r);
    // The latest year's newest events, at most `list_limit` of them: the
    // year's own page lists them all, and a year of a large site holds
    // thousands (megabytes of HTML here).
    let latest = r.site.indexes.events_by_year.iter().next_back();
    let shown = latest.map_or(&[][..], |(_, events)| r.newest(events));
    let groups = by_month(r, shown.iter().rev().copied());
    c.insert("years", &years);
    c.insert("latest_year", &latest.map(|(y, _)| *y));
    c.insert("latest", &years.last());
    c.insert("latest_shown", &shown.len());
    c.insert("groups", &groups);
    c.insert("total", &r.site.events.len());
    let mut meta = meta(
        r,
        &routes::index(route),
        "Timeline".to_string(),
        Some("Every event, year by year."),
        "timeline",
        Vec::new(),
    );
    meta.canonical = r.routes.canonical(&routes::index("timeline"));
    (routes::index(route), "timeline.html", meta)
}

pub(super) fn year_page(
    r: &Renderer,
    year: i32,
    c: &mut Context,
) -> (String, &'static str, PageMeta) {
    // A year's page shows its own events and links to the years beside
    // it, not their counts: an event added, removed or moved between
    // years then changes only the pages of its years (and, when a year
    // comes or goes, those of the years beside it).
    let index = &r.site.indexes.events_by_year;
    let events = index.get(&year).cloned().unwrap_or_default();
    let link = |&y: &i32| YearLink {
        year: y,
        href: r.routes.link(&routes::year(y)),
    };
    c.insert("year", &year);
    c.insert("groups", &by_month(r, events.iter().copied()));
    c.insert("count", &events.len());
    c.insert(
        "previous",
        &index.range(..year).next_back().map(|(y, _)| link(y)),
    );
    c.insert(
        "next",
        &index.range(year + 1..).next().map(|(y, _)| link(y)),
    );
    let description = format!("The events of {year}, oldest first.");
    let route = routes::year(year);
    let meta = meta(
        r,
        &route,
        format!("Timeline: {year}"),
        Some(&description),
        "timeline",
        vec![("Timeline", routes::index("timeline"))],
    );
    (route, "timeline_year.html", meta)
}
