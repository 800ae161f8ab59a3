//! The commented templates `dossier new` writes, one a kind.
//!
//! Required fields come first, filled from the id where the id says enough
//! (a name, a title) and written `TODO` where only the editor can say (an
//! event's type and date, a source's publisher). Every other field is shown
//! commented out as `#field: example`, with a comment saying what it takes.

use crate::model::date::Edtf;

use super::Kind;

/// The file's text for a new record, and the fields left as `TODO`.
pub(super) fn template(
    kind: Kind,
    id: &str,
    date: Option<&Edtf>,
    event_types: Option<&[&str]>,
) -> (String, Vec<&'static str>) {
    let date_value = date.map(|d| format!("\"{}\"", d.as_written()));
    let fill = |template: &str, date_line: String| {
        template
            .replace("{id}", id)
            .replace("{title}", &quoted(&sentence(id)))
            .replace("{name}", &quoted(&name(id)))
            .replace("{date}\n", &date_line)
    };
    match kind {
        Kind::Event => {
            let types = match event_types {
                Some(types) if !types.is_empty() => wrap_comment(&format!(
                    "Required: one of site.yaml's event_types: {}.",
                    types.join(", ")
                )),
                _ => "# Required: one of site.yaml's event_types (it lists none yet: add them there).\n"
                    .to_string(),
            };
            let date_line = format!("date: {}\n", date_value.as_deref().unwrap_or("TODO"));
            let text = fill(EVENT, date_line).replace("{types}\n", &types);
            let mut todo = Vec::new();
            if date.is_none() {
                todo.push("date");
            }
            todo.extend(["type", "summary", "sources"]);
            (text, todo)
        }
        Kind::Actor => (fill(ACTOR, String::new()), vec!["profile"]),
        Kind::Source => {
            let date_line = match &date_value {
                Some(value) => format!("published: {value}\n"),
                None => "#published: 2018-05-07\n".to_string(),
            };
            (fill(SOURCE, date_line), vec!["publisher", "summary"])
        }
        Kind::Place => (fill(PLACE, String::new()), Vec::new()),
        Kind::Page => {
            let date_line = match &date_value {
                Some(value) => format!("date: {value}\n"),
                None => "#date: 2024-06\n".to_string(),
            };
            (fill(PAGE, date_line), vec!["text"])
        }
    }
}

/// A YAML double-quoted string (the derived texts hold only letters, digits
/// and spaces, but `True` or `2018` unquoted would not be strings).
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `attack-on-sdf-hq` as a title to start from: "Attack on sdf hq".
fn sentence(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// `syrian-arab-army` as a name to start from: "Syrian Arab Army".
fn name(id: &str) -> String {
    id.split('-').map(sentence).collect::<Vec<_>>().join(" ")
}

/// A sentence as `# ` comment lines of at most 78 characters.
fn wrap_comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() > 1 && line.len() + 1 + word.len() > 78 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// An event. `{date}` is replaced by its `date:` line, `{types}` by the
/// comment listing the event types.
const EVENT: &str = r#"# A new event; its id is the file name: {id}.
# Fill in every TODO, then run `dossier check`. The editing guide (/guide/ on
# the site, content/pages/guide.md) explains every field. A line `#field: …`
# is an optional field: remove the `#` to use it, and replace the example ids.

# Required: what happened, in one line.
title: {title}

# Required: when, in EDTF: 2018-02-07 a day, 2018-05 a month, 2018 a year,
# 2016-12~ approximately, 2018-06? uncertain, 2018-04-19/2018-05-21 from … to,
# 2018-09/.. from … on, [2018-01..2018-04] one moment somewhere in the span.
{date}
# How the date was found, when the source does not give it plainly:
#date_note: inferred from the article's publication date

{types}
type: TODO

# Where (place ids from content/places/) and who (actor ids from
# content/actors/ with a role: perpetrator, target, participant, supporter,
# claimant or observer), and tags (lowercase words joined by hyphens).
#places: [place-id]
#actors:
#  - { actor: actor-id, role: perpetrator }
#tags: [tag-id]

# Required: what happened, in the site's own words (Markdown). Cite a source
# with [@source-id, para 4] and link any record with [[id]].
summary: |
  TODO: what happened, in the site's own words.

# Required: at least one citation of what reports it: a source id, or
# { source: source-id, loc: para 4, quote: "…" } with a verbatim quote of at
# most 25 words.
sources: []

# Who said what: claims are not facts. `by` is the claimant (an actor id or a
# list); status is unverified, disputed, corroborated, confirmed, denied or
# retracted; `answers` names the claim (by its id) that a claim denies or revises.
#claims:
#  - id: first-claim
#    by: actor-id
#    text: What the actor says happened.
#    status: unverified
#    cite: source-id

# Casualty figures stay side by side, each cited. killed, wounded and captured
# take a number or { low, best, high }; as_stated is the source's own wording;
# by is who gives the figure (leave it out when the source itself does).
#casualties:
#  - group: Who the figure counts
#    killed: { low: 10, high: 20 }
#    as_stated: between 10 and 20 killed
#    status: unverified
#    cite: source-id

# Other events this one belongs with (event ids):
#related: [event-id]
"#;

/// An actor (`content/actors/<id>.md`).
const ACTOR: &str = r#"---
name: {name}
# A new actor, shown at /actors/{id}/. Edit the name, write the profile below
# the closing `---`, then run `dossier check`. A line `#field: …` is an
# optional field: remove the `#` to use it, and replace the example ids.
# A short label and other names or spellings:
#short: ABC
#aliases: [Other name, Another spelling]
# state, armed-forces, armed-group, militia, coalition, government,
# organization, media, monitor or person:
#kind: armed-group
# One line saying who this is:
#description: An armed group active in eastern Syria.
# Relations to other actors: backed-by, supports, allied-with, opposes,
# part-of, leads, member-of or affiliated-with; `from` and `to` are EDTF
# dates, `cite` a source id (or a list).
#relations:
#  - { type: backed-by, actor: actor-id, from: 2015, cite: source-id }
---
TODO: a profile in Markdown: who they are, what they want, what they did.
Cite a source with `[@source-id, para 4]`; link any record with `[[id]]`.
"#;

/// A source (`content/sources/<id>.md`). `{date}` is replaced by its
/// `published:` line.
const SOURCE: &str = r#"---
title: {title}
# A new source, shown at /sources/{id}/. Fill in the TODO, write the summary
# below the closing `---`, then run `dossier check`. A line `#field: …` is an
# optional field: remove the `#` to use it.
# The title above is required: make it the headline as published.
# Required: the outlet (publisher_url is its home page):
publisher: TODO
#publisher_url: https://www.example.org
#author: Jane Doe
# When it was published (EDTF), and how that date was found if not printed:
{date}
#date_note: inferred from the latest event it reports
# The article's own address: only a real one, never guessed; leave it out
# when unknown. An archived copy, and when it was read (EDTF):
#url: https://www.example.org/2018/05/article
#archive_url: https://web.archive.org/web/2018/https://www.example.org/2018/05/article
#accessed: 2024-06-01
# news, analysis, opinion, press-briefing, monitor-report,
# official-statement or propaganda:
#kind: news
#language: en
# The outlet's reliability on the Admiralty scale (A to F), and why:
#reliability: B
#reliability_note: Usually reliable on battlefield claims.
---
TODO: a summary in the site's own words, with the source's key points.
"#;

/// A place (`content/places/<id>.yaml`).
const PLACE: &str = r#"name: {name}
# A new place, shown at /places/{id}/. Edit the name, then run `dossier
# check`. A line `#field: …` is an optional field: remove the `#` to use it,
# and replace the example ids.
#aliases: [Other spelling]
# country, region, province, district, city, town, village, neighbourhood,
# camp, base, airport, prison, crossing, zone, river or desert:
#kind: town
# The place it lies within (one place id):
#within: place-id
# WGS84 decimal degrees: a point for a town, a representative point for a
# region or a river.
#lat: 35.33
#lon: 40.14
#description: A town on the Euphrates.
"#;

/// A free page (`content/pages/<id>.md`). `{date}` is replaced by its
/// `date:` line.
const PAGE: &str = r#"---
title: {title}
# A new page, shown at /{id}/. Edit the title, write the text below the
# closing `---`, then run `dossier check`. A line `#field: …` is an optional
# field: remove the `#` to use it.
# One line for lists and search results:
#description: What this page is about.
# analysis, about, guide or note:
#kind: analysis
# When it was written (EDTF):
{date}
# Its place in the menus (smaller first):
#order: 10
---
TODO: the page's text in Markdown. Cite a source with `[@source-id, para 4]`;
link any record with `[[id]]`.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_titles_start_from_the_id() {
        assert_eq!(name("syrian-arab-army"), "Syrian Arab Army");
        assert_eq!(sentence("attack-on-sdf-hq"), "Attack on sdf hq");
        assert_eq!(quoted("True"), "\"True\"");
    }

    #[test]
    fn long_comments_wrap() {
        let text = wrap_comment(&"word ".repeat(40));
        assert!(
            text.lines().all(|l| l.starts_with("# ") && l.len() <= 78),
            "{text}"
        );
        assert_eq!(text.matches("word").count(), 40);
    }

    #[test]
    fn every_template_placeholder_is_filled() {
        let date = Edtf::parse("2018-05").ok();
        for kind in [
            Kind::Event,
            Kind::Actor,
            Kind::Source,
            Kind::Place,
            Kind::Page,
        ] {
            for date in [None, date.as_ref()] {
                let (text, _) = template(kind, "x", date, Some(&["attack"]));
                for placeholder in ["{id}", "{title}", "{name}", "{date}", "{types}"] {
                    assert!(!text.contains(placeholder), "{kind:?}: {placeholder}");
                }
            }
        }
    }
}
