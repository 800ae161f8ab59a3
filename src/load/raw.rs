//! Serde mirrors of the content files: what an editor wrote, with references
//! still plain strings.
//!
//! Every struct denies unknown fields, so a misspelt field name is an error
//! that names it. `resolve` turns these into the typed model.

use serde::Deserialize;

use crate::model::kinds::{ActorKind, PageKind, PlaceKind, RelationType, Role, SourceKind, Status};

/// A date as written: YAML reads `2018` as a number and `[a..b]` as a list,
/// so both are accepted and turned back into EDTF text.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawDate {
    /// The usual case: text.
    Text(String),
    /// A bare year that YAML read as a number.
    Year(i64),
    /// `[2018-01..2018-04]` or `[2018-01, 2018-03]` written without quotes.
    Set(Vec<RawDateItem>),
}

/// One member of an unquoted EDTF set.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawDateItem {
    /// Text such as `2018-01..2018-04`.
    Text(String),
    /// A bare year.
    Year(i64),
}

impl RawDate {
    /// The EDTF text this value stands for.
    pub fn to_edtf_text(&self) -> String {
        fn item(item: &RawDateItem) -> String {
            match item {
                RawDateItem::Text(text) => text.clone(),
                RawDateItem::Year(year) => year.to_string(),
            }
        }
        match self {
            RawDate::Text(text) => text.clone(),
            RawDate::Year(year) => year.to_string(),
            RawDate::Set(items) => {
                let inner: Vec<String> = items.iter().map(item).collect();
                format!("[{}]", inner.join(","))
            }
        }
    }
}

/// One value or a list of them (`by: sana` or `by: [sana, pmf]`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// A list.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values as a list.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(value) => vec![value],
            OneOrMany::Many(values) => values,
        }
    }
}

/// A citation: a source id alone, or `{source, loc, quote}`.
#[derive(Clone, Debug, PartialEq)]
pub enum RawCitation {
    /// Just the source id.
    Id(String),
    /// The source with a locator and a quote.
    Full(RawCitationFull),
}

impl<'de> Deserialize<'de> for RawCitation {
    /// Hand-written rather than `untagged` so that a mistake inside the
    /// mapping form (`lok: para 3`) is reported by name, not as "no variant
    /// matched".
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CitationVisitor;
        impl<'de> serde::de::Visitor<'de> for CitationVisitor {
            type Value = RawCitation;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a source id or a mapping with `source`, `loc` and `quote`")
            }
            fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<RawCitation, E> {
                Ok(RawCitation::Id(id.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawCitation, A::Error> {
                RawCitationFull::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawCitation::Full)
            }
        }
        deserializer.deserialize_any(CitationVisitor)
    }
}

/// The mapping form of a citation.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCitationFull {
    /// The source id.
    pub source: String,
    /// Where in the source (e.g. `para 17`).
    pub loc: Option<String>,
    /// A short verbatim quote.
    pub quote: Option<String>,
}

/// `content/index.md` and `content/pages/*.md` front matter.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    /// Overrides the file stem.
    pub id: Option<String>,
    /// The page title.
    pub title: String,
    /// A one-line description for lists and meta tags.
    pub description: Option<String>,
    /// When the page was written.
    pub date: Option<RawDate>,
    /// What the page is for.
    pub kind: Option<PageKind>,
    /// Position in menus.
    pub order: Option<i64>,
}

/// `content/sources/*.md` front matter.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Overrides the file stem.
    pub id: Option<String>,
    /// The title.
    pub title: String,
    /// The outlet.
    pub publisher: String,
    /// The outlet's home page.
    pub publisher_url: Option<String>,
    /// The author(s).
    pub author: Option<String>,
    /// When it was published.
    pub published: Option<RawDate>,
    /// How the date was found.
    pub date_note: Option<String>,
    /// The article's own address.
    pub url: Option<String>,
    /// A web-archive copy.
    pub archive_url: Option<String>,
    /// When it was read.
    pub accessed: Option<RawDate>,
    /// What kind of publication.
    pub kind: Option<SourceKind>,
    /// Its language.
    pub language: Option<String>,
    /// Admiralty-scale reliability of the outlet (A–F).
    pub reliability: Option<String>,
    /// Why that reliability.
    pub reliability_note: Option<String>,
}

/// A relation in an actor's front matter.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelation {
    /// How the actors are related.
    #[serde(rename = "type")]
    pub kind: RelationType,
    /// The other actor's id.
    pub actor: String,
    /// Since when.
    pub from: Option<RawDate>,
    /// Until when.
    pub to: Option<RawDate>,
    /// The citations.
    pub cite: Option<OneOrMany<RawCitation>>,
    /// A remark.
    pub note: Option<String>,
}

/// `content/actors/*.md` front matter.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    /// Overrides the file stem.
    pub id: Option<String>,
    /// The full name.
    pub name: String,
    /// A short label.
    pub short: Option<String>,
    /// Other names and spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What kind of actor.
    pub kind: Option<ActorKind>,
    /// One line.
    pub description: Option<String>,
    /// Relations to other actors.
    #[serde(default)]
    pub relations: Vec<RawRelation>,
}

/// `content/places/*.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlace {
    /// Overrides the file stem (required in list files).
    pub id: Option<String>,
    /// The name.
    pub name: String,
    /// Other names and spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What kind of place.
    pub kind: Option<PlaceKind>,
    /// The main containing place's id.
    pub within: Option<String>,
    /// Latitude, WGS84 degrees.
    pub lat: Option<f64>,
    /// Longitude, WGS84 degrees.
    pub lon: Option<f64>,
    /// A line or two.
    pub description: Option<String>,
}

/// An actor and its role in an event.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActorRole {
    /// The actor's id.
    pub actor: String,
    /// Its role.
    pub role: Option<Role>,
}

/// A claim in an event.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    /// Optional id, unique within the event, for `answers`.
    pub id: Option<String>,
    /// The claimant(s).
    pub by: OneOrMany<String>,
    /// What is claimed (Markdown).
    pub text: String,
    /// How far it is established.
    pub status: Status,
    /// The citations.
    pub cite: OneOrMany<RawCitation>,
    /// The claim this one answers, denies or revises.
    pub answers: Option<String>,
    /// Who relayed it.
    #[serde(default)]
    pub via: Vec<String>,
}

/// A casualty count: a number or a range.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawFigure {
    /// An exact number.
    Exact(u64),
    /// A range with an optional best estimate.
    Range(RawRange),
}

/// `{low, best, high}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// At least.
    pub low: Option<u64>,
    /// Best estimate.
    pub best: Option<u64>,
    /// At most.
    pub high: Option<u64>,
}

/// A casualty figure in an event.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCasualty {
    /// Who the figure counts.
    pub group: String,
    /// Killed.
    pub killed: Option<RawFigure>,
    /// Wounded.
    pub wounded: Option<RawFigure>,
    /// Captured (surrenders count here).
    pub captured: Option<RawFigure>,
    /// The source's own wording.
    pub as_stated: Option<String>,
    /// Who gives the figure.
    pub by: Option<OneOrMany<String>>,
    /// How far it is established.
    pub status: Status,
    /// The citations.
    pub cite: OneOrMany<RawCitation>,
}

/// `content/events/**/*.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    /// Overrides the file stem (required in list files).
    pub id: Option<String>,
    /// The title.
    pub title: String,
    /// When.
    pub date: RawDate,
    /// How the date was found.
    pub date_note: Option<String>,
    /// One of site.yaml's event types.
    #[serde(rename = "type")]
    pub kind: String,
    /// Place ids.
    #[serde(default)]
    pub places: Vec<String>,
    /// Actors with roles.
    #[serde(default)]
    pub actors: Vec<RawActorRole>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Markdown summary, shared with the resolved event (it is most of an
    /// event's bytes, and a site holds both).
    pub summary: std::sync::Arc<str>,
    /// Citations (at least one).
    pub sources: Vec<RawCitation>,
    /// Who claims what.
    #[serde(default)]
    pub claims: Vec<RawClaim>,
    /// Casualty figures.
    #[serde(default)]
    pub casualties: Vec<RawCasualty>,
    /// Related event ids.
    #[serde(default)]
    pub related: Vec<String>,
}
