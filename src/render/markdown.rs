//! Markdown with dossier's two extensions, rendered to safe HTML.
//!
//! Every body, summary and claim text is CommonMark with tables,
//! strikethrough and smart punctuation, plus:
//!
//! - citations: `[@source-id]`, `[@source-id, para 4]`, `[@a; @b, p. 3]`,
//!   rendered as numbered markers that point into the page's [`Notes`];
//! - cross-links: `[[id]]`, `[[kind:id]]`, `[[id|label]]`,
//!   `[[kind:id|label]]`, rendered as links to the record's page.
//!
//! Neither is recognised inside code, links or images. [`scan`] finds the
//! constructs without rendering (for validation and "cited by" indexes);
//! it walks the text exactly as [`render`] does, so the two always agree.
//!
//! Content is untrusted: link and image addresses other than http(s),
//! mailto, relative and `#fragment` ones are dropped, and raw HTML is
//! sanitised unless the site allows it. A Markdown link starting with `/`
//! is site-relative and gets the site's base path.

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::iter::Peekable;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{
    CowStr, DefaultBrokenLinkCallback, Event, LinkType, OffsetIter, Options as ParseOptions,
    Parser, Tag, TagEnd, html,
};
use rustc_hash::FxHashSet;

use super::highlight;
use super::notes::{Notes, markers_html};

/// One extension construct found in a text, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    /// One source in a citation: `@source` with an optional locator.
    Citation {
        /// The cited source's id.
        source: String,
        /// The locator after the first comma, trimmed (`para 4`).
        loc: Option<String>,
    },
    /// A cross-link to a record.
    Link {
        /// The kind prefix (`actor`, `place`, `event`, `source`, `page`), if written.
        kind: Option<String>,
        /// The record's id.
        id: String,
        /// The label after `|`, as written, if any.
        label: Option<String>,
    },
}

/// A reference with the byte range of its whole construct (e.g.
/// `[[syria|the state]]` or `[@a; @b]`) in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// What was found.
    pub reference: Reference,
    /// Where: byte offsets into the scanned text.
    pub range: Range<usize>,
}

/// A malformed construct (`[[]]`, `[[Bad Id]]`, `[[weird:id]]`, `[@]`,
/// `[@a;]`): what is wrong, how to fix it, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxProblem {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The byte range of the whole construct in the text.
    pub range: Range<usize>,
}

/// What a render needs from the site.
pub trait Links {
    /// The href (already with the base path) and display name of a
    /// cross-link target; `None` if unknown (then the raw text is rendered
    /// escaped: the build has already reported it).
    fn link(&self, kind: Option<&str>, id: &str) -> Option<(String, Cow<'_, str>)>;
    /// The display name alone, for plain text: the name [`Links::link`]
    /// gives, unless a site can find it without making the href.
    fn name(&self, kind: Option<&str>, id: &str) -> Option<Cow<'_, str>> {
        self.link(kind, id).map(|(_, name)| name)
    }
    /// The site's base path, e.g. `/` or `/repo/`.
    fn base_path(&self) -> &str;
}

/// Rendering switches.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Let raw HTML through as written (for sites whose every editor is
    /// trusted); when false it is sanitised.
    pub allow_raw_html: bool,
}

/// The kinds a cross-link may name before a colon.
pub const LINK_KINDS: [&str; 5] = ["actor", "place", "event", "source", "page"];

/// The hint for an id that breaks the rules.
const ID_HINT: &str =
    "ids are lowercase ASCII letters, digits and single hyphens, at most 100 characters";

/// The hint for a malformed citation.
const CITATION_HINT: &str = "write [@source-id], [@source-id, para 4] or [@a; @b, p. 3]; \
     write \\[@ for a literal bracket";

/// The hint for a malformed cross-link.
const LINK_HINT: &str = "write [[id]], [[kind:id]], [[id|label]] or [[kind:id|label]], \
     kind being actor, place, event, source or page";

/// Every extension construct in a text, and every malformed one, in
/// reading order; no HTML is produced.
pub fn scan(text: &str) -> (Vec<Found>, Vec<SyntaxProblem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for step in Walk::new(text) {
        match step {
            Step::Cite { items, range } => {
                found.extend(items.into_iter().map(|item| Found {
                    reference: Reference::Citation {
                        source: item.source.to_owned(),
                        loc: item.loc.map(Cow::into_owned),
                    },
                    range: range.clone(),
                }));
            }
            Step::CrossLink(link) => {
                let (kind, id) = link.target();
                let reference = Reference::Link {
                    kind: kind.map(str::to_owned),
                    id: id.to_owned(),
                    label: link.label.map(str::to_owned),
                };
                found.push(Found {
                    reference,
                    range: link.range.clone(),
                });
            }
            Step::Problem(problem) => problems.push(problem),
            Step::Event(_) | Step::Text(_) | Step::CrossLinkEnd => {}
        }
    }
    (found, problems)
}

/// Render Markdown to safe HTML, numbering citations into `notes`.
pub fn render(text: &str, links: &dyn Links, notes: &mut Notes, options: Options) -> String {
    Renderer::new(text, links, notes).run(options, false)
}

/// Render a short single-paragraph text (claim text, titles with Markdown)
/// without the wrapping `<p>`. Text of several blocks keeps its block tags.
pub fn render_inline(text: &str, links: &dyn Links, notes: &mut Notes, options: Options) -> String {
    Renderer::new(text, links, notes).run(options, true)
}

/// Append `text` to `out`, escaped for HTML text and attribute values.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..index]);
        out.push_str(entity);
        start = index + 1;
    }
    out.push_str(&text[start..]);
}

/// `text` escaped for HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// Whether `id` follows the id rules: lowercase ASCII letters, digits and
/// single hyphens (none at either end), at most 100 characters.
pub fn is_valid_id(id: &str) -> bool {
    crate::model::id::validate(id).is_ok()
}

// ---------------------------------------------------------------------------
// The walk: Markdown events with the extensions picked out. Shared by `scan`
// and `render`, so both see exactly the same constructs.
// ---------------------------------------------------------------------------

/// One step of a walk over a text.
enum Step<'a> {
    /// A Markdown event other than text outside code, passed on as is.
    Event(Event<'a>),
    /// Text (consecutive text events merged), not yet escaped.
    Text(CowStr<'a>),
    /// A citation group.
    Cite {
        /// Its citations, in order.
        items: Vec<CiteItem<'a>>,
        /// The whole `[@…]` construct.
        range: Range<usize>,
    },
    /// A well-formed cross-link; when labelled, the label's events follow,
    /// then [`Step::CrossLinkEnd`].
    CrossLink(CrossLink<'a>),
    /// The end of a labelled cross-link.
    CrossLinkEnd,
    /// A malformed construct; the walk also passes its text on as text.
    Problem(SyntaxProblem),
}

/// One citation in a group.
struct CiteItem<'a> {
    /// The source id.
    source: &'a str,
    /// The locator, trimmed, backslash escapes removed.
    loc: Option<Cow<'a, str>>,
}

/// A well-formed cross-link.
struct CrossLink<'a> {
    /// What is between `[[` and `|` (or `]]`), trimmed: `id` or `kind:id`.
    target: CowStr<'a>,
    /// The label as written, if any.
    label: Option<&'a str>,
    /// The whole `[[…]]` construct.
    range: Range<usize>,
}

impl CrossLink<'_> {
    /// The kind (if written) and id of the target.
    fn target(&self) -> (Option<&str>, &str) {
        split_target(&self.target)
    }
}

/// A text event with where it came from.
struct Segment<'a> {
    /// The decoded text.
    text: CowStr<'a>,
    /// Its bytes in the source.
    range: Range<usize>,
}

impl Segment<'_> {
    /// Whether the text is the source as written (no entity, smart quote…),
    /// so that source offsets inside it are text offsets too.
    fn verbatim(&self, source: &str) -> bool {
        source.get(self.range.clone()) == Some(&*self.text)
    }
}

/// An iterator of [`Step`]s over one text.
struct Walk<'a> {
    /// The text.
    source: &'a str,
    /// pulldown-cmark's events with their source ranges.
    events: Peekable<OffsetIter<'a, DefaultBrokenLinkCallback>>,
    /// Steps made but not yet returned.
    pending: VecDeque<Step<'a>>,
    /// Whether the walk is inside a code block.
    in_code: bool,
    /// How many links, images and labels the walk is inside: their text is
    /// not scanned for extensions (no anchors inside anchors).
    opaque: usize,
    /// For each open link, whether it is a labelled cross-link.
    links: Vec<bool>,
}

impl<'a> Walk<'a> {
    /// A walk over `source`.
    fn new(source: &'a str) -> Walk<'a> {
        let options = ParseOptions::ENABLE_TABLES
            | ParseOptions::ENABLE_STRIKETHROUGH
            | ParseOptions::ENABLE_SMART_PUNCTUATION
            | ParseOptions::ENABLE_WIKILINKS;
        Walk {
            source,
            events: Parser::new_ext(source, options)
                .into_offset_iter()
                .peekable(),
            pending: VecDeque::new(),
            in_code: false,
            opaque: 0,
            links: Vec::new(),
        }
    }

    /// Turn one event into steps on the queue.
    fn step(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Text(text) if !self.in_code => self.text(text, range),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.cross_link(dest_url, has_pothole, range),
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code = true;
                self.pass(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.pass(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(tag @ Tag::Link { .. }) => {
                self.links.push(false);
                self.opaque += 1;
                self.pass(Event::Start(tag));
            }
            Event::End(TagEnd::Link) => self.end_link(),
            Event::Start(tag @ Tag::Image { .. }) => {
                self.opaque += 1;
                self.pass(Event::Start(tag));
            }
            Event::End(TagEnd::Image) => {
                self.opaque = self.opaque.saturating_sub(1);
                self.pass(Event::End(TagEnd::Image));
            }
            other => self.pass(other),
        }
    }

    /// Queue an event unchanged.
    fn pass(&mut self, event: Event<'a>) {
        self.pending.push_back(Step::Event(event));
    }

    /// The end of a link or a labelled cross-link.
    fn end_link(&mut self) {
        let cross_link = self.links.pop();
        if cross_link.is_some() {
            self.opaque = self.opaque.saturating_sub(1);
        }
        if cross_link == Some(true) {
            self.pending.push_back(Step::CrossLinkEnd);
        } else {
            self.pass(Event::End(TagEnd::Link));
        }
    }

    /// A `[[…]]` that pulldown-cmark recognised.
    fn cross_link(&mut self, dest: CowStr<'a>, labelled: bool, range: Range<usize>) {
        let raw = self.source.get(range.clone()).unwrap_or_default();
        if self.opaque > 0 {
            // Inside a link or an image: no link in a link.
            self.skip_to_end();
            self.pending.push_back(Step::Text(raw.into()));
            return;
        }
        let label = labelled.then(|| label_of(raw));
        let target = trim_cow(dest);
        if let Err((message, hint)) = check_cross_link(&target, label) {
            self.skip_to_end();
            self.pending.push_back(Step::Problem(SyntaxProblem {
                message,
                hint: Some(hint.to_owned()),
                range,
            }));
            self.pending.push_back(Step::Text(raw.into()));
            return;
        }
        let link = CrossLink {
            target,
            label,
            range,
        };
        if labelled {
            self.links.push(true);
            self.opaque += 1;
        } else {
            self.skip_to_end();
        }
        self.pending.push_back(Step::CrossLink(link));
    }

    /// Drop the events up to and including the end of the current tag.
    fn skip_to_end(&mut self) {
        let mut depth = 0usize;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return,
                Event::End(_) => depth -= 1,
                _ => {}
            }
        }
    }

    /// A run of text events, merged, with the extensions picked out.
    fn text(&mut self, first: CowStr<'a>, range: Range<usize>) {
        let mut segments = vec![Segment { text: first, range }];
        while let Some((Event::Text(_), _)) = self.events.peek() {
            if let Some((Event::Text(text), range)) = self.events.next() {
                segments.push(Segment { text, range });
            }
        }
        let start = segments.first().map_or(0, |segment| segment.range.start);
        let end = segments.last().map_or(start, |segment| segment.range.end);
        let span = start..end;
        let has_bracket = self
            .source
            .get(span.clone())
            .is_some_and(|raw| raw.contains('['));
        if self.opaque > 0 || !has_bracket {
            self.push_text(merge(segments));
            return;
        }
        // Text as written, in one piece (the usual case): the text between
        // constructs is a slice of the source, not a copy of its segments.
        let as_written = segments
            .windows(2)
            .all(|pair| pair[0].range.end == pair[1].range.start)
            && segments.iter().all(|segment| segment.verbatim(self.source));
        let between = |range: Range<usize>| -> CowStr<'a> {
            if as_written {
                CowStr::Borrowed(self.source.get(range).unwrap_or_default())
            } else {
                text_between(&segments, self.source, range)
            }
        };
        let mut cursor = span.start;
        for (range, parsed) in constructs(self.source, span.clone()) {
            match parsed {
                Err((message, hint)) => self.pending.push_back(Step::Problem(SyntaxProblem {
                    message,
                    hint: Some(hint.to_owned()),
                    range,
                })),
                Ok(items) => {
                    if splits_segment(&segments, self.source, &range) {
                        continue;
                    }
                    self.push_text(between(cursor..range.start));
                    cursor = range.end;
                    self.pending.push_back(Step::Cite { items, range });
                }
            }
        }
        self.push_text(between(cursor..span.end));
    }

    /// Queue text, unless empty.
    fn push_text(&mut self, text: CowStr<'a>) {
        if !text.is_empty() {
            self.pending.push_back(Step::Text(text));
        }
    }
}

impl<'a> Iterator for Walk<'a> {
    type Item = Step<'a>;

    fn next(&mut self) -> Option<Step<'a>> {
        loop {
            if let Some(step) = self.pending.pop_front() {
                return Some(step);
            }
            let (event, range) = self.events.next()?;
            self.step(event, range);
        }
    }
}

/// The text of several segments as one.
fn merge(segments: Vec<Segment<'_>>) -> CowStr<'_> {
    let mut segments = segments.into_iter();
    let Some(first) = segments.next() else {
        return CowStr::Borrowed("");
    };
    let Some(second) = segments.next() else {
        return first.text;
    };
    let mut text = String::from(&*first.text);
    text.push_str(&second.text);
    for segment in segments {
        text.push_str(&segment.text);
    }
    text.into()
}

/// The decoded text of the source bytes `range`, from the segments: a
/// segment that is not verbatim goes whole to the range its start is in.
fn text_between<'a>(segments: &[Segment<'a>], source: &str, range: Range<usize>) -> CowStr<'a> {
    let mut text = String::new();
    for segment in segments {
        let start = segment.range.start.max(range.start);
        let end = segment.range.end.min(range.end);
        if start >= end {
            continue;
        }
        if segment.verbatim(source) {
            let from = start - segment.range.start;
            let to = end - segment.range.start;
            text.push_str(segment.text.get(from..to).unwrap_or_default());
        } else if range.contains(&segment.range.start) {
            text.push_str(&segment.text);
        }
    }
    text.into()
}

/// Whether a construct's edge falls inside a segment whose text is not its
/// source (an entity or a smart quote): then it is left as text.
fn splits_segment(segments: &[Segment<'_>], source: &str, range: &Range<usize>) -> bool {
    segments.iter().any(|segment| {
        let inside = |at: usize| segment.range.start < at && at < segment.range.end;
        (inside(range.start) || inside(range.end)) && !segment.verbatim(source)
    })
}

/// What a bracketed construct in text turned out to be.
type Parsed<'a> = Result<Vec<CiteItem<'a>>, (String, &'static str)>;

/// The citations and malformed constructs in `source[span]`, a run of text.
fn constructs(source: &str, span: Range<usize>) -> Vec<(Range<usize>, Parsed<'_>)> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut at = span.start;
    while let Some(open) = find_byte(bytes, b'[', at..span.end) {
        at = open + 1;
        if is_escaped(bytes, open) {
            continue;
        }
        match bytes.get(open + 1) {
            Some(b'[') => {
                // pulldown-cmark did not take it as a cross-link: malformed.
                if let Some(close) = find_pair(bytes, open + 2..span.end) {
                    let message =
                        format!("malformed cross-link {}", quoted(&source[open..close + 2]));
                    found.push((open..close + 2, Err((message, LINK_HINT))));
                    at = close + 2;
                }
            }
            Some(b'@') => {
                let close = find_bracket(bytes, open + 2..span.end);
                if let Some((close, b']')) = close {
                    let body = &source[open + 1..close];
                    found.push((open..close + 1, parse_citations(body)));
                    at = close + 1;
                }
            }
            _ => {}
        }
    }
    found
}

/// The citations in the body of `[@a; @b, p. 3]` (between the brackets).
fn parse_citations(body: &str) -> Parsed<'_> {
    let mut items = Vec::new();
    for part in body.split(';') {
        let part = part.trim();
        if part.is_empty() {
            return Err(("empty citation in a group".to_owned(), CITATION_HINT));
        }
        let Some(rest) = part.strip_prefix('@') else {
            let message = format!("citation {} does not start with @", quoted(part));
            return Err((message, CITATION_HINT));
        };
        let (source, loc) = match rest.split_once(',') {
            Some((source, loc)) => (source.trim_end(), Some(loc.trim())),
            None => (rest.trim_end(), None),
        };
        if source.is_empty() {
            return Err(("citation without a source id".to_owned(), CITATION_HINT));
        }
        if !is_valid_id(source) {
            let message = format!("invalid source id {} in a citation", quoted(source));
            return Err((message, ID_HINT));
        }
        if loc == Some("") {
            return Err(("empty locator after the comma".to_owned(), CITATION_HINT));
        }
        items.push(CiteItem {
            source,
            loc: loc.map(unescape),
        });
    }
    Ok(items)
}

/// Check a cross-link's target and label.
fn check_cross_link(target: &str, label: Option<&str>) -> Result<(), (String, &'static str)> {
    if target.is_empty() {
        return Err(("cross-link without an id".to_owned(), LINK_HINT));
    }
    let (kind, id) = split_target(target);
    if let Some(kind) = kind.filter(|kind| !LINK_KINDS.contains(kind)) {
        let message = format!("unknown kind {} in cross-link", quoted(kind));
        return Err((message, LINK_HINT));
    }
    if !is_valid_id(id) {
        let message = format!("invalid id {} in cross-link", quoted(id));
        return Err((message, ID_HINT));
    }
    if label.is_some_and(str::is_empty) {
        return Err(("empty label in cross-link".to_owned(), LINK_HINT));
    }
    Ok(())
}

/// A target's kind (when it has one) and id.
fn split_target(target: &str) -> (Option<&str>, &str) {
    match target.split_once(':') {
        Some((kind, id)) => (Some(kind), id),
        None => (None, target),
    }
}

/// The label of a labelled `[[target|label]]`, trimmed.
fn label_of(raw: &str) -> &str {
    let inner = raw.strip_prefix("[[").unwrap_or(raw);
    let inner = inner.strip_suffix("]]").unwrap_or(inner);
    inner.split_once('|').map_or("", |(_, label)| label.trim())
}

/// A cross-link target trimmed, without the backslash of an escaped `\|`
/// (needed in tables).
fn trim_cow(dest: CowStr<'_>) -> CowStr<'_> {
    let start = dest.len() - dest.trim_start().len();
    let trimmed = dest.trim();
    let end = start
        + trimmed
            .strip_suffix('\\')
            .unwrap_or(trimmed)
            .trim_end()
            .len();
    if start == 0 && end == dest.len() {
        return dest;
    }
    match dest {
        CowStr::Borrowed(text) => CowStr::Borrowed(text.get(start..end).unwrap_or_default()),
        other => other.get(start..end).unwrap_or_default().to_owned().into(),
    }
}

/// `text` with backslash escapes of ASCII punctuation removed.
fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` in quotes for a message, shortened when long.
fn quoted(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("'{}…'", &text[..cut]),
        None => format!("'{text}'"),
    }
}

/// The first `byte` in `bytes[range]`.
fn find_byte(bytes: &[u8], byte: u8, range: Range<usize>) -> Option<usize> {
    let start = range.start;
    bytes
        .get(range)?
        .iter()
        .position(|&b| b == byte)
        .map(|offset| start + offset)
}

/// The first `[` or `]` in `bytes[range]`, and which.
fn find_bracket(bytes: &[u8], range: Range<usize>) -> Option<(usize, u8)> {
    let start = range.start;
    bytes
        .get(range)?
        .iter()
        .enumerate()
        .find(|&(_, &b)| b == b'[' || b == b']')
        .map(|(offset, &b)| (start + offset, b))
}

/// The first `]]` in `bytes[range]`, unless a `[` comes before it.
fn find_pair(bytes: &[u8], range: Range<usize>) -> Option<usize> {
    let start = range.start;
    bytes
        .get(range)?
        .windows(2)
        .take_while(|pair| pair.first() != Some(&b'['))
        .position(|pair| pair == b"]]")
        .map(|offset| start + offset)
}

/// Whether the byte at `at` follows an odd number of backslashes.
fn is_escaped(bytes: &[u8], at: usize) -> bool {
    let before = bytes.get(..at).unwrap_or_default();
    before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/// The state of one render.
struct Renderer<'a, 'r> {
    /// The text.
    source: &'a str,
    /// Cross-link targets and the base path.
    links: &'r dyn Links,
    /// The page's notes.
    notes: &'r mut Notes,
    /// The events to write.
    out: Vec<Event<'a>>,
    /// For each open Markdown link or image: whether its tag was written
    /// (false when its address was unsafe).
    kept: Vec<bool>,
    /// The open heading: its start event's index in `out` and its text.
    heading: Option<(usize, String)>,
    /// The heading ids used so far.
    slugs: FxHashSet<String>,
    /// The open code block: its info string and code.
    code: Option<(CowStr<'a>, String)>,
    /// Whether the text had raw HTML.
    raw_html: bool,
    /// How many blocks the text has at its top level.
    blocks: usize,
    /// How deep in tags the walk is.
    depth: usize,
}

impl<'a, 'r> Renderer<'a, 'r> {
    /// A renderer for `source`.
    fn new(source: &'a str, links: &'r dyn Links, notes: &'r mut Notes) -> Self {
        Renderer {
            source,
            links,
            notes,
            out: Vec::new(),
            kept: Vec::new(),
            heading: None,
            slugs: FxHashSet::default(),
            code: None,
            raw_html: false,
            blocks: 0,
            depth: 0,
        }
    }

    /// Render the whole text; `inline` drops a lone paragraph's `<p>`.
    fn run(mut self, options: Options, inline: bool) -> String {
        let mut walk = Walk::new(self.source);
        while let Some(step) = walk.next() {
            self.step(step, &mut walk);
        }
        let mut events = std::mem::take(&mut self.out);
        if inline && self.blocks == 1 && is_lone_paragraph(&events) {
            events.pop();
            events.remove(0);
        }
        let mut html = String::with_capacity(self.source.len() + self.source.len() / 2);
        html::push_html(&mut html, events.into_iter());
        if self.raw_html && !options.allow_raw_html {
            html = sanitizer().clean(&html).to_string();
        }
        if inline {
            html.truncate(html.trim_end().len());
        }
        html
    }

    /// Handle one step of the walk.
    fn step(&mut self, step: Step<'a>, walk: &mut Walk<'a>) {
        match step {
            Step::Event(event) => {
                self.count_blocks(&event);
                self.event(event);
            }
            Step::Text(text) => {
                self.count_text();
                self.heading_text(&text);
                self.out.push(Event::Text(text));
            }
            Step::Cite { items, .. } => {
                let markers: Vec<_> = items
                    .iter()
                    .map(|item| self.notes.cite(item.source, item.loc.as_deref(), None))
                    .collect();
                self.out
                    .push(Event::InlineHtml(markers_html(&markers).into()));
            }
            Step::CrossLink(link) => self.cross_link(link, walk),
            Step::CrossLinkEnd => self.out.push(Event::InlineHtml("</a>".into())),
            Step::Problem(_) => {}
        }
    }

    /// A cross-link: a link to its target, or its text when unknown.
    fn cross_link(&mut self, link: CrossLink<'a>, walk: &mut Walk<'a>) {
        let (kind, id) = link.target();
        let Some((href, name)) = self.links.link(kind, id) else {
            let raw = self.source.get(link.range).unwrap_or_default();
            self.heading_text(raw);
            self.out.push(Event::Text(raw.into()));
            if link.label.is_some() {
                // Drop the label: the raw text already has it.
                for step in walk.by_ref() {
                    if matches!(step, Step::CrossLinkEnd) {
                        break;
                    }
                }
            }
            return;
        };
        let mut html = String::with_capacity(href.len() + name.len() + 32);
        html.push_str("<a class=\"xref\" href=\"");
        push_escaped(&mut html, &href);
        html.push_str("\">");
        if link.label.is_none() {
            push_escaped(&mut html, &name);
            html.push_str("</a>");
            self.heading_text(&name);
        }
        self.out.push(Event::InlineHtml(html.into()));
    }

    /// A Markdown event.
    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(text) => match &mut self.code {
                Some((_, code)) => code.push_str(&text),
                None => self.out.push(Event::Text(text)),
            },
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info,
                    pulldown_cmark::CodeBlockKind::Indented => CowStr::Borrowed(""),
                };
                self.code = Some((info, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, code)) = self.code.take() {
                    let block = highlight::code_block(&code, &info);
                    self.notes.mark_code();
                    self.out.push(Event::Html(block.into()));
                }
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                self.heading = Some((self.out.len(), String::new()));
                self.out.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                self.end_heading();
                self.out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Code(code) => {
                self.heading_text(&code);
                self.out.push(Event::Code(code));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.raw_html = true;
                self.out.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.safe_url(dest_url);
                self.kept.push(dest_url.is_some());
                if let Some(dest_url) = dest_url {
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.safe_url(dest_url);
                self.kept.push(dest_url.is_some());
                if let Some(dest_url) = dest_url {
                    self.out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if self.kept.pop() == Some(true) {
                    self.out.push(Event::End(end));
                }
            }
            other => self.out.push(other),
        }
    }

    /// Give the open heading its id.
    fn end_heading(&mut self) {
        let Some((index, text)) = self.heading.take() else {
            return;
        };
        let slug = unique_slug(&text, &mut self.slugs);
        if let Some(Event::Start(Tag::Heading { id, .. })) = self.out.get_mut(index) {
            *id = Some(slug.into());
        }
    }

    /// Add to the open heading's text, if any.
    fn heading_text(&mut self, text: &str) {
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
        }
    }

    /// Keep count of top-level blocks and tag depth.
    fn count_blocks(&mut self, event: &Event<'_>) {
        match event {
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Start(_) => {
                self.count_text();
                self.depth += 1;
            }
            _ => self.count_text(),
        }
    }

    /// Count anything at the top level as a block.
    fn count_text(&mut self) {
        if self.depth == 0 {
            self.blocks += 1;
        }
    }

    /// A link or image address if safe, made site-relative when it starts
    /// with a single `/`.
    fn safe_url(&self, url: CowStr<'a>) -> Option<CowStr<'a>> {
        if !is_safe_url(&url) {
            return None;
        }
        let site_relative =
            url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
        if !site_relative {
            return Some(url);
        }
        let base = self.links.base_path().trim_end_matches('/');
        Some(format!("{base}{url}").into())
    }
}

/// Whether the events are one paragraph: `Start(Paragraph)` … `End(Paragraph)`.
fn is_lone_paragraph(events: &[Event<'_>]) -> bool {
    matches!(events.first(), Some(Event::Start(Tag::Paragraph)))
        && matches!(events.last(), Some(Event::End(TagEnd::Paragraph)))
}

/// Whether a link or image address is allowed: http, https, mailto,
/// relative, site-relative or a `#fragment`.
///
/// The scheme is read the way a browser would after dropping whitespace
/// and control characters, so `java\tscript:` and ` JavaScript:` are caught.
pub fn is_safe_url(url: &str) -> bool {
    const LONGEST: usize = 6;
    let mut scheme = [0u8; LONGEST];
    let mut len = 0;
    for c in url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
    {
        match c {
            ':' => {
                let scheme = scheme.get(..len).unwrap_or_default();
                return matches!(scheme, b"http" | b"https" | b"mailto");
            }
            '/' | '?' | '#' => return true,
            _ => {
                if let Some(slot) = scheme.get_mut(len) {
                    *slot = if c.is_ascii() {
                        c.to_ascii_lowercase() as u8
                    } else {
                        0
                    };
                }
                len += 1;
            }
        }
    }
    true
}

/// A heading id from its text, unique among `used` (to which it is added).
fn unique_slug(text: &str, used: &mut FxHashSet<String>) -> String {
    let mut base = slugify(text);
    if is_reserved(&base) {
        base.insert_str(0, "section-");
    }
    let mut slug = base.clone();
    let mut n = 0u64;
    while used.contains(&slug) {
        n += 1;
        slug = format!("{base}-{n}");
    }
    used.insert(slug.clone());
    slug
}

/// The ids dossier gives notes and markers, which headings must not take.
fn is_reserved(slug: &str) -> bool {
    let numbered = |prefix: &str| {
        slug.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        })
    };
    slug == "notes-heading" || numbered("note-") || numbered("cite-")
}

/// An id from a heading's text: lowercase letters and digits, words joined
/// by hyphens; `section` when nothing is left.
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            gap = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// The sanitiser for raw HTML: ammonia's defaults (no scripts, styles,
/// event handlers or dangerous URLs), keeping the markup dossier emits.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(None)
            .add_tag_attributes("a", ["id", "aria-describedby"])
            .add_tag_attributes("sup", ["id"])
            .add_tag_attributes("li", ["id"])
            .add_tag_attributes("span", ["class"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .add_allowed_classes("a", ["xref"])
            .add_allowed_classes("sup", ["cite"])
            .add_allowed_classes("pre", [highlight::BLOCK_CLASS])
            .attribute_filter(keep_attribute);
        for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
            builder.add_tag_attributes(heading, ["id"]);
        }
        builder
    })
}

/// ammonia's attribute filter: a `<span>` keeps only the highlighting
/// classes (`hl-…`).
fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    if element != "span" || attribute != "class" {
        return Some(Cow::Borrowed(value));
    }
    let is_ours = |class: &&str| class.starts_with("hl-");
    if value.split_whitespace().all(|class| is_ours(&class)) {
        return Some(Cow::Borrowed(value));
    }
    let kept: Vec<&str> = value.split_whitespace().filter(is_ours).collect();
    (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site with a few records, published under `base`.
    struct Site {
        base: &'static str,
    }

    impl Links for Site {
        fn link(&self, kind: Option<&str>, id: &str) -> Option<(String, Cow<'_, str>)> {
            let (folder, name) = match (kind, id) {
                (None | Some("actor"), "sdf") => ("actors", "Syrian Democratic Forces"),
                (Some("actor"), "syria") => ("actors", "Syria (state)"),
                (Some("place"), "syria") => ("places", "Syria"),
                (None | Some("place"), "raqqa") => ("places", "Raqqa"),
                (None | Some("page"), "about") => ("", "About <us>"),
                _ => return None,
            };
            let href = if folder.is_empty() {
                format!("{}{id}/", self.base)
            } else {
                format!("{}{folder}/{id}/", self.base)
            };
            Some((href, name.into()))
        }

        fn base_path(&self) -> &str {
            self.base
        }
    }

    /// A site where every id exists.
    struct Everything;

    impl Links for Everything {
        fn link(&self, _: Option<&str>, id: &str) -> Option<(String, Cow<'_, str>)> {
            Some((format!("/x/{id}/"), id.to_owned().into()))
        }

        fn base_path(&self) -> &str {
            "/"
        }
    }

    const SITE: Site = Site { base: "/" };
    const REPO: Site = Site { base: "/repo/" };
    const SAFE: Options = Options {
        allow_raw_html: false,
    };
    const TRUSTED: Options = Options {
        allow_raw_html: true,
    };

    /// Render with the site at `/` and fresh notes.
    fn html(text: &str) -> String {
        render(text, &SITE, &mut Notes::new(), SAFE)
    }

    /// Render inline with the site at `/` and fresh notes.
    fn inline(text: &str) -> String {
        render_inline(text, &SITE, &mut Notes::new(), SAFE)
    }

    /// Render and return the notes as (number, source, loc).
    fn notes_of(texts: &[&str]) -> Vec<(usize, String, Option<String>)> {
        let mut notes = Notes::new();
        for text in texts {
            render(text, &SITE, &mut notes, SAFE);
        }
        notes
            .into_notes()
            .into_iter()
            .map(|note| (note.number, note.source, note.loc))
            .collect()
    }

    fn note(number: usize, source: &str, loc: Option<&str>) -> (usize, String, Option<String>) {
        (number, source.to_owned(), loc.map(str::to_owned))
    }

    fn citation(source: &str, loc: Option<&str>) -> Reference {
        Reference::Citation {
            source: source.to_owned(),
            loc: loc.map(str::to_owned),
        }
    }

    fn link(kind: Option<&str>, id: &str, label: Option<&str>) -> Reference {
        Reference::Link {
            kind: kind.map(str::to_owned),
            id: id.to_owned(),
            label: label.map(str::to_owned),
        }
    }

    /// What `scan` finds, with the text of each range.
    fn found(text: &str) -> Vec<(Reference, &str)> {
        let (found, problems) = scan(text);
        assert_eq!(problems, [], "no problems expected in {text:?}");
        found
            .into_iter()
            .map(|found| (found.reference, &text[found.range]))
            .collect()
    }

    /// The one problem `scan` reports, with the text of its range.
    fn problem(text: &str) -> (String, &str) {
        let (found, problems) = scan(text);
        assert_eq!(found, [], "nothing found expected in {text:?}");
        assert_eq!(
            problems.len(),
            1,
            "one problem expected in {text:?}: {problems:?}"
        );
        let problem = &problems[0];
        assert!(problem.hint.is_some());
        (problem.message.clone(), &text[problem.range.clone()])
    }

    // --- citations -------------------------------------------------------

    #[test]
    fn citation_becomes_a_numbered_marker() {
        assert_eq!(
            html("Attacked [@lwj]."),
            "<p>Attacked <sup class=\"cite\"><a id=\"cite-1-1\" href=\"#note-1\" \
             aria-describedby=\"notes-heading\">1</a></sup>.</p>\n"
        );
    }

    #[test]
    fn citation_with_locator() {
        assert_eq!(
            notes_of(&["x [@lwj, para 4]"]),
            [note(1, "lwj", Some("para 4"))]
        );
        assert_eq!(
            notes_of(&["x [@lwj ,   para 4  ]"]),
            [note(1, "lwj", Some("para 4"))]
        );
        // Only the first comma separates.
        assert_eq!(
            notes_of(&["[@a, p. 3, n. 2]"]),
            [note(1, "a", Some("p. 3, n. 2"))]
        );
    }

    #[test]
    fn locator_is_kept_as_written_despite_smart_punctuation() {
        assert_eq!(
            notes_of(&["[@a, pp. 3--4]"]),
            [note(1, "a", Some("pp. 3--4"))]
        );
        assert_eq!(
            notes_of(&["[@a, the \"intro\"]"]),
            [note(1, "a", Some("the \"intro\""))]
        );
        assert_eq!(notes_of(&["[@a, p. 3\\*]"]), [note(1, "a", Some("p. 3*"))]);
    }

    #[test]
    fn citation_group_is_one_sup_with_several_links() {
        let mut notes = Notes::new();
        let html = render("See [@a; @b, p. 3].", &SITE, &mut notes, SAFE);
        assert_eq!(html.matches("<sup class=\"cite\">").count(), 1, "{html}");
        assert!(html.contains("href=\"#note-1\""), "{html}");
        assert!(
            html.contains(">1</a>,<a id=\"cite-2-1\" href=\"#note-2\""),
            "{html}"
        );
        let notes = notes.into_notes();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[1].loc.as_deref(), Some("p. 3"));
    }

    #[test]
    fn numbering_runs_across_texts_into_one_notes() {
        let notes = notes_of(&[
            "[@a, p. 1] and [@b]",
            "[@a, p. 1] then [@a, p. 2]; also [@b] and [@a]",
        ]);
        assert_eq!(
            notes,
            [
                note(1, "a", Some("p. 1")),
                note(2, "b", None),
                note(3, "a", Some("p. 2")),
                note(4, "a", None),
            ]
        );
    }

    #[test]
    fn repeated_citations_get_backrefs_and_distinct_marker_ids() {
        let mut notes = Notes::new();
        let first = render("[@a] [@b]", &SITE, &mut notes, SAFE);
        let second = render("[@a]", &SITE, &mut notes, SAFE);
        assert!(first.contains("id=\"cite-1-1\""), "{first}");
        assert!(first.contains("id=\"cite-2-1\""), "{first}");
        assert!(
            second.contains("id=\"cite-1-2\" href=\"#note-1\""),
            "{second}"
        );
        let notes = notes.into_notes();
        assert_eq!(notes[0].backrefs, ["cite-1-1", "cite-1-2"]);
    }

    #[test]
    fn unknown_sources_are_numbered_too() {
        assert_eq!(
            notes_of(&["[@no-such-source]"]),
            [note(1, "no-such-source", None)]
        );
    }

    #[test]
    fn escaped_bracket_is_not_a_citation() {
        let mut notes = Notes::new();
        let html = render("a \\[@lwj] b", &SITE, &mut notes, SAFE);
        assert_eq!(html, "<p>a [@lwj] b</p>\n");
        assert!(notes.is_empty());
        assert_eq!(scan("a \\[@lwj] b"), (vec![], vec![]));
        // An escaped backslash does not escape the bracket.
        assert_eq!(notes_of(&["a \\\\[@lwj]"]), [note(1, "lwj", None)]);
    }

    #[test]
    fn text_around_citations_keeps_smart_punctuation_and_entities() {
        let html = html("\"Quoted\" [@a] -- AT&amp;T's [@b]...");
        assert!(html.starts_with("<p>“Quoted” <sup"), "{html}");
        assert!(html.contains("</sup> – AT&amp;T’s <sup"), "{html}");
        assert!(html.ends_with("</sup>…</p>\n"), "{html}");
    }

    #[test]
    fn citations_in_headings_lists_and_tables() {
        let text = "## Title [@a]\n\n- item [@b]\n\n| h |\n|---|\n| cell [@c] |\n";
        let html = html(text);
        assert_eq!(html.matches("class=\"cite\"").count(), 3, "{html}");
        assert!(html.contains("<h2 id=\"title\">Title <sup"), "{html}");
    }

    #[test]
    fn brackets_that_are_not_citations_stay_text() {
        for text in [
            "[a] [b c] [ @a] [x]: y",
            "email me@example.com [note]",
            "[@a",
            "[@a [x]]",
        ] {
            let mut notes = Notes::new();
            render(text, &SITE, &mut notes, SAFE);
            assert!(notes.is_empty(), "{text}");
        }
    }

    // --- cross-links -----------------------------------------------------

    #[test]
    fn cross_link_shows_the_records_name() {
        assert_eq!(
            html("The [[sdf]] advanced."),
            "<p>The <a class=\"xref\" href=\"/actors/sdf/\">Syrian Democratic Forces</a> \
             advanced.</p>\n"
        );
    }

    #[test]
    fn cross_link_with_kind() {
        let html = html("[[actor:syria]] and [[place:syria]]");
        assert!(
            html.contains("href=\"/actors/syria/\">Syria (state)</a>"),
            "{html}"
        );
        assert!(html.contains("href=\"/places/syria/\">Syria</a>"), "{html}");
    }

    #[test]
    fn cross_link_with_label() {
        assert_eq!(
            inline("[[place:syria|the *country*]]"),
            "<a class=\"xref\" href=\"/places/syria/\">the <em>country</em></a>"
        );
        assert_eq!(
            inline("[[sdf|the SDF]]"),
            "<a class=\"xref\" href=\"/actors/sdf/\">the SDF</a>"
        );
    }

    #[test]
    fn cross_link_names_are_escaped() {
        assert_eq!(
            inline("[[about]]"),
            "<a class=\"xref\" href=\"/about/\">About &lt;us&gt;</a>"
        );
    }

    #[test]
    fn cross_link_href_comes_from_the_site() {
        let html = render("[[raqqa]]", &REPO, &mut Notes::new(), SAFE);
        assert!(html.contains("href=\"/repo/places/raqqa/\""), "{html}");
    }

    #[test]
    fn unknown_cross_link_renders_its_raw_text() {
        assert_eq!(inline("a [[nobody]] b"), "a [[nobody]] b");
        assert_eq!(
            inline("a [[nobody|the *x* <i>]] b"),
            "a [[nobody|the *x* &lt;i&gt;]] b"
        );
        assert_eq!(inline("[[event:sdf]]"), "[[event:sdf]]");
    }

    #[test]
    fn cross_link_in_a_table_with_escaped_pipe() {
        let html = html("| who |\n|---|\n| [[sdf\\|SDF]] |\n");
        assert!(
            html.contains("<td><a class=\"xref\" href=\"/actors/sdf/\">SDF</a></td>"),
            "{html}"
        );
        assert_eq!(
            found("| who |\n|---|\n| [[sdf\\|SDF]] |\n"),
            [(link(None, "sdf", Some("SDF")), "[[sdf\\|SDF]]")]
        );
    }

    #[test]
    fn cross_link_id_is_trimmed() {
        assert_eq!(
            inline("[[ raqqa ]]"),
            "<a class=\"xref\" href=\"/places/raqqa/\">Raqqa</a>"
        );
    }

    #[test]
    fn no_cross_links_or_citations_inside_links_and_images() {
        let mut notes = Notes::new();
        let html = render(
            "[see [@a]](https://x.org/) ![alt [@b]](/i.png)",
            &SITE,
            &mut notes,
            SAFE,
        );
        assert!(notes.is_empty(), "{html}");
        assert!(!html.contains("xref"), "{html}");
        assert!(
            html.contains("<a href=\"https://x.org/\">see [@a]</a>"),
            "{html}"
        );
        assert!(html.contains("alt=\"alt [@b]\""), "{html}");
        assert_eq!(
            scan("[see [@a]](https://x.org/) ![alt [@b]](/i.png)"),
            (vec![], vec![])
        );
    }

    // --- code ------------------------------------------------------------

    #[test]
    fn code_spans_are_left_alone() {
        let mut notes = Notes::new();
        let html = render("Write `[@a]` or `[[sdf]]`.", &SITE, &mut notes, SAFE);
        assert_eq!(
            html,
            "<p>Write <code>[@a]</code> or <code>[[sdf]]</code>.</p>\n"
        );
        assert!(notes.is_empty());
        assert_eq!(scan("Write `[@a]` or `[[sdf]]`."), (vec![], vec![]));
    }

    #[test]
    fn code_blocks_are_left_alone() {
        for text in [
            "```\n[@a] [[sdf]] [[]]\n```\n",
            "    [@a] [[sdf]]\n",
            "~~~text\n[@a]\n~~~\n",
        ] {
            let mut notes = Notes::new();
            let html = render(text, &SITE, &mut notes, SAFE);
            assert!(notes.is_empty(), "{html}");
            assert!(!html.contains("xref"), "{html}");
            assert!(html.contains("[@a]"), "{html}");
            assert_eq!(scan(text), (vec![], vec![]), "{text}");
        }
    }

    #[test]
    fn fenced_code_is_highlighted_with_classes() {
        let html = html("```rust\nfn main() { let s = \"<b>\"; }\n```\n");
        assert!(html.starts_with("<pre class=\"hl-code\"><code>"), "{html}");
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn code_without_a_known_language_is_plain() {
        assert_eq!(
            html("```\na < b\n```\n"),
            "<pre><code>a &lt; b\n</code></pre>\n"
        );
        assert_eq!(
            html("```nosuchlang\na < b\n```\n"),
            "<pre><code>a &lt; b\n</code></pre>\n"
        );
        assert_eq!(html("    a < b\n"), "<pre><code>a &lt; b\n</code></pre>\n");
    }

    #[test]
    fn highlighting_survives_sanitising() {
        let html = html("<b>raw</b>\n\n```rust\nfn main() {}\n```\n");
        assert!(html.contains("<pre class=\"hl-code\"><code>"), "{html}");
        assert!(html.contains("<span class=\"hl-"), "{html}");
    }

    // --- links and safety -------------------------------------------------

    #[test]
    fn site_relative_links_get_the_base_path() {
        assert_eq!(inline("[a](/about/)"), "<a href=\"/about/\">a</a>");
        let repo = |text: &str| render_inline(text, &REPO, &mut Notes::new(), SAFE);
        assert_eq!(repo("[a](/about/)"), "<a href=\"/repo/about/\">a</a>");
        assert_eq!(repo("[home](/)"), "<a href=\"/repo/\">home</a>");
        assert_eq!(
            repo("![map](/static/map.png)"),
            "<img src=\"/repo/static/map.png\" alt=\"map\" />"
        );
        let bare = Site { base: "/repo" };
        let html = render_inline("[a](/about/)", &bare, &mut Notes::new(), SAFE);
        assert_eq!(html, "<a href=\"/repo/about/\">a</a>");
    }

    #[test]
    fn other_links_are_left_as_written() {
        let repo = |text: &str| render_inline(text, &REPO, &mut Notes::new(), SAFE);
        assert_eq!(
            repo("[a](//cdn.example/x)"),
            "<a href=\"//cdn.example/x\">a</a>"
        );
        assert_eq!(repo("[a](about/)"), "<a href=\"about/\">a</a>");
        assert_eq!(repo("[a](#notes)"), "<a href=\"#notes\">a</a>");
        assert_eq!(
            repo("[a](https://x.org/?q=1&r=2)"),
            "<a href=\"https://x.org/?q=1&amp;r=2\">a</a>"
        );
        assert_eq!(
            repo("[a](MAILTO:x@y.org)"),
            "<a href=\"MAILTO:x@y.org\">a</a>"
        );
        assert_eq!(repo("<x@y.org>"), "<a href=\"mailto:x@y.org\">x@y.org</a>");
        assert_eq!(
            repo("<https://x.org>"),
            "<a href=\"https://x.org\">https://x.org</a>"
        );
    }

    #[test]
    fn dangerous_links_lose_their_href() {
        let texts = [
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](<java\tscript:alert(1)>)",
            "[click](<  javascript:alert(1)>)",
            "[click](jav&#x61;script:alert(1))",
            "[click](&#106;avascript&#58;alert(1))",
            "[click](javascript&colon;alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD4=)",
            "[click](vbscript:msgbox(1))",
            "[click](file:///etc/passwd)",
            "[click](ja\u{0}vascript:alert(1))",
            "[click][r]\n\n[r]: javascript:alert(1)",
        ];
        for text in texts {
            let html = inline(text);
            assert!(!html.contains("<a"), "{text:?} -> {html}");
            assert!(!html.contains("href"), "{text:?} -> {html}");
            assert!(html.contains("click"), "{text:?} -> {html}");
        }
    }

    #[test]
    fn dangerous_autolinks_and_images_are_neutralised() {
        let html = inline("<javascript:alert(1)>");
        assert!(!html.contains("<a"), "{html}");
        let html = inline("![pic](javascript:alert(1)) ![pic](data:image/png;base64,AAA)");
        assert!(!html.contains("<img"), "{html}");
        assert_eq!(html, "pic pic");
    }

    #[test]
    fn url_safety_rules() {
        for safe in [
            "https://x.org",
            "HTTP://x",
            "mailto:a@b",
            "/a",
            "a/b:c",
            "#x",
            "?q=a:b",
            "",
            "a b",
        ] {
            assert!(is_safe_url(safe), "{safe}");
        }
        for unsafe_url in [
            "javascript:x",
            " JAVASCRIPT:x",
            "java\nscript:x",
            "data:x",
            "ftp://x",
            "x:y",
            "é:x",
        ] {
            assert!(!is_safe_url(unsafe_url), "{unsafe_url}");
        }
    }

    #[test]
    fn link_titles_are_escaped() {
        assert_eq!(
            inline("[a](/x \"t\\\"<\")"),
            "<a href=\"/x\" title=\"t&quot;&lt;\">a</a>"
        );
    }

    // --- raw HTML ----------------------------------------------------------

    #[test]
    fn raw_html_is_sanitised_by_default() {
        let text = "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> \
                    <a href=\"javascript:alert(1)\">x</a> <b onclick=\"y()\">bold</b>\n\n\
                    <style>p{}</style>\n\n<iframe src=\"https://x\"></iframe>\n";
        let html = html(text);
        for bad in [
            "<script",
            "alert(1)</",
            "onerror",
            "javascript:",
            "onclick",
            "<style",
            "<iframe",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(html.contains("<img src=\"x\">"), "{html}");
    }

    #[test]
    fn sanitising_keeps_dossiers_own_markup() {
        let text = "# Intro <i>x</i>\n\nSee [[sdf]] [@a; @b].\n\n| l | c |\n|:--|:-:|\n| 1 | 2 |\n";
        let mut notes = Notes::new();
        let html = render(text, &SITE, &mut notes, SAFE);
        assert!(
            html.contains("<h1 id=\"intro-x\">Intro <i>x</i></h1>"),
            "{html}"
        );
        assert!(
            html.contains("<a class=\"xref\" href=\"/actors/sdf/\">"),
            "{html}"
        );
        assert!(
            html.contains(
                "<sup class=\"cite\"><a id=\"cite-1-1\" href=\"#note-1\" \
                 aria-describedby=\"notes-heading\">1</a>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<td style=\"text-align:center\">2</td>"),
            "{html}"
        );
        assert!(!html.contains("rel="), "{html}");
    }

    #[test]
    fn sanitising_drops_foreign_classes() {
        let html =
            html("<span class=\"hl-keyword evil\">k</span> <a class=\"xref big\" href=\"/\">a</a>");
        assert!(
            html.contains("<span class=\"hl-keyword\">k</span>"),
            "{html}"
        );
        assert!(
            html.contains("<a class=\"xref\" href=\"/\">a</a>"),
            "{html}"
        );
        let html = self::html("<span class=\"evil\">k</span>");
        assert!(html.contains("<span>k</span>"), "{html}");
    }

    #[test]
    fn raw_html_passes_when_allowed() {
        let text = "<div class=\"box\" onclick=\"go()\">[@a]</div>\n\nHi <script>run()</script>\n";
        let mut notes = Notes::new();
        let html = render(text, &SITE, &mut notes, TRUSTED);
        assert!(
            html.contains("<div class=\"box\" onclick=\"go()\">"),
            "{html}"
        );
        assert!(html.contains("<script>run()</script>"), "{html}");
    }

    #[test]
    fn text_without_raw_html_is_not_sanitised() {
        // ammonia would rewrite `<br />` as `<br>`: proof it did not run.
        assert_eq!(html("a  \nb"), "<p>a<br />\nb</p>\n");
        assert_eq!(html("a  \n<i>b</i>"), "<p>a<br>\n<i>b</i></p>\n");
    }

    #[test]
    fn angle_brackets_in_text_are_escaped() {
        assert_eq!(inline("1 < 2 > 0 & \"q\""), "1 &lt; 2 &gt; 0 &amp; “q”");
    }

    // --- headings ----------------------------------------------------------

    #[test]
    fn headings_get_unique_ids() {
        let html = html("# Intro\n\n## Intro\n\n## Intro\n\n## Intro 1\n");
        assert!(html.contains("<h1 id=\"intro\">"), "{html}");
        assert!(html.contains("<h2 id=\"intro-1\">Intro</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"intro-2\">Intro</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"intro-1-1\">Intro 1</h2>"), "{html}");
    }

    #[test]
    fn heading_ids_from_text() {
        let id = |text: &str| {
            let html = html(text);
            let start = html.find("id=\"").map_or(0, |at| at + 4);
            let end = html[start..].find('"').map_or(start, |len| start + len);
            html[start..end].to_owned()
        };
        assert_eq!(
            id("## The *Battle* of `Raqqa`, 2017!"),
            "the-battle-of-raqqa-2017"
        );
        assert_eq!(id("## About [[sdf]]"), "about-syrian-democratic-forces");
        assert_eq!(id("## About [[sdf|them]] [@a]"), "about-them");
        assert_eq!(id("## Ça va -- déjà"), "ça-va-déjà");
        assert_eq!(id("## ???"), "section");
        assert_eq!(id("#"), "section");
        assert_eq!(id("Setext\n======"), "setext");
    }

    #[test]
    fn headings_do_not_take_note_ids() {
        let html = html("## Note 3\n\n## Cite 1 2\n\n## Notes heading\n\n## Notes\n");
        assert!(html.contains("<h2 id=\"section-note-3\">"), "{html}");
        assert!(html.contains("<h2 id=\"section-cite-1-2\">"), "{html}");
        assert!(html.contains("<h2 id=\"section-notes-heading\">"), "{html}");
        assert!(html.contains("<h2 id=\"notes\">"), "{html}");
    }

    // --- inline ----------------------------------------------------------

    #[test]
    fn inline_drops_the_lone_paragraph() {
        assert_eq!(inline("The attack was *unprovoked* [@a]."), {
            "The attack was <em>unprovoked</em> <sup class=\"cite\"><a id=\"cite-1-1\" \
             href=\"#note-1\" aria-describedby=\"notes-heading\">1</a></sup>."
        });
        assert_eq!(inline(""), "");
        assert_eq!(inline("plain"), "plain");
    }

    #[test]
    fn inline_keeps_blocks_when_there_are_several() {
        assert_eq!(inline("one\n\ntwo"), "<p>one</p>\n<p>two</p>");
        assert_eq!(inline("- a\n- b"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>");
        assert_eq!(inline("# T"), "<h1 id=\"t\">T</h1>");
    }

    #[test]
    fn full_render_features() {
        assert_eq!(html("~~gone~~"), "<p><del>gone</del></p>\n");
        // Footnotes are off: `[^1]: x` is a link reference definition.
        assert_eq!(html("a[^1]\n\n[^1]: x"), "<p>a<a href=\"x\">^1</a></p>\n");
        assert_eq!(html(""), "");
    }

    // --- scan --------------------------------------------------------------

    #[test]
    fn scan_finds_every_form_with_exact_ranges() {
        let text = "Café “x” [@a] and [@lwj-2018, para 4]; [@a; @b-2, p. 3].\n\n\
                    [[sdf]], [[actor:syria]], [[raqqa|the city]], [[place:syria|*Syria*]].";
        assert_eq!(
            found(text),
            [
                (citation("a", None), "[@a]"),
                (citation("lwj-2018", Some("para 4")), "[@lwj-2018, para 4]"),
                (citation("a", None), "[@a; @b-2, p. 3]"),
                (citation("b-2", Some("p. 3")), "[@a; @b-2, p. 3]"),
                (link(None, "sdf", None), "[[sdf]]"),
                (link(Some("actor"), "syria", None), "[[actor:syria]]"),
                (link(None, "raqqa", Some("the city")), "[[raqqa|the city]]"),
                (
                    link(Some("place"), "syria", Some("*Syria*")),
                    "[[place:syria|*Syria*]]"
                ),
            ]
        );
    }

    #[test]
    fn scan_ranges_are_exact_after_entities_and_quotes() {
        let text = "“It’s” &amp; 'x' -- y... \"z\" [@a, p. 1] &lt; [[sdf]]\n> quoted [@b]\n";
        assert_eq!(
            found(text),
            [
                (citation("a", Some("p. 1")), "[@a, p. 1]"),
                (link(None, "sdf", None), "[[sdf]]"),
                (citation("b", None), "[@b]"),
            ]
        );
    }

    #[test]
    fn scan_skips_code() {
        assert_eq!(
            found("`[@a]` ```[[sdf]]```\n\n```\n[@b]\n```\n\n    [@c]\n"),
            []
        );
    }

    #[test]
    fn scan_reports_malformed_cross_links() {
        let cases = [
            ("x [[]] y", "[[]]", "malformed cross-link"),
            ("x [[ ]] y", "[[ ]]", "cross-link without an id"),
            ("x [[|label]] y", "[[|label]]", "malformed cross-link"),
            ("x [[Bad Id]] y", "[[Bad Id]]", "invalid id 'Bad Id'"),
            ("x [[weird:id]] y", "[[weird:id]]", "unknown kind 'weird'"),
            ("x [[actor:]] y", "[[actor:]]", "invalid id ''"),
            ("x [[a--b]] y", "[[a--b]]", "invalid id 'a--b'"),
            ("x [[-a]] y", "[[-a]]", "invalid id '-a'"),
            ("x [[sdf|]] y", "[[sdf|]]", "empty label"),
        ];
        for (text, construct, message) in cases {
            let (got, range) = problem(text);
            assert_eq!(range, construct, "{text}");
            assert!(got.contains(message), "{text}: {got}");
        }
    }

    #[test]
    fn scan_reports_malformed_citations() {
        let cases = [
            ("x [@] y", "[@]", "without a source id"),
            ("x [@, p. 1] y", "[@, p. 1]", "without a source id"),
            ("x [@a;] y", "[@a;]", "empty citation"),
            ("x [@a; ; @b] y", "[@a; ; @b]", "empty citation"),
            ("x [@a; b] y", "[@a; b]", "'b' does not start with @"),
            ("x [@Bad] y", "[@Bad]", "invalid source id 'Bad'"),
            ("x [@ a] y", "[@ a]", "invalid source id ' a'"),
            ("x [@a b] y", "[@a b]", "invalid source id 'a b'"),
            ("x [@a, ] y", "[@a, ]", "empty locator"),
        ];
        for (text, construct, message) in cases {
            let (got, range) = problem(text);
            assert_eq!(range, construct, "{text}");
            assert!(got.contains(message), "{text}: {got}");
        }
    }

    #[test]
    fn long_ids_are_malformed() {
        let long = "a".repeat(101);
        let (message, _) = problem(&format!("[@{long}]"));
        assert!(message.len() < 150, "message is shortened: {message}");
        let ok = "a".repeat(100);
        assert_eq!(
            found(&format!("[[{ok}]]")),
            [(link(None, &ok, None), &*format!("[[{ok}]]"))]
        );
    }

    #[test]
    fn malformed_constructs_render_as_text() {
        let mut notes = Notes::new();
        let html = render(
            "[@] [@a;] [[]] [[Bad Id]] [[weird:sdf|x]]",
            &SITE,
            &mut notes,
            SAFE,
        );
        assert_eq!(html, "<p>[@] [@a;] [[]] [[Bad Id]] [[weird:sdf|x]]</p>\n");
        assert!(notes.is_empty());
    }

    #[test]
    fn problems_and_finds_together() {
        let text = "[@a] [@] [[sdf]] [[Nope]] [@b]";
        let (found, problems) = scan(text);
        let found: Vec<_> = found
            .iter()
            .map(|found| &text[found.range.clone()])
            .collect();
        let problems: Vec<_> = problems
            .iter()
            .map(|problem| &text[problem.range.clone()])
            .collect();
        assert_eq!(found, ["[@a]", "[[sdf]]", "[@b]"]);
        assert_eq!(problems, ["[@]", "[[Nope]]"]);
    }

    #[test]
    fn ids() {
        for good in ["a", "sdf", "lwj-2018-05-x", "2018", "a-b-c"] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in ["", "A", "a_b", "a--b", "-a", "a-", "a b", "é", "a/b", "a.b"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_html("plain é"), "plain é");
    }

    // --- robustness ----------------------------------------------------------

    /// Pieces that odd inputs are made of.
    const PIECES: [&str; 48] = [
        "[",
        "]",
        "[[",
        "]]",
        "]]]]",
        "[@",
        "@",
        ";",
        ",",
        "|",
        ":",
        "actor:",
        "weird:",
        "`",
        "```",
        "\n",
        "\n\n",
        "\\",
        "*",
        "_",
        "&amp;",
        "&#",
        "'",
        "\"",
        "--",
        "...",
        "é",
        "漢字",
        "🙂",
        "<b>",
        "</b>",
        "<script>",
        "(",
        ")",
        "![",
        "](",
        "/x",
        "javascript:",
        "#",
        "- ",
        "| ",
        "    ",
        "\t",
        "a",
        "sdf",
        "lwj-1",
        " ",
        "~~",
    ];

    /// Check one input: no panic, ranges exact, scan and render agree.
    fn check(text: &str) {
        let (found, problems) = scan(text);
        for range in found
            .iter()
            .map(|found| &found.range)
            .chain(problems.iter().map(|problem| &problem.range))
        {
            let construct = text.get(range.clone());
            assert!(
                construct.is_some_and(|c| c.starts_with('[') && c.ends_with(']')),
                "{text:?} {range:?}"
            );
        }
        let mut notes = Notes::new();
        let html = render(text, &Everything, &mut notes, TRUSTED);
        let citations = found
            .iter()
            .filter(|found| matches!(found.reference, Reference::Citation { .. }))
            .count();
        let links = found.len() - citations;
        assert_eq!(
            html.matches("id=\"cite-").count(),
            citations,
            "{text:?}\n{html}"
        );
        assert_eq!(
            html.matches("class=\"xref\"").count(),
            links,
            "{text:?}\n{html}"
        );
        let safe = render(text, &SITE, &mut Notes::new(), SAFE);
        assert!(!safe.contains("<script"), "{text:?}\n{safe}");
        assert!(!safe.contains("href=\"javascript"), "{text:?}\n{safe}");
        render_inline(text, &REPO, &mut Notes::new(), SAFE);
    }

    #[test]
    fn pathological_inputs_finish() {
        let texts = [
            "[[".repeat(20_000),
            "[@".repeat(20_000),
            "[[a".repeat(10_000) + &"]]".repeat(10_000),
            "[".repeat(30_000) + &"]".repeat(30_000),
            "[@a; ".repeat(10_000) + "]",
        ];
        for text in texts {
            let (found, _) = scan(&text);
            let html = render(&text, &SITE, &mut Notes::new(), SAFE);
            assert!(found.len() <= text.len() && !html.is_empty());
        }
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for text in [
            "",
            "[",
            "]",
            "[[",
            "]]]]",
            "[@",
            "[@]",
            "[[|]]",
            "[[:]]",
            "[[actor:|x]]",
            "[@;]",
            "[@a,]",
            "\\",
            "[@a\\]",
            "[[a\\]]",
            "`[[a]]",
            "[[a]]`",
            "[[\n]]",
            "[@a\n]",
            "# [[sdf]]",
            "[[sdf|[[raqqa]]]]",
            "[[sdf|![x](javascript:y)]]",
            "![[[sdf]]](x)",
            "[x]([@a])",
            "*[@a*]",
            "[@a]: /x\n\n[@a]",
            "<a href=\"[@a]\">[@a]</a>",
            "```rust\n",
            "~~~\n[@a",
        ] {
            check(text);
        }
        let mut random = crate::testing::Random(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let len = random.below(24);
            let text: String = (0..len)
                .map(|_| PIECES[random.below(PIECES.len())])
                .collect();
            check(&text);
        }
    }
}
