//! The open data exports under `/data/`, and the catalogue the Data page
//! documents them from.
//!
//! `events.json` holds every event as written (with ids for every
//! reference) plus the computed fields (`url`, `start`, `end`, `display`);
//! `events.csv` is one row per event with columns named after ACLED's
//! where they mean the same thing; `actors.json` and `places.json` hold the
//! actors (with the relations each declares) and places. The sources are
//! exported by [`super::cite`] (CSL-JSON and BibTeX). Each field's meaning
//! is written once here, in the tables the Data page renders, so the page
//! and the files cannot drift apart.

mod columns;

use std::path::PathBuf;

use serde::Serialize;

use super::{File, Renderer, Sink, cite, routes};
use crate::model::kinds::{ActorKind, PlaceKind, RelationType, Role, Status};
use crate::model::{Casualty, Citation, Claim, Event, Figure, Site};
use columns::{Column, events_csv};

/// The exports of this module: events (JSON and CSV), actors and places,
/// each given to `sink` as soon as it is made (the event exports are the
/// largest files of a site: tens of megabytes at 10,000 events).
pub fn files(r: &Renderer, sink: &dyn Sink) {
    let site = r.site;
    let capacity = export_size(site);
    // The two largest files are made side by side: after an edit, `serve`
    // makes them again while nothing else runs.
    rayon::join(
        || {
            let events = SeqOf(|| (0..site.events.len()).map(|e| event(r, e)));
            sink.put_written(PathBuf::from("data/events.json"), capacity, &mut |out| {
                write_json(out, &events)
            });
        },
        || {
            sink.put_written(PathBuf::from("data/events.csv"), capacity, &mut |out| {
                events_csv(r, out)
            })
        },
    );
    let actors: Vec<ActorRecord> = (0..site.actors.len()).map(|a| actor(r, a)).collect();
    sink.put(json_file("data/actors.json", &actors));
    let places: Vec<PlaceRecord> = (0..site.places.len()).map(|p| place(r, p)).collect();
    sink.put(json_file("data/places.json", &places));
}

/// A file offered on the Data page, with the meaning of each field.
#[derive(Clone, Debug, Serialize)]
pub struct Export {
    /// An anchor for the file's section (`events-json`).
    pub anchor: &'static str,
    /// The link to the file.
    pub href: String,
    /// Its path under the site (`data/events.json`).
    pub file: &'static str,
    /// Its format, in words.
    pub format: &'static str,
    /// What it holds and how it is laid out.
    pub about: &'static str,
    /// Its fields or columns, in file order.
    pub fields: Vec<Field>,
}

/// One documented field or column.
#[derive(Clone, Debug, Serialize)]
pub struct Field {
    /// The key or column name.
    pub name: &'static str,
    /// The ACLED column it corresponds to, where there is one.
    pub acled: Option<&'static str>,
    /// What it holds.
    pub meaning: &'static str,
}

/// Every export with its documentation, in the order the Data page lists
/// them.
pub fn catalogue(r: &Renderer) -> Vec<Export> {
    let plain = |table: &[(&'static str, &'static str)]| -> Vec<Field> {
        table
            .iter()
            .map(|&(name, meaning)| Field {
                name,
                acled: None,
                meaning,
            })
            .collect()
    };
    let export = |anchor, file, format, about, fields| Export {
        anchor,
        href: r.routes.link(file),
        file,
        format,
        about,
        fields,
    };
    vec![
        export(
            "events-json",
            "data/events.json",
            "JSON",
            "A list of every event, oldest first: each record as written in the content files, with ids for every actor, place, source and event it names, plus the computed fields url, start, end and display.",
            plain(EVENT_FIELDS),
        ),
        export(
            "events-csv",
            "data/events.csv",
            "CSV (UTF-8, comma-separated, RFC 4180 quoting)",
            "One row per event, oldest first, with columns named after ACLED's where they mean the same thing. Lists inside a cell are separated by \"; \". There is no fatalities column: competing casualty figures are kept side by side, with who gives them and their status, in events.json (casualties).",
            Column::ALL
                .iter()
                .map(|c| Field {
                    name: c.name(),
                    acled: c.acled(),
                    meaning: c.meaning(),
                })
                .collect(),
        ),
        export(
            "actors-json",
            "data/actors.json",
            "JSON",
            "A list of every actor, by id, with the relations it declares.",
            plain(ACTOR_FIELDS),
        ),
        export(
            "places-json",
            "data/places.json",
            "JSON",
            "A list of every place, by id.",
            plain(PLACE_FIELDS),
        ),
        export(
            "sources-json",
            "data/sources.json",
            "CSL-JSON (the Citation Style Language's input format, for Zotero, Pandoc and citeproc)",
            "A list of every source, by id, as CSL items. A source of kind news or opinion, or of no kind, is an article-newspaper; analysis an article-magazine; monitor-report a report; press-briefing a speech; official-statement and propaganda a document.",
            plain(cite::CSL_FIELDS),
        ),
        export(
            "sources-bib",
            "data/sources.bib",
            "BibTeX (UTF-8; also read by biblatex)",
            "Every source as a BibTeX entry keyed by its id: @article for news, analysis and opinion (and sources of no kind), @techreport for monitor reports, @misc for the rest. Special characters are escaped for LaTeX.",
            plain(cite::BIBTEX_FIELDS),
        ),
    ]
}

/// The keys of an event in `events.json`.
const EVENT_FIELDS: &[(&str, &str)] = &[
    ("id", "The event's id; its page is /events/<id>/."),
    ("url", "The address of the event's page."),
    ("title", "The title."),
    (
        "date",
        "The date as written, in EDTF (e.g. 2018-02-07, 2016-12~, [2018-01..2018-04]).",
    ),
    ("date_note", "How the date was found, or null."),
    (
        "start",
        "The first day the date can cover, YYYY-MM-DD (null for an open start). ~ and ? do not widen it.",
    ),
    (
        "end",
        "The last day the date can cover, YYYY-MM-DD, or null for an open end.",
    ),
    (
        "display",
        "The date as readers see it (\"c. December 2016\").",
    ),
    (
        "type",
        "The event type's id (one of the site's event types).",
    ),
    ("places", "The ids of the places where it happened."),
    (
        "actors",
        "The actors involved: a list of {actor, role}, role one of perpetrator, target, participant, supporter, claimant, observer, or null.",
    ),
    ("tags", "Its tags."),
    (
        "summary",
        "The summary in Markdown, as written (citations as [@source-id], cross-links as [[id]]).",
    ),
    (
        "sources",
        "Its citations: a list of {source, loc, quote} (locator and verbatim quote, or null).",
    ),
    (
        "claims",
        "Who claims what: a list of {id, by, text, status, cite, answers, via}; by and via are lists of actor ids, cite a list of citations, answers the id of the claim this one answers (or null), status one of unverified, disputed, corroborated, confirmed, denied, retracted.",
    ),
    (
        "casualties",
        "Casualty figures side by side: a list of {group, killed, wounded, captured, as_stated, by, status, cite}; each count is {low, best, high} (an exact count is best alone) or null; as_stated is the source's own wording; by lists who gives the figure (empty: the source itself).",
    ),
    ("related", "The ids of related events, as written."),
];

/// The keys of an actor in `actors.json`.
const ACTOR_FIELDS: &[(&str, &str)] = &[
    ("id", "The actor's id; its page is /actors/<id>/."),
    ("url", "The address of the actor's page."),
    ("name", "The full name."),
    ("short", "A short label (e.g. SDF), or null."),
    ("aliases", "Other names and spellings."),
    (
        "kind",
        "state, armed-forces, armed-group, militia, coalition, government, organization, media, monitor or person; or null.",
    ),
    ("description", "One line, or null."),
    ("profile", "The profile in Markdown, as written."),
    (
        "relations",
        "The relations this actor declares: a list of {type, actor, from, to, cite, note}; type one of backed-by, supports, allied-with, opposes, part-of, leads, member-of, affiliated-with; from and to EDTF dates as written (or null); cite a list of {source, loc, quote}.",
    ),
];

/// The keys of a place in `places.json`.
const PLACE_FIELDS: &[(&str, &str)] = &[
    ("id", "The place's id; its page is /places/<id>/."),
    ("url", "The address of the place's page."),
    ("name", "The name."),
    ("aliases", "Other names and spellings."),
    (
        "kind",
        "country, region, province, district, city, town, village, neighbourhood, camp, base, airport, prison, crossing, zone, river or desert; or null.",
    ),
    ("within", "The id of its main containing place, or null."),
    ("lat", "WGS84 latitude in decimal degrees, or null."),
    ("lon", "WGS84 longitude in decimal degrees, or null."),
    ("description", "A line or two, or null."),
];

#[derive(Serialize)]
struct EventRecord<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    date: &'a str,
    date_note: Option<&'a str>,
    start: Option<String>,
    end: Option<String>,
    display: String,
    #[serde(rename = "type")]
    kind: &'a str,
    places: Vec<&'a str>,
    actors: Vec<ActorRole<'a>>,
    tags: &'a [String],
    summary: &'a str,
    sources: Vec<CitationRecord<'a>>,
    claims: Vec<ClaimRecord<'a>>,
    casualties: Vec<CasualtyRecord<'a>>,
    related: Vec<&'a str>,
}

#[derive(Serialize)]
struct ActorRole<'a> {
    actor: &'a str,
    role: Option<Role>,
}

#[derive(Serialize)]
struct CitationRecord<'a> {
    source: &'a str,
    loc: Option<&'a str>,
    quote: Option<&'a str>,
}

#[derive(Serialize)]
struct ClaimRecord<'a> {
    id: Option<&'a str>,
    by: Vec<&'a str>,
    text: &'a str,
    status: Status,
    cite: Vec<CitationRecord<'a>>,
    answers: Option<&'a str>,
    via: Vec<&'a str>,
}

#[derive(Serialize)]
struct CasualtyRecord<'a> {
    group: &'a str,
    killed: Option<FigureRecord>,
    wounded: Option<FigureRecord>,
    captured: Option<FigureRecord>,
    as_stated: Option<&'a str>,
    by: Vec<&'a str>,
    status: Status,
    cite: Vec<CitationRecord<'a>>,
}

#[derive(Serialize)]
struct FigureRecord {
    low: Option<u64>,
    best: Option<u64>,
    high: Option<u64>,
}

impl From<Figure> for FigureRecord {
    fn from(Figure { low, best, high }: Figure) -> FigureRecord {
        FigureRecord { low, best, high }
    }
}

#[derive(Serialize)]
struct ActorRecord<'a> {
    id: &'a str,
    url: String,
    name: &'a str,
    short: Option<&'a str>,
    aliases: &'a [String],
    kind: Option<ActorKind>,
    description: Option<&'a str>,
    profile: &'a str,
    relations: Vec<RelationRecord<'a>>,
}

#[derive(Serialize)]
struct RelationRecord<'a> {
    #[serde(rename = "type")]
    kind: RelationType,
    actor: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
    cite: Vec<CitationRecord<'a>>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct PlaceRecord<'a> {
    id: &'a str,
    url: String,
    name: &'a str,
    aliases: &'a [String],
    kind: Option<PlaceKind>,
    within: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    description: Option<&'a str>,
}

fn event<'a>(r: &Renderer<'a>, e: usize) -> EventRecord<'a> {
    let site: &'a Site = r.site;
    let event = &site.events[e];
    EventRecord {
        id: &event.id,
        url: r.routes.canonical(&routes::event(&event.id)),
        title: &event.title,
        date: event.date.as_written(),
        date_note: event.date_note.as_deref(),
        start: event.date.start().map(|d| d.iso()),
        end: event.date.end().map(|d| d.iso()),
        display: event.date.display(),
        kind: &event.kind,
        places: event
            .places
            .iter()
            .map(|&p| site.places[p].id.as_str())
            .collect(),
        actors: event
            .actors
            .iter()
            .map(|&(a, role)| ActorRole {
                actor: &site.actors[a].id,
                role,
            })
            .collect(),
        tags: &event.tags,
        summary: &event.summary,
        sources: citations(site, &event.sources),
        claims: event.claims.iter().map(|c| claim(site, event, c)).collect(),
        casualties: event.casualties.iter().map(|c| casualty(site, c)).collect(),
        related: event
            .related
            .iter()
            .map(|&x| site.events[x].id.as_str())
            .collect(),
    }
}

fn claim<'a>(site: &'a Site, event: &'a Event, claim: &'a Claim) -> ClaimRecord<'a> {
    ClaimRecord {
        id: claim.id.as_deref(),
        by: actor_ids(site, &claim.by),
        text: &claim.text,
        status: claim.status,
        cite: citations(site, &claim.cites),
        answers: claim
            .answers
            .and_then(|t| event.claims.get(t))
            .and_then(|t| t.id.as_deref()),
        via: actor_ids(site, &claim.via),
    }
}

fn casualty<'a>(site: &'a Site, figure: &'a Casualty) -> CasualtyRecord<'a> {
    CasualtyRecord {
        group: &figure.group,
        killed: figure.killed.map(FigureRecord::from),
        wounded: figure.wounded.map(FigureRecord::from),
        captured: figure.captured.map(FigureRecord::from),
        as_stated: figure.as_stated.as_deref(),
        by: actor_ids(site, &figure.by),
        status: figure.status,
        cite: citations(site, &figure.cites),
    }
}

fn actor<'a>(r: &Renderer<'a>, a: usize) -> ActorRecord<'a> {
    let site: &'a Site = r.site;
    let actor = &site.actors[a];
    ActorRecord {
        id: &actor.id,
        url: r.routes.canonical(&routes::actor(&actor.id)),
        name: &actor.name,
        short: actor.short.as_deref(),
        aliases: &actor.aliases,
        kind: actor.kind,
        description: actor.description.as_deref(),
        profile: &actor.body,
        relations: site
            .relations
            .iter()
            .filter(|rel| rel.subject == a)
            .map(|rel| RelationRecord {
                kind: rel.kind,
                actor: &site.actors[rel.object].id,
                from: rel.from.as_ref().map(|d| d.as_written()),
                to: rel.to.as_ref().map(|d| d.as_written()),
                cite: citations(site, &rel.cites),
                note: rel.note.as_deref(),
            })
            .collect(),
    }
}

fn place<'a>(r: &Renderer<'a>, p: usize) -> PlaceRecord<'a> {
    let site: &'a Site = r.site;
    let place = &site.places[p];
    PlaceRecord {
        id: &place.id,
        url: r.routes.canonical(&routes::place(&place.id)),
        name: &place.name,
        aliases: &place.aliases,
        kind: place.kind,
        within: place.within.map(|w| site.places[w].id.as_str()),
        lat: place.coordinates.map(|(lat, _)| lat),
        lon: place.coordinates.map(|(_, lon)| lon),
        description: place.description.as_deref(),
    }
}

fn citations<'a>(site: &'a Site, cites: &'a [Citation]) -> Vec<CitationRecord<'a>> {
    cites
        .iter()
        .map(|c| CitationRecord {
            source: &site.sources[c.source].id,
            loc: c.loc.as_deref(),
            quote: c.quote.as_deref(),
        })
        .collect()
}

fn actor_ids<'a>(site: &'a Site, actors: &[usize]) -> Vec<&'a str> {
    actors.iter().map(|&a| site.actors[a].id.as_str()).collect()
}

/// Pretty JSON ending in a newline.
fn json_file(path: &str, value: &impl Serialize) -> File {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_json(&mut bytes, value);
    File {
        path: PathBuf::from(path),
        bytes,
    }
}

/// `value` as pretty JSON ending in a newline.
fn write_json(out: &mut dyn std::io::Write, value: &impl Serialize) -> std::io::Result<()> {
    // The serialiser writes a token at a time: into a buffer of a known
    // type (inlined), not through `dyn Write` each time.
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A generous guess at the size of an event export: its texts, plus room
/// for the keys and ids of each event. The exports are the largest files
/// of a site (tens of megabytes at 10,000 events); a sink that gathers
/// them in memory starts with this much room, since a buffer that grows by
/// doubling holds up to twice the file and copies it as it grows, and one
/// reserved up front is only paid for as it is written.
fn export_size(site: &Site) -> usize {
    let texts: usize = site
        .events
        .iter()
        .map(|e| {
            e.title.len() + e.summary.len() + e.claims.iter().map(|c| c.text.len()).sum::<usize>()
        })
        .sum();
    texts + texts / 4 + site.events.len() * 4096
}

/// A list serialised from an iterator made afresh each time, so that the
/// records of a large export are made one at a time, never all at once.
struct SeqOf<F>(F);

impl<F, I> Serialize for SeqOf<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}
