//! The Markdown scans resolving needs, kept by text across rebuilds.
//!
//! Finding the citations and cross-links of every Markdown text is most of
//! what resolving costs. A scan depends on nothing but its text, so `serve`
//! keeps one [`Scans`] across rebuilds, by a hash of each text, and only a
//! text that was edited is scanned again (new texts on every core). A
//! one-off build keeps none: each text is scanned when it is met.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_128;

use crate::load::Loaded;
use crate::render::markdown::{self, Found, SyntaxProblem};

/// The constructs found in one text, and the malformed ones.
#[derive(Debug)]
pub struct Scan {
    /// Citations and cross-links, in reading order.
    pub found: Vec<Found>,
    /// Malformed constructs.
    pub problems: Vec<SyntaxProblem>,
}

/// Scans by text (a 128-bit hash of it).
#[derive(Debug, Default)]
pub struct Scans {
    by_text: HashMap<u128, Arc<Scan>>,
}

impl Scans {
    /// Makes sure every Markdown text of `loaded` is scanned, scanning the
    /// new ones in parallel, and forgets the texts no longer there.
    pub fn update(&mut self, loaded: &Loaded) {
        let texts = texts(loaded);
        let keys: Vec<u128> = texts.par_iter().map(|t| xxh3_128(t.as_bytes())).collect();
        let mut old = std::mem::take(&mut self.by_text);
        let mut missing = Vec::new();
        for (&key, text) in keys.iter().zip(&texts) {
            match old.remove(&key) {
                Some(scan) => {
                    self.by_text.insert(key, scan);
                }
                None if !self.by_text.contains_key(&key) => missing.push((key, *text)),
                None => {}
            }
        }
        let scanned: Vec<(u128, Arc<Scan>)> = missing
            .par_iter()
            .map(|&(key, text)| (key, Arc::new(scan(text))))
            .collect();
        self.by_text.extend(scanned);
    }

    /// The scan of `text`: the one kept, or a new one (a one-off build
    /// keeps none, and does not hash its texts to look them up).
    pub fn get(&self, text: &str) -> Arc<Scan> {
        if self.by_text.is_empty() {
            return Arc::new(scan(text));
        }
        self.by_text
            .get(&xxh3_128(text.as_bytes()))
            .cloned()
            .unwrap_or_else(|| Arc::new(scan(text)))
    }
}

fn scan(text: &str) -> Scan {
    let (found, problems) = markdown::scan(text);
    Scan { found, problems }
}

/// Every Markdown text the records hold (bodies, summaries, claims and
/// relation notes): the ones resolving scans.
fn texts(loaded: &Loaded) -> Vec<&str> {
    let bodies = loaded
        .home
        .iter()
        .chain(&loaded.pages)
        .filter_map(|r| r.body.as_ref())
        .chain(loaded.sources.iter().filter_map(|r| r.body.as_ref()))
        .chain(loaded.actors.iter().filter_map(|r| r.body.as_ref()))
        .map(|(body, _)| body.as_str());
    let notes = loaded
        .actors
        .iter()
        .flat_map(|r| &r.raw.relations)
        .filter_map(|relation| relation.note.as_deref());
    let events = loaded.events.iter().flat_map(|r| {
        std::iter::once(&*r.raw.summary).chain(r.raw.claims.iter().map(|c| c.text.as_str()))
    });
    bodies.chain(notes).chain(events).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Record;
    use crate::load::raw::RawPage;

    /// A site holding one Markdown text, as the home page's body.
    fn with_home(body: &str) -> Loaded {
        let raw = RawPage {
            id: None,
            title: "Home".to_string(),
            description: None,
            date: None,
            kind: None,
            order: None,
        };
        Loaded {
            home: Some(Record {
                file: 0,
                span: 0..0,
                stem: "index".to_string(),
                in_list: false,
                raw,
                body: Some((body.to_string(), 0)),
            }),
            ..Loaded::default()
        }
    }

    #[test]
    fn a_text_is_scanned_once_and_kept_while_it_is_there() {
        let text = "See [[actor-a]] [@src, p. 3] and [@].";
        let mut scans = Scans::default();
        scans.update(&with_home(text));
        let kept = scans.get(text);
        // The same scan each time, not a new one.
        assert!(Arc::ptr_eq(&kept, &scans.get(text)));
        let (found, problems) = markdown::scan(text);
        assert_eq!(kept.found, found);
        assert_eq!(kept.problems, problems);
        assert_eq!((found.len(), problems.len()), (2, 1));
        // Kept across an update that still has the text ...
        scans.update(&with_home(text));
        assert!(Arc::ptr_eq(&kept, &scans.get(text)));
        // ... and forgotten once the text is gone.
        scans.update(&with_home("Another text."));
        assert!(!Arc::ptr_eq(&kept, &scans.get(text)));
    }
}
