//! An event's page: date, places, actors, summary, claims, casualty
//! figures side by side, related events.

use serde::Serialize;
use tera::Context;

use super::*;

#[derive(Serialize)]
struct ActorRole<'a> {
    actor: Link<'a>,
    role: Option<&'static str>,
}

#[derive(Serialize)]
struct ClaimView<'a> {
    anchor: String,
    by: Vec<Link<'a>>,
    via: Vec<Link<'a>>,
    text: String,
    status: StatusView,
    cites: String,
    answers: Option<Answer<'a>>,
    answered_by: Vec<Answer<'a>>,
}

#[derive(Serialize)]
struct Answer<'a> {
    anchor: String,
    by: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct CasualtyView<'a> {
    group: &'a str,
    killed: Option<String>,
    wounded: Option<String>,
    captured: Option<String>,
    as_stated: Option<&'a str>,
    by: Vec<Link<'a>>,
    status: StatusView,
    cites: String,
}

/// To templates, the event's list-entry fields and its page's side by
/// side.
struct EventView<'a> {
    item: EventItem<'a>,
    date_note: Option<&'a str>,
    type_href: String,
    actors: Vec<ActorRole<'a>>,
    tags: Vec<Link<'a>>,
    summary: String,
    sources: String,
    claims: Vec<ClaimView<'a>>,
    casualties: Vec<CasualtyView<'a>>,
    related: Vec<String>,
}

// By hand rather than with `#[serde(flatten)]`, which makes serde write
// a map of unknown length, slower for Tera to take in (see `NoteView`).
impl Serialize for EventView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let item = &self.item;
        let mut s = serializer.serialize_struct("EventView", 20)?;
        s.serialize_field("id", item.id)?;
        s.serialize_field("href", &item.href)?;
        s.serialize_field("title", item.title)?;
        s.serialize_field("date", &item.date)?;
        s.serialize_field("type_id", item.type_id)?;
        s.serialize_field("type_label", item.type_label)?;
        s.serialize_field("places", &item.places)?;
        s.serialize_field("month_key", &item.month_key)?;
        s.serialize_field("month_label", &item.month_label)?;
        s.serialize_field("year", &item.year)?;
        s.serialize_field("date_note", &self.date_note)?;
        s.serialize_field("type_href", &self.type_href)?;
        s.serialize_field("actors", &self.actors)?;
        s.serialize_field("tags", &self.tags)?;
        s.serialize_field("summary", &self.summary)?;
        s.serialize_field("sources", &self.sources)?;
        s.serialize_field("claims", &self.claims)?;
        s.serialize_field("casualties", &self.casualties)?;
        s.serialize_field("related", &self.related)?;
        s.end()
    }
}

pub(super) fn event<'a>(
    r: &Renderer<'a>,
    e: usize,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let event = &site.events[e];
    let summary = r.markdown(&event.summary, notes);
    let sources = r.markers(&event.sources, notes);
    let links = |actors: &[usize]| actors.iter().map(|&a| r.actor_link(a)).collect::<Vec<_>>();
    let answered = &site.indexes.answers[e];
    let claims = event
        .claims
        .iter()
        .enumerate()
        .map(|(i, claim)| ClaimView {
            anchor: claim_anchor(i),
            by: links(&claim.by),
            via: links(&claim.via),
            text: r.markdown_inline(&claim.text, notes),
            status: StatusView::of(claim.status),
            cites: r.markers(&claim.cites, notes),
            answers: claim.answers.map(|t| Answer {
                anchor: claim_anchor(t),
                by: links(&event.claims[t].by),
            }),
            answered_by: answered
                .iter()
                .find(|(target, _)| *target == i)
                .map(|(_, by)| {
                    by.iter()
                        .map(|&a| Answer {
                            anchor: claim_anchor(a),
                            by: links(&event.claims[a].by),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let mut order: Vec<usize> = (0..event.casualties.len()).collect();
    order.sort_by(|&a, &b| {
        event.casualties[a]
            .group
            .cmp(&event.casualties[b].group)
            .then(a.cmp(&b))
    });
    let casualties = order
        .into_iter()
        .map(|i| {
            let figure = &event.casualties[i];
            CasualtyView {
                group: &figure.group,
                killed: figure.killed.map(|f| f.display()),
                wounded: figure.wounded.map(|f| f.display()),
                captured: figure.captured.map(|f| f.display()),
                as_stated: figure.as_stated.as_deref(),
                by: links(&figure.by),
                status: StatusView::of(figure.status),
                cites: r.markers(&figure.cites, notes),
            }
        })
        .collect();
    let view = EventView {
        item: r.event_item(e),
        date_note: event.date_note.as_deref(),
        type_href: format!(
            "{}?type={}",
            r.routes.link(&routes::index("timeline")),
            event.kind
        ),
        actors: event
            .actors
            .iter()
            .map(|&(a, role)| ActorRole {
                actor: r.actor_link(a),
                role: role.map(|x| x.label()),
            })
            .collect(),
        tags: event.tags.iter().map(|t| r.tag_link(t)).collect(),
        summary,
        sources,
        claims,
        casualties,
        related: r.event_entries(site.indexes.related[e].iter().copied()),
    };
    c.insert("event", &view);
    let description = format!(
        "{}: {}",
        event.date.display(),
        plain_excerpt(&event.summary)
    );
    let route = routes::event(&event.id);
    let mut crumbs = vec![("Timeline", routes::index("timeline"))];
    if let Some(year) = event.date.year() {
        crumbs.push(("year", routes::year(year)));
    }
    let mut meta = meta(
        r,
        &route,
        event.title.clone(),
        Some(&description),
        "timeline",
        crumbs,
    );
    if let (Some(crumb), Some(year)) = (meta.crumbs.get_mut(1), event.date.year()) {
        crumb.label = year.to_string();
    }
    (route, "event.html", meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of a list entry reaches the event page's template too,
    /// and the page's own fields besides.
    #[test]
    fn the_event_view_has_every_field_of_the_list_entry() {
        let date: crate::model::date::Edtf = "2018-05".parse().unwrap();
        let item = EventItem {
            id: "e",
            href: "/events/e/".into(),
            title: "E",
            date: DateView::of(&date),
            type_id: "attack",
            type_label: "Attack",
            places: Vec::new(),
            month_key: "2018-05".into(),
            month_label: "May 2018".into(),
            year: Some(2018),
        };
        let keys = |value: serde_json::Value| -> Vec<String> {
            value.as_object().unwrap().keys().cloned().collect()
        };
        let item_keys = keys(serde_json::to_value(&item).unwrap());
        let view = EventView {
            item,
            date_note: None,
            type_href: String::new(),
            actors: Vec::new(),
            tags: Vec::new(),
            summary: String::new(),
            sources: String::new(),
            claims: Vec::new(),
            casualties: Vec::new(),
            related: Vec::new(),
        };
        let view_keys = keys(serde_json::to_value(&view).unwrap());
        for key in &item_keys {
            assert!(view_keys.contains(key), "{key} is missing");
        }
        assert_eq!(view_keys.len(), item_keys.len() + 9);
    }
}
