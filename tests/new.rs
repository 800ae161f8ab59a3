//! `dossier new`, run as a user runs it: the binary in a temporary copy of
//! the fixture site. Each kind lands at its path; nothing is overwritten; a
//! bad id or date is refused with exit code 2 and nothing written; the
//! fresh files pass `dossier check` (a fresh event fails it with exactly the
//! errors that say what to fill in); the optional fields the templates show
//! commented out are valid once uncommented; and the editing guide shows the
//! real output of these commands (with the shipped site's settings).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::site_copy;

/// What a run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `dossier --root <root> <args>`.
fn dossier(root: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("the dossier binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `dossier new …`, asserting success and that the printed path is
/// `expected` (relative to the root) and exists; returns the file's text.
fn create(root: &Path, args: &[&str], expected: &str) -> String {
    let mut full = vec!["new"];
    full.extend(args);
    let run = dossier(root, &full);
    assert_eq!(run.code, 0, "dossier {full:?}: {}", run.stderr);
    let printed = PathBuf::from(run.stdout.trim_end());
    assert_eq!(printed, root.join(expected), "dossier {full:?}");
    assert!(run.stderr.contains("dossier check"), "{}", run.stderr);
    std::fs::read_to_string(&printed).unwrap_or_else(|e| panic!("{expected}: {e}"))
}

/// Every file under `content/`, relative to the root, sorted.
fn content_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// Removes the `#` of every commented-out field (`#field: …`, `#  - …`),
/// leaving prose comments (`# text`) alone.
fn uncomment(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix('#') {
            Some(rest) if !rest.starts_with(' ') || rest.starts_with("  ") => rest,
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Replaces the templates' example ids with ids of the fixture site.
fn with_fixture_ids(text: &str) -> String {
    text.replace("actor-id", "sdf")
        .replace("place-id", "syria")
        .replace("source-id", "lwj-2018")
        .replace("event-id", "statement-2018")
        .replace("tag-id", "deconfliction")
}

/// Fills in a fresh event's deliberate TODOs.
fn fill_event(text: &str) -> String {
    text.replace("date: TODO", "date: 2018-03-01")
        .replace("type: TODO", "type: attack")
        .replace(
            "sources: []",
            "sources: [{ source: lwj-2018, loc: para 3 }]",
        )
}

#[test]
fn each_kind_lands_at_its_path() {
    let site = site_copy(None);
    let root = site.path();
    let event = create(
        root,
        &["event", "khasham-clash", "--date", "2018-02-07"],
        "content/events/2018/khasham-clash.yaml",
    );
    assert!(event.contains("\ntitle: \"Khasham clash\"\n"), "{event}");
    assert!(event.contains("\ndate: \"2018-02-07\"\n"), "{event}");
    assert!(
        event.contains("# Required: one of site.yaml's event_types: attack, statement.\n"),
        "the template lists the site's event types:\n{event}"
    );
    // An interval files the event under the year it starts in.
    create(
        root,
        &["event", "long-siege", "--date", "2016-12~/2017-03"],
        "content/events/2016/long-siege.yaml",
    );
    let undated = create(
        root,
        &["event", "undated-raid"],
        "content/events/undated-raid.yaml",
    );
    assert!(undated.contains("\ndate: TODO\n"), "{undated}");
    let actor = create(
        root,
        &["actor", "syrian-arab-army"],
        "content/actors/syrian-arab-army.md",
    );
    assert!(
        actor.starts_with("---\nname: \"Syrian Arab Army\"\n"),
        "{actor}"
    );
    let source = create(
        root,
        &["source", "afp-2018-06-strike", "--date", "2018-06-18"],
        "content/sources/afp-2018-06-strike.md",
    );
    assert!(source.contains("\npublished: \"2018-06-18\"\n"), "{source}");
    let place = create(
        root,
        &["place", "abu-kamal"],
        "content/places/abu-kamal.yaml",
    );
    assert!(place.starts_with("name: \"Abu Kamal\"\n"), "{place}");
    let page = create(root, &["page", "methods"], "content/pages/methods.md");
    assert!(page.starts_with("---\ntitle: \"Methods\"\n"), "{page}");
    // A name YAML would read as something else stays a string.
    let odd = create(root, &["place", "true"], "content/places/true.yaml");
    assert!(odd.starts_with("name: \"True\"\n"), "{odd}");
}

#[test]
fn nothing_is_overwritten() {
    let site = site_copy(None);
    let root = site.path();
    create(root, &["actor", "new-group"], "content/actors/new-group.md");
    std::fs::write(root.join("content/actors/new-group.md"), "edited").unwrap();
    let again = dossier(root, &["new", "actor", "new-group"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("already"), "{}", again.stderr);
    assert!(again.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(root.join("content/actors/new-group.md")).unwrap(),
        "edited"
    );

    // An id its kind uses in another file (here, inside a list file).
    let taken = dossier(root, &["new", "event", "statement-2018", "--date", "2019"]);
    assert_eq!(taken.code, 2);
    assert_eq!(
        taken.stderr,
        "error: content/events/2018/more.yaml already uses the event id `statement-2018`; nothing was written\n  \
         = help: ids are unique within a kind: edit content/events/2018/more.yaml, or choose another id\n"
    );
    assert!(!root.join("content/events/2019").exists());

    // A page id a route of the site takes.
    let reserved = dossier(root, &["new", "page", "timeline"]);
    assert_eq!(reserved.code, 2);
    assert!(
        reserved
            .stderr
            .starts_with("error: the page id `timeline` is taken by a route of the site\n"),
        "{}",
        reserved.stderr
    );
    assert!(!root.join("content/pages/timeline.md").exists());
}

#[test]
fn a_bad_id_or_date_is_refused_with_exit_code_2() {
    let site = site_copy(None);
    let root = site.path();
    let before = content_files(root);

    let bad_id = dossier(root, &["new", "event", "Bad_Event", "--date", "2018"]);
    assert_eq!(bad_id.code, 2);
    // The same message the build gives a content file with this id (the
    // snapshot of the invalid fixture `bad-file-id`).
    let snapshot =
        std::fs::read_to_string(common::fixture("invalid/bad-file-id/expected.txt")).unwrap();
    let (_, build_message) = snapshot
        .lines()
        .next()
        .and_then(|line| line.split_once("the file name gives an invalid id: "))
        .expect("the snapshot names the invalid id");
    assert!(build_message.starts_with("`Bad_Event` is not a valid id"));
    assert_eq!(
        bad_id.stderr,
        format!(
            "error: {build_message}\n  = help: write it as `bad-event`: dossier new event bad-event\n"
        )
    );
    let climbing = dossier(root, &["new", "page", "../../etc"]);
    assert_eq!(climbing.code, 2);
    assert!(
        climbing.stderr.contains("write it as `etc`"),
        "{}",
        climbing.stderr
    );

    let bad_date = dossier(
        root,
        &["new", "event", "spring-offensive", "--date", "March 2018"],
    );
    assert_eq!(bad_date.code, 2);
    assert_eq!(
        bad_date.stderr,
        "error: invalid date `March 2018` in --date: expected a year, found 'M'\n  \
         = help: write dates as 2018, 2018-05 or 2018-05-07\n"
    );
    let no_such_day = dossier(root, &["new", "event", "leap-day", "--date", "2023-02-29"]);
    assert_eq!(no_such_day.code, 2);
    assert!(
        no_such_day
            .stderr
            .starts_with("error: invalid date `2023-02-29` in --date: "),
        "{}",
        no_such_day.stderr
    );
    let undated_kind = dossier(root, &["new", "actor", "some-group", "--date", "2018"]);
    assert_eq!(undated_kind.code, 2);
    assert!(
        undated_kind.stderr.contains("an actor has no date"),
        "{}",
        undated_kind.stderr
    );

    let not_a_site = tempfile::tempdir().unwrap();
    let nowhere = dossier(not_a_site.path(), &["new", "actor", "sdf"]);
    assert_eq!(nowhere.code, 2);
    assert!(
        nowhere.stderr.contains("no site.yaml here"),
        "{}",
        nowhere.stderr
    );
    assert!(!not_a_site.path().join("content").exists());

    assert_eq!(
        content_files(root),
        before,
        "a refused command wrote a file"
    );
}

#[test]
fn fresh_files_pass_check_and_a_fresh_event_says_what_to_fill_in() {
    let site = site_copy(None);
    let root = site.path();
    create(root, &["actor", "new-group"], "content/actors/new-group.md");
    create(root, &["place", "new-town"], "content/places/new-town.yaml");
    create(
        root,
        &["source", "new-report"],
        "content/sources/new-report.md",
    );
    create(
        root,
        &["page", "notes", "--date", "2024-06"],
        "content/pages/notes.md",
    );
    let check = dossier(root, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // Only the expected warnings: nothing links to the new records yet.
    assert_eq!(
        check.stderr.matches(": warning: ").count(),
        3,
        "{}",
        check.stderr
    );

    let event = create(
        root,
        &["event", "new-clash", "--date", "2018-03"],
        "content/events/2018/new-clash.yaml",
    );
    create(
        root,
        &["event", "undated-clash"],
        "content/events/undated-clash.yaml",
    );
    let check = dossier(root, &["check", "--format", "json"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let problems: Vec<(String, usize, usize, String, String)> = check
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() as usize,
                d["column"].as_u64().unwrap() as usize,
                d["message"].as_str().unwrap().to_string(),
                d["hint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let at = |file: &str, line, column, message: &str, hint: &str| {
        (
            file.to_string(),
            line,
            column,
            message.to_string(),
            hint.to_string(),
        )
    };
    let dated = "content/events/2018/new-clash.yaml";
    let undated = "content/events/undated-clash.yaml";
    let types = "use one of: attack, statement (site.yaml's `event_types`)";
    let source = "cite the source that reports it under `sources:`";
    assert_eq!(
        problems,
        vec![
            at(dated, 17, 7, "unknown event type `TODO`", types),
            at(dated, 35, 1, "an event needs at least one source", source),
            at(
                undated,
                12,
                7,
                "invalid date `TODO` in `date`: expected a year, found 'T'",
                "write dates as 2018, 2018-05 or 2018-05-07"
            ),
            at(undated, 17, 7, "unknown event type `TODO`", types),
            at(undated, 35, 1, "an event needs at least one source", source),
        ]
    );

    std::fs::write(root.join(dated), fill_event(&event)).unwrap();
    std::fs::remove_file(root.join(undated)).unwrap();
    let check = dossier(root, &["check"]);
    assert_eq!(
        check.code, 0,
        "a filled-in event still fails:\n{}",
        check.stderr
    );
}

#[test]
fn the_commented_out_fields_are_valid_once_uncommented() {
    let site = site_copy(None);
    let root = site.path();
    let files = [
        (
            vec!["event", "full-event", "--date", "2018-04"],
            "content/events/2018/full-event.yaml",
        ),
        (
            vec!["event", "full-undated"],
            "content/events/full-undated.yaml",
        ),
        (vec!["actor", "full-actor"], "content/actors/full-actor.md"),
        (
            vec!["source", "full-source"],
            "content/sources/full-source.md",
        ),
        (
            vec!["place", "full-place"],
            "content/places/full-place.yaml",
        ),
        (vec!["page", "full-page"], "content/pages/full-page.md"),
    ];
    for (args, path) in &files {
        let text = create(root, args, path);
        let full = with_fixture_ids(&fill_event(&uncomment(&text)));
        assert!(full.len() > text.len() / 2, "{path}");
        std::fs::write(root.join(path), full).unwrap();
    }
    let check = dossier(root, &["check"]);
    assert_eq!(
        check.code, 0,
        "uncommented templates fail:\n{}",
        check.stderr
    );
    let page = std::fs::read_to_string(root.join("content/actors/full-actor.md")).unwrap();
    assert!(
        page.contains("\nrelations:\n  - { type: backed-by"),
        "{page}"
    );
}

/// The text between the first ```` ```text ```` fence after `marker` and the
/// closing fence.
fn block_after<'a>(guide: &'a str, marker: &str) -> &'a str {
    let from = guide
        .find(marker)
        .unwrap_or_else(|| panic!("the guide lacks {marker:?}"));
    let rest = &guide[from..];
    let start = rest.find("```text\n").expect("a text block") + "```text\n".len();
    let end = start + rest[start..].find("```").expect("a closing fence");
    &rest[start..end]
}

#[test]
fn the_editing_guide_shows_what_the_commands_really_print() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(repo.join("content/pages/guide.md")).unwrap();
    // The shipped site's settings (its event types appear in the output)
    // over the fixture's clean content, so that work in progress elsewhere
    // in content/ does not show up in the check's output.
    let site = site_copy(None);
    let root = site.path();
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();

    let created = dossier(
        root,
        &["new", "event", "my-new-event", "--date", "2017-03-02"],
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    let check = dossier(root, &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_eq!(
        block_after(&guide, "<!-- output: dossier check on a fresh event -->"),
        check.stderr,
        "the guide's example of a fresh event's errors is out of date"
    );

    std::fs::write(
        root.join("content/events/2017/my-new-event.yaml"),
        "title: A typo\ndate: 2017-03-02\ntype: attack\nactors:\n  - { actor: sdff, role: target }\n\
         summary: Text.\nsources: [lwj-2018]\n",
    )
    .unwrap();
    let check = dossier(root, &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_eq!(
        block_after(&guide, "<!-- output: dossier check on a typo -->"),
        check.stderr,
        "the guide's example diagnostic is out of date"
    );
}
