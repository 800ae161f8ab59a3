//! The one place URLs and output paths are made.
//!
//! Every page has a route: its URL path relative to the site root (e.g.
//! `events/hajin-offensive/`), from which both the link (base path + route)
//! and the output file (route + `index.html`) follow. Ids are validated
//! before they reach here, so a route never leaves the output folder.
//!
//! Routes and links are joined with `concat`, which sizes the string once:
//! a build of 10,000 events makes over a million links, and `format!` spent
//! about 650 instructions on each, most of them growing its string.

use std::path::PathBuf;

/// Builds links for a site published under `base_path` (e.g. `/repo/`).
#[derive(Clone, Debug)]
pub struct Routes {
    base_path: String,
    base_url: String,
}

impl Routes {
    /// Routes for a site at `base_url` (absolute or a path) whose path is
    /// `base_path`; both end with `/`.
    pub fn new(base_url: &str, base_path: &str) -> Routes {
        Routes {
            base_path: base_path.to_string(),
            base_url: base_url.to_string(),
        }
    }

    /// The base path, e.g. `/` or `/repo/`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// A site-absolute link for a route: `/repo/events/x/`.
    pub fn link(&self, route: &str) -> String {
        [self.base_path.as_str(), route].concat()
    }

    /// The canonical URL for a route: absolute when the site's base URL is.
    pub fn canonical(&self, route: &str) -> String {
        [self.base_url.as_str(), route].concat()
    }

    /// Where a route's page is written, relative to the output folder.
    pub fn file(route: &str) -> PathBuf {
        if route.is_empty() {
            PathBuf::from("index.html")
        } else if route.ends_with('/') {
            PathBuf::from(route).join("index.html")
        } else {
            PathBuf::from(route)
        }
    }
}

/// The route of the home page.
pub fn home() -> String {
    String::new()
}

/// The route of an event page.
pub fn event(id: &str) -> String {
    ["events/", id, "/"].concat()
}

/// The route of an actor page.
pub fn actor(id: &str) -> String {
    ["actors/", id, "/"].concat()
}

/// The route of a place page.
pub fn place(id: &str) -> String {
    ["places/", id, "/"].concat()
}

/// The route of a source page.
pub fn source(id: &str) -> String {
    ["sources/", id, "/"].concat()
}

/// The route of a free page.
pub fn page(id: &str) -> String {
    [id, "/"].concat()
}

/// The route of a tag page.
pub fn tag(id: &str) -> String {
    ["tags/", id, "/"].concat()
}

/// The route of a year of the timeline.
pub fn year(year: i32) -> String {
    format!("timeline/{year}/")
}

/// The route of a named index page (`timeline`, `actors`, …).
pub fn index(name: &str) -> String {
    [name, "/"].concat()
}

/// The route of page `page` (from 0) of a paged list (`actors`,
/// `sources`): the index itself, then `actors/page/2/` and on, as Hugo
/// and Zola page their lists. No record's page can take one's place: an
/// actor whose id is `page` is written at `actors/page/index.html`, beside
/// the folders `2/`, `3/`… of the list's pages, and an id has no `/`.
pub fn list_page(name: &str, page: usize) -> String {
    if page == 0 {
        index(name)
    } else {
        format!("{name}/page/{}/", page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_base_path() {
        let routes = Routes::new("https://user.github.io/repo/", "/repo/");
        assert_eq!(routes.link(&event("a")), "/repo/events/a/");
        assert_eq!(routes.canonical(&home()), "https://user.github.io/repo/");
        assert_eq!(
            Routes::file(&event("a")),
            PathBuf::from("events/a/index.html")
        );
        assert_eq!(Routes::file(&home()), PathBuf::from("index.html"));
        assert_eq!(Routes::file("404.html"), PathBuf::from("404.html"));
    }

    #[test]
    fn a_list_goes_on_at_numbered_pages() {
        assert_eq!(list_page("sources", 0), "sources/");
        assert_eq!(list_page("sources", 1), "sources/page/2/");
        assert_eq!(
            Routes::file(&list_page("actors", 9)),
            PathBuf::from("actors/page/10/index.html")
        );
    }
}
