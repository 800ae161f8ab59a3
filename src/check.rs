//! Checking the rendered site: every internal link must reach a page or
//! file of the output, and every `#anchor` an id on its page.
//!
//! Used by `dossier check`: the rendered files go to a [`Links`] sink
//! instead of the disk, so a broken link in a template or in hand-written
//! Markdown (`[see](/nowhere/)`) is found without writing anything. The
//! sink keeps only what the check needs of each file (its path, and a
//! page's ids and links with their lines and columns) and drops the bytes,
//! so a check holds no more of the site in memory than a build does.
//! When links are broken, the site is rendered again into [`Pages`] to
//! show the line of each.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Position};
use crate::render::{self, File, Sink};

/// A sink that takes every file of a rendered site and then tells which of
/// its pages' internal links and anchors are broken ([`Links::problems`]).
#[derive(Default)]
pub struct Links {
    seen: Mutex<Seen>,
}

/// What the check keeps of the files seen so far.
#[derive(Default)]
struct Seen {
    /// The path of every file.
    files: HashSet<PathBuf>,
    /// The HTML pages, numbered in the order they came.
    pages: Vec<PathBuf>,
    /// Each id on each page: (page, id).
    anchors: HashSet<(u32, u32)>,
    /// The ids met, numbered.
    ids: Names,
    /// The links met (as written, entities decoded), numbered.
    links: Names,
    /// Every link on every page, with where it is.
    uses: Vec<Use>,
}

/// One link on one page.
struct Use {
    page: u32,
    link: u32,
    line: u32,
    column: u32,
}

/// Strings numbered in the order they are first met, so that a link or id
/// repeated on thousands of pages is kept once.
#[derive(Default)]
struct Names {
    numbers: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    /// The number of `name`, given it the first time.
    fn number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = count(self.names.len());
        self.names.push(name.into());
        self.numbers.insert(name.into(), n);
        n
    }

    /// The number of `name`, if it was met.
    fn find(&self, name: &str) -> Option<u32> {
        self.numbers.get(name).copied()
    }
}

/// A page's ids and links, read before the sink's lock is taken.
struct Scanned {
    ids: Vec<String>,
    links: Vec<(String, Position)>,
}

impl Scanned {
    /// Every `id`, `href` and `src` value of an HTML page, in one pass.
    fn of(html: &str) -> Scanned {
        let mut scanned = Scanned {
            ids: Vec::new(),
            links: Vec::new(),
        };
        let mut cursor = Cursor::new(html);
        for (name, start, value) in attributes(html) {
            match name {
                "id" => scanned.ids.push(value),
                _ => scanned.links.push((value, cursor.to(start))),
            }
        }
        scanned
    }
}

impl Sink for Links {
    fn put(&self, file: File) {
        let scanned = is_page(&file.path)
            .then(|| std::str::from_utf8(&file.bytes).ok().map(Scanned::of))
            .flatten();
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(scanned) = scanned {
            let page = count(seen.pages.len());
            seen.pages.push(file.path.clone());
            for id in &scanned.ids {
                let id = seen.ids.number(id);
                seen.anchors.insert((page, id));
            }
            for (link, at) in &scanned.links {
                let link = seen.links.number(link);
                seen.uses.push(Use {
                    page,
                    link,
                    line: count(at.line),
                    column: count(at.column),
                });
            }
        }
        seen.files.insert(file.path);
    }

    /// Only pages have links: of another file, the path is all a check
    /// needs, so its bytes are not made at all.
    fn put_written(&self, path: PathBuf, size_hint: usize, write: &mut render::WriteBytes) {
        if is_page(&path) {
            self.put(render::gathered(path, size_hint, write));
        } else {
            let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
            seen.files.insert(path);
        }
    }
}

/// Whether the file at `path` is an HTML page.
fn is_page(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "html")
}

impl Links {
    /// Every broken internal link and anchor of the pages seen, for a site
    /// whose links start with `base_path` (e.g. `/` or `/repo/`).
    pub fn problems(self, base_path: &str) -> Vec<Broken> {
        let seen = self
            .seen
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let site = Rendered {
            base_path,
            pages: seen
                .pages
                .iter()
                .enumerate()
                .map(|(n, path)| (path.as_path(), count(n)))
                .collect(),
            seen: &seen,
        };
        // A link that starts with `/` means the same on every page: each is
        // judged once.
        let absolute: Vec<Option<Option<String>>> = seen
            .links
            .names
            .par_iter()
            .map(|link| {
                link.starts_with('/')
                    .then(|| site.check(Path::new(""), link))
            })
            .collect();
        seen.uses
            .par_iter()
            .filter_map(|used| {
                let page = &seen.pages[used.page as usize];
                let message = match &absolute[used.link as usize] {
                    Some(judged) => judged.clone(),
                    None => site.check(page, &seen.links.names[used.link as usize]),
                }?;
                let shown = Path::new("public").join(page);
                let at = Position {
                    line: used.line as usize,
                    column: used.column as usize,
                };
                let diagnostic = Diagnostic::error_at(&shown, at, message).with_hint(
                    "fix the link in the Markdown or template that produces this page; site links start with the base path",
                );
                Some(Broken {
                    page: page.clone(),
                    link: seen.links.names[used.link as usize].to_string(),
                    diagnostic,
                })
            })
            .collect()
    }
}

/// A broken link or anchor on a page.
pub struct Broken {
    /// The page, as a path in the output.
    page: PathBuf,
    /// The link as written (entities decoded).
    link: String,
    /// The problem, at the link's line and column (the page is named in
    /// `public/`, the output's usual place).
    pub diagnostic: Diagnostic,
}

/// A sink that keeps only the pages that broken links were found on.
///
/// [`Links`] drops each page once its links are read, so a problem it
/// reports has a line and column but not the line's text. When a check
/// fails, the site is rendered again into this sink, which keeps the few
/// pages named, and [`Pages::show_lines`] puts each link's line under its
/// message. A check that passes never pays for this.
pub struct Pages {
    wanted: HashSet<PathBuf>,
    kept: Mutex<HashMap<PathBuf, String>>,
}

impl Pages {
    /// A sink for the pages the `broken` links (from [`Links::problems`])
    /// are on.
    pub fn of(broken: &[Broken]) -> Pages {
        Pages {
            wanted: broken.iter().map(|b| b.page.clone()).collect(),
            kept: Mutex::default(),
        }
    }

    /// The problems of the `broken` links, each with the text of its line
    /// from its page as rendered again. A line that no longer holds the
    /// link (the site changed between the two renders), or a page not
    /// rendered again, is left out rather than shown wrong.
    pub fn show_lines(self, broken: Vec<Broken>) -> Vec<Diagnostic> {
        let kept = self
            .kept
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        broken
            .into_iter()
            .map(
                |Broken {
                     page,
                     link,
                     mut diagnostic,
                 }| {
                    diagnostic.source_line = kept
                        .get(&page)
                        .and_then(|text| text.lines().nth(diagnostic.line.saturating_sub(1)))
                        .filter(|line| line.contains(&link))
                        .map(str::to_string);
                    diagnostic
                },
            )
            .collect()
    }
}

impl Sink for Pages {
    fn put(&self, file: File) {
        if !self.wanted.contains(&file.path) {
            return;
        }
        if let Ok(text) = String::from_utf8(file.bytes) {
            let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            kept.insert(file.path, text);
        }
    }

    /// A file not wanted is not made.
    fn put_written(&self, path: PathBuf, size_hint: usize, write: &mut render::WriteBytes) {
        if self.wanted.contains(&path) {
            self.put(render::gathered(path, size_hint, write));
        }
    }
}

/// A `u32` count or position; a site with four billion pages or links, or
/// lines that long, is far out of reach, and saturates.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The rendered site as the check sees it.
struct Rendered<'a> {
    base_path: &'a str,
    /// The number of each page.
    pages: HashMap<&'a Path, u32>,
    seen: &'a Seen,
}

impl Rendered<'_> {
    /// What is wrong with one link on `page`, if anything.
    fn check(&self, page: &Path, link: &str) -> Option<String> {
        let base_path = self.base_path;
        let external = link.contains("://")
            || link.starts_with("//")
            || link.starts_with("mailto:")
            || link.starts_with("data:");
        if external || link.is_empty() {
            return None;
        }
        let (path, fragment) = match link.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (link, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let target: PathBuf = if path.is_empty() {
            page.to_path_buf()
        } else if let Some(relative) = path.strip_prefix(base_path) {
            file_for(&percent_decode(relative))
        } else if path.starts_with('/') {
            return Some(format!(
                "the link `{link}` leaves the site's base path `{base_path}`"
            ));
        } else {
            let folder = page.parent().unwrap_or(Path::new(""));
            match normalise(&folder.join(percent_decode(path))) {
                Some(joined) => file_for(&joined.to_string_lossy()),
                None => return Some(format!("the link `{link}` points outside the site")),
            }
        };
        if !self.seen.files.contains(&target) {
            return Some(format!(
                "the link `{link}` points at no page or file of the site"
            ));
        }
        let fragment = fragment.filter(|f| !f.is_empty())?;
        let &page = self.pages.get(target.as_path())?;
        let found = self
            .seen
            .ids
            .find(fragment)
            .is_some_and(|id| self.seen.anchors.contains(&(page, id)));
        (!found).then(|| {
            format!("the link `{link}` points at `#{fragment}`, which is not on that page")
        })
    }
}

/// The positions of increasing byte offsets in one text, found in one pass
/// (as [`Position::of_offset`] finds each).
struct Cursor<'a> {
    text: &'a str,
    offset: usize,
    at: Position,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            text,
            offset: 0,
            at: Position { line: 1, column: 1 },
        }
    }

    /// The position of `offset`, which is at or after the last one asked.
    fn to(&mut self, offset: usize) -> Position {
        let passed = self.text.get(self.offset..offset).unwrap_or_default();
        match passed.rfind('\n') {
            Some(last) => {
                self.at.line += passed.matches('\n').count();
                self.at.column = passed[last + 1..].chars().count() + 1;
            }
            None => self.at.column += passed.chars().count(),
        }
        self.offset = offset.max(self.offset);
        self.at
    }
}

/// The output file a site path names: folders mean their `index.html`.
fn file_for(relative: &str) -> PathBuf {
    if relative.is_empty() || relative.ends_with('/') {
        PathBuf::from(relative).join("index.html")
    } else {
        PathBuf::from(relative)
    }
}

/// Resolves `.` and `..` in a relative path; `None` if it climbs out.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir if !out.pop() => return None,
            std::path::Component::ParentDir => {}
            std::path::Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    let text = path.to_string_lossy();
    if text.ends_with('/') && !out.as_os_str().is_empty() {
        let mut with_slash = out.into_os_string();
        with_slash.push("/");
        return Some(PathBuf::from(with_slash));
    }
    Some(out)
}

/// `%20` and friends decoded (invalid sequences kept as written), as the
/// server decodes a request's path.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Every `id`, `href` and `src` value (`name="…"`) of an HTML text, in
/// order, with the byte offset where it starts, HTML entities for `&`,
/// quotes and angle brackets decoded.
fn attributes(html: &str) -> impl Iterator<Item = (&'static str, usize, String)> + '_ {
    let bytes = html.as_bytes();
    let mut from = 0;
    memchr::memmem::find_iter(bytes, b"=\"").filter_map(move |at| {
        if at < from {
            return None;
        }
        let before = &html[..at];
        let name = ["id", "href", "src"].into_iter().find(|name| {
            before
                .strip_suffix(name)
                .is_some_and(|rest| rest.ends_with(' '))
        })?;
        let start = at + 2;
        let end = start + memchr::memchr(b'"', &bytes[start..])?;
        from = end;
        Some((name, start, decode_entities(&html[start..end])))
    })
}

/// An attribute value with the entities our HTML escaping makes decoded.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems the check finds in `files`.
    fn problems(files: Vec<File>, base_path: &str) -> Vec<Diagnostic> {
        let links = Links::default();
        for file in files {
            links.put(file);
        }
        links
            .problems(base_path)
            .into_iter()
            .map(|broken| broken.diagnostic)
            .collect()
    }

    fn file(path: &str, html: &str) -> File {
        File {
            path: PathBuf::from(path),
            bytes: html.as_bytes().to_vec(),
        }
    }

    #[test]
    fn good_links_pass_and_broken_ones_are_named() {
        let files = vec![
            file(
                "index.html",
                r##"<a href="/repo/a/">a</a> <a href="/repo/a/#x">x</a> <a href="#top">t</a> <p id="top"></p>"##,
            ),
            file(
                "a/index.html",
                r##"<h2 id="x">X</h2><a href="../">up</a><a href="b.css">css</a><img src="/repo/missing.png">"##,
            ),
            file("a/b.css", ""),
        ];
        let problems = problems(files, "/repo/");
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            vec!["the link `/repo/missing.png` points at no page or file of the site"]
        );
        assert_eq!(problems[0].file, PathBuf::from("public/a/index.html"));
        assert_eq!(problems[0].line, 1);
    }

    #[test]
    fn missing_anchors_and_escapes_from_the_base_are_reported() {
        let files = vec![file(
            "index.html",
            r##"<a href="/repo/#nope">a</a><a href="/elsewhere/">b</a><a href="../../x">c</a>"##,
        )];
        let messages: Vec<String> = problems(files, "/repo/")
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("`#nope`"));
        assert!(messages[1].contains("leaves the site's base path"));
        assert!(messages[2].contains("outside the site"));
    }

    #[test]
    fn links_are_judged_after_every_file_came_and_placed_by_line_and_column() {
        // The page linking comes before the page it links to.
        let text = "<p>é\n  <a href=\"/later/#here\">ok</a> <a href=\"/later/#gone\">x</a>\n<img src=\"/gone.png\"></p>";
        let files = vec![
            file("index.html", text),
            file("later/index.html", r#"<h2 id="here">Here</h2>"#),
        ];
        let found: Vec<(usize, usize, String)> = problems(files, "/")
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect();
        let at = |link: &str| Position::of_offset(text, text.find(link).unwrap());
        let (gone, png) = (at("/later/#gone"), at("/gone.png"));
        assert_eq!(
            (gone.line, gone.column, png.line, png.column),
            (2, 42, 3, 11)
        );
        assert_eq!(
            found,
            vec![
                (
                    2,
                    42,
                    "the link `/later/#gone` points at `#gone`, which is not on that page"
                        .to_string()
                ),
                (
                    3,
                    11,
                    "the link `/gone.png` points at no page or file of the site".to_string()
                ),
            ]
        );
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
    }
}
