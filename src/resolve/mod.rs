//! Resolve: raw records -> [`Site`].
//!
//! Gives every record its id, checks ids, dates, enums and references,
//! turns string references into indexes, sorts events by date, and builds
//! the cross-link indexes. Every problem is collected; the site is returned
//! only when there are no errors.

mod context;
mod index;
mod patch;
mod records;
mod scans;
mod splice;

use std::collections::HashSet;

use crate::config::{Config, RawConfig};
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::{Loaded, Record};
use crate::model::{Citer, Ids, Indexes, RecordKind, Site, id};
use context::Ctx;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use patch::{Patched, patch};
pub use scans::Scans;
pub use splice::{Removed, add_event, remove_event};

/// Route names a page id may not take.
pub const RESERVED: &[&str] = &[
    "timeline", "events", "actors", "places", "sources", "tags", "search", "data", "network",
    "map", "static", "feed", "assets", "404",
];

/// What resolving needs besides the loaded records.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--base-url`, which wins over site.yaml.
    pub base_url: Option<String>,
    /// Names at the top of `static/` (page ids may not take them).
    pub static_names: Vec<String>,
}

/// Resolves the loaded records. Returns the site when there are no errors,
/// and every diagnostic (errors and warnings) either way.
pub fn resolve(loaded: &Loaded, options: &Options) -> (Option<Site>, Vec<Diagnostic>) {
    let (resolved, diagnostics) = resolve_in(loaded, options, &Scans::default());
    (resolved.map(|(site, _)| site), diagnostics)
}

/// What resolving found besides the site, which [`patch`] needs to resolve
/// an edit later: every citation, every cross-link to an event, and how
/// many times each actor, place and source is referenced.
#[derive(Debug, Default)]
pub struct Refs {
    citations: Vec<(usize, Citer)>,
    event_links: Vec<(usize, Citer)>,
    referenced: FxHashMap<(RecordKind, usize), usize>,
}

/// [`resolve`] for a caller that resolves the site again and again
/// (`serve`): the Markdown scans are kept in `scans` (brought up to date
/// with `loaded` first), and what [`patch`] needs is returned with the site.
pub fn resolve_kept(
    loaded: &Loaded,
    options: &Options,
    scans: &mut Scans,
) -> (Option<(Site, Refs)>, Vec<Diagnostic>) {
    scans.update(loaded);
    resolve_in(loaded, options, scans)
}

/// Resolves with the scans in `scans` (a text not there is scanned when
/// it is met).
fn resolve_in(
    loaded: &Loaded,
    options: &Options,
    scans: &Scans,
) -> (Option<(Site, Refs)>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let (config, config_ok) = config(loaded, options, &mut diagnostics);

    let mut order = Order::default();
    let ids = assign_ids(loaded, options, &mut order, &mut diagnostics);

    let mut ctx = Ctx::new(loaded, &config, config_ok, &ids, scans);
    ctx.diagnostics = diagnostics;
    let converted = records::convert(&mut ctx, &order);
    index::check_within_loops(&mut ctx, &converted);
    index::warn_unreferenced(&mut ctx, loaded, &order);

    let Ctx {
        diagnostics,
        citations,
        event_links,
        referenced,
        ..
    } = ctx;
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return (None, diagnostics);
    }
    let refs = Refs {
        citations,
        event_links,
        referenced,
    };
    let records::Converted {
        home,
        pages,
        sources,
        actors,
        relations,
        places,
        events,
    } = converted;
    let mut site = Site {
        config,
        home,
        pages,
        sources,
        actors,
        relations,
        places,
        events,
        ids,
        indexes: Indexes::default(),
    };
    index::list_orders(&mut site);
    index::build(&mut site, &refs);
    (Some((site, refs)), diagnostics)
}

/// The checked config, or a stand-in (with `false`) when site.yaml is
/// broken, so the records can still be checked in the same run.
fn config(loaded: &Loaded, options: &Options, diagnostics: &mut Vec<Diagnostic>) -> (Config, bool) {
    let fallback = || RawConfig {
        title: String::new(),
        description: None,
        base_url: None,
        language: None,
        author: None,
        event_types: Vec::new(),
        list_limit: None,
        allow_raw_html: false,
    };
    let (raw, ok) = match &loaded.config {
        Some((_, raw)) => (raw.clone(), true),
        None => (fallback(), false),
    };
    match Config::from_raw(raw, options.base_url.as_deref()) {
        Ok(config) => (config, ok),
        Err(problems) => {
            if let Some((file, _)) = &loaded.config {
                let file = &loaded.files[*file];
                for problem in problems {
                    let needle = problem.split('`').nth(1).unwrap_or("");
                    let offset = file
                        .text
                        .find(needle)
                        .filter(|_| !needle.is_empty())
                        .unwrap_or(0);
                    diagnostics.push(file.error_at(offset, problem));
                }
            } else {
                for problem in problems {
                    diagnostics.push(Diagnostic::file_level(
                        Severity::Error,
                        std::path::Path::new("--base-url"),
                        problem,
                    ));
                }
            }
            let config =
                Config::from_raw(fallback(), None).unwrap_or_else(|_| unreachable_config());
            (config, false)
        }
    }
}

/// A config built without any input cannot fail; this keeps the types
/// honest without a panic.
fn unreachable_config() -> Config {
    Config {
        title: String::new(),
        description: String::new(),
        base_url: "/".to_string(),
        base_path: "/".to_string(),
        language: "en".to_string(),
        author: None,
        event_types: Vec::new(),
        list_limit: 100,
        allow_raw_html: false,
    }
}

/// For each kind, the loaded record indexes in output order (position in
/// the `Vec` = the model index). Records with a bad or duplicate id are left
/// out.
#[derive(Debug, Default)]
pub(crate) struct Order {
    pub pages: Vec<usize>,
    pub sources: Vec<usize>,
    pub actors: Vec<usize>,
    pub places: Vec<usize>,
    pub events: Vec<usize>,
}

/// The id a record goes by: its `id` field, or its file stem.
pub(crate) fn record_id<T>(record: &Record<T>, field: Option<&String>) -> String {
    field.cloned().unwrap_or_else(|| record.stem.clone())
}

fn assign_ids(
    loaded: &Loaded,
    options: &Options,
    order: &mut Order,
    diagnostics: &mut Vec<Diagnostic>,
) -> Ids {
    let mut ids = Ids::default();
    let reserved: HashSet<&str> = RESERVED
        .iter()
        .copied()
        .chain(options.static_names.iter().map(String::as_str))
        .collect();

    let pages: Vec<(String, usize)> = claim_ids(
        loaded,
        &loaded.pages,
        |r| r.raw.id.as_ref(),
        RecordKind::Page,
        diagnostics,
    );
    let mut kept = Vec::new();
    for (id, index) in pages {
        if reserved.contains(id.as_str()) {
            let record = &loaded.pages[index];
            let file = &loaded.files[record.file];
            diagnostics.push(
                Diagnostic::file_level(
                    Severity::Error,
                    &file.path,
                    format!("the page id `{id}` is taken by a route of the site"),
                )
                .with_hint(format!(
                    "rename the page (e.g. `about-{id}`); reserved: {}",
                    sorted(&reserved).join(", ")
                )),
            );
        } else {
            kept.push((id, index));
        }
    }
    fill(&mut ids.pages, &mut order.pages, kept);
    let sources = claim_ids(
        loaded,
        &loaded.sources,
        |r| r.raw.id.as_ref(),
        RecordKind::Source,
        diagnostics,
    );
    fill(&mut ids.sources, &mut order.sources, sources);
    let actors = claim_ids(
        loaded,
        &loaded.actors,
        |r| r.raw.id.as_ref(),
        RecordKind::Actor,
        diagnostics,
    );
    fill(&mut ids.actors, &mut order.actors, actors);
    let places = claim_ids(
        loaded,
        &loaded.places,
        |r| r.raw.id.as_ref(),
        RecordKind::Place,
        diagnostics,
    );
    fill(&mut ids.places, &mut order.places, places);

    // Events sort by date, then id; a date that does not parse sorts last
    // (the build fails on it anyway).
    let events = claim_ids(
        loaded,
        &loaded.events,
        |r| r.raw.id.as_ref(),
        RecordKind::Event,
        diagnostics,
    );
    let mut keyed: Vec<(Option<crate::model::date::Edtf>, String, usize)> = events
        .into_par_iter()
        .map(|(id, index)| {
            let date =
                crate::model::date::Edtf::parse(&loaded.events[index].raw.date.to_edtf_text()).ok();
            (date, id, index)
        })
        .collect();
    // Ids are unique by now, so no two keys are equal: an unstable sort
    // gives the one order.
    keyed.par_sort_unstable_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y).then_with(|| a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    for (position, (_, id, index)) in keyed.into_iter().enumerate() {
        ids.events.insert(id, position);
        order.events.push(index);
    }
    ids
}

fn sorted<'a>(set: &HashSet<&'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = set.iter().copied().collect();
    names.sort_unstable();
    names
}

/// Sorts `(id, record)` pairs by id into the look-up and the order.
fn fill(map: &mut crate::model::IdMap, order: &mut Vec<usize>, mut pairs: Vec<(String, usize)>) {
    pairs.par_sort_unstable();
    for (position, (id, index)) in pairs.into_iter().enumerate() {
        map.insert(id, position);
        order.push(index);
    }
}

/// Checks each record's id (valid, present in list files, unique) and
/// returns `(id, record index)` for the good ones.
fn claim_ids<T>(
    loaded: &Loaded,
    records: &[Record<T>],
    field: impl Fn(&Record<T>) -> Option<&String>,
    kind: RecordKind,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, usize)> {
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    let mut out = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let file = &loaded.files[record.file];
        let explicit = field(record);
        if record.in_list && explicit.is_none() {
            diagnostics.push(
                file.error_at(
                    record.span.start,
                    format!("this {} in a list file has no `id`", kind.word()),
                )
                .with_hint("records in a list file must each set `id: …`"),
            );
            continue;
        }
        let id = record_id(record, explicit);
        if let Err(message) = id::validate(&id) {
            let diagnostic = match explicit {
                Some(written) => {
                    let offset = file.text[record.span.clone()]
                        .find(written.as_str())
                        .map_or(record.span.start, |i| record.span.start + i);
                    file.error_at(offset, message)
                }
                None => Diagnostic::file_level(
                    Severity::Error,
                    &file.path,
                    format!("the file name gives an invalid id: {message}"),
                ),
            };
            let hint = id::suggest(&id).map(|s| match explicit {
                Some(_) => format!("write it as `{s}`"),
                None => format!("rename the file to `{s}` plus its extension"),
            });
            diagnostics.push(diagnostic.with_optional_hint(hint));
            continue;
        }
        if let Some(&first) = seen.get(&id) {
            let first_path = loaded.files[records[first].file].path.display().to_string();
            let offset = explicit
                .and_then(|w| file.text[record.span.clone()].find(w.as_str()))
                .map_or(record.span.start, |i| record.span.start + i);
            diagnostics.push(
                file.error_at(offset, format!("duplicate {} id `{id}`", kind.word()))
                    .with_hint(format!(
                        "`{id}` is already used by {first_path}; ids are unique within a kind"
                    )),
            );
            continue;
        }
        seen.insert(id.clone(), index);
        out.push((id, index));
    }
    out
}
