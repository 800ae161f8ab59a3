//! One builder per page kind: each turns a job (a route) into its template
//! name and the view data the template gets.

use serde::Serialize;
use tera::Context;

use super::notes::Notes;
use super::views::{
    DateView, EventGroup, EventItem, Limited, Link, NavItem, PageMeta, StatusView, YearCount,
};
use super::{Renderer, routes};
use crate::model::{Citer, Site, Statement};

/// One page to render.
#[derive(Clone, Debug)]
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
    context.insert("site", &r.site_view);
    context.insert("page", &meta);
    context.insert("notes", &r.notes(notes));
    context.insert("statuses", &StatusView::legend());
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
    }
}

fn home(r: &Renderer, c: &mut Context, notes: &mut Notes) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let body = site
        .home
        .as_ref()
        .map(|h| r.markdown(&h.body, notes))
        .unwrap_or_default();
    let latest: Vec<EventItem> = (0..site.events.len())
        .rev()
        .take(10)
        .map(|e| r.event_item(e))
        .collect();
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

/// Events grouped under month headings, in the order given.
fn by_month<'a>(r: &Renderer<'a>, events: impl Iterator<Item = usize>) -> Vec<EventGroup<'a>> {
    let mut groups: Vec<EventGroup> = Vec::new();
    for e in events {
        let item = r.event_item(e);
        match groups.last_mut() {
            Some(group) if group.id == format!("m{}", item.month_key) => group.events.push(item),
            _ => groups.push(EventGroup {
                id: format!("m{}", item.month_key),
                label: item.month_label.clone(),
                events: vec![item],
            }),
        }
    }
    groups
}

fn timeline(r: &Renderer, route: &str, c: &mut Context) -> (String, &'static str, PageMeta) {
    let years = year_counts(r);
    let latest = r.site.indexes.events_by_year.iter().next_back();
    let groups = latest
        .map(|(_, events)| by_month(r, events.iter().rev().copied()))
        .unwrap_or_default();
    c.insert("years", &years);
    c.insert("latest_year", &latest.map(|(y, _)| *y));
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

fn year_page(r: &Renderer, year: i32, c: &mut Context) -> (String, &'static str, PageMeta) {
    let index = &r.site.indexes.events_by_year;
    let events = index.get(&year).cloned().unwrap_or_default();
    let previous = index.range(..year).next_back().map(|(&y, _)| YearCount {
        year: y,
        count: index[&y].len(),
        href: r.routes.link(&routes::year(y)),
    });
    let next = index.range(year + 1..).next().map(|(&y, _)| YearCount {
        year: y,
        count: index[&y].len(),
        href: r.routes.link(&routes::year(y)),
    });
    c.insert("year", &year);
    c.insert("groups", &by_month(r, events.iter().copied()));
    c.insert("count", &events.len());
    c.insert("previous", &previous);
    c.insert("next", &next);
    c.insert("years", &year_counts(r));
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

#[derive(Serialize)]
struct ActorRole<'a> {
    actor: Link<'a>,
    role: Option<&'static str>,
}

#[derive(Serialize)]
struct ClaimView<'a> {
    anchor: String,
    by: Vec<Link<'a>>,
    via: Vec<Link<'a>>,
    text: String,
    status: StatusView,
    cites: String,
    answers: Option<Answer<'a>>,
    answered_by: Vec<Answer<'a>>,
}

#[derive(Serialize)]
struct Answer<'a> {
    anchor: String,
    by: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct CasualtyView<'a> {
    group: &'a str,
    killed: Option<String>,
    wounded: Option<String>,
    captured: Option<String>,
    as_stated: Option<&'a str>,
    by: Vec<Link<'a>>,
    status: StatusView,
    cites: String,
}

#[derive(Serialize)]
struct EventView<'a> {
    #[serde(flatten)]
    item: EventItem<'a>,
    date_note: Option<&'a str>,
    type_href: String,
    actors: Vec<ActorRole<'a>>,
    tags: Vec<Link<'a>>,
    summary: String,
    sources: String,
    claims: Vec<ClaimView<'a>>,
    casualties: Vec<CasualtyView<'a>>,
    related: Vec<EventItem<'a>>,
}

fn claim_anchor(c: usize) -> String {
    format!("claim-{}", c + 1)
}

fn event<'a>(
    r: &Renderer<'a>,
    e: usize,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let event = &site.events[e];
    let summary = r.markdown(&event.summary, notes);
    let sources = r.markers(&event.sources, notes);
    let links = |actors: &[usize]| actors.iter().map(|&a| r.actor_link(a)).collect::<Vec<_>>();
    let answered = &site.indexes.answers[e];
    let claims = event
        .claims
        .iter()
        .enumerate()
        .map(|(i, claim)| ClaimView {
            anchor: claim_anchor(i),
            by: links(&claim.by),
            via: links(&claim.via),
            text: r.markdown_inline(&claim.text, notes),
            status: StatusView::of(claim.status),
            cites: r.markers(&claim.cites, notes),
            answers: claim.answers.map(|t| Answer {
                anchor: claim_anchor(t),
                by: links(&event.claims[t].by),
            }),
            answered_by: answered
                .iter()
                .find(|(target, _)| *target == i)
                .map(|(_, by)| {
                    by.iter()
                        .map(|&a| Answer {
                            anchor: claim_anchor(a),
                            by: links(&event.claims[a].by),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let mut order: Vec<usize> = (0..event.casualties.len()).collect();
    order.sort_by(|&a, &b| {
        event.casualties[a]
            .group
            .cmp(&event.casualties[b].group)
            .then(a.cmp(&b))
    });
    let casualties = order
        .into_iter()
        .map(|i| {
            let figure = &event.casualties[i];
            CasualtyView {
                group: &figure.group,
                killed: figure.killed.map(|f| f.display()),
                wounded: figure.wounded.map(|f| f.display()),
                captured: figure.captured.map(|f| f.display()),
                as_stated: figure.as_stated.as_deref(),
                by: links(&figure.by),
                status: StatusView::of(figure.status),
                cites: r.markers(&figure.cites, notes),
            }
        })
        .collect();
    let view = EventView {
        item: r.event_item(e),
        date_note: event.date_note.as_deref(),
        type_href: format!(
            "{}?type={}",
            r.routes.link(&routes::index("timeline")),
            event.kind
        ),
        actors: event
            .actors
            .iter()
            .map(|&(a, role)| ActorRole {
                actor: r.actor_link(a),
                role: role.map(|x| x.label()),
            })
            .collect(),
        tags: event.tags.iter().map(|t| r.tag_link(t)).collect(),
        summary,
        sources,
        claims,
        casualties,
        related: site.indexes.related[e]
            .iter()
            .map(|&x| r.event_item(x))
            .collect(),
    };
    c.insert("event", &view);
    let description = format!(
        "{}: {}",
        event.date.display(),
        plain_excerpt(&event.summary)
    );
    let route = routes::event(&event.id);
    let mut crumbs = vec![("Timeline", routes::index("timeline"))];
    if let Some(year) = event.date.year() {
        crumbs.push(("year", routes::year(year)));
    }
    let mut meta = meta(
        r,
        &route,
        event.title.clone(),
        Some(&description),
        "timeline",
        crumbs,
    );
    if let (Some(crumb), Some(year)) = (meta.crumbs.get_mut(1), event.date.year()) {
        crumb.label = year.to_string();
    }
    (route, "event.html", meta)
}

/// The first sentence or so of a Markdown text as plain text, for meta
/// descriptions (citations and link syntax dropped).
fn plain_excerpt(markdown: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut chars = markdown.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '[' if chars.peek() == Some(&'@') => depth += 1,
            ']' if depth > 0 => depth -= 1,
            '[' | ']' | '*' | '_' | '`' | '#' | '>' => {}
            '|' if depth == 0 => {}
            '\n' => out.push(' '),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 200 {
        return text;
    }
    let cut: String = text.chars().take(197).collect();
    format!("{}…", cut.trim_end())
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
struct ActorView<'a> {
    id: &'a str,
    name: &'a str,
    short: Option<&'a str>,
    aliases: &'a [String],
    kind: Option<&'static str>,
    description: Option<&'a str>,
    body: String,
    relations: Vec<super::network::RelationRow<'a>>,
    network: Option<super::network::GraphView>,
    map: Option<super::map::MapView<'a>>,
    events: Limited<EventItem<'a>>,
    statements: Vec<StatementView<'a>>,
    sources: Vec<Link<'a>>,
    timeline_href: String,
}

fn actor<'a>(
    r: &Renderer<'a>,
    a: usize,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let actor = &site.actors[a];
    let body = r.markdown(&actor.body, notes);
    let relations = super::network::rows(r, &site.indexes.relations_by_actor[a], Some(a), notes);
    let statements = site.indexes.statements_by_actor[a]
        .iter()
        .map(|&statement| {
            let (e, text, status, anchor) = match statement {
                Statement::Claim(e, i) => {
                    let claim = &site.events[e].claims[i];
                    (
                        e,
                        r.markdown_inline(&claim.text, notes),
                        claim.status,
                        claim_anchor(i),
                    )
                }
                Statement::Casualty(e, i) => {
                    let figure = &site.events[e].casualties[i];
                    let mut text = figure.group.clone();
                    for (label, value) in [
                        ("killed", figure.killed),
                        ("wounded", figure.wounded),
                        ("captured", figure.captured),
                    ] {
                        if let Some(value) = value {
                            text.push_str(&format!(", {label}: {}", value.display()));
                        }
                    }
                    if let Some(stated) = &figure.as_stated {
                        text.push_str(&format!(" (“{stated}”)"));
                    }
                    (
                        e,
                        super::markdown::escape_html(&text),
                        figure.status,
                        "casualties".to_string(),
                    )
                }
            };
            let link = r.event_link(e);
            StatementView {
                href: format!("{}#{anchor}", link.href),
                event: link,
                date: DateView::of(&site.events[e].date),
                text,
                status: StatusView::of(status),
            }
        })
        .collect();
    let view = ActorView {
        id: &actor.id,
        name: &actor.name,
        short: actor.short.as_deref(),
        aliases: &actor.aliases,
        kind: actor.kind.map(|k| k.id()),
        description: actor.description.as_deref(),
        body,
        relations,
        network: super::network::ego(site, &r.routes, a),
        map: super::map::actor(r, a),
        events: r.limited_events(&site.indexes.events_by_actor[a], ("actor", &actor.id)),
        statements,
        sources: site.indexes.sources_by_actor[a]
            .iter()
            .map(|&s| r.source_link(s))
            .collect(),
        timeline_href: format!(
            "{}?actor={}",
            r.routes.link(&routes::index("timeline")),
            actor.id
        ),
    };
    c.insert("actor", &view);
    let route = routes::actor(&actor.id);
    let meta = meta(
        r,
        &route,
        actor.name.clone(),
        actor.description.as_deref(),
        "actors",
        vec![("Actors", routes::index("actors"))],
    );
    (route, "actor.html", meta)
}

fn network<'a>(
    r: &Renderer<'a>,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let all = super::network::all_relations(site);
    c.insert("network", &super::network::overview(site, &r.routes));
    c.insert("relations", &super::network::rows(r, &all, None, notes));
    let route = routes::index("network");
    let meta = meta(
        r,
        &route,
        "Network".to_string(),
        Some("How the actors relate: who backs, opposes, leads or belongs to whom, and when."),
        "network",
        Vec::new(),
    );
    (route, "network.html", meta)
}

fn map_page<'a>(r: &Renderer<'a>, c: &mut Context) -> (String, &'static str, PageMeta) {
    c.insert("map", &super::map::overview(r));
    let route = routes::index("map");
    let meta = meta(
        r,
        &route,
        "Map".to_string(),
        Some("Where the events happened: every place with coordinates, sized by its events."),
        "map",
        Vec::new(),
    );
    (route, "map.html", meta)
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

fn actors<'a>(r: &Renderer<'a>, c: &mut Context) -> (String, &'static str, PageMeta) {
    use crate::model::kinds::ActorKind;
    let site = r.site;
    let mut groups: Vec<KindGroup<EntityItem<'_>>> = Vec::new();
    let kinds: Vec<Option<ActorKind>> = ActorKind::ALL
        .iter()
        .map(|&k| Some(k))
        .chain([None])
        .collect();
    for kind in kinds {
        let mut items: Vec<(usize, EntityItem)> = site
            .actors
            .iter()
            .enumerate()
            .filter(|(_, actor)| actor.kind == kind)
            .map(|(a, actor)| {
                (
                    a,
                    EntityItem {
                        link: r.actor_link(a),
                        description: actor.description.as_deref(),
                        detail: actor.short.clone(),
                        count: site.indexes.events_by_actor[a].len(),
                    },
                )
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        items.sort_by(|x, y| {
            site.actors[x.0]
                .name
                .to_lowercase()
                .cmp(&site.actors[y.0].name.to_lowercase())
        });
        groups.push(KindGroup {
            id: kind.map_or("other", |k| k.id()),
            label: kind.map_or("Other", |k| k.label()),
            items: items.into_iter().map(|(_, item)| item).collect(),
        });
    }
    c.insert("groups", &groups);
    let route = routes::index("actors");
    let meta = meta(
        r,
        &route,
        "Actors".to_string(),
        Some("Every state, force, group, outlet and person in the record, by kind."),
        "actors",
        Vec::new(),
    );
    (route, "actors.html", meta)
}

#[derive(Serialize)]
struct Coordinates {
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct PlaceView<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
    kind: Option<&'static str>,
    description: Option<&'a str>,
    within: Vec<Link<'a>>,
    contains: Vec<Link<'a>>,
    coordinates: Option<Coordinates>,
    map: Option<super::map::MapView<'a>>,
    events: Limited<EventItem<'a>>,
    timeline_href: String,
}

fn place<'a>(
    r: &Renderer<'a>,
    p: usize,
    c: &mut Context,
    _notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let place = &site.places[p];
    let mut within = Vec::new();
    let mut current = place.within;
    while let Some(parent) = current {
        if within.len() > site.places.len() {
            break;
        }
        within.push(r.place_link(parent));
        current = site.places[parent].within;
    }
    let view = PlaceView {
        id: &place.id,
        name: &place.name,
        aliases: &place.aliases,
        kind: place.kind.map(|k| k.label()),
        description: place.description.as_deref(),
        within,
        contains: site.indexes.places_within[p]
            .iter()
            .map(|&x| r.place_link(x))
            .collect(),
        coordinates: place.coordinates.map(|(lat, lon)| Coordinates { lat, lon }),
        map: super::map::place(r, p),
        events: r.limited_events(&site.indexes.events_by_place[p], ("place", &place.id)),
        timeline_href: format!(
            "{}?place={}",
            r.routes.link(&routes::index("timeline")),
            place.id
        ),
    };
    c.insert("place", &view);
    let route = routes::place(&place.id);
    let meta = meta(
        r,
        &route,
        place.name.clone(),
        place.description.as_deref(),
        "places",
        vec![("Places", routes::index("places"))],
    );
    (route, "place.html", meta)
}

#[derive(Serialize)]
struct PlaceNode<'a> {
    link: Link<'a>,
    kind: Option<&'static str>,
    count: usize,
    children: Vec<PlaceNode<'a>>,
}

fn place_tree<'a>(r: &Renderer<'a>, p: usize, depth: usize) -> PlaceNode<'a> {
    let site = r.site;
    PlaceNode {
        link: r.place_link(p),
        kind: site.places[p].kind.map(|k| k.label()),
        count: site.indexes.events_by_place[p].len(),
        children: if depth > 32 {
            Vec::new()
        } else {
            site.indexes.places_within[p]
                .iter()
                .map(|&x| place_tree(r, x, depth + 1))
                .collect()
        },
    }
}

fn places<'a>(r: &Renderer<'a>, c: &mut Context) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let mut roots: Vec<usize> = (0..site.places.len())
        .filter(|&p| site.places[p].within.is_none())
        .collect();
    roots.sort_by(|&a, &b| site.places[a].name.cmp(&site.places[b].name));
    let tree: Vec<PlaceNode> = roots.into_iter().map(|p| place_tree(r, p, 0)).collect();
    c.insert("tree", &tree);
    let route = routes::index("places");
    let meta = meta(
        r,
        &route,
        "Places".to_string(),
        Some("Every place in the record, each within the place that contains it."),
        "places",
        Vec::new(),
    );
    (route, "places.html", meta)
}

#[derive(Serialize)]
struct SourceView<'a> {
    id: &'a str,
    title: &'a str,
    publisher: &'a str,
    publisher_url: Option<&'a str>,
    author: Option<&'a str>,
    published: Option<DateView<'a>>,
    date_note: Option<&'a str>,
    url: Option<&'a str>,
    archive_url: Option<&'a str>,
    accessed: Option<DateView<'a>>,
    kind: Option<&'static str>,
    language: Option<&'a str>,
    reliability: Option<String>,
    reliability_note: Option<&'a str>,
    body: String,
    cited_by: CitedBy<'a>,
}

#[derive(Serialize, Default)]
struct CitedBy<'a> {
    events: Vec<EventItem<'a>>,
    claims: Vec<StatementView<'a>>,
    relations: Vec<CitingRelation<'a>>,
    actors: Vec<Link<'a>>,
    pages: Vec<Link<'a>>,
    sources: Vec<Link<'a>>,
    total: usize,
}

#[derive(Serialize)]
struct CitingRelation<'a> {
    subject: Link<'a>,
    label: &'static str,
    object: Link<'a>,
}

fn cited_by<'a>(r: &Renderer<'a>, s: usize) -> CitedBy<'a> {
    let site = r.site;
    let mut out = CitedBy::default();
    let mut events = Vec::new();
    for citer in &site.indexes.cited_by[s] {
        match *citer {
            Citer::Event(e) => events.push(e),
            Citer::Claim(e, i) => {
                let claim = &site.events[e].claims[i];
                let link = r.event_link(e);
                out.claims.push(StatementView {
                    href: format!("{}#{}", link.href, claim_anchor(i)),
                    event: link,
                    date: DateView::of(&site.events[e].date),
                    text: super::markdown::escape_html(&claim_plain(site, claim)),
                    status: StatusView::of(claim.status),
                });
            }
            Citer::Casualty(e, i) => {
                let figure = &site.events[e].casualties[i];
                let link = r.event_link(e);
                out.claims.push(StatementView {
                    href: format!("{}#casualties", link.href),
                    event: link,
                    date: DateView::of(&site.events[e].date),
                    text: super::markdown::escape_html(&format!(
                        "Casualty figure: {}",
                        figure.group
                    )),
                    status: StatusView::of(figure.status),
                });
            }
            Citer::Relation(x) => {
                let relation = &site.relations[x];
                out.relations.push(CitingRelation {
                    subject: r.actor_link(relation.subject),
                    label: relation.kind.label(),
                    object: r.actor_link(relation.object),
                });
            }
            Citer::Actor(a) => out.actors.push(r.actor_link(a)),
            Citer::Page(p) => out.pages.push(Link {
                href: r.routes.link(&routes::page(&site.pages[p].id)),
                name: &site.pages[p].title,
            }),
            Citer::Home => out.pages.push(Link {
                href: r.routes.link(&routes::home()),
                name: "Home",
            }),
            Citer::Source(x) if x != s => out.sources.push(r.source_link(x)),
            Citer::Source(_) => {}
        }
    }
    events.dedup();
    out.events = events.into_iter().map(|e| r.event_item(e)).collect();
    out.total = out.events.len()
        + out.claims.len()
        + out.relations.len()
        + out.actors.len()
        + out.pages.len()
        + out.sources.len();
    out
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

fn source<'a>(
    r: &Renderer<'a>,
    s: usize,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let source = &site.sources[s];
    let view = SourceView {
        id: &source.id,
        title: &source.title,
        publisher: &source.publisher,
        publisher_url: source.publisher_url.as_deref(),
        author: source.author.as_deref(),
        published: source.published.as_ref().map(DateView::of),
        date_note: source.date_note.as_deref(),
        url: source.url.as_deref(),
        archive_url: source.archive_url.as_deref(),
        accessed: source.accessed.as_ref().map(DateView::of),
        kind: source.kind.map(|k| k.label()),
        language: source.language.as_deref(),
        reliability: source.reliability.map(String::from),
        reliability_note: source.reliability_note.as_deref(),
        body: r.markdown(&source.body, notes),
        cited_by: cited_by(r, s),
    };
    c.insert("source", &view);
    c.insert("cite", &super::cite::view(r, s));
    let route = routes::source(&source.id);
    let description = format!(
        "{} ({}): summary and everything that cites it.",
        source.title, source.publisher
    );
    let meta = meta(
        r,
        &route,
        source.title.clone(),
        Some(&description),
        "sources",
        vec![("Sources", routes::index("sources"))],
    );
    (route, "source.html", meta)
}

fn sources<'a>(r: &Renderer<'a>, c: &mut Context) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let mut order: Vec<usize> = (0..site.sources.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&site.sources[a], &site.sources[b]);
        (x.publisher.to_lowercase(), &x.published, &x.title).cmp(&(
            y.publisher.to_lowercase(),
            &y.published,
            &y.title,
        ))
    });
    let items: Vec<EntityItem> = order
        .into_iter()
        .map(|s| {
            let source = &site.sources[s];
            let mut detail = source.publisher.clone();
            if let Some(author) = &source.author {
                detail = format!("{author}. {detail}");
            }
            if let Some(date) = &source.published {
                detail.push_str(&format!(", {}", date.display()));
            }
            EntityItem {
                link: r.source_link(s),
                description: None,
                detail: Some(detail),
                count: site.indexes.cited_by[s].len(),
            }
        })
        .collect();
    c.insert("items", &items);
    let route = routes::index("sources");
    let meta = meta(
        r,
        &route,
        "Sources".to_string(),
        Some("The bibliography: every source the site cites."),
        "sources",
        Vec::new(),
    );
    (route, "sources.html", meta)
}

fn tags<'a>(r: &Renderer<'a>, c: &mut Context) -> (String, &'static str, PageMeta) {
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

fn tag_page<'a>(
    r: &Renderer<'a>,
    tag: &'a str,
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

fn page<'a>(
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

fn data_page(r: &Renderer, c: &mut Context) -> (String, &'static str, PageMeta) {
    c.insert("exports", &super::data::catalogue(r));
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
fn search_page(r: &Renderer) -> (String, &'static str, PageMeta) {
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
fn not_found(r: &Renderer) -> (String, &'static str, PageMeta) {
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
}
