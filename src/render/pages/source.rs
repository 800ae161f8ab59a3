//! A source's page with everything that cites it, and the bibliography.

use serde::Serialize;
use tera::Context;

use super::*;

#[derive(Serialize)]
struct SourceView<'a> {
    id: &'a str,
    title: &'a str,
    publisher: &'a str,
    publisher_url: Option<&'a str>,
    author: Option<&'a str>,
    published: Option<DateView<'a>>,
    date_note: Option<&'a str>,
    url: Option<&'a str>,
    archive_url: Option<&'a str>,
    accessed: Option<DateView<'a>>,
    kind: Option<&'static str>,
    language: Option<&'a str>,
    reliability: Option<String>,
    reliability_note: Option<&'a str>,
    body: String,
    cited_by: CitedBy<'a>,
}

#[derive(Serialize, Default)]
struct CitedBy<'a> {
    /// Its entries ([`Renderer::event_entry`]).
    events: Vec<String>,
    claims: Vec<StatementView<'a>>,
    relations: Vec<CitingRelation<'a>>,
    actors: Vec<Link<'a>>,
    pages: Vec<Link<'a>>,
    sources: Vec<Link<'a>>,
    total: usize,
}

#[derive(Serialize)]
struct CitingRelation<'a> {
    subject: Link<'a>,
    label: &'static str,
    object: Link<'a>,
}

fn cited_by<'a>(r: &Renderer<'a>, s: usize) -> CitedBy<'a> {
    let site = r.site;
    let mut out = CitedBy::default();
    let mut events = Vec::new();
    for citer in &site.indexes.cited_by[s] {
        match *citer {
            Citer::Event(e) => events.push(e),
            Citer::Claim(e, i) => {
                let claim = &site.events[e].claims[i];
                let link = r.event_link(e);
                out.claims.push(StatementView {
                    href: format!("{}#{}", link.href, claim_anchor(i)),
                    event: link,
                    date: r.event_date(e),
                    text: crate::render::markdown::escape_html(&claim_plain(site, claim)),
                    status: StatusView::of(claim.status),
                });
            }
            Citer::Casualty(e, i) => {
                let figure = &site.events[e].casualties[i];
                let link = r.event_link(e);
                out.claims.push(StatementView {
                    href: format!("{}#casualties", link.href),
                    event: link,
                    date: r.event_date(e),
                    text: crate::render::markdown::escape_html(&format!(
                        "Casualty figure: {}",
                        figure.group
                    )),
                    status: StatusView::of(figure.status),
                });
            }
            Citer::Relation(x) => {
                let relation = &site.relations[x];
                out.relations.push(CitingRelation {
                    subject: r.actor_link(relation.subject),
                    label: relation.kind.label(),
                    object: r.actor_link(relation.object),
                });
            }
            Citer::Actor(a) => out.actors.push(r.actor_link(a)),
            Citer::Page(p) => out.pages.push(Link {
                href: r.routes.link(&routes::page(&site.pages[p].id)),
                name: &site.pages[p].title,
            }),
            Citer::Home => out.pages.push(Link {
                href: r.routes.link(&routes::home()),
                name: "Home",
            }),
            Citer::Source(x) if x != s => out.sources.push(r.source_link(x)),
            Citer::Source(_) => {}
        }
    }
    events.dedup();
    out.events = r.event_entries(events.into_iter());
    out.total = out.events.len()
        + out.claims.len()
        + out.relations.len()
        + out.actors.len()
        + out.pages.len()
        + out.sources.len();
    out
}

pub(super) fn source<'a>(
    r: &Renderer<'a>,
    s: usize,
    c: &mut Context,
    notes: &mut Notes,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let source = &site.sources[s];
    let view = SourceView {
        id: &source.id,
        title: &source.title,
        publisher: &source.publisher,
        publisher_url: source.publisher_url.as_deref(),
        author: source.author.as_deref(),
        published: source.published.as_ref().map(DateView::of),
        date_note: source.date_note.as_deref(),
        url: source.url.as_deref(),
        archive_url: source.archive_url.as_deref(),
        accessed: source.accessed.as_ref().map(DateView::of),
        kind: source.kind.map(|k| k.label()),
        language: source.language.as_deref(),
        reliability: source.reliability.map(String::from),
        reliability_note: source.reliability_note.as_deref(),
        body: r.markdown(&source.body, notes),
        cited_by: cited_by(r, s),
    };
    c.insert("source", &view);
    c.insert("cite", &crate::render::cite::view(r, s));
    let route = routes::source(&source.id);
    let description = format!(
        "{} ({}): summary and everything that cites it.",
        source.title, source.publisher
    );
    let meta = meta(
        r,
        &route,
        source.title.clone(),
        Some(&description),
        "sources",
        vec![("Sources", routes::index("sources"))],
    );
    (route, "source.html", meta)
}

pub(super) fn sources<'a>(
    r: &Renderer<'a>,
    page: usize,
    c: &mut Context,
) -> (String, &'static str, PageMeta) {
    let site = r.site;
    let listed = &site.indexes.sources_listed;
    let publisher = |at: usize| site.sources[listed[at]].publisher.as_str();
    let pager = pager(r, "sources", page, listed.len(), publisher);
    let items: Vec<EntityItem> = listed[on_page(page, listed.len())]
        .iter()
        .map(|&s| {
            let source = &site.sources[s];
            let mut detail = source.publisher.clone();
            if let Some(author) = &source.author {
                detail = format!("{author}. {detail}");
            }
            if let Some(date) = &source.published {
                detail.push_str(&format!(", {}", date.display()));
            }
            EntityItem {
                link: r.source_link(s),
                description: None,
                detail: Some(detail),
                count: site.indexes.cited_by[s].len(),
            }
        })
        .collect();
    c.insert("items", &items);
    let route = routes::list_page("sources", page);
    let meta = meta(
        r,
        &route,
        list_title("Sources", &pager),
        Some("The bibliography: every source the site cites."),
        "sources",
        list_crumbs("Sources", "sources", page),
    );
    c.insert("pager", &pager);
    (route, "sources.html", meta)
}
