//! Checking the rendered site in memory: every internal link must reach a
//! page or file of the output, and every `#anchor` an id on its page.
//!
//! Used by `dossier check` after load, resolve and render, so a broken link
//! in a template or in hand-written Markdown (`[see](/nowhere/)`) is found
//! without writing anything.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Position};
use crate::render::File;

/// Checks every internal link and anchor of the HTML files in `files`, for
/// a site whose links start with `base_path` (e.g. `/` or `/repo/`).
pub fn links(files: &[File], base_path: &str) -> Vec<Diagnostic> {
    let paths: HashSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let pages: Vec<(&File, &str)> = files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
        .filter_map(|f| std::str::from_utf8(&f.bytes).ok().map(|text| (f, text)))
        .collect();
    let anchors: HashMap<&Path, HashSet<String>> = pages
        .iter()
        .map(|(file, text)| {
            (
                file.path.as_path(),
                attribute_values(text, "id").map(|(_, v)| v).collect(),
            )
        })
        .collect();

    let mut problems = Vec::new();
    for (file, text) in &pages {
        for attribute in ["href", "src"] {
            for (offset, link) in attribute_values(text, attribute) {
                if let Some(message) = check_link(&file.path, &link, base_path, &paths, &anchors) {
                    let shown = Path::new("public").join(&file.path);
                    problems.push(Diagnostic::error(&shown, text, Position::of_offset(text, offset), message).with_hint(
                        "fix the link in the Markdown or template that produces this page; site links start with the base path",
                    ));
                }
            }
        }
    }
    problems
}

/// What is wrong with one link on `page`, if anything.
fn check_link(
    page: &Path,
    link: &str,
    base_path: &str,
    paths: &HashSet<&Path>,
    anchors: &HashMap<&Path, HashSet<String>>,
) -> Option<String> {
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
    if !paths.contains(target.as_path()) {
        return Some(format!(
            "the link `{link}` points at no page or file of the site"
        ));
    }
    match (fragment, anchors.get(target.as_path())) {
        (Some(fragment), Some(ids)) if !fragment.is_empty() && !ids.contains(fragment) => Some(
            format!("the link `{link}` points at `#{fragment}`, which is not on that page"),
        ),
        _ => None,
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

/// `%20` and friends decoded (invalid sequences kept as written).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every value of `name="…"` in an HTML text, with its byte offset, HTML
/// entities for `&`, quotes and angle brackets decoded.
fn attribute_values<'a>(html: &'a str, name: &str) -> impl Iterator<Item = (usize, String)> + 'a {
    let pattern = format!(" {name}=\"");
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + html.get(from..)?.find(&pattern)? + pattern.len();
        let end = start + html[start..].find('"')?;
        from = end;
        let value = html[start..end]
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        Some((start, value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let problems = links(&files, "/repo/");
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
        let messages: Vec<String> = links(&files, "/repo/")
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("`#nope`"));
        assert!(messages[1].contains("leaves the site's base path"));
        assert!(messages[2].contains("outside the site"));
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
    }
}
