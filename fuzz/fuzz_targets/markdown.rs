//! The Markdown extensions and the sanitiser: scanning and rendering any
//! text never panics, scan ranges are exact, and the safe output never
//! carries a script, an event handler or a javascript: URL.
#![no_main]

use dossier::render::markdown::{self, Links, Options};
use dossier::render::notes::Notes;
use libfuzzer_sys::fuzz_target;

struct Site;

impl Links for Site {
    fn link(&self, _kind: Option<&str>, id: &str) -> Option<(String, String)> {
        (id.len() % 2 == 0).then(|| (format!("/repo/actors/{id}/"), format!("<{id}>")))
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
    // Text is escaped, so every `<` left in the output opens a real tag:
    // look inside tags only.
    for tag in html.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or("")) {
        let tag = tag.to_ascii_lowercase();
        assert!(!tag.starts_with("script") && !tag.starts_with("iframe") && !tag.starts_with("style"), "{text:?} -> {html}");
        assert!(!tag.contains("javascript:") && !tag.contains("vbscript:") && !tag.contains("data:text"), "{text:?} -> {html}");
        let attributes = tag.split(|c: char| c.is_whitespace() || c == '/').skip(1);
        for attribute in attributes {
            assert!(!(attribute.starts_with("on") && attribute.contains('=')), "{text:?} -> {html}");
        }
    }
    let _ = markdown::render_inline(text, &Site, &mut notes, Options { allow_raw_html: false });
});
