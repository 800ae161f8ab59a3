//! Unit tests of the map: TopoJSON decoding on a tiny hand-made topology,
//! the projection and frames, the plane geometry, and whole maps of small
//! sites written to a temporary folder and run through the real load and
//! resolve stages.

use super::frame::{Frame, Point, Projection, WIDTH};
use super::geometry::{self, Rect};
use super::topojson::{self, Feature};
use super::*;

/// Two arcs making a unit square (quantised, delta-encoded, scaled by
/// 0.5 and 0.25 from 10, 20), used by a polygon and, reversed, by a
/// multipolygon; and a point, which is skipped.
const SQUARE: &str = r#"{
  "type": "Topology",
  "transform": { "scale": [0.5, 0.25], "translate": [10, 20] },
  "arcs": [ [[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4]] ],
  "objects": { "shapes": { "type": "GeometryCollection", "geometries": [
    { "type": "Polygon", "id": "1", "properties": { "name": "Square" }, "arcs": [[0, 1]] },
    { "type": "MultiPolygon", "id": 2, "arcs": [[[-1]]] },
    { "type": "Point", "coordinates": [0, 0] }
  ] } }
}"#;

#[test]
fn decodes_a_quantised_delta_encoded_topology() {
    let (topology, features) = topojson::decode(SQUARE, "shapes").unwrap();
    assert_eq!(
        topology.arcs,
        [
            vec![(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)],
            vec![(11.0, 21.0), (10.0, 21.0), (10.0, 20.0)],
        ]
    );
    assert_eq!(
        features,
        [
            Feature {
                id: "1".to_string(),
                name: "Square".to_string(),
                polygons: vec![vec![vec![0, 1]]],
            },
            Feature {
                id: "2".to_string(),
                name: "2".to_string(),
                polygons: vec![vec![vec![-1]]],
            },
        ]
    );
    // Shared positions are dropped when arcs are joined; `~0` is arc 0
    // reversed.
    assert_eq!(
        topojson::stitch(&topology.arcs, &features[0].polygons[0][0]),
        [
            (10.0, 20.0),
            (11.0, 20.0),
            (11.0, 21.0),
            (10.0, 21.0),
            (10.0, 20.0)
        ]
    );
    assert_eq!(
        topojson::stitch(&topology.arcs, &features[1].polygons[0][0]),
        [(11.0, 21.0), (11.0, 20.0), (10.0, 20.0)]
    );
}

#[test]
fn arcs_without_a_transform_are_absolute() {
    let json = r#"{"type": "Topology", "arcs": [[[1.5, 2], [3, 4.25]]],
        "objects": {"a": {"type": "Polygon", "arcs": [[0]]}}}"#;
    let (topology, features) = topojson::decode(json, "a").unwrap();
    assert_eq!(topology.arcs, [vec![(1.5, 2.0), (3.0, 4.25)]]);
    assert_eq!(features.len(), 1);
}

#[test]
fn broken_topologies_are_errors_not_panics() {
    let bad_arc = SQUARE.replace("\"arcs\": [[0, 1]]", "\"arcs\": [[0, 7]]");
    let error = topojson::decode(&bad_arc, "shapes").unwrap_err();
    assert!(error.contains("arc 7"), "{error}");
    let error = topojson::decode(SQUARE, "countries").unwrap_err();
    assert!(error.contains("no object `countries`"), "{error}");
    let error = topojson::decode(
        r#"{"type": "FeatureCollection", "arcs": [], "objects": {}}"#,
        "a",
    )
    .unwrap_err();
    assert!(error.contains("not `Topology`"), "{error}");
    assert!(topojson::decode("{", "a").is_err());
    let short = SQUARE.replace("[[0, 0], [2, 0]", "[[0], [2, 0]");
    assert!(topojson::decode(&short, "shapes").is_err());
}

#[test]
fn the_shipped_country_outlines_decode() {
    let (topology, countries) = topojson::world().expect("assets/world-atlas decodes");
    assert!(topology.arcs.len() > 1000);
    let syria = countries.iter().find(|c| c.name == "Syria").unwrap();
    assert_eq!(syria.id, "760");
    assert!(countries.len() > 200);
}

fn frame(west: f64, east: f64, south: f64, north: f64) -> Frame {
    Frame {
        west,
        east,
        south,
        north,
    }
}

#[test]
fn the_projection_maps_the_frame_onto_the_drawing() {
    let projection = Projection::new(frame(30.0, 50.0, 20.0, 40.0));
    let k = 30f64.to_radians().cos();
    assert_eq!(projection.width, WIDTH);
    assert_eq!(projection.height, (20.0 * WIDTH / (20.0 * k)).round());
    let near = |a: Point, b: Point| (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9;
    assert!(near(
        projection.project(30.0, 40.0),
        Point { x: 0.0, y: 0.0 }
    ));
    assert!(near(
        projection.project(50.0, 20.0),
        Point {
            x: WIDTH,
            y: 20.0 * WIDTH / (20.0 * k)
        }
    ));
    // A degree of longitude is cos(30°) of a degree of latitude.
    let (a, b, c) = (
        projection.project(40.0, 30.0),
        projection.project(41.0, 30.0),
        projection.project(40.0, 29.0),
    );
    assert!(((b.x - a.x) / (c.y - a.y) - k).abs() < 1e-12);
}

#[test]
fn frames_fit_their_places_with_a_margin_and_a_sane_shape() {
    assert_eq!(Frame::around(&[]), None);
    let one = Frame::around(&[(35.0, 38.0)]).unwrap();
    assert!(one.contains((35.0, 38.0)));
    assert!(one.north - one.south >= 6.0 - 1e-9);
    let points = [(33.3, 36.3), (36.8, 44.4), (34.5, 38.3)];
    let frame = Frame::around(&points).unwrap();
    for &p in &points {
        assert!(frame.contains(p));
        assert!(frame.contains((p.0 + 0.7, p.1 + 0.7)) && frame.contains((p.0 - 0.7, p.1 - 0.7)));
    }
    for f in [
        one,
        frame,
        Frame::around(&[(-80.0, -179.0), (80.0, 179.0)]).unwrap(),
    ] {
        let projection = Projection::new(f);
        let ratio = projection.height / projection.width;
        assert!(
            (0.5..=0.8).contains(&ratio) || f.east - f.west >= 359.0,
            "{f:?}"
        );
        assert!(f.north <= 84.0 && f.south >= -84.0 && f.west >= -180.0 && f.east <= 180.0);
    }
    assert_eq!(frame.key(), Frame::around(&points).unwrap().key());
    assert_ne!(frame.key(), one.key());
}

#[test]
fn far_away_places_do_not_stretch_the_frame() {
    let region = [(35.0, 38.5), (35.9, 39.0), (34.7, 40.8), (33.5, 36.3)];
    let mut all = region.to_vec();
    all.push((51.5, -0.1));
    assert_eq!(frame::core(&all), region);
    assert_eq!(frame::core(&region), region);
    // Two places are both kept, however far apart.
    assert_eq!(frame::core(&all[3..]).len(), 2);
}

fn p(x: f64, y: f64) -> Point {
    Point { x, y }
}

#[test]
fn simplification_keeps_the_ends_and_the_corners() {
    let line = [
        p(0.0, 0.0),
        p(1.0, 0.1),
        p(2.0, 0.0),
        p(2.0, 5.0),
        p(2.1, 6.0),
        p(2.0, 7.0),
    ];
    assert_eq!(
        geometry::simplify(&line, 0.35),
        [p(0.0, 0.0), p(2.0, 0.0), p(2.0, 7.0)]
    );
    assert_eq!(geometry::simplify(&line, 0.05), line);
}

#[test]
fn rings_are_clipped_to_the_rectangle() {
    let square = [p(-5.0, -5.0), p(5.0, -5.0), p(5.0, 5.0), p(-5.0, 5.0)];
    let rect = Rect {
        left: 0.0,
        top: 0.0,
        right: 10.0,
        bottom: 10.0,
    };
    let clipped = geometry::clip(&square, &rect);
    assert!((geometry::area(&clipped) - 25.0).abs() < 1e-9);
    assert!(
        clipped
            .iter()
            .all(|q| (0.0..=5.0).contains(&q.x) && (0.0..=5.0).contains(&q.y))
    );
    let away = [p(20.0, 20.0), p(30.0, 20.0), p(30.0, 30.0)];
    assert!(geometry::clip(&away, &rect).is_empty());
    assert!(geometry::inside(&[square.to_vec()], p(1.0, 1.0)));
    assert!(!geometry::inside(&[square.to_vec()], p(6.0, 1.0)));
}

#[test]
fn paths_are_compact_and_relative() {
    let mut out = String::new();
    assert!(geometry::push_ring(
        &mut out,
        &[p(10.0, 20.04), p(12.5, 20.0), p(12.5, 19.5), p(10.0, 20.0)]
    ));
    assert_eq!(out, "M10 20l2.5 0 0-.5z");
    let mut none = String::new();
    assert!(!geometry::push_ring(
        &mut none,
        &[p(1.0, 1.0), p(1.01, 1.0), p(3.0, 3.0)]
    ));
    assert!(none.is_empty());
}

/// Writes a site published under `/repo/`: places (one with markup in its
/// name, one without coordinates, one far away in London), two actors and
/// events at them; then loads and resolves it.
fn small() -> crate::model::Site {
    site(
        "- { id: syria, name: Syria, kind: country, lat: 35.0, lon: 38.5 }\n\
         - { id: raqqa, name: \"Raqqa <b>&\\\"x\\\"</b>\", kind: city, within: syria, lat: 35.95, lon: 39.01 }\n\
         - { id: hajin, name: Hajin, kind: town, within: raqqa, lat: 34.69, lon: 40.83 }\n\
         - { id: nowhere, name: Nowhere, within: syria }\n\
         - { id: london, name: London, kind: city, lat: 51.5, lon: -0.12 }\n",
        "- { id: e1, title: One, date: 2018-01-01, type: attack, places: [raqqa], actors: [{ actor: a }], summary: S, sources: [s] }\n\
         - { id: e2, title: Two, date: 2018-01-02, type: attack, places: [raqqa, hajin], actors: [{ actor: a }], summary: S, sources: [s] }\n\
         - { id: e3, title: Three, date: 2018-01-03, type: attack, places: [london], actors: [{ actor: b }], summary: S, sources: [s] }\n\
         - { id: e4, title: Four, date: 2018-01-04, type: attack, places: [nowhere, syria], actors: [{ actor: a }], summary: S, sources: [s] }\n\
         - { id: e5, title: Five, date: 2018-01-05, type: attack, places: [hajin], actors: [{ actor: a }], summary: S, sources: [s] }\n",
    )
}

fn site(places: &str, events: &str) -> crate::model::Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "site.yaml",
        "title: Test\nbase_url: https://example.org/repo/\nevent_types: [attack]\n",
    );
    write("content/sources/s.md", "---\ntitle: S\npublisher: P\n---\n");
    write("content/actors/a.md", "---\nname: Actor A\n---\n");
    write("content/actors/b.md", "---\nname: Actor B\n---\n");
    write("content/places/places.yaml", places);
    write("content/events/events.yaml", events);
    let (loaded, problems) = crate::load::load(root).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let (site, problems) = crate::resolve::resolve(&loaded, &crate::resolve::Options::default());
    site.unwrap_or_else(|| panic!("{problems:?}"))
}

/// The `<a …>` opening tags of the markers of a map.
fn marker_tags(svg: &str) -> Vec<&str> {
    svg.split("<a class=\"map-place")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(""))
        .collect()
}

#[test]
fn every_marker_is_a_titled_link_with_the_base_path_and_names_are_escaped() {
    let site = small();
    let r = Renderer::new(&site);
    let view = overview(&r);
    let svg = view.svg.as_deref().unwrap();
    let tags = marker_tags(svg);
    assert_eq!(tags.len(), 4, "{svg}");
    for (tag, piece) in tags.iter().zip(svg.split("<a class=\"map-place").skip(1)) {
        assert!(tag.contains(" href=\"/repo/places/"), "{tag}");
        assert!(piece[tag.len()..].starts_with("><title>"), "{piece}");
    }
    assert!(svg.contains("<image href=\"/repo/map/base.svg\""));
    assert!(svg.contains(
        "Raqqa &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;: 2 events here, 3 with the places within"
    ));
    assert!(!svg.contains("<b>"));
    // London is far away: a pointer at the edge, still a link.
    assert!(svg.contains("<a class=\"map-place map-edge\" href=\"/repo/places/london/\"><title>London: 1 event (outside this map, to the north-west)</title><path"));
    assert_eq!(view.outside, 1);
    let names: Vec<&str> = view.places.iter().map(|p| p.link.name).collect();
    assert_eq!(names, ["Hajin", "London", "Raqqa <b>&\"x\"</b>", "Syria"]);
    let unlocated: Vec<&str> = view.unlocated.iter().map(|l| l.name).collect();
    assert_eq!(unlocated, ["Nowhere"]);
}

#[test]
fn the_same_site_gives_the_same_bytes() {
    let (a, b) = (small(), small());
    let (ra, rb) = (Renderer::new(&a), Renderer::new(&b));
    assert_eq!(overview(&ra).svg, overview(&rb).svg);
    assert_eq!(files(&ra), files(&rb));
    for p in 0..a.places.len() {
        assert_eq!(place(&ra, p).map(|v| v.svg), place(&rb, p).map(|v| v.svg));
    }
}

#[test]
fn a_place_page_highlights_the_place_and_dims_its_containers() {
    let site = small();
    let r = Renderer::new(&site);
    let raqqa = site.ids.places["raqqa"];
    let view = place(&r, raqqa).unwrap();
    let svg = view.svg.unwrap();
    assert!(svg.contains("<a class=\"map-place map-point map-current\" href=\"/repo/places/raqqa/\" aria-current=\"page\">"));
    assert!(svg.contains("<a class=\"map-place map-area map-dim\" href=\"/repo/places/syria/\">"));
    assert!(svg.contains("<a class=\"map-place map-point\" href=\"/repo/places/hajin/\">"));
    assert_eq!(marker_tags(&svg).len(), 3);
    let roles: Vec<(&str, Option<&str>)> =
        view.places.iter().map(|p| (p.link.name, p.role)).collect();
    assert_eq!(
        roles,
        [
            ("Hajin", Some("within it")),
            ("Raqqa <b>&\"x\"</b>", Some("this place")),
            ("Syria", Some("containing it")),
        ]
    );
    // No coordinates, nothing within: no map.
    assert!(place(&r, site.ids.places["nowhere"]).is_none());
}

#[test]
fn an_actor_page_maps_the_places_of_its_events() {
    let site = small();
    let r = Renderer::new(&site);
    let view = actor(&r, site.ids.actors["a"]).unwrap();
    let details: Vec<(&str, &str)> = view
        .places
        .iter()
        .map(|p| (p.link.name, p.detail.as_str()))
        .collect();
    assert_eq!(
        details,
        [
            ("Hajin", "2 events"),
            ("Raqqa <b>&\"x\"</b>", "2 events"),
            ("Syria", "1 event")
        ]
    );
    assert_eq!(
        view.unlocated.iter().map(|l| l.name).collect::<Vec<_>>(),
        ["Nowhere"]
    );
    assert!(
        view.svg
            .unwrap()
            .contains("<title>Hajin: 2 events involving Actor A</title>")
    );
}

#[test]
fn pages_whose_places_lie_outside_the_frame_get_their_own() {
    let site = small();
    let r = Renderer::new(&site);
    let svg = actor(&r, site.ids.actors["b"]).unwrap().svg.unwrap();
    let href = svg
        .split("<image href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(
        href.starts_with("/repo/map/base-") && href.ends_with(".svg"),
        "{href}"
    );
    assert!(!svg.contains("map-edge"), "London is inside its own frame");
    let written: Vec<String> = files(&r)
        .iter()
        .map(|f| format!("/repo/{}", f.path.display()))
        .collect();
    assert!(written.contains(&href.to_string()), "{written:?}");
    assert!(written.contains(&"/repo/map/base.svg".to_string()));
    assert_eq!(
        written.len(),
        2,
        "London's place page shares the actor's frame"
    );
}

#[test]
fn the_base_map_draws_the_countries_of_the_region_small() {
    let site = small();
    let r = Renderer::new(&site);
    let base = &files(&r)[0];
    let svg = String::from_utf8(base.bytes.clone()).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(
        svg.contains(">SYRIA</text>") && svg.contains(">IRAQ</text>"),
        "{svg}"
    );
    assert!(svg.contains("<path class=\"land focus\" d=\"M"));
    assert!(svg.len() < 40_000, "{} bytes", svg.len());
}

#[test]
fn a_site_without_coordinates_has_no_map() {
    let site = site(
        "- { id: here, name: Here }\n",
        "- { id: e1, title: One, date: 2018, type: attack, places: [here], actors: [{ actor: a }], summary: S, sources: [s] }\n",
    );
    let r = Renderer::new(&site);
    assert!(!r.map().exists());
    assert!(!super::exists(&site));
    assert!(files(&r).is_empty());
    assert!(place(&r, 0).is_none());
    assert!(actor(&r, site.ids.actors["a"]).is_none());
    let view = overview(&r);
    assert!(view.svg.is_none());
    assert_eq!(
        view.unlocated.iter().map(|l| l.name).collect::<Vec<_>>(),
        ["Here"]
    );
    assert!(r.site_view.nav.iter().all(|item| item.section != "map"));
}
