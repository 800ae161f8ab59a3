//! Tags, free pages, the data, search and not-found pages.

use tera::Context;

use super::*;

pub(super) fn tags<'a>(r: &Renderer<'a>, c: &mut Context) -> (String, &'static str, PageMeta) {
    let items: Vec<EntityItem> = r
        .site
        .indexes
        .events_by_tag
        .iter()
        .map(|(tag, events)| EntityItem {
            link: r.tag_link(tag),
            description: None,
            detail: None,
            count: events.len(),
        })
        .collect();
    c.insert("items", &items);
    let route = routes::index("tags");
    let meta = meta(
        r,
        &route,
        "Tags".to_string(),
        Some("Themes that run across the events."),
        "tags",
        Vec::new(),
    );
    (route, "tags.html", meta)
}

pub(super) fn tag_page(
    r: &Renderer,
    tag: &str,
    c: &mut Context,
) -> (String, &'static str, PageMeta) {
    let events = r
        .site
        .indexes
        .events_by_tag
        .get(tag)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    c.insert("tag", tag);
    c.insert("events", &r.limited_events(events, ("tag", tag)));
    c.insert(
        "timeline_href",
        &format!("{}?tag={tag}", r.routes.link(&routes::index("timeline"))),
    );
    let route = routes::tag(tag);
    let description = format!("Events tagged {tag}.");
    let meta = meta(
        r,
        &route,
        format!("Tag: {tag}"),
        Some(&description),
        "tags",
        vec![("Tags", routes::index("tags"))],
    );
    (route, "tag.html", meta)
}

pub(super) fn page<'a>(
    r: &Renderer<'a>,
    p: usize,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let page = &r.site.pages[p];
    c.insert("body", &r.markdown(&page.body, notes));
    c.insert("date", &page.date.as_ref().map(DateView::of));
    c.insert("kind", &page.kind.map(|k| k.label()));
    let route = routes::page(&page.id);
    let section: &'static str = match page.kind {
        Some(crate::model::kinds::PageKind::About) | Some(crate::model::kinds::PageKind::Guide) => {
            "page"
        }
        _ => "analysis",
    };
    let meta = meta(
        r,
        &route,
        page.title.clone(),
        page.description.as_deref(),
        section,
        Vec::new(),
    );
    (route, "page.html", meta)
}

pub(super) fn data_page(r: &Renderer, c: &mut Context) -> (String, &'static str, PageMeta) {
    c.insert("exports", &crate::render::data::catalogue(r));
    let route = routes::index("data");
    let meta = meta(
        r,
        &route,
        "Data".to_string(),
        Some(
            "The site's records as open data: events, actors, places and sources, in JSON, CSV, CSL-JSON and BibTeX, with what every field means.",
        ),
        "data",
        Vec::new(),
    );
    (route, "data.html", meta)
}

/// The search page: the box, the results, and for readers without
/// JavaScript, links to the indexes.
pub(super) fn search_page(r: &Renderer) -> (String, &'static str, PageMeta) {
    let route = routes::index("search");
    let meta = meta(
        r,
        &route,
        "Search".to_string(),
        Some("Search the events, actors, places, sources and pages."),
        "search",
        Vec::new(),
    );
    (route, "search.html", meta)
}

/// The error page: every link on it carries the base path, since it is
/// served at whatever path was missing.
pub(super) fn not_found(r: &Renderer) -> (String, &'static str, PageMeta) {
    let route = "404.html".to_string();
    let meta = meta(
        r,
        &route,
        "Page not found".to_string(),
        Some("There is no page at this address."),
        "not-found",
        Vec::new(),
    );
    (route, "404.html", meta)
}
