//! Drawing a laid-out network as SVG text: edges (curved apart where two
//! actors share several relations), edge labels placed where they overlap
//! nothing, and nodes as links with their names.
//!
//! Every shape is taken as a capsule (a segment with a radius) for the
//! overlap tests: a node's circle, a name, an edge label along its edge.
//! Colours and dashes come from CSS classes; the few presentation
//! attributes written are fallbacks that any stylesheet overrides.

use std::fmt::Write as _;

use super::layout::{Layout, Point, RADIAL_FROM};
use super::{Graph, Node, is_directed};
use crate::model::kinds::RelationType;
use crate::render::markdown::escape_html;

/// Where the nodes' names go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Labels {
    /// Below each node, else above, right or left, wherever it is free
    /// (the overview).
    Around,
    /// Away from the centre node (an actor's own graph; node 0 is the
    /// centre).
    Outward,
}

/// Font size of the nodes' names.
const NAME_SIZE: f64 = 12.0;
/// Font size of the edge labels.
const EDGE_SIZE: f64 = 10.5;
/// How far apart parallel edges between the same two actors bend.
const BEND: f64 = 26.0;

/// A segment with a radius: the shape every overlap test uses.
#[derive(Clone, Copy, Debug)]
struct Capsule {
    a: Point,
    b: Point,
    r: f64,
}

impl Capsule {
    fn hits(&self, other: &Capsule) -> bool {
        segment_distance(self.a, self.b, other.a, other.b) < self.r + other.r
    }
}

/// A placed name or label.
struct Text {
    at: Point,
    anchor: &'static str,
    /// Rotation in degrees about `at` (edge labels follow their edge).
    angle: f64,
    /// Whether `at` is on the text's middle line rather than its baseline.
    centred: bool,
    text: String,
}

/// An edge's curve: from `start` to `end` bending through `control`.
struct Curve {
    start: Point,
    control: Point,
    end: Point,
    straight: bool,
}

impl Curve {
    fn at(&self, t: f64) -> Point {
        let u = 1.0 - t;
        Point::new(
            u * u * self.start.x + 2.0 * u * t * self.control.x + t * t * self.end.x,
            u * u * self.start.y + 2.0 * u * t * self.control.y + t * t * self.end.y,
        )
    }

    fn tangent(&self, t: f64) -> Point {
        let first = self.control.minus(self.start);
        let second = self.end.minus(self.control);
        Point::new(
            2.0 * (1.0 - t) * first.x + 2.0 * t * second.x,
            2.0 * (1.0 - t) * first.y + 2.0 * t * second.y,
        )
        .unit()
    }
}

/// The SVG of a laid-out graph.
pub fn draw(graph: &Graph, layout: &Layout, labels: Labels) -> String {
    let positions = &layout.positions;
    let curves = curves(graph, positions);
    let names = place_names(graph, positions, labels);
    let mut obstacles: Vec<Capsule> = graph
        .nodes
        .iter()
        .zip(positions)
        .map(|(node, &p)| Capsule {
            a: p,
            b: p,
            r: node.radius + 2.0,
        })
        .collect();
    obstacles.extend(names.iter().map(|(_, capsule)| *capsule));
    let edge_labels: Vec<Option<Text>> = graph
        .edges
        .iter()
        .zip(&curves)
        .map(|(edge, curve)| place_edge_label(curve, &edge.label, edge.kind, &mut obstacles))
        .collect();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"network\" \
         viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" \
         style=\"--net-width:{w:.0}px\" role=\"group\" \
         aria-labelledby=\"network-title\"><title id=\"network-title\">{title}</title>",
        w = layout.width,
        h = layout.height,
        title = escape_html(&graph.title),
    );
    write_markers(graph, &mut out);
    write_edges(graph, &curves, &mut out);
    out.push_str("<g class=\"net-edge-labels\" aria-hidden=\"true\">\n");
    for (edge, label) in graph.edges.iter().zip(&edge_labels) {
        if let Some(label) = label {
            let class = format!("net-edge-label rel-{}", edge.kind.id());
            write_text(&mut out, &class, label);
        }
    }
    out.push_str("</g>\n");
    write_nodes(graph, positions, &names, &mut out);
    out.push_str("</svg>");
    out
}

/// The edges, each a path with its tooltip, hidden from assistive
/// technology (the table carries the same data).
fn write_edges(graph: &Graph, curves: &[Curve], out: &mut String) {
    out.push_str(
        "<g class=\"net-edges\" fill=\"none\" stroke=\"currentColor\" aria-hidden=\"true\">\n",
    );
    for (edge, curve) in graph.edges.iter().zip(curves) {
        let kind = edge.kind.id();
        let _ = write!(
            out,
            "<path class=\"net-edge rel-{kind}\" d=\"M{}",
            xy(curve.start)
        );
        if curve.straight {
            let _ = write!(out, "L{}\"", xy(curve.end));
        } else {
            let _ = write!(out, "Q{} {}\"", xy(curve.control), xy(curve.end));
        }
        if is_directed(edge.kind) {
            let _ = write!(out, " marker-end=\"url(#network-arrow-{kind})\"");
        }
        let tooltip = format!(
            "{} {} {}{}",
            graph.nodes[edge.from].title,
            edge.kind.label(),
            graph.nodes[edge.to].title,
            edge.label
                .strip_prefix(edge.kind.label())
                .unwrap_or_default()
        );
        let _ = writeln!(out, "><title>{}</title></path>", escape_html(&tooltip));
    }
    out.push_str("</g>\n");
}

/// The nodes: each a link to the actor's page around its circle and name.
fn write_nodes(graph: &Graph, positions: &[Point], names: &[(Text, Capsule)], out: &mut String) {
    out.push_str("<g class=\"net-nodes\">\n");
    for ((node, &p), (name, _)) in graph.nodes.iter().zip(positions).zip(names) {
        let (class, current) = if node.centre {
            (" net-centre", " aria-current=\"page\"")
        } else {
            ("", "")
        };
        let _ = write!(
            out,
            "<a class=\"net-node kind-{}{class}\" href=\"{}\"{current}><title>{}</title>\
             <circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\"/>",
            node.kind,
            escape_html(&node.href),
            escape_html(&node_name(node)),
            p.x,
            p.y,
            node.radius,
        );
        write_text(out, "net-name", name);
        out.push_str("</a>\n");
    }
    out.push_str("</g>\n");
}

/// A node's accessible name and tooltip: its full name, starting with
/// the visible label when that is a short form (`SDF (Syrian Democratic
/// Forces)`), so speech users can say what they see.
fn node_name(node: &Node) -> String {
    if node.title.starts_with(node.label.trim_end_matches('…')) {
        node.title.clone()
    } else {
        format!("{} ({})", node.label, node.title)
    }
}

/// One arrowhead marker per directed type drawn.
fn write_markers(graph: &Graph, out: &mut String) {
    let kinds: Vec<RelationType> = RelationType::ALL
        .iter()
        .copied()
        .filter(|&k| is_directed(k) && graph.edges.iter().any(|e| e.kind == k))
        .collect();
    if kinds.is_empty() {
        return;
    }
    out.push_str("<defs>");
    for kind in kinds {
        let _ = write!(
            out,
            "<marker id=\"network-arrow-{id}\" class=\"net-arrow rel-{id}\" viewBox=\"0 0 10 10\" \
             refX=\"9\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" \
             orient=\"auto\"><path d=\"M0,1L10,5L0,9z\" fill=\"currentColor\"/></marker>",
            id = kind.id()
        );
    }
    out.push_str("</defs>\n");
}

/// Writes a `<text>` element.
fn write_text(out: &mut String, class: &str, text: &Text) {
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\"",
        text.at.x, text.at.y
    );
    if text.anchor != "start" {
        let _ = write!(out, " text-anchor=\"{}\"", text.anchor);
    }
    if text.angle.abs() > 0.05 {
        let _ = write!(
            out,
            " transform=\"rotate({:.1} {:.1} {:.1})\"",
            text.angle, text.at.x, text.at.y
        );
    }
    if text.centred {
        out.push_str(" dy=\"0.35em\"");
    }
    let _ = write!(out, ">{}</text>", escape_html(&text.text));
}

fn xy(p: Point) -> String {
    format!("{:.1},{:.1}", p.x, p.y)
}

/// The curve of every edge, trimmed to end at the nodes' rims. Edges
/// between the same two nodes bend apart.
fn curves(graph: &Graph, positions: &[Point]) -> Vec<Curve> {
    let mut pairs: std::collections::BTreeMap<(usize, usize), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, edge) in graph.edges.iter().enumerate() {
        let key = (edge.from.min(edge.to), edge.from.max(edge.to));
        pairs.entry(key).or_default().push(i);
    }
    let mut offsets = vec![0.0; graph.edges.len()];
    for ((low, _), edges) in &pairs {
        let middle = (edges.len() as f64 - 1.0) / 2.0;
        for (j, &e) in edges.iter().enumerate() {
            // Bend relative to the pair's own direction, whichever way the
            // edge runs.
            let sign = if graph.edges[e].from == *low {
                1.0
            } else {
                -1.0
            };
            offsets[e] = (j as f64 - middle) * BEND * sign;
        }
    }
    graph
        .edges
        .iter()
        .zip(offsets)
        .map(|(edge, offset)| {
            let (p, q) = (positions[edge.from], positions[edge.to]);
            let normal = q.minus(p).unit().normal();
            let middle = Point::new((p.x + q.x) / 2.0, (p.y + q.y) / 2.0);
            let control = middle.plus(normal, 2.0 * offset);
            let start = p.plus(control.minus(p).unit(), graph.nodes[edge.from].radius + 1.0);
            let end = q.plus(control.minus(q).unit(), graph.nodes[edge.to].radius + 1.5);
            Curve {
                start,
                control,
                end,
                straight: offset == 0.0,
            }
        })
        .collect()
}

/// Roughly how wide `text` is at font size `size`.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.56 + 2.0
}

/// Roughly how long an edge label is.
pub fn edge_label_width(text: &str) -> f64 {
    text_width(text, EDGE_SIZE)
}

/// Where each node's name goes, and the shape it covers: the first free
/// spot of its candidates (bigger nodes choose first), else the first.
fn place_names(graph: &Graph, positions: &[Point], labels: Labels) -> Vec<(Text, Capsule)> {
    let mut placed: Vec<Option<(Text, Capsule)>> = graph.nodes.iter().map(|_| None).collect();
    let circles: Vec<Capsule> = graph
        .nodes
        .iter()
        .zip(positions)
        .map(|(n, &p)| Capsule {
            a: p,
            b: p,
            r: n.radius + 1.0,
        })
        .collect();
    let mut order: Vec<usize> = (0..graph.nodes.len()).collect();
    order.sort_by(|&a, &b| {
        graph.nodes[b]
            .radius
            .total_cmp(&graph.nodes[a].radius)
            .then(a.cmp(&b))
    });
    for i in order {
        let candidates = name_candidates(graph, positions, labels, i);
        let taken: Vec<Capsule> = placed.iter().flatten().map(|(_, c)| *c).collect();
        let free = |c: &Capsule| !circles.iter().chain(&taken).any(|o| o.hits(c));
        let choice = candidates.iter().position(|(_, c)| free(c)).unwrap_or(0);
        placed[i] = candidates.into_iter().nth(choice);
    }
    placed.into_iter().flatten().collect()
}

/// The spots node `i`'s name may take, best first.
fn name_candidates(
    graph: &Graph,
    positions: &[Point],
    labels: Labels,
    i: usize,
) -> Vec<(Text, Capsule)> {
    let node = &graph.nodes[i];
    let p = positions[i];
    let r = node.radius;
    let size = if node.centre {
        NAME_SIZE * 1.2
    } else {
        NAME_SIZE
    };
    let w = text_width(&node.label, size);
    let at = |dx: f64, dy: f64, anchor: &'static str| {
        name_at(Point::new(p.x + dx, p.y + dy), anchor, w, size, &node.label)
    };
    let centre = positions.first().copied().unwrap_or(p);
    let u = p.minus(centre).unit();
    match labels {
        Labels::Outward if i == 0 => vec![at(0.0, r + size, "middle")],
        Labels::Outward if graph.nodes.len() > RADIAL_FROM => {
            // Along the radius, reading outwards (turned over on the left).
            let from = p.plus(u, r + 5.0);
            let (anchor, angle) = if u.x < -1e-9 {
                ("end", u.y.atan2(u.x).to_degrees() + 180.0)
            } else {
                ("start", u.y.atan2(u.x).to_degrees())
            };
            let capsule = Capsule {
                a: from.plus(u, size * 0.5),
                b: from.plus(u, w - size * 0.5),
                r: size * 0.55,
            };
            let text = Text {
                at: from,
                anchor,
                angle,
                centred: true,
                text: node.label.clone(),
            };
            vec![(text, capsule)]
        }
        Labels::Outward => {
            // Level, on the side away from the centre.
            let d = p.plus(u, r + 5.0).minus(p);
            let spot = if u.x > 0.35 {
                at(d.x, d.y + size * 0.35, "start")
            } else if u.x < -0.35 {
                at(d.x, d.y + size * 0.35, "end")
            } else if u.y > 0.0 {
                at(d.x, d.y + size * 0.8, "middle")
            } else {
                at(d.x, d.y - size * 0.1, "middle")
            };
            vec![spot]
        }
        Labels::Around => vec![
            at(0.0, r + size, "middle"),
            at(0.0, -r - 4.0, "middle"),
            at(r + 4.0, size * 0.35, "start"),
            at(-r - 4.0, size * 0.35, "end"),
            at(r, r + size, "start"),
            at(-r, r + size, "end"),
            at(r, -r - 3.0, "start"),
            at(-r, -r - 3.0, "end"),
        ],
    }
}

/// A name with its baseline at `at`, and the shape it covers.
fn name_at(at: Point, anchor: &'static str, width: f64, size: f64, text: &str) -> (Text, Capsule) {
    let left = match anchor {
        "start" => at.x,
        "end" => at.x - width,
        _ => at.x - width / 2.0,
    };
    let middle = at.y - size * 0.35;
    let r = size * 0.55;
    let capsule = Capsule {
        a: Point::new(left + r * 0.5, middle),
        b: Point::new(left + width - r * 0.5, middle),
        r,
    };
    (
        Text {
            at,
            anchor,
            angle: 0.0,
            centred: false,
            text: text.to_string(),
        },
        capsule,
    )
}

/// Places an edge's label along it where it overlaps nothing placed so far
/// (trying the full label, then the type alone), and records its shape.
/// `None` when no place is free: the edge's tooltip and the table still
/// carry it.
fn place_edge_label(
    curve: &Curve,
    label: &str,
    kind: RelationType,
    obstacles: &mut Vec<Capsule>,
) -> Option<Text> {
    let texts = [label, kind.label()];
    for text in texts.iter().take(if label == kind.label() { 1 } else { 2 }) {
        let half = text_width(text, EDGE_SIZE) / 2.0;
        for t in [0.5, 0.38, 0.62, 0.28, 0.72] {
            let p = curve.at(t);
            let u = curve.tangent(t);
            let capsule = Capsule {
                a: p.plus(u, -(half - 3.0).max(0.0)),
                b: p.plus(u, (half - 3.0).max(0.0)),
                r: EDGE_SIZE * 0.6,
            };
            if obstacles.iter().any(|o| o.hits(&capsule)) {
                continue;
            }
            obstacles.push(capsule);
            let mut angle = u.y.atan2(u.x).to_degrees();
            if angle > 90.0 {
                angle -= 180.0;
            } else if angle <= -90.0 {
                angle += 180.0;
            }
            return Some(Text {
                at: p,
                anchor: "middle",
                angle,
                centred: true,
                text: (*text).to_string(),
            });
        }
    }
    None
}

/// The distance between segments `ab` and `cd`.
fn segment_distance(a: Point, b: Point, c: Point, d: Point) -> f64 {
    if segments_cross(a, b, c, d) {
        return 0.0;
    }
    point_segment(a, c, d)
        .min(point_segment(b, c, d))
        .min(point_segment(c, a, b))
        .min(point_segment(d, a, b))
}

/// The distance from `p` to segment `ab`.
fn point_segment(p: Point, a: Point, b: Point) -> f64 {
    let ab = b.minus(a);
    let length2 = ab.x * ab.x + ab.y * ab.y;
    if length2 < 1e-12 {
        return p.minus(a).length();
    }
    let t = (((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / length2).clamp(0.0, 1.0);
    p.minus(a.plus(ab, t)).length()
}

/// Whether segments `ab` and `cd` cross (touching counts).
fn segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool {
    let turn = |p: Point, q: Point, r: Point| (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    let (d1, d2) = (turn(c, d, a), turn(c, d, b));
    let (d3, d4) = (turn(a, b, c), turn(a, b, d));
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}
