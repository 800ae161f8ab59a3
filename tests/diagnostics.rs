//! One invalid fixture per diagnostic. Each folder under
//! `tests/fixtures/invalid/` is copied over the valid `basic` fixture; the
//! build must fail, write nothing, and print exactly `expected.txt` (the
//! text a user sees: file:line:col, message, the line, a hint).
//!
//! Run with `UPDATE_SNAPSHOTS=1` to rewrite the expected files after a
//! deliberate change of wording, then review the diff.

mod common;

use common::{fixture, site_copy};

#[test]
fn every_invalid_fixture_reports_its_problem() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "expected the full set of invalid fixtures"
    );
    let mut mismatches = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = site_copy(Some(&case));
        let _ = std::fs::remove_file(site.path().join("expected.txt"));
        let out = site.path().join("public");
        let diagnostics = match dossier::build(site.path(), &out, None) {
            Err(dossier::Failure::Content(diagnostics)) => diagnostics,
            Err(dossier::Failure::Environment(message)) => {
                panic!("{name}: environment failure: {message}")
            }
            Ok(_) => panic!("{name}: the build succeeded but should have failed"),
        };
        assert!(!out.exists(), "{name}: a failed build wrote output");
        let actual: String = diagnostics
            .iter()
            .filter(|d| d.severity == dossier::diagnostics::Severity::Error)
            .map(|d| d.render_text())
            .collect();
        let expected_path = case.join("expected.txt");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            mismatches.push(format!(
                "--- {name}: expected\n{expected}\n--- {name}: actual\n{actual}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn all_problems_of_a_build_are_listed_at_once_sorted_by_line() {
    let site = site_copy(Some(&fixture("invalid/many-errors")));
    let Err(dossier::Failure::Content(diagnostics)) = dossier::compile(site.path(), None) else {
        panic!("the build should fail");
    };
    let many: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.file.ends_with("many.yaml"))
        .map(|d| (d.line, d.message.clone()))
        .collect();
    assert!(many.len() >= 6, "{many:?}");
    let lines: Vec<usize> = many.iter().map(|(line, _)| *line).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted);
}
