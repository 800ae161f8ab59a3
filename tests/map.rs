//! The event map: builds the fixture with the real binary under a sub-path
//! and checks what a reader gets at `/map/`, on a place page and on an
//! actor page: an inline SVG over the base map file, every marker a link
//! carrying the base path, a plain list of the places, and no map where
//! there is nothing to draw.

mod common;

use std::path::Path;

use common::{fixture, read, site_copy};

/// Builds `root` into `out` with the binary, under `/repo/`.
fn build(root: &Path, out: &Path) {
    common::build_with_binary(root, out, "https://example.org/repo/");
}

/// The `<svg … class="map" …>…</svg>` of a page, if it has one.
fn map(html: &str) -> Option<&str> {
    let start = html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\"")?;
    let end = html[start..].find("</svg>")? + start + "</svg>".len();
    Some(&html[start..end])
}

/// The markers of a map: (classes, href, title).
fn markers(svg: &str) -> Vec<(String, String, String)> {
    svg.split("<a class=\"map-place")
        .skip(1)
        .map(|rest| {
            let class = rest.split('"').next().unwrap().trim().to_string();
            let href = rest
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let title = rest
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap_or_else(|| panic!("a marker without a title: {rest}"));
            (class, href.to_string(), title.to_string())
        })
        .collect()
}

/// The map's own part of a page: the figure and the list of places.
fn map_part(html: &str) -> &str {
    let start = html
        .find("<figure class=\"map-figure\">")
        .unwrap_or(html.len());
    let end = html[start..]
        .find("</details>")
        .map_or(html.len(), |end| start + end);
    &html[start..end]
}

/// Every site link of the map's part of a page (`/repo/…`) names a file of
/// the output.
fn assert_links_resolve(out: &Path, html: &str) {
    let links = common::links(map_part(html));
    assert!(links.len() > 2, "the map links to its places and base map");
    for link in links {
        let path = link
            .strip_prefix("/repo/")
            .unwrap_or_else(|| panic!("{link} lacks the base path"));
        let path = path.split(['#', '?']).next().unwrap();
        let file = if path.is_empty() || path.ends_with('/') {
            out.join(path).join("index.html")
        } else {
            out.join(path)
        };
        assert!(file.is_file(), "{link} leads nowhere");
    }
}

#[test]
fn the_map_page_draws_every_place_with_coordinates() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("basic"), out.path());
    let html = read(out.path(), "map/index.html");
    let svg = map(&html).expect("/map/ has a map");
    assert!(svg.contains("<image href=\"/repo/map/base.svg\""), "{svg}");
    assert_eq!(
        markers(svg),
        [
            (
                "map-area".to_string(),
                "/repo/places/deir-ez-zor-province/".to_string(),
                "Deir ez-Zor Province: 1 event here, 2 with the places within".to_string()
            ),
            (
                "map-area".to_string(),
                "/repo/places/syria/".to_string(),
                "Syria: 1 event here, 3 with the places within".to_string()
            ),
        ]
    );
    // The accessible alternative lists them, and the place without
    // coordinates.
    let list = &html[html.find("<details class=\"map-list\" open>").unwrap()..];
    assert!(list.contains("<a href=\"/repo/places/syria/\">Syria</a>"));
    assert!(
        list.contains("for want of coordinates: <a href=\"/repo/places/khasham/\">Khasham</a>")
    );
    assert!(html.contains("<a href=\"/repo/map/\" aria-current=\"page\">Map</a>"));
    assert!(!svg.contains("<script"));
    assert_links_resolve(out.path(), &html);

    let base = read(out.path(), "map/base.svg");
    assert!(base.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(base.contains(">SYRIA</text>"));
    assert!(base.len() < 40_000, "the base map is {} bytes", base.len());
}

#[test]
fn a_place_page_marks_the_place_and_an_actor_page_the_places_of_its_events() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("basic"), out.path());

    let html = read(out.path(), "places/deir-ez-zor-province/index.html");
    let svg = map(&html).expect("the province has a map");
    let drawn: Vec<(String, String)> = markers(svg).into_iter().map(|m| (m.0, m.1)).collect();
    assert_eq!(
        drawn,
        [
            (
                "map-area map-dim".to_string(),
                "/repo/places/syria/".to_string()
            ),
            (
                "map-area map-current".to_string(),
                "/repo/places/deir-ez-zor-province/".to_string()
            ),
        ]
    );
    assert!(svg.contains("aria-current=\"page\""));
    assert!(
        html.contains("for want of coordinates: <a href=\"/repo/places/khasham/\">Khasham</a>")
    );
    assert!(html.len() < 60_000);
    assert_links_resolve(out.path(), &html);

    // Khasham has no coordinates and nothing within it: no map.
    assert!(map(&read(out.path(), "places/khasham/index.html")).is_none());

    // The state's events are at Khasham (not drawn) and the province.
    let html = read(out.path(), "actors/syria/index.html");
    let svg = map(&html).expect("the state has a map");
    let titles: Vec<String> = markers(svg).into_iter().map(|m| m.2).collect();
    assert_eq!(
        titles,
        ["Deir ez-Zor Province: 1 event involving Syrian Arab Republic"]
    );
    assert!(html.contains("Where its events happened"));
    assert!(html.len() < 60_000);
    assert_links_resolve(out.path(), &html);

    // The SDF's only event is at Khasham: nothing to draw.
    assert!(map(&read(out.path(), "actors/sdf/index.html")).is_none());
}

#[test]
fn a_site_without_coordinates_gets_no_map_and_no_broken_page() {
    let site = site_copy(None);
    std::fs::write(
        site.path().join("content/places/places.yaml"),
        "- { id: syria, name: Syria, kind: country }\n\
         - { id: deir-ez-zor-province, name: Deir ez-Zor Province, within: syria }\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    assert!(!out.path().join("map/base.svg").exists());
    let html = read(out.path(), "map/index.html");
    assert!(map(&html).is_none());
    assert!(html.contains("No place has coordinates yet"));
    assert!(html.contains("The places: <a href=\"/repo/places/deir-ez-zor-province/\">"));
    let home = read(out.path(), "index.html");
    assert!(!home.contains("href=\"/repo/map/\""), "no menu entry");
    assert!(map(&read(out.path(), "places/syria/index.html")).is_none());
}
