//! Which pages an edit touches, found by comparing the site before and
//! after it, so that `serve` renders those again and not the rest.
//!
//! Edits to events are followed page by page, and so are edits to the
//! record's own texts that leave everything else as it was: the Markdown
//! body of an actor, a source, a page or the home page, and the one-line
//! description of an actor, a place or a page. A body shows only on its
//! own page; a description also on the list of actors (an actor's) or the
//! home page (a page's). Anything else (settings, a name or another field
//! of an actor, place, source or page, one added or removed) may change
//! any page, and every page is rendered again. Records are compared
//! without where they were written, which shows on no page.
//!
//! An edited event shows on its own page, on the pages of what it names
//! (actors, places and the places they are within, sources, tags), on its
//! year's page, on the pages of events related to it, on the pages whose
//! text links to it (when its title changed), on the home page (the latest
//! events) and on the timeline's front page (the latest year). The indexes
//! show only names and counts, so they stay as they are, unless the edit
//! moved the event between lists (another actor, place, source, tag, year,
//! type or status, or related event). Then the pages of what it left are
//! touched too, with the indexes and every page counting what changed: the
//! pages of the years it left and joined (and of the years beside a year
//! that came or went, whose links change), and every place page of the
//! trees its places are in (each one's map
//! counts the events of the places within and around it). An event added
//! or removed is followed the same way, as one that joined its lists from
//! none or left them all.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::pages::{self, Job};
use super::routes::{self, Routes};
use crate::model::{Actor, Citer, Event, Origin, Page, Place, Site, Source, place_and_containers};

/// The pages to render again after an edit turned `old` into `new`, or
/// `None` when any page may have changed.
pub fn touched(old: &Site, new: &Site) -> Option<Vec<Job>> {
    let same_entities = old.config == new.config
        && same_all(old.home.as_slice(), new.home.as_slice())
        && same_all(&old.pages, &new.pages)
        && same_all(&old.sources, &new.sources)
        && same_all(&old.actors, &new.actors)
        && old.relations == new.relations
        && same_all(&old.places, &new.places);
    if !same_entities {
        return own_texts(old, new);
    }
    let cited_by = cited_by_event(new);
    let old_cited_by = cited_by_event(old);
    let mut jobs = BTreeSet::new();
    for (e, after) in new.events.iter().enumerate() {
        let is = version(new, e, &cited_by);
        match old.ids.events.get(&after.id) {
            Some(&o) if same_event(old, &old.events[o], new, after) => {}
            Some(&o) => jobs.extend(event_touched(version(old, o, &old_cited_by), is, e)?),
            None => jobs.extend(arrived(is, e)?),
        }
    }
    for (o, before) in old.events.iter().enumerate() {
        if !new.ids.events.contains_key(&before.id) {
            jobs.extend(departed(version(old, o, &old_cited_by), new)?);
        }
    }
    jobs.extend(beside_years_that_came_or_went(old, new));
    Some(jobs.into_iter().collect())
}

/// The pages of the years beside a year that came or went: each links to
/// the years before and after it.
fn beside_years_that_came_or_went(old: &Site, new: &Site) -> Vec<Job> {
    let (before, after) = (&old.indexes.events_by_year, &new.indexes.events_by_year);
    let came = after.keys().filter(|y| !before.contains_key(y));
    let went = before.keys().filter(|y| !after.contains_key(y));
    came.chain(went)
        .flat_map(|&year| beside_year(new, year))
        .collect()
}

/// The pages of the years of `site` just before and after `year`.
fn beside_year(site: &Site, year: i32) -> Vec<Job> {
    let years = &site.indexes.events_by_year;
    let previous = years.range(..year).next_back();
    let next = years.range(year + 1..).next();
    previous
        .into_iter()
        .chain(next)
        .map(|(&y, _)| Job::Year(y))
        .collect()
}

/// A record read from a file. Where it was written ([`Origin`]: the
/// position of its file among those read) shifts when another file is
/// added or removed, and shows on no page: records are compared without
/// it.
trait Record: Clone + PartialEq {
    fn origin(&mut self) -> &mut Origin;
}

macro_rules! record {
    ($($kind:ty),*) => {
        $(impl Record for $kind {
            fn origin(&mut self) -> &mut Origin {
                &mut self.origin
            }
        })*
    };
}

record!(Page, Source, Actor, Place, Event);

/// Whether `a` and `b` read the same, wherever they were written.
fn same<T: Record>(a: &T, b: &T) -> bool {
    a == b || {
        // Only records that differ are copied, to compare the rest.
        let (mut a, mut b) = (a.clone(), b.clone());
        *a.origin() = *b.origin();
        a == b
    }
}

/// Whether two lists of records read the same, record by record.
fn same_all<T: Record>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
}

/// The pages of the records whose own texts alone changed from `old` to
/// `new` (see the module's notes), or `None` when anything else changed.
/// The texts also show in the whole-site files (search, exports, feeds),
/// which are made again after every edit.
fn own_texts(old: &Site, new: &Site) -> Option<Vec<Job>> {
    let same = old.config == new.config
        && old.relations == new.relations
        && same_all(&old.events, &new.events)
        && old.indexes == new.indexes;
    if !same {
        return None;
    }
    let actors = changed_texts(&old.actors, &new.actors, |a| {
        a.body.clear();
        a.description = None;
    })?;
    let places = changed_texts(&old.places, &new.places, |p| p.description = None)?;
    let sources = changed_texts(&old.sources, &new.sources, |s| s.body.clear())?;
    let pages = changed_texts(&old.pages, &new.pages, |p| {
        p.body.clear();
        p.description = None;
    })?;
    let home = changed_texts(old.home.as_slice(), new.home.as_slice(), |p| {
        p.body.clear();
        p.description = None;
    })?;
    let mut jobs: BTreeSet<Job> = actors.iter().map(|&a| Job::Actor(a)).collect();
    if actors
        .iter()
        .any(|&a| old.actors[a].description != new.actors[a].description)
    {
        jobs.extend(pages::actors_pages(new));
    }
    jobs.extend(places.into_iter().map(Job::Place));
    jobs.extend(sources.into_iter().map(Job::Source));
    let page_listed = pages
        .iter()
        .any(|&p| old.pages[p].description != new.pages[p].description);
    if page_listed || !home.is_empty() {
        jobs.insert(Job::Home);
    }
    jobs.extend(pages.into_iter().map(Job::Page));
    Some(jobs.into_iter().collect())
}

/// The positions of the records that differ from `old` to `new` in the
/// texts `clear` empties alone, or `None` when any differs in anything
/// else.
fn changed_texts<T: Record>(old: &[T], new: &[T], clear: fn(&mut T)) -> Option<Vec<usize>> {
    if old.len() != new.len() {
        return None;
    }
    let mut changed = Vec::new();
    for (i, (was, is)) in old.iter().zip(new).enumerate() {
        if same(was, is) {
            continue;
        }
        // Only a record that differs is copied, to compare the rest of it.
        let (mut was, mut is) = (was.clone(), is.clone());
        clear(&mut was);
        clear(&mut is);
        if !same(&was, &is) {
            return None;
        }
        changed.push(i);
    }
    Some(changed)
}

/// The pages to render again after event `e` of `site` was edited in
/// place (it was `before`, cited by `cited_before`), or `None` when any
/// page may have changed.
pub fn touched_event(
    site: &Site,
    e: usize,
    before: &Event,
    cited_before: &BTreeSet<usize>,
) -> Option<Vec<Job>> {
    let sources = citing(site, e);
    // Related before: those it named, and those naming it (as now).
    let mut related = event_ids(site, &before.related);
    related.extend(event_ids(site, &site.indexes.related[e]));
    let after = &site.events[e];
    let was = (site, before, cited_before, related);
    let is = (
        site,
        after,
        &sources,
        event_ids(site, &site.indexes.related[e]),
    );
    let mut jobs = event_touched(was, is, e)?;
    jobs.sort_unstable();
    jobs.dedup();
    Some(jobs)
}

/// The pages to render again after event `e` of `site` came with a new
/// file, or `None` when any page may have changed.
pub fn added_event(site: &Site, e: usize) -> Option<Vec<Job>> {
    let sources = citing(site, e);
    let is = (
        site,
        &site.events[e],
        &sources,
        event_ids(site, &site.indexes.related[e]),
    );
    let mut jobs = arrived(is, e)?;
    let year = site.events[e].date.year();
    let years = &site.indexes.events_by_year;
    if let Some(year) = year.filter(|y| years.get(y).is_some_and(|events| events.len() == 1)) {
        jobs.extend(beside_year(site, year));
    }
    jobs.sort_unstable();
    jobs.dedup();
    Some(jobs)
}

/// The pages to render again after the event `before` (cited by
/// `cited_by`, naming the events `related`) went with its file, leaving
/// `site`; `None` when any page may have changed.
pub fn removed_event(
    site: &Site,
    before: &Event,
    cited_by: &BTreeSet<usize>,
    related: &BTreeSet<String>,
) -> Option<Vec<Job>> {
    let related = related.iter().map(String::as_str).collect();
    let mut jobs = departed((site, before, cited_by, related), site)?;
    let year = before.date.year();
    if let Some(year) = year.filter(|y| !site.indexes.events_by_year.contains_key(y)) {
        jobs.extend(beside_year(site, year));
    }
    jobs.sort_unstable();
    jobs.dedup();
    Some(jobs)
}

/// The paths of the pages that went with the event `before`, leaving
/// `site`: its own, and those of its tags and year when no event of `site`
/// has them.
pub fn pages_gone_with(site: &Site, before: &Event) -> Vec<PathBuf> {
    let mut gone = vec![routes::event(&before.id)];
    let tags = &site.indexes.events_by_tag;
    gone.extend(
        (before.tags.iter())
            .filter(|tag| !tags.contains_key(*tag))
            .map(|tag| routes::tag(tag)),
    );
    let year = before.date.year();
    gone.extend(
        year.filter(|y| !site.indexes.events_by_year.contains_key(y))
            .map(routes::year),
    );
    gone.iter().map(|route| Routes::file(route)).collect()
}

/// The sources that cite event `e` of `site`.
fn citing(site: &Site, e: usize) -> BTreeSet<usize> {
    let cited_by = site.indexes.cited_by.iter().enumerate();
    cited_by
        .filter(|(_, citers)| citers.iter().any(|c| c.event() == Some(e)))
        .map(|(s, _)| s)
        .collect()
}

/// An event in a site, with the sources citing it and the ids of the
/// events related to it.
type Version<'a> = (&'a Site, &'a Event, &'a BTreeSet<usize>, BTreeSet<&'a str>);

/// Event `e` of `site` as a [`Version`] (`cited_by` is the site's
/// [`cited_by_event`]).
fn version<'a>(site: &'a Site, e: usize, cited_by: &'a [BTreeSet<usize>]) -> Version<'a> {
    let related = event_ids(site, &site.indexes.related[e]);
    (site, &site.events[e], &cited_by[e], related)
}

/// The pages an edit of one event touches, from its version before and
/// after (the `e`th event of the new site).
fn event_touched(before: Version, after: Version, e: usize) -> Option<Vec<Job>> {
    let ((old, was, old_sources, old_related), (new, is, sources, related)) = (before, after);
    if same_event(old, was, new, is) {
        return Some(Vec::new());
    }
    let mut jobs = shown_on(new, e, sources);
    // The home page shows the latest events, the timeline's front page the
    // latest year's.
    jobs.push(Job::Home);
    if is.date.year().is_some() && is.date.year() == latest_year(new) {
        jobs.extend([
            Job::Timeline { route: "timeline" },
            Job::Timeline { route: "events" },
        ]);
    }
    if was.title != is.title {
        jobs.extend(linking(new, e));
    }
    let (was_in, is_in) = (
        lists(was, old_sources, old_related),
        lists(is, sources, related),
    );
    if was_in != is_in {
        jobs.extend(moved(new, &was_in, &is_in)?);
    }
    Some(jobs)
}

/// The pages an event added to the site (the `e`th of the new site)
/// touches: those that show it, and those of the lists it joined and of
/// their counts.
fn arrived(is: Version, e: usize) -> Option<Vec<Job>> {
    let (new, event, sources, related) = is;
    let none = BTreeSet::new();
    let mut jobs = shown_on(new, e, sources);
    jobs.extend(moved(
        new,
        &Lists::none(&none),
        &lists(event, sources, related),
    )?);
    Some(jobs)
}

/// The pages of `new` an event removed from the site (`was`, of the old
/// site) touches: those of the lists it left and of their counts.
fn departed(was: Version, new: &Site) -> Option<Vec<Job>> {
    let (_, event, sources, related) = was;
    let none = BTreeSet::new();
    moved(new, &lists(event, sources, related), &Lists::none(&none))
}

/// The pages an event moving between lists touches besides those that
/// show it: those of what it left, and those counting what changed.
fn moved(new: &Site, was: &Lists, is: &Lists) -> Option<Vec<Job>> {
    let mut jobs = vec![
        Job::Home,
        Job::Timeline { route: "timeline" },
        Job::Timeline { route: "events" },
        Job::Places,
        Job::Map,
        Job::Tags,
    ];
    jobs.extend(pages::actors_pages(new));
    jobs.extend(pages::sources_pages(new));
    jobs.extend(was.actors.iter().map(|&a| Job::Actor(a)));
    jobs.extend(was.sources.iter().map(|&s| Job::Source(s)));
    jobs.extend(
        was.tags
            .iter()
            .filter(|t| new.indexes.events_by_tag.contains_key(**t))
            .map(|t| Job::Tag((*t).to_string())),
    );
    for id in was.related.iter().chain(&is.related) {
        jobs.push(Job::Event(*new.ids.events.get(*id)?));
    }
    // The pages of the years it left and joined (a year's page counts
    // only its own events; a year that came or went is seen in `touched`).
    if was.year != is.year {
        jobs.extend(
            [was.year, is.year]
                .into_iter()
                .flatten()
                .filter(|year| new.indexes.events_by_year.contains_key(year))
                .map(Job::Year),
        );
    }
    if was.places != is.places {
        let roots: BTreeSet<usize> = was
            .places
            .iter()
            .chain(&is.places)
            .map(|&p| root(new, p))
            .collect();
        jobs.extend(
            (0..new.places.len())
                .filter(|&p| roots.contains(&root(new, p)))
                .map(Job::Place),
        );
    }
    Some(jobs)
}

/// The place that `p` is (indirectly) within and that is within nothing.
fn root(site: &Site, p: usize) -> usize {
    place_and_containers(&site.places, p).last().unwrap_or(p)
}

fn latest_year(site: &Site) -> Option<i32> {
    site.indexes.events_by_year.keys().next_back().copied()
}

/// Whether an event reads the same in both sites (related events compared
/// by id, as positions shift when another event's date changes).
fn same_event(old: &Site, a: &Event, new: &Site, b: &Event) -> bool {
    let Event {
        id,
        title,
        date,
        date_note,
        kind,
        places,
        actors,
        tags,
        summary,
        sources,
        claims,
        casualties,
        related,
        origin: _,
    } = a;
    *id == b.id
        && *title == b.title
        && *date == b.date
        && *date_note == b.date_note
        && *kind == b.kind
        && *places == b.places
        && *actors == b.actors
        && *tags == b.tags
        && *summary == b.summary
        && *sources == b.sources
        && *claims == b.claims
        && *casualties == b.casualties
        && event_ids(old, related) == event_ids(new, &b.related)
}

/// Every list and count an event is part of: if any differs after an edit,
/// pages that do not show the event may change too.
#[derive(PartialEq)]
struct Lists<'a> {
    actors: BTreeSet<usize>,
    places: BTreeSet<usize>,
    sources: &'a BTreeSet<usize>,
    tags: BTreeSet<&'a str>,
    year: Option<i32>,
    kind: &'a str,
    statuses: Vec<crate::model::kinds::Status>,
    related: BTreeSet<&'a str>,
}

impl<'a> Lists<'a> {
    /// The lists of an event not in the site: none.
    fn none(sources: &'a BTreeSet<usize>) -> Lists<'a> {
        Lists {
            actors: BTreeSet::new(),
            places: BTreeSet::new(),
            sources,
            tags: BTreeSet::new(),
            year: None,
            kind: "",
            statuses: Vec::new(),
            related: BTreeSet::new(),
        }
    }
}

fn lists<'a>(
    event: &'a Event,
    sources: &'a BTreeSet<usize>,
    related: BTreeSet<&'a str>,
) -> Lists<'a> {
    Lists {
        actors: actors_of(event),
        places: event.places.iter().copied().collect(),
        sources,
        tags: event.tags.iter().map(String::as_str).collect(),
        year: event.date.year(),
        kind: &event.kind,
        statuses: event.statuses(),
        related,
    }
}

/// The actors an event names: as taking part, as making a claim or giving
/// a figure, as relaying a claim.
fn actors_of(event: &Event) -> BTreeSet<usize> {
    let taking_part = event.actors.iter().map(|&(a, _)| a);
    let claiming = event
        .claims
        .iter()
        .flat_map(|c| c.by.iter().chain(&c.via).copied());
    let counting = event.casualties.iter().flat_map(|f| f.by.iter().copied());
    taking_part.chain(claiming).chain(counting).collect()
}

fn event_ids<'a>(site: &'a Site, events: &[usize]) -> BTreeSet<&'a str> {
    events.iter().map(|&e| site.events[e].id.as_str()).collect()
}

/// Per event, the sources citing it (in its sources, summary, claims or
/// figures).
fn cited_by_event(site: &Site) -> Vec<BTreeSet<usize>> {
    let mut sources = vec![BTreeSet::new(); site.events.len()];
    for (s, citers) in site.indexes.cited_by.iter().enumerate() {
        for e in citers.iter().filter_map(Citer::event) {
            sources[e].insert(s);
        }
    }
    sources
}

/// The pages that show event `e`: its own, its year's, its related events'
/// and those of everything it names.
fn shown_on(site: &Site, e: usize, sources: &BTreeSet<usize>) -> Vec<Job> {
    let event = &site.events[e];
    let mut jobs = vec![Job::Event(e)];
    jobs.extend(event.date.year().map(Job::Year));
    jobs.extend(site.indexes.related[e].iter().map(|&r| Job::Event(r)));
    jobs.extend(actors_of(event).into_iter().map(Job::Actor));
    for &p in &event.places {
        // A place lists the events at the places within it.
        jobs.extend(place_and_containers(&site.places, p).map(Job::Place));
    }
    jobs.extend(sources.iter().map(|&s| Job::Source(s)));
    jobs.extend(event.tags.iter().cloned().map(Job::Tag));
    jobs
}

/// The pages whose text links to event `e`, so show its title.
fn linking(site: &Site, e: usize) -> Vec<Job> {
    let mut jobs = Vec::new();
    for citer in &site.indexes.linked_from[e] {
        match *citer {
            Citer::Event(x) | Citer::Casualty(x, _) => jobs.push(Job::Event(x)),
            Citer::Claim(x, c) => {
                // A claim shows on its event and its claimants' pages.
                jobs.push(Job::Event(x));
                let claim = &site.events[x].claims[c];
                jobs.extend(claim.by.iter().chain(&claim.via).map(|&a| Job::Actor(a)));
            }
            Citer::Relation(r) => {
                let relation = &site.relations[r];
                jobs.extend([Job::Actor(relation.subject), Job::Actor(relation.object)]);
            }
            Citer::Actor(a) => jobs.push(Job::Actor(a)),
            Citer::Page(p) => jobs.push(Job::Page(p)),
            Citer::Home => jobs.push(Job::Home),
            Citer::Source(s) => jobs.push(Job::Source(s)),
        }
    }
    jobs
}
