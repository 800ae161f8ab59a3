//! The search index: built from the model at render time, as small static
//! files under `search/` that `assets/search.js` reads.
//!
//! Every event, actor, place, source and free page is a record, numbered in
//! one order: actors, places, pages, sources, then events newest first (so
//! a record's kind is known from its number, and ties rank entities first).
//! Three kinds of files:
//!
//! - `search/meta.json`: the record count, the number range of each kind,
//!   the first term of every chunk, the stop words, and a hash of the index
//!   (the script asks for the other files with `?v=<hash>`, so a browser
//!   never mixes two builds);
//! - `search/terms/<n>.json`: consecutive terms with their posting lists
//!   (see the `terms` module), at most about 12 KB each; a word loads the
//!   chunk it falls in, and for its completions (results come as you type,
//!   so every word also matches as a prefix) the next chunks while they
//!   start with it, three at most;
//! - `search/records/<n>.json`: what a result shows (link, title, kind
//!   detail, excerpt) for [`BLOCK`] consecutive records, so showing twenty
//!   results loads at most twenty files of about 4 KB.
//!
//! Pagefind (the `pagefind` crate) was measured first on the same records
//! of a 10,000-event site: its first search fits the download budget too,
//! but building its index took 7 s of CPU where this one takes 0.3 s.

pub(super) mod terms;

use std::borrow::Cow;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::markdown::Links;
use super::{File, Renderer, routes};
use crate::model::{Citer, Site};
pub use terms::Fields;

/// How many records share one file of result data.
pub const BLOCK: usize = 16;

/// How long an excerpt may be, in characters.
const EXCERPT_CHARS: usize = 160;

/// Builds one record of a kind from its position among that kind.
type Build = fn(&Renderer, usize) -> (Fields, Shown);

/// One record as a result shows it: `[route, title, detail, excerpt]`.
type Shown = [String; 4];

/// `search/meta.json`.
#[derive(Serialize)]
struct Meta<'a> {
    /// The format's version, for the script.
    format: u32,
    /// Hash of the chunks and record files (cache key).
    hash: String,
    /// How many records.
    records: usize,
    /// Records per file under `search/records/`.
    block: usize,
    /// `[id, label, first record, end]` per kind.
    kinds: Vec<(&'static str, &'static str, usize, usize)>,
    /// Words left out of the index.
    stop: &'a [&'a str],
    /// The first term of each chunk under `search/terms/`.
    chunks: Vec<String>,
}

/// The search index of a site: its terms and its files of result data.
/// `serve` keeps it between rebuilds, so that an edited event updates it
/// ([`Index::update`]) instead of it being made again.
pub struct Index {
    /// The stop words of the site's language.
    stop: &'static [&'static str],
    /// `[id, label, first record, end]` per kind.
    kinds: Vec<(&'static str, &'static str, usize, usize)>,
    /// The term index.
    terms: Vec<terms::Term>,
    /// Each term's entry in its chunk, kept so that an update encodes only
    /// the terms it changed.
    entries: Vec<String>,
    /// The JSON of each file of result data.
    blocks: Vec<String>,
    /// How many term chunks the last [`Index::files`] made.
    chunks: usize,
}

/// Records of an index as they were before an edit: their numbers and
/// searchable text.
pub struct Edit {
    records: Vec<usize>,
    before: Vec<Fields>,
}

/// The kinds of record in numbering order, each with its count and how to
/// build one.
fn kinds(site: &Site) -> [(&'static str, &'static str, usize, Build); 5] {
    [
        ("actor", "Actor", site.actors.len(), actor),
        ("place", "Place", site.places.len(), place),
        ("page", "Page", site.pages.len(), page),
        ("source", "Source", site.sources.len(), source),
        ("event", "Event", site.events.len(), newest_event),
    ]
}

impl Index {
    /// Builds the index of the site `r` renders.
    pub fn build(r: &Renderer) -> Index {
        let site = r.site;
        let stop: &'static [&'static str] = if site.config.language.starts_with("en") {
            terms::STOP_WORDS_EN
        } else {
            &[]
        };
        let mut kinds_ranges = Vec::with_capacity(5);
        let mut records: Vec<(Fields, Shown)> = Vec::new();
        for (id, label, count, build) in kinds(site) {
            let start = records.len();
            records.par_extend((0..count).into_par_iter().map(|i| build(r, i)));
            kinds_ranges.push((id, label, start, records.len()));
        }
        let (fields, shown): (Vec<Fields>, Vec<Shown>) = records.into_iter().unzip();
        let terms = terms::index(&fields, stop);
        let entries = terms.par_iter().map(terms::entry).collect();
        let blocks = shown.par_chunks(BLOCK).map(block_json).collect();
        Index {
            stop,
            kinds: kinds_ranges,
            terms,
            entries,
            blocks,
            chunks: 0,
        }
    }

    /// The index's files, to be written under `search/`, and the paths of
    /// the term chunks an earlier call made that there are no longer.
    pub fn files(&mut self) -> (Vec<File>, Vec<PathBuf>) {
        self.files_with_blocks(0..self.blocks.len())
    }

    /// The files of the meta data, of every term chunk, and of the result
    /// data in `blocks`; and the paths of the term chunks that are gone.
    fn files_with_blocks(
        &mut self,
        blocks: impl ExactSizeIterator<Item = usize>,
    ) -> (Vec<File>, Vec<PathBuf>) {
        let chunks = terms::chunks_of(&self.terms, &self.entries);
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for text in chunks.iter().map(|(json, _)| json).chain(&self.blocks) {
            hasher.update(text.as_bytes());
            hasher.update(b"\n");
        }
        let meta = Meta {
            format: 1,
            hash: format!("{:016x}", hasher.digest()),
            records: self.kinds.last().map_or(0, |k| k.3),
            block: BLOCK,
            kinds: self.kinds.clone(),
            stop: self.stop,
            chunks: chunks.iter().map(|(_, first)| first.clone()).collect(),
        };
        let gone = (chunks.len()..self.chunks).map(chunk_path).collect();
        self.chunks = chunks.len();
        let mut files = Vec::with_capacity(chunks.len() + self.blocks.len() + 1);
        files.push(File {
            path: PathBuf::from("search/meta.json"),
            bytes: serde_json::to_vec(&meta).unwrap_or_default(),
        });
        for (n, (json, _)) in chunks.into_iter().enumerate() {
            files.push(File {
                path: chunk_path(n),
                bytes: json.into_bytes(),
            });
        }
        for (n, json) in blocks.filter_map(|n| Some((n, self.blocks.get(n)?))) {
            files.push(File {
                path: PathBuf::from(format!("search/records/{n}.json")),
                bytes: json.clone().into_bytes(),
            });
        }
        (files, gone)
    }

    /// The records an edit of event `e` can change, as they are in the site
    /// `r` renders: the event's own, and those of the records whose
    /// Markdown links to it (they show its title).
    pub fn before_edit(&self, r: &Renderer, e: usize) -> Edit {
        let site = r.site;
        let start = |kind: &str| self.kinds.iter().find(|k| k.0 == kind).map_or(0, |k| k.2);
        let event_record = |x: usize| start("event") + site.events.len() - 1 - x;
        let mut records: Vec<usize> = std::iter::once(event_record(e))
            .chain(
                site.indexes.linked_from[e]
                    .iter()
                    .filter_map(|citer| match *citer {
                        Citer::Actor(a) => Some(start("actor") + a),
                        Citer::Page(p) => Some(start("page") + p),
                        Citer::Source(s) => Some(start("source") + s),
                        _ => citer.event().map(event_record),
                    }),
            )
            .collect();
        records.sort_unstable();
        records.dedup();
        let before = records.iter().map(|&n| self.record(r, n).0).collect();
        Edit { records, before }
    }

    /// Brings the index up to date with the site `r` renders after an edit
    /// that changed only the records of `edit` (the edited event keeps its
    /// place, so every record keeps its number). Returns the files that
    /// changed (none when the edit changed nothing searchable) and the
    /// paths of the term chunks that are gone.
    pub fn update(&mut self, r: &Renderer, edit: Edit) -> (Vec<File>, Vec<PathBuf>) {
        let mut blocks = Vec::new();
        let mut terms_changed = false;
        for (&n, before) in edit.records.iter().zip(&edit.before) {
            let (after, _) = self.record(r, n);
            let number = u32::try_from(n).unwrap_or(u32::MAX);
            terms_changed |= terms::update(
                &mut self.terms,
                &mut self.entries,
                number,
                before,
                &after,
                self.stop,
            );
            blocks.push(n / BLOCK);
        }
        blocks.dedup();
        let end = self.kinds.last().map_or(0, |k| k.3);
        blocks.retain(|&b| {
            let shown: Vec<Shown> = (b * BLOCK..end.min((b + 1) * BLOCK))
                .map(|n| self.record(r, n).1)
                .collect();
            let json = block_json(&shown);
            match self.blocks.get_mut(b) {
                Some(block) if *block != json => {
                    *block = json;
                    true
                }
                _ => false,
            }
        });
        if !terms_changed && blocks.is_empty() {
            return (Vec::new(), Vec::new());
        }
        self.files_with_blocks(blocks.into_iter())
    }

    /// Record `n` of the site `r` renders.
    fn record(&self, r: &Renderer, n: usize) -> (Fields, Shown) {
        self.kinds
            .iter()
            .zip(kinds(r.site))
            .find(|(range, _)| (range.2..range.3).contains(&n))
            .map_or_else(Default::default, |(range, (.., build))| {
                build(r, n - range.2)
            })
    }
}

/// The index files of the site `r` renders, to be written under `search/`.
pub fn files(r: &Renderer) -> Vec<File> {
    Index::build(r).files().0
}

/// The path of term chunk `n`.
fn chunk_path(n: usize) -> PathBuf {
    PathBuf::from(format!("search/terms/{n}.json"))
}

/// The JSON of one file of result data.
fn block_json(block: &[Shown]) -> String {
    serde_json::to_string(block).unwrap_or_else(|_| "[]".to_string())
}

fn actor(r: &Renderer, a: usize) -> (Fields, Shown) {
    let actor = &r.site.actors[a];
    let mut title = actor.name.clone();
    for name in actor.short.iter().chain(&actor.aliases) {
        title.push('\n');
        title.push_str(name);
    }
    let mut body = actor.description.clone().unwrap_or_default();
    body.push('\n');
    body.push_str(&plain(&actor.body, r));
    let detail = [
        actor.short.clone(),
        actor.kind.map(|k| capitalised(&k.id().replace('-', " "))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let shown = [
        routes::actor(&actor.id),
        actor.name.clone(),
        detail,
        excerpt(&body),
    ];
    (Fields { title, body }, shown)
}

fn place(r: &Renderer, p: usize) -> (Fields, Shown) {
    let site = r.site;
    let place = &site.places[p];
    let mut title = place.name.clone();
    for name in &place.aliases {
        title.push('\n');
        title.push_str(name);
    }
    let body = place.description.clone().unwrap_or_default();
    let mut detail = place
        .kind
        .map(|k| capitalised(k.label()))
        .unwrap_or_default();
    if let Some(parent) = place.within {
        if !detail.is_empty() {
            detail.push_str(", ");
        }
        detail.push_str("in ");
        detail.push_str(&site.places[parent].name);
    }
    let shown = [
        routes::place(&place.id),
        place.name.clone(),
        detail,
        excerpt(&body),
    ];
    (Fields { title, body }, shown)
}

fn page(r: &Renderer, p: usize) -> (Fields, Shown) {
    let page = &r.site.pages[p];
    let mut body = page.description.clone().unwrap_or_default();
    body.push('\n');
    body.push_str(&plain(&page.body, r));
    let detail = [
        page.kind.map(|k| k.label().to_string()),
        page.date.as_ref().map(|d| d.display()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let shown = [
        routes::page(&page.id),
        page.title.clone(),
        detail,
        excerpt(&body),
    ];
    let fields = Fields {
        title: page.title.clone(),
        body,
    };
    (fields, shown)
}

fn source(r: &Renderer, s: usize) -> (Fields, Shown) {
    let source = &r.site.sources[s];
    let mut detail = source.publisher.clone();
    if let Some(date) = &source.published {
        detail.push_str(", ");
        detail.push_str(&date.display());
    }
    let summary = plain(&source.body, r);
    let mut body = source.publisher.clone();
    if let Some(author) = &source.author {
        body.push('\n');
        body.push_str(author);
    }
    body.push('\n');
    body.push_str(&summary);
    let shown = [
        routes::source(&source.id),
        source.title.clone(),
        detail,
        excerpt(&summary),
    ];
    let fields = Fields {
        title: source.title.clone(),
        body,
    };
    (fields, shown)
}

/// The `i`th event counting from the newest.
fn newest_event(r: &Renderer, i: usize) -> (Fields, Shown) {
    let site: &Site = r.site;
    let event = &site.events[site.events.len() - 1 - i];
    let body = plain(&event.summary, r);
    let mut detail = event.date.display();
    detail.push_str(" · ");
    detail.push_str(site.config.event_type_label(&event.kind));
    let shown = [
        routes::event(&event.id),
        event.title.clone(),
        detail,
        excerpt(&body),
    ];
    let fields = Fields {
        title: event.title.clone(),
        body,
    };
    (fields, shown)
}

/// Markdown as plain text for the index: citations (`[@…]`) dropped,
/// cross-links (`[[…]]`) as their label or the record's name, link targets
/// and HTML tags dropped. Other markup stays: the tokeniser skips it.
fn plain(markdown: &str, links: &dyn Links) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = memchr::memchr3(b'[', b']', b'<', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let skip = if let Some(inner) = tail.strip_prefix("[@") {
            inner.find(']').map(|end| end + 3)
        } else if let Some(inner) = tail.strip_prefix("[[") {
            inner.find("]]").map(|end| {
                out.push_str(&cross_link_text(&inner[..end], links));
                end + 4
            })
        } else if let Some(inner) = tail.strip_prefix("](") {
            inner.find(')').map(|end| end + 3)
        } else if tail.starts_with('<')
            && tail[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
        {
            tail.find('>').map(|end| end + 1)
        } else {
            None
        };
        out.push(' ');
        rest = &tail[skip.unwrap_or(1)..];
    }
    out.push_str(rest);
    out
}

/// The text a cross-link shows: its label, else the record's name.
fn cross_link_text<'t>(inner: &'t str, links: &'t dyn Links) -> Cow<'t, str> {
    if let Some((_, label)) = inner.split_once('|') {
        return label.into();
    }
    let target = inner.trim();
    let (kind, id) = match target.split_once(':') {
        Some((kind, id)) => (Some(kind), id),
        None => (None, target),
    };
    links.name(kind, id).unwrap_or(id.into())
}

/// A label with its first letter in capitals: `armed group` -> `Armed group`.
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The start of a plain text, cut at a word near [`EXCERPT_CHARS`].
/// Punctuation left alone by a dropped citation joins the word before it.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c| matches!(c, '*' | '_' | '`' | '#' | '>' | '|'));
        if word.is_empty() {
            continue;
        }
        let length = word.chars().count();
        if chars + length > EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        let joins = word.starts_with(['.', ',', ';', ':', '!', '?', ')']);
        if !out.is_empty() && !joins {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += length;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Names;

    impl Links for Names {
        fn link(&self, kind: Option<&str>, id: &str) -> Option<(String, Cow<'_, str>)> {
            match (kind, id) {
                (None | Some("actor"), "sdf") => {
                    Some(("/actors/sdf/".into(), "Syrian Democratic Forces".into()))
                }
                _ => None,
            }
        }

        fn base_path(&self) -> &str {
            "/"
        }
    }

    fn plain_words(markdown: &str) -> String {
        plain(markdown, &Names)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn plain_text_names_cross_links_and_drops_citations() {
        assert_eq!(
            plain_words(
                "The [[sdf]] took [[hajin|the town]] [@lwj, para 3; @x]. See [the map](/map/) <br>."
            ),
            "The Syrian Democratic Forces took the town . See the map ."
        );
        assert_eq!(
            plain_words("[[actor:sdf]]'s and [[nobody]]"),
            "Syrian Democratic Forces 's and nobody"
        );
        assert_eq!(plain_words("a [b] c < d [@open"), "a b c d @open");
        assert_eq!(plain_words("ends at [[sdf"), "ends at sdf");
    }

    #[test]
    fn excerpts_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let cut = excerpt(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("  **Bold** text\n\nhere "), "Bold text here");
        assert_eq!(
            excerpt(&plain("Forces took it [@a]; then [@b]. (See [@c])", &Names)),
            "Forces took it; then. (See)"
        );
        assert_eq!(capitalised("armed group"), "Armed group");
        assert_eq!(capitalised(""), "");
    }
}
