//! Resolving an edit to one event in place of the whole site.
//!
//! Most saves change what an event says, not what it is linked to: a
//! title, a summary, a claim's wording. When converting the edited record
//! reports no problem and leaves its id, its place in date order and
//! everything it adds to the indexes (its [`Footprint`], citations, links
//! and references) as they were, the resolved site is the old one with
//! that one event replaced; otherwise the caller resolves the whole site.

use super::context::Ctx;
use super::index::Footprint;
use super::records;
use super::{Scans, record_id};
use crate::load::raw::RawEvent;
use crate::load::{Loaded, Record};
use crate::model::{Event, Site};

/// An event replaced in place by [`patch`].
#[derive(Debug)]
pub struct Patched {
    /// Its index in the site's events.
    pub event: usize,
    /// The event as it was before the edit.
    pub before: Event,
}

/// Puts the edited event record `after` in place of `before` (the record
/// it replaced in `loaded`) in `site`, when that is all the edit changes
/// (see the module's documentation). Returns `None`, with `site` as it
/// was, when the whole site must be resolved again.
pub fn patch(
    site: &mut Site,
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
    let same_indexes = Footprint::of(&site.places, e, &old) == Footprint::of(&site.places, e, &new)
        && old.tags == new.tags
        && old.related == new.related
        && old_found == new_found;
    // The old record must also convert to the event the site holds (it
    // does, unless the site and the loaded records have drifted apart).
    if old != site.events[e] || !keeps_its_place || !same_indexes {
        return None;
    }
    let before = std::mem::replace(&mut site.events[e], new);
    Some(Patched { event: e, before })
}

/// What converting one event found besides the event: its citations,
/// links and references, in order.
#[derive(PartialEq)]
struct Found {
    citations: Vec<(usize, crate::model::Citer)>,
    event_links: Vec<(usize, crate::model::Citer)>,
    referenced: Vec<(super::context::Kind, usize)>,
}

/// Converts one event record as the `e`th event of `site`; `None` when it
/// reports any problem (even a warning, which a full resolve would add).
fn convert(
    site: &Site,
    loaded: &Loaded,
    record: &Record<RawEvent>,
    e: usize,
    scans: &Scans,
) -> Option<(Event, Found)> {
    let mut ctx = Ctx {
        loaded,
        config: &site.config,
        config_ok: true,
        ids: &site.ids,
        diagnostics: Vec::new(),
        citations: Vec::new(),
        referenced: rustc_hash::FxHashSet::default(),
        event_links: Vec::new(),
        scans,
    };
    let event = records::event(&mut ctx, record, e)?;
    if !ctx.diagnostics.is_empty() {
        return None;
    }
    let mut referenced: Vec<_> = ctx.referenced.into_iter().collect();
    referenced.sort_unstable_by_key(|&(kind, i)| (kind as u8, i));
    let unique = |mut pairs: Vec<(usize, crate::model::Citer)>| {
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    };
    let found = Found {
        citations: unique(ctx.citations),
        event_links: unique(ctx.event_links),
        referenced,
    };
    Some((event, found))
}
