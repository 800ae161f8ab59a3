//! The theme's Tera templates: the built-in ones, overridden file by file by
//! the site's own `templates/` folder.
//!
//! Template problems (syntax when loading, missing values when rendering)
//! become diagnostics that point into the template file by line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use tera::Tera;

use crate::diagnostics::{Diagnostic, Position, Severity};

/// The built-in theme, compiled into the binary so a site needs no
/// templates of its own.
const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("event.html", include_str!("../../templates/event.html")),
    ("actor.html", include_str!("../../templates/actor.html")),
    ("actors.html", include_str!("../../templates/actors.html")),
    ("network.html", include_str!("../../templates/network.html")),
    ("map.html", include_str!("../../templates/map.html")),
    ("place.html", include_str!("../../templates/place.html")),
    ("places.html", include_str!("../../templates/places.html")),
    ("source.html", include_str!("../../templates/source.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("data.html", include_str!("../../templates/data.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "timeline_year.html",
        include_str!("../../templates/timeline_year.html"),
    ),
];

/// Room for a component's output at first: an event's list entry is
/// about 400 bytes.
const COMPONENT_BUFFER: usize = 1024;

/// The loaded templates and their texts (for locating errors).
pub struct Theme {
    /// The Tera instance.
    pub tera: Tera,
    /// Template name -> (path shown in messages, text).
    sources: HashMap<String, (PathBuf, String)>,
    /// Template name -> the size of the largest page it has made.
    largest: HashMap<String, AtomicUsize>,
}

impl Theme {
    /// Loads the built-in templates, then the site's `templates/**/*.html`
    /// over them. Returns every template problem at once.
    pub fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut sources = HashMap::new();
        let mut problems = Vec::new();
        for (name, text) in BUILT_IN {
            sources.insert(
                name.to_string(),
                (PathBuf::from("templates").join(name), text.to_string()),
            );
        }
        if let Err(error) = tera.add_raw_templates(BUILT_IN.iter().copied()) {
            problems.push(diagnostic(&sources, "base.html", &error));
            return Err(problems);
        }
        let folder = root.join("templates");
        if folder.is_dir() {
            for entry in walkdir::WalkDir::new(&folder).sort_by_file_name() {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(error) => {
                        problems.push(Diagnostic::file_level(
                            Severity::Error,
                            Path::new("templates"),
                            format!("cannot read the templates folder: {error}"),
                        ));
                        continue;
                    }
                };
                let is_template = entry.file_type().is_file()
                    && entry
                        .path()
                        .extension()
                        .is_some_and(|e| e == "html" || e == "xml");
                if !is_template {
                    continue;
                }
                let relative = entry.path().strip_prefix(&folder).unwrap_or(entry.path());
                let name = relative
                    .iter()
                    .map(|part| part.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let path = PathBuf::from("templates").join(relative);
                let text = match std::fs::read_to_string(entry.path()) {
                    Ok(text) => text,
                    Err(error) => {
                        problems.push(Diagnostic::file_level(
                            Severity::Error,
                            &path,
                            format!("cannot read the template: {error}"),
                        ));
                        continue;
                    }
                };
                sources.insert(name.clone(), (path, text.clone()));
                if let Err(error) = tera.add_raw_template(&name, &text) {
                    problems.push(diagnostic(&sources, &name, &error));
                }
            }
        }
        if problems.is_empty() {
            let largest = sources
                .keys()
                .map(|name| (name.clone(), AtomicUsize::new(0)))
                .collect();
            Ok(Theme {
                tera,
                sources,
                largest,
            })
        } else {
            Err(problems)
        }
    }

    /// Sets what every page shows alike (the site and the status legend)
    /// as template globals, turned into template values once, not once
    /// per page; returns the theme ready to render the pages of the site
    /// `site` shows.
    pub fn prepared(&mut self, site: &super::views::SiteView) -> &Theme {
        let globals = self.tera.global_context();
        globals.insert("site", site);
        globals.insert("statuses", &super::views::StatusView::legend());
        self
    }

    /// Renders component `name` with one argument, `arg` set to `value`
    /// (the site globals are not passed: a component takes what it
    /// declares), turning a failure into a diagnostic in the template's
    /// file.
    pub fn render_component(
        &self,
        name: &str,
        arg: &'static str,
        value: &impl serde::Serialize,
    ) -> Result<String, Diagnostic> {
        let mut context = tera::Context::new();
        context.insert(arg, value);
        let mut bytes = Vec::with_capacity(COMPONENT_BUFFER);
        self.tera
            .render_component_to(name, &context, None, true, &mut bytes)
            .map_err(|error| {
                let problem = diagnostic(&self.sources, "macros.html", &error);
                match error.kind() {
                    tera::ErrorKind::ComponentNotFound(_) => problem.with_hint(format!(
                        "the site's templates/macros.html replaces the built-in one, which \
                         defines `{name}`: copy that component from dossier's templates/macros.html"
                    )),
                    _ => problem,
                }
            })?;
        // Templates and values are text, so the output is too.
        Ok(String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()))
    }

    /// Renders a template into bytes, turning a failure into a diagnostic
    /// in the template's file.
    ///
    /// The buffer starts as large as the largest page the template has
    /// made so far in this theme's life, so a page is not copied as it
    /// grows.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        let largest = self.largest.get(name);
        let mut bytes = Vec::with_capacity(largest.map_or(0, |l| l.load(Ordering::Relaxed)));
        self.tera
            .render_to(name, context, &mut bytes)
            .map_err(|error| diagnostic(&self.sources, name, &error))?;
        if let Some(largest) = largest {
            largest.fetch_max(bytes.len(), Ordering::Relaxed);
        }
        Ok(bytes)
    }
}

/// A Tera error as a diagnostic at its template's line and column.
fn diagnostic(
    sources: &HashMap<String, (PathBuf, String)>,
    name: &str,
    error: &tera::Error,
) -> Diagnostic {
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Some(report)
        }
        _ => None,
    };
    let Some(report) = report else {
        let path = sources
            .get(name)
            .map_or_else(|| PathBuf::from("templates").join(name), |(p, _)| p.clone());
        return Diagnostic::file_level(Severity::Error, &path, format!("template error: {error}"));
    };
    let file = if report.filename().is_empty() {
        name
    } else {
        report.filename()
    };
    let (path, text) = sources.get(file).map_or_else(
        || (PathBuf::from("templates").join(file), String::new()),
        |(p, t)| (p.clone(), t.clone()),
    );
    let span = report.span();
    let at = Position {
        line: span.start_line.max(1),
        column: span.start_col + 1,
    };
    Diagnostic::error(
        &path,
        &text,
        at,
        format!("template error: {}", report.message()),
    )
    .with_hint("fix the template; `dossier build` lists every template problem with its line")
}
