//! Plane geometry on projected outlines: simplification to the drawing's
//! scale, clipping to a rectangle, areas, where a label fits inside a
//! shape, and compact SVG path data.

use std::fmt::Write as _;

use super::frame::Point;

/// An axis-aligned rectangle in drawing units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Rect {
    /// Whether two rectangles overlap.
    pub fn hits(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    /// Whether `other` lies wholly inside this rectangle.
    pub fn holds(&self, other: &Rect) -> bool {
        other.left >= self.left
            && other.right <= self.right
            && other.top >= self.top
            && other.bottom <= self.bottom
    }
}

/// Douglas–Peucker: drops the points of a line that lie within
/// `tolerance` of the simplified line. The ends are always kept, so two
/// shapes sharing an arc still share it after simplification.
pub fn simplify(line: &[Point], tolerance: f64) -> Vec<Point> {
    if line.len() < 3 {
        return line.to_vec();
    }
    let mut keep = vec![false; line.len()];
    keep[0] = true;
    keep[line.len() - 1] = true;
    let mut stack = vec![(0, line.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let mut farthest = (0.0, first);
        for (i, &p) in line.iter().enumerate().take(last).skip(first + 1) {
            let d = segment_distance(p, line[first], line[last]);
            if d > farthest.0 {
                farthest = (d, i);
            }
        }
        if farthest.0 > tolerance {
            keep[farthest.1] = true;
            stack.push((first, farthest.1));
            stack.push((farthest.1, last));
        }
    }
    line.iter()
        .zip(keep)
        .filter_map(|(&p, k)| k.then_some(p))
        .collect()
}

/// The distance from `p` to the segment `a`–`b`.
fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length = dx * dx + dy * dy;
    let t = if length > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / length).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.x - a.x - t * dx).hypot(p.y - a.y - t * dy)
}

/// Sutherland–Hodgman: the part of a closed ring inside `rect`. The result
/// may run along the rectangle's edges, so clip to a rectangle a little
/// larger than the drawing to keep those edges out of sight.
pub fn clip(ring: &[Point], rect: &Rect) -> Vec<Point> {
    let mut out = ring.to_vec();
    for edge in [Edge::Left, Edge::Right, Edge::Top, Edge::Bottom] {
        let Some(&last) = out.last() else { break };
        let input = std::mem::take(&mut out);
        let mut previous = last;
        for &p in &input {
            match (edge.keeps(p, rect), edge.keeps(previous, rect)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(edge.cross(previous, p, rect));
                    out.push(p);
                }
                (false, true) => out.push(edge.cross(previous, p, rect)),
                (false, false) => {}
            }
            previous = p;
        }
    }
    out
}

/// One side of a clipping rectangle.
#[derive(Clone, Copy)]
enum Edge {
    Left,
    Right,
    Top,
    Bottom,
}

impl Edge {
    /// Whether `p` is on the rectangle's side of this edge.
    fn keeps(self, p: Point, r: &Rect) -> bool {
        match self {
            Edge::Left => p.x >= r.left,
            Edge::Right => p.x <= r.right,
            Edge::Top => p.y >= r.top,
            Edge::Bottom => p.y <= r.bottom,
        }
    }

    /// Where the segment `a`–`b` crosses this edge.
    fn cross(self, a: Point, b: Point, r: &Rect) -> Point {
        match self {
            Edge::Left => at_x(a, b, r.left),
            Edge::Right => at_x(a, b, r.right),
            Edge::Top => at_y(a, b, r.top),
            Edge::Bottom => at_y(a, b, r.bottom),
        }
    }
}

fn at_x(a: Point, b: Point, x: f64) -> Point {
    let t = if b.x == a.x {
        0.0
    } else {
        (x - a.x) / (b.x - a.x)
    };
    Point {
        x,
        y: a.y + t * (b.y - a.y),
    }
}

fn at_y(a: Point, b: Point, y: f64) -> Point {
    let t = if b.y == a.y {
        0.0
    } else {
        (y - a.y) / (b.y - a.y)
    };
    Point {
        x: a.x + t * (b.x - a.x),
        y,
    }
}

/// The area a closed ring encloses (always positive).
pub fn area(ring: &[Point]) -> f64 {
    let Some(&last) = ring.last() else { return 0.0 };
    let mut previous = last;
    let mut twice = 0.0;
    for &p in ring {
        twice += previous.x * p.y - p.x * previous.y;
        previous = p;
    }
    (twice / 2.0).abs()
}

/// The bounding box of some rings; `None` when they have no point.
pub fn bounds<'a>(rings: impl IntoIterator<Item = &'a Vec<Point>>) -> Option<Rect> {
    let mut points = rings.into_iter().flatten();
    let first = points.next()?;
    let mut rect = Rect {
        left: first.x,
        top: first.y,
        right: first.x,
        bottom: first.y,
    };
    for p in points {
        rect.left = rect.left.min(p.x);
        rect.right = rect.right.max(p.x);
        rect.top = rect.top.min(p.y);
        rect.bottom = rect.bottom.max(p.y);
    }
    Some(rect)
}

/// Where the horizontal line at `y` is inside a shape made of `rings`
/// (even-odd): sorted `(from, to)` spans.
pub fn spans(rings: &[Vec<Point>], y: f64) -> Vec<(f64, f64)> {
    let mut crossings: Vec<f64> = Vec::new();
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut previous = last;
        for &p in ring {
            if (previous.y > y) != (p.y > y) {
                crossings
                    .push(previous.x + (y - previous.y) / (p.y - previous.y) * (p.x - previous.x));
            }
            previous = p;
        }
    }
    crossings.sort_by(f64::total_cmp);
    crossings.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

/// Whether the point is inside a shape made of `rings` (even-odd).
pub fn inside(rings: &[Vec<Point>], p: Point) -> bool {
    spans(rings, p.y)
        .iter()
        .any(|&(from, to)| (from..=to).contains(&p.x))
}

/// Appends a closed ring as compact SVG path data: positions rounded to a
/// tenth of a unit, then relative moves, with repeated positions dropped.
/// Returns false (and writes nothing) when fewer than three positions are
/// left.
pub fn push_ring(out: &mut String, ring: &[Point]) -> bool {
    let mut tenths: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
    for p in ring {
        let q = ((p.x * 10.0).round() as i64, (p.y * 10.0).round() as i64);
        if tenths.last() != Some(&q) {
            tenths.push(q);
        }
    }
    while tenths.len() > 1 && tenths.first() == tenths.last() {
        tenths.pop();
    }
    if tenths.len() < 3 {
        return false;
    }
    let mut previous = tenths[0];
    out.push('M');
    push_number(out, previous.0, false);
    push_number(out, previous.1, true);
    out.push('l');
    for (i, &q) in tenths.iter().enumerate().skip(1) {
        push_number(out, q.0 - previous.0, i > 1);
        push_number(out, q.1 - previous.1, true);
        previous = q;
    }
    out.push('z');
    true
}

/// Writes a number of tenths as a short decimal (`-.5`, `12`, `3.4`),
/// with a space before it when it needs one to stay apart.
fn push_number(out: &mut String, tenths: i64, separate: bool) {
    if separate && tenths >= 0 {
        out.push(' ');
    }
    if tenths < 0 {
        out.push('-');
    }
    let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    match (whole, tenth) {
        (0, 0) => out.push('0'),
        (0, t) => {
            let _ = write!(out, ".{t}");
        }
        (w, 0) => {
            let _ = write!(out, "{w}");
        }
        (w, t) => {
            let _ = write!(out, "{w}.{t}");
        }
    }
}
