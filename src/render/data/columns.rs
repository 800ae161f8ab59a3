//! The columns of `events.csv`: names after ACLED's where they mean the
//! same, what each holds, and how each cell is computed, in one place.

use super::super::{Renderer, routes};
use crate::model::date::Day;
use crate::model::kinds::{PlaceKind, Role};
use crate::model::{Event, Site, place_and_containers};

/// A column of `events.csv`. Every match below is exhaustive, so a new
/// column cannot go undocumented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Id,
    Url,
    Title,
    Date,
    Start,
    End,
    Display,
    Year,
    TimePrecision,
    EventType,
    Actor1,
    AssocActor1,
    Actor2,
    AssocActor2,
    Actors,
    Country,
    Admin1,
    Location,
    Places,
    Latitude,
    Longitude,
    GeoPrecision,
    Source,
    Sources,
    Tags,
    Notes,
}

impl Column {
    /// The columns in file order.
    pub(super) const ALL: [Column; 26] = [
        Column::Id,
        Column::Url,
        Column::Title,
        Column::Date,
        Column::Start,
        Column::End,
        Column::Display,
        Column::Year,
        Column::TimePrecision,
        Column::EventType,
        Column::Actor1,
        Column::AssocActor1,
        Column::Actor2,
        Column::AssocActor2,
        Column::Actors,
        Column::Country,
        Column::Admin1,
        Column::Location,
        Column::Places,
        Column::Latitude,
        Column::Longitude,
        Column::GeoPrecision,
        Column::Source,
        Column::Sources,
        Column::Tags,
        Column::Notes,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Url => "url",
            Column::Title => "title",
            Column::Date => "date",
            Column::Start => "start",
            Column::End => "end",
            Column::Display => "display",
            Column::Year => "year",
            Column::TimePrecision => "time_precision",
            Column::EventType => "event_type",
            Column::Actor1 => "actor1",
            Column::AssocActor1 => "assoc_actor_1",
            Column::Actor2 => "actor2",
            Column::AssocActor2 => "assoc_actor_2",
            Column::Actors => "actors",
            Column::Country => "country",
            Column::Admin1 => "admin1",
            Column::Location => "location",
            Column::Places => "places",
            Column::Latitude => "latitude",
            Column::Longitude => "longitude",
            Column::GeoPrecision => "geo_precision",
            Column::Source => "source",
            Column::Sources => "sources",
            Column::Tags => "tags",
            Column::Notes => "notes",
        }
    }

    pub(super) fn acled(self) -> Option<&'static str> {
        match self {
            Column::Id => Some("event_id_cnty"),
            Column::Start => Some("event_date"),
            Column::Year => Some("year"),
            Column::TimePrecision => Some("time_precision"),
            Column::EventType => Some("event_type"),
            Column::Actor1 => Some("actor1"),
            Column::AssocActor1 => Some("assoc_actor_1"),
            Column::Actor2 => Some("actor2"),
            Column::AssocActor2 => Some("assoc_actor_2"),
            Column::Country => Some("country"),
            Column::Admin1 => Some("admin1"),
            Column::Location => Some("location"),
            Column::Latitude => Some("latitude"),
            Column::Longitude => Some("longitude"),
            Column::GeoPrecision => Some("geo_precision"),
            Column::Source => Some("source"),
            Column::Tags => Some("tags"),
            Column::Notes => Some("notes"),
            Column::Url
            | Column::Title
            | Column::Date
            | Column::End
            | Column::Display
            | Column::Actors
            | Column::Places
            | Column::Sources => None,
        }
    }

    pub(super) fn meaning(self) -> &'static str {
        match self {
            Column::Id => "The event's id.",
            Column::Url => "The address of the event's page.",
            Column::Title => "The title.",
            Column::Date => "The date as written (EDTF).",
            Column::Start => {
                "The first day the date can cover, YYYY-MM-DD (empty for an open start)."
            }
            Column::End => "The last day the date can cover, YYYY-MM-DD (empty for an open end).",
            Column::Display => "The date as readers see it.",
            Column::Year => "The year the timeline files the event under (the start's year).",
            Column::TimePrecision => {
                "As ACLED: 1 the day is known; 2 the date spans two to seven days; 3 a longer span, a month or coarser, or an open end."
            }
            Column::EventType => "The event type's id (the site's own types, not ACLED's).",
            Column::Actor1 => "The first perpetrator's name.",
            Column::AssocActor1 => "The other perpetrators' and the supporters' names.",
            Column::Actor2 => "The first target's name.",
            Column::AssocActor2 => "The other targets' names.",
            Column::Actors => {
                "Every actor as id:role (role empty when none is given), in the order written."
            }
            Column::Country => {
                "The country containing the first place (following within), by name."
            }
            Column::Admin1 => {
                "The province containing the first place (following within), by name."
            }
            Column::Location => "The first place's name.",
            Column::Places => "Every place's id.",
            Column::Latitude => {
                "The first place's latitude, or that of the nearest place containing it that has one."
            }
            Column::Longitude => "The longitude from the same place as latitude.",
            Column::GeoPrecision => {
                "1 the coordinates are the first place's own; 2 they are a containing place's; empty when there are none."
            }
            Column::Source => "The cited sources' publishers.",
            Column::Sources => "The cited sources' ids.",
            Column::Tags => "The tags.",
            Column::Notes => "The summary, in Markdown as written.",
        }
    }

    /// This column's cell for event `e`.
    fn value(self, r: &Renderer, e: usize) -> String {
        let site = r.site;
        let event = &site.events[e];
        let names = |role: Role| -> Vec<&str> {
            event
                .actors
                .iter()
                .filter(|(_, given)| *given == Some(role))
                .map(|&(a, _)| site.actors[a].name.as_str())
                .collect()
        };
        let day = |d: Option<Day>| d.map(|d| d.iso()).unwrap_or_default();
        let coordinates = located(site, event);
        match self {
            Column::Id => event.id.clone(),
            Column::Url => r.routes.canonical(&routes::event(&event.id)),
            Column::Title => event.title.clone(),
            Column::Date => event.date.as_written().to_string(),
            Column::Start => day(event.date.start()),
            Column::End => day(event.date.end()),
            Column::Display => event.date.display(),
            Column::Year => event.date.year().map(|y| y.to_string()).unwrap_or_default(),
            Column::TimePrecision => time_precision(event).to_string(),
            Column::EventType => event.kind.clone(),
            Column::Actor1 => names(Role::Perpetrator)
                .first()
                .map_or("", |n| n)
                .to_string(),
            Column::AssocActor1 => {
                let perpetrators = names(Role::Perpetrator);
                let rest = perpetrators.iter().skip(1).copied();
                list(rest.chain(names(Role::Supporter)))
            }
            Column::Actor2 => names(Role::Target).first().map_or("", |n| n).to_string(),
            Column::AssocActor2 => list(names(Role::Target).into_iter().skip(1)),
            Column::Actors => list(event.actors.iter().map(|&(a, role)| {
                format!("{}:{}", site.actors[a].id, role.map_or("", |r| r.id()))
            })),
            Column::Country => containing(site, event, PlaceKind::Country),
            Column::Admin1 => containing(site, event, PlaceKind::Province),
            Column::Location => event
                .places
                .first()
                .map(|&p| site.places[p].name.clone())
                .unwrap_or_default(),
            Column::Places => list(event.places.iter().map(|&p| &site.places[p].id)),
            Column::Latitude => coordinates
                .map(|(lat, _, _)| lat.to_string())
                .unwrap_or_default(),
            Column::Longitude => coordinates
                .map(|(_, lon, _)| lon.to_string())
                .unwrap_or_default(),
            Column::GeoPrecision => coordinates
                .map(|(_, _, p)| p.to_string())
                .unwrap_or_default(),
            Column::Source => {
                let mut publishers: Vec<&str> = Vec::new();
                for c in &event.sources {
                    let publisher = site.sources[c.source].publisher.as_str();
                    if !publishers.contains(&publisher) {
                        publishers.push(publisher);
                    }
                }
                list(publishers)
            }
            Column::Sources => {
                let mut ids: Vec<&str> = Vec::new();
                for c in &event.sources {
                    let id = site.sources[c.source].id.as_str();
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                list(ids)
            }
            Column::Tags => list(&event.tags),
            Column::Notes => event.summary.to_string(),
        }
    }
}

/// `events.csv`: a header of [`Column::ALL`] and a row per event.
pub(super) fn events_csv(r: &Renderer, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let rows = std::iter::once(Column::ALL.iter().map(|c| c.name().to_string()).collect()).chain(
        (0..r.site.events.len()).map(|e| {
            Column::ALL
                .iter()
                .map(|c| c.value(r, e))
                .collect::<Vec<String>>()
        }),
    );
    for row in rows {
        writer.write_record(&row)?;
    }
    writer.flush()
}

/// A list cell: the items joined by "; ".
fn list<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.as_ref().to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// ACLED's time precision: 1 a day, 2 up to a week, 3 anything longer.
fn time_precision(event: &Event) -> u8 {
    match (event.date.start(), event.date.end()) {
        (Some(start), Some(end)) => match day_number(end) - day_number(start) {
            0 => 1,
            1..=6 => 2,
            _ => 3,
        },
        _ => 3,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard
/// Hinnant's `days_from_civil`).
fn day_number(day: Day) -> i64 {
    let month = i64::from(day.month);
    let year = i64::from(day.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + i64::from(day.day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The places from the event's first place outwards along `within`.
fn place_chain(site: &Site, event: &Event) -> Vec<usize> {
    event.places.first().map_or_else(Vec::new, |&p| {
        place_and_containers(&site.places, p).collect()
    })
}

/// The name of the first place of `kind` containing (or being) the
/// event's first place.
fn containing(site: &Site, event: &Event, kind: PlaceKind) -> String {
    place_chain(site, event)
        .into_iter()
        .find(|&p| site.places[p].kind == Some(kind))
        .map(|p| site.places[p].name.clone())
        .unwrap_or_default()
}

/// Latitude, longitude and geo precision (1 own, 2 a containing place's).
fn located(site: &Site, event: &Event) -> Option<(f64, f64, u8)> {
    place_chain(site, event)
        .into_iter()
        .enumerate()
        .find_map(|(step, p)| {
            site.places[p]
                .coordinates
                .map(|(lat, lon)| (lat, lon, if step == 0 { 1 } else { 2 }))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_from_the_unix_epoch() {
        let day = |year, month, day| day_number(Day { year, month, day });
        assert_eq!(day(1970, 1, 1), 0);
        assert_eq!(day(2018, 2, 7) - day(2018, 1, 31), 7);
        assert_eq!(day(2000, 3, 1) - day(2000, 2, 28), 2);
        assert_eq!(day(1900, 3, 1) - day(1900, 2, 28), 1);
    }

    #[test]
    fn every_column_has_a_unique_name_and_a_meaning() {
        let mut names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
        assert!(Column::ALL.iter().all(|c| !c.meaning().is_empty()));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Column::ALL.len());
    }
}
