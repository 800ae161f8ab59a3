//! Where the nodes of a network go: a force-directed layout for the
//! overview and a ring around one actor for its own page.
//!
//! Both are deterministic: no randomness but a fixed-seed generator, a
//! fixed number of iterations, and the nodes taken in the order given, so
//! the same graph always lands in the same place.

/// A point (or a vector) in the drawing's user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Rightwards.
    pub x: f64,
    /// Downwards.
    pub y: f64,
}

impl Point {
    /// The point at `x`, `y`.
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    /// `self + other * scale`.
    pub fn plus(self, other: Point, scale: f64) -> Point {
        Point::new(self.x + other.x * scale, self.y + other.y * scale)
    }

    /// `self - other`.
    pub fn minus(self, other: Point) -> Point {
        Point::new(self.x - other.x, self.y - other.y)
    }

    /// The length of the vector.
    pub fn length(self) -> f64 {
        self.x.hypot(self.y)
    }

    /// The vector scaled to length 1 (a zero vector points right).
    pub fn unit(self) -> Point {
        let length = self.length();
        if length < 1e-9 {
            Point::new(1.0, 0.0)
        } else {
            Point::new(self.x / length, self.y / length)
        }
    }

    /// The vector turned a quarter to the left (in screen coordinates).
    pub fn normal(self) -> Point {
        Point::new(self.y, -self.x)
    }
}

/// Positions of the nodes and the size of the drawing.
#[derive(Clone, Debug)]
pub struct Layout {
    /// One position per node, in the graph's node order.
    pub positions: Vec<Point>,
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
}

/// How many rounds the force-directed layout runs.
const ITERATIONS: usize = 400;

/// The ideal distance between linked nodes in a big group; small groups
/// get up to two and a half times as much, room for their edges' labels.
const SPACING: f64 = 66.0;

/// Room kept around the nodes, left and right, for their names.
const MARGIN_X: f64 = 90.0;

/// Room kept around the nodes, above and below, for their names.
const MARGIN_Y: f64 = 40.0;

/// Space between two separately laid-out groups.
const GAP: f64 = 60.0;

/// The widest drawing: past this, the layout is scaled down to fit.
const MAX_WIDTH: f64 = 2400.0;

/// A force-directed layout of `count` nodes joined by `edges` (pairs of
/// node indexes). Each connected group is laid out on its own
/// (Fruchterman–Reingold: its nodes start on a circle in the order given,
/// nudged by a fixed-seed generator), then the groups are packed in rows,
/// the biggest first, so no group drifts away from the rest.
pub fn force(count: usize, edges: &[(usize, usize)]) -> Layout {
    let mut pairs: Vec<(usize, usize)> = edges
        .iter()
        .filter(|(a, b)| a != b && *a < count && *b < count)
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut groups: Vec<(Vec<usize>, Vec<Point>)> = components(count, &pairs)
        .into_iter()
        .map(|members| {
            let positions = force_group(&members, &pairs);
            (members, positions)
        })
        .collect();
    groups.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    let mut positions = vec![Point::new(0.0, 0.0); count];
    let (width, height) = pack(&mut groups);
    for (members, placed) in &groups {
        for (&node, &p) in members.iter().zip(placed) {
            positions[node] = p;
        }
    }
    let scale = if width + 2.0 * MARGIN_X > MAX_WIDTH {
        (MAX_WIDTH - 2.0 * MARGIN_X) / width
    } else {
        1.0
    };
    let width = width * scale + 2.0 * MARGIN_X;
    let height = height * scale + 2.0 * MARGIN_Y;
    for p in &mut positions {
        *p = Point::new(MARGIN_X + p.x * scale, MARGIN_Y + p.y * scale);
    }
    Layout {
        positions,
        width: width.ceil(),
        height: height.ceil(),
    }
}

/// The connected groups of nodes, each sorted, in order of their first node.
fn components(count: usize, pairs: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..count).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(a, b) in pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    for node in 0..count {
        let r = root(&mut parent, node);
        groups.entry(r).or_default().push(node);
    }
    groups.into_values().collect()
}

/// Fruchterman–Reingold on one connected group; the result's bounding box
/// starts at the origin.
fn force_group(members: &[usize], pairs: &[(usize, usize)]) -> Vec<Point> {
    let count = members.len();
    let local: std::collections::BTreeMap<usize, usize> =
        members.iter().enumerate().map(|(i, &m)| (m, i)).collect();
    let links: Vec<(usize, usize)> = pairs
        .iter()
        .filter_map(|(a, b)| Some((*local.get(a)?, *local.get(b)?)))
        .collect();
    let k = SPACING * (24.0 / count as f64).sqrt().clamp(1.0, 2.5);
    let mut seed = Seeded(0x5eed_d055_1e55 ^ members.first().copied().unwrap_or(0) as u64);
    let radius = k * (count as f64).sqrt() / 2.0;
    let mut positions: Vec<Point> = (0..count)
        .map(|i| {
            let angle = std::f64::consts::TAU * i as f64 / count as f64;
            Point::new(
                radius * angle.cos() + (seed.next() - 0.5) * k * 0.2,
                radius * angle.sin() + (seed.next() - 0.5) * k * 0.2,
            )
        })
        .collect();
    let start = k * 2.0 + radius / 4.0;
    let mut moves = vec![Point::new(0.0, 0.0); count];
    for round in 0..ITERATIONS {
        let temperature = start * (1.0 - round as f64 / ITERATIONS as f64) + 0.5;
        moves.iter_mut().for_each(|m| *m = Point::new(0.0, 0.0));
        for i in 0..count {
            for j in (i + 1)..count {
                let delta = positions[i].minus(positions[j]);
                let distance = delta.length().max(0.01);
                let push = k * k / distance;
                let direction = delta.unit();
                moves[i] = moves[i].plus(direction, push);
                moves[j] = moves[j].plus(direction, -push);
            }
        }
        for &(a, b) in &links {
            let delta = positions[a].minus(positions[b]);
            let distance = delta.length();
            let pull = distance * distance / k;
            let direction = delta.unit();
            moves[a] = moves[a].plus(direction, -pull);
            moves[b] = moves[b].plus(direction, pull);
        }
        for (position, step) in positions.iter_mut().zip(&moves) {
            // A weak pull to the middle keeps loose branches in.
            let step = step.plus(*position, -0.02 * position.length() / k);
            let length = step.length();
            if length > 0.0 {
                *position = position.plus(step.unit(), length.min(temperature));
            }
        }
    }
    spread(&mut positions, k * 0.6);
    let low = positions
        .iter()
        .fold(Point::new(f64::MAX, f64::MAX), |low, p| {
            Point::new(low.x.min(p.x), low.y.min(p.y))
        });
    positions.iter().map(|p| p.minus(low)).collect()
}

/// Pushes apart nodes nearer than `least`, a few rounds, so no two crowd
/// each other's names.
fn spread(positions: &mut [Point], least: f64) {
    for _ in 0..60 {
        let mut moved = false;
        for i in 0..positions.len() {
            for j in (i + 1)..positions.len() {
                let delta = positions[i].minus(positions[j]);
                let distance = delta.length();
                if distance < least {
                    let push = (least - distance) / 2.0 + 0.01;
                    let direction = delta.unit();
                    positions[i] = positions[i].plus(direction, push);
                    positions[j] = positions[j].plus(direction, -push);
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

/// Packs laid-out groups in rows (the list's order, rows centred), moving
/// their points into place; returns the size of the whole.
fn pack(groups: &mut [(Vec<usize>, Vec<Point>)]) -> (f64, f64) {
    let size = |points: &[Point]| {
        points.iter().fold(Point::new(0.0, 0.0), |high, p| {
            Point::new(high.x.max(p.x), high.y.max(p.y))
        })
    };
    let sizes: Vec<Point> = groups.iter().map(|(_, p)| size(p)).collect();
    let area: f64 = sizes.iter().map(|s| (s.x + GAP) * (s.y + GAP)).sum();
    let widest = sizes.iter().map(|s| s.x).fold(0.0, f64::max);
    let row_limit = widest.max(area.sqrt() * 1.4);
    // Rows as ranges of groups, with their widths and heights.
    let mut rows: Vec<(usize, usize, f64, f64)> = Vec::new();
    for (i, s) in sizes.iter().enumerate() {
        match rows.last_mut() {
            Some(row) if row.2 + GAP + s.x <= row_limit => {
                row.1 = i + 1;
                row.2 += GAP + s.x;
                row.3 = row.3.max(s.y);
            }
            _ => rows.push((i, i + 1, s.x, s.y)),
        }
    }
    let width = rows.iter().map(|r| r.2).fold(0.0, f64::max);
    let mut top = 0.0;
    for &(first, end, row_width, row_height) in &rows {
        let mut left = (width - row_width) / 2.0;
        for i in first..end {
            let offset = Point::new(left, top + (row_height - sizes[i].y) / 2.0);
            for p in &mut groups[i].1 {
                *p = p.plus(offset, 1.0);
            }
            left += sizes[i].x + GAP;
        }
        top += row_height + GAP;
    }
    (width, (top - GAP).max(0.0))
}

/// Room beside the ring for the neighbours' names.
const NAME_ROOM: f64 = 190.0;

/// From how many neighbours an actor's ring is a circle with names written
/// outwards along the radii (fewer: an ellipse with level names).
pub const RADIAL_FROM: usize = 13;

/// One actor in the centre and its `count` neighbours around it, clockwise
/// from the right in the order given; node 0 is the centre. Up to
/// `RADIAL_FROM` neighbours sit on a wide ellipse; more on a circle. The
/// ring reaches at least `reach` to either side (room for the longest edge
/// label) and is big enough to keep neighbours apart.
pub fn ring(count: usize, reach: f64) -> Layout {
    let spread = count as f64 * 36.0 / std::f64::consts::TAU;
    let (rx, ry, room_y) = if count >= RADIAL_FROM {
        let r = spread.max(reach).max(140.0);
        (r, r, NAME_ROOM)
    } else {
        let ry = spread.max(140.0);
        ((ry * 1.45).max(reach).min(ry * 2.2), ry, 48.0)
    };
    let width = (2.0 * (rx + NAME_ROOM)).round();
    let height = (2.0 * (ry + room_y)).round();
    let centre = Point::new(width / 2.0, height / 2.0);
    let mut positions = vec![centre];
    positions.extend((0..count).map(|i| {
        let angle = std::f64::consts::TAU * i as f64 / count as f64;
        Point::new(centre.x + rx * angle.cos(), centre.y + ry * angle.sin())
    }));
    Layout {
        positions,
        width,
        height,
    }
}

/// A small fixed-seed generator (a 64-bit linear congruential one), so the
/// layout's nudges are the same on every build.
struct Seeded(u64);

impl Seeded {
    /// The next number in `[0, 1)`.
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_force_layout_is_the_same_every_time_and_stays_inside() {
        let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (5, 0)];
        let a = force(7, &edges);
        let b = force(7, &edges);
        assert_eq!(a.positions, b.positions);
        for p in &a.positions {
            assert!(
                p.x >= MARGIN_X - 0.01 && p.x <= a.width - MARGIN_X + 0.01,
                "{p:?}"
            );
            assert!(
                p.y >= MARGIN_Y - 0.01 && p.y <= a.height - MARGIN_Y + 0.01,
                "{p:?}"
            );
        }
    }

    #[test]
    fn linked_nodes_end_nearer_than_unlinked_ones() {
        // A chain of 30: neighbours in the chain end nearer than its ends.
        let chain: Vec<(usize, usize)> = (0..29).map(|i| (i, i + 1)).collect();
        let a = force(30, &chain);
        let d = |i: usize, j: usize| a.positions[i].minus(a.positions[j]).length();
        for i in 0..29 {
            assert!(d(i, i + 1) < d(0, 29), "{i}: {:?}", a.positions);
        }
    }

    #[test]
    fn separate_groups_are_packed_apart() {
        let a = force(6, &[(0, 1), (1, 2), (3, 4), (4, 5)]);
        let d = |i: usize, j: usize| a.positions[i].minus(a.positions[j]).length();
        for i in 0..3 {
            for j in 3..6 {
                assert!(d(i, j) >= GAP, "{i} {j}: {:?}", a.positions);
            }
        }
    }

    #[test]
    fn no_two_nodes_share_a_place() {
        let a = force(30, &[]);
        for i in 0..30 {
            for j in (i + 1)..30 {
                assert!(a.positions[i].minus(a.positions[j]).length() > 10.0);
            }
        }
    }

    #[test]
    fn the_ring_puts_the_actor_in_the_centre() {
        let a = ring(4, 0.0);
        assert_eq!(a.positions.len(), 5);
        assert_eq!(a.positions[0], Point::new(a.width / 2.0, a.height / 2.0));
        assert!(a.positions[1].x > a.positions[0].x);
        assert!(a.positions[3].x < a.positions[0].x);
    }
}
