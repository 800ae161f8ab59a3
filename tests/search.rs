//! Search: builds the fixture with the real binary under a sub-path and
//! checks what the reader's browser gets: the search page, the search box
//! in every page's header (both pointing under `/repo/`), the script, and an
//! index under `search/` in which the fixture's records are found the way
//! `search.js` finds them (chunk by first term, posting lists, result rows).

mod common;

use std::path::{Path, PathBuf};

use common::{decode_postings as decode, fixture, read};
use serde_json::Value;

/// Builds the basic fixture with the binary into a temporary folder, under
/// `https://example.github.io/repo/`.
fn build() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    common::build_with_binary(&fixture("basic"), &out, "https://example.github.io/repo/");
    (dir, out)
}

fn json(out: &Path, path: &str) -> Value {
    serde_json::from_str(&read(out, path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What `search.js` does for one whole word: the chunk it falls in (the
/// last whose first term is not after it), then the word's posting lists
/// there (records with it in a title, records with it in their text).
fn lookup(out: &Path, meta: &Value, word: &str) -> Option<(Vec<u64>, Vec<u64>)> {
    let chunks = meta["chunks"].as_array().unwrap();
    let at = chunks
        .iter()
        .rposition(|first| first.as_str().unwrap() <= word)
        .unwrap_or(0);
    let entries = json(out, &format!("search/terms/{at}.json"));
    entries.as_array().unwrap().iter().find_map(|entry| {
        (entry[0] == word).then(|| {
            (
                decode(entry[1].as_str().unwrap()),
                decode(entry[2].as_str().unwrap()),
            )
        })
    })
}

/// A record's kind (from the number ranges in meta.json) and its result
/// row `[route, title, detail, excerpt]`.
fn record(out: &Path, meta: &Value, n: u64) -> (String, Vec<String>) {
    let kind = meta["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k[2].as_u64().unwrap() <= n && n < k[3].as_u64().unwrap())
        .map(|k| k[1].as_str().unwrap().to_string())
        .unwrap();
    let block = meta["block"].as_u64().unwrap();
    let rows = json(out, &format!("search/records/{}.json", n / block));
    let row = rows[(n % block) as usize]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    (kind, row)
}

/// The titles of the records a word finds, with their kinds.
fn found(out: &Path, meta: &Value, word: &str) -> Vec<(String, String)> {
    let (title, text) = lookup(out, meta, word).unwrap_or_default();
    title
        .into_iter()
        .chain(text)
        .map(|n| {
            let (kind, row) = record(out, meta, n);
            (kind, row[1].clone())
        })
        .collect()
}

#[test]
fn the_search_page_and_the_header_box_work_under_a_sub_path() {
    let (_dir, out) = build();
    let search = read(&out, "search/index.html");
    assert!(search.contains("<title>Search · Fixture research site</title>"));
    assert!(search.contains(
        r#"<form class="search-form" role="search" action="/repo/search/" data-search-page>"#
    ));
    assert!(search.contains(r#"<label for="search-input">"#));
    assert!(search.contains(r#"<ol class="search-results" id="search-results">"#));
    assert!(search.contains("Search needs JavaScript"));
    for index in ["timeline", "actors", "places", "sources", "tags"] {
        assert!(
            search.contains(&format!(r#"href="/repo/{index}/""#)),
            "the search page links to /repo/{index}/"
        );
    }
    for page in [
        "index.html",
        "search/index.html",
        "events/attack-on-sdf-hq/index.html",
        "actors/sdf/index.html",
        "about/index.html",
        "404.html",
    ] {
        let html = read(&out, page);
        assert_eq!(
            html.matches(r#"id="search-input""#).count(),
            1,
            "{page} has one search box"
        );
        assert!(
            html.contains(r#"<script src="/repo/assets/search.js" defer></script>"#),
            "{page} loads the script from under /repo/"
        );
        if page != "search/index.html" {
            assert!(
                html.contains(r#"<form class="site-search" role="search" action="/repo/search/">"#),
                "{page} has the header box, a plain form to /repo/search/"
            );
            assert!(html.contains(r#"<label class="visually-hidden" for="search-input">"#));
            assert!(html.contains(r#"name="q""#));
        }
    }
    let script = read(&out, "assets/search.js");
    assert!(script.contains("search-result") && script.contains("search-kind"));
    assert!(!script.contains("http://") && !script.contains("https://"));
}

#[test]
fn the_index_finds_every_kind_of_record() {
    let (_dir, out) = build();
    let meta = json(&out, "search/meta.json");
    assert_eq!(meta["format"], 1);
    // 5 actors, 3 places, 1 page, 2 sources, 3 events.
    assert_eq!(meta["records"], 14);
    let kinds: Vec<&str> = meta["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k[1].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Actor", "Place", "Page", "Source", "Event"]);
    assert!(out.join("search/terms/0.json").is_file());
    assert!(out.join("search/records/0.json").is_file());

    // An actor by its alias and by its short name, with its page's route.
    let (title, _) = lookup(&out, &meta, "qsd").expect("the alias QSD is indexed");
    assert_eq!(title.len(), 1);
    let (kind, row) = record(&out, &meta, title[0]);
    assert_eq!(kind, "Actor");
    assert_eq!(row[0], "actors/sdf/");
    assert_eq!(row[1], "Syrian Democratic Forces");
    assert!(
        found(&out, &meta, "sdf").contains(&("Actor".into(), "Syrian Democratic Forces".into()))
    );

    // A place, a source (by its publisher too), a page and events.
    assert!(found(&out, &meta, "khasham").contains(&("Place".into(), "Khasham".into())));
    let journal = found(&out, &meta, "journal");
    assert!(journal.contains(&(
        "Source".into(),
        "Islamic State continues to battle Assad regime, allies".into()
    )));
    assert!(found(&out, &meta, "about").contains(&("Page".into(), "About this site".into())));
    assert!(found(&out, &meta, "badiya").contains(&(
        "Event".into(),
        "The army declares the Badiya cleared".into()
    )));

    // A cross-link in a summary is indexed by the name it shows; a
    // citation's source id is not indexed at all.
    let (_, text) = lookup(&out, &meta, "democratic").unwrap();
    let in_text: Vec<String> = text
        .iter()
        .map(|&n| record(&out, &meta, n).1[0].clone())
        .collect();
    assert!(
        in_text.contains(&"events/attack-on-sdf-hq/".to_string()),
        "{in_text:?}"
    );
    assert!(lookup(&out, &meta, "lwj").is_none());
    assert!(lookup(&out, &meta, "the").is_none(), "stop words stay out");
}

#[test]
fn every_term_is_in_the_chunk_the_script_looks_in() {
    let (_dir, out) = build();
    let meta = json(&out, "search/meta.json");
    let chunks = meta["chunks"].as_array().unwrap();
    assert!(!chunks.is_empty());
    let mut previous = String::new();
    for (n, first) in chunks.iter().enumerate() {
        let entries = json(&out, &format!("search/terms/{n}.json"));
        let entries = entries.as_array().unwrap();
        assert_eq!(
            entries[0][0], *first,
            "chunk {n} starts with its listed term"
        );
        for entry in entries {
            let term = entry[0].as_str().unwrap().to_string();
            assert!(term > previous, "terms are sorted: {previous} then {term}");
            assert!(
                lookup(&out, &meta, &term).is_some(),
                "{term} is found where the script looks"
            );
            let records = decode(entry[1].as_str().unwrap())
                .into_iter()
                .chain(decode(entry[2].as_str().unwrap()));
            for r in records {
                assert!(r < meta["records"].as_u64().unwrap(), "{term}: record {r}");
            }
            previous = term;
        }
    }
}

#[test]
fn the_index_is_the_same_from_one_build_to_the_next() {
    let (_first_dir, first) = build();
    let (_second_dir, second) = build();
    let listing = |out: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(out.join("search"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let path = e.path().strip_prefix(out).unwrap().to_path_buf();
                (path, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let files = listing(&first);
    assert!(files.len() >= 4, "{files:?}");
    assert!(files == listing(&second), "two builds give the same index");
}
