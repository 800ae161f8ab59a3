//! The static files: the built-in theme's assets, then the site's own
//! `static/` folder over them, copied as they are into the output.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity};
use crate::render::File;

/// The built-in theme's static files, compiled into the binary.
const BUILT_IN: &[(&str, &[u8])] = &[
    (
        "assets/style.css",
        include_bytes!("../../static/assets/style.css"),
    ),
    (
        "assets/network.css",
        include_bytes!("../../static/assets/network.css"),
    ),
    (
        "assets/map.css",
        include_bytes!("../../static/assets/map.css"),
    ),
    (
        "assets/search.css",
        include_bytes!("../../static/assets/search.css"),
    ),
    (
        "assets/timeline.css",
        include_bytes!("../../static/assets/timeline.css"),
    ),
    (
        "assets/print.css",
        include_bytes!("../../static/assets/print.css"),
    ),
    (
        "assets/cite.js",
        include_bytes!("../../static/assets/cite.js"),
    ),
    (
        "assets/timeline.js",
        include_bytes!("../../static/assets/timeline.js"),
    ),
    (
        "assets/search.js",
        include_bytes!("../../static/assets/search.js"),
    ),
];

/// Every static file (built-in first, the site's overriding by path), sorted
/// by path, and the names at the top of the site's `static/` (which page ids
/// may not take).
pub fn load(root: &Path) -> Result<(Vec<File>, Vec<String>), Diagnostic> {
    let mut files: std::collections::BTreeMap<PathBuf, Vec<u8>> = BUILT_IN
        .iter()
        .map(|(path, bytes)| (PathBuf::from(path), bytes.to_vec()))
        .collect();
    let mut names = vec!["assets".to_string()];
    let folder = root.join("static");
    if folder.is_dir() {
        for entry in walkdir::WalkDir::new(&folder)
            .sort_by_file_name()
            .min_depth(1)
        {
            let entry = entry.map_err(|error| {
                Diagnostic::file_level(
                    Severity::Error,
                    Path::new("static"),
                    format!("cannot read the static folder: {error}"),
                )
            })?;
            let relative = entry
                .path()
                .strip_prefix(&folder)
                .unwrap_or(entry.path())
                .to_path_buf();
            if entry.depth() == 1 {
                let name = relative.to_string_lossy().into_owned();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path()).map_err(|error| {
                    Diagnostic::file_level(
                        Severity::Error,
                        &Path::new("static").join(&relative),
                        format!("cannot read the file: {error}"),
                    )
                })?;
                files.insert(relative, bytes);
            }
        }
    }
    let files = files
        .into_iter()
        .map(|(path, bytes)| File { path, bytes })
        .collect();
    Ok((files, names))
}
