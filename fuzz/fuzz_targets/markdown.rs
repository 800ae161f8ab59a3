//! The Markdown extensions and the sanitiser: scanning and rendering any
//! text never panics, scan ranges are exact, and the safe output never
//! carries a script, an event handler or a javascript: URL.
#![no_main]

use std::borrow::Cow;

use dossier::render::markdown::{self, Links, Options};
use dossier::render::notes::Notes;
use libfuzzer_sys::fuzz_target;

/// The same check of "nothing here can run script" as the hostile-content
/// and property tests use (it reads tags and attributes as a browser does).
#[path = "../../tests/safety/mod.rs"]
mod safety;

struct Site;

impl Links for Site {
    fn link(&self, _kind: Option<&str>, id: &str) -> Option<(String, Cow<'_, str>)> {
        (id.len() % 2 == 0).then(|| (format!("/repo/actors/{id}/"), format!("<{id}>").into()))
    }
    fn base_path(&self) -> &str {
        "/repo/"
    }
}

fuzz_target!(|text: &str| {
    let (found, problems) = markdown::scan(text);
    for item in &found {
        let _ = &text[item.range.clone()];
    }
    for problem in &problems {
        let _ = &text[problem.range.clone()];
    }
    let mut notes = Notes::new();
    let html = markdown::render(text, &Site, &mut notes, Options { allow_raw_html: false });
    // Only markup counts: `javascript:` as the text of an `alt` is harmless
    // (a first version looked for the word anywhere inside a tag, and the
    // fuzzer found such an `alt`; tests/hostile.rs keeps it).
    let problems = safety::unsafe_markup(&html, "/repo/");
    assert!(problems.is_empty(), "{text:?} -> {html}: {problems:?}");
    let _ = markdown::render_inline(text, &Site, &mut notes, Options { allow_raw_html: false });
});
