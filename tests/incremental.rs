//! `serve`'s rebuilds after an edit render only the pages the edit touches
//! (`dossier::session`); whatever they render, the output must be exactly
//! what a full build of the edited site makes. Each edit to a copy of the
//! shipped site is rebuilt by one long-lived session and compared, file by
//! file, with a fresh build.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dossier::session::Session;

const BASE: &str = "http://127.0.0.1:9/";

/// A copy of the shipped site (content, templates, static files).
fn shipped_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["content", "templates", "static"] {
        common::copy_tree(&repo.join(folder), &dir.path().join(folder));
    }
    std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    dir
}

/// A session serving `root` into a new temporary folder (returned, to
/// keep), and the path of its output.
fn served(root: &Path) -> (Session, PathBuf, tempfile::TempDir) {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("site");
    (Session::new(root, &out, BASE), out, folder)
}

/// Asserts that the session's output is what a full build makes now, and
/// that the session's last rebuild warned as a full build does.
fn assert_same_as_full_build(root: &Path, out: &Path, what: &str) {
    let (mut session, full, _folder) = served(root);
    let built = session
        .rebuild(&BTreeSet::new())
        .unwrap_or_else(|_| panic!("{what}: the full build failed"));
    let warned = LAST_WARNINGS.with(|w| w.borrow().clone());
    assert_eq!(
        warned, built.report.warnings,
        "{what}: the rebuild's warnings differ from a full build's"
    );
    let (served, built) = (common::snapshot(out), common::snapshot(&full));
    let only_served: Vec<&PathBuf> = served.keys().filter(|p| !built.contains_key(*p)).collect();
    let only_built: Vec<&PathBuf> = built.keys().filter(|p| !served.contains_key(*p)).collect();
    assert!(
        only_served.is_empty() && only_built.is_empty(),
        "{what}: only in the served output: {only_served:?}; only in a full build: {only_built:?}"
    );
    let differing: Vec<&PathBuf> = served
        .iter()
        .filter(|(path, bytes)| built[*path] != **bytes)
        .map(|(path, _)| path)
        .collect();
    assert!(
        differing.is_empty(),
        "{what}: these files differ from a full build: {differing:?}"
    );
}

/// Replaces `from` with `to` in the file at `path` under `root`.
fn edit(root: &Path, path: &str, from: &str, to: &str) -> PathBuf {
    let file = root.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{path} does not contain {from:?}");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    file
}

thread_local! {
    /// The warnings of the last rebuild of this test's session.
    static LAST_WARNINGS: std::cell::RefCell<Vec<dossier::diagnostics::Diagnostic>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Rebuilds after `changed`, then brings the whole-site files up to date;
/// returns how many pages the rebuild rendered.
fn rebuild(session: &mut Session, changed: &[PathBuf], what: &str) -> usize {
    let changed: BTreeSet<PathBuf> = changed.iter().cloned().collect();
    let built = match session.rebuild(&changed) {
        Ok(built) => built,
        Err(dossier::Failure::Content(diagnostics)) => {
            let text: String = diagnostics.iter().map(|d| d.render_text()).collect();
            panic!("{what}: the rebuild failed:\n{text}");
        }
        Err(dossier::Failure::Environment(message)) => panic!("{what}: {message}"),
    };
    session
        .settle()
        .unwrap_or_else(|_| panic!("{what}: settling failed"));
    LAST_WARNINGS.with(|w| *w.borrow_mut() = built.report.warnings.clone());
    built.report.pages
}

const HAJIN: &str = "content/events/2018/french-artillery-shelling-near-hajin.yaml";
const IRAQ: &str = "content/events/2017/isis-loses-iraq-territory.yaml";

#[test]
fn edits_rebuild_only_what_they_touch_and_match_a_full_build() {
    let site = shipped_site();
    let root = site.path();
    let (mut session, out, _folder) = served(root);
    let all = rebuild(&mut session, &[], "first build");
    assert!(all > 200, "the shipped site has {all} pages");

    // Text-only edits: a handful of pages.
    let text_edits: [(&str, &str, &str, &str); 5] = [
        (
            "a title in the latest year (the timeline's front page)",
            "content/events/2024/desert-attack-kills-15-pro-government-fighters.yaml",
            "title: An ISIS attack",
            "title: An Islamic State attack",
        ),
        (
            "a summary",
            HAJIN,
            "grow over the previous week",
            "grow markedly over the previous week",
        ),
        (
            "a title other pages link to",
            IRAQ,
            "title: ",
            "title: Edited, ",
        ),
        (
            "a claim's text",
            HAJIN,
            "with increasing intensity",
            "with ever greater intensity",
        ),
        (
            "a date within its year",
            "content/events/2019/isis-loses-last-syrian-territory.yaml",
            "date: 2019\n",
            "date: 2019-03\n",
        ),
    ];
    for (what, path, from, to) in text_edits {
        let changed = edit(root, path, from, to);
        let pages = rebuild(&mut session, &[changed], what);
        assert!(
            pages > 0 && pages < all / 5,
            "{what}: rendered {pages} of {all} pages"
        );
        assert_same_as_full_build(root, &out, what);
    }

    // Edits that move the event between lists: a part of the site still.
    let moves: [(&str, &str, &str, &str); 12] = [
        (
            "a claim's status",
            HAJIN,
            "status: unverified",
            "status: disputed",
        ),
        (
            "an actor added",
            HAJIN,
            "  - { actor: sohr, role: claimant }\n",
            "  - { actor: sohr, role: claimant }\n  - { actor: syrian-arab-army, role: target }\n",
        ),
        (
            "that actor removed again",
            HAJIN,
            "  - { actor: syrian-arab-army, role: target }\n",
            "",
        ),
        (
            "a source added",
            HAJIN,
            "sources:\n",
            "sources:\n  - source: newsweek-2018-06-isis-near-total-defeat\n",
        ),
        (
            "that source dropped again",
            HAJIN,
            "sources:\n  - source: newsweek-2018-06-isis-near-total-defeat\n",
            "sources:\n",
        ),
        ("a new tag", HAJIN, "tags: [", "tags: [shelling, "),
        ("that tag gone again", HAJIN, "tags: [shelling, ", "tags: ["),
        (
            "a place in another province",
            HAJIN,
            "places: [hajin, deir-ez-zor-province]",
            "places: [al-bab]",
        ),
        (
            "a date in another year",
            HAJIN,
            "date: \"[2018-07..2018-12]\"",
            "date: 2016-05-02",
        ),
        // 2021 has no other event: its year comes, between 2019's and
        // 2022's, then goes again.
        (
            "a date in a year of its own",
            HAJIN,
            "date: 2016-05-02",
            "date: 2021-03-01",
        ),
        (
            "back to a year with others",
            HAJIN,
            "date: 2021-03-01",
            "date: 2016-05-02",
        ),
        (
            "a related event dropped",
            HAJIN,
            "related: [sdf-launches-hajin-offensive]",
            "related: []",
        ),
    ];
    for (what, path, from, to) in moves {
        let changed = edit(root, path, from, to);
        let pages = rebuild(&mut session, &[changed], what);
        assert!(pages < all / 2, "{what}: rendered {pages} of {all} pages");
        assert_same_as_full_build(root, &out, what);
    }
    assert!(
        !out.join("tags/shelling").exists(),
        "a tag page outlived its tag"
    );

    // The only reference to a place dropped: a warning, then none again.
    let redeploy = "content/events/2018/sdf-fighters-redeploy-against-turkey.yaml";
    for (what, from, to) in [
        (
            "a place left unreferenced",
            "places: [eastern-syria, northwestern-syria]",
            "places: [eastern-syria]",
        ),
        (
            "that place referenced again",
            "places: [eastern-syria]",
            "places: [eastern-syria, northwestern-syria]",
        ),
    ] {
        let changed = edit(root, redeploy, from, to);
        rebuild(&mut session, &[changed], what);
        assert_same_as_full_build(root, &out, what);
    }

    // A body alone shows only on its own page.
    for (what, path) in [
        ("an actor's profile", "content/actors/sohr.md"),
        (
            "a source's summary",
            "content/sources/medialine-2018-hajin-last-bastion.md",
        ),
        ("a page's text", "content/pages/badiya-insurgency.md"),
        ("the home page's text", "content/index.md"),
    ] {
        let file = root.join(path);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("{text}\nA sentence added at the end.\n")).unwrap();
        let pages = rebuild(&mut session, &[file], what);
        assert_eq!(pages, 1, "{what}");
        assert_same_as_full_build(root, &out, what);
    }

    // A description shows on its own page, and an actor's on the list of
    // actors, a page's on the home page.
    for (what, path, from, pages) in [
        (
            "an actor's description",
            "content/actors/afp.md",
            "French",
            2,
        ),
        (
            "a place's description",
            "content/places/hajin.yaml",
            "Town",
            1,
        ),
        (
            "a page's description",
            "content/pages/badiya-insurgency.md",
            "From the predictions",
            2,
        ),
    ] {
        let changed = edit(root, path, from, &format!("Edited. {from}"));
        assert_eq!(rebuild(&mut session, &[changed], what), pages, "{what}");
        assert_same_as_full_build(root, &out, what);
    }

    // Edits beyond events: everything.
    let wider: [(&str, &str, &str, &str); 2] = [
        (
            "a place's name",
            "content/places/hajin.yaml",
            "name: ",
            "name: Edited ",
        ),
        (
            "the site's title",
            "site.yaml",
            "title: \"",
            "title: \"Edited ",
        ),
    ];
    for (what, path, from, to) in wider {
        let changed = edit(root, path, from, to);
        let pages = rebuild(&mut session, &[changed], what);
        assert_eq!(pages, all, "{what}");
        assert_same_as_full_build(root, &out, what);
    }
}

#[test]
fn files_added_removed_or_broken_are_followed() {
    let site = shipped_site();
    let root = site.path();
    let (mut session, out, _folder) = served(root);
    rebuild(&mut session, &[], "first build");

    // An editor saving through a temporary file reports both paths.
    let temporary = root.join("content/events/2018/.hajin.yaml.swp");
    let saved = edit(root, HAJIN, "grow over", "grow steadily over");
    let pages = rebuild(
        &mut session,
        &[temporary, saved],
        "a save via a temporary file",
    );
    assert!(pages < 50, "a one-event save rendered {pages} pages");
    assert_same_as_full_build(root, &out, "a save via a temporary file");

    // A broken edit fails and leaves the output; fixing it catches up.
    let broken = edit(root, HAJIN, "type: attack", "type: [attack");
    assert_fails_leaving_the_output(&mut session, &out, &broken, "a broken event");
    edit(root, HAJIN, "type: [attack", "type: attack");
    let fixed = edit(root, HAJIN, "title: ", "title: Fixed, ");
    rebuild(&mut session, &[fixed], "the fix");
    assert_same_as_full_build(root, &out, "the fix");

    // A folder of events moved, then removed: the watcher reports only
    // the folder.
    let (year, moved) = (
        root.join("content/events/2014"),
        root.join("content/events/2014-moved"),
    );
    std::fs::rename(&year, &moved).unwrap();
    rebuild(
        &mut session,
        &[year.clone(), moved.clone()],
        "a folder moved",
    );
    assert_same_as_full_build(root, &out, "a folder moved");
    // Removed, its events go, and the links to them break.
    std::fs::remove_dir_all(&moved).unwrap();
    let removed = session.rebuild(&BTreeSet::from([moved.clone()]));
    assert!(
        matches!(removed, Err(dossier::Failure::Content(_))),
        "the events of a removed folder are still there"
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_tree(&repo.join("content/events/2014"), &year);
    rebuild(&mut session, &[year], "a folder put back");
    assert_same_as_full_build(root, &out, "a folder put back");

    // A new event, then one removed: the pages that show it, those of what
    // it names, the indexes, its year and the places of its place's tree;
    // not every page.
    let all = rebuild(&mut session, &[], "every page");
    let new = root.join("content/events/2018/a-new-event.yaml");
    let text = std::fs::read_to_string(root.join(HAJIN)).unwrap();
    std::fs::write(&new, text.replace("title: ", "title: Another ")).unwrap();
    let pages = rebuild(&mut session, std::slice::from_ref(&new), "a new event");
    assert_same_as_full_build(root, &out, "a new event");
    assert!(out.join("events/a-new-event/index.html").is_file());
    assert!(
        (1..all / 2).contains(&pages),
        "a new event rendered {pages} of {all} pages"
    );
    std::fs::remove_file(&new).unwrap();
    let pages = rebuild(&mut session, &[new], "an event removed");
    assert_same_as_full_build(root, &out, "an event removed");
    assert!(!out.join("events/a-new-event").exists());
    assert!(
        (1..all / 2).contains(&pages),
        "removing an event rendered {pages} of {all} pages"
    );

    // The first event of a new latest year: the year's page comes, and
    // goes with it; the year before links to it and then no more.
    let latest = root.join("content/events/2025/the-latest.yaml");
    std::fs::create_dir_all(latest.parent().unwrap()).unwrap();
    let dated = text.replace("\"[2018-07..2018-12]\"", "2025-01-02");
    std::fs::write(&latest, dated).unwrap();
    rebuild(&mut session, std::slice::from_ref(&latest), "a new year");
    assert_same_as_full_build(root, &out, "a new year");
    assert!(out.join("timeline/2025/index.html").is_file());
    std::fs::remove_file(&latest).unwrap();
    rebuild(&mut session, &[latest], "a year gone");
    assert_same_as_full_build(root, &out, "a year gone");
    assert!(!out.join("timeline/2025").exists());

    // A new event file that does not parse fails the rebuild and leaves
    // the output; fixed, it joins the site; a new file dossier does not
    // read only warns.
    let broken = root.join("content/events/2018/broken.yaml");
    std::fs::write(&broken, text.replace("type: attack", "type: [attack")).unwrap();
    assert_fails_leaving_the_output(&mut session, &out, &broken, "a broken new event");
    std::fs::write(&broken, text.replace("title: ", "title: Mended, ")).unwrap();
    rebuild(
        &mut session,
        std::slice::from_ref(&broken),
        "a new event mended",
    );
    assert_same_as_full_build(root, &out, "a new event mended");
    // The output removed by hand: the next save builds it whole again.
    std::fs::remove_dir_all(&out).unwrap();
    let saved = edit(root, HAJIN, "title: ", "title: Again, ");
    rebuild(
        &mut session,
        &[saved],
        "a save after the output was removed",
    );
    assert_same_as_full_build(root, &out, "a save after the output was removed");
    let notes = root.join("content/notes.txt");
    std::fs::write(&notes, "to do").unwrap();
    rebuild(&mut session, &[notes], "a file dossier does not read");
    assert_same_as_full_build(root, &out, "a file dossier does not read");
}

/// Asserts that a rebuild after `changed` fails with content problems and
/// leaves the output at `out` as it was.
fn assert_fails_leaving_the_output(session: &mut Session, out: &Path, changed: &Path, what: &str) {
    let before = common::snapshot(out);
    let failed = session.rebuild(&BTreeSet::from([changed.to_path_buf()]));
    assert!(
        matches!(failed, Err(dossier::Failure::Content(_))),
        "{what} built"
    );
    assert!(
        common::snapshot(out) == before,
        "{what}: a failed rebuild changed the output"
    );
}

/// Loads and resolves the site at `root`.
fn resolved(
    root: &Path,
) -> (
    dossier::load::Loaded,
    dossier::model::Site,
    dossier::resolve::Refs,
) {
    let (loaded, problems) = dossier::load::load(root).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let options = dossier::resolve::Options::default();
    let mut scans = dossier::resolve::Scans::default();
    let (resolved, _) = dossier::resolve::resolve_kept(&loaded, &options, &mut scans);
    let (site, refs) = resolved.expect("the shipped site resolves");
    (loaded, site, refs)
}

#[test]
fn an_event_is_patched_in_place_only_when_that_is_what_a_full_resolve_makes() {
    let copy = shipped_site();
    let root = copy.path();
    let (mut loaded, mut site, mut refs) = resolved(root);
    let scans = dossier::resolve::Scans::default();
    // Each edit, and whether the event can be replaced in place.
    let edits: [(&str, &str, &str, bool); 11] = [
        ("grow over", "grow steadily over", "a summary", true),
        ("title: ", "title: Edited, ", "a title", true),
        (
            "status: unverified",
            "status: disputed",
            "a claim's status",
            true,
        ),
        (
            "date: \"[2018-07..2018-12]\"",
            "date: 2014-01-01",
            "a date that moves it in date order",
            false,
        ),
        (
            "  - { actor: sohr, role: claimant }\n",
            "  - { actor: sohr, role: claimant }\n  - { actor: syrian-arab-army, role: target }\n",
            "an actor added",
            true,
        ),
        (
            "related: [",
            "related: [isis-loses-iraq-territory, ",
            "a related event added",
            true,
        ),
        ("tags: [", "tags: [shelling, ", "a new tag", true),
        (
            "places: [hajin, ",
            "places: [al-bab, ",
            "another place",
            true,
        ),
        (
            "sources:\n",
            "sources:\n  - source: newsweek-2018-06-isis-near-total-defeat\n",
            "a source added",
            true,
        ),
        (
            "  - { actor: us-led-coalition, role: participant }\n",
            "",
            "an actor removed",
            true,
        ),
        (
            "para 11\n    quote: \"",
            "para 11\n    quote: \"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six ",
            "a quote over 25 words (a warning)",
            false,
        ),
    ];
    for (from, to, what, in_place) in edits {
        edit(root, HAJIN, from, to);
        let reloaded = dossier::load::reload(&mut loaded, root, Path::new(HAJIN))
            .unwrap_or_else(|| panic!("{what}: the file could not be read again alone"));
        let [dossier::load::EventChange::Replaced(at, before)] = &reloaded.events[..] else {
            panic!("{what}: not one event replaced");
        };
        let unpatched = site.clone();
        let after = &loaded.events[*at];
        let patched = dossier::resolve::patch(&mut site, &mut refs, &loaded, before, after, &scans);
        assert_eq!(patched.is_some(), in_place, "{what}");
        if !in_place {
            assert!(
                site == unpatched,
                "{what}: a refused patch changed the site"
            );
        }
        let (_, full, full_refs) = resolved(root);
        if in_place {
            // The patched references go on to the next edit.
            assert!(
                site == full,
                "{what}: the patched site differs from a full resolve"
            );
        } else {
            (site, refs) = (full, full_refs);
        }
    }
}

/// An event file added or removed changes the resolved site in place
/// (`resolve::add_event`, `resolve::remove_event`) only when that is what
/// a full resolve makes.
#[test]
fn an_event_file_comes_and_goes_in_place_only_when_that_is_what_a_full_resolve_makes() {
    use dossier::load::EventChange;
    use dossier::resolve::{Scans, add_event, remove_event};
    let copy = shipped_site();
    let root = copy.path();
    let (mut loaded, mut site, mut refs) = resolved(root);
    let scans = Scans::default();
    let hajin = std::fs::read_to_string(root.join(HAJIN)).unwrap();
    let dated = |date: &str| hajin.replace("\"[2018-07..2018-12]\"", date);
    // Each new file, what it is, and whether it comes and goes in place.
    let files = [
        (
            "content/events/2018/a-new-event.yaml",
            hajin.replace("title: ", "title: Another "),
            "an event among others",
            true,
        ),
        (
            "content/events/2013/a-year-of-its-own.yaml",
            dated("2013-05-01"),
            "an event in a year of its own, between two others",
            true,
        ),
        (
            "content/events/2025/the-latest.yaml",
            dated("2025-01-02"),
            "the latest event",
            true,
        ),
        (
            "content/events/2017/related.yaml",
            hajin.replace(
                "related: [",
                "related: [isis-loses-iraq-territory, ",
            ),
            "an event naming events related to it, before and after it",
            true,
        ),
        (
            "content/events/2018/a-copy.yaml",
            format!("id: french-artillery-shelling-near-hajin\n{hajin}"),
            "an event id taken by another event",
            false,
        ),
        (
            "content/events/2018/hajin.yaml",
            hajin.clone(),
            "an event id taken by a place (`[[hajin]]` links become ambiguous)",
            false,
        ),
        (
            "content/events/2018/a-long-quote.yaml",
            hajin.replace("quote: \"", "quote: \"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six "),
            "an event with a warning",
            false,
        ),
    ];
    for (path, text, what, in_place) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &text).unwrap();
        let reloaded = dossier::load::reload(&mut loaded, root, Path::new(path))
            .unwrap_or_else(|| panic!("{what}: the new file could not be read alone"));
        let [EventChange::Added(at)] = reloaded.events[..] else {
            panic!("{what}: not one event added");
        };
        let unchanged = site.clone();
        let added = add_event(&mut site, &mut refs, &loaded, at, &scans);
        assert_eq!(added.is_some(), in_place, "{what}: added in place");
        if in_place {
            let (_, full, _) = resolved(root);
            assert!(site == full, "{what}: the site differs from a full resolve");
        } else {
            assert!(
                site == unchanged,
                "{what}: a refused addition changed the site"
            );
        }

        std::fs::remove_file(&file).unwrap();
        let reloaded = dossier::load::reload(&mut loaded, root, Path::new(path)).unwrap();
        let [EventChange::Removed(record, file)] = &reloaded.events[..] else {
            panic!("{what}: not one event removed");
        };
        if in_place {
            let removed = remove_event(&mut site, &mut refs, record, file, &scans)
                .unwrap_or_else(|| panic!("{what}: not removed in place"));
            assert_eq!(removed.event.title, unchanged_title(&text), "{what}");
        }
        let (_, full, _) = resolved(root);
        assert!(
            site == full,
            "{what}: removed, the site differs from a full resolve"
        );
    }

    // An event another record links to cannot go in place: the link is
    // now an error.
    let linked = "content/events/2018/sdf-launches-hajin-offensive.yaml";
    let text = std::fs::read_to_string(root.join(linked)).unwrap();
    std::fs::remove_file(root.join(linked)).unwrap();
    let reloaded = dossier::load::reload(&mut loaded, root, Path::new(linked)).unwrap();
    let [EventChange::Removed(record, file)] = &reloaded.events[..] else {
        panic!("not one event removed");
    };
    let unchanged = site.clone();
    assert!(remove_event(&mut site, &mut refs, record, file, &scans).is_none());
    assert!(site == unchanged, "a refused removal changed the site");
    std::fs::write(root.join(linked), text).unwrap();
}

/// The title an event file's text gives.
fn unchanged_title(text: &str) -> String {
    let line = text.lines().find(|l| l.starts_with("title: ")).unwrap();
    line["title: ".len()..].to_string()
}

#[test]
fn the_page_paths_are_the_pages_a_build_writes() {
    let copy = shipped_site();
    let (_, site, _) = resolved(copy.path());
    let (mut session, out, _folder) = served(copy.path());
    rebuild(&mut session, &[], "a build");
    let written: BTreeSet<PathBuf> = common::snapshot(&out)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let paths: BTreeSet<PathBuf> = dossier::render::page_paths(&site).into_iter().collect();
    assert_eq!(paths, written);
}

/// The search index is part of what an edited event's rebuild writes: a
/// reader who searches as soon as the page reloads finds the new title,
/// before [`Session::settle`] brings the rest of the whole-site files up to
/// date.
#[test]
fn an_edited_event_is_searchable_when_the_page_reloads() {
    let site = shipped_site();
    let root = site.path();
    let (mut session, out, _folder) = served(root);
    rebuild(&mut session, &[], "first build");
    let search = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        common::snapshot(dir)
            .into_iter()
            .filter(|(path, _)| path.starts_with("search") && path.extension().is_some())
            .collect()
    };
    for (what, path, from, to) in [
        ("a title", HAJIN, "title: ", "title: Quarantined zygote, "),
        (
            "a title other pages link to",
            IRAQ,
            "title: ",
            "title: Wobbly ",
        ),
    ] {
        let changed = edit(root, path, from, to);
        session
            .rebuild(&[changed].into_iter().collect())
            .unwrap_or_else(|_| panic!("{what}: the rebuild failed"));
        let (mut fresh, full, _full_folder) = served(root);
        fresh.rebuild(&BTreeSet::new()).unwrap();
        let (served, built) = (search(&out), search(&full));
        assert!(!built.is_empty());
        assert!(
            served == built,
            "{what}: the search files differ from a full build's before settling"
        );
        let word = to
            .trim_start_matches("title: ")
            .split([',', ' '])
            .next()
            .unwrap();
        let terms: String = built
            .iter()
            .filter(|(path, _)| path.starts_with("search/terms"))
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        assert!(
            terms.contains(&format!("\"{}\"", word.to_lowercase())),
            "{what}: {word} is not in the index"
        );
    }
}

#[test]
fn edits_on_later_pages_of_a_long_list_rebuild_those_pages() {
    let site = shipped_site();
    let root = site.path();
    // 1,200 more actors and sources, named to sort after the shipped ones:
    // the lists take three pages, and these records end them.
    for i in 0..1_200 {
        let actor = format!("---\nname: Zz {i:04}\nkind: person\ndescription: Extra.\n---\n");
        std::fs::write(root.join(format!("content/actors/zz-{i:04}.md")), actor).unwrap();
        let source = format!("---\ntitle: Zz {i:04}\npublisher: Zz Press\n---\n");
        std::fs::write(root.join(format!("content/sources/zz-{i:04}.md")), source).unwrap();
    }
    let (mut session, out, _folder) = served(root);
    rebuild(&mut session, &[], "first build");
    assert!(out.join("actors/page/3/index.html").exists());
    assert!(out.join("sources/page/3/index.html").exists());

    // A description shows on the list, on the page that holds the actor.
    let what = "a description on the third page of the list of actors";
    let changed = edit(root, "content/actors/zz-1199.md", "Extra.", "Edited.");
    rebuild(&mut session, &[changed], what);
    assert!(common::read(&out, "actors/page/3/index.html").contains("Edited."));
    assert_same_as_full_build(root, &out, what);

    // An event that comes to name an actor, and to cite a source, on the
    // last pages changes the counts there.
    let what = "an event naming an actor and citing a source on the third pages";
    let changed = edit(
        root,
        HAJIN,
        "  - { actor: sohr, role: claimant }\n",
        "  - { actor: sohr, role: claimant }\n  - { actor: zz-1199, role: observer }\n",
    );
    edit(root, HAJIN, "sources:\n", "sources:\n  - source: zz-1199\n");
    rebuild(&mut session, &[changed], what);
    assert_same_as_full_build(root, &out, what);

    // Sources removed: the bibliography takes two pages, and its third
    // page leaves the output.
    let what = "a third of the sources removed";
    let removed: Vec<PathBuf> = (0..400)
        .map(|i| root.join(format!("content/sources/zz-{i:04}.md")))
        .collect();
    for file in &removed {
        std::fs::remove_file(file).unwrap();
    }
    rebuild(&mut session, &removed, what);
    assert!(!out.join("sources/page/3").exists(), "{what}");
    assert_same_as_full_build(root, &out, what);
}
