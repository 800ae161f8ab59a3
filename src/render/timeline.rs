//! The timeline's filter data, in chunks: one small manifest of the facets
//! (years with counts, types, tags, statuses), the names of the actors and
//! of the places in a file each, and one file of compact event rows per
//! year. The timeline page's script loads the manifest when opened, a list
//! of names when the reader opens its filter or a view needs it, and only
//! the years a view needs, so no file ever holds all events, and opening
//! the timeline costs the same at any size.

use serde::Serialize;

use super::{File, Renderer, routes};
use crate::model::Site;

/// The manifest at `/timeline/facets.json`.
#[derive(Serialize)]
struct Facets<'a> {
    years: Vec<YearChunk>,
    actors: NamesFile,
    places: NamesFile,
    types: Vec<(&'a str, &'a str)>,
    tags: Vec<&'a str>,
    statuses: Vec<(&'static str, &'static str)>,
}

/// How many records a list of `[id, name]` pairs holds, and where it is:
/// thousands of actors or places would make the manifest grow with the
/// site.
#[derive(Serialize)]
struct NamesFile {
    count: usize,
    data: String,
}

/// A year and where its rows are.
#[derive(Serialize)]
struct YearChunk {
    year: i32,
    count: usize,
    href: String,
    data: String,
}

/// One event as the filter script needs it (short keys keep chunks small).
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    /// Title.
    t: &'a str,
    /// Link.
    u: String,
    /// Human date.
    d: String,
    /// First and last day (`YYYY-MM-DD`), empty when open.
    s: String,
    e: String,
    /// Month heading key and label.
    mk: String,
    ml: String,
    /// Type id.
    y: &'a str,
    /// Actor ids.
    a: Vec<&'a str>,
    /// Place ids where it happened.
    p: Vec<&'a str>,
    /// Those places and every place containing them (for the place filter).
    pa: Vec<&'a str>,
    /// Tags.
    g: &'a [String],
    /// Claim and figure statuses.
    st: Vec<&'static str>,
}

/// The manifest and one chunk per year.
pub fn files(r: &Renderer) -> Vec<File> {
    let site = r.site;
    let mut files = Vec::new();
    let mut years = Vec::new();
    for (&year, events) in &site.indexes.events_by_year {
        let rows: Vec<Row> = events.iter().map(|&e| row(r, e)).collect();
        let route = format!("{}events.json", routes::year(year));
        years.push(YearChunk {
            year,
            count: events.len(),
            href: r.routes.link(&routes::year(year)),
            data: r.routes.link(&route),
        });
        files.push(json_file(&route, &rows));
    }
    let mut names = |route: &str, list: Vec<(&str, &str)>| {
        let count = list.len();
        files.push(json_file(route, &list));
        NamesFile {
            count,
            data: r.routes.link(route),
        }
    };
    let actors = names(
        "timeline/actors.json",
        site.actors
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str()))
            .collect(),
    );
    let places = names(
        "timeline/places.json",
        site.places
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect(),
    );
    let facets = Facets {
        years,
        actors,
        places,
        types: site
            .config
            .event_types
            .iter()
            .map(|t| (t.id.as_str(), t.label.as_str()))
            .collect(),
        tags: site
            .indexes
            .events_by_tag
            .keys()
            .map(String::as_str)
            .collect(),
        statuses: crate::model::kinds::Status::ALL
            .iter()
            .map(|s| (s.id(), s.label()))
            .collect(),
    };
    files.push(json_file("timeline/facets.json", &facets));
    files
}

fn row<'a>(r: &Renderer<'a>, e: usize) -> Row<'a> {
    let site: &'a Site = r.site;
    let event = &site.events[e];
    let item = r.event_item(e);
    let mut all_places: Vec<&str> = Vec::new();
    for &p in &event.places {
        let mut current = Some(p);
        let mut steps = 0;
        while let Some(place) = current {
            if all_places.contains(&site.places[place].id.as_str()) || steps > site.places.len() {
                break;
            }
            all_places.push(&site.places[place].id);
            current = site.places[place].within;
            steps += 1;
        }
    }
    let mut actors: Vec<&str> = event
        .actors
        .iter()
        .map(|(a, _)| site.actors[*a].id.as_str())
        .collect();
    actors.dedup();
    Row {
        id: &event.id,
        t: &event.title,
        u: item.href,
        d: item.date.display,
        s: item.date.start.unwrap_or_default(),
        e: item.date.end.unwrap_or_default(),
        mk: item.month_key,
        ml: item.month_label,
        y: &event.kind,
        a: actors,
        p: event
            .places
            .iter()
            .map(|&p| site.places[p].id.as_str())
            .collect(),
        pa: all_places,
        g: &event.tags,
        st: event.statuses().into_iter().map(|s| s.id()).collect(),
    }
}

fn json_file(route: &str, value: &impl Serialize) -> File {
    File {
        path: std::path::PathBuf::from(route),
        bytes: serde_json::to_vec(value).unwrap_or_default(),
    }
}
