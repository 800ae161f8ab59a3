//! What a reader downloads from a built site: the sizes the issue's
//! reader-cost targets name, read from the output folder.
//!
//! - event pages: the median and the largest `events/<id>/index.html`;
//! - the stylesheet every page loads (`assets/style.css`);
//! - the largest page of the site, and the network page;
//! - the timeline as opened: its page and the facet manifest its script
//!   loads (the page lists the latest events itself; the names of actors
//!   and places and the years' data wait until the reader filters or asks
//!   for more);
//! - the largest part of the timeline's data (each year's rows, in parts
//!   of at most 100 events: `timeline/<year>/events-<n>.json`), and the
//!   largest of its other files (the manifest, the lists of names and of
//!   parts), named;
//! - the timeline filtered by one actor: what the script fetches beyond the
//!   opened timeline (the actors' names, the file listing the parts that
//!   hold the actor's events, and those parts), median and largest over
//!   the actors that have events;
//! - the timeline filtered by one event type: what the script fetches
//!   beyond the opened timeline for its first view (the file listing the
//!   parts that hold each type's events, and the parts it reads, newest
//!   first, until 100 events match), median and largest over the types
//!   that have events. The reading is the script's, restated here
//!   (`gather`);
//! - a first search: what `assets/search.js` fetches for a one-word query
//!   typed on the search page, for each word of the first event's title:
//!   `search/meta.json`, the term chunks it looks the word up in, and the
//!   result files of the first 20 results in its order. The lookup and the
//!   ranking are the script's, restated here (`chunksFor`, `scoresFor`).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::decode_postings as decode;

/// How many term chunks the script loads for one word at most.
const MAX_CHUNKS: usize = 3;

/// How many results the search page shows first.
const FIRST_RESULTS: usize = 20;

/// The sizes of one built site, as a line of the benchmark's report.
pub fn report(out: &Path, first_title: &str) -> String {
    let mut event_pages: Vec<u64> = Vec::new();
    let mut largest = (0, String::new());
    let mut timeline_part = 0;
    let mut timeline_other = (0, String::new());
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        let path = entry.path();
        let Some(relative) = path.strip_prefix(out).ok().and_then(Path::to_str) else {
            continue;
        };
        let len = entry.metadata().map_or(0, |m| m.len());
        if relative.ends_with(".html") && len > largest.0 {
            largest = (len, relative.to_string());
        }
        // `events/<id>/index.html`, not `events/index.html` (the timeline).
        if relative.starts_with("events/") && relative.matches('/').count() == 2 {
            event_pages.push(len);
        }
        if let Some(data) = relative
            .strip_prefix("timeline/")
            .filter(|name| name.ends_with(".json"))
        {
            if is_year_part(data) {
                timeline_part = timeline_part.max(len);
            } else if len > timeline_other.0 {
                timeline_other = (len, data.to_string());
            }
        }
    }
    event_pages.sort_unstable();
    let size = |path: &str| std::fs::metadata(out.join(path)).map_or(0, |m| m.len());
    let searches: Vec<u64> = words(first_title)
        .iter()
        .filter_map(|word| first_search(out, word))
        .collect();
    format!(
        "reader: event page {} median, {} largest; style.css {}; largest page {} ({}); \
         network page {}; timeline opened {} (page and facet manifest); largest timeline part {}; \
         largest other timeline file {} ({}); \
         filtered by one actor {}; filtered by one type {}; first search {} (the {} words of the first event's title)",
        kb(event_pages.get(event_pages.len() / 2).copied().unwrap_or(0)),
        kb(event_pages.last().copied().unwrap_or(0)),
        kb(size("assets/style.css")),
        kb(largest.0),
        largest.1,
        kb(size("network/index.html")),
        kb(size("timeline/index.html") + size("timeline/facets.json")),
        kb(timeline_part),
        kb(timeline_other.0),
        timeline_other.1,
        median_and_largest(&actor_filters(out)),
        median_and_largest(&type_filters(out)),
        match (searches.iter().min(), searches.iter().max()) {
            (Some(&low), Some(&high)) => format!("{}-{}", kb(low), kb(high)),
            _ => "?".to_string(),
        },
        searches.len(),
    )
}

/// Whether `name` (under `timeline/`) is a part of a year's rows,
/// `<year>/events-<n>.json`.
fn is_year_part(name: &str) -> bool {
    name.split_once('/').is_some_and(|(year, file)| {
        !year.is_empty() && year.bytes().all(|b| b.is_ascii_digit()) && file.starts_with("events-")
    })
}

/// The median and the largest of sorted `costs`.
fn median_and_largest(costs: &[u64]) -> String {
    match costs {
        [] => "?".to_string(),
        costs => format!(
            "{} median, {} largest",
            kb(costs[costs.len() / 2]),
            kb(costs[costs.len() - 1])
        ),
    }
}

/// The manifest of the timeline's filters, if it reads.
fn manifest(out: &Path) -> Option<Value> {
    std::fs::read_to_string(out.join("timeline/facets.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
}

/// Every part of the timeline's rows, numbered across the years as the
/// part lists number them: its path in the output, and how many events
/// it holds (hrefs start with the site's base path: `/` here).
fn parts(manifest: &Value) -> Vec<(String, u64)> {
    let mut parts = Vec::new();
    for year in manifest["years"].as_array().into_iter().flatten() {
        let href = local(year["href"].as_str().unwrap_or_default());
        for (n, count) in year["parts"].as_array().into_iter().flatten().enumerate() {
            parts.push((
                format!("{href}events-{}.json", n + 1),
                count.as_u64().unwrap_or(0),
            ));
        }
    }
    parts
}

fn local(href: &str) -> String {
    href.trim_start_matches('/').to_string()
}

/// The lists of the parts holding each record's events, in the files of
/// part lists starting `prefix` (each list written as the index writes
/// its postings), in order, with the size of the file each came in.
fn part_lists(out: &Path, prefix: &str) -> Vec<(Vec<usize>, u64)> {
    let mut all = Vec::new();
    for k in 1.. {
        let Ok(text) = std::fs::read_to_string(out.join(format!("{prefix}{k}.json"))) else {
            break;
        };
        let lists: Vec<String> = serde_json::from_str(&text).unwrap_or_default();
        all.extend(lists.iter().map(|list| {
            let parts = decode(list).into_iter().map(|n| n as usize).collect();
            (parts, text.len() as u64)
        }));
    }
    all
}

/// For each event type with events, sorted: the bytes the timeline's
/// script fetches for its first view filtered by that type
/// (`static/assets/timeline.js`: the type's file of part lists, then the
/// parts holding its events, newest first, a part, then as many as the
/// matches so far suggest until 100 match, at most 8 at once).
fn type_filters(out: &Path) -> Vec<u64> {
    const WANTED: u64 = 100;
    const GROUP: usize = 8;
    let Some(manifest) = manifest(out) else {
        return Vec::new();
    };
    let parts = parts(&manifest);
    let types = &manifest["types"];
    let ids = types["names"].as_array().cloned().unwrap_or_default();
    let lists = part_lists(out, &local(types["parts"].as_str().unwrap_or_default()));
    let mut costs = Vec::new();
    for (id, (list, file)) in ids.iter().zip(lists) {
        let id = id[0].as_str().unwrap_or_default();
        let ordered: Vec<&(String, u64)> =
            list.iter().rev().filter_map(|&n| parts.get(n)).collect();
        let (mut rows, mut events, mut read, mut bytes) = (0u64, 0u64, 0usize, file);
        while rows < WANTED && read < ordered.len() {
            let needed = if rows > 0 {
                (WANTED - rows) as f64 * events as f64 / rows as f64
            } else {
                events as f64
            };
            let (mut end, mut planned) = (read + 1, ordered[read].1);
            while end < ordered.len() && end - read < GROUP && (planned as f64) < needed {
                planned += ordered[end].1;
                end += 1;
            }
            for (path, count) in &ordered[read..end] {
                let text = std::fs::read_to_string(out.join(path)).unwrap_or_default();
                let part: Vec<Value> = serde_json::from_str(&text).unwrap_or_default();
                rows += part.iter().filter(|row| row["y"] == id).count() as u64;
                events += count;
                bytes += text.len() as u64;
            }
            read = end;
        }
        if !list.is_empty() {
            costs.push(bytes);
        }
    }
    costs.sort_unstable();
    costs
}

/// For each actor with events, sorted: the bytes the timeline's script
/// fetches to filter by that actor (`static/assets/timeline.js`: the
/// names, the actor's file of part lists, the parts it lists).
fn actor_filters(out: &Path) -> Vec<u64> {
    let size = |path: &str| std::fs::metadata(out.join(path)).map_or(0, |m| m.len());
    let Some(manifest) = manifest(out) else {
        return Vec::new();
    };
    let parts: Vec<u64> = parts(&manifest)
        .iter()
        .map(|(path, _)| size(path))
        .collect();
    let actors = &manifest["actors"];
    let names = size(&local(actors["data"].as_str().unwrap_or_default()));
    let lists = part_lists(out, &local(actors["parts"].as_str().unwrap_or_default()));
    let mut costs: Vec<u64> = lists
        .iter()
        .filter(|(list, _)| !list.is_empty())
        .map(|(list, file)| {
            let data: u64 = list.iter().filter_map(|&n| parts.get(n)).sum();
            names + file + data
        })
        .collect();
    costs.sort_unstable();
    costs
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// The words of a text as the index has them (lowercase, 2 to 40
/// characters of letters and digits), stop words kept: the script skips
/// a stop word only before another word.
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| (2..=40).contains(&w.chars().count()))
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The bytes the search page fetches for `word`: meta, chunks, result
/// files; `None` when the site has no search index.
fn first_search(out: &Path, word: &str) -> Option<u64> {
    let search = out.join("search");
    let file = |path: &str| -> Option<(u64, Value)> {
        let text = std::fs::read_to_string(search.join(path)).ok()?;
        Some((text.len() as u64, serde_json::from_str(&text).ok()?))
    };
    let (mut bytes, meta) = file("meta.json")?;
    let records = meta["records"].as_f64()?;
    let block = meta["block"].as_u64()?;
    let firsts: Vec<&str> = meta["chunks"]
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // `chunksFor`: the chunk the word falls in, then the next ones while
    // they start with it.
    let at = firsts.iter().rposition(|first| *first <= word).unwrap_or(0);
    let chunks = std::iter::once(at).chain(
        (at + 1..firsts.len())
            .take_while(|&j| firsts[j].starts_with(word))
            .take(MAX_CHUNKS - 1),
    );
    // `scoresFor`: a title match counts four times a text match, rare
    // terms more, a closer completion more; a record keeps its best.
    let mut scores: Vec<(u64, f64)> = Vec::new();
    for n in chunks {
        let (len, entries) = file(&format!("terms/{n}.json"))?;
        bytes += len;
        for entry in entries.as_array()? {
            let term = entry[0].as_str()?;
            if !term.starts_with(word) {
                continue;
            }
            let (in_title, in_text) = (decode(entry[1].as_str()?), decode(entry[2].as_str()?));
            let idf = (1.0 + records / (in_title.len() + in_text.len()).max(1) as f64).ln();
            let closeness = if term == word {
                1.0
            } else {
                0.5 + 0.4 * word.len() as f64 / term.len() as f64
            };
            for (list, weight) in [(in_title, 4.0), (in_text, 1.0)] {
                scores.extend(list.into_iter().map(|n| (n, weight * idf * closeness)));
            }
        }
    }
    scores.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    scores.dedup_by_key(|s| s.0);
    scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let blocks: BTreeSet<u64> = scores
        .iter()
        .take(FIRST_RESULTS)
        .map(|&(n, _)| n / block)
        .collect();
    for b in blocks {
        bytes += std::fs::metadata(search.join(format!("records/{b}.json")))
            .ok()?
            .len();
    }
    Some(bytes)
}
