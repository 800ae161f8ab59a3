//! From a request's URL to a file of the output, never outside it.
//!
//! Two steps. [`route`] works on the URL alone: it strips the query, checks
//! the site's base path, percent-decodes, and refuses any segment that is
//! empty or starts with `.` (so `..`, `%2e%2e`, `..%2f` and hidden files such
//! as the output marker are all refused) or holds a backslash or NUL.
//! [`find`] then looks at the disk: the candidate is resolved with every
//! symlink followed and must still lie inside the output folder, a folder is
//! served only through its `index.html` (there is no directory listing), and
//! a folder asked for without its trailing slash is redirected.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// What a URL asks for, before looking at the disk.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// A file or folder of the output, relative to it; `slash` when the
    /// URL ends with `/` (the site's root counts as such).
    Output {
        /// The path under the output folder (made of checked segments).
        relative: PathBuf,
        /// Whether the URL asked for a folder.
        slash: bool,
    },
    /// Redirect to this location (the base path, when the URL is its root
    /// or the base path without its slash).
    Redirect(String),
    /// Nothing there (outside the base path, or a refused segment).
    NotFound,
}

/// Routes `url` (as sent: path and query, percent-encoded) for a site
/// served under `base_path` (`/` or `/repo/`).
pub fn route(url: &str, base_path: &str) -> Route {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Some(rest) = path.strip_prefix(base_path) else {
        let bare = base_path.trim_end_matches('/');
        return if path == "/" || path == bare {
            Route::Redirect(base_path.to_string())
        } else {
            Route::NotFound
        };
    };
    let Ok(decoded) = percent_decode_str(rest).decode_utf8() else {
        return Route::NotFound;
    };
    let slash = decoded.is_empty() || decoded.ends_with('/');
    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if segment.starts_with('.') || segment.contains(['\\', '\0']) {
            return Route::NotFound;
        }
        relative.push(segment);
    }
    // An empty segment anywhere but at the end (`a//b`, or `//host` right
    // after the base) is refused too: no such file is ever written.
    if decoded.trim_end_matches('/').contains("//") || decoded.starts_with('/') {
        return Route::NotFound;
    }
    Route::Output { relative, slash }
}

/// What is on disk for a routed path.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// Serve this file (resolved, inside the output folder).
    File(PathBuf),
    /// A folder asked for without the trailing slash: redirect to it.
    Folder,
    /// Nothing to serve.
    Missing,
}

/// Looks for `relative` in the output folder `out`.
pub fn find(out: &Path, relative: &Path, slash: bool) -> Found {
    let Ok(root) = out.canonicalize() else {
        return Found::Missing;
    };
    let Some(real) = inside(&root, &root.join(relative)) else {
        return Found::Missing;
    };
    if real.is_dir() {
        if !slash {
            return Found::Folder;
        }
        return match inside(&root, &real.join("index.html")) {
            Some(index) if index.is_file() => Found::File(index),
            _ => Found::Missing,
        };
    }
    if real.is_file() && !slash {
        Found::File(real)
    } else {
        Found::Missing
    }
}

/// `path` with every symlink resolved, if it exists and lies in `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    path.canonicalize()
        .ok()
        .filter(|real| real.starts_with(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(relative: &str, slash: bool) -> Route {
        Route::Output {
            relative: PathBuf::from(relative),
            slash,
        }
    }

    #[test]
    fn urls_map_to_paths_under_the_base() {
        assert_eq!(route("/", "/"), output("", true));
        assert_eq!(route("/events/a/?x=1", "/"), output("events/a", true));
        assert_eq!(route("/feed.xml#top", "/"), output("feed.xml", false));
        assert_eq!(
            route("/static/a%20b.css", "/"),
            output("static/a b.css", false)
        );
        assert_eq!(route("/repo/actors/", "/repo/"), output("actors", true));
        assert_eq!(route("/", "/repo/"), Route::Redirect("/repo/".into()));
        assert_eq!(route("/repo", "/repo/"), Route::Redirect("/repo/".into()));
        assert_eq!(route("/actors/", "/repo/"), Route::NotFound);
    }

    #[test]
    fn traversal_and_hidden_files_are_refused() {
        for url in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/",
            "/..%2fCargo.toml",
            "/a/..%2f..%2fetc/passwd",
            "/.dossier-output",
            "/a/%2e/b",
            "/..\\Cargo.toml",
            "/a%5c..%5cb",
            "/a%00b",
            "//etc/passwd",
            "/a//b",
            "/%ff",
            "/repo/../x",
        ] {
            assert_eq!(route(url, "/"), Route::NotFound, "{url}");
        }
        assert_eq!(route("/repo/%2e%2e/x", "/repo/"), Route::NotFound);
    }

    #[test]
    fn files_folders_and_symlinks_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir_all(out.join("events/a")).unwrap();
        std::fs::create_dir_all(out.join("assets")).unwrap();
        std::fs::write(out.join("events/a/index.html"), "a").unwrap();
        std::fs::write(out.join("feed.xml"), "f").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let real = out.canonicalize().unwrap();
        assert_eq!(
            find(&out, Path::new("events/a"), true),
            Found::File(real.join("events/a/index.html"))
        );
        assert_eq!(find(&out, Path::new("events/a"), false), Found::Folder);
        assert_eq!(
            find(&out, Path::new("feed.xml"), false),
            Found::File(real.join("feed.xml"))
        );
        assert_eq!(find(&out, Path::new("feed.xml"), true), Found::Missing);
        assert_eq!(find(&out, Path::new("assets"), true), Found::Missing);
        assert_eq!(find(&out, Path::new("nothing"), false), Found::Missing);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("s.txt")).unwrap();
            std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
            assert_eq!(find(&out, Path::new("s.txt"), false), Found::Missing);
            assert_eq!(
                find(&out, Path::new("up/secret.txt"), false),
                Found::Missing
            );
            assert_eq!(find(&out, Path::new("up"), true), Found::Missing);
        }
    }
}
