//! The theme's stylesheets: `style.css`, which every page loads, stays under
//! the performance budget, and the page-specific sheets (the map, the search
//! page, the timeline's filters) are linked by exactly the pages that show
//! what they style.

mod common;

use std::path::{Path, PathBuf};

/// The most `assets/style.css` may weigh (GitHub issue 6).
const STYLE_BUDGET: u64 = 20_000;

/// Builds the `basic` fixture with the binary into `out`.
fn build_fixture(out: &Path) {
    common::build_with_binary(&common::fixture("basic"), out, "/");
}

/// Every HTML page of a built site, with its path inside the site.
fn pages(out: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.expect("a readable output folder"))
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "html"))
        .map(|entry| {
            let html = std::fs::read_to_string(entry.path()).expect("a readable page");
            let path = entry.path().strip_prefix(out).unwrap().to_path_buf();
            (path, html)
        })
        .collect()
}

/// The `href` of every stylesheet a page links, in order.
fn stylesheets(html: &str) -> Vec<&str> {
    html.split("<link ")
        .skip(1)
        .filter(|tag| tag.starts_with(r#"rel="stylesheet""#))
        .filter_map(|tag| tag.split(r#"href=""#).nth(1)?.split('"').next())
        .collect()
}

#[test]
fn the_stylesheet_every_page_loads_is_under_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    build_fixture(dir.path());
    let size = std::fs::metadata(dir.path().join("assets/style.css"))
        .expect("assets/style.css is written")
        .len();
    assert!(
        size < STYLE_BUDGET,
        "assets/style.css is {size} bytes; the budget is under {STYLE_BUDGET}"
    );
    for (path, html) in pages(dir.path()) {
        let sheets = stylesheets(&html);
        assert_eq!(
            sheets.first(),
            Some(&"/assets/style.css"),
            "{} does not load style.css first",
            path.display()
        );
        assert!(
            html.contains(r#"<link rel="stylesheet" href="/assets/print.css" media="print">"#),
            "{} has no print stylesheet",
            path.display()
        );
        for sheet in sheets {
            let file = dir.path().join(sheet.trim_start_matches('/'));
            assert!(
                file.is_file(),
                "{} links {sheet}, which was not written",
                path.display()
            );
        }
    }
}

#[test]
fn page_specific_stylesheets_are_linked_by_exactly_the_pages_that_need_them() {
    let dir = tempfile::tempdir().unwrap();
    build_fixture(dir.path());
    // (stylesheet, the markup it styles)
    let features = [
        ("/assets/map.css", r#"class="map-figure""#),
        ("/assets/search.css", r#"class="search-page""#),
        ("/assets/timeline.css", r#"id="timeline-app""#),
        ("/assets/syntax.css", r#"class="hl-code"#),
    ];
    for (sheet, marker) in features {
        let (mut with, mut without) = (0, 0);
        for (path, html) in pages(dir.path()) {
            let shows = html.contains(marker);
            let links = stylesheets(&html).contains(&sheet);
            assert_eq!(
                links,
                shows,
                "{} {} {marker} but {} {sheet}",
                path.display(),
                if shows { "has" } else { "has no" },
                if links { "links" } else { "does not link" },
            );
            if shows { with += 1 } else { without += 1 }
        }
        assert!(
            with > 0 && without > 0,
            "{sheet}: the fixture should have pages with ({with}) and without ({without}) {marker}"
        );
    }
}
