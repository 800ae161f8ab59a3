//! Decoding TopoJSON: shared arcs, quantised and delta-encoded, and the
//! polygons that reference them.
//!
//! A topology stores every border once, as an arc; a polygon is a list of
//! rings, each a list of arc indexes (`~i`, that is `-i - 1`, for arc `i`
//! reversed). With a `transform`, arc positions are integers, each one the
//! difference from the previous position, scaled and translated back to
//! degrees. Only what the map needs is read: the arcs and one collection of
//! (multi)polygons with their `id` and `properties.name`. See
//! <https://github.com/topojson/topojson-specification>.
//!
//! The country outlines compiled into the binary are decoded once, on first
//! use ([`world`]).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

/// The shipped Natural Earth country outlines (see `assets/world-atlas/`).
const COUNTRIES_50M: &str = include_str!("../../../assets/world-atlas/countries-50m.json");

/// A longitude/latitude position in degrees.
pub type LonLat = (f64, f64);

/// A decoded topology: its arcs as absolute positions in degrees.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Topology {
    /// Every arc, first to last position.
    pub arcs: Vec<Vec<LonLat>>,
}

/// A named area of the topology: a polygon or multipolygon.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// The feature's `id` (for countries, the ISO 3166-1 numeric code).
    pub id: String,
    /// `properties.name`, or the id when there is none.
    pub name: String,
    /// Polygons, each a list of rings (exterior first), each a list of arc
    /// references (negative: `!index`, the arc reversed). Every reference
    /// is known to name an existing arc.
    pub polygons: Vec<Vec<Vec<i64>>>,
}

/// The index of the arc a reference names, and whether it is reversed.
pub fn arc_index(reference: i64) -> (usize, bool) {
    if reference < 0 {
        (usize::try_from(!reference).unwrap_or(usize::MAX), true)
    } else {
        (usize::try_from(reference).unwrap_or(usize::MAX), false)
    }
}

/// Joins the arcs of a ring, reversing those referenced as `~i` and
/// dropping the position each arc shares with the one before it.
pub fn stitch<P: Copy>(arcs: &[Vec<P>], references: &[i64]) -> Vec<P> {
    let mut ring: Vec<P> = Vec::new();
    for &reference in references {
        let (index, reversed) = arc_index(reference);
        let Some(arc) = arcs.get(index) else { continue };
        let skip = usize::from(!ring.is_empty());
        if reversed {
            ring.extend(arc.iter().rev().skip(skip).copied());
        } else {
            ring.extend(arc.iter().skip(skip).copied());
        }
    }
    ring
}

/// The country outlines compiled into the binary, decoded on first use;
/// `None` only if the shipped file were broken (a unit test makes sure it
/// is not).
pub fn world() -> Option<&'static (Topology, Vec<Feature>)> {
    static WORLD: OnceLock<Option<(Topology, Vec<Feature>)>> = OnceLock::new();
    WORLD
        .get_or_init(|| decode(COUNTRIES_50M, "countries").ok())
        .as_ref()
}

#[derive(Deserialize)]
struct RawTopology {
    #[serde(rename = "type")]
    kind: String,
    transform: Option<RawTransform>,
    arcs: Vec<Vec<Vec<f64>>>,
    objects: BTreeMap<String, RawGeometry>,
}

#[derive(Deserialize)]
struct RawTransform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    arcs: Value,
    #[serde(default)]
    id: Value,
    #[serde(default)]
    properties: Value,
    #[serde(default)]
    geometries: Vec<RawGeometry>,
}

/// Decodes the (multi)polygons of the object `object` of a TopoJSON text.
/// Other geometry types in the collection (points, lines) are skipped.
pub fn decode(json: &str, object: &str) -> Result<(Topology, Vec<Feature>), String> {
    let raw: RawTopology =
        serde_json::from_str(json).map_err(|e| format!("not a TopoJSON topology: {e}"))?;
    if raw.kind != "Topology" {
        return Err(format!("the type is `{}`, not `Topology`", raw.kind));
    }
    let arcs = raw
        .arcs
        .iter()
        .enumerate()
        .map(|(i, arc)| decode_arc(arc, raw.transform.as_ref()).ok_or(i))
        .collect::<Result<Vec<_>, usize>>()
        .map_err(|i| format!("arc {i} has a position with fewer than two numbers"))?;
    let root = raw
        .objects
        .get(object)
        .ok_or_else(|| format!("the topology has no object `{object}`"))?;
    let mut features = Vec::new();
    collect(root, arcs.len(), &mut features)?;
    Ok((Topology { arcs }, features))
}

/// An arc's positions in degrees: undoes the delta encoding and the
/// quantisation when there is a transform.
fn decode_arc(arc: &[Vec<f64>], transform: Option<&RawTransform>) -> Option<Vec<LonLat>> {
    let mut out = Vec::with_capacity(arc.len());
    let (mut x, mut y) = (0.0, 0.0);
    for position in arc {
        let (&dx, &dy) = (position.first()?, position.get(1)?);
        out.push(match transform {
            Some(t) => {
                x += dx;
                y += dy;
                (
                    x * t.scale[0] + t.translate[0],
                    y * t.scale[1] + t.translate[1],
                )
            }
            None => (dx, dy),
        });
    }
    Some(out)
}

fn collect(geometry: &RawGeometry, arc_count: usize, out: &mut Vec<Feature>) -> Result<(), String> {
    let polygons = match geometry.kind.as_str() {
        "GeometryCollection" => {
            for child in &geometry.geometries {
                collect(child, arc_count, out)?;
            }
            return Ok(());
        }
        "Polygon" => vec![rings(&geometry.arcs)?],
        "MultiPolygon" => geometry
            .arcs
            .as_array()
            .ok_or("a MultiPolygon's `arcs` is not a list")?
            .iter()
            .map(rings)
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Ok(()),
    };
    for &reference in polygons.iter().flatten().flatten() {
        if arc_index(reference).0 >= arc_count {
            return Err(format!(
                "a polygon references arc {reference}, but there are {arc_count} arcs"
            ));
        }
    }
    let id = match &geometry.id {
        Value::String(id) => id.clone(),
        Value::Number(id) => id.to_string(),
        _ => String::new(),
    };
    let name = geometry
        .properties
        .get("name")
        .and_then(Value::as_str)
        .map_or_else(|| id.clone(), str::to_string);
    out.push(Feature { id, name, polygons });
    Ok(())
}

/// A polygon's rings: a list of lists of arc references.
fn rings(value: &Value) -> Result<Vec<Vec<i64>>, String> {
    let not_rings = || "a polygon's `arcs` is not a list of lists of arc indexes".to_string();
    value
        .as_array()
        .ok_or_else(not_rings)?
        .iter()
        .map(|ring| {
            ring.as_array()
                .ok_or_else(not_rings)?
                .iter()
                .map(|r| r.as_i64().ok_or_else(not_rings))
                .collect()
        })
        .collect()
}
