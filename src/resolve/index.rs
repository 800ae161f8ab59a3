//! Building the cross-link indexes once, and the site-wide checks that need
//! every record: containment loops and unreferenced records.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::context::Ctx;
use super::records::Converted;
use super::{Order, Refs};
use crate::load::Loaded;
use crate::model::RecordKind;
use crate::model::kinds::ActorKind;
use crate::model::{Citer, Event, Indexes, Place, Site, Statement, place_and_containers};

/// Builds `site`'s indexes from its records and what resolving them found
/// (`refs`): once the site is resolved, and again after an edit changed
/// it in place. The lists' orders ([`list_orders`]) are kept as they are:
/// they follow from the actors and sources alone, which an edit made in
/// place never changes.
pub fn build(site: &mut Site, refs: &Refs) {
    let fresh = index(site, &refs.citations, &refs.event_links);
    let kept = std::mem::take(&mut site.indexes);
    site.indexes = Indexes {
        actors_listed: kept.actors_listed,
        sources_listed: kept.sources_listed,
        ..fresh
    };
}

/// Makes the orders of the list of actors and of the bibliography, once
/// the site is resolved.
pub fn list_orders(site: &mut Site) {
    site.indexes.actors_listed = actors_listed(site);
    site.indexes.sources_listed = sources_listed(site);
}

/// Builds every index from the records and what their conversion found:
/// every `(source, citer)` citation and `(event, linker)` cross-link.
fn index(site: &Site, citations: &[(usize, Citer)], event_links: &[(usize, Citer)]) -> Indexes {
    let mut ix = Indexes {
        events_by_actor: vec![Vec::new(); site.actors.len()],
        events_by_place: vec![Vec::new(); site.places.len()],
        places_within: vec![Vec::new(); site.places.len()],
        related: vec![Vec::new(); site.events.len()],
        relations_by_actor: vec![Vec::new(); site.actors.len()],
        statements_by_actor: vec![Vec::new(); site.actors.len()],
        cited_by: vec![Vec::new(); site.sources.len()],
        sources_by_actor: vec![Vec::new(); site.actors.len()],
        answers: vec![Vec::new(); site.events.len()],
        linked_from: vec![Vec::new(); site.events.len()],
        ..Indexes::default()
    };

    for (p, place) in site.places.iter().enumerate() {
        if let Some(parent) = place.within {
            ix.places_within[parent].push(p);
        }
    }
    for children in &mut ix.places_within {
        children.sort_by(|&a, &b| site.places[a].name.cmp(&site.places[b].name));
    }

    // `(actor, source)`, sorted once at the end: cheaper than a set per
    // actor.
    let mut mentions: Vec<(usize, usize)> = Vec::new();
    // Hashed while filled, ordered once.
    let mut tags: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    // The footprints are independent of each other: made on every core,
    // then filed in order on one.
    let prints: Vec<Footprint> = site
        .events
        .par_iter()
        .enumerate()
        .map(|(e, event)| Footprint::of(&site.places, e, event))
        .collect();
    for (e, (event, print)) in site.events.iter().zip(prints).enumerate() {
        for &a in &print.actors {
            ix.events_by_actor[a].push(e);
        }
        mentions.extend(&print.mentions);
        for p in print.places {
            ix.events_by_place[p].push(e);
        }
        for tag in &event.tags {
            tags.entry(tag.as_str()).or_default().push(e);
        }
        if let Some(year) = print.year {
            ix.events_by_year.entry(year).or_default().push(e);
        }
        for &r in &event.related {
            ix.related[e].push(r);
            ix.related[r].push(e);
        }
        for (a, statement) in print.statements {
            ix.statements_by_actor[a].push(statement);
        }
        ix.answers[e] = print.answers;
    }
    ix.events_by_tag = tags
        .into_iter()
        .map(|(tag, events)| (tag.to_string(), events))
        .collect();
    for related in &mut ix.related {
        related.sort_unstable();
        related.dedup();
    }
    for (r, relation) in site.relations.iter().enumerate() {
        ix.relations_by_actor[relation.subject].push(r);
        ix.relations_by_actor[relation.object].push(r);
    }
    for &(source, citer) in citations {
        if let Citer::Actor(a) = citer {
            mentions.push((a, source));
        }
        // A record citing one source again and again (a summary's every
        // paragraph) is filed once.
        let citers = &mut ix.cited_by[source];
        if citers.last() != Some(&citer) {
            citers.push(citer);
        }
    }
    ix.cited_by.par_iter_mut().for_each(|citers| {
        citers.sort_unstable();
        citers.dedup();
    });
    let mut links = event_links.to_vec();
    links.par_sort_unstable();
    links.dedup();
    for (event, citer) in links {
        ix.linked_from[event].push(citer);
    }
    mentions.par_sort_unstable();
    mentions.dedup();
    for (a, source) in mentions {
        ix.sources_by_actor[a].push(source);
    }
    ix
}

/// The actors by kind (in [`ActorKind::ALL`]'s order, those without a
/// kind last), then by name regardless of case.
fn actors_listed(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.actors.len()).collect();
    // A kind's place in the list; no kind is past them all.
    let rank = |kind: Option<ActorKind>| {
        let position = ActorKind::ALL.iter().position(|&k| Some(k) == kind);
        position.unwrap_or(ActorKind::ALL.len())
    };
    order.sort_by_cached_key(|&a| {
        let actor = &site.actors[a];
        (rank(actor.kind), actor.name.to_lowercase())
    });
    order
}

/// The sources by publisher regardless of case, then date of
/// publication, then title.
fn sources_listed(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.sources.len()).collect();
    order.sort_by_cached_key(|&s| {
        let source = &site.sources[s];
        (
            source.publisher.to_lowercase(),
            source.published.clone(),
            source.title.clone(),
        )
    });
    order
}

/// What one event adds to the indexes, apart from its citations and
/// links (which its conversion reports): what [`build`] files under it, and
/// what tells whether an edit to it leaves every index as it was.
#[derive(Debug, PartialEq)]
pub struct Footprint {
    /// Its actors, sorted, without repeats.
    actors: Vec<usize>,
    /// `(actor, source)`: a source an actor is mentioned in through it;
    /// sorted, without repeats.
    mentions: Vec<(usize, usize)>,
    /// Its places and every place they are within; sorted, without
    /// repeats.
    places: Vec<usize>,
    year: Option<i32>,
    /// `(actor, statement)`.
    statements: Vec<(usize, Statement)>,
    /// The claims answering each claim.
    answers: Vec<(usize, Vec<usize>)>,
}

impl Footprint {
    /// The footprint of `event`, the `e`th, among `places`.
    pub fn of(places: &[Place], e: usize, event: &Event) -> Footprint {
        let mut actors: Vec<usize> = event.actors.iter().map(|(a, _)| *a).collect();
        actors.sort_unstable();
        actors.dedup();
        let mut mentions = Vec::new();
        for &a in &actors {
            mentions.extend(event.sources.iter().map(|c| (a, c.source)));
        }
        let mut within = Vec::new();
        for &p in &event.places {
            for place in place_and_containers(places, p) {
                if within.contains(&place) {
                    break;
                }
                within.push(place);
            }
        }
        within.sort_unstable();
        let mut statements = Vec::new();
        let mut answered: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (c, claim) in event.claims.iter().enumerate() {
            for &a in claim.by.iter().collect::<BTreeSet<_>>() {
                statements.push((a, Statement::Claim(e, c)));
                mentions.extend(claim.cites.iter().map(|cite| (a, cite.source)));
            }
            if let Some(target) = claim.answers {
                answered.entry(target).or_default().push(c);
            }
        }
        for (f, figure) in event.casualties.iter().enumerate() {
            for &a in figure.by.iter().collect::<BTreeSet<_>>() {
                statements.push((a, Statement::Casualty(e, f)));
                mentions.extend(figure.cites.iter().map(|cite| (a, cite.source)));
            }
        }
        mentions.sort_unstable();
        mentions.dedup();
        Footprint {
            actors,
            mentions,
            places: within,
            year: event.date.year(),
            statements,
            answers: answered.into_iter().collect(),
        }
    }
}

/// Reports a place that is (indirectly) within itself.
pub fn check_within_loops(ctx: &mut Ctx, site: &Converted) {
    for (start, place) in site.places.iter().enumerate() {
        let mut seen = BTreeSet::from([start]);
        let mut current = place.within;
        let mut chain = vec![place.id.clone()];
        while let Some(next) = current {
            chain.push(site.places[next].id.clone());
            if next == start {
                // Report the loop once, at its smallest id.
                if chain.iter().take(chain.len() - 1).min() == Some(&place.id) {
                    let at = super::context::At {
                        file: place.origin.file,
                        span: span_of(ctx.loaded, place.origin.file, &place.id),
                    };
                    let first = chain.get(1).cloned().unwrap_or_default();
                    ctx.error(
                        &at,
                        Some("within"),
                        &first,
                        format!("`within` makes a loop: {}", chain.join(" → ")),
                        Some(
                            "a place's `within` must lead up to a place that is within nothing"
                                .to_string(),
                        ),
                    );
                }
                break;
            }
            if !seen.insert(next) {
                break;
            }
            current = site.places[next].within;
        }
    }
}

/// The span of the record with `id` in a (possibly list) file.
fn span_of(loaded: &Loaded, file: usize, id: &str) -> std::ops::Range<usize> {
    loaded
        .places
        .iter()
        .find(|r| r.file == file && super::record_id(r, r.raw.id.as_ref()) == id)
        .map_or(0..loaded.files[file].text.len(), |r| r.span.clone())
}

/// Warns about actors, places and sources that nothing references.
pub fn warn_unreferenced(ctx: &mut Ctx, loaded: &Loaded, order: &Order) {
    let checks: [(RecordKind, &Vec<usize>); 3] = [
        (RecordKind::Actor, &order.actors),
        (RecordKind::Place, &order.places),
        (RecordKind::Source, &order.sources),
    ];
    for (kind, records) in checks {
        for (index, &record) in records.iter().enumerate() {
            if ctx.referenced.contains_key(&(kind, index)) {
                continue;
            }
            let (file, span) = match kind {
                RecordKind::Actor => (
                    loaded.actors[record].file,
                    loaded.actors[record].span.clone(),
                ),
                RecordKind::Place => (
                    loaded.places[record].file,
                    loaded.places[record].span.clone(),
                ),
                _ => (
                    loaded.sources[record].file,
                    loaded.sources[record].span.clone(),
                ),
            };
            let file = &loaded.files[file];
            let warning = file
                .warning_at(
                    span.start,
                    format!("no event or page refers to this {}", kind.word()),
                )
                .with_hint(format!(
                    "link it from an event or page (e.g. `[[{}:…]]`), or remove it",
                    kind.word()
                ));
            ctx.diagnostics.push(warning);
        }
    }
}
