//! Unit tests of the network drawings, on small sites written to a
//! temporary folder and run through the real load and resolve stages.

use std::fmt::Write as _;
use std::path::Path;

use super::*;
use crate::model::Site;

/// Writes `actors` (file stem, front matter) and a site.yaml published
/// under `/repo/`, then loads and resolves them.
fn site(actors: &[(String, String)]) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("site.yaml"),
        "title: Test\nbase_url: https://example.org/repo/\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/actors")).unwrap();
    for (id, front) in actors {
        std::fs::write(
            root.join("content/actors").join(format!("{id}.md")),
            format!("---\n{front}\n---\n"),
        )
        .unwrap();
    }
    resolved(root)
}

fn resolved(root: &Path) -> Site {
    let (loaded, problems) = crate::load::load(root).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let (site, problems) = crate::resolve::resolve(&loaded, &crate::resolve::Options::default());
    site.unwrap_or_else(|| panic!("{problems:?}"))
}

fn actor(id: &str, front: &str) -> (String, String) {
    (id.to_string(), front.to_string())
}

/// Four actors: `sdf` backed by the coalition from 2015 and opposing IS,
/// IS named `<script>`, and `lonely` with no relation.
fn small() -> Site {
    site(&[
        actor(
            "sdf",
            "name: Syrian Democratic Forces\nshort: SDF\nrelations:\n  \
             - { type: backed-by, actor: coalition, from: 2015 }\n  \
             - { type: opposes, actor: islamic-state, from: 2014-06, to: 2019-03 }",
        ),
        actor("coalition", "name: US-led coalition\nkind: coalition"),
        actor("islamic-state", "name: \"<script>alert(1)</script>\""),
        actor("lonely", "name: Lonely"),
    ])
}

fn routes(site: &Site) -> Routes {
    Routes::new(&site.config.base_url, &site.config.base_path)
}

/// The `<path class="net-edge …">` elements of a drawing.
fn edges(svg: &str) -> Vec<&str> {
    svg.lines()
        .filter(|l| l.starts_with("<path class=\"net-edge "))
        .collect()
}

/// The `href`s of the nodes of a drawing.
fn node_links(svg: &str) -> Vec<&str> {
    svg.lines()
        .filter(|l| l.starts_with("<a class=\"net-node"))
        .filter_map(|l| l.split("href=\"").nth(1)?.split('"').next())
        .collect()
}

#[test]
fn the_same_site_gives_the_same_svg() {
    let a = small();
    let b = small();
    let (ra, rb) = (routes(&a), routes(&b));
    assert_eq!(
        overview(&a, &ra).unwrap().svg,
        overview(&b, &rb).unwrap().svg
    );
    let sdf = a.ids.actors["sdf"];
    assert_eq!(
        ego(&a, &ra, sdf).unwrap().svg,
        ego(&b, &rb, sdf).unwrap().svg
    );
}

#[test]
fn only_directed_relations_get_arrowheads() {
    let types = [
        ("backed-by", true),
        ("supports", true),
        ("allied-with", false),
        ("opposes", false),
        ("part-of", true),
        ("leads", true),
        ("member-of", true),
        ("affiliated-with", false),
    ];
    let mut hub = String::from("name: Hub\nrelations:\n");
    let mut actors = Vec::new();
    for (i, (kind, _)) in types.iter().enumerate() {
        hub.push_str(&format!("  - {{ type: {kind}, actor: a{i} }}\n"));
        actors.push(actor(&format!("a{i}"), &format!("name: A{i}")));
    }
    actors.push(actor("hub", hub.trim_end()));
    let site = site(&actors);
    let routes = routes(&site);
    for svg in [
        overview(&site, &routes).unwrap().svg,
        ego(&site, &routes, site.ids.actors["hub"]).unwrap().svg,
    ] {
        let drawn = edges(&svg);
        assert_eq!(drawn.len(), types.len(), "{svg}");
        for (kind, directed) in types {
            let edge = drawn
                .iter()
                .find(|e| e.contains(&format!("class=\"net-edge rel-{kind}\"")))
                .unwrap_or_else(|| panic!("no {kind} edge: {svg}"));
            let marker = format!("marker-end=\"url(#network-arrow-{kind})\"");
            assert_eq!(edge.contains("marker-end="), directed, "{edge}");
            assert_eq!(edge.contains(&marker), directed, "{edge}");
            assert_eq!(
                svg.contains(&format!("<marker id=\"network-arrow-{kind}\"")),
                directed,
                "{kind}"
            );
        }
    }
}

#[test]
fn every_node_is_a_link_under_the_base_path() {
    let site = small();
    let view = overview(&site, &routes(&site)).unwrap();
    let mut links = node_links(&view.svg);
    links.sort_unstable();
    assert_eq!(
        links,
        [
            "/repo/actors/coalition/",
            "/repo/actors/islamic-state/",
            "/repo/actors/sdf/"
        ]
    );
    assert_eq!((view.shown, view.total, view.capped), (3, 3, false));
    let sdf = site.ids.actors["sdf"];
    let own = ego(&site, &routes(&site), sdf).unwrap();
    assert_eq!(node_links(&own.svg).len(), 3);
    assert!(
        own.svg
            .contains("aria-current=\"page\" href=\"/repo/actors/sdf/\"")
            || own
                .svg
                .contains("href=\"/repo/actors/sdf/\" aria-current=\"page\"")
    );
}

#[test]
fn names_are_escaped() {
    let site = small();
    let svg = overview(&site, &routes(&site)).unwrap().svg;
    assert!(!svg.contains("<script"), "{svg}");
    assert!(
        svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{svg}"
    );
}

#[test]
fn edges_are_labelled_with_type_and_dates() {
    let site = small();
    let sdf = site.ids.actors["sdf"];
    let svg = ego(&site, &routes(&site), sdf).unwrap().svg;
    assert!(svg.contains(">backed by, from 2015</text>"), "{svg}");
    assert!(
        svg.contains(">opposes, June 2014 – March 2019</text>"),
        "{svg}"
    );
    assert!(
        svg.contains(
            "<title>Syrian Democratic Forces backed by US-led coalition, from 2015</title>"
        ),
        "{svg}"
    );
}

#[test]
fn an_actor_without_relations_has_no_graph() {
    let site = small();
    let lonely = site.ids.actors["lonely"];
    assert!(ego(&site, &routes(&site), lonely).is_none());
    let none = site_with_no_relations();
    assert!(overview(&none, &routes(&none)).is_none());
}

fn site_with_no_relations() -> Site {
    site(&[actor("a", "name: A")])
}

#[test]
fn the_legend_lists_the_types_drawn_in_model_order() {
    let site = small();
    let legend = overview(&site, &routes(&site)).unwrap().legend;
    let ids: Vec<(&str, bool)> = legend.iter().map(|l| (l.id, l.directed)).collect();
    assert_eq!(ids, [("backed-by", true), ("opposes", false)]);
}

#[test]
fn large_networks_are_capped() {
    // A hub related to 199 actors, and the first 60 of those paired up.
    let mut actors = Vec::new();
    let mut hub = String::from("name: Hub\nrelations:\n");
    for i in 0..199 {
        let _ = writeln!(hub, "  - {{ type: supports, actor: a{i} }}");
        let front = if i < 60 && i % 2 == 0 {
            format!(
                "name: Actor {i}\nrelations:\n  - {{ type: allied-with, actor: a{} }}",
                i + 1
            )
        } else {
            format!("name: Actor {i}")
        };
        actors.push(actor(&format!("a{i}"), &front));
    }
    actors.push(actor("hub", hub.trim_end()));
    let site = site(&actors);
    let routes = routes(&site);
    let started = std::time::Instant::now();
    let view = overview(&site, &routes).unwrap();
    assert_eq!(
        (view.shown, view.total, view.capped),
        (OVERVIEW_CAP, 200, true)
    );
    assert_eq!(node_links(&view.svg).len(), OVERVIEW_CAP);
    // The most connected are kept: the hub and the paired actors.
    assert!(view.svg.contains("href=\"/repo/actors/hub/\""));
    assert!(view.svg.contains("href=\"/repo/actors/a59/\""));
    // The network page's table lists what is drawn: the 149 drawn actors'
    // relations with the hub and the 30 pairs, not the hub's other 50.
    let drawn = node_links(&view.svg);
    let listed = overview_relations(&site);
    assert_eq!(listed.len(), 149 + 30);
    for x in listed {
        let relation = &site.relations[x];
        for a in [relation.subject, relation.object] {
            let href = format!("/repo/actors/{}/", site.actors[a].id);
            assert!(drawn.contains(&href.as_str()), "{href} is drawn");
        }
    }
    let own = ego(&site, &routes, site.ids.actors["hub"]).unwrap();
    assert_eq!((own.shown, own.total, own.capped), (EGO_CAP, 199, true));
    assert_eq!(node_links(&own.svg).len(), EGO_CAP + 1);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn rows_read_from_the_viewpoint_actor() {
    let site = small();
    let r = crate::render::Renderer::new(&site);
    let coalition = site.ids.actors["coalition"];
    let mut notes = Notes::new();
    let own = rows(
        &r,
        &site.indexes.relations_by_actor[coalition],
        Some(coalition),
        &mut notes,
    );
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].subject.name, "US-led coalition");
    assert_eq!(own[0].label, "supports");
    assert_eq!(own[0].other.href, "/repo/actors/sdf/");
    let all = rows(&r, &all_relations(&site), None, &mut notes);
    let labels: Vec<&str> = all.iter().map(|row| row.label).collect();
    assert_eq!(labels, ["backed by", "opposes"]);
}

#[test]
fn a_short_label_leads_the_node_name() {
    let site = small();
    let svg = overview(&site, &routes(&site)).unwrap().svg;
    assert!(
        svg.contains("<title>SDF (Syrian Democratic Forces)</title>"),
        "speech users can say the label they see: {svg}"
    );
    assert!(svg.contains("<title>US-led coalition</title>"), "{svg}");
}
