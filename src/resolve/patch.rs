//! Resolving an edit to one event in place of the whole site.
//!
//! A save changes one event file. When converting the edited record reports
//! no problem and leaves its id and its place in date order as they were,
//! the resolved site is the old one with that event replaced, and:
//!
//! - if everything it adds to the indexes (its [`Footprint`], citations,
//!   links and references) is as it was, the indexes stand as they are;
//! - otherwise (the event moved between lists) the indexes are built again
//!   from the records and the kept citations and links ([`Refs`]), with the
//!   event's own swapped, unless that would change which actors, places
//!   and sources nothing references (the warnings of a full resolve).
//!
//! Anything else, the caller resolves the whole site.

use std::collections::BTreeSet;

use super::context::Ctx;
use super::index::{self, Footprint};
use super::records;
use super::{Refs, Scans, record_id};
use crate::load::raw::RawEvent;
use crate::load::{Loaded, Record};
use crate::model::RecordKind;
use crate::model::{Citer, Event, Site};

/// An event replaced in place by [`patch`].
#[derive(Debug)]
pub struct Patched {
    /// Its index in the site's events.
    pub event: usize,
    /// The event as it was before the edit.
    pub before: Event,
    /// The sources that cited it before the edit.
    pub cited_before: BTreeSet<usize>,
}

/// Puts the edited event record `after` in place of `before` (the record
/// it replaced in `loaded`) in `site`, updating the indexes and `refs`,
/// when that is all the edit changes (see the module's documentation).
/// Returns `None`, with `site` and `refs` as they were, when the whole site
/// must be resolved again.
pub fn patch(
    site: &mut Site,
    refs: &mut Refs,
    loaded: &Loaded,
    before: &Record<RawEvent>,
    after: &Record<RawEvent>,
    scans: &Scans,
) -> Option<Patched> {
    let id = record_id(before, before.raw.id.as_ref());
    if record_id(after, after.raw.id.as_ref()) != id {
        return None;
    }
    let &e = site.ids.events.get(&id)?;
    let (old, old_found) = convert(site, loaded, before, e, scans)?;
    let (new, new_found) = convert(site, loaded, after, e, scans)?;
    let in_order = |a: &Event, b: &Event| (&a.date, &a.id) < (&b.date, &b.id);
    let keeps_its_place = e
        .checked_sub(1)
        .is_none_or(|p| in_order(&site.events[p], &new))
        && site.events.get(e + 1).is_none_or(|n| in_order(&new, n));
    // The old record must also convert to the event the site holds (it
    // does, unless the site and the loaded records have drifted apart).
    if old != site.events[e] || !keeps_its_place {
        return None;
    }
    let same_indexes = Footprint::of(&site.places, e, &old) == Footprint::of(&site.places, e, &new)
        && old.tags == new.tags
        && old.related == new.related
        && old_found == new_found;
    if !same_indexes {
        reindex(refs, e, &old_found, &new_found)?;
    }
    let cited_before = old_found.citations.iter().map(|&(s, _)| s).collect();
    let before = std::mem::replace(&mut site.events[e], new);
    if !same_indexes {
        index::build(site, refs);
    }
    Some(Patched {
        event: e,
        before,
        cited_before,
    })
}

/// Swaps the `e`th event's citations, links and references in `refs` for
/// `new`'s; `None`, with `refs` as it was, when an actor, place or source
/// would become referenced or unreferenced (which changes the warnings).
fn reindex(refs: &mut Refs, e: usize, old: &Found, new: &Found) -> Option<()> {
    let mut counts: Vec<((RecordKind, usize), usize)> = Vec::new();
    for &(record, _) in old.referenced.iter().chain(&new.referenced) {
        let now = refs.referenced.get(&record).copied().unwrap_or(0);
        let less = count(&old.referenced, record);
        let more = count(&new.referenced, record);
        let then = (now + more).checked_sub(less)?;
        if (now == 0) != (then == 0) {
            return None;
        }
        counts.push((record, then));
    }
    for (record, then) in counts {
        refs.referenced.insert(record, then);
    }
    let of_event = |citer: &Citer| citer.event() == Some(e);
    refs.citations.retain(|(_, citer)| !of_event(citer));
    refs.citations.extend(&new.citations);
    refs.event_links.retain(|(_, citer)| !of_event(citer));
    refs.event_links.extend(&new.event_links);
    Some(())
}

/// How many times `record` is in `referenced`.
fn count(referenced: &[((RecordKind, usize), usize)], record: (RecordKind, usize)) -> usize {
    referenced
        .iter()
        .filter(|(r, _)| *r == record)
        .map(|(_, n)| n)
        .sum()
}

/// What converting one event found besides the event: its citations,
/// links and references, in order.
#[derive(PartialEq)]
pub(super) struct Found {
    pub citations: Vec<(usize, Citer)>,
    pub event_links: Vec<(usize, Citer)>,
    pub referenced: Vec<((RecordKind, usize), usize)>,
}

/// Converts one event record as the `e`th event of `site`; `None` when it
/// reports any problem (even a warning, which a full resolve would add).
pub(super) fn convert(
    site: &Site,
    loaded: &Loaded,
    record: &Record<RawEvent>,
    e: usize,
    scans: &Scans,
) -> Option<(Event, Found)> {
    let mut ctx = Ctx::new(loaded, &site.config, true, &site.ids, scans);
    let event = records::event(&mut ctx, record, e)?;
    if !ctx.diagnostics.is_empty() {
        return None;
    }
    let mut referenced: Vec<_> = ctx.referenced.into_iter().collect();
    referenced.sort_unstable_by_key(|&((kind, i), _)| (kind as u8, i));
    let found = Found {
        citations: ctx.citations,
        event_links: ctx.event_links,
        referenced,
    };
    Some((event, found))
}
