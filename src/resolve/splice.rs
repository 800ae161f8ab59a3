//! Resolving an event file added or removed in place of the whole site.
//!
//! A new file holding one event, or a removed file that held one, changes
//! the site by that event alone when:
//!
//! - the event converts without a problem (not even a warning, which a
//!   full resolve would report);
//! - its id is no record's of another kind, so no `[[id]]` link elsewhere
//!   changes what it names;
//! - it is neither the first nor the last reference to an actor, place or
//!   source (which would change the warnings);
//! - and, for a removed event, nothing else refers to it (those references
//!   are now errors, which a full resolve reports).
//!
//! The other events then keep their order, so the positions from the
//! event's own onwards shift by one: in the id look-up, the events' related
//! lists and the kept citations and links ([`Refs`]); so do the positions
//! of the files after the event's own. The indexes are built again.
//!
//! Anything else, the caller resolves the whole site.

use std::collections::BTreeSet;

use super::patch::{Found, convert};
use super::{Refs, Scans, index, record_id};
use crate::load::raw::RawEvent;
use crate::load::{Loaded, Record, SourceFile};
use crate::model::date::Edtf;
use crate::model::{Citer, Event, Ids, Site, id};

/// An event taken out of the site by [`remove_event`].
#[derive(Debug)]
pub struct Removed {
    /// The event, as it was.
    pub event: Event,
    /// The ids of the events it named as related.
    pub related: BTreeSet<String>,
    /// The sources that cited it.
    pub cited_by: BTreeSet<usize>,
}

/// Puts `loaded.events[at]`, the record of a file just added, into `site`
/// where a full resolve would, updating the indexes and `refs`. Returns its
/// position among the site's events, or `None`, with `site` and `refs` as
/// they were, when the whole site must be resolved again (see the module's
/// documentation).
pub fn add_event(
    site: &mut Site,
    refs: &mut Refs,
    loaded: &Loaded,
    at: usize,
    scans: &Scans,
) -> Option<usize> {
    let record = &loaded.events[at];
    let id = record_id(record, record.raw.id.as_ref());
    let unnamed = record.in_list && record.raw.id.is_none();
    let known = site.ids.events.contains_key(&id);
    if unnamed || known || id::validate(&id).is_err() || taken(&site.ids, &id) {
        return None;
    }
    let date = Edtf::parse(&record.raw.date.to_edtf_text()).ok()?;
    let e = site
        .events
        .partition_point(|x| (&x.date, &x.id) < (&date, &id));
    // Converted as the `e`th event, its references to events after it are
    // to their new positions.
    shift_ids(&mut site.ids, |x| if x >= e { x + 1 } else { x });
    site.ids.events.insert(id.clone(), e);
    let referenced_before = |found: &Found| {
        found
            .referenced
            .iter()
            .all(|(r, _)| refs.referenced.get(r).is_some_and(|&n| n > 0))
    };
    let converted = convert(site, loaded, record, e, scans).filter(|(_, f)| referenced_before(f));
    let Some((event, found)) = converted else {
        site.ids.events.remove(&id);
        shift_ids(&mut site.ids, |x| if x > e { x - 1 } else { x });
        return None;
    };
    let file = record.file;
    renumber(
        site,
        refs,
        |f| if f >= file { f + 1 } else { f },
        |x| if x >= e { x + 1 } else { x },
    );
    for &(r, n) in &found.referenced {
        *refs.referenced.entry(r).or_default() += n;
    }
    refs.citations.extend(found.citations);
    refs.event_links.extend(found.event_links);
    site.events.insert(e, event);
    index::build(site, refs);
    Some(e)
}

/// Takes the event of `record`, read from `file` (now removed), out of
/// `site`, updating the indexes and `refs`. Returns what it was, or `None`,
/// with `site` and `refs` as they were, when the whole site must be
/// resolved again (see the module's documentation).
pub fn remove_event(
    site: &mut Site,
    refs: &mut Refs,
    record: &Record<RawEvent>,
    file: &SourceFile,
    scans: &Scans,
) -> Option<Removed> {
    let id = record_id(record, record.raw.id.as_ref());
    let &e = site.ids.events.get(&id)?;
    if taken(&site.ids, &id) {
        return None;
    }
    // Converted again from its file alone, to learn what it referred to,
    // it must be the event the site holds.
    let alone = Loaded {
        files: vec![file.clone()],
        ..Loaded::default()
    };
    let record_alone = Record {
        file: 0,
        ..record.clone()
    };
    let (mut event, found) = convert(site, &alone, &record_alone, e, scans)?;
    event.origin = site.events[e].origin;
    let named = site
        .events
        .iter()
        .enumerate()
        .any(|(x, other)| x != e && other.related.contains(&e));
    let linked = refs
        .event_links
        .iter()
        .any(|&(target, citer)| target == e && citer.event() != Some(e));
    let last = found
        .referenced
        .iter()
        .any(|(r, n)| refs.referenced.get(r).is_none_or(|m| m <= n));
    if event != site.events[e] || named || linked || last {
        return None;
    }
    let related = event
        .related
        .iter()
        .map(|&r| site.events[r].id.clone())
        .collect();
    for (r, n) in &found.referenced {
        if let Some(m) = refs.referenced.get_mut(r) {
            *m -= n;
        }
    }
    let own = |citer: &Citer| citer.event() == Some(e);
    refs.citations.retain(|(_, citer)| !own(citer));
    refs.event_links.retain(|(_, citer)| !own(citer));
    let event = site.events.remove(e);
    site.ids.events.remove(&id);
    shift_ids(&mut site.ids, |x| if x > e { x - 1 } else { x });
    renumber(
        site,
        refs,
        |f| if f > record.file { f - 1 } else { f },
        |x| if x > e { x - 1 } else { x },
    );
    index::build(site, refs);
    Some(Removed {
        event,
        related,
        cited_by: found.citations.iter().map(|&(s, _)| s).collect(),
    })
}

/// Whether `id` is the id of a record of another kind than events.
fn taken(ids: &Ids, id: &str) -> bool {
    [&ids.pages, &ids.sources, &ids.actors, &ids.places]
        .iter()
        .any(|map| map.contains_key(id))
}

/// Passes every event position in the id look-up through `to`.
fn shift_ids(ids: &mut Ids, to: impl Fn(usize) -> usize) {
    for position in ids.events.values_mut() {
        *position = to(*position);
    }
}

/// Passes the file position of every record of `site` through `file`, and
/// every event position in its events' related lists and in `refs`
/// through `event`.
fn renumber(
    site: &mut Site,
    refs: &mut Refs,
    file: impl Fn(usize) -> usize,
    event: impl Fn(usize) -> usize + Copy,
) {
    let origins = (site.home.iter_mut().map(|p| &mut p.origin))
        .chain(site.pages.iter_mut().map(|p| &mut p.origin))
        .chain(site.sources.iter_mut().map(|s| &mut s.origin))
        .chain(site.actors.iter_mut().map(|a| &mut a.origin))
        .chain(site.places.iter_mut().map(|p| &mut p.origin))
        .chain(site.events.iter_mut().map(|e| &mut e.origin));
    for origin in origins {
        origin.file = file(origin.file);
    }
    for related in site.events.iter_mut().flat_map(|e| &mut e.related) {
        *related = event(*related);
    }
    for (_, citer) in &mut refs.citations {
        *citer = citer.with_event(event);
    }
    for (target, citer) in &mut refs.event_links {
        *target = event(*target);
        *citer = citer.with_event(event);
    }
}
