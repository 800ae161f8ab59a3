//! Citing the sources: CSL-JSON (`/data/sources.json`), BibTeX
//! (`/data/sources.bib`), and the "cite this" box of a source page (Chicago
//! notes-bibliography style, with the source's BibTeX entry).
//!
//! A source's `kind` decides its form: news, analysis and opinion (and a
//! source of no kind) are articles in a periodical named by the publisher;
//! a monitor report is a report; the rest are documents of their publisher.
//! An `author` is read as one or more names separated by `;`, ` and ` or
//! ` & `; a name written `Family, Given` or as two to four words is a
//! person, anything else (an outlet, "Staff") is kept whole.

mod bibtex;
mod chicago;

use std::path::PathBuf;

use serde::Serialize;

use super::{File, Renderer};
use crate::model::Source;
use crate::model::date::{Day, Edtf, Precision};
use crate::model::kinds::SourceKind;
use bibtex::bibtex;
use chicago::{Style, chicago};

/// The CSL-JSON keys `sources.json` uses, for the Data page.
pub const CSL_FIELDS: &[(&str, &str)] = &[
    ("id", "The source's id; its page is /sources/<id>/."),
    (
        "type",
        "The CSL item type (article-newspaper, article-magazine, report, speech or document).",
    ),
    ("title", "The title."),
    (
        "container-title",
        "For articles: the publication (the source's publisher).",
    ),
    ("publisher", "For reports and documents: who published it."),
    (
        "genre",
        "The kind of document where the type does not say it (opinion, press briefing, official statement, propaganda).",
    ),
    (
        "author",
        "The authors: {family, given} for a person, {literal} for a name kept whole.",
    ),
    (
        "issued",
        "When published: {date-parts: [[year, month, day]]}, as precise as written; a span or a one-of-a-set date has two parts (first and last); an approximate date (~) has circa: true.",
    ),
    ("accessed", "When the site read it, in the same form."),
    (
        "URL",
        "The article's own address, else its web-archive copy.",
    ),
    ("language", "Its language."),
];

/// The BibTeX fields `sources.bib` uses, for the Data page.
pub const BIBTEX_FIELDS: &[(&str, &str)] = &[
    ("key", "The source's id."),
    (
        "author",
        "The authors joined by \"and\", each as Family, Given (a name kept whole is braced).",
    ),
    (
        "title",
        "The title, braced so that styles keep its capitals.",
    ),
    (
        "journal",
        "@article: the publication (the source's publisher).",
    ),
    ("institution", "@techreport: the publisher."),
    ("howpublished", "@misc: the publisher."),
    (
        "year",
        "The year of publication, when the date falls within one year.",
    ),
    (
        "month",
        "The month (jan … dec), when the date falls within one month.",
    ),
    (
        "date",
        "biblatex's date: YYYY, YYYY-MM or YYYY-MM-DD as precise as written, or start/end for a span.",
    ),
    (
        "url",
        "The article's own address, else its web-archive copy.",
    ),
    ("urldate", "When the site read it (YYYY-MM-DD or coarser)."),
    (
        "note",
        "For an approximate or uncertain date, the date as readers see it (\"Publication date: c. May 2018\").",
    ),
];

/// `data/sources.json` and `data/sources.bib`.
pub fn files(r: &Renderer) -> Vec<File> {
    let sources = &r.site.sources;
    let items: Vec<CslItem> = sources.iter().map(csl_item).collect();
    // Serialising these plain structs cannot fail.
    let mut json = serde_json::to_vec_pretty(&items).unwrap_or_default();
    json.push(b'\n');
    let bib: Vec<String> = sources.iter().map(bibtex).collect();
    vec![
        File {
            path: PathBuf::from("data/sources.json"),
            bytes: json,
        },
        File {
            path: PathBuf::from("data/sources.bib"),
            bytes: bib.join("\n").into_bytes(),
        },
    ]
}

/// The "cite this" box of a source page.
#[derive(Clone, Debug, Serialize)]
pub struct CiteView {
    /// Chicago note form, as HTML.
    pub note: String,
    /// Chicago bibliography form, as HTML.
    pub bibliography: String,
    /// The BibTeX entry, as text (the template escapes it).
    pub bibtex: String,
}

/// The "cite this" box of source `s`.
pub fn view(r: &Renderer, s: usize) -> CiteView {
    let source = &r.site.sources[s];
    CiteView {
        note: chicago(source, Style::Note),
        bibliography: chicago(source, Style::Bibliography),
        bibtex: bibtex(source),
    }
}

/// How a source is cited, from its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Newspaper,
    Magazine,
    Report,
    Speech,
    Document,
}

impl Form {
    fn of(kind: Option<SourceKind>) -> Form {
        match kind {
            None | Some(SourceKind::News) | Some(SourceKind::Opinion) => Form::Newspaper,
            Some(SourceKind::Analysis) => Form::Magazine,
            Some(SourceKind::MonitorReport) => Form::Report,
            Some(SourceKind::PressBriefing) => Form::Speech,
            Some(SourceKind::OfficialStatement) | Some(SourceKind::Propaganda) => Form::Document,
        }
    }

    fn csl_type(self) -> &'static str {
        match self {
            Form::Newspaper => "article-newspaper",
            Form::Magazine => "article-magazine",
            Form::Report => "report",
            Form::Speech => "speech",
            Form::Document => "document",
        }
    }

    /// Whether the publisher is a periodical the source appeared in.
    fn periodical(self) -> bool {
        matches!(self, Form::Newspaper | Form::Magazine)
    }
}

/// What the type does not say about the kind.
fn genre(kind: Option<SourceKind>) -> Option<&'static str> {
    match kind {
        Some(
            k @ (SourceKind::Opinion
            | SourceKind::PressBriefing
            | SourceKind::OfficialStatement
            | SourceKind::Propaganda),
        ) => Some(k.label()),
        _ => None,
    }
}

/// An author's name.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Name {
    Person { family: String, given: String },
    Literal(String),
}

impl Name {
    /// "Given Family", or the name kept whole.
    fn natural(&self) -> String {
        match self {
            Name::Person { family, given } => format!("{given} {family}"),
            Name::Literal(name) => name.clone(),
        }
    }

    /// "Family, Given", or the name kept whole.
    fn inverted(&self) -> String {
        match self {
            Name::Person { family, given } => format!("{family}, {given}"),
            Name::Literal(name) => name.clone(),
        }
    }
}

/// The names in an `author` field (see the module docs).
fn names(author: &str) -> Vec<Name> {
    author
        .split(';')
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" & "))
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            if let Some((family, given)) = part.split_once(',') {
                let (family, given) = (family.trim(), given.trim());
                if !family.is_empty() && !given.is_empty() && !given.contains(',') {
                    return Name::Person {
                        family: family.to_string(),
                        given: given.to_string(),
                    };
                }
                return Name::Literal(part.to_string());
            }
            let words: Vec<&str> = part.split_whitespace().collect();
            let personal = (2..=4).contains(&words.len())
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(char::is_alphabetic)
                        && !w.chars().any(|c| c.is_ascii_digit())
                });
            match words.split_last() {
                Some((family, given)) if personal => Name::Person {
                    family: family.to_string(),
                    given: given.join(" "),
                },
                _ => Name::Literal(words.join(" ")),
            }
        })
        .collect()
}

/// The address cited: the article's own, else its archived copy.
fn address(source: &Source) -> Option<&str> {
    source.url.as_deref().or(source.archive_url.as_deref())
}

// --- CSL-JSON ---------------------------------------------------------------

#[derive(Serialize)]
struct CslItem<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<CslDate>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

#[derive(Serialize)]
struct CslName {
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    given: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    literal: Option<String>,
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Vec<Vec<i64>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    circa: bool,
}

fn csl_item(source: &Source) -> CslItem<'_> {
    let form = Form::of(source.kind);
    let author = source
        .author
        .as_deref()
        .map(names)
        .unwrap_or_default()
        .into_iter()
        .map(|name| match name {
            Name::Person { family, given } => CslName {
                family: Some(family),
                given: Some(given),
                literal: None,
            },
            Name::Literal(literal) => CslName {
                family: None,
                given: None,
                literal: Some(literal),
            },
        })
        .collect();
    CslItem {
        id: &source.id,
        kind: form.csl_type(),
        title: &source.title,
        container_title: form.periodical().then_some(source.publisher.as_str()),
        publisher: (!form.periodical()).then_some(source.publisher.as_str()),
        genre: genre(source.kind),
        author,
        issued: source.published.as_ref().and_then(csl_date),
        accessed: source.accessed.as_ref().and_then(csl_date),
        url: address(source),
        language: source.language.as_deref(),
    }
}

/// A date as CSL date-parts, as precise as written: one part, or two for a
/// date covering more than its precision's unit. `None` for a date with
/// neither end.
fn csl_date(date: &Edtf) -> Option<CslDate> {
    let parts = |day: Day| -> Vec<i64> {
        let (year, month, d) = (
            i64::from(day.year),
            i64::from(day.month),
            i64::from(day.day),
        );
        match date.precision() {
            Precision::Day => vec![year, month, d],
            Precision::Month | Precision::Season => vec![year, month],
            Precision::Year | Precision::Decade | Precision::Century => vec![year],
        }
    };
    let date_parts = match (date.start(), date.end()) {
        (Some(start), Some(end)) if parts(start) == parts(end) => vec![parts(start)],
        (Some(start), Some(end)) => vec![parts(start), parts(end)],
        (Some(day), None) | (None, Some(day)) => vec![parts(day)],
        (None, None) => return None,
    };
    Some(CslDate {
        date_parts,
        circa: date.is_approximate(),
    })
}

/// A source for the unit tests of this module and its children.
#[cfg(test)]
fn sample(author: Option<&str>, kind: Option<SourceKind>, published: &str) -> Source {
    Source {
        id: "lwj-2018".to_string(),
        title: "Islamic State continues to battle Assad regime, allies".to_string(),
        publisher: "FDD's Long War Journal".to_string(),
        publisher_url: None,
        author: author.map(str::to_string),
        published: Edtf::parse(published).ok(),
        date_note: None,
        url: Some("https://www.longwarjournal.org/archives/2018/05/x.php".to_string()),
        archive_url: None,
        accessed: None,
        kind,
        language: None,
        reliability: None,
        reliability_note: None,
        body: String::new(),
        origin: crate::model::Origin { file: 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_into_people_and_whole_names() {
        assert_eq!(
            names("Thomas Joscelyn and Bill Roggio; Newsweek Staff Writers Desk Team"),
            vec![
                Name::Person {
                    family: "Joscelyn".into(),
                    given: "Thomas".into()
                },
                Name::Person {
                    family: "Roggio".into(),
                    given: "Bill".into()
                },
                Name::Literal("Newsweek Staff Writers Desk Team".into()),
            ]
        );
        assert_eq!(
            names("Lund, Aron"),
            vec![Name::Person {
                family: "Lund".into(),
                given: "Aron".into()
            }]
        );
        assert_eq!(names("Reuters"), vec![Name::Literal("Reuters".into())]);
    }

    #[test]
    fn csl_dates_keep_their_precision_and_mark_circa() {
        let date =
            |text: &str| serde_json::to_value(csl_date(&Edtf::parse(text).unwrap())).unwrap();
        assert_eq!(
            date("2018-05~"),
            serde_json::json!({"date-parts": [[2018, 5]], "circa": true})
        );
        assert_eq!(
            date("2018-04-19/2018-05-21"),
            serde_json::json!({"date-parts": [[2018, 4, 19], [2018, 5, 21]]})
        );
        assert_eq!(date("2018"), serde_json::json!({"date-parts": [[2018]]}));
    }
}
