//! The files that tell readers and robots what the site holds: the Atom
//! feeds of events (`/feed.xml`) and of analysis pages (`/pages.xml`), the
//! sitemap, `robots.txt`, and the empty `.nojekyll` that stops GitHub Pages
//! from running Jekyll over the output.
//!
//! Everything is deterministic: a feed's `updated` is the newest date of
//! its entries (or, for a feed with none, the newest date in the content),
//! never the clock. An entry's `updated` is the first day its date can
//! cover, at midnight UTC. Entry ids are the pages' canonical URLs when the
//! site has an absolute base URL (as every published build has); a build
//! with only a path (`/`) uses `urn:dossier:<route>` instead, because an
//! Atom id must be an absolute IRI. An entry's content is its page's
//! Markdown as HTML with the numbered notes it cites, under an `xml:base`
//! of the page's address so that its site links and `#note-N` markers
//! resolve in a feed reader.

use std::path::PathBuf;

use super::markdown::escape_html;
use super::notes::Notes;
use super::{File, Renderer, routes};
use crate::model::date::{Day, Edtf};
use crate::model::kinds::PageKind;

/// The pages left out of the sitemap: the error page, and `/events/`, whose
/// canonical URL is `/timeline/`.
const NOT_IN_SITEMAP: &[&str] = &["404.html", "events/index.html"];

/// The feeds, the sitemap of the HTML pages among `pages`, `robots.txt`
/// and `.nojekyll`.
pub fn files(r: &Renderer, pages: &[PathBuf]) -> Vec<File> {
    vec![
        text_file("feed.xml", events_feed(r)),
        text_file("pages.xml", pages_feed(r)),
        text_file("sitemap.xml", sitemap(r, pages)),
        text_file("robots.txt", robots(r)),
        text_file(".nojekyll", String::new()),
    ]
}

/// One entry of a feed, ready to write.
struct Entry {
    id: String,
    title: String,
    href: String,
    updated: String,
    categories: Vec<(String, String)>,
    summary: Option<String>,
    content: String,
}

/// A feed's own data.
struct Feed<'a> {
    route: &'a str,
    title: String,
    alternate: String,
    entries: Vec<Entry>,
}

/// How many events the feed carries: feed readers want the latest news,
/// and the whole record is in `data/events.json`. Without a cap the feed of
/// a 10,000-event site weighs about 90 MB.
pub const EVENTS_IN_FEED: usize = 100;

/// The events feed: the newest [`EVENTS_IN_FEED`] events, newest first.
fn events_feed(r: &Renderer) -> String {
    let site = r.site;
    let entries = (0..site.events.len())
        .rev()
        .take(EVENTS_IN_FEED)
        .map(|e| {
            let event = &site.events[e];
            let route = routes::event(&event.id);
            let mut categories = vec![(
                event.kind.clone(),
                site.config.event_type_label(&event.kind).to_string(),
            )];
            categories.extend(event.tags.iter().map(|t| (t.clone(), t.clone())));
            Entry {
                id: entry_id(r, &route),
                title: event.title.clone(),
                href: r.routes.canonical(&route),
                updated: rfc3339(first_day(&event.date)),
                categories,
                summary: None,
                content: format!(
                    "<p><time{}>{}</time></p>{}",
                    event
                        .date
                        .start()
                        .map_or_else(String::new, |d| format!(" datetime=\"{}\"", d.iso())),
                    escape_html(&event.date.display()),
                    html_with_notes(r, &event.summary)
                ),
            }
        })
        .collect();
    feed(
        r,
        Feed {
            route: "feed.xml",
            title: format!("{}: events", site.config.title),
            alternate: r.routes.canonical(&routes::index("timeline")),
            entries,
        },
    )
}

/// The analysis pages feed, newest first (undated pages last, by title).
fn pages_feed(r: &Renderer) -> String {
    let site = r.site;
    let mut analyses: Vec<&crate::model::Page> = site
        .pages
        .iter()
        .filter(|p| p.kind == Some(PageKind::Analysis))
        .collect();
    analyses.sort_by(|a, b| {
        b.date
            .as_ref()
            .and_then(first_day)
            .cmp(&a.date.as_ref().and_then(first_day))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.id.cmp(&b.id))
    });
    let newest = newest_day(r);
    let entries = analyses
        .into_iter()
        .map(|page| {
            let route = routes::page(&page.id);
            Entry {
                id: entry_id(r, &route),
                title: page.title.clone(),
                href: r.routes.canonical(&route),
                updated: rfc3339(page.date.as_ref().and_then(first_day).or(newest)),
                categories: Vec::new(),
                summary: page.description.clone().filter(|d| !d.trim().is_empty()),
                content: html_with_notes(r, &page.body),
            }
        })
        .collect();
    feed(
        r,
        Feed {
            route: "pages.xml",
            title: format!("{}: analyses", site.config.title),
            alternate: r.routes.canonical(&routes::home()),
            entries,
        },
    )
}

/// A whole Atom 1.0 document.
fn feed(r: &Renderer, feed: Feed) -> String {
    let config = &r.site.config;
    let updated = feed
        .entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| rfc3339(newest_day(r)));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&config.language)
    ));
    element(&mut xml, 1, "id", &entry_id(r, feed.route));
    element(&mut xml, 1, "title", &feed.title);
    if !config.description.trim().is_empty() {
        element(&mut xml, 1, "subtitle", &config.description);
    }
    element(&mut xml, 1, "updated", &updated);
    link(
        &mut xml,
        1,
        "self",
        "application/atom+xml",
        &r.routes.canonical(feed.route),
    );
    link(&mut xml, 1, "alternate", "text/html", &feed.alternate);
    xml.push_str("  <author>\n");
    element(
        &mut xml,
        2,
        "name",
        config.author.as_deref().unwrap_or(&config.title),
    );
    xml.push_str("  </author>\n");
    element(&mut xml, 1, "generator", "dossier");
    for entry in &feed.entries {
        xml.push_str("  <entry>\n");
        element(&mut xml, 2, "id", &entry.id);
        element(&mut xml, 2, "title", &entry.title);
        element(&mut xml, 2, "updated", &entry.updated);
        link(&mut xml, 2, "alternate", "text/html", &entry.href);
        for (term, label) in &entry.categories {
            xml.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                escape(term),
                escape(label)
            ));
        }
        if let Some(summary) = &entry.summary {
            element(&mut xml, 2, "summary", summary);
        }
        xml.push_str(&format!(
            "    <content type=\"html\" xml:base=\"{}\">{}</content>\n",
            escape(&entry.href),
            escape(&entry.content)
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Markdown as HTML followed by its numbered notes, for a feed entry (the
/// markers link to `#note-N`, which the entry's `xml:base` resolves against
/// the page).
fn html_with_notes(r: &Renderer, markdown: &str) -> String {
    let mut notes = Notes::new();
    let mut html = r.markdown(markdown, &mut notes);
    let notes = r.notes(notes);
    if !notes.is_empty() {
        html.push_str("<ol class=\"notes\">");
        for note in notes {
            html.push_str(&format!(
                "<li id=\"{}\" value=\"{}\"><a href=\"{}\"><cite>{}</cite></a>, {}",
                escape_html(&note.note.id),
                note.note.number,
                escape_html(&note.href),
                escape_html(note.title),
                escape_html(note.publisher)
            ));
            for part in [note.published.as_deref(), note.note.loc.as_deref()]
                .into_iter()
                .flatten()
            {
                html.push_str(&format!(", {}", escape_html(part)));
            }
            html.push_str(".</li>");
        }
        html.push_str("</ol>");
    }
    html
}

/// The sitemap: every HTML page of `pages` (bar [`NOT_IN_SITEMAP`]) at
/// its canonical URL, sorted.
fn sitemap(r: &Renderer, pages: &[PathBuf]) -> String {
    let mut urls: Vec<String> = pages
        .iter()
        .filter_map(|page| {
            let path = page.to_str()?.replace('\\', "/");
            if !path.ends_with(".html") || NOT_IN_SITEMAP.contains(&path.as_str()) {
                return None;
            }
            let route = path
                .strip_suffix("index.html")
                .map_or_else(|| path.clone(), str::to_string);
            Some(r.routes.canonical(&route))
        })
        .collect();
    urls.sort();
    urls.dedup();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        xml.push_str("  <url>\n");
        element(&mut xml, 2, "loc", &url);
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled; the sitemap is named when the
/// site's base URL is absolute (crawlers need an absolute URL there).
fn robots(r: &Renderer) -> String {
    let sitemap = r.routes.canonical("sitemap.xml");
    let line = if is_absolute(&sitemap) {
        format!("Sitemap: {sitemap}")
    } else {
        "# Sitemap: set an absolute base_url (or --base-url) to list the sitemap here.".to_string()
    };
    format!("User-agent: *\nAllow: /\n\n{line}\n")
}

/// The Atom id of a route: its canonical URL, or `urn:dossier:<route>`
/// when the site has no absolute base URL.
fn entry_id(r: &Renderer, route: &str) -> String {
    let url = r.routes.canonical(route);
    if is_absolute(&url) {
        url
    } else {
        format!(
            "urn:dossier:{}",
            if route.is_empty() { "home" } else { route }
        )
    }
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// The day a date is filed under: its first day, else its last.
fn first_day(date: &Edtf) -> Option<Day> {
    date.start().or_else(|| date.end())
}

/// The newest day any date of the content names (events, pages, sources).
fn newest_day(r: &Renderer) -> Option<Day> {
    let site = r.site;
    let dates = site
        .events
        .iter()
        .map(|e| Some(&e.date))
        .chain(site.pages.iter().map(|p| p.date.as_ref()))
        .chain(site.home.iter().map(|p| p.date.as_ref()))
        .chain(site.sources.iter().map(|s| s.published.as_ref()))
        .flatten();
    dates.filter_map(|d| d.end().or_else(|| d.start())).max()
}

/// A day as an RFC 3339 timestamp at midnight UTC. RFC 3339 has four-digit
/// years only, so days outside 0000–9999 are clamped; no day gives the Unix
/// epoch.
fn rfc3339(day: Option<Day>) -> String {
    let (year, month, day) = match day {
        None => (1970, 1, 1),
        Some(d) if d.year < 0 => (0, 1, 1),
        Some(d) if d.year > 9999 => (9999, 12, 31),
        Some(d) => (d.year, d.month, d.day),
    };
    format!("{year:04}-{month:02}-{day:02}T00:00:00Z")
}

/// Appends `<name>text</name>` on its own line, indented by `depth`.
fn element(xml: &mut String, depth: usize, name: &str, text: &str) {
    xml.push_str(&format!(
        "{:indent$}<{name}>{}</{name}>\n",
        "",
        escape(text),
        indent = depth * 2
    ));
}

/// Appends an Atom `<link>`.
fn link(xml: &mut String, depth: usize, rel: &str, kind: &str, href: &str) {
    xml.push_str(&format!(
        "{:indent$}<link rel=\"{rel}\" type=\"{kind}\" href=\"{}\"/>\n",
        "",
        escape(href),
        indent = depth * 2
    ));
}

/// Text escaped for XML content and attribute values, without the control
/// characters XML 1.0 forbids.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn text_file(path: &str, text: String) -> File {
    File {
        path: PathBuf::from(path),
        bytes: text.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_with_four_digit_years() {
        assert_eq!(rfc3339(Day::new(2018, 2, 7)), "2018-02-07T00:00:00Z");
        assert_eq!(rfc3339(Day::new(-44, 3, 15)), "0000-01-01T00:00:00Z");
        assert_eq!(rfc3339(Day::new(12000, 1, 1)), "9999-12-31T00:00:00Z");
        assert_eq!(rfc3339(None), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn escaping_keeps_xml_well_formed() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\u{1}>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }
}
