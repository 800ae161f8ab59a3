//! The event map: a static SVG map of the region, drawn at build time from
//! public-domain Natural Earth country outlines compiled into the binary
//! (`assets/world-atlas/`), with every place that has coordinates.
//!
//! The map is drawn in two layers so pages stay light. The base map (sea,
//! countries and their names) is one static file per frame, normally
//! `/map/base.svg`, framed around the site's places. Each page draws its
//! own markers over it in an inline `<svg>` that shows the base map with
//! `<image href>`: `/map/` every place, a place page the place (highlighted),
//! the places within it, and the places containing it (dimmed), an actor
//! page the places of its events. Every marker is a link to the place's
//! page with a title giving its name and event count, and every map comes
//! with a plain list of its places. No tile server, no JavaScript; every
//! link carries the base path.
//!
//! A place far from all others (say, a country abroad) does not stretch
//! the frame: it is drawn as a pointer at the edge of the map, in its
//! direction, and a page whose own places all lie outside the frame gets a
//! frame of its own (`/map/base-<key>.svg`). A site with no coordinates
//! gets no map. Nothing here does I/O, and the same site always gives the
//! same bytes.

mod base;
mod frame;
mod geometry;
mod markers;
mod topojson;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::views::Link;
use super::{File, Renderer, routes};
use crate::model::kinds::PlaceKind;
use crate::model::{Site, place_and_containers};
use base::BaseMap;
use frame::{Frame, Point, Projection};
use markers::{Marker, Role};

/// The site's map, drawn once per build: the frame around its places and
/// the base map of that frame, and per place the events naming it.
#[derive(Debug)]
pub struct Maps {
    /// `None` when no place has coordinates.
    site: Option<SiteMap>,
    /// Per place, how many events name it (not counting places within).
    direct: Vec<usize>,
}

#[derive(Debug)]
struct SiteMap {
    projection: Projection,
    base: BaseMap,
}

impl Maps {
    /// Frames the site's places and draws the base map.
    pub fn new(site: &Site) -> Maps {
        let mut direct = vec![0; site.places.len()];
        for event in &site.events {
            let mut places = event.places.clone();
            places.sort_unstable();
            places.dedup();
            for p in places {
                if let Some(count) = direct.get_mut(p) {
                    *count += 1;
                }
            }
        }
        let site_map = frame_of(site).map(|frame| {
            let projection = Projection::new(frame);
            SiteMap {
                base: draw_base(site, &projection),
                projection,
            }
        });
        Maps {
            site: site_map,
            direct,
        }
    }

    /// Whether the site has a map (some place has coordinates).
    pub fn exists(&self) -> bool {
        self.site.is_some()
    }
}

/// Whether `site` has a map, without drawing it: what
/// [`Maps::exists`] tells once it is drawn.
pub fn exists(site: &Site) -> bool {
    frame_of(site).is_some()
}

/// The frame around the site's places with coordinates, if any.
fn frame_of(site: &Site) -> Option<Frame> {
    let points: Vec<(f64, f64)> = site.places.iter().filter_map(|p| p.coordinates).collect();
    Frame::around(&frame::core(&points))
}

/// A map ready for a template.
#[derive(Clone, Debug, Serialize)]
pub struct MapView<'a> {
    /// The `<svg>` element (already escaped: insert it with `safe`);
    /// `None` on `/map/` when no place has coordinates.
    pub svg: Option<String>,
    /// The places drawn, by name: the accessible alternative.
    pub places: Vec<MapEntry<'a>>,
    /// Places that belong on this map but have no coordinates.
    pub unlocated: Vec<Link<'a>>,
    /// How many places are drawn as pointers at the edge.
    pub outside: usize,
}

/// A place drawn on a map, as a list entry.
#[derive(Clone, Debug, Serialize)]
pub struct MapEntry<'a> {
    /// Its page.
    pub link: Link<'a>,
    /// Its kind's label.
    pub kind: Option<&'static str>,
    /// Its event count in words (`3 events here, 12 with the places within`).
    pub detail: String,
    /// On a place page: `this place`, `within it` or `containing it`.
    pub role: Option<&'static str>,
    /// For a place outside the frame: its direction (`north-west`).
    pub outside: Option<&'static str>,
}

/// What one map shows, before drawing.
struct Plan {
    /// `None`: the site's frame.
    frame: Option<Frame>,
    /// The drawing's accessible title.
    title: String,
    /// The places with coordinates.
    items: Vec<Item>,
    /// Places without coordinates.
    unlocated: Vec<usize>,
}

/// A place with coordinates on a map: its marker and its list entry.
struct Item {
    /// The place.
    place: usize,
    /// How it is drawn.
    marker: Marker,
    /// Its event count in words.
    detail: String,
    /// On a place page, how it relates to the page's place.
    role: Option<&'static str>,
}

/// The map of `/map/`: every place with coordinates.
pub fn overview<'a>(r: &Renderer<'a>) -> MapView<'a> {
    let site = r.site;
    let all: Vec<usize> = (0..site.places.len()).collect();
    let plan = Plan {
        frame: None,
        title: "Map of every place with coordinates".to_string(),
        items: all
            .iter()
            .filter(|&&p| site.places[p].coordinates.is_some())
            .filter_map(|&p| place_item(r, p, Role::Normal, None))
            .collect(),
        unlocated: all
            .into_iter()
            .filter(|&p| site.places[p].coordinates.is_none())
            .collect(),
    };
    match view(r, plan) {
        Some(view) => view,
        None => MapView {
            svg: None,
            places: Vec::new(),
            unlocated: sorted_links(r, (0..site.places.len()).collect()),
            outside: 0,
        },
    }
}

/// The map of a place page; `None` when neither the place nor any place
/// within it has coordinates.
pub fn place<'a>(r: &Renderer<'a>, p: usize) -> Option<MapView<'a>> {
    view(r, place_plan(r, p)?)
}

/// The map of an actor page: the places of its events; `None` when none
/// of them has coordinates.
pub fn actor<'a>(r: &Renderer<'a>, a: usize) -> Option<MapView<'a>> {
    view(r, actor_plan(r, a)?)
}

/// The base maps: `map/base.svg`, and one per frame of its own that a
/// place or actor page needs. Empty when the site has no map.
pub fn files(r: &Renderer) -> Vec<File> {
    let Some(site_map) = &r.map().site else {
        return Vec::new();
    };
    let mut frames: BTreeMap<String, Frame> = BTreeMap::new();
    // An actor's frame needs only where its events were, not its markers.
    let own = (0..r.site.places.len())
        .filter_map(|p| place_plan(r, p).and_then(|plan| plan.frame))
        .chain((0..r.site.actors.len()).filter_map(|a| actor_frame(r, &actor_places(r.site, a))));
    for frame in own {
        frames.insert(frame.key(), frame);
    }
    let mut files = vec![File {
        path: PathBuf::from(base_route(None)),
        bytes: site_map.base.svg.clone().into_bytes(),
    }];
    files.extend(frames.into_values().map(|frame| File {
        path: PathBuf::from(base_route(Some(&frame))),
        bytes: draw_base(r.site, &Projection::new(frame)).svg.into_bytes(),
    }));
    files
}

/// The route of the base map of a frame (`None`: the site's frame).
fn base_route(frame: Option<&Frame>) -> String {
    match frame {
        None => format!("{}base.svg", routes::index("map")),
        Some(frame) => format!("{}base-{}.svg", routes::index("map"), frame.key()),
    }
}

/// The base map of a projection, the countries holding the site's places
/// drawn stronger.
fn draw_base(site: &Site, projection: &Projection) -> BaseMap {
    let focus: Vec<Point> = site
        .places
        .iter()
        .filter_map(|p| p.coordinates)
        .map(|(lat, lon)| projection.project(lon, lat))
        .collect();
    base::draw(projection, &focus)
}

/// A place page's plan: the place, the places within it, and (dimmed) the
/// places containing it.
fn place_plan(r: &Renderer, p: usize) -> Option<Plan> {
    let site = r.site;
    let mut within = Vec::new();
    let mut seen = vec![false; site.places.len()];
    let mut queue = vec![p];
    while let Some(x) = queue.pop() {
        for &child in site
            .indexes
            .places_within
            .get(x)
            .map_or(&[][..], Vec::as_slice)
        {
            if let Some(seen) = seen.get_mut(child)
                && !*seen
                && child != p
            {
                *seen = true;
                within.push(child);
                queue.push(child);
            }
        }
    }
    let containing: Vec<usize> = place_and_containers(&site.places, p).skip(1).collect();
    let mut members = vec![(p, Role::Current, "this place")];
    members.extend(within.iter().map(|&x| (x, Role::Normal, "within it")));
    members.extend(containing.iter().map(|&x| (x, Role::Dim, "containing it")));
    let primary: Vec<(f64, f64)> = members
        .iter()
        .filter(|m| m.1 != Role::Dim)
        .filter_map(|m| site.places[m.0].coordinates)
        .collect();
    if primary.is_empty() {
        return None;
    }
    let name = &site.places[p].name;
    let title = if within.is_empty() {
        format!("Map of {name}")
    } else {
        format!("Map of {name} and the places within it")
    };
    let (located, unlocated): (Vec<_>, Vec<_>) = members
        .into_iter()
        .partition(|m| site.places[m.0].coordinates.is_some());
    Some(Plan {
        frame: own_frame(r, &primary),
        title,
        items: located
            .into_iter()
            .filter_map(|(x, role, label)| place_item(r, x, role, Some(label)))
            .collect(),
        unlocated: unlocated.into_iter().map(|m| m.0).collect(),
    })
}

/// An actor page's plan: the places of its events, counted.
fn actor_plan(r: &Renderer, a: usize) -> Option<Plan> {
    let site = r.site;
    let actor = site.actors.get(a)?;
    let counts = actor_places(site, a);
    if !counts.keys().any(|&p| site.places[p].coordinates.is_some()) {
        return None;
    }
    let who = actor.short.as_deref().unwrap_or(&actor.name);
    let mut items = Vec::new();
    let mut unlocated = Vec::new();
    for (&p, &count) in &counts {
        let place = &site.places[p];
        let Some(at) = place.coordinates else {
            unlocated.push(p);
            continue;
        };
        let detail = events(count);
        let marker = marker(
            r,
            p,
            at,
            count,
            Role::Normal,
            format!("{detail} involving {who}"),
        );
        items.push(Item {
            place: p,
            marker,
            detail,
            role: None,
        });
    }
    Some(Plan {
        frame: actor_frame(r, &counts),
        title: format!("Map of the places of the events of {}", actor.name),
        items,
        unlocated,
    })
}

/// The places of actor `a`'s events, with how many of its events name each.
fn actor_places(site: &Site, a: usize) -> BTreeMap<usize, usize> {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for &e in site
        .indexes
        .events_by_actor
        .get(a)
        .map_or(&[][..], Vec::as_slice)
    {
        let mut places = site.events[e].places.clone();
        places.sort_unstable();
        places.dedup();
        for p in places {
            *counts.entry(p).or_default() += 1;
        }
    }
    counts
}

/// The frame of its own an actor's map needs ([`own_frame`]), from the
/// places of its events.
fn actor_frame(r: &Renderer, places: &BTreeMap<usize, usize>) -> Option<Frame> {
    let primary: Vec<(f64, f64)> = places
        .keys()
        .filter_map(|&p| r.site.places[p].coordinates)
        .collect();
    if primary.is_empty() {
        return None;
    }
    own_frame(r, &primary)
}

/// A frame of its own for a page none of whose `primary` places is inside
/// the site's frame; `None` (the site's frame) otherwise.
fn own_frame(r: &Renderer, primary: &[(f64, f64)]) -> Option<Frame> {
    let site_map = r.map().site.as_ref()?;
    if primary
        .iter()
        .any(|&p| site_map.projection.frame.contains(p))
    {
        None
    } else {
        Frame::around(&frame::core(primary))
    }
}

/// A place's marker and list entry, counted as its page counts it: the
/// events naming it, and those at places within it.
fn place_item(r: &Renderer, p: usize, role: Role, label: Option<&'static str>) -> Option<Item> {
    let at = r.site.places.get(p)?.coordinates?;
    let direct = r.map().direct.get(p).copied().unwrap_or(0);
    let total = r.site.indexes.events_by_place.get(p).map_or(0, Vec::len);
    let detail = if total > direct {
        format!("{} here, {total} with the places within", events(direct))
    } else {
        events(direct)
    };
    Some(Item {
        place: p,
        marker: marker(r, p, at, direct, role, detail.clone()),
        detail,
        role: label,
    })
}

fn marker(
    r: &Renderer,
    p: usize,
    at: (f64, f64),
    count: usize,
    role: Role,
    detail: String,
) -> Marker {
    let place = &r.site.places[p];
    let area = matches!(
        place.kind,
        Some(
            PlaceKind::Country
                | PlaceKind::Region
                | PlaceKind::Province
                | PlaceKind::District
                | PlaceKind::Zone
                | PlaceKind::River
                | PlaceKind::Desert
        )
    );
    Marker {
        at,
        name: short_name(&place.name),
        href: r.routes.link(&routes::place(&place.id)),
        title: format!("{}: {detail}", place.name),
        count,
        role,
        area,
        labelled: place.kind != Some(PlaceKind::Country),
    }
}

/// "no events", "1 event", "12 events".
fn events(n: usize) -> String {
    match n {
        0 => "no events".to_string(),
        1 => "1 event".to_string(),
        n => format!("{n} events"),
    }
}

/// A label no longer than 28 characters.
fn short_name(name: &str) -> String {
    if name.chars().count() <= 28 {
        return name.to_string();
    }
    let cut: String = name.chars().take(27).collect();
    format!("{}…", cut.trim_end())
}

/// Draws a plan: the projection of its frame, its markers over the base
/// map, and its list. `None` when the site has no map.
fn view<'a>(r: &Renderer<'a>, mut plan: Plan) -> Option<MapView<'a>> {
    let site_map = r.map().site.as_ref()?;
    if plan.items.is_empty() {
        return None;
    }
    let own = plan.frame.map(|frame| {
        let projection = Projection::new(frame);
        let base = draw_base(r.site, &projection);
        (projection, base.names)
    });
    let (projection, names) = match &own {
        Some((projection, names)) => (projection, names.as_slice()),
        None => (&site_map.projection, site_map.base.names.as_slice()),
    };
    plan.items.sort_by(|a, b| {
        let (x, y) = (&r.site.places[a.place], &r.site.places[b.place]);
        (x.name.to_lowercase(), &x.id).cmp(&(y.name.to_lowercase(), &y.id))
    });
    let mut outside = 0;
    let mut places = Vec::new();
    let mut drawn = Vec::new();
    for mut item in plan.items {
        let (lat, lon) = item.marker.at;
        let point = projection.project(lon, lat);
        let direction =
            (!markers::visible(projection, point)).then(|| markers::direction(projection, point));
        if let Some(direction) = direction {
            outside += 1;
            item.marker
                .title
                .push_str(&format!(" (outside this map, to the {direction})"));
        }
        places.push(MapEntry {
            link: r.place_link(item.place),
            kind: r.site.places[item.place].kind.map(|k| k.label()),
            detail: item.detail,
            role: item.role,
            outside: direction,
        });
        drawn.push(item.marker);
    }
    let svg = markers::draw(
        projection,
        &r.routes.link(&base_route(plan.frame.as_ref())),
        names,
        &drawn,
        &plan.title,
    );
    Some(MapView {
        svg: Some(svg),
        places,
        unlocated: sorted_links(r, plan.unlocated),
        outside,
    })
}

/// Links to places, by name.
fn sorted_links<'a>(r: &Renderer<'a>, mut places: Vec<usize>) -> Vec<Link<'a>> {
    places.sort_by(|&a, &b| {
        let (x, y) = (&r.site.places[a], &r.site.places[b]);
        (x.name.to_lowercase(), &x.id).cmp(&(y.name.to_lowercase(), &y.id))
    });
    places.dedup();
    places.into_iter().map(|p| r.place_link(p)).collect()
}

#[cfg(test)]
mod tests;
