//! An actor's page, the network overview and the map page.

use serde::Serialize;
use tera::Context;

use super::*;

#[derive(Serialize)]
struct ActorView<'a> {
    id: &'a str,
    name: &'a str,
    short: Option<&'a str>,
    aliases: &'a [String],
    kind: Option<&'static str>,
    description: Option<&'a str>,
    body: String,
    relations: Vec<crate::render::network::RelationRow<'a>>,
    network: Option<crate::render::network::GraphView>,
    map: Option<crate::render::map::MapView<'a>>,
    events: Limited<String>,
    statements: Vec<StatementView<'a>>,
    sources: Vec<Link<'a>>,
    timeline_href: String,
}

pub(super) fn actor<'a>(
    r: &Renderer<'a>,
    a: usize,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let actor = &site.actors[a];
    let body = r.markdown(&actor.body, notes);
    let relations =
        crate::render::network::rows(r, &site.indexes.relations_by_actor[a], Some(a), notes);
    let statements = site.indexes.statements_by_actor[a]
        .iter()
        .map(|&statement| {
            let (e, text, status, anchor) = match statement {
                Statement::Claim(e, i) => {
                    let claim = &site.events[e].claims[i];
                    (
                        e,
                        r.markdown_inline(&claim.text, notes),
                        claim.status,
                        claim_anchor(i),
                    )
                }
                Statement::Casualty(e, i) => {
                    let figure = &site.events[e].casualties[i];
                    let mut text = figure.group.clone();
                    for (label, value) in [
                        ("killed", figure.killed),
                        ("wounded", figure.wounded),
                        ("captured", figure.captured),
                    ] {
                        if let Some(value) = value {
                            text.push_str(&format!(", {label}: {}", value.display()));
                        }
                    }
                    if let Some(stated) = &figure.as_stated {
                        text.push_str(&format!(" (“{stated}”)"));
                    }
                    (
                        e,
                        crate::render::markdown::escape_html(&text),
                        figure.status,
                        "casualties".to_string(),
                    )
                }
            };
            let link = r.event_link(e);
            StatementView {
                href: format!("{}#{anchor}", link.href),
                event: link,
                date: r.event_date(e),
                text,
                status: StatusView::of(status),
            }
        })
        .collect();
    let view = ActorView {
        id: &actor.id,
        name: &actor.name,
        short: actor.short.as_deref(),
        aliases: &actor.aliases,
        kind: actor.kind.map(|k| k.id()),
        description: actor.description.as_deref(),
        body,
        relations,
        network: crate::render::network::ego(site, &r.routes, a),
        map: crate::render::map::actor(r, a),
        events: r.limited_events(&site.indexes.events_by_actor[a], ("actor", &actor.id)),
        statements,
        sources: site.indexes.sources_by_actor[a]
            .iter()
            .map(|&s| r.source_link(s))
            .collect(),
        timeline_href: format!(
            "{}?actor={}",
            r.routes.link(&routes::index("timeline")),
            actor.id
        ),
    };
    c.insert("actor", &view);
    let route = routes::actor(&actor.id);
    let meta = meta(
        r,
        &route,
        actor.name.clone(),
        actor.description.as_deref(),
        "actors",
        vec![("Actors", routes::index("actors"))],
    );
    (route, "actor.html", meta)
}

pub(super) fn network<'a>(
    r: &Renderer<'a>,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    // The table lists what the graph draws, cut at the list limit: every
    // relation at once would make the page grow with the site (13 MB at
    // 100,000 events). Actor pages and the export hold all of them.
    let mut shown = crate::render::network::overview_relations(site);
    shown.truncate(site.config.list_limit);
    c.insert(
        "network",
        &crate::render::network::overview(site, &r.routes),
    );
    c.insert(
        "relations",
        &crate::render::network::rows(r, &shown, None, notes),
    );
    c.insert("relations_total", &site.relations.len());
    c.insert("actors_export", &r.routes.link("data/actors.json"));
    let route = routes::index("network");
    let meta = meta(
        r,
        &route,
        "Network".to_string(),
        Some("How the actors relate: who backs, opposes, leads or belongs to whom, and when."),
        "network",
        Vec::new(),
    );
    (route, "network.html", meta)
}

pub(super) fn map_page<'a>(r: &Renderer<'a>, c: &mut Context) -> (String, &'static str, PageMeta) {
    c.insert("map", &crate::render::map::overview(r));
    let route = routes::index("map");
    let meta = meta(
        r,
        &route,
        "Map".to_string(),
        Some("Where the events happened: every place with coordinates, sized by its events."),
        "map",
        Vec::new(),
    );
    (route, "map.html", meta)
}
