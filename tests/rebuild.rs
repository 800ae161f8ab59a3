//! Rebuilds: a build whose inputs have not changed since the last build
//! into the same output does nothing at all, and any change to what a
//! build reads (content, templates, static files, site.yaml, the base URL,
//! the output itself) makes the next build run in full.

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{build_ok, read, site_copy};

/// Sets the modification time of every file under `root` to `ago` before
/// now, as if the site had been saved that long ago (a change within the
/// last seconds is never trusted, so the tests age the files first).
fn age(root: &Path, ago: Duration) {
    let when = SystemTime::now() - ago;
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let file = std::fs::File::options()
                .append(true)
                .open(entry.path())
                .unwrap();
            file.set_modified(when).unwrap();
        }
    }
}

/// Writes `text` to `path` under `root`, dated `ago` before now.
fn save(root: &Path, path: &str, text: &str, ago: Duration) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    let file = std::fs::File::options().append(true).open(&path).unwrap();
    file.set_modified(SystemTime::now() - ago).unwrap();
}

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn a_build_with_nothing_changed_is_skipped_and_reports_the_same_site() {
    let dir = site_copy(None);
    let out = dir.path().join("public");
    age(dir.path(), HOUR);
    let first = build_ok(dir.path(), &out, None);
    assert!(!first.up_to_date);
    let manifest = read(&out, ".dossier-output");
    let second = build_ok(dir.path(), &out, None);
    assert!(second.up_to_date, "nothing changed, so nothing was done");
    assert_eq!(second.report.pages, first.report.pages);
    assert_eq!(second.report.base_path, first.report.base_path);
    assert_eq!(
        (second.written.files, second.written.bytes),
        (first.written.files, first.written.bytes)
    );
    assert_eq!(second.written.changed, 0);
    assert_eq!(read(&out, ".dossier-output"), manifest);
}

#[test]
fn every_change_to_what_a_build_reads_is_picked_up() {
    let dir = site_copy(None);
    let root = dir.path();
    let out = root.join("public");
    age(root, HOUR);
    build_ok(root, &out, None);

    // An edit that keeps the file's length, saved "ten minutes ago": only
    // its time tells it apart.
    let event = walkdir::WalkDir::new(root.join("content/events"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.extension().is_some_and(|x| x == "yaml"))
        .unwrap();
    let text = std::fs::read_to_string(&event).unwrap();
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .to_string();
    let edited = title.replacen(|c: char| c.is_ascii_lowercase(), "Q", 1);
    assert_eq!(edited.len(), title.len());
    let relative = event.strip_prefix(root).unwrap().to_str().unwrap();
    save(
        root,
        relative,
        &text.replacen(&title, &edited, 1),
        Duration::from_secs(600),
    );
    let built = build_ok(root, &out, None);
    assert!(!built.up_to_date, "an edited event is rebuilt");
    let edited_plain = edited.trim_matches('"');
    assert!(
        read(&out, "feed.xml").contains(edited_plain),
        "the new title {edited_plain} is in the output"
    );

    let changes: [(&str, &dyn Fn()); 4] = [
        ("a new static file", &|| {
            save(root, "static/notes.txt", "hello", HOUR)
        }),
        ("a template of the site's own", &|| {
            save(
                root,
                "templates/404.html",
                "{% extends \"base.html\" %}{% block content %}<h1>Lost here</h1>{% endblock content %}",
                HOUR,
            )
        }),
        ("site.yaml saved again", &|| {
            let text = read(root, "site.yaml");
            save(root, "site.yaml", &text, Duration::from_secs(300))
        }),
        ("the output removed", &|| {
            std::fs::remove_dir_all(&out).unwrap()
        }),
    ];
    for (change, apply) in changes {
        assert!(build_ok(root, &out, None).up_to_date, "before {change}");
        apply();
        let built = build_ok(root, &out, None);
        assert!(!built.up_to_date, "{change} is picked up");
    }
    assert_eq!(read(&out, "notes.txt"), "hello");
    assert!(read(&out, "404.html").contains("Lost here"));

    assert!(build_ok(root, &out, None).up_to_date);
    let other = build_ok(root, &out, Some("https://example.org/repo/"));
    assert!(!other.up_to_date, "another base URL is another site");
    assert_eq!(other.report.base_path, "/repo/");
}

#[test]
fn a_site_saved_just_now_is_built_again() {
    // A second save within the same tick of the file system's clock would
    // keep the time, so a change this recent is never trusted.
    let dir = site_copy(None);
    let out = dir.path().join("public");
    build_ok(dir.path(), &out, None);
    assert!(!build_ok(dir.path(), &out, None).up_to_date);
}

#[test]
fn warnings_are_shown_by_every_build() {
    let dir = site_copy(None);
    let root = dir.path();
    let out = root.join("public");
    save(
        root,
        "content/sources/never-cited.md",
        "---\ntitle: A report nobody cites\npublisher: Nobody\npublished: 2019\n---\nUnused.\n",
        HOUR,
    );
    age(root, HOUR);
    let first = build_ok(root, &out, None);
    assert!(
        !first.report.warnings.is_empty(),
        "the fixture has a warning"
    );
    let second = build_ok(root, &out, None);
    assert!(!second.up_to_date);
    assert_eq!(second.report.warnings, first.report.warnings);
}

#[test]
fn output_files_removed_or_edited_by_hand_are_written_again() {
    let dir = site_copy(None);
    let root = dir.path();
    let out = root.join("public");
    age(root, HOUR);
    build_ok(root, &out, None);
    assert!(build_ok(root, &out, None).up_to_date);
    let (page, stylesheet) = ("index.html", "assets/style.css");
    let (page_bytes, stylesheet_bytes) = (read(&out, page), read(&out, stylesheet));
    std::fs::remove_file(out.join(stylesheet)).unwrap();
    std::fs::write(out.join(page), "<p>edited by hand</p>").unwrap();

    let built = build_ok(root, &out, None);
    assert!(!built.up_to_date, "a damaged output is built again");
    assert_eq!(built.written.changed, 2, "only the two files are written");
    assert_eq!(read(&out, page), page_bytes);
    assert_eq!(read(&out, stylesheet), stylesheet_bytes);
    assert!(build_ok(root, &out, None).up_to_date);

    // An edit that keeps the length is seen too: the file was modified
    // after the build's manifest.
    let edited = page_bytes.replacen("<html", "<HTML", 1);
    assert_eq!(edited.len(), page_bytes.len());
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(out.join(page), &edited).unwrap();
    let built = build_ok(root, &out, None);
    assert!(!built.up_to_date, "a same-length hand edit is seen");
    assert_eq!(built.written.changed, 1, "only that file is written");
    assert_eq!(read(&out, page), page_bytes);
    assert!(build_ok(root, &out, None).up_to_date);
}
