//! The closed vocabularies of the content model: kinds of actor, place,
//! source and page, roles, relation types and claim statuses.
//!
//! Each is a serde enum spelled as the content model writes it, so a
//! misspelt value is an error listing the valid ones, and each knows the
//! label a reader sees.

use serde::{Deserialize, Serialize};

/// Declares a vocabulary enum: each variant with its spelling in content
/// files and the label a reader sees.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $id:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $id)] $variant),+
        }

        impl $name {
            /// Every value, in the order the content model lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in content files.
            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id),+
                }
            }

            /// The label a reader sees.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }
        }
    };
}

vocabulary! {
    /// What kind of actor a profile describes.
    ActorKind {
        /// A state.
        State = "state" => "States",
        /// A state's armed forces.
        ArmedForces = "armed-forces" => "Armed forces",
        /// A non-state armed group.
        ArmedGroup = "armed-group" => "Armed groups",
        /// A militia.
        Militia = "militia" => "Militias",
        /// A coalition of forces or states.
        Coalition = "coalition" => "Coalitions",
        /// A government or one of its bodies.
        Government = "government" => "Governments",
        /// Any other organisation.
        Organization = "organization" => "Organisations",
        /// A media outlet.
        Media = "media" => "Media",
        /// A monitor (of casualties, of a conflict).
        Monitor = "monitor" => "Monitors",
        /// A person.
        Person = "person" => "People",
    }
}

vocabulary! {
    /// What kind of place a record describes.
    PlaceKind {
        /// A country.
        Country = "country" => "country",
        /// A region.
        Region = "region" => "region",
        /// A province or governorate.
        Province = "province" => "province",
        /// A district.
        District = "district" => "district",
        /// A city.
        City = "city" => "city",
        /// A town.
        Town = "town" => "town",
        /// A village.
        Village = "village" => "village",
        /// A neighbourhood of a city.
        Neighbourhood = "neighbourhood" => "neighbourhood",
        /// A camp.
        Camp = "camp" => "camp",
        /// A military base.
        Base = "base" => "base",
        /// An airport or airbase.
        Airport = "airport" => "airport",
        /// A prison.
        Prison = "prison" => "prison",
        /// A border crossing.
        Crossing = "crossing" => "crossing",
        /// A zone (deconfliction zone, pocket).
        Zone = "zone" => "zone",
        /// A river.
        River = "river" => "river",
        /// A desert.
        Desert = "desert" => "desert",
    }
}

vocabulary! {
    /// What kind of publication a source is.
    SourceKind {
        /// News reporting.
        News = "news" => "news",
        /// Analysis.
        Analysis = "analysis" => "analysis",
        /// Opinion.
        Opinion = "opinion" => "opinion",
        /// A press briefing.
        PressBriefing = "press-briefing" => "press briefing",
        /// A monitor's report.
        MonitorReport = "monitor-report" => "monitor report",
        /// An official statement.
        OfficialStatement = "official-statement" => "official statement",
        /// Propaganda.
        Propaganda = "propaganda" => "propaganda",
    }
}

vocabulary! {
    /// What a free page is for.
    PageKind {
        /// An analysis across sources.
        Analysis = "analysis" => "Analysis",
        /// About the site.
        About = "about" => "About",
        /// A guide for readers or editors.
        Guide = "guide" => "Guide",
        /// A note.
        Note = "note" => "Note",
    }
}

vocabulary! {
    /// The part an actor plays in an event.
    Role {
        /// Carried it out.
        Perpetrator = "perpetrator" => "perpetrator",
        /// Was its target.
        Target = "target" => "target",
        /// Took part.
        Participant = "participant" => "participant",
        /// Supported a party.
        Supporter = "supporter" => "supporter",
        /// Claimed it.
        Claimant = "claimant" => "claimant",
        /// Observed or reported it.
        Observer = "observer" => "observer",
    }
}

vocabulary! {
    /// How two actors are related, read from the actor that declares it.
    RelationType {
        /// Receives backing from the other.
        BackedBy = "backed-by" => "backed by",
        /// Supports the other.
        Supports = "supports" => "supports",
        /// Allied with the other.
        AlliedWith = "allied-with" => "allied with",
        /// Opposes the other.
        Opposes = "opposes" => "opposes",
        /// Is part of the other.
        PartOf = "part-of" => "part of",
        /// Leads the other.
        Leads = "leads" => "leads",
        /// Is a member of the other.
        MemberOf = "member-of" => "member of",
        /// Affiliated with the other.
        AffiliatedWith = "affiliated-with" => "affiliated with",
    }
}

impl RelationType {
    /// The label seen from the other actor's page (backed by / supports,
    /// part of / has part, leads / led by, member of / has member; the rest
    /// read the same both ways).
    pub fn inverse_label(self) -> &'static str {
        match self {
            RelationType::BackedBy => "supports",
            RelationType::Supports => "backed by",
            RelationType::PartOf => "has part",
            RelationType::Leads => "led by",
            RelationType::MemberOf => "has member",
            other => other.label(),
        }
    }
}

vocabulary! {
    /// How far a claim or casualty figure is established.
    Status {
        /// Only the claimant says so.
        Unverified = "unverified" => "unverified",
        /// Another party contests it.
        Disputed = "disputed" => "disputed",
        /// Independent sources agree.
        Corroborated = "corroborated" => "corroborated",
        /// The site's sources establish it.
        Confirmed = "confirmed" => "confirmed",
        /// The party concerned rejects it.
        Denied = "denied" => "denied",
        /// Withdrawn by the claimant.
        Retracted = "retracted" => "retracted",
    }
}

impl Status {
    /// What the status means, for legends and tooltips.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Unverified => "only the claimant says so",
            Status::Disputed => "another party contests it",
            Status::Corroborated => "independent sources agree",
            Status::Confirmed => "the site's sources establish it",
            Status::Denied => "the party concerned rejects it",
            Status::Retracted => "withdrawn by the claimant",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_written_and_misspellings_list_the_choices() {
        let kind: ActorKind = serde_yaml::from_str("armed-group").unwrap();
        assert_eq!(kind, ActorKind::ArmedGroup);
        assert_eq!(kind.id(), "armed-group");
        let err = serde_yaml::from_str::<Status>("unverfied").unwrap_err();
        assert!(
            err.to_string().contains("expected one of `unverified`"),
            "{err}"
        );
    }

    #[test]
    fn inverse_relations_read_from_the_other_side() {
        assert_eq!(RelationType::BackedBy.inverse_label(), "supports");
        assert_eq!(RelationType::Leads.inverse_label(), "led by");
        assert_eq!(RelationType::Opposes.inverse_label(), "opposes");
    }
}
