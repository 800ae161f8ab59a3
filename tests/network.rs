//! The actor network: builds the fixture with the real binary under a
//! sub-path and checks what a reader sees at `/network/` and on actor
//! pages: the drawn graph with a link on every actor, arrowheads on
//! directed relations, the legend, and the same data as a table.

mod common;

use std::path::Path;

use common::{fixture, read};

/// Builds the basic fixture into `out` with the binary, under `/repo/`.
fn build(out: &Path) {
    common::build_with_binary(&fixture("basic"), out, "https://example.org/repo/");
}

/// The `<svg class="network" …>…</svg>` of a page, if it has one.
fn graph(html: &str) -> Option<&str> {
    let start = html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"network\"")?;
    let end = html[start..].find("</svg>")? + start + "</svg>".len();
    Some(&html[start..end])
}

/// The `<table class="relations-table">…</table>` of a page, if it has one.
fn table(html: &str) -> Option<&str> {
    let start = html.find("<table class=\"relations-table\">")?;
    let end = html[start..].find("</table>")? + start;
    Some(&html[start..end])
}

/// The hrefs of the nodes (the `<a class="net-node…">` links) of a graph.
fn node_links(svg: &str) -> Vec<String> {
    let mut links: Vec<String> = svg
        .split("<a class=\"net-node")
        .skip(1)
        .filter_map(|node| {
            let rest = node.split("href=\"").nth(1)?;
            Some(rest.split('"').next()?.to_string())
        })
        .collect();
    links.sort();
    links
}

#[test]
fn the_network_page_draws_every_related_actor_and_lists_every_relation() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&out);
    let html = read(&out, "network/index.html");
    assert!(
        html.contains("<a href=\"/repo/network/\" aria-current=\"page\">Network</a>"),
        "the main menu links the page and marks it current"
    );
    let svg = graph(&html).expect("the page has the graph");
    assert!(svg.contains("role=\"group\" aria-labelledby=\"network-title\""));
    assert!(svg.contains("<title id=\"network-title\">"));
    assert_eq!(
        node_links(svg),
        [
            "/repo/actors/islamic-state/",
            "/repo/actors/sdf/",
            "/repo/actors/us-led-coalition/",
        ],
        "every related actor is a node linking to its page; Pompeo and Syria have no relation"
    );
    let backed = svg
        .lines()
        .find(|l| l.contains("class=\"net-edge rel-backed-by\""))
        .expect("the backed-by edge");
    assert!(backed.contains("marker-end=\"url(#network-arrow-backed-by)\""));
    let opposes = svg
        .lines()
        .find(|l| l.contains("class=\"net-edge rel-opposes\""))
        .expect("the opposes edge");
    assert!(!opposes.contains("marker-end"), "opposes has no direction");
    assert!(svg.contains(">backed by, from 2015</text>"), "{svg}");
    assert!(html.contains("<ul class=\"net-legend\""));
    for sheet in html
        .split("<link rel=\"stylesheet\" href=\"/repo/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
    {
        assert!(
            out.join(sheet).is_file(),
            "the graph's stylesheet {sheet} is in the output"
        );
    }

    let table = table(&html).expect("the page has the table");
    assert!(table.contains("<th scope=\"col\">Actor</th><th scope=\"col\">Relation</th><th scope=\"col\">Other actor</th><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Note</th><th scope=\"col\">Sources</th>"));
    assert_eq!(
        table.matches("<tr>").count(),
        3,
        "a header and two relations"
    );
    assert!(table.contains("<time datetime=\"2015-01-01\">2015</time>"));
    assert!(table.contains("href=\"/repo/actors/us-led-coalition/\""));
}

#[test]
fn an_actor_page_draws_its_own_network_above_its_relations_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&out);
    let html = read(&out, "actors/sdf/index.html");
    let svg = graph(&html).expect("the SDF page has a graph");
    assert_eq!(
        node_links(svg),
        [
            "/repo/actors/islamic-state/",
            "/repo/actors/sdf/",
            "/repo/actors/us-led-coalition/",
        ]
    );
    assert!(
        svg.contains("aria-current=\"page\""),
        "the actor itself is marked"
    );
    let table = table(&html).expect("the SDF page has the relations table");
    assert!(html.find("class=\"network\"") < html.find("<table class=\"relations-table\">"));
    assert!(table.contains(
        "<th scope=\"col\">Relation</th><th scope=\"col\">Actor</th><th scope=\"col\">From</th>"
    ));
    assert!(table.contains(">backed by</span>"));
    assert!(
        table.contains("<sup class=\"cite\">"),
        "the relation cites its source: {table}"
    );

    // The other side reads the inverse label and draws the same edge.
    let coalition = read(&out, "actors/us-led-coalition/index.html");
    assert!(table_of(&coalition).contains(">supports</span>"));
    assert!(node_links(graph(&coalition).unwrap()).contains(&"/repo/actors/sdf/".to_string()));

    // No relations: no graph and no table.
    let pompeo = read(&out, "actors/pompeo/index.html");
    assert!(graph(&pompeo).is_none());
    assert!(!pompeo.contains("relations-table"));
    assert!(!pompeo.contains("net-legend"));
}

#[test]
fn the_network_page_lists_no_more_relations_than_the_list_limit() {
    let dir = common::site_copy(None);
    let yaml = read(dir.path(), "site.yaml").replace("list_limit: 2", "list_limit: 1");
    std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    let out = dir.path().join("public");
    common::build_with_binary(dir.path(), &out, "https://example.org/repo/");
    let html = read(&out, "network/index.html");
    assert!(
        html.contains("<h2 id=\"relations-heading\">Relations in the graph (1 of 2)</h2>"),
        "the heading says the table is cut"
    );
    assert!(
        html.contains("<a href=\"/repo/data/actors.json\">actors.json</a> holds every one"),
        "the reader is sent to the export for the rest"
    );
    assert_eq!(
        table_of(&html).matches("<tr>").count(),
        2,
        "a header and one relation"
    );
    // An actor's own page still lists all of its relations.
    let sdf = read(&out, "actors/sdf/index.html");
    assert_eq!(table_of(&sdf).matches("<tr>").count(), 3);
}

fn table_of(html: &str) -> &str {
    table(html).expect("a relations table")
}

#[test]
fn the_network_is_the_same_on_every_build() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(&a);
    build(&b);
    for page in ["network/index.html", "actors/sdf/index.html"] {
        assert_eq!(read(&a, page), read(&b, page), "{page}");
    }
}
