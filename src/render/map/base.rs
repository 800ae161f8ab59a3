//! The base map: sea, country outlines and country names for one frame,
//! as a standalone SVG file that every page using the frame shows under
//! its own markers.
//!
//! Only countries reaching into the frame are drawn. Each shared border
//! (an arc of the topology) is projected and simplified once, to a third
//! of a unit, so neighbours still meet exactly; rings are then clipped to a
//! rectangle slightly larger than the drawing and written with relative
//! coordinates in tenths. Countries holding one of the site's places get a
//! stronger fill. Names go where a country is widest near its middle, in
//! capitals, when they fit inside it and clear of each other. Colours come
//! from classes styled in the file itself (light and dark), since a page's
//! stylesheet does not reach into an image.

use std::fmt::Write as _;

use super::frame::{Point, Projection};
use super::geometry::{self, Rect};
use super::topojson::{self, Feature, Topology};
use crate::render::markdown::escape_html;

/// How far (in units) simplification may move an outline.
const TOLERANCE: f64 = 0.35;
/// Rings smaller than this (in square units) are dropped.
const MIN_RING_AREA: f64 = 1.5;
/// How far outside the drawing the outlines are clipped.
const BLEED: f64 = 4.0;
/// How far country names keep from the site's places.
const CLEARANCE: f64 = 8.0;
/// Font size of country names (as in `STYLE`).
const NAME_SIZE: f64 = 12.0;
/// Extra space between the letters of country names (as in `STYLE`).
const LETTER_SPACING: f64 = 1.5;

/// A base map: its SVG text and where its names are, so that the markers'
/// labels drawn over it can stay clear of them.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseMap {
    /// The whole SVG document.
    pub svg: String,
    /// The boxes of the country names.
    pub names: Vec<Rect>,
}

/// The base map of a projection; `focus` are the site's places in drawing
/// units (the countries holding them are drawn stronger).
pub fn draw(projection: &Projection, focus: &[Point]) -> BaseMap {
    let (width, height) = (projection.width, projection.height);
    let mut countries = Vec::new();
    if let Some((topology, features)) = topojson::world() {
        countries = shapes(projection, topology, features);
    }
    let mut strong = String::new();
    let mut plain = String::new();
    let mut names: Vec<Rect> = Vec::new();
    // Names keep clear of the places (where markers will be) and each other.
    let mut taken: Vec<Rect> = focus
        .iter()
        .map(|p| Rect {
            left: p.x - CLEARANCE,
            top: p.y - CLEARANCE,
            right: p.x + CLEARANCE,
            bottom: p.y + CLEARANCE,
        })
        .collect();
    let mut texts = String::new();
    let view = Rect {
        left: 4.0,
        top: 4.0,
        right: width - 4.0,
        bottom: height - 4.0,
    };
    for country in &countries {
        let focused = focus.iter().any(|&p| geometry::inside(&country.rings, p));
        let path = if focused { &mut strong } else { &mut plain };
        for ring in &country.rings {
            geometry::push_ring(path, ring);
        }
    }
    let mut by_area: Vec<&Shape> = countries.iter().collect();
    by_area.sort_by(|a, b| b.area.total_cmp(&a.area).then(a.name.cmp(&b.name)));
    for country in by_area {
        if country.area < width * height * 0.01 {
            break;
        }
        let text = country.name.to_uppercase();
        if let Some((at, rect)) = name_spot(&country.rings, &text, &view, &taken) {
            taken.push(rect);
            names.push(rect);
            let _ = writeln!(
                texts,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                at.x,
                at.y,
                escape_html(&text)
            );
        }
    }
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         width=\"{width:.0}\" height=\"{height:.0}\">\n\
         <desc>Country outlines: Natural Earth (public domain), from world-atlas.</desc>\n\
         <style>{STYLE}</style>\n\
         <rect class=\"sea\" width=\"{width:.0}\" height=\"{height:.0}\"/>\n"
    );
    for (class, path) in [("land", &plain), ("land focus", &strong)] {
        if !path.is_empty() {
            let _ = writeln!(svg, "<path class=\"{class}\" d=\"{path}\"/>");
        }
    }
    if !texts.is_empty() {
        let _ = write!(svg, "<g class=\"name\">\n{texts}</g>\n");
    }
    svg.push_str("</svg>\n");
    BaseMap { svg, names }
}

/// The base map's own styles: sea, land, borders and names, light and dark.
const STYLE: &str = ".sea{fill:#dde7ed}.land{fill:#f7f5f0;stroke:#a39b8c;stroke-width:.7;\
stroke-linejoin:round;fill-rule:evenodd}.focus{fill:#ece5d6}\
.name{font:600 12px/1 system-ui,sans-serif;letter-spacing:1.5px;fill:#81796b;text-anchor:middle}\
@media (prefers-color-scheme:dark){.sea{fill:#0e171d}.land{fill:#1f2226;stroke:#575d63}\
.focus{fill:#2b2d2f}.name{fill:#8f969c}}";

/// A country as drawn: its clipped rings, visible area and name.
struct Shape {
    name: String,
    rings: Vec<Vec<Point>>,
    area: f64,
}

/// The countries reaching into the projection's frame, projected,
/// simplified and clipped, in the topology's order.
fn shapes(projection: &Projection, topology: &Topology, features: &[Feature]) -> Vec<Shape> {
    let frame = projection.frame;
    let clip = Rect {
        left: -BLEED,
        top: -BLEED,
        right: projection.width + BLEED,
        bottom: projection.height + BLEED,
    };
    // Per arc, projected and simplified when first needed (empty before).
    let mut projected: Vec<Vec<Point>> = vec![Vec::new(); topology.arcs.len()];
    let mut out = Vec::new();
    for feature in features {
        let mut rings = Vec::new();
        for polygon in &feature.polygons {
            for references in polygon {
                let touches = ring_bounds(topology, references).is_some_and(|(w, e, s, n)| {
                    w <= frame.east + 1.0
                        && e >= frame.west - 1.0
                        && s <= frame.north + 1.0
                        && n >= frame.south - 1.0
                });
                if !touches {
                    continue;
                }
                for &r in references {
                    let (index, _) = topojson::arc_index(r);
                    if let (Some(slot), Some(arc)) =
                        (projected.get_mut(index), topology.arcs.get(index))
                        && slot.is_empty()
                    {
                        let points: Vec<Point> = arc
                            .iter()
                            .map(|&(lon, lat)| projection.project(lon, lat))
                            .collect();
                        *slot = geometry::simplify(&points, TOLERANCE);
                    }
                }
                let ring = topojson::stitch(&projected, references);
                if geometry::area(&ring) < MIN_RING_AREA {
                    continue;
                }
                let clipped = geometry::clip(&ring, &clip);
                if clipped.len() >= 3 && geometry::area(&clipped) > 0.0 {
                    rings.push(clipped);
                }
            }
        }
        if !rings.is_empty() {
            let area = visible_area(&rings, projection);
            out.push(Shape {
                name: feature.name.clone(),
                rings,
                area,
            });
        }
    }
    out
}

/// The area of a country inside the drawing itself.
fn visible_area(rings: &[Vec<Point>], projection: &Projection) -> f64 {
    let view = Rect {
        left: 0.0,
        top: 0.0,
        right: projection.width,
        bottom: projection.height,
    };
    rings
        .iter()
        .map(|ring| geometry::area(&geometry::clip(ring, &view)))
        .sum()
}

/// The longitude/latitude box of a ring's arcs: west, east, south, north.
fn ring_bounds(topology: &Topology, references: &[i64]) -> Option<(f64, f64, f64, f64)> {
    let mut points = references
        .iter()
        .filter_map(|&r| topology.arcs.get(topojson::arc_index(r).0))
        .flatten();
    let &(lon, lat) = points.next()?;
    Some(
        points.fold((lon, lon, lat, lat), |(w, e, s, n), &(lon, lat)| {
            (w.min(lon), e.max(lon), s.min(lat), n.max(lat))
        }),
    )
}

/// Where a country's name fits: the middle of the widest span inside the
/// shape (tested at the text's top, middle and bottom), preferring rows
/// near the shape's vertical middle. Returns the text's anchor point
/// (middle, baseline) and its box, within `view`.
fn name_spot(
    rings: &[Vec<Point>],
    text: &str,
    view: &Rect,
    taken: &[Rect],
) -> Option<(Point, Rect)> {
    let width = text_width(text);
    let bounds = geometry::bounds(rings)?;
    let (top, bottom) = (bounds.top.max(view.top), bounds.bottom.min(view.bottom));
    let middle = (top + bottom) / 2.0;
    let mut best: Option<(f64, Point, Rect)> = None;
    let mut y = top + NAME_SIZE;
    while y <= bottom - 2.0 {
        let rows = [y - NAME_SIZE * 0.8, y - NAME_SIZE * 0.35, y + 1.0];
        let mut common = geometry::spans(rings, rows[0]);
        for &row in &rows[1..] {
            common = intersect(&common, &geometry::spans(rings, row));
        }
        for (from, to) in common {
            let (from, to) = (from.max(view.left), to.min(view.right));
            let slack = (to - from - width) / 2.0 - 4.0;
            if slack < 0.0 {
                continue;
            }
            // From the middle of the span outwards, the first free place.
            let centre = (from + to) / 2.0;
            let steps = (slack / 6.0).floor() as i32;
            let free = (0..=2 * steps)
                .map(|i| centre + f64::from(if i % 2 == 0 { i / 2 } else { -(i + 1) / 2 }) * 6.0)
                .map(|x| {
                    let rect = Rect {
                        left: x - width / 2.0,
                        right: x + width / 2.0,
                        top: y - NAME_SIZE,
                        bottom: y + 2.0,
                    };
                    (x, rect)
                })
                .find(|(_, rect)| view.holds(rect) && !taken.iter().any(|t| t.hits(rect)));
            let Some((x, rect)) = free else { continue };
            let score = (to - from).min(3.0 * width)
                - 1.5 * (y - NAME_SIZE / 2.0 - middle).abs()
                - 0.5 * (x - centre).abs();
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, Point { x, y }, rect));
            }
        }
        y += 3.0;
    }
    best.map(|(_, at, rect)| (at, rect))
}

/// The spans two sets of sorted spans have in common.
fn intersect(a: &[(f64, f64)], b: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for &(a0, a1) in a {
        for &(b0, b1) in b {
            let (from, to) = (a0.max(b0), a1.min(b1));
            if from < to {
                out.push((from, to));
            }
        }
    }
    out
}

/// The width of a country name, estimated from its length (capitals of a
/// sans-serif font are about 0.7 em wide, plus the letter spacing).
fn text_width(text: &str) -> f64 {
    let n = text.chars().count() as f64;
    n * (NAME_SIZE * 0.7 + LETTER_SPACING)
}
