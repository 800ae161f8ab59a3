//! `dossier new`: a new content file from a commented template.
//!
//! `dossier new event|actor|source|place|page <id> [--date EDTF]` writes one
//! file in the folder the content model gives its kind (an event with a date
//! under `content/events/<year>/`, the year its date starts in), refusing to
//! overwrite anything. The id and the date are checked with the same code
//! the build uses ([`crate::model::id`], [`crate::model::date::Edtf`]), and
//! the site is loaded (the `load` stage, nothing more) to refuse an id its
//! kind already uses in another file and to list the event types.
//!
//! The templates explain every field in YAML comments. Optional fields are
//! commented out as `#field: value` (a `#` with no space after it), so
//! removing the `#` gives valid content once the example ids are replaced.
//! A fresh actor, place, source or page passes `dossier check` as created;
//! a fresh event fails it on purpose, with clear errors, until its `type`,
//! `sources` (and `date`, when none was given) are filled in: placeholders
//! are written `TODO` so that `grep TODO` finds them all.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::config::RawEventType;
use crate::load::{self, Loaded, Record};
use crate::model::date::Edtf;
use crate::model::id;
use crate::resolve::RESERVED;

mod templates;

use templates::template;

/// What kind of record to create.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// An event: `content/events/[<year>/]<id>.yaml`.
    Event,
    /// An actor: `content/actors/<id>.md`.
    Actor,
    /// A source: `content/sources/<id>.md`.
    Source,
    /// A place: `content/places/<id>.yaml`.
    Place,
    /// A free page: `content/pages/<id>.md`.
    Page,
}

impl Kind {
    /// The word used in messages and on the command line.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Event => "event",
            Kind::Actor => "actor",
            Kind::Source => "source",
            Kind::Place => "place",
            Kind::Page => "page",
        }
    }

    /// The ids this kind already uses in the loaded site, with the file
    /// that uses each.
    fn existing(self, loaded: &Loaded) -> Vec<(String, &Path)> {
        fn ids<'a, T>(
            loaded: &'a Loaded,
            records: &[Record<T>],
            explicit: impl Fn(&T) -> Option<&String>,
        ) -> Vec<(String, &'a Path)> {
            records
                .iter()
                .filter_map(|record| {
                    let id = explicit(&record.raw).unwrap_or(&record.stem).clone();
                    let file = loaded.files.get(record.file)?;
                    Some((id, file.path.as_path()))
                })
                .collect()
        }
        match self {
            Kind::Event => ids(loaded, &loaded.events, |r| r.id.as_ref()),
            Kind::Actor => ids(loaded, &loaded.actors, |r| r.id.as_ref()),
            Kind::Source => ids(loaded, &loaded.sources, |r| r.id.as_ref()),
            Kind::Place => ids(loaded, &loaded.places, |r| r.id.as_ref()),
            Kind::Page => ids(loaded, &loaded.pages, |r| r.id.as_ref()),
        }
    }
}

/// A file `dossier new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The file, relative to the site root (e.g. `content/actors/sdf.md`).
    pub path: PathBuf,
    /// The placeholders (`TODO`) left for the editor to fill in, by field.
    pub todo: Vec<&'static str>,
}

impl Created {
    /// What to do next, in one sentence.
    pub fn next_steps(&self) -> String {
        if self.todo.is_empty() {
            "edit it, then run `dossier check`".to_string()
        } else {
            format!(
                "fill in its TODOs ({}), then run `dossier check`",
                self.todo.join(", ")
            )
        }
    }
}

/// Why nothing was created (a usage or environment problem: exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Refusal {
    fn new(message: impl Into<String>, hint: Option<String>) -> Refusal {
        Refusal {
            message: message.into(),
            hint,
        }
    }
}

impl fmt::Display for Refusal {
    /// `error: …` and, when there is one, `  = help: …` on the next line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            writeln!(f, "  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Creates the file for a new `kind` record called `id` in the site at
/// `root`, with `date` (EDTF) as an event's or page's `date` or a source's
/// `published`. Writes nothing when it refuses.
pub fn create(root: &Path, kind: Kind, id: &str, date: Option<&str>) -> Result<Created, Refusal> {
    check_id(kind, id)?;
    let date = date.map(|text| parse_date(kind, text)).transpose()?;
    if !root.join("site.yaml").is_file() {
        return Err(Refusal::new(
            format!(
                "{}: no site.yaml here, so this is not a dossier site",
                root.display()
            ),
            Some("run the command in the site's folder, or pass it with --root".into()),
        ));
    }
    let (loaded, _) = load::load(root).map_err(|error| {
        Refusal::new(
            format!("{}: cannot read the site: {error}", root.display()),
            None,
        )
    })?;
    if let Some((_, file)) = kind
        .existing(&loaded)
        .into_iter()
        .find(|(used, _)| used == id)
    {
        return Err(Refusal::new(
            format!(
                "{} already uses the {} id `{id}`; nothing was written",
                file.display(),
                kind.word()
            ),
            Some(format!(
                "ids are unique within a kind: edit {}, or choose another id",
                file.display()
            )),
        ));
    }
    if kind == Kind::Page {
        check_page_id(root, id)?;
    }
    let event_types = loaded.config.as_ref().map(|(_, config)| {
        config
            .event_types
            .iter()
            .map(|t| match t {
                RawEventType::Id(id) | RawEventType::Labelled { id, .. } => id.as_str(),
            })
            .collect::<Vec<_>>()
    });
    let path = path_for(kind, id, date.as_ref());
    let (text, todo) = template(kind, id, date.as_ref(), event_types.as_deref());
    write_new(root, &path, &text)?;
    Ok(Created { path, todo })
}

/// Refuses an invalid id with the message the build gives and a valid one.
fn check_id(kind: Kind, id: &str) -> Result<(), Refusal> {
    id::validate(id).map_err(|message| {
        let hint = match id::suggest(id) {
            Some(valid) => format!("write it as `{valid}`: dossier new {} {valid}", kind.word()),
            None => {
                "ids are lowercase letters, digits and single hyphens, e.g. `islamic-state`".into()
            }
        };
        Refusal::new(message, Some(hint))
    })
}

/// Parses `--date` with the build's EDTF parser.
fn parse_date(kind: Kind, text: &str) -> Result<Edtf, Refusal> {
    if matches!(kind, Kind::Actor | Kind::Place) {
        return Err(Refusal::new(
            format!("{} has no date, so --date does not apply", article(kind)),
            Some("--date sets an event's or a page's `date` and a source's `published`".into()),
        ));
    }
    Edtf::parse(text).map_err(|error| {
        Refusal::new(
            format!("invalid date `{}` in --date: {}", text.trim(), error.message),
            Some(error.hint.unwrap_or_else(|| {
                "write an EDTF date such as 2018-02-07, 2018-05, 2018, 2016-12~, 2018-06?, 2018-04-19/2018-05-21 or [2018-01..2018-04]".into()
            })),
        )
    })
}

/// `an actor`, `a place`.
fn article(kind: Kind) -> String {
    match kind {
        Kind::Event | Kind::Actor => format!("an {}", kind.word()),
        _ => format!("a {}", kind.word()),
    }
}

/// Refuses a page id that a route or a top-level static file takes.
fn check_page_id(root: &Path, id: &str) -> Result<(), Refusal> {
    let static_names = load::statics::load(root)
        .map(|(_, names)| names)
        .unwrap_or_default();
    let mut reserved: Vec<&str> = RESERVED
        .iter()
        .copied()
        .chain(static_names.iter().map(String::as_str))
        .collect();
    if !reserved.contains(&id) {
        return Ok(());
    }
    reserved.sort_unstable();
    reserved.dedup();
    Err(Refusal::new(
        format!("the page id `{id}` is taken by a route of the site"),
        Some(format!(
            "choose another id (e.g. `about-{id}`); reserved: {}",
            reserved.join(", ")
        )),
    ))
}

/// Where the new file goes, relative to the root.
fn path_for(kind: Kind, id: &str, date: Option<&Edtf>) -> PathBuf {
    let content = Path::new("content");
    match kind {
        Kind::Event => {
            let folder = content.join("events");
            match date.and_then(Edtf::year) {
                Some(year) => folder.join(year_folder(year)),
                None => folder,
            }
            .join(format!("{id}.yaml"))
        }
        Kind::Actor => content.join("actors").join(format!("{id}.md")),
        Kind::Source => content.join("sources").join(format!("{id}.md")),
        Kind::Place => content.join("places").join(format!("{id}.yaml")),
        Kind::Page => content.join("pages").join(format!("{id}.md")),
    }
}

/// A year as a folder name, four digits as EDTF writes it (`2018`, `0800`,
/// `-0044`).
fn year_folder(year: i32) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

/// Writes `text` to `root/path`, creating its folder, never overwriting.
fn write_new(root: &Path, path: &Path, text: &str) -> Result<(), Refusal> {
    let full = root.join(path);
    if let Some(folder) = full.parent() {
        std::fs::create_dir_all(folder).map_err(|error| {
            Refusal::new(
                format!("{}: cannot create the folder: {error}", folder.display()),
                None,
            )
        })?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&full)
    {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Refusal::new(
                format!("{} already exists; nothing was written", full.display()),
                Some("edit the existing file, or choose another id".into()),
            ));
        }
        Err(error) => {
            return Err(Refusal::new(
                format!("{}: cannot create the file: {error}", full.display()),
                None,
            ));
        }
    };
    file.write_all(text.as_bytes()).map_err(|error| {
        let _ = std::fs::remove_file(&full);
        Refusal::new(
            format!("{}: cannot write the file: {error}", full.display()),
            None,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_go_under_the_year_their_date_starts_in() {
        let date = Edtf::parse("../2011-03").ok();
        assert_eq!(
            path_for(Kind::Event, "a", date.as_ref()),
            Path::new("content/events/2011/a.yaml")
        );
        let date = Edtf::parse("[2016-12..2017-02]").ok();
        assert_eq!(
            path_for(Kind::Event, "a", date.as_ref()),
            Path::new("content/events/2016/a.yaml")
        );
        assert_eq!(
            path_for(Kind::Event, "a", None),
            Path::new("content/events/a.yaml")
        );
        assert_eq!(year_folder(-44), "-0044");
        assert_eq!(year_folder(800), "0800");
    }
}
