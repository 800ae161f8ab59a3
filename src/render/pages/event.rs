//! An event's page: date, places, actors, summary, claims, casualty
//! figures side by side, related events.

use serde::Serialize;
use tera::Context;

use super::*;

#[derive(Serialize)]
struct ActorRole<'a> {
    actor: Link<'a>,
    role: Option<&'static str>,
}

#[derive(Serialize)]
struct ClaimView<'a> {
    anchor: String,
    by: Vec<Link<'a>>,
    via: Vec<Link<'a>>,
    text: String,
    status: StatusView,
    cites: String,
    answers: Option<Answer<'a>>,
    answered_by: Vec<Answer<'a>>,
}

#[derive(Serialize)]
struct Answer<'a> {
    anchor: String,
    by: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct CasualtyView<'a> {
    group: &'a str,
    killed: Option<String>,
    wounded: Option<String>,
    captured: Option<String>,
    as_stated: Option<&'a str>,
    by: Vec<Link<'a>>,
    status: StatusView,
    cites: String,
}

#[derive(Serialize)]
struct EventView<'a> {
    #[serde(flatten)]
    item: EventItem<'a>,
    date_note: Option<&'a str>,
    type_href: String,
    actors: Vec<ActorRole<'a>>,
    tags: Vec<Link<'a>>,
    summary: String,
    sources: String,
    claims: Vec<ClaimView<'a>>,
    casualties: Vec<CasualtyView<'a>>,
    related: Vec<EventItem<'a>>,
}

pub(super) fn event<'a>(
    r: &Renderer<'a>,
    e: usize,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let event = &site.events[e];
    let summary = r.markdown(&event.summary, notes);
    let sources = r.markers(&event.sources, notes);
    let links = |actors: &[usize]| actors.iter().map(|&a| r.actor_link(a)).collect::<Vec<_>>();
    let answered = &site.indexes.answers[e];
    let claims = event
        .claims
        .iter()
        .enumerate()
        .map(|(i, claim)| ClaimView {
            anchor: claim_anchor(i),
            by: links(&claim.by),
            via: links(&claim.via),
            text: r.markdown_inline(&claim.text, notes),
            status: StatusView::of(claim.status),
            cites: r.markers(&claim.cites, notes),
            answers: claim.answers.map(|t| Answer {
                anchor: claim_anchor(t),
                by: links(&event.claims[t].by),
            }),
            answered_by: answered
                .iter()
                .find(|(target, _)| *target == i)
                .map(|(_, by)| {
                    by.iter()
                        .map(|&a| Answer {
                            anchor: claim_anchor(a),
                            by: links(&event.claims[a].by),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let mut order: Vec<usize> = (0..event.casualties.len()).collect();
    order.sort_by(|&a, &b| {
        event.casualties[a]
            .group
            .cmp(&event.casualties[b].group)
            .then(a.cmp(&b))
    });
    let casualties = order
        .into_iter()
        .map(|i| {
            let figure = &event.casualties[i];
            CasualtyView {
                group: &figure.group,
                killed: figure.killed.map(|f| f.display()),
                wounded: figure.wounded.map(|f| f.display()),
                captured: figure.captured.map(|f| f.display()),
                as_stated: figure.as_stated.as_deref(),
                by: links(&figure.by),
                status: StatusView::of(figure.status),
                cites: r.markers(&figure.cites, notes),
            }
        })
        .collect();
    let view = EventView {
        item: r.event_item(e),
        date_note: event.date_note.as_deref(),
        type_href: format!(
            "{}?type={}",
            r.routes.link(&routes::index("timeline")),
            event.kind
        ),
        actors: event
            .actors
            .iter()
            .map(|&(a, role)| ActorRole {
                actor: r.actor_link(a),
                role: role.map(|x| x.label()),
            })
            .collect(),
        tags: event.tags.iter().map(|t| r.tag_link(t)).collect(),
        summary,
        sources,
        claims,
        casualties,
        related: site.indexes.related[e]
            .iter()
            .map(|&x| r.event_item(x))
            .collect(),
    };
    c.insert("event", &view);
    let description = format!(
        "{}: {}",
        event.date.display(),
        plain_excerpt(&event.summary)
    );
    let route = routes::event(&event.id);
    let mut crumbs = vec![("Timeline", routes::index("timeline"))];
    if let Some(year) = event.date.year() {
        crumbs.push(("year", routes::year(year)));
    }
    let mut meta = meta(
        r,
        &route,
        event.title.clone(),
        Some(&description),
        "timeline",
        crumbs,
    );
    if let (Some(crumb), Some(year)) = (meta.crumbs.get_mut(1), event.date.year()) {
        crumb.label = year.to_string();
    }
    (route, "event.html", meta)
}
