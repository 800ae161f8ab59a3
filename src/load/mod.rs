//! Load: disk -> raw records.
//!
//! Walks `content/`, reads every file (in parallel), splits front matter,
//! and deserializes YAML into the serde mirrors in [`raw`]. It knows nothing
//! of references between records: that is `resolve`'s job. Problems are
//! collected as diagnostics; a file with a problem yields no record.

pub mod frontmatter;
pub mod raw;
pub mod statics;
pub mod walk;
pub mod yaml;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config::RawConfig;
use crate::diagnostics::{Diagnostic, Position, Severity};

/// A file read from the site, kept for locating problems later.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root (e.g. `content/events/2018/a.yaml`).
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
}

impl SourceFile {
    /// An error at byte `offset` of this file.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(
            &self.path,
            &self.text,
            Position::of_offset(&self.text, offset),
            message,
        )
    }

    /// A warning at byte `offset` of this file.
    pub fn warning_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(
            &self.path,
            &self.text,
            Position::of_offset(&self.text, offset),
            message,
        )
    }
}

/// One record from a file: where it is and what it says.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// Index into [`Loaded::files`].
    pub file: usize,
    /// The byte range of the record's YAML in the file's text.
    pub span: Range<usize>,
    /// The id the file name gives (its stem), used when the record sets none.
    pub stem: String,
    /// Whether the record came from a list file (which must set `id`).
    pub in_list: bool,
    /// The front matter or YAML, deserialized.
    pub raw: T,
    /// The Markdown body of a `.md` file and its byte offset in the text.
    pub body: Option<(String, usize)>,
}

/// Everything read from a site folder.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every file read, in path order; records point into this.
    pub files: Vec<SourceFile>,
    /// site.yaml, if it parsed, with its file index.
    pub config: Option<(usize, RawConfig)>,
    /// `content/index.md`.
    pub home: Option<Record<raw::RawPage>>,
    /// `content/pages/*.md`.
    pub pages: Vec<Record<raw::RawPage>>,
    /// `content/sources/*.md`.
    pub sources: Vec<Record<raw::RawSource>>,
    /// `content/actors/*.md`.
    pub actors: Vec<Record<raw::RawActor>>,
    /// `content/places/*.yaml`.
    pub places: Vec<Record<raw::RawPlace>>,
    /// `content/events/**/*.yaml`.
    pub events: Vec<Record<raw::RawEvent>>,
}

/// What a path under `content/` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Home,
    Page,
    Source,
    Actor,
    Place,
    Event,
}

/// The records one file yields.
enum Parsed {
    Home(Record<raw::RawPage>),
    Page(Record<raw::RawPage>),
    Source(Record<raw::RawSource>),
    Actor(Record<raw::RawActor>),
    Places(Vec<Record<raw::RawPlace>>),
    Events(Vec<Record<raw::RawEvent>>),
}

/// Reads the site at `root`. Returns `Err` only for an environment failure
/// (the root or `content/` cannot be read); content problems go into the
/// returned diagnostics.
pub fn load(root: &Path) -> Result<(Loaded, Vec<Diagnostic>), std::io::Error> {
    let mut diagnostics = Vec::new();
    let mut loaded = Loaded::default();

    let config_path = PathBuf::from("site.yaml");
    match read_text(root, &config_path) {
        Ok(Some(text)) => {
            let file = SourceFile { path: config_path, text };
            match yaml::from_str::<RawConfig>(&file.text) {
                Ok(config) => loaded.config = Some((0, config)),
                Err(error) => diagnostics.push(yaml_diagnostic(&file, 0, &error)),
            }
            loaded.files.push(file);
        }
        Ok(None) => diagnostics.push(
            Diagnostic::file_level(Severity::Error, &config_path, "site.yaml is missing or unreadable")
                .with_hint("every site needs a site.yaml at its root with at least `title: …`; pass the site folder with --root"),
        ),
        Err(diagnostic) => diagnostics.push(diagnostic),
    }

    let content = root.join("content");
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::file_level(
                Severity::Error,
                Path::new("content"),
                "the content folder is missing",
            )
            .with_hint(
                "create content/ with index.md, pages/, actors/, sources/, places/ and events/",
            ),
        );
        return Ok((loaded, diagnostics));
    }

    let (entries, errors) = walk::sorted(&content);
    if let Some(error) = errors.into_iter().next() {
        return Err(std::io::Error::other(error));
    }
    let mut paths = Vec::new();
    for entry in entries {
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_file() && !hidden {
            let relative = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            paths.push(relative);
        }
    }

    let reads = read_all(root, &paths);
    let results: Vec<(Option<SourceFile>, Vec<Parsed>, Vec<Diagnostic>)> = paths
        .par_iter()
        .zip(reads)
        .map(|(path, read)| parse_file(path, read))
        .collect();

    // Room for every file and event first: a large site's events would
    // otherwise be copied again each time their list grew.
    let events = results
        .iter()
        .flat_map(|(_, records, _)| records)
        .map(|parsed| match parsed {
            Parsed::Events(records) => records.len(),
            _ => 0,
        })
        .sum();
    loaded.files.reserve(results.len());
    loaded.events.reserve(events);
    for (file, records, problems) in results {
        diagnostics.extend(problems);
        let Some(file) = file else { continue };
        let index = loaded.files.len();
        loaded.files.push(file);
        for parsed in records {
            match parsed {
                Parsed::Home(record) => loaded.home = Some(with_file(record, index)),
                Parsed::Page(record) => loaded.pages.push(with_file(record, index)),
                Parsed::Source(record) => loaded.sources.push(with_file(record, index)),
                Parsed::Actor(record) => loaded.actors.push(with_file(record, index)),
                Parsed::Places(records) => loaded
                    .places
                    .extend(records.into_iter().map(|r| with_file(r, index))),
                Parsed::Events(records) => loaded
                    .events
                    .extend(records.into_iter().map(|r| with_file(r, index))),
            }
        }
    }
    Ok((loaded, diagnostics))
}

/// Reads the content file at `path` (relative to `root`) again, in place
/// of what `loaded` held from it, and says what it replaced (nothing for a
/// file that came and went unread). A new file's records are put, and a
/// removed file's taken out, where a whole load would have them. Returns
/// `None`, leaving `loaded` as it was, when the file cannot simply be
/// swapped: it is a folder, not under `content/`, or now holds a different
/// number or kind of records. The whole site must then be loaded again.
pub fn reload(loaded: &mut Loaded, root: &Path, path: &Path) -> Option<Reloaded> {
    if !path.starts_with("content") {
        return None;
    }
    let gone = std::fs::symlink_metadata(root.join(path)).is_err();
    let Some(index) = loaded.files.iter().position(|f| f.path == path) else {
        // Not a file read before: if it is gone (an editor's temporary
        // file) or hidden, nothing changed; a new file is read and its
        // records put in; a new folder, or a folder of files read before
        // (moved or removed), needs a whole load.
        let hidden = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with('.'));
        let held = loaded.files.iter().any(|f| f.path.starts_with(path));
        if held {
            return None;
        }
        if hidden || gone {
            return Some(Reloaded::default());
        }
        return add_file(loaded, root, path);
    };
    if gone {
        return Some(remove_file(loaded, index));
    }
    let (file, parsed, problems) = load_file(root, path);
    let file = file?;
    let mut records = parsed.into_iter();
    let (parsed, None) = (records.next(), records.next()) else {
        return None;
    };
    let held = |files: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        files
            .enumerate()
            .filter(|&(_, f)| f == index)
            .map(|(i, _)| i)
            .collect()
    };
    let home = loaded.home.as_ref().is_some_and(|h| h.file == index);
    let pages = held(&mut loaded.pages.iter().map(|r| r.file));
    let sources = held(&mut loaded.sources.iter().map(|r| r.file));
    let actors = held(&mut loaded.actors.iter().map(|r| r.file));
    let places = held(&mut loaded.places.iter().map(|r| r.file));
    let events = held(&mut loaded.events.iter().map(|r| r.file));
    let before = usize::from(home)
        + pages.len()
        + sources.len()
        + actors.len()
        + places.len()
        + events.len();
    let mut replaced = Reloaded {
        problems,
        events: Vec::new(),
        others: true,
    };
    match parsed {
        Some(Parsed::Home(record)) if home && before == 1 => {
            loaded.home = Some(with_file(record, index));
        }
        Some(Parsed::Page(record)) if pages.len() == 1 && before == 1 => {
            loaded.pages[pages[0]] = with_file(record, index);
        }
        Some(Parsed::Source(record)) if sources.len() == 1 && before == 1 => {
            loaded.sources[sources[0]] = with_file(record, index);
        }
        Some(Parsed::Actor(record)) if actors.len() == 1 && before == 1 => {
            loaded.actors[actors[0]] = with_file(record, index);
        }
        Some(Parsed::Places(records))
            if places.len() == records.len() && before == records.len() =>
        {
            for (at, record) in places.into_iter().zip(records) {
                loaded.places[at] = with_file(record, index);
            }
        }
        Some(Parsed::Events(records))
            if events.len() == records.len() && before == records.len() =>
        {
            for (at, record) in events.into_iter().zip(records) {
                let old = std::mem::replace(&mut loaded.events[at], with_file(record, index));
                replaced.events.push(EventChange::Replaced(at, old));
            }
            replaced.others = false;
        }
        _ => return None,
    }
    loaded.files[index] = file;
    Some(replaced)
}

/// Reads the new file at `path` and puts it and its records into `loaded`
/// where a whole load would have them (files and records in path order,
/// after `site.yaml`); `None` for what a whole load would not read as a
/// file (a folder, a link).
fn add_file(loaded: &mut Loaded, root: &Path, path: &Path) -> Option<Reloaded> {
    if !std::fs::symlink_metadata(root.join(path)).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let (file, parsed, problems) = load_file(root, path);
    let mut added = Reloaded {
        problems,
        events: Vec::new(),
        others: true,
    };
    let Some(file) = file else {
        // Not read (not a content file, or unreadable): only its problems.
        return Some(added);
    };
    let at = loaded
        .files
        .iter()
        .position(|f| f.path != Path::new("site.yaml") && f.path.as_path() > path)
        .unwrap_or(loaded.files.len());
    renumber(loaded, |file| if file >= at { file + 1 } else { file });
    loaded.files.insert(at, file);
    added.others = !parsed.iter().all(|p| matches!(p, Parsed::Events(_)));
    for parsed in parsed {
        match parsed {
            // A new `content/index.md`: there was no home page before.
            Parsed::Home(record) => loaded.home = Some(with_file(record, at)),
            Parsed::Page(record) => insert(&mut loaded.pages, vec![record], at),
            Parsed::Source(record) => insert(&mut loaded.sources, vec![record], at),
            Parsed::Actor(record) => insert(&mut loaded.actors, vec![record], at),
            Parsed::Places(records) => insert(&mut loaded.places, records, at),
            Parsed::Events(records) => {
                let from = loaded.events.partition_point(|r| r.file < at);
                added
                    .events
                    .extend((from..from + records.len()).map(EventChange::Added));
                insert(&mut loaded.events, records, at);
            }
        }
    }
    Some(added)
}

/// Puts `records`, read from file `at`, among `held` (in file order).
fn insert<T>(held: &mut Vec<Record<T>>, records: Vec<Record<T>>, at: usize) {
    let position = held.partition_point(|r| r.file < at);
    let records = records.into_iter().map(|r| with_file(r, at));
    held.splice(position..position, records);
}

/// Takes file `index`, which is gone, and its records out of `loaded`.
fn remove_file(loaded: &mut Loaded, index: usize) -> Reloaded {
    let mut others = loaded.home.take_if(|h| h.file == index).is_some();
    others |= !take_file(&mut loaded.pages, index).is_empty();
    others |= !take_file(&mut loaded.sources, index).is_empty();
    others |= !take_file(&mut loaded.actors, index).is_empty();
    others |= !take_file(&mut loaded.places, index).is_empty();
    let events = take_file(&mut loaded.events, index);
    let file = loaded.files.remove(index);
    renumber(loaded, |file| if file > index { file - 1 } else { file });
    Reloaded {
        problems: Vec::new(),
        events: events
            .into_iter()
            .map(|record| EventChange::Removed(record, file.clone()))
            .collect(),
        others,
    }
}

/// Takes the records read from file `index` out of `records`.
fn take_file<T>(records: &mut Vec<Record<T>>, index: usize) -> Vec<Record<T>> {
    let (taken, kept) = std::mem::take(records)
        .into_iter()
        .partition(|r| r.file == index);
    *records = kept;
    taken
}

/// Gives every record of `loaded` the file number `to` makes of its own.
fn renumber(loaded: &mut Loaded, to: impl Fn(usize) -> usize) {
    if let Some((file, _)) = &mut loaded.config {
        *file = to(*file);
    }
    if let Some(home) = &mut loaded.home {
        home.file = to(home.file);
    }
    let files = loaded
        .pages
        .iter_mut()
        .map(|r| &mut r.file)
        .chain(loaded.sources.iter_mut().map(|r| &mut r.file))
        .chain(loaded.actors.iter_mut().map(|r| &mut r.file))
        .chain(loaded.places.iter_mut().map(|r| &mut r.file))
        .chain(loaded.events.iter_mut().map(|r| &mut r.file));
    for file in files {
        *file = to(*file);
    }
}

/// What [`reload`] did.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// The file's problems, as read now.
    pub problems: Vec<Diagnostic>,
    /// The event records it replaced, added or took out.
    pub events: Vec<EventChange>,
    /// Whether records of other kinds were replaced, added or taken out.
    pub others: bool,
}

/// What [`reload`] did to one event record.
#[derive(Debug)]
pub enum EventChange {
    /// The record at this index in [`Loaded::events`] replaced this one.
    Replaced(usize, Record<raw::RawEvent>),
    /// A new file's record, now at this index in [`Loaded::events`].
    Added(usize),
    /// A removed file's record and the file, as they were (the record's
    /// `file` is the file's index before it was taken out).
    Removed(Record<raw::RawEvent>, SourceFile),
}

fn with_file<T>(mut record: Record<T>, file: usize) -> Record<T> {
    record.file = file;
    record
}

/// Which kind of record a path holds, or `None` for a file dossier does not
/// read.
fn classify(path: &Path) -> Option<Kind> {
    let parts: Vec<&str> = path.iter().filter_map(|p| p.to_str()).collect();
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let yaml = matches!(extension, "yaml" | "yml");
    match parts.as_slice() {
        ["content", "index.md"] => Some(Kind::Home),
        ["content", "pages", _] if extension == "md" => Some(Kind::Page),
        ["content", "sources", _] if extension == "md" => Some(Kind::Source),
        ["content", "actors", _] if extension == "md" => Some(Kind::Actor),
        ["content", "places", _] if yaml => Some(Kind::Place),
        ["content", "events", .., _] if yaml => Some(Kind::Event),
        _ => None,
    }
}

/// How many content files are read at once. A site not in the page cache
/// (the first build after a restart) waits on the disk for every file: a
/// reader per core left the disk idle most of the time, and the load of
/// 100,000 events took 15 s cold instead of 3 s warm (4.7 s cold now).
/// Reading costs little CPU, so more readers than cores cost nothing when
/// the files are in memory.
const READERS: usize = 16;

/// What reading a content file gave, with its kind.
type Read = (Kind, std::io::Result<Vec<u8>>);

/// Reads the content files at `paths` (relative to `root`) that dossier
/// reads, [`READERS`] at a time; `None` for the others.
fn read_all(root: &Path, paths: &[PathBuf]) -> Vec<Option<Read>> {
    let next = AtomicUsize::new(0);
    let read_some = || {
        let mut read = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = paths.get(at) else {
                return read;
            };
            if let Some(file) = read_file(root, path) {
                read.push((at, file));
            }
        }
    };
    let mut reads: Vec<Option<Read>> = paths.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let readers: Vec<_> = (0..READERS.min(paths.len()))
            .map(|_| scope.spawn(read_some))
            .collect();
        for reader in readers {
            for (at, read) in reader.join().unwrap_or_default() {
                reads[at] = Some(read);
            }
        }
    });
    reads
}

/// Reads a file as UTF-8 text: `Ok(None)` if it does not exist, a
/// diagnostic if it is unreadable or not UTF-8.
fn read_text(root: &Path, path: &Path) -> Result<Option<String>, Diagnostic> {
    text_of(path, std::fs::read(root.join(path)))
}

/// A file's text from what reading it gave: `Ok(None)` if it does not
/// exist, a diagnostic if it is unreadable or not UTF-8.
fn text_of(path: &Path, read: std::io::Result<Vec<u8>>) -> Result<Option<String>, Diagnostic> {
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(Diagnostic::file_level(
                Severity::Error,
                path,
                format!("cannot read the file: {error}"),
            ));
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.replace_range(..3, "");
            }
            Ok(Some(text))
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&error.as_bytes()[..valid]).into_owned();
            let at = Position::of_offset(&prefix, valid);
            Err(
                Diagnostic::error(path, &prefix, at, "the file is not valid UTF-8 text")
                    .with_hint("save the file as UTF-8 (most editors have this under 'encoding')"),
            )
        }
    }
}

/// Reads the content file at `path` with its kind; `None`, unread, for a
/// file dossier does not read.
fn read_file(root: &Path, path: &Path) -> Option<Read> {
    classify(path).map(|kind| (kind, std::fs::read(root.join(path))))
}

/// Reads and parses one content file.
fn load_file(root: &Path, path: &Path) -> (Option<SourceFile>, Vec<Parsed>, Vec<Diagnostic>) {
    parse_file(path, read_file(root, path))
}

/// Parses one content file from what reading it gave (`None` for a file
/// dossier does not read, which is not read).
fn parse_file(
    path: &Path,
    read: Option<Read>,
) -> (Option<SourceFile>, Vec<Parsed>, Vec<Diagnostic>) {
    let Some((kind, read)) = read else {
        let warning = Diagnostic::file_level(
            Severity::Warning,
            path,
            "dossier does not read this file",
        )
        .with_hint("content files are index.md, pages/*.md, actors/*.md, sources/*.md, places/*.yaml and events/**/*.yaml; move or rename it");
        return (None, Vec::new(), vec![warning]);
    };
    let text = match text_of(path, read) {
        Ok(Some(text)) => text,
        Ok(None) => return (None, Vec::new(), Vec::new()),
        Err(diagnostic) => return (None, Vec::new(), vec![diagnostic]),
    };
    let file = SourceFile {
        path: path.to_path_buf(),
        text,
    };
    if file.text.trim().is_empty() {
        let diagnostic = Diagnostic::file_level(Severity::Error, path, "the file is empty")
            .with_hint(empty_hint(kind));
        return (Some(file), Vec::new(), vec![diagnostic]);
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut problems = Vec::new();
    let parsed = match kind {
        Kind::Home => markdown_record(&file, &stem, &mut problems).map(Parsed::Home),
        Kind::Page => markdown_record(&file, &stem, &mut problems).map(Parsed::Page),
        Kind::Source => markdown_record(&file, &stem, &mut problems).map(Parsed::Source),
        Kind::Actor => markdown_record(&file, &stem, &mut problems).map(Parsed::Actor),
        Kind::Place => Some(Parsed::Places(yaml_records(
            &file,
            &stem,
            yaml::from_str,
            &mut problems,
        ))),
        Kind::Event => Some(Parsed::Events(yaml_records(
            &file,
            &stem,
            |text| {
                yaml::from_str_lifting(text, "summary", |event: &mut raw::RawEvent| {
                    Some(&mut event.summary)
                })
            },
            &mut problems,
        ))),
    };
    (Some(file), parsed.into_iter().collect(), problems)
}

fn empty_hint(kind: Kind) -> &'static str {
    match kind {
        Kind::Home | Kind::Page => {
            "a page needs front matter with at least `title: …`; delete the file if it is not needed"
        }
        Kind::Source => {
            "a source needs front matter with `title` and `publisher`; `dossier new source <id>` writes a template"
        }
        Kind::Actor => {
            "an actor needs front matter with `name`; `dossier new actor <id>` writes a template"
        }
        Kind::Place => {
            "a place needs at least `name: …`; `dossier new place <id>` writes a template"
        }
        Kind::Event => {
            "an event needs title, date, type, summary and sources; `dossier new event <id>` writes a template"
        }
    }
}

/// A `.md` record: front matter plus body.
fn markdown_record<T: DeserializeOwned>(
    file: &SourceFile,
    stem: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Record<T>> {
    let split = match frontmatter::split(&file.text) {
        Ok(split) => split,
        Err(error) => {
            problems.push(
                file.error_at(error.offset, error.message)
                    .with_hint(error.hint),
            );
            return None;
        }
    };
    let yaml_text = &file.text[split.yaml.clone()];
    match yaml::from_str::<T>(yaml_text) {
        Ok(raw) => Some(Record {
            file: 0,
            span: split.yaml.clone(),
            stem: stem.to_string(),
            in_list: false,
            raw,
            body: Some((file.text[split.body.clone()].to_string(), split.body.start)),
        }),
        Err(error) => {
            problems.push(yaml_diagnostic(file, split.yaml.start, &error));
            None
        }
    }
}

/// A YAML file of one record or a list of records; `one` parses a file of
/// one record.
fn yaml_records<T: DeserializeOwned>(
    file: &SourceFile,
    stem: &str,
    one: impl FnOnce(&str) -> Result<T, yaml::YamlError>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Record<T>> {
    let text = &file.text;
    if !yaml::is_list(text) {
        return match one(text) {
            Ok(raw) => vec![Record {
                file: 0,
                span: 0..text.len(),
                stem: stem.to_string(),
                in_list: false,
                raw,
                body: None,
            }],
            Err(error) => {
                problems.push(yaml_diagnostic(file, 0, &error));
                Vec::new()
            }
        };
    }
    match yaml::from_str::<Vec<T>>(text) {
        Ok(raws) => {
            let starts = yaml::list_item_starts(text);
            let spans: Vec<Range<usize>> = if starts.len() == raws.len() {
                starts
                    .iter()
                    .enumerate()
                    .map(|(i, &start)| start..starts.get(i + 1).copied().unwrap_or(text.len()))
                    .collect()
            } else {
                vec![0..text.len(); raws.len()]
            };
            raws.into_iter()
                .zip(spans)
                .map(|(raw, span)| Record {
                    file: 0,
                    span,
                    stem: stem.to_string(),
                    in_list: true,
                    raw,
                    body: None,
                })
                .collect()
        }
        Err(error) => {
            problems.push(yaml_diagnostic(file, 0, &error));
            Vec::new()
        }
    }
}

/// A YAML error located in the file: `base` is where the YAML starts.
fn yaml_diagnostic(file: &SourceFile, base: usize, error: &yaml::YamlError) -> Diagnostic {
    let mut offset = base + error.offset.unwrap_or(0);
    if let Some(field) = error
        .message
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.split('`').next())
    {
        offset = second_key(&file.text, offset, field).unwrap_or(offset);
    }
    let hint = yaml_hint(&error.message);
    file.error_at(offset, error.message.clone())
        .with_optional_hint(hint)
}

/// serde reports a repeated field at the start of its mapping; point at the
/// repetition instead: the second line, from `from` on, that starts with
/// `field:` at the indentation of the first.
fn second_key(text: &str, from: usize, field: &str) -> Option<usize> {
    let pattern = format!("{field}:");
    let mut seen: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if start + line.len() <= from {
            continue;
        }
        let trimmed = line.trim_start_matches([' ', '-']);
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with(&pattern) {
            match seen {
                None => seen = Some(indent),
                Some(first) if first == indent => return Some(start + indent),
                Some(_) => {}
            }
        }
    }
    None
}

/// Advice for the YAML mistakes editors make most.
fn yaml_hint(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some(
            "check the spelling against the content model; remove the field if it is not one"
                .into(),
        )
    } else if message.starts_with("missing field") {
        Some("add the field: it is required".into())
    } else if message.contains("mapping values are not allowed") {
        Some("a value containing `: ` must be quoted".into())
    } else if message.contains("unknown variant") {
        Some("use one of the values listed".into())
    } else if message.contains("did not find expected key")
        || message.contains("did not find expected '-'")
    {
        Some("check the indentation: keys of one mapping, and items of one list, line up under each other".into())
    } else if message.starts_with("duplicate") {
        Some("a field may appear once; remove or merge the repeated one".into())
    } else if message.contains("found character that cannot start any token") {
        Some("quote values that start with `@`, `` ` `` or `%`".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_folder_and_extension() {
        assert_eq!(classify(Path::new("content/index.md")), Some(Kind::Home));
        assert_eq!(
            classify(Path::new("content/events/2018/a.yml")),
            Some(Kind::Event)
        );
        assert_eq!(
            classify(Path::new("content/events/a.yaml")),
            Some(Kind::Event)
        );
        assert_eq!(
            classify(Path::new("content/places/a.yaml")),
            Some(Kind::Place)
        );
        assert_eq!(
            classify(Path::new("content/actors/a.md")),
            Some(Kind::Actor)
        );
        assert_eq!(classify(Path::new("content/actors/a.yaml")), None);
        assert_eq!(classify(Path::new("content/pages/sub/a.md")), None);
        assert_eq!(classify(Path::new("content/notes.txt")), None);
    }

    /// Files read many at a time land where one reader would put them:
    /// each file's records in path order, unread files warned about.
    #[test]
    fn files_read_at_once_keep_their_order() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::write(root.join("site.yaml"), "title: T\n").unwrap();
        let events = root.join("content/events");
        std::fs::create_dir_all(&events).unwrap();
        let count = READERS * 5 + 3;
        for i in 0..count {
            let text = format!("title: E{i}\ndate: 2018\ntype: t\nsummary: s\nsources: [s]\n");
            std::fs::write(events.join(format!("e{i:03}.yaml")), text).unwrap();
        }
        std::fs::write(events.join("notes.txt"), "not an event").unwrap();
        let (loaded, problems) = load(root).unwrap();
        let titles: Vec<String> = loaded.events.iter().map(|e| e.raw.title.clone()).collect();
        let expected: Vec<String> = (0..count).map(|i| format!("E{i}")).collect();
        assert_eq!(titles, expected);
        for (index, record) in loaded.events.iter().enumerate() {
            assert!(loaded.files[record.file].text.contains(&expected[index]));
        }
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("does not read this file"));
    }

    /// `loaded` as text, to compare with a whole load.
    fn shown(loaded: &Loaded) -> String {
        format!("{loaded:?}")
    }

    #[test]
    fn a_file_added_or_removed_is_loaded_as_a_whole_load_would() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.yaml", "title: T\n");
        write("content/actors/a.md", "---\nname: A\n---\n");
        write("content/actors/c.md", "---\nname: C\n---\n");
        let event = "title: E\ndate: 2018\ntype: t\nsummary: s\nsources: [s]\n";
        write("content/events/2018/a.yaml", event);
        write("content/events/2018/c.yaml", event);
        write("content/sources/s.md", "---\ntitle: S\npublisher: P\n---\n");
        let (mut loaded, _) = load(root).unwrap();
        // Added between two files of each kind, so that every later
        // record's file moves up.
        for path in ["content/actors/b.md", "content/events/2018/b.yaml"] {
            let text = if path.ends_with(".md") {
                "---\nname: B\n---\n"
            } else {
                event
            };
            write(path, text);
            let added = reload(&mut loaded, root, Path::new(path)).unwrap();
            assert!(added.problems.is_empty(), "{path}");
            if path.ends_with(".md") {
                assert!(added.others && added.events.is_empty(), "{path}");
            } else {
                // An event file's record is named, for resolving it alone.
                let [EventChange::Added(at)] = added.events[..] else {
                    panic!("{path}: not one event added");
                };
                assert!(!added.others);
                assert_eq!(loaded.files[loaded.events[at].file].path, Path::new(path));
            }
            assert_eq!(
                shown(&loaded),
                shown(&load(root).unwrap().0),
                "{path} added"
            );
        }
        std::fs::remove_file(root.join("content/actors/a.md")).unwrap();
        reload(&mut loaded, root, Path::new("content/actors/a.md")).unwrap();
        assert_eq!(shown(&loaded), shown(&load(root).unwrap().0), "a removed");
        let gone = "content/events/2018/c.yaml";
        std::fs::remove_file(root.join(gone)).unwrap();
        let removed = reload(&mut loaded, root, Path::new(gone)).unwrap();
        let [EventChange::Removed(record, file)] = &removed.events[..] else {
            panic!("not one event removed");
        };
        assert!(!removed.others);
        assert_eq!(
            (record.stem.as_str(), file.path.as_path()),
            ("c", Path::new(gone))
        );
        assert_eq!(shown(&loaded), shown(&load(root).unwrap().0), "c removed");
        // A file dossier does not read brings only its warning.
        write("content/notes.txt", "notes");
        let notes = reload(&mut loaded, root, Path::new("content/notes.txt")).unwrap();
        assert_eq!(notes.problems.len(), 1);
        assert_eq!(shown(&loaded), shown(&load(root).unwrap().0), "notes added");
        // A new folder needs a whole load.
        write("content/events/2019/d.yaml", event);
        assert!(reload(&mut loaded, root, Path::new("content/events/2019")).is_none());
    }
}
