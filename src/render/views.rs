//! Read-only views of the model for templates.
//!
//! Templates never see the model itself: each page gets small `Serialize`
//! structs that borrow the model's strings and carry what the template would
//! otherwise have to compute (links with the base path, human dates, labels,
//! pre-rendered Markdown and citation markers).

use serde::Serialize;

use super::notes::Note;
use crate::model::date::Edtf;
use crate::model::kinds::Status;

/// A link to a page of the site.
#[derive(Clone, Debug, Serialize)]
pub struct Link<'a> {
    /// Site-absolute href (with the base path).
    pub href: String,
    /// The text.
    pub name: &'a str,
}

/// A date as templates show it.
#[derive(Clone, Debug, Serialize)]
pub struct DateView<'a> {
    /// The human form ("c. December 2016").
    pub display: String,
    /// As written (EDTF).
    pub written: &'a str,
    /// First day it can cover, `YYYY-MM-DD`, for `<time datetime>`.
    pub start: Option<String>,
    /// Last day it can cover.
    pub end: Option<String>,
    /// Marked approximate (`~`, `%`).
    pub approximate: bool,
    /// Marked uncertain (`?`, `%`).
    pub uncertain: bool,
}

impl<'a> DateView<'a> {
    /// The view of a date.
    pub fn of(date: &'a Edtf) -> DateView<'a> {
        DateView {
            display: date.display(),
            written: date.as_written(),
            start: date.start().map(|d| d.iso()),
            end: date.end().map(|d| d.iso()),
            approximate: date.is_approximate(),
            uncertain: date.is_uncertain(),
        }
    }
}

/// A claim status with its label and meaning, for badges.
#[derive(Clone, Debug, Serialize)]
pub struct StatusView {
    /// The id (`unverified`), used as a CSS class.
    pub id: &'static str,
    /// The label.
    pub label: &'static str,
    /// What it means.
    pub meaning: &'static str,
}

impl StatusView {
    /// The view of a status.
    pub fn of(status: Status) -> StatusView {
        StatusView {
            id: status.id(),
            label: status.label(),
            meaning: status.meaning(),
        }
    }

    /// Every status, for legends.
    pub fn legend() -> Vec<StatusView> {
        Status::ALL.iter().map(|&s| StatusView::of(s)).collect()
    }
}

/// An event in a list or timeline.
#[derive(Clone, Debug, Serialize)]
pub struct EventItem<'a> {
    /// The id.
    pub id: &'a str,
    /// Link to its page.
    pub href: String,
    /// Its title.
    pub title: &'a str,
    /// Its date.
    pub date: DateView<'a>,
    /// The event type's id.
    pub type_id: &'a str,
    /// The event type's label.
    pub type_label: &'a str,
    /// Where.
    pub places: Vec<Link<'a>>,
    /// Its month heading key (`2018-05`), or its year alone when coarser.
    pub month_key: String,
    /// Its month heading label ("May 2018"; "2018" when only the year is known).
    pub month_label: String,
    /// The year it is filed under.
    pub year: Option<i32>,
}

/// A heading of events (a year or month) with its events.
#[derive(Clone, Debug, Serialize)]
pub struct EventGroup {
    /// Anchor id (`y2018`, `m2018-05`).
    pub id: String,
    /// Heading text.
    pub label: String,
    /// The events' entries ([`super::Renderer::event_entry`]).
    pub events: Vec<String>,
}

/// A year of the timeline with its count.
#[derive(Clone, Debug, Serialize)]
pub struct YearCount {
    /// The year.
    pub year: i32,
    /// How many events.
    pub count: usize,
    /// Link to its page.
    pub href: String,
}

/// A year of the timeline, as a link to its page.
#[derive(Clone, Debug, Serialize)]
pub struct YearLink {
    /// The year.
    pub year: i32,
    /// Link to its page.
    pub href: String,
}

/// A list that may be cut at the site's `list_limit`.
#[derive(Clone, Debug, Serialize)]
pub struct Limited<T> {
    /// The entries shown (the newest when cut).
    pub items: Vec<T>,
    /// How many there are in all.
    pub total: usize,
    /// How many are not shown.
    pub hidden: usize,
    /// The filtered timeline holding all of them, when cut.
    pub more_href: Option<String>,
}

/// One note at a page's foot: to templates, the note's fields and the
/// source's side by side.
#[derive(Clone, Debug)]
pub struct NoteView<'a> {
    /// The note.
    pub note: Note,
    /// The source's page.
    pub href: String,
    /// The source's title.
    pub title: &'a str,
    /// The publisher.
    pub publisher: &'a str,
    /// The publication date, human form.
    pub published: Option<String>,
}

// By hand rather than with `#[serde(flatten)]`, which makes serde write
// a map of unknown length: Tera's values took five times longer to build.
impl Serialize for NoteView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let note = &self.note;
        let mut s = serializer.serialize_struct("NoteView", 10)?;
        s.serialize_field("number", &note.number)?;
        s.serialize_field("id", &note.id)?;
        s.serialize_field("source", &note.source)?;
        s.serialize_field("loc", &note.loc)?;
        s.serialize_field("quote", &note.quote)?;
        s.serialize_field("backrefs", &note.backrefs)?;
        s.serialize_field("href", &self.href)?;
        s.serialize_field("title", self.title)?;
        s.serialize_field("publisher", self.publisher)?;
        s.serialize_field("published", &self.published)?;
        s.end()
    }
}

/// The site-wide part of every page.
#[derive(Clone, Debug, Serialize)]
pub struct SiteView<'a> {
    /// The site's title.
    pub title: &'a str,
    /// The site's description.
    pub description: &'a str,
    /// Its language.
    pub language: &'a str,
    /// The base path (`/` or `/repo/`), for hand-written links in templates.
    pub base: &'a str,
    /// The main menu.
    pub nav: Vec<NavItem>,
    /// Who writes the site.
    pub author: Option<&'a str>,
}

/// A main menu entry.
#[derive(Clone, Debug, Serialize)]
pub struct NavItem {
    /// The label.
    pub label: String,
    /// The link.
    pub href: String,
    /// The section it marks current (`timeline`, `actors`, …).
    pub section: String,
}

/// The page-specific head and header data.
#[derive(Clone, Debug, Serialize)]
pub struct PageMeta {
    /// The `<title>` and `<h1>`.
    pub title: String,
    /// The meta description.
    pub description: String,
    /// The canonical URL.
    pub canonical: String,
    /// The menu section this page is in.
    pub section: &'static str,
    /// Breadcrumbs above the title.
    pub crumbs: Vec<NavItem>,
    /// Whether the page shows highlighted code (and loads its stylesheet).
    pub code: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of a note reaches the templates, beside the source's.
    #[test]
    fn the_note_view_has_every_field_of_the_note() {
        let note = Note {
            number: 1,
            id: "note-1".into(),
            source: "s".into(),
            loc: Some("p. 2".into()),
            quote: None,
            backrefs: vec!["cite-1-1".into()],
        };
        let keys = |value: serde_json::Value| -> Vec<String> {
            value.as_object().unwrap().keys().cloned().collect()
        };
        let note_keys = keys(serde_json::to_value(&note).unwrap());
        let view = NoteView {
            note,
            href: "/sources/s/".into(),
            title: "S",
            publisher: "P",
            published: None,
        };
        let view_keys = keys(serde_json::to_value(&view).unwrap());
        for key in &note_keys {
            assert!(view_keys.contains(key), "{key} is missing");
        }
        assert_eq!(view_keys.len(), note_keys.len() + 4);
    }
}
