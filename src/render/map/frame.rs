//! What a map shows and how degrees become drawing units.
//!
//! A [`Frame`] is a longitude/latitude box fitted around a set of places
//! with a margin, widened to a pleasant aspect ratio. The projection is
//! equirectangular with the longitudes shrunk by the cosine of the frame's
//! middle latitude: at the scale of a region (the Levant spans a few
//! degrees) distances and shapes stay true to within a few percent, and the
//! arithmetic is trivial and exact to reproduce. It distorts frames that
//! span tens of degrees of latitude, which a regional research site rarely
//! needs.

/// The width of every map, in drawing units (CSS pixels at full size).
pub const WIDTH: f64 = 800.0;

/// A point in drawing units: `x` to the right, `y` down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Across.
    pub x: f64,
    /// Down.
    pub y: f64,
}

/// A longitude/latitude box, in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// The western edge (longitude).
    pub west: f64,
    /// The eastern edge (longitude).
    pub east: f64,
    /// The southern edge (latitude).
    pub south: f64,
    /// The northern edge (latitude).
    pub north: f64,
}

/// The smallest span of latitude a frame shows, in degrees, so that a
/// single place still gets its surroundings.
const MIN_LAT_SPAN: f64 = 6.0;
/// The margin around the places, as a share of their span.
const MARGIN: f64 = 0.12;
/// The smallest margin, in degrees.
const MIN_MARGIN: f64 = 0.8;
/// Height over width: the flattest and the tallest a frame may be.
const ASPECT: (f64, f64) = (0.55, 0.75);
/// How far north and south a frame may reach.
const MAX_LAT: f64 = 84.0;

impl Frame {
    /// The frame around `points` (latitude, longitude), with a margin;
    /// `None` for no points.
    pub fn around(points: &[(f64, f64)]) -> Option<Frame> {
        let first = points.first()?;
        let mut frame = Frame {
            west: first.1,
            east: first.1,
            south: first.0,
            north: first.0,
        };
        for &(lat, lon) in points {
            frame.west = frame.west.min(lon);
            frame.east = frame.east.max(lon);
            frame.south = frame.south.min(lat);
            frame.north = frame.north.max(lat);
        }
        let lon_margin = ((frame.east - frame.west) * MARGIN).max(MIN_MARGIN);
        let lat_margin = ((frame.north - frame.south) * MARGIN).max(MIN_MARGIN);
        frame.west -= lon_margin;
        frame.east += lon_margin;
        frame.south -= lat_margin;
        frame.north += lat_margin;
        frame.widen_lat(MIN_LAT_SPAN);
        let k = frame.shrink();
        let (width, height) = ((frame.east - frame.west) * k, frame.north - frame.south);
        if height < width * ASPECT.0 {
            frame.widen_lat(width * ASPECT.0);
        } else if height > width * ASPECT.1 {
            frame.widen_lon(height / ASPECT.1 / k);
        }
        // Keep within the world (the margins may have crossed its edges).
        frame.widen_lat(0.0);
        frame.widen_lon(0.0);
        Some(frame)
    }

    /// Whether the frame shows the point (latitude, longitude).
    pub fn contains(&self, (lat, lon): (f64, f64)) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }

    /// A short name for the frame, the same for the same frame: for the
    /// file name of its base map.
    pub fn key(&self) -> String {
        let text = format!(
            "{:.4},{:.4},{:.4},{:.4}",
            self.west, self.east, self.south, self.north
        );
        // FNV-1a, 64 bits: stable across runs and platforms.
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{hash:016x}")
    }

    /// How much a degree of longitude is shorter than one of latitude at
    /// the frame's middle latitude.
    fn shrink(&self) -> f64 {
        ((self.south + self.north) / 2.0)
            .to_radians()
            .cos()
            .max(0.1)
    }

    /// Grows the latitude span to at least `span`, about its middle, and
    /// keeps it within the poles' limit.
    fn widen_lat(&mut self, span: f64) {
        let span = span.min(2.0 * MAX_LAT);
        if self.north - self.south < span {
            let middle = (self.north + self.south) / 2.0;
            self.south = middle - span / 2.0;
            self.north = middle + span / 2.0;
        }
        let shift = (self.north - MAX_LAT).max(0.0) - (-MAX_LAT - self.south).max(0.0);
        self.north = (self.north - shift).min(MAX_LAT);
        self.south = (self.south - shift).max(-MAX_LAT);
    }

    /// Grows the longitude span to at least `span`, about its middle, and
    /// keeps it within -180..180.
    fn widen_lon(&mut self, span: f64) {
        let span = span.min(360.0);
        if self.east - self.west < span {
            let middle = (self.east + self.west) / 2.0;
            self.west = middle - span / 2.0;
            self.east = middle + span / 2.0;
        }
        let shift = (self.east - 180.0).max(0.0) - (-180.0 - self.west).max(0.0);
        self.east = (self.east - shift).min(180.0);
        self.west = (self.west - shift).max(-180.0);
    }
}

/// The places worth framing: all of them, except those far from the
/// others (more than four times the median distance from the median
/// point, and at least 6 degrees), which would shrink the region to a
/// corner. Those are drawn as pointers at the map's edge instead.
pub fn core(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let (lat, lon) = (
        median(points.iter().map(|p| p.0)),
        median(points.iter().map(|p| p.1)),
    );
    let k = lat.to_radians().cos().max(0.1);
    let distance = |p: &(f64, f64)| ((p.1 - lon) * k).hypot(p.0 - lat);
    let limit = (4.0 * median(points.iter().map(distance))).max(6.0);
    points
        .iter()
        .filter(|p| distance(p) <= limit)
        .copied()
        .collect()
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Degrees to drawing units for one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    /// The frame drawn.
    pub frame: Frame,
    /// Units per degree of latitude.
    scale: f64,
    /// The cosine correction of longitudes.
    k: f64,
    /// The drawing's width ([`WIDTH`]).
    pub width: f64,
    /// The drawing's height.
    pub height: f64,
}

impl Projection {
    /// The projection of `frame` onto a drawing [`WIDTH`] units wide.
    pub fn new(frame: Frame) -> Projection {
        let k = frame.shrink();
        let scale = WIDTH / ((frame.east - frame.west) * k).max(1e-9);
        Projection {
            frame,
            scale,
            k,
            width: WIDTH,
            height: ((frame.north - frame.south) * scale).round(),
        }
    }

    /// Where a longitude/latitude lands in the drawing.
    pub fn project(&self, lon: f64, lat: f64) -> Point {
        Point {
            x: (lon - self.frame.west) * self.k * self.scale,
            y: (self.frame.north - lat) * self.scale,
        }
    }
}
