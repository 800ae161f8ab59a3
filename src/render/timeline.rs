//! The timeline's filter data, in chunks: one small manifest of the facets
//! (years with counts, types, tags, statuses), the names of the actors and
//! of the places in a file each, and the compact event rows of each year
//! in parts of at most [`PART`] events. The timeline page's script loads
//! the manifest when opened, a list of names when the reader opens its
//! filter or a view needs it, and only the parts a view needs, so no file
//! ever holds more than [`PART`] events, and opening the timeline costs the
//! same at any size.

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

/// The most events a file of rows holds: about 400 KB.
const PART: usize = 1000;

/// A year and where its rows are.
#[derive(Serialize)]
struct YearChunk {
    year: i32,
    count: usize,
    href: String,
    /// Its parts, oldest first.
    parts: Vec<Part>,
}

/// A file of rows: how many, and where.
#[derive(Serialize)]
struct Part {
    count: usize,
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

/// The manifest, the lists of names, and the parts of each year.
pub fn files(r: &Renderer) -> Vec<File> {
    let site = r.site;
    let mut files = Vec::new();
    let mut years = Vec::new();
    for (&year, events) in &site.indexes.events_by_year {
        let ranges = parts(events.len());
        let mut chunks = Vec::with_capacity(ranges.len());
        for (n, range) in ranges.iter().enumerate() {
            let rows: Vec<Row> = events[range.clone()].iter().map(|&e| row(r, e)).collect();
            let name = if ranges.len() == 1 {
                "events.json".to_string()
            } else {
                format!("events-{}.json", n + 1)
            };
            let route = format!("{}{name}", routes::year(year));
            chunks.push(Part {
                count: rows.len(),
                data: r.routes.link(&route),
            });
            files.push(json_file(&route, &rows));
        }
        years.push(YearChunk {
            year,
            count: events.len(),
            href: r.routes.link(&routes::year(year)),
            parts: chunks,
        });
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

/// The parts of a year of `count` events (oldest first), as ranges of at
/// most [`PART`] events, oldest first. The newest part is the full one, so
/// that the newest events, which the timeline shows first, come in as few
/// files as can be.
fn parts(count: usize) -> Vec<std::ops::Range<usize>> {
    let mut start = 0;
    let mut ranges = Vec::new();
    let first = count % PART;
    if first > 0 {
        ranges.push(0..first);
        start = first;
    }
    while start < count {
        ranges.push(start..start + PART);
        start += PART;
    }
    ranges
}

fn json_file(route: &str, value: &impl Serialize) -> File {
    File {
        path: std::path::PathBuf::from(route),
        bytes: serde_json::to_vec(value).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::{PART, parts};

    #[test]
    fn a_year_is_cut_into_parts_of_at_most_part_events_the_newest_full() {
        assert_eq!(parts(3), vec![0..3]);
        assert_eq!(parts(PART), vec![0..PART]);
        assert_eq!(
            parts(2 * PART + 5),
            vec![0..5, 5..PART + 5, PART + 5..2 * PART + 5]
        );
        assert!(parts(0).is_empty());
    }
}
