//! Watching the site's sources and batching their changes.
//!
//! The watcher (the `notify` crate: inotify, FSEvents, ReadDirectoryChanges)
//! watches `content/`, `templates/` and `static/` recursively and the site
//! folder itself without recursion, for `site.yaml` and for those folders
//! being created later. Only changes to those paths count: the output, an
//! editor's files elsewhere and mere reads are ignored. An editor's
//! atomic-rename save (write a temporary file, rename it over the original)
//! arrives as a rename whose target is the watched file, so it counts.
//!
//! [`next_batch`] is the debounce: it waits for a first change, then keeps
//! collecting until the files have been quiet for [`QUIET`] (or [`LONGEST`]
//! has passed, so a file that never stops changing still gets rebuilt).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// The folders whose whole tree is watched.
const FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// The settings file, watched on its own.
const SETTINGS: &str = "site.yaml";

/// How long the files must stay quiet before a rebuild starts. An
/// editor's save (a write, or a temporary file renamed over the original)
/// arrives within a few milliseconds; a longer pause ends the batch, and a
/// change that comes later starts the next one.
pub const QUIET: Duration = Duration::from_millis(25);

/// The longest a batch waits for quiet before rebuilding anyway.
pub const LONGEST: Duration = Duration::from_millis(500);

/// What wakes the serve loop.
#[derive(Debug, PartialEq, Eq)]
pub enum Wake {
    /// A watched path changed (created, written, renamed or removed).
    Changed(PathBuf),
    /// Stop serving (Ctrl-C, or the terminal closed).
    Stop,
}

/// What the serve loop does next.
#[derive(Debug, PartialEq, Eq)]
pub enum Batch {
    /// Rebuild: these watched paths changed (sorted, at least one).
    Changes(BTreeSet<PathBuf>),
    /// Stop serving.
    Stop,
}

/// Keeps the watch alive; dropping it stops watching.
pub struct Watcher {
    _inner: Arc<Mutex<RecommendedWatcher>>,
}

/// Starts watching the site at `root` (an absolute, canonical path),
/// sending every relevant change to `wake`.
pub fn watch(root: &Path, wake: Sender<Wake>) -> Result<Watcher, String> {
    let cannot = |path: &Path| {
        let path = path.to_path_buf();
        move |error: notify::Error| {
            format!(
                "{}: cannot watch for changes: {error} (on Linux, raising fs.inotify.max_user_watches may help)",
                path.display()
            )
        }
    };
    let handler_root = root.to_path_buf();
    let (folder_tx, folder_rx) = mpsc::channel::<PathBuf>();
    let mut inner = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else {
            return;
        };
        // Opening and reading files (the rebuild itself does) is no change.
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if is_top_folder(&handler_root, &path) {
                let _ = folder_tx.send(path.clone());
            }
            if is_relevant(&handler_root, &path) {
                let _ = wake.send(Wake::Changed(path));
            }
        }
    })
    .map_err(cannot(root))?;
    inner
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(cannot(root))?;
    for name in FOLDERS {
        let folder = root.join(name);
        if folder.is_dir() {
            inner
                .watch(&folder, RecursiveMode::Recursive)
                .map_err(cannot(&folder))?;
        }
    }
    // A watched folder created (or replaced) after the start needs a watch
    // of its own. The event handler cannot reach the watcher that owns it,
    // so a small thread holding a weak reference adds the watch; it ends
    // when the watcher is dropped (which drops the handler and its sender).
    let inner = Arc::new(Mutex::new(inner));
    let weak: Weak<Mutex<RecommendedWatcher>> = Arc::downgrade(&inner);
    std::thread::spawn(move || {
        for folder in folder_rx {
            let Some(watcher) = weak.upgrade() else {
                return;
            };
            if folder.is_dir()
                && let Ok(mut watcher) = watcher.lock()
            {
                // Watching a watched folder again only renews the watch.
                let _ = watcher.watch(&folder, RecursiveMode::Recursive);
            }
        }
    });
    Ok(Watcher { _inner: inner })
}

/// Whether `path` is `content/`, `templates/` or `static/` itself.
fn is_top_folder(root: &Path, path: &Path) -> bool {
    path.parent() == Some(root)
        && path
            .file_name()
            .is_some_and(|name| FOLDERS.iter().any(|f| name == *f))
}

/// Whether a change at `path` can change the site: `site.yaml`, or
/// anything under a watched folder except an editor's backup and swap
/// files and hidden files under `content/`.
fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = relative.components();
    let Some(first) = parts.next() else {
        return false;
    };
    let first = first.as_os_str();
    if first == SETTINGS {
        return relative.components().count() == 1;
    }
    if !FOLDERS.iter().any(|f| first == *f) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // The loader skips hidden files under content/, so an editor's
    // temporary file there (before its rename) changes nothing.
    if first == "content" && name.starts_with('.') {
        return false;
    }
    !(name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || name.starts_with(".#"))
}

/// Waits for the next change and debounces: returns once the files have
/// been quiet for [`QUIET`] (or after [`LONGEST`]), with every path that
/// changed meanwhile. A stop request wins over pending changes.
pub fn next_batch(wake: &Receiver<Wake>) -> Batch {
    let first = match wake.recv() {
        Ok(Wake::Changed(path)) => path,
        Ok(Wake::Stop) | Err(_) => return Batch::Stop,
    };
    let started = Instant::now();
    let mut changed = BTreeSet::from([first]);
    loop {
        let left = LONGEST.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Batch::Changes(changed);
        }
        match wake.recv_timeout(QUIET.min(left)) {
            Ok(Wake::Changed(path)) => {
                changed.insert(path);
            }
            Ok(Wake::Stop) => return Batch::Stop,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                return Batch::Changes(changed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_are_relevant() {
        let root = Path::new("/site");
        for yes in [
            "/site/site.yaml",
            "/site/content/events/2018/a.yaml",
            "/site/templates/base.html",
            "/site/static/style.css",
            "/site/static/.well-known/security.txt",
            "/site/content",
        ] {
            assert!(is_relevant(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/.public.tmp-12/index.html",
            "/site/README.md",
            "/site/content/events/a.yaml~",
            "/site/content/events/.a.yaml.swp",
            "/site/content/events/4913",
            "/site/content/events/.a.yaml.tmp-1",
            "/other/content/a.md",
            "/site",
        ] {
            assert!(!is_relevant(root, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn top_folders_are_recognised() {
        let root = Path::new("/site");
        assert!(is_top_folder(root, Path::new("/site/static")));
        assert!(!is_top_folder(root, Path::new("/site/static/x")));
        assert!(!is_top_folder(root, Path::new("/site/public")));
    }

    #[test]
    fn a_burst_of_changes_is_one_batch() {
        let (tx, rx) = mpsc::channel();
        for name in ["b", "a", "b"] {
            tx.send(Wake::Changed(PathBuf::from(name))).unwrap();
        }
        let batch = next_batch(&rx);
        assert_eq!(
            batch,
            Batch::Changes(BTreeSet::from([PathBuf::from("a"), PathBuf::from("b")]))
        );
        tx.send(Wake::Changed(PathBuf::from("c"))).unwrap();
        tx.send(Wake::Stop).unwrap();
        assert_eq!(next_batch(&rx), Batch::Stop);
        drop(tx);
        assert_eq!(next_batch(&rx), Batch::Stop);
    }
}
