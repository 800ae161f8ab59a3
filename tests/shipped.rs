//! The shipped research site in content/ builds cleanly: no errors, no
//! warnings (so every actor, place and source is referenced), no broken link
//! or anchor, and every event page cites at least one source.

use std::path::Path;

#[test]
fn the_shipped_site_checks_clean_and_every_event_cites_a_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = match dossier::check(root) {
        Ok(report) => report,
        Err(dossier::Failure::Content(problems)) => {
            let text: String = problems.iter().map(|d| d.render_text()).collect();
            panic!("the shipped site has problems:\n{text}");
        }
        Err(dossier::Failure::Environment(message)) => panic!("{message}"),
    };
    let warnings: String = report.warnings.iter().map(|d| d.render_text()).collect();
    assert!(
        warnings.is_empty(),
        "the shipped site has warnings:\n{warnings}"
    );

    let compiled = dossier::compile(root, None).unwrap();
    let events: Vec<_> = compiled
        .files
        .iter()
        .filter(|f| f.path.starts_with("events") && f.path.components().count() == 3)
        .collect();
    assert!(events.len() >= 40, "only {} events", events.len());
    for page in events {
        let html = String::from_utf8_lossy(&page.bytes);
        let reported = html
            .find(r#"class="reported""#)
            .map(|i| &html[i..])
            .unwrap_or("");
        assert!(
            reported.contains(r#"class="cite""#),
            "{} cites no source",
            page.path.display()
        );
        assert!(
            html.contains(r#"id="note-1""#),
            "{} has no notes",
            page.path.display()
        );
    }
}
