//! `site.yaml`: the site's settings.
//!
//! [`RawConfig`] mirrors the file (unknown keys are errors); [`Config`] is
//! the checked form the rest of the build uses.

use serde::Deserialize;

/// site.yaml as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// The site's title (required).
    pub title: String,
    /// One or two sentences about the site.
    pub description: Option<String>,
    /// Where the site is published, e.g. `https://user.github.io/repo/`.
    pub base_url: Option<String>,
    /// The content's language (BCP 47), default `en`.
    pub language: Option<String>,
    /// Who writes the site.
    pub author: Option<String>,
    /// The allowed event types.
    #[serde(default)]
    pub event_types: Vec<RawEventType>,
    /// How many entries an entity page lists before linking to the timeline.
    pub list_limit: Option<usize>,
    /// Let raw HTML in Markdown through unsanitised (trusted sites only).
    #[serde(default)]
    pub allow_raw_html: bool,
}

/// An event type: an id, or `{id, label}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum RawEventType {
    /// Just the id; the label is derived from it.
    Id(String),
    /// Id and label.
    Labelled {
        /// The id used in event files.
        id: String,
        /// The label readers see.
        label: String,
    },
}

/// An allowed event type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventType {
    /// The id used in event files.
    pub id: String,
    /// The label readers see.
    pub label: String,
}

/// The checked settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The site's title.
    pub title: String,
    /// One or two sentences about the site.
    pub description: String,
    /// The absolute URL of the site's root, ending in `/` (e.g.
    /// `https://user.github.io/repo/`), or just a path such as `/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending with `/`.
    pub base_path: String,
    /// The content's language.
    pub language: String,
    /// Who writes the site.
    pub author: Option<String>,
    /// The allowed event types, in the order written.
    pub event_types: Vec<EventType>,
    /// How many entries an entity page lists before linking to the timeline.
    pub list_limit: usize,
    /// Let raw HTML in Markdown through unsanitised.
    pub allow_raw_html: bool,
}

impl Config {
    /// The checked settings from the raw file, with `--base-url` winning
    /// over the file. Returns the problems as messages (the caller locates
    /// them in site.yaml).
    pub fn from_raw(
        raw: RawConfig,
        base_url_override: Option<&str>,
    ) -> Result<Config, Vec<String>> {
        let RawConfig {
            title,
            description,
            base_url,
            language,
            author,
            event_types,
            list_limit,
            allow_raw_html,
        } = raw;
        let mut problems = Vec::new();
        let base_url = base_url_override
            .map(str::to_string)
            .or(base_url)
            .unwrap_or_else(|| "/".to_string());
        let (base_url, base_path) = match normalise_base_url(&base_url) {
            Ok(pair) => pair,
            Err(message) => {
                problems.push(message);
                ("/".to_string(), "/".to_string())
            }
        };
        let mut types: Vec<EventType> = Vec::new();
        for raw in event_types {
            let (id, label) = match raw {
                RawEventType::Id(id) => {
                    let label = label_from_id(&id);
                    (id, label)
                }
                RawEventType::Labelled { id, label } => (id, label),
            };
            if let Err(message) = crate::model::id::validate(&id) {
                problems.push(format!("event type `{id}`: {message}"));
            } else if types.iter().any(|t| t.id == id) {
                problems.push(format!("event type `{id}` is listed twice"));
            }
            types.push(EventType { id, label });
        }
        if list_limit == Some(0) {
            problems.push("`list_limit` must be at least 1".to_string());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Config {
            title,
            description: description.unwrap_or_default(),
            base_url,
            base_path,
            language: language.unwrap_or_else(|| "en".to_string()),
            author,
            event_types: types,
            list_limit: list_limit.unwrap_or(100),
            allow_raw_html,
        })
    }

    /// The label of an event type, or the id when it is not declared.
    pub fn event_type_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.event_types
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.label.as_str())
    }
}

/// "prison-break" -> "Prison break".
fn label_from_id(id: &str) -> String {
    let spaced = id.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Splits a base URL into the URL with a trailing slash and its path.
/// Accepts `https://host/repo`, `https://host/repo/`, `/repo/`, `/`.
fn normalise_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let with_slash = if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    };
    let path = if let Some(rest) = with_slash
        .strip_prefix("https://")
        .or_else(|| with_slash.strip_prefix("http://"))
    {
        match rest.find('/') {
            Some(index) if index > 0 => rest[index..].to_string(),
            _ => return Err(format!("base_url `{url}` has no host")),
        }
    } else if with_slash.starts_with('/') && !with_slash.starts_with("//") {
        with_slash.clone()
    } else {
        return Err(format!(
            "base_url `{url}` must be an http(s) URL such as `https://user.github.io/repo/` or a path such as `/repo/`"
        ));
    };
    if path.contains(['?', '#', ' ', '"', '<', '>'])
        || path.contains("/../")
        || path.contains("/./")
    {
        return Err(format!(
            "base_url `{url}` has characters a site path cannot have"
        ));
    }
    Ok((with_slash, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_keep_their_path() {
        assert_eq!(
            normalise_base_url("https://user.github.io/repo").unwrap(),
            (
                "https://user.github.io/repo/".to_string(),
                "/repo/".to_string()
            )
        );
        assert_eq!(
            normalise_base_url("https://example.org").unwrap().1,
            "/".to_string()
        );
        assert_eq!(normalise_base_url("/").unwrap().1, "/");
        assert!(normalise_base_url("javascript:alert(1)").is_err());
        assert!(normalise_base_url("https:///x").is_err());
    }

    #[test]
    fn labels_come_from_ids_when_missing() {
        assert_eq!(label_from_id("prison-break"), "Prison break");
    }
}
