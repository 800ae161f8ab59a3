//! Long lists: the list of actors and the bibliography show at most 500
//! entries a page and go on at `/actors/page/2/`, `/sources/page/2/` and
//! so on. Every record is listed once, in the list's order; the pages
//! link to each other and name what each holds; a list that shrinks
//! takes its pages with it.

mod common;

use std::path::{Path, PathBuf};

use common::{build_ok, ids, links, read, site_copy};
use tempfile::TempDir;

/// Writes `count` sources from four publishers, none cited.
fn add_sources(root: &Path, count: usize) {
    let folder = root.join("content/sources");
    for i in 0..count {
        let text = format!(
            "---\ntitle: Extra report {i:04}\npublisher: Press {}\npublished: 2019-{:02}\n---\n",
            ["Alpha", "beta", "Gamma", "Delta"][i % 4],
            i % 12 + 1,
        );
        std::fs::write(folder.join(format!("extra-{i:04}.md")), text).unwrap();
    }
}

/// Writes `count` actors, the first half people and the rest media.
fn add_actors(root: &Path, count: usize) {
    let folder = root.join("content/actors");
    for i in 0..count {
        let kind = if i < count / 2 { "person" } else { "media" };
        let text = format!("---\nname: Extra actor {i:04}\nkind: {kind}\n---\n");
        std::fs::write(folder.join(format!("extra-{i:04}.md")), text).unwrap();
    }
}

/// A copy of the `basic` fixture with `add` applied to its root, built:
/// the copy (kept while it is used) and the output folder.
fn built(add: impl FnOnce(&Path)) -> (TempDir, PathBuf) {
    let site = site_copy(None);
    add(site.path());
    let out = site.path().join("public");
    build_ok(site.path(), &out, None);
    (site, out)
}

/// The ids of the records of `kind` (`sources`) a page links to, in order,
/// without repeats next to each other.
fn listed(html: &str, kind: &str) -> Vec<String> {
    let prefix = format!("/{kind}/");
    let mut ids: Vec<String> = links(html)
        .into_iter()
        .filter_map(|href| {
            let id = href.strip_prefix(&prefix)?.strip_suffix('/')?;
            (!id.is_empty() && !id.contains('/')).then(|| id.to_string())
        })
        .collect();
    ids.dedup();
    ids
}

/// The text of the element `<tag …>` that follows `marker` in `html`.
fn text_after(html: &str, marker: &str, tag: &str) -> String {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[at..];
    let end = rest
        .find(&format!("</{tag}>"))
        .unwrap_or_else(|| panic!("no </{tag}>"));
    rest[..end].to_string()
}

#[test]
fn a_long_bibliography_goes_on_at_numbered_pages() {
    // Kept while the test reads the output.
    let (_site, out) = built(|root| add_sources(root, 1_200));

    // 1,202 sources: 500, 500 and 202.
    let pages = ["sources/", "sources/page/2/", "sources/page/3/"];
    assert!(!out.join("sources/page/4").exists());
    assert!(!out.join("sources/page/1").exists(), "page 1 is /sources/");
    let mut all = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let html = read(&out, &format!("{page}index.html"));
        let here = listed(&html, "sources");
        assert_eq!(here.len(), [500, 500, 202][n], "{page}");
        all.extend(here);

        // The title says which page it is; the pager links every page and
        // marks this one; the steps lead to the pages beside it.
        let title = text_after(&html, "<h1", "h1");
        if n == 0 {
            assert!(title.ends_with(">Sources"), "{title}");
        } else {
            assert!(title.ends_with(&format!("Sources, page {} of 3", n + 1)));
        }
        let pager = text_after(&html, "aria-label=\"Pages of the list\"", "nav");
        let targets: Vec<String> = links(&pager);
        assert_eq!(
            targets,
            ["/sources/", "/sources/page/2/", "/sources/page/3/"],
            "{page}"
        );
        assert!(pager.contains(&format!(
            "href=\"/{page}\" aria-current=\"page\">Page {}</a>",
            n + 1
        )));
        let steps = links(&text_after(
            &html,
            "aria-label=\"Pages before and after\"",
            "nav",
        ));
        let mut expected = Vec::new();
        if n > 0 {
            expected.push(format!("/{}", pages[n - 1]));
        }
        if n < 2 {
            expected.push(format!("/{}", pages[n + 1]));
        }
        assert_eq!(steps, expected, "{page}");
        assert!(html.contains(&format!(
            "Entries {}–{} of 1202.",
            n * 500 + 1,
            (n * 500 + 500).min(1202)
        )));
    }

    // Each source once, in the bibliography's order: by publisher (case
    // aside), then date.
    assert_eq!(all.len(), 1202);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 1202, "a source is listed twice");
    let first = read(&out, "sources/index.html");
    let last = read(&out, "sources/page/3/index.html");
    let at = |id: &str| all.iter().position(|listed| listed == id).unwrap();
    // Alpha, beta, Delta, Gamma: "Press beta" sorts as "Press Beta".
    assert!(at("extra-0000") < at("extra-0001"));
    assert!(at("extra-0001") < at("extra-0003"));
    assert!(at("extra-0003") < at("extra-0002"));
    assert!(at("extra-0000") < at("extra-0004"), "then by date");
    // The pager names each page's first and last publishers.
    assert!(first.contains("<span class=\"count\">Press beta – Press Gamma</span>"));
    assert!(last.contains("<span class=\"count\">Press Gamma – Press Gamma</span>"));

    // The sitemap lists the pages, as every page of the site.
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sources/page/3/</loc>"));
}

#[test]
fn the_kinds_link_to_where_their_list_begins() {
    let (_site, out) = built(|root| add_actors(root, 1_000));

    // By kind in the content model's order: the fixture's state, armed
    // groups and coalition (4), then 500 media (from entry 5), then 501
    // people (500 and the fixture's one, from entry 505, on page 2).
    let first = read(&out, "actors/index.html");
    let second = read(&out, "actors/page/2/index.html");
    let third = read(&out, "actors/page/3/index.html");
    let kinds = text_after(&first, "aria-label=\"Kinds\"", "nav");
    assert!(kinds.contains("<a href=\"#media\">Media</a> <span class=\"count\">500<"));
    assert!(
        kinds.contains("<a href=\"/actors/page/2/#person\">People</a> <span class=\"count\">501<")
    );
    // Each page's table of kinds is the whole list's.
    let kinds_later = text_after(&third, "aria-label=\"Kinds\"", "nav");
    assert!(kinds_later.contains("<a href=\"/actors/#media\">Media</a>"));
    assert!(kinds_later.contains("<a href=\"/actors/page/2/#person\">People</a>"));
    // Each page heads the groups it shows.
    let has = |html: &str, id: &str| ids(html).iter().any(|i| i == id);
    assert!(has(&first, "media") && !has(&first, "person"));
    assert!(has(&second, "media") && has(&second, "person"));
    assert!(!has(&third, "media") && has(&third, "person"));

    let counts: Vec<usize> = [&first, &second, &third]
        .iter()
        .map(|html| listed(html, "actors").len())
        .collect();
    assert_eq!(counts, [500, 500, 5]);
    // By name within a kind, case aside: "Mike Pompeo" after "Extra
    // actor 0499".
    assert_eq!(
        listed(&third, "actors"),
        [
            "extra-0496",
            "extra-0497",
            "extra-0498",
            "extra-0499",
            "pompeo"
        ]
    );
}

#[test]
fn a_list_that_shrinks_takes_its_pages_with_it() {
    let (site, out) = built(|root| add_sources(root, 1_200));
    let root = site.path();
    assert!(out.join("sources/page/3/index.html").exists());

    for i in 0..1_000 {
        std::fs::remove_file(root.join(format!("content/sources/extra-{i:04}.md"))).unwrap();
    }
    build_ok(root, &out, None);
    assert!(
        !out.join("sources/page").exists(),
        "202 sources take one page"
    );
    let html = read(&out, "sources/index.html");
    assert_eq!(listed(&html, "sources").len(), 202);
    assert!(!html.contains("Pages of the list"), "one page has no pager");
    assert!(!read(&out, "sitemap.xml").contains("/page/"));
}

#[test]
fn a_record_called_page_keeps_its_page_beside_the_lists() {
    let (site, out) = built(|root| {
        add_sources(root, 600);
        std::fs::write(
            root.join("content/sources/page.md"),
            "---\ntitle: A report whose id is page\npublisher: Zzz Press\n---\n",
        )
        .unwrap();
    });
    let record = read(&out, "sources/page/index.html");
    assert!(
        record.contains("<h1>A report whose id is page</h1>"),
        "{record}"
    );
    let second = read(&out, "sources/page/2/index.html");
    assert!(second.contains("Sources, page 2 of 2"));
    assert_eq!(listed(&second, "sources").last().unwrap(), "page");
    // Every link and anchor of every page leads somewhere.
    assert!(
        dossier::check(site.path()).is_ok(),
        "a broken link or anchor"
    );
}
