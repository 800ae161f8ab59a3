//! The resolver's working state: id look-ups, the problems found so far,
//! and the helpers that check one field and locate it in its file.

use rustc_hash::FxHashMap;
use std::ops::Range;

use super::scans::Scans;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::raw::{RawCitation, RawDate};
use crate::load::{Loaded, SourceFile};
use crate::model::date::Edtf;
use crate::model::{Citation, Citer, Ids, RecordKind, id};
use crate::render::markdown::Reference;

/// Where a record is: its file and the byte span of its YAML, used to point
/// a problem at the line that holds the offending value.
#[derive(Clone, Debug)]
pub struct At {
    /// Index into the loaded files.
    pub file: usize,
    /// The record's YAML in the file's text.
    pub span: Range<usize>,
}

/// The resolver's state while records are converted.
pub struct Ctx<'a> {
    /// What was loaded.
    pub loaded: &'a Loaded,
    /// The settings.
    pub config: &'a Config,
    /// Whether `config.event_types` can be trusted (site.yaml parsed).
    pub config_ok: bool,
    /// Id look-ups.
    pub ids: &'a Ids,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Every (source, citer) pair seen, for "cited by".
    pub citations: Vec<(usize, Citer)>,
    /// How many times each actor, place and source is referenced.
    pub referenced: FxHashMap<(RecordKind, usize), usize>,
    /// Every (event, linker) pair of a Markdown cross-link to an event.
    pub event_links: Vec<(usize, Citer)>,
    /// The Markdown texts' scans.
    pub scans: &'a Scans,
}

impl<'a> Ctx<'a> {
    /// A context with nothing found yet.
    pub fn new(
        loaded: &'a Loaded,
        config: &'a Config,
        config_ok: bool,
        ids: &'a Ids,
        scans: &'a Scans,
    ) -> Ctx<'a> {
        Ctx {
            loaded,
            config,
            config_ok,
            ids,
            diagnostics: Vec::new(),
            citations: Vec::new(),
            referenced: FxHashMap::default(),
            event_links: Vec::new(),
            scans,
        }
    }

    /// A context over the same records with nothing found yet, for
    /// converting some records on another thread; [`Ctx::join`] takes back
    /// what it found.
    pub fn fork(&self) -> Ctx<'a> {
        Ctx::new(
            self.loaded,
            self.config,
            self.config_ok,
            self.ids,
            self.scans,
        )
    }

    /// Takes in what [`Ctx::fork`]s found, in order (with room made once:
    /// a large site's citations run to millions).
    pub fn join(&mut self, forks: Vec<Ctx<'a>>) {
        self.citations
            .reserve(forks.iter().map(|fork| fork.citations.len()).sum());
        self.event_links
            .reserve(forks.iter().map(|fork| fork.event_links.len()).sum());
        for fork in forks {
            self.diagnostics.extend(fork.diagnostics);
            self.citations.extend(fork.citations);
            for (record, count) in fork.referenced {
                *self.referenced.entry(record).or_default() += count;
            }
            self.event_links.extend(fork.event_links);
        }
    }

    /// The file a record is in.
    pub fn file(&self, at: &At) -> &'a SourceFile {
        &self.loaded.files[at.file]
    }

    /// The byte offset of `needle` in the record, as a whole token, looked
    /// for after `key:` when given; the record's start when not found.
    pub fn locate(&self, at: &At, key: Option<&str>, needle: &str) -> usize {
        let text = &self.file(at).text;
        let span = at.span.start.min(text.len())..at.span.end.min(text.len());
        let record = &text[span.clone()];
        let from = key.and_then(|key| find_key(record, key)).unwrap_or(0);
        find_token(&record[from..], needle)
            .map(|i| span.start + from + i)
            .or_else(|| find_token(record, needle).map(|i| span.start + i))
            .or_else(|| {
                key.and_then(|k| find_key(record, k))
                    .map(|i| span.start + i)
            })
            .unwrap_or(span.start)
    }

    /// Records an error at `needle` (after `key:`) in the record.
    pub fn error(
        &mut self,
        at: &At,
        key: Option<&str>,
        needle: &str,
        message: String,
        hint: Option<String>,
    ) {
        let offset = self.locate(at, key, needle);
        let diagnostic = self
            .file(at)
            .error_at(offset, message)
            .with_optional_hint(hint);
        self.diagnostics.push(diagnostic);
    }

    /// Records a warning at `needle` (after `key:`) in the record.
    pub fn warning(
        &mut self,
        at: &At,
        key: Option<&str>,
        needle: &str,
        message: String,
        hint: Option<String>,
    ) {
        let offset = self.locate(at, key, needle);
        let diagnostic = self
            .file(at)
            .warning_at(offset, message)
            .with_optional_hint(hint);
        self.diagnostics.push(diagnostic);
    }

    /// Resolves a reference to a record of `kind`, reporting an unknown id
    /// with the nearest known one as a hint.
    pub fn reference(
        &mut self,
        at: &At,
        key: &str,
        kind: RecordKind,
        wanted: &str,
    ) -> Option<usize> {
        if let Some(&index) = self.ids.of(kind).get(wanted) {
            if matches!(
                kind,
                RecordKind::Actor | RecordKind::Place | RecordKind::Source
            ) {
                *self.referenced.entry((kind, index)).or_default() += 1;
            }
            return Some(index);
        }
        let message = format!("unknown {} `{wanted}`", kind.word());
        let hint = self.unknown_hint(kind, wanted);
        self.error(at, Some(key), wanted, message, Some(hint));
        None
    }

    /// "did you mean …" or where such records live.
    fn unknown_hint(&self, kind: RecordKind, wanted: &str) -> String {
        match id::nearest(wanted, self.ids.of(kind).keys().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => {
                let folder = match kind {
                    RecordKind::Page => "content/pages/<id>.md",
                    RecordKind::Source => "content/sources/<id>.md",
                    RecordKind::Actor => "content/actors/<id>.md",
                    RecordKind::Place => "content/places/<id>.yaml",
                    RecordKind::Event => "content/events/<year>/<id>.yaml",
                };
                format!(
                    "no {} has this id; create {folder} or fix the id",
                    kind.word()
                )
            }
        }
    }

    /// Resolves a list of references, dropping unknown ones.
    pub fn references(
        &mut self,
        at: &At,
        key: &str,
        kind: RecordKind,
        wanted: &[String],
    ) -> Vec<usize> {
        wanted
            .iter()
            .filter_map(|w| self.reference(at, key, kind, w))
            .collect()
    }

    /// Parses a date field, locating a problem at its column.
    pub fn date(&mut self, at: &At, key: &str, raw: &RawDate) -> Option<Edtf> {
        let text = raw.to_edtf_text();
        match Edtf::parse(&text) {
            Ok(date) => Some(date),
            Err(error) => {
                let written = match raw {
                    RawDate::Set(_) => key.to_string(),
                    _ => text.trim().to_string(),
                };
                let offset = self.locate(at, Some(key), &written);
                let column_shift: usize = if written == text.trim() {
                    text.trim()
                        .char_indices()
                        .nth(error.column)
                        .map_or(text.trim().len(), |(i, _)| i)
                } else {
                    0
                };
                let file = self.file(at);
                let diagnostic = file
                    .error_at(offset + column_shift, format!("invalid date `{}` in `{key}`: {}", text.trim(), error.message))
                    .with_optional_hint(error.hint.or_else(|| {
                        Some("write an EDTF date such as 2018-02-07, 2018-05, 2018, 2016-12~, 2018-06?, 2018-04-19/2018-05-21 or [2018-01..2018-04]".to_string())
                    }));
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// Resolves citations, recording who cites what.
    pub fn citations(
        &mut self,
        at: &At,
        key: &str,
        raw: &[RawCitation],
        citer: Citer,
    ) -> Vec<Citation> {
        let mut out = Vec::new();
        for citation in raw {
            let (source, loc, quote) = match citation {
                RawCitation::Id(source) => (source, None, None),
                RawCitation::Full(full) => (&full.source, full.loc.clone(), full.quote.clone()),
            };
            let Some(index) = self.reference(at, key, RecordKind::Source, source) else {
                continue;
            };
            if let Some(quote) = &quote {
                self.check_quote(at, quote);
            }
            self.citations.push((index, citer));
            out.push(Citation {
                source: index,
                loc,
                quote,
            });
        }
        out
    }

    /// Warns about a quote over 25 words.
    pub fn check_quote(&mut self, at: &At, quote: &str) {
        let words = quote.split_whitespace().count();
        if words > 25 {
            let first: String = quote.split_whitespace().next().unwrap_or("").to_string();
            self.warning(
                at,
                Some("quote"),
                &first,
                format!("a quote of {words} words is over the 25-word limit"),
                Some(
                    "shorten the quote to the words that matter, or summarise instead".to_string(),
                ),
            );
        }
    }

    /// Checks a URL field: only http and https are allowed.
    pub fn url(&mut self, at: &At, key: &str, url: Option<String>) -> Option<String> {
        let url = url?;
        let lower = url.trim().to_ascii_lowercase();
        let host_follows = |rest: &str| !rest.is_empty() && !rest.starts_with('/');
        let ok = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .is_some_and(host_follows)
            && !url.contains(char::is_whitespace);
        if ok {
            Some(url.trim().to_string())
        } else {
            self.error(
                at,
                Some(key),
                &url,
                format!("`{key}` must be an http or https address"),
                Some("write the full address, e.g. https://example.org/article".to_string()),
            );
            None
        }
    }

    /// Checks the citations and cross-links in a Markdown text. `body` is the
    /// byte offset of a `.md` body in its file (positions are then exact);
    /// for a YAML field the construct is found in the record's text.
    pub fn markdown(&mut self, at: &At, text: &str, body: Option<usize>, citer: Citer) {
        let scan = self.scans.get(text);
        for problem in &scan.problems {
            let construct = &text[problem.range.clone()];
            let offset = self.markdown_offset(at, body, construct, problem.range.start);
            let diagnostic = self
                .file(at)
                .error_at(offset, problem.message.clone())
                .with_optional_hint(problem.hint.clone());
            self.diagnostics.push(diagnostic);
        }
        for item in &scan.found {
            let construct = &text[item.range.clone()];
            // Where the construct is, only worked out for a problem: in a
            // YAML field that means searching the record's text.
            let locate = |ctx: &Self, within: &str| {
                let offset = ctx.markdown_offset(at, body, construct, item.range.start);
                offset + construct.find(within).unwrap_or(0)
            };
            match &item.reference {
                Reference::Citation { source, .. } => {
                    if let Some(&index) = self.ids.sources.get(source) {
                        *self
                            .referenced
                            .entry((RecordKind::Source, index))
                            .or_default() += 1;
                        self.citations.push((index, citer));
                    } else {
                        let hint = self.unknown_hint(RecordKind::Source, source);
                        let d = self
                            .file(at)
                            .error_at(
                                locate(self, source),
                                format!("unknown source `{source}` in citation"),
                            )
                            .with_hint(hint);
                        self.diagnostics.push(d);
                    }
                }
                Reference::Link { kind, id, .. } => {
                    if let Some((message, hint)) = self.link(kind.as_deref(), id, citer) {
                        let d = self
                            .file(at)
                            .error_at(locate(self, id), message)
                            .with_hint(hint);
                        self.diagnostics.push(d);
                    }
                }
            }
        }
    }

    fn markdown_offset(
        &self,
        at: &At,
        body: Option<usize>,
        construct: &str,
        start: usize,
    ) -> usize {
        match body {
            Some(base) => base + start,
            None => {
                let text = &self.file(at).text;
                let span = at.span.start.min(text.len())..at.span.end.min(text.len());
                text[span.clone()]
                    .find(construct)
                    .map_or(span.start, |i| span.start + i)
            }
        }
    }

    /// Checks one `[[kind:id]]` cross-link in `citer`'s text, noting what it
    /// references; returns the problem (message and hint) if there is one.
    fn link(&mut self, kind: Option<&str>, wanted: &str, citer: Citer) -> Option<(String, String)> {
        let named;
        let kinds: &[RecordKind] = match kind {
            Some(word) => match RecordKind::from_word(word) {
                Some(k) => {
                    named = [k];
                    &named
                }
                None => {
                    return Some((
                        format!("unknown link kind `{word}`"),
                        "use actor:, place:, event:, source: or page:".to_string(),
                    ));
                }
            },
            None => &RecordKind::LINK_ORDER,
        };
        // The common case, one match, without allocating.
        let mut found = kinds
            .iter()
            .filter_map(|&k| self.ids.of(k).get(wanted).map(|&i| (k, i)));
        if let (Some((k, i)), None) = (found.next(), found.next()) {
            if matches!(
                k,
                RecordKind::Actor | RecordKind::Place | RecordKind::Source
            ) {
                *self.referenced.entry((k, i)).or_default() += 1;
            }
            if k == RecordKind::Event {
                self.event_links.push((i, citer));
            }
            return None;
        }
        let matches: Vec<(RecordKind, usize)> = kinds
            .iter()
            .filter_map(|&k| self.ids.of(k).get(wanted).map(|&i| (k, i)))
            .collect();
        match matches.as_slice() {
            [] => {
                let hint = if kinds.len() == 1 {
                    self.unknown_hint(kinds[0], wanted)
                } else {
                    let all = kinds
                        .iter()
                        .flat_map(|&k| self.ids.of(k).keys().map(String::as_str));
                    match id::nearest(wanted, all) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "no actor, place, event, source or page has this id".to_string(),
                    }
                };
                Some((format!("unknown id `{wanted}` in cross-link"), hint))
            }
            several => {
                let options: Vec<String> = several
                    .iter()
                    .map(|(k, _)| format!("[[{}:{wanted}]]", k.word()))
                    .collect();
                let names = several
                    .iter()
                    .map(|(k, _)| with_article(k.word()))
                    .collect::<Vec<_>>()
                    .join(" and ");
                Some((
                    format!("`{wanted}` is ambiguous: it names {names}"),
                    format!("say which with a prefix: {}", options.join(" or ")),
                ))
            }
        }
    }
}

/// "an actor", "a place".
fn with_article(word: &str) -> String {
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {word}")
}

/// The offset just after `key:` at the start of a line (any indentation,
/// or after `- `/`{ `), if present.
fn find_key(record: &str, key: &str) -> Option<usize> {
    let pattern = format!("{key}:");
    let mut from = 0;
    while let Some(i) = record[from..].find(&pattern) {
        let at = from + i;
        let before = record[..at].chars().next_back();
        if before.is_none_or(|c| matches!(c, ' ' | '\n' | '{' | ',' | '-' | '\t')) {
            return Some(at + pattern.len());
        }
        from = at + pattern.len();
    }
    None
}

/// The offset of `needle` as a whole token (not inside a longer id).
fn find_token(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_id_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut from = 0;
    while let Some(i) = haystack[from..].find(needle) {
        let at = from + i;
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        if !before.is_some_and(is_id_char) && !after.is_some_and(is_id_char) {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_whole() {
        assert_eq!(find_token("sdf-x sdf", "sdf"), Some(6));
        assert_eq!(find_token("[sdf]", "sdf"), Some(1));
        assert_eq!(find_token("sdfx", "sdf"), None);
    }

    #[test]
    fn keys_are_found_at_line_starts_and_in_flow_mappings() {
        assert_eq!(find_key("title: a\nactors:\n", "actors"), Some(16));
        assert_eq!(find_key("- { actor: a }", "actor"), Some(10));
        assert_eq!(find_key("subactors: x", "actors"), None);
    }
}
