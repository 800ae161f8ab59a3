//! The actor network: relations drawn as a static SVG graph, laid out at
//! build time, and the same relations as rows for an accessible table.
//!
//! Two graphs are drawn: the overview (`/network/`), the most connected
//! actors laid out by force; and an actor's own network on its page, the
//! actor in the centre and the actors it is related to around it. Every
//! node is a link to the actor's page; every edge is coloured and dashed
//! by the relation's type (CSS classes `rel-<type>`, so both colour schemes
//! work), with an arrowhead when the relation has a direction, and labelled
//! with its type and dates where there is room. Nothing here does I/O, and
//! the same site always gives byte-identical SVG.

mod layout;
mod svg;

use serde::Serialize;

use super::Renderer;
use super::notes::Notes;
use super::routes::{self, Routes};
use super::views::{DateView, Link};
use crate::model::date::Edtf;
use crate::model::kinds::RelationType;
use crate::model::{Relation, Site};

/// How many actors the overview draws at most (the most connected ones).
pub const OVERVIEW_CAP: usize = 150;

/// How many related actors an actor's own graph draws at most.
pub const EGO_CAP: usize = 40;

/// Whether a relation type reads one way (backed by, supports, part of,
/// leads, member of), so its edge gets an arrowhead; allied with, opposes
/// and affiliated with read the same both ways.
pub fn is_directed(kind: RelationType) -> bool {
    matches!(
        kind,
        RelationType::BackedBy
            | RelationType::Supports
            | RelationType::PartOf
            | RelationType::Leads
            | RelationType::MemberOf
    )
}

/// A drawn graph, ready for a template.
#[derive(Clone, Debug, Serialize)]
pub struct GraphView {
    /// The `<svg>` element (already escaped: insert it with `safe`).
    pub svg: String,
    /// The relation types drawn, for the legend.
    pub legend: Vec<LegendItem>,
    /// How many actors are drawn.
    pub shown: usize,
    /// How many actors could have been drawn (more than `shown` when capped).
    pub total: usize,
    /// Whether some actors were left out of the drawing.
    pub capped: bool,
}

/// One relation type in a legend.
#[derive(Clone, Debug, Serialize)]
pub struct LegendItem {
    /// The type's id (`backed-by`), used in the CSS class `rel-<id>`.
    pub id: &'static str,
    /// The label (`backed by`).
    pub label: &'static str,
    /// Whether its edges have arrowheads.
    pub directed: bool,
}

/// A relation as a table row, read from `subject`'s side.
#[derive(Clone, Debug, Serialize)]
pub struct RelationRow<'a> {
    /// The actor the row reads from.
    pub subject: Link<'a>,
    /// The relation's type id (`backed-by`), as declared.
    pub kind: &'static str,
    /// How the subject relates to the other actor (`backed by`, or the
    /// inverse `supports` when read from the declared object's side).
    pub label: &'static str,
    /// The other actor.
    pub other: Link<'a>,
    /// Since when.
    pub from: Option<DateView<'a>>,
    /// Until when.
    pub to: Option<DateView<'a>>,
    /// The note, rendered inline.
    pub note: Option<String>,
    /// Citation markers.
    pub cites: String,
}

/// The relations at the given indexes as table rows. With a `viewpoint`
/// actor, each row reads from that actor's side (inverse labels where it is
/// the declared object); without, each reads as declared. Notes and
/// citations are numbered into `notes`.
pub fn rows<'a>(
    r: &Renderer<'a>,
    relations: &[usize],
    viewpoint: Option<usize>,
    notes: &mut Notes,
) -> Vec<RelationRow<'a>> {
    let site = r.site;
    relations
        .iter()
        .filter_map(|&x| site.relations.get(x))
        .map(|relation| {
            let (subject, label, other) = match viewpoint {
                Some(a) if relation.subject != a => (
                    relation.object,
                    relation.kind.inverse_label(),
                    relation.subject,
                ),
                _ => (relation.subject, relation.kind.label(), relation.object),
            };
            RelationRow {
                subject: r.actor_link(subject),
                kind: relation.kind.id(),
                label,
                other: r.actor_link(other),
                from: relation.from.as_ref().map(DateView::of),
                to: relation.to.as_ref().map(DateView::of),
                note: relation.note.as_ref().map(|n| r.markdown_inline(n, notes)),
                cites: r.markers(&relation.cites, notes),
            }
        })
        .collect()
}

/// Every relation of the site, sorted by the declaring actor's name, the
/// type, the other actor's name, then the dates.
pub fn all_relations(site: &Site) -> Vec<usize> {
    let mut all: Vec<usize> = (0..site.relations.len()).collect();
    let key = |x: usize| {
        let relation = &site.relations[x];
        (
            site.actors[relation.subject].name.to_lowercase(),
            relation.kind,
            site.actors[relation.object].name.to_lowercase(),
            relation.from.as_ref().and_then(Edtf::start),
            x,
        )
    };
    all.sort_by_cached_key(|&x| key(x));
    all
}

/// The actors the overview draws: the `OVERVIEW_CAP` most connected (ties
/// by id), in index order, with their degrees and how many actors have a
/// relation at all.
fn overview_actors(site: &Site) -> (Vec<usize>, Vec<usize>, usize) {
    let degree = degrees(site);
    let mut chosen: Vec<usize> = (0..site.actors.len()).filter(|&a| degree[a] > 0).collect();
    let total = chosen.len();
    chosen.sort_by(|&a, &b| degree[b].cmp(&degree[a]).then(a.cmp(&b)));
    chosen.truncate(OVERVIEW_CAP);
    chosen.sort_unstable();
    (chosen, degree, total)
}

/// The relations the overview draws (both actors in it), in the order of
/// [`all_relations`]: the network page's table, which so stays the size
/// of the drawing however many relations the site has.
pub fn overview_relations(site: &Site) -> Vec<usize> {
    let (chosen, _, _) = overview_actors(site);
    let mut drawn = vec![false; site.actors.len()];
    for a in chosen {
        drawn[a] = true;
    }
    all_relations(site)
        .into_iter()
        .filter(|&x| {
            let relation = &site.relations[x];
            drawn[relation.subject] && drawn[relation.object]
        })
        .collect()
}

/// The overview graph: the `OVERVIEW_CAP` most connected actors (ties by
/// id) and the relations between them; `None` when no actor has a relation.
pub fn overview(site: &Site, routes: &Routes) -> Option<GraphView> {
    let (chosen, degree, total) = overview_actors(site);
    if total == 0 {
        return None;
    }
    let mut slot = vec![None; site.actors.len()];
    for (i, &a) in chosen.iter().enumerate() {
        slot[a] = Some(i);
    }
    let nodes = chosen
        .iter()
        .map(|&a| {
            node(
                site,
                routes,
                a,
                5.0 + 2.0 * (degree[a] as f64).sqrt().min(4.5),
                false,
            )
        })
        .collect();
    let edges = site
        .relations
        .iter()
        .filter(|rel| rel.subject != rel.object)
        .filter_map(|rel| Some(edge(rel, slot[rel.subject]?, slot[rel.object]?)))
        .collect();
    let title = format!(
        "Network of {} actors and the relations between them",
        chosen.len()
    );
    let graph = Graph {
        title,
        nodes,
        edges,
    };
    let pairs: Vec<(usize, usize)> = graph.edges.iter().map(|e| (e.from, e.to)).collect();
    let layout = layout::force(graph.nodes.len(), &pairs);
    Some(view(
        &graph,
        &layout,
        svg::Labels::Around,
        (chosen.len(), total),
    ))
}

/// An actor's own graph: the actor in the centre and up to `EGO_CAP`
/// related actors around it (those sharing the most relations with it
/// first), with the relations to and from it; `None` when it has none.
pub fn ego(site: &Site, routes: &Routes, a: usize) -> Option<GraphView> {
    let relations: Vec<&Relation> = site
        .indexes
        .relations_by_actor
        .get(a)?
        .iter()
        .filter_map(|&x| site.relations.get(x))
        .filter(|rel| rel.subject != rel.object)
        .collect();
    let other = |rel: &Relation| {
        if rel.subject == a {
            rel.object
        } else {
            rel.subject
        }
    };
    // Per neighbour: how many relations it shares with `a`, and the first
    // of their types in the model's order (neighbours are grouped by it).
    let mut shared: std::collections::BTreeMap<usize, (usize, RelationType)> =
        std::collections::BTreeMap::new();
    for rel in &relations {
        let entry = shared.entry(other(rel)).or_insert((0, rel.kind));
        entry.0 += 1;
        entry.1 = entry.1.min(rel.kind);
    }
    let total = shared.len();
    if total == 0 {
        return None;
    }
    // (neighbour, relations shared with `a`, its own degree). The degree
    // comes from the neighbour's own relations: counting all of the
    // site's for each actor's page made those pages grow with actors ×
    // relations.
    let mut ranked: Vec<(usize, usize, usize)> = shared
        .iter()
        .map(|(&x, &(count, _))| (x, count, degree(site, x)))
        .collect();
    ranked.sort_by(|x, y| (y.1, y.2).cmp(&(x.1, x.2)).then(x.0.cmp(&y.0)));
    ranked.truncate(EGO_CAP);
    let mut neighbours: Vec<usize> = ranked.into_iter().map(|(x, _, _)| x).collect();
    neighbours.sort_by_cached_key(|&x| (shared[&x].1, site.actors[x].name.to_lowercase(), x));
    let mut slot = std::collections::BTreeMap::new();
    slot.insert(a, 0);
    for (i, &x) in neighbours.iter().enumerate() {
        slot.insert(x, i + 1);
    }
    let mut nodes = vec![node(site, routes, a, 14.0, true)];
    nodes.extend(
        neighbours
            .iter()
            .map(|&x| node(site, routes, x, 7.0, false)),
    );
    let edges = relations
        .iter()
        .filter_map(|rel| Some(edge(rel, *slot.get(&rel.subject)?, *slot.get(&rel.object)?)))
        .collect();
    let title = format!("Relations of {}", site.actors[a].name);
    let graph = Graph {
        title,
        nodes,
        edges,
    };
    let reach = graph
        .edges
        .iter()
        .map(|e| svg::edge_label_width(&e.label) + 50.0)
        .fold(0.0, f64::max);
    let layout = layout::ring(neighbours.len(), reach);
    Some(view(
        &graph,
        &layout,
        svg::Labels::Outward,
        (neighbours.len(), total),
    ))
}

/// Draws a graph and gathers its legend; `counts` are the actors shown
/// and the actors there are.
fn view(
    graph: &Graph,
    layout: &layout::Layout,
    labels: svg::Labels,
    (shown, total): (usize, usize),
) -> GraphView {
    let legend = RelationType::ALL
        .iter()
        .filter(|&&kind| graph.edges.iter().any(|e| e.kind == kind))
        .map(|&kind| LegendItem {
            id: kind.id(),
            label: kind.label(),
            directed: is_directed(kind),
        })
        .collect();
    GraphView {
        svg: svg::draw(graph, layout, labels),
        legend,
        shown,
        total,
        capped: shown < total,
    }
}

/// How many relations (other than with itself) actor `a` is part of.
fn degree(site: &Site, a: usize) -> usize {
    site.indexes
        .relations_by_actor
        .get(a)
        .map_or(0, |relations| {
            relations
                .iter()
                .filter_map(|&r| site.relations.get(r))
                .filter(|rel| rel.subject != rel.object)
                .count()
        })
}

/// Per actor, how many relations (other than with itself) it is part of.
fn degrees(site: &Site) -> Vec<usize> {
    (0..site.actors.len()).map(|a| degree(site, a)).collect()
}

/// A graph to draw: nodes and edges, before layout.
struct Graph {
    /// The accessible title of the drawing.
    title: String,
    /// The actors.
    nodes: Vec<Node>,
    /// The relations, between node indexes.
    edges: Vec<Edge>,
}

/// An actor in a graph.
struct Node {
    /// The visible label: the short name, or the name, shortened.
    label: String,
    /// The full name, for the tooltip.
    title: String,
    /// Its page.
    href: String,
    /// Its kind's id, for the CSS class `kind-<id>`.
    kind: &'static str,
    /// The circle's radius.
    radius: f64,
    /// Whether it is the actor whose page this is.
    centre: bool,
}

/// A relation in a graph, drawn from subject to object.
struct Edge {
    /// The subject's node.
    from: usize,
    /// The object's node.
    to: usize,
    /// The type.
    kind: RelationType,
    /// The label with the dates (`backed by, from 2015`).
    label: String,
}

/// The longest visible node label, in characters.
const LABEL_CHARS: usize = 26;

fn node(site: &Site, routes: &Routes, a: usize, radius: f64, centre: bool) -> Node {
    let actor = &site.actors[a];
    let shown = actor.short.as_deref().unwrap_or(&actor.name);
    let label = if shown.chars().count() > LABEL_CHARS {
        let cut: String = shown.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        shown.to_string()
    };
    Node {
        label,
        title: actor.name.clone(),
        href: routes.link(&routes::actor(&actor.id)),
        kind: actor.kind.map_or("other", |k| k.id()),
        radius,
        centre,
    }
}

fn edge(relation: &Relation, from: usize, to: usize) -> Edge {
    let mut label = relation.kind.label().to_string();
    if let Some(period) = period(relation.from.as_ref(), relation.to.as_ref()) {
        label.push_str(", ");
        label.push_str(&period);
    }
    Edge {
        from,
        to,
        kind: relation.kind,
        label,
    }
}

/// When a relation held, for its label: `from 2015`, `until March 2011`,
/// `2014 – 2017`.
fn period(from: Option<&Edtf>, to: Option<&Edtf>) -> Option<String> {
    match (from, to) {
        (Some(from), Some(to)) => Some(format!("{} – {}", from.display(), to.display())),
        (Some(from), None) => Some(format!("from {}", from.display())),
        (None, Some(to)) => Some(format!("until {}", to.display())),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests;
