//! Builds the fixture site and checks the pages a reader would see: every
//! route, cross-links both ways, citation numbering, escaping, sub-path
//! links, byte-identical rebuilds and atomic output.

mod common;

use std::path::Path;

use common::{build_ok, fixture, ids, links, read, site_copy};

/// Checks that every internal link of every page points at a file of the
/// output and, for `#fragments`, at an id on that page.
fn assert_links_resolve(out: &Path, base_path: &str) {
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let page = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .display()
            .to_string();
        for link in links(&html) {
            if link.starts_with("http") || link.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
            let path = path.split('?').next().unwrap();
            let target_html = if path.is_empty() {
                html.clone()
            } else {
                assert!(
                    path.starts_with(base_path),
                    "{page}: link {link} does not start with {base_path}"
                );
                let relative = &path[base_path.len()..];
                let file = if relative.is_empty() || relative.ends_with('/') {
                    out.join(relative).join("index.html")
                } else {
                    out.join(relative)
                };
                assert!(file.is_file(), "{page}: link {link} points at nothing");
                if file.extension().is_some_and(|e| e == "html") {
                    std::fs::read_to_string(&file).unwrap()
                } else {
                    String::new()
                }
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                assert!(
                    ids(&target_html).iter().any(|id| id == fragment),
                    "{page}: link {link} has no #{fragment} target"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn every_route_of_the_contract_is_written() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    let built = build_ok(&fixture("basic"), &out, None);
    for path in [
        "index.html",
        "timeline/index.html",
        "timeline/2018/index.html",
        "events/index.html",
        "events/attack-on-sdf-hq/index.html",
        "events/statement-2018/index.html",
        "actors/index.html",
        "actors/sdf/index.html",
        "places/index.html",
        "places/khasham/index.html",
        "sources/index.html",
        "sources/lwj-2018/index.html",
        "tags/index.html",
        "tags/deconfliction/index.html",
        "about/index.html",
        "assets/style.css",
        "assets/syntax.css",
    ] {
        assert!(out.join(path).is_file(), "{path} is missing");
    }
    assert!(built.report.pages >= 20);
    // Every page has a title, a description and a canonical link.
    let html = read(&out, "events/attack-on-sdf-hq/index.html");
    assert!(html.contains("<title>Pro-regime forces attack an SDF headquarters east of the Euphrates · Fixture research site</title>"));
    assert!(html.contains(r#"<meta name="description" content="7 February 2018: Pro-regime forces attacked the sdf ;"#) || html.contains("<meta name=\"description\" content=\"7 February 2018:"));
    assert!(
        html.contains(
            r#"<link rel="canonical" href="https://example.org/events/attack-on-sdf-hq/">"#
        )
    );
}

#[test]
fn internal_links_and_anchors_resolve_at_the_root_and_under_a_sub_path() {
    let out = tempfile::tempdir().unwrap();
    let root_out = out.path().join("root");
    build_ok(&fixture("basic"), &root_out, None);
    assert_links_resolve(&root_out, "/");

    let sub_out = out.path().join("sub");
    build_ok(
        &fixture("basic"),
        &sub_out,
        Some("https://user.github.io/repo/"),
    );
    assert_links_resolve(&sub_out, "/repo/");
    let about = read(&sub_out, "about/index.html");
    assert!(
        about.contains(r#"href="/repo/timeline/""#),
        "a site-relative Markdown link gets the base path"
    );
    assert!(about.contains(r#"href="/repo/assets/style.css""#));
}

#[test]
fn citations_are_numbered_in_reading_order_with_links_both_ways() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    build_ok(&fixture("basic"), &out, None);
    let html = read(&out, "events/attack-on-sdf-hq/index.html");
    // [@lwj-2018, para 17] twice in the summary and in `sources` share note 1;
    // newsweek-2018 without locator is note 2; lwj-2018 without locator is 3.
    assert!(html.contains(r##"<a id="cite-1-1" href="#note-1""##));
    assert!(html.contains(r##"<a id="cite-1-2" href="#note-1""##));
    assert!(html.contains(r##"<a id="cite-2-1" href="#note-2""##));
    assert!(
        html.contains(r##"<a id="cite-1-3" href="#note-1""##),
        "the event's sources reuse note 1"
    );
    assert!(html.contains(r#"<li id="note-1" value="1">"#));
    assert!(
        html.contains(r##"href="#cite-1-3""##),
        "the note links back to every marker"
    );
    let note_1 = &html[html.find(r#"id="note-1""#).unwrap()..html.find(r#"id="note-2""#).unwrap()];
    assert!(
        note_1.contains("para 17") && note_1.contains("unprovoked attack"),
        "{note_1}"
    );
    assert!(note_1.contains(r#"href="/sources/lwj-2018/""#));
}

#[test]
fn entity_pages_show_what_points_at_them() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    build_ok(&fixture("basic"), &out, None);

    let sdf = read(&out, "actors/sdf/index.html");
    assert!(
        sdf.contains(r#"href="/events/attack-on-sdf-hq/""#),
        "the actor lists its events"
    );
    assert!(sdf.contains("backed by") && sdf.contains(r#"href="/actors/us-led-coalition/""#));
    assert!(sdf.contains("QSD"), "aliases are shown");

    let coalition = read(&out, "actors/us-led-coalition/index.html");
    assert!(
        coalition.contains("supports"),
        "the inverse relation shows on the other actor"
    );
    assert!(
        coalition.contains("The attack was unprovoked."),
        "claims made are listed"
    );

    let pompeo = read(&out, "actors/pompeo/index.html");
    assert!(
        pompeo.contains("Russian personnel"),
        "casualty figures given are listed"
    );

    let lwj = read(&out, "sources/lwj-2018/index.html");
    for expected in [
        r#"href="/events/attack-on-sdf-hq/""#,
        r##"href="/events/attack-on-sdf-hq/#claim-1""##,
        r#"href="/actors/sdf/""#,
        r#"href="/about/""#,
        r#"href="/""#,
    ] {
        assert!(lwj.contains(expected), "cited by misses {expected}");
    }

    // Syria contains Deir ez-Zor, which contains Khasham: its events roll up.
    let syria = read(&out, "places/syria/index.html");
    assert!(syria.contains(r#"href="/events/attack-on-sdf-hq/""#));
    assert!(syria.contains(r#"href="/places/deir-ez-zor-province/""#));
}

#[test]
fn long_lists_are_cut_at_the_limit_with_a_link_to_the_filtered_timeline() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    build_ok(&fixture("basic"), &out, None);
    let tag = read(&out, "tags/deconfliction/index.html");
    assert!(
        tag.contains("Showing the newest 2 of 3"),
        "list_limit is 2 in the fixture"
    );
    assert!(tag.contains(r#"href="/timeline/?tag=deconfliction""#));
    // The coalition statement (c. February 2018) starts before the attack
    // of 7 February, so it is the oldest and the one cut.
    assert!(
        !tag.contains(r#"href="/events/statement-2018/""#),
        "the oldest is cut"
    );
    assert!(tag.contains(r#"href="/events/attack-on-sdf-hq/""#));
}

#[test]
fn the_timeline_front_page_lists_the_latest_years_newest_events_up_to_the_limit() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    build_ok(&fixture("basic"), &out, None);
    // The fixture's three events are all of 2018, and its list_limit is 2.
    for page in ["timeline/index.html", "events/index.html"] {
        let timeline = read(&out, page);
        let listed = timeline.matches(r#"class="event-title""#).count();
        assert_eq!(listed, 2, "{page} lists the newest two");
        assert!(
            !timeline.contains(r#"href="/events/statement-2018/""#),
            "{page}: the oldest is left to the year's page"
        );
        assert!(timeline.contains(r#"data-year="2018" data-shown="2""#));
        assert!(timeline.contains(
            r#"Showing the newest 2 of 3 events of 2018. <a href="/timeline/2018/">See all of 2018</a>."#
        ));
    }
    let year = read(&out, "timeline/2018/index.html");
    assert_eq!(year.matches(r#"class="event-title""#).count(), 3);
}

#[test]
fn the_timeline_manifest_points_to_the_lists_of_actors_places_and_tags() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    build_ok(&fixture("basic"), &out, Some("https://example.org/repo/"));
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out, "timeline/facets.json")).unwrap();
    for (list, id, name) in [
        ("actors", "islamic-state", "Islamic State"),
        ("places", "khasham", "Khasham"),
        ("tags", "deconfliction", "deconfliction"),
    ] {
        let entry = &manifest[list];
        let data = entry["data"].as_str().unwrap();
        assert_eq!(data, format!("/repo/timeline/{list}.json"));
        let names: Vec<(String, String)> =
            serde_json::from_str(&read(&out, &format!("timeline/{list}.json"))).unwrap();
        assert_eq!(entry["count"].as_u64(), Some(names.len() as u64));
        assert!(names.contains(&(id.to_string(), name.to_string())));
        // The manifest names none of them itself.
        assert!(!read(&out, "timeline/facets.json").contains(name));
        assert_eq!(
            entry["parts"].as_str(),
            Some(format!("/repo/timeline/{list}-parts-").as_str())
        );
    }
}

#[test]
fn the_timeline_lists_the_parts_holding_the_events_of_each_filter_value() {
    // A second year, whose one event names one actor at one place: the
    // rows come in two parts (2018's, then 2019's).
    let site = site_copy(None);
    let events = site.path().join("content/events/2019");
    std::fs::create_dir_all(&events).unwrap();
    std::fs::write(
        events.join("ambush.yaml"),
        "title: An ambush near Khasham\ndate: 2019-03-02\ntype: attack\n\
         places: [khasham]\ntags: [badiya]\nactors:\n  - { actor: islamic-state, role: perpetrator }\n\
         summary: An ambush [@lwj-2018].\nsources: [lwj-2018]\n",
    )
    .unwrap();
    let out = site.path().join("public");
    build_ok(site.path(), &out, None);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out, "timeline/facets.json")).unwrap();
    let years: Vec<(u64, serde_json::Value)> = manifest["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_u64().unwrap(), y["parts"].clone()))
        .collect();
    assert_eq!(
        years,
        [
            (2018, serde_json::json!([3])),
            (2019, serde_json::json!([1]))
        ],
        "each year's parts by size"
    );
    for file in ["timeline/2018/events-1.json", "timeline/2019/events-1.json"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    // Each record's list of parts, written as the search index writes its
    // postings.
    let held = |list: &str| -> serde_json::Value {
        assert_eq!(manifest[list]["shard"], 100);
        let encoded: Vec<String> =
            serde_json::from_str(&read(&out, &format!("timeline/{list}-parts-1.json"))).unwrap();
        encoded
            .iter()
            .map(|parts| common::decode_postings(parts))
            .collect::<Vec<_>>()
            .into()
    };
    // In the order of the list of names (islamic-state, pompeo, sdf, syria,
    // us-led-coalition): Islamic State acts in both years, the others in
    // 2018 alone, and Pompeo only claims (the filter matches an event's
    // actors).
    assert_eq!(
        held("actors"),
        serde_json::json!([[0, 1], [], [0], [0], [0]])
    );
    // A place's parts include those of the places within it.
    let places: Vec<(String, String)> =
        serde_json::from_str(&read(&out, "timeline/places.json")).unwrap();
    let ids: Vec<&str> = places.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["deir-ez-zor-province", "khasham", "syria"]);
    assert_eq!(held("places"), serde_json::json!([[0, 1], [0, 1], [0, 1]]));
    // And a tag's (badiya, deconfliction).
    assert_eq!(held("tags"), serde_json::json!([[0, 1], [0]]));
    // Types and statuses, whose names the manifest holds: attack in both
    // years, statement in 2018; 2018's claims are unverified or disputed,
    // and the 2019 event has none.
    for (list, names) in [
        (
            "types",
            serde_json::json!([["attack", "Attack"], ["statement", "Statement"]]),
        ),
        (
            "statuses",
            serde_json::json!([
                ["unverified", "unverified"],
                ["disputed", "disputed"],
                ["corroborated", "corroborated"],
                ["confirmed", "confirmed"],
                ["denied", "denied"],
                ["retracted", "retracted"]
            ]),
        ),
    ] {
        assert_eq!(manifest[list]["names"], names, "{list}");
        assert_eq!(
            manifest[list]["parts"],
            format!("/timeline/{list}-parts-"),
            "{list}"
        );
    }
    // Each part's span of dates, for a filter by dates: 2018's from its
    // rows' first and last days, 2019's its one event's day.
    assert_eq!(manifest["dates"], "/timeline/dates.json");
    let spans: Vec<(String, String)> =
        serde_json::from_str(&read(&out, "timeline/dates.json")).unwrap();
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&read(&out, "timeline/2018/events-1.json")).unwrap();
    let day = |row: &serde_json::Value, key: &str| row[key].as_str().unwrap().to_string();
    let first = rows.iter().map(|row| day(row, "s")).min().unwrap();
    let last = rows.iter().map(|row| day(row, "e")).max().unwrap();
    assert!(first.starts_with("2018-") && last.starts_with("2018-") && first < last);
    assert_eq!(
        spans,
        [
            (first, last),
            ("2019-03-02".to_string(), "2019-03-02".to_string())
        ]
    );
    assert_eq!(held("types"), serde_json::json!([[0, 1], [0]]));
    assert_eq!(
        held("statuses"),
        serde_json::json!([[0], [0], [], [], [], []])
    );
}

#[test]
fn content_is_escaped_and_raw_html_is_sanitised() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    build_ok(&fixture("basic"), &out, None);
    let newsweek = read(&out, "sources/newsweek-2018/index.html");
    assert!(newsweek.contains("&lt;Near&gt;"), "titles are escaped");
    assert!(!newsweek.contains("<Near>"));
    let about = read(&out, "about/index.html");
    assert!(!about.contains("<script>alert"), "scripts are removed");
    assert!(!about.contains("onerror"), "event handlers are removed");
    assert!(
        !about.contains("javascript:"),
        "javascript: links are removed"
    );
    assert!(
        about.contains(r#"class="hl-"#) || about.contains("hl-source"),
        "code is highlighted into classes"
    );
    assert!(!about.contains("style=\""), "no inline styles");
}

#[test]
fn two_builds_are_byte_identical() {
    let out = tempfile::tempdir().unwrap();
    let first = dossier::compile(&fixture("basic"), None).unwrap();
    let second = dossier::compile(&fixture("basic"), None).unwrap();
    assert_eq!(first.files, second.files);
    let a = out.path().join("a");
    let b = out.path().join("b");
    build_ok(&fixture("basic"), &a, None);
    build_ok(&fixture("basic"), &b, None);
    for entry in walkdir::WalkDir::new(&a) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&a).unwrap();
            assert_eq!(
                std::fs::read(entry.path()).unwrap(),
                std::fs::read(b.join(relative)).unwrap(),
                "{}",
                relative.display()
            );
        }
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = site_copy(None);
    let out = site.path().join("public");
    build_ok(site.path(), &out, None);
    let before = read(&out, "events/attack-on-sdf-hq/index.html");
    std::fs::write(
        site.path().join("content/events/2018/broken.yaml"),
        "title: [unclosed\n",
    )
    .unwrap();
    let result = dossier::build(site.path(), &out, None);
    assert!(matches!(result, Err(dossier::Failure::Content(_))));
    assert_eq!(read(&out, "events/attack-on-sdf-hq/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary folder is left behind");
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let site = site_copy(None);
    write_template(
        site.path(),
        "tag.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ tag }}</p>{% endblock content %}",
    );
    let out = site.path().join("public");
    build_ok(site.path(), &out, None);
    assert!(
        read(&out, "tags/deconfliction/index.html")
            .contains(r#"<p class="custom">deconfliction</p>"#)
    );
}

/// Writes `text` as the site's own template `name`.
fn write_template(site: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(site.join("templates").join(name), text).unwrap();
}

/// The shipped theme's components, with event entries made by `entry`,
/// or without the `event_entry` component.
fn macros_with_entry(entry: Option<&str>) -> String {
    let macros = std::fs::read_to_string("templates/macros.html").unwrap();
    let (open, close) = (
        "{% component event_entry(e) %}",
        "{% endcomponent event_entry %}",
    );
    let start = macros.find(open).unwrap();
    let end = macros.find(close).unwrap();
    match entry {
        Some(entry) => format!("{}{open}{entry}{}", &macros[..start], &macros[end..]),
        None => format!("{}{}", &macros[..start], &macros[end + close.len()..]),
    }
}

#[test]
fn the_event_entry_component_makes_every_list_of_events() {
    let site = site_copy(None);
    write_template(
        site.path(),
        "macros.html",
        &macros_with_entry(Some(
            r#"<li class="mine">{{ e.title }} ({{ e.date.display }})</li>"#,
        )),
    );
    let out = site.path().join("public");
    build_ok(site.path(), &out, None);
    // A tag's list, a year's, the home page's and an actor's all use it.
    for page in [
        "tags/deconfliction/index.html",
        "timeline/2018/index.html",
        "index.html",
        "actors/islamic-state/index.html",
    ] {
        let html = read(&out, page);
        assert!(html.contains(r#"<li class="mine">"#), "{page}");
        assert!(!html.contains("event-item"), "{page}");
    }
}

#[test]
fn a_broken_event_entry_fails_the_build_at_its_line_and_writes_nothing() {
    let site = site_copy(None);
    let out = site.path().join("public");
    build_ok(site.path(), &out, None);
    let before = read(&out, "tags/deconfliction/index.html");
    let macros = macros_with_entry(Some("\n<li>{{ e.no_such_field }}</li>"));
    write_template(site.path(), "macros.html", &macros);
    let Err(dossier::Failure::Content(problems)) = dossier::build(site.path(), &out, None) else {
        panic!("the build should fail on the broken entry");
    };
    assert_eq!(
        problems.len(),
        1,
        "reported once, not once an event: {problems:?}"
    );
    let line = macros[..macros.find("no_such_field").unwrap()]
        .lines()
        .count();
    assert_eq!(problems[0].file, Path::new("templates/macros.html"));
    assert_eq!(problems[0].line, line);
    assert!(
        problems[0].message.contains("no_such_field"),
        "{problems:?}"
    );
    assert_eq!(read(&out, "tags/deconfliction/index.html"), before);
}

#[test]
fn a_site_macros_file_without_event_entry_is_told_where_to_find_it() {
    let site = site_copy(None);
    write_template(site.path(), "macros.html", &macros_with_entry(None));
    let Err(dossier::Failure::Content(problems)) =
        dossier::build(site.path(), &site.path().join("public"), None)
    else {
        panic!("the build should fail without the component");
    };
    let missing = problems
        .iter()
        .find(|p| p.message.contains("event_entry"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert_eq!(missing.file, Path::new("templates/macros.html"));
    assert!(
        missing
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("copy that component")),
        "{missing:?}"
    );
}

#[test]
fn check_finds_a_broken_link_in_hand_written_markdown_and_writes_nothing() {
    let site = site_copy(None);
    let about = site.path().join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(
        &about,
        format!("{text}\nSee [the missing page](/nowhere/) and [a bad anchor](/about/#nope).\n"),
    )
    .unwrap();
    let Err(dossier::Failure::Content(problems)) = dossier::check(site.path()) else {
        panic!("check should fail on the broken links");
    };
    let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.contains(&"the link `/nowhere/` points at no page or file of the site"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"the link `/about/#nope` points at `#nope`, which is not on that page"),
        "{messages:?}"
    );
    assert!(
        problems
            .iter()
            .all(|d| d.file == Path::new("public/about/index.html"))
    );
    // Each problem shows the page's line that holds the link, with the
    // caret under the link.
    for problem in &problems {
        let link = problem.message.split('`').nth(1).unwrap();
        let line = problem.source_line.as_deref().unwrap_or_default();
        let column = problem.column - 1;
        let at: String = line.chars().skip(column).collect();
        assert!(at.starts_with(link), "{link} at {column} of {line:?}");
        let shown = problem.render_text();
        assert!(shown.contains(line.trim()), "{shown}");
    }
    assert!(!site.path().join("public").exists(), "check writes nothing");
}
