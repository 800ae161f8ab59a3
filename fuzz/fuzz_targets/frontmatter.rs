//! The front-matter splitter never panics, and its ranges cover the text.
#![no_main]

use dossier::load::frontmatter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = frontmatter::split(text) {
        assert!(split.yaml.end <= split.body.start);
        assert!(split.body.end == text.len());
        let _ = &text[split.yaml.clone()];
        let _ = &text[split.body.clone()];
    }
});
