//! The actors index, a place's page and the places tree.

use serde::Serialize;
use tera::Context;

use crate::model::place_and_containers;

use super::*;

pub(super) fn actors<'a>(
    r: &Renderer<'a>,
    page: usize,
    c: &mut Context,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let listed = &site.indexes.actors_listed;
    let name = |at: usize| site.actors[listed[at]].name.as_str();
    let pager = pager(r, "actors", page, listed.len(), name);
    let shown = on_page(page, listed.len());
    // Every kind, counted through the whole list, and the groups of those
    // on this page.
    let mut kinds: Vec<KindLink> = Vec::new();
    let mut groups: Vec<KindGroup<EntityItem<'_>>> = Vec::new();
    for (at, &a) in listed.iter().enumerate() {
        let actor = &site.actors[a];
        let id = actor.kind.map_or("other", |k| k.id());
        let label = actor.kind.map_or("Other", |k| k.label());
        match kinds.last_mut() {
            Some(kind) if kind.id == id => kind.count += 1,
            _ => {
                let starts_on = at / LIST_PAGE;
                let page_link = if starts_on == page {
                    String::new()
                } else {
                    r.routes.link(&routes::list_page("actors", starts_on))
                };
                let href = [page_link.as_str(), "#", id].concat();
                kinds.push(KindLink {
                    id,
                    label,
                    count: 1,
                    href,
                });
            }
        }
        if !shown.contains(&at) {
            continue;
        }
        let item = EntityItem {
            link: r.actor_link(a),
            description: actor.description.as_deref(),
            detail: actor.short.clone(),
            count: site.indexes.events_by_actor[a].len(),
        };
        match groups.last_mut() {
            Some(group) if group.id == id => group.items.push(item),
            _ => groups.push(KindGroup {
                id,
                label,
                items: vec![item],
            }),
        }
    }
    c.insert("kinds", &kinds);
    c.insert("groups", &groups);
    c.insert("pager", &pager);
    let route = routes::list_page("actors", page);
    let meta = meta(
        r,
        &route,
        list_title("Actors", &pager),
        Some("Every state, force, group, outlet and person in the record, by kind."),
        "actors",
        list_crumbs("Actors", "actors", page),
    );
    (route, "actors.html", meta)
}

/// A kind of actor in the list's table of contents: how many there are,
/// and a link to where their list begins (on this page or another).
#[derive(Serialize)]
struct KindLink {
    id: &'static str,
    label: &'static str,
    count: usize,
    href: String,
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
    map: Option<crate::render::map::MapView<'a>>,
    events: Limited<String>,
    timeline_href: String,
}

pub(super) fn place<'a>(
    r: &Renderer<'a>,
    p: usize,
    c: &mut Context,
    _notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let place = &site.places[p];
    let within: Vec<_> = place_and_containers(&site.places, p)
        .skip(1)
        .map(|parent| r.place_link(parent))
        .collect();
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
        map: crate::render::map::place(r, p),
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

pub(super) fn places<'a>(r: &Renderer<'a>, c: &mut Context) -> (String, &'static str, PageMeta) {
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
