//! The layer a page draws over a base map: one marker per place, each a
//! link with a tooltip, sized by its event count, and labels for the most
//! important places where they overlap nothing.
//!
//! A place outside the frame is drawn as a pointer at the edge, in its
//! direction. Colours come from CSS classes (`map-point`, `map-area`,
//! `map-current`, `map-dim`, `map-edge`) in the site's stylesheet.

use std::fmt::Write as _;

use super::frame::{Point, Projection};
use super::geometry::Rect;
use crate::render::markdown::{escape_html, push_escaped};

/// How a marker relates to the page it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// A place containing the page's place: drawn faintly.
    Dim,
    /// Any other place.
    Normal,
    /// The page's own place: drawn strongest, labelled first.
    Current,
}

/// A place to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// Latitude and longitude.
    pub at: (f64, f64),
    /// The label.
    pub name: String,
    /// The place's page.
    pub href: String,
    /// The tooltip (and the link's accessible name).
    pub title: String,
    /// The events it counts, for its size.
    pub count: usize,
    /// How it relates to the page.
    pub role: Role,
    /// A region's representative point rather than a town's position.
    pub area: bool,
    /// Whether it may get a label (countries are named by the base map).
    pub labelled: bool,
}

impl Marker {
    /// The circle's radius: grows with the square root of the count, so
    /// the area follows the number of events.
    pub fn radius(&self) -> f64 {
        let r = (3.0 + 1.8 * (self.count as f64).sqrt()).min(13.0);
        if self.role == Role::Current {
            r.max(6.0)
        } else {
            r
        }
    }
}

/// Font size of the labels.
const LABEL_SIZE: f64 = 12.0;
/// At most this many labels on one map.
const MAX_LABELS: usize = 40;
/// How far inside the edge the pointers to places outside the frame sit.
const EDGE_INSET: f64 = 14.0;

/// The compass direction (`north-west`) from the middle of the drawing to
/// `p`, for places outside the frame.
pub fn direction(projection: &Projection, p: Point) -> &'static str {
    const NAMES: [&str; 8] = [
        "east",
        "north-east",
        "north",
        "north-west",
        "west",
        "south-west",
        "south",
        "south-east",
    ];
    let angle = (projection.height / 2.0 - p.y).atan2(p.x - projection.width / 2.0);
    let sector = ((angle.to_degrees() + 360.0 + 22.5) / 45.0).floor() as usize % 8;
    NAMES[sector]
}

/// Whether `p` lies inside the drawing.
pub fn visible(projection: &Projection, p: Point) -> bool {
    (0.0..=projection.width).contains(&p.x) && (0.0..=projection.height).contains(&p.y)
}

/// A marker where it is drawn: its centre (moved to the edge when outside
/// the frame) and its radius.
struct Placed<'a> {
    marker: &'a Marker,
    centre: Point,
    radius: f64,
    /// For a place outside the frame, the unit vector towards it.
    pointer: Option<(f64, f64)>,
}

/// The SVG of the markers over the base map at `base_href`; `names` are
/// the base map's country names, which labels keep clear of.
pub fn draw(
    projection: &Projection,
    base_href: &str,
    names: &[Rect],
    markers: &[Marker],
    title: &str,
) -> String {
    let (width, height) = (projection.width, projection.height);
    let mut placed: Vec<Placed> = markers
        .iter()
        .map(|marker| place(projection, marker))
        .collect();
    placed.sort_by(|a, b| {
        a.marker
            .role
            .cmp(&b.marker.role)
            .then(b.radius.total_cmp(&a.radius))
            .then_with(|| (&a.marker.name, &a.marker.href).cmp(&(&b.marker.name, &b.marker.href)))
    });
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         width=\"{width:.0}\" height=\"{height:.0}\" role=\"group\" aria-labelledby=\"map-title\">\
         <title id=\"map-title\">{}</title>\n\
         <image href=\"{}\" width=\"{width:.0}\" height=\"{height:.0}\" aria-hidden=\"true\"/>\n\
         <g class=\"map-markers\">\n",
        escape_html(title),
        escape_html(base_href),
    );
    for p in &placed {
        let m = p.marker;
        out.push_str("<a class=\"map-place");
        out.push_str(match (p.pointer.is_some(), m.area) {
            (true, _) => " map-edge",
            (false, true) => " map-area",
            (false, false) => " map-point",
        });
        out.push_str(match m.role {
            Role::Current => " map-current",
            Role::Dim => " map-dim",
            Role::Normal => "",
        });
        if m.count == 0 {
            out.push_str(" map-empty");
        }
        out.push_str("\" href=\"");
        push_escaped(&mut out, &m.href);
        out.push('"');
        if m.role == Role::Current {
            out.push_str(" aria-current=\"page\"");
        }
        out.push_str("><title>");
        push_escaped(&mut out, &m.title);
        out.push_str("</title>");
        match p.pointer {
            Some((dx, dy)) => {
                // A narrow arrowhead: its tip towards the place.
                let tip = (p.centre.x + dx * 9.0, p.centre.y + dy * 9.0);
                let back = (p.centre.x - dx * 4.0, p.centre.y - dy * 4.0);
                let corners = [
                    ("<path d=\"M", tip.0, tip.1),
                    ("L", back.0 - dy * 4.5, back.1 + dx * 4.5),
                    ("L", back.0 + dy * 4.5, back.1 - dx * 4.5),
                ];
                for (command, x, y) in corners {
                    out.push_str(command);
                    push_tenths(&mut out, x);
                    out.push(' ');
                    push_tenths(&mut out, y);
                }
                out.push_str("z\"/>");
            }
            None => {
                out.push_str("<circle cx=\"");
                push_tenths(&mut out, p.centre.x);
                out.push_str("\" cy=\"");
                push_tenths(&mut out, p.centre.y);
                out.push_str("\" r=\"");
                push_tenths(&mut out, p.radius);
                out.push_str("\"/>");
            }
        }
        out.push_str("</a>\n");
    }
    out.push_str("</g>\n<g class=\"map-labels\" aria-hidden=\"true\">\n");
    for (p, (at, anchor)) in labels(projection, names, &placed) {
        let class = match p.marker.role {
            Role::Current => " class=\"map-label-current\"",
            _ if p.marker.area => " class=\"map-label-area\"",
            _ => "",
        };
        let _ = writeln!(
            out,
            "<a href=\"{}\" tabindex=\"-1\"><text{class} x=\"{:.1}\" y=\"{:.1}\"{}>{}</text></a>",
            escape_html(&p.marker.href),
            at.x,
            at.y,
            match anchor {
                "start" => "",
                "end" => " text-anchor=\"end\"",
                _ => " text-anchor=\"middle\"",
            },
            escape_html(&p.marker.name),
        );
    }
    out.push_str("</g>\n</svg>");
    out
}

/// Writes `value` as `format!("{value:.1}")` does, without the formatter's
/// exact decimal expansion in the usual case (markers are most of an
/// actor page's map, and formatting their numbers was most of drawing
/// them).
///
/// Rounding the tenths in floating point gives the same digit unless the
/// tenths lie within the multiplication's error of a half (its error is
/// below 1e-7 under a billion tenths): those values, and any not finite,
/// go to the formatter.
fn push_tenths(out: &mut String, value: f64) {
    let tenths = value.abs() * 10.0;
    if !tenths.is_finite() || tenths >= 1e9 || (tenths.fract() - 0.5).abs() < 1e-6 {
        let _ = write!(out, "{value:.1}");
        return;
    }
    let tenths = tenths.round() as u64;
    if value.is_sign_negative() {
        out.push('-');
    }
    out.push_str(itoa::Buffer::new().format(tenths / 10));
    out.push('.');
    out.push(char::from(b'0' + (tenths % 10) as u8));
}

/// Where a marker is drawn: at its place, or at the edge pointing to it.
fn place<'a>(projection: &Projection, marker: &'a Marker) -> Placed<'a> {
    let p = projection.project(marker.at.1, marker.at.0);
    let radius = marker.radius();
    if visible(projection, p) {
        return Placed {
            marker,
            centre: p,
            radius,
            pointer: None,
        };
    }
    let (cx, cy) = (projection.width / 2.0, projection.height / 2.0);
    let (dx, dy) = (p.x - cx, p.y - cy);
    let length = dx.hypot(dy).max(1e-9);
    let (ux, uy) = (dx / length, dy / length);
    // How far along the ray the inset rectangle's edge is.
    let reach_x = if ux.abs() > 1e-9 {
        (cx - EDGE_INSET) / ux.abs()
    } else {
        f64::INFINITY
    };
    let reach_y = if uy.abs() > 1e-9 {
        (cy - EDGE_INSET) / uy.abs()
    } else {
        f64::INFINITY
    };
    let reach = reach_x.min(reach_y).max(0.0);
    Placed {
        marker,
        centre: Point {
            x: cx + ux * reach,
            y: cy + uy * reach,
        },
        radius: 7.0,
        pointer: Some((ux, uy)),
    }
}

/// The box of a text of `LABEL_SIZE` with its baseline at `at`.
fn text_box(at: Point, text: &str, anchor: &str) -> Rect {
    let width = text.chars().count() as f64 * LABEL_SIZE * 0.55;
    let left = match anchor {
        "start" => at.x,
        "end" => at.x - width,
        _ => at.x - width / 2.0,
    };
    Rect {
        left,
        right: left + width,
        top: at.y - LABEL_SIZE * 0.85,
        bottom: at.y + LABEL_SIZE * 0.25,
    }
}

/// Labels for the most important markers (the page's place first, then by
/// event count), each beside its marker where it overlaps no marker, name
/// or other label and stays inside the drawing.
fn labels<'p, 'a>(
    projection: &Projection,
    names: &[Rect],
    placed: &'p [Placed<'a>],
) -> Vec<(&'p Placed<'a>, (Point, &'static str))> {
    let view = Rect {
        left: 2.0,
        top: 2.0,
        right: projection.width - 2.0,
        bottom: projection.height - 2.0,
    };
    let circles: Vec<Rect> = placed
        .iter()
        .map(|p| Rect {
            left: p.centre.x - p.radius,
            right: p.centre.x + p.radius,
            top: p.centre.y - p.radius,
            bottom: p.centre.y + p.radius,
        })
        .collect();
    let mut order: Vec<usize> = (0..placed.len())
        .filter(|&i| {
            let p = &placed[i];
            p.marker.labelled || p.marker.role == Role::Current || p.pointer.is_some()
        })
        .collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (placed[a].marker, placed[b].marker);
        (y.role == Role::Current, y.count, &x.name, &x.href).cmp(&(
            x.role == Role::Current,
            x.count,
            &y.name,
            &y.href,
        ))
    });
    let mut taken: Vec<Rect> = names.to_vec();
    let mut out = Vec::new();
    for i in order {
        if out.len() == MAX_LABELS {
            break;
        }
        let p = &placed[i];
        let (c, r) = (p.centre, p.radius);
        let candidates = [
            (
                Point {
                    x: c.x + r + 3.0,
                    y: c.y + 4.0,
                },
                "start",
            ),
            (
                Point {
                    x: c.x - r - 3.0,
                    y: c.y + 4.0,
                },
                "end",
            ),
            (
                Point {
                    x: c.x,
                    y: c.y - r - 4.0,
                },
                "middle",
            ),
            (
                Point {
                    x: c.x,
                    y: c.y + r + 12.0,
                },
                "middle",
            ),
        ];
        let free = candidates.into_iter().find(|&(at, anchor)| {
            let rect = text_box(at, &p.marker.name, anchor);
            view.holds(&rect)
                && !taken.iter().any(|t| t.hits(&rect))
                && !circles
                    .iter()
                    .enumerate()
                    .any(|(j, circle)| j != i && circle.hits(&rect))
        });
        if let Some((at, anchor)) = free {
            taken.push(text_box(at, &p.marker.name, anchor));
            out.push((p, (at, anchor)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::push_tenths;

    fn tenths(value: f64) -> String {
        let mut out = String::new();
        push_tenths(&mut out, value);
        out
    }

    #[test]
    fn numbers_are_written_as_the_formatter_writes_them() {
        let mut values: Vec<f64> = "0 -0 0.04 -0.04 0.05 -0.05 0.25 0.35 0.75 1.25 2.45 1e9 \
             100000000.05 123.456 -987.65 NaN inf -inf 2.2250738585072014e-308"
            .split_whitespace()
            .map(|value| value.parse().unwrap())
            .collect();
        // Quarters and eighths are exact halves of a tenth or near them.
        values.extend((-4000..4000).map(|i| f64::from(i) / 8.0));
        let mut random = crate::testing::Random(0x2545_f491_4f6c_dd1d);
        for _ in 0..100_000 {
            let unit = random.unit();
            values.push((unit - 0.5) * 2000.0);
            values.push(((unit * 20000.0).round() + 0.5) / 10.0);
        }
        for value in values {
            assert_eq!(tenths(value), format!("{value:.1}"), "{value:?}");
        }
    }
}
