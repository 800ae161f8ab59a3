//! What the site publishes beside its pages, read back the way others will
//! read it: the Atom feeds with an XML parser, the open data with serde_json
//! and the csv crate, the CSL-JSON against the CSL schema's rules, the
//! BibTeX with a BibTeX parser, the sitemap, robots.txt, the 404 page under
//! a sub-path, and the Open Graph tags of every page.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use common::{build_ok, fixture, links, read, site_copy};
use serde_json::Value;

const BASE: &str = "https://example.github.io/repo/";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Builds the fixture (or `root`) under [`BASE`] into a temporary folder.
fn built(root: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(root, &out, Some(BASE));
    (dir, out)
}

/// The text of the only child element `name` of `node` (in the Atom
/// namespace), failing if there is not exactly one.
fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    let found: Vec<_> = node
        .children()
        .filter(|c| c.has_tag_name((ATOM, name)))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "<{name}> must appear once in <{}>",
        node.tag_name().name()
    );
    found[0].text().unwrap_or("")
}

/// Checks an RFC 3339 timestamp (and returns it parsed).
fn rfc3339(text: &str) -> jiff::Timestamp {
    assert!(
        text.len() == 20 && text.ends_with('Z') && text.as_bytes()[10] == b'T',
        "`{text}` is not an RFC 3339 UTC timestamp"
    );
    text.parse()
        .unwrap_or_else(|e| panic!("`{text}` is not RFC 3339: {e}"))
}

/// An Atom entry as (id, title, updated, alternate href).
type Entry = (String, String, jiff::Timestamp, String);

/// A feed's id, its updated and its entries, after checking the feed's and
/// every entry's required structure.
fn atom(xml: &str) -> (String, jiff::Timestamp, Vec<Entry>) {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    assert!(
        feed.has_tag_name((ATOM, "feed")),
        "the root is Atom's <feed>"
    );
    let id = child_text(feed, "id").to_string();
    assert!(!child_text(feed, "title").is_empty());
    let updated = rfc3339(child_text(feed, "updated"));
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"))
        .expect("a feed links to itself");
    assert!(self_link.attribute("href").unwrap().starts_with(BASE));
    let author = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "author")))
        .expect("a feed has an author (its entries have none)");
    assert!(!child_text(author, "name").is_empty());
    let entries = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|entry| {
            let alternate: Vec<_> = entry
                .children()
                .filter(|c| {
                    c.has_tag_name((ATOM, "link"))
                        && c.attribute("rel").unwrap_or("alternate") == "alternate"
                })
                .collect();
            assert_eq!(alternate.len(), 1, "one alternate link per entry");
            let content = entry
                .children()
                .find(|c| c.has_tag_name((ATOM, "content")))
                .expect("every entry has content");
            assert_eq!(content.attribute("type"), Some("html"));
            (
                child_text(entry, "id").to_string(),
                child_text(entry, "title").to_string(),
                rfc3339(child_text(entry, "updated")),
                alternate[0].attribute("href").unwrap().to_string(),
            )
        })
        .collect();
    (id, updated, entries)
}

#[test]
fn the_feeds_are_atom_1_0_newest_first_with_stable_ids() {
    let site = site_copy(None);
    std::fs::write(
        site.path().join("content/pages/rivals.md"),
        "---\ntitle: Two campaigns & one river\ndescription: An analysis.\nkind: analysis\ndate: 2019-03-05\n---\nThe [[sdf]] advanced [@lwj-2018, para 4].\n",
    )
    .unwrap();
    let (_dir, out) = built(site.path());

    let (id, updated, entries) = atom(&read(&out, "feed.xml"));
    assert_eq!(id, format!("{BASE}feed.xml"));
    let ids: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            format!("{BASE}events/badiya-cleared/"),
            format!("{BASE}events/attack-on-sdf-hq/"),
            format!("{BASE}events/statement-2018/"),
        ],
        "every event, newest first, identified by its page's address"
    );
    for (id, _, _, href) in &entries {
        assert_eq!(id, href);
    }
    assert!(entries.windows(2).all(|w| w[0].2 >= w[1].2));
    assert_eq!(
        entries[1].1,
        "Pro-regime forces attack an SDF headquarters east of the Euphrates"
    );
    assert_eq!(entries[1].2.to_string(), "2018-02-07T00:00:00Z");
    assert_eq!(
        updated.to_string(),
        "2018-06-13T00:00:00Z",
        "the feed's updated is the newest date in the content, not the clock"
    );

    let (pages_id, pages_updated, pages) = atom(&read(&out, "pages.xml"));
    assert_eq!(pages_id, format!("{BASE}pages.xml"));
    assert_eq!(pages.len(), 1, "analysis pages only, not the about page");
    assert_eq!(pages[0].0, format!("{BASE}rivals/"));
    assert_eq!(pages[0].1, "Two campaigns & one river");
    assert_eq!(pages_updated.to_string(), "2019-03-05T00:00:00Z");

    // Ids do not change from one build to the next, wherever it is written.
    let (_again, again) = built(site.path());
    assert_eq!(atom(&read(&again, "feed.xml")).2, entries);

    // A build without an absolute base URL still gives absolute ids.
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("public");
    build_ok(site.path(), &local, Some("/"));
    let doc_text = read(&local, "feed.xml");
    let doc = roxmltree::Document::parse(&doc_text).unwrap();
    for id in doc.descendants().filter(|n| n.has_tag_name((ATOM, "id"))) {
        let id = id.text().unwrap();
        assert!(id.starts_with("urn:dossier:"), "{id}");
    }

    // Every page links both feeds from its head.
    for page in [
        "index.html",
        "events/attack-on-sdf-hq/index.html",
        "data/index.html",
        "404.html",
    ] {
        let html = read(&out, page);
        for feed in ["feed.xml", "pages.xml"] {
            assert!(
                html.contains(&format!(
                    "type=\"application/atom+xml\" title=\"Fixture research site: {}\" href=\"/repo/{feed}\"",
                    if feed == "feed.xml" { "events" } else { "analyses" }
                )),
                "{page} does not link {feed}"
            );
        }
    }
}

/// The fixture's events as written, by id.
fn fixture_events() -> BTreeMap<String, serde_yaml::Value> {
    let folder = fixture("basic").join("content/events/2018");
    let mut events = BTreeMap::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let value: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let records = match value {
            serde_yaml::Value::Sequence(list) => list,
            single => {
                let mut single = single;
                let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
                single["id"] = serde_yaml::Value::String(stem);
                vec![single]
            }
        };
        for record in records {
            let id = record["id"].as_str().unwrap().to_string();
            events.insert(id, record);
        }
    }
    events
}

/// A YAML value as JSON, for comparing what was written with the export.
fn json(yaml: &serde_yaml::Value) -> Value {
    serde_json::to_value(yaml).unwrap()
}

#[test]
fn the_event_exports_round_trip_every_fixture_event() {
    let (_dir, out) = built(&fixture("basic"));
    let written = fixture_events();

    let events: Vec<Value> = serde_json::from_str(&read(&out, "data/events.json")).unwrap();
    let exported: BTreeMap<&str, &Value> = events
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e))
        .collect();
    assert_eq!(
        exported.keys().copied().collect::<BTreeSet<_>>(),
        written.keys().map(String::as_str).collect::<BTreeSet<_>>()
    );
    for (id, record) in &written {
        let event = exported[id.as_str()];
        assert_eq!(event["url"], format!("{BASE}events/{id}/"));
        for field in ["title", "summary", "places", "tags"] {
            assert_eq!(event[field], json(&record[field]), "{id}: {field}");
        }
        assert_eq!(event["type"], json(&record["type"]), "{id}: type");
        let date = match &record["date"] {
            serde_yaml::Value::Number(year) => year.to_string(),
            date => date.as_str().unwrap().to_string(),
        };
        assert_eq!(
            event["date"].as_str().unwrap(),
            date,
            "{id}: the date as written"
        );
        assert_eq!(event["actors"], json(&record["actors"]), "{id}: actors");
        let related = record.get("related").map_or(Value::Array(vec![]), json);
        assert_eq!(event["related"], related, "{id}: related");
        assert_eq!(
            event["sources"].as_array().unwrap().len(),
            record["sources"].as_sequence().unwrap().len()
        );
    }

    let attack = exported["attack-on-sdf-hq"];
    assert_eq!(attack["start"], "2018-02-07");
    assert_eq!(attack["end"], "2018-02-07");
    assert_eq!(attack["display"], "7 February 2018");
    assert_eq!(attack["date_note"], "dated in the article");
    assert_eq!(
        attack["sources"],
        serde_json::json!([{"source": "lwj-2018", "loc": "para 17", "quote": "unprovoked attack"}])
    );
    assert_eq!(
        attack["claims"],
        serde_json::json!([
            {"id": "unprovoked", "by": ["us-led-coalition"], "text": "The attack was unprovoked.",
             "status": "unverified", "cite": [{"source": "lwj-2018", "loc": null, "quote": null}],
             "answers": null, "via": []},
            {"id": null, "by": ["syria"], "text": "Coalition aggression.", "status": "disputed",
             "cite": [{"source": "newsweek-2018", "loc": "para 9", "quote": null}],
             "answers": "unprovoked", "via": []}
        ])
    );
    assert_eq!(
        attack["casualties"][1],
        serde_json::json!({"group": "Russian personnel", "killed": {"low": 200, "best": null, "high": 300},
            "wounded": null, "captured": null, "as_stated": "a few hundred", "by": ["pompeo"],
            "status": "unverified", "cite": [{"source": "lwj-2018", "loc": null, "quote": null}]})
    );
    let statement = exported["statement-2018"];
    assert_eq!(statement["date"], "2018-02~");
    assert_eq!(statement["start"], "2018-02-01");
    assert_eq!(statement["end"], "2018-02-28");
    assert_eq!(statement["display"], "c. February 2018");

    // The CSV: one row per event, ACLED-like columns.
    let csv_text = read(&out, "data/events.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for column in [
        "id",
        "start",
        "end",
        "year",
        "time_precision",
        "event_type",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "location",
        "latitude",
        "longitude",
        "source",
        "notes",
    ] {
        assert!(header.iter().any(|h| h == column), "no `{column}` column");
    }
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), written.len());
    for row in &rows {
        let event = exported[row["id"].as_str()];
        assert_eq!(row["start"], event["start"].as_str().unwrap_or(""));
        assert_eq!(row["end"], event["end"].as_str().unwrap_or(""));
        assert_eq!(row["display"], event["display"].as_str().unwrap());
        assert_eq!(row["date"], event["date"].as_str().unwrap());
        assert_eq!(row["notes"], event["summary"].as_str().unwrap());
    }
    let attack = rows.iter().find(|r| r["id"] == "attack-on-sdf-hq").unwrap();
    assert_eq!(attack["time_precision"], "1");
    assert_eq!(attack["actor1"], "Syrian Arab Republic");
    assert_eq!(attack["actor2"], "Syrian Democratic Forces");
    assert_eq!(
        attack["actors"],
        "syria:perpetrator; sdf:target; us-led-coalition:participant"
    );
    assert_eq!(attack["location"], "Khasham");
    assert_eq!(attack["admin1"], "Deir ez-Zor Province");
    assert_eq!(attack["country"], "Syria");
    assert_eq!(
        (attack["latitude"].as_str(), attack["longitude"].as_str()),
        ("35.33", "40.14")
    );
    assert_eq!(
        attack["geo_precision"], "2",
        "Khasham has no coordinates of its own"
    );
    assert_eq!(attack["source"], "FDD's Long War Journal");
    let statement = rows.iter().find(|r| r["id"] == "statement-2018").unwrap();
    assert_eq!(statement["time_precision"], "3");

    // Actors and places.
    let actors: Vec<Value> = serde_json::from_str(&read(&out, "data/actors.json")).unwrap();
    let sdf = actors.iter().find(|a| a["id"] == "sdf").unwrap();
    assert_eq!(sdf["short"], "SDF");
    assert_eq!(sdf["relations"][0]["type"], "backed-by");
    assert_eq!(sdf["relations"][0]["actor"], "us-led-coalition");
    assert_eq!(sdf["relations"][0]["from"], "2015");
    assert_eq!(actors.len(), 5);
    let places: Vec<Value> = serde_json::from_str(&read(&out, "data/places.json")).unwrap();
    let khasham = places.iter().find(|p| p["id"] == "khasham").unwrap();
    assert_eq!(khasham["within"], "deir-ez-zor-province");
    assert_eq!(khasham["lat"], Value::Null);
    assert_eq!(places.len(), 3);

    // The Data page links every file and documents every field and column.
    let page = read(&out, "data/index.html");
    for file in [
        "events.json",
        "events.csv",
        "actors.json",
        "places.json",
        "sources.json",
        "sources.bib",
    ] {
        assert!(
            page.contains(&format!("href=\"/repo/data/{file}\"")),
            "the Data page does not link {file}"
        );
    }
    let keys = |records: &[Value]| -> BTreeSet<String> {
        records
            .iter()
            .flat_map(|r| r.as_object().unwrap().keys().cloned())
            .collect()
    };
    for key in keys(&events)
        .iter()
        .chain(&keys(&actors))
        .chain(&keys(&places))
        .chain(&header)
    {
        assert!(
            page.contains(&format!("<code>{key}</code>")),
            "the Data page does not document `{key}`"
        );
    }
}

/// Checks one CSL-JSON item against the rules of the CSL schema
/// (citation-style-language/schema, csl-data.json): required keys, the
/// item types, no unknown keys, and the name and date shapes.
fn check_csl_item(item: &Value) {
    const TYPES: &[&str] = &[
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ];
    const STRINGS: &[&str] = &[
        "title",
        "container-title",
        "publisher",
        "genre",
        "URL",
        "language",
        "note",
        "abstract",
    ];
    let item = item.as_object().expect("an item is an object");
    assert!(item["id"].is_string() || item["id"].is_number());
    assert!(
        TYPES.contains(&item["type"].as_str().unwrap()),
        "{:?}",
        item["type"]
    );
    for (key, value) in item {
        match key.as_str() {
            "id" | "type" => {}
            key if STRINGS.contains(&key) => assert!(value.is_string(), "{key} must be a string"),
            "author" => {
                for name in value.as_array().unwrap() {
                    let name = name.as_object().unwrap();
                    assert!(!name.is_empty());
                    for (part, text) in name {
                        assert!(
                            ["family", "given", "literal"].contains(&part.as_str()),
                            "{part}"
                        );
                        assert!(text.is_string());
                    }
                }
            }
            "issued" | "accessed" => {
                let date = value.as_object().unwrap();
                for key in date.keys() {
                    assert!(
                        ["date-parts", "circa", "season", "literal", "raw"].contains(&key.as_str()),
                        "{key}"
                    );
                }
                let parts = date["date-parts"].as_array().unwrap();
                assert!((1..=2).contains(&parts.len()));
                for part in parts {
                    let part = part.as_array().unwrap();
                    assert!((1..=3).contains(&part.len()));
                    assert!(part.iter().all(Value::is_number));
                }
            }
            other => panic!("`{other}` is not a key the CSL schema allows here"),
        }
    }
}

#[test]
fn sources_are_exported_as_csl_json_and_bibtex_and_offered_for_citing() {
    let site = site_copy(None);
    std::fs::write(
        site.path().join("content/sources/tricky.md"),
        "---\ntitle: '50% of {ISIS} & co_op #1 costs $5 ~ ^ \\ \"quoted\"'\npublisher: A&B News_Wire\nauthor: Ann O'Neil and Bob Smith\npublished: 2019-03-02\naccessed: 2020-01\nkind: monitor-report\nurl: https://example.org/a_b?x=1&y=%20\n---\nSummary [@lwj-2018].\n",
    )
    .unwrap();
    let (_dir, out) = built(site.path());

    let items: Vec<Value> = serde_json::from_str(&read(&out, "data/sources.json")).unwrap();
    assert_eq!(items.len(), 3);
    items.iter().for_each(check_csl_item);
    let by_id = |id: &str| items.iter().find(|i| i["id"] == id).unwrap();
    let lwj = by_id("lwj-2018");
    assert_eq!(lwj["type"], "article-magazine");
    assert_eq!(lwj["container-title"], "FDD's Long War Journal");
    assert_eq!(
        lwj["author"],
        serde_json::json!([{"family": "Joscelyn", "given": "Thomas"}])
    );
    assert_eq!(
        lwj["issued"],
        serde_json::json!({"date-parts": [[2018, 5]], "circa": true})
    );
    let newsweek = by_id("newsweek-2018");
    assert_eq!(newsweek["type"], "article-newspaper");
    assert_eq!(
        newsweek["issued"],
        serde_json::json!({"date-parts": [[2018, 6]]}),
        "uncertain is not circa"
    );
    let tricky = by_id("tricky");
    assert_eq!(tricky["type"], "report");
    assert_eq!(tricky["publisher"], "A&B News_Wire");
    assert_eq!(
        tricky["issued"],
        serde_json::json!({"date-parts": [[2019, 3, 2]]})
    );
    assert_eq!(
        tricky["accessed"],
        serde_json::json!({"date-parts": [[2020, 1]]})
    );

    let data_page = read(&out, "data/index.html");
    for key in items.iter().flat_map(|i| i.as_object().unwrap().keys()) {
        assert!(
            data_page.contains(&format!("<code>{key}</code>")),
            "the Data page does not document the CSL key `{key}`"
        );
    }

    let bib_text = read(&out, "data/sources.bib");
    let bib = biblatex::Bibliography::parse(&bib_text)
        .unwrap_or_else(|e| panic!("sources.bib does not parse: {e:?}\n{bib_text}"));
    assert_eq!(bib.len(), 3);
    let lwj = bib.get("lwj-2018").unwrap();
    assert_eq!(lwj.entry_type.to_string().to_lowercase(), "article");
    let author = lwj.author().unwrap();
    assert_eq!(
        (author[0].name.as_str(), author[0].given_name.as_str()),
        ("Joscelyn", "Thomas")
    );
    let tricky = bib.get("tricky").unwrap();
    assert_eq!(tricky.entry_type.to_string().to_lowercase(), "techreport");
    assert_eq!(tricky.author().unwrap().len(), 2);
    assert!(bib_text.contains(
        "title = {{50\\% of \\textbraceleft{}ISIS\\textbraceright{} \\& co\\_op \\#1 costs \\$5 \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \"quoted\"}},"
    ), "{bib_text}");
    assert!(bib_text.contains("institution = {A\\&B News\\_Wire},"));
    assert!(bib_text.contains("url = {https://example.org/a_b?x=1&y=%20},"));
    assert!(bib_text.contains("urldate = {2020-01},"));

    // The source page offers the citation and its BibTeX entry.
    let page = read(&out, "sources/lwj-2018/index.html");
    assert!(page.contains(
        "Joscelyn, Thomas. “Islamic State continues to battle Assad regime, allies.” <i>FDD&#39;s Long War Journal</i>, ca. May 2018."
    ), "no Chicago bibliography entry");
    let pre = page.split("<pre").nth(1).expect("the BibTeX is in a <pre>");
    assert!(pre.contains("@article{lwj-2018,"));
    let tricky_page = read(&out, "sources/tricky/index.html");
    assert!(
        tricky_page.contains(
            "O&#39;Neil, Ann, and Bob Smith. “50% of {ISIS} &amp; co_op #1 costs $5 ~ ^ \\ &quot;quoted&quot;.” A&amp;B News_Wire, March 2, 2019. <a href=\"https://example.org/a_b?x=1&amp;y=%20\">"
        ),
        "the citation is escaped as HTML, not mangled"
    );
}

#[test]
fn the_404_page_links_carry_the_base_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(fixture("basic"))
        .arg("build")
        .arg("--out")
        .arg(&out)
        .args(["--base-url", BASE])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let page = read(&out, "404.html");
    let found = links(&page);
    assert!(found.len() > 10);
    for link in found {
        assert!(
            link.starts_with("/repo/") || link.starts_with(BASE) || link.starts_with('#'),
            "404.html links `{link}` without the base path"
        );
    }
    assert!(page.contains("href=\"/repo/assets/style.css\""));
    assert!(page.contains("<a href=\"/repo/\">the home page</a>"));
    assert!(out.join(".nojekyll").is_file());
    let robots = read(&out, "robots.txt");
    assert!(robots.starts_with("User-agent: *\n"));
    assert!(robots.contains(&format!("\nSitemap: {BASE}sitemap.xml\n")));
}

#[test]
fn the_sitemap_lists_every_page_with_absolute_urls() {
    let (_dir, out) = built(&fixture("basic"));
    let xml = read(&out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, "urlset")));
    let listed: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let mut pages: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| p != "404.html" && p != "events/index.html")
        .map(|p| format!("{BASE}{}", p.strip_suffix("index.html").unwrap_or(&p)))
        .collect();
    pages.sort();
    assert!(pages.len() > 20);
    assert_eq!(
        listed, pages,
        "every page once, sorted, at its absolute URL"
    );
}

#[test]
fn every_page_has_open_graph_and_twitter_card_tags() {
    let (_dir, out) = built(&fixture("basic"));
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let page = entry.path().display();
        let head = html.split("</head>").next().unwrap();
        let meta = |attribute: &str, name: &str| -> String {
            let start = format!("<meta {attribute}=\"{name}\" content=\"");
            let rest = head
                .split(&start)
                .nth(1)
                .unwrap_or_else(|| panic!("{page}: no {name}"));
            rest[..rest.find('"').unwrap()].to_string()
        };
        let canonical = head
            .split("<link rel=\"canonical\" href=\"")
            .nth(1)
            .map(|r| r[..r.find('"').unwrap()].to_string())
            .unwrap();
        assert!(!meta("property", "og:title").is_empty());
        assert!(!meta("property", "og:description").is_empty());
        assert_eq!(meta("property", "og:url"), canonical, "{page}");
        assert!(canonical.starts_with(BASE));
        assert!(["website", "article"].contains(&meta("property", "og:type").as_str()));
        assert_eq!(meta("property", "og:site_name"), "Fixture research site");
        assert_eq!(meta("name", "twitter:card"), "summary");
        checked += 1;
    }
    assert!(checked > 20);
    let event = read(&out, "events/attack-on-sdf-hq/index.html");
    assert!(event.contains("<meta property=\"og:type\" content=\"article\">"));
    let home = read(&out, "index.html");
    assert!(home.contains("<meta property=\"og:type\" content=\"website\">"));
}

/// The events feed carries the newest events only: the whole record is in
/// the data exports, and a feed of every event of a large site would weigh
/// tens of megabytes.
#[test]
fn the_events_feed_is_capped_to_the_newest_entries() {
    let site = common::site_copy(None);
    let events = site.path().join("content/events/many.yaml");
    let mut text = String::new();
    for i in 0..120 {
        text.push_str(&format!(
            "- id: filler-{i}\n  title: Filler {i}\n  date: 2019-01-{:02}\n  type: attack\n  summary: Filler.\n  sources: [lwj-2018]\n",
            1 + i % 28
        ));
    }
    std::fs::write(&events, text).unwrap();
    let out = site.path().join("public");
    common::build_ok(site.path(), &out, None);
    let feed = common::read(&out, "feed.xml");
    assert_eq!(
        feed.matches("<entry>").count() + feed.matches("<entry ").count(),
        dossier::render::feeds::EVENTS_IN_FEED
    );
    assert!(
        !feed.contains("/events/attack-on-sdf-hq/"),
        "the oldest events are left out"
    );
}
