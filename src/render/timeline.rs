//! The timeline's filter data, in chunks: one small manifest of the facets
//! (years with counts, the names of the types and statuses), the actors,
//! the places and the tags in a file each, which parts hold the events of
//! each actor, place, tag, type and status in files of [`SHARD`] records
//! each, and the compact event rows of each year in parts of at most
//! [`PART`] events. The timeline page's script loads the manifest when
//! opened, a list when the reader opens its filter or a view needs it, and
//! only the parts a view needs (with a filter, only those holding its
//! events, newest first until 100 match), so no file ever holds more than
//! [`PART`] events, and opening or filtering the timeline costs about the
//! same at any size.
//!
//! Files are named by rule, so that the manifest need not list them: the
//! `n`th part of a year (from 1, oldest first) is `events-<n>.json` beside
//! the year's page, and the `k`th file of part lists (from 1) is
//! `timeline/<actors|places|tags|types|statuses>-parts-<k>.json`.

use serde::Serialize;

use std::collections::HashMap;

use super::search::terms;
use super::{File, Renderer, routes};
use crate::model::kinds::Status;
use crate::model::{Site, place_and_containers};

/// The manifest at `/timeline/facets.json`.
#[derive(Serialize)]
struct Facets<'a> {
    years: Vec<YearChunk>,
    /// Where the parts' spans of dates are ([`DATES`]).
    dates: String,
    actors: NamesFile,
    places: NamesFile,
    tags: NamesFile,
    types: InlineNames<'a>,
    statuses: InlineNames<'static>,
}

/// A short list of `[id, name]` pairs (types, statuses), kept in the
/// manifest, and where the lists of the parts holding their events are
/// (as in [`NamesFile`]).
#[derive(Serialize)]
struct InlineNames<'a> {
    names: Vec<(&'a str, &'a str)>,
    parts: String,
    shard: usize,
}

/// How many records a list of `[id, name]` pairs holds, and where it is
/// (thousands of actors, places or tags would make the manifest grow with
/// the site); and where the lists of the parts holding their events are.
#[derive(Serialize)]
struct NamesFile {
    count: usize,
    data: String,
    /// The start of the part lists' addresses: file `k` (from 1) is
    /// `<parts><k>.json`, a list of [`SHARD`] lists, one a record in the
    /// order of `data`: the parts (numbered from 0 across the manifest's
    /// years, oldest first) that hold the record's events, each list
    /// written as the search index writes its postings ([`encoded`]).
    parts: String,
    /// How many records a file of part lists covers ([`SHARD`]).
    shard: usize,
}

/// The spans of dates of the parts, numbered across the years: for each,
/// the earliest first day and the latest last day of its events (`""`
/// when one is open), so that a filter by dates reads only the parts that
/// can hold a match. Loaded only for such a filter.
const DATES: &str = "timeline/dates.json";

/// The most events a file of rows holds: about 40 KB. Small, so that a
/// filter by one actor or place fetches little more than its own events.
const PART: usize = 100;

/// How many records' part lists share a file: about 13 KB at 100,000
/// events.
const SHARD: usize = 100;

/// A year: its events, its page, and the sizes of its parts, oldest first
/// (the `n`th is `events-<n>.json` beside the page).
#[derive(Serialize)]
struct YearChunk {
    year: i32,
    count: usize,
    href: String,
    parts: Vec<usize>,
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
    // Each event's part, numbered across the years, oldest first.
    let mut part_of: Vec<Option<usize>> = vec![None; site.events.len()];
    let mut number = 0;
    let mut spans = Vec::new();
    for (&year, events) in &site.indexes.events_by_year {
        let ranges = parts(events.len());
        let mut sizes = Vec::with_capacity(ranges.len());
        for (n, range) in ranges.into_iter().enumerate() {
            let events = &events[range];
            for &e in events {
                part_of[e] = Some(number);
            }
            number += 1;
            let rows: Vec<Row> = events.iter().map(|&e| row(r, e)).collect();
            let route = format!("{}events-{}.json", routes::year(year), n + 1);
            sizes.push(rows.len());
            spans.push(span(&rows));
            files.push(json_file(&route, &rows));
        }
        years.push(YearChunk {
            year,
            count: events.len(),
            href: r.routes.link(&routes::year(year)),
            parts: sizes,
        });
    }
    // The parts holding each actor's, place's and tag's events, from the
    // site's indexes of them (a place's hold the places within it too).
    let holding = |events: &Vec<usize>| -> Vec<usize> {
        let mut held: Vec<usize> = events.iter().filter_map(|&e| part_of[e]).collect();
        held.sort_unstable();
        held.dedup();
        held
    };
    let actor_parts = site.indexes.events_by_actor.iter().map(holding).collect();
    let place_parts = site.indexes.events_by_place.iter().map(holding).collect();
    let tag_parts = site.indexes.events_by_tag.values().map(holding).collect();
    let (type_parts, status_parts) = types_and_statuses_held(site, &part_of);
    files.push(json_file(DATES, &spans));
    // Writes the part lists of `kind`, returning the start of their
    // addresses.
    let part_lists = |files: &mut Vec<File>, kind: &str, held: Vec<Vec<usize>>| {
        let parts = format!("timeline/{kind}-parts-");
        for (k, shard) in held.chunks(SHARD).enumerate() {
            let encoded: Vec<String> = shard.iter().map(|list| encoded(list)).collect();
            files.push(json_file(&format!("{parts}{}.json", k + 1), &encoded));
        }
        r.routes.link(&parts)
    };
    let mut names = |kind: &str, list: Vec<(&str, &str)>, held: Vec<Vec<usize>>| {
        let data = format!("timeline/{kind}.json");
        files.push(json_file(&data, &list));
        NamesFile {
            count: list.len(),
            data: r.routes.link(&data),
            parts: part_lists(&mut files, kind, held),
            shard: SHARD,
        }
    };
    let actors = names(
        "actors",
        site.actors
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str()))
            .collect(),
        actor_parts,
    );
    let places = names(
        "places",
        site.places
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect(),
        place_parts,
    );
    let tags = names(
        "tags",
        site.indexes
            .events_by_tag
            .keys()
            .map(|t| (t.as_str(), t.as_str()))
            .collect(),
        tag_parts,
    );
    let types = InlineNames {
        names: site
            .config
            .event_types
            .iter()
            .map(|t| (t.id.as_str(), t.label.as_str()))
            .collect(),
        parts: part_lists(&mut files, "types", type_parts),
        shard: SHARD,
    };
    let statuses = InlineNames {
        names: Status::ALL.iter().map(|s| (s.id(), s.label())).collect(),
        parts: part_lists(&mut files, "statuses", status_parts),
        shard: SHARD,
    };
    let facets = Facets {
        years,
        dates: r.routes.link(DATES),
        actors,
        places,
        tags,
        types,
        statuses,
    };
    files.push(json_file("timeline/facets.json", &facets));
    files
}

/// The parts holding the events of each type (in the order of the site's
/// types) and of each status (in the order of [`Status::ALL`]: an event
/// has a status when one of its claims or figures has it).
fn types_and_statuses_held(
    site: &Site,
    part_of: &[Option<usize>],
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let type_of: HashMap<&str, usize> = site
        .config
        .event_types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut types = vec![Vec::new(); site.config.event_types.len()];
    let mut statuses = vec![Vec::new(); Status::ALL.len()];
    for (event, part) in site.events.iter().zip(part_of) {
        let Some(part) = *part else { continue };
        if let Some(&t) = type_of.get(event.kind.as_str()) {
            types[t].push(part);
        }
        for status in event.statuses() {
            if let Some(s) = Status::ALL.iter().position(|&x| x == status) {
                statuses[s].push(part);
            }
        }
    }
    for list in types.iter_mut().chain(&mut statuses) {
        list.sort_unstable();
        list.dedup();
    }
    (types, statuses)
}

/// A list of ascending part numbers as a string of gaps, each a number in
/// the 64-character alphabet of the search index's postings
/// ([`terms::encode`]): a part a character or two where a JSON list takes
/// four or five (a tag of a large site is held by most of its parts).
fn encoded(parts: &[usize]) -> String {
    let numbers: Vec<u32> = parts
        .iter()
        .map(|&n| u32::try_from(n).unwrap_or(u32::MAX))
        .collect();
    let mut text = String::with_capacity(numbers.len());
    terms::encode(&numbers, &mut text);
    text
}

/// The span of dates of a part's `rows` (see [`DATES`]). An open day
/// (`""`) is the least string, so it is the first days' minimum as it is;
/// among the last days it is made to rank above every date.
fn span(rows: &[Row]) -> (String, String) {
    let first = rows.iter().map(|row| row.s.as_str()).min();
    let last = rows
        .iter()
        .map(|row| row.e.as_str())
        .max_by_key(|e| (e.is_empty(), *e));
    (
        first.unwrap_or_default().to_string(),
        last.unwrap_or_default().to_string(),
    )
}

fn row<'a>(r: &Renderer<'a>, e: usize) -> Row<'a> {
    let site: &'a Site = r.site;
    let event = &site.events[e];
    let item = r.event_item(e);
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
        pa: places_and_containers(site, e)
            .into_iter()
            .map(|p| site.places[p].id.as_str())
            .collect(),
        g: &event.tags,
        st: event.statuses().into_iter().map(|s| s.id()).collect(),
    }
}

/// The places event `e` happened at and every place containing them, each
/// once (what the place filter matches).
fn places_and_containers(site: &Site, e: usize) -> Vec<usize> {
    let mut all = Vec::new();
    for &p in &site.events[e].places {
        for place in place_and_containers(&site.places, p) {
            if all.contains(&place) {
                break;
            }
            all.push(place);
        }
    }
    all
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
    use super::{PART, Row, parts, span};

    /// A row of the timeline's data with only its first and last days.
    fn dated(s: &str, e: &str) -> Row<'static> {
        Row {
            id: "",
            t: "",
            u: String::new(),
            d: String::new(),
            s: s.to_string(),
            e: e.to_string(),
            mk: String::new(),
            ml: String::new(),
            y: "",
            a: Vec::new(),
            p: Vec::new(),
            pa: Vec::new(),
            g: &[],
            st: Vec::new(),
        }
    }

    #[test]
    fn a_parts_span_of_dates_is_open_where_one_of_its_events_is() {
        let span_of = |rows: &[(&str, &str)]| {
            let rows: Vec<Row> = rows.iter().map(|&(s, e)| dated(s, e)).collect();
            span(&rows)
        };
        let owned = |s: &str, e: &str| (s.to_string(), e.to_string());
        // A range that ends last, though it starts first.
        assert_eq!(
            span_of(&[("2018-01-05", "2018-12-31"), ("2018-03-01", "2018-03-01")]),
            owned("2018-01-05", "2018-12-31")
        );
        // An event still going (no last day) opens the end; one with no
        // first day, the start.
        assert_eq!(
            span_of(&[("2018-01-05", ""), ("2018-03-01", "2018-03-01")]),
            owned("2018-01-05", "")
        );
        assert_eq!(
            span_of(&[("", "2018-02-01"), ("2018-03-01", "2018-03-02")]),
            owned("", "2018-03-02")
        );
    }

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
