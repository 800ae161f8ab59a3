//! The resolved site: typed records that point at each other by index, and
//! the indexes every page needs, computed once.
//!
//! Nothing here reads files or renders HTML. Records are stored in `Vec`s
//! sorted for output (events by date, the rest by id), and references are
//! indexes into those `Vec`s, so a page finds its neighbours in O(1).

pub mod date;
pub mod id;
pub mod kinds;

use std::collections::BTreeMap;

use crate::config::Config;
use date::Edtf;
use kinds::{ActorKind, PageKind, PlaceKind, RelationType, Role, SourceKind, Status};

/// A citation of a source, with an optional locator and quote.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    /// Index into [`Site::sources`].
    pub source: usize,
    /// Where in the source (e.g. `para 17`).
    pub loc: Option<String>,
    /// A short verbatim quote.
    pub quote: Option<String>,
}

/// Where a record was written, for messages and "edit this" links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index into the loaded files.
    pub file: usize,
}

/// A free page, or the home page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The id (its URL segment).
    pub id: String,
    /// The title.
    pub title: String,
    /// One line for lists and meta tags.
    pub description: Option<String>,
    /// When written.
    pub date: Option<Edtf>,
    /// What the page is for.
    pub kind: Option<PageKind>,
    /// Menu position.
    pub order: Option<i64>,
    /// Markdown body.
    pub body: String,
    /// Where it was written.
    pub origin: Origin,
}

/// A source: an article, report or statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The outlet.
    pub publisher: String,
    /// The outlet's home page (http or https).
    pub publisher_url: Option<String>,
    /// The author(s).
    pub author: Option<String>,
    /// When published.
    pub published: Option<Edtf>,
    /// How the date was found.
    pub date_note: Option<String>,
    /// The article's own address (http or https).
    pub url: Option<String>,
    /// A web-archive copy (http or https).
    pub archive_url: Option<String>,
    /// When read.
    pub accessed: Option<Edtf>,
    /// What kind of publication.
    pub kind: Option<SourceKind>,
    /// Its language.
    pub language: Option<String>,
    /// Admiralty-scale reliability (A–F).
    pub reliability: Option<char>,
    /// Why that reliability.
    pub reliability_note: Option<String>,
    /// Markdown summary.
    pub body: String,
    /// Where it was written.
    pub origin: Origin,
}

/// An actor: a state, force, group, person, outlet…
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    /// The id.
    pub id: String,
    /// The full name.
    pub name: String,
    /// A short label.
    pub short: Option<String>,
    /// Other names and spellings.
    pub aliases: Vec<String>,
    /// What kind of actor.
    pub kind: Option<ActorKind>,
    /// One line.
    pub description: Option<String>,
    /// Markdown profile.
    pub body: String,
    /// Where it was written.
    pub origin: Origin,
}

/// A relation between two actors, as declared on `subject`'s page.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// The declaring actor.
    pub subject: usize,
    /// How it relates.
    pub kind: RelationType,
    /// The other actor.
    pub object: usize,
    /// Since when.
    pub from: Option<Edtf>,
    /// Until when.
    pub to: Option<Edtf>,
    /// Citations.
    pub cites: Vec<Citation>,
    /// A remark.
    pub note: Option<String>,
}

/// A place.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// Other names and spellings.
    pub aliases: Vec<String>,
    /// What kind of place.
    pub kind: Option<PlaceKind>,
    /// The main containing place.
    pub within: Option<usize>,
    /// WGS84 latitude and longitude.
    pub coordinates: Option<(f64, f64)>,
    /// A line or two.
    pub description: Option<String>,
    /// Where it was written.
    pub origin: Origin,
}

/// Place `p` of `places`, then the places it is (indirectly) within, from
/// the nearest outwards. Resolving refuses a loop of `within`; the walk
/// also stops after as many steps as there are places, so it ends
/// whatever it is given.
pub fn place_and_containers(places: &[Place], p: usize) -> impl Iterator<Item = usize> + '_ {
    let mut current = Some(p);
    let mut steps = 0;
    std::iter::from_fn(move || {
        let place = current.filter(|_| steps <= places.len())?;
        current = places.get(place)?.within;
        steps += 1;
        Some(place)
    })
}

/// A casualty count: exact, or a range with an optional best estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figure {
    /// At least.
    pub low: Option<u64>,
    /// Best estimate (the exact number when exact).
    pub best: Option<u64>,
    /// At most.
    pub high: Option<u64>,
}

impl Figure {
    /// A reader's form: `12`, `more than 400`, `10–20`, `about 50 (10–100)`.
    pub fn display(&self) -> String {
        match (self.low, self.best, self.high) {
            (None, Some(best), None) => best.to_string(),
            (Some(low), Some(best), Some(high)) => format!("about {best} ({low}–{high})"),
            (Some(low), Some(best), None) => format!("about {best} (at least {low})"),
            (None, Some(best), Some(high)) => format!("about {best} (at most {high})"),
            (Some(low), None, Some(high)) => format!("{low}–{high}"),
            (Some(low), None, None) => format!("at least {low}"),
            (None, None, Some(high)) => format!("at most {high}"),
            (None, None, None) => String::new(),
        }
    }
}

/// Who claims what about an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// Optional id, unique within the event.
    pub id: Option<String>,
    /// The claimants.
    pub by: Vec<usize>,
    /// Markdown text.
    pub text: String,
    /// How far it is established.
    pub status: Status,
    /// Citations.
    pub cites: Vec<Citation>,
    /// The claim (index within the event) this one answers.
    pub answers: Option<usize>,
    /// Actors who relayed it.
    pub via: Vec<usize>,
}

/// A casualty figure with who gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Casualty {
    /// Who the figure counts.
    pub group: String,
    /// Killed.
    pub killed: Option<Figure>,
    /// Wounded.
    pub wounded: Option<Figure>,
    /// Captured.
    pub captured: Option<Figure>,
    /// The source's own wording.
    pub as_stated: Option<String>,
    /// Who gives the figure (empty: the source itself).
    pub by: Vec<usize>,
    /// How far it is established.
    pub status: Status,
    /// Citations.
    pub cites: Vec<Citation>,
}

/// A dated event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The id.
    pub id: String,
    /// The title.
    pub title: String,
    /// When.
    pub date: Edtf,
    /// How the date was found.
    pub date_note: Option<String>,
    /// The event type's id (one of the config's).
    pub kind: String,
    /// Places.
    pub places: Vec<usize>,
    /// Actors and their roles.
    pub actors: Vec<(usize, Option<Role>)>,
    /// Tags.
    pub tags: Vec<String>,
    /// Markdown summary, shared with the loaded record it came from.
    pub summary: std::sync::Arc<str>,
    /// Citations.
    pub sources: Vec<Citation>,
    /// Claims.
    pub claims: Vec<Claim>,
    /// Casualty figures.
    pub casualties: Vec<Casualty>,
    /// Related events as written.
    pub related: Vec<usize>,
    /// Where it was written.
    pub origin: Origin,
}

impl Event {
    /// Every claim and casualty status on the event, for the status filter.
    pub fn statuses(&self) -> Vec<Status> {
        let mut statuses: Vec<Status> = self
            .claims
            .iter()
            .map(|c| c.status)
            .chain(self.casualties.iter().map(|c| c.status))
            .collect();
        statuses.sort();
        statuses.dedup();
        statuses
    }
}

/// A record that cites a source: for a source's "cited by".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Citer {
    /// An event (its sources or summary).
    Event(usize),
    /// A claim: event index and claim index.
    Claim(usize, usize),
    /// A casualty figure: event index and figure index.
    Casualty(usize, usize),
    /// A relation.
    Relation(usize),
    /// An actor's profile.
    Actor(usize),
    /// A free page.
    Page(usize),
    /// The home page.
    Home,
    /// Another source's summary.
    Source(usize),
}

impl Citer {
    /// The event whose sources, summary, claim or figure this is, if any.
    pub fn event(&self) -> Option<usize> {
        match *self {
            Citer::Event(e) | Citer::Claim(e, _) | Citer::Casualty(e, _) => Some(e),
            _ => None,
        }
    }

    /// The same citer with its event's position passed through `to` (when
    /// events are added or taken out before it).
    pub fn with_event(self, to: impl Fn(usize) -> usize) -> Citer {
        match self {
            Citer::Event(e) => Citer::Event(to(e)),
            Citer::Claim(e, c) => Citer::Claim(to(e), c),
            Citer::Casualty(e, f) => Citer::Casualty(to(e), f),
            other => other,
        }
    }
}

/// A claim or casualty figure an actor made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Statement {
    /// A claim: event index and claim index.
    Claim(usize, usize),
    /// A casualty figure: event index and figure index.
    Casualty(usize, usize),
}

/// The cross-links, computed once when the site is resolved.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Indexes {
    /// Per actor, its events in date order.
    pub events_by_actor: Vec<Vec<usize>>,
    /// Per place, the events at it or at a place within it, in date order.
    pub events_by_place: Vec<Vec<usize>>,
    /// Per place, the places directly within it (by name).
    pub places_within: Vec<Vec<usize>>,
    /// Per tag, its events in date order.
    pub events_by_tag: BTreeMap<String, Vec<usize>>,
    /// Per year, its events in date order.
    pub events_by_year: BTreeMap<i32, Vec<usize>>,
    /// Per event, related events either way, in date order.
    pub related: Vec<Vec<usize>>,
    /// Per actor, the relations it is on either side of.
    pub relations_by_actor: Vec<Vec<usize>>,
    /// Per actor, the claims and figures it made.
    pub statements_by_actor: Vec<Vec<Statement>>,
    /// Per source, everything that cites it.
    pub cited_by: Vec<Vec<Citer>>,
    /// Per actor, the sources that mention it (through its events, claims
    /// and profile), sorted by index.
    pub sources_by_actor: Vec<Vec<usize>>,
    /// Per event, the claims that answer each claim: `(claim, answers)`.
    pub answers: Vec<Vec<(usize, Vec<usize>)>>,
    /// Per event, the records whose Markdown links to it (`[[event-id]]`),
    /// which show its title.
    pub linked_from: Vec<Vec<Citer>>,
    /// The actors in the order the list of actors shows them: by kind (in
    /// the content model's order, those without one last), then by name.
    pub actors_listed: Vec<usize>,
    /// The sources in the order of the bibliography: by publisher, then
    /// date of publication, then title.
    pub sources_listed: Vec<usize>,
}

/// A look-up from id to index. Looked up for every reference of every
/// record, so hashed with the fast (not flood-resistant) Fx hash: ids are
/// the site's own, not a stranger's input to a long-running service.
pub type IdMap = rustc_hash::FxHashMap<String, usize>;

/// A kind of record a reference can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// A free page.
    Page,
    /// A source.
    Source,
    /// An actor.
    Actor,
    /// A place.
    Place,
    /// An event.
    Event,
}

impl RecordKind {
    /// The kinds a cross-link without a kind (`[[id]]`) may name, in the
    /// order its target is looked for.
    pub const LINK_ORDER: [RecordKind; 5] = [
        RecordKind::Actor,
        RecordKind::Place,
        RecordKind::Event,
        RecordKind::Source,
        RecordKind::Page,
    ];

    /// The word used in messages and `[[kind:id]]` prefixes.
    pub fn word(self) -> &'static str {
        match self {
            RecordKind::Page => "page",
            RecordKind::Source => "source",
            RecordKind::Actor => "actor",
            RecordKind::Place => "place",
            RecordKind::Event => "event",
        }
    }

    /// The kind a `[[kind:id]]` prefix names.
    pub fn from_word(word: &str) -> Option<RecordKind> {
        RecordKind::LINK_ORDER
            .into_iter()
            .find(|k| k.word() == word)
    }
}

/// Look-ups from id to index, per kind.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Ids {
    /// Page ids.
    pub pages: IdMap,
    /// Source ids.
    pub sources: IdMap,
    /// Actor ids.
    pub actors: IdMap,
    /// Place ids.
    pub places: IdMap,
    /// Event ids.
    pub events: IdMap,
}

impl Ids {
    /// The look-up of the records of `kind`.
    pub fn of(&self, kind: RecordKind) -> &IdMap {
        match kind {
            RecordKind::Page => &self.pages,
            RecordKind::Source => &self.sources,
            RecordKind::Actor => &self.actors,
            RecordKind::Place => &self.places,
            RecordKind::Event => &self.events,
        }
    }
}

/// The whole resolved site.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// The settings.
    pub config: Config,
    /// The home page text, if the site has one.
    pub home: Option<Page>,
    /// Free pages, by id.
    pub pages: Vec<Page>,
    /// Sources, by id.
    pub sources: Vec<Source>,
    /// Actors, by id.
    pub actors: Vec<Actor>,
    /// Relations, in the order declared.
    pub relations: Vec<Relation>,
    /// Places, by id.
    pub places: Vec<Place>,
    /// Events, by date then id.
    pub events: Vec<Event>,
    /// Id look-ups.
    pub ids: Ids,
    /// Cross-link indexes.
    pub indexes: Indexes,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_naturally() {
        let f = |low, best, high| Figure { low, best, high }.display();
        assert_eq!(f(None, Some(19), None), "19");
        assert_eq!(f(Some(401), None, None), "at least 401");
        assert_eq!(f(Some(10), None, Some(20)), "10–20");
        assert_eq!(f(Some(10), Some(50), Some(100)), "about 50 (10–100)");
    }

    #[test]
    fn a_place_then_its_containers_from_the_nearest_outwards() {
        let place = |within: Option<usize>| Place {
            id: String::new(),
            name: String::new(),
            aliases: Vec::new(),
            kind: None,
            within,
            coordinates: None,
            description: None,
            origin: Origin { file: 0 },
        };
        // Town 2 in province 1 in country 0; 3 stands alone.
        let places = [place(None), place(Some(0)), place(Some(1)), place(None)];
        let walk = |p| place_and_containers(&places, p).collect::<Vec<_>>();
        assert_eq!(walk(2), [2, 1, 0]);
        assert_eq!(walk(0), [0]);
        assert_eq!(walk(3), [3]);
        // A loop (which resolving refuses) still ends: taking more than
        // the walk can give shows it stopped.
        let looped = [place(Some(1)), place(Some(0))];
        assert!(place_and_containers(&looped, 0).take(10).count() <= looped.len() + 1);
    }
}
