//! Converting each raw record into its model type, checking every field.
//!
//! Each conversion destructures the raw struct completely, so a field added
//! to a raw type does not compile until it is handled here.

use std::collections::HashMap;

use rayon::prelude::*;

use super::context::{At, Ctx};
use super::{Order, record_id};
use crate::load::Record;
use crate::load::raw::{
    OneOrMany, RawActor, RawActorRole, RawCasualty, RawClaim, RawEvent, RawFigure, RawPage,
    RawPlace, RawRelation, RawSource,
};
use crate::model::RecordKind;
use crate::model::{
    Actor, Casualty, Citer, Claim, Event, Figure, Origin, Page, Place, Relation, Source, id,
};

/// Every converted record, in model order.
pub struct Converted {
    pub home: Option<Page>,
    pub pages: Vec<Page>,
    pub sources: Vec<Source>,
    pub actors: Vec<Actor>,
    pub relations: Vec<Relation>,
    pub places: Vec<Place>,
    pub events: Vec<Event>,
}

fn at<T>(record: &Record<T>) -> At {
    At {
        file: record.file,
        span: record.span.clone(),
    }
}

fn origin<T>(record: &Record<T>) -> Origin {
    Origin { file: record.file }
}

/// The Markdown body of a `.md` record and its offset in the file.
fn body<T>(record: &Record<T>) -> (String, usize) {
    record.body.clone().unwrap_or_default()
}

/// How many events one parallel job converts.
const EVENT_CHUNK: usize = 256;

/// Converts every record in `order`.
///
/// The events, most of the records, are converted in chunks on every core
/// while the other records are converted on one; each part with its own
/// context, taken back into `ctx` in the order a one-core run would fill it.
pub fn convert(ctx: &mut Ctx, order: &Order) -> Converted {
    let shared: &Ctx = ctx;
    let ((mut converted, fork), chunks) = rayon::join(
        || others(shared.fork(), order),
        || {
            order
                .events
                .par_chunks(EVENT_CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut fork = shared.fork();
                    let events = chunk
                        .iter()
                        .enumerate()
                        .filter_map(|(i, &r)| {
                            event(&mut fork, &shared.loaded.events[r], c * EVENT_CHUNK + i)
                        })
                        .collect();
                    (events, fork)
                })
                .collect::<Vec<(Vec<Event>, Ctx)>>()
        },
    );
    converted.events.reserve(order.events.len());
    let mut forks = vec![fork];
    for (events, fork) in chunks {
        converted.events.extend(events);
        forks.push(fork);
    }
    ctx.join(forks);
    converted
}

/// Converts the records but the events, with `ctx`, which it gives back.
fn others<'a>(mut ctx: Ctx<'a>, order: &Order) -> (Converted, Ctx<'a>) {
    let loaded = ctx.loaded;
    let home = loaded
        .home
        .as_ref()
        .map(|record| page(&mut ctx, record, "index".to_string(), Citer::Home));
    let pages = order
        .pages
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            let record = &loaded.pages[r];
            page(
                &mut ctx,
                record,
                record_id(record, record.raw.id.as_ref()),
                Citer::Page(i),
            )
        })
        .collect();
    let sources = order
        .sources
        .iter()
        .enumerate()
        .map(|(i, &r)| source(&mut ctx, &loaded.sources[r], i))
        .collect();
    let mut relations = Vec::new();
    let actors = order
        .actors
        .iter()
        .enumerate()
        .map(|(i, &r)| actor(&mut ctx, &loaded.actors[r], i, &mut relations))
        .collect();
    let places = order
        .places
        .iter()
        .map(|&r| place(&mut ctx, &loaded.places[r]))
        .collect();
    let converted = Converted {
        home,
        pages,
        sources,
        actors,
        relations,
        places,
        events: Vec::new(),
    };
    (converted, ctx)
}

fn page(ctx: &mut Ctx, record: &Record<RawPage>, id: String, citer: Citer) -> Page {
    let at = at(record);
    let RawPage {
        id: _,
        title,
        description,
        date,
        kind,
        order,
    } = record.raw.clone();
    let date = date.and_then(|d| ctx.date(&at, "date", &d));
    let (body, offset) = body(record);
    ctx.markdown(&at, &body, Some(offset), citer);
    Page {
        id,
        title,
        description,
        date,
        kind,
        order,
        body,
        origin: origin(record),
    }
}

fn source(ctx: &mut Ctx, record: &Record<RawSource>, index: usize) -> Source {
    let at = at(record);
    let RawSource {
        id,
        title,
        publisher,
        publisher_url,
        author,
        published,
        date_note,
        url,
        archive_url,
        accessed,
        kind,
        language,
        reliability,
        reliability_note,
    } = record.raw.clone();
    let published = published.and_then(|d| ctx.date(&at, "published", &d));
    let accessed = accessed.and_then(|d| ctx.date(&at, "accessed", &d));
    let publisher_url = ctx.url(&at, "publisher_url", publisher_url);
    let url = ctx.url(&at, "url", url);
    let archive_url = ctx.url(&at, "archive_url", archive_url);
    let reliability = reliability.and_then(|r| {
        let letter = r
            .trim()
            .chars()
            .next()
            .filter(|c| ('A'..='F').contains(c) && r.trim().len() == 1);
        if letter.is_none() {
            ctx.error(
                &at,
                Some("reliability"),
                &r,
                format!("reliability `{r}` is not a letter from A to F"),
                Some(
                    "use the Admiralty scale: A (reliable) to E (unreliable), F (cannot be judged)"
                        .to_string(),
                ),
            );
        }
        letter
    });
    let (body, offset) = body(record);
    ctx.markdown(&at, &body, Some(offset), Citer::Source(index));
    Source {
        id: record_id(record, id.as_ref()),
        title,
        publisher,
        publisher_url,
        author,
        published,
        date_note,
        url,
        archive_url,
        accessed,
        kind,
        language,
        reliability,
        reliability_note,
        body,
        origin: origin(record),
    }
}

fn actor(
    ctx: &mut Ctx,
    record: &Record<RawActor>,
    index: usize,
    relations: &mut Vec<crate::model::Relation>,
) -> Actor {
    let at = at(record);
    let RawActor {
        id,
        name,
        short,
        aliases,
        kind,
        description,
        relations: raw_relations,
    } = record.raw.clone();
    for raw in raw_relations {
        let RawRelation {
            kind,
            actor,
            from,
            to,
            cite,
            note,
        } = raw;
        let Some(object) = ctx.reference(&at, "actor", RecordKind::Actor, &actor) else {
            continue;
        };
        if object == index {
            ctx.error(
                &at,
                Some("actor"),
                &actor,
                "an actor cannot have a relation with itself".to_string(),
                None,
            );
            continue;
        }
        let from = from.and_then(|d| ctx.date(&at, "from", &d));
        let to = to.and_then(|d| ctx.date(&at, "to", &d));
        let position = relations.len();
        let cites = cite.map(OneOrMany::into_vec).unwrap_or_default();
        let cites = ctx.citations(&at, "cite", &cites, Citer::Relation(position));
        if let Some(note) = &note {
            ctx.markdown(&at, note, None, Citer::Relation(position));
        }
        relations.push(Relation {
            subject: index,
            kind,
            object,
            from,
            to,
            cites,
            note,
        });
    }
    let (body, offset) = body(record);
    ctx.markdown(&at, &body, Some(offset), Citer::Actor(index));
    Actor {
        id: record_id(record, id.as_ref()),
        name,
        short,
        aliases,
        kind,
        description,
        body,
        origin: origin(record),
    }
}

fn place(ctx: &mut Ctx, record: &Record<RawPlace>) -> Place {
    let at = at(record);
    let RawPlace {
        id,
        name,
        aliases,
        kind,
        within,
        lat,
        lon,
        description,
    } = record.raw.clone();
    let within = within.and_then(|w| ctx.reference(&at, "within", RecordKind::Place, &w));
    let coordinates = match (lat, lon) {
        (Some(lat), Some(lon)) => {
            let mut ok = true;
            if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
                ctx.error(
                    &at,
                    Some("lat"),
                    &lat.to_string(),
                    format!("latitude {lat} is out of range"),
                    Some("latitude is between -90 and 90 (WGS84 decimal degrees)".to_string()),
                );
                ok = false;
            }
            if !(-180.0..=180.0).contains(&lon) || !lon.is_finite() {
                ctx.error(
                    &at,
                    Some("lon"),
                    &lon.to_string(),
                    format!("longitude {lon} is out of range"),
                    Some("longitude is between -180 and 180 (WGS84 decimal degrees)".to_string()),
                );
                ok = false;
            }
            ok.then_some((lat, lon))
        }
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => {
            let key = if lat.is_some() { "lat" } else { "lon" };
            ctx.error(
                &at,
                Some(key),
                key,
                "a place needs both `lat` and `lon`, or neither".to_string(),
                None,
            );
            None
        }
    };
    Place {
        id: record_id(record, id.as_ref()),
        name,
        aliases,
        kind,
        within,
        coordinates,
        description,
        origin: origin(record),
    }
}

/// An event, or `None` when its date does not parse (already reported).
pub(super) fn event(ctx: &mut Ctx, record: &Record<RawEvent>, index: usize) -> Option<Event> {
    let at = at(record);
    let RawEvent {
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
    } = record.raw.clone();
    let date = ctx.date(&at, "date", &date);
    if ctx.config_ok && !ctx.config.event_types.iter().any(|t| t.id == kind) {
        let known: Vec<&str> = ctx
            .config
            .event_types
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        let hint = match id::nearest(&kind, known.iter().copied()) {
            Some(near) => {
                format!("did you mean `{near}`? The types are set in site.yaml's `event_types`")
            }
            None => format!(
                "use one of: {} (site.yaml's `event_types`)",
                known.join(", ")
            ),
        };
        ctx.error(
            &at,
            Some("type"),
            &kind,
            format!("unknown event type `{kind}`"),
            Some(hint),
        );
    }
    let places = ctx.references(&at, "places", RecordKind::Place, &places);
    let actors = actors
        .into_iter()
        .filter_map(|RawActorRole { actor, role }| {
            ctx.reference(&at, "actor", RecordKind::Actor, &actor)
                .map(|a| (a, role))
        })
        .collect();
    for tag in &tags {
        if let Err(message) = id::validate(tag) {
            let hint = id::suggest(tag).map(|s| format!("write it as `{s}`"));
            ctx.error(
                &at,
                Some("tags"),
                tag,
                format!("invalid tag: {message}"),
                hint,
            );
        }
    }
    ctx.markdown(&at, &summary, None, Citer::Event(index));
    if sources.is_empty() {
        ctx.error(
            &at,
            Some("sources"),
            "sources",
            "an event needs at least one source".to_string(),
            Some("cite the source that reports it under `sources:`".to_string()),
        );
    }
    let sources = ctx.citations(&at, "sources", &sources, Citer::Event(index));
    let claims = event_claims(ctx, &at, index, claims);
    let casualties = casualties
        .into_iter()
        .enumerate()
        .map(|(i, raw)| casualty(ctx, &at, index, i, raw))
        .collect();
    let related = related
        .iter()
        .filter_map(|r| ctx.reference(&at, "related", RecordKind::Event, r))
        .filter(|&r| r != index)
        .collect();
    Some(Event {
        id: record_id(record, id.as_ref()),
        title,
        date: date?,
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
        origin: origin(record),
    })
}

fn event_claims(ctx: &mut Ctx, at: &At, event: usize, raws: Vec<RawClaim>) -> Vec<Claim> {
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, raw) in raws.iter().enumerate() {
        if let Some(claim_id) = &raw.id {
            if let Err(message) = id::validate(claim_id) {
                ctx.error(
                    at,
                    Some("id"),
                    claim_id,
                    format!("invalid claim id: {message}"),
                    None,
                );
            } else if ids.insert(claim_id.clone(), i).is_some() {
                ctx.error(
                    at,
                    Some("id"),
                    claim_id,
                    format!("duplicate claim id `{claim_id}` in this event"),
                    Some("claim ids are unique within an event".to_string()),
                );
            }
        }
    }
    raws.into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let RawClaim {
                id: claim_id,
                by,
                text,
                status,
                cite,
                answers,
                via,
            } = raw;
            let by = ctx.references(at, "by", RecordKind::Actor, &by.into_vec());
            let via = ctx.references(at, "via", RecordKind::Actor, &via);
            let cites = ctx.citations(at, "cite", &cite.into_vec(), Citer::Claim(event, i));
            ctx.markdown(at, &text, None, Citer::Claim(event, i));
            let answers = answers.and_then(|a| match ids.get(&a) {
                Some(&target) if target != i => Some(target),
                Some(_) => {
                    ctx.error(
                        at,
                        Some("answers"),
                        &a,
                        "a claim cannot answer itself".to_string(),
                        None,
                    );
                    None
                }
                None => {
                    let known: Vec<&str> = ids.keys().map(String::as_str).collect();
                    let hint = match id::nearest(&a, known.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "`answers` names the `id` of another claim in the same event"
                            .to_string(),
                    };
                    ctx.error(
                        at,
                        Some("answers"),
                        &a,
                        format!("no claim in this event has the id `{a}`"),
                        Some(hint),
                    );
                    None
                }
            });
            Claim {
                id: claim_id,
                by,
                text,
                status,
                cites,
                answers,
                via,
            }
        })
        .collect()
}

fn casualty(ctx: &mut Ctx, at: &At, event: usize, i: usize, raw: RawCasualty) -> Casualty {
    let RawCasualty {
        group,
        killed,
        wounded,
        captured,
        as_stated,
        by,
        status,
        cite,
    } = raw;
    let by = by
        .map(|b| ctx.references(at, "by", RecordKind::Actor, &b.into_vec()))
        .unwrap_or_default();
    let cites = ctx.citations(at, "cite", &cite.into_vec(), Citer::Casualty(event, i));
    let mut figure = |raw: Option<RawFigure>, key: &str| {
        raw.and_then(|raw| match raw {
            RawFigure::Exact(n) => Some(Figure {
                low: None,
                best: Some(n),
                high: None,
            }),
            RawFigure::Range(r) => {
                if r.low.is_none() && r.best.is_none() && r.high.is_none() {
                    ctx.error(
                        at,
                        Some(key),
                        key,
                        format!("`{key}` is empty"),
                        Some("give a number or any of `low`, `best`, `high`".to_string()),
                    );
                    return None;
                }
                if let (Some(low), Some(high)) = (r.low, r.high) {
                    if low > high {
                        ctx.error(
                            at,
                            Some(key),
                            key,
                            format!("`{key}`: low {low} is above high {high}"),
                            None,
                        );
                        return None;
                    }
                }
                Some(Figure {
                    low: r.low,
                    best: r.best,
                    high: r.high,
                })
            }
        })
    };
    let killed = figure(killed, "killed");
    let wounded = figure(wounded, "wounded");
    let captured = figure(captured, "captured");
    if killed.is_none()
        && wounded.is_none()
        && captured.is_none()
        && as_stated.as_deref().is_none_or(|s| s.trim().is_empty())
    {
        ctx.error(
            at,
            Some("group"),
            &group,
            format!("the casualty figure for `{group}` is empty"),
            Some(
                "give `killed`, `wounded` or `captured`, or the source's words in `as_stated`"
                    .to_string(),
            ),
        );
    }
    Casualty {
        group,
        killed,
        wounded,
        captured,
        as_stated,
        by,
        status,
        cites,
    }
}
